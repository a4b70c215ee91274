//! The one mapping between CKAN packages and DCAT, used in both directions: by the `ckan`
//! source kind (package → DCAT, `ldtcat-harvest`) and by the CKAN Action API (DCAT → package,
//! `ldtcat-serve`). It follows ckanext-dcat's `euro_dcat_ap` profiles (`_parse_dataset_base`
//! and `_graph_from_dataset_base`), so that ldtcat reads what a CKAN with ckanext-dcat
//! publishes and publishes what such a CKAN would.
//!
//! [`PACKAGE_FIELDS`] and [`RESOURCE_FIELDS`] list the fields that are one property of the
//! dataset or distribution; both directions read them from here. The fields built from
//! several statements (tags, groups, organisation and publisher, contact point, temporal and
//! spatial coverage, licence, the LDT kind) are listed in [`STRUCTURED_FIELDS`] and mapped by
//! code on each side; the round-trip test (`tests/ckan_api.rs`) proves that the two agree.

use ldtcat_vocab::{ns, Kind};
use oxrdf::{NamedOrBlankNode, Term, Triple};

/// Where a CKAN field lives in a package or resource dictionary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldPlace {
    /// A top-level key of the package or resource (`title`, `url`).
    Core,
    /// An entry of the package's `extras` with one value.
    Extra,
    /// An entry of the package's `extras` whose value is a JSON-encoded list.
    ExtraList,
}

/// The RDF form of a field's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueForm {
    /// A literal.
    Literal,
    /// An IRI (values that are not absolute IRIs are dropped).
    Iri,
    /// An IRI when the value is one, else a literal.
    IriOrLiteral,
    /// A date or date-time literal (`xsd:date`, `xsd:dateTime`).
    Date,
    /// A non-negative integer (`xsd:nonNegativeInteger`).
    Integer,
}

/// One CKAN field that is one property of the dataset or of a distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldMapping {
    /// The CKAN key.
    pub key: &'static str,
    /// Where the key lives.
    pub place: FieldPlace,
    /// The property's namespace and local name.
    pub property: (&'static str, &'static str),
    /// The form of the values.
    pub form: ValueForm,
    /// Core keys read instead when the key is absent (package → DCAT only), as
    /// ckanext-dcat does (`issued` falls back to `metadata_created`).
    pub fallbacks: &'static [&'static str],
}

impl FieldMapping {
    /// The property IRI.
    pub fn property_iri(&self) -> String {
        format!("{}{}", self.property.0, self.property.1)
    }
}

const fn field(
    key: &'static str,
    place: FieldPlace,
    property: (&'static str, &'static str),
    form: ValueForm,
    fallbacks: &'static [&'static str],
) -> FieldMapping {
    FieldMapping {
        key,
        place,
        property,
        form,
        fallbacks,
    }
}

const OWL: &str = "http://www.w3.org/2002/07/owl#";
const ADMS: &str = "http://www.w3.org/ns/adms#";

