//! `/feed`: the change feed, a Linked Data Event Stream paged with TREE.
//!
//! - The event stream `{base}/feed#stream` (`ldes:EventStream`, `ldt:catalogue` naming this
//!   catalogue) has `ldes:versionOfPath dct:isVersionOf`, `ldes:timestampPath
//!   prov:generatedAtTime`, `ldes:sequencePath ldt:sequence`, `ldes:versionUpdateObject
//!   as:Update`, `ldes:versionDeleteObject as:Delete`, and one view, the root node
//!   `{base}/feed` (with `?page_size=` when one is asked for), which declares `ldes:retentionPolicy [ a ldes:LatestVersionSubset ;
//!   ldes:amount 1 ]`: the feed keeps each record's latest change only.
//! - A page (`tree:Node`) `{base}/feed?after=N` lists the changes with a sequence number
//!   above `N`, in order, `page_size` of them (default 100, at most 1,000). Each member is a
//!   version node `{base}/resources/{id}#version-{sequence}` typed `as:Update` (the record
//!   as it is now, its description following in the page) or `as:Delete` (a tombstone), with
//!   `dct:isVersionOf` (the resource), `prov:generatedAtTime`, `ldt:sequence`, and, for
//!   updates, `ldt:originCatalogue`, `ldt:hops`, `ldt:path` and `ldt:contentHash`.
//! - A full page links the next one with a `tree:GreaterThanOrEqualToRelation` on
//!   `prov:generatedAtTime` (the last member's time) whose `tree:node` is
//!   `{base}/feed?after={last sequence}`: the cursor. The last page has no relation; a client
//!   polls it. Pages change as records change (a changed record moves to the end), so they
//!   are served with `Cache-Control: no-cache`.

use std::sync::Arc;

use axum::extract::{OriginalUri, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use ldtcat_store::{CatalogStore, FeedEntry};
use ldtcat_vocab::ns;
use oxrdf::{BlankNode, Literal, NamedNode, Term, Triple};

use super::document::{rdf_response, RdfSyntax};
use crate::error::{ApiError, ServeError};
use crate::state::{blocking, AppState, SiteSettings};

/// Changes per page when none is asked for.
pub const FEED_PAGE_SIZE: usize = 100;
/// The largest page served.
pub const FEED_MAX_PAGE_SIZE: usize = 1_000;

fn node(iri: impl Into<String>) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

fn at(namespace: &str, local: &str) -> NamedNode {
    node(format!("{namespace}{local}"))
}

/// What a page asks for.
struct FeedQuery {
    after: u64,
    page_size: usize,
    explicit_page_size: bool,
}

fn read_query(raw: Option<&str>) -> Result<FeedQuery, ServeError> {
    let mut query = FeedQuery {
        after: 0,
        page_size: FEED_PAGE_SIZE,
        explicit_page_size: false,
    };
    for (name, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        match name.as_ref() {
            "after" => {
                query.after = value.trim().parse().map_err(|_| {
                    ServeError::bad_parameter("after", "expected a sequence number (0 or more)")
                })?;
            }
            "page_size" => {
                let size: usize = value.trim().parse().map_err(|_| {
                    ServeError::bad_parameter("page_size", "expected a whole number")
                })?;
                query.page_size = size.clamp(1, FEED_MAX_PAGE_SIZE);
                query.explicit_page_size = true;
            }
            _ => {}
        }
    }
    Ok(query)
}

/// One change with what its member shows.
struct FeedItem {
    entry: FeedEntry,
    resource: String,
    hash: String,
    origin: Option<ldtcat_store::Origin>,
    description: Vec<Triple>,
}

fn load_items(store: &CatalogStore, entries: Vec<FeedEntry>) -> Result<Vec<FeedItem>, ServeError> {
    let mut items = Vec::with_capacity(entries.len());
    for entry in entries {
        let item = if entry.deleted {
            let Some(tombstone) = store.tombstone(&entry.record_id)? else {
                continue;
            };
            FeedItem {
                resource: tombstone.iri,
                hash: String::new(),
                origin: None,
                description: Vec::new(),
                entry,
            }
        } else {
            let Some(record) = store.record(&entry.record_id)? else {
                continue;
            };
            FeedItem {
                resource: record.iri,
                hash: record.hash,
                origin: record.origin,
                description: record.triples,
                entry,
            }
        };
        items.push(item);
    }
    Ok(items)
}

/// `GET /feed[.ttl|.jsonld|.rdf|.nt]`.
pub(crate) async fn feed(
    State(state): State<Arc<AppState>>,
    OriginalUri(uri): OriginalUri,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let path = uri.path().to_owned();
    let syntax = RdfSyntax::for_request(&path, "/feed", &headers)?;
    let query = read_query(raw.as_deref())?;
    let store = state.store.clone();
    let (after, limit) = (query.after, query.page_size);
    let (items, last_sequence) = blocking(move || -> Result<_, ServeError> {
        let entries = store.feed_after(after, limit)?;
        let last_sequence = store.last_sequence()?;
        Ok((load_items(&store, entries)?, last_sequence))
    })
    .await?;
    let page = FeedPage {
        site: &state.site,
        path: &path,
        query: &query,
        last_sequence,
    };
    let triples = page.triples(&items);
    let mut response = rdf_response(syntax, &triples, &[])?;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}

struct FeedPage<'a> {
    site: &'a SiteSettings,
    path: &'a str,
    query: &'a FeedQuery,
    last_sequence: u64,
}

