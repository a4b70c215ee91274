//! What a component requires of an LDT, read from its record, and the one-line term of each
//! requirement that the index stores.
//!
//! | form | read from the component |
//! |---|---|
//! | `ldt:consumesDataModel` | each value |
//! | `ldt:requiresInterface` | each value |
//! | `ldt:requiresProvenance`, `ldt:requiresObservability` | each value |
//! | `odrl:duty` | the actions of the duties of the permissions of its `odrl:hasPolicy`, and of the policy's `odrl:obligation`s |
//! | `odrl:prohibition` | the actions of the policy's prohibitions |
//! | `odrl:constraint` | the constraints of the policy's permissions: left operand, operator, right operand |
//! | `ldt:demandsOfData` | the actions of the permissions of the policy it names |
//! | `ldt:deploymentModel` | all values together, as alternatives: one requirement |
//! | `ldt:requiresGpu` | `true` only |
//! | `ldt:requiresMemoryGiB` | the largest value |
//!
//! The usage terms (`odrl:hasPolicy`) count only for a resource that states at least one of
//! the other requirements: a dataset's licence terms or a profile's data policy make no
//! component.

use std::fmt;

use ldtcat_vocab::ns;
use oxrdf::{Term, Triple};

use crate::graph::View;

/// The groups of requirements that an LDT profile is compared on (LDT4SSC blueprint §1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Data models of the component's inputs.
    DataModel,
    /// Data exchange types and interfaces.
    Interface,
    /// Provenance and observability expectations.
    ProvenanceObservability,
    /// Access and usage policies.
    Policy,
    /// Deployment responsibility and runtime needs.
    DeploymentRuntime,
}

impl Category {
    /// A human label.
    pub fn label(self) -> &'static str {
        match self {
            Category::DataModel => "Data models",
            Category::Interface => "Interfaces",
            Category::ProvenanceObservability => "Provenance and observability",
            Category::Policy => "Access and usage policies",
            Category::DeploymentRuntime => "Deployment and runtime",
        }
    }
}

/// The form of a requirement: which statement of the component it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Form {
    /// `ldt:consumesDataModel`.
    ConsumesDataModel,
    /// `ldt:requiresInterface`.
    RequiresInterface,
    /// `ldt:requiresProvenance`.
    RequiresProvenance,
    /// `ldt:requiresObservability`.
    RequiresObservability,
    /// A duty of the component's own usage terms.
    Duty,
    /// A prohibition of the component's own usage terms.
    Prohibition,
    /// A constraint on the permissions of the component's own usage terms.
    Constraint,
    /// An action the component must be permitted on the LDT's data (`ldt:demandsOfData`).
    DemandsOfData,
    /// `ldt:deploymentModel` (alternatives).
    DeploymentModel,
    /// `ldt:requiresGpu true`.
    RequiresGpu,
    /// `ldt:requiresMemoryGiB`.
    RequiresMemoryGiB,
}

impl Form {
    /// Every form.
    pub const ALL: [Form; 11] = [
        Form::ConsumesDataModel,
        Form::RequiresInterface,
        Form::RequiresProvenance,
        Form::RequiresObservability,
        Form::Duty,
        Form::Prohibition,
        Form::Constraint,
        Form::DemandsOfData,
        Form::DeploymentModel,
        Form::RequiresGpu,
        Form::RequiresMemoryGiB,
    ];

    /// The IRI that names the form in the rules (`ldt:requirementForm`).
    pub fn iri(self) -> String {
        match self {
            Form::ConsumesDataModel => format!("{}consumesDataModel", ns::LDT),
            Form::RequiresInterface => format!("{}requiresInterface", ns::LDT),
            Form::RequiresProvenance => format!("{}requiresProvenance", ns::LDT),
            Form::RequiresObservability => format!("{}requiresObservability", ns::LDT),
            Form::Duty => format!("{}duty", ns::ODRL),
            Form::Prohibition => format!("{}prohibition", ns::ODRL),
            Form::Constraint => format!("{}constraint", ns::ODRL),
            Form::DemandsOfData => format!("{}demandsOfData", ns::LDT),
            Form::DeploymentModel => format!("{}deploymentModel", ns::LDT),
            Form::RequiresGpu => format!("{}requiresGpu", ns::LDT),
            Form::RequiresMemoryGiB => format!("{}requiresMemoryGiB", ns::LDT),
        }
    }

    /// The form named by an IRI.
    pub fn from_iri(iri: &str) -> Option<Form> {
        Form::ALL.into_iter().find(|form| form.iri() == iri)
    }

