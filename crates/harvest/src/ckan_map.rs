//! CKAN packages to DCAT-AP, following ckanext-dcat's `euro_dcat_ap` profile through the
//! one mapping both directions share, `ldtcat_model::ckan`: the fields of its tables
//! (`PACKAGE_FIELDS`, `RESOURCE_FIELDS`) are mapped by the table; the structured ones by
//! code here: the dataset IRI is the `uri` extra or `{site}/dataset/{id}`; tags; themes (the
//! `theme` extra, else the groups as `{site}/group/{name}`); the publisher (`publisher_*`
//! extras, else the organisation as `{site}/organization/{name}`); the contact point
//! (`contact_*` extras, else maintainer, else author); spatial and temporal extras; ldtcat's
//! kind (`ldt_kind`); each resource is a `dcat:Distribution` (`{site}/dataset/{id}/resource/
//! {resource id}` unless it has a `uri`) with the package's licence unless it has its own.

use std::fmt::Write as _;

use ldtcat_model::ckan::{
    kind_type_iri, FieldMapping, FieldPlace, ValueForm, KIND_EXTRA, PACKAGE_FIELDS, RESOURCE_FIELDS,
};
use ldtcat_vocab::{ns, Kind};
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
    license_title: Option<String>,
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
    /// The other fields, read through [`RESOURCE_FIELDS`].
    #[serde(flatten)]
    fields: serde_json::Map<String, serde_json::Value>,
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
    // A valid IRI is kept as given (the IRI is the identity: `http://host` must not become
    // `http://host/`); anything else only if a URL parser can repair it.
    NamedNode::new(text).ok().or_else(|| {
        Url::parse(text)
            .ok()
            .and_then(|url| NamedNode::new(url.as_str()).ok())
    })
}

/// A value that names an IRI (an absolute URL or a URN) as that IRI; text that merely
/// parses as a URL (`CC-BY:4.0`) stays text.
fn iri_value(text: &str) -> Option<NamedNode> {
    let text = text.trim();
    if text.contains("://") || text.starts_with("urn:") {
        node(text)
    } else {
        None
    }
}

fn plain(text: &str) -> Term {
    Literal::new_simple_literal(text).into()
}

fn typed(text: &str, datatype: &str) -> Term {
    Literal::new_typed_literal(text, iri(ns::XSD, datatype)).into()
}

/// A CKAN timestamp (`2024-05-01T10:00:00.123456`, UTC without offset) or an ISO 8601 time
/// as xsd:dateTime, a date as xsd:date; anything else (`2014-12-03T14:29:12+0000`, `May
/// 2024`) stays the plain literal it was, rather than an ill-typed one.
fn datetime(text: &str) -> Term {
    let text = text.trim();
    if chrono::DateTime::parse_from_rfc3339(text).is_ok() {
        return typed(text, "dateTime");
    }
    if chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").is_ok() {
        return typed(&format!("{text}Z"), "dateTime");
    }
    if chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok() {
        return typed(text, "date");
    }
    plain(text)
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
    graph.add(
        &dataset,
        iri(ns::RDF, "type"),
        iri(ns::DCAT, "Dataset").into(),
    );
    for mapping in PACKAGE_FIELDS {
        for value in package_values(package, mapping) {
            add_value(graph, &dataset, mapping, &value);
        }
    }
    for tag in &package.tags {
        graph.text(&dataset, iri(ns::DCAT, "keyword"), Some(&tag.name));
    }
    if extra(package, "theme").is_none() {
        for group in &package.groups {
            if let Ok(theme) = site.join(&format!("group/{}", group.name)) {
                graph.link(&dataset, iri(ns::DCAT, "theme"), Some(theme.as_str()));
            }
        }
    }
    if let Some(kind) = extra(package, KIND_EXTRA).and_then(|k| k.trim().parse::<Kind>().ok()) {
        graph.link(&dataset, iri(ns::DCT, "type"), Some(&kind_type_iri(kind)));
    }
    if let Some(place) = extra(package, "spatial_uri").and_then(node) {
        graph.add(&dataset, iri(ns::DCT, "spatial"), place.into());
    }
    map_publisher(graph, &dataset, package, site);
    map_contact(graph, &dataset, package);
    map_spatial_and_temporal(graph, &dataset, package);
    for resource in &package.resources {
        map_resource(graph, &dataset, package, resource, site);
    }
    if package.resources.is_empty() {
        // No distribution to carry it: the licence is said of the dataset.
        map_licence(graph, &dataset, package, None);
    }
}

