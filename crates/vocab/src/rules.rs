//! Classification rules, loaded from Turtle (`vocab/classification.ttl`).
//!
//! A rule assigns a [`Kind`] when all of its conditions hold; the values of one
//! condition are alternatives. Rules run by ascending `ldt:priority` (then by IRI), and the
//! first rule that matches classifies the record. A rule without conditions matches every
//! record and serves as the fallback. Applying the rules to a record is `ldtcat-model`'s job.

use oxrdf::{Graph, NamedNodeRef, Term, TermRef};
use oxrdfio::{RdfFormat, RdfParser};

use crate::{ns, Kind, VocabError};

/// One classification rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassificationRule {
    /// The rule's IRI, recorded on every record it classifies.
    pub iri: String,
    /// A short human label.
    pub label: String,
    /// Lower runs first.
    pub priority: i64,
    /// The kind this rule assigns.
    pub kind: Kind,
    /// The resource has one of these `rdf:type`s.
    pub when_type: Vec<String>,
    /// The resource has one of these `dct:type`s.
    pub when_dct_type: Vec<String>,
    /// The resource or one of its distributions `dct:conformsTo` one of these.
    pub when_conforms_to: Vec<String>,
    /// One of the resource's distributions has one of these media types or formats
    /// (`dcat:mediaType`, `dct:format`, `dcat:packageFormat`; a value matches an IRI that
    /// ends with `/value`, case-insensitively, or a literal equal to it).
    pub when_media_type: Vec<String>,
    /// The resource has a statement with one of these predicates.
    pub when_property: Vec<String>,
}

impl ClassificationRule {
    /// Whether the rule has no condition at all (a fallback).
    pub fn is_fallback(&self) -> bool {
        self.when_type.is_empty()
            && self.when_dct_type.is_empty()
            && self.when_conforms_to.is_empty()
            && self.when_media_type.is_empty()
            && self.when_property.is_empty()
    }
}

/// The rules, in the order they run, and the classes whose instances become records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSet {
    /// Rules by ascending priority.
    pub rules: Vec<ClassificationRule>,
    /// `rdf:type`s that make a resource a catalogued record of its own.
    pub record_classes: Vec<String>,
}

impl RuleSet {
    /// The rules shipped with ldtcat.
    pub fn builtin() -> Result<RuleSet, VocabError> {
        RuleSet::from_turtle(crate::CLASSIFICATION_TURTLE, "vocab/classification.ttl")
    }

    /// Loads rules from a Turtle document; `file` names it in errors.
    pub fn from_turtle(turtle: &str, file: &str) -> Result<RuleSet, VocabError> {
        let graph = parse_graph(turtle, file)?;
        let ldt = |local: &str| format!("{}{local}", ns::LDT);
        let rule_class = ldt("ClassificationRule");
        let rdf_type = format!("{}type", ns::RDF);
        let mut rules = Vec::new();
        for rule_node in subjects_of_type(&graph, &rdf_type, &rule_class) {
            let iri = rule_node.as_str().to_owned();
            let invalid = |message: &str| VocabError::InvalidRule {
                file: file.to_owned(),
                rule: iri.clone(),
                message: message.to_owned(),
            };
            let kind_iri = single_value(&graph, rule_node, &ldt("assignsKind"))
                .ok_or_else(|| invalid("missing ldt:assignsKind"))?;
            let kind = Kind::from_iri(&kind_iri)
                .ok_or_else(|| invalid(&format!("unknown kind {kind_iri}")))?;
            let priority = single_value(&graph, rule_node, &ldt("priority"))
                .ok_or_else(|| invalid("missing ldt:priority"))?
                .parse::<i64>()
                .map_err(|_| invalid("ldt:priority is not an integer"))?;
            let label = single_value(&graph, rule_node, &format!("{}label", ns::RDFS))
                .unwrap_or_else(|| iri.clone());
            rules.push(ClassificationRule {
                label,
                priority,
                kind,
                when_type: values(&graph, rule_node, &ldt("whenType")),
                when_dct_type: values(&graph, rule_node, &ldt("whenDctType")),
                when_conforms_to: values(&graph, rule_node, &ldt("whenConformsTo")),
                when_media_type: values(&graph, rule_node, &ldt("whenMediaType")),
                when_property: values(&graph, rule_node, &ldt("whenProperty")),
                iri,
            });
        }
        rules.sort_by(|a, b| a.priority.cmp(&b.priority).then_with(|| a.iri.cmp(&b.iri)));
        let mut record_classes: Vec<String> = graph
            .triples_for_predicate(NamedNodeRef::new_unchecked(&ldt("recordClass")))
            .filter_map(|triple| match triple.object {
                TermRef::NamedNode(node) => Some(node.as_str().to_owned()),
                _ => None,
            })
            .collect();
        record_classes.sort();
        record_classes.dedup();
        Ok(RuleSet {
            rules,
            record_classes,
        })
    }

