//! The SHACL Core engine: focus nodes from targets, value nodes from paths, one check per
//! constraint, nested shapes evaluated for conformance only.

use std::collections::{HashMap, HashSet};

use oxrdf::{TermRef, Triple};

use crate::finding::{sentence, Failure, Finding};
use crate::graph::DataGraph;
use crate::literal::has_datatype;
use crate::path::Path;
use crate::shapes::{Constraint, NodeKind, Shape, ShapeId, ShapeSet, Target};

/// Validates `triples` (one record's statements, or a whole file) against `shapes`.
///
/// Findings come in shape order, then focus node order, then constraint order.
pub fn validate(shapes: &ShapeSet, triples: &[Triple]) -> Vec<Finding> {
    validate_graph(shapes, &DataGraph::new(triples))
}

/// Validates `triples` against each of `sets`, indexing the triples once; one list of
/// findings per set, in the order of `sets`.
pub fn validate_all(sets: &[&ShapeSet], triples: &[Triple]) -> Vec<Vec<Finding>> {
    let graph = DataGraph::new(triples);
    sets.iter()
        .map(|shapes| validate_graph(shapes, &graph))
        .collect()
}

/// [`validate`] over an already indexed graph.
pub(crate) fn validate_graph<'a>(shapes: &'a ShapeSet, graph: &DataGraph<'a>) -> Vec<Finding> {
    let engine = Engine { shapes, graph };
    let mut findings = Vec::new();
    for (id, shape) in shapes.shapes.iter().enumerate() {
        if shape.targets.is_empty() || shape.deactivated {
            continue;
        }
        for focus in engine.focus_nodes(shape) {
            engine.evaluate(id, focus, &mut Some(&mut findings));
        }
    }
    findings
}

struct Engine<'g, 'a> {
    shapes: &'a ShapeSet,
    graph: &'g DataGraph<'a>,
}

