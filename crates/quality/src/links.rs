//! What a link check found at the access and download URLs of a record's distributions: the
//! input of the two MQA reachability indicators (`access_url_status`, `download_url_status`)
//! and of the [`crate::ShapeGroup::Links`] findings. The checks themselves are HTTP requests
//! made by the harvester (`ldtcat check-links`); a URL never checked is not measured.

use oxrdf::{NamedNode, NamedNodeRef, Term, TermRef};

use crate::finding::Finding;
use crate::graph::DataGraph;
use crate::sentence::{Arg, Sentence};
use crate::shapes::Severity;
use crate::terms::short_iri;

/// The outcome of one check of a URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkOutcome {
    /// The server answered with this HTTP status.
    Status(u16),
    /// No answer: the reason (`timed out`, `connection refused`, ...).
    Failed(String),
}

impl LinkOutcome {
    /// Whether the URL counts as reachable: an HTTP status from 200 to 399 (a redirect is
    /// not followed, its target may be a host the operator did not allow).
    pub fn reachable(&self) -> bool {
        matches!(self, LinkOutcome::Status(200..=399))
    }

    /// The outcome in words: `HTTP 404`, `timed out`.
    pub fn describe(&self) -> Arg {
        match self {
            LinkOutcome::Status(status) => {
                Arg::Sentence(Sentence::new("http_status").text("status", status.to_string()))
            }
            LinkOutcome::Failed(reason) if reason == TIMED_OUT => {
                Arg::Sentence(Sentence::new("timed_out"))
            }
            LinkOutcome::Failed(reason) if reason == COULD_NOT_CONNECT => {
                Arg::Sentence(Sentence::new("could_not_connect"))
            }
            LinkOutcome::Failed(reason) => Arg::Text(reason.clone()),
        }
    }
}

/// [`LinkOutcome::Failed`]'s reason when the request timed out.
pub const TIMED_OUT: &str = "timed out";
/// [`LinkOutcome::Failed`]'s reason when no connection could be made.
pub const COULD_NOT_CONNECT: &str = "could not connect";

/// The last check of one URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LinkCheck {
    /// The URL, as the record gives it.
    pub url: String,
    /// What the check found.
    pub outcome: LinkOutcome,
    /// When, as an RFC 3339 date and time.
    pub checked: String,
}

const DCAT_DISTRIBUTION: &str = "http://www.w3.org/ns/dcat#distribution";
/// `dcat:accessURL`.
pub const DCAT_ACCESS_URL: &str = "http://www.w3.org/ns/dcat#accessURL";
/// `dcat:downloadURL`.
pub const DCAT_DOWNLOAD_URL: &str = "http://www.w3.org/ns/dcat#downloadURL";

/// The component of a [`crate::ShapeGroup::Links`] finding (ldtcat's, not SHACL's).
const UNREACHABLE: &str = "https://w3id.org/ldtcat/quality#UnreachableConstraintComponent";

/// The last checks of the URLs of `predicate` (`dcat:accessURL` or `dcat:downloadURL`) on
/// the distributions of `record`, each URL once.
pub(crate) fn checked<'a, 'c>(
    graph: &DataGraph<'a>,
    record: TermRef<'a>,
    predicate: &'static str,
    links: &'c [LinkCheck],
) -> Vec<&'c LinkCheck> {
    let mut found: Vec<&LinkCheck> = Vec::new();
    if links.is_empty() {
        return found;
    }
    let distribution = NamedNodeRef::new_unchecked(DCAT_DISTRIBUTION);
    let predicate = NamedNodeRef::new_unchecked(predicate);
    for node in graph.objects(record, distribution) {
        for url in graph.objects(*node, predicate) {
            let TermRef::NamedNode(iri) = url else {
                continue;
            };
            let check = links.iter().find(|check| check.url == iri.as_str());
            if let Some(check) = check.filter(|check| !found.iter().any(|f| f.url == check.url)) {
                found.push(check);
            }
        }
    }
    found
}

/// Whether every checked URL of `predicate` is reachable; `None` when none was checked.
pub(crate) fn all_reachable<'a>(
    graph: &DataGraph<'a>,
    record: TermRef<'a>,
    predicate: &'static str,
    links: &[LinkCheck],
) -> Option<bool> {
    let checked = checked(graph, record, predicate, links);
    (!checked.is_empty()).then(|| checked.iter().all(|check| check.outcome.reachable()))
}

/// One warning per checked URL of the record's distributions that was not reachable.
pub(crate) fn unreachable_findings<'a>(
    graph: &DataGraph<'a>,
    record: &'a Term,
    links: &[LinkCheck],
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for predicate in [DCAT_ACCESS_URL, DCAT_DOWNLOAD_URL] {
        let path = short_iri(predicate);
        for check in checked(graph, record.as_ref(), predicate, links) {
            if check.outcome.reachable() {
                continue;
            }
            let sentence = Sentence::new("unreachable")
                .text("path", path.clone())
                .text("url", check.url.clone())
                .arg("outcome", check.outcome.describe())
                .text("checked", check.checked.clone());
            findings.push(Finding {
                focus_node: record.clone(),
                sentence,
                result_path: Some(path.clone()),
                source_shape: String::new(),
                component: UNREACHABLE,
                severity: Severity::Warning,
                value: Some(Term::NamedNode(NamedNode::new_unchecked(&check.url))),
            });
        }
    }
    findings
}
