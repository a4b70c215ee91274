//! The structured parts of an ISO record that link it to other things: responsible parties
//! (by role, table `ldtx:Role`), online resources (distributions, landing pages, service
//! endpoints), constraints on access and use, conformity, reference systems and spatial
//! resolution. Decisions follow SEMIC's XSLT (core profile).

use ldtcat_vocab::ns;
use oxrdf::{Literal, NamedNode, NamedOrBlankNode, Term};

use super::{identification, IsoRecord};
use crate::rdf_out::{date_literal, http_iri, iri, Graph};
use crate::xml::Element;

const GEODCATAP: &str = "http://data.europa.eu/930/";

fn mailto(address: &str) -> Option<NamedNode> {
    let address = address.trim();
    (address.contains('@') && !address.contains(' '))
        .then(|| NamedNode::new(format!("mailto:{address}")).ok())
        .flatten()
}

/// `gmd:pointOfContact` of the resource by role; `gmd:contact` (the metadata's) as the
/// catalogue record's `dcat:contactPoint`.
pub fn parties(record: &IsoRecord<'_>, graph: &mut Graph) {
    if let Some(identification) = identification(record.root) {
        for party in identification.select("gmd:pointOfContact/gmd:CI_ResponsibleParty") {
            let role = party
                .value("gmd:role/gmd:CI_RoleCode/@codeListValue")
                .or_else(|| party.value("gmd:role/gmd:CI_RoleCode"))
                .unwrap_or("pointOfContact");
            let Some(property) = record.table.roles.get(role) else {
                continue;
            };
            let node = if property.as_str() == format!("{}contactPoint", ns::DCAT) {
                contact(record, party, graph)
            } else {
                agent(record, party, graph)
            };
            graph.add(&record.resource, property.clone(), node);
        }
    }
    for party in record.root.select("gmd:contact/gmd:CI_ResponsibleParty") {
        let node = contact(record, party, graph);
        graph.add(&record.record, iri(ns::DCAT, "contactPoint"), node);
    }
}

fn party_names(party: &Element) -> (Option<&str>, Option<&str>) {
    (
        party.value("gmd:organisationName/*"),
        party.value("gmd:individualName/*"),
    )
}

fn party_email(party: &Element) -> Option<NamedNode> {
    party
        .value("gmd:contactInfo/*/gmd:address/*/gmd:electronicMailAddress/*")
        .and_then(mailto)
}

fn party_url(party: &Element) -> Option<NamedNode> {
    party
        .value("gmd:contactInfo/*/gmd:onlineResource/*/gmd:linkage/gmd:URL")
        .and_then(http_iri)
}

/// A `vcard:Organization` (or `vcard:Individual`) with its name, email and web page.
fn contact(record: &IsoRecord<'_>, party: &Element, graph: &mut Graph) -> NamedOrBlankNode {
    let node = graph.blank();
    let (organisation, individual) = party_names(party);
    let class = if organisation.is_none() && individual.is_some() {
        "Individual"
    } else {
        "Organization"
    };
    graph.typed(&node, ns::VCARD, class);
    if let Some(name) = organisation.or(individual) {
        graph.add(&node, iri(ns::VCARD, "fn"), record.text(name));
    }
    if let (Some(_), Some(individual)) = (organisation, individual) {
        graph.add(&node, iri(ns::VCARD, "hasMember"), record.text(individual));
    }
    if let Some(email) = party_email(party) {
        graph.add(&node, iri(ns::VCARD, "hasEmail"), email);
    }
    if let Some(url) = party_url(party) {
        graph.add(&node, iri(ns::VCARD, "hasURL"), url);
    }
    node
}

/// A `foaf:Organization` (or `foaf:Person`) with its name, mailbox and home page.
fn agent(record: &IsoRecord<'_>, party: &Element, graph: &mut Graph) -> NamedOrBlankNode {
    let node = graph.blank();
    let (organisation, individual) = party_names(party);
    let class = if organisation.is_none() && individual.is_some() {
        "Person"
    } else {
        "Organization"
    };
    graph.typed(&node, ns::FOAF, class);
    if let Some(name) = organisation.or(individual) {
        graph.add(&node, iri(ns::FOAF, "name"), record.text(name));
    }
    if let Some(email) = party_email(party) {
        graph.add(&node, iri(ns::FOAF, "mbox"), email);
    }
    if let Some(url) = party_url(party) {
        graph.add(&node, iri(ns::FOAF, "homepage"), url);
    }
    node
}

