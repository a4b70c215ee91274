//! The catalogue on disk: the store (source of truth) and the index derived from it.
//!
//! Layout of a data directory: `store/` (Oxigraph), `index/` (Tantivy) and, while store
//! writes are not yet reflected in the index, the marker file `index-stale`. The marker is
//! created before the first store write of an import and removed after the index commit
//! that covers it; when a process dies in between, the next open finds the marker and
//! rebuilds the index from the store.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use ldtcat_index::CatalogIndex;
use ldtcat_store::CatalogStore;
use ldtcat_vocab::RuleSet;

/// The store, the index and the rules of one data directory.
pub struct Catalog {
    /// The store.
    pub store: CatalogStore,
    /// The index.
    pub index: Arc<CatalogIndex>,
    /// The classification rules.
    pub rules: Arc<RuleSet>,
    /// This catalogue's own IRI (as published on `/catalog` and the feed): peer harvests
    /// recognise their own records by it. None: peer sources cannot run.
    pub catalogue_iri: Option<String>,
    data_dir: PathBuf,
}

impl Catalog {
    /// Opens (or creates) the catalogue in `data_dir`, rebuilding the index if it is stale
    /// or was written with another schema.
    pub fn open(data_dir: &Path) -> Result<Catalog> {
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("cannot create {}", data_dir.display()))?;
        let store = CatalogStore::open(&data_dir.join("store"))?;
        let index_dir = data_dir.join("index");
        std::fs::create_dir_all(&index_dir)?;
        let (index, fresh) = match CatalogIndex::open(&index_dir) {
            Ok(index) => (index, false),
            Err(ldtcat_index::IndexError::SchemaMismatch { .. }) => {
                tracing::warn!("the index schema changed: rebuilding the index from the store");
                std::fs::remove_dir_all(&index_dir)?;
                std::fs::create_dir_all(&index_dir)?;
                (CatalogIndex::open(&index_dir)?, true)
            }
            Err(error) => return Err(error.into()),
        };
        let catalog = Catalog {
            store,
            index: Arc::new(index),
            rules: Arc::new(RuleSet::builtin()?),
            catalogue_iri: None,
            data_dir: data_dir.to_path_buf(),
        };
        if fresh || catalog.stale_marker().exists() {
            tracing::warn!("the index is behind the store: rebuilding it");
            catalog.reindex()?;
        }
        Ok(catalog)
    }

    /// Names this catalogue (its IRI as published), for peer harvests.
    pub fn with_catalogue_iri(mut self, catalogue_iri: impl Into<String>) -> Catalog {
        self.catalogue_iri = Some(catalogue_iri.into());
        self
    }

    fn stale_marker(&self) -> PathBuf {
        self.data_dir.join("index-stale")
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Marks the index as behind the store (before store writes).
    pub fn mark_index_stale(&self) -> Result<()> {
        std::fs::write(self.stale_marker(), b"store writes not yet indexed\n")
            .context("cannot write the index-stale marker")
    }

    /// Marks the index as up to date (after the index commit).
    pub fn mark_index_fresh(&self) -> Result<()> {
        match std::fs::remove_file(self.stale_marker()) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error.into()),
            _ => Ok(()),
        }
    }

    /// Rebuilds the index from the store alone; returns the number of documents indexed.
    pub fn reindex(&self) -> Result<u64> {
        self.mark_index_stale()?;
        let mut batch = self.index.batch()?;
        batch.delete_all()?;
        let mut indexed = 0;
        for id in self.store.record_ids()? {
            let Some(record) = self.store.record(&id)? else {
                continue;
            };
            if record.deleted_at.is_some() {
                continue;
            }
            batch.upsert(&record.summary())?;
            indexed += 1;
        }
        batch.commit()?;
        self.store.flush()?;
        self.mark_index_fresh()?;
        Ok(indexed)
    }
}