    /// The first word of the form's terms.
    pub fn key(self) -> &'static str {
        match self {
            Form::ConsumesDataModel => "model",
            Form::RequiresInterface => "interface",
            Form::RequiresProvenance => "provenance",
            Form::RequiresObservability => "observability",
            Form::Duty => "duty",
            Form::Prohibition => "prohibition",
            Form::Constraint => "constraint",
            Form::DemandsOfData => "data-use",
            Form::DeploymentModel => "deployment",
            Form::RequiresGpu => "gpu",
            Form::RequiresMemoryGiB => "memory",
        }
    }

    /// The group the form belongs to.
    pub fn category(self) -> Category {
        match self {
            Form::ConsumesDataModel => Category::DataModel,
            Form::RequiresInterface => Category::Interface,
            Form::RequiresProvenance | Form::RequiresObservability => {
                Category::ProvenanceObservability
            }
            Form::Duty | Form::Prohibition | Form::Constraint | Form::DemandsOfData => {
                Category::Policy
            }
            Form::DeploymentModel | Form::RequiresGpu | Form::RequiresMemoryGiB => {
                Category::DeploymentRuntime
            }
        }
    }
}

/// One requirement of a component.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Requirement {
    /// Where it comes from.
    pub form: Form,
    /// Its values: one IRI; the alternatives of a deployment; left operand, operator and right
    /// operand of a constraint; nothing for a GPU; the amount of memory in GiB.
    pub values: Vec<String>,
}

impl Requirement {
    /// A requirement of one value.
    pub fn new(form: Form, value: impl Into<String>) -> Requirement {
        Requirement {
            form,
            values: vec![value.into()],
        }
    }

    /// The one-line term (`interface https://w3id.org/ldtcat/interface/ngsi-ld`).
    pub fn term(&self) -> String {
        let mut term = self.form.key().to_owned();
        for value in &self.values {
            term.push(' ');
            term.push_str(value);
        }
        term
    }

    /// The requirement a term stands for.
    pub fn from_term(term: &str) -> Option<Requirement> {
        let mut words = term.split(' ');
        let key = words.next()?;
        let form = Form::ALL.into_iter().find(|form| form.key() == key)?;
        let values: Vec<String> = words.map(str::to_owned).collect();
        let expected = match form {
            Form::RequiresGpu => values.is_empty(),
            Form::Constraint => values.len() == 3,
            Form::DeploymentModel => !values.is_empty(),
            _ => values.len() == 1,
        };
        expected.then_some(Requirement { form, values })
    }

    /// The values, shortened with well-known prefixes, for explanations.
    pub fn display_value(&self) -> String {
        let shown: Vec<String> = self.values.iter().map(|v| display_iri(v)).collect();
        match self.form {
            Form::DeploymentModel => shown.join(" or "),
            _ => shown.join(" "),
        }
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.form.key(), self.display_value())
    }
}

/// `prefix:local` for IRIs in well-known namespaces (ldtcat's schemes included), else as is.
pub fn display_iri(value: &str) -> String {
    const SCHEMES: [(&str, &str); 4] = [
        ("ldti", "https://w3id.org/ldtcat/interface/"),
        ("ldtd", "https://w3id.org/ldtcat/deployment/"),
        ("ldtc", "https://w3id.org/ldtcat/capability/"),
        ("sdm", "https://smartdatamodels.org/"),
    ];
    if let Some(short) = ns::compact(value) {
        return short;
    }
    for (prefix, namespace) in SCHEMES {
        if let Some(local) = value.strip_prefix(namespace) {
            return format!("{prefix}:{local}");
        }
    }
    value.replace("%20", " ")
}

/// The requirements that the resource `root` states in `triples`, sorted, without repeats.
pub fn requirements_of(root: &str, triples: &[Triple]) -> Vec<Requirement> {
    let view = View::new(triples);
    let ldt = |local: &str| format!("{}{local}", ns::LDT);
    let mut requirements = Vec::new();
    for (form, property) in [
        (Form::ConsumesDataModel, "consumesDataModel"),
        (Form::RequiresInterface, "requiresInterface"),
        (Form::RequiresProvenance, "requiresProvenance"),
        (Form::RequiresObservability, "requiresObservability"),
    ] {
        for value in view.values(root, &ldt(property)) {
            requirements.push(Requirement::new(form, value));
        }
    }
    for demands in view.nodes(root, &ldt("demandsOfData")) {
        for (action, _duties) in permissions(&view, demands) {
            requirements.push(Requirement::new(Form::DemandsOfData, action));
        }
    }
    let deployments = view.values(root, &ldt("deploymentModel"));
    if !deployments.is_empty() {
        requirements.push(Requirement {
            form: Form::DeploymentModel,
            values: deployments,
        });
    }
    if view
        .values(root, &ldt("requiresGpu"))
        .iter()
        .any(|v| is_true(v))
    {
        requirements.push(Requirement {
            form: Form::RequiresGpu,
            values: Vec::new(),
        });
    }
    if let Some(memory) = largest_amount(&view.values(root, &ldt("requiresMemoryGiB"))) {
        requirements.push(Requirement::new(
            Form::RequiresMemoryGiB,
            format_amount(memory),
        ));
    }
    // A component is a resource that states what it needs of an LDT; its own usage terms
    // join those requirements. A dataset's or a profile's odrl:hasPolicy alone makes no
    // component (on a profile it is the LDT's data policy).
    if !requirements.is_empty() {
        for policy in view.nodes(root, &odrl("hasPolicy")) {
            requirements.extend(policy_terms(&view, policy));
        }
    }
    requirements.sort();
    requirements.dedup();
    requirements
}

