//! One record's whole assessment, as ingest, the pages and the API use it: every shape set
//! that applies (the DCAT-AP 3.0.0 mandatory, recommended, range, vocabulary and deprecation
//! shapes; the MLDCAT-AP 3.1.0 shapes for models), each reported apart, the values corrected
//! at ingest (ill-typed literals, repaired IRIs and language tags), and the score.
//!
//! A pure function of the record's statements and the embedded shapes
//! ([`crate::shapes_version`]): what is computed at ingest (the score and finding keys the
//! index keeps) is what a page recomputes from the stored statements.

use oxrdf::{NamedNode, Term, Triple};

use crate::graph::DataGraph;
use crate::links::{unreachable_findings, LinkCheck};
use crate::score::{score_graph, Score};
use crate::terms::{short_iri, short_term};
use crate::validate::validate_graph;
use crate::{Finding, Sentence, Severity, ShapeSet};

/// Which shapes a finding comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ShapeGroup {
    /// DCAT-AP 3.0.0 `shapes.ttl`: mandatory properties and cardinalities.
    Mandatory,
    /// DCAT-AP 3.0.0 `shapes_recommended.ttl`: recommended properties.
    Recommended,
    /// DCAT-AP 3.0.0 `range.ttl`: the classes of linked nodes (most real data fails these,
    /// as linked nodes seldom carry a type).
    Range,
    /// DCAT-AP 3.0.0 `mdr-vocabularies.shape.ttl`: values from the EU controlled vocabularies.
    Vocabularies,
    /// DCAT-AP 3.0.0 `deprecateduris.ttl`: deprecated terms.
    Deprecated,
    /// MLDCAT-AP 3.1.0, for machine-learning models.
    MlDcatAp,
    /// Not shapes: values ldtcat corrected at ingest ([`Corrected`]): literals the source
    /// gave ill-typed (`"2014"^^xsd:date`), IRIs repaired, language tags that are not BCP 47.
    Corrected,
    /// Not shapes: access and download URLs that a link check found unreachable
    /// ([`crate::LinkCheck`]).
    Links,
}

impl ShapeGroup {
    /// Every group, in report order.
    pub const ALL: [ShapeGroup; 8] = [
        ShapeGroup::Mandatory,
        ShapeGroup::Recommended,
        ShapeGroup::Range,
        ShapeGroup::Vocabularies,
        ShapeGroup::Deprecated,
        ShapeGroup::MlDcatAp,
        ShapeGroup::Corrected,
        ShapeGroup::Links,
    ];

    /// The name in keys, URLs and JSON (`mandatory`, `mldcat-ap`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ShapeGroup::Mandatory => "mandatory",
            ShapeGroup::Recommended => "recommended",
            ShapeGroup::Range => "range",
            ShapeGroup::Vocabularies => "vocabularies",
            ShapeGroup::Deprecated => "deprecated",
            ShapeGroup::MlDcatAp => "mldcat-ap",
            ShapeGroup::Corrected => "corrected",
            ShapeGroup::Links => "links",
        }
    }

    /// The group of a name given by [`ShapeGroup::as_str`].
    pub fn parse(name: &str) -> Option<ShapeGroup> {
        ShapeGroup::ALL
            .into_iter()
            .find(|group| group.as_str() == name)
    }

    fn shapes(self) -> Option<&'static ShapeSet> {
        Some(match self {
            ShapeGroup::Mandatory => ShapeSet::dcat_ap_mandatory(),
            ShapeGroup::Recommended => ShapeSet::dcat_ap_recommended(),
            ShapeGroup::Range => ShapeSet::dcat_ap_range(),
            ShapeGroup::Vocabularies => ShapeSet::dcat_ap_vocabularies(),
            ShapeGroup::Deprecated => ShapeSet::dcat_ap_deprecated(),
            ShapeGroup::MlDcatAp => ShapeSet::mldcat_ap(),
            ShapeGroup::Corrected | ShapeGroup::Links => return None,
        })
    }
}

/// A finding with the shapes it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupedFinding {
    /// The shapes.
    pub group: ShapeGroup,
    /// The SHACL result.
    pub finding: Finding,
}

impl GroupedFinding {
    /// What kind of finding this is, without the node: `{group} {path} {component}`
    /// (`mandatory dct:description MinCount`), for counting the most frequent findings of a
    /// source. The path is `-` for node shapes.
    pub fn key(&self) -> String {
        format!(
            "{} {} {}",
            self.group.as_str(),
            self.finding.result_path.as_deref().unwrap_or("-"),
            self.finding.component_name()
        )
    }
}

/// One record's findings and score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// Every finding, by group in [`ShapeGroup::ALL`] order.
    pub findings: Vec<GroupedFinding>,
    /// The MQA-style score.
    pub score: Score,
}

impl Assessment {
    /// The distinct [`GroupedFinding::key`]s, sorted.
    pub fn finding_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.findings.iter().map(GroupedFinding::key).collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// The number of findings of `group` with `severity`.
    pub fn count(&self, group: ShapeGroup, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.group == group && f.finding.severity == severity)
            .count()
    }
}

