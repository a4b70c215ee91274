//! Errors of the store.

/// An error of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The data directory could not be opened.
    #[error("cannot open the store in {path}: {source}")]
    Open {
        /// The data directory.
        path: String,
        /// Oxigraph's error.
        #[source]
        source: oxigraph::store::StorageError,
    },
    /// A read or write failed.
    #[error("store error: {0}")]
    Storage(#[from] oxigraph::store::StorageError),
    /// A CatalogRecord is missing a mandatory statement (the store was changed outside ldtcat).
    #[error("catalog record {record_id} is incomplete: missing {missing}")]
    IncompleteRecord {
        /// The record id.
        record_id: String,
        /// What is missing.
        missing: &'static str,
    },
}
