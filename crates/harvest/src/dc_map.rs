//! Dublin Core records (CSW `csw:Record`, `csw:SummaryRecord`, `csw:BriefRecord`; OAI-PMH
//! `oai_dc:dc`) to DCAT-AP: `dc:identifier` names the resource (an http(s) identifier is its
//! IRI, any other the record IRI of [`crate::rdf_out::record_iri`]); `dc:type` gives the class
//! (DCMI `Service` a `dcat:DataService`, anything else a `dcat:Dataset`); title, abstract or
//! description, subjects (keywords; with a `scheme`, also a theme in that scheme), dates,
//! language, publisher, creator, rights, spatial (`ows:BoundingBox` as a WKT `dcat:bbox`, a
//! place name as a `dct:Location`), temporal (`start/end`), and each link (`dct:references`,
//! `dc:source`, an http(s) `dc:relation`) a distribution with its access URL and `dc:format`.
//! As for ISO records, a `dcat:CatalogRecord` node links to the original record.

use ldtcat_vocab::ns;
use oxrdf::{Literal, NamedNode, NamedOrBlankNode};
use url::Url;

use crate::iso::parts::add_bbox;
use crate::rdf_out::{date_literal, http_iri, iri, record_iri, text_literal, Graph};
use crate::xml::Element;

/// What a Dublin Core record became.
pub struct DcMapped {
    /// The resource's IRI.
    pub iri: NamedNode,
}

