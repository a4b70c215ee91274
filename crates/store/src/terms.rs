//! The IRIs and literals the store writes.

use chrono::{DateTime, SecondsFormat, Utc};
use ldtcat_vocab::ns;
use oxigraph::model::{GraphName, Literal, NamedNode, Term};

/// The graph of CatalogRecords.
pub const CATALOG_GRAPH: &str = "urn:ldtcat:catalog";

/// The graph (and CatalogRecord IRI) of a record.
pub fn record_node(record_id: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("urn:ldtcat:record:{record_id}"))
}

/// The record id of a record graph or CatalogRecord IRI.
pub fn record_id_of(iri: &str) -> Option<&str> {
    iri.strip_prefix("urn:ldtcat:record:")
        .filter(|id| !id.contains(':'))
}

/// The provenance node of one source of a record.
pub fn provenance_node(record_id: &str, source_id: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("urn:ldtcat:record:{record_id}:source:{source_id}"))
}

/// The CatalogRecord graph as a graph name.
pub fn catalog_graph() -> GraphName {
    NamedNode::new_unchecked(CATALOG_GRAPH).into()
}

/// An IRI in a namespace.
pub fn iri(namespace: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{namespace}{local}"))
}

/// `ldt:{local}`.
pub fn ldt(local: &str) -> NamedNode {
    iri(ns::LDT, local)
}

/// An `xsd:dateTime` literal, to the second, in UTC.
pub fn datetime_literal(time: DateTime<Utc>) -> Literal {
    Literal::new_typed_literal(
        time.to_rfc3339_opts(SecondsFormat::Secs, true),
        iri(ns::XSD, "dateTime"),
    )
}

/// A URL as an IRI when it is one, else as a plain literal.
pub fn url_term(url: &str) -> Term {
    match NamedNode::new(url) {
        Ok(node) => node.into(),
        Err(_) => Literal::new_simple_literal(url).into(),
    }
}
