//! One validation result ([`Finding`]) and the plain-English sentence that explains it.

use oxrdf::{Term, TermRef};

use crate::shapes::{Constraint, NodeKind, Severity};
use crate::terms::{short_iri, short_term};

/// One SHACL validation result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The node that was validated.
    pub focus_node: Term,
    /// The result path in short form (`dct:title`, `^dcat:inSeries`); `None` for node shapes.
    pub result_path: Option<String>,
    /// The source shape's stable key: `<iri>`, or for a blank property shape the key of the
    /// shape that holds it, `/`, and its path
    /// (`<…/shapes.ttl#Dataset_Shape>/<http://purl.org/dc/terms/title>`).
    pub source_shape: String,
    /// The constraint component IRI (`http://www.w3.org/ns/shacl#MinCountConstraintComponent`).
    pub component: &'static str,
    /// The shape's severity.
    pub severity: Severity,
    /// The offending value, when the constraint is about one value.
    pub value: Option<Term>,
    /// What is wrong, in plain English.
    pub message: String,
}

impl Finding {
    /// The component's local name without the `ConstraintComponent` suffix: `MinCount`.
    pub fn component_name(&self) -> &'static str {
        let local = self.component.rsplit('#').next().unwrap_or(self.component);
        local.strip_suffix("ConstraintComponent").unwrap_or(local)
    }
}

/// What a failed constraint reports, before it becomes a [`Finding`].
pub(crate) struct Failure<'a> {
    pub value: Option<TermRef<'a>>,
    /// The predicate of a `sh:closed` result, which has its own path.
    pub path: Option<String>,
    /// The number of value nodes, for the count constraints.
    pub count: usize,
}

/// The sentence for one failure of `constraint`; `path` is the short path of a property
/// shape, `None` for a node shape (whose one value is the focus node).
pub(crate) fn message(
    path: Option<&str>,
    constraint: &Constraint,
    failure: &Failure<'_>,
) -> String {
    let value = failure.value.map(short_term).unwrap_or_default();
    let count = failure.count;
    let subject = path.unwrap_or("the node");
    // "dct:issued value "2020"" for a property shape, "node <x>" for a node shape.
    let what = match path {
        Some(path) => format!("{path} value {value}"),
        None => format!("node {value}"),
    };
    match constraint {
        Constraint::MinCount(min) if count == 0 => {
            format!("{subject} is missing (at least {min} required)")
        }
        Constraint::MinCount(min) => {
            format!("{subject} has {count} values (at least {min} required)")
        }
        Constraint::MaxCount(max) => {
            format!("{subject} has {count} values (at most {max} allowed)")
        }
        Constraint::Class(class) => {
            format!(
                "{what} is not a {} (no rdf:type of that class)",
                short_iri(class.as_str())
            )
        }
        Constraint::Datatype(datatype) => {
            format!(
                "{what} is not a valid {} literal",
                short_iri(datatype.as_str())
            )
        }
        Constraint::NodeKind(kind) => {
            format!("{what} is not {}", node_kind_text(*kind))
        }
        Constraint::MinLength(min) => {
            format!("{what} is shorter than {min} characters")
        }
        Constraint::MaxLength(max) => {
            format!("{what} is longer than {max} characters")
        }
        Constraint::Pattern { source, .. } => {
            format!("{what} does not match {source:?}")
        }
        Constraint::LanguageIn(languages) => {
            format!(
                "{what} is not in one of the languages {}",
                languages.join(", ")
            )
        }
        Constraint::UniqueLang => {
            format!("{subject} has more than one value in the language of {value}")
        }
        Constraint::In(_) => format!("{what} is not one of the allowed values"),
        Constraint::HasValue(required) => format!(
            "{subject} does not include {}",
            short_term(required.as_ref())
        ),
        Constraint::Equals(other) => format!(
            "{subject} and {} differ at {value}",
            short_iri(other.as_str())
        ),
        Constraint::Disjoint(other) => {
            format!("{what} is also a {} value", short_iri(other.as_str()))
        }
        Constraint::Node(_) => {
            format!("{what} does not conform to the required shape")
        }
        Constraint::And(_) => {
            format!("{what} does not conform to every required shape")
        }
        Constraint::Or(_) => {
            format!("{what} conforms to none of the alternatives")
        }
        Constraint::Xone(_) => {
            format!("{what} does not conform to exactly one alternative")
        }
        Constraint::Not(_) => format!("{what} conforms to a shape it must not"),
        Constraint::Closed { .. } => format!(
            "{} is not allowed here (closed shape)",
            failure.path.as_deref().unwrap_or("a property")
        ),
        Constraint::Property(_) => String::new(),
    }
}

fn node_kind_text(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Iri => "an IRI",
        NodeKind::BlankNode => "a blank node",
        NodeKind::Literal => "a literal",
        NodeKind::BlankNodeOrIri => "an IRI or a blank node",
        NodeKind::BlankNodeOrLiteral => "a blank node or a literal",
        NodeKind::IriOrLiteral => "an IRI or a literal",
    }
}
