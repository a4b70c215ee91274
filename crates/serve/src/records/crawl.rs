//! The crawlable catalogue (Records' `crawlable-catalog` class): `GET /ogc/collections/{id}`
//! is the collection's catalogue document with an `item` link to each of its records
//! (`/req/record-collection/links-record`), a page at a time in record-id order. The pages
//! are a series of related catalogues, each with a `next` link to the following one
//! (`/req/record-collection/links-catalog-series`): `limit` records per page (default
//! [`CRAWL_LIMIT`], at most [`MAX_LIMIT`]) after the record id `after`. A crawler that
//! follows `next` reads every record of the collection once, even while records are added
//! (the cursor is the last id read). `/ogc/collections` lists the same documents without
//! their record links.

use std::sync::Arc;

use ldtcat_index::{FacetField, FacetFilter, SearchHit, SortOrder};
use serde_json::{json, Value};

use super::respond::GEO_JSON;
use super::{CollectionId, Urls, MAX_LIMIT};
use crate::error::ServeError;
use crate::query::{decode_pairs, SearchParams};
use crate::state::AppState;

/// Record links per catalogue page when `limit` is not given.
pub const CRAWL_LIMIT: usize = 100;
/// The longest `after` accepted (record ids are far shorter).
const MAX_AFTER_LEN: usize = 256;

/// Which page of a collection's record links is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CrawlPage {
    /// Record links on the page.
    pub limit: usize,
    /// The record id the page starts after (`None`: the first page).
    pub after: Option<String>,
}

impl CrawlPage {
    /// Reads `limit` and `after` (other parameters are the document's or ignored).
    pub(crate) fn parse(raw_query: Option<&str>) -> Result<CrawlPage, ServeError> {
        let mut page = CrawlPage {
            limit: CRAWL_LIMIT,
            after: None,
        };
        for (name, value) in decode_pairs(raw_query.unwrap_or(""))? {
            let value = value.trim();
            match name.as_str() {
                "limit" => {
                    page.limit = value
                        .parse::<usize>()
                        .ok()
                        .filter(|n| (1..=MAX_LIMIT).contains(n))
                        .ok_or_else(|| {
                            ServeError::bad_parameter(
                                "limit",
                                format!(
                                    "expected a whole number from 1 to {MAX_LIMIT}, got `{value}`"
                                ),
                            )
                        })?;
                }
                "after" if value.len() > MAX_AFTER_LEN => {
                    return Err(ServeError::bad_parameter(
                        "after",
                        "not a record id (too long)",
                    ))
                }
                "after" if !value.is_empty() => page.after = Some(value.to_owned()),
                _ => {}
            }
        }
        Ok(page)
    }

    /// The query string of this page (empty for the first page with the default limit).
    pub(crate) fn query(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if self.limit != CRAWL_LIMIT {
            query.append_pair("limit", &self.limit.to_string());
        }
        if let Some(after) = &self.after {
            query.append_pair("after", after);
        }
        query.finish()
    }
}

/// The records of one catalogue page, and the page after it if there are more.
pub(crate) struct CrawlRecords {
    pub hits: Vec<SearchHit>,
    pub next: Option<CrawlPage>,
}

/// Reads the page's records from the index, in id order (one more than the page, to know
/// whether a next page exists).
pub(crate) async fn crawl_records(
    state: &Arc<AppState>,
    collection: CollectionId,
    page: &CrawlPage,
) -> Result<CrawlRecords, ServeError> {
    let mut params = SearchParams::default();
    if let Some(kind) = collection.kind() {
        params.filters.push(FacetFilter {
            field: FacetField::Kind,
            value: kind.as_str().to_owned(),
        });
    }
    let mut request = params.to_request()?;
    request.sort = SortOrder::Id;
    request.limit = page.limit + 1;
    request.offset = 0;
    request.facets = false;
    request.after_id = page.after.clone();
    let (results, _, _) = crate::compat::run_request(state, &params, request, false).await?;
    let mut hits = results.hits;
    let next = if hits.len() > page.limit {
        hits.truncate(page.limit);
        hits.last().map(|last| CrawlPage {
            limit: page.limit,
            after: Some(last.id.clone()),
        })
    } else {
        None
    };
    Ok(CrawlRecords { hits, next })
}

fn with_query(url: &str, query: &str, f: Option<&str>) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !query.is_empty() {
        parts.push(query.to_owned());
    }
    if let Some(f) = f {
        parts.push(format!("f={f}"));
    }
    if parts.is_empty() {
        url.to_owned()
    } else {
        format!("{url}?{}", parts.join("&"))
    }
}

/// Makes `document` (a collection's description) the catalogue page `page`: its `self` and
/// `alternate` links name the page, an `item` link per record, `next` to the next page.
pub(crate) fn add_record_links(
    document: &mut Value,
    urls: &Urls,
    collection: CollectionId,
    page: &CrawlPage,
    records: &CrawlRecords,
) {
    let url = urls.collection(collection);
    let here = page.query();
    let Some(links) = document["links"].as_array_mut() else {
        return;
    };
    for link in links.iter_mut() {
        let f = match (link["rel"].as_str(), link["href"].as_str()) {
            (Some("self"), _) => None,
            (Some("alternate"), Some(href)) if href.starts_with(&url) => Some("html"),
            _ => continue,
        };
        link["href"] = json!(with_query(&url, &here, f));
    }
    for hit in &records.hits {
        links.push(json!({
            "href": urls.item(collection, &hit.id),
            "rel": "item",
            "type": GEO_JSON,
            "title": hit.title,
        }));
    }
    if let Some(next) = &records.next {
        links.push(json!({
            "href": with_query(&url, &next.query(), None),
            "rel": "next",
            "type": "application/json",
            "title": "The next page of this catalogue's records",
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_read_and_write_their_limit_and_cursor() -> Result<(), ServeError> {
        assert_eq!(
            CrawlPage::parse(None)?,
            CrawlPage {
                limit: CRAWL_LIMIT,
                after: None
            }
        );
        let page = CrawlPage::parse(Some("limit=5&after=abc&f=json&language=fr"))?;
        assert_eq!(page.limit, 5);
        assert_eq!(page.after.as_deref(), Some("abc"));
        assert_eq!(CrawlPage::parse(Some(&page.query()))?, page);
        assert_eq!(CrawlPage::parse(Some("after="))?.after, None);
        for bad in ["limit=0", "limit=1001", "limit=x", "limit=-1"] {
            let message = CrawlPage::parse(Some(bad))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(message.contains("`limit`"), "{bad}: {message}");
        }
        let long = format!("after={}", "a".repeat(MAX_AFTER_LEN + 1));
        assert!(CrawlPage::parse(Some(&long)).is_err());
        Ok(())
    }
}
