//! The compatibility rules, loaded from Turtle (`vocab/compatibility.ttl`).
//!
//! A rule applies to one requirement form; the rules of a form run by ascending `ldt:order`,
//! and the first whose check holds gives the verdict. Every form must end with an
//! `ldt:Always` rule, so that every requirement gets a verdict. The file also carries the
//! `odrl:includedIn` hierarchy of actions that the data-policy checks follow.

use std::collections::BTreeMap;

use ldtcat_vocab::{ns, Kind};
use oxrdf::{Graph, NamedNodeRef, NamedOrBlankNodeRef, Term, TermRef};
use oxrdfio::{RdfFormat, RdfParser};

use crate::assess::Verdict;
use crate::error::CompatError;
use crate::requirement::Form;

/// What a rule checks (`ldt:check`); see `vocab/compatibility.ttl` for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// `ldt:ProfileHasValue`.
    ProfileHasValue,
    /// `ldt:AdapterFromProfile`.
    AdapterFromProfile,
    /// `ldt:AdapterProvides`.
    AdapterProvides,
    /// `ldt:AcceptedTerm`.
    AcceptedTerm,
    /// `ldt:DataPolicyPermits`.
    DataPolicyPermits,
    /// `ldt:DataPolicyPermitsUnderDuty`.
    DataPolicyPermitsUnderDuty,
    /// `ldt:Always`.
    Always,
}

impl Check {
    fn from_iri(iri: &str) -> Option<Check> {
        let local = iri.strip_prefix(ns::LDT)?;
        Some(match local {
            "ProfileHasValue" => Check::ProfileHasValue,
            "AdapterFromProfile" => Check::AdapterFromProfile,
            "AdapterProvides" => Check::AdapterProvides,
            "AcceptedTerm" => Check::AcceptedTerm,
            "DataPolicyPermits" => Check::DataPolicyPermits,
            "DataPolicyPermitsUnderDuty" => Check::DataPolicyPermitsUnderDuty,
            "Always" => Check::Always,
            _ => return None,
        })
    }
}

/// One compatibility rule.
#[derive(Debug, Clone, PartialEq)]
pub struct CompatRule {
    /// Its IRI, named in every verdict it gives.
    pub iri: String,
    /// A short label.
    pub label: String,
    /// The requirement form it applies to.
    pub form: Form,
    /// Lower runs first.
    pub order: i64,
    /// What it checks.
    pub check: Check,
    /// The profile property it reads (`ProfileHasValue`, `AdapterFromProfile`).
    pub profile_property: Option<String>,
    /// The adapter offer it looks for (`AdapterFromProfile`, `AdapterProvides`).
    pub adapter_offer: Option<String>,
    /// The kinds of record that may serve as adapters.
    pub adapter_kinds: Vec<Kind>,
    /// The verdict when the check holds.
    pub verdict: Verdict,
    /// The explanation template.
    pub explanation: String,
}

/// All rules, by form and order, and the action hierarchy.
#[derive(Debug, Clone)]
pub struct CompatRules {
    rules: Vec<CompatRule>,
    included_in: BTreeMap<String, Vec<String>>,
}

impl CompatRules {
    /// The rules shipped with ldtcat.
    pub fn builtin() -> Result<CompatRules, CompatError> {
        CompatRules::from_turtle(ldtcat_vocab::COMPATIBILITY_TURTLE)
    }

