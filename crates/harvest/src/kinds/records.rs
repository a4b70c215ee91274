//! `ogcapi-records` sources: an OGC API – Records collection's `items`, page by page through
//! its `next` links (`limit` = the source's page size on the first request), each page's
//! records mapped back to DCAT-AP by [`crate::records_map`] and handed on as N-Triples.
//!
//! Incremental runs add `datetime={last run}/..` to the first request (or, with
//! `options.incremental_parameter`, `{that parameter}={last run}`): right for servers whose
//! `datetime` applies to the record's update time (pygeoapi with `time_field: updated`);
//! an ldtcat server filters `datetime` on temporal coverage and offers `modified_since`.
//! A page whose body has the SHA-256 of the last complete run's page at that URL is not
//! parsed ([`PagerEvent::Unchanged`]), as for `dcat` sources.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;

use chrono::SecondsFormat;
use ldtcat_config::SourceConfig;
use serde_json::Value;
use url::Url;

use crate::body::PageBody;
use crate::fetch::Fetched;
use crate::kinds::{PageRequest, SourceReader};
use crate::page::Page;
use crate::pager::{KnownPage, PagerEvent, PagerStart};
use crate::records_map::map_records;
use crate::HarvestError;

/// Where a Records harvest is.
pub struct RecordsReader {
    next: Option<Url>,
    known_pages: HashMap<String, KnownPage>,
    last_digest: Option<String>,
}

/// The `items` URL of a configured collection (or items) URL, with `limit` and the
/// incremental filter added.
fn first_page(source: &SourceConfig, start: &PagerStart) -> Url {
    let mut url = source.url.clone();
    let ends_with_items = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .is_some_and(|last| last == "items");
    if !ends_with_items {
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().push("items");
        }
    }
    let has = |name: &str| url.query_pairs().any(|(key, _)| key == name);
    let mut pairs: Vec<(String, String)> = Vec::new();
    if !has("limit") {
        pairs.push(("limit".to_owned(), source.options.page_size.to_string()));
    }
    if let Some(since) = start.modified_since {
        let since = since.to_rfc3339_opts(SecondsFormat::Secs, true);
        match source.options.incremental_parameter.as_deref() {
            None | Some("datetime") => pairs.push(("datetime".to_owned(), format!("{since}/.."))),
            Some(parameter) => pairs.push((parameter.to_owned(), since)),
        }
    }
    if !pairs.is_empty() {
        url.query_pairs_mut().extend_pairs(pairs);
    }
    url
}

/// The `next` link of a page: a JSON or untyped one first, resolved against the page URL.
fn next_link(page: &Value, page_url: &Url) -> Option<Url> {
    let links = page.get("links")?.as_array()?;
    let next: Vec<&Value> = links
        .iter()
        .filter(|l| l.get("rel").and_then(Value::as_str) == Some("next"))
        .collect();
    let is_json = |link: &&&Value| {
        link.get("type")
            .and_then(Value::as_str)
            .is_none_or(|t| t.contains("json"))
    };
    let chosen = next.iter().find(is_json).or_else(|| next.first())?;
    let href = chosen.get("href")?.as_str()?;
    page_url.join(href).ok()
}

impl RecordsReader {
    /// A reader at the source's first page.
    pub fn new(source: &SourceConfig, start: &PagerStart) -> RecordsReader {
        RecordsReader {
            next: Some(first_page(source, start)),
            known_pages: start.known_pages.clone(),
            last_digest: None,
        }
    }

    fn page(&mut self, fetched: Fetched) -> Result<Page, HarvestError> {
        let url = fetched.url.clone();
        let unexpected = |message: String| HarvestError::Unexpected {
            url: url.to_string(),
            message,
        };
        let mut text = Vec::new();
        fetched
            .body
            .open()
            .and_then(|mut reader| reader.read_to_end(&mut text))
            .map_err(|error| unexpected(format!("cannot read the answer: {error}")))?;
        let answer: Value = serde_json::from_slice(&text)
            .map_err(|error| unexpected(format!("not JSON: {error}")))?;
        let features = answer
            .get("features")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                unexpected("not a record collection (no `features` array)".to_owned())
            })?;
        self.next = next_link(&answer, &url);
        let mapped = map_records(features, &url);
        let mut notes = Vec::new();
        if let Some(content_type) = fetched
            .content_type
            .as_deref()
            .filter(|c| !c.contains("json"))
        {
            notes.push(format!(
                "{url}: Content-Type `{content_type}` is not JSON; read as JSON"
            ));
        }
        Ok(Page {
            url,
            body: PageBody::Memory(Arc::new(mapped.ntriples.into_bytes())),
            format: oxrdfio::RdfFormat::NTriples,
            bytes: fetched.bytes,
            validators: fetched.validators,
            notes,
            record_errors: mapped.skipped,
            deleted: Vec::new(),
            participants: crate::page::Participants::default(),
            listed: None,
        })
    }
}

impl SourceReader for RecordsReader {
    fn accept(&self) -> String {
        "application/geo+json, application/json;q=0.9".to_owned()
    }

    fn honours_format(&self) -> bool {
        false
    }

    fn next_request(&mut self) -> Option<PageRequest> {
        self.next.take().map(PageRequest::get)
    }

    fn read(&mut self, fetched: Fetched) -> PagerEvent {
        let digest = fetched.body.sha256_hex().ok();
        let known = self.known_pages.get(fetched.url.as_str());
        if let (Some(digest), Some(known)) = (&digest, known) {
            if *digest == known.digest {
                self.next = known.next.as_deref().and_then(|n| Url::parse(n).ok());
                self.last_digest = Some(digest.clone());
                return PagerEvent::Unchanged {
                    url: fetched.url,
                    bytes: fetched.bytes,
                };
            }
        }
        self.last_digest = digest;
        match self.page(fetched) {
            Ok(page) => PagerEvent::Page(page),
            Err(error) => PagerEvent::failed(error),
        }
    }

    fn next_url(&self) -> Option<&Url> {
        self.next.as_ref()
    }

    fn last_digest(&self) -> Option<&str> {
        self.last_digest.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn next_links_prefer_json_and_resolve_against_the_page() {
        let page_url =
            Url::parse("https://r.example.org/collections/c/items?limit=2").expect("url");
        let page = json!({"links": [
            {"rel": "next", "type": "text/html", "href": "items?f=html&offset=2"},
            {"rel": "next", "type": "application/geo+json", "href": "items?offset=2"},
        ]});
        assert_eq!(
            next_link(&page, &page_url)
                .map(|u| u.to_string())
                .as_deref(),
            Some("https://r.example.org/collections/c/items?offset=2")
        );
        assert_eq!(next_link(&json!({"links": []}), &page_url), None);
    }
}
