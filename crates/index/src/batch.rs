//! [`IndexBatch`]: the one way to change the index, committed as a whole.

use tantivy::query::AllQuery;
use tantivy::{IndexWriter, Term};

use ldtcat_model::summary::RecordSummary;

use crate::catalog::CatalogIndex;
use crate::document::record_document;
use crate::error::IndexError;
use crate::schema::commit_payload;

/// A set of changes to the index, invisible to searches until [`IndexBatch::commit`].
///
/// Dropping a batch without committing discards its changes. Operations apply in call
/// order: a delete removes what earlier calls of the same batch added.
pub struct IndexBatch<'a> {
    catalog: &'a CatalogIndex,
    writer: IndexWriter,
}

impl std::fmt::Debug for IndexBatch<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexBatch")
            .field("location", &self.catalog.location)
            .finish_non_exhaustive()
    }
}

impl<'a> IndexBatch<'a> {
    pub(crate) fn new(catalog: &'a CatalogIndex, writer: IndexWriter) -> IndexBatch<'a> {
        IndexBatch { catalog, writer }
    }

    /// Adds the record, replacing any document with the same id.
    pub fn upsert(&mut self, record: &RecordSummary) -> Result<(), IndexError> {
        self.delete(&record.id);
        let document = record_document(&self.catalog.fields, record);
        self.writer
            .add_document(document)
            .map_err(|source| self.catalog.tantivy_error("add a document", source))?;
        Ok(())
    }

    /// Removes the document of a record, if there is one.
    pub fn delete(&mut self, record_id: &str) {
        let term = Term::from_field_text(self.catalog.fields.id, record_id);
        self.writer.delete_term(term);
    }

    /// Removes every document, including those added earlier in this batch.
    pub fn delete_all(&mut self) -> Result<(), IndexError> {
        self.writer
            .delete_query(Box::new(AllQuery))
            .map_err(|source| self.catalog.tantivy_error("delete all documents", source))?;
        Ok(())
    }

    /// Commits the batch (stamped with the schema version), waits for merges, and reloads
    /// the reader so that searches see the changes.
    pub fn commit(mut self) -> Result<(), IndexError> {
        let catalog = self.catalog;
        let mut prepared = self
            .writer
            .prepare_commit()
            .map_err(|source| catalog.tantivy_error("prepare the commit", source))?;
        prepared.set_payload(&commit_payload());
        prepared
            .commit()
            .map_err(|source| catalog.tantivy_error("commit the batch", source))?;
        self.writer
            .wait_merging_threads()
            .map_err(|source| catalog.tantivy_error("finish merging segments", source))?;
        catalog.reload()
    }
}

#[cfg(test)]
mod tests {
    use crate::fixtures::{index_of, record, text};
    use crate::SearchRequest;

    fn ids(catalog: &crate::CatalogIndex, query: &str) -> anyhow::Result<Vec<String>> {
        let request = SearchRequest {
            text: query.to_owned(),
            ..SearchRequest::default()
        };
        Ok(catalog
            .search(&request)?
            .hits
            .into_iter()
            .map(|hit| hit.id)
            .collect())
    }

    #[test]
    fn upserting_twice_keeps_one_document() -> anyhow::Result<()> {
        let catalog = index_of(&[record("a")])?;
        let mut renamed = record("a");
        renamed.titles = vec![text(Some("en"), "Renamed")];
        let mut batch = catalog.batch()?;
        batch.upsert(&renamed)?;
        batch.upsert(&renamed)?;
        batch.commit()?;
        assert_eq!(catalog.num_docs(), 1);
        assert_eq!(ids(&catalog, "renamed")?, vec!["a"]);
        assert!(ids(&catalog, "record")?.is_empty());
        Ok(())
    }

    #[test]
    fn delete_removes_only_that_record() -> anyhow::Result<()> {
        let catalog = index_of(&[record("a"), record("b")])?;
        let mut batch = catalog.batch()?;
        batch.delete("a");
        batch.delete("no-such-record");
        batch.commit()?;
        assert_eq!(catalog.num_docs(), 1);
        assert_eq!(ids(&catalog, "")?, vec!["b"]);
        Ok(())
    }

    #[test]
    fn delete_all_removes_earlier_documents_only() -> anyhow::Result<()> {
        let catalog = index_of(&[record("a"), record("b")])?;
        let mut batch = catalog.batch()?;
        batch.upsert(&record("c"))?;
        batch.delete_all()?;
        batch.upsert(&record("d"))?;
        batch.commit()?;
        assert_eq!(ids(&catalog, "")?, vec!["d"]);
        Ok(())
    }

    #[test]
    fn nothing_is_visible_before_commit() -> anyhow::Result<()> {
        let catalog = index_of(&[])?;
        let mut batch = catalog.batch()?;
        batch.upsert(&record("a"))?;
        assert_eq!(catalog.num_docs(), 0);
        drop(batch);
        assert_eq!(catalog.num_docs(), 0);
        let mut batch = catalog.batch()?;
        batch.upsert(&record("a"))?;
        batch.commit()?;
        assert_eq!(catalog.num_docs(), 1);
        Ok(())
    }
}
