//! `oai-pmh` sources: an OAI-PMH 2.0 repository. `Identify` (the datestamp granularity),
//! `ListMetadataFormats` (a DCAT/RDF format when offered, else ISO 19139, else `oai_dc`;
//! or the configured prefix), then `ListRecords` followed by resumption tokens, with `from`
//! on incremental runs. A token met twice, or a `badResumptionToken` error, is a reported
//! error that ends the run, never a loop. Records whose header says `status="deleted"`
//! become explicit deletions of the page ([`crate::Page::deleted`]), by the IRI the same
//! identifier gives a live record ([`crate::rdf_out::record_iri`], or the identifier itself
//! when it is an http(s) IRI).

use chrono::{DateTime, SecondsFormat, Utc};
use ldtcat_config::SourceConfig;
use url::Url;

use crate::fetch::Fetched;
use crate::kinds::{PageRequest, SourceReader};
use crate::pager::{with_query, PagerEvent};
use crate::rdf_out::{http_iri, record_iri};
use crate::xml::{parse_document, walk, Element, WalkEvent};
use crate::xml_records::RecordPage;
use crate::HarvestError;

const RDF_NAMESPACE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    Identify,
    Formats,
    Records { token: Option<String> },
    Done,
}

/// Where an OAI-PMH harvest is.
pub struct OaiReader {
    source_id: String,
    base: Url,
    configured_prefix: Option<String>,
    prefix: String,
    modified_since: Option<DateTime<Utc>>,
    day_granularity: bool,
    phase: Phase,
    tokens_seen: std::collections::HashSet<String>,
    /// Records (live or deleted) listed so far in this run.
    listed: u64,
}

/// The metadata prefix to ask for among `(prefix, namespace)` pairs: RDF (DCAT), then ISO
/// 19139, then `oai_dc`.
pub fn choose_prefix(formats: &[(String, String)]) -> Option<String> {
    let find = |test: &dyn Fn(&(String, String)) -> bool| {
        formats.iter().find(|f| test(f)).map(|(p, _)| p.clone())
    };
    find(&|(prefix, namespace)| {
        namespace == RDF_NAMESPACE || prefix.to_lowercase().contains("dcat")
    })
    .or_else(|| find(&|(_, namespace)| namespace == crate::iso::ISO19139_NAMESPACE))
    .or_else(|| find(&|(prefix, _)| prefix == "oai_dc"))
}

impl OaiReader {
    /// A reader at the repository's `Identify`.
    pub fn new(source: &SourceConfig, modified_since: Option<DateTime<Utc>>) -> OaiReader {
        OaiReader {
            source_id: source.id.clone(),
            base: source.url.clone(),
            configured_prefix: source.options.metadata_prefix.clone(),
            prefix: source
                .options
                .metadata_prefix
                .clone()
                .unwrap_or_else(|| "oai_dc".to_owned()),
            modified_since,
            day_granularity: true,
            phase: Phase::Identify,
            tokens_seen: std::collections::HashSet::new(),
            listed: 0,
        }
    }

    fn verb(&self, pairs: &[(&str, String)]) -> PageRequest {
        PageRequest::get(with_query(&self.base, pairs))
    }

    fn failed(&self, url: &Url, message: String) -> PagerEvent {
        PagerEvent::failed(HarvestError::Unexpected {
            url: url.to_string(),
            message,
        })
    }

