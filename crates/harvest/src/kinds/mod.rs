//! The source kinds, each behind one interface, [`SourceReader`]: which request comes next,
//! and what a fetched body becomes (a page of RDF, a feed page, or a failure). The generic
//! work of every kind — the page limit, the visited set, the host policy, the delay, the
//! conditional first request, fetching with caps and timeouts — is the [`crate::Pager`]'s.
//!
//! A new kind is a file here implementing [`SourceReader`] and one arm in [`reader_for`].

pub mod ckan;
pub mod csw;
pub mod csw_request;
pub mod dcat;
pub mod dsp;
pub mod oai;
pub mod peer;
pub mod records;
pub mod sparql;

use ldtcat_config::{SourceConfig, SourceKind};
use url::Url;

use crate::fetch::Fetched;
use crate::pager::{PagerEvent, PagerStart};
use crate::HarvestError;

/// How a request is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestMethod {
    /// `GET`.
    Get,
    /// `POST` with a body.
    Post {
        /// The body.
        body: Vec<u8>,
        /// Its `Content-Type`.
        content_type: String,
    },
}

/// The next request of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// Where it goes.
    pub url: Url,
    /// How.
    pub method: RequestMethod,
}

impl PageRequest {
    /// A `GET` of `url`.
    pub fn get(url: Url) -> PageRequest {
        PageRequest {
            url,
            method: RequestMethod::Get,
        }
    }

    /// A `POST` of `body` to `url`.
    pub fn post(url: Url, body: Vec<u8>, content_type: &str) -> PageRequest {
        PageRequest {
            url,
            method: RequestMethod::Post {
                body,
                content_type: content_type.to_owned(),
            },
        }
    }

    /// What the visited set remembers: the URL, and for a `POST` a digest of its body (a
    /// server that answers every page with the same position is a cycle too).
    pub fn visit_key(&self) -> String {
        match &self.method {
            RequestMethod::Get => self.url.to_string(),
            RequestMethod::Post { body, .. } => {
                use sha2::{Digest, Sha256};
                let digest = Sha256::digest(body);
                let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
                format!("POST {} {hex}", self.url)
            }
        }
    }
}

/// One kind of source, read page by page.
///
/// [`SourceReader::read`] runs on the blocking pool (parsing and mapping are CPU work);
/// everything else is cheap.
pub trait SourceReader: Send {
    /// The `Accept` header when the source configures no format.
    fn accept(&self) -> String;

    /// Whether a configured `format` replaces [`SourceReader::accept`] (kinds whose answers
    /// are not RDF ignore it).
    fn honours_format(&self) -> bool {
        true
    }

    /// The next request, or `None` when the source is exhausted.
    fn next_request(&mut self) -> Option<PageRequest>;

    /// What a fetched answer to the last request becomes. A failure returned here is
    /// followed by [`SourceReader::after_failure`] like a failed fetch.
    fn read(&mut self, fetched: Fetched) -> PagerEvent;

    /// After a failed page: whether a later page is still reachable (and the reader has moved
    /// past the failed one). Most kinds cannot know where to go next.
    fn after_failure(&mut self) -> bool {
        false
    }

    /// How many statements the last page held, once the run has read it (a SPARQL source
    /// ends on an empty page).
    fn page_read(&mut self, _statements: u64) {}

    /// The page the source links to next, as known now (the page memo keeps it).
    fn next_url(&self) -> Option<&Url> {
        None
    }

    /// The SHA-256 (hex) of the last page's body, where the kind keeps page digests.
    fn last_digest(&self) -> Option<&str> {
        None
    }
}

/// The reader of `source`'s kind, at its first page.
pub fn reader_for(
    source: &SourceConfig,
    start: &PagerStart,
) -> Result<Box<dyn SourceReader>, HarvestError> {
    Ok(match source.kind {
        SourceKind::Dcat => Box::new(dcat::DcatReader::new(source, start)),
        SourceKind::Ckan => Box::new(ckan::CkanCursor::new(
            &source.url,
            source.options.page_size,
            start.modified_since,
        )),
        SourceKind::Sparql => Box::new(sparql::SparqlCursor::new(
            &source.url,
            source.options.query.as_deref(),
            source.options.page_size,
            source.options.format.clone(),
        )),
        SourceKind::Peer => Box::new(peer::PeerReader::new(source, start)),
        SourceKind::Csw => Box::new(csw::CswReader::new(source, start.modified_since)),
        SourceKind::OaiPmh => Box::new(oai::OaiReader::new(source, start.modified_since)),
        SourceKind::Dsp => Box::new(dsp::DspReader::new(source)),
        SourceKind::OgcapiRecords => Box::new(records::RecordsReader::new(source, start)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> Url {
        Url::parse("https://csw.example.org/csw").expect("url")
    }

    #[test]
    fn a_post_is_remembered_with_its_body() {
        let first = PageRequest::post(url(), b"<start>1</start>".to_vec(), "application/xml");
        let again = PageRequest::post(url(), b"<start>1</start>".to_vec(), "application/xml");
        let next = PageRequest::post(url(), b"<start>11</start>".to_vec(), "application/xml");
        assert_eq!(first.visit_key(), again.visit_key());
        assert_ne!(first.visit_key(), next.visit_key());
        assert_ne!(first.visit_key(), PageRequest::get(url()).visit_key());
        assert_eq!(PageRequest::get(url()).visit_key(), url().to_string());
    }
}
