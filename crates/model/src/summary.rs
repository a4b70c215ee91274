//! What the index and the pages need to know of a record, extracted from its graph.
//!
//! The same extraction runs at import and at `ldtcat reindex`, so the index is a pure
//! function of the store.

use chrono::{DateTime, NaiveDate, Utc};
use ldtcat_vocab::Kind;

/// A literal with its language tag, if any.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LangString {
    /// The text.
    pub value: String,
    /// The BCP 47 language tag, lowercased (`en`, `fr`, `de-ch`); `None` when untagged.
    pub lang: Option<String>,
}

/// A WGS 84 bounding box, in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    /// Minimum longitude.
    pub west: f64,
    /// Minimum latitude.
    pub south: f64,
    /// Maximum longitude.
    pub east: f64,
    /// Maximum latitude.
    pub north: f64,
}

/// A period of time; either end may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemporalCoverage {
    /// First day covered.
    pub start: Option<NaiveDate>,
    /// Last day covered.
    pub end: Option<NaiveDate>,
}

/// The searchable and displayable facts of one record.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordSummary {
    /// The record id, as in `/resources/{id}`.
    pub id: String,
    /// The resource IRI.
    pub iri: String,
    /// `dct:identifier` literals of the resource (its identifiers outside this catalogue).
    pub identifiers: Vec<String>,
    /// The record's kind.
    pub kind: Kind,
    /// `dct:title` in every language.
    pub titles: Vec<LangString>,
    /// `dct:description` in every language.
    pub descriptions: Vec<LangString>,
    /// `dcat:keyword` in every language.
    pub keywords: Vec<LangString>,
    /// `dcat:theme` IRIs (or literals, as found).
    pub themes: Vec<String>,
    /// Publishers: the IRI of an IRI node (its name is among `labels`), the `foaf:name` of
    /// a blank node, or the literal.
    pub publishers: Vec<String>,
    /// Media types and formats of the resource and its distributions, one value per format
    /// ([`crate::extract::format_facet_value`]: `CSV` for `text/csv`, `.csv` and the EU IRI).
    pub formats: Vec<String>,
    /// Licences of the resource and its distributions, one value per licence
    /// ([`crate::extract::licence_facet_value`]: the EU authority IRI for `CC-BY-4.0`, the
    /// creativecommons.org IRIs and the SPDX IRI).
    pub licences: Vec<String>,
    /// Ids of the sources that deliver the record.
    pub sources: Vec<String>,
    /// The spatial coverage, where a bounding box or geometry gives one.
    pub bbox: Option<BoundingBox>,
    /// The temporal coverage.
    pub temporal: Option<TemporalCoverage>,
    /// `dct:modified`, else `dct:issued`, of the resource.
    pub modified: Option<DateTime<Utc>>,
    /// The last change of the record in this catalogue (its CatalogRecord's `dct:modified`,
    /// what CKAN calls `metadata_modified`); `None` when summarised from statements alone.
    pub changed: Option<DateTime<Utc>>,
    /// The terms of what the resource requires of an LDT (`ldtcat_compat::Requirement`).
    pub requirements: Vec<String>,
    /// The terms of what the resource offers as an adapter (`ldtcat_compat::Offer`).
    pub offers: Vec<String>,
    /// Labels the record gives to IRIs: its own titles, and the names of the nodes it
    /// describes (a theme's `skos:prefLabel`, a publisher's `foaf:name`), so that any page
    /// can name those IRIs without reading the record.
    pub labels: Vec<NodeLabel>,
    /// The record's metadata quality; `None` where a summary is built without it (tests).
    pub quality: Option<RecordQuality>,
}

/// A record's metadata quality as the index keeps it, from `ldtcat_quality::assess` on the
/// record's statements (the pages recompute the findings themselves from the same statements).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordQuality {
    /// Points of the MQA-style score.
    pub score: u32,
    /// The most points the measured indicators can give (405, less the network indicators
    /// while the record's URLs were not checked).
    pub max_measured: u32,
    /// Results of severity `sh:Violation` of the DCAT-AP mandatory shapes.
    pub mandatory_violations: u32,
    /// The distinct kinds of finding (`mandatory dct:description MinCount`).
    pub findings: Vec<String>,
}

impl RecordQuality {
    /// The score on the MQA's scale of 405 points (`score × 405 / max_measured`, rounded
    /// down), so that records whose URLs were checked and records whose were not are rated,
    /// filtered and sorted alike: what the index keeps.
    pub fn mqa_points(&self) -> u32 {
        mqa_points(self.score, self.max_measured)
    }
}

/// `score` out of `max_measured` on the MQA's scale of 405 points, rounded down.
pub fn mqa_points(score: u32, max_measured: u32) -> u32 {
    let scaled = u64::from(score) * 405 / u64::from(max_measured.max(1));
    u32::try_from(scaled).unwrap_or(u32::MAX)
}

/// A label a record gives to an IRI.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeLabel {
    /// The labelled IRI.
    pub iri: String,
    /// The label.
    pub label: LangString,
}

impl RecordSummary {
    /// The title to show: English first, then untagged, then any.
    pub fn display_title(&self) -> &str {
        pick_display(&self.titles).unwrap_or(&self.iri)
    }

    /// The description to show, chosen like the title.
    pub fn display_description(&self) -> &str {
        pick_display(&self.descriptions).unwrap_or("")
    }
}

/// English first, then untagged, then the first in order.
pub fn pick_display(values: &[LangString]) -> Option<&str> {
    let english = values.iter().find(|v| {
        v.lang
            .as_deref()
            .is_some_and(|lang| lang == "en" || lang.starts_with("en-"))
    });
    let untagged = values.iter().find(|v| v.lang.is_none());
    english
        .or(untagged)
        .or_else(|| values.first())
        .map(|v| v.value.as_str())
}
