//! Turning a [`RecordSummary`] into the Tantivy document that indexes it.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use ldtcat_model::summary::{LangString, RecordSummary};
use ldtcat_model::text::{plain_text, snippet_text};
use tantivy::schema::{Facet, Field};
use tantivy::TantivyDocument;

use crate::language::{field_code, sort_key};
use crate::request::FacetField;
use crate::schema::{Fields, LanguageFields};

/// How many characters of the display description a hit carries, about.
pub(crate) const DESCRIPTION_CHARS: usize = 300;

/// The document for one record.
pub(crate) fn record_document(fields: &Fields, record: &RecordSummary) -> TantivyDocument {
    let mut document = TantivyDocument::default();
    document.add_text(fields.id, &record.id);
    document.add_text(fields.iri, &record.iri);
    document.add_text(fields.identifier, &record.iri);
    for identifier in record.identifiers.iter().filter(|i| **i != record.iri) {
        document.add_text(fields.identifier, identifier);
    }
    add_language_texts(&mut document, fields, &fields.titles, &record.titles);
    // Descriptions are searched and shown without their markup (HTML, Markdown).
    let plain_descriptions: Vec<LangString> = record
        .descriptions
        .iter()
        .map(|description| LangString {
            value: plain_text(&description.value),
            lang: description.lang.clone(),
        })
        .collect();
    add_language_texts(
        &mut document,
        fields,
        &fields.descriptions,
        &plain_descriptions,
    );
    add_language_texts(&mut document, fields, &fields.keywords, &record.keywords);
    for publisher in &record.publishers {
        if publisher.contains("://") {
            // An IRI publisher is searched by its names.
            for label in record.labels.iter().filter(|label| &label.iri == publisher) {
                document.add_text(fields.all_text, &label.label.value);
            }
        } else {
            document.add_text(fields.all_text, publisher);
        }
    }
    let title = record.display_title();
    document.add_text(fields.display_title, title);
    document.add_text(fields.title_sort, sort_key(title));
    let description = truncate_description(&snippet_text(record.display_description()));
    document.add_text(fields.display_description, description);
    for title in &record.titles {
        document.add_text(
            fields.titles_stored,
            tagged(title.lang.as_deref(), &title.value),
        );
    }
    for description in &plain_descriptions {
        let snippet = truncate_description(
            &description
                .value
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        );
        document.add_text(
            fields.snippets,
            tagged(description.lang.as_deref(), &snippet),
        );
    }
    add_labels(&mut document, fields, record);
    let name = ldtcat_model::ckan::record_name(&record.iri, &record.id);
    document.add_text(fields.name_sort, name);
    for facet_field in FacetField::EVERY {
        let values: Vec<&str> = match facet_field {
            FacetField::Kind => vec![record.kind.as_str()],
            FacetField::Theme => record.themes.iter().map(String::as_str).collect(),
            FacetField::Publisher => record.publishers.iter().map(String::as_str).collect(),
            FacetField::Format => record.formats.iter().map(String::as_str).collect(),
            FacetField::Licence => record.licences.iter().map(String::as_str).collect(),
            FacetField::Source => record.sources.iter().map(String::as_str).collect(),
            FacetField::Keyword => record.keywords.iter().map(|k| k.value.as_str()).collect(),
            FacetField::Finding => record
                .quality
                .iter()
                .flat_map(|quality| quality.findings.iter().map(String::as_str))
                .collect(),
        };
        add_facets(&mut document, fields.facet(facet_field), &values);
    }
    add_bbox(&mut document, fields, record);
    if let Some(temporal) = &record.temporal {
        add_day(&mut document, fields.temporal_start, temporal.start);
        add_day(&mut document, fields.temporal_end, temporal.end);
    }
    if let Some(modified) = record.modified.and_then(tantivy_date) {
        document.add_date(fields.modified, modified);
    }
    if let Some(changed) = record.changed.and_then(tantivy_date) {
        document.add_date(fields.changed, changed);
    }
    for term in &record.requirements {
        document.add_text(fields.requirement, term);
    }
    for term in &record.offers {
        document.add_text(fields.offer, term);
    }
    if let Some(quality) = &record.quality {
        document.add_u64(fields.quality, u64::from(quality.mqa_points()));
    }
    document
}

/// The stored form of a text with its language: `lang␟text` (empty `lang` when untagged).
pub(crate) fn tagged(lang: Option<&str>, text: &str) -> String {
    format!("{}{SEPARATOR}{text}", lang.unwrap_or(""))
}

/// The separator of stored `lang␟text` and `iri␟lang␟text` entries (U+241F, which no
/// IRI and no language tag holds).
pub(crate) const SEPARATOR: char = '\u{241f}';