/// A value of a record that ldtcat corrected at ingest: one [`ShapeGroup::Corrected`]
/// finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Corrected {
    /// A statement whose literal the source gave ill-typed, as the source gave it.
    IllTypedLiteral(Triple),
    /// A statement of `predicate` in which parsing repaired an IRI (`<bad> -> <good>`) or a
    /// language tag that is not BCP 47 (`language tag "en_US" -> "en-us"`).
    Repaired {
        /// The predicate's IRI.
        predicate: String,
        /// What was repaired.
        what: String,
    },
}

/// Assesses the record whose resource is `record_iri` from its statements; `is_model` adds
/// the MLDCAT-AP shapes; `corrections` are what ldtcat corrected in it at ingest; `links` the
/// last checks of URLs (those of the record's distributions are read).
pub fn assess(
    triples: &[Triple],
    record_iri: &str,
    is_model: bool,
    corrections: &[Corrected],
    links: &[LinkCheck],
) -> Assessment {
    let groups: Vec<(ShapeGroup, &ShapeSet)> = ShapeGroup::ALL
        .into_iter()
        .filter(|group| is_model || *group != ShapeGroup::MlDcatAp)
        .filter_map(|group| Some((group, group.shapes()?)))
        .collect();
    // One index of the statements for every shape set and the score.
    let graph = DataGraph::new(triples);
    let mut results: Vec<Vec<Finding>> = groups
        .iter()
        .map(|(_, shapes)| validate_graph(shapes, &graph))
        .collect();
    // A stable order whatever the hash maps' seeds: by shape, node, path, constraint, value.
    for findings in &mut results {
        findings.sort_by_cached_key(|f| {
            (
                f.source_shape.clone(),
                f.focus_node.to_string(),
                f.result_path.clone(),
                f.component,
                f.value.as_ref().map(ToString::to_string),
                f.message(),
            )
        });
    }
    let record = Term::NamedNode(NamedNode::new_unchecked(record_iri));
    let score = score_graph(&graph, &record, &results[0], links);
    let mut corrected: Vec<Finding> = corrections
        .iter()
        .filter_map(|correction| corrected_finding(correction, &record))
        .collect();
    corrected
        .sort_by_cached_key(|f| (f.focus_node.to_string(), f.result_path.clone(), f.message()));
    let mut findings: Vec<GroupedFinding> = groups
        .into_iter()
        .zip(results)
        .flat_map(|((group, _), findings)| {
            findings
                .into_iter()
                .map(move |finding| GroupedFinding { group, finding })
        })
        .collect();
    findings.extend(corrected.into_iter().map(|finding| GroupedFinding {
        group: ShapeGroup::Corrected,
        finding,
    }));
    findings.extend(
        unreachable_findings(&graph, &record, links)
            .into_iter()
            .map(|finding| GroupedFinding {
                group: ShapeGroup::Links,
                finding,
            }),
    );
    Assessment { findings, score }
}

/// The components of [`ShapeGroup::Corrected`] findings (not SHACL's: ldtcat's).
const ILL_TYPED_LITERAL: &str =
    "https://w3id.org/ldtcat/quality#IllTypedLiteralConstraintComponent";
const REPAIRED_IRI: &str = "https://w3id.org/ldtcat/quality#RepairedIriConstraintComponent";
const LANGUAGE_TAG: &str = "https://w3id.org/ldtcat/quality#LanguageTagConstraintComponent";

