//! `items` (the search, a page of GeoJSON records with `next`/`prev` links) and
//! `items/{recordId}` (one record).

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use chrono::{SecondsFormat, Utc};
use ldtcat_index::{SearchHit, SortOrder};
use ldtcat_model::describe::describe;
use serde_json::{json, Value};

use super::feature::{record_feature, RecordSource};
use super::language::LanguagePreferences;
use super::params::{Cursor, ItemsQuery, Position};
use super::respond::{finish, json_response, Format, GEO_JSON, HTML, RECORDS};
use super::{CollectionId, Urls};
use crate::error::ServeError;
use crate::state::{blocking, AppState};

/// The collection named in the path, or a 404.
pub(crate) fn collection_of(id: &str) -> Result<CollectionId, ServeError> {
    CollectionId::parse(id).ok_or_else(|| ServeError::NoRoute {
        path: format!("{}/collections/{id}", super::RECORDS_BASE),
    })
}

fn languages(language: Option<&str>, headers: &HeaderMap) -> LanguagePreferences {
    let header = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    LanguagePreferences::new(language, header)
}

/// `GET /ogc/collections/{collection}/items`.
pub(crate) async fn items(
    State(state): State<Arc<AppState>>,
    Path(collection): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let result = items_page(&state, &collection, raw.as_deref(), &headers).await;
    finish(&state, raw.as_deref(), &headers, result)
}

/// One page of the search: hits, the total, and the records built from the store.
pub(crate) struct ItemsPage {
    pub hits: Vec<SearchHit>,
    pub features: Vec<Value>,
    pub number_matched: usize,
}

async fn items_page(
    state: &Arc<AppState>,
    collection: &str,
    raw: Option<&str>,
    headers: &HeaderMap,
) -> Result<Response, ServeError> {
    let collection = collection_of(collection)?;
    let query = ItemsQuery::parse(raw, collection)?;
    let format = RECORDS.choose(query.f.as_deref(), headers)?;
    let languages = languages(query.language.as_deref(), headers);
    let page = search_page(state, collection, &query, &languages).await?;
    let urls = Urls::new(&state.site);
    match format {
        Format::Html => super::html::items_page(state, collection, &query, &page),
        Format::Json(media_type) => {
            let body = feature_collection(&urls, collection, &query, page, media_type);
            Ok(json_response(media_type, &body))
        }
    }
}

/// Runs the search of `query` and builds its records.
pub(crate) async fn search_page(
    state: &Arc<AppState>,
    collection: CollectionId,
    query: &ItemsQuery,
    languages: &LanguagePreferences,
) -> Result<ItemsPage, ServeError> {
    if query.is_empty_by_type(collection) {
        return Ok(ItemsPage {
            hits: Vec::new(),
            features: Vec::new(),
            number_matched: 0,
        });
    }
    let mut request = query.search.to_request()?;
    request.sort = query.effective_sort();
    request.limit = query.limit;
    request.facets = false;
    request.offset = 0;
    match &query.position {
        Position::Offset(offset) => request.offset = *offset,
        Position::After { cursor, .. } => match cursor {
            Cursor::Id(id) if request.sort == SortOrder::Id => request.after_id = Some(id.clone()),
            Cursor::Hit(hit)
                if matches!(
                    (hit, request.sort),
                    (ldtcat_index::AfterHit::Modified { .. }, SortOrder::Modified)
                        | (ldtcat_index::AfterHit::Title { .. }, SortOrder::Title)
                ) =>
            {
                request.after_hit = Some(hit.clone())
            }
            _ => {
                return Err(ServeError::bad_parameter(
                    "after",
                    "this cursor belongs to another order (sortby)",
                ))
            }
        },
    }
    let (results, number_matched, _) =
        crate::compat::run_request(state, &query.search, request, true).await?;
    let store = state.store.clone();
    let urls = Urls::new(&state.site);
    let languages = languages.clone();
    let ids: Vec<String> = results.hits.iter().map(|hit| hit.id.clone()).collect();
    let features = blocking(move || -> Result<Vec<Value>, ServeError> {
        let mut features = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(record) = store.record(&id)? {
                let description = describe(&record.iri, &record.triples);
                let source = RecordSource {
                    id: &record.id,
                    kind: record.kind,
                    description: &description,
                };
                features.push(record_feature(&source, collection, &urls, &languages));
            }
        }
        Ok(features)
    })
    .await?;
    Ok(ItemsPage {
        hits: results.hits,
        features,
        number_matched,
    })
}

