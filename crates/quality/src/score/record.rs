//! The parts of a record the indicators read: the record node and its distributions.

use oxrdf::{NamedNodeRef, TermRef};

use crate::graph::DataGraph;
use crate::links::{all_reachable, LinkCheck};

/// A record node and its `dcat:distribution`s in one data graph, with the last checks of
/// their URLs.
pub struct RecordView<'g, 'a> {
    graph: &'g DataGraph<'a>,
    record: TermRef<'a>,
    distributions: Vec<TermRef<'a>>,
    links: &'g [LinkCheck],
}

impl<'g, 'a> RecordView<'g, 'a> {
    /// The view of `record` in `graph`; `links` are the last checks of URLs.
    pub fn new(
        graph: &'g DataGraph<'a>,
        record: TermRef<'a>,
        links: &'g [LinkCheck],
    ) -> RecordView<'g, 'a> {
        let distribution = NamedNodeRef::new_unchecked("http://www.w3.org/ns/dcat#distribution");
        let distributions = graph.objects(record, distribution).to_vec();
        RecordView {
            graph,
            record,
            distributions,
            links,
        }
    }

    /// Whether every checked URL of `predicate` on the distributions answered (HTTP 200 to
    /// 399); `None` when none was checked (not measured).
    pub fn links_reachable(&self, predicate: &'static str) -> Option<bool> {
        all_reachable(self.graph, self.record, predicate, self.links)
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
