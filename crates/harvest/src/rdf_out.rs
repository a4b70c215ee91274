//! A page of mapped records as N-Triples: what the XML kinds (CSW, OAI-PMH) hand on to the
//! run. Blank nodes get labels unique in the page (a prefix per record).

use std::fmt::Write as _;

use ldtcat_vocab::ns;
use oxrdf::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use url::Url;

/// An IRI in a namespace.
pub fn iri(namespace: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{namespace}{local}"))
}

/// The text as an IRI when it is an absolute http(s) URL.
pub fn http_iri(text: &str) -> Option<NamedNode> {
    let text = text.trim();
    if !(text.starts_with("http://") || text.starts_with("https://")) {
        return None;
    }
    Url::parse(text)
        .ok()
        .and_then(|url| NamedNode::new(url.as_str()).ok())
}

/// A literal in a language when the tag is a valid one, else a plain literal.
pub fn text_literal(text: &str, language: Option<&str>) -> Term {
    match language.and_then(|tag| Literal::new_language_tagged_literal(text, tag).ok()) {
        Some(literal) => literal.into(),
        None => Literal::new_simple_literal(text).into(),
    }
}

/// A date or date-time as `xsd:date` / `xsd:dateTime` after its shape (a bare year is
/// `xsd:gYear`); anything else a plain literal.
pub fn date_literal(text: &str) -> Term {
    let text = text.trim();
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let datatype = if text.len() == 4 && digits(text) {
        "gYear"
    } else if text.len() == 10 && text.as_bytes().get(4) == Some(&b'-') {
        "date"
    } else if text.len() >= 19 && text.as_bytes().get(10) == Some(&b'T') {
        "dateTime"
    } else {
        return Literal::new_simple_literal(text).into();
    };
    Literal::new_typed_literal(text, iri(ns::XSD, datatype)).into()
}

/// Statements being written, as N-Triples.
#[derive(Default)]
pub struct Graph {
    out: String,
    blank: u64,
    prefix: String,
    statements: u64,
}

impl Graph {
    /// Starts a record: its blank nodes get labels with `prefix`.
    pub fn start_record(&mut self, prefix: &str) {
        prefix.clone_into(&mut self.prefix);
        self.blank = 0;
    }

    /// Adds a statement.
    pub fn add(
        &mut self,
        subject: &NamedOrBlankNode,
        predicate: NamedNode,
        object: impl Into<Term>,
    ) {
        self.statements += 1;
        let _ = writeln!(
            self.out,
            "{} .",
            Triple::new(subject.clone(), predicate, object.into())
        );
    }

    /// Adds `subject rdf:type class`.
    pub fn typed(&mut self, subject: &NamedOrBlankNode, namespace: &str, class: &str) {
        self.add(subject, iri(ns::RDF, "type"), iri(namespace, class));
    }

    /// A new blank node.
    pub fn blank(&mut self) -> NamedOrBlankNode {
        self.blank += 1;
        BlankNode::new_unchecked(format!("{}b{}", self.prefix, self.blank)).into()
    }

    /// How many statements were written.
    pub fn statements(&self) -> u64 {
        self.statements
    }

    /// The N-Triples text.
    pub fn into_ntriples(self) -> String {
        self.out
    }

    /// The length of the text so far (to undo a record that failed midway).
    pub fn mark(&self) -> (usize, u64) {
        (self.out.len(), self.statements)
    }

    /// Drops what was written after `mark`.
    pub fn undo_to(&mut self, mark: (usize, u64)) {
        self.out.truncate(mark.0);
        self.statements = mark.1;
    }
}

/// The IRI ldtcat gives a record whose metadata names no http(s) IRI for its resource:
/// `https://w3id.org/ldtcat/.well-known/genid/{source}/{key}`, the key the first 16 bytes (hex)
/// of the SHA-256 of `record:` followed by the record's identifier (ISO `gmd:fileIdentifier`,
/// `dc:identifier`, or the OAI-PMH identifier). The same identifier always gives the same IRI,
/// so an OAI-PMH deleted header finds the record it deletes.
pub fn record_iri(source_id: &str, identifier: &str) -> NamedNode {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("record:{}", identifier.trim()).as_bytes());
    let key: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    NamedNode::new_unchecked(format!("{}{source_id}/{key}", ns::LDT_GENID))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_typed_by_shape_and_record_iris_are_stable() {
        assert_eq!(
            date_literal("2009-10-09").to_string(),
            "\"2009-10-09\"^^<http://www.w3.org/2001/XMLSchema#date>"
        );
        assert!(date_literal("2009-10-09T10:00:00Z")
            .to_string()
            .ends_with("#dateTime>"));
        assert_eq!(date_literal("around 2009").to_string(), "\"around 2009\"");
        assert_eq!(record_iri("s", "abc"), record_iri("s", " abc "));
        assert_ne!(record_iri("s", "abc"), record_iri("t", "abc"));
        assert!(http_iri("urn:uuid:1").is_none());
        assert!(
            http_iri("http://x.org/a b").is_some(),
            "repaired by the URL parser"
        );
    }
}
