#![doc = include_str!("../README.md")]

mod api;
mod api_sources;
mod assets;
mod ckan;
mod compat;
mod dcat;
mod dsp;
mod error;
mod harvest_admin;
mod html;
mod http_cache;
pub mod i18n;
mod labels;
mod limits;
mod map;
mod negotiate;
mod pages;
mod quality;
mod query;
mod query_time;
mod records;
pub mod resolver;
pub mod rich_text;
mod server;
mod sparql;
mod state;
mod statements;

pub use dsp::DspSettings;
pub use error::ServeError;
pub use harvest_admin::{HarvestAdmin, HarvestControl, SourceInfo, StartRunError};
pub use i18n::Locale;
pub use ldtcat_model::Languages;
pub use ldtcat_sparql::SparqlLimits;
pub use limits::{MAX_ACCEPT_BYTES, MAX_ACCEPT_RANGES, MAX_BODY_BYTES, MAX_URI_BYTES};
pub use query::{SearchParams, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
pub use records::{
    DEFAULT_LIMIT as RECORDS_DEFAULT_LIMIT, MAX_LIMIT as RECORDS_MAX_LIMIT, RECORDS_BASE,
};
pub use resolver::{Label, LabelOrigin, Labels, RecordLabels};
pub use server::{serve, serve_with_shutdown, shutdown_signal};
pub use sparql::{SparqlService, QUEUE_WAIT as SPARQL_QUEUE_WAIT};
pub use state::{AppState, SiteSettings};

use std::sync::Arc;

use axum::extract::{OriginalUri, State};
use axum::response::Response;
use axum::routing::{any, get, post};
use axum::Router;

/// The whole HTTP surface: every route, with `state` shared by all requests.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/search", get(api::search))
        .route("/quality", get(quality::quality))
        .route("/sources", get(api_sources::sources))
        .route(
            "/compatibility",
            get(compat::api::get_compatibility).post(compat::api::post_compatibility),
        )
        .route("/3/action/{action}", any(ckan::action))
        .route("/action/{action}", any(ckan::action))
        .fallback(api::api_not_found);
    let router = Router::new()
        .route("/", get(pages::home::home))
        .route("/search", get(pages::search::search))
        .route("/resources/{id}", get(pages::record::record))
        .route("/sources", get(pages::sources::sources))
        .route(
            "/sources/{id}/quality",
            get(pages::source_quality::source_quality),
        )
        .route(
            "/admin/harvest/{source}",
            post(harvest_admin::start_harvest),
        )
        .route("/healthz", get(api::health))
        .route("/assets/{file}", get(assets::asset))
        .route("/sparql", any(sparql::sparql))
        .route("/catalog", get(dcat::catalog))
        .route("/catalog.ttl", get(dcat::catalog))
        .route("/catalog.jsonld", get(dcat::catalog))
        .route("/catalog.rdf", get(dcat::catalog))
        .route("/catalog.nt", get(dcat::catalog))
        .route("/feed", get(dcat::feed))
        .route("/feed.ttl", get(dcat::feed))
        .route("/feed.jsonld", get(dcat::feed))
        .route("/feed.rdf", get(dcat::feed))
        .route("/feed.nt", get(dcat::feed))
        .route(
            "/catalog/request",
            post(dsp::catalog_request).fallback(dsp::wrong_method),
        )
        .route(
            "/catalog/datasets/{id}",
            get(dsp::dataset).fallback(dsp::wrong_method),
        )
        .route("/.well-known/dspace-version", get(dsp::version))
        .nest("/api", api)
        .nest(records::RECORDS_BASE, records::routes())
        .merge(records::landing_with_slash())
        .fallback(page_not_found);
    let state = Arc::new(state);
    let change_times = Arc::new(http_cache::ChangeTimes::new());
    router
        .layer(axum::middleware::from_fn(move |request, next| {
            http_cache::revalidate(Arc::clone(&change_times), request, next)
        }))
        .layer(http_cache::compression())
        .layer(limits::body_limit())
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            limits::request_limits,
        ))
        .with_state(state)
}

/// Unknown paths: the HTML 404 page.
async fn page_not_found(
    State(state): State<Arc<AppState>>,
    OriginalUri(uri): OriginalUri,
) -> Response {
    let error = ServeError::NoRoute {
        path: uri.path().to_owned(),
    };
    html::error_page(&state.site, &error)
}
