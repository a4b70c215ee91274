//! Shapes as the engine runs them: a [`ShapeSet`] holds every shape reachable from a targeted
//! shape of one shapes graph, parsed once into plain Rust values.

mod builtin;
mod parse;

use std::collections::HashMap;

use oxrdf::{NamedNode, Term};
use regex::Regex;

use crate::path::Path;

pub use builtin::{shapes_version, EMBEDDED_SHAPES};

/// The index of a shape in its [`ShapeSet`].
pub(crate) type ShapeId = usize;

/// A parsed shapes graph.
#[derive(Debug)]
pub struct ShapeSet {
    pub(crate) name: String,
    pub(crate) shapes: Vec<Shape>,
    pub(crate) by_node: HashMap<Term, ShapeId>,
    pub(crate) unsupported: Vec<String>,
}

impl ShapeSet {
    /// The name given when the set was built (the shapes file name for the built-in sets).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The number of shapes (node and property shapes) in the set.
    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    /// Whether the set holds no shape.
    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }

    /// What the shapes graph asks for that this engine does not evaluate, one line each
    /// (`<shape>: sh:sparql`); empty for every built-in set.
    pub fn unsupported(&self) -> &[String] {
        &self.unsupported
    }
}

/// How serious a result is (`sh:severity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// `sh:Violation`, the default.
    Violation,
    /// `sh:Warning`.
    Warning,
    /// `sh:Info`.
    Info,
}

impl Severity {
    /// The SHACL IRI of this severity.
    pub fn iri(self) -> &'static str {
        match self {
            Severity::Violation => "http://www.w3.org/ns/shacl#Violation",
            Severity::Warning => "http://www.w3.org/ns/shacl#Warning",
            Severity::Info => "http://www.w3.org/ns/shacl#Info",
        }
    }
}

/// One node or property shape.
#[derive(Debug)]
pub(crate) struct Shape {
    /// The stable key: `<iri>`, or for a blank property shape its parent's key, `/`, its path.
    pub key: String,
    /// `Some` for a property shape.
    pub path: Option<Path>,
    pub targets: Vec<Target>,
    pub constraints: Vec<Constraint>,
    pub severity: Severity,
    pub deactivated: bool,
}

/// A target declaration.
#[derive(Debug)]
pub(crate) enum Target {
    Class(Term),
    Node(Term),
    SubjectsOf(NamedNode),
    ObjectsOf(NamedNode),
}

/// The kinds of node `sh:nodeKind` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NodeKind {
    Iri,
    BlankNode,
    Literal,
    BlankNodeOrIri,
    BlankNodeOrLiteral,
    IriOrLiteral,
}

/// One constraint of a shape, with its parameters.
#[derive(Debug)]
pub(crate) enum Constraint {
    Class(NamedNode),
    Datatype(NamedNode),
    NodeKind(NodeKind),
    MinCount(usize),
    MaxCount(usize),
    MinLength(usize),
    MaxLength(usize),
    Pattern { source: String, regex: Regex },
    LanguageIn(Vec<String>),
    UniqueLang,
    In(Vec<Term>),
    HasValue(Term),
    Equals(NamedNode),
    Disjoint(NamedNode),
    Node(ShapeId),
    Property(ShapeId),
    And(Vec<ShapeId>),
    Or(Vec<ShapeId>),
    Xone(Vec<ShapeId>),
    Not(ShapeId),
    Closed { allowed: Vec<NamedNode> },
}

impl Constraint {
    /// The IRI of the constraint component that reports this constraint's results.
    pub fn component(&self) -> &'static str {
        match self {
            Constraint::Class(_) => "http://www.w3.org/ns/shacl#ClassConstraintComponent",
            Constraint::Datatype(_) => "http://www.w3.org/ns/shacl#DatatypeConstraintComponent",
            Constraint::NodeKind(_) => "http://www.w3.org/ns/shacl#NodeKindConstraintComponent",
            Constraint::MinCount(_) => "http://www.w3.org/ns/shacl#MinCountConstraintComponent",
            Constraint::MaxCount(_) => "http://www.w3.org/ns/shacl#MaxCountConstraintComponent",
            Constraint::MinLength(_) => "http://www.w3.org/ns/shacl#MinLengthConstraintComponent",
            Constraint::MaxLength(_) => "http://www.w3.org/ns/shacl#MaxLengthConstraintComponent",
            Constraint::Pattern { .. } => "http://www.w3.org/ns/shacl#PatternConstraintComponent",
            Constraint::LanguageIn(_) => "http://www.w3.org/ns/shacl#LanguageInConstraintComponent",
            Constraint::UniqueLang => "http://www.w3.org/ns/shacl#UniqueLangConstraintComponent",
            Constraint::In(_) => "http://www.w3.org/ns/shacl#InConstraintComponent",
            Constraint::HasValue(_) => "http://www.w3.org/ns/shacl#HasValueConstraintComponent",
            Constraint::Equals(_) => "http://www.w3.org/ns/shacl#EqualsConstraintComponent",
            Constraint::Disjoint(_) => "http://www.w3.org/ns/shacl#DisjointConstraintComponent",
            Constraint::Node(_) => "http://www.w3.org/ns/shacl#NodeConstraintComponent",
            Constraint::Property(_) => "http://www.w3.org/ns/shacl#PropertyConstraintComponent",
            Constraint::And(_) => "http://www.w3.org/ns/shacl#AndConstraintComponent",
            Constraint::Or(_) => "http://www.w3.org/ns/shacl#OrConstraintComponent",
            Constraint::Xone(_) => "http://www.w3.org/ns/shacl#XoneConstraintComponent",
            Constraint::Not(_) => "http://www.w3.org/ns/shacl#NotConstraintComponent",
            Constraint::Closed { .. } => "http://www.w3.org/ns/shacl#ClosedConstraintComponent",
        }
    }
}
