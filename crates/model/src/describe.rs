//! A record's description as plain structured values: what the machine interfaces that are
//! not RDF (OGC API Records, the CKAN Action API) and the pages need to say about a DCAT
//! resource, read once from its statements.
//!
//! Every value keeps what the source gave: lexical forms of dates (not reparsed), IRIs as
//! they are, literals with their language tags. Labels are those the record itself carries
//! (`skos:prefLabel`, `rdfs:label`, `foaf:name`, `dct:title`, `vcard:fn`); resolving labels
//! from elsewhere is the caller's job. Nodes are found through the record's own statements,
//! so a publisher or a theme described once and copied into the record is read like any
//! other node.

use ldtcat_vocab::ns;
use oxrdf::{NamedOrBlankNode, Term, Triple};

use crate::extract::bbox_of_geometry;
use crate::summary::{BoundingBox, LangString};

/// A node a property points to: its IRI (none for a blank node) and the labels the record
/// gives it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reference {
    /// The IRI, or `None` for a blank node or a literal value.
    pub iri: Option<String>,
    /// Labels (`skos:prefLabel`, `rdfs:label`, `dct:title`, `foaf:name`), or the literal
    /// itself when the property held a literal.
    pub labels: Vec<LangString>,
}

/// A concept (a theme, a subject): a reference with its scheme.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Concept {
    /// The concept.
    pub reference: Reference,
    /// `skos:inScheme`, when the record says it.
    pub scheme: Option<String>,
}

/// An agent (a publisher, a creator).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Agent {
    /// The agent and its names.
    pub reference: Reference,
    /// `foaf:mbox` (without `mailto:`).
    pub email: Option<String>,
    /// `foaf:homepage`.
    pub homepage: Option<String>,
}

/// A contact point (`dcat:contactPoint`, a vCard).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Contact {
    /// The vCard node's IRI, if it has one.
    pub iri: Option<String>,
    /// `vcard:fn`.
    pub name: Option<String>,
    /// `vcard:organization-name`.
    pub organization: Option<String>,
    /// `vcard:hasEmail` (without `mailto:`).
    pub email: Option<String>,
    /// `vcard:hasTelephone` (without `tel:`).
    pub phone: Option<String>,
    /// `vcard:hasURL`.
    pub url: Option<String>,
}

/// A period (`dct:temporal`), with the lexical forms the source gave.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Period {
    /// `dcat:startDate` (or `schema:startDate`).
    pub start: Option<String>,
    /// `dcat:endDate` (or `schema:endDate`).
    pub end: Option<String>,
}

/// A geometry literal: its lexical form and datatype IRI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Geometry {
    /// The literal (WKT, GeoJSON, GML).
    pub value: String,
    /// Its datatype IRI (`geo:wktLiteral`, `geo:geoJSONLiteral`, ...).
    pub datatype: String,
    /// The property that gave it (`dcat:bbox`, `locn:geometry`, `dcat:centroid`).
    pub property: String,
}

/// A place (`dct:spatial`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Place {
    /// The place and its names.
    pub reference: Reference,
    /// Its geometries, in the order bbox, geometry, centroid.
    pub geometries: Vec<Geometry>,
    /// The bounding box of those geometries, when they give one in longitude/latitude.
    pub bbox: Option<BoundingBox>,
}

/// A distribution.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DistributionDescription {
    /// Its IRI, if it has one.
    pub iri: Option<String>,
    /// `dct:title`.
    pub titles: Vec<LangString>,
    /// `dct:description`.
    pub descriptions: Vec<LangString>,
    /// `dcat:accessURL`.
    pub access_urls: Vec<String>,
    /// `dcat:downloadURL`.
    pub download_urls: Vec<String>,
    /// `dcat:mediaType` (IRI or literal, as given).
    pub media_type: Option<String>,
    /// `dct:format` (IRI or literal, as given).
    pub format: Option<String>,
    /// `dcat:byteSize`, when it is a non-negative integer.
    pub byte_size: Option<u64>,
    /// `dct:license`.
    pub licence: Option<Reference>,
    /// `dct:rights`.
    pub rights: Option<Reference>,
    /// `dcat:accessService` IRIs.
    pub access_services: Vec<String>,
    /// `dct:issued`, lexical.
    pub issued: Option<String>,
    /// `dct:modified`, lexical.
    pub modified: Option<String>,
}

