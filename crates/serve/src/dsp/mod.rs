//! The Dataspace Protocol (2025-1) catalog: ldtcat answering connectors as a DSP catalog.
//!
//! - `POST /catalog/request` with a `CatalogRequestMessage` (its `filter`: `/catalog`'s
//!   search parameters, see `request`) → a `Catalog` whose `dataset`s are the records, page
//!   by page in record-id order; `Link` headers `rel="next"` and `rel="previous"` carry
//!   cursors (`after=` / `before=` a record id), so a page never shifts while someone reads
//!   the next, whatever is added meanwhile. A consumer POSTs the same message to them.
//! - `GET /catalog/datasets/{id}` (a record id, or the dataset's `@id`) → one `Dataset`.
//! - `GET /.well-known/dspace-version` → the versions served (2025-1, at the site's root).
//!
//! Messages are compact JSON-LD with the DSP context (see `message`, `offer`, `jsonld`);
//! errors are `CatalogError`s (see `error`). When a token is configured, the catalog routes
//! require it (`Authorization: Bearer <token>`, or the bare token as DSP connectors send it);
//! otherwise they are public like `/catalog`. ldtcat has no per-record access control: every
//! record `/catalog` lists is listed here.

mod error;
mod jsonld;
mod message;
mod offer;
mod request;

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ldtcat_config::DspConfig;
use ldtcat_index::{SearchHit, SearchRequest, SortOrder};
use ldtcat_store::CatalogStore;
use serde_json::{json, Value};

use crate::error::ServeError;
use crate::harvest_admin::same_token;
use crate::state::{blocking, AppState};
pub(crate) use error::CatalogError;
use message::{CatalogHeader, DatasetRecord, MessageContext};
use request::{Cursor, Paging};

/// How the DSP catalog answers.
#[derive(Debug, Clone)]
pub struct DspSettings {
    /// The participant id, the offer rule, the default format.
    pub config: Arc<DspConfig>,
    /// The token requests must carry (none: public).
    pub token: Option<String>,
}

impl Default for DspSettings {
    /// The built-in rules (`vocab/dsp.toml`), public.
    fn default() -> Self {
        let config = DspConfig::builtin().unwrap_or_else(|error| {
            tracing::error!("the built-in DSP settings do not load: {error}");
            DspConfig {
                participant_id: None,
                token_env: None,
                default_format: "HttpData-PULL".to_owned(),
                default_offer: ldtcat_config::OfferTerms {
                    permissions: vec!["http://www.w3.org/ns/odrl/2/use".to_owned()],
                    ..ldtcat_config::OfferTerms::default()
                },
                rules: Vec::new(),
                file: None,
            }
        });
        DspSettings {
            config: Arc::new(config),
            token: None,
        }
    }
}

/// A 200 with a JSON body (DSP's messages are `application/json`).
fn json_response(body: &Value, links: &[String]) -> Response {
    let mut response = (StatusCode::OK, axum::Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    for link in links {
        if let Ok(value) = HeaderValue::from_str(link) {
            headers.append(header::LINK, value);
        }
    }
    response
}

/// The configured token check.
fn authorise(state: &AppState, headers: &HeaderMap) -> Result<(), CatalogError> {
    let Some(expected) = state.dsp.token.as_deref().filter(|t| !t.is_empty()) else {
        return Ok(());
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.strip_prefix("Bearer ").unwrap_or(v).trim());
    match given {
        Some(token) if same_token(token, expected) => Ok(()),
        _ => Err(CatalogError::Unauthorized),
    }
}

/// What every message of a request shares.
fn context_of(state: &AppState, endpoints: HashMap<String, String>) -> MessageContext<'_> {
    MessageContext {
        config: &state.dsp.config,
        service_iri: format!("{}#dataspace-protocol", state.site.catalogue_iri()),
        service_endpoint: state.site.public_base_url.trim_end_matches('/').to_owned(),
        endpoints,
    }
}

/// A record read for a message.
struct LoadedRecord {
    id: String,
    iri: String,
    triples: Vec<oxrdf::Triple>,
}

/// Reads records (tombstones and unknown ids skipped) and the endpoints of the access
/// services they name but do not describe.
fn load_records(
    store: &CatalogStore,
    ids: &[String],
) -> Result<(Vec<LoadedRecord>, HashMap<String, String>), ServeError> {
    let mut records = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(record) = store.record(id)? else {
            continue;
        };
        if record.deleted_at.is_some() {
            continue;
        }
        records.push(LoadedRecord {
            id: record.id,
            iri: record.iri,
            triples: record.triples,
        });
    }
    let mut endpoints = HashMap::new();
    for record in &records {
        let dataset = DatasetRecord {
            id: &record.id,
            iri: &record.iri,
            triples: &record.triples,
        };
        for service in message::undescribed_services(&dataset) {
            if endpoints.contains_key(&service) {
                continue;
            }
            let service_id = ldtcat_model::record_id(&service);
            if let Some(found) = store.record(&service_id)? {
                if let Some(endpoint) = message::endpoint_of(&found.triples, &service) {
                    endpoints.insert(service, endpoint);
                }
            }
        }
    }
    Ok((records, endpoints))
}

