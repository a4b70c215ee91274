#![doc = include_str!("../README.md")]

mod error;
mod read;
mod runs;
pub mod terms;
mod tombstone;
mod write;

pub use error::StoreError;
pub use read::{Provenance, StoreStats, StoredRecord};
pub use runs::{run_iri, HarvestRun, RunStatus, MAX_STORED_MESSAGES};
pub use tombstone::{Tombstone, WithdrawOutcome};
pub use write::{RecordWrite, WriteOutcome};

use std::path::Path;

use oxigraph::store::Store;

/// The catalogue store (cheap to clone: Oxigraph's store is reference-counted).
#[derive(Clone)]
pub struct CatalogStore {
    store: Store,
}

impl CatalogStore {
    /// Opens (or creates) the store in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let store = Store::open(data_dir).map_err(|source| StoreError::Open {
            path: data_dir.display().to_string(),
            source,
        })?;
        Ok(Self { store })
    }

    /// An in-memory store, for tests.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Ok(Self {
            store: Store::new().map_err(StoreError::Storage)?,
        })
    }

    /// The underlying Oxigraph store, for SPARQL evaluation.
    pub fn oxigraph(&self) -> &Store {
        &self.store
    }

    /// Flushes buffered writes to disk.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.store.flush().map_err(StoreError::Storage)
    }
}
