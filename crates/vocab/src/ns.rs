//! Namespace IRIs of the vocabularies ldtcat reads and writes.

/// RDF.
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
/// RDF Schema.
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
/// XML Schema datatypes.
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
/// DCAT 3.
pub const DCAT: &str = "http://www.w3.org/ns/dcat#";
/// DCAT-AP 3.
pub const DCATAP: &str = "http://data.europa.eu/r5r/";
/// DCMI terms.
pub const DCT: &str = "http://purl.org/dc/terms/";
/// FOAF.
pub const FOAF: &str = "http://xmlns.com/foaf/0.1/";
/// vCard.
pub const VCARD: &str = "http://www.w3.org/2006/vcard/ns#";
/// SKOS.
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
/// PROV-O.
pub const PROV: &str = "http://www.w3.org/ns/prov#";
/// ODRL 2.2.
pub const ODRL: &str = "http://www.w3.org/ns/odrl/2/";
/// The Dataspace Protocol 2025-1 (`participantId`, the messages).
pub const DSPACE: &str = "https://w3id.org/dspace/2025/1/";
/// OGC GeoSPARQL.
pub const GEOSPARQL: &str = "http://www.opengis.net/ont/geosparql#";
/// Locn (ISA core location), used by GeoDCAT-AP for geometries.
pub const LOCN: &str = "http://www.w3.org/ns/locn#";
/// MLDCAT-AP.
pub const MLDCAT: &str = "http://data.europa.eu/it6/";
/// schema.org (http form, as Bioschemas uses it).
pub const SCHEMA: &str = "http://schema.org/";
/// Hydra.
pub const HYDRA: &str = "http://www.w3.org/ns/hydra/core#";
/// The ldtcat vocabulary.
pub const LDT: &str = "https://w3id.org/ldtcat#";
/// Linked Data Event Streams.
pub const LDES: &str = "https://w3id.org/ldes#";
/// TREE (the paging of event streams).
pub const TREE: &str = "https://w3id.org/tree#";
/// Activity Streams 2.0 (`as:Update`, `as:Delete` on feed members).
pub const ACTIVITY_STREAMS: &str = "https://www.w3.org/ns/activitystreams#";
/// The ldtcat kind concepts (`ldtk:dataset`, ...).
pub const LDT_KIND: &str = "https://w3id.org/ldtcat/kind/";
/// The ldtcat classification rules.
pub const LDT_RULE: &str = "https://w3id.org/ldtcat/rule/";
/// Where ldtcat mints skolem IRIs for blank-node resources.
pub const LDT_GENID: &str = "https://w3id.org/ldtcat/.well-known/genid/";

/// Well-known prefixes, used to shorten IRIs on pages (longest namespace first is not needed:
/// no namespace here is a prefix of another).
pub const PREFIXES: &[(&str, &str)] = &[
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("xsd", XSD),
    ("dcat", DCAT),
    ("dcatap", DCATAP),
    ("dct", DCT),
    ("foaf", FOAF),
    ("vcard", VCARD),
    ("skos", SKOS),
    ("prov", PROV),
    ("odrl", ODRL),
    ("geo", GEOSPARQL),
    ("locn", LOCN),
    ("mldcat", MLDCAT),
    ("schema", SCHEMA),
    ("hydra", HYDRA),
    ("ldt", LDT),
    ("ldtk", LDT_KIND),
    ("adms", "http://www.w3.org/ns/adms#"),
    ("spdx", "http://spdx.org/rdf/terms#"),
    ("dqv", "http://www.w3.org/ns/dqv#"),
    ("pplan", "http://purl.org/net/p-plan#"),
    ("mobilitydcatap", "https://w3id.org/mobilitydcat-ap#"),
];

/// `prefix:local` for an IRI in a well-known namespace, else `None`.
pub fn compact(iri: &str) -> Option<String> {
    PREFIXES.iter().find_map(|(prefix, namespace)| {
        let local = iri.strip_prefix(namespace)?;
        let is_simple = !local.is_empty()
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.');
        is_simple.then(|| format!("{prefix}:{local}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compacts_known_namespaces_only() {
        assert_eq!(
            compact("http://purl.org/dc/terms/title").as_deref(),
            Some("dct:title")
        );
        assert_eq!(compact("http://example.org/title"), None);
        assert_eq!(compact(DCT), None);
    }
}
