//! A source's (or the whole catalogue's) metadata quality as the index counts it: records per
//! MQA rating, the distribution of scores and the most frequent kinds of finding. Read by
//! `/api/quality?source=` and by `ldtcat quality <source>`.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::query::request_query;
use crate::request::{FacetCount, FacetField, FacetFilter, SearchRequest};
use crate::schema::QUALITY;
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

/// The scores (out of 405, as the index keeps them) of each rating of [`RATINGS`]:
/// `(rating, lowest score, highest score)`, the first without a highest.
pub fn rating_bounds() -> Vec<(&'static str, u32, Option<u32>)> {
    let mut upper: Option<u32> = None;
    RATINGS
        .into_iter()
        .map(|(name, lower)| {
            let bounds = (name, lower, upper);
            upper = lower.checked_sub(1);
            bounds
        })
        .collect()
}

/// What [`CatalogIndex::quality_report`] counts.
#[derive(Debug, Clone, PartialEq)]
pub struct QualityReport {
    /// Records of the source (or of the catalogue).
    pub records: usize,
    /// Those with a score.
    pub scored: usize,
    /// The mean score of those with one (out of 405), `None` without any.
    pub mean: Option<f64>,
    /// Records per rating of [`RATINGS`], in that order.
    pub ratings: Vec<(&'static str, usize)>,
    /// `(from, to, records)`: scores in ranges of [`BUCKET_POINTS`], from 0 to 405.
    pub distribution: Vec<(u32, u32, usize)>,
    /// The most frequent kinds of finding, most frequent first.
    pub findings: Vec<FacetCount>,
}

impl CatalogIndex {
    /// The quality report of the records of `source` (all records when `None`), of the
    /// scores the index keeps: each record's points scaled from what was measured of it to
    /// the MQA's 405 (`ldtcat_model::RecordQuality::mqa_points`), as the record page rates
    /// one record.
    pub fn quality_report(&self, source: Option<&str>) -> Result<QualityReport, IndexError> {
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
        let mut ratings = Vec::with_capacity(RATINGS.len());
        for (name, lower, upper) in rating_bounds() {
            ratings.push((name, count(Some(lower), upper)?));
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
        let query = request_query(&self.parser, &self.fields, &request);
        let (sum, scored) = self
            .reader
            .searcher()
            .search(query.as_ref(), &ScoreSum)
            .map_err(|source| self.tantivy_error("sum the quality scores", source))?;
        Ok(QualityReport {
            records: count(None, None)?,
            scored: count(Some(0), None)?,
            mean: (scored > 0).then(|| sum as f64 / scored as f64),
            ratings,
            distribution,
            findings,
        })
    }
}

/// Sums the quality scores of the matching records that have one: `(sum, records)`.
struct ScoreSum;

/// [`ScoreSum`] over one segment.
struct SegmentScoreSum {
    scores: Column<u64>,
    sum: u64,
    scored: u64,
}

impl Collector for ScoreSum {
    type Fruit = (u64, u64);
    type Child = SegmentScoreSum;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentScoreSum> {
        Ok(SegmentScoreSum {
            scores: reader.fast_fields().u64(QUALITY)?,
            sum: 0,
            scored: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<(u64, u64)>) -> tantivy::Result<(u64, u64)> {
        Ok(fruits
            .into_iter()
            .fold((0, 0), |(sum, n), (s, k)| (sum + s, n + k)))
    }
}

impl SegmentCollector for SegmentScoreSum {
    type Fruit = (u64, u64);

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(score) = self.scores.first(doc) {
            self.sum += score;
            self.scored += 1;
        }
    }

    fn harvest(self) -> (u64, u64) {
        (self.sum, self.scored)
    }
}
