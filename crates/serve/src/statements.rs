//! A record's statements, grouped for reading: the resource's own properties first, then its
//! distributions, then any other node of the description.
//!
//! Nodes that a statement points to (blank nodes, and IRIs described in the record such as a
//! publisher) are shown nested under the first statement that reaches them, down to
//! [`MAX_DEPTH`]; deeper or already shown blank nodes read "(node)". Nesting is flattened into
//! rows with a depth, so templates need no recursion.

use std::collections::{BTreeMap, HashSet};

use ldtcat_model::extract::normalise_format;
use ldtcat_model::summary::{pick_display, LangString};
use ldtcat_vocab::ns;
use oxrdf::{NamedOrBlankNode, Term, Triple};

use crate::labels::{compact_or_full, is_web_iri, predicate_label, predicate_rank};
use crate::resolver::Label;
use crate::rich_text::RichText;

/// How an IRI is named on the page (the [`Labels`](crate::resolver::Labels) resolution with
/// the record first, in the visitor's languages).
pub type NameOf<'a> = &'a dyn Fn(&str) -> Label;

/// Predicates whose IRI values are addresses to follow: shown as themselves.
const LOCATOR_PREDICATES: &[&str] = &[
    "dcat:accessURL",
    "dcat:downloadURL",
    "dcat:landingPage",
    "dcat:endpointURL",
    "dcat:endpointDescription",
    "foaf:homepage",
    "foaf:page",
    "vcard:hasURL",
    "rdfs:seeAlso",
];

/// Predicates whose literals are rich text (HTML, Markdown or text with line breaks).
const RICH_TEXT_PREDICATES: &[&str] = &["dct:description", "adms:versionNotes", "rdfs:comment"];

/// How deep nodes nest under the statement that reaches them.
pub const MAX_DEPTH: usize = 3;

/// One value of a property, ready for a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// An `http`/`https` IRI: a link.
    Link {
        /// The IRI.
        href: String,
        /// Its label (`Environment`), or the IRI itself for addresses to follow.
        text: String,
        /// The label's language, when known.
        lang: Option<String>,
    },
    /// A description: sanitised HTML.
    Rich {
        /// Safe HTML.
        html: String,
        /// The container's CSS class.
        class: &'static str,
        /// The language tag.
        lang: Option<String>,
    },
    /// Another IRI (`urn:`, `mailto:`): text only.
    Iri {
        /// The IRI, compacted where possible.
        text: String,
    },
    /// A literal.
    Literal {
        /// The lexical value.
        text: String,
        /// The language tag.
        lang: Option<String>,
        /// The datatype, compacted, unless it is a plain string.
        datatype: Option<String>,
    },
    /// A blank node: described in the rows below when `nested`, else just "(node)".
    Node {
        /// Whether its properties follow, one level deeper.
        nested: bool,
    },
    /// A distribution of the resource, described in its own section.
    Distribution {
        /// The section's anchor.
        anchor: String,
        /// The distribution's heading.
        text: String,
    },
}

/// One predicate of one node and its values, at a nesting depth (0 for the node itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyRow {
    /// 0 for the section's node, 1 for a node nested under it, ...
    pub depth: usize,
    /// The predicate IRI.
    pub predicate: String,
    /// `dct:title`, or the IRI.
    pub compact: String,
    /// "Title".
    pub label: String,
    /// The values.
    pub values: Vec<Value>,
}

/// One distribution of the resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistributionView {
    /// The section's anchor (`distribution-1`).
    pub anchor: String,
    /// Its title, else "Distribution n".
    pub title: String,
    /// `dcat:accessURL` values.
    pub access_urls: Vec<Value>,
    /// `dcat:downloadURL` values.
    pub download_urls: Vec<Value>,
    /// Normalised formats and media types.
    pub formats: Vec<String>,
    /// Every property.
    pub rows: Vec<PropertyRow>,
}

/// A node of the description that no shown statement reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeSection {
    /// Its IRI, or "(node)" for a blank node.
    pub heading: Value,
    /// Every property.
    pub rows: Vec<PropertyRow>,
}

/// A record's statements, grouped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statements {
    /// The resource's own properties (and nodes nested under them).
    pub resource: Vec<PropertyRow>,
    /// The distributions.
    pub distributions: Vec<DistributionView>,
    /// The remaining nodes.
    pub others: Vec<NodeSection>,
}

