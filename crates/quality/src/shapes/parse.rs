//! Reading a SHACL shapes graph (Turtle) into a [`ShapeSet`]: every shape reachable from a
//! shape with a target, its path, its constraints and its severity.

use std::collections::HashMap;

use oxrdf::{Graph, NamedNode, NamedNodeRef, Term, TermRef};
use oxrdfio::{RdfFormat, RdfParser};
use regex::RegexBuilder;

use super::{Constraint, NodeKind, Severity, Shape, ShapeId, ShapeSet, Target};
use crate::error::QualityError;
use crate::path::Path;
use crate::terms::{RDF_FIRST, RDF_NIL, RDF_REST, SH};

/// SHACL parameters this engine does not evaluate; a shape using one is listed in
/// [`ShapeSet::unsupported`] and the parameter is skipped, never guessed at.
const UNSUPPORTED: &[&str] = &[
    "sparql",
    "target",
    "qualifiedValueShape",
    "lessThan",
    "lessThanOrEquals",
    "minExclusive",
    "minInclusive",
    "maxExclusive",
    "maxInclusive",
    "rule",
];

impl ShapeSet {
    /// Parses a Turtle shapes graph; `name` appears in errors and in [`ShapeSet::name`].
    pub fn from_turtle(name: &str, turtle: &str) -> Result<ShapeSet, QualityError> {
        let mut graph = Graph::new();
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle) {
            let quad = quad.map_err(|error| QualityError::ShapesSyntax {
                name: name.to_owned(),
                message: error.to_string(),
            })?;
            graph.insert(quad.as_ref());
        }
        let mut reader = ShapesReader {
            name,
            graph: &graph,
            set: ShapeSet {
                name: name.to_owned(),
                shapes: Vec::new(),
                by_node: HashMap::new(),
                unsupported: Vec::new(),
            },
        };
        for root in targeted_shapes(&graph) {
            reader.shape(&root, None)?;
        }
        Ok(reader.set)
    }
}

/// The subjects of a target predicate, sorted for a stable shape order.
fn targeted_shapes(graph: &Graph) -> Vec<Term> {
    let mut roots: Vec<Term> = [
        "targetClass",
        "targetNode",
        "targetSubjectsOf",
        "targetObjectsOf",
    ]
    .iter()
    .flat_map(|local| {
        let predicate = sh(local);
        graph
            .triples_for_predicate(NamedNodeRef::new_unchecked(predicate.as_str()))
            .map(|triple| Term::from(triple.subject.into_owned()))
            .collect::<Vec<_>>()
    })
    .collect();
    roots.sort_by_key(|term| term.to_string());
    roots.dedup();
    roots
}

fn sh(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SH}{local}"))
}

struct ShapesReader<'g> {
    name: &'g str,
    graph: &'g Graph,
    set: ShapeSet,
}

