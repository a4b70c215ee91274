#![doc = include_str!("../README.md")]

mod batch;
mod catalog;
mod compat;
mod document;
mod error;
mod facet_count;
mod id_page;
mod labels;
mod language;
mod quality_report;
mod query;
mod request;
mod schema;
mod search;
mod search_cache;
mod space;
mod text_query;

#[cfg(test)]
mod clause_tests;
#[cfg(test)]
mod facet_count_tests;
#[cfg(test)]
mod fixtures;

pub use batch::IndexBatch;
pub use catalog::CatalogIndex;
pub use error::{IndexError, UnknownFacetField};
pub use quality_report::{rating_bounds, QualityReport, BUCKET_POINTS, RATINGS};
pub use request::{
    AfterHit, FacetClause, FacetCount, FacetField, FacetFilter, RequirementClause,
    RequirementFilter, SearchHit, SearchRequest, SearchResults, SortOrder, TimeRange,
    MAX_FACET_VALUES,
};
pub use schema::SCHEMA_VERSION;
pub use space::{FieldSpace, IndexSpace};
