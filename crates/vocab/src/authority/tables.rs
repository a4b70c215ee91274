//! Parsing the TSV tables and answering lookups.
//!
//! Every table has a header line; a line with fewer cells than the header is padded with
//! empty cells, and empty label cells mean "no label in this language". The tests below load
//! every embedded table and check that none is empty and every code is unique.

use std::collections::HashMap;

use oxrdf::Term;
use oxrdfio::{RdfFormat, RdfParser};

use super::files;
use super::iri::{without_scheme, AuthorityRef};
use crate::ns;

/// One coded entry with its labels, `(language, text)`; `None` marks a label that is the
/// same in every language (`CC BY 4.0`, `CSV`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableEntry {
    /// The code in its table (`ENVI`, `BEL`).
    pub code: String,
    /// Its labels.
    pub labels: Vec<(Option<String>, String)>,
}

/// A file type of the EU table, with its IANA media type when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileType {
    /// The EU code (`CSV`, `RDF_TURTLE`).
    pub code: String,
    /// The media type (`text/csv`), empty for service types.
    pub media_type: String,
    /// The label (`CSV`, `Turtle`).
    pub label: String,
}

/// A licence, by its EU code and SPDX id when it has them, with the other IRIs it is
/// published under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Licence {
    /// The EU code (`CC_BY_4_0`), or empty.
    pub code: String,
    /// The SPDX id (`CC-BY-4.0`), or empty.
    pub spdx: String,
    /// A short label (`CC BY 4.0`).
    pub label: String,
    /// Other IRIs that name it (creativecommons.org, opendatacommons.org, ...).
    pub iris: Vec<String>,
}

impl Licence {
    /// The IRI that stands for the licence wherever one value is needed (the licence facet):
    /// the EU authority IRI, else the SPDX IRI, else the first IRI it is published under.
    pub fn canonical_iri(&self) -> String {
        if !self.code.is_empty() {
            format!(
                "http://publications.europa.eu/resource/authority/licence/{}",
                self.code
            )
        } else if !self.spdx.is_empty() {
            format!("http://spdx.org/licenses/{}", self.spdx)
        } else {
            self.iris.first().cloned().unwrap_or_default()
        }
    }
}

/// Every table, loaded.
#[derive(Debug, Clone, Default)]
pub struct AuthorityTables {
    data_themes: HashMap<String, TableEntry>,
    frequencies: HashMap<String, TableEntry>,
    access_rights: HashMap<String, TableEntry>,
    languages: HashMap<String, TableEntry>,
    language_alpha2: HashMap<String, String>,
    countries: HashMap<String, TableEntry>,
    country_numeric: HashMap<String, String>,
    file_types: Vec<FileType>,
    licences: Vec<Licence>,
    /// Normalised IRI (no scheme, no trailing slash, lowercase) → index in `licences`.
    licence_iris: HashMap<String, usize>,
    spdx_names: HashMap<String, String>,
    vocabulary: HashMap<String, TableEntry>,
}

/// The lines of a TSV table as cells, header first.
fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.split('\t').map(str::trim).collect())
}

/// A table `code, en, fr, nl, de, it` (after `skip` extra columns) keyed by upper-case code.
fn labelled_table(text: &str, skip: usize) -> HashMap<String, TableEntry> {
    let mut lines = rows(text);
    let header: Vec<String> = lines
        .next()
        .map(|cells| cells.iter().map(|c| (*c).to_owned()).collect())
        .unwrap_or_default();
    let mut table = HashMap::new();
    for cells in lines {
        let Some(code) = cells.first().filter(|c| !c.is_empty()) else {
            continue;
        };
        let labels = header
            .iter()
            .enumerate()
            .skip(1 + skip)
            .filter_map(|(column, lang)| {
                let text = cells.get(column).copied().unwrap_or("");
                (!text.is_empty()).then(|| (Some(lang.clone()), text.to_owned()))
            })
            .collect();
        table.insert(
            code.to_ascii_uppercase(),
            TableEntry {
                code: (*code).to_owned(),
                labels,
            },
        );
    }
    table
}

