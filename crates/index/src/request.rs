//! The plain types of a search: what the caller asks for and what it gets back.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use ldtcat_model::summary::{BoundingBox, LangString};
use ldtcat_vocab::Kind;

use crate::error::UnknownFacetField;

/// A field that results can be filtered and counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FacetField {
    /// The record kind (`dataset`, `model`, ...).
    Kind,
    /// A `dcat:theme` IRI or literal.
    Theme,
    /// A publisher name.
    Publisher,
    /// A normalised format or media type.
    Format,
    /// A licence IRI or literal.
    Licence,
    /// The id of a source that delivers the record.
    Source,
    /// A keyword (`dcat:keyword`), exactly as given. Not in [`FacetField::ALL`]: it is
    /// filtered by, and counted only when asked for ([`crate::CatalogIndex::search_with_facets`]).
    Keyword,
    /// A kind of metadata-quality finding (`mandatory dct:description MinCount`,
    /// `ldtcat_model::RecordQuality::findings`). Like [`FacetField::Keyword`], counted only
    /// when asked for.
    Finding,
}

impl FacetField {
    /// Every facet field, in display order.
    pub const ALL: [FacetField; 6] = [
        FacetField::Kind,
        FacetField::Theme,
        FacetField::Publisher,
        FacetField::Format,
        FacetField::Licence,
        FacetField::Source,
    ];

    /// Every field, [`FacetField::ALL`] then [`FacetField::Keyword`] and
    /// [`FacetField::Finding`].
    pub const EVERY: [FacetField; 8] = [
        FacetField::Kind,
        FacetField::Theme,
        FacetField::Publisher,
        FacetField::Format,
        FacetField::Licence,
        FacetField::Source,
        FacetField::Keyword,
        FacetField::Finding,
    ];

    /// The name used in URLs and in the index schema (`kind`, `theme`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            FacetField::Kind => "kind",
            FacetField::Theme => "theme",
            FacetField::Publisher => "publisher",
            FacetField::Format => "format",
            FacetField::Licence => "licence",
            FacetField::Source => "source",
            FacetField::Keyword => "keyword",
            FacetField::Finding => "finding",
        }
    }
}

impl fmt::Display for FacetField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FacetField {
    type Err = UnknownFacetField;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        FacetField::EVERY
            .into_iter()
            .find(|field| field.as_str() == name)
            .ok_or_else(|| UnknownFacetField(name.to_owned()))
    }
}

/// Keep only records whose `field` has `value` (exactly, as indexed).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FacetFilter {
    /// The facet field.
    pub field: FacetField,
    /// The value, e.g. `dataset` or a theme IRI.
    pub value: String,
}

/// A condition on one facet field: the record has one of `values` (or, when `negated`,
/// none of them). Unlike [`SearchRequest::filters`], each clause stands alone, so two clauses
/// on one field are AND'ed (a record with both keywords).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FacetClause {
    /// The facet field.
    pub field: FacetField,
    /// The alternatives; an empty list matches nothing (or, negated, everything).
    pub values: Vec<String>,
    /// Keep the records that have none of the values.
    pub negated: bool,
}

/// The order of the hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SortOrder {
    /// Best match first, then most recently modified; with no query text, same as
    /// [`SortOrder::Modified`].
    #[default]
    Relevance,
    /// Most recently modified first; records without a date last; ties by record id.
    Modified,
    /// By display title, case- and accent-insensitively, A to Z; ties by record id.
    Title,
    /// By record id: a stable order (new records fall in place, nothing else moves), for
    /// harvesters paging through the whole catalogue.
    Id,
    /// By record name (`ldtcat_model::ckan::record_name`), A to Z.
    Name,
    /// Most recently changed in this catalogue first (`RecordSummary::changed`, CKAN's
    /// `metadata_modified`); records without a change time last.
    Changed,
    /// Best metadata-quality score first (`ldtcat_model::RecordQuality::mqa_points`); records
    /// without a score last; ties by record id.
    Quality,
}