fn text<'e>(record: &'e Element, names: &[&'static str]) -> Vec<&'e str> {
    names
        .iter()
        .flat_map(|name| record.children_named(name).filter_map(Element::text))
        .collect()
}

/// The corners of an `ows:BoundingBox` / `ows:WGS84BoundingBox` as (west, east, south,
/// north). A URN or http EPSG:4326 CRS has latitude first; CRS84, `WGS84BoundingBox` and
/// the short `EPSG:4326` longitude first.
pub fn ows_bbox(bbox: &Element) -> Option<(f64, f64, f64, f64)> {
    let corner = |name: &str| -> Option<(f64, f64)> {
        let text = bbox.value(name)?;
        let mut numbers = text.split_whitespace().map(|n| n.parse::<f64>().ok());
        let (a, b) = (numbers.next()??, numbers.next()??);
        Some((a, b))
    };
    let (lower, upper) = (corner("ows:LowerCorner")?, corner("ows:UpperCorner")?);
    let crs = bbox.attribute("crs").unwrap_or("").to_lowercase();
    let latitude_first = !bbox.is("ows:WGS84BoundingBox")
        && crs.contains("4326")
        && (crs.starts_with("urn:") || crs.starts_with("http"));
    Some(if latitude_first {
        (lower.1, upper.1, lower.0, upper.0)
    } else {
        (lower.0, upper.0, lower.1, upper.1)
    })
}

/// Maps one Dublin Core record into `graph`; an error when it has no `dc:identifier` (and
/// the protocol gave none).
pub fn map_dc_record(
    record: &Element,
    source_id: &str,
    protocol_identifier: Option<&str>,
    original: Option<&Url>,
    graph: &mut Graph,
) -> Result<DcMapped, String> {
    let identifiers = text(record, &["dc:identifier"]);
    let iri_node = identifiers
        .iter()
        .find_map(|i| http_iri(i))
        .or_else(|| {
            protocol_identifier
                .or(identifiers.first().copied())
                .map(|key| record_iri(source_id, key))
        })
        .ok_or_else(|| "no dc:identifier".to_owned())?;
    let resource: NamedOrBlankNode = iri_node.clone().into();
    let types = text(record, &["dc:type"]);
    let is_service = types.iter().any(|t| {
        t.rsplit('/')
            .next()
            .is_some_and(|l| l.eq_ignore_ascii_case("service"))
    });
    graph.typed(
        &resource,
        ns::DCAT,
        if is_service { "DataService" } else { "Dataset" },
    );
    let language = text(record, &["dc:language"])
        .first()
        .filter(|l| l.len() == 2)
        .map(|l| l.to_lowercase());
    let lang = language.as_deref();
    let literal = |value: &str| text_literal(value, lang);
    for identifier in &identifiers {
        graph.add(
            &resource,
            iri(ns::DCT, "identifier"),
            Literal::new_simple_literal(*identifier),
        );
    }
    for title in text(record, &["dc:title"]) {
        graph.add(&resource, iri(ns::DCT, "title"), literal(title));
    }
    for description in text(record, &["dct:abstract", "dc:description"]) {
        graph.add(&resource, iri(ns::DCT, "description"), literal(description));
    }
    for subject in record.children_named("dc:subject") {
        let Some(label) = subject.text() else {
            continue;
        };
        graph.add(&resource, iri(ns::DCAT, "keyword"), literal(label));
        if let Some(scheme) = subject.attribute("scheme").and_then(http_iri) {
            let concept = graph.blank();
            graph.add(&resource, iri(ns::DCAT, "theme"), concept.clone());
            graph.typed(&concept, ns::SKOS, "Concept");
            graph.add(&concept, iri(ns::SKOS, "prefLabel"), literal(label));
            graph.add(&concept, iri(ns::SKOS, "inScheme"), scheme);
        }
    }
    for (names, property) in [
        (&["dct:modified", "dc:date"][..], "modified"),
        (&["dct:created"][..], "created"),
        (&["dct:issued"][..], "issued"),
    ] {
        for value in text(record, names) {
            graph.add(&resource, iri(ns::DCT, property), date_literal(value));
        }
    }
    for value in text(record, &["dc:language"]) {
        graph.add(
            &resource,
            iri(ns::DCT, "language"),
            Literal::new_simple_literal(value),
        );
    }
    for (name, property) in [
        ("dc:publisher", "publisher"),
        ("dc:creator", "creator"),
        ("dc:contributor", "contributor"),
    ] {
        for value in text(record, &[name]) {
            let agent = graph.blank();
            graph.add(&resource, iri(ns::DCT, property), agent.clone());
            graph.typed(&agent, ns::FOAF, "Agent");
            graph.add(&agent, iri(ns::FOAF, "name"), literal(value));
        }
    }
    map_rights_and_extents(record, &resource, lang, graph);
    map_links(record, &resource, lang, graph);
    catalog_record(&resource, &identifiers, original, graph);
    Ok(DcMapped { iri: iri_node })
}

fn map_rights_and_extents(
    record: &Element,
    resource: &NamedOrBlankNode,
    lang: Option<&str>,
    graph: &mut Graph,
) {
    for (names, property) in [
        (&["dc:rights", "dct:rights"][..], "rights"),
        (&["dct:accessRights"][..], "accessRights"),
        (&["dct:license"][..], "license"),
    ] {
        for value in text(record, names) {
            match http_iri(value) {
                Some(link) => graph.add(resource, iri(ns::DCT, property), link),
                None => {
                    let statement = graph.blank();
                    graph.add(resource, iri(ns::DCT, property), statement.clone());
                    graph.typed(&statement, ns::DCT, "RightsStatement");
                    graph.add(
                        &statement,
                        iri(ns::RDFS, "label"),
                        text_literal(value, lang),
                    );
                }
            }
        }
    }
    for bbox in record
        .children_named("ows:BoundingBox")
        .chain(record.children_named("ows:WGS84BoundingBox"))
    {
        if let Some(corners) = ows_bbox(bbox) {
            add_bbox(graph, resource, corners);
        }
    }
    for place in text(record, &["dct:spatial", "dc:coverage"]) {
        match http_iri(place) {
            Some(link) => graph.add(resource, iri(ns::DCT, "spatial"), link),
            None => {
                let location = graph.blank();
                graph.add(resource, iri(ns::DCT, "spatial"), location.clone());
                graph.typed(&location, ns::DCT, "Location");
                graph.add(
                    &location,
                    iri(ns::SKOS, "prefLabel"),
                    text_literal(place, lang),
                );
            }
        }
    }
    for temporal in text(record, &["dct:temporal"]) {
        let Some((start, end)) = temporal.split_once('/') else {
            continue;
        };
        let period = graph.blank();
        graph.add(resource, iri(ns::DCT, "temporal"), period.clone());
        graph.typed(&period, ns::DCT, "PeriodOfTime");
        if !start.trim().is_empty() {
            graph.add(&period, iri(ns::DCAT, "startDate"), date_literal(start));
        }
        if !end.trim().is_empty() {
            graph.add(&period, iri(ns::DCAT, "endDate"), date_literal(end));
        }
    }
}

fn map_links(record: &Element, resource: &NamedOrBlankNode, lang: Option<&str>, graph: &mut Graph) {
    let formats = text(record, &["dc:format"]);
    let links: Vec<&Element> = ["dct:references", "dc:source", "dc:relation"]
        .iter()
        .flat_map(|name| record.children_named(name))
        .collect();
    let is_service = graph_is_service(record);
    for link in links {
        let Some(url) = link.text().and_then(http_iri) else {
            continue;
        };
        if is_service {
            graph.add(resource, iri(ns::DCAT, "endpointURL"), url);
            continue;
        }
        let distribution = graph.blank();
        graph.add(
            resource,
            iri(ns::DCAT, "distribution"),
            distribution.clone(),
        );
        graph.typed(&distribution, ns::DCAT, "Distribution");
        graph.add(&distribution, iri(ns::DCAT, "accessURL"), url);
        if let Some(scheme) = link.attribute("scheme") {
            graph.add(
                &distribution,
                iri(ns::DCT, "conformsTo"),
                text_literal(scheme, lang),
            );
        }
        for format in &formats {
            match format.contains('/').then(|| {
                http_iri(&format!(
                    "http://www.iana.org/assignments/media-types/{}",
                    format.trim()
                ))
            }) {
                Some(Some(media_type)) => {
                    graph.add(&distribution, iri(ns::DCAT, "mediaType"), media_type)
                }
                _ => graph.add(
                    &distribution,
                    iri(ns::DCT, "format"),
                    Literal::new_simple_literal(*format),
                ),
            }
        }
    }
}

fn graph_is_service(record: &Element) -> bool {
    text(record, &["dc:type"]).iter().any(|t| {
        t.rsplit('/')
            .next()
            .is_some_and(|l| l.eq_ignore_ascii_case("service"))
    })
}

fn catalog_record(
    resource: &NamedOrBlankNode,
    identifiers: &[&str],
    original: Option<&Url>,
    graph: &mut Graph,
) {
    let node = graph.blank();
    graph.add(resource, iri(ns::FOAF, "isPrimaryTopicOf"), node.clone());
    graph.typed(&node, ns::DCAT, "CatalogRecord");
    graph.add(&node, iri(ns::FOAF, "primaryTopic"), resource.clone());
    if let Some(identifier) = identifiers.first() {
        graph.add(
            &node,
            iri(ns::DCT, "identifier"),
            Literal::new_simple_literal(*identifier),
        );
    }
    if let Some(original) = original.and_then(|u| http_iri(u.as_str())) {
        graph.add(&node, iri(ns::DCT, "source"), original.clone());
        let original: NamedOrBlankNode = original.into();
        graph.add(
            &original,
            iri(ns::DCT, "format"),
            iri(
                "http://publications.europa.eu/resource/authority/file-type/",
                "XML",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::parse_document;

    #[test]
    fn an_epsg_4326_urn_box_is_latitude_first() {
        let bbox = parse_document(
            br#"<ows:BoundingBox xmlns:ows="http://www.opengis.net/ows" crs="urn:x-ogc:def:crs:EPSG:6.11:4326"><ows:LowerCorner>47.595 -4.097</ows:LowerCorner><ows:UpperCorner>51.217 0.889</ows:UpperCorner></ows:BoundingBox>"#,
        )
        .expect("xml");
        assert_eq!(ows_bbox(&bbox), Some((-4.097, 0.889, 47.595, 51.217)));
    }
}
