//! IRIs the engine and the score read, and the short `prefix:local` form used in messages.

use oxrdf::TermRef;

/// The SHACL namespace.
pub const SH: &str = "http://www.w3.org/ns/shacl#";
/// `rdf:type`.
pub const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
/// `rdf:first`.
pub const RDF_FIRST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
/// `rdf:rest`.
pub const RDF_REST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
/// `rdf:nil`.
pub const RDF_NIL: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
/// `rdfs:subClassOf`.
pub const RDFS_SUB_CLASS_OF: &str = "http://www.w3.org/2000/01/rdf-schema#subClassOf";
/// `rdfs:Literal`.
pub const RDFS_LITERAL: &str = "http://www.w3.org/2000/01/rdf-schema#Literal";

/// Prefixes for messages, longest namespaces first where one is a prefix of another.
const PREFIXES: &[(&str, &str)] = &[
    ("dcatap", "http://data.europa.eu/r5r/"),
    ("mldcat", "http://data.europa.eu/it6/"),
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dct", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("adms", "http://www.w3.org/ns/adms#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("odrl", "http://www.w3.org/ns/odrl/2/"),
    ("spdx", "http://spdx.org/rdf/terms#"),
    ("locn", "http://www.w3.org/ns/locn#"),
    ("time", "http://www.w3.org/2006/time#"),
    ("dqv", "http://www.w3.org/ns/dqv#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("sh", SH),
    ("eli", "http://data.europa.eu/eli/ontology#"),
    ("mls", "http://www.w3.org/ns/mls#"),
];

/// `dct:title` for a known namespace, `<iri>` otherwise.
pub fn short_iri(iri: &str) -> String {
    for (prefix, namespace) in PREFIXES {
        if let Some(local) = iri.strip_prefix(namespace) {
            if !local.is_empty()
                && local
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            {
                return format!("{prefix}:{local}");
            }
        }
    }
    format!("<{iri}>")
}

/// A term as it appears in a message: short IRIs, blank nodes as `_:id`, literals quoted.
pub fn short_term(term: TermRef<'_>) -> String {
    match term {
        TermRef::NamedNode(node) => short_iri(node.as_str()),
        TermRef::Literal(literal) => format!("\"{}\"", literal.value()),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_namespaces_are_shortened_and_others_kept_whole() {
        assert_eq!(short_iri("http://purl.org/dc/terms/title"), "dct:title");
        assert_eq!(
            short_iri("http://data.europa.eu/r5r/applicableLegislation"),
            "dcatap:applicableLegislation"
        );
        assert_eq!(
            short_iri("https://example.org/x"),
            "<https://example.org/x>"
        );
    }
}