/// A licence IRI as compared: no scheme, no `www.`, no trailing slash, lowercase.
fn licence_key(iri: &str) -> String {
    let bare = without_scheme(iri.trim());
    let bare = bare.strip_prefix("www.").unwrap_or(bare);
    let bare = bare.trim_end_matches('/');
    // A Creative Commons deed or legal code, in any language, names the licence itself.
    let bare = match bare.rsplit_once('/') {
        Some((licence, last)) if last.starts_with("deed.") || last.starts_with("legalcode") => {
            licence
        }
        _ => bare,
    };
    bare.trim_end_matches('/').to_ascii_lowercase()
}

impl AuthorityTables {
    /// Parses the embedded tables and the vocabulary's labels.
    pub fn builtin() -> AuthorityTables {
        let mut tables = AuthorityTables {
            data_themes: labelled_table(files::DATA_THEMES, 0),
            frequencies: labelled_table(files::FREQUENCIES, 0),
            access_rights: labelled_table(files::ACCESS_RIGHTS, 0),
            languages: labelled_table(files::LANGUAGES, 1),
            countries: labelled_table(files::COUNTRIES, 2),
            vocabulary: vocabulary_labels(crate::VOCABULARY_TURTLE),
            ..AuthorityTables::default()
        };
        for cells in rows(files::LANGUAGES).skip(1) {
            if let [code, alpha2, ..] = cells[..] {
                tables
                    .language_alpha2
                    .insert(alpha2.to_ascii_lowercase(), code.to_ascii_uppercase());
            }
        }
        for cells in rows(files::COUNTRIES).skip(1) {
            if let [code, _, numeric, ..] = cells[..] {
                tables
                    .country_numeric
                    .insert(numeric.to_owned(), code.to_ascii_uppercase());
            }
        }
        for cells in rows(files::FILE_TYPES).skip(1) {
            let cell = |n: usize| cells.get(n).copied().unwrap_or("").to_owned();
            tables.file_types.push(FileType {
                code: cell(0),
                media_type: cell(1),
                label: cell(2),
            });
        }
        for cells in rows(files::SPDX_LICENCES).skip(1) {
            if let [id, name, ..] = cells[..] {
                tables.spdx_names.insert(id.to_owned(), name.to_owned());
            }
        }
        for cells in rows(files::LICENCES).skip(1) {
            let cell = |n: usize| cells.get(n).copied().unwrap_or("").to_owned();
            let licence = Licence {
                code: cell(0),
                spdx: cell(1),
                label: cell(2),
                iris: cell(3).split_whitespace().map(str::to_owned).collect(),
            };
            let position = tables.licences.len();
            for iri in &licence.iris {
                tables.licence_iris.insert(licence_key(iri), position);
            }
            tables.licences.push(licence);
        }
        tables
    }

    /// The labels of an IRI from the tables, in every language they have; `None` when no
    /// table knows it.
    pub fn labels_of(&self, iri: &str) -> Option<Vec<(Option<String>, String)>> {
        if let Some(entry) = self.vocabulary.get(iri) {
            return Some(entry.labels.clone());
        }
        let neutral = |text: &str| Some(vec![(None, text.to_owned())]);
        if let Some(licence) = self.licence(iri) {
            return neutral(&licence.label);
        }
        let entry = match AuthorityRef::parse(iri)? {
            AuthorityRef::DataTheme(code) => self.data_themes.get(&code.to_ascii_uppercase()),
            AuthorityRef::Frequency(code) => self.frequencies.get(&code.to_ascii_uppercase()),
            AuthorityRef::AccessRight(code) => self.access_rights.get(&code.to_ascii_uppercase()),
            AuthorityRef::Country(code) => self.countries.get(&code.to_ascii_uppercase()),
            AuthorityRef::Language(code) => self.language(code),
            AuthorityRef::LanguageAlpha2(code) => self.language(code),
            AuthorityRef::FileType(code) => {
                return self.file_type(code).and_then(|f| neutral(&f.label));
            }
            AuthorityRef::MediaType(media_type) => {
                return match self.file_type(media_type) {
                    Some(file_type) => neutral(&file_type.label),
                    None => neutral(media_type),
                };
            }
            AuthorityRef::Licence(_) => None,
            AuthorityRef::Spdx(id) => {
                return self.spdx_names.get(id).and_then(|name| neutral(name));
            }
        };
        entry.map(|entry| entry.labels.clone())
    }

