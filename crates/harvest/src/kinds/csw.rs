//! `csw` sources: an OGC CSW 2.0.2 catalogue. `GetCapabilities` first (which output schemas
//! `GetRecords` offers, whether it takes `POST`), then `GetRecords` pages (`resultType=results`,
//! ISO 19139 when offered, else Dublin Core; POST XML, or GET KVP when the server takes no
//! POST or refuses the first POST), paged by `startPosition` / `nextRecord` /
//! `numberOfRecordsMatched`. A `nextRecord` that does not move forward is a reported error
//! that ends the run, never a loop. Each record is mapped on its own
//! ([`crate::xml_records`]).

use chrono::{DateTime, Utc};
use ldtcat_config::{CswConstraint, CswOutputSchema, SourceConfig};
use url::Url;

use super::csw_request::{
    choose_schema, exception_text, read_capabilities, record_by_id_url, Capabilities, GetRecords,
};
use crate::fetch::Fetched;
use crate::kinds::{PageRequest, SourceReader};
use crate::pager::{with_query, PagerEvent};
use crate::xml::{parse_document, walk, WalkEvent};
use crate::xml_records::{is_record, record_identifier, RecordPage};
use crate::HarvestError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Capabilities,
    Records,
    Done,
}

/// Where a CSW harvest is.
pub struct CswReader {
    source_id: String,
    endpoint: Url,
    page_size: u64,
    constraint: Option<CswConstraint>,
    configured_schema: Option<CswOutputSchema>,
    modified_since: Option<DateTime<Utc>>,
    phase: Phase,
    capabilities: Capabilities,
    schema: CswOutputSchema,
    use_get: bool,
    start: u64,
    matched: Option<u64>,
    pages_read: u64,
    last_was_post: bool,
}

/// What one `GetRecords` answer said about paging.
#[derive(Debug, Default)]
struct SearchResults {
    matched: Option<u64>,
    returned: Option<u64>,
    next: Option<u64>,
}

fn number(element: &crate::xml::Element, name: &str) -> Option<u64> {
    element.attribute(name).and_then(|v| v.parse().ok())
}

impl CswReader {
    /// A reader at the source's capabilities.
    pub fn new(source: &SourceConfig, modified_since: Option<DateTime<Utc>>) -> CswReader {
        CswReader {
            source_id: source.id.clone(),
            endpoint: source.url.clone(),
            page_size: source.options.page_size,
            constraint: source.options.constraint.clone(),
            configured_schema: source.options.output_schema,
            modified_since,
            phase: Phase::Capabilities,
            capabilities: Capabilities::default(),
            schema: source
                .options
                .output_schema
                .unwrap_or(CswOutputSchema::Iso19139),
            use_get: false,
            start: 1,
            matched: None,
            pages_read: 0,
            last_was_post: false,
        }
    }

    fn capabilities_page(&mut self, fetched: Fetched) -> PagerEvent {
        let text = match read_all(&fetched) {
            Ok(text) => text,
            Err(error) => return PagerEvent::failed(error),
        };
        let capabilities = parse_document(&text)
            .map_err(|e| e.to_string())
            .and_then(|root| read_capabilities(&root));
        let capabilities = match capabilities {
            Ok(capabilities) => capabilities,
            Err(message) => {
                return PagerEvent::failed(HarvestError::Unexpected {
                    url: fetched.url.to_string(),
                    message: format!("GetCapabilities: {message}"),
                })
            }
        };
        self.phase = Phase::Records;
        self.schema = choose_schema(self.configured_schema, &capabilities);
        self.use_get = capabilities.post_url.is_none() && capabilities.get_url.is_some();
        let note = format!(
            "{}: CSW GetRecords in {} by {}",
            fetched.url,
            match self.schema {
                CswOutputSchema::Iso19139 => "ISO 19139",
                CswOutputSchema::DublinCore => "Dublin Core",
            },
            if self.use_get {
                "GET (no POST offered)"
            } else {
                "POST"
            }
        );
        self.capabilities = capabilities;
        let page = RecordPage::new(&self.source_id).into_page(fetched, vec![note]);
        PagerEvent::Page(page)
    }

