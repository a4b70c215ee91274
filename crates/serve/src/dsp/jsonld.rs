//! A record's statements written as compact JSON-LD under the DSP 2025-1 context, node by
//! node: every statement of a node becomes a key (a compact IRI such as `dct:title` when one
//! of the context's prefixes fits, else the full IRI) with values in their expanded form
//! (`{"@value": …, "@language": …}`, `{"@id": …}`), so that the values mean the same
//! whatever the DSP terms coerce; blank nodes and nodes the record describes are embedded
//! where they are first met, and referenced by `@id` after that. The DSP terms themselves
//! (`hasPolicy`, `distribution`, `permission`, ...) are written by `message` and `offer`.

use std::collections::{BTreeMap, HashMap, HashSet};

use ldtcat_vocab::ns;
use oxrdf::{Literal, NamedOrBlankNode, Term, Triple};
use serde_json::{json, Map, Value};

/// The DSP 2025-1 context, the only entry of every message's `@context`.
pub(crate) const DSP_CONTEXT: &str = "https://w3id.org/dspace/2025/1/context.jsonld";

/// The prefixes the DSP context defines.
const PREFIXES: [(&str, &str); 5] = [
    ("dcat", ns::DCAT),
    ("dct", ns::DCT),
    ("odrl", ns::ODRL),
    ("xsd", ns::XSD),
    ("dspace", "https://w3id.org/dspace/2025/1/"),
];

/// The DSP terms for classes, used in `@type` (they also select the terms' scoped contexts).
const CLASS_TERMS: [(&str, &str); 4] = [
    ("Dataset", "http://www.w3.org/ns/dcat#Dataset"),
    ("Distribution", "http://www.w3.org/ns/dcat#Distribution"),
    ("DataService", "http://www.w3.org/ns/dcat#DataService"),
    ("Catalog", "http://www.w3.org/ns/dcat#Catalog"),
];

/// `rdf:type`.
pub(crate) fn rdf_type() -> String {
    format!("{}type", ns::RDF)
}

/// An IRI as a compact IRI when a DSP prefix fits and the rest is a plain name.
pub(crate) fn compact_iri(iri: &str) -> String {
    for (prefix, namespace) in PREFIXES {
        if let Some(local) = iri.strip_prefix(namespace) {
            let plain = !local.is_empty()
                && local
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
                && !local.starts_with(['.', '-']);
            if plain {
                return format!("{prefix}:{local}");
            }
        }
    }
    iri.to_owned()
}

/// A class IRI as written in `@type`: its DSP term, else a compact IRI.
pub(crate) fn type_name(iri: &str) -> String {
    CLASS_TERMS
        .iter()
        .find(|(_, class)| *class == iri)
        .map_or_else(|| compact_iri(iri), |(term, _)| (*term).to_owned())
}