impl FeedPage<'_> {
    /// The URL of the page after `after` (the root node for 0 without a page size).
    fn url(&self, after: u64) -> String {
        let mut pairs = Vec::new();
        if after > 0 {
            pairs.push(format!("after={after}"));
        }
        if self.query.explicit_page_size {
            pairs.push(format!("page_size={}", self.query.page_size));
        }
        if pairs.is_empty() {
            self.site.absolute_url(self.path)
        } else {
            self.site
                .absolute_url(&format!("{}?{}", self.path, pairs.join("&")))
        }
    }

    fn triples(&self, items: &[FeedItem]) -> Vec<Triple> {
        let site = self.site;
        let stream = node(site.absolute_url("/feed#stream"));
        let root = node(self.url(0));
        let this_page = node(self.url(self.query.after));
        let rdf_type = at(ns::RDF, "type");
        let mut out = Vec::new();
        let mut add = |s: NamedNode, p: NamedNode, o: Term| out.push(Triple::new(s, p, o));
        add(
            stream.clone(),
            rdf_type.clone(),
            at(ns::LDES, "EventStream").into(),
        );
        add(
            stream.clone(),
            at(ns::LDT, "catalogue"),
            node(site.catalogue_iri()).into(),
        );
        for (property, value) in [
            ("versionOfPath", at(ns::DCT, "isVersionOf")),
            ("timestampPath", at(ns::PROV, "generatedAtTime")),
            ("sequencePath", at(ns::LDT, "sequence")),
            ("versionUpdateObject", at(ns::ACTIVITY_STREAMS, "Update")),
            ("versionDeleteObject", at(ns::ACTIVITY_STREAMS, "Delete")),
        ] {
            add(stream.clone(), at(ns::LDES, property), value.into());
        }
        add(stream.clone(), at(ns::TREE, "view"), root.clone().into());
        // Fixed labels: the same page is the same bytes (its ETag depends on them).
        let policy = BlankNode::new_unchecked("retentionPolicy");
        out.push(Triple::new(
            root.clone(),
            at(ns::LDES, "retentionPolicy"),
            policy.clone(),
        ));
        out.push(Triple::new(
            policy.clone(),
            rdf_type.clone(),
            at(ns::LDES, "LatestVersionSubset"),
        ));
        out.push(Triple::new(
            policy,
            at(ns::LDES, "amount"),
            Literal::from(1_u64),
        ));
        out.push(Triple::new(
            this_page.clone(),
            rdf_type.clone(),
            at(ns::TREE, "Node"),
        ));
        if let Some(last) = items.last() {
            let full = items.len() >= self.query.page_size;
            if full && last.entry.sequence < self.last_sequence {
                self.relation(&mut out, &this_page, last);
            }
        }
        for item in items {
            self.member(&mut out, &stream, item);
        }
        out
    }

    /// The relation to the next page, whose members all come later than `last`.
    fn relation(&self, out: &mut Vec<Triple>, this_page: &NamedNode, last: &FeedItem) {
        let relation = BlankNode::new_unchecked("nextRelation");
        let next = node(self.url(last.entry.sequence));
        out.push(Triple::new(
            this_page.clone(),
            at(ns::TREE, "relation"),
            relation.clone(),
        ));
        out.push(Triple::new(
            relation.clone(),
            at(ns::RDF, "type"),
            at(ns::TREE, "GreaterThanOrEqualToRelation"),
        ));
        out.push(Triple::new(relation.clone(), at(ns::TREE, "node"), next));
        out.push(Triple::new(
            relation.clone(),
            at(ns::TREE, "path"),
            at(ns::PROV, "generatedAtTime"),
        ));
        if let Some(time) = timestamp(&last.entry) {
            out.push(Triple::new(relation, at(ns::TREE, "value"), time));
        }
    }

    fn member(&self, out: &mut Vec<Triple>, stream: &NamedNode, item: &FeedItem) {
        let entry = &item.entry;
        let version = node(self.site.absolute_url(&format!(
            "/resources/{}#version-{}",
            entry.record_id, entry.sequence
        )));
        let mut add = |p: NamedNode, o: Term| out.push(Triple::new(version.clone(), p, o));
        let class = if entry.deleted { "Delete" } else { "Update" };
        add(at(ns::RDF, "type"), at(ns::ACTIVITY_STREAMS, class).into());
        add(at(ns::DCT, "isVersionOf"), node(&item.resource).into());
        add(
            at(ns::LDT, "sequence"),
            Literal::from(entry.sequence).into(),
        );
        if let Some(time) = timestamp(entry) {
            add(at(ns::PROV, "generatedAtTime"), time.into());
        }
        if !entry.deleted {
            let (origin, hops, path) = match &item.origin {
                Some(origin) => (
                    origin.catalogue.clone(),
                    origin.hops(),
                    origin.path.join(" "),
                ),
                None => (self.site.catalogue_iri(), 0, String::new()),
            };
            add(at(ns::LDT, "originCatalogue"), node(origin).into());
            add(at(ns::LDT, "hops"), Literal::from(hops).into());
            add(
                at(ns::LDT, "path"),
                Literal::new_simple_literal(path).into(),
            );
            add(
                at(ns::LDT, "contentHash"),
                Literal::new_simple_literal(&item.hash).into(),
            );
        }
        out.push(Triple::new(stream.clone(), at(ns::TREE, "member"), version));
        out.extend(item.description.iter().cloned());
    }
}

fn timestamp(entry: &FeedEntry) -> Option<Literal> {
    entry.changed_at.map(|time| {
        Literal::new_typed_literal(
            time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            at(ns::XSD, "dateTime"),
        )
    })
}
