//! [`CatalogIndex`]: opening (and checking) the index, and starting write batches.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, IndexSettings, ReloadPolicy, TantivyError};

use crate::batch::IndexBatch;
use crate::error::IndexError;
use crate::language::register_tokenizers;
use crate::schema::{build_schema, commit_payload, Fields};
use crate::search_cache::SearchCache;
use crate::text_query::TextParser;

/// The memory budget of a batch's writer, shared by its threads.
const WRITER_MEMORY_BYTES: usize = 64_000_000;

/// The catalogue's search index: a Tantivy index and a reader that is reloaded after every
/// commit of an [`IndexBatch`] (and on [`CatalogIndex::reload`]).
///
/// Cloning is cheap and clones share the index.
#[derive(Clone)]
pub struct CatalogIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    pub(crate) parser: TextParser,
    /// The directory, or `memory`, for error messages.
    pub(crate) location: String,
    /// Answers and counts of searches, for the searcher generation they were made at.
    pub(crate) cache: Arc<SearchCache>,
}

impl fmt::Debug for CatalogIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CatalogIndex")
            .field("location", &self.location)
            .field("num_docs", &self.num_docs())
            .finish_non_exhaustive()
    }
}

impl CatalogIndex {
    /// Opens the index in `dir`, creating the directory and an empty index if missing.
    ///
    /// Fails with [`IndexError::SchemaMismatch`] if the index there was built with another
    /// schema, [`SCHEMA_VERSION`](crate::SCHEMA_VERSION) or Tantivy format: the caller then
    /// removes the directory and rebuilds the index from the store.
    pub fn open(dir: &Path) -> Result<CatalogIndex, IndexError> {
        std::fs::create_dir_all(dir).map_err(|source| IndexError::CreateDirectory {
            path: dir.to_owned(),
            source,
        })?;
        let directory = MmapDirectory::open(dir).map_err(|source| IndexError::OpenDirectory {
            path: dir.to_owned(),
            source,
        })?;
        let location = dir.display().to_string();
        let tantivy_error = |action, source| IndexError::Tantivy {
            action,
            location: location.clone(),
            source,
        };
        let (schema, fields) = build_schema();
        let exists = Index::exists(&directory)
            .map_err(|source| tantivy_error("look for an index", source.into()))?;
        let index = if exists {
            let index = Index::open(directory).map_err(|source| match source {
                TantivyError::IncompatibleIndex(_) | TantivyError::DataCorruption(_) => {
                    IndexError::SchemaMismatch {
                        path: dir.to_owned(),
                        detail: source.to_string(),
                    }
                }
                other => tantivy_error("open the index", other),
            })?;
            check_compatible(&index, &schema, dir)?;
            index
        } else {
            Index::create(directory, schema, IndexSettings::default())
                .map_err(|source| tantivy_error("create the index", source))?
        };
        CatalogIndex::from_index(index, fields, location)
    }

    /// Creates an empty index in memory (for tests and throw-away catalogues).
    pub fn open_in_ram() -> Result<CatalogIndex, IndexError> {
        let (schema, fields) = build_schema();
        CatalogIndex::from_index(Index::create_in_ram(schema), fields, "memory".to_owned())
    }

    fn from_index(
        index: Index,
        fields: Fields,
        location: String,
    ) -> Result<CatalogIndex, IndexError> {
        register_tokenizers(index.tokenizers());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|source| IndexError::Tantivy {
                action: "open an index reader",
                location: location.clone(),
                source,
            })?;
        let parser = TextParser::new(&index, &fields);
        Ok(CatalogIndex {
            index,
            reader,
            fields,
            parser,
            location,
            cache: Arc::new(SearchCache::new()),
        })
    }

    /// Starts a batch of changes, made visible together by [`IndexBatch::commit`].
    ///
    /// Only one batch can be open at a time, across processes for an index on disk:
    /// otherwise this fails with [`IndexError::WriterLocked`].
    pub fn batch(&self) -> Result<IndexBatch<'_>, IndexError> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
        let writer = self
            .index
            .writer_with_num_threads(threads, WRITER_MEMORY_BYTES)
            .map_err(|source| match source {
                TantivyError::LockFailure(..) => IndexError::WriterLocked {
                    location: self.location.clone(),
                },
                other => self.tantivy_error("start a write batch", other),
            })?;
        Ok(IndexBatch::new(self, writer))
    }

    /// The number of searchable documents (one per record).
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Makes the latest commit searchable, e.g. one made by another process.
    ///
    /// Commits through this handle (or a clone) reload by themselves.
    pub fn reload(&self) -> Result<(), IndexError> {
        self.reader
            .reload()
            .map_err(|source| self.tantivy_error("reload the index reader", source))
    }

    pub(crate) fn tantivy_error(&self, action: &'static str, source: TantivyError) -> IndexError {
        IndexError::Tantivy {
            action,
            location: self.location.clone(),
            source,
        }
    }
}

/// Checks the schema and the schema version in the payload of the last commit.
fn check_compatible(
    index: &Index,
    schema: &tantivy::schema::Schema,
    dir: &Path,
) -> Result<(), IndexError> {
    let mismatch = |detail: String| IndexError::SchemaMismatch {
        path: dir.to_owned(),
        detail,
    };
    if index.schema() != *schema {
        return Err(mismatch("its fields differ".to_owned()));
    }
    let metas = index
        .load_metas()
        .map_err(|source| mismatch(source.to_string()))?;
    let expected = commit_payload();
    match metas.payload {
        Some(found) if found != expected => Err(mismatch(format!(
            "last commit says `{found}`, expected `{expected}`"
        ))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{index_of, record};

    #[test]
    fn the_index_can_be_shared_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<CatalogIndex>();
    }

    #[test]
    fn reopening_a_disk_index_keeps_its_documents() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("index");
        {
            let catalog = CatalogIndex::open(&path)?;
            assert_eq!(catalog.num_docs(), 0);
            let mut batch = catalog.batch()?;
            batch.upsert(&record("a"))?;
            batch.upsert(&record("b"))?;
            batch.commit()?;
            assert_eq!(catalog.num_docs(), 2);
        }
        let reopened = CatalogIndex::open(&path)?;
        assert_eq!(reopened.num_docs(), 2);
        Ok(())
    }

    #[test]
    fn a_foreign_schema_is_a_mismatch() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let mut builder = tantivy::schema::Schema::builder();
        builder.add_text_field("title", tantivy::schema::TEXT);
        Index::create_in_dir(dir.path(), builder.build())?;
        let error = CatalogIndex::open(dir.path()).err();
        assert!(
            matches!(error, Some(IndexError::SchemaMismatch { .. })),
            "{error:?}"
        );
        Ok(())
    }

    #[test]
    fn another_schema_version_is_a_mismatch() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let (schema, _) = build_schema();
        let index = Index::create_in_dir(dir.path(), schema)?;
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload("ldtcat-index schema 0");
        prepared.commit()?;
        drop(writer);
        let error = CatalogIndex::open(dir.path()).err();
        assert!(
            matches!(&error, Some(IndexError::SchemaMismatch { detail, .. }) if detail.contains("schema 0")),
            "{error:?}"
        );
        Ok(())
    }

    #[test]
    fn a_second_batch_waits_for_the_first() -> anyhow::Result<()> {
        let catalog = index_of(&[])?;
        let first = catalog.batch()?;
        assert!(matches!(
            catalog.batch(),
            Err(IndexError::WriterLocked { .. })
        ));
        drop(first);
        assert!(catalog.batch().is_ok());
        Ok(())
    }
}
