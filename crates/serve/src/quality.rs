//! Metadata quality where people and machines read it: `/api/quality` (one record's score,
//! dimensions, indicators and findings; or a source's, or the whole catalogue's, distribution
//! of scores and most frequent findings), the record page's quality section, and the W3C DQV
//! statements in a record's RDF.
//!
//! A record's assessment (`ldtcat_quality::assess`) is a pure function of its stored
//! statements and the embedded shapes; the index keeps its score and finding kinds (for
//! filtering, sorting and counting), and what is shown here is recomputed from the same
//! statements, so the two always agree.

use axum::extract::{Query, State};
use axum::Json;
use ldtcat_model::summary::mqa_points;
use ldtcat_quality::score::rating;
use ldtcat_quality::{Assessment, Severity};
use ldtcat_store::StoredRecord;
use ldtcat_vocab::Kind;
use oxrdf::vocab::{rdf, xsd};
use oxrdf::{BlankNode, Literal, NamedNode, Triple};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use crate::error::{ApiError, ServeError};
use crate::i18n::Messages;
use crate::state::{blocking, AppState};

const DQV: &str = "http://www.w3.org/ns/dqv#";
const OA: &str = "http://www.w3.org/ns/oa#";
const SH: &str = "http://www.w3.org/ns/shacl#";
/// The namespace of ldtcat's quality metrics: one per indicator of `vocab/quality.md`, one per
/// dimension (`findability`, ...), `score` for the total and `{group}Findings` counts.
pub(crate) const METRIC: &str = "https://w3id.org/ldtcat/quality#";

/// How many assessments [`assess_record`] keeps (about 10 kB each).
const CACHED_ASSESSMENTS: usize = 4_096;

/// What an assessment depends on besides the embedded shapes: the stored description (by its
/// canonical hash, which covers the resource IRI), the kind, what was corrected at ingest and
/// the last checks of its URLs.
type AssessmentKey = (String, bool, Vec<String>, Vec<ldtcat_quality::LinkCheck>);

/// Assessments of the records shown lately, so that a record's page, its RDF and
/// `/api/quality?record=` validate it once while it is unchanged (a changed description has
/// another hash). Forgotten all at once when full.
static ASSESSMENTS: LazyLock<Mutex<HashMap<AssessmentKey, Arc<Assessment>>>> =
    LazyLock::new(Mutex::default);

/// The assessment of a stored record.
pub(crate) fn assess_record(record: &StoredRecord) -> Arc<Assessment> {
    let corrections = record.corrections();
    let repairs = record.repairs();
    let key: AssessmentKey = (
        record.hash.clone(),
        record.kind == Kind::Model,
        corrections
            .iter()
            .map(|c| c.original_ntriples())
            .chain(repairs.iter().map(|r| r.to_provenance()))
            .collect(),
        record.links.clone(),
    );
    if let Some(found) = ASSESSMENTS
        .lock()
        .ok()
        .and_then(|cache| cache.get(&key).cloned())
    {
        return found;
    }
    let corrected = ldtcat_model::extract::corrected_values(&corrections, &repairs);
    let assessment = Arc::new(ldtcat_quality::assess(
        &record.triples,
        &record.iri,
        record.kind == Kind::Model,
        &corrected,
        &record.links,
    ));
    if let Ok(mut cache) = ASSESSMENTS.lock() {
        if cache.len() >= CACHED_ASSESSMENTS {
            cache.clear();
        }
        cache.insert(key, Arc::clone(&assessment));
    }
    assessment
}

/// `/api/quality` parameters: `record` (an id), or `source` (an id), or neither (everything).
#[derive(Debug, Deserialize)]
pub(crate) struct QualityQuery {
    record: Option<String>,
    source: Option<String>,
}

/// One indicator, as JSON.
#[derive(Debug, Serialize)]
struct IndicatorJson {
    id: &'static str,
    dimension: &'static str,
    points: u32,
    max: u32,
    /// `false` for the indicators that need the network while the record's URLs were not
    /// checked: not counted as failed.
    measured: bool,
    passed: bool,
}

/// One dimension, as JSON.
#[derive(Debug, Serialize)]
struct DimensionJson {
    name: &'static str,
    points: u32,
    max: u32,
    max_measured: u32,
}

/// One finding, as JSON.
#[derive(Debug, Serialize)]
struct FindingJson {
    /// The shapes: `mandatory`, `recommended`, `range`, `vocabularies`, `deprecated`,
    /// `mldcat-ap`; or `corrected` (values corrected at ingest), `links` (unreachable URLs).
    group: &'static str,
    severity: &'static str,
    focus_node: String,
    path: Option<String>,
    component: &'static str,
    value: Option<String>,
    message: String,
}

