//! The one way every interface names an IRI for a person: [`Labels::label`].
//!
//! **Resolution order.**
//! 1. **The record** being shown, when there is one ([`RecordLabels`]): its own
//!    `skos:prefLabel`, `foaf:name`, `vcard:fn`, `dct:title`, `schema:name`, `rdfs:label` of
//!    the node (in that order of preference within a language).
//! 2. **The catalogue**: any other record or concept stored. Shared nodes described once in a
//!    source (a theme scheme, a publisher) are copied into each record that uses them, and
//!    the index keeps every record's labels by IRI (`CatalogIndex::labels_of`: one term
//!    lookup), so this never scans the store. Answers are cached until the index changes.
//! 3. **The vendored authority tables** (`ldtcat_vocab::authority`: EU data themes, file
//!    types, licences, languages, countries, frequencies, access rights, SPDX, and the
//!    ldtcat vocabulary).
//! 4. **A readable fallback**: the decoded last path segment (or fragment) of the IRI, or its
//!    host name where the path says nothing (empty, a number, a language code, `index.html`);
//!    the IRI itself only for IRIs with no host (`urn:`, `mailto:`).
//!
//! Within a step, the text is chosen in the visitor's languages
//! (`ldtcat_model::language`). Lookups in step 2 read the index: call [`Labels::label`] on the
//! blocking pool, as handlers do for every index call.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use ldtcat_index::CatalogIndex;
use ldtcat_model::extract::label_predicate_rank;
use ldtcat_model::{LangString, Languages};
use ldtcat_vocab::authority::authority;
use oxrdf::{NamedOrBlankNode, Term, Triple};

/// How many IRIs the cache holds before it starts again.
const CACHE_CAPACITY: usize = 50_000;

/// Where a label came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelOrigin {
    /// The record shown.
    Record,
    /// Another record or concept of the catalogue.
    Catalogue,
    /// A vendored authority table.
    Authority,
    /// Derived from the IRI itself.
    Fallback,
}

/// The label of an IRI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The text to show.
    pub text: String,
    /// Its language, when known.
    pub lang: Option<String>,
    /// Where it came from.
    pub origin: LabelOrigin,
}

/// The labels a record gives to the IRIs it describes, by IRI, best predicate first.
#[derive(Debug, Clone, Default)]
pub struct RecordLabels {
    by_iri: HashMap<String, Vec<(usize, LangString)>>,
}

impl RecordLabels {
    /// Reads the label statements of a record's triples.
    pub fn of(triples: &[Triple]) -> RecordLabels {
        let mut by_iri: HashMap<String, Vec<(usize, LangString)>> = HashMap::new();
        for triple in triples {
            let (NamedOrBlankNode::NamedNode(subject), Term::Literal(literal)) =
                (&triple.subject, &triple.object)
            else {
                continue;
            };
            let Some(rank) = label_predicate_rank(triple.predicate.as_str()) else {
                continue;
            };
            if literal.value().trim().is_empty() {
                continue;
            }
            by_iri
                .entry(subject.as_str().to_owned())
                .or_default()
                .push((
                    rank,
                    LangString {
                        value: literal.value().trim().to_owned(),
                        lang: literal.language().map(str::to_ascii_lowercase),
                    },
                ));
        }
        for labels in by_iri.values_mut() {
            labels.sort_by_key(|(rank, _)| *rank);
        }
        RecordLabels { by_iri }
    }

    fn labels_of(&self, iri: &str) -> Vec<LangString> {
        self.by_iri
            .get(iri)
            .map(|labels| labels.iter().map(|(_, label)| label.clone()).collect())
            .unwrap_or_default()
    }
}

struct Cache {
    generation: u64,
    entries: HashMap<String, Arc<Vec<LangString>>>,
}

/// The label service shared by every interface (in `AppState`).
#[derive(Clone)]
pub struct Labels {
    index: Arc<CatalogIndex>,
    cache: Arc<Mutex<Cache>>,
}

impl std::fmt::Debug for Labels {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("Labels")
    }
}

fn best(labels: &[LangString], languages: &Languages, origin: LabelOrigin) -> Option<Label> {
    languages.pick_text(labels).map(|label| Label {
        text: label.value.clone(),
        lang: label.lang.clone(),
        origin,
    })
}

