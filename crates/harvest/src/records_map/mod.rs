//! OGC API Records records (GeoJSON features) back to DCAT-AP: the inverse of the mapping
//! ldtcat serves (the table in `crates/serve/README.md`). One record that cannot be read is
//! reported and skipped; the others of the page are mapped.
//!
//! Identity: the resource IRI is the external id of scheme `iri` when the record has one
//! (what ldtcat publishes), else the record's own URL (its `self` link, or
//! `{items URL}/{id}`); the record URL is kept as `foaf:isPrimaryTopicOf`.
//!
//! Not mapped back: `formats` (a distribution's media type comes from its links' `type`),
//! `languages` and `language` (the language becomes the tag of the title and description),
//! contacts' phones without a country code, `roles` other than publisher / author /
//! creator / originator (all others become contact points), links of other relations
//! (`alternate`, `collection`, `profile`, `preview`, ...), `linkTemplates`, `conformsTo`,
//! and properties outside Records' core. A licence always lands on the resource (not on
//! a distribution), a theme without a scheme gets the namespace of its IRI as scheme, and
//! `created`/`updated` are `xsd:dateTime` (or `xsd:date`) whatever they were at the source.

use std::fmt::Write as _;

use ldtcat_vocab::ns;
use oxrdf::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use serde_json::Value;
use url::Url;

mod parts;

use parts::{language_authority, map_contacts, map_dates_and_rights, map_themes, map_time};

/// The scheme of the external id that carries the resource IRI.
pub const IRI_SCHEME: &str = "iri";
/// The scheme ldtcat gives themes that were literals.
const LITERAL_THEME_SCHEME: &str = "http://www.w3.org/ns/dcat#theme";

/// What a page of records became.
#[derive(Debug, Default)]
pub struct MappedRecords {
    /// The DCAT-AP statements, as N-Triples.
    pub ntriples: String,
    /// How many records were mapped.
    pub records: usize,
    /// Records that could not be mapped, one message each.
    pub skipped: Vec<String>,
}

fn iri(namespace: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{namespace}{local}"))
}

/// An absolute IRI, as given (not normalised: the IRI is the identity), or `None`.
fn node(text: &str) -> Option<NamedNode> {
    NamedNode::new(text.trim()).ok()
}

fn text_of<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value
        .get(key)?
        .as_str()
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

fn array_of<'v>(value: &'v Value, key: &str) -> &'v [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

struct Writer {
    out: String,
    blank: u64,
    prefix: String,
}

impl Writer {
    fn add(&mut self, subject: &NamedOrBlankNode, predicate: NamedNode, object: impl Into<Term>) {
        let _ = writeln!(
            self.out,
            "{} .",
            Triple::new(subject.clone(), predicate, object.into())
        );
    }

    fn text(
        &mut self,
        subject: &NamedOrBlankNode,
        predicate: NamedNode,
        value: &str,
        lang: Option<&str>,
    ) {
        let literal = lang
            .and_then(|tag| Literal::new_language_tagged_literal(value, tag).ok())
            .unwrap_or_else(|| Literal::new_simple_literal(value));
        self.add(subject, predicate, literal);
    }

    fn blank(&mut self) -> NamedOrBlankNode {
        self.blank += 1;
        BlankNode::new_unchecked(format!("{}b{}", self.prefix, self.blank)).into()
    }

    fn node_or_blank(&mut self, iri: Option<&str>) -> NamedOrBlankNode {
        match iri.and_then(node) {
            Some(named) => named.into(),
            None => self.blank(),
        }
    }
}

/// Maps the `features` of a page fetched from `page_url`.
pub fn map_records(features: &[Value], page_url: &Url) -> MappedRecords {
    let mut writer = Writer {
        out: String::new(),
        blank: 0,
        prefix: String::new(),
    };
    let mut mapped = MappedRecords::default();
    for (n, feature) in features.iter().enumerate() {
        writer.prefix = format!("r{n}");
        match map_record(&mut writer, feature, page_url) {
            Ok(()) => mapped.records += 1,
            Err(why) => mapped
                .skipped
                .push(format!("{page_url}: record {}: {why}; skipped", n + 1)),
        }
    }
    mapped.ntriples = writer.out;
    mapped
}