/// A resource's description.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Description {
    /// The resource IRI.
    pub iri: String,
    /// `rdf:type` IRIs.
    pub types: Vec<String>,
    /// `dct:title`.
    pub titles: Vec<LangString>,
    /// `dct:description`.
    pub descriptions: Vec<LangString>,
    /// `dcat:keyword`.
    pub keywords: Vec<LangString>,
    /// `dct:identifier` literals.
    pub identifiers: Vec<String>,
    /// `adms:identifier` / `dct:alternative` are not read; `owl:versionInfo` /
    /// `dcat:version`.
    pub version: Option<String>,
    /// `dcat:theme`.
    pub themes: Vec<Concept>,
    /// `dct:subject`.
    pub subjects: Vec<Concept>,
    /// `dct:type`.
    pub type_concepts: Vec<Concept>,
    /// `dct:language` (IRIs or literals, as given).
    pub languages: Vec<String>,
    /// `dct:publisher` (and MLDCAT-AP's `hasProvider`).
    pub publishers: Vec<Agent>,
    /// `dct:creator`.
    pub creators: Vec<Agent>,
    /// `dcat:contactPoint`.
    pub contacts: Vec<Contact>,
    /// `dct:license` of the resource.
    pub licences: Vec<Reference>,
    /// `dct:rights`.
    pub rights: Vec<Reference>,
    /// `dct:accessRights`.
    pub access_rights: Vec<Reference>,
    /// `dct:issued`, lexical.
    pub issued: Option<String>,
    /// `dct:modified`, lexical.
    pub modified: Option<String>,
    /// `dct:created`, lexical.
    pub created: Option<String>,
    /// `dct:temporal`.
    pub temporal: Vec<Period>,
    /// `dct:spatial`.
    pub spatial: Vec<Place>,
    /// `dcat:landingPage`.
    pub landing_pages: Vec<String>,
    /// `dct:conformsTo`.
    pub conforms_to: Vec<String>,
    /// `dcat:endpointURL` (data services).
    pub endpoint_urls: Vec<String>,
    /// `dcat:endpointDescription` (data services).
    pub endpoint_descriptions: Vec<String>,
    /// `dcat:distribution`.
    pub distributions: Vec<DistributionDescription>,
}

impl Description {
    /// Every licence of the resource and of its distributions, IRIs first seen first.
    pub fn all_licences(&self) -> Vec<&Reference> {
        let mut all: Vec<&Reference> = self.licences.iter().collect();
        for distribution in &self.distributions {
            if let Some(licence) = &distribution.licence {
                if !all.contains(&licence) {
                    all.push(licence);
                }
            }
        }
        all
    }
}

/// Reads the description of `iri` from a record's statements.
pub fn describe(iri: &str, triples: &[Triple]) -> Description {
    let graph = Graph { triples };
    let root = iri;
    let mut distributions: Vec<DistributionDescription> = Vec::new();
    for term in graph.objects(root, &dcat("distribution")) {
        if let Some(distribution) = graph.distribution(term) {
            if !distributions.contains(&distribution) {
                distributions.push(distribution);
            }
        }
    }
    let mut publishers = graph.agents(root, &dct("publisher"));
    publishers.extend(graph.agents(root, &format!("{}hasProvider", ns::MLDCAT)));
    Description {
        iri: iri.to_owned(),
        types: graph.iris(root, &format!("{}type", ns::RDF)),
        titles: graph.lang_strings(root, &dct("title")),
        descriptions: graph.lang_strings(root, &dct("description")),
        keywords: graph.lang_strings(root, &dcat("keyword")),
        identifiers: graph.literals(root, &dct("identifier")),
        version: graph
            .first_literal(root, &dcat("version"))
            .or_else(|| graph.first_literal(root, "http://www.w3.org/2002/07/owl#versionInfo")),
        themes: graph.concepts(root, &dcat("theme")),
        subjects: graph.concepts(root, &dct("subject")),
        type_concepts: graph.concepts(root, &dct("type")),
        languages: graph.texts(root, &dct("language")),
        publishers,
        creators: graph.agents(root, &dct("creator")),
        contacts: graph
            .objects(root, &dcat("contactPoint"))
            .filter_map(|term| graph.contact(term))
            .collect(),
        licences: graph.references(root, &dct("license")),
        rights: graph.references(root, &dct("rights")),
        access_rights: graph.references(root, &dct("accessRights")),
        issued: graph.first_literal(root, &dct("issued")),
        modified: graph.first_literal(root, &dct("modified")),
        created: graph.first_literal(root, &dct("created")),
        temporal: graph
            .node_objects(root, &dct("temporal"))
            .into_iter()
            .filter_map(|node| graph.period(node))
            .collect(),
        spatial: graph
            .objects(root, &dct("spatial"))
            .filter_map(|term| graph.place(term))
            .collect(),
        landing_pages: graph.texts(root, &dcat("landingPage")),
        conforms_to: graph.texts(root, &dct("conformsTo")),
        endpoint_urls: graph.texts(root, &dcat("endpointURL")),
        endpoint_descriptions: graph.texts(root, &dcat("endpointDescription")),
        distributions,
    }
}