/// The link to the next page, if there is one.
pub(crate) fn next_position(query: &ItemsQuery, page: &ItemsPage) -> Option<Position> {
    let offset = query.position.offset() + page.hits.len();
    let last = page.hits.last()?;
    if page.hits.len() < query.limit || offset >= page.number_matched {
        return None;
    }
    Some(match Cursor::after(last, query.effective_sort()) {
        Some(cursor) => Position::After { offset, cursor },
        None => Position::Offset(offset),
    })
}

/// The link to the previous page (by offset), if this is not the first.
pub(crate) fn prev_position(query: &ItemsQuery) -> Option<Position> {
    let offset = query.position.offset();
    (offset > 0).then(|| Position::Offset(offset.saturating_sub(query.limit)))
}

fn page_link(
    urls: &Urls,
    collection: CollectionId,
    query: &ItemsQuery,
    position: &Position,
    rel: &str,
    media_type: &str,
    f: Option<&str>,
) -> Value {
    let base = urls.items(collection);
    let query_string = query.query_at(position, f);
    let href = if query_string.is_empty() {
        base
    } else {
        format!("{base}?{query_string}")
    };
    json!({"href": href, "rel": rel, "type": media_type})
}

fn feature_collection(
    urls: &Urls,
    collection: CollectionId,
    query: &ItemsQuery,
    page: ItemsPage,
    media_type: &'static str,
) -> Value {
    let here = &query.position;
    let mut links = vec![
        page_link(urls, collection, query, here, "self", media_type, None),
        page_link(
            urls,
            collection,
            query,
            here,
            "alternate",
            HTML,
            Some("html"),
        ),
    ];
    if media_type != GEO_JSON {
        links.push(page_link(
            urls,
            collection,
            query,
            here,
            "alternate",
            GEO_JSON,
            Some("json"),
        ));
    }
    if let Some(next) = next_position(query, &page) {
        links.push(page_link(
            urls, collection, query, &next, "next", media_type, None,
        ));
    }
    if let Some(prev) = prev_position(query) {
        links.push(page_link(
            urls, collection, query, &prev, "prev", media_type, None,
        ));
    }
    links.push(json!({
        "href": urls.collection(collection),
        "rel": "collection",
        "type": "application/json",
        "title": collection.title(),
    }));
    json!({
        "type": "FeatureCollection",
        "features": page.features,
        "numberMatched": page.number_matched,
        "numberReturned": page.hits.len(),
        "timeStamp": Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        "links": links,
    })
}

/// `GET /ogc/collections/{collection}/items/{record}`.
pub(crate) async fn item(
    State(state): State<Arc<AppState>>,
    Path((collection, record)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let result = one_record(&state, &collection, &record, raw.as_deref(), &headers).await;
    finish(&state, raw.as_deref(), &headers, result)
}

async fn one_record(
    state: &Arc<AppState>,
    collection: &str,
    record_id: &str,
    raw: Option<&str>,
    headers: &HeaderMap,
) -> Result<Response, ServeError> {
    let collection = collection_of(collection)?;
    let (f, language) = super::documents::common_parameters(raw)?;
    let format = RECORDS.choose(f.as_deref(), headers)?;
    let languages = languages(language.as_deref(), headers);
    let store = state.store.clone();
    let id = record_id.to_owned();
    let (record, deleted_at) = blocking(move || -> Result<_, ServeError> {
        let record = store.record(&id)?;
        let deleted_at = match &record {
            Some(_) => None,
            None => store.tombstone(&id)?.and_then(|t| t.deleted_at),
        };
        Ok((record, deleted_at))
    })
    .await?;
    let record = match (record, deleted_at) {
        (Some(record), _) if collection.kind().is_none_or(|kind| kind == record.kind) => record,
        (_, Some(deleted_at)) => {
            return Err(ServeError::RecordGone {
                id: record_id.to_owned(),
                deleted_at,
            })
        }
        _ => {
            return Err(ServeError::RecordNotFound {
                id: record_id.to_owned(),
            })
        }
    };
    let urls = Urls::new(&state.site);
    let description = describe(&record.iri, &record.triples);
    let source = RecordSource {
        id: &record.id,
        kind: record.kind,
        description: &description,
    };
    let feature = record_feature(&source, collection, &urls, &languages);
    match format {
        Format::Html => super::html::record_page(state, collection, &feature),
        Format::Json(media_type) => Ok(json_response(media_type, &feature)),
    }
}