/// The OGC service a URL or protocol names (SEMIC's `service-protocol-code`).
fn ogc_service(url: &str, protocol: Option<&str>) -> Option<&'static str> {
    let query = url
        .split_once('?')
        .map(|(_, q)| q.to_lowercase())
        .unwrap_or_default();
    let protocol = protocol.map(str::to_lowercase).unwrap_or_default();
    ["csw", "sos", "sps", "wcs", "wfs", "wms", "wmts", "wps"]
        .into_iter()
        .find(|service| {
            query.contains(&format!("service={service}"))
                || protocol == format!("ogc:{service}")
                || protocol.starts_with(&format!("ogc:{service}-"))
        })
}

/// The constraints on access and use, as SEMIC maps them: free text becomes a
/// `dct:RightsStatement`, an http(s) Anchor an IRI; use limitations and use constraints are
/// `dct:license` / `dct:rights`, access constraints `dct:accessRights`.
struct Constraints {
    /// `(property local name, value)` on distributions (or on the resource when it has none,
    /// or is a service).
    use_terms: Vec<(&'static str, Term)>,
}

fn constraints(record: &IsoRecord<'_>, graph: &mut Graph) -> Constraints {
    let mut use_terms = Vec::new();
    let Some(identification) = identification(record.root) else {
        return Constraints { use_terms };
    };
    let statement = |graph: &mut Graph, text: &str| -> Term {
        let node = graph.blank();
        graph.typed(&node, ns::DCT, "RightsStatement");
        graph.add(&node, iri(ns::RDFS, "label"), record.text(text));
        node.into()
    };
    for constraint in identification.select("gmd:resourceConstraints/*") {
        let is_access = !constraint.select("gmd:accessConstraints").is_empty();
        let mut texts: Vec<(&str, Option<NamedNode>)> = Vec::new();
        for element in constraint.select("gmd:useLimitation/*") {
            texts.push((
                element.text().unwrap_or(""),
                element.attribute("href").and_then(http_iri),
            ));
        }
        for element in constraint.select("gmd:otherConstraints/*") {
            texts.push((
                element.text().unwrap_or(""),
                element.attribute("href").and_then(http_iri),
            ));
        }
        for (text, link) in texts {
            let link = link.or_else(|| http_iri(text));
            if is_access {
                let term = match link {
                    Some(link) => link.into(),
                    None if text.is_empty() => continue,
                    None => statement(graph, text),
                };
                graph.add(&record.resource, iri(ns::DCT, "accessRights"), term);
                continue;
            }
            match link {
                Some(link) => use_terms.push(("license", link.into())),
                None if text.is_empty() => {}
                None => {
                    let term = statement(graph, text);
                    use_terms.push(("rights", term));
                }
            }
        }
    }
    Constraints { use_terms }
}

/// `gmd:distributionInfo` online resources: for a dataset or series, a download, offline
/// access or order link (or a `GetCapabilities` URL) is a `dcat:Distribution` with an access
/// URL (and a download URL for downloads), format and the use terms; an information or search
/// link is a `foaf:page`; a link without a function a `dcat:landingPage` (SEMIC). For a
/// service, the links are its `dcat:endpointURL` (a `GetCapabilities` URL its
/// `dcat:endpointDescription`).
pub fn online_resources(record: &IsoRecord<'_>, graph: &mut Graph) {
    let terms = constraints(record, graph);
    let formats: Vec<&str> = record
        .root
        .values("gmd:distributionInfo/*/gmd:distributionFormat/*/gmd:name/*");
    let mut links = record
        .root
        .select("gmd:distributionInfo/*/gmd:transferOptions/*/gmd:onLine/gmd:CI_OnlineResource");
    links.extend(record.root.select(
        "gmd:distributionInfo/*/gmd:distributor/*/gmd:distributorTransferOptions/*/gmd:onLine/gmd:CI_OnlineResource",
    ));
    let mut distributions = 0;
    for link in links {
        let Some(url) = link.value("gmd:linkage/gmd:URL").and_then(http_iri) else {
            continue;
        };
        let function = link
            .value("gmd:function/gmd:CI_OnLineFunctionCode/@codeListValue")
            .or_else(|| link.value("gmd:function/gmd:CI_OnLineFunctionCode"));
        let protocol = link.value("gmd:protocol/*");
        let capabilities = url
            .as_str()
            .to_lowercase()
            .contains("request=getcapabilities");
        if record.is_service() {
            service_endpoint(record, &url, capabilities, graph);
            continue;
        }
        match function {
            _ if capabilities
                || matches!(function, Some("download" | "offlineAccess" | "order")) =>
            {
                distributions += 1;
                distribution(
                    record, link, &url, function, protocol, &formats, &terms, graph,
                );
            }
            Some("information" | "search") => {
                graph.add(&record.resource, iri(ns::FOAF, "page"), url);
            }
            _ => graph.add(&record.resource, iri(ns::DCAT, "landingPage"), url),
        }
    }
    if distributions == 0 {
        for (property, term) in terms.use_terms {
            graph.add(&record.resource, iri(ns::DCT, property), term);
        }
    }
}

fn service_endpoint(
    record: &IsoRecord<'_>,
    url: &NamedNode,
    capabilities: bool,
    graph: &mut Graph,
) {
    if capabilities {
        let base = url.as_str().split('?').next().unwrap_or(url.as_str());
        if let Some(endpoint) = http_iri(base) {
            graph.add(&record.resource, iri(ns::DCAT, "endpointURL"), endpoint);
        }
        graph.add(
            &record.resource,
            iri(ns::DCAT, "endpointDescription"),
            url.clone(),
        );
    } else {
        graph.add(&record.resource, iri(ns::DCAT, "endpointURL"), url.clone());
    }
}

#[allow(clippy::too_many_arguments)]
fn distribution(
    record: &IsoRecord<'_>,
    link: &Element,
    url: &NamedNode,
    function: Option<&str>,
    protocol: Option<&str>,
    formats: &[&str],
    terms: &Constraints,
    graph: &mut Graph,
) {
    let node = graph.blank();
    graph.add(
        &record.resource,
        iri(ns::DCAT, "distribution"),
        node.clone(),
    );
    graph.typed(&node, ns::DCAT, "Distribution");
    if let Some(name) = link.value("gmd:name/*") {
        graph.add(&node, iri(ns::DCT, "title"), record.text(name));
    }
    if let Some(description) = link.value("gmd:description/*") {
        graph.add(&node, iri(ns::DCT, "description"), record.text(description));
    }
    graph.add(&node, iri(ns::DCAT, "accessURL"), url.clone());
    if function == Some("download") {
        graph.add(&node, iri(ns::DCAT, "downloadURL"), url.clone());
    }
    if let Some(protocol) = protocol {
        match ogc_service(url.as_str(), Some(protocol)).or_else(|| ogc_service(url.as_str(), None))
        {
            Some(service) => graph.add(
                &node,
                iri(GEODCATAP, "serviceProtocol"),
                iri("http://www.opengeospatial.org/standards/", service),
            ),
            None => graph.add(&node, iri(ns::DCT, "conformsTo"), record.text(protocol)),
        }
    }
    for format in formats {
        let value = graph.blank();
        graph.add(&node, iri(ns::DCT, "format"), value.clone());
        graph.typed(&value, ns::DCT, "MediaTypeOrExtent");
        graph.add(
            &value,
            iri(ns::RDFS, "label"),
            Literal::new_simple_literal(*format),
        );
    }
    for (property, term) in &terms.use_terms {
        graph.add(&node, iri(ns::DCT, property), term.clone());
    }
}

/// `gmd:dataQualityInfo` conformance results that passed: `dct:conformsTo` the
/// specification (its link, or a `dct:Standard` with its title and date).
pub fn conformity(record: &IsoRecord<'_>, graph: &mut Graph) {
    for result in record
        .root
        .select("gmd:dataQualityInfo/*/gmd:report/*/gmd:result/gmd:DQ_ConformanceResult")
    {
        if result.value("gmd:pass/*") != Some("true") {
            continue;
        }
        let Some(specification) = result
            .select("gmd:specification/gmd:CI_Citation")
            .into_iter()
            .next()
        else {
            continue;
        };
        let standard: NamedOrBlankNode = match specification
            .value("gmd:title/gmx:Anchor/@href")
            .and_then(http_iri)
        {
            Some(link) => link.into(),
            None => graph.blank(),
        };
        graph.add(
            &record.resource,
            iri(ns::DCT, "conformsTo"),
            standard.clone(),
        );
        graph.typed(&standard, ns::DCT, "Standard");
        if let Some(title) = specification.value("gmd:title/*") {
            graph.add(&standard, iri(ns::DCT, "title"), record.text(title));
        }
        if let Some(date) = specification.value("gmd:date/*/gmd:date/*") {
            graph.add(&standard, iri(ns::DCT, "issued"), date_literal(date));
        }
    }
}

/// A reference system code as an EPSG IRI when it names one (`EPSG:4326`,
/// `urn:ogc:def:crs:EPSG::4326`, an http(s) link).
pub fn epsg_iri(code: &str) -> Option<NamedNode> {
    if let Some(link) = http_iri(code) {
        return Some(link);
    }
    let upper = code.trim().to_uppercase();
    let number = upper
        .rsplit(':')
        .next()
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))?;
    upper
        .contains("EPSG")
        .then(|| iri("http://www.opengis.net/def/crs/EPSG/0/", number))
}