    /// `Identify` and `ListMetadataFormats` answers (small documents).
    fn setup_page(&mut self, fetched: Fetched) -> PagerEvent {
        let root =
            match read_all(&fetched).and_then(|t| parse_document(&t).map_err(|e| e.to_string())) {
                Ok(root) if root.is("oai:OAI-PMH") => root,
                Ok(root) => {
                    return self.failed(
                        &fetched.url,
                        format!("not an OAI-PMH answer (root <{}>)", root.local),
                    )
                }
                Err(message) => return self.failed(&fetched.url, message),
            };
        if let Some(error) = root.child("oai:error") {
            return self.failed(&fetched.url, error_text(error));
        }
        let note = if self.phase == Phase::Identify {
            let granularity = root
                .value("oai:Identify/oai:granularity")
                .unwrap_or("YYYY-MM-DD");
            self.day_granularity = !granularity.contains('T');
            self.phase = if self.configured_prefix.is_some() {
                Phase::Records { token: None }
            } else {
                Phase::Formats
            };
            format!(
                "{}: OAI-PMH repository, datestamp granularity {granularity}",
                fetched.url
            )
        } else {
            let formats: Vec<(String, String)> = root
                .select("oai:ListMetadataFormats/oai:metadataFormat")
                .into_iter()
                .filter_map(|f| {
                    Some((
                        f.value("oai:metadataPrefix")?.to_owned(),
                        f.value("oai:metadataNamespace").unwrap_or("").to_owned(),
                    ))
                })
                .collect();
            let Some(prefix) = choose_prefix(&formats) else {
                self.phase = Phase::Done;
                return self.failed(
                    &fetched.url,
                    "the repository offers no DCAT/RDF, ISO 19139 or oai_dc format".to_owned(),
                );
            };
            self.prefix = prefix;
            self.phase = Phase::Records { token: None };
            format!(
                "{}: ListRecords with metadataPrefix={}",
                fetched.url, self.prefix
            )
        };
        PagerEvent::Page(RecordPage::new(&self.source_id).into_page(fetched, vec![note]))
    }

    fn get_record_url(&self, identifier: &str) -> Url {
        with_query(
            &self.base,
            &[
                ("verb", "GetRecord".to_owned()),
                ("metadataPrefix", self.prefix.clone()),
                ("identifier", identifier.to_owned()),
            ],
        )
    }

    fn records_page(&mut self, fetched: Fetched) -> PagerEvent {
        let url = fetched.url.clone();
        let text = match read_all(&fetched) {
            Ok(text) => text,
            Err(message) => return self.failed(&url, message),
        };
        let mut page = RecordPage::new(&self.source_id);
        let mut deleted = Vec::new();
        let mut token: Option<Option<String>> = None;
        let mut complete_list_size: Option<u64> = None;
        let mut listed = 0;
        let mut error = None;
        let mut root = None;
        let walked = walk(
            &text[..],
            &|e| e.is("oai:record") || e.is("oai:resumptionToken") || e.is("oai:error"),
            &mut |event| match event {
                WalkEvent::Start { element, depth: 0 } => root = Some(element.is("oai:OAI-PMH")),
                WalkEvent::Start { .. } => {}
                WalkEvent::Captured(e) if e.is("oai:error") => error = Some(e),
                WalkEvent::Captured(e) if e.is("oai:resumptionToken") => {
                    token = Some(e.text().map(str::to_owned));
                    complete_list_size =
                        e.attribute("completeListSize").and_then(|n| n.parse().ok());
                }
                WalkEvent::Captured(record) => {
                    listed += 1;
                    self.record(&record, &mut page, &mut deleted);
                }
            },
        );
        if root != Some(true) {
            return self.failed(&url, "not an OAI-PMH answer".to_owned());
        }
        if let Some(error) = error {
            self.phase = Phase::Done;
            if error.attribute("code") == Some("noRecordsMatch") {
                let note = format!("{url}: no records match");
                return PagerEvent::Page(page.into_page(fetched, vec![note]));
            }
            return self.failed(&url, error_text(&error));
        }
        self.listed += listed;
        // A token after the whole list (pycsw 2 sends one) ends it too.
        let list_complete = complete_list_size.is_some_and(|size| self.listed >= size);
        if let Err(error) = walked {
            page.errors.push(format!(
                "{url}: {error}: the records after it in this answer are lost; the run is not complete"
            ));
            self.phase = Phase::Done;
        } else {
            self.phase = match token.flatten() {
                None => Phase::Done,
                Some(_) if list_complete => Phase::Done,
                Some(next) if !self.tokens_seen.insert(next.clone()) => {
                    page.errors.push(format!(
                        "{url}: resumptionToken {next:?} was already used in this run: paging stops here"
                    ));
                    Phase::Done
                }
                Some(next) => Phase::Records { token: Some(next) },
            };
        }
        let mut mapped = page.into_page(fetched, Vec::new());
        mapped.deleted = deleted;
        PagerEvent::Page(mapped)
    }