/// The values of a table field: the key, else its fallbacks; a JSON list for list extras.
fn package_values(package: &Package, mapping: &FieldMapping) -> Vec<String> {
    let keys = std::iter::once(mapping.key).chain(mapping.fallbacks.iter().copied());
    for key in keys {
        let value = match mapping.place {
            FieldPlace::Core => core_value(package, key),
            FieldPlace::Extra | FieldPlace::ExtraList => {
                extra(package, key).or_else(|| core_value(package, key))
            }
        };
        let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
            continue;
        };
        if mapping.place == FieldPlace::ExtraList {
            if let Ok(list) = serde_json::from_str::<Vec<String>>(value) {
                return list;
            }
            // ckanext-dcat's compatibility mode writes lists comma-separated
            return value
                .split(',')
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .collect();
        }
        return vec![value.to_owned()];
    }
    Vec::new()
}

fn core_value<'p>(package: &'p Package, key: &str) -> Option<&'p str> {
    match key {
        "id" => Some(package.id.as_str()),
        "name" => package.name.as_deref(),
        "title" => package.title.as_deref(),
        "notes" => package.notes.as_deref(),
        "url" => package.url.as_deref(),
        "version" => package.version.as_deref(),
        "metadata_created" => package.metadata_created.as_deref(),
        "metadata_modified" => package.metadata_modified.as_deref(),
        _ => None,
    }
}

/// One value in the form the table says.
fn add_value(graph: &mut Graph, subject: &NamedOrBlankNode, mapping: &FieldMapping, value: &str) {
    let predicate = NamedNode::new_unchecked(mapping.property_iri());
    match mapping.form {
        ValueForm::Literal => graph.text(subject, predicate, Some(value)),
        ValueForm::Iri => graph.link(subject, predicate, Some(value)),
        ValueForm::IriOrLiteral => match iri_value(value) {
            Some(target) => graph.add(subject, predicate, target.into()),
            None => graph.text(subject, predicate, Some(value)),
        },
        ValueForm::Date => graph.add(subject, predicate, datetime(value)),
        ValueForm::Integer => {
            if value.parse::<u64>().is_ok() {
                graph.add(subject, predicate, typed(value, "nonNegativeInteger"));
            }
        }
    }
}

