//! CKAN sources: the Action API's `package_search`, paged with the stable sort `id asc` (as
//! ckanext-harvest does, so that pages do not shift while they are read), optionally only
//! packages modified since the last run (`fq=metadata_modified:[T TO *]`). Each page of
//! packages is mapped to DCAT-AP (see [`crate::ckan_map`]) and handed on as N-Triples.

use std::io::Read;
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use url::Url;

use crate::body::PageBody;
use crate::ckan_map::{map_packages, Package};
use crate::fetch::Fetched;
use crate::kinds::{PageRequest, SourceReader};
use crate::page::Page;
use crate::pager::{with_query, PagerEvent};
use crate::HarvestError;

/// Where a CKAN harvest is.
pub struct CkanCursor {
    endpoint: Url,
    site: Url,
    rows: u64,
    start: u64,
    count: Option<u64>,
    modified_since: Option<DateTime<Utc>>,
    done: bool,
}

#[derive(Deserialize)]
struct Answer {
    success: bool,
    result: Option<SearchResult>,
    error: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct SearchResult {
    count: u64,
    results: Vec<Package>,
}

impl CkanCursor {
    /// A cursor on the site at `url` (the site root, or the `package_search` URL itself).
    pub fn new(url: &Url, rows: u64, modified_since: Option<DateTime<Utc>>) -> CkanCursor {
        let text = url.as_str().trim_end_matches('/');
        let (site, endpoint) = match text.find("/api/") {
            Some(at) => (text[..at].to_owned(), text.to_owned()),
            None => (
                text.to_owned(),
                format!("{text}/api/3/action/package_search"),
            ),
        };
        CkanCursor {
            endpoint: Url::parse(&endpoint).unwrap_or_else(|_| url.clone()),
            site: Url::parse(&format!("{site}/")).unwrap_or_else(|_| url.clone()),
            rows,
            start: 0,
            count: None,
            modified_since,
            done: false,
        }
    }

    /// The URL of the next page, or `None` when all were read.
    fn next_page_url(&self) -> Option<Url> {
        if self.done {
            return None;
        }
        let mut pairs = vec![
            ("q", "*:*".to_owned()),
            ("sort", "id asc".to_owned()),
            ("rows", self.rows.to_string()),
            ("start", self.start.to_string()),
        ];
        if let Some(since) = self.modified_since {
            pairs.push((
                "fq",
                format!(
                    "metadata_modified:[{} TO *]",
                    since.to_rfc3339_opts(SecondsFormat::Secs, true)
                ),
            ));
        }
        Some(with_query(&self.endpoint, &pairs))
    }

    /// After a failed page: skip it when the total is known and more pages remain.
    fn skip_failed_page(&mut self) -> bool {
        match self.count {
            Some(count) if self.start + self.rows < count => {
                self.start += self.rows;
                true
            }
            _ => {
                self.done = true;
                false
            }
        }
    }

    /// Maps one fetched `package_search` answer to a page of DCAT-AP.
    fn page(&mut self, fetched: Fetched) -> Result<Page, HarvestError> {
        let url = fetched.url.clone();
        let (count, n_packages, ntriples, notes) = parse_and_map(&fetched.body, &self.site)
            .map_err(|message| HarvestError::Unexpected {
                url: url.to_string(),
                message,
            })?;
        self.count = Some(count);
        self.start += self.rows;
        if n_packages < self.rows || self.start >= count {
            self.done = true;
        }
        Ok(Page {
            url,
            body: PageBody::Memory(Arc::new(ntriples.into_bytes())),
            format: oxrdfio::RdfFormat::NTriples,
            bytes: fetched.bytes,
            validators: fetched.validators,
            notes,
            record_errors: Vec::new(),
            deleted: Vec::new(),
            participants: crate::page::Participants::default(),
            listed: None,
        })
    }
}

impl SourceReader for CkanCursor {
    fn accept(&self) -> String {
        "application/json".to_owned()
    }

    fn honours_format(&self) -> bool {
        false
    }

    fn next_request(&mut self) -> Option<PageRequest> {
        self.next_page_url().map(PageRequest::get)
    }

    fn read(&mut self, fetched: Fetched) -> PagerEvent {
        match self.page(fetched) {
            Ok(page) => PagerEvent::Page(page),
            Err(error) => PagerEvent::failed(error),
        }
    }

    fn after_failure(&mut self) -> bool {
        self.skip_failed_page()
    }
}

type Mapped = (u64, u64, String, Vec<String>);

fn parse_and_map(body: &PageBody, site: &Url) -> Result<Mapped, String> {
    let mut text = Vec::new();
    body.open()
        .and_then(|mut reader| reader.read_to_end(&mut text))
        .map_err(|error| format!("cannot read the answer: {error}"))?;
    let answer: Answer = serde_json::from_slice(&text)
        .map_err(|error| format!("not a package_search answer: {error}"))?;
    if !answer.success {
        return Err(format!(
            "CKAN says success=false: {}",
            answer.error.map(|e| e.to_string()).unwrap_or_default()
        ));
    }
    let result = answer
        .result
        .ok_or_else(|| "no `result` in the answer".to_owned())?;
    let n_packages = result.results.len() as u64;
    let (ntriples, notes) = map_packages(&result.results, site);
    Ok((result.count, n_packages, ntriples, notes))
}