/// `POST /catalog/request`.
pub(crate) async fn catalog_request(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, CatalogError> {
    authorise(&state, &headers)?;
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => CatalogError::TooLarge,
        _ => CatalogError::BadRequest(rejection.body_text()),
    })?;
    let paging = request::paging(raw.as_deref())?;
    let params = request::catalog_request(&body)?;
    let mut search = params
        .to_request()
        .map_err(|error| CatalogError::BadRequest(error.to_string()))?;
    search.sort = SortOrder::Id;
    search.facets = false;
    search.offset = 0;
    search.limit = paging.page_size;
    match &paging.cursor {
        Cursor::Start => {}
        Cursor::After(id) => search.after_id = Some(id.clone()),
        Cursor::Before(id) => search.before_id = Some(id.clone()),
    }
    let index = Arc::clone(&state.index);
    let cursor = paging.cursor.clone();
    let (hits, has_previous, has_next) =
        blocking(move || page_of(&index, &search, &cursor)).await?;
    let links = page_links(&state, &paging, &hits, has_previous, has_next);
    let store = state.store.clone();
    let ids: Vec<String> = hits.iter().map(|hit| hit.id.clone()).collect();
    let worker_state = Arc::clone(&state);
    let catalog = blocking(move || -> Result<Value, ServeError> {
        let (records, endpoints) = load_records(&store, &ids)?;
        let context = context_of(&worker_state, endpoints);
        let datasets: Vec<Value> = records
            .iter()
            .map(|record| {
                let dataset = DatasetRecord {
                    id: &record.id,
                    iri: &record.iri,
                    triples: &record.triples,
                };
                message::dataset(&context, &dataset)
            })
            .collect();
        let catalogue_iri = worker_state.site.catalogue_iri();
        let header = CatalogHeader {
            iri: &catalogue_iri,
            participant_id: worker_state
                .dsp
                .config
                .participant_id
                .as_deref()
                .unwrap_or(&catalogue_iri),
            title: &worker_state.site.title,
            description: &worker_state.site.description,
        };
        Ok(message::catalog_message(&context, &header, datasets))
    })
    .await?;
    Ok(json_response(&catalog, &links))
}

/// A page of hits in id order, whether records come before it and after it.
fn page_of(
    index: &ldtcat_index::CatalogIndex,
    search: &SearchRequest,
    cursor: &Cursor,
) -> Result<(Vec<SearchHit>, bool, bool), ServeError> {
    let results = index.search(search)?;
    let count = |after: Option<String>, before: Option<String>| -> Result<bool, ServeError> {
        let request = SearchRequest {
            after_id: after,
            before_id: before,
            limit: 0,
            ..search.clone()
        };
        Ok(index.search(&request)?.total > 0)
    };
    let (first, last) = (results.hits.first(), results.hits.last());
    let (has_previous, has_next) = match cursor {
        Cursor::Before(_) => (
            results.total > results.hits.len(),
            match last {
                Some(last) => count(Some(last.id.clone()), None)?,
                None => false,
            },
        ),
        Cursor::Start => (false, results.total > results.hits.len()),
        Cursor::After(_) => (
            match first {
                Some(first) => count(None, Some(first.id.clone()))?,
                None => false,
            },
            results.total > results.hits.len(),
        ),
    };
    Ok((results.hits, has_previous, has_next))
}

/// The `Link` header values of a page.
fn page_links(
    state: &AppState,
    paging: &Paging,
    hits: &[SearchHit],
    has_previous: bool,
    has_next: bool,
) -> Vec<String> {
    let url = |cursor: &str, id: &str| {
        let size = if paging.page_size == request::DSP_PAGE_SIZE {
            String::new()
        } else {
            format!("page_size={}&", paging.page_size)
        };
        state
            .site
            .absolute_url(&format!("/catalog/request?{size}{cursor}={id}"))
    };
    let mut links = Vec::new();
    if let (true, Some(first)) = (has_previous, hits.first()) {
        links.push(format!("<{}>; rel=\"previous\"", url("before", &first.id)));
    }
    if let (true, Some(last)) = (has_next, hits.last()) {
        links.push(format!("<{}>; rel=\"next\"", url("after", &last.id)));
    }
    links
}

/// `GET /catalog/datasets/{id}`: `id` is a record id or the dataset's `@id`.
pub(crate) async fn dataset(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, CatalogError> {
    authorise(&state, &headers)?;
    let Path(id) = id.map_err(|rejection| CatalogError::BadRequest(rejection.body_text()))?;
    let is_record_id = id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit());
    let store = state.store.clone();
    let worker_state = Arc::clone(&state);
    let asked = id.clone();
    let message = blocking(move || -> Result<Option<Value>, ServeError> {
        let mut candidates = vec![ldtcat_model::record_id(&asked)];
        if is_record_id {
            candidates.insert(0, asked.to_ascii_lowercase());
        }
        for candidate in candidates {
            let (records, endpoints) = load_records(&store, std::slice::from_ref(&candidate))?;
            if let Some(record) = records.first() {
                let context = context_of(&worker_state, endpoints);
                let dataset = DatasetRecord {
                    id: &record.id,
                    iri: &record.iri,
                    triples: &record.triples,
                };
                return Ok(Some(message::dataset_message(&context, &dataset)));
            }
        }
        Ok(None)
    })
    .await?;
    match message {
        Some(message) => Ok(json_response(&message, &[])),
        None => Err(CatalogError::UnknownDataset(id)),
    }
}

/// `GET /.well-known/dspace-version`: public, whatever the token setting.
pub(crate) async fn version(State(state): State<Arc<AppState>>) -> Response {
    let base = state.site.public_base_url.trim_end_matches('/');
    let path = base
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|at| rest[at..].to_owned()))
        .filter(|path| !path.is_empty())
        .unwrap_or_else(|| "/".to_owned());
    let body = json!({
        "protocolVersions": [{"version": "2025-1", "path": path, "binding": "HTTPS"}]
    });
    json_response(&body, &[])
}

/// Any other method on the DSP routes.
pub(crate) async fn wrong_method() -> CatalogError {
    CatalogError::MethodNotAllowed(
        "use POST /catalog/request or GET /catalog/datasets/{id}".to_owned(),
    )
}
