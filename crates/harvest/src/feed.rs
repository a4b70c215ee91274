//! Reading one page of a peer ldtcat's change feed (an LDES, see the `serve` crate's
//! `feed` module): its members in sequence order — which resource each is a version of,
//! whether it is a deletion, its sequence number, and where the record entered the
//! federation —, the catalogue the feed belongs to, and whether a next page is announced
//! (`tree:relation` with a `tree:node`).

use std::collections::HashMap;

use ldtcat_model::{ParseReport, RdfDocument};
use ldtcat_vocab::ns;
use oxrdf::{NamedOrBlankNode, Term};

/// One member of a feed page: the latest change of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedMember {
    /// The version node's IRI.
    pub version: String,
    /// The resource it is a version of (`dct:isVersionOf`).
    pub resource: String,
    /// The member's sequence number (`ldt:sequence`).
    pub sequence: u64,
    /// Whether it is a deletion (`rdf:type as:Delete`).
    pub deleted: bool,
    /// The catalogue where the record entered the federation (`ldt:originCatalogue`).
    pub origin: Option<String>,
    /// The catalogues it went through after its origin (`ldt:path`, space-separated).
    pub path: Vec<String>,
}

/// What a feed page says besides the records' descriptions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedMembers {
    /// The members, by sequence number.
    pub members: Vec<FeedMember>,
    /// The catalogue whose changes the feed lists (`ldt:catalogue` of the event stream).
    pub catalogue: Option<String>,
    /// Whether the page announces a next page.
    pub more: bool,
    /// Members that could not be read (no version-of, no sequence number), as messages.
    pub invalid: Vec<String>,
    /// Why the scan stopped before the end, if it did.
    pub error: Option<String>,
}

#[derive(Default)]
struct VersionFacts {
    resource: Option<String>,
    sequence: Option<u64>,
    deleted: bool,
    origin: Option<String>,
    path: Vec<String>,
}

fn text(term: &Term) -> Option<String> {
    match term {
        Term::NamedNode(node) => Some(node.as_str().to_owned()),
        Term::Literal(literal) => Some(literal.value().to_owned()),
        Term::BlankNode(_) => None,
    }
}

/// Reads the members of a feed page (blocking: run it off the async threads). Memory: the
/// facts of the page's members, not its descriptions.
pub fn feed_members(document: &RdfDocument<'_>) -> FeedMembers {
    let is_version_of = format!("{}isVersionOf", ns::DCT);
    let rdf_type = format!("{}type", ns::RDF);
    let delete = format!("{}Delete", ns::ACTIVITY_STREAMS);
    let member = format!("{}member", ns::TREE);
    let node = format!("{}node", ns::TREE);
    let sequence = format!("{}sequence", ns::LDT);
    let origin = format!("{}originCatalogue", ns::LDT);
    let path = format!("{}path", ns::LDT);
    let catalogue = format!("{}catalogue", ns::LDT);
    let mut found = FeedMembers::default();
    let mut members: Vec<String> = Vec::new();
    let mut facts: HashMap<String, VersionFacts> = HashMap::new();
    let mut report = ParseReport::default();
    let result = document.for_each_quad(&mut report, |quad| {
        let predicate = quad.predicate.as_str();
        let NamedOrBlankNode::NamedNode(subject) = &quad.subject else {
            if predicate == node {
                found.more = true;
            }
            return Ok(());
        };
        let subject = subject.as_str();
        if predicate == member {
            if let Some(version) = text(&quad.object) {
                members.push(version);
            }
        } else if predicate == node {
            found.more = true;
        } else if predicate == catalogue {
            found.catalogue = text(&quad.object);
        } else if predicate == is_version_of {
            let entry = facts.entry(subject.to_owned()).or_default();
            entry.resource = text(&quad.object);
        } else if predicate == sequence {
            let entry = facts.entry(subject.to_owned()).or_default();
            entry.sequence = text(&quad.object).and_then(|t| t.trim().parse().ok());
        } else if predicate == rdf_type && text(&quad.object).as_deref() == Some(delete.as_str()) {
            facts.entry(subject.to_owned()).or_default().deleted = true;
        } else if predicate == origin {
            facts.entry(subject.to_owned()).or_default().origin = text(&quad.object);
        } else if predicate == path {
            facts.entry(subject.to_owned()).or_default().path = text(&quad.object)
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_owned)
                .collect();
        }
        Ok(())
    });
    if let Err(error) = result {
        found.error = Some(error.to_string());
    }
    members.sort();
    members.dedup();
    for version in members {
        let facts = facts.remove(&version).unwrap_or_default();
        match (facts.resource, facts.sequence) {
            (Some(resource), Some(sequence)) => found.members.push(FeedMember {
                version,
                resource,
                sequence,
                deleted: facts.deleted,
                origin: facts.origin,
                path: facts.path,
            }),
            _ => found.invalid.push(format!(
                "{version}: a feed member without dct:isVersionOf or ldt:sequence"
            )),
        }
    }
    found.members.sort_by_key(|member| member.sequence);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdfio::RdfFormat;

    #[test]
    fn members_come_back_in_sequence_order_with_deletions_and_origins() {
        let turtle = r#"
@prefix ldes: <https://w3id.org/ldes#> .
@prefix tree: <https://w3id.org/tree#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix as: <https://www.w3.org/ns/activitystreams#> .
@prefix ldt: <https://w3id.org/ldtcat#> .
<http://b/feed> a ldes:EventStream ; ldt:catalogue <http://b/catalog> ;
    tree:member <http://b/feed/v/7>, <http://b/feed/v/3>, <http://b/feed/v/9> .
<http://b/feed?after=0> tree:relation [ tree:node <http://b/feed?after=9> ] .
<http://b/feed/v/7> a as:Delete ; dct:isVersionOf <http://x/r2> ; ldt:sequence 7 .
<http://b/feed/v/3> a as:Update ; dct:isVersionOf <http://x/r1> ; ldt:sequence 3 ;
    ldt:originCatalogue <http://c/catalog> ; ldt:path "http://c/catalog" .
<http://b/feed/v/9> a as:Update ; ldt:sequence 9 .
"#;
        let document = RdfDocument::from_slice("t", None, RdfFormat::Turtle, turtle.as_bytes());
        let found = feed_members(&document);
        assert!(found.more);
        assert_eq!(found.catalogue.as_deref(), Some("http://b/catalog"));
        let order: Vec<(u64, bool)> = found
            .members
            .iter()
            .map(|m| (m.sequence, m.deleted))
            .collect();
        assert_eq!(order, [(3, false), (7, true)]);
        assert_eq!(found.members[0].origin.as_deref(), Some("http://c/catalog"));
        assert_eq!(found.members[0].path, ["http://c/catalog"]);
        assert_eq!(found.invalid.len(), 1);
    }
}