/// A search: text, filters, paging and order.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    /// The query text in Tantivy query syntax, parsed leniently; empty matches everything.
    pub text: String,
    /// Facet filters: values of one field are OR'ed, different fields AND'ed.
    pub filters: Vec<FacetFilter>,
    /// More facet conditions, each AND'ed with everything else.
    pub facet_clauses: Vec<FacetClause>,
    /// Keep only records whose bounding box intersects this one.
    pub bbox: Option<BoundingBox>,
    /// Keep only records whose resource was modified at or after this time.
    pub modified_since: Option<DateTime<Utc>>,
    /// Keep only records whose resource was modified at or before this time.
    pub modified_until: Option<DateTime<Utc>>,
    /// Keep only records changed in this catalogue at or after this time.
    pub changed_since: Option<DateTime<Utc>>,
    /// Keep only records changed in this catalogue at or before this time.
    pub changed_until: Option<DateTime<Utc>>,
    /// Keep only records whose id sorts after this one: a cursor for paging in
    /// [`SortOrder::Id`] that costs the same on every page (an offset costs more the deeper
    /// it goes).
    pub after_id: Option<String>,
    /// Keep only records whose id sorts before this one. With [`SortOrder::Id`] the page is
    /// then the `limit` records just before it (still in ascending order): a cursor for paging
    /// backwards that, like [`SearchRequest::after_id`], costs the same on every page.
    pub before_id: Option<String>,
    /// Keep only records that sort after this hit, in [`SortOrder::Modified`] or
    /// [`SortOrder::Title`] order: a cursor like `after_id` for those orders.
    pub after_hit: Option<AfterHit>,
    /// Keep only these record ids (none: no filter).
    pub ids: Vec<String>,
    /// Keep only records with one of these identifiers: a `dct:identifier` value or the
    /// resource IRI (none: no filter).
    pub identifiers: Vec<String>,
    /// Keep only records whose temporal coverage intersects this period.
    pub temporal: Option<TimeRange>,
    /// Keep only records whose metadata-quality score (on the MQA's scale of 405 points,
    /// `ldtcat_model::RecordQuality::mqa_points`) is at least this.
    pub min_quality: Option<u32>,
    /// Keep only records whose metadata-quality score (405 scale) is at most this.
    pub max_quality: Option<u32>,
    /// The order of the hits.
    pub sort: SortOrder,
    /// How many hits to skip.
    pub offset: usize,
    /// How many hits to return at most.
    pub limit: usize,
    /// Whether to count facet values over all matches (the costly part of a search over a
    /// large catalogue; a harvester paging through `/catalog` does not need them).
    pub facets: bool,
    /// Keep only records whose requirement terms pass this filter (compatibility with an
    /// LDT profile, computed by the caller term by term).
    pub requirements: Option<RequirementFilter>,
}

/// The last hit of a page, as a cursor for the next page in a keyed order. The order is
/// total: ties of the key are broken by record id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterHit {
    /// In [`SortOrder::Modified`] order (newest first, undated last).
    Modified {
        /// The hit's modification time (to the second), `None` when undated.
        modified: Option<DateTime<Utc>>,
        /// The hit's record id.
        id: String,
    },
    /// In [`SortOrder::Title`] order.
    Title {
        /// The hit's display title ([`SearchHit::title`]).
        title: String,
        /// The hit's record id.
        id: String,
    },
}

impl AfterHit {
    /// The cursor after `hit` in `sort` order; `None` for orders without one
    /// ([`SortOrder::Relevance`], [`SortOrder::Name`], [`SortOrder::Changed`],
    /// [`SortOrder::Quality`]; [`SortOrder::Id`] uses `after_id`).
    pub fn of(hit: &SearchHit, sort: SortOrder) -> Option<AfterHit> {
        match sort {
            SortOrder::Modified => Some(AfterHit::Modified {
                modified: hit.modified,
                id: hit.id.clone(),
            }),
            SortOrder::Title => Some(AfterHit::Title {
                title: hit.title.clone(),
                id: hit.id.clone(),
            }),
            SortOrder::Relevance
            | SortOrder::Id
            | SortOrder::Name
            | SortOrder::Changed
            | SortOrder::Quality => None,
        }
    }
}

