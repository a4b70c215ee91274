//! SHACL property paths: predicate, inverse, sequence, alternative and the three repetition
//! paths, their value nodes in a data graph and their text forms.

use std::collections::HashSet;

use oxrdf::{NamedNode, TermRef};

use crate::graph::DataGraph;
use crate::terms::short_iri;

/// A SHACL property path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Path {
    /// `ex:p`.
    Predicate(NamedNode),
    /// `[ sh:inversePath ex:p ]`.
    Inverse(Box<Path>),
    /// `( ex:a ex:b )`.
    Sequence(Vec<Path>),
    /// `[ sh:alternativePath ( ex:a ex:b ) ]`.
    Alternative(Vec<Path>),
    /// `[ sh:zeroOrMorePath ex:p ]`.
    ZeroOrMore(Box<Path>),
    /// `[ sh:oneOrMorePath ex:p ]`.
    OneOrMore(Box<Path>),
    /// `[ sh:zeroOrOnePath ex:p ]`.
    ZeroOrOne(Box<Path>),
}

impl Path {
    /// The value nodes of this path from `focus`, each once, in a stable order.
    pub fn values<'a>(&'a self, graph: &DataGraph<'a>, focus: TermRef<'a>) -> Vec<TermRef<'a>> {
        if let Path::Predicate(predicate) = self {
            // The index holds each triple once: a predicate's values are already distinct.
            return graph.objects(focus, predicate.as_ref()).to_vec();
        }
        let mut values = Vec::new();
        self.walk(graph, focus, false, &mut values);
        let mut seen = HashSet::with_capacity(values.len());
        values.retain(|value| seen.insert(*value));
        values
    }

    fn walk<'a>(
        &'a self,
        graph: &DataGraph<'a>,
        from: TermRef<'a>,
        inverse: bool,
        out: &mut Vec<TermRef<'a>>,
    ) {
        match self {
            Path::Predicate(predicate) if inverse => {
                out.extend_from_slice(graph.subjects(from, predicate.as_ref()))
            }
            Path::Predicate(predicate) => {
                out.extend_from_slice(graph.objects(from, predicate.as_ref()))
            }
            Path::Inverse(inner) => inner.walk(graph, from, !inverse, out),
            Path::Alternative(paths) => paths
                .iter()
                .for_each(|path| path.walk(graph, from, inverse, out)),
            Path::Sequence(paths) => {
                let mut current = vec![from];
                let ordered: Vec<&Path> = if inverse {
                    paths.iter().rev().collect()
                } else {
                    paths.iter().collect()
                };
                for path in ordered {
                    let mut next = Vec::new();
                    for node in current {
                        path.walk(graph, node, inverse, &mut next);
                    }
                    current = next;
                }
                out.extend(current);
            }
            Path::ZeroOrOne(inner) => {
                out.push(from);
                inner.walk(graph, from, inverse, out);
            }
            Path::ZeroOrMore(inner) => {
                out.push(from);
                closure(inner, graph, from, inverse, out);
            }
            Path::OneOrMore(inner) => closure(inner, graph, from, inverse, out),
        }
    }

    /// The stable key used to compare with other tools: `<iri>`, `^<iri>`, `(<a> / <b>)`,
    /// `(<a> | <b>)`, `<p>*`, `<p>+`, `<p>?`.
    pub fn key(&self) -> String {
        self.text(&|iri| format!("<{iri}>"))
    }

    /// The text shown in messages: `dct:title`, `^dcat:inSeries`, ...
    pub fn short(&self) -> String {
        self.text(&short_iri)
    }

    fn text(&self, iri: &dyn Fn(&str) -> String) -> String {
        let join = |paths: &[Path], separator: &str| {
            let parts: Vec<String> = paths.iter().map(|path| path.text(iri)).collect();
            format!("({})", parts.join(separator))
        };
        match self {
            Path::Predicate(predicate) => iri(predicate.as_str()),
            Path::Inverse(inner) => format!("^{}", inner.text(iri)),
            Path::Sequence(paths) => join(paths, " / "),
            Path::Alternative(paths) => join(paths, " | "),
            Path::ZeroOrMore(inner) => format!("{}*", inner.text(iri)),
            Path::OneOrMore(inner) => format!("{}+", inner.text(iri)),
            Path::ZeroOrOne(inner) => format!("{}?", inner.text(iri)),
        }
    }
}

/// One or more steps of `inner` from `from`, breadth first, each node once.
fn closure<'a>(
    inner: &'a Path,
    graph: &DataGraph<'a>,
    from: TermRef<'a>,
    inverse: bool,
    out: &mut Vec<TermRef<'a>>,
) {
    let mut visited = HashSet::new();
    let mut frontier = vec![from];
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for node in frontier {
            inner.walk(graph, node, inverse, &mut next);
        }
        next.retain(|node| visited.insert(*node));
        out.extend_from_slice(&next);
        frontier = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdf::Triple;

    fn named(iri: &str) -> NamedNode {
        NamedNode::new_unchecked(iri)
    }

    #[test]
    fn inverse_sequence_and_closure_paths_reach_the_expected_nodes() {
        let triples = vec![
            Triple::new(named("urn:a"), named("urn:p"), named("urn:b")),
            Triple::new(named("urn:b"), named("urn:p"), named("urn:c")),
            Triple::new(named("urn:c"), named("urn:q"), named("urn:d")),
        ];
        let graph = DataGraph::new(&triples);
        let p = Path::Predicate(named("urn:p"));
        let q = Path::Predicate(named("urn:q"));
        let a = named("urn:a");
        let d = named("urn:d");
        let sequence = Path::Sequence(vec![p.clone(), p.clone(), q.clone()]);
        assert_eq!(
            sequence.values(&graph, a.as_ref().into()),
            vec![TermRef::from(d.as_ref())]
        );
        let inverse = Path::Inverse(Box::new(sequence));
        assert_eq!(
            inverse.values(&graph, d.as_ref().into()),
            vec![TermRef::from(a.as_ref())]
        );
        assert_eq!(
            Path::OneOrMore(Box::new(p.clone()))
                .values(&graph, a.as_ref().into())
                .len(),
            2
        );
        assert_eq!(inverse.key(), "^(<urn:p> / <urn:p> / <urn:q>)");
    }
}