    /// Whether instances of this class become records.
    pub fn is_record_class(&self, class_iri: &str) -> bool {
        self.record_classes
            .binary_search_by(|c| c.as_str().cmp(class_iri))
            .is_ok()
    }

    /// The rule with this IRI.
    pub fn rule(&self, iri: &str) -> Option<&ClassificationRule> {
        self.rules.iter().find(|rule| rule.iri == iri)
    }
}

fn parse_graph(turtle: &str, file: &str) -> Result<Graph, VocabError> {
    let mut graph = Graph::new();
    for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle) {
        let quad = quad.map_err(|error| VocabError::Syntax {
            file: file.to_owned(),
            message: error.to_string(),
        })?;
        graph.insert(quad.as_ref());
    }
    Ok(graph)
}

fn subjects_of_type<'a>(graph: &'a Graph, rdf_type: &str, class: &str) -> Vec<NamedNodeRef<'a>> {
    graph
        .subjects_for_predicate_object(
            NamedNodeRef::new_unchecked(rdf_type),
            NamedNodeRef::new_unchecked(class),
        )
        .filter_map(|subject| match subject {
            oxrdf::NamedOrBlankNodeRef::NamedNode(node) => Some(node),
            _ => None,
        })
        .collect()
}

fn values(graph: &Graph, subject: NamedNodeRef<'_>, predicate: &str) -> Vec<String> {
    let mut values: Vec<String> = graph
        .objects_for_subject_predicate(subject, NamedNodeRef::new_unchecked(predicate))
        .map(|object| match object.into_owned() {
            Term::NamedNode(node) => node.into_string(),
            Term::Literal(literal) => literal.value().to_owned(),
            other => other.to_string(),
        })
        .collect();
    values.sort();
    values
}

fn single_value(graph: &Graph, subject: NamedNodeRef<'_>, predicate: &str) -> Option<String> {
    values(graph, subject, predicate).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_load_with_a_fallback_last() {
        let rules = RuleSet::builtin().expect("builtin rules parse");
        assert!(rules.rules.len() >= 8);
        let last = rules.rules.last().expect("at least one rule");
        assert!(last.is_fallback(), "the last rule must be the fallback");
        for kind in Kind::ALL {
            assert!(
                rules.rules.iter().any(|rule| rule.kind == kind),
                "no rule assigns {kind}"
            );
        }
        assert!(rules.is_record_class("http://www.w3.org/ns/dcat#Dataset"));
        assert!(rules.is_record_class("http://data.europa.eu/it6/MachineLearningModel"));
        assert!(!rules.is_record_class("http://www.w3.org/ns/dcat#Distribution"));
    }

    #[test]
    fn a_rule_without_kind_is_rejected_with_its_iri() {
        let turtle = "@prefix ldt: <https://w3id.org/ldtcat#> .\n\
            <https://example.org/r1> a ldt:ClassificationRule ; ldt:priority 1 .";
        let error = RuleSet::from_turtle(turtle, "test.ttl").expect_err("must fail");
        let message = error.to_string();
        assert!(message.contains("https://example.org/r1"), "{message}");
        assert!(message.contains("assignsKind"), "{message}");
    }
}
