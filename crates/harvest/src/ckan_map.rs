//! CKAN packages to DCAT-AP, following ckanext-dcat's `euro_dcat_ap` profile: the dataset
//! IRI is the `uri` extra or `{site}/dataset/{id}`; title, notes, tags, groups (themes),
//! organisation (publisher), maintainer (contact point), version, dates, landing page,
//! language, spatial and temporal extras; each resource is a `dcat:Distribution`
//! (`{site}/dataset/{id}/resource/{resource id}` unless it has a `uri`) with access and
//! download URLs, format, media type, size, dates and the package's licence.

use std::fmt::Write as _;

use ldtcat_vocab::ns;
use oxrdf::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use serde::Deserialize;
use url::Url;

/// A CKAN package, as `package_search` returns it (only the fields mapped).
#[derive(Debug, Deserialize)]
pub struct Package {
    id: String,
    name: Option<String>,
    title: Option<String>,
    notes: Option<String>,
    url: Option<String>,
    version: Option<String>,
    metadata_created: Option<String>,
    metadata_modified: Option<String>,
    license_id: Option<String>,
    license_url: Option<String>,
    maintainer: Option<String>,
    maintainer_email: Option<String>,
    author: Option<String>,
    author_email: Option<String>,
    #[serde(default)]
    tags: Vec<Named>,
    #[serde(default)]
    groups: Vec<Named>,
    organization: Option<Organization>,
    #[serde(default)]
    resources: Vec<Resource>,
    #[serde(default)]
    extras: Vec<Extra>,
}

#[derive(Debug, Deserialize)]
struct Named {
    name: String,
}

#[derive(Debug, Deserialize)]
struct Organization {
    id: String,
    name: Option<String>,
    title: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Resource {
    id: String,
    uri: Option<String>,
    name: Option<String>,
    description: Option<String>,
    url: Option<String>,
    download_url: Option<String>,
    format: Option<String>,
    mimetype: Option<String>,
    size: Option<serde_json::Value>,
    created: Option<String>,
    last_modified: Option<String>,
    license: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Extra {
    key: String,
    value: serde_json::Value,
}

struct Graph {
    out: String,
    blank: u64,
    prefix: String,
}

fn iri(namespace: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{namespace}{local}"))
}

fn node(text: &str) -> Option<NamedNode> {
    let text = text.trim();
    Url::parse(text)
        .ok()
        .and_then(|url| NamedNode::new(url.as_str()).ok())
}

fn plain(text: &str) -> Term {
    Literal::new_simple_literal(text).into()
}

fn typed(text: &str, datatype: &str) -> Term {
    Literal::new_typed_literal(text, iri(ns::XSD, datatype)).into()
}

/// A CKAN timestamp (`2024-05-01T10:00:00.123456`, UTC without offset) as xsd:dateTime.
fn datetime(text: &str) -> Term {
    let text = text.trim();
    let has_offset = text.ends_with('Z') || text.get(19..).is_some_and(|t| t.contains(['+', '-']));
    if text.len() >= 19 && !has_offset {
        typed(&format!("{text}Z"), "dateTime")
    } else if text.len() == 10 {
        typed(text, "date")
    } else {
        typed(text, "dateTime")
    }
}

impl Graph {
    fn add(&mut self, subject: &NamedOrBlankNode, predicate: NamedNode, object: Term) {
        let _ = writeln!(
            self.out,
            "{} .",
            Triple::new(subject.clone(), predicate, object)
        );
    }

    fn text(&mut self, subject: &NamedOrBlankNode, predicate: NamedNode, value: Option<&str>) {
        if let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) {
            self.add(subject, predicate, plain(value));
        }
    }

    fn link(&mut self, subject: &NamedOrBlankNode, predicate: NamedNode, value: Option<&str>) {
        if let Some(target) = value.and_then(node) {
            self.add(subject, predicate, target.into());
        }
    }

    fn blank(&mut self) -> NamedOrBlankNode {
        self.blank += 1;
        BlankNode::new_unchecked(format!("{}b{}", self.prefix, self.blank)).into()
    }
}

fn extra<'p>(package: &'p Package, key: &str) -> Option<&'p str> {
    package
        .extras
        .iter()
        .find(|e| e.key == key)
        .and_then(|e| e.value.as_str())
        .filter(|v| !v.trim().is_empty())
}

