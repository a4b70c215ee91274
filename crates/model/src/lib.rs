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
pub use parse::{ParseReport, RdfDocument};
pub use record::{record_id, Record, RecordBuilder};
pub use split::{split_records, RawRecord, Repair, SplitReport};
pub use summary::{
    BoundingBox, LangString, NodeLabel, RecordQuality, RecordSummary, TemporalCoverage,
};