/// The key of a node: its IRI, or `_:label`.
pub(crate) fn node_key(node: &NamedOrBlankNode) -> String {
    match node {
        NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
        NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

/// The key of a term that can be a subject (IRI or blank node).
pub(crate) fn term_key(term: &Term) -> Option<String> {
    match term {
        Term::NamedNode(n) => Some(n.as_str().to_owned()),
        Term::BlankNode(b) => Some(format!("_:{}", b.as_str())),
        _ => None,
    }
}

/// A literal in its expanded form.
pub(crate) fn literal_value(literal: &Literal) -> Value {
    if let Some(language) = literal.language() {
        return json!({"@value": literal.value(), "@language": language});
    }
    let datatype = literal.datatype().as_str();
    if datatype == format!("{}string", ns::XSD) {
        return json!({"@value": literal.value()});
    }
    json!({"@value": literal.value(), "@type": compact_iri(datatype)})
}

/// A record's statements by subject, each subject's in document order.
pub(crate) struct RecordGraph<'a> {
    by_subject: HashMap<String, Vec<&'a Triple>>,
    /// How often each blank node is the object of a statement.
    blank_uses: HashMap<String, usize>,
}

impl<'a> RecordGraph<'a> {
    /// Indexes `triples`.
    pub(crate) fn new(triples: &'a [Triple]) -> RecordGraph<'a> {
        let mut by_subject: HashMap<String, Vec<&'a Triple>> = HashMap::new();
        let mut blank_uses: HashMap<String, usize> = HashMap::new();
        for triple in triples {
            by_subject
                .entry(node_key(&triple.subject))
                .or_default()
                .push(triple);
            if let Term::BlankNode(blank) = &triple.object {
                *blank_uses
                    .entry(format!("_:{}", blank.as_str()))
                    .or_default() += 1;
            }
        }
        RecordGraph {
            by_subject,
            blank_uses,
        }
    }

    /// The statements of a node (by key).
    pub(crate) fn statements(&self, key: &str) -> &[&'a Triple] {
        self.by_subject.get(key).map_or(&[], Vec::as_slice)
    }

    /// Whether the record says something about the node.
    pub(crate) fn describes(&self, key: &str) -> bool {
        self.by_subject.contains_key(key)
    }

    /// The objects of `key`'s statements with `predicate`.
    pub(crate) fn objects(&self, key: &str, predicate: &str) -> Vec<&'a Term> {
        self.statements(key)
            .iter()
            .filter(|t| t.predicate.as_str() == predicate)
            .map(|t| &t.object)
            .collect()
    }

    /// The IRIs among `key`'s objects of `predicate`.
    pub(crate) fn iris(&self, key: &str, predicate: &str) -> Vec<String> {
        self.objects(key, predicate)
            .into_iter()
            .filter_map(|term| match term {
                Term::NamedNode(n) => Some(n.as_str().to_owned()),
                _ => None,
            })
            .collect()
    }

    /// Whether a blank node is referenced from more than one place.
    fn shared(&self, key: &str) -> bool {
        self.blank_uses.get(key).copied().unwrap_or(0) > 1
    }
}

/// Writes nodes of a record, remembering which were embedded already.
#[derive(Clone)]
pub(crate) struct NodeWriter<'g, 'a> {
    pub(crate) graph: &'g RecordGraph<'a>,
    emitted: HashSet<String>,
}

impl<'g, 'a> NodeWriter<'g, 'a> {
    /// A writer with nothing written yet.
    pub(crate) fn new(graph: &'g RecordGraph<'a>) -> NodeWriter<'g, 'a> {
        NodeWriter {
            graph,
            emitted: HashSet::new(),
        }
    }

    /// Marks a node as written (its statements are embedded by the caller).
    pub(crate) fn claim(&mut self, key: &str) -> bool {
        self.emitted.insert(key.to_owned())
    }

    /// The `@id` to give a node object: its IRI, or its blank label when it is referenced
    /// from more than one place (or `always`).
    pub(crate) fn id_of(&self, key: &str, always: bool) -> Option<Value> {
        if !key.starts_with("_:") || always || self.graph.shared(key) {
            return Some(Value::String(key.to_owned()));
        }
        None
    }

    /// A statement's object as a JSON-LD value: a literal, a reference, or the embedded node.
    pub(crate) fn value(&mut self, term: &Term) -> Value {
        match term {
            Term::Literal(literal) => literal_value(literal),
            other => match term_key(other) {
                Some(key) if self.graph.describes(&key) && !self.emitted.contains(&key) => {
                    self.node(&key)
                }
                Some(key) => json!({ "@id": key }),
                None => Value::Null,
            },
        }
    }

    /// A whole node: `@id`, `@type` and every statement.
    pub(crate) fn node(&mut self, key: &str) -> Value {
        self.claim(key);
        let mut object = Map::new();
        if let Some(id) = self.id_of(key, false) {
            object.insert("@id".to_owned(), id);
        }
        let types: Vec<String> = self
            .graph
            .iris(key, &rdf_type())
            .iter()
            .map(|iri| type_name(iri))
            .collect();
        insert_types(&mut object, types);
        self.properties(key, &mut object, &[]);
        Value::Object(object)
    }

    /// Adds every statement of `key` except `rdf:type` and the predicates in `skip`, one key
    /// per predicate (values in document order).
    pub(crate) fn properties(&mut self, key: &str, object: &mut Map<String, Value>, skip: &[&str]) {
        let rdf_type = rdf_type();
        let mut by_predicate: BTreeMap<String, Vec<&'a Term>> = BTreeMap::new();
        for triple in self.graph.statements(key) {
            let predicate = triple.predicate.as_str();
            if predicate == rdf_type || skip.contains(&predicate) {
                continue;
            }
            by_predicate
                .entry(predicate.to_owned())
                .or_default()
                .push(&triple.object);
        }
        for (predicate, terms) in by_predicate {
            let values: Vec<Value> = terms
                .into_iter()
                .map(|term| self.value(term))
                .filter(|v| !v.is_null())
                .collect();
            add_values(object, compact_iri(&predicate), values);
        }
    }
}

/// Sets `@type`: one name as a string, several as an array, none not at all.
pub(crate) fn insert_types(object: &mut Map<String, Value>, mut types: Vec<String>) {
    types.dedup();
    match types.len() {
        0 => {}
        1 => {
            object.insert("@type".to_owned(), Value::String(types.remove(0)));
        }
        _ => {
            object.insert(
                "@type".to_owned(),
                Value::Array(types.into_iter().map(Value::String).collect()),
            );
        }
    }
}

/// Appends values under a key (an array; a key written twice keeps both).
pub(crate) fn add_values(object: &mut Map<String, Value>, key: String, values: Vec<Value>) {
    if values.is_empty() {
        return;
    }
    match object.get_mut(&key) {
        Some(Value::Array(existing)) => existing.extend(values),
        _ => {
            object.insert(key, Value::Array(values));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdf::{BlankNode, NamedNode};

    fn iri(text: &str) -> NamedNode {
        NamedNode::new_unchecked(text)
    }

    #[test]
    fn iris_compact_only_to_plain_names() {
        assert_eq!(compact_iri("http://purl.org/dc/terms/title"), "dct:title");
        assert_eq!(
            compact_iri("http://purl.org/dc/terms/a/b"),
            "http://purl.org/dc/terms/a/b"
        );
        assert_eq!(
            compact_iri("https://w3id.org/ldtcat/ns#kind"),
            "https://w3id.org/ldtcat/ns#kind"
        );
        assert_eq!(
            type_name("http://www.w3.org/ns/dcat#Distribution"),
            "Distribution"
        );
    }

    #[test]
    fn shared_blank_nodes_are_embedded_once_and_then_referenced() {
        let (a, b) = (iri("https://x.org/a"), BlankNode::new_unchecked("p"));
        let triples = vec![
            Triple::new(
                a.clone(),
                iri("http://purl.org/dc/terms/publisher"),
                b.clone(),
            ),
            Triple::new(
                a.clone(),
                iri("http://purl.org/dc/terms/creator"),
                b.clone(),
            ),
            Triple::new(
                b,
                iri("http://xmlns.com/foaf/0.1/name"),
                Literal::new_language_tagged_literal_unchecked("Antibes", "fr"),
            ),
        ];
        let graph = RecordGraph::new(&triples);
        let mut writer = NodeWriter::new(&graph);
        let node = writer.node("https://x.org/a");
        assert_eq!(
            node,
            json!({
                "@id": "https://x.org/a",
                "dct:creator": [{"@id": "_:p", "http://xmlns.com/foaf/0.1/name": [{"@value": "Antibes", "@language": "fr"}]}],
                "dct:publisher": [{"@id": "_:p"}],
            })
        );
    }
}