impl ShapesReader<'_> {
    /// The id of the shape at `node`, parsing it on first sight.
    fn shape(&mut self, node: &Term, parent_key: Option<&str>) -> Result<ShapeId, QualityError> {
        if let Some(id) = self.set.by_node.get(node) {
            return Ok(*id);
        }
        let id = self.set.shapes.len();
        self.set.by_node.insert(node.clone(), id);
        let path = match self.object(node, "path") {
            Some(path) => Some(self.path(&path, node)?),
            None => None,
        };
        let key = match (node, &path) {
            (Term::NamedNode(iri), _) => format!("<{}>", iri.as_str()),
            (_, path) => format!(
                "{}/{}",
                parent_key.unwrap_or("_:"),
                path.as_ref().map(Path::key).unwrap_or_default()
            ),
        };
        self.set.shapes.push(Shape {
            key: key.clone(),
            path,
            targets: Vec::new(),
            constraints: Vec::new(),
            severity: Severity::Violation,
            deactivated: false,
        });
        let (targets, constraints) = self.parameters(node, &key)?;
        let severity = self.severity(node);
        let deactivated = self
            .object(node, "deactivated")
            .is_some_and(|value| matches!(value, Term::Literal(l) if l.value() == "true"));
        let shape = &mut self.set.shapes[id];
        shape.targets = targets;
        shape.constraints = constraints;
        shape.severity = severity;
        shape.deactivated = deactivated;
        Ok(id)
    }

    fn parameters(
        &mut self,
        node: &Term,
        key: &str,
    ) -> Result<(Vec<Target>, Vec<Constraint>), QualityError> {
        let mut targets = Vec::new();
        let mut constraints = Vec::new();
        for (local, value) in self.sh_statements(node) {
            match local.as_str() {
                "targetClass" => targets.push(Target::Class(value)),
                "targetNode" => targets.push(Target::Node(value)),
                "targetSubjectsOf" => targets.push(Target::SubjectsOf(self.iri(&value, key)?)),
                "targetObjectsOf" => targets.push(Target::ObjectsOf(self.iri(&value, key)?)),
                "class" => constraints.push(Constraint::Class(self.iri(&value, key)?)),
                "datatype" => constraints.push(Constraint::Datatype(self.iri(&value, key)?)),
                "nodeKind" => constraints.push(Constraint::NodeKind(self.node_kind(&value, key)?)),
                "minCount" => constraints.push(Constraint::MinCount(self.number(&value, key)?)),
                "maxCount" => constraints.push(Constraint::MaxCount(self.number(&value, key)?)),
                "minLength" => constraints.push(Constraint::MinLength(self.number(&value, key)?)),
                "maxLength" => constraints.push(Constraint::MaxLength(self.number(&value, key)?)),
                "pattern" => constraints.push(self.pattern(node, &value, key)?),
                "languageIn" => constraints.push(Constraint::LanguageIn(
                    self.list(&value).iter().map(lexical).collect(),
                )),
                "uniqueLang" if lexical(&value) == "true" => {
                    constraints.push(Constraint::UniqueLang)
                }
                "in" => constraints.push(Constraint::In(self.list(&value))),
                "hasValue" => constraints.push(Constraint::HasValue(value)),
                "equals" => constraints.push(Constraint::Equals(self.iri(&value, key)?)),
                "disjoint" => constraints.push(Constraint::Disjoint(self.iri(&value, key)?)),
                "node" => constraints.push(Constraint::Node(self.shape(&value, None)?)),
                "not" => constraints.push(Constraint::Not(self.shape(&value, None)?)),
                "property" => {
                    constraints.push(Constraint::Property(self.shape(&value, Some(key))?))
                }
                "and" => constraints.push(Constraint::And(self.shape_list(&value)?)),
                "or" => constraints.push(Constraint::Or(self.shape_list(&value)?)),
                "xone" => constraints.push(Constraint::Xone(self.shape_list(&value)?)),
                "closed" if lexical(&value) == "true" => {
                    constraints.push(self.closed(node, key)?);
                }
                other if UNSUPPORTED.contains(&other) => {
                    self.set.unsupported.push(format!("{key}: sh:{other}"));
                }
                _ => {}
            }
        }
        Ok((targets, constraints))
    }

    /// `sh:closed true`: the predicates of the shape's property shapes and `sh:ignoredProperties`.
    fn closed(&mut self, node: &Term, key: &str) -> Result<Constraint, QualityError> {
        let mut allowed = Vec::new();
        for value in self.objects(node, "property") {
            let id = self.shape(&value, Some(key))?;
            if let Some(Path::Predicate(predicate)) = &self.set.shapes[id].path {
                allowed.push(predicate.clone());
            }
        }
        if let Some(list) = self.object(node, "ignoredProperties") {
            for value in self.list(&list) {
                allowed.push(self.iri(&value, key)?);
            }
        }
        Ok(Constraint::Closed { allowed })
    }

    fn pattern(&self, node: &Term, value: &Term, key: &str) -> Result<Constraint, QualityError> {
        let source = lexical(value);
        let flags = self
            .object(node, "flags")
            .map(|flags| lexical(&flags))
            .unwrap_or_default();
        let regex = RegexBuilder::new(&source)
            .case_insensitive(flags.contains('i'))
            .multi_line(flags.contains('m'))
            .dot_matches_new_line(flags.contains('s'))
            .ignore_whitespace(flags.contains('x'))
            .build()
            .map_err(|error| self.malformed(key, format!("sh:pattern {source:?}: {error}")))?;
        Ok(Constraint::Pattern { source, regex })
    }

    fn path(&self, node: &Term, shape: &Term) -> Result<Path, QualityError> {
        let key = shape.to_string();
        if let Term::NamedNode(predicate) = node {
            return Ok(Path::Predicate(predicate.clone()));
        }
        if self.object_of(node, RDF_FIRST).is_some() {
            let parts = self
                .list(node)
                .iter()
                .map(|part| self.path(part, shape))
                .collect::<Result<_, _>>()?;
            return Ok(Path::Sequence(parts));
        }
        if let Some(inner) = self.object(node, "inversePath") {
            return Ok(Path::Inverse(Box::new(self.path(&inner, shape)?)));
        }
        if let Some(list) = self.object(node, "alternativePath") {
            let parts = self
                .list(&list)
                .iter()
                .map(|part| self.path(part, shape))
                .collect::<Result<_, _>>()?;
            return Ok(Path::Alternative(parts));
        }
        for (local, wrap) in [
            ("zeroOrMorePath", Path::ZeroOrMore as fn(Box<Path>) -> Path),
            ("oneOrMorePath", Path::OneOrMore),
            ("zeroOrOnePath", Path::ZeroOrOne),
        ] {
            if let Some(inner) = self.object(node, local) {
                return Ok(wrap(Box::new(self.path(&inner, shape)?)));
            }
        }
        Err(self.malformed(&key, format!("{node} is not a property path")))
    }

    fn shape_list(&mut self, head: &Term) -> Result<Vec<ShapeId>, QualityError> {
        self.list(head)
            .iter()
            .map(|member| self.shape(member, None))
            .collect()
    }

    fn severity(&self, node: &Term) -> Severity {
        match self.object(node, "severity") {
            Some(Term::NamedNode(iri)) if iri.as_str() == format!("{SH}Warning") => {
                Severity::Warning
            }
            Some(Term::NamedNode(iri)) if iri.as_str() == format!("{SH}Info") => Severity::Info,
            _ => Severity::Violation,
        }
    }

    fn node_kind(&self, value: &Term, key: &str) -> Result<NodeKind, QualityError> {
        let iri = self.iri(value, key)?;
        let kind = match iri.as_str().strip_prefix(SH).unwrap_or_default() {
            "IRI" => NodeKind::Iri,
            "BlankNode" => NodeKind::BlankNode,
            "Literal" => NodeKind::Literal,
            "BlankNodeOrIRI" => NodeKind::BlankNodeOrIri,
            "BlankNodeOrLiteral" => NodeKind::BlankNodeOrLiteral,
            "IRIOrLiteral" => NodeKind::IriOrLiteral,
            _ => return Err(self.malformed(key, format!("unknown sh:nodeKind {iri}"))),
        };
        Ok(kind)
    }

    fn number(&self, value: &Term, key: &str) -> Result<usize, QualityError> {
        lexical(value)
            .trim()
            .parse()
            .map_err(|_| self.malformed(key, format!("{value} is not a non-negative integer")))
    }

    fn iri(&self, value: &Term, key: &str) -> Result<NamedNode, QualityError> {
        match value {
            Term::NamedNode(iri) => Ok(iri.clone()),
            other => Err(self.malformed(key, format!("{other} is not an IRI"))),
        }
    }

    fn malformed(&self, key: &str, message: String) -> QualityError {
        QualityError::BadShape {
            name: self.name.to_owned(),
            shape: key.to_owned(),
            message,
        }
    }

    /// The `sh:` statements of `node` as (local name, object), in graph order.
    fn sh_statements(&self, node: &Term) -> Vec<(String, Term)> {
        let Some(subject) = subject_of(node) else {
            return Vec::new();
        };
        self.graph
            .triples_for_subject(subject)
            .filter_map(|triple| {
                let local = triple.predicate.as_str().strip_prefix(SH)?;
                Some((local.to_owned(), triple.object.into_owned()))
            })
            .collect()
    }

    fn object(&self, node: &Term, sh_local: &str) -> Option<Term> {
        self.object_of(node, &format!("{SH}{sh_local}"))
    }

    fn objects(&self, node: &Term, sh_local: &str) -> Vec<Term> {
        let Some(subject) = subject_of(node) else {
            return Vec::new();
        };
        let predicate = sh(sh_local);
        self.graph
            .objects_for_subject_predicate(subject, &predicate)
            .map(TermRef::into_owned)
            .collect()
    }

    fn object_of(&self, node: &Term, predicate: &str) -> Option<Term> {
        let subject = subject_of(node)?;
        self.graph
            .object_for_subject_predicate(subject, NamedNodeRef::new_unchecked(predicate))
            .map(TermRef::into_owned)
    }

    /// The members of the RDF list starting at `head` (stops at a cycle or a broken link).
    fn list(&self, head: &Term) -> Vec<Term> {
        let mut members = Vec::new();
        let mut current = head.clone();
        while !matches!(&current, Term::NamedNode(iri) if iri.as_str() == RDF_NIL)
            && members.len() < 10_000
        {
            let Some(first) = self.object_of(&current, RDF_FIRST) else {
                break;
            };
            members.push(first);
            let Some(rest) = self.object_of(&current, RDF_REST) else {
                break;
            };
            current = rest;
        }
        members
    }
}

