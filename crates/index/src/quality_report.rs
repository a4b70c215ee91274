//! A source's (or the whole catalogue's) metadata quality as the index counts it: records per
//! MQA rating, the distribution of scores and the most frequent kinds of finding. Read by
//! `/api/quality?source=` and by `ldtcat quality <source>`.

use crate::request::{FacetCount, FacetField, FacetFilter, SearchRequest};
use crate::{CatalogIndex, IndexError};

/// The width of a bucket of [`QualityReport::distribution`], in points.
pub const BUCKET_POINTS: u32 = 45;

/// The MQA's ratings and where they start (out of 405): `Excellent` from 351, `Good` from
/// 221, `Sufficient` from 121, `Bad` below.
pub const RATINGS: [(&str, u32); 4] = [
    ("Excellent", 351),
    ("Good", 221),
    ("Sufficient", 121),
    ("Bad", 0),
];

/// What [`CatalogIndex::quality_report`] counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QualityReport {
    /// Records of the source (or of the catalogue).
    pub records: usize,
    /// Those with a score.
    pub scored: usize,
    /// Records per rating of [`RATINGS`], in that order.
    pub ratings: Vec<(&'static str, usize)>,
    /// `(from, to, records)`: scores in ranges of [`BUCKET_POINTS`], from 0 to 405.
    pub distribution: Vec<(u32, u32, usize)>,
    /// The most frequent kinds of finding, most frequent first.
    pub findings: Vec<FacetCount>,
}

impl CatalogIndex {
    /// The quality report of the records of `source` (all records when `None`). Ratings are
    /// of the score scaled from `max_measured` (the points ldtcat can measure) to the MQA's
    /// 405, as the record page rates one record.
    pub fn quality_report(
        &self,
        source: Option<&str>,
        max_measured: u32,
    ) -> Result<QualityReport, IndexError> {
        let filters: Vec<FacetFilter> = source
            .iter()
            .map(|value| FacetFilter {
                field: FacetField::Source,
                value: (*value).to_owned(),
            })
            .collect();
        let count = |min: Option<u32>, max: Option<u32>| -> Result<usize, IndexError> {
            let request = SearchRequest {
                filters: filters.clone(),
                min_quality: min,
                max_quality: max,
                limit: 0,
                facets: false,
                ..SearchRequest::default()
            };
            Ok(self.search(&request)?.total)
        };
        // The lowest score whose scaled value reaches a rating's start.
        let raw = |scaled: u32| (u64::from(scaled) * u64::from(max_measured)).div_ceil(405);
        let raw = |scaled: u32| u32::try_from(raw(scaled)).unwrap_or(u32::MAX);
        let mut ratings = Vec::with_capacity(RATINGS.len());
        let mut upper: Option<u32> = None;
        for (name, from) in RATINGS {
            let lower = raw(from);
            ratings.push((name, count(Some(lower), upper)?));
            upper = lower.checked_sub(1);
        }
        let mut distribution = Vec::new();
        for from in (0..405).step_by(BUCKET_POINTS as usize) {
            // The last range ends at 405 itself.
            let to =
                (from + BUCKET_POINTS - 1).max(if from + BUCKET_POINTS >= 405 { 405 } else { 0 });
            distribution.push((from, to, count(Some(from), Some(to))?));
        }
        let request = SearchRequest {
            filters: filters.clone(),
            limit: 0,
            ..SearchRequest::default()
        };
        let findings = self
            .search_with_facets(&request, &[FacetField::Finding])?
            .facets
            .into_iter()
            .flat_map(|(_, counts)| counts)
            .collect();
        Ok(QualityReport {
            records: count(None, None)?,
            scored: count(Some(0), None)?,
            ratings,
            distribution,
            findings,
        })
    }
}
