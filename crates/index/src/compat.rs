//! What compatibility filters need from the index: every distinct requirement term, and the
//! records that offer something as adapters.

use std::collections::BTreeSet;

use ldtcat_compat::{AdapterRecord, Adapters, Offer};
use ldtcat_vocab::Kind;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Query, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use crate::catalog::CatalogIndex;
use crate::error::IndexError;
use crate::request::FacetField;

impl CatalogIndex {
    /// Every distinct requirement term in the index, sorted. Terms of records deleted since
    /// the last segment merge may be among them; they match no live record.
    pub fn requirement_terms(&self) -> Result<Vec<String>, IndexError> {
        self.distinct_terms(self.fields.requirement)
    }

    /// The records that offer something as adapters.
    pub fn adapters(&self) -> Result<Adapters, IndexError> {
        let offers = self.distinct_terms(self.fields.offer)?;
        if offers.is_empty() {
            return Ok(Adapters::default());
        }
        let query = BooleanQuery::union(
            offers
                .iter()
                .map(|text| -> Box<dyn Query> {
                    Box::new(TermQuery::new(
                        Term::from_field_text(self.fields.offer, text),
                        IndexRecordOption::Basic,
                    ))
                })
                .collect(),
        );
        let searcher = self.reader.searcher();
        let addresses = searcher
            .search(&query, &DocSetCollector)
            .map_err(|source| self.tantivy_error("find adapter records", source))?;
        let mut adapters = Vec::with_capacity(addresses.len());
        for address in addresses {
            let document: TantivyDocument = searcher
                .doc(address)
                .map_err(|source| self.tantivy_error("load a stored document", source))?;
            let text = |field| {
                document
                    .get_first(field)
                    .and_then(|value| value.as_str().map(str::to_owned))
                    .unwrap_or_default()
            };
            let kind = document
                .get_first(self.fields.facet(FacetField::Kind))
                .and_then(|value| value.as_facet())
                .and_then(|encoded| Facet::from_encoded(encoded.as_bytes().to_vec()).ok())
                .and_then(|facet| facet.to_path().concat().parse::<Kind>().ok())
                .unwrap_or(Kind::Dataset);
            adapters.push(AdapterRecord {
                id: text(self.fields.id),
                iri: text(self.fields.iri),
                title: text(self.fields.display_title),
                kind,
                offers: document
                    .get_all(self.fields.offer)
                    .filter_map(|value| value.as_str().and_then(Offer::from_term))
                    .collect(),
            });
        }
        Ok(Adapters::new(adapters))
    }

    fn distinct_terms(&self, field: tantivy::schema::Field) -> Result<Vec<String>, IndexError> {
        let searcher = self.reader.searcher();
        let mut terms = BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment
                .inverted_index(field)
                .map_err(|source| self.tantivy_error("read the term dictionary", source))?;
            let mut stream = inverted
                .terms()
                .stream()
                .map_err(|source| self.tantivy_error("read the term dictionary", source.into()))?;
            while stream.advance() {
                if let Ok(text) = std::str::from_utf8(stream.key()) {
                    terms.insert(text.to_owned());
                }
            }
        }
        Ok(terms.into_iter().collect())
    }
}