    /// Loads rules from Turtle.
    pub fn from_turtle(turtle: &str) -> Result<CompatRules, CompatError> {
        let mut graph = Graph::new();
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle.as_bytes()) {
            let quad = quad.map_err(|e| CompatError::Syntax {
                what: "vocab/compatibility.ttl".to_owned(),
                message: e.to_string(),
            })?;
            graph.insert(quad.as_ref());
        }
        let ldt = |local: &str| format!("{}{local}", ns::LDT);
        let rdf_type = format!("{}type", ns::RDF);
        let rule_class = ldt("CompatibilityRule");
        let mut rules = Vec::new();
        for subject in graph.subjects_for_predicate_object(
            NamedNodeRef::new_unchecked(&rdf_type),
            NamedNodeRef::new_unchecked(&rule_class),
        ) {
            let NamedOrBlankNodeRef::NamedNode(node) = subject else {
                continue;
            };
            let iri = node.as_str().to_owned();
            let invalid = |message: String| CompatError::InvalidRule {
                rule: iri.clone(),
                message,
            };
            let one = |property: &str| values(&graph, node, property).into_iter().next();
            let form_iri = one(&ldt("requirementForm"))
                .ok_or_else(|| invalid("missing ldt:requirementForm".into()))?;
            let form = Form::from_iri(&form_iri)
                .ok_or_else(|| invalid(format!("unknown requirement form {form_iri}")))?;
            let check_iri =
                one(&ldt("check")).ok_or_else(|| invalid("missing ldt:check".into()))?;
            let check = Check::from_iri(&check_iri)
                .ok_or_else(|| invalid(format!("unknown check {check_iri}")))?;
            let verdict_iri =
                one(&ldt("verdict")).ok_or_else(|| invalid("missing ldt:verdict".into()))?;
            let verdict = Verdict::from_iri(&verdict_iri)
                .ok_or_else(|| invalid(format!("unknown verdict {verdict_iri}")))?;
            let order = one(&ldt("order"))
                .and_then(|o| o.parse::<i64>().ok())
                .ok_or_else(|| invalid("missing or non-integer ldt:order".into()))?;
            let profile_property = one(&ldt("profileProperty"));
            let adapter_offer = one(&ldt("adapterOffer"));
            let needs_profile = matches!(check, Check::ProfileHasValue | Check::AdapterFromProfile);
            if needs_profile && profile_property.is_none() {
                return Err(invalid("this check needs ldt:profileProperty".into()));
            }
            let needs_offer = matches!(check, Check::AdapterFromProfile | Check::AdapterProvides);
            if needs_offer && adapter_offer.is_none() {
                return Err(invalid("this check needs ldt:adapterOffer".into()));
            }
            let adapter_kinds = values(&graph, node, &ldt("adapterKind"))
                .iter()
                .map(|k| Kind::from_iri(k).ok_or_else(|| invalid(format!("unknown kind {k}"))))
                .collect::<Result<Vec<_>, _>>()?;
            rules.push(CompatRule {
                label: one(&format!("{}label", ns::RDFS)).unwrap_or_else(|| iri.clone()),
                explanation: one(&ldt("explanation"))
                    .ok_or_else(|| invalid("missing ldt:explanation".into()))?,
                iri,
                form,
                order,
                check,
                profile_property,
                adapter_offer,
                adapter_kinds,
                verdict,
            });
        }
        rules.sort_by(|a, b| (a.form, a.order, &a.iri).cmp(&(b.form, b.order, &b.iri)));
        for form in Form::ALL {
            let last = rules.iter().rfind(|r| r.form == form);
            if !last.is_some_and(|r| r.check == Check::Always) {
                return Err(CompatError::InvalidRule {
                    rule: form.iri(),
                    message: "the rules of this form must end with an ldt:Always rule".into(),
                });
            }
        }
        let mut included_in: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let included = format!("{}includedIn", ns::ODRL);
        for triple in graph.triples_for_predicate(NamedNodeRef::new_unchecked(&included)) {
            if let (NamedOrBlankNodeRef::NamedNode(narrow), TermRef::NamedNode(broad)) =
                (triple.subject, triple.object)
            {
                included_in
                    .entry(narrow.as_str().to_owned())
                    .or_default()
                    .push(broad.as_str().to_owned());
            }
        }
        Ok(CompatRules { rules, included_in })
    }

    /// The rules of a form, in order.
    pub fn for_form(&self, form: Form) -> impl Iterator<Item = &CompatRule> {
        self.rules.iter().filter(move |rule| rule.form == form)
    }

    /// Every rule.
    pub fn all(&self) -> &[CompatRule] {
        &self.rules
    }

    /// The action and every action that includes it, transitively (`odrl:includedIn`).
    pub fn action_and_broader(&self, action: &str) -> Vec<String> {
        let mut found = vec![action.to_owned()];
        let mut next = 0;
        while next < found.len() {
            let current = found[next].clone();
            for broader in self.included_in.get(&current).into_iter().flatten() {
                if !found.contains(broader) {
                    found.push(broader.clone());
                }
            }
            next += 1;
        }
        found
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_load_and_every_form_has_a_fallback() {
        let rules = CompatRules::builtin().expect("rules load");
        for form in Form::ALL {
            assert!(rules.for_form(form).count() >= 2, "{form:?}");
        }
        let broader = rules.action_and_broader(&format!("{}display", ns::ODRL));
        assert!(broader.contains(&format!("{}use", ns::ODRL)), "{broader:?}");
    }

    #[test]
    fn a_form_without_a_fallback_is_rejected() {
        let turtle = "@prefix ldt: <https://w3id.org/ldtcat#> .\n\
            <https://example.org/r> a ldt:CompatibilityRule ; ldt:requirementForm ldt:requiresGpu ;\n\
            ldt:order 1 ; ldt:check ldt:AcceptedTerm ; ldt:verdict ldt:NotCompatible ;\n\
            ldt:explanation \"x\" .";
        let error = CompatRules::from_turtle(turtle).expect_err("must fail");
        assert!(error.to_string().contains("ldt:Always"), "{error}");
    }
}