impl<'a> Engine<'_, 'a> {
    fn focus_nodes(&self, shape: &'a Shape) -> Vec<TermRef<'a>> {
        let mut nodes = Vec::new();
        for target in &shape.targets {
            match target {
                Target::Class(class) => nodes.extend(self.graph.instances_of(class.as_ref())),
                Target::Node(node) => nodes.push(node.as_ref()),
                Target::SubjectsOf(predicate) => nodes.extend(
                    self.graph
                        .triples()
                        .iter()
                        .filter(|t| t.predicate == predicate.as_ref())
                        .map(|t| TermRef::from(t.subject)),
                ),
                Target::ObjectsOf(predicate) => nodes.extend(
                    self.graph
                        .triples()
                        .iter()
                        .filter(|t| t.predicate == predicate.as_ref())
                        .map(|t| t.object),
                ),
            }
        }
        let mut seen = HashSet::with_capacity(nodes.len());
        nodes.retain(|node| seen.insert(*node));
        nodes
    }

    /// Evaluates shape `id` at `focus`; with a report, every result is added to it, without
    /// one the evaluation stops at the first failure. Returns whether `focus` conforms.
    fn evaluate(
        &self,
        id: ShapeId,
        focus: TermRef<'a>,
        report: &mut Option<&mut Vec<Finding>>,
    ) -> bool {
        let shape = &self.shapes.shapes[id];
        if shape.deactivated {
            return true;
        }
        let values = match &shape.path {
            Some(path) => path.values(self.graph, focus),
            None => vec![focus],
        };
        let mut conforms = true;
        for constraint in &shape.constraints {
            if let Constraint::Property(property) = constraint {
                for value in &values {
                    conforms &= self.evaluate(*property, *value, report);
                    if !conforms && report.is_none() {
                        return false;
                    }
                }
                continue;
            }
            let failures = self.check(constraint, focus, &values);
            if failures.is_empty() {
                continue;
            }
            conforms = false;
            let Some(findings) = report.as_deref_mut() else {
                return false;
            };
            let path = shape.path.as_ref().map(Path::short);
            for failure in failures {
                let sentence = sentence(path.as_deref(), constraint, &failure);
                findings.push(Finding {
                    focus_node: focus.into_owned(),
                    result_path: failure.path.clone().or_else(|| path.clone()),
                    source_shape: shape.key.clone(),
                    component: constraint.component(),
                    severity: shape.severity,
                    value: failure.value.map(TermRef::into_owned),
                    sentence,
                });
            }
        }
        conforms
    }

    fn conforms(&self, id: ShapeId, node: TermRef<'a>) -> bool {
        self.evaluate(id, node, &mut None)
    }

    /// The failures of one constraint (other than `sh:property`) on `values`.
    fn check(
        &self,
        constraint: &'a Constraint,
        focus: TermRef<'a>,
        values: &[TermRef<'a>],
    ) -> Vec<Failure<'a>> {
        let count = values.len();
        let failure = |value: Option<TermRef<'a>>| Failure {
            value,
            path: None,
            count,
        };
        let whole = |failed: bool| match failed {
            true => vec![failure(None)],
            false => Vec::new(),
        };
        match constraint {
            Constraint::MinCount(min) => whole(count < *min),
            Constraint::MaxCount(max) => whole(count > *max),
            Constraint::HasValue(required) => whole(!values.contains(&required.as_ref())),
            Constraint::UniqueLang => unique_lang_failures(values),
            Constraint::Closed { allowed } => self.closed_failures(values, allowed),
            Constraint::Property(_) => Vec::new(),
            Constraint::Equals(other) => {
                // Both directions: values missing from the other property, and its extra values.
                let others = self.graph.objects(focus, other.as_ref());
                let missing = values.iter().filter(|value| !others.contains(value));
                let extra = others.iter().filter(|value| !values.contains(value));
                missing
                    .chain(extra)
                    .map(|value| failure(Some(*value)))
                    .collect()
            }
            _ => values
                .iter()
                .filter(|value| !self.value_passes(constraint, focus, **value))
                .map(|value| failure(Some(*value)))
                .collect(),
        }
    }

    /// Whether one value node meets a constraint that is checked value by value.
    fn value_passes(
        &self,
        constraint: &'a Constraint,
        focus: TermRef<'a>,
        value: TermRef<'a>,
    ) -> bool {
        match constraint {
            Constraint::Class(class) => self.graph.is_instance(value, class.as_ref()),
            Constraint::Datatype(datatype) => {
                matches!(value, TermRef::Literal(literal) if has_datatype(literal, datatype.as_ref()))
            }
            Constraint::NodeKind(kind) => has_node_kind(value, *kind),
            Constraint::MinLength(min) => {
                text_of(value).is_some_and(|text| text.chars().count() >= *min)
            }
            Constraint::MaxLength(max) => {
                text_of(value).is_some_and(|text| text.chars().count() <= *max)
            }
            Constraint::Pattern { regex, .. } => {
                text_of(value).is_some_and(|text| regex.is_match(text))
            }
            Constraint::LanguageIn(languages) => match value {
                TermRef::Literal(literal) => literal.language().is_some_and(|language| {
                    languages
                        .iter()
                        .any(|range| language_matches(language, range))
                }),
                _ => false,
            },
            Constraint::In(allowed) => allowed.iter().any(|member| member.as_ref() == value),
            Constraint::Disjoint(other) => {
                !self.graph.objects(focus, other.as_ref()).contains(&value)
            }
            Constraint::Node(id) => self.conforms(*id, value),
            Constraint::Not(id) => !self.conforms(*id, value),
            Constraint::And(ids) => ids.iter().all(|id| self.conforms(*id, value)),
            Constraint::Or(ids) => ids.iter().any(|id| self.conforms(*id, value)),
            Constraint::Xone(ids) => {
                ids.iter().filter(|id| self.conforms(**id, value)).count() == 1
            }
            // Checked on all values at once in `check`.
            Constraint::MinCount(_)
            | Constraint::MaxCount(_)
            | Constraint::HasValue(_)
            | Constraint::UniqueLang
            | Constraint::Closed { .. }
            | Constraint::Property(_)
            | Constraint::Equals(_) => true,
        }
    }

    fn closed_failures(
        &self,
        values: &[TermRef<'a>],
        allowed: &[oxrdf::NamedNode],
    ) -> Vec<Failure<'a>> {
        let mut failures = Vec::new();
        for value in values {
            for triple in self.graph.triples_of(*value) {
                if !allowed
                    .iter()
                    .any(|predicate| predicate.as_ref() == triple.predicate)
                {
                    failures.push(Failure {
                        value: Some(triple.object),
                        path: Some(crate::terms::short_iri(triple.predicate.as_str())),
                        count: values.len(),
                    });
                }
            }
        }
        failures
    }
}

fn has_node_kind(value: TermRef<'_>, kind: NodeKind) -> bool {
    let (iri, blank, literal) = match value {
        TermRef::NamedNode(_) => (true, false, false),
        TermRef::BlankNode(_) => (false, true, false),
        _ => (false, false, true),
    };
    match kind {
        NodeKind::Iri => iri,
        NodeKind::BlankNode => blank,
        NodeKind::Literal => literal,
        NodeKind::BlankNodeOrIri => iri || blank,
        NodeKind::BlankNodeOrLiteral => blank || literal,
        NodeKind::IriOrLiteral => iri || literal,
    }
}

