//! A page ready to be read into records: its URL (the base IRI and the provenance), its
//! body and its RDF syntax, chosen from the configured override, the `Content-Type`, the
//! URL and the content, in that order. A `Content-Type` that is not an RDF syntax, or that
//! contradicts the content (JSON declared, Turtle sent), is noted and the content wins.

use ldtcat_model::format::{format_for_media_type, format_for_name, sniff};
use ldtcat_model::RdfDocument;
use oxrdfio::RdfFormat;
use url::Url;

use crate::body::PageBody;
use crate::fetch::{Fetched, Validators};
use crate::HarvestError;

/// One page of a source.
#[derive(Debug, Clone)]
pub struct Page {
    /// The URL it was fetched from (after redirects): base IRI and provenance.
    pub url: Url,
    /// The body.
    pub body: PageBody,
    /// The syntax.
    pub format: RdfFormat,
    /// Size in bytes (after decompression).
    pub bytes: u64,
    /// Validators for a conditional request next time.
    pub validators: Validators,
    /// Remarks for the run report (a wrong `Content-Type`, ...).
    pub notes: Vec<String>,
    /// Records the page could not read (per-record errors: the record is skipped, the page
    /// is not), for the run report; the run is then not complete and deletes nothing.
    pub record_errors: Vec<String>,
    /// Resources the source explicitly says were deleted (an OAI-PMH `<header
    /// status="deleted">`), by IRI: the run withdraws them from this source, on incremental
    /// runs too.
    pub deleted: Vec<String>,
    /// The data space participants the page names (DSP catalogs' `participantId`).
    pub participants: Participants,
    /// DSP pages: the resources its catalogs list (`dcat:dataset`, `dcat:service`), the only
    /// records to take from it; the other resources it describes belong to those (an access
    /// service written inside a distribution). `None`: every record of the page.
    pub listed: Option<std::collections::HashSet<String>>,
}

/// Who published what a page lists, in a data space: the participant of the catalog that
/// lists each resource (a nested catalog's own, else its parent's), and the page's (its
/// top catalog's) for resources without an IRI of their own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Participants {
    /// The top catalog's participant.
    pub page: Option<String>,
    /// By resource IRI.
    pub by_resource: std::collections::HashMap<String, String>,
}

impl Participants {
    /// The participant of a resource (by its IRI), if the page names one.
    pub fn of(&self, resource: &str) -> Option<&str> {
        self.by_resource
            .get(resource)
            .or(self.page.as_ref())
            .map(String::as_str)
    }
}

impl Page {
    /// The page as a document for [`ldtcat_model::split_records`].
    pub fn document(&self) -> RdfDocument<'_> {
        let body = self.body.clone();
        RdfDocument::new(
            self.url.to_string(),
            Some(self.url.to_string()),
            self.format,
            move || Ok(body.open()? as Box<dyn std::io::Read>),
        )
    }
}

/// A fetched body as a page of RDF, in the syntax [`choose_format`] gives it (`format`: the
/// source's configured media type, if any); an error when no RDF syntax fits.
pub fn rdf_page(fetched: Fetched, format: Option<&str>) -> Result<Page, HarvestError> {
    let head = fetched.body.head(512);
    let (chosen, note) =
        choose_format(format, fetched.content_type.as_deref(), &fetched.url, &head);
    let Some(chosen) = chosen else {
        return Err(HarvestError::Unexpected {
            url: fetched.url.to_string(),
            message: format!(
                "no RDF syntax for Content-Type {:?}",
                fetched.content_type.as_deref().unwrap_or("(none)")
            ),
        });
    };
    Ok(Page {
        url: fetched.url,
        body: fetched.body,
        format: chosen,
        bytes: fetched.bytes,
        validators: fetched.validators,
        notes: note.into_iter().collect(),
        record_errors: Vec::new(),
        deleted: Vec::new(),
        participants: Participants::default(),
        listed: None,
    })
}

#[derive(PartialEq, Eq, Clone, Copy, Debug)]
enum Family {
    Json,
    Xml,
    Text,
}

fn family(format: RdfFormat) -> Family {
    match format {
        RdfFormat::JsonLd { .. } => Family::Json,
        RdfFormat::RdfXml => Family::Xml,
        _ => Family::Text,
    }
}

/// Chooses the syntax of a body; returns it with a note when the server's `Content-Type`
/// was not trusted, or `None` when no RDF syntax fits.
pub fn choose_format(
    override_media_type: Option<&str>,
    content_type: Option<&str>,
    url: &Url,
    head: &[u8],
) -> (Option<RdfFormat>, Option<String>) {
    if let Some(media_type) = override_media_type {
        return (format_for_media_type(media_type), None);
    }
    let sniffed = sniff(head);
    let by_name = format_for_name(url.path());
    let fallback = by_name.or(sniffed);
    let Some(content_type) = content_type else {
        return (fallback, None);
    };
    match format_for_media_type(content_type) {
        None => (
            fallback,
            Some(format!(
                "{url}: Content-Type `{content_type}` is not an RDF syntax; read as {}",
                fallback.map_or("nothing", |f| f.name())
            )),
        ),
        Some(declared) => match sniffed {
            Some(sniffed) if family(sniffed) != family(declared) => {
                let chosen = by_name
                    .filter(|f| family(*f) == family(sniffed))
                    .unwrap_or(sniffed);
                (
                    Some(chosen),
                    Some(format!(
                        "{url}: Content-Type `{content_type}` contradicts the content; read as {}",
                        chosen.name()
                    )),
                )
            }
            _ => (Some(declared), None),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> Url {
        Url::parse("http://x.org/catalog?page=1").expect("url")
    }

    #[test]
    fn a_wrong_content_type_is_noted_and_the_content_wins() {
        let (format, note) = choose_format(None, Some("text/html"), &url(), b"@prefix a: <b> .");
        assert_eq!(format, Some(RdfFormat::TriG));
        assert!(note.is_some());
        let (format, note) =
            choose_format(None, Some("application/json"), &url(), b"@prefix a: <b> .");
        assert_eq!(format, Some(RdfFormat::TriG));
        assert!(note.expect("note").contains("contradicts"));
        let (format, note) = choose_format(None, Some("text/turtle"), &url(), b"<a> <b> <c> .");
        assert_eq!(format, Some(RdfFormat::Turtle));
        assert!(note.is_none());
        let (format, _) = choose_format(Some("application/rdf+xml"), None, &url(), b"{");
        assert_eq!(format, Some(RdfFormat::RdfXml));
    }
}
