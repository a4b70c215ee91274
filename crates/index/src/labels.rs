//! Labels of IRIs from the records that describe them: a theme's `skos:prefLabel` or a
//! publisher's `foaf:name` given once in a source and copied into the records that use it,
//! and every record's titles for its own IRI. One term lookup, then a few stored documents.

use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use ldtcat_model::LangString;

use crate::catalog::CatalogIndex;
use crate::document::SEPARATOR;
use crate::error::IndexError;

/// How many records that label an IRI are read for its labels (they are copies of the same
/// shared node; more than one catches a language only some sources give).
const LABELLING_RECORDS_READ: usize = 3;

impl CatalogIndex {
    /// Every label the indexed records give to `iri`, each once, in the order found
    /// (empty when no record labels it).
    pub fn labels_of(&self, iri: &str) -> Result<Vec<LangString>, IndexError> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.label_iri, iri),
            IndexRecordOption::Basic,
        );
        let found = searcher
            .search(
                &query,
                &TopDocs::with_limit(LABELLING_RECORDS_READ).order_by_score(),
            )
            .map_err(|source| self.tantivy_error("look up a label", source))?;
        let mut labels: Vec<LangString> = Vec::new();
        for (_, address) in found {
            let document: TantivyDocument = searcher
                .doc(address)
                .map_err(|source| self.tantivy_error("load a stored document", source))?;
            for entry in document.get_all(self.fields.labels) {
                let Some((entry_iri, rest)) = entry.as_str().and_then(|e| e.split_once(SEPARATOR))
                else {
                    continue;
                };
                if entry_iri != iri {
                    continue;
                }
                let Some((lang, text)) = rest.split_once(SEPARATOR) else {
                    continue;
                };
                let label = LangString {
                    value: text.to_owned(),
                    lang: (!lang.is_empty()).then(|| lang.to_owned()),
                };
                if !labels.contains(&label) {
                    labels.push(label);
                }
            }
        }
        Ok(labels)
    }

    /// A number that changes whenever the searcher sees a new commit (to invalidate what
    /// callers derived from the index, such as cached labels).
    pub fn generation(&self) -> u64 {
        self.reader.searcher().generation().generation_id()
    }
}

#[cfg(test)]
mod tests {
    use ldtcat_model::NodeLabel;

    use crate::fixtures::{index_of, record};

    use super::*;

    fn label(iri: &str, value: &str, lang: Option<&str>) -> NodeLabel {
        NodeLabel {
            iri: iri.to_owned(),
            label: LangString {
                value: value.to_owned(),
                lang: lang.map(str::to_owned),
            },
        }
    }

    #[test]
    fn shared_nodes_and_records_are_labelled_from_the_index() -> anyhow::Result<()> {
        let theme = "https://example.org/id/theme/santé";
        let mut first = record("a1");
        first.labels = vec![label(theme, "Santé", Some("fr"))];
        let mut second = record("a2");
        second.labels = vec![
            label(theme, "Santé", Some("fr")),
            label(theme, "Health", Some("en")),
        ];
        let catalog = index_of(&[first, second])?;
        let mut found: Vec<String> = catalog
            .labels_of(theme)?
            .into_iter()
            .map(|l| l.value)
            .collect();
        found.sort();
        assert_eq!(found, ["Health", "Santé"]);
        let own = catalog.labels_of("https://example.org/resource/a1")?;
        assert_eq!(own.first().map(|l| l.value.as_str()), Some("Record a1"));
        assert!(catalog.labels_of("https://example.org/unknown")?.is_empty());
        Ok(())
    }
}
