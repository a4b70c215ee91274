//! Counting facet values from the columns Tantivy keeps for facet fields: one collector for
//! every counted field, which adds one to a per-segment array indexed by the value's term
//! ordinal, and turns only the values some match has into text at the end.
//!
//! It gives the counts of Tantivy's `FacetCollector` asked for the root of each field (the
//! values are single-level facets), without its per-query pass over each field's whole
//! dictionary, its tree of `Facet`s, and one boxed collector per field behind a
//! `MultiCollector`. [`crate::CatalogIndex::reference_facet_counts`] keeps the collector's
//! answer for the tests that compare the two.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::request::{FacetCount, FacetField};

/// Counts the values of some facet fields over the matches of a query.
pub(crate) struct FacetCounter {
    fields: Vec<FacetField>,
}

impl FacetCounter {
    /// A counter of `fields`; its fruit is one count list per field, in this order.
    pub(crate) fn new(fields: &[FacetField]) -> FacetCounter {
        FacetCounter {
            fields: fields.to_vec(),
        }
    }
}

/// One field's column in one segment, and a count per value ordinal.
struct FieldCounts {
    reader: FacetReader,
    counts: Vec<u32>,
}

/// The counter of one segment.
pub(crate) struct SegmentFacetCounter {
    fields: Vec<FieldCounts>,
}

/// Per field, in the counter's order: value → count (values no match has are absent).
pub(crate) type FieldValueCounts = Vec<HashMap<String, u64>>;

impl Collector for FacetCounter {
    type Fruit = FieldValueCounts;
    type Child = SegmentFacetCounter;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounter> {
        let fields = self
            .fields
            .iter()
            .map(|field| {
                let reader = segment.facet_reader(field.as_str())?;
                let counts = vec![0; reader.num_facets()];
                Ok(FieldCounts { reader, counts })
            })
            .collect::<tantivy::Result<Vec<FieldCounts>>>()?;
        Ok(SegmentFacetCounter { fields })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<FieldValueCounts>) -> tantivy::Result<FieldValueCounts> {
        let mut merged: FieldValueCounts = vec![HashMap::new(); self.fields.len()];
        for segment in segments {
            for (total, counts) in merged.iter_mut().zip(segment) {
                if total.is_empty() {
                    *total = counts;
                    continue;
                }
                for (value, count) in counts {
                    *total.entry(value).or_insert(0) += count;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = FieldValueCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for field in &mut self.fields {
            // A record's values are distinct (`document::add_facets`): each counts once.
            for ordinal in field.reader.facet_ords(doc) {
                field.counts[ordinal as usize] += 1;
            }
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for field in &mut self.fields {
            for doc in docs {
                for ordinal in field.reader.facet_ords(*doc) {
                    field.counts[ordinal as usize] += 1;
                }
            }
        }
    }

    fn harvest(self) -> FieldValueCounts {
        self.fields
            .into_iter()
            .map(|field| {
                let mut facet = Facet::root();
                let mut values = HashMap::new();
                for (ordinal, count) in field.counts.iter().enumerate() {
                    if *count == 0 {
                        continue;
                    }
                    // An ordinal of the segment's own dictionary is always found there.
                    if field
                        .reader
                        .facet_from_ord(ordinal as u64, &mut facet)
                        .is_ok()
                    {
                        values.insert(facet.to_path().concat(), u64::from(*count));
                    }
                }
                values
            })
            .collect()
    }
}

/// By count descending, then value; at most `max` values.
pub(crate) fn sorted_counts(counts: HashMap<String, u64>, max: usize) -> Vec<FacetCount> {
    let mut sorted: Vec<FacetCount> = counts
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    sorted.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    sorted.truncate(max);
    sorted
}