/// The package fields that are one property of the dataset.
pub const PACKAGE_FIELDS: &[FieldMapping] = &[
    field(
        "title",
        FieldPlace::Core,
        (ns::DCT, "title"),
        ValueForm::Literal,
        &["name"],
    ),
    field(
        "notes",
        FieldPlace::Core,
        (ns::DCT, "description"),
        ValueForm::Literal,
        &[],
    ),
    field(
        "url",
        FieldPlace::Core,
        (ns::DCAT, "landingPage"),
        ValueForm::Iri,
        &[],
    ),
    field(
        "version",
        FieldPlace::Core,
        (OWL, "versionInfo"),
        ValueForm::Literal,
        &[],
    ),
    field(
        "identifier",
        FieldPlace::Extra,
        (ns::DCT, "identifier"),
        ValueForm::Literal,
        &["guid", "id"],
    ),
    field(
        "issued",
        FieldPlace::Extra,
        (ns::DCT, "issued"),
        ValueForm::Date,
        &["metadata_created"],
    ),
    field(
        "modified",
        FieldPlace::Extra,
        (ns::DCT, "modified"),
        ValueForm::Date,
        &["metadata_modified"],
    ),
    field(
        "frequency",
        FieldPlace::Extra,
        (ns::DCT, "accrualPeriodicity"),
        ValueForm::IriOrLiteral,
        &[],
    ),
    field(
        "access_rights",
        FieldPlace::Extra,
        (ns::DCT, "accessRights"),
        ValueForm::IriOrLiteral,
        &[],
    ),
    field(
        "dcat_type",
        FieldPlace::Extra,
        (ns::DCT, "type"),
        ValueForm::IriOrLiteral,
        &[],
    ),
    field(
        "language",
        FieldPlace::ExtraList,
        (ns::DCT, "language"),
        ValueForm::IriOrLiteral,
        &[],
    ),
    field(
        "theme",
        FieldPlace::ExtraList,
        (ns::DCAT, "theme"),
        ValueForm::Iri,
        &[],
    ),
    field(
        "conforms_to",
        FieldPlace::ExtraList,
        (ns::DCT, "conformsTo"),
        ValueForm::IriOrLiteral,
        &[],
    ),
    field(
        "documentation",
        FieldPlace::ExtraList,
        (ns::FOAF, "page"),
        ValueForm::IriOrLiteral,
        &[],
    ),
    field(
        "version_notes",
        FieldPlace::Extra,
        (ADMS, "versionNotes"),
        ValueForm::Literal,
        &[],
    ),
    field(
        "related_resource",
        FieldPlace::ExtraList,
        (ns::DCT, "relation"),
        ValueForm::IriOrLiteral,
        &[],
    ),
    field(
        "has_version",
        FieldPlace::ExtraList,
        (ns::DCT, "hasVersion"),
        ValueForm::IriOrLiteral,
        &[],
    ),
    field(
        "is_version_of",
        FieldPlace::ExtraList,
        (ns::DCT, "isVersionOf"),
        ValueForm::IriOrLiteral,
        &[],
    ),
    field(
        "source",
        FieldPlace::ExtraList,
        (ns::DCT, "source"),
        ValueForm::IriOrLiteral,
        &[],
    ),
    field(
        "sample",
        FieldPlace::ExtraList,
        (ADMS, "sample"),
        ValueForm::IriOrLiteral,
        &[],
    ),
    // Not in ckanext-dcat (its packages are datasets): a data service's endpoints, so that a
    // CKAN client reaches the API a service record describes.
    field(
        "endpoint_url",
        FieldPlace::ExtraList,
        (ns::DCAT, "endpointURL"),
        ValueForm::Iri,
        &[],
    ),
    field(
        "endpoint_description",
        FieldPlace::ExtraList,
        (ns::DCAT, "endpointDescription"),
        ValueForm::IriOrLiteral,
        &[],
    ),
];

/// The resource fields that are one property of a distribution.
pub const RESOURCE_FIELDS: &[FieldMapping] = &[
    field(
        "name",
        FieldPlace::Core,
        (ns::DCT, "title"),
        ValueForm::Literal,
        &[],
    ),
    field(
        "description",
        FieldPlace::Core,
        (ns::DCT, "description"),
        ValueForm::Literal,
        &[],
    ),
    field(
        "access_url",
        FieldPlace::Core,
        (ns::DCAT, "accessURL"),
        ValueForm::Iri,
        &["url"],
    ),
    field(
        "download_url",
        FieldPlace::Core,
        (ns::DCAT, "downloadURL"),
        ValueForm::Iri,
        &[],
    ),
    field(
        "format",
        FieldPlace::Core,
        (ns::DCT, "format"),
        ValueForm::IriOrLiteral,
        &[],
    ),
    field(
        "mimetype",
        FieldPlace::Core,
        (ns::DCAT, "mediaType"),
        ValueForm::Iri,
        &[],
    ),
    field(
        "size",
        FieldPlace::Core,
        (ns::DCAT, "byteSize"),
        ValueForm::Integer,
        &[],
    ),
    field(
        "issued",
        FieldPlace::Core,
        (ns::DCT, "issued"),
        ValueForm::Date,
        &["created"],
    ),
    field(
        "modified",
        FieldPlace::Core,
        (ns::DCT, "modified"),
        ValueForm::Date,
        &["last_modified"],
    ),
    field(
        "license",
        FieldPlace::Core,
        (ns::DCT, "license"),
        ValueForm::IriOrLiteral,
        &[],
    ),
    field(
        "rights",
        FieldPlace::Core,
        (ns::DCT, "rights"),
        ValueForm::IriOrLiteral,
        &[],
    ),
];