/// `/api/quality?record=`.
#[derive(Debug, Serialize)]
struct RecordQualityJson {
    record: String,
    iri: String,
    score: u32,
    max: u32,
    max_measured: u32,
    /// The score scaled from `max_measured` to the MQA's 405 points: what search filters and
    /// sorts by.
    mqa_points: u32,
    /// The MQA's rating of `mqa_points`.
    rating: &'static str,
    dimensions: Vec<DimensionJson>,
    indicators: Vec<IndicatorJson>,
    findings: Vec<FindingJson>,
    shapes_version: &'static str,
}

/// A range of scores and how many records have one in it.
#[derive(Debug, Serialize)]
struct BucketJson {
    from: u32,
    to: u32,
    count: usize,
}

/// A kind of finding and how many records have it.
#[derive(Debug, Serialize)]
struct FindingCountJson {
    finding: String,
    records: u64,
}

/// `/api/quality?source=` and `/api/quality`.
#[derive(Debug, Serialize)]
struct CatalogueQualityJson {
    /// The source, or `null` for the whole catalogue.
    source: Option<String>,
    records: usize,
    /// Records with a score (all, once indexed with this version).
    scored: usize,
    /// Their mean score (out of `out_of`), `null` when none is scored.
    mean: Option<f64>,
    /// 405: every record's score is scaled from what was measured of it to the MQA's scale.
    out_of: u32,
    /// By the MQA's ratings of those scores: `Excellent`, `Good`, `Sufficient`, `Bad`.
    ratings: Vec<(&'static str, usize)>,
    /// Scores in ranges of 45 points.
    distribution: Vec<BucketJson>,
    /// The most frequent kinds of finding (`mandatory dct:description MinCount`).
    findings: Vec<FindingCountJson>,
    /// A source's quality at the end of each of its last harvest runs, newest first (empty
    /// for the whole catalogue).
    trend: Vec<TrendJson>,
    shapes_version: &'static str,
}

/// A source's quality when one of its harvest runs ended.
#[derive(Debug, Serialize)]
struct TrendJson {
    run: String,
    ended: Option<String>,
    status: &'static str,
    scored: u64,
    mean: f64,
    /// Records per rating, as in `ratings`.
    ratings: Vec<(&'static str, u64)>,
}

/// How many runs a source's trend has at most.
pub(crate) const TREND_RUNS: usize = 30;

/// The MQA's rating of a score out of `max_measured`, scaled to the MQA's 405 points (the
/// network indicators are measured only for records whose URLs were checked).
pub(crate) fn scaled_rating(score: u32, max_measured: u32) -> &'static str {
    rating(mqa_points(score, max_measured))
}

fn record_json(record: &StoredRecord, assessment: &Assessment) -> RecordQualityJson {
    let score = &assessment.score;
    RecordQualityJson {
        record: record.id.clone(),
        iri: record.iri.clone(),
        score: score.total,
        max: score.max,
        max_measured: score.max_measured,
        mqa_points: mqa_points(score.total, score.max_measured),
        rating: scaled_rating(score.total, score.max_measured),
        dimensions: score
            .dimensions
            .iter()
            .map(|d| DimensionJson {
                name: d.dimension.name(),
                points: d.points,
                max: d.max,
                max_measured: d.max_measured,
            })
            .collect(),
        indicators: score
            .indicators
            .iter()
            .map(|i| IndicatorJson {
                id: i.id,
                dimension: i.dimension.name(),
                points: i.points,
                max: i.max,
                measured: i.measured,
                passed: i.passed,
            })
            .collect(),
        findings: assessment
            .findings
            .iter()
            .map(|grouped| {
                let finding = &grouped.finding;
                FindingJson {
                    group: grouped.group.as_str(),
                    severity: severity_name(finding.severity),
                    focus_node: finding.focus_node.to_string(),
                    path: finding.result_path.clone(),
                    component: finding.component_name(),
                    value: finding.value.as_ref().map(ToString::to_string),
                    message: finding.message(),
                }
            })
            .collect(),
        shapes_version: ldtcat_quality::shapes_version(),
    }
}

/// A rating's name in the interface's language (`quality.rating_excellent`, ...).
pub(crate) fn rating_label(rating: &str, t: &'static Messages) -> &'static str {
    t.get(&format!("quality.rating_{}", rating.to_ascii_lowercase()))
}

/// A finding's sentence in the catalogue's language (section `[finding]` of the message
/// catalogues; the English there is `ldtcat_quality::ENGLISH`).
pub(crate) fn finding_text(finding: &ldtcat_quality::Finding, t: &Messages) -> String {
    finding
        .sentence
        .render(&|key| Some(t.get(&format!("finding.{key}")).to_owned()))
}

pub(crate) fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Violation => "violation",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// A source's (or the catalogue's) report, as the index counts it.
fn catalogue_json(
    state: &AppState,
    source: Option<String>,
) -> Result<CatalogueQualityJson, ServeError> {
    let report = state.index.quality_report(source.as_deref())?;
    if source.is_some() && report.records == 0 {
        return Err(ServeError::bad_parameter(
            "source",
            "no record of this source is catalogued",
        ));
    }
    let runs = match &source {
        Some(id) => state.store.runs_of_source(id, TREND_RUNS)?,
        None => Vec::new(),
    };
    let trend = runs
        .iter()
        .filter_map(|run| {
            let quality = run.quality.as_ref()?;
            Some(TrendJson {
                run: run.run_id.clone(),
                ended: run.ended_at.map(|t| t.to_rfc3339()),
                status: run.status.as_str(),
                scored: quality.scored,
                mean: quality.mean,
                ratings: ldtcat_index::RATINGS
                    .iter()
                    .map(|(name, _)| *name)
                    .zip(quality.ratings)
                    .collect(),
            })
        })
        .collect();
    Ok(CatalogueQualityJson {
        source,
        records: report.records,
        scored: report.scored,
        mean: report.mean,
        out_of: 405,
        trend,
        ratings: report.ratings,
        distribution: report
            .distribution
            .into_iter()
            .map(|(from, to, count)| BucketJson { from, to, count })
            .collect(),
        findings: report
            .findings
            .into_iter()
            .map(|count| FindingCountJson {
                finding: count.value,
                records: count.count,
            })
            .collect(),
        shapes_version: ldtcat_quality::shapes_version(),
    })
}

/// `GET /api/quality[?record=ID | ?source=ID]`.
pub(crate) async fn quality(
    State(state): State<Arc<AppState>>,
    Query(query): Query<QualityQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let json = |value: Result<serde_json::Value, serde_json::Error>| {
        value.map_err(|error| ServeError::Serialization(error.to_string()))
    };
    let value = blocking(move || {
        if let Some(id) = query.record {
            let Some(record) = state.store.record(&id)? else {
                return Err(ServeError::RecordNotFound { id });
            };
            if record.deleted_at.is_some() {
                return Err(ServeError::RecordNotFound { id });
            }
            let assessment = assess_record(&record);
            return json(serde_json::to_value(record_json(&record, &assessment)));
        }
        json(serde_json::to_value(catalogue_json(&state, query.source)?))
    })
    .await?;
    Ok(Json(value))
}

/// The assessment as W3C DQV statements about the resource `iri`: one
/// `dqv:QualityMeasurement` for the score, each dimension, each measured indicator and the
/// number of findings of each group, and one `dqv:QualityAnnotation` per finding.
pub(crate) fn dqv_triples(iri: &str, assessment: &Assessment) -> Vec<Triple> {
    let resource = NamedNode::new_unchecked(iri);
    let dqv = |local: &str| NamedNode::new_unchecked(format!("{DQV}{local}"));
    let metric = |local: &str| NamedNode::new_unchecked(format!("{METRIC}{local}"));
    let mut triples = Vec::new();
    let mut counter = 0_usize;
    let mut node = || {
        counter += 1;
        BlankNode::new_unchecked(format!("quality{counter}"))
    };
    let mut measurement = |triples: &mut Vec<Triple>, of: &str, value: u64| {
        let m = node();
        triples.push(Triple::new(
            resource.clone(),
            dqv("hasQualityMeasurement"),
            m.clone(),
        ));
        triples.push(Triple::new(m.clone(), rdf::TYPE, dqv("QualityMeasurement")));
        triples.push(Triple::new(m.clone(), dqv("computedOn"), resource.clone()));
        triples.push(Triple::new(m.clone(), dqv("isMeasurementOf"), metric(of)));
        triples.push(Triple::new(
            m,
            dqv("value"),
            Literal::new_typed_literal(value.to_string(), xsd::INTEGER),
        ));
    };
    let score = &assessment.score;
    measurement(&mut triples, "score", u64::from(score.total));
    for dimension in &score.dimensions {
        let name = dimension.dimension.name().to_ascii_lowercase();
        measurement(&mut triples, &name, u64::from(dimension.points));
    }
    for indicator in score.indicators.iter().filter(|i| i.measured) {
        measurement(&mut triples, indicator.id, u64::from(indicator.points));
    }
    for group in ldtcat_quality::ShapeGroup::ALL {
        let findings = assessment
            .findings
            .iter()
            .filter(|f| f.group == group)
            .count();
        let local = format!("{}Findings", group.as_str().replace('-', ""));
        measurement(&mut triples, &local, findings as u64);
    }
    let oa = |local: &str| NamedNode::new_unchecked(format!("{OA}{local}"));
    for (index, grouped) in assessment.findings.iter().enumerate() {
        let annotation = BlankNode::new_unchecked(format!("finding{index}"));
        let finding = &grouped.finding;
        triples.push(Triple::new(
            resource.clone(),
            dqv("hasQualityAnnotation"),
            annotation.clone(),
        ));
        triples.push(Triple::new(
            annotation.clone(),
            rdf::TYPE,
            dqv("QualityAnnotation"),
        ));
        triples.push(Triple::new(
            annotation.clone(),
            oa("motivatedBy"),
            dqv("qualityAssessment"),
        ));
        if let Some(target) = match &finding.focus_node {
            oxrdf::Term::NamedNode(n) => Some(n.clone()),
            _ => None,
        } {
            triples.push(Triple::new(annotation.clone(), oa("hasTarget"), target));
        } else {
            triples.push(Triple::new(
                annotation.clone(),
                oa("hasTarget"),
                resource.clone(),
            ));
        }
        triples.push(Triple::new(
            annotation.clone(),
            oa("bodyValue"),
            Literal::new_simple_literal(format!(
                "{}: {}",
                grouped.group.as_str(),
                finding.message()
            )),
        ));
        triples.push(Triple::new(
            annotation.clone(),
            NamedNode::new_unchecked(format!("{SH}resultSeverity")),
            NamedNode::new_unchecked(finding.severity.iri()),
        ));
        triples.push(Triple::new(
            annotation,
            NamedNode::new_unchecked(format!("{SH}sourceConstraintComponent")),
            NamedNode::new_unchecked(finding.component),
        ));
    }
    triples
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(hash: &str, title: &str) -> StoredRecord {
        let iri = "https://example.org/d";
        let triple = |p: &str, o: oxrdf::Term| {
            Triple::new(
                NamedNode::new_unchecked(iri),
                NamedNode::new_unchecked(p),
                o,
            )
        };
        StoredRecord {
            id: "d".to_owned(),
            iri: iri.to_owned(),
            kind: Kind::Dataset,
            rule: String::new(),
            hash: hash.to_owned(),
            issued: None,
            modified: None,
            last_seen: None,
            primary_source: "s".to_owned(),
            deleted_at: None,
            provenance: Vec::new(),
            origin: None,
            links: Vec::new(),
            triples: vec![
                triple(
                    rdf::TYPE.as_str(),
                    NamedNode::new_unchecked("http://www.w3.org/ns/dcat#Dataset").into(),
                ),
                triple(
                    "http://purl.org/dc/terms/title",
                    Literal::new_simple_literal(title).into(),
                ),
            ],
        }
    }

    #[test]
    fn an_unchanged_record_is_assessed_once_and_a_changed_one_again() {
        let first = assess_record(&record("cache-test-1", "Air"));
        let again = assess_record(&record("cache-test-1", "Air"));
        assert!(
            Arc::ptr_eq(&first, &again),
            "the same description: one assessment"
        );
        let changed = assess_record(&record("cache-test-2", "Air"));
        assert!(
            !Arc::ptr_eq(&first, &changed),
            "another hash: assessed again"
        );
        assert_eq!(*first, *changed, "the same statements: the same findings");
    }

    #[test]
    fn findings_are_said_in_the_visitors_language_and_the_english_is_the_engines() {
        let english = Messages::of("en");
        for (key, text) in ldtcat_quality::ENGLISH {
            assert_eq!(english.get(&format!("finding.{key}")), *text, "{key}");
        }
        // The record has no description: a mandatory finding, in French and in Dutch.
        let assessment = assess_record(&record("sentences", "Air"));
        let missing = assessment
            .findings
            .iter()
            .find(|f| f.key() == "mandatory dct:description MinCount")
            .expect("finding");
        assert_eq!(
            missing.finding.message(),
            "dct:description is missing (at least 1 required)"
        );
        assert_eq!(
            finding_text(&missing.finding, english),
            missing.finding.message()
        );
        assert_eq!(
            finding_text(&missing.finding, Messages::of("fr")),
            "dct:description manque (au moins 1 requis)"
        );
        assert_eq!(
            finding_text(&missing.finding, Messages::of("nl")),
            "dct:description ontbreekt (minstens 1 vereist)"
        );
    }
}
