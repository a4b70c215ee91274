//! The parts of a record the indicators read: the record node and its distributions.

use oxrdf::{NamedNodeRef, TermRef};

use crate::graph::DataGraph;

/// A record node and its `dcat:distribution`s in one data graph.
pub struct RecordView<'g, 'a> {
    graph: &'g DataGraph<'a>,
    record: TermRef<'a>,
    distributions: Vec<TermRef<'a>>,
}

impl<'g, 'a> RecordView<'g, 'a> {
    /// The view of `record` in `graph`.
    pub fn new(graph: &'g DataGraph<'a>, record: TermRef<'a>) -> RecordView<'g, 'a> {
        let distribution = NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#distribution");
        let distributions = graph.objects(record, distribution).to_vec();
        RecordView {
            graph,
            record,
            distributions,
        }
    }

    /// The values of `iri` on the record itself.
    pub fn record_values(&self, iri: &'static str) -> &[TermRef<'a>] {
        self.graph
            .objects(self.record, NamedNodeRef::new_unchecked(iri))
    }

    /// Whether the record itself has a value of `iri`.
    pub fn record_has(&self, iri: &'static str) -> bool {
        !self.record_values(iri).is_empty()
    }

    /// The values of `iri` on every distribution.
    pub fn distribution_values(&self, iri: &'static str) -> Vec<TermRef<'a>> {
        let predicate = NamedNodeRef::new_unchecked(iri);
        self.distributions
            .iter()
            .flat_map(|distribution| self.graph.objects(*distribution, predicate).iter().copied())
            .collect()
    }

    /// Whether some distribution has a value of `iri`.
    pub fn some_distribution_has(&self, iri: &'static str) -> bool {
        !self.distribution_values(iri).is_empty()
    }

    /// The values of `iri` on `node` (any node of the graph).
    pub fn values_of(&self, node: TermRef<'a>, iri: &'static str) -> &[TermRef<'a>] {
        self.graph.objects(node, NamedNodeRef::new_unchecked(iri))
    }
}
