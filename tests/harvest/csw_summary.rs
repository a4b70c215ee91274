//! What a harvested geospatial record says, in one line per property, for golden files: its
//! kind, title, bounding boxes, temporal extents, keywords, themes and distributions (or
//! service endpoints).

use ldtcat::catalog::Catalog;
use oxrdf::{Term, Triple};

const DCT: &str = "http://purl.org/dc/terms/";
const DCAT: &str = "http://www.w3.org/ns/dcat#";

fn objects<'t>(triples: &'t [Triple], subject: &Term, predicate: &str) -> Vec<&'t Term> {
    triples
        .iter()
        .filter(|t| Term::from(t.subject.clone()) == *subject && t.predicate.as_str() == predicate)
        .map(|t| &t.object)
        .collect()
}

fn values(triples: &[Triple], subject: &Term, predicate: &str) -> Vec<String> {
    let mut found: Vec<String> = objects(triples, subject, predicate)
        .into_iter()
        .map(|o| match o {
            Term::Literal(l) => l.value().to_owned(),
            Term::NamedNode(n) => n.as_str().to_owned(),
            Term::BlankNode(_) => "_".to_owned(),
        })
        .collect();
    found.sort();
    found
}

fn through(triples: &[Triple], subject: &Term, first: &str, second: &str) -> Vec<String> {
    let mut found: Vec<String> = objects(triples, subject, first)
        .into_iter()
        .flat_map(|node| values(triples, node, second))
        .collect();
    found.sort();
    found
}

/// Every record of the catalogue, sorted by IRI; `server` (the test server's random base
/// URL) is written `http://server.test`.
pub fn summary(catalog: &Catalog, server: &str) -> String {
    let mut out = Vec::new();
    for id in catalog.store.record_ids().expect("ids") {
        let record = catalog.store.record(&id).expect("reads").expect("exists");
        let root = Term::NamedNode(oxrdf::NamedNode::new(record.iri.clone()).expect("iri"));
        let t = &record.triples;
        let mut themes: Vec<String> = objects(t, &root, &format!("{DCAT}theme"))
            .into_iter()
            .map(|theme| match theme {
                Term::NamedNode(n) => n.as_str().to_owned(),
                other => {
                    values(t, other, "http://www.w3.org/2004/02/skos/core#prefLabel").join("|")
                }
            })
            .collect();
        themes.sort();
        let mut temporal: Vec<String> = objects(t, &root, &format!("{DCT}temporal"))
            .into_iter()
            .map(|p| {
                format!(
                    "{}..{}",
                    values(t, p, &format!("{DCAT}startDate")).join(""),
                    values(t, p, &format!("{DCAT}endDate")).join("")
                )
            })
            .collect();
        temporal.sort();
        out.push(format!(
            "{}\n  kind: {}\n  title: {:?}\n  bbox: {:?}\n  temporal: {:?}\n  keywords: {:?}\n  themes: {:?}\n  distributions: {:?}\n  endpoints: {:?}\n  original: {:?}\n",
            record.iri,
            record.kind.as_str(),
            values(t, &root, &format!("{DCT}title")),
            through(t, &root, &format!("{DCT}spatial"), &format!("{DCAT}bbox")),
            temporal,
            values(t, &root, &format!("{DCAT}keyword")),
            themes,
            through(t, &root, &format!("{DCAT}distribution"), &format!("{DCAT}accessURL")),
            values(t, &root, &format!("{DCAT}endpointURL")),
            through(t, &root, "http://xmlns.com/foaf/0.1/isPrimaryTopicOf", &format!("{DCT}source")),
        ));
    }
    out.sort();
    out.concat().replace(server, "http://server.test")
}