    fn record(&self, record: &Element, page: &mut RecordPage, deleted: &mut Vec<String>) {
        let Some(header) = record.child("oai:header") else {
            page.errors
                .push("a record without a header; skipped".to_owned());
            return;
        };
        let Some(identifier) = header.value("oai:identifier") else {
            page.errors
                .push("a record header without an identifier; skipped".to_owned());
            return;
        };
        if header.attribute("status") == Some("deleted") {
            deleted.push(record_iri(&self.source_id, identifier).into_string());
            if let Some(iri) = http_iri(identifier) {
                deleted.push(iri.into_string());
            }
            return;
        }
        let metadata = record
            .child("oai:metadata")
            .and_then(|m| m.children.first());
        match metadata {
            Some(metadata) => page.add(
                metadata,
                Some(identifier),
                Some(self.get_record_url(identifier)),
            ),
            None => page.errors.push(format!(
                "{identifier}: a live record without metadata; skipped"
            )),
        }
    }
}

fn error_text(error: &Element) -> String {
    format!(
        "OAI-PMH error {}: {}",
        error.attribute("code").unwrap_or("(no code)"),
        error.text().unwrap_or("")
    )
}

fn read_all(fetched: &Fetched) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let mut text = Vec::new();
    fetched
        .body
        .open()
        .and_then(|mut reader| reader.read_to_end(&mut text))
        .map_err(|e| format!("cannot read the answer: {e}"))?;
    Ok(text)
}

impl SourceReader for OaiReader {
    fn accept(&self) -> String {
        "text/xml, application/xml;q=0.9, */*;q=0.1".to_owned()
    }

    fn honours_format(&self) -> bool {
        false
    }

    fn next_request(&mut self) -> Option<PageRequest> {
        match &self.phase {
            Phase::Done => None,
            Phase::Identify => Some(self.verb(&[("verb", "Identify".to_owned())])),
            Phase::Formats => Some(self.verb(&[("verb", "ListMetadataFormats".to_owned())])),
            Phase::Records { token: Some(token) } => Some(self.verb(&[
                ("verb", "ListRecords".to_owned()),
                ("resumptionToken", token.clone()),
            ])),
            Phase::Records { token: None } => {
                let mut pairs = vec![
                    ("verb", "ListRecords".to_owned()),
                    ("metadataPrefix", self.prefix.clone()),
                ];
                if let Some(since) = self.modified_since {
                    let from = if self.day_granularity {
                        since.format("%Y-%m-%d").to_string()
                    } else {
                        since.to_rfc3339_opts(SecondsFormat::Secs, true)
                    };
                    pairs.push(("from", from));
                }
                Some(self.verb(&pairs))
            }
        }
    }

    fn read(&mut self, fetched: Fetched) -> PagerEvent {
        match self.phase {
            Phase::Identify | Phase::Formats => self.setup_page(fetched),
            _ => self.records_page(fetched),
        }
    }

    fn after_failure(&mut self) -> bool {
        match self.phase {
            // Without Identify the default granularity (days) is safe; without the formats,
            // oai_dc (which every repository must offer).
            Phase::Identify => {
                self.phase = Phase::Formats;
                true
            }
            Phase::Formats => {
                self.phase = Phase::Records { token: None };
                true
            }
            _ => {
                self.phase = Phase::Done;
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rdf_is_preferred_then_iso_then_oai_dc() {
        let format = |p: &str, n: &str| (p.to_owned(), n.to_owned());
        let dc = format("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc/");
        let iso = format("iso19139", "http://www.isotc211.org/2005/gmd");
        let rdf = format("dcat_ap", "http://www.w3.org/1999/02/22-rdf-syntax-ns#");
        assert_eq!(
            choose_prefix(&[dc.clone(), iso.clone(), rdf]).as_deref(),
            Some("dcat_ap")
        );
        assert_eq!(
            choose_prefix(&[dc.clone(), iso]).as_deref(),
            Some("iso19139")
        );
        assert_eq!(choose_prefix(&[dc]).as_deref(), Some("oai_dc"));
        assert_eq!(choose_prefix(&[]), None);
    }
}
