//! The errors of the index crate.

use std::path::PathBuf;

/// What can go wrong while opening, writing or searching the catalogue index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The index directory could not be created.
    #[error("cannot create index directory {path}")]
    CreateDirectory {
        /// The directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The index directory could not be opened by Tantivy.
    #[error("cannot open index directory {path}")]
    OpenDirectory {
        /// The directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: tantivy::directory::error::OpenDirectoryError,
    },
    /// The index on disk was built with another schema, schema version or Tantivy format;
    /// the caller should remove the directory and rebuild the index from the store.
    #[error("the index in {path} does not match this version of ldtcat ({detail}); rebuild it")]
    SchemaMismatch {
        /// The directory.
        path: PathBuf,
        /// What differs.
        detail: String,
    },
    /// Another writer (maybe another process) holds the index lock.
    #[error("the index in {location} is locked by another writer")]
    WriterLocked {
        /// The index directory, or `memory`.
        location: String,
    },
    /// A Tantivy operation failed.
    #[error("cannot {action} (index in {location})")]
    Tantivy {
        /// What we were doing, as a verb phrase (`commit the batch`).
        action: &'static str,
        /// The index directory, or `memory`.
        location: String,
        /// The underlying error.
        #[source]
        source: tantivy::TantivyError,
    },
    /// A stored document lacks a field that every indexed record has.
    #[error("stored document in {location} has no valid `{field}` value")]
    CorruptDocument {
        /// The index directory, or `memory`.
        location: String,
        /// The field name.
        field: &'static str,
    },
}

/// The error of parsing an unknown facet field name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown facet field `{0}` (expected one of kind, theme, publisher, format, licence, source, keyword)"
)]
pub struct UnknownFacetField(pub String);
