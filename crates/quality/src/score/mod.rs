//! An MQA-style score for one record: the data.europa.eu Metadata Quality Assessment's
//! indicators, points and dimensions (405 points), measured on the record's statements.
//! `vocab/quality.md` documents every indicator and how ldtcat measures it.
//!
//! The two indicators that need the network (the HTTP status of the access and download URLs)
//! are measured from the last link checks given ([`crate::LinkCheck`]); without a check they
//! are reported `measured: false`: they count neither as passed nor as failed, and
//! [`Score::max_measured`] leaves them out.

mod formats;
mod indicators;
mod record;

use oxrdf::{Term, Triple};

use crate::finding::Finding;
use crate::graph::DataGraph;
use crate::links::LinkCheck;
pub use formats::{format_traits, FormatTraits};
pub use indicators::INDICATORS;
use record::RecordView;

/// The five MQA dimensions, after the FAIR principles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    /// Can people and machines find the dataset?
    Findability,
    /// Can the data be reached?
    Accessibility,
    /// Can the data be combined with other data?
    Interoperability,
    /// May and can the data be reused?
    Reusability,
    /// Is there context to judge the data by?
    Contextuality,
}

impl Dimension {
    /// Every dimension, in the MQA's order.
    pub const ALL: [Dimension; 5] = [
        Dimension::Findability,
        Dimension::Accessibility,
        Dimension::Interoperability,
        Dimension::Reusability,
        Dimension::Contextuality,
    ];

    /// The English name.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Findability => "Findability",
            Dimension::Accessibility => "Accessibility",
            Dimension::Interoperability => "Interoperability",
            Dimension::Reusability => "Reusability",
            Dimension::Contextuality => "Contextuality",
        }
    }
}

/// The result of one indicator for one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorResult {
    /// The indicator's id (`keyword`, `dcat_ap_compliance`, ...), as in `vocab/quality.md`.
    pub id: &'static str,
    /// Its dimension.
    pub dimension: Dimension,
    /// The points given: `max` when passed, else 0.
    pub points: u32,
    /// The points the MQA gives this indicator.
    pub max: u32,
    /// `false` when ldtcat cannot measure it without the network; then `passed` is `false`
    /// and `points` 0, but it is not a failure.
    pub measured: bool,
    /// Whether the record meets the indicator.
    pub passed: bool,
}

/// The points of one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DimensionScore {
    /// The dimension.
    pub dimension: Dimension,
    /// The points given.
    pub points: u32,
    /// The MQA maximum of the dimension.
    pub max: u32,
    /// The maximum of the indicators ldtcat measures.
    pub max_measured: u32,
}

/// A record's score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    /// Per dimension, in the MQA's order.
    pub dimensions: Vec<DimensionScore>,
    /// Per indicator, in the order of [`INDICATORS`].
    pub indicators: Vec<IndicatorResult>,
    /// The points given.
    pub total: u32,
    /// The MQA maximum, 405.
    pub max: u32,
    /// The maximum of the indicators ldtcat measures (405 less the network indicators).
    pub max_measured: u32,
}

/// Scores the record `record` (a `dcat:Dataset`, or any resource with distributions) from its
/// statements; `mandatory_findings` are the results of the DCAT-AP mandatory shapes
/// ([`crate::ShapeSet::dcat_ap_mandatory`]) on the same statements, `links` the last checks
/// of its URLs.
pub fn score(
    triples: &[Triple],
    record: &Term,
    mandatory_findings: &[Finding],
    links: &[LinkCheck],
) -> Score {
    score_graph(&DataGraph::new(triples), record, mandatory_findings, links)
}

/// The most points ldtcat measures without link checks: 405 less the indicators that need the
/// network.
pub fn max_measured() -> u32 {
    static MAX: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *MAX.get_or_init(|| {
        let nothing = Term::NamedNode(oxrdf::NamedNode::new_unchecked("urn:ldtcat:nothing"));
        score(&[], &nothing, &[], &[]).max_measured
    })
}

/// [`score`] over an already indexed graph.
pub(crate) fn score_graph<'a>(
    graph: &DataGraph<'a>,
    record: &'a Term,
    mandatory_findings: &[Finding],
    links: &[LinkCheck],
) -> Score {
    let view = RecordView::new(graph, record.as_ref(), links);
    let indicators: Vec<IndicatorResult> = INDICATORS
        .iter()
        .map(|indicator| {
            let outcome = (indicator.measure)(&view, mandatory_findings);
            let passed = outcome == Some(true);
            IndicatorResult {
                id: indicator.id,
                dimension: indicator.dimension,
                points: if passed { indicator.max } else { 0 },
                max: indicator.max,
                measured: outcome.is_some(),
                passed,
            }
        })
        .collect();
    let dimensions: Vec<DimensionScore> = Dimension::ALL
        .iter()
        .map(|dimension| {
            let of_dimension = indicators
                .iter()
                .filter(|result| result.dimension == *dimension);
            DimensionScore {
                dimension: *dimension,
                points: of_dimension.clone().map(|result| result.points).sum(),
                max: of_dimension.clone().map(|result| result.max).sum(),
                max_measured: of_dimension
                    .filter(|result| result.measured)
                    .map(|result| result.max)
                    .sum(),
            }
        })
        .collect();
    Score {
        total: dimensions.iter().map(|dimension| dimension.points).sum(),
        max: dimensions.iter().map(|dimension| dimension.max).sum(),
        max_measured: dimensions
            .iter()
            .map(|dimension| dimension.max_measured)
            .sum(),
        dimensions,
        indicators,
    }
}

