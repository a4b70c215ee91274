//! The structured parts of an ISO record that concern the resource itself: its dates by
//! type, its keywords (free, from a thesaurus, INSPIRE themes) and its extents (bounding
//! boxes as WKT, geographic identifiers, temporal extents).

use ldtcat_vocab::ns;
use oxrdf::{Literal, NamedOrBlankNode};

use super::{identification, IsoRecord};
use crate::rdf_out::{date_literal, http_iri, iri, Graph};
use crate::xml::Element;

/// `gmd:citation/*/gmd:date/gmd:CI_Date` by date type (table `ldtx:DateType`).
pub fn dates(record: &IsoRecord<'_>, graph: &mut Graph) {
    let Some(identification) = identification(record.root) else {
        return;
    };
    for date in identification.select("gmd:citation/*/gmd:date/gmd:CI_Date") {
        let kind = date
            .value("gmd:dateType/gmd:CI_DateTypeCode/@codeListValue")
            .or_else(|| date.value("gmd:dateType/gmd:CI_DateTypeCode"));
        let (Some(kind), Some(value)) = (kind, date.value("gmd:date/*")) else {
            continue;
        };
        if let Some(property) = record.table.date_types.get(kind) {
            graph.add(&record.resource, property.clone(), date_literal(value));
        }
    }
}

/// `gmd:descriptiveKeywords`: a free keyword is a `dcat:keyword`; a keyword from a thesaurus
/// is a `dcat:theme`, either a known concept IRI (an Anchor's http(s) link, an INSPIRE
/// theme by its label) or a `skos:Concept` with its label `skos:inScheme` a
/// `skos:ConceptScheme` titled by the thesaurus (SEMIC). Thesaurus keywords are also kept as
/// `dcat:keyword`, so that they are searched like the free ones.
pub fn keywords(record: &IsoRecord<'_>, graph: &mut Graph) {
    let Some(identification) = identification(record.root) else {
        return;
    };
    for keywords in identification.select("gmd:descriptiveKeywords/gmd:MD_Keywords") {
        let thesaurus = keywords.select("gmd:thesaurusName/*").into_iter().next();
        let thesaurus_title = thesaurus.and_then(|t| t.value("gmd:title/*"));
        let thesaurus_link = thesaurus
            .and_then(|t| t.value("gmd:title/gmx:Anchor/@href"))
            .and_then(http_iri);
        let known_themes = thesaurus_title.and_then(|title| {
            let title = title.to_lowercase();
            record
                .table
                .theme_schemes
                .iter()
                .find(|(fragment, _)| title.contains(fragment.as_str()))
                .map(|(_, labels)| labels)
        });
        let mut scheme: Option<NamedOrBlankNode> = None;
        for keyword in keywords.select("gmd:keyword/*") {
            let Some(label) = keyword.text() else {
                continue;
            };
            let link = keyword.attribute("href").and_then(http_iri);
            if thesaurus.is_none() && link.is_none() {
                graph.add(
                    &record.resource,
                    iri(ns::DCAT, "keyword"),
                    record.text(label),
                );
                continue;
            }
            graph.add(
                &record.resource,
                iri(ns::DCAT, "keyword"),
                record.text(label),
            );
            let known = link.or_else(|| {
                known_themes.and_then(|themes| themes.get(&label.to_lowercase()).cloned())
            });
            let concept: NamedOrBlankNode = match known {
                Some(concept) => concept.into(),
                None => graph.blank(),
            };
            graph.add(&record.resource, iri(ns::DCAT, "theme"), concept.clone());
            graph.typed(&concept, ns::SKOS, "Concept");
            graph.add(&concept, iri(ns::SKOS, "prefLabel"), record.text(label));
            let Some(thesaurus) = thesaurus else {
                continue;
            };
            let scheme = scheme
                .get_or_insert_with(|| {
                    concept_scheme(record, thesaurus, thesaurus_link.clone(), graph)
                })
                .clone();
            graph.add(&concept, iri(ns::SKOS, "inScheme"), scheme);
        }
    }
}

fn concept_scheme(
    record: &IsoRecord<'_>,
    thesaurus: &Element,
    link: Option<oxrdf::NamedNode>,
    graph: &mut Graph,
) -> NamedOrBlankNode {
    let scheme: NamedOrBlankNode = match link {
        Some(link) => link.into(),
        None => graph.blank(),
    };
    graph.typed(&scheme, ns::SKOS, "ConceptScheme");
    if let Some(title) = thesaurus.value("gmd:title/*") {
        graph.add(&scheme, iri(ns::DCT, "title"), record.text(title));
    }
    for date in thesaurus.select("gmd:date/gmd:CI_Date") {
        let kind = date.value("gmd:dateType/gmd:CI_DateTypeCode/@codeListValue");
        let property = kind.and_then(|k| record.table.date_types.get(k));
        if let (Some(property), Some(value)) = (property, date.value("gmd:date/*")) {
            graph.add(&scheme, property.clone(), date_literal(value));
        }
    }
    scheme
}