impl Labels {
    /// The service over an index.
    pub fn new(index: Arc<CatalogIndex>) -> Labels {
        Labels {
            index,
            cache: Arc::new(Mutex::new(Cache {
                generation: u64::MAX,
                entries: HashMap::new(),
            })),
        }
    }

    /// The label of `iri` in the visitor's `languages`: catalogue, authority, fallback.
    pub fn label(&self, iri: &str, languages: &Languages) -> Label {
        self.label_in(iri, None, languages)
    }

    /// The label of `iri` with `record` consulted first.
    pub fn label_in(
        &self,
        iri: &str,
        record: Option<&RecordLabels>,
        languages: &Languages,
    ) -> Label {
        if let Some(record) = record {
            if let Some(label) = best(&record.labels_of(iri), languages, LabelOrigin::Record) {
                return label;
            }
        }
        if let Some(label) = best(
            &self.catalogue_labels(iri),
            languages,
            LabelOrigin::Catalogue,
        ) {
            return label;
        }
        authority_or_fallback(iri, languages)
    }

    /// What the catalogue's records call `iri` (cached until the index changes; an index
    /// error is logged and reads as no label).
    fn catalogue_labels(&self, iri: &str) -> Arc<Vec<LangString>> {
        let generation = self.index.generation();
        if let Ok(mut cache) = self.cache.lock() {
            if cache.generation != generation {
                cache.generation = generation;
                cache.entries.clear();
            }
            if let Some(found) = cache.entries.get(iri) {
                return Arc::clone(found);
            }
        }
        let found = Arc::new(self.index.labels_of(iri).unwrap_or_else(|error| {
            tracing::warn!(%error, iri, "cannot look up a label");
            Vec::new()
        }));
        if let Ok(mut cache) = self.cache.lock() {
            if cache.entries.len() >= CACHE_CAPACITY {
                cache.entries.clear();
            }
            cache.entries.insert(iri.to_owned(), Arc::clone(&found));
        }
        found
    }
}

/// The label of `iri` without the catalogue step: the EU authority tables, then the readable
/// fallback. For interfaces that have the record's own labels but not the index at hand.
pub fn authority_or_fallback(iri: &str, languages: &Languages) -> Label {
    if let Some(labels) = authority().labels_of(iri) {
        let labels: Vec<LangString> = labels
            .into_iter()
            .map(|(lang, value)| LangString { value, lang })
            .collect();
        if let Some(label) = best(&labels, languages, LabelOrigin::Authority) {
            return label;
        }
    }
    Label {
        text: fallback_label(iri),
        lang: None,
        origin: LabelOrigin::Fallback,
    }
}

/// The readable fallback of an IRI (see the module documentation).
pub fn fallback_label(iri: &str) -> String {
    let Some((_, rest)) = iri.split_once("://") else {
        return iri.to_owned();
    };
    let (without_fragment, fragment) = match rest.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (rest, None),
    };
    let without_query = without_fragment
        .split('?')
        .next()
        .unwrap_or(without_fragment);
    let (host, path) = without_query.split_once('/').unwrap_or((without_query, ""));
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host);
    let host = host.strip_prefix("www.").unwrap_or(host);
    let candidate = fragment
        .filter(|f| !f.is_empty())
        .or_else(|| path.split('/').rev().find(|segment| !segment.is_empty()))
        .map(percent_decode);
    match candidate {
        Some(segment) if says_something(&segment) => segment,
        _ if host.is_empty() => iri.to_owned(),
        _ => host.to_owned(),
    }
}

/// Whether a path segment names something: not a number, a two-letter code or a page name.
fn says_something(segment: &str) -> bool {
    let bare = segment.trim();
    let letters = bare.chars().filter(|c| c.is_alphabetic()).count();
    let page_name = matches!(
        bare.to_ascii_lowercase().as_str(),
        "index.html" | "index.htm" | "index.php" | "home" | "default.aspx"
    );
    letters > 2 && !page_name
}

