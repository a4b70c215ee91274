//! The Tantivy schema of the catalogue index: field names, field options and the typed
//! handles the rest of the crate uses.
//!
//! Changing a field, its options, or an analyser behind one of our tokenizer names changes
//! what is on disk: bump [`SCHEMA_VERSION`] so that old indexes are reported as
//! [`IndexError::SchemaMismatch`](crate::IndexError::SchemaMismatch) and rebuilt.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};

use crate::language::{tokenizer_name, DEFAULT_TOKENIZER, STEMMED_LANGUAGES, UNDETERMINED};
use crate::request::FacetField;

/// The version of the schema and analysers, written as the payload of every commit.
pub const SCHEMA_VERSION: u32 = 11;

/// The commit payload that marks an index as built with [`SCHEMA_VERSION`] and the
/// metadata-quality shapes of this build.
pub(crate) fn commit_payload() -> String {
    // The quality scores and findings depend on the shapes: other shapes, another index.
    format!(
        "ldtcat-index schema {SCHEMA_VERSION}; quality shapes {}",
        ldtcat_model::extract::quality_shapes_version()
    )
}

/// Query-time boost of title fields.
pub(crate) const TITLE_BOOST: f32 = 3.0;
/// Query-time boost of keyword fields.
pub(crate) const KEYWORD_BOOST: f32 = 2.0;
/// Query-time boost of description fields and of the catch-all field.
pub(crate) const DESCRIPTION_BOOST: f32 = 1.0;

/// Stored-field names, for error messages.
pub(crate) const ID: &str = "id";
pub(crate) const IRI: &str = "iri";
pub(crate) const DISPLAY_TITLE: &str = "display_title";
pub(crate) const DISPLAY_DESCRIPTION: &str = "display_description";
/// Fast-field names, for sorting.
pub(crate) const TITLE_SORT: &str = "title_sort";
pub(crate) const NAME_SORT: &str = "name_sort";
pub(crate) const MODIFIED: &str = "modified";
pub(crate) const CHANGED: &str = "changed";
pub(crate) const REQUIREMENT: &str = "requirement";
/// Labels: the labelled IRIs (indexed) and `iri␟lang␟text` entries (stored).
pub(crate) const LABEL_IRI: &str = "label_iri";
pub(crate) const LABELS: &str = "labels";
/// Every title and description snippet with its language, `lang␟text` (stored).
pub(crate) const TITLES: &str = "titles";
pub(crate) const SNIPPETS: &str = "snippets";
pub(crate) const OFFER: &str = "offer";
pub(crate) const QUALITY: &str = "quality";

/// One text field per stemmed language plus one for undetermined languages.
#[derive(Debug, Clone)]
pub(crate) struct LanguageFields {
    /// `(language code, field)` for each stemmed language.
    by_code: Vec<(&'static str, Field)>,
    /// The field for values without a supported language tag.
    undetermined: Field,
}

impl LanguageFields {
    fn add(builder: &mut tantivy::schema::SchemaBuilder, prefix: &str) -> LanguageFields {
        let mut by_code = Vec::with_capacity(STEMMED_LANGUAGES.len());
        for (code, _) in STEMMED_LANGUAGES {
            let options = searchable_text(&tokenizer_name(code));
            by_code.push((
                code,
                builder.add_text_field(&format!("{prefix}_{code}"), options),
            ));
        }
        let undetermined = searchable_text(DEFAULT_TOKENIZER);
        let undetermined =
            builder.add_text_field(&format!("{prefix}_{UNDETERMINED}"), undetermined);
        LanguageFields {
            by_code,
            undetermined,
        }
    }

    /// The field for a code returned by [`crate::language::field_code`].
    pub(crate) fn for_code(&self, code: &str) -> Field {
        self.by_code
            .iter()
            .find(|(candidate, _)| *candidate == code)
            .map_or(self.undetermined, |(_, field)| *field)
    }

    /// Every field of the group.
    pub(crate) fn all(&self) -> impl Iterator<Item = Field> + '_ {
        let stemmed = self.by_code.iter().map(|(_, field)| *field);
        stemmed.chain(std::iter::once(self.undetermined))
    }
}

