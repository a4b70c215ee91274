//! Where a record entered the federation, and the catalogues it came through.
//!
//! A record harvested from a peer ldtcat carries its **origin** (the IRI of the catalogue
//! where it entered the federation) and its **path** (the catalogue IRIs it went through
//! after the origin, in order, ending with the peer it was read from; the origin itself is
//! the first element when it was read through a peer). Its **hop count** is the length of
//! the path: 0 for records that entered here, 1 for a record read from its origin, and so
//! on. Stored on the source's provenance node and, for the source with precedence, on the
//! CatalogRecord: `ldt:originCatalogue` (IRI), `ldt:hops` (integer) and `ldt:path` (one
//! literal, the IRIs separated by spaces). Records without them entered here.

use std::collections::BTreeMap;

use ldtcat_vocab::ns;
use oxigraph::model::{Literal, NamedNode, Term};

use crate::terms::{iri, ldt, url_term};

/// A record's origin catalogue and the catalogues it came through.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// The IRI of the catalogue where the record entered the federation.
    pub catalogue: String,
    /// The catalogue IRIs it went through, origin first, ending with the one it was read from.
    pub path: Vec<String>,
}

impl Origin {
    /// How many harvests separate this copy from the origin.
    pub fn hops(&self) -> u64 {
        self.path.len() as u64
    }

    /// Whether `catalogue` is the origin or on the path (a copy of it would be a loop).
    pub fn passed_through(&self, catalogue: &str) -> bool {
        self.catalogue == catalogue || self.path.iter().any(|c| c == catalogue)
    }
}

/// The hop count of an optional origin (none: the record entered here, 0 hops).
pub(crate) fn hops_of(origin: Option<&Origin>) -> u64 {
    origin.map_or(0, Origin::hops)
}

/// The statements that record `origin` on a CatalogRecord or a provenance node.
pub(crate) fn origin_statements(origin: &Origin) -> Vec<(NamedNode, Term)> {
    vec![
        (ldt("originCatalogue"), url_term(&origin.catalogue)),
        (
            ldt("hops"),
            Literal::new_typed_literal(origin.hops().to_string(), iri(ns::XSD, "integer")).into(),
        ),
        (
            ldt("path"),
            Literal::new_simple_literal(origin.path.join(" ")).into(),
        ),
    ]
}

fn text(term: &Term) -> String {
    match term {
        Term::Literal(literal) => literal.value().to_owned(),
        Term::NamedNode(node) => node.as_str().to_owned(),
        other => other.to_string(),
    }
}

/// The origin recorded among `props` (statements by predicate IRI), if any.
pub(crate) fn read_origin(props: &BTreeMap<String, Vec<Term>>) -> Option<Origin> {
    let catalogue = props
        .get(ldt("originCatalogue").as_str())
        .and_then(|v| v.first())
        .map(text)?;
    let path = props
        .get(ldt("path").as_str())
        .and_then(|v| v.first())
        .map(text)
        .unwrap_or_default();
    Some(Origin {
        catalogue,
        path: path.split_whitespace().map(str::to_owned).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hops_count_the_path_and_loops_are_seen_on_origin_and_path() {
        let origin = Origin {
            catalogue: "http://c/catalog".to_owned(),
            path: vec!["http://c/catalog".to_owned(), "http://b/catalog".to_owned()],
        };
        assert_eq!(origin.hops(), 2);
        assert!(origin.passed_through("http://b/catalog"));
        assert!(origin.passed_through("http://c/catalog"));
        assert!(!origin.passed_through("http://a/catalog"));
        assert_eq!(hops_of(None), 0);
    }
}