fn subject_of(node: &Term) -> Option<oxrdf::NamedOrBlankNodeRef<'_>> {
    match node {
        Term::NamedNode(iri) => Some(iri.as_ref().into()),
        Term::BlankNode(blank) => Some(blank.as_ref().into()),
        _ => None,
    }
}

/// The lexical form of a literal, the IRI of a named node.
fn lexical(term: &Term) -> String {
    match term {
        Term::Literal(literal) => literal.value().to_owned(),
        Term::NamedNode(iri) => iri.as_str().to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_property_shape_gets_its_parent_and_path_as_key_and_sparql_is_listed_as_unsupported() {
        let turtle = r#"
            @prefix sh: <http://www.w3.org/ns/shacl#> .
            <urn:S> a sh:NodeShape ; sh:targetClass <urn:C> ;
                sh:property [ sh:path [ sh:inversePath <urn:p> ] ; sh:minCount 1 ; sh:severity sh:Warning ] ;
                sh:sparql [ sh:select "SELECT $this WHERE {}" ] .
        "#;
        let set = ShapeSet::from_turtle("test", turtle).expect("parses");
        assert_eq!(set.len(), 2);
        assert_eq!(set.shapes[1].key, "<urn:S>/^<urn:p>");
        assert_eq!(set.shapes[1].severity, Severity::Warning);
        assert_eq!(set.unsupported(), ["<urn:S>: sh:sparql"]);
    }
}