/// The finding of a correction (a warning: the value is served corrected).
fn corrected_finding(correction: &Corrected, record: &Term) -> Option<Finding> {
    Some(match correction {
        Corrected::IllTypedLiteral(original) => {
            let Term::Literal(literal) = &original.object else {
                return None;
            };
            let path = short_iri(original.predicate.as_str());
            let sentence = Sentence::new("ill_typed")
                .text("path", path.clone())
                .text("value", short_term(original.object.as_ref()))
                .text("datatype", short_iri(literal.datatype().as_str()));
            Finding {
                focus_node: original.subject.clone().into(),
                sentence,
                result_path: Some(path),
                source_shape: String::new(),
                component: ILL_TYPED_LITERAL,
                severity: Severity::Warning,
                value: Some(original.object.clone()),
            }
        }
        Corrected::Repaired { predicate, what } => {
            let path = short_iri(predicate);
            let component = if what.starts_with("language tag") {
                LANGUAGE_TAG
            } else {
                REPAIRED_IRI
            };
            let sentence = Sentence::new("repaired")
                .text("path", path.clone())
                .text("detail", what.clone());
            Finding {
                focus_node: record.clone(),
                sentence,
                result_path: Some(path),
                source_shape: String::new(),
                component,
                severity: Severity::Warning,
                value: None,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdfio::{RdfFormat, RdfParser};

    fn triples(turtle: &str) -> Vec<Triple> {
        RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(turtle.as_bytes())
            .map(|quad| Triple::from(quad.expect("parses")))
            .collect()
    }

    #[test]
    fn a_dataset_without_description_has_a_mandatory_finding_and_fails_compliance() {
        let record = triples(
            r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
            <https://example.org/d> a dcat:Dataset ; dct:title "Air"@en ; dcat:keyword "air"@en ."#,
        );
        let assessment = assess(&record, "https://example.org/d", false, &[], &[]);
        let keys = assessment.finding_keys();
        assert!(
            keys.contains(&"mandatory dct:description MinCount".to_owned()),
            "{keys:?}"
        );
        assert!(assessment.count(ShapeGroup::Mandatory, Severity::Violation) >= 1);
        assert!(!keys.iter().any(|k| k.starts_with("mldcat-ap")));
        let compliance = assessment
            .score
            .indicators
            .iter()
            .find(|i| i.id == "dcat_ap_compliance")
            .expect("indicator");
        assert!(!compliance.passed);
        let keyword = assessment
            .score
            .indicators
            .iter()
            .find(|i| i.id == "keyword")
            .expect("indicator");
        assert!(keyword.passed);
    }

    #[test]
    fn a_corrected_literal_is_a_warning_of_its_own_group() {
        let record = triples(
            r#"<https://example.org/d> a <http://www.w3.org/ns/dcat#Dataset> ;
                <http://purl.org/dc/terms/issued> "2014"^^<http://www.w3.org/2001/XMLSchema#gYear> ."#,
        );
        let corrected = triples(
            r#"<https://example.org/d> <http://purl.org/dc/terms/issued> "2014"^^<http://www.w3.org/2001/XMLSchema#date> ."#,
        );
        let mut corrected: Vec<Corrected> = corrected
            .into_iter()
            .map(Corrected::IllTypedLiteral)
            .collect();
        corrected.push(Corrected::Repaired {
            predicate: "http://purl.org/dc/terms/title".to_owned(),
            what: "language tag \"en_GB\" -> \"en-gb\"".to_owned(),
        });
        let assessment = assess(&record, "https://example.org/d", false, &corrected, &[]);
        let found: Vec<&GroupedFinding> = assessment
            .findings
            .iter()
            .filter(|f| f.group == ShapeGroup::Corrected)
            .collect();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].key(), "corrected dct:issued IllTypedLiteral");
        assert_eq!(found[1].key(), "corrected dct:title LanguageTag");
        assert_eq!(found[0].finding.severity, Severity::Warning);
        assert!(
            found[0]
                .finding
                .message()
                .contains("not a valid xsd:date literal"),
            "{}",
            found[0].finding.message()
        );
        assert_eq!(
            assessment.count(ShapeGroup::Corrected, Severity::Warning),
            2
        );
        let without = assess(&record, "https://example.org/d", false, &[], &[]);
        assert_eq!(without.score, assessment.score);
    }

    #[test]
    fn an_unreachable_url_is_a_warning_of_the_links_group() {
        let record = triples(
            r#"@prefix dcat: <http://www.w3.org/ns/dcat#> .
            <https://example.org/d> a dcat:Dataset ; dcat:distribution <https://example.org/d/1> , <https://example.org/d/2> .
            <https://example.org/d/1> dcat:accessURL <https://example.org/api> .
            <https://example.org/d/2> dcat:accessURL <https://example.org/gone.csv> ; dcat:downloadURL <https://example.org/gone.csv> ."#,
        );
        let links = [
            LinkCheck {
                url: "https://example.org/api".to_owned(),
                outcome: crate::LinkOutcome::Status(200),
                checked: "2026-12-02T08:00:00Z".to_owned(),
            },
            LinkCheck {
                url: "https://example.org/gone.csv".to_owned(),
                outcome: crate::LinkOutcome::Status(404),
                checked: "2026-12-02T08:00:01Z".to_owned(),
            },
        ];
        let assessment = assess(&record, "https://example.org/d", false, &[], &links);
        let found: Vec<&GroupedFinding> = assessment
            .findings
            .iter()
            .filter(|f| f.group == ShapeGroup::Links)
            .collect();
        let keys: Vec<String> = found.iter().map(|f| f.key()).collect();
        assert_eq!(
            keys,
            [
                "links dcat:accessURL Unreachable",
                "links dcat:downloadURL Unreachable"
            ]
        );
        assert_eq!(
            found[0].finding.message(),
            "dcat:accessURL https://example.org/gone.csv could not be reached: HTTP 404 (checked 2026-12-02T08:00:01Z)"
        );
        assert_eq!(found[0].finding.severity, Severity::Warning);
        let status = |id: &str| {
            let i = assessment
                .score
                .indicators
                .iter()
                .find(|i| i.id == id)
                .expect("indicator");
            (i.measured, i.passed)
        };
        // One of two access URLs answered: not every one, so no points.
        assert_eq!(status("access_url_status"), (true, false));
        assert_eq!(status("download_url_status"), (true, false));
    }
}
