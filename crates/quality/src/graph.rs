//! The data graph of one validation call: the record's statements indexed once by subject,
//! by (subject, predicate) and by (object, predicate), so every constraint is a hash look-up.

use std::collections::HashSet;

use foldhash::fast::RandomState;

use oxrdf::{NamedNodeRef, TermRef, Triple, TripleRef};

use crate::terms::{RDFS_SUB_CLASS_OF, RDF_TYPE};

/// Borrowed indexes over a slice of triples; duplicate triples count once, as in a graph.
///
/// One lifetime serves the triples and the shapes' terms looked up in it: a validation call
/// borrows both for its whole length.
/// The indexes' map: foldhash, seeded per process (as hashbrown's default), about three times
/// faster than std's SipHash on these short keys, which dominated the cost of a record's
/// assessment; the seed keeps crafted IRIs from colliding on purpose.
type Map<K, V> = std::collections::HashMap<K, V, RandomState>;

pub struct DataGraph<'a> {
    triples: Vec<TripleRef<'a>>,
    objects: Map<(TermRef<'a>, NamedNodeRef<'a>), Vec<TermRef<'a>>>,
    subjects: Map<(TermRef<'a>, NamedNodeRef<'a>), Vec<TermRef<'a>>>,
    by_subject: Map<TermRef<'a>, Vec<usize>>,
}

impl<'a> DataGraph<'a> {
    /// Indexes `triples`.
    pub fn new(triples: &'a [Triple]) -> DataGraph<'a> {
        let mut graph = DataGraph {
            triples: Vec::with_capacity(triples.len()),
            objects: Map::with_capacity_and_hasher(triples.len(), RandomState::default()),
            subjects: Map::with_capacity_and_hasher(triples.len(), RandomState::default()),
            by_subject: Map::default(),
        };
        for triple in triples {
            let triple = triple.as_ref();
            let subject: TermRef<'a> = triple.subject.into();
            let objects = graph
                .objects
                .entry((subject, triple.predicate))
                .or_default();
            // A duplicate has the same (subject, predicate) and object: the list is short.
            if objects.contains(&triple.object) {
                continue;
            }
            objects.push(triple.object);
            graph
                .subjects
                .entry((triple.object, triple.predicate))
                .or_default()
                .push(subject);
            graph
                .by_subject
                .entry(subject)
                .or_default()
                .push(graph.triples.len());
            graph.triples.push(triple);
        }
        graph
    }

    /// Every distinct triple, in input order.
    pub fn triples(&self) -> &[TripleRef<'a>] {
        &self.triples
    }

    /// The objects of `subject predicate ?o`.
    pub fn objects(&self, subject: TermRef<'a>, predicate: NamedNodeRef<'a>) -> &[TermRef<'a>] {
        lookup(&self.objects, subject, predicate)
    }

    /// The subjects of `?s predicate object`.
    pub fn subjects(&self, object: TermRef<'a>, predicate: NamedNodeRef<'a>) -> &[TermRef<'a>] {
        lookup(&self.subjects, object, predicate)
    }

    /// The triples whose subject is `subject`.
    pub fn triples_of(&self, subject: TermRef<'a>) -> impl Iterator<Item = TripleRef<'a>> + '_ {
        self.by_subject
            .get(&subject)
            .into_iter()
            .flatten()
            .map(|position| self.triples[*position])
    }

    /// Whether `node` is a SHACL instance of `class`: it has an `rdf:type` that is `class` or
    /// a transitive `rdfs:subClassOf` of it in the data graph.
    pub fn is_instance(&self, node: TermRef<'a>, class: NamedNodeRef<'a>) -> bool {
        let mut pending: Vec<TermRef<'a>> = self.objects(node, rdf_type()).to_vec();
        let mut visited = HashSet::new();
        while let Some(candidate) = pending.pop() {
            if let TermRef::NamedNode(named) = candidate {
                if named.as_str() == class.as_str() {
                    return true;
                }
            }
            if visited.insert(candidate) {
                pending.extend_from_slice(self.objects(candidate, rdfs_sub_class_of()));
            }
        }
        false
    }

    /// The SHACL instances of `class`, in input order, each once.
    pub fn instances_of(&self, class: TermRef<'a>) -> Vec<TermRef<'a>> {
        let mut classes = vec![class];
        let mut visited_classes = HashSet::from([class]);
        let mut instances = Vec::new();
        let mut seen = HashSet::new();
        while let Some(current) = classes.pop() {
            for instance in self.subjects(current, rdf_type()) {
                if seen.insert(*instance) {
                    instances.push(*instance);
                }
            }
            for subclass in self.subjects(current, rdfs_sub_class_of()) {
                if visited_classes.insert(*subclass) {
                    classes.push(*subclass);
                }
            }
        }
        instances
    }
}

fn lookup<'m, 'a>(
    map: &'m Map<(TermRef<'a>, NamedNodeRef<'a>), Vec<TermRef<'a>>>,
    node: TermRef<'a>,
    predicate: NamedNodeRef<'a>,
) -> &'m [TermRef<'a>] {
    map.get(&(node, predicate)).map_or(&[], Vec::as_slice)
}

/// `rdf:type` as a reference.
pub fn rdf_type() -> NamedNodeRef<'static> {
    NamedNodeRef::new_unchecked(RDF_TYPE)
}

fn rdfs_sub_class_of() -> NamedNodeRef<'static> {
    NamedNodeRef::new_unchecked(RDFS_SUB_CLASS_OF)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdf::NamedNode;

    fn named(iri: &str) -> NamedNode {
        NamedNode::new_unchecked(iri)
    }

    #[test]
    fn instances_follow_sub_class_of_and_duplicates_count_once() {
        let triples = vec![
            Triple::new(named("urn:a"), named(RDF_TYPE), named("urn:Sub")),
            Triple::new(named("urn:a"), named(RDF_TYPE), named("urn:Sub")),
            Triple::new(
                named("urn:Sub"),
                named(RDFS_SUB_CLASS_OF),
                named("urn:Super"),
            ),
        ];
        let graph = DataGraph::new(&triples);
        let super_class = named("urn:Super");
        assert_eq!(graph.instances_of(super_class.as_ref().into()).len(), 1);
        assert!(graph.is_instance(named("urn:a").as_ref().into(), super_class.as_ref()));
        assert_eq!(graph.triples().len(), 2);
    }
}