fn dct(local: &str) -> String {
    format!("{}{local}", ns::DCT)
}

fn dcat(local: &str) -> String {
    format!("{}{local}", ns::DCAT)
}

fn vcard(local: &str) -> String {
    format!("{}{local}", ns::VCARD)
}

fn node_key(node: &NamedOrBlankNode) -> &str {
    match node {
        NamedOrBlankNode::NamedNode(n) => n.as_str(),
        NamedOrBlankNode::BlankNode(b) => b.as_str(),
    }
}

fn term_node_key(term: &Term) -> Option<&str> {
    match term {
        Term::NamedNode(n) => Some(n.as_str()),
        Term::BlankNode(b) => Some(b.as_str()),
        _ => None,
    }
}

fn strip_scheme(value: &str, scheme: &str) -> String {
    value
        .strip_prefix(scheme)
        .unwrap_or(value)
        .trim()
        .to_owned()
}

/// The statements of one record, read by subject and predicate.
struct Graph<'a> {
    triples: &'a [Triple],
}

impl<'a> Graph<'a> {
    fn objects<'g>(
        &'g self,
        subject: &'g str,
        predicate: &'g str,
    ) -> impl Iterator<Item = &'a Term> + 'g {
        self.triples
            .iter()
            .filter(move |t| t.predicate.as_str() == predicate && node_key(&t.subject) == subject)
            .map(|t| &t.object)
    }

    fn node_objects(&self, subject: &str, predicate: &str) -> Vec<&'a str> {
        let mut nodes: Vec<&'a str> = Vec::new();
        for node in self.objects(subject, predicate).filter_map(term_node_key) {
            if !nodes.contains(&node) {
                nodes.push(node);
            }
        }
        nodes
    }

    fn lang_strings(&self, subject: &str, predicate: &str) -> Vec<LangString> {
        let mut values: Vec<LangString> = Vec::new();
        for term in self.objects(subject, predicate) {
            if let Term::Literal(literal) = term {
                let value = literal.value().trim();
                if value.is_empty() {
                    continue;
                }
                let item = LangString {
                    value: value.to_owned(),
                    lang: literal.language().map(str::to_ascii_lowercase),
                };
                if !values.contains(&item) {
                    values.push(item);
                }
            }
        }
        values
    }

    fn literals(&self, subject: &str, predicate: &str) -> Vec<String> {
        let mut values = Vec::new();
        for term in self.objects(subject, predicate) {
            if let Term::Literal(literal) = term {
                let value = literal.value().trim().to_owned();
                if !value.is_empty() && !values.contains(&value) {
                    values.push(value);
                }
            }
        }
        values
    }

    fn iris(&self, subject: &str, predicate: &str) -> Vec<String> {
        let mut values = Vec::new();
        for term in self.objects(subject, predicate) {
            if let Term::NamedNode(node) = term {
                let value = node.as_str().to_owned();
                if !values.contains(&value) {
                    values.push(value);
                }
            }
        }
        values
    }

    /// IRIs and non-empty literals, as given.
    fn texts(&self, subject: &str, predicate: &str) -> Vec<String> {
        let mut values = Vec::new();
        for term in self.objects(subject, predicate) {
            let value = match term {
                Term::NamedNode(node) => node.as_str().to_owned(),
                Term::Literal(literal) if !literal.value().trim().is_empty() => {
                    literal.value().trim().to_owned()
                }
                _ => continue,
            };
            if !values.contains(&value) {
                values.push(value);
            }
        }
        values
    }

    fn first_literal(&self, subject: &str, predicate: &str) -> Option<String> {
        self.literals(subject, predicate).into_iter().next()
    }

    fn first_text(&self, subject: &str, predicate: &str) -> Option<String> {
        self.texts(subject, predicate).into_iter().next()
    }

    /// The labels a node carries, in the order of preference of its properties.
    fn labels(&self, node: &str) -> Vec<LangString> {
        let predicates = [
            format!("{}prefLabel", ns::SKOS),
            format!("{}label", ns::RDFS),
            format!("{}name", ns::FOAF),
            dct("title"),
            vcard("fn"),
        ];
        predicates
            .iter()
            .map(|predicate| self.lang_strings(node, predicate))
            .find(|labels| !labels.is_empty())
            .unwrap_or_default()
    }

    fn reference(&self, term: &Term) -> Option<Reference> {
        match term {
            Term::NamedNode(node) => Some(Reference {
                iri: Some(node.as_str().to_owned()),
                labels: self.labels(node.as_str()),
            }),
            Term::BlankNode(node) => Some(Reference {
                iri: None,
                labels: self.labels(node.as_str()),
            }),
            Term::Literal(literal) if !literal.value().trim().is_empty() => Some(Reference {
                iri: None,
                labels: vec![LangString {
                    value: literal.value().trim().to_owned(),
                    lang: literal.language().map(str::to_ascii_lowercase),
                }],
            }),
            _ => None,
        }
    }

    fn references(&self, subject: &str, predicate: &str) -> Vec<Reference> {
        let mut values: Vec<Reference> = Vec::new();
        for reference in self
            .objects(subject, predicate)
            .filter_map(|term| self.reference(term))
        {
            if !values.contains(&reference) {
                values.push(reference);
            }
        }
        values
    }

    fn concepts(&self, subject: &str, predicate: &str) -> Vec<Concept> {
        let mut values: Vec<Concept> = Vec::new();
        for term in self.objects(subject, predicate) {
            let Some(reference) = self.reference(term) else {
                continue;
            };
            let scheme = term_node_key(term)
                .and_then(|node| self.first_text(node, &format!("{}inScheme", ns::SKOS)));
            let concept = Concept { reference, scheme };
            if !values.contains(&concept) {
                values.push(concept);
            }
        }
        values
    }

    fn agents(&self, subject: &str, predicate: &str) -> Vec<Agent> {
        let mut values: Vec<Agent> = Vec::new();
        for term in self.objects(subject, predicate) {
            let Some(reference) = self.reference(term) else {
                continue;
            };
            let node = term_node_key(term);
            let agent = Agent {
                reference,
                email: node
                    .and_then(|n| self.first_text(n, &format!("{}mbox", ns::FOAF)))
                    .map(|mail| strip_scheme(&mail, "mailto:")),
                homepage: node.and_then(|n| self.first_text(n, &format!("{}homepage", ns::FOAF))),
            };
            if !values.contains(&agent) {
                values.push(agent);
            }
        }
        values
    }

    /// A vCard value: a node with `vcard:` properties, or a bare IRI (`mailto:` or a page).
    fn contact(&self, term: &Term) -> Option<Contact> {
        let node = match term {
            Term::NamedNode(node) => node.as_str(),
            Term::BlankNode(node) => node.as_str(),
            _ => return None,
        };
        let iri = matches!(term, Term::NamedNode(_)).then(|| node.to_owned());
        let mut contact = Contact {
            iri,
            name: self.first_literal(node, &vcard("fn")),
            organization: self.first_literal(node, &vcard("organization-name")),
            email: self
                .first_text(node, &vcard("hasEmail"))
                .map(|mail| strip_scheme(&mail, "mailto:")),
            phone: self
                .first_text(node, &vcard("hasTelephone"))
                .map(|phone| strip_scheme(&phone, "tel:")),
            url: self.first_text(node, &vcard("hasURL")),
        };
        if contact.email.is_none() {
            if let Some(mail) = node.strip_prefix("mailto:") {
                contact.email = Some(mail.to_owned());
            }
        }
        let empty = contact.name.is_none()
            && contact.organization.is_none()
            && contact.email.is_none()
            && contact.phone.is_none()
            && contact.url.is_none()
            && contact.iri.is_none();
        (!empty).then_some(contact)
    }

    fn period(&self, node: &str) -> Option<Period> {
        let start = self
            .first_literal(node, &dcat("startDate"))
            .or_else(|| self.first_literal(node, &format!("{}startDate", ns::SCHEMA)));
        let end = self
            .first_literal(node, &dcat("endDate"))
            .or_else(|| self.first_literal(node, &format!("{}endDate", ns::SCHEMA)));
        (start.is_some() || end.is_some()).then_some(Period { start, end })
    }

    fn place(&self, term: &Term) -> Option<Place> {
        let reference = self.reference(term)?;
        let mut geometries = Vec::new();
        if let Some(node) = term_node_key(term) {
            for property in [
                dcat("bbox"),
                format!("{}geometry", ns::LOCN),
                dcat("centroid"),
            ] {
                for object in self.objects(node, &property) {
                    if let Term::Literal(literal) = object {
                        geometries.push(Geometry {
                            value: literal.value().to_owned(),
                            datatype: literal.datatype().as_str().to_owned(),
                            property: property.clone(),
                        });
                    }
                }
            }
        }
        let bbox = geometries
            .iter()
            .filter_map(|g| bbox_of_geometry(&g.value))
            .reduce(|a, b| BoundingBox {
                west: a.west.min(b.west),
                south: a.south.min(b.south),
                east: a.east.max(b.east),
                north: a.north.max(b.north),
            });
        Some(Place {
            reference,
            geometries,
            bbox,
        })
    }

    fn distribution(&self, term: &Term) -> Option<DistributionDescription> {
        let node = term_node_key(term)?;
        let first_reference = |predicate: &str| {
            self.objects(node, predicate)
                .find_map(|term| self.reference(term))
        };
        Some(DistributionDescription {
            iri: matches!(term, Term::NamedNode(_)).then(|| node.to_owned()),
            titles: self.lang_strings(node, &dct("title")),
            descriptions: self.lang_strings(node, &dct("description")),
            access_urls: self.texts(node, &dcat("accessURL")),
            download_urls: self.texts(node, &dcat("downloadURL")),
            media_type: self.first_text(node, &dcat("mediaType")),
            format: self.first_text(node, &dct("format")),
            byte_size: self
                .first_literal(node, &dcat("byteSize"))
                .and_then(|size| size.trim().parse::<u64>().ok()),
            licence: first_reference(&dct("license")),
            rights: first_reference(&dct("rights")),
            access_services: self
                .objects(node, &dcat("accessService"))
                .filter_map(|term| match term {
                    Term::NamedNode(n) => Some(n.as_str().to_owned()),
                    _ => None,
                })
                .collect(),
            issued: self.first_literal(node, &dct("issued")),
            modified: self.first_literal(node, &dct("modified")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdfio::{RdfFormat, RdfParser};

    fn triples(turtle: &str) -> Vec<Triple> {
        RdfParser::from_format(RdfFormat::Turtle)
            .for_reader(turtle.as_bytes())
            .map(|quad| Triple::from(quad.expect("valid turtle")))
            .collect()
    }

    const DATASET: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix locn: <http://www.w3.org/ns/locn#> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/ds/1> a dcat:Dataset ;
  dct:title "Air quality"@en, "Qualité de l'air"@fr ;
  dct:description "Hourly NO2."@en ;
  dcat:keyword "air"@en, "no2" ;
  dct:identifier "ds-1" ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
  dct:language <http://publications.europa.eu/resource/authority/language/ENG> ;
  dct:publisher <https://example.org/city> ;
  dcat:contactPoint [ a vcard:Kind ; vcard:fn "Data team" ; vcard:hasEmail <mailto:data@example.org> ] ;
  dct:license <http://creativecommons.org/licenses/by/4.0/> ;
  dct:issued "2020-01-01"^^xsd:date ;
  dct:modified "2024-05-02T10:00:00Z"^^xsd:dateTime ;
  dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2019-01-01"^^xsd:date ] ;
  dct:spatial [ a dct:Location ; locn:geometry "POINT(7.1 43.6)"^^geo:wktLiteral ;
                dcat:bbox "POLYGON((7 43,8 43,8 44,7 44,7 43))"^^geo:wktLiteral ] ;
  dcat:distribution <https://example.org/ds/1/csv> .
<http://publications.europa.eu/resource/authority/data-theme/ENVI> skos:prefLabel "Environment"@en ;
  skos:inScheme <http://publications.europa.eu/resource/authority/data-theme> .
<https://example.org/city> foaf:name "Antibes"@fr ; foaf:mbox <mailto:city@example.org> .
<https://example.org/ds/1/csv> a dcat:Distribution ;
  dct:title "CSV" ; dcat:accessURL <https://example.org/api> ;
  dcat:downloadURL <https://example.org/no2.csv> ;
  dcat:mediaType <http://www.iana.org/assignments/media-types/text/csv> ;
  dcat:byteSize "1024"^^xsd:nonNegativeInteger ;
  dct:license <http://creativecommons.org/licenses/by/4.0/> .
"#;

    #[test]
    fn a_dataset_reads_into_its_structured_description() {
        let description = describe("https://example.org/ds/1", &triples(DATASET));
        assert_eq!(description.titles.len(), 2);
        assert_eq!(description.keywords.len(), 2);
        assert_eq!(description.identifiers, vec!["ds-1".to_owned()]);
        let theme = &description.themes[0];
        assert_eq!(theme.reference.labels[0].value, "Environment");
        assert_eq!(
            theme.scheme.as_deref(),
            Some("http://publications.europa.eu/resource/authority/data-theme")
        );
        let publisher = &description.publishers[0];
        assert_eq!(publisher.reference.labels[0].value, "Antibes");
        assert_eq!(publisher.email.as_deref(), Some("city@example.org"));
        let contact = &description.contacts[0];
        assert_eq!(contact.name.as_deref(), Some("Data team"));
        assert_eq!(contact.email.as_deref(), Some("data@example.org"));
        assert_eq!(description.issued.as_deref(), Some("2020-01-01"));
        assert_eq!(
            description.temporal,
            vec![Period {
                start: Some("2019-01-01".to_owned()),
                end: None
            }]
        );
        let place = &description.spatial[0];
        assert_eq!(place.geometries.len(), 2);
        assert!(place.geometries[0].property.ends_with("bbox"));
        let bbox = place.bbox.expect("a bounding box");
        assert_eq!((bbox.west, bbox.north), (7.0, 44.0));
        let distribution = &description.distributions[0];
        assert_eq!(
            distribution.download_urls,
            vec!["https://example.org/no2.csv".to_owned()]
        );
        assert_eq!(distribution.byte_size, Some(1024));
        assert_eq!(description.all_licences().len(), 1);
    }

    #[test]
    fn literal_values_and_missing_nodes_do_not_break_the_description() {
        let turtle = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://example.org/ds/2> a dcat:Dataset ;
  dct:title "" ;
  dct:license "CC-BY" ;
  dct:publisher <https://example.org/nowhere> ;
  dcat:contactPoint <mailto:someone@example.org> ;
  dcat:distribution [ dcat:byteSize "big" ] .
"#;
        let description = describe("https://example.org/ds/2", &triples(turtle));
        assert!(description.titles.is_empty());
        assert_eq!(description.licences[0].labels[0].value, "CC-BY");
        assert_eq!(
            description.publishers[0].reference.iri.as_deref(),
            Some("https://example.org/nowhere")
        );
        assert_eq!(
            description.contacts[0].email.as_deref(),
            Some("someone@example.org")
        );
        assert_eq!(description.distributions[0].byte_size, None);
        assert_eq!(description.distributions[0].iri, None);
    }
}
