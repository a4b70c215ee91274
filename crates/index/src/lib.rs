#![doc = include_str!("../README.md")]

mod batch;
mod catalog;
mod compat;
mod document;
mod error;
mod language;
mod query;
mod request;
mod schema;
mod search;
mod text_query;

#[cfg(test)]
mod fixtures;

pub use batch::IndexBatch;
pub use catalog::CatalogIndex;
pub use error::{IndexError, UnknownFacetField};
pub use request::{
    FacetCount, FacetField, FacetFilter, RequirementClause, RequirementFilter, SearchHit,
    SearchRequest, SearchResults, SortOrder, MAX_FACET_VALUES,
};
pub use schema::SCHEMA_VERSION;