/// The record's labels: its own titles (for its IRI) and the labels of the nodes it
/// describes; each labelled IRI once in `label_iri`.
fn add_labels(document: &mut TantivyDocument, fields: &Fields, record: &RecordSummary) {
    let own = record
        .titles
        .iter()
        .map(|title| (record.iri.as_str(), title));
    let others = record
        .labels
        .iter()
        .filter(|label| label.iri != record.iri)
        .map(|label| (label.iri.as_str(), &label.label));
    let mut labelled = BTreeSet::new();
    for (iri, label) in own.chain(others) {
        let entry = format!(
            "{iri}{SEPARATOR}{}",
            tagged(label.lang.as_deref(), &label.value)
        );
        document.add_text(fields.labels, entry);
        if labelled.insert(iri) {
            document.add_text(fields.label_iri, iri);
        }
    }
}

/// Each value goes to the field of its language and to the catch-all field.
fn add_language_texts(
    document: &mut TantivyDocument,
    fields: &Fields,
    group: &LanguageFields,
    values: &[LangString],
) {
    for value in values {
        let field = group.for_code(field_code(value.lang.as_deref()));
        document.add_text(field, &value.value);
        document.add_text(fields.all_text, &value.value);
    }
}

/// The facet form of a value: trimmed, without NUL (Tantivy's path separator); `None` if
/// nothing is left. Indexing and filtering both go through here.
pub(crate) fn facet_value(value: &str) -> Option<Facet> {
    let cleaned: String = value.trim().chars().filter(|c| *c != '\0').collect();
    if cleaned.is_empty() {
        return None;
    }
    Some(Facet::from_path([cleaned]))
}

/// Adds each distinct value once, so that facet counts count records.
fn add_facets(document: &mut TantivyDocument, field: Field, values: &[&str]) {
    let distinct: BTreeSet<Facet> = values
        .iter()
        .filter_map(|value| facet_value(value))
        .collect();
    for facet in distinct {
        document.add_facet(field, facet);
    }
}

/// Adds the four coordinates and the flag, if the record has a box with no NaN.
fn add_bbox(document: &mut TantivyDocument, fields: &Fields, record: &RecordSummary) {
    let Some(bbox) = record.bbox else {
        document.add_bool(fields.has_bbox, false);
        return;
    };
    let coordinates = [bbox.west, bbox.south, bbox.east, bbox.north];
    if coordinates.iter().any(|coordinate| coordinate.is_nan()) {
        document.add_bool(fields.has_bbox, false);
        return;
    }
    document.add_bool(fields.has_bbox, true);
    document.add_f64(fields.west, bbox.west);
    document.add_f64(fields.south, bbox.south);
    document.add_f64(fields.east, bbox.east);
    document.add_f64(fields.north, bbox.north);
}

fn add_day(document: &mut TantivyDocument, field: Field, day: Option<NaiveDate>) {
    let Some(day) = day else {
        return;
    };
    if let Some(date) = tantivy_date(day.and_time(NaiveTime::MIN).and_utc()) {
        document.add_date(field, date);
    }
}

/// Tantivy dates are nanoseconds in an `i64`: years 1677 to 2262. Others are not indexed.
pub(crate) fn tantivy_date(date: DateTime<Utc>) -> Option<tantivy::DateTime> {
    date.timestamp_nanos_opt()
        .map(tantivy::DateTime::from_timestamp_nanos)
}

/// The first [`DESCRIPTION_CHARS`] characters or so, cut at a word, with `…` if cut.
pub(crate) fn truncate_description(text: &str) -> String {
    let text = text.trim();
    let Some((cut, _)) = text.char_indices().nth(DESCRIPTION_CHARS) else {
        return text.to_owned();
    };
    let head = &text[..cut];
    let at_word = match head.rfind(char::is_whitespace) {
        Some(space) if space >= cut / 2 => &head[..space],
        _ => head,
    };
    format!("{}…", at_word.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_descriptions_are_kept_whole() {
        assert_eq!(truncate_description("  Air quality. "), "Air quality.");
        let exact = "é".repeat(DESCRIPTION_CHARS);
        assert_eq!(truncate_description(&exact), exact);
    }

    #[test]
    fn long_descriptions_are_cut_at_a_word() {
        let long = "word ".repeat(100);
        let cut = truncate_description(&long);
        assert!(cut.ends_with("word…"), "{cut}");
        assert!(cut.chars().count() <= DESCRIPTION_CHARS + 1);
        let unbroken = "ß".repeat(DESCRIPTION_CHARS * 2);
        assert_eq!(
            truncate_description(&unbroken).chars().count(),
            DESCRIPTION_CHARS + 1
        );
    }

    #[test]
    fn facet_values_are_cleaned() {
        assert_eq!(facet_value("  "), None);
        assert_eq!(facet_value("\0"), None);
        let facet = facet_value(" http://example.org/theme/a\0b ");
        assert_eq!(
            facet.as_ref().map(Facet::to_path),
            Some(vec!["http://example.org/theme/ab"])
        );
    }

    #[test]
    fn out_of_range_dates_are_skipped() {
        let far = DateTime::<Utc>::MAX_UTC;
        assert_eq!(tantivy_date(far), None);
        let now = Utc::now();
        assert!(tantivy_date(now).is_some());
    }
}