/// The fields mapped by code on each side: CKAN keys and the DCAT statements they stand for.
pub const STRUCTURED_FIELDS: &[(&str, &str)] = &[
    ("uri (extra)", "the dataset IRI (else `{site}/dataset/{id}`)"),
    ("tags[].name", "dcat:keyword"),
    ("groups[] / theme (extra)", "dcat:theme (the `theme` extra, a JSON list of IRIs, wins)"),
    ("organization / publisher_uri, publisher_name, publisher_email, publisher_url (extras)", "dct:publisher with foaf:name, foaf:mbox, foaf:homepage (the extras win)"),
    ("contact_uri, contact_name, contact_email (extras) / maintainer, maintainer_email / author, author_email", "dcat:contactPoint, a vcard:Kind with vcard:fn and vcard:hasEmail"),
    ("temporal_start, temporal_end (extras)", "dct:temporal, a dct:PeriodOfTime with dcat:startDate, dcat:endDate"),
    ("spatial (extra, GeoJSON), spatial_uri, spatial_text (extras)", "dct:spatial, a dct:Location with locn:geometry (geo:geoJSONLiteral) and skos:prefLabel"),
    ("license_id, license_url, license_title", "dct:license of the distributions (of the dataset when it has none): the licence IRI or literal the `licence` facet holds; a licence document known only by its titles (no IRI) has no id and gives its title, which comes back as a dct:LicenseDocument with that dct:title"),
    ("ldt_kind (extra)", "dct:type <https://w3id.org/ldtcat/kind/{kind}>: ldtcat's kind, read by the explicit classification rules"),
    ("metadata_created, metadata_modified", "the record's first sighting and last change in this catalogue (its CatalogRecord), not the resource's dct:issued and dct:modified (the `issued` and `modified` extras)"),
    ("resources[] (uri)", "dcat:distribution (the distribution IRI, else `{site}/dataset/{id}/resource/{resource id}`)"),
];

/// The extra holding ldtcat's kind of the resource (`dataset`, `model`, ...).
pub const KIND_EXTRA: &str = "ldt_kind";

/// The longest CKAN name (CKAN's `PACKAGE_NAME_MAX_LENGTH`).
pub const MAX_NAME_LENGTH: usize = 100;

/// The IRI a kind is stated as (`dct:type`) so that the explicit classification rules read it.
pub fn kind_type_iri(kind: Kind) -> String {
    format!("{}{}", ns::LDT_KIND, kind.as_str())
}

/// A CKAN-style name part: lowercase ASCII letters, digits and `-`, accents folded, other
/// characters turned into single dashes, trimmed of dashes; at most `max` bytes.
pub fn slug(text: &str, max: usize) -> String {
    let folded = deunicode::deunicode(text).to_ascii_lowercase();
    let mut slug = String::with_capacity(folded.len().min(max));
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= max {
            break;
        }
    }
    slug.trim_end_matches('-').to_owned()
}

/// A record's package name: a slug of the last segment of its IRI, then its record id.
/// Stable (it depends on the IRI only), URL-safe and unique (it ends with the id, a hash of
/// the IRI), at most [`MAX_NAME_LENGTH`] characters.
pub fn record_name(iri: &str, record_id: &str) -> String {
    let trimmed = iri.trim_end_matches(['/', '#']);
    let last = trimmed
        .rsplit(['/', '#', ':'])
        .find(|segment| !segment.is_empty())
        .unwrap_or("");
    let last = last.split(['?', '.']).next().unwrap_or(last);
    let room = MAX_NAME_LENGTH.saturating_sub(record_id.len() + 1);
    let prefix = slug(last, room);
    if prefix.is_empty() {
        record_id.to_owned()
    } else {
        format!("{prefix}-{record_id}")
    }
}