/// A subject or object node, as a map key (`<iri>` or `_:id`).
fn node_key(node: &NamedOrBlankNode) -> String {
    match node {
        NamedOrBlankNode::NamedNode(n) => format!("<{}>", n.as_str()),
        NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

fn term_key(term: &Term) -> Option<String> {
    match term {
        Term::NamedNode(n) => Some(format!("<{}>", n.as_str())),
        Term::BlankNode(b) => Some(format!("_:{}", b.as_str())),
        _ => None,
    }
}

/// Builds the grouped view; `resource_iri` is the record's resource, `name_of` names IRIs.
pub fn group_statements(resource_iri: &str, triples: &[Triple], name_of: NameOf<'_>) -> Statements {
    let mut builder = Builder::new(triples, name_of);
    let root = format!("<{resource_iri}>");
    builder.visited.insert(root.clone());
    let distribution_keys: Vec<String> = builder
        .objects(&root, &format!("{}distribution", ns::DCAT))
        .filter_map(term_key)
        .filter(|key| builder.by_subject.contains_key(key))
        .collect();
    for (number, key) in distribution_keys.iter().enumerate() {
        if builder.visited.insert(key.clone()) {
            let text = builder
                .title_of(key)
                .unwrap_or_else(|| format!("Distribution {}", number + 1));
            let anchor = format!("distribution-{}", number + 1);
            builder.distributions.insert(key.clone(), (anchor, text));
        }
    }
    let resource = builder.rows_for(&root, 0);
    let mut distributions = Vec::new();
    for key in &distribution_keys {
        if let Some((anchor, title)) = builder.distributions.get(key).cloned() {
            distributions.push(builder.distribution_view(key, anchor, title));
        }
    }
    let mut others = Vec::new();
    let subjects: Vec<String> = builder.by_subject.keys().cloned().collect();
    // Named nodes first (`<` sorts before `_`), then blank nodes.
    for key in subjects {
        if builder.visited.insert(key.clone()) {
            let heading = match builder.by_subject.get(&key).and_then(|t| t.first()) {
                Some(triple) => subject_value(&triple.subject, name_of),
                None => Value::Node { nested: false },
            };
            let rows = builder.rows_for(&key, 0);
            others.push(NodeSection { heading, rows });
        }
    }
    Statements {
        resource,
        distributions,
        others,
    }
}

struct Builder<'a> {
    name_of: NameOf<'a>,
    by_subject: BTreeMap<String, Vec<&'a Triple>>,
    visited: HashSet<String>,
    /// Distribution node key → (anchor, heading).
    distributions: BTreeMap<String, (String, String)>,
}

impl<'a> Builder<'a> {
    fn new(triples: &'a [Triple], name_of: NameOf<'a>) -> Self {
        let mut by_subject: BTreeMap<String, Vec<&'a Triple>> = BTreeMap::new();
        for triple in triples {
            by_subject
                .entry(node_key(&triple.subject))
                .or_default()
                .push(triple);
        }
        Builder {
            name_of,
            by_subject,
            visited: HashSet::new(),
            distributions: BTreeMap::new(),
        }
    }

    fn objects<'s>(
        &'s self,
        subject: &str,
        predicate: &'s str,
    ) -> impl Iterator<Item = &'a Term> + 's {
        self.by_subject
            .get(subject)
            .into_iter()
            .flatten()
            .filter(move |t| t.predicate.as_str() == predicate)
            .map(|t| &t.object)
    }

    fn title_of(&self, key: &str) -> Option<String> {
        let titles: Vec<LangString> = self
            .objects(key, &format!("{}title", ns::DCT))
            .filter_map(|term| match term {
                Term::Literal(l) => Some(LangString {
                    value: l.value().to_owned(),
                    lang: l.language().map(str::to_owned),
                }),
                _ => None,
            })
            .collect();
        pick_display(&titles).map(str::to_owned)
    }

    /// The rows of one node: its predicates by rank then label, nested nodes after the row
    /// that reaches them.
    fn rows_for(&mut self, key: &str, depth: usize) -> Vec<PropertyRow> {
        let mut by_predicate: BTreeMap<(usize, String, String), Vec<&'a Term>> = BTreeMap::new();
        for triple in self.by_subject.get(key).cloned().unwrap_or_default() {
            let predicate = triple.predicate.as_str();
            let sort_key = (
                predicate_rank(predicate),
                predicate_label(predicate),
                predicate.to_owned(),
            );
            by_predicate
                .entry(sort_key)
                .or_default()
                .push(&triple.object);
        }
        let mut rows = Vec::new();
        for ((_, label, predicate), objects) in by_predicate {
            let row = |values| PropertyRow {
                depth,
                predicate: predicate.clone(),
                compact: compact_or_full(&predicate),
                label: label.clone(),
                values,
            };
            let mut plain = Vec::new();
            let mut nested_rows = Vec::new();
            let compact = compact_or_full(&predicate);
            let locator = LOCATOR_PREDICATES.contains(&compact.as_str());
            let rich = RICH_TEXT_PREDICATES.contains(&compact.as_str());
            for object in objects {
                match self.nestable(object, depth) {
                    Some(object_key) => {
                        nested_rows.push(row(vec![self.value_of(object, true)]));
                        nested_rows.extend(self.rows_for(&object_key, depth + 1));
                    }
                    None if locator => plain.push(self.locator_value(object)),
                    None if rich => plain
                        .push(rich_value(object).unwrap_or_else(|| self.value_of(object, false))),
                    None => plain.push(self.value_of(object, false)),
                }
            }
            if !plain.is_empty() {
                rows.push(row(plain));
            }
            rows.extend(nested_rows);
        }
        rows
    }

    /// The key of an object to nest here (marking it shown), if it should be.
    fn nestable(&mut self, object: &Term, depth: usize) -> Option<String> {
        let key = term_key(object)?;
        let described = self.by_subject.contains_key(&key);
        if !described || depth >= MAX_DEPTH || self.distributions.contains_key(&key) {
            return None;
        }
        self.visited.insert(key.clone()).then_some(key)
    }

    fn value_of(&self, term: &Term, nested: bool) -> Value {
        if let Some((anchor, text)) = term_key(term).and_then(|key| self.distributions.get(&key)) {
            return Value::Distribution {
                anchor: anchor.clone(),
                text: text.clone(),
            };
        }
        match term {
            Term::NamedNode(node) => iri_value(node.as_str(), self.name_of),
            Term::BlankNode(_) => Value::Node { nested },
            Term::Literal(literal) => {
                let datatype = literal.datatype().as_str();
                let plain = [
                    format!("{}string", ns::XSD),
                    format!("{}langString", ns::RDF),
                ];
                Value::Literal {
                    text: literal.value().to_owned(),
                    lang: literal.language().map(str::to_owned),
                    datatype: (!plain.iter().any(|p| p == datatype))
                        .then(|| compact_or_full(datatype)),
                }
            }
            #[allow(unreachable_patterns)]
            _ => Value::Node { nested: false },
        }
    }

    /// An address to follow: a link showing the address itself.
    fn locator_value(&self, term: &Term) -> Value {
        match term {
            Term::NamedNode(node) => url_value(node.as_str()),
            other => self.value_of(other, false),
        }
    }

    fn distribution_view(&mut self, key: &str, anchor: String, title: String) -> DistributionView {
        let urls = |predicate: &str| -> Vec<Value> {
            self.objects(key, &format!("{}{predicate}", ns::DCAT))
                .map(|term| self.locator_value(term))
                .collect()
        };
        let access_urls = urls("accessURL");
        let download_urls = urls("downloadURL");
        let mut formats: Vec<String> = [
            format!("{}mediaType", ns::DCAT),
            format!("{}format", ns::DCT),
            format!("{}packageFormat", ns::DCAT),
        ]
        .iter()
        .flat_map(|predicate| self.objects(key, predicate))
        .filter_map(|term| match term {
            Term::NamedNode(n) => Some(normalise_format(n.as_str())),
            Term::Literal(l) => Some(normalise_format(l.value())),
            _ => None,
        })
        .collect();
        formats.sort();
        formats.dedup();
        DistributionView {
            anchor,
            title,
            access_urls,
            download_urls,
            formats,
            rows: self.rows_for(key, 0),
        }
    }
}

