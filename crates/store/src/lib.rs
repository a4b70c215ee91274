#![doc = include_str!("../README.md")]

mod bulk;
#[cfg(test)]
mod bulk_tests;
mod error;
mod federation;
mod feed;
#[cfg(test)]
mod feed_tests;
mod links;
mod read;
mod runs;
pub mod terms;
mod tombstone;
mod write;

pub use bulk::MIN_BULK_RECORDS;
pub use error::StoreError;
pub use federation::Origin;
pub use feed::{FeedEntry, BUCKET_SIZE};
pub use links::checkable_urls;
pub use read::{Provenance, StoreStats, StoredRecord};
pub use runs::{run_iri, HarvestRun, RunQuality, RunStatus, MAX_STORED_MESSAGES};
pub use tombstone::{Tombstone, WithdrawOutcome};
pub use write::{RecordWrite, WriteOutcome};

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};

use oxigraph::store::Store;

/// The catalogue store (cheap to clone: Oxigraph's store is reference-counted).
#[derive(Clone)]
pub struct CatalogStore {
    store: Store,
    /// Serialises the transactions that give out feed sequence numbers.
    sequence_lock: Arc<Mutex<()>>,
    /// Whether any link check is stored (see `links.rs`).
    has_link_checks: Arc<AtomicBool>,
}

impl CatalogStore {
    /// Opens (or creates) the store in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let store = Store::open(data_dir).map_err(|source| StoreError::Open {
            path: data_dir.display().to_string(),
            source,
        })?;
        let store = Self::wrap(store);
        store.ensure_feed_sequences(chrono::Utc::now())?;
        store.probe_link_checks()?;
        Ok(store)
    }

    fn wrap(store: Store) -> Self {
        Self {
            store,
            sequence_lock: Arc::new(Mutex::new(())),
            has_link_checks: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Held while a transaction gives out feed sequence numbers.
    pub(crate) fn sequence_guard(&self) -> MutexGuard<'_, ()> {
        self.sequence_lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// An in-memory store, for tests.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let store = Self::wrap(Store::new().map_err(StoreError::Storage)?);
        store.ensure_feed_sequences(chrono::Utc::now())?;
        Ok(store)
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
