//! A catalogue record as an OGC API Records record (GeoJSON `Feature`), built from its DCAT
//! description ([`ldtcat_model::describe`]) by the mapping documented in the crate README.

use ldtcat_model::describe::Description;
use ldtcat_vocab::Kind;
use serde_json::{json, Map, Value};

use super::geometry::record_geometry;
use super::language::LanguagePreferences;
use super::properties::{
    contacts, formats, is_web_url, language_tag, licence, reference_label, rights, themes, time,
    timestamp,
};
use super::{CollectionId, Urls};

/// The scheme of the external id that carries the resource IRI.
pub(crate) const IRI_SCHEME: &str = "iri";
/// The profile link every record carries (`/req/record-core/default-mediatype`).
pub(crate) const RECORD_PROFILE: &str = "http://www.opengis.net/def/profile/OGC/0/ogc-record";
/// The conformance class a record declares.
const RECORD_CORE: &str = "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/record-core";

/// What a record is built from.
pub(crate) struct RecordSource<'a> {
    /// The record id.
    pub id: &'a str,
    /// Its kind.
    pub kind: Kind,
    /// The resource's description.
    pub description: &'a Description,
}

/// The record as a GeoJSON feature, in the collection it was asked through.
pub(crate) fn record_feature(
    source: &RecordSource<'_>,
    collection: CollectionId,
    urls: &Urls,
    languages: &LanguagePreferences,
) -> Value {
    let description = source.description;
    let chosen_title = languages.choose(&description.titles);
    let chosen_language = chosen_title.and_then(|t| t.lang.clone());
    let mut properties = Map::new();
    let mut put = |key: &str, value: Value| {
        properties.insert(key.to_owned(), value);
    };
    put("type", json!(source.kind.as_str()));
    put(
        "title",
        json!(chosen_title.map_or(description.iri.as_str(), |t| t.value.as_str())),
    );
    if let Some(text) = languages.text(&description.descriptions) {
        put("description", json!(text));
    }
    let keywords: Vec<&str> = languages
        .same_language(&description.keywords, chosen_language.as_deref())
        .into_iter()
        .map(|k| k.value.as_str())
        .collect();
    if !keywords.is_empty() {
        put("keywords", json!(keywords));
    }
    let theme_list = themes(description, languages);
    if !theme_list.is_empty() {
        put("themes", json!(theme_list));
    }
    if let Some(tag) = &chosen_language {
        put("language", json!({ "code": tag }));
    }
    let record_languages = text_languages(description);
    if !record_languages.is_empty() {
        put("languages", json!(record_languages));
    }
    let resource_languages: Vec<Value> = description
        .languages
        .iter()
        .filter_map(|l| language_tag(l))
        .map(|code| json!({ "code": code }))
        .collect();
    if !resource_languages.is_empty() {
        put("resourceLanguages", json!(resource_languages));
    }
    put("externalIds", json!(external_ids(description)));
    let format_list = formats(description);
    if !format_list.is_empty() {
        put("formats", json!(format_list));
    }
    let contact_list = contacts(description, languages);
    if !contact_list.is_empty() {
        put("contacts", json!(contact_list));
    }
    if let Some(licence) = licence(description) {
        put("license", json!(licence));
    }
    if let Some(rights) = rights(description, languages) {
        put("rights", json!(rights));
    }
    if let Some(created) = timestamp(
        description
            .issued
            .as_deref()
            .or(description.created.as_deref()),
    ) {
        put("created", json!(created));
    }
    if let Some(updated) = timestamp(description.modified.as_deref()) {
        put("updated", json!(updated));
    }
    let mut feature = json!({
        "id": source.id,
        "type": "Feature",
        "geometry": record_geometry(description),
        "conformsTo": [RECORD_CORE],
        "properties": properties,
        "links": links(source, collection, urls, languages),
    });
    // Without a temporal coverage, `time` is left out: the schema's `time` (nullable itself,
    // in a `oneOf` with "object or null") cannot be validly `null`, and it is optional.
    if let Some(time) = time(&description.temporal) {
        feature["time"] = time;
    }
    feature
}

/// Every language tag of the titles and descriptions, once.
fn text_languages(description: &Description) -> Vec<Value> {
    let mut tags: Vec<&str> = Vec::new();
    for text in description.titles.iter().chain(&description.descriptions) {
        if let Some(lang) = text.lang.as_deref() {
            if !tags.contains(&lang) {
                tags.push(lang);
            }
        }
    }
    tags.into_iter()
        .map(|code| json!({ "code": code }))
        .collect()
}