    /// A language by EU code (`FRA`), ISO 639-3 code (`fra`) or ISO 639-1 code (`fr`).
    pub fn language(&self, code: &str) -> Option<&TableEntry> {
        let upper = code.to_ascii_uppercase();
        if let Some(entry) = self.languages.get(&upper) {
            return Some(entry);
        }
        let alpha3 = self.language_alpha2.get(&code.to_ascii_lowercase())?;
        self.languages.get(alpha3)
    }

    /// A country by EU code (`BEL`, ISO 3166-1 alpha-3).
    pub fn country(&self, code: &str) -> Option<&TableEntry> {
        self.countries.get(&code.to_ascii_uppercase())
    }

    /// A file type by EU code (`CSV`), media type (`text/csv`) or either's IRI.
    pub fn file_type(&self, code_or_media_type: &str) -> Option<&FileType> {
        let value = match AuthorityRef::parse(code_or_media_type) {
            Some(AuthorityRef::FileType(code) | AuthorityRef::MediaType(code)) => code,
            _ => code_or_media_type.trim(),
        };
        self.file_types.iter().find(|file_type| {
            file_type.code.eq_ignore_ascii_case(value)
                || (!file_type.media_type.is_empty()
                    && file_type.media_type.eq_ignore_ascii_case(value))
        })
    }

    /// A licence by any IRI that names it (EU, SPDX, creativecommons.org, ...).
    pub fn licence(&self, iri: &str) -> Option<&Licence> {
        if let Some(position) = self.licence_iris.get(&licence_key(iri)) {
            return self.licences.get(*position);
        }
        match AuthorityRef::parse(iri)? {
            AuthorityRef::Licence(code) => self
                .licences
                .iter()
                .find(|licence| licence.code.eq_ignore_ascii_case(code)),
            AuthorityRef::Spdx(id) => self
                .licences
                .iter()
                .find(|licence| licence.spdx.eq_ignore_ascii_case(id)),
            _ => None,
        }
    }

    /// A licence named by any IRI ([`AuthorityTables::licence`]) or, as sources write it in
    /// text, by its EU code, SPDX id or label, in any case (`CC-BY-4.0`, `cc_by_4_0`,
    /// `CC BY 4.0`).
    pub fn licence_by_name(&self, value: &str) -> Option<&Licence> {
        let value = value.trim();
        if let Some(licence) = self.licence(value) {
            return Some(licence);
        }
        self.licences.iter().find(|licence| {
            [&licence.code, &licence.spdx, &licence.label]
                .into_iter()
                .any(|name| !name.is_empty() && name.eq_ignore_ascii_case(value))
        })
    }

    /// The SPDX id of a licence of the SPDX list named by its SPDX IRI or id (`GPL-3.0-only`),
    /// as the list spells it.
    pub fn spdx_id(&self, value: &str) -> Option<&str> {
        let value = value.trim();
        let id = match AuthorityRef::parse(value) {
            Some(AuthorityRef::Spdx(id)) => id,
            _ => value,
        };
        let id = id.strip_suffix(".html").unwrap_or(id);
        self.spdx_names
            .get_key_value(id)
            .map(|(id, _)| id.as_str())
            .or_else(|| {
                self.spdx_names
                    .keys()
                    .find(|known| known.eq_ignore_ascii_case(id))
                    .map(String::as_str)
            })
    }

    /// A country by its ISO 3166-1 numeric code (`056`), as map data names them.
    pub fn country_by_numeric(&self, numeric: &str) -> Option<&TableEntry> {
        self.country_numeric
            .get(numeric)
            .and_then(|code| self.countries.get(code))
    }
}

