//! A read-only view of a record's statements: the objects of a subject and predicate.

use oxrdf::{NamedOrBlankNode, Term, Triple};

/// The statements of one record (or profile, or rule file).
pub(crate) struct View<'a> {
    pub(crate) triples: &'a [Triple],
}

/// The key of a subject: an IRI or a blank node id.
pub(crate) fn subject_key(node: &NamedOrBlankNode) -> &str {
    match node {
        NamedOrBlankNode::NamedNode(n) => n.as_str(),
        NamedOrBlankNode::BlankNode(b) => b.as_str(),
    }
}

/// The node key of an object that is an IRI or a blank node.
pub(crate) fn node_key(term: &Term) -> Option<&str> {
    match term {
        Term::NamedNode(n) => Some(n.as_str()),
        Term::BlankNode(b) => Some(b.as_str()),
        _ => None,
    }
}

/// An IRI, or a literal's lexical form with white space as `%20` (terms are space-separated).
pub(crate) fn value_text(term: &Term) -> Option<String> {
    match term {
        Term::NamedNode(n) => Some(n.as_str().to_owned()),
        Term::Literal(l) if !l.value().trim().is_empty() => {
            Some(l.value().trim().replace(char::is_whitespace, "%20"))
        }
        _ => None,
    }
}

impl<'a> View<'a> {
    pub(crate) fn new(triples: &'a [Triple]) -> View<'a> {
        View { triples }
    }

    pub(crate) fn objects<'b>(
        &'b self,
        subject: &'b str,
        predicate: &'b str,
    ) -> impl Iterator<Item = &'a Term> + 'b {
        self.triples
            .iter()
            .filter(move |t| {
                t.predicate.as_str() == predicate && subject_key(&t.subject) == subject
            })
            .map(|t| &t.object)
    }

    /// IRIs and literal texts, sorted and without repeats.
    pub(crate) fn values(&self, subject: &str, predicate: &str) -> Vec<String> {
        let mut values: Vec<String> = self
            .objects(subject, predicate)
            .filter_map(value_text)
            .collect();
        values.sort();
        values.dedup();
        values
    }

    /// Linked nodes (IRIs or blank nodes).
    pub(crate) fn nodes(&self, subject: &str, predicate: &str) -> Vec<&'a str> {
        self.objects(subject, predicate)
            .filter_map(node_key)
            .collect()
    }
}
