//! The schema.org description embedded in record pages (`<script type="application/ld+json">`),
//! as dataset search engines read it.

use ldtcat_model::summary::RecordSummary;
use ldtcat_vocab::authority::authority;
use ldtcat_vocab::Kind;
use serde_json::{json, Map, Value};

/// The schema.org type of a kind: `Dataset` for data-like kinds, `WebAPI` for services,
/// `SoftwareSourceCode` for workflow templates.
fn schema_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Service => "WebAPI",
        Kind::Workflow => "SoftwareSourceCode",
        _ => "Dataset",
    }
}

/// The JSON-LD text, safe inside a `<script>` element (`<`, `>` and `&` escaped as JSON
/// unicode escapes, so harvested text cannot close the element).
pub(crate) fn schema_org_json_ld(summary: &RecordSummary, page_url: &str) -> String {
    let mut object = Map::new();
    object.insert("@context".into(), json!("https://schema.org/"));
    object.insert("@type".into(), json!(schema_type(summary.kind)));
    object.insert("@id".into(), json!(summary.iri));
    object.insert("url".into(), json!(page_url));
    object.insert("identifier".into(), json!(summary.iri));
    object.insert("name".into(), json!(summary.display_title()));
    // Search engines read text: the description without its markup.
    let description = ldtcat_model::text::plain_text(summary.display_description());
    // Dataset search engines require a description; fall back to the title.
    object.insert(
        "description".into(),
        json!(if description.is_empty() {
            summary.display_title().to_owned()
        } else {
            description
        }),
    );
    if !summary.keywords.is_empty() {
        let keywords: Vec<&str> = summary.keywords.iter().map(|k| k.value.as_str()).collect();
        object.insert("keywords".into(), json!(keywords));
    }
    if let Some(licence) = summary.licences.first() {
        object.insert("license".into(), json!(licence));
    }
    if let Some(publisher) = summary.publishers.first() {
        let named = summary
            .labels
            .iter()
            .find(|label| &label.iri == publisher)
            .map(|label| label.label.value.as_str());
        let publisher = named.unwrap_or(publisher);
        object.insert(
            "publisher".into(),
            json!({ "@type": "Organization", "name": publisher }),
        );
    }
    if let Some(modified) = summary.modified {
        object.insert("dateModified".into(), json!(modified.to_rfc3339()));
    }
    if let Some(temporal) = &summary.temporal {
        let side =
            |date: Option<chrono::NaiveDate>| date.map_or("..".to_owned(), |d| d.to_string());
        object.insert(
            "temporalCoverage".into(),
            json!(format!("{}/{}", side(temporal.start), side(temporal.end))),
        );
    }
    if let Some(bbox) = &summary.bbox {
        object.insert(
            "spatialCoverage".into(),
            json!({ "@type": "Place", "geo": { "@type": "GeoShape", "box": format!("{} {} {} {}", bbox.south, bbox.west, bbox.north, bbox.east) } }),
        );
    }
    if !summary.formats.is_empty() {
        // schema.org asks for a media type where there is one: `CSV` is given as `text/csv`.
        let mut formats: Vec<&str> = summary
            .formats
            .iter()
            .map(|format| match authority().file_type(format) {
                Some(file_type) if !file_type.media_type.is_empty() => {
                    file_type.media_type.as_str()
                }
                _ => format.as_str(),
            })
            .collect();
        formats.sort_unstable();
        formats.dedup();
        object.insert("encodingFormat".into(), json!(formats));
    }
    let text = Value::Object(object).to_string();
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}