/// A period; either end may be open. A record's temporal coverage intersects it when the
/// coverage starts at or before `end` and ends on or after the day of `start` (coverage is
/// indexed by day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    /// The start, if bounded.
    pub start: Option<DateTime<Utc>>,
    /// The end, if bounded.
    pub end: Option<DateTime<Utc>>,
}

/// A filter on the requirement terms of records: a record passes when it passes one of the
/// clauses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequirementFilter {
    /// The alternatives.
    pub clauses: Vec<RequirementClause>,
}

/// A record passes a clause when it has at least one requirement term of `any_of` and none
/// of `none_of`. An empty `any_of` passes nothing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequirementClause {
    /// At least one of these.
    pub any_of: Vec<String>,
    /// None of these.
    pub none_of: Vec<String>,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            text: String::new(),
            filters: Vec::new(),
            facet_clauses: Vec::new(),
            bbox: None,
            modified_since: None,
            modified_until: None,
            changed_since: None,
            changed_until: None,
            after_id: None,
            before_id: None,
            after_hit: None,
            ids: Vec::new(),
            identifiers: Vec::new(),
            temporal: None,
            min_quality: None,
            max_quality: None,
            sort: SortOrder::default(),
            offset: 0,
            limit: 20,
            facets: true,
            requirements: None,
        }
    }
}

/// How many records have one facet value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FacetCount {
    /// The value, as indexed.
    pub value: String,
    /// The number of records with the value.
    pub count: u64,
}

/// One found record, with what a result list shows.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// The record id.
    pub id: String,
    /// The resource IRI.
    pub iri: String,
    /// The record kind.
    pub kind: Kind,
    /// The display title.
    pub title: String,
    /// The start of the display description (about 300 characters, cut at a word).
    pub description: String,
    /// When the resource was last modified (to the second).
    pub modified: Option<DateTime<Utc>>,
    /// The relevance score (1 for every hit when there is no query text).
    pub score: f32,
    /// The metadata-quality score on the MQA's scale of 405 points, when the record has one.
    pub quality: Option<u32>,
    /// The record's requirement terms (`ldtcat_compat::Requirement::term`).
    pub requirements: Vec<String>,
    /// Every title, with its language.
    pub titles: Vec<LangString>,
    /// The start of every description, without markup, with its language (about 300
    /// characters, cut at a word).
    pub descriptions: Vec<LangString>,
}

/// One page of hits, the total match count and the facet counts of the matches.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    /// How many records match (not just on this page).
    pub total: usize,
    /// The requested page of hits.
    pub hits: Vec<SearchHit>,
    /// For every facet field, in [`FacetField::ALL`] order: the value counts over all
    /// matches, by count descending then value, at most [`MAX_FACET_VALUES`] each.
    pub facets: Vec<(FacetField, Vec<FacetCount>)>,
}

/// How many values per facet field [`SearchResults::facets`] holds at most.
pub const MAX_FACET_VALUES: usize = 50;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facet_fields_round_trip_through_their_names() {
        for field in FacetField::ALL {
            assert_eq!(field.as_str().parse::<FacetField>(), Ok(field));
            assert_eq!(field.to_string(), field.as_str());
        }
        assert_eq!(
            "license".parse::<FacetField>(),
            Err(UnknownFacetField("license".to_owned()))
        );
    }

    #[test]
    fn default_request_matches_everything_twenty_at_a_time() {
        let request = SearchRequest::default();
        assert!(request.text.is_empty());
        assert_eq!(request.limit, 20);
        assert_eq!(request.sort, SortOrder::Relevance);
    }
}