/// `rdfs:label` and `skos:prefLabel` of every term of the ldtcat vocabulary.
fn vocabulary_labels(turtle: &str) -> HashMap<String, TableEntry> {
    let label_predicates = [
        format!("{}label", ns::RDFS),
        format!("{}prefLabel", ns::SKOS),
    ];
    let mut labels: HashMap<String, TableEntry> = HashMap::new();
    for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle.as_bytes()) {
        let Ok(quad) = quad else {
            // The vocabulary is checked by the rules' tests; a broken file gives no labels.
            return HashMap::new();
        };
        if !label_predicates
            .iter()
            .any(|p| p == quad.predicate.as_str())
        {
            continue;
        }
        let (oxrdf::NamedOrBlankNode::NamedNode(subject), Term::Literal(literal)) =
            (&quad.subject, &quad.object)
        else {
            continue;
        };
        labels
            .entry(subject.as_str().to_owned())
            .or_insert_with(|| TableEntry {
                code: subject.as_str().to_owned(),
                labels: Vec::new(),
            })
            .labels
            .push((
                literal.language().map(str::to_owned),
                literal.value().to_owned(),
            ));
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label_in(labels: &[(Option<String>, String)], lang: Option<&str>) -> Option<String> {
        labels
            .iter()
            .find(|(l, _)| l.as_deref() == lang)
            .map(|(_, text)| text.clone())
    }

    #[test]
    fn every_table_loads_with_unique_codes() {
        let tables = AuthorityTables::builtin();
        assert_eq!(tables.data_themes.len(), 14);
        assert!(tables.languages.len() > 150);
        assert!(tables.countries.len() > 240);
        assert!(tables.file_types.len() > 50);
        assert!(tables.spdx_names.len() > 500);
        assert!(!tables.vocabulary.is_empty());
        for text in [
            files::FILE_TYPES,
            files::LICENCES,
            files::COUNTRIES,
            files::LANGUAGES,
        ] {
            let header_cells = rows(text).next().map_or(0, |cells| cells.len());
            for cells in rows(text) {
                assert!(cells.len() <= header_cells, "{cells:?}");
            }
        }
        let mut codes: Vec<&str> = tables.file_types.iter().map(|f| f.code.as_str()).collect();
        codes.sort_unstable();
        let count = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), count);
    }

    #[test]
    fn labels_come_in_the_five_interface_languages() {
        let tables = AuthorityTables::builtin();
        let theme = tables
            .labels_of("http://publications.europa.eu/resource/authority/data-theme/HEAL")
            .unwrap_or_default();
        assert_eq!(label_in(&theme, Some("fr")).as_deref(), Some("Santé"));
        assert_eq!(label_in(&theme, Some("en")).as_deref(), Some("Health"));
        let belgium = tables
            .labels_of("http://publications.europa.eu/resource/authority/country/BEL")
            .unwrap_or_default();
        assert_eq!(label_in(&belgium, Some("nl")).as_deref(), Some("België"));
        assert_eq!(
            tables.country_by_numeric("056").map(|c| c.code.as_str()),
            Some("BEL")
        );
        let dutch = tables
            .labels_of("http://publications.europa.eu/resource/authority/language/NLD")
            .unwrap_or_default();
        assert_eq!(
            label_in(&dutch, Some("de")).as_deref(),
            Some("Niederländisch")
        );
        let lexvo = tables
            .labels_of("http://lexvo.org/id/iso639-3/eng")
            .unwrap_or_default();
        assert_eq!(label_in(&lexvo, Some("en")).as_deref(), Some("English"));
        let kind = tables
            .labels_of(&format!("{}VisualisationAsset", ns::LDT))
            .unwrap_or_default();
        assert!(!kind.is_empty());
    }

    #[test]
    fn formats_and_licences_normalise() {
        let tables = AuthorityTables::builtin();
        let csv = tables.file_type("http://www.iana.org/assignments/media-types/text/csv");
        assert_eq!(csv.map(|f| f.code.as_str()), Some("CSV"));
        let turtle = tables
            .file_type("http://publications.europa.eu/resource/authority/file-type/RDF_TURTLE");
        assert_eq!(turtle.map(|f| f.media_type.as_str()), Some("text/turtle"));
        for iri in [
            "https://creativecommons.org/licenses/by/4.0/",
            "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
            "https://spdx.org/licenses/CC-BY-4.0",
        ] {
            assert_eq!(
                tables.licence(iri).map(|l| l.label.as_str()),
                Some("CC BY 4.0"),
                "{iri}"
            );
        }
        assert_eq!(
            tables
                .labels_of("http://www.opendefinition.org/licenses/cc-zero")
                .and_then(|labels| label_in(&labels, None)),
            Some("CC0 1.0".to_owned())
        );
        assert_eq!(
            tables
                .labels_of("https://spdx.org/licenses/Apache-2.0")
                .and_then(|labels| label_in(&labels, None)),
            Some("Apache 2.0".to_owned())
        );
        assert!(tables.labels_of("https://example.org/licence").is_none());
    }
}