/// The MQA's rating of a total out of 405: "Excellent" from 351, "Good" from 221,
/// "Sufficient" from 121, else "Bad".
pub fn rating(total: u32) -> &'static str {
    match total {
        351.. => "Excellent",
        221..=350 => "Good",
        121..=220 => "Sufficient",
        _ => "Bad",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{validate, ShapeSet};
    use crate::{LinkCheck, LinkOutcome};
    use oxrdf::{NamedNode, Triple};
    use oxrdfio::{RdfFormat, RdfParser};

    const COMPLETE_RECORD: &str = r#"
        @prefix dcat: <http://www.w3.org/ns/dcat#> .
        @prefix dct: <http://purl.org/dc/terms/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <https://example.org/d> a dcat:Dataset ;
            dct:title "Air quality"@en ; dct:description "Hourly NO2"@en ;
            dcat:keyword "air"@en ; dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
            dct:spatial <http://sws.geonames.org/2803138/> ;
            dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2020-01-01"^^xsd:date ] ;
            dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;
            dcat:contactPoint [ a <http://www.w3.org/2006/vcard/ns#Kind> ] ;
            dct:publisher <https://example.org/city> ;
            dct:issued "2020-01-01"^^xsd:date ; dct:modified "2024-01-01"^^xsd:date ;
            dcat:distribution <https://example.org/d/csv> .
        <https://example.org/d/csv> a dcat:Distribution ;
            dcat:accessURL <https://example.org/d.csv> ; dcat:downloadURL <https://example.org/d.csv> ;
            dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
            dcat:mediaType <http://www.iana.org/assignments/media-types/text/csv> ;
            dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> ; dct:rights [ a dct:RightsStatement ] ;
            dcat:byteSize "1024"^^xsd:decimal .
    "#;

    #[test]
    fn a_complete_record_gets_every_measured_point_and_the_network_ones_are_unmeasured() {
        let triples = complete_record();
        let findings = validate(ShapeSet::dcat_ap_mandatory(), &triples);
        let record = Term::from(NamedNode::new_unchecked("https://example.org/d"));
        let result = score(&triples, &record, &findings, &[]);
        let failed: Vec<_> = result
            .indicators
            .iter()
            .filter(|indicator| indicator.measured && !indicator.passed)
            .map(|indicator| indicator.id)
            .collect();
        assert!(failed.is_empty(), "{failed:?}, findings {findings:#?}");
        assert_eq!(
            (result.total, result.max_measured, result.max),
            (325, 325, 405)
        );
        let unmeasured: Vec<_> = result
            .indicators
            .iter()
            .filter(|i| !i.measured)
            .map(|i| i.id)
            .collect();
        assert_eq!(unmeasured, ["access_url_status", "download_url_status"]);
        // Without the 80 network points, the best rating a record can reach here is "Good".
        assert_eq!(rating(result.total), "Good");
    }

    fn complete_record() -> Vec<Triple> {
        RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(COMPLETE_RECORD)
            .map(|quad| quad.map(Triple::from))
            .collect::<Result<_, _>>()
            .expect("parses")
    }

    fn check(url: &str, outcome: LinkOutcome) -> LinkCheck {
        LinkCheck {
            url: url.to_owned(),
            outcome,
            checked: "2026-12-02T08:00:00Z".to_owned(),
        }
    }

    #[test]
    fn checked_links_are_measured_and_every_checked_one_must_answer() {
        let triples = complete_record();
        let findings = validate(ShapeSet::dcat_ap_mandatory(), &triples);
        let record = Term::from(NamedNode::new_unchecked("https://example.org/d"));
        let measured = |links: &[LinkCheck]| {
            let result = score(&triples, &record, &findings, links);
            let status: Vec<(bool, bool)> = result
                .indicators
                .iter()
                .filter(|i| i.id.ends_with("_status"))
                .map(|i| (i.measured, i.passed))
                .collect();
            (result.total, result.max_measured, status)
        };
        // A check of a URL the record does not give changes nothing.
        let elsewhere = [check(
            "https://example.org/other.csv",
            LinkOutcome::Status(200),
        )];
        assert_eq!(measured(&elsewhere), (325, 325, vec![(false, false); 2]));
        let fine = [check("https://example.org/d.csv", LinkOutcome::Status(200))];
        assert_eq!(measured(&fine), (405, 405, vec![(true, true); 2]));
        assert_eq!(rating(405), "Excellent");
        let redirect = [check("https://example.org/d.csv", LinkOutcome::Status(302))];
        assert_eq!(measured(&redirect).0, 405);
        for outcome in [
            LinkOutcome::Status(404),
            LinkOutcome::Status(503),
            LinkOutcome::Failed("timed out".to_owned()),
        ] {
            let broken = [check("https://example.org/d.csv", outcome)];
            assert_eq!(measured(&broken), (325, 405, vec![(true, false); 2]));
        }
    }
}
