//! Canonical form and hash of a record's graph, independent of statement order and of
//! blank-node labels.
//!
//! Blank nodes are labelled by colour refinement (1-dimensional Weisfeiler–Leman): each
//! blank node's colour is repeatedly re-hashed from its statements, with the colours of the
//! blank nodes they mention, until the partition is stable. Nodes that are still tied are
//! then individualised one at a time (smallest colour first) and the refinement re-run, so
//! every blank node gets a distinct colour; sorting by colour gives the labels `c0`, `c1`, ...
//! For the trees of blank nodes that catalogue records contain this labelling is canonical:
//! isomorphic graphs get the same canonical N-Triples. The canonical hash is the SHA-256 of
//! those N-Triples (sorted lines, `\n`-terminated). SHA-256 is used everywhere so that the
//! hash does not change with the Rust version.

use std::collections::{BTreeSet, HashMap};

use oxrdf::{BlankNode, NamedOrBlankNode, Term, Triple};
use sha2::{Digest, Sha256};

type Colour = [u8; 32];

/// A record's graph in canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canonical {
    /// The statements with blank nodes relabelled `{prefix}c{n}` (for storage), sorted.
    pub triples: Vec<Triple>,
    /// Canonical N-Triples, blank nodes labelled `c{n}`.
    pub ntriples: String,
    /// Lowercase hex SHA-256 of `ntriples`.
    pub hash: String,
}