/// `%C3%A9` → `é`; invalid sequences are kept as they are.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut position = 0;
    while position < bytes.len() {
        if bytes[position] == b'%' {
            let hex = text.get(position + 1..position + 3);
            if let Some(value) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                decoded.push(value);
                position += 3;
                continue;
            }
        }
        decoded.push(bytes[position]);
        position += 1;
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use ldtcat_model::{NodeLabel, RecordSummary};
    use ldtcat_vocab::Kind;
    use oxrdf::{Literal, NamedNode};

    use super::*;

    fn summary(id: &str, labels: Vec<NodeLabel>) -> RecordSummary {
        RecordSummary {
            id: id.to_owned(),
            iri: format!("https://example.org/dataset/{id}"),
            kind: Kind::Dataset,
            titles: vec![LangString {
                value: format!("Dataset {id}"),
                lang: Some("en".to_owned()),
            }],
            descriptions: Vec::new(),
            keywords: Vec::new(),
            themes: Vec::new(),
            publishers: Vec::new(),
            formats: Vec::new(),
            licences: Vec::new(),
            sources: Vec::new(),
            bbox: None,
            temporal: None,
            modified: None,
            changed: None,
            identifiers: Vec::new(),
            requirements: Vec::new(),
            offers: Vec::new(),
            labels,
            quality: None,
        }
    }

    fn labels_over(records: &[RecordSummary]) -> anyhow::Result<Labels> {
        let index = Arc::new(CatalogIndex::open_in_ram()?);
        let mut batch = index.batch()?;
        for record in records {
            batch.upsert(record)?;
        }
        batch.commit()?;
        Ok(Labels::new(index))
    }

    #[test]
    fn the_resolution_order_is_record_catalogue_authority_fallback() -> anyhow::Result<()> {
        let health = "http://publications.europa.eu/resource/authority/data-theme/HEAL";
        let stored = NodeLabel {
            iri: health.to_owned(),
            label: LangString {
                value: "Santé publique".to_owned(),
                lang: Some("fr".to_owned()),
            },
        };
        let labels = labels_over(&[summary("a", vec![stored])])?;
        let french = Languages::new(["fr"]);
        let record = RecordLabels::of(&[Triple::new(
            NamedNode::new_unchecked(health),
            NamedNode::new_unchecked("http://www.w3.org/2004/02/skos/core#prefLabel"),
            Literal::new_language_tagged_literal_unchecked("Santé (fiche)", "fr"),
        )]);
        let from_record = labels.label_in(health, Some(&record), &french);
        assert_eq!(
            (from_record.text.as_str(), from_record.origin),
            ("Santé (fiche)", LabelOrigin::Record)
        );
        let from_catalogue = labels.label(health, &french);
        assert_eq!(
            (from_catalogue.text.as_str(), from_catalogue.origin),
            ("Santé publique", LabelOrigin::Catalogue)
        );
        let environment = "http://publications.europa.eu/resource/authority/data-theme/ENVI";
        let from_table = labels.label(environment, &french);
        assert_eq!(
            (from_table.text.as_str(), from_table.origin),
            ("Environnement", LabelOrigin::Authority)
        );
        assert_eq!(from_table.lang.as_deref(), Some("fr"));
        let unknown = labels.label("https://data.example.org/id/theme/sant%C3%A9", &french);
        assert_eq!(
            (unknown.text.as_str(), unknown.origin),
            ("santé", LabelOrigin::Fallback)
        );
        let own_title = labels.label("https://example.org/dataset/a", &french);
        assert_eq!(own_title.text, "Dataset a");
        Ok(())
    }

    #[test]
    fn fallbacks_are_readable() {
        for (iri, expected) in [
            ("http://www.insee.fr/fr/", "insee.fr"),
            ("https://example.org/", "example.org"),
            ("https://example.org/org/ville-d-antibes", "ville-d-antibes"),
            ("http://example.org/vocab#TrafficModel", "TrafficModel"),
            ("https://example.org/items/12345", "example.org"),
            ("https://example.org/index.html", "example.org"),
            ("urn:uuid:1234", "urn:uuid:1234"),
            (
                "https://user@data.example.org:8443/a/bus%20stops?x=1",
                "bus stops",
            ),
        ] {
            assert_eq!(fallback_label(iri), expected, "{iri}");
        }
    }
}