/// The record's id: a non-empty string or an integer.
fn record_id(feature: &Value) -> Option<String> {
    match feature.get("id")? {
        Value::String(id) if !id.trim().is_empty() => Some(id.trim().to_owned()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// The record's URL: its `self` link, else `{items URL}/{id}`.
fn record_url(feature: &Value, id: &str, page_url: &Url) -> Option<NamedNode> {
    let self_link = array_of(feature, "links")
        .iter()
        .find(|l| text_of(l, "rel") == Some("self"))
        .and_then(|l| text_of(l, "href"))
        .and_then(|href| page_url.join(href).ok());
    let url = self_link.or_else(|| {
        let mut url = page_url.clone();
        url.set_query(None);
        url.set_fragment(None);
        url.path_segments_mut().ok()?.pop_if_empty().push(id);
        Some(url)
    })?;
    node(url.as_str())
}

fn map_record(writer: &mut Writer, feature: &Value, page_url: &Url) -> Result<(), String> {
    if !feature.is_object() {
        return Err("not a JSON object".to_owned());
    }
    let id = record_id(feature).ok_or("no `id`")?;
    let properties = feature
        .get("properties")
        .filter(|p| p.is_object())
        .unwrap_or(&Value::Null);
    let record_url = record_url(feature, &id, page_url).ok_or("no usable record URL")?;
    let resource_iri = array_of(properties, "externalIds")
        .iter()
        .filter(|e| text_of(e, "scheme") == Some(IRI_SCHEME))
        .find_map(|e| text_of(e, "value").and_then(node))
        .unwrap_or_else(|| record_url.clone());
    let resource: NamedOrBlankNode = resource_iri.into();
    let dct = |local: &str| iri(ns::DCT, local);
    let dcat = |local: &str| iri(ns::DCAT, local);
    writer.add(&resource, iri(ns::FOAF, "isPrimaryTopicOf"), record_url);
    map_types(writer, &resource, feature, properties);
    let lang = properties.get("language").and_then(|l| text_of(l, "code"));
    let title = text_of(properties, "title").unwrap_or(&id);
    writer.text(&resource, dct("title"), title, lang);
    if let Some(description) = text_of(properties, "description") {
        writer.text(&resource, dct("description"), description, lang);
    }
    for keyword in array_of(properties, "keywords")
        .iter()
        .filter_map(Value::as_str)
    {
        if !keyword.trim().is_empty() {
            writer.text(&resource, dcat("keyword"), keyword.trim(), None);
        }
    }
    for external in array_of(properties, "externalIds") {
        if text_of(external, "scheme") != Some(IRI_SCHEME) {
            if let Some(value) = text_of(external, "value") {
                writer.text(&resource, dct("identifier"), value, None);
            }
        }
    }
    for language in array_of(properties, "resourceLanguages") {
        if let Some(code) = text_of(language, "code") {
            match language_authority(code) {
                Some(authority) => writer.add(&resource, dct("language"), authority),
                None => writer.text(&resource, dct("language"), code, None),
            }
        }
    }
    map_themes(writer, &resource, properties, lang);
    map_contacts(writer, &resource, properties);
    map_dates_and_rights(writer, &resource, properties);
    map_time(writer, &resource, feature.get("time"));
    if let Some(geometry) = feature.get("geometry").filter(|g| g.is_object()) {
        let place = writer.blank();
        writer.add(&resource, dct("spatial"), place.clone());
        writer.add(&place, iri(ns::RDF, "type"), dct("Location"));
        writer.add(
            &place,
            iri(ns::LOCN, "geometry"),
            Literal::new_typed_literal(geometry.to_string(), iri(ns::GEOSPARQL, "geoJSONLiteral")),
        );
    }
    map_links(writer, &resource, feature, properties);
    Ok(())
}

/// `rdf:type`: the links of relation `type`, else the class of the record's `type`; and
/// `dct:type` with ldtcat's kind when `type` names one.
fn map_types(
    writer: &mut Writer,
    resource: &NamedOrBlankNode,
    feature: &Value,
    properties: &Value,
) {
    let rdf_type = iri(ns::RDF, "type");
    let type_links: Vec<NamedNode> = array_of(feature, "links")
        .iter()
        .filter(|l| text_of(l, "rel") == Some("type"))
        .filter_map(|l| text_of(l, "href").and_then(node))
        .collect();
    let record_type = text_of(properties, "type")
        .unwrap_or("dataset")
        .to_ascii_lowercase();
    if type_links.is_empty() {
        let class = match record_type.as_str() {
            "service" => iri(ns::DCAT, "DataService"),
            "series" => iri(ns::DCAT, "DatasetSeries"),
            "ldt" => iri(ns::LDT, "LdtProfile"),
            _ => iri(ns::DCAT, "Dataset"),
        };
        writer.add(resource, rdf_type.clone(), class);
    }
    for class in type_links {
        writer.add(resource, rdf_type.clone(), class);
    }
    if record_type.parse::<ldtcat_vocab::Kind>().is_ok() {
        writer.add(
            resource,
            iri(ns::DCT, "type"),
            iri(ns::LDT_KIND, &record_type),
        );
    }
}

/// Distributions from `enclosure`/`download` (download URLs) and `related` (access URLs)
/// links, one per `anchor` (a link without one is a distribution of its own); licences,
/// landing pages and endpoints from their relations.
fn map_links(
    writer: &mut Writer,
    resource: &NamedOrBlankNode,
    feature: &Value,
    properties: &Value,
) {
    let dcat = |local: &str| iri(ns::DCAT, local);
    let mut distributions: Vec<(Option<String>, NamedOrBlankNode)> = Vec::new();
    let mut licensed = false;
    for link in array_of(feature, "links") {
        let (Some(rel), Some(href)) = (text_of(link, "rel"), text_of(link, "href").and_then(node))
        else {
            continue;
        };
        match rel {
            "enclosure" | "download" | "related" => {
                let anchor = text_of(link, "anchor").map(str::to_owned);
                let known = anchor.as_ref().and_then(|a| {
                    distributions
                        .iter()
                        .find(|(key, _)| key.as_ref() == Some(a))
                        .map(|(_, n)| n.clone())
                });
                let distribution = match known {
                    Some(existing) => existing,
                    None => {
                        let generated = anchor
                            .as_deref()
                            .is_none_or(|a| a.contains("#distribution-"));
                        let subject =
                            writer.node_or_blank(if generated { None } else { anchor.as_deref() });
                        writer.add(resource, dcat("distribution"), subject.clone());
                        writer.add(&subject, iri(ns::RDF, "type"), dcat("Distribution"));
                        if let Some(title) = text_of(link, "title") {
                            writer.text(&subject, iri(ns::DCT, "title"), title, None);
                        }
                        if let Some(media) = text_of(link, "type").filter(|t| t.contains('/')) {
                            if let Some(media_type) = node(&format!(
                                "http://www.iana.org/assignments/media-types/{media}"
                            )) {
                                writer.add(&subject, dcat("mediaType"), media_type);
                            }
                        }
                        distributions.push((anchor, subject.clone()));
                        subject
                    }
                };
                let property = if rel == "related" {
                    "accessURL"
                } else {
                    "downloadURL"
                };
                writer.add(&distribution, dcat(property), href);
            }
            "license" => {
                licensed = true;
                writer.add(resource, iri(ns::DCT, "license"), href);
            }
            "describedby" => writer.add(resource, dcat("landingPage"), href),
            "service" => writer.add(resource, dcat("endpointURL"), href),
            "service-desc" => writer.add(resource, dcat("endpointDescription"), href),
            _ => {}
        }
    }
    if !licensed {
        let spdx =
            text_of(properties, "license").filter(|l| !matches!(*l, "other" | "proprietary"));
        if let Some(licence) = spdx.and_then(|id| node(&format!("https://spdx.org/licenses/{id}")))
        {
            writer.add(resource, iri(ns::DCT, "license"), licence);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn page() -> Url {
        Url::parse("https://records.example.org/collections/c/items?limit=10").expect("url")
    }

    #[test]
    fn a_record_maps_to_its_dcat_description() {
        let feature = json!({
            "id": "r1", "type": "Feature",
            "time": {"interval": ["2020-01-01", ".."]},
            "geometry": {"type": "Point", "coordinates": [7.1, 43.6]},
            "properties": {
                "type": "dataset", "title": "Air quality", "description": "Hourly NO2.",
                "language": {"code": "en"}, "keywords": ["air", "no2"],
                "externalIds": [{"scheme": "iri", "value": "https://example.org/ds/1"}, {"value": "ds-1"}],
                "themes": [{"scheme": "http://publications.europa.eu/resource/authority/data-theme",
                            "concepts": [{"id": "ENVI", "url": "http://publications.europa.eu/resource/authority/data-theme/ENVI", "title": "Environment"}]}],
                "contacts": [{"organization": "Antibes", "identifier": "https://example.org/city", "roles": ["publisher"]},
                             {"name": "Data team", "emails": [{"value": "data@example.org"}], "roles": ["pointOfContact"]}],
                "license": "CC-BY-4.0", "updated": "2024-05-02T10:00:00Z"
            },
            "links": [
                {"rel": "self", "href": "https://records.example.org/collections/c/items/r1"},
                {"rel": "enclosure", "href": "https://example.org/no2.csv", "type": "text/csv", "anchor": "https://example.org/ds/1/csv", "title": "CSV"},
                {"rel": "related", "href": "https://example.org/api", "anchor": "https://example.org/ds/1/csv"}
            ]
        });
        let mapped = map_records(&[feature], &page());
        assert_eq!(mapped.records, 1, "{:?}", mapped.skipped);
        let text = mapped.ntriples;
        for expected in [
            "<https://example.org/ds/1> <http://purl.org/dc/terms/title> \"Air quality\"@en",
            "<https://example.org/ds/1> <http://www.w3.org/ns/dcat#theme> <http://publications.europa.eu/resource/authority/data-theme/ENVI>",
            "<https://example.org/ds/1> <http://purl.org/dc/terms/identifier> \"ds-1\"",
            "<https://example.org/ds/1> <http://purl.org/dc/terms/publisher> <https://example.org/city>",
            "<https://example.org/ds/1> <http://www.w3.org/ns/dcat#distribution> <https://example.org/ds/1/csv>",
            "<https://example.org/ds/1/csv> <http://www.w3.org/ns/dcat#downloadURL> <https://example.org/no2.csv>",
            "<https://example.org/ds/1/csv> <http://www.w3.org/ns/dcat#accessURL> <https://example.org/api>",
            "<https://example.org/ds/1> <http://purl.org/dc/terms/license> <https://spdx.org/licenses/CC-BY-4.0>",
            "\"2020-01-01\"^^<http://www.w3.org/2001/XMLSchema#date>",
            "^^<http://www.opengis.net/ont/geosparql#geoJSONLiteral>",
            "<https://example.org/ds/1> <http://xmlns.com/foaf/0.1/isPrimaryTopicOf> <https://records.example.org/collections/c/items/r1>",
        ] {
            assert!(text.contains(expected), "missing {expected} in\n{text}");
        }
    }

    #[test]
    fn records_without_an_id_are_skipped_and_the_others_kept() {
        let features = [
            json!({"type": "Feature", "properties": {"title": "no id"}}),
            json!("not an object"),
            json!({"id": 7, "type": "Feature", "geometry": null, "properties": {"title": "seven"}}),
        ];
        let mapped = map_records(&features, &page());
        assert_eq!(mapped.records, 1);
        assert_eq!(mapped.skipped.len(), 2);
        assert!(
            mapped.skipped[0].contains("no `id`"),
            "{:?}",
            mapped.skipped
        );
        assert!(mapped
            .ntriples
            .contains("<https://records.example.org/collections/c/items/7>"));
    }
}
