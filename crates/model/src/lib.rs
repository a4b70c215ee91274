#![doc = include_str!("../README.md")]

pub mod canon;
pub mod ckan;
pub mod classify;
pub mod contexts;
pub mod describe;
mod error;
pub mod extract;
pub mod format;
pub mod language;
pub mod literal;
pub mod parse;
pub mod record;
pub mod split;
pub mod summary;
pub mod text;
mod xml_entities;

pub use error::ModelError;
pub use language::Languages;
/// What a link check found at a URL: the input of the reachability indicators (from
/// `ldtcat_quality`, for the harvester and the store).
pub use ldtcat_quality::{
    LinkCheck, LinkOutcome, COULD_NOT_CONNECT, DCAT_ACCESS_URL, DCAT_DOWNLOAD_URL, TIMED_OUT,
};
pub use parse::{ParseReport, RdfDocument};
pub use record::{record_id, Record, RecordBuilder};
pub use split::{split_records, RawRecord, Repair, SplitReport};
pub use summary::{
    BoundingBox, LangString, NodeLabel, RecordQuality, RecordSummary, TemporalCoverage,
};