/// The publisher: ckanext-dcat's `publisher_*` extras, else the organisation.
fn map_publisher(graph: &mut Graph, dataset: &NamedOrBlankNode, package: &Package, site: &Url) {
    let name = extra(package, "publisher_name");
    let publisher: Option<NamedOrBlankNode> =
        match (extra(package, "publisher_uri").and_then(node), name) {
            (Some(uri), _) => Some(uri.into()),
            (None, Some(_)) => Some(graph.blank()),
            (None, None) => None,
        };
    if let Some(publisher) = publisher {
        graph.add(dataset, iri(ns::DCT, "publisher"), publisher.clone().into());
        graph.add(
            &publisher,
            iri(ns::RDF, "type"),
            iri(ns::FOAF, "Agent").into(),
        );
        graph.text(&publisher, iri(ns::FOAF, "name"), name);
        if let Some(email) = extra(package, "publisher_email") {
            graph.link(&publisher, iri(ns::FOAF, "mbox"), Some(&mailto(email)));
        }
        graph.link(
            &publisher,
            iri(ns::FOAF, "homepage"),
            extra(package, "publisher_url"),
        );
        return;
    }
    let Some(organization) = &package.organization else {
        return;
    };
    let Ok(publisher) = site.join(&format!(
        "organization/{}",
        organization.name.as_deref().unwrap_or(&organization.id)
    )) else {
        return;
    };
    if let Some(publisher) = node(publisher.as_str()) {
        let publisher: NamedOrBlankNode = publisher.into();
        graph.add(dataset, iri(ns::DCT, "publisher"), publisher.clone().into());
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

fn mailto(email: &str) -> String {
    let email = email.trim();
    if email.starts_with("mailto:") {
        email.to_owned()
    } else {
        format!("mailto:{email}")
    }
}

fn map_contact(graph: &mut Graph, dataset: &NamedOrBlankNode, package: &Package) {
    let (name, email) = match (
        extra(package, "contact_name"),
        extra(package, "contact_email"),
    ) {
        (None, None) => match (&package.maintainer, &package.maintainer_email) {
            (None, None) => (package.author.as_deref(), package.author_email.as_deref()),
            (name, email) => (name.as_deref(), email.as_deref()),
        },
        given => given,
    };
    let contact_uri = extra(package, "contact_uri").and_then(node);
    if name.is_none() && email.is_none() && contact_uri.is_none() {
        return;
    }
    let contact: NamedOrBlankNode = match contact_uri {
        Some(uri) => uri.into(),
        None => graph.blank(),
    };
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
        graph.link(&contact, iri(ns::VCARD, "hasEmail"), Some(&mailto(email)));
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
        graph.text(
            &location,
            iri(ns::SKOS, "prefLabel"),
            extra(package, "spatial_text"),
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
    graph.add(
        dataset,
        iri(ns::DCAT, "distribution"),
        distribution.clone().into(),
    );
    graph.add(
        &distribution,
        iri(ns::RDF, "type"),
        iri(ns::DCAT, "Distribution").into(),
    );
    for mapping in RESOURCE_FIELDS {
        if mapping.key == "license" {
            continue; // below, with the package's licence as fallback
        }
        let Some(value) = resource_value(resource, mapping) else {
            continue;
        };
        if mapping.key == "mimetype" {
            if let Some(media_type) = media_type_iri(&value) {
                graph.link(&distribution, iri(ns::DCAT, "mediaType"), Some(&media_type));
            }
            continue;
        }
        add_value(graph, &distribution, mapping, &value);
    }
    map_licence(graph, &distribution, package, Some(resource));
}

/// A resource field's value: the key, else its fallbacks (`url` stands for the access URL
/// only when it is not the download URL, as in ckanext-dcat).
fn resource_value(resource: &Resource, mapping: &FieldMapping) -> Option<String> {
    let text = |key: &str| match resource.fields.get(key) {
        Some(serde_json::Value::String(text)) if !text.trim().is_empty() => {
            Some(text.trim().to_owned())
        }
        Some(serde_json::Value::Number(number)) => Some(number.to_string()),
        _ => None,
    };
    if let Some(value) = text(mapping.key) {
        return Some(value);
    }
    let fallback = mapping.fallbacks.iter().find_map(|key| text(key))?;
    if mapping.key == "access_url" && text("download_url").as_deref() == Some(fallback.as_str()) {
        return None;
    }
    Some(fallback)
}

/// `text/csv` as its IANA IRI; an IRI as it is.
fn media_type_iri(value: &str) -> Option<String> {
    let value = value.trim();
    if value.contains("://") {
        return Some(value.to_owned());
    }
    value
        .contains('/')
        .then(|| format!("http://www.iana.org/assignments/media-types/{value}"))
}

/// `dct:license` of a distribution (its own `license`, else the package's) or, with no
/// resource, of the dataset: an IRI when there is one, else the licence id as a literal, else
/// a licence known by its title alone (`license_title` without id or URL, as ldtcat serves a
/// licence document that has no IRI) as a `dct:LicenseDocument` with that title.
fn map_licence(
    graph: &mut Graph,
    subject: &NamedOrBlankNode,
    package: &Package,
    resource: Option<&Resource>,
) {
    let own = resource.and_then(|r| match r.fields.get("license") {
        Some(serde_json::Value::String(text)) => given(Some(text)),
        _ => None,
    });
    let url = given(package.license_url.as_deref());
    let id = given(package.license_id.as_deref());
    let licence_iri = match own {
        Some(own) => iri_value(own),
        None => url.and_then(iri_value).or_else(|| id.and_then(iri_value)),
    };
    if let Some(licence) = licence_iri {
        graph.add(subject, iri(ns::DCT, "license"), licence.into());
        return;
    }
    if let Some(text) = own.or(id) {
        graph.text(subject, iri(ns::DCT, "license"), Some(text));
        return;
    }
    if let Some(title) = given(package.license_title.as_deref()) {
        let document = graph.blank();
        graph.add(subject, iri(ns::DCT, "license"), document.clone().into());
        graph.add(
            &document,
            iri(ns::RDF, "type"),
            iri(ns::DCT, "LicenseDocument").into(),
        );
        graph.text(&document, iri(ns::DCT, "title"), Some(title));
    }
}

/// A value that is given: present and not blank, trimmed.
fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

#[cfg(test)]
#[path = "ckan_map_tests.rs"]
mod tests;