/// Handles to every field of the schema.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    pub(crate) id: Field,
    pub(crate) iri: Field,
    /// The resource's identifiers outside the catalogue (`dct:identifier`) and its IRI,
    /// untokenised.
    pub(crate) identifier: Field,
    pub(crate) titles: LanguageFields,
    pub(crate) descriptions: LanguageFields,
    pub(crate) keywords: LanguageFields,
    /// Every title, description, keyword and publisher name, with the default analyser.
    pub(crate) all_text: Field,
    pub(crate) display_title: Field,
    pub(crate) display_description: Field,
    pub(crate) title_sort: Field,
    pub(crate) name_sort: Field,
    /// Facet fields in [`FacetField::EVERY`] order.
    facets: [Field; 8],
    pub(crate) has_bbox: Field,
    pub(crate) west: Field,
    pub(crate) south: Field,
    pub(crate) east: Field,
    pub(crate) north: Field,
    pub(crate) temporal_start: Field,
    pub(crate) temporal_end: Field,
    pub(crate) modified: Field,
    /// The record's last change in this catalogue.
    pub(crate) changed: Field,
    pub(crate) requirement: Field,
    pub(crate) offer: Field,
    pub(crate) label_iri: Field,
    pub(crate) labels: Field,
    pub(crate) titles_stored: Field,
    pub(crate) snippets: Field,
    /// The metadata-quality score (absent when the record has none).
    pub(crate) quality: Field,
}

impl Fields {
    /// The facet field for a [`FacetField`].
    pub(crate) fn facet(&self, facet_field: FacetField) -> Field {
        self.facets[facet_field as usize]
    }
}

/// Text indexed with positions (for phrase queries) under the given tokenizer, not stored.
fn searchable_text(tokenizer: &str) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(tokenizer)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    TextOptions::default().set_indexing_options(indexing)
}

/// Builds the schema and the handles to its fields.
pub(crate) fn build_schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let id = builder.add_text_field(ID, STRING | STORED | FAST);
    let iri = builder.add_text_field(IRI, STORED);
    let identifier = builder.add_text_field("identifier", STRING);
    let facets = FacetField::EVERY.map(|facet_field| {
        let options = match facet_field {
            FacetField::Kind => FacetOptions::default().set_stored(),
            _ => FacetOptions::default(),
        };
        builder.add_facet_field(facet_field.as_str(), options)
    });
    let titles = LanguageFields::add(&mut builder, "title");
    let descriptions = LanguageFields::add(&mut builder, "description");
    let keywords = LanguageFields::add(&mut builder, "keyword");
    let all_text = builder.add_text_field("all_text", searchable_text(DEFAULT_TOKENIZER));
    let display_title = builder.add_text_field(DISPLAY_TITLE, STORED);
    let display_description = builder.add_text_field(DISPLAY_DESCRIPTION, STORED);
    let title_sort = builder.add_text_field(TITLE_SORT, STRING | FAST);
    let name_sort = builder.add_text_field(NAME_SORT, STRING | FAST);
    let has_bbox = builder.add_bool_field("has_bbox", INDEXED | FAST);
    let coordinate = || NumericOptions::default().set_fast();
    let west = builder.add_f64_field("bbox_west", coordinate());
    let south = builder.add_f64_field("bbox_south", coordinate());
    let east = builder.add_f64_field("bbox_east", coordinate());
    let north = builder.add_f64_field("bbox_north", coordinate());
    let date = || {
        DateOptions::default()
            .set_indexed()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds)
    };
    let temporal_start = builder.add_date_field("temporal_start", date());
    let temporal_end = builder.add_date_field("temporal_end", date());
    let modified = builder.add_date_field(MODIFIED, date().set_stored());
    let changed = builder.add_date_field(CHANGED, date());
    // Compatibility terms (`ldtcat_compat`): one untokenised term per requirement or offer.
    let requirement = builder.add_text_field(REQUIREMENT, STRING | STORED);
    let offer = builder.add_text_field(OFFER, STRING | STORED);
    let label_iri = builder.add_text_field(LABEL_IRI, STRING);
    let labels = builder.add_text_field(LABELS, STORED);
    let titles_stored = builder.add_text_field(TITLES, STORED);
    let snippets = builder.add_text_field(SNIPPETS, STORED);
    let quality = builder.add_u64_field(QUALITY, INDEXED | FAST | STORED);
    let fields = Fields {
        id,
        iri,
        identifier,
        titles,
        descriptions,
        keywords,
        all_text,
        display_title,
        display_description,
        title_sort,
        name_sort,
        facets,
        has_bbox,
        west,
        south,
        east,
        north,
        temporal_start,
        temporal_end,
        modified,
        changed,
        requirement,
        offer,
        label_iri,
        labels,
        titles_stored,
        snippets,
        quality,
    };
    (builder.build(), fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_is_deterministic_and_names_facets_like_the_api() {
        let (first, fields) = build_schema();
        let (second, _) = build_schema();
        assert_eq!(first, second);
        for facet_field in FacetField::EVERY {
            assert_eq!(
                first.get_field_name(fields.facet(facet_field)),
                facet_field.as_str()
            );
        }
        assert_eq!(
            first.get_field_name(fields.titles.for_code("de")),
            "title_de"
        );
        assert_eq!(
            first.get_field_name(fields.titles.for_code("xx")),
            "title_und"
        );
        assert_eq!(fields.keywords.all().count(), STEMMED_LANGUAGES.len() + 1);
    }
}
