//! OGC API – Records – Part 1 (searchable catalogue) under `/ogc`: the landing page,
//! `conformance`, `api` (the OpenAPI 3.0 document of exactly these routes), `collections`
//! (one catalogue per record kind and one for the whole catalogue), and per collection
//! `items` (the search of `/api/search`, as GeoJSON records), `items/{recordId}`,
//! `queryables` and `sortables`. Each collection's document is also a crawlable catalogue:
//! its records as `item` links, a page at a time, pages linked by `next` (`crawl`).
//!
//! Every resource is JSON (GeoJSON for records) for machines and HTML for browsers, chosen
//! by `f` (`json`, `html`) or else by `Accept`; a media type that is not offered is a 406.
//! Errors are the OGC exception document `{"code", "description"}` (HTML for browsers) with
//! 400, 404, 406 or 410, never a 500 for bad input.

mod crawl;
mod documents;
mod feature;
mod geometry;
mod html;
mod items;
mod language;
mod openapi;
mod params;
mod properties;
mod respond;

use std::sync::Arc;

use axum::routing::get;
use axum::Router;
use ldtcat_vocab::Kind;

use crate::state::{AppState, SiteSettings};

/// Where the Records API is mounted.
pub const RECORDS_BASE: &str = "/ogc";
/// Records per page when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 10;
/// The largest `limit`; a larger one is a 400.
pub const MAX_LIMIT: usize = 1_000;

/// The routes of the Records API, to be nested under [`RECORDS_BASE`].
pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(documents::landing))
        .route("/conformance", get(documents::conformance))
        .route("/api", get(openapi::api))
        .route("/collections", get(documents::collections))
        .route("/collections/{collection}", get(documents::collection))
        .route("/collections/{collection}/items", get(items::items))
        .route("/collections/{collection}/items/{record}", get(items::item))
        .route(
            "/collections/{collection}/queryables",
            get(documents::queryables),
        )
        .route(
            "/collections/{collection}/sortables",
            get(documents::sortables),
        )
        .fallback(respond::not_found)
}

/// `/ogc/` (with the slash clients such as OWSLib add): the landing page too.
pub(crate) fn landing_with_slash() -> Router<Arc<AppState>> {
    Router::new().route(&format!("{RECORDS_BASE}/"), get(documents::landing))
}

/// A record collection: the whole catalogue, or the records of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CollectionId {
    /// Every record.
    Catalogue,
    /// The records of one kind.
    Kind(Kind),
}

impl CollectionId {
    /// Every collection: the catalogue first, then one per kind.
    pub(crate) fn all() -> impl Iterator<Item = CollectionId> {
        std::iter::once(CollectionId::Catalogue)
            .chain(Kind::ALL.into_iter().map(CollectionId::Kind))
    }

    /// Its id in URLs.
    pub(crate) fn id(self) -> &'static str {
        match self {
            CollectionId::Catalogue => "catalogue",
            CollectionId::Kind(kind) => kind.as_str(),
        }
    }

    /// The collection with this id.
    pub(crate) fn parse(id: &str) -> Option<CollectionId> {
        CollectionId::all().find(|c| c.id() == id)
    }

    /// Its title.
    pub(crate) fn title(self) -> String {
        match self {
            CollectionId::Catalogue => "Every record of the catalogue".to_owned(),
            CollectionId::Kind(kind) => format!("{} records", kind.label()),
        }
    }

    /// Its description.
    pub(crate) fn description(self) -> String {
        match self {
            CollectionId::Catalogue => {
                "All the resources of this catalogue, of every kind, as OGC API Records.".to_owned()
            }
            CollectionId::Kind(kind) => format!(
                "The resources of kind `{}` ({}) of this catalogue, as OGC API Records.",
                kind.as_str(),
                kind.label()
            ),
        }
    }

    /// The kind it is restricted to.
    pub(crate) fn kind(self) -> Option<Kind> {
        match self {
            CollectionId::Catalogue => None,
            CollectionId::Kind(kind) => Some(kind),
        }
    }
}

/// The absolute URLs of the Records API.
#[derive(Debug, Clone)]
pub(crate) struct Urls {
    site: SiteSettings,
}

impl Urls {
    pub(crate) fn new(site: &SiteSettings) -> Urls {
        Urls { site: site.clone() }
    }

    /// The landing page.
    pub(crate) fn landing(&self) -> String {
        self.site.absolute_url(RECORDS_BASE)
    }

    /// A path under the landing page (`/conformance`).
    pub(crate) fn at(&self, path: &str) -> String {
        self.site.absolute_url(&format!("{RECORDS_BASE}{path}"))
    }

    pub(crate) fn collection(&self, collection: CollectionId) -> String {
        self.at(&format!("/collections/{}", collection.id()))
    }

    pub(crate) fn items(&self, collection: CollectionId) -> String {
        format!("{}/items", self.collection(collection))
    }

    pub(crate) fn item(&self, collection: CollectionId, id: &str) -> String {
        format!("{}/{id}", self.items(collection))
    }

    /// The record's page on the site (`/resources/{id}`), whose RDF forms add an extension.
    pub(crate) fn resource(&self, id: &str) -> String {
        self.site.absolute_url(&format!("/resources/{id}"))
    }
}