/// `gmd:referenceSystemInfo`: `dct:conformsTo` the reference system (GeoDCAT-AP), typed
/// `dct:Standard`.
pub fn reference_systems(record: &IsoRecord<'_>, graph: &mut Graph) {
    for identifier in record
        .root
        .select("gmd:referenceSystemInfo/*/gmd:referenceSystemIdentifier/gmd:RS_Identifier")
    {
        let code = identifier
            .value("gmd:code/gmx:Anchor/@href")
            .or_else(|| identifier.value("gmd:code/*"));
        let Some(code) = code else { continue };
        let node: NamedOrBlankNode = match epsg_iri(code) {
            Some(link) => link.into(),
            None => graph.blank(),
        };
        graph.add(&record.resource, iri(ns::DCT, "conformsTo"), node.clone());
        graph.typed(&node, ns::DCT, "Standard");
        graph.add(
            &node,
            iri(ns::DCT, "type"),
            iri(
                "http://inspire.ec.europa.eu/glossary/",
                "SpatialReferenceSystem",
            ),
        );
        graph.add(
            &node,
            iri(ns::DCT, "identifier"),
            Literal::new_simple_literal(code),
        );
    }
}

/// `gmd:spatialResolution`: a distance in metres as `dcat:spatialResolutionInMeters`, any
/// other resolution as `geodcatap:spatialResolutionAsText`.
pub fn spatial_resolution(record: &IsoRecord<'_>, graph: &mut Graph) {
    let Some(identification) = identification(record.root) else {
        return;
    };
    for resolution in identification.select("gmd:spatialResolution/gmd:MD_Resolution") {
        for distance in resolution.select("gmd:distance/gco:Distance") {
            let Some(value) = distance.text() else {
                continue;
            };
            let unit = distance.attribute("uom").unwrap_or("");
            let metres = ["m", "meter", "metre", "meters", "metres", "EPSG::9001"]
                .iter()
                .any(|u| unit.eq_ignore_ascii_case(u) || unit.ends_with("#m"));
            if metres && value.parse::<f64>().is_ok() {
                graph.add(
                    &record.resource,
                    iri(ns::DCAT, "spatialResolutionInMeters"),
                    Literal::new_typed_literal(value, iri(ns::XSD, "decimal")),
                );
            } else {
                graph.add(
                    &record.resource,
                    iri(GEODCATAP, "spatialResolutionAsText"),
                    record.text(format!("{value} {unit}").trim()),
                );
            }
        }
        for denominator in resolution.values("gmd:equivalentScale/*/gmd:denominator/*") {
            graph.add(
                &record.resource,
                iri(GEODCATAP, "spatialResolutionAsText"),
                record.text(&format!("1:{denominator}")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_system_codes_become_epsg_iris() {
        for code in [
            "EPSG:4326",
            "urn:ogc:def:crs:EPSG::4326",
            "urn:ogc:def:crs:EPSG:6.11:4326",
        ] {
            assert_eq!(
                epsg_iri(code).map(|n| n.into_string()),
                Some("http://www.opengis.net/def/crs/EPSG/0/4326".to_owned()),
                "{code}"
            );
        }
        assert!(epsg_iri("WGS 84").is_none());
        assert_eq!(
            ogc_service("http://x.org/wms?SERVICE=WMS&request=GetCapabilities", None),
            Some("wms")
        );
        assert_eq!(
            ogc_service("http://x.org/ows", Some("OGC:WFS")),
            Some("wfs")
        );
    }
}