/// Canonicalises `triples`; stored blank nodes are labelled `{label_prefix}c{n}`.
pub fn canonicalize(triples: &[Triple], label_prefix: &str) -> Canonical {
    let labels = canonical_labels(triples);
    let relabel = |node: &BlankNode, prefix: &str| -> BlankNode {
        BlankNode::new_unchecked(format!("{prefix}c{}", labels[node.as_str()]))
    };
    let map = |triple: &Triple, prefix: &str| -> Triple {
        let subject = match &triple.subject {
            NamedOrBlankNode::BlankNode(node) => relabel(node, prefix).into(),
            other => other.clone(),
        };
        let object = match &triple.object {
            Term::BlankNode(node) => relabel(node, prefix).into(),
            other => other.clone(),
        };
        Triple::new(subject, triple.predicate.clone(), object)
    };
    let canonical: BTreeSet<String> = triples
        .iter()
        .map(|t| format!("{} .\n", map(t, "")))
        .collect();
    let ntriples: String = canonical.into_iter().collect();
    let hash = hex(&Sha256::digest(ntriples.as_bytes()));
    let mut stored: Vec<Triple> = triples.iter().map(|t| map(t, label_prefix)).collect();
    stored.sort_by_cached_key(ToString::to_string);
    stored.dedup();
    Canonical {
        triples: stored,
        ntriples,
        hash,
    }
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn canonical_labels(triples: &[Triple]) -> HashMap<String, usize> {
    let mut blanks: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut note = |node: &BlankNode| {
        if !index.contains_key(node.as_str()) {
            index.insert(node.as_str().to_owned(), blanks.len());
            blanks.push(node.as_str().to_owned());
        }
    };
    for triple in triples {
        if let NamedOrBlankNode::BlankNode(node) = &triple.subject {
            note(node);
        }
        if let Term::BlankNode(node) = &triple.object {
            note(node);
        }
    }
    if blanks.is_empty() {
        return HashMap::new();
    }
    let mut colours: Vec<Colour> = vec![[0; 32]; blanks.len()];
    refine(triples, &index, &mut colours);
    loop {
        let mut sorted: Vec<(Colour, usize)> = colours.iter().copied().zip(0..).collect();
        sorted.sort();
        let tie = sorted
            .windows(2)
            .find(|pair| pair[0].0 == pair[1].0)
            .map(|pair| pair[0].1);
        let Some(tied_node) = tie else {
            let mut labels = HashMap::with_capacity(blanks.len());
            for (label, (_, node)) in sorted.into_iter().enumerate() {
                labels.insert(blanks[node].clone(), label);
            }
            return labels;
        };
        let mut hasher = Sha256::new();
        hasher.update(colours[tied_node]);
        hasher.update(b"individualised");
        colours[tied_node] = hasher.finalize().into();
        refine(triples, &index, &mut colours);
    }
}

fn refine(triples: &[Triple], index: &HashMap<String, usize>, colours: &mut [Colour]) {
    let distinct = |colours: &[Colour]| colours.iter().collect::<BTreeSet<_>>().len();
    let mut n_distinct = distinct(colours);
    for _ in 0..=colours.len() {
        let mut signatures: Vec<Vec<String>> = vec![Vec::new(); colours.len()];
        let term_text = |term: &Term, colours: &[Colour]| match term {
            Term::BlankNode(node) => format!("_:{}", hex(&colours[index[node.as_str()]])),
            other => other.to_string(),
        };
        for triple in triples {
            let subject_text = match &triple.subject {
                NamedOrBlankNode::BlankNode(node) => {
                    format!("_:{}", hex(&colours[index[node.as_str()]]))
                }
                other => other.to_string(),
            };
            let object_text = term_text(&triple.object, colours);
            if let NamedOrBlankNode::BlankNode(node) = &triple.subject {
                signatures[index[node.as_str()]]
                    .push(format!("+{} {}", triple.predicate, object_text));
            }
            if let Term::BlankNode(node) = &triple.object {
                signatures[index[node.as_str()]]
                    .push(format!("-{} {}", triple.predicate, subject_text));
            }
        }
        let next: Vec<Colour> = signatures
            .iter_mut()
            .zip(colours.iter())
            .map(|(signature, colour)| {
                signature.sort();
                let mut hasher = Sha256::new();
                hasher.update(colour);
                for line in signature.iter() {
                    hasher.update(line.as_bytes());
                    hasher.update(b"\n");
                }
                hasher.finalize().into()
            })
            .collect();
        colours.copy_from_slice(&next);
        let now = distinct(colours);
        if now == n_distinct && now > 0 {
            // stable partition: one more round changed only the names of the colours
            break;
        }
        n_distinct = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdf::{Literal, NamedNode};

    fn iri(s: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("http://ex.org/{s}"))
    }

    fn graph(blank_a: &str, blank_b: &str, reverse: bool) -> Vec<Triple> {
        let a = BlankNode::new_unchecked(blank_a);
        let b = BlankNode::new_unchecked(blank_b);
        let mut triples = vec![
            Triple::new(iri("ds"), iri("distribution"), a.clone()),
            Triple::new(iri("ds"), iri("distribution"), b.clone()),
            Triple::new(a.clone(), iri("format"), Literal::new_simple_literal("CSV")),
            Triple::new(
                b.clone(),
                iri("format"),
                Literal::new_simple_literal("JSON"),
            ),
            Triple::new(a, iri("license"), iri("cc0")),
            Triple::new(b, iri("license"), iri("cc0")),
        ];
        if reverse {
            triples.reverse();
        }
        triples
    }

    #[test]
    fn hash_ignores_order_and_blank_labels() {
        let one = canonicalize(&graph("x", "y", false), "r1");
        let two = canonicalize(&graph("p", "q", true), "r2");
        assert_eq!(one.hash, two.hash);
        assert_eq!(one.ntriples, two.ntriples);
        assert!(one.triples.iter().any(|t| t.to_string().contains("_:r1c")));
    }

    #[test]
    fn hash_changes_with_content() {
        let mut changed = graph("x", "y", false);
        changed[2] = Triple::new(
            BlankNode::new_unchecked("x"),
            iri("format"),
            Literal::new_simple_literal("XML"),
        );
        assert_ne!(
            canonicalize(&graph("x", "y", false), "").hash,
            canonicalize(&changed, "").hash
        );
    }

    #[test]
    fn symmetric_blank_nodes_get_distinct_labels() {
        let a = BlankNode::new_unchecked("a");
        let b = BlankNode::new_unchecked("b");
        let triples = vec![
            Triple::new(iri("ds"), iri("contact"), a.clone()),
            Triple::new(iri("ds"), iri("contact"), b.clone()),
            Triple::new(a, iri("name"), Literal::new_simple_literal("same")),
            Triple::new(b, iri("name"), Literal::new_simple_literal("same")),
        ];
        let canonical = canonicalize(&triples, "");
        assert_eq!(canonical.ntriples.lines().count(), 4);
        assert!(canonical.ntriples.contains("_:c0") && canonical.ntriples.contains("_:c1"));
    }
}