    fn request(&self) -> GetRecords<'_> {
        GetRecords {
            schema: self.schema,
            start: self.start,
            max_records: self.page_size,
            constraint: self.constraint.as_ref(),
            modified_since: self.modified_since,
        }
    }

    fn by_id_endpoint(&self) -> &Url {
        self.capabilities
            .by_id_url
            .as_ref()
            .or(self.capabilities.get_url.as_ref())
            .unwrap_or(&self.endpoint)
    }

    fn records_page(&mut self, fetched: Fetched) -> PagerEvent {
        let url = fetched.url.to_string();
        let text = match read_all(&fetched) {
            Ok(text) => text,
            Err(error) => return PagerEvent::failed(error),
        };
        let mut page = RecordPage::new(&self.source_id);
        let mut results = SearchResults::default();
        let mut root: Option<String> = None;
        let mut exception = None;
        let (schema, by_id) = (self.schema, self.by_id_endpoint().clone());
        let walked = walk(
            &text[..],
            &|e| is_record(e) || e.is("ows:ExceptionReport"),
            &mut |event| match event {
                WalkEvent::Start { element, depth } => {
                    if depth == 0 {
                        root = Some(format!("{}{}", element.namespace, element.local));
                    }
                    if element.is("csw:SearchResults") {
                        results = SearchResults {
                            matched: number(element, "numberOfRecordsMatched"),
                            returned: number(element, "numberOfRecordsReturned"),
                            next: number(element, "nextRecord"),
                        };
                    }
                }
                WalkEvent::Captured(element) if element.is("ows:ExceptionReport") => {
                    exception = Some(exception_text(&element));
                }
                WalkEvent::Captured(record) => {
                    let original =
                        record_identifier(&record).map(|id| record_by_id_url(&by_id, &id, schema));
                    page.add(&record, None, original);
                }
            },
        );
        if let Some(exception) = exception {
            return self.unexpected(&url, exception);
        }
        let expected_root = "http://www.opengis.net/cat/csw/2.0.2GetRecordsResponse";
        if root.as_deref() != Some(expected_root) {
            let found = match (&root, &walked) {
                (Some(root), _) => format!("root element {root}"),
                (None, Err(error)) => error.to_string(),
                (None, Ok(())) => "an empty document".to_owned(),
            };
            return self.unexpected(&url, format!("not a CSW GetRecords answer: {found}"));
        }
        let mut notes = Vec::new();
        if let Err(error) = walked {
            page.errors.push(format!(
                "{url}: {error}: the records after it in this answer are lost; the run is not complete"
            ));
        }
        if let Some(problem) = self.advance(&results) {
            page.errors.push(format!("{url}: {problem}"));
        }
        if results.matched == Some(0) {
            notes.push(format!("{url}: the catalogue matched no records"));
        }
        self.pages_read += 1;
        PagerEvent::Page(page.into_page(fetched, notes))
    }

    /// Moves to the next page after `results`; a problem when paging cannot go on safely.
    fn advance(&mut self, results: &SearchResults) -> Option<String> {
        self.matched = results.matched.or(self.matched);
        let returned = results.returned.unwrap_or(0);
        let next = match results.next {
            Some(0) => {
                self.phase = Phase::Done;
                return None;
            }
            Some(next) => next,
            None if returned == 0 => {
                self.phase = Phase::Done;
                return None;
            }
            None => self.start + returned,
        };
        if next <= self.start {
            self.phase = Phase::Done;
            return Some(format!(
                "nextRecord {next} does not move past startPosition {}: paging stops here",
                self.start
            ));
        }
        self.start = next;
        if self.matched.is_some_and(|matched| next > matched) || returned == 0 {
            self.phase = Phase::Done;
        }
        None
    }

    fn unexpected(&mut self, url: &str, message: String) -> PagerEvent {
        PagerEvent::failed(HarvestError::Unexpected {
            url: url.to_owned(),
            message,
        })
    }
}

fn read_all(fetched: &Fetched) -> Result<Vec<u8>, HarvestError> {
    use std::io::Read as _;
    let mut text = Vec::new();
    fetched
        .body
        .open()
        .and_then(|mut reader| reader.read_to_end(&mut text))
        .map_err(|source| HarvestError::Io {
            url: fetched.url.to_string(),
            source,
        })?;
    Ok(text)
}

impl SourceReader for CswReader {
    fn accept(&self) -> String {
        "application/xml, text/xml;q=0.9, */*;q=0.1".to_owned()
    }

    fn honours_format(&self) -> bool {
        false
    }

    fn next_request(&mut self) -> Option<PageRequest> {
        match self.phase {
            Phase::Done => None,
            Phase::Capabilities => Some(PageRequest::get(with_query(
                &self.endpoint,
                &[
                    ("service", "CSW".to_owned()),
                    ("version", "2.0.2".to_owned()),
                    ("request", "GetCapabilities".to_owned()),
                ],
            ))),
            Phase::Records if self.use_get => {
                self.last_was_post = false;
                let endpoint = self.capabilities.get_url.as_ref().unwrap_or(&self.endpoint);
                Some(PageRequest::get(self.request().get_url(endpoint)))
            }
            Phase::Records => {
                self.last_was_post = true;
                let endpoint = self
                    .capabilities
                    .post_url
                    .clone()
                    .unwrap_or_else(|| self.endpoint.clone());
                Some(PageRequest::post(
                    endpoint,
                    self.request().post_body(),
                    "application/xml",
                ))
            }
        }
    }

    fn read(&mut self, fetched: Fetched) -> PagerEvent {
        match self.phase {
            Phase::Capabilities => self.capabilities_page(fetched),
            _ => self.records_page(fetched),
        }
    }

    fn after_failure(&mut self) -> bool {
        match self.phase {
            // Capabilities could not be read: try GetRecords with the defaults.
            Phase::Capabilities => {
                self.phase = Phase::Records;
                true
            }
            // The first POST was refused: the same page by GET.
            Phase::Records if self.last_was_post && self.pages_read == 0 && !self.use_get => {
                self.use_get = true;
                true
            }
            // A later page failed: skip it when the total says more remain.
            Phase::Records => match self.matched {
                Some(matched) if self.start + self.page_size <= matched => {
                    self.start += self.page_size;
                    true
                }
                _ => {
                    self.phase = Phase::Done;
                    false
                }
            },
            Phase::Done => false,
        }
    }
}