/// A link for a web IRI, named by `name_of`; text for any other IRI.
pub fn iri_value(iri: &str, name_of: NameOf<'_>) -> Value {
    let label = name_of(iri);
    if is_web_iri(iri) {
        Value::Link {
            href: iri.to_owned(),
            text: label.text,
            lang: label.lang,
        }
    } else {
        Value::Iri { text: label.text }
    }
}

/// An address shown as itself: a link for `http`/`https`, text for any other.
pub fn url_value(iri: &str) -> Value {
    if is_web_iri(iri) {
        Value::Link {
            href: iri.to_owned(),
            text: iri.to_owned(),
            lang: None,
        }
    } else {
        Value::Iri {
            text: compact_or_full(iri),
        }
    }
}

/// A literal of a rich-text predicate, rendered; `None` for non-literals.
fn rich_value(term: &Term) -> Option<Value> {
    let Term::Literal(literal) = term else {
        return None;
    };
    let rendered = RichText::render(literal.value());
    Some(Value::Rich {
        class: rendered.class(),
        html: rendered.html,
        lang: literal.language().map(str::to_owned),
    })
}

fn subject_value(subject: &NamedOrBlankNode, name_of: NameOf<'_>) -> Value {
    match subject {
        NamedOrBlankNode::NamedNode(node) => iri_value(node.as_str(), name_of),
        NamedOrBlankNode::BlankNode(_) => Value::Node { nested: false },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdf::{BlankNode, Literal, NamedNode};

    fn iri(text: &str) -> NamedNode {
        NamedNode::new_unchecked(text)
    }

    fn fixture() -> Vec<Triple> {
        let resource = iri("https://example.org/dataset/1");
        let distribution = BlankNode::new_unchecked("d1");
        let publisher = iri("https://example.org/org/perugia");
        let period = BlankNode::new_unchecked("p1");
        let dct = |local: &str| iri(&format!("{}{local}", ns::DCT));
        let dcat = |local: &str| iri(&format!("{}{local}", ns::DCAT));
        vec![
            Triple::new(
                resource.clone(),
                dct("title"),
                Literal::new_language_tagged_literal_unchecked("Air", "en"),
            ),
            Triple::new(resource.clone(), dcat("distribution"), distribution.clone()),
            Triple::new(resource.clone(), dct("publisher"), publisher.clone()),
            Triple::new(resource.clone(), dct("temporal"), period.clone()),
            Triple::new(resource.clone(), dct("identifier"), iri("urn:uuid:1")),
            Triple::new(
                distribution.clone(),
                dcat("accessURL"),
                iri("https://example.org/api"),
            ),
            Triple::new(
                distribution.clone(),
                dcat("mediaType"),
                iri("http://www.iana.org/assignments/media-types/text/csv"),
            ),
            Triple::new(
                publisher.clone(),
                iri(&format!("{}name", ns::FOAF)),
                Literal::new_simple_literal("Comune di Perugia"),
            ),
            Triple::new(
                period,
                dcat("startDate"),
                Literal::new_typed_literal("2024-01-01", iri(&format!("{}date", ns::XSD))),
            ),
            Triple::new(
                iri("https://example.org/orphan"),
                dct("title"),
                Literal::new_simple_literal("Orphan"),
            ),
        ]
    }

    fn fallback_names(iri: &str) -> Label {
        Label {
            text: crate::resolver::fallback_label(iri),
            lang: None,
            origin: crate::resolver::LabelOrigin::Fallback,
        }
    }

    fn grouped(resource: &str, triples: &[Triple]) -> Statements {
        group_statements(resource, triples, &fallback_names)
    }

    #[test]
    fn resource_rows_come_first_with_nested_nodes() {
        let statements = grouped("https://example.org/dataset/1", &fixture());
        let labels: Vec<(usize, &str)> = statements
            .resource
            .iter()
            .map(|r| (r.depth, r.label.as_str()))
            .collect();
        assert_eq!(
            labels,
            [
                (0, "Title"),
                (0, "Identifier"),
                (0, "Publisher"),
                (1, "Name"),
                (0, "Distribution"),
                (0, "Temporal coverage"),
                (1, "Start date")
            ]
        );
        let title = &statements.resource[0].values[0];
        assert!(
            matches!(title, Value::Literal { lang: Some(lang), datatype: None, .. } if lang == "en")
        );
        assert_eq!(
            statements.resource[1].values[0],
            Value::Iri {
                text: "urn:uuid:1".to_owned()
            }
        );
        let start = &statements.resource[6].values[0];
        assert!(matches!(start, Value::Literal { datatype: Some(d), .. } if d == "xsd:date"));
    }

    #[test]
    fn distributions_get_their_own_section() {
        let statements = grouped("https://example.org/dataset/1", &fixture());
        assert_eq!(statements.distributions.len(), 1);
        let distribution = &statements.distributions[0];
        assert_eq!(distribution.title, "Distribution 1");
        assert_eq!(distribution.formats, ["text/csv"]);
        assert!(
            matches!(&distribution.access_urls[0], Value::Link { href, .. } if href == "https://example.org/api")
        );
        let link = &statements.resource[4].values[0];
        assert!(matches!(link, Value::Distribution { anchor, .. } if anchor == "distribution-1"));
    }

    #[test]
    fn unreached_nodes_are_listed_last() {
        let statements = grouped("https://example.org/dataset/1", &fixture());
        assert_eq!(statements.others.len(), 1);
        assert!(
            matches!(&statements.others[0].heading, Value::Link { href, .. } if href == "https://example.org/orphan")
        );
    }

    #[test]
    fn cycles_of_blank_nodes_end() {
        let a = BlankNode::new_unchecked("a");
        let b = BlankNode::new_unchecked("b");
        let link = iri("http://example.org/link");
        let triples = vec![
            Triple::new(iri("https://example.org/r"), link.clone(), a.clone()),
            Triple::new(a.clone(), link.clone(), b.clone()),
            Triple::new(b, link, a),
        ];
        let statements = grouped("https://example.org/r", &triples);
        assert_eq!(statements.resource.len(), 3);
        assert_eq!(
            statements.resource[2].values,
            [Value::Node { nested: false }]
        );
    }
}
