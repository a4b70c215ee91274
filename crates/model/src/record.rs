//! Records: a catalogued resource's graph, with its id, kind, canonical form and hash.
//! Ill-typed literals are replaced by well-typed ones before the hash ([`crate::literal`]);
//! the record keeps the original statements as its corrections.
//!
//! **Record id.** The first 16 bytes of the SHA-256 of the resource IRI, in hex: stable,
//! URL-safe, and the same in every ldtcat instance, so a record has one id across a
//! federation.
//!
//! **Skolem IRIs.** A resource that is a blank node gets the IRI
//! `https://w3id.org/ldtcat/.well-known/genid/{source_id}/{key}`, where `key` is the first
//! 16 bytes (hex) of the SHA-256 of its `dct:identifier` values (sorted, one per line) or,
//! when it has none, of its own literal statements (`predicate value` lines, sorted). The same
//! description from the same source therefore gets the same IRI on every harvest, whatever
//! blank-node labels the document used. Links to it from other records of the same document
//! are rewritten to the skolem IRI.

use std::collections::HashMap;

use ldtcat_vocab::{ns, Kind, RuleSet};
use oxrdf::{BlankNode, NamedNode, NamedOrBlankNode, Term, Triple};
use sha2::{Digest, Sha256};

use crate::canon::{canonicalize, hex};
use crate::classify::classify;
use crate::literal::{make_well_typed, Correction};
use crate::split::{RawRecord, Repair};

/// One catalogued resource, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The record id (see the module documentation).
    pub id: String,
    /// The resource IRI (a skolem IRI for blank-node resources).
    pub iri: String,
    /// The kind assigned by the classification rules.
    pub kind: Kind,
    /// The IRI of the rule that assigned it.
    pub rule: String,
    /// The statements, blank nodes labelled per record (`r{id prefix}c{n}`), sorted.
    pub triples: Vec<Triple>,
    /// Canonical N-Triples (blank nodes `c{n}`).
    pub canonical_ntriples: String,
    /// SHA-256 (hex) of the canonical N-Triples.
    pub hash: String,
    /// Whether the IRI was minted for a blank node.
    pub skolemized: bool,
    /// The statements whose ill-typed literal was replaced by a well-typed one
    /// ([`crate::literal`]), as the source gave them.
    pub corrections: Vec<Correction>,
    /// The statements in which parsing repaired an IRI or a language tag.
    pub repairs: Vec<Repair>,
}

/// The record id of a resource IRI.
pub fn record_id(iri: &str) -> String {
    hex(&Sha256::digest(iri.as_bytes())[..16])
}

/// Turns the raw records of one document into [`Record`]s, remembering the skolem IRIs it
/// minted so that later records of the same document link to them.
pub struct RecordBuilder<'r> {
    rules: &'r RuleSet,
    source_id: String,
    skolem_iris: HashMap<BlankNode, NamedNode>,
}

impl<'r> RecordBuilder<'r> {
    /// A builder for one document of the source `source_id`.
    pub fn new(rules: &'r RuleSet, source_id: &str) -> Self {
        Self {
            rules,
            source_id: source_id.to_owned(),
            skolem_iris: HashMap::new(),
        }
    }

    /// Builds the record; blank-node records must come before the records linking to them
    /// (as [`crate::split::split_records`] hands them over).
    pub fn build(&mut self, raw: RawRecord) -> Record {
        let (iri, skolemized) = match &raw.root {
            NamedOrBlankNode::NamedNode(node) => (node.clone(), false),
            NamedOrBlankNode::BlankNode(node) => {
                let iri = self.skolem_iri(node, &raw.triples);
                self.skolem_iris.insert(node.clone(), iri.clone());
                (iri, true)
            }
        };
        let mut triples: Vec<Triple> = raw.triples.iter().map(|t| self.rewrite(t)).collect();
        let corrections = make_well_typed(&mut triples);
        if !corrections.is_empty() {
            // Two statements may have become one (` 2015` and `2015`).
            let mut seen = std::collections::HashSet::with_capacity(triples.len());
            triples.retain(|triple| seen.insert(triple.clone()));
        }
        let id = record_id(iri.as_str());
        let canonical = canonicalize(&triples, &format!("r{}", &id[..12]));
        let (kind, rule) = classify(self.rules, &canonical.triples, iri.as_str())
            .map(|(kind, rule)| (kind, rule.to_owned()))
            .unwrap_or((Kind::Dataset, format!("{}fallback", ns::LDT_RULE)));
        Record {
            id,
            iri: iri.into_string(),
            kind,
            rule,
            triples: canonical.triples,
            canonical_ntriples: canonical.ntriples,
            hash: canonical.hash,
            skolemized,
            corrections,
            repairs: raw.repairs,
        }
    }

    fn rewrite(&self, triple: &Triple) -> Triple {
        let subject = match &triple.subject {
            NamedOrBlankNode::BlankNode(node) => match self.skolem_iris.get(node) {
                Some(iri) => iri.clone().into(),
                None => triple.subject.clone(),
            },
            other => other.clone(),
        };
        let object = match &triple.object {
            Term::BlankNode(node) => match self.skolem_iris.get(node) {
                Some(iri) => iri.clone().into(),
                None => triple.object.clone(),
            },
            other => other.clone(),
        };
        Triple::new(subject, triple.predicate.clone(), object)
    }

    fn skolem_iri(&self, root: &BlankNode, triples: &[Triple]) -> NamedNode {
        let identifier = format!("{}identifier", ns::DCT);
        let own_literals: Vec<(String, String)> = triples
            .iter()
            .filter(|t| matches!(&t.subject, NamedOrBlankNode::BlankNode(b) if b == root))
            .filter_map(|t| match &t.object {
                Term::Literal(literal) => {
                    Some((t.predicate.as_str().to_owned(), literal.to_string()))
                }
                _ => None,
            })
            .collect();
        let mut lines: Vec<String> = own_literals
            .iter()
            .filter(|(predicate, _)| *predicate == identifier)
            .map(|(_, value)| value.clone())
            .collect();
        if lines.is_empty() {
            lines = own_literals
                .iter()
                .map(|(p, v)| format!("{p} {v}"))
                .collect();
        }
        lines.sort();
        let key = hex(&Sha256::digest(lines.join("\n").as_bytes())[..16]);
        NamedNode::new_unchecked(format!("{}{}/{key}", ns::LDT_GENID, self.source_id))
    }
}