/// The string a length or pattern constraint reads: an IRI or a literal's lexical form; blank
/// nodes have none, so they fail those constraints.
fn text_of(value: TermRef<'_>) -> Option<&str> {
    match value {
        TermRef::NamedNode(iri) => Some(iri.as_str()),
        TermRef::Literal(literal) => Some(literal.value()),
        _ => None,
    }
}

/// SPARQL `langMatches`: `*` matches any language, else a case-insensitive prefix on subtags.
fn language_matches(language: &str, range: &str) -> bool {
    if range == "*" {
        return true;
    }
    let language = language.to_ascii_lowercase();
    let range = range.to_ascii_lowercase();
    language == range
        || language
            .strip_prefix(&range)
            .is_some_and(|rest| rest.starts_with('-'))
}

/// One failure per language that more than one value uses.
fn unique_lang_failures<'a>(values: &[TermRef<'a>]) -> Vec<Failure<'a>> {
    let mut by_language: HashMap<String, Vec<TermRef<'a>>> = HashMap::new();
    for value in values {
        if let TermRef::Literal(literal) = value {
            if let Some(language) = literal.language() {
                by_language
                    .entry(language.to_ascii_lowercase())
                    .or_default()
                    .push(*value);
            }
        }
    }
    let mut duplicated: Vec<_> = by_language
        .into_values()
        .filter(|same| same.len() > 1)
        .collect();
    duplicated.sort_by_key(|same| same[0].to_string());
    duplicated
        .into_iter()
        .map(|same| Failure {
            value: Some(same[0]),
            path: None,
            count: values.len(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Severity;
    use oxrdf::{Literal, NamedNode};

    fn named(iri: &str) -> NamedNode {
        NamedNode::new_unchecked(iri)
    }

    #[test]
    fn a_dataset_without_title_gets_a_plain_english_min_count_violation() {
        let dataset = named("https://example.org/dataset");
        let triples = vec![
            Triple::new(
                dataset.clone(),
                named("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                named("http://www.w3.org/ns/dcat#Dataset"),
            ),
            Triple::new(
                dataset.clone(),
                named("http://purl.org/dc/terms/description"),
                Literal::new_language_tagged_literal_unchecked("A dataset", "en"),
            ),
        ];
        let findings = validate(ShapeSet::dcat_ap_mandatory(), &triples);
        let title = findings
            .iter()
            .find(|finding| finding.result_path.as_deref() == Some("dct:title"))
            .expect("a finding about dct:title");
        assert_eq!(
            title.message(),
            "dct:title is missing (at least 1 required)"
        );
        assert_eq!(title.component_name(), "MinCount");
        assert_eq!(title.severity, Severity::Violation);
        assert_eq!(title.focus_node, dataset.into());
        assert!(title
            .source_shape
            .ends_with("shapes.ttl#Dataset_Shape>/<http://purl.org/dc/terms/title>"));
    }

    #[test]
    fn a_node_shape_result_names_the_node() {
        let catalogue = named("https://example.org/catalogue");
        let triples = vec![Triple::new(
            catalogue.clone(),
            named("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            named("http://www.w3.org/ns/dcat#Catalog"),
        )];
        let findings = validate(ShapeSet::dcat_ap_recommended(), &triples);
        let or = findings
            .iter()
            .find(|finding| finding.component_name() == "Or")
            .expect("the catalogue has neither dcat:dataset nor dcat:service");
        assert_eq!(
            or.message(),
            "node <https://example.org/catalogue> conforms to none of the alternatives"
        );
        assert_eq!(
            (or.result_path.as_deref(), or.severity),
            (None, Severity::Warning)
        );
    }

    #[test]
    fn validate_all_gives_the_same_findings_as_one_set_at_a_time() {
        let triples = vec![Triple::new(
            named("https://example.org/d"),
            named("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            named("http://www.w3.org/ns/dcat#Dataset"),
        )];
        let sets = [
            ShapeSet::dcat_ap_mandatory(),
            ShapeSet::dcat_ap_recommended(),
        ];
        let together = validate_all(&sets, &triples);
        assert_eq!(together[0], validate(sets[0], &triples));
        assert_eq!(together[1], validate(sets[1], &triples));
        assert!(!together[1].is_empty());
    }
}