/// `true` or `1`, as in `xsd:boolean`.
pub(crate) fn is_true(value: &str) -> bool {
    value == "true" || value == "1"
}

/// The largest positive number among literal values, if any.
pub(crate) fn largest_amount(values: &[String]) -> Option<f64> {
    values
        .iter()
        .filter_map(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold(None, |max: Option<f64>, v| {
            Some(max.map_or(v, |m| m.max(v)))
        })
}

/// An amount in its shortest decimal form (`0.5`, `8`).
pub(crate) fn format_amount(amount: f64) -> String {
    format!("{amount}")
}

pub(crate) fn odrl(local: &str) -> String {
    format!("{}{local}", ns::ODRL)
}

/// The duties, prohibitions and constraints of one ODRL policy, as requirements.
pub(crate) fn policy_terms(view: &View<'_>, policy: &str) -> Vec<Requirement> {
    let mut terms = Vec::new();
    for permission in view.nodes(policy, &odrl("permission")) {
        for duty in view.nodes(permission, &odrl("duty")) {
            for action in actions(view, duty) {
                terms.push(Requirement::new(Form::Duty, action));
            }
        }
        for constraint in view.nodes(permission, &odrl("constraint")) {
            let part = |p: &str| view.values(constraint, &odrl(p)).into_iter().next();
            if let (Some(left), Some(operator), Some(right)) =
                (part("leftOperand"), part("operator"), part("rightOperand"))
            {
                terms.push(Requirement {
                    form: Form::Constraint,
                    values: vec![left, operator, right],
                });
            }
        }
    }
    for obligation in view.nodes(policy, &odrl("obligation")) {
        for action in actions(view, obligation) {
            terms.push(Requirement::new(Form::Duty, action));
        }
    }
    for prohibition in view.nodes(policy, &odrl("prohibition")) {
        for action in actions(view, prohibition) {
            terms.push(Requirement::new(Form::Prohibition, action));
        }
    }
    terms
}

/// The permitted actions of one ODRL policy, each with the actions of its duties.
pub(crate) fn permissions(view: &View<'_>, policy: &str) -> Vec<(String, Vec<String>)> {
    let mut permitted = Vec::new();
    for permission in view.nodes(policy, &odrl("permission")) {
        let mut duties: Vec<String> = view
            .nodes(permission, &odrl("duty"))
            .into_iter()
            .flat_map(|duty| actions(view, duty))
            .collect();
        duties.sort();
        duties.dedup();
        for action in actions(view, permission) {
            permitted.push((action, duties.clone()));
        }
    }
    permitted
}

/// The prohibited actions of one ODRL policy.
pub(crate) fn prohibitions(view: &View<'_>, policy: &str) -> Vec<String> {
    view.nodes(policy, &odrl("prohibition"))
        .into_iter()
        .flat_map(|rule| actions(view, rule))
        .collect()
}

/// The actions of an ODRL rule: IRIs, or the `rdf:value` of a refined action.
fn actions(view: &View<'_>, rule: &str) -> Vec<String> {
    let mut actions = Vec::new();
    for term in view.objects(rule, &odrl("action")) {
        match term {
            Term::NamedNode(n) => actions.push(n.as_str().to_owned()),
            Term::BlankNode(b) => {
                actions.extend(view.values(b.as_str(), &format!("{}value", ns::RDF)))
            }
            _ => {}
        }
    }
    actions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_round_trip_for_every_form() {
        let samples = [
            Requirement::new(Form::ConsumesDataModel, "https://example.org/m"),
            Requirement {
                form: Form::DeploymentModel,
                values: vec!["https://a".into(), "https://b".into()],
            },
            Requirement {
                form: Form::Constraint,
                values: vec!["l".into(), "o".into(), "r%20x".into()],
            },
            Requirement {
                form: Form::RequiresGpu,
                values: vec![],
            },
            Requirement::new(Form::RequiresMemoryGiB, "0.5"),
        ];
        for requirement in samples {
            assert_eq!(
                Requirement::from_term(&requirement.term()),
                Some(requirement.clone())
            );
        }
        assert_eq!(Requirement::from_term("unknown x"), None);
        assert_eq!(Requirement::from_term("interface"), None);
        assert_eq!(Requirement::from_term("gpu x"), None);
    }
}
