//! `/ogc/api`: the OpenAPI 3.0 definition of the Records API, built from the same constants
//! as the routes (collections, parameters, limits), so that it describes exactly what is
//! served (`tests/http/records.rs` checks each path and parameter against the server).

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{json, Map, Value};

use super::crawl::CRAWL_LIMIT;
use super::documents::{common_parameters, max_limit};
use super::respond::{finish, json_response, Format, API, GEO_JSON, HTML, JSON};
use super::{CollectionId, DEFAULT_LIMIT, RECORDS_BASE};
use crate::error::ServeError;
use crate::state::AppState;

/// The query parameters of `items`, with their schema and description.
pub(crate) fn items_parameters() -> Vec<(&'static str, Value, &'static str)> {
    let list = json!({"type": "array", "items": {"type": "string"}});
    let text = json!({"type": "string"});
    vec![
        ("q", list.clone(), "Keywords: commas separate alternatives (any of them), spaces make a phrase. Searched in titles, descriptions, keywords and publisher names, as /api/search does."),
        ("bbox", json!({"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}}), "west,south,east,north in WGS 84 degrees (or with heights, 6 numbers); records whose spatial coverage intersects it."),
        ("datetime", text.clone(), "An instant or an interval (start/end, `..` or empty for an open end) in RFC 3339; records whose temporal coverage intersects it."),
        ("type", list.clone(), "Record types (kinds), comma-separated."),
        ("ids", list.clone(), "Record ids, comma-separated."),
        ("externalIds", list.clone(), "External identifiers (dct:identifier values or resource IRIs), comma-separated."),
        ("limit", json!({"type": "integer", "minimum": 1, "maximum": max_limit(), "default": DEFAULT_LIMIT}), "Records per page; more than the maximum is an error."),
        ("sortby", text.clone(), "One sortable: id, +id, title, +title, -updated or -relevance (see sortables)."),
        ("after", text.clone(), "The cursor of a next link (opaque)."),
        ("offset", json!({"type": "integer", "minimum": 0}), "Records to skip (prev links)."),
        ("kind", list.clone(), "Record types, as /api/search names the facet (same as type)."),
        ("theme", text.clone(), "A theme IRI (facet of /api/search); repeatable, values OR'ed."),
        ("publisher", text.clone(), "A publisher name (facet); repeatable."),
        ("format", text.clone(), "A format or media type (facet); repeatable."),
        ("licence", text.clone(), "A licence IRI (facet); repeatable."),
        ("source", text.clone(), "A harvest source id (facet); repeatable."),
        ("modified_since", text.clone(), "Records modified at or after this RFC 3339 time or date."),
        ("compatible_with", text.clone(), "An LDT profile's record id or IRI: only the components it can run."),
        ("verdicts", text.clone(), "With compatible_with: out-of-the-box, limited-adaptations, not-compatible (comma-separated)."),
    ]
}

fn parameter(name: &str, location: &str, schema: Value, description: &str) -> Value {
    let mut parameter = json!({
        "name": name,
        "in": location,
        "required": location == "path",
        "description": description,
        "schema": schema,
    });
    if schema_is_array(&parameter) {
        parameter["style"] = json!("form");
        parameter["explode"] = json!(false);
    }
    parameter
}

fn schema_is_array(parameter: &Value) -> bool {
    parameter["schema"]["type"] == "array"
}

fn common() -> Vec<Value> {
    vec![
        parameter(
            "f",
            "query",
            json!({"type": "string", "enum": ["json", "html"]}),
            "The representation (else by Accept).",
        ),
        parameter(
            "language",
            "query",
            json!({"type": "string"}),
            "Languages for texts, as Accept-Language (e.g. fr, en;q=0.5).",
        ),
    ]
}

fn response(description: &str, media_type: &str, schema: &str) -> Value {
    json!({
        "description": description,
        "content": {
            media_type: {"schema": {"$ref": format!("#/components/schemas/{schema}")}},
            HTML: {"schema": {"type": "string"}},
        }
    })
}

fn errors(codes: &[u16]) -> Map<String, Value> {
    let mut map = Map::new();
    for code in codes {
        let description = match code {
            400 => "Invalid parameter value",
            404 => "Not found",
            406 => "Not acceptable: the media types offered are JSON and HTML",
            410 => "The record was withdrawn",
            _ => "Server error",
        };
        map.insert(
            code.to_string(),
            json!({"description": description, "content": {JSON: {"schema": {"$ref": "#/components/schemas/exception"}}}}),
        );
    }
    map
}

fn get(
    summary: &str,
    operation_id: &str,
    parameters: Vec<Value>,
    ok: Value,
    error_codes: &[u16],
) -> Value {
    let mut responses = errors(error_codes);
    responses.insert("200".to_owned(), ok);
    json!({"get": {
        "summary": summary,
        "operationId": operation_id,
        "tags": ["Records"],
        "parameters": parameters,
        "responses": responses,
    }})
}

fn collection_path_parameter() -> Value {
    let ids: Vec<&str> = CollectionId::all().map(CollectionId::id).collect();
    parameter(
        "collectionId",
        "path",
        json!({"type": "string", "enum": ids}),
        "The collection: the whole catalogue or one record kind.",
    )
}

/// The OpenAPI document, for a site at `base_url`.
pub(crate) fn definition(base_url: &str) -> Value {
    let with_common = |mut extra: Vec<Value>| {
        extra.extend(common());
        extra
    };
    let mut search_parameters = vec![collection_path_parameter()];
    search_parameters.extend(
        items_parameters()
            .into_iter()
            .map(|(name, schema, description)| parameter(name, "query", schema, description)),
    );
    let record_parameters = vec![
        collection_path_parameter(),
        parameter(
            "recordId",
            "path",
            json!({"type": "string"}),
            "The record id.",
        ),
    ];
    let mut paths = Map::new();
    let at = |path: &str| format!("{RECORDS_BASE}{path}");
    paths.insert(
        at(""),
        get(
            "Landing page",
            "getLandingPage",
            common(),
            response(
                "Links to the API, conformance and collections",
                JSON,
                "landingPage",
            ),
            &[400, 406],
        ),
    );
    paths.insert(
        at("/conformance"),
        get(
            "Conformance classes",
            "getConformance",
            common(),
            response("The conformance classes", JSON, "confClasses"),
            &[400, 406],
        ),
    );
    paths.insert(at("/api"), get("This API definition", "getApi", common(), json!({"description": "The OpenAPI 3.0 document", "content": {"application/vnd.oai.openapi+json;version=3.0": {"schema": {"type": "object"}}, HTML: {"schema": {"type": "string"}}}}), &[400, 406]));
    paths.insert(
        at("/collections"),
        get(
            "The record collections",
            "getCollections",
            common(),
            response("The collections", JSON, "collections"),
            &[400, 406],
        ),
    );
    paths.insert(
        at("/collections/{collectionId}"),
        get(
            "One collection, with a page of its records as item links (crawlable catalogue)",
            "getCollection",
            with_common(vec![
                collection_path_parameter(),
                parameter("limit", "query", json!({"type": "integer", "minimum": 1, "maximum": max_limit(), "default": CRAWL_LIMIT}), "Record links per page; more than the maximum is an error."),
                parameter("after", "query", json!({"type": "string"}), "A record id: the page lists the records after it in id order (the next link's)."),
            ]),
            response("The collection", JSON, "collection"),
            &[400, 404, 406],
        ),
    );
    paths.insert(
        at("/collections/{collectionId}/items"),
        get(
            "Search the records",
            "getRecords",
            with_common(search_parameters),
            response("A page of records", GEO_JSON, "featureCollection"),
            &[400, 404, 406],
        ),
    );
    paths.insert(
        at("/collections/{collectionId}/items/{recordId}"),
        get(
            "One record",
            "getRecord",
            with_common(record_parameters),
            response("The record", GEO_JSON, "record"),
            &[400, 404, 406, 410],
        ),
    );
    for (path, id, what) in [
        ("queryables", "getQueryables", "The queryables"),
        ("sortables", "getSortables", "The sortables"),
    ] {
        paths.insert(
            at(&format!("/collections/{{collectionId}}/{path}")),
            get(what, id, with_common(vec![collection_path_parameter()]), json!({"description": what, "content": {"application/schema+json": {"schema": {"type": "object"}}, HTML: {"schema": {"type": "string"}}}}), &[400, 404, 406]),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "ldtcat — OGC API Records",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The catalogue as an OGC API – Records – Part 1 searchable and crawlable catalogue: one collection per record kind and one for the whole catalogue.",
        },
        "servers": [{"url": base_url.trim_end_matches('/')}],
        "tags": [{"name": "Records"}],
        "paths": paths,
        "components": {"schemas": schemas()},
    })
}

fn schemas() -> Value {
    let link = json!({"$ref": "#/components/schemas/link"});
    let links = json!({"type": "array", "items": link});
    json!({
        "link": {"type": "object", "required": ["href", "rel"], "properties": {
            "href": {"type": "string"}, "rel": {"type": "string"}, "type": {"type": "string"},
            "title": {"type": "string"}, "anchor": {"type": "string"}}},
        "exception": {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}, "description": {"type": "string"}}},
        "landingPage": {"type": "object", "required": ["links"], "properties": {"title": {"type": "string"}, "description": {"type": "string"}, "links": links}},
        "confClasses": {"type": "object", "required": ["conformsTo"], "properties": {"conformsTo": {"type": "array", "items": {"type": "string"}}}},
        "collection": {"type": "object", "required": ["id", "type", "links"], "properties": {
            "id": {"type": "string"}, "type": {"type": "string", "enum": ["Collection"]},
            "itemType": {"type": "string", "enum": ["record"]}, "title": {"type": "string"},
            "description": {"type": "string"}, "links": links}},
        "collections": {"type": "object", "required": ["links", "collections"], "properties": {
            "links": links, "collections": {"type": "array", "items": {"$ref": "#/components/schemas/collection"}}}},
        "record": {"type": "object", "required": ["id", "type", "geometry", "properties"], "properties": {
            "id": {"type": "string"}, "type": {"type": "string", "enum": ["Feature"]},
            "time": {"type": "object", "nullable": true}, "geometry": {"type": "object", "nullable": true},
            "properties": {"type": "object", "required": ["type", "title"], "properties": {
                "type": {"type": "string"}, "title": {"type": "string"}}},
            "links": links}},
        "featureCollection": {"type": "object", "required": ["type", "features"], "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": {"$ref": "#/components/schemas/record"}},
            "numberMatched": {"type": "integer", "minimum": 0}, "numberReturned": {"type": "integer", "minimum": 0},
            "timeStamp": {"type": "string", "format": "date-time"}, "links": links}},
    })
}