fn decimal(element: &Element, path: &str) -> Option<f64> {
    element
        .value(path)
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|v| v.is_finite())
}

/// A number as WKT writes it (no trailing zeros, no exponent).
fn wkt_number(value: f64) -> String {
    let text = format!("{value}");
    if text.contains('e') {
        format!("{value:.10}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_owned()
    } else {
        text
    }
}

/// The WKT polygon of a bounding box in CRS84 (longitude first), as SEMIC writes it.
pub fn bbox_wkt(west: f64, east: f64, south: f64, north: f64) -> String {
    let (w, e, s, n) = (
        wkt_number(west),
        wkt_number(east),
        wkt_number(south),
        wkt_number(north),
    );
    format!("POLYGON(({w} {n},{e} {n},{e} {s},{w} {s},{w} {n}))")
}

/// Writes a `dct:Location` with a `dcat:bbox` for `subject`.
pub fn add_bbox(
    graph: &mut Graph,
    subject: &NamedOrBlankNode,
    (west, east, south, north): (f64, f64, f64, f64),
) {
    let location = graph.blank();
    graph.add(subject, iri(ns::DCT, "spatial"), location.clone());
    graph.typed(&location, ns::DCT, "Location");
    graph.add(
        &location,
        iri(ns::DCAT, "bbox"),
        Literal::new_typed_literal(
            bbox_wkt(west, east, south, north),
            iri(ns::GEOSPARQL, "wktLiteral"),
        ),
    );
}

/// Geographic and temporal extents (`gmd:extent` or `srv:extent`).
pub fn extents(record: &IsoRecord<'_>, graph: &mut Graph) {
    let Some(identification) = identification(record.root) else {
        return;
    };
    let mut extents = identification.select("gmd:extent/gmd:EX_Extent");
    extents.extend(identification.select("srv:extent/gmd:EX_Extent"));
    for extent in extents {
        for bbox in extent.select("gmd:geographicElement/gmd:EX_GeographicBoundingBox") {
            let corners = (
                decimal(bbox, "gmd:westBoundLongitude/*"),
                decimal(bbox, "gmd:eastBoundLongitude/*"),
                decimal(bbox, "gmd:southBoundLatitude/*"),
                decimal(bbox, "gmd:northBoundLatitude/*"),
            );
            if let (Some(w), Some(e), Some(s), Some(n)) = corners {
                add_bbox(graph, &record.resource, (w, e, s, n));
            }
        }
        for code in extent.values(
            "gmd:geographicElement/gmd:EX_GeographicDescription/gmd:geographicIdentifier/*/gmd:code/*",
        ) {
            match http_iri(code) {
                Some(place) => graph.add(&record.resource, iri(ns::DCT, "spatial"), place),
                None => {
                    let location = graph.blank();
                    graph.add(&record.resource, iri(ns::DCT, "spatial"), location.clone());
                    graph.typed(&location, ns::DCT, "Location");
                    graph.add(&location, iri(ns::SKOS, "prefLabel"), record.text(code));
                }
            }
        }
        for temporal in extent.select("gmd:temporalElement/*/gmd:extent/*") {
            temporal_extent(record, temporal, graph);
        }
    }
}

fn temporal_extent(record: &IsoRecord<'_>, time: &Element, graph: &mut Graph) {
    let position = |paths: &[&str]| paths.iter().find_map(|p| time.value(p)).map(str::to_owned);
    let (start, end) = if time.is("gml:TimeInstant") {
        let at = position(&["gml:timePosition"]);
        (at.clone(), at)
    } else {
        (
            position(&[
                "gml:beginPosition",
                "gml:begin/gml:TimeInstant/gml:timePosition",
            ]),
            position(&[
                "gml:endPosition",
                "gml:end/gml:TimeInstant/gml:timePosition",
            ]),
        )
    };
    if start.is_none() && end.is_none() {
        return;
    }
    let period = graph.blank();
    graph.add(&record.resource, iri(ns::DCT, "temporal"), period.clone());
    graph.typed(&period, ns::DCT, "PeriodOfTime");
    if let Some(start) = start {
        graph.add(&period, iri(ns::DCAT, "startDate"), date_literal(&start));
    }
    if let Some(end) = end {
        graph.add(&period, iri(ns::DCAT, "endDate"), date_literal(&end));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bbox_is_a_crs84_polygon_as_semic_writes_it() {
        assert_eq!(
            bbox_wkt(20.0, 24.0, 38.0, 40.5),
            "POLYGON((20 40.5,24 40.5,24 38,20 38,20 40.5))"
        );
    }
}