/// Maps packages to N-Triples; returns the text and notes about packages that could not be
/// mapped (skipped).
pub fn map_packages(packages: &[Package], site: &Url) -> (String, Vec<String>) {
    let mut graph = Graph {
        out: String::new(),
        blank: 0,
        prefix: String::new(),
    };
    let mut notes = Vec::new();
    for (n, package) in packages.iter().enumerate() {
        graph.prefix = format!("p{n}");
        let dataset_iri = extra(package, "uri").and_then(node).or_else(|| {
            site.join(&format!("dataset/{}", package.id))
                .ok()
                .and_then(|u| node(u.as_str()))
        });
        let Some(dataset_iri) = dataset_iri else {
            notes.push(format!("package {}: no usable IRI; skipped", package.id));
            continue;
        };
        map_package(&mut graph, package, dataset_iri, site);
    }
    (graph.out, notes)
}

fn map_package(graph: &mut Graph, package: &Package, dataset_iri: NamedNode, site: &Url) {
    let dataset: NamedOrBlankNode = dataset_iri.into();
    let dct = |local: &str| iri(ns::DCT, local);
    let dcat = |local: &str| iri(ns::DCAT, local);
    graph.add(&dataset, iri(ns::RDF, "type"), dcat("Dataset").into());
    graph.text(
        &dataset,
        dct("title"),
        package.title.as_deref().or(package.name.as_deref()),
    );
    graph.text(&dataset, dct("description"), package.notes.as_deref());
    let identifier = extra(package, "identifier")
        .or(extra(package, "guid"))
        .unwrap_or(package.id.as_str());
    graph.text(&dataset, dct("identifier"), Some(identifier));
    for tag in &package.tags {
        graph.text(&dataset, dcat("keyword"), Some(&tag.name));
    }
    for group in &package.groups {
        if let Ok(theme) = site.join(&format!("group/{}", group.name)) {
            graph.link(&dataset, dcat("theme"), Some(theme.as_str()));
        }
    }
    if let Some(version) = package.version.as_deref().filter(|v| !v.is_empty()) {
        graph.add(
            &dataset,
            iri("http://www.w3.org/2002/07/owl#", "versionInfo"),
            plain(version),
        );
    }
    graph.link(&dataset, dcat("landingPage"), package.url.as_deref());
    if let Some(created) = &package.metadata_created {
        graph.add(
            &dataset,
            dct("issued"),
            datetime(extra(package, "issued").unwrap_or(created)),
        );
    }
    if let Some(modified) = &package.metadata_modified {
        graph.add(
            &dataset,
            dct("modified"),
            datetime(extra(package, "modified").unwrap_or(modified)),
        );
    }
    for key in [
        "language",
        "frequency",
        "access_rights",
        "conforms_to",
        "spatial_uri",
    ] {
        let predicate = match key {
            "language" => dct("language"),
            "frequency" => dct("accrualPeriodicity"),
            "access_rights" => dct("accessRights"),
            "conforms_to" => dct("conformsTo"),
            _ => dct("spatial"),
        };
        match extra(package, key) {
            Some(value) if node(value).is_some() => graph.link(&dataset, predicate, Some(value)),
            Some(value) if key == "language" => graph.text(&dataset, predicate, Some(value)),
            _ => {}
        }
    }
    if let Some(organization) = &package.organization {
        if let Ok(publisher) = site.join(&format!(
            "organization/{}",
            organization.name.as_deref().unwrap_or(&organization.id)
        )) {
            if let Some(publisher) = node(publisher.as_str()) {
                let publisher: NamedOrBlankNode = publisher.into();
                graph.add(&dataset, dct("publisher"), publisher.clone().into());
                graph.add(
                    &publisher,
                    iri(ns::RDF, "type"),
                    iri(ns::FOAF, "Organization").into(),
                );
                graph.text(
                    &publisher,
                    iri(ns::FOAF, "name"),
                    organization
                        .title
                        .as_deref()
                        .or(organization.name.as_deref()),
                );
            }
        }
    }
    map_contact(graph, &dataset, package);
    map_spatial_and_temporal(graph, &dataset, package);
    for resource in &package.resources {
        map_resource(graph, &dataset, package, resource, site);
    }
}