/// `GET /ogc/api`.
pub(crate) async fn api(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let result = api_document(&state, raw.as_deref(), &headers);
    finish(&state, raw.as_deref(), &headers, result)
}

fn api_document(
    state: &Arc<AppState>,
    raw: Option<&str>,
    headers: &HeaderMap,
) -> Result<Response, ServeError> {
    let (f, _) = common_parameters(raw)?;
    let format = API.choose(f.as_deref(), headers)?;
    let document = definition(&state.site.public_base_url);
    match format {
        Format::Json(media_type) => Ok(json_response(media_type, &document)),
        Format::Html => {
            let urls = super::Urls::new(&state.site);
            let mut page = json!({
                "title": "API definition (OpenAPI 3.0)",
                "description": "The operations of this Records API; the definition itself is the JSON form of this page.",
                "links": [{"href": urls.at("/api"), "rel": "self", "type": API.json[0], "title": "The OpenAPI document"}],
            });
            let mut operations = Map::new();
            if let Some(paths) = document["paths"].as_object() {
                for (path, item) in paths {
                    operations.insert(
                        path.clone(),
                        json!({"type": "GET", "description": item["get"]["summary"]}),
                    );
                }
            }
            page["properties"] = Value::Object(operations);
            super::html::document_page(state, "API definition", &page)
        }
    }
}
