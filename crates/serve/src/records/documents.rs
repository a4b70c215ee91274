//! The Records API's documents: the landing page, the conformance declaration, the
//! collections (each one's own document also a crawlable catalogue page), and each
//! collection's queryables and sortables.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use ldtcat_index::FacetField;
use serde_json::{json, Map, Value};

use super::crawl::{add_record_links, crawl_records, CrawlPage};
use super::items::collection_of;
use super::respond::{finish, json_response, Format, DOCUMENT, GEO_JSON, HTML, JSON, OPENAPI_JSON};
use super::{CollectionId, Urls, MAX_LIMIT};
use crate::error::ServeError;
use crate::query::decode_pairs;
use crate::state::AppState;

/// The conformance classes this API declares.
pub(crate) const CONFORMANCE: [&str; 18] = [
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/record-core",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/record-collection",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/record-core-query-parameters",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/records-api",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/crawlable-catalog",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/searchable-catalog",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/sorting",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/searchable-catalog/sorting",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/json",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/html",
];

/// The queryables link relation.
const REL_QUERYABLES: &str = "http://www.opengis.net/def/rel/ogc/1.0/queryables";
/// The sortables link relation.
const REL_SORTABLES: &str = "http://www.opengis.net/def/rel/ogc/1.0/sortables";

/// `f` and `language`, the parameters of every document (others are ignored here).
pub(crate) fn common_parameters(
    raw: Option<&str>,
) -> Result<(Option<String>, Option<String>), ServeError> {
    let mut f = None;
    let mut language = None;
    for (name, value) in decode_pairs(raw.unwrap_or(""))? {
        match name.as_str() {
            "f" => f = Some(value),
            "language" => language = Some(value),
            _ => {}
        }
    }
    Ok((f, language))
}

fn link(href: String, rel: &str, media_type: &str, title: &str) -> Value {
    json!({"href": href, "rel": rel, "type": media_type, "title": title})
}

/// Serves `body` as JSON, or its HTML page.
async fn document(
    state: &Arc<AppState>,
    raw: Option<&str>,
    headers: &HeaderMap,
    build: impl FnOnce(&Urls) -> Result<(Value, &'static str), ServeError>,
) -> Result<Response, ServeError> {
    let (f, _) = common_parameters(raw)?;
    let format = DOCUMENT.choose(f.as_deref(), headers)?;
    let urls = Urls::new(&state.site);
    let (body, page_title) = build(&urls)?;
    match format {
        Format::Html => super::html::document_page(state, page_title, &body),
        Format::Json(media_type) => Ok(json_response(media_type, &body)),
    }
}

/// `GET /ogc`.
pub(crate) async fn landing(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let site = state.site.clone();
    let result = document(&state, raw.as_deref(), &headers, |urls| {
        let body = json!({
            "title": format!("{} — OGC API Records", site.title),
            "description": site.description,
            "links": [
                link(urls.landing(), "self", JSON, "This document"),
                link(format!("{}?f=html", urls.landing()), "alternate", HTML, "This document as HTML"),
                link(urls.at("/api"), "service-desc", OPENAPI_JSON, "The API definition (OpenAPI 3.0)"),
                link(format!("{}?f=html", urls.at("/api")), "service-doc", HTML, "The API documentation"),
                link(urls.at("/conformance"), "conformance", JSON, "Conformance classes"),
                link(urls.at("/collections"), "data", JSON, "The record collections"),
            ],
        });
        Ok((body, "OGC API Records"))
    })
    .await;
    finish(&state, raw.as_deref(), &headers, result)
}

/// `GET /ogc/conformance`.
pub(crate) async fn conformance(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let result = document(&state, raw.as_deref(), &headers, |urls| {
        let body = json!({
            "conformsTo": CONFORMANCE,
            "links": [
                link(urls.at("/conformance"), "self", JSON, "This document"),
                link(format!("{}?f=html", urls.at("/conformance")), "alternate", HTML, "This document as HTML"),
            ],
        });
        Ok((body, "Conformance"))
    })
    .await;
    finish(&state, raw.as_deref(), &headers, result)
}

/// One collection's description (`itemType: record`).
fn collection_document(urls: &Urls, collection: CollectionId, site_licence: &str) -> Value {
    let url = urls.collection(collection);
    json!({
        "id": collection.id(),
        "type": "Collection",
        "itemType": "record",
        "title": collection.title(),
        "description": collection.description(),
        "license": super::properties::spdx_id(site_licence).unwrap_or("other"),
        "crs": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"],
        "defaultSortOrder": [
            {"field": "updated", "direction": "desc"},
            {"field": "id", "direction": "asc"},
        ],
        "links": [
            link(url.clone(), "self", JSON, "This collection"),
            link(format!("{url}?f=html"), "alternate", HTML, "This collection as HTML"),
            link(urls.items(collection), "items", GEO_JSON, "Its records"),
            link(format!("{}?f=html", urls.items(collection)), "items", HTML, "Its records as HTML"),
            link(format!("{url}/queryables"), REL_QUERYABLES, "application/schema+json", "Queryables"),
            link(format!("{url}/sortables"), REL_SORTABLES, "application/schema+json", "Sortables"),
            link(site_licence.to_owned(), "license", HTML, "Licence of this metadata"),
            link(urls.landing(), "root", JSON, "The landing page"),
        ],
    })
}

/// `GET /ogc/collections`.
pub(crate) async fn collections(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let licence = state.site.licence.clone();
    let result = document(&state, raw.as_deref(), &headers, |urls| {
        let list: Vec<Value> = CollectionId::all()
            .map(|collection| collection_document(urls, collection, &licence))
            .collect();
        let body = json!({
            "links": [
                link(urls.at("/collections"), "self", JSON, "This document"),
                link(format!("{}?f=html", urls.at("/collections")), "alternate", HTML, "This document as HTML"),
            ],
            "collections": list,
        });
        Ok((body, "Collections"))
    })
    .await;
    finish(&state, raw.as_deref(), &headers, result)
}

/// `GET /ogc/collections/{collection}`: the collection, with a page of its records as
/// `item` links (the crawlable catalogue, [`super::crawl`]).
pub(crate) async fn collection(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let collection = collection_of(&id)?;
        let page = CrawlPage::parse(raw.as_deref())?;
        let records = crawl_records(&state, collection, &page).await?;
        let licence = state.site.licence.clone();
        document(&state, raw.as_deref(), &headers, |urls| {
            let mut body = collection_document(urls, collection, &licence);
            add_record_links(&mut body, urls, collection, &page, &records);
            Ok((body, "Collection"))
        })
        .await
    }
    .await;
    finish(&state, raw.as_deref(), &headers, result)
}

