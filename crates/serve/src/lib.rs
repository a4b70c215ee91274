#![doc = include_str!("../README.md")]

mod api;
mod api_sources;
mod compat;
mod dcat;
mod error;
mod harvest_admin;
mod html;
mod labels;
mod negotiate;
mod pages;
mod query;
mod server;
mod sparql;
mod state;
mod statements;

pub use error::ServeError;
pub use harvest_admin::{HarvestAdmin, HarvestControl, SourceInfo, StartRunError};
pub use ldtcat_sparql::SparqlLimits;
pub use query::{SearchParams, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
pub use server::{serve, serve_with_shutdown};
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
        .route("/sources", get(api_sources::sources))
        .route(
            "/compatibility",
            get(compat::api::get_compatibility).post(compat::api::post_compatibility),
        )
        .fallback(api::api_not_found);
    Router::new()
        .route("/", get(pages::home::home))
        .route("/search", get(pages::search::search))
        .route("/resources/{id}", get(pages::record::record))
        .route("/sources", get(pages::sources::sources))
        .route(
            "/admin/harvest/{source}",
            post(harvest_admin::start_harvest),
        )
        .route("/healthz", get(api::health))
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
        .nest("/api", api)
        .fallback(page_not_found)
        .with_state(Arc::new(state))
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
