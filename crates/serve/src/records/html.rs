//! The HTML pages of the Records API, in the site's look: every JSON document has one
//! (links, collections, conformance classes, queryables), the records a search page and a
//! record page. Everything shown comes from the JSON document, so both say the same.

use std::sync::Arc;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;

use super::items::{next_position, prev_position, ItemsPage};
use super::params::ItemsQuery;
use super::properties::is_web_url;
use super::{CollectionId, Urls};
use crate::error::ServeError;
use crate::html::{render_page, Layout};
use crate::query::datetime_text;
use crate::state::AppState;

/// A link as a table row.
pub(crate) struct LinkView {
    rel: String,
    href: String,
    title: String,
    media_type: String,
    is_web: bool,
}

fn text_of(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

fn link_views(document: &Value) -> Vec<LinkView> {
    document
        .get("links")
        .and_then(Value::as_array)
        .map(|links| {
            links
                .iter()
                .map(|link| {
                    let href = text_of(link, "href");
                    let title = text_of(link, "title");
                    LinkView {
                        rel: text_of(link, "rel"),
                        is_web: is_web_url(&href),
                        title: if title.is_empty() {
                            href.clone()
                        } else {
                            title
                        },
                        href,
                        media_type: text_of(link, "type"),
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A collection in the list of collections.
struct CollectionView {
    id: String,
    title: String,
    description: String,
    href: String,
    items_href: String,
}

#[derive(Template)]
#[template(path = "ogc/document.html")]
struct DocumentPage {
    layout: Layout,
    landing: String,
    heading: String,
    description: String,
    links: Vec<LinkView>,
    collections: Vec<CollectionView>,
    classes: Vec<String>,
    properties: Vec<(String, String, String)>,
    json_href: String,
}

/// The HTML page of a JSON document.
pub(crate) fn document_page(
    state: &Arc<AppState>,
    page_title: &str,
    body: &Value,
) -> Result<Response, ServeError> {
    let urls = Urls::new(&state.site);
    let heading = match text_of(body, "title") {
        title if title.is_empty() => page_title.to_owned(),
        title => title,
    };
    let collections = body
        .get("collections")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|c| {
                    let id = text_of(c, "id");
                    let collection = CollectionId::parse(&id);
                    CollectionView {
                        title: text_of(c, "title"),
                        description: text_of(c, "description"),
                        href: collection
                            .map(|c| format!("{}?f=html", urls.collection(c)))
                            .unwrap_or_default(),
                        items_href: collection
                            .map(|c| format!("{}?f=html", urls.items(c)))
                            .unwrap_or_default(),
                        id,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let classes = body
        .get("conformsTo")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let properties = body
        .get("properties")
        .and_then(Value::as_object)
        .map(|map| {
            map.iter()
                .map(|(name, p)| (name.clone(), text_of(p, "type"), text_of(p, "description")))
                .collect()
        })
        .unwrap_or_default();
    let self_href = body
        .get("links")
        .and_then(Value::as_array)
        .and_then(|links| links.iter().find(|l| text_of(l, "rel") == "self"))
        .map(|l| text_of(l, "href"))
        .or_else(|| body.get("$id").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_else(|| urls.landing());
    let page = DocumentPage {
        layout: Layout::new(&state.site, heading.clone()),
        landing: urls.landing(),
        description: text_of(body, "description"),
        links: link_views(body),
        collections,
        classes,
        properties,
        json_href: format!(
            "{self_href}{}f=json",
            if self_href.contains('?') { '&' } else { '?' }
        ),
        heading,
    };
    render_page(StatusCode::OK, &page)
}

struct RecordRow {
    href: String,
    title: String,
    kind: String,
    description: String,
}

#[derive(Template)]
#[template(path = "ogc/items.html")]
struct ItemsHtml {
    layout: Layout,
    landing: String,
    collection_title: String,
    collection_href: String,
    items_href: String,
    q: String,
    bbox: String,
    datetime: String,
    number_matched: usize,
    number_returned: usize,
    first_shown: usize,
    last_shown: usize,
    records: Vec<RecordRow>,
    next_href: Option<String>,
    prev_href: Option<String>,
    json_href: String,
}

/// The HTML page of a search.
pub(crate) fn items_page(
    state: &Arc<AppState>,
    collection: CollectionId,
    query: &ItemsQuery,
    page: &ItemsPage,
) -> Result<Response, ServeError> {
    let urls = Urls::new(&state.site);
    let items = urls.items(collection);
    let href = |query_string: String| format!("{items}?{query_string}");
    let records = page
        .features
        .iter()
        .map(|feature| {
            let properties = feature.get("properties").cloned().unwrap_or(Value::Null);
            let id = text_of(feature, "id");
            let mut description = text_of(&properties, "description");
            if description.chars().count() > 300 {
                description = description.chars().take(300).collect::<String>() + "…";
            }
            RecordRow {
                href: format!("{items}/{id}?f=html"),
                title: text_of(&properties, "title"),
                kind: text_of(&properties, "type"),
                description,
            }
        })
        .collect();
    let offset = query.position.offset();
    let view = ItemsHtml {
        layout: Layout::new(&state.site, collection.title())
            .with_query(query.q.as_deref().unwrap_or("")),
        landing: urls.landing(),
        collection_title: collection.title(),
        collection_href: urls.collection(collection),
        items_href: items.clone(),
        q: query.q.clone().unwrap_or_default(),
        bbox: query
            .search
            .bbox
            .as_ref()
            .map(crate::query::bbox_text)
            .unwrap_or_default(),
        datetime: query
            .search
            .datetime
            .as_ref()
            .map(datetime_text)
            .unwrap_or_default(),
        number_matched: page.number_matched,
        number_returned: page.hits.len(),
        first_shown: offset + 1,
        last_shown: offset + page.hits.len(),
        records,
        next_href: next_position(query, page).map(|p| href(query.query_at(&p, Some("html")))),
        prev_href: prev_position(query).map(|p| href(query.query_at(&p, Some("html")))),
        json_href: href(query.query_at(&query.position, Some("json"))),
    };
    render_page(StatusCode::OK, &view)
}

#[derive(Template)]
#[template(path = "ogc/record.html")]
struct RecordHtml {
    layout: Layout,
    landing: String,
    collection_title: String,
    collection_href: String,
    title: String,
    kind: String,
    description: String,
    resource_href: String,
    properties: Vec<(String, String)>,
    links: Vec<LinkView>,
    json_href: String,
}

/// A property value in one line of text.
fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join("; "),
        Value::Object(map) => map
            .iter()
            .map(|(key, value)| format!("{key}: {}", plain(value)))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The HTML page of a record.
pub(crate) fn record_page(
    state: &Arc<AppState>,
    collection: CollectionId,
    feature: &Value,
) -> Result<Response, ServeError> {
    let urls = Urls::new(&state.site);
    let properties = feature.get("properties").cloned().unwrap_or(Value::Null);
    let id = text_of(feature, "id");
    let mut rows: Vec<(String, String)> = properties
        .as_object()
        .map(|map| {
            map.iter()
                .filter(|(key, _)| !matches!(key.as_str(), "title" | "description" | "type"))
                .map(|(key, value)| (key.clone(), plain(value)))
                .collect()
        })
        .unwrap_or_default();
    for key in ["time", "geometry"] {
        if let Some(value) = feature.get(key).filter(|v| !v.is_null()) {
            rows.push((key.to_owned(), value.to_string()));
        }
    }
    let title = text_of(&properties, "title");
    let page = RecordHtml {
        layout: Layout::new(&state.site, title.clone()),
        landing: urls.landing(),
        collection_title: collection.title(),
        collection_href: urls.collection(collection),
        kind: text_of(&properties, "type"),
        description: text_of(&properties, "description"),
        resource_href: urls.resource(&id),
        properties: rows,
        links: link_views(feature),
        json_href: format!("{}?f=json", urls.item(collection, &id)),
        title,
    };
    render_page(StatusCode::OK, &page)
}
