//! One validation result ([`Finding`]) and the sentence that explains it ([`Sentence`]).

use oxrdf::{Term, TermRef};

use crate::sentence::{Arg, Sentence};
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
    /// What is wrong, as a message key and arguments ([`Finding::message`] in English).
    pub sentence: Sentence,
}

impl Finding {
    /// What is wrong, in plain English.
    pub fn message(&self) -> String {
        self.sentence.english()
    }

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
pub(crate) fn sentence(
    path: Option<&str>,
    constraint: &Constraint,
    failure: &Failure<'_>,
) -> Sentence {
    let value = failure.value.map(short_term).unwrap_or_default();
    let count = failure.count.to_string();
    let subject = || match path {
        Some(path) => Arg::Text(path.to_owned()),
        None => Arg::Sentence(Sentence::new("the_node")),
    };
    // "dct:issued value "2020"" for a property shape, "node <x>" for a node shape.
    let what = || match path {
        Some(path) => Sentence::new("value_of")
            .text("path", path)
            .text("value", value.clone()),
        None => Sentence::new("node_value").text("value", value.clone()),
    };
    let about_value = |key: &'static str| Sentence::new(key).nested("what", what());
    match constraint {
        Constraint::MinCount(min) if failure.count == 0 => Sentence::new("missing")
            .arg("subject", subject())
            .text("min", min.to_string()),
        Constraint::MinCount(min) => Sentence::new("too_few")
            .arg("subject", subject())
            .text("count", count)
            .text("min", min.to_string()),
        Constraint::MaxCount(max) => Sentence::new("too_many")
            .arg("subject", subject())
            .text("count", count)
            .text("max", max.to_string()),
        Constraint::Class(class) => about_value("class").text("class", short_iri(class.as_str())),
        Constraint::Datatype(datatype) => {
            about_value("datatype").text("datatype", short_iri(datatype.as_str()))
        }
        Constraint::NodeKind(kind) => {
            about_value("node_kind").nested("kind", Sentence::new(node_kind_key(*kind)))
        }
        Constraint::MinLength(min) => about_value("min_length").text("min", min.to_string()),
        Constraint::MaxLength(max) => about_value("max_length").text("max", max.to_string()),
        Constraint::Pattern { source, .. } => {
            about_value("pattern").text("pattern", format!("{source:?}"))
        }
        Constraint::LanguageIn(languages) => {
            about_value("language_in").text("languages", languages.join(", "))
        }
        Constraint::UniqueLang => Sentence::new("unique_lang")
            .arg("subject", subject())
            .text("value", value.clone()),
        Constraint::In(_) => about_value("in"),
        Constraint::HasValue(required) => Sentence::new("has_value")
            .arg("subject", subject())
            .text("required", short_term(required.as_ref())),
        Constraint::Equals(other) => Sentence::new("equals")
            .arg("subject", subject())
            .text("other", short_iri(other.as_str()))
            .text("value", value.clone()),
        Constraint::Disjoint(other) => {
            about_value("disjoint").text("other", short_iri(other.as_str()))
        }
        Constraint::Node(_) => about_value("node"),
        Constraint::And(_) => about_value("and"),
        Constraint::Or(_) => about_value("or"),
        Constraint::Xone(_) => about_value("xone"),
        Constraint::Not(_) => about_value("not"),
        Constraint::Closed { .. } => match failure.path.as_deref() {
            Some(property) => Sentence::new("closed").text("property", property),
            None => Sentence::new("closed").nested("property", Sentence::new("a_property")),
        },
        Constraint::Property(_) => Sentence::new("property"),
    }
}

fn node_kind_key(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Iri => "kind_iri",
        NodeKind::BlankNode => "kind_blank_node",
        NodeKind::Literal => "kind_literal",
        NodeKind::BlankNodeOrIri => "kind_blank_node_or_iri",
        NodeKind::BlankNodeOrLiteral => "kind_blank_node_or_literal",
        NodeKind::IriOrLiteral => "kind_iri_or_literal",
    }
}