/// The record id at the end of a package name made by [`record_name`], if it has one.
pub fn record_id_of_name(name: &str) -> Option<&str> {
    let id = name.get(name.len().checked_sub(32)?..)?;
    let is_id = id
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    is_id.then_some(id)
}

/// The lexical values of one field for `subject` in a record's statements: IRIs as they
/// are, literals' values trimmed; empty values dropped, each value once, in statement order.
pub fn field_values(triples: &[Triple], subject: &str, mapping: &FieldMapping) -> Vec<String> {
    let property = mapping.property_iri();
    let mut values: Vec<String> = Vec::new();
    for triple in triples {
        let subject_matches = match &triple.subject {
            NamedOrBlankNode::NamedNode(node) => node.as_str() == subject,
            NamedOrBlankNode::BlankNode(node) => node.as_str() == subject,
        };
        if !subject_matches || triple.predicate.as_str() != property {
            continue;
        }
        let value = match (&triple.object, mapping.form) {
            (Term::NamedNode(node), _) => node.as_str().to_owned(),
            (Term::Literal(_), ValueForm::Iri) => continue,
            (Term::Literal(literal), _) => literal.value().trim().to_owned(),
            _ => continue,
        };
        if !value.is_empty() && !values.contains(&value) {
            values.push(value);
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_stable_url_safe_unique_and_lead_back_to_the_id() {
        let iri = "https://statbel.fgov.be/node/Bevölkerung nach Ort.csv";
        let id = crate::record_id(iri);
        let name = record_name(iri, &id);
        assert_eq!(name, format!("bevolkerung-nach-ort-{id}"));
        assert_eq!(record_id_of_name(&name), Some(id.as_str()));
        assert_eq!(record_name(iri, &id), name, "a pure function of the IRI");
        let long = format!("https://example.org/{}", "a".repeat(300));
        let long_name = record_name(&long, &crate::record_id(&long));
        assert_eq!(long_name.len(), MAX_NAME_LENGTH);
        let opaque = "urn:uuid:";
        assert_eq!(record_name(opaque, "ab"), "uuid-ab");
        assert_eq!(record_name("https://x.org/東京/", "cd"), "dong-jing-cd");
        assert_eq!(record_id_of_name("too-short"), None);
    }

    #[test]
    fn slugs_fold_accents_and_squeeze_separators() {
        assert_eq!(
            slug("  Ville d’Antibes — Données ", 100),
            "ville-d-antibes-donnees"
        );
        assert_eq!(slug("ENVI", 100), "envi");
        assert_eq!(slug("a b c d", 3), "a-b");
        assert_eq!(slug("***", 10), "");
    }

    #[test]
    fn every_key_is_mapped_once_per_table() {
        for table in [PACKAGE_FIELDS, RESOURCE_FIELDS] {
            let mut keys: Vec<&str> = table.iter().map(|f| f.key).collect();
            keys.sort_unstable();
            let n = keys.len();
            keys.dedup();
            assert_eq!(keys.len(), n);
        }
    }

    #[test]
    fn field_values_keep_iris_and_literals_as_given() {
        let turtle = r#"
@prefix dct: <http://purl.org/dc/terms/> .
<https://example.org/d> dct:language <http://publications.europa.eu/resource/authority/language/NLD>, "nl", " " ;
  dct:accrualPeriodicity "weekly" .
"#;
        let triples: Vec<Triple> = oxrdfio::RdfParser::from_format(oxrdfio::RdfFormat::Turtle)
            .for_reader(turtle.as_bytes())
            .map(|quad| Triple::from(quad.expect("valid turtle")))
            .collect();
        let language = PACKAGE_FIELDS.iter().find(|f| f.key == "language");
        let language = language.expect("language is mapped");
        assert_eq!(
            field_values(&triples, "https://example.org/d", language),
            vec![
                "http://publications.europa.eu/resource/authority/language/NLD".to_owned(),
                "nl".to_owned()
            ]
        );
        let theme = PACKAGE_FIELDS.iter().find(|f| f.key == "theme");
        let theme = theme.expect("theme is mapped");
        assert!(field_values(&triples, "https://example.org/d", theme).is_empty());
    }
}