/// The resource IRI (scheme [`IRI_SCHEME`]) and its `dct:identifier` values.
fn external_ids(description: &Description) -> Vec<Value> {
    let mut ids = vec![json!({"scheme": IRI_SCHEME, "value": description.iri})];
    for identifier in description
        .identifiers
        .iter()
        .filter(|i| **i != description.iri)
    {
        ids.push(json!({ "value": identifier }));
    }
    ids
}

fn link(
    href: &str,
    rel: &str,
    media_type: Option<&str>,
    title: Option<&str>,
) -> Map<String, Value> {
    let mut link = Map::new();
    link.insert("href".to_owned(), json!(href));
    link.insert("rel".to_owned(), json!(rel));
    if let Some(media_type) = media_type {
        link.insert("type".to_owned(), json!(media_type));
    }
    if let Some(title) = title {
        link.insert("title".to_owned(), json!(title));
    }
    link
}

/// `self`, `alternate` (HTML, DCAT-AP Turtle and JSON-LD), `collection`, `profile`, then
/// what the resource links to: distributions (`enclosure` for download URLs, `related`
/// for access URLs, each with the distribution as `anchor`), licences (`license`),
/// landing pages (`describedby`), endpoints (`service`, `service-desc`) and `rdf:type`s
/// (`type`).
fn links(
    source: &RecordSource<'_>,
    collection: CollectionId,
    urls: &Urls,
    languages: &LanguagePreferences,
) -> Vec<Value> {
    let description = source.description;
    let item = urls.item(collection, source.id);
    let resource = urls.resource(source.id);
    let mut out = vec![
        link(
            &item,
            "self",
            Some("application/geo+json"),
            Some("This record"),
        ),
        link(
            &format!("{item}?f=html"),
            "alternate",
            Some("text/html"),
            Some("This record as HTML"),
        ),
        link(
            &format!("{resource}.ttl"),
            "alternate",
            Some("text/turtle"),
            Some("DCAT-AP record (Turtle)"),
        ),
        link(
            &format!("{resource}.jsonld"),
            "alternate",
            Some("application/ld+json"),
            Some("DCAT-AP record (JSON-LD)"),
        ),
        link(
            &urls.collection(collection),
            "collection",
            Some("application/json"),
            Some(&collection.title()),
        ),
        link(RECORD_PROFILE, "profile", None, None),
    ];
    for (n, distribution) in description.distributions.iter().enumerate() {
        let anchor = distribution
            .iri
            .clone()
            .filter(|i| is_web_url(i))
            .unwrap_or_else(|| format!("{item}#distribution-{}", n + 1));
        let title = languages.text(&distribution.titles);
        let media_type = distribution
            .media_type
            .as_deref()
            .map(ldtcat_model::extract::normalise_format)
            .filter(|m| m.contains('/'));
        let targets = distribution
            .download_urls
            .iter()
            .map(|u| (u, "enclosure"))
            .chain(distribution.access_urls.iter().map(|u| (u, "related")));
        for (href, rel) in targets.filter(|(href, _)| is_web_url(href)) {
            let mut entry = link(href, rel, media_type.as_deref(), title.as_deref());
            entry.insert("anchor".to_owned(), json!(anchor));
            out.push(entry);
        }
    }
    for reference in description.all_licences() {
        if let Some(iri) = reference.iri.as_deref().filter(|i| is_web_url(i)) {
            out.push(link(
                iri,
                "license",
                None,
                reference_label(reference, languages).as_deref(),
            ));
        }
    }
    let pages = description
        .landing_pages
        .iter()
        .map(|u| (u, "describedby", Some("text/html")));
    let endpoints = description
        .endpoint_urls
        .iter()
        .map(|u| (u, "service", None));
    let endpoint_descriptions = description
        .endpoint_descriptions
        .iter()
        .map(|u| (u, "service-desc", None));
    let types = description.types.iter().map(|u| (u, "type", None));
    for (href, rel, media_type) in pages
        .chain(endpoints)
        .chain(endpoint_descriptions)
        .chain(types)
    {
        if is_web_url(href) {
            out.push(link(href, rel, media_type, None));
        }
    }
    out.into_iter().map(Value::Object).collect()
}