fn map_contact(graph: &mut Graph, dataset: &NamedOrBlankNode, package: &Package) {
    let (name, email) = match (&package.maintainer, &package.maintainer_email) {
        (None, None) => (package.author.as_deref(), package.author_email.as_deref()),
        (name, email) => (name.as_deref(), email.as_deref()),
    };
    if name.is_none() && email.is_none() {
        return;
    }
    let contact = graph.blank();
    graph.add(
        dataset,
        iri(ns::DCAT, "contactPoint"),
        contact.clone().into(),
    );
    graph.add(
        &contact,
        iri(ns::RDF, "type"),
        iri(ns::VCARD, "Kind").into(),
    );
    graph.text(&contact, iri(ns::VCARD, "fn"), name);
    if let Some(email) = email.map(str::trim).filter(|e| e.contains('@')) {
        let mailto = if email.starts_with("mailto:") {
            email.to_owned()
        } else {
            format!("mailto:{email}")
        };
        graph.link(&contact, iri(ns::VCARD, "hasEmail"), Some(&mailto));
    }
}

fn map_spatial_and_temporal(graph: &mut Graph, dataset: &NamedOrBlankNode, package: &Package) {
    if let Some(geojson) = extra(package, "spatial") {
        let location = graph.blank();
        graph.add(dataset, iri(ns::DCT, "spatial"), location.clone().into());
        graph.add(
            &location,
            iri(ns::RDF, "type"),
            iri(ns::DCT, "Location").into(),
        );
        graph.add(
            &location,
            iri(ns::LOCN, "geometry"),
            Literal::new_typed_literal(geojson, iri(ns::GEOSPARQL, "geoJSONLiteral")).into(),
        );
    }
    let start = extra(package, "temporal_start");
    let end = extra(package, "temporal_end");
    if start.is_some() || end.is_some() {
        let period = graph.blank();
        graph.add(dataset, iri(ns::DCT, "temporal"), period.clone().into());
        graph.add(
            &period,
            iri(ns::RDF, "type"),
            iri(ns::DCT, "PeriodOfTime").into(),
        );
        if let Some(start) = start {
            graph.add(&period, iri(ns::DCAT, "startDate"), datetime(start));
        }
        if let Some(end) = end {
            graph.add(&period, iri(ns::DCAT, "endDate"), datetime(end));
        }
    }
}

fn map_resource(
    graph: &mut Graph,
    dataset: &NamedOrBlankNode,
    package: &Package,
    resource: &Resource,
    site: &Url,
) {
    let distribution_iri = resource.uri.as_deref().and_then(node).or_else(|| {
        site.join(&format!("dataset/{}/resource/{}", package.id, resource.id))
            .ok()
            .and_then(|u| node(u.as_str()))
    });
    let Some(distribution_iri) = distribution_iri else {
        return;
    };
    let distribution: NamedOrBlankNode = distribution_iri.into();
    let dct = |local: &str| iri(ns::DCT, local);
    let dcat = |local: &str| iri(ns::DCAT, local);
    graph.add(dataset, dcat("distribution"), distribution.clone().into());
    graph.add(
        &distribution,
        iri(ns::RDF, "type"),
        dcat("Distribution").into(),
    );
    graph.text(&distribution, dct("title"), resource.name.as_deref());
    graph.text(
        &distribution,
        dct("description"),
        resource.description.as_deref(),
    );
    graph.link(&distribution, dcat("accessURL"), resource.url.as_deref());
    graph.link(
        &distribution,
        dcat("downloadURL"),
        resource.download_url.as_deref(),
    );
    graph.text(&distribution, dct("format"), resource.format.as_deref());
    if let Some(mimetype) = resource.mimetype.as_deref().filter(|m| m.contains('/')) {
        let media_type = format!(
            "http://www.iana.org/assignments/media-types/{}",
            mimetype.trim()
        );
        graph.link(&distribution, dcat("mediaType"), Some(&media_type));
    }
    let size = match &resource.size {
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        Some(serde_json::Value::String(s)) if s.trim().parse::<u64>().is_ok() => {
            Some(s.trim().to_owned())
        }
        _ => None,
    };
    if let Some(size) = size {
        graph.add(
            &distribution,
            dcat("byteSize"),
            typed(&size, "nonNegativeInteger"),
        );
    }
    if let Some(created) = &resource.created {
        graph.add(&distribution, dct("issued"), datetime(created));
    }
    if let Some(modified) = &resource.last_modified {
        graph.add(&distribution, dct("modified"), datetime(modified));
    }
    let licence = resource
        .license
        .as_deref()
        .or(package.license_url.as_deref());
    match licence.and_then(node) {
        Some(licence) => graph.add(&distribution, dct("license"), licence.into()),
        None => graph.text(&distribution, dct("license"), package.license_id.as_deref()),
    }
}