fn string_property(title: &str, description: &str) -> Value {
    json!({"title": title, "description": description, "type": "string"})
}

/// The queryables: each one is also a query parameter of `items` (equality, or what its
/// description says).
pub(crate) fn queryable_properties() -> Map<String, Value> {
    let mut properties = Map::new();
    let mut put = |name: &str, value: Value| {
        properties.insert(name.to_owned(), value);
    };
    put(
        "id",
        string_property(
            "Record id",
            "The record id; query parameter `ids` (comma-separated).",
        ),
    );
    put(
        "type",
        json!({
            "title": "Record type",
            "description": "The kind of resource; query parameter `type` (comma-separated).",
            "type": "string",
            "enum": ldtcat_vocab::Kind::ALL.map(|k| k.as_str()),
        }),
    );
    put(
        "externalIds",
        string_property(
            "External identifier",
            "A `dct:identifier` value or the resource IRI; query parameter `externalIds`.",
        ),
    );
    put(
        "geometry",
        json!({"title": "Spatial coverage", "description": "Query parameter `bbox`.", "format": "geometry-any"}),
    );
    put(
        "time",
        json!({"title": "Temporal coverage", "description": "Query parameter `datetime` (an instant or an interval).", "type": "string", "format": "date-time"}),
    );
    put(
        "updated",
        json!({"title": "Modified", "description": "`dct:modified`; query parameter `modified_since` (records modified at or after).", "type": "string", "format": "date-time"}),
    );
    for field in FacetField::ALL
        .into_iter()
        .filter(|f| *f != FacetField::Kind)
    {
        let name = field.as_str();
        put(name, string_property(name, &format!("The facet `{name}` of /api/search; query parameter `{name}` (repeatable: values OR'ed).")));
    }
    put("compatible_with", string_property("Compatible with an LDT profile", "An LDT profile's record id or IRI: only the components it can run; query parameter `compatible_with`, with `verdicts` (out-of-the-box, limited-adaptations, not-compatible; default the first two)."));
    properties
}

/// `GET /ogc/collections/{collection}/queryables`.
pub(crate) async fn queryables(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let result = schema_document(
        &state,
        &id,
        raw.as_deref(),
        &headers,
        "queryables",
        queryable_properties(),
    )
    .await;
    finish(&state, raw.as_deref(), &headers, result)
}

/// The sortables, with the direction each supports in `sortby`.
pub(crate) fn sortable_properties() -> Map<String, Value> {
    let mut properties = Map::new();
    properties.insert("id".to_owned(), json!({"title": "Record id", "description": "Ascending (`id`, `+id`): a stable order for walking a whole collection.", "type": "string"}));
    properties.insert("title".to_owned(), json!({"title": "Title", "description": "Ascending (`title`), case- and accent-insensitive.", "type": "string"}));
    properties.insert("updated".to_owned(), json!({"title": "Modified", "description": "Descending (`-updated`): newest first, undated last. The default without `q`.", "type": "string", "format": "date-time"}));
    properties.insert("relevance".to_owned(), json!({"title": "Relevance", "description": "Descending (`-relevance`): the default with `q`.", "type": "number"}));
    properties
}

/// `GET /ogc/collections/{collection}/sortables`.
pub(crate) async fn sortables(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let result = schema_document(
        &state,
        &id,
        raw.as_deref(),
        &headers,
        "sortables",
        sortable_properties(),
    )
    .await;
    finish(&state, raw.as_deref(), &headers, result)
}

async fn schema_document(
    state: &Arc<AppState>,
    id: &str,
    raw: Option<&str>,
    headers: &HeaderMap,
    what: &'static str,
    properties: Map<String, Value>,
) -> Result<Response, ServeError> {
    let collection = collection_of(id)?;
    let (f, _) = common_parameters(raw)?;
    let format = DOCUMENT.choose(f.as_deref(), headers)?;
    let urls = Urls::new(&state.site);
    let body = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{}/{what}", urls.collection(collection)),
        "type": "object",
        "title": format!("{} — {what}", collection.title()),
        "properties": properties,
        "additionalProperties": false,
    });
    match format {
        Format::Html => super::html::document_page(state, what, &body),
        Format::Json(_) => Ok(json_response("application/schema+json", &body)),
    }
}

/// The largest `limit`, for the API definition.
pub(crate) fn max_limit() -> usize {
    MAX_LIMIT
}
