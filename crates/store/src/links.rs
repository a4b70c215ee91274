//! The last check of each access and download URL (`ldtcat check-links`), kept in the store's
//! private default graph beside the run reports: `<url> ldt:linkStatus 404` (or
//! `ldt:linkFailure "timed out"`) and `ldt:linkCheckedAt`. A URL is checked once however many
//! records give it; a record's quality reads the checks of its own URLs.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::Ordering;

use chrono::{DateTime, SecondsFormat, Utc};
use ldtcat_model::{LinkCheck, LinkOutcome, DCAT_ACCESS_URL, DCAT_DOWNLOAD_URL};
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, Quad, Term, Triple,
};

use crate::terms::{datetime_literal, iri, ldt, record_id_of};
use crate::write::remove_subject;
use crate::{CatalogStore, StoreError};
use ldtcat_vocab::ns;

/// The URLs of `dcat:accessURL` and `dcat:downloadURL` statements among `triples`, each once,
/// in order.
pub fn checkable_urls(triples: &[Triple]) -> Vec<&str> {
    let mut urls: Vec<&str> = Vec::new();
    for triple in triples {
        let predicate = triple.predicate.as_str();
        if predicate != DCAT_ACCESS_URL && predicate != DCAT_DOWNLOAD_URL {
            continue;
        }
        if let Term::NamedNode(url) = &triple.object {
            if !urls.contains(&url.as_str()) {
                urls.push(url.as_str());
            }
        }
    }
    urls
}

impl CatalogStore {
    /// Whether any link check was ever saved (known at open, kept by [`Self::save_link_checks`]):
    /// while none was, reading a record looks nothing up.
    pub(crate) fn probe_link_checks(&self) -> Result<(), StoreError> {
        let status = ldt("linkCheckedAt");
        let any = self
            .oxigraph()
            .quads_for_pattern(
                None,
                Some(status.as_ref()),
                None,
                Some(GraphNameRef::DefaultGraph),
            )
            .next()
            .transpose()?
            .is_some();
        self.has_link_checks.store(any, Ordering::Relaxed);
        Ok(())
    }

    /// Saves the checks (one transaction), replacing the previous check of each URL.
    pub fn save_link_checks(
        &self,
        checks: &[(LinkCheck, DateTime<Utc>)],
    ) -> Result<(), StoreError> {
        let mut transaction = self.oxigraph().start_transaction()?;
        for (check, at) in checks {
            // The URL is a subject of nothing else in the default graph.
            let node = NamedNode::new_unchecked(check.url.as_str());
            remove_subject(&mut transaction, &node, &GraphName::DefaultGraph)?;
            let outcome = match &check.outcome {
                LinkOutcome::Status(status) => (
                    ldt("linkStatus"),
                    Term::from(Literal::new_typed_literal(
                        status.to_string(),
                        iri(ns::XSD, "integer"),
                    )),
                ),
                LinkOutcome::Failed(reason) => (
                    ldt("linkFailure"),
                    Term::from(Literal::new_simple_literal(reason)),
                ),
            };
            for (predicate, object) in [
                outcome,
                (ldt("linkCheckedAt"), datetime_literal(*at).into()),
            ] {
                transaction.insert(
                    Quad::new(node.clone(), predicate, object, GraphNameRef::DefaultGraph).as_ref(),
                );
            }
        }
        transaction.commit()?;
        if !checks.is_empty() {
            self.has_link_checks.store(true, Ordering::Relaxed);
        }
        Ok(())
    }

    /// The last check of `url`, if it was checked.
    pub fn link_check(&self, url: &str) -> Result<Option<(LinkCheck, DateTime<Utc>)>, StoreError> {
        if !self.has_link_checks.load(Ordering::Relaxed) {
            return Ok(None);
        }
        let Ok(node) = NamedNode::new(url) else {
            return Ok(None);
        };
        let mut outcome = None;
        let mut checked = None;
        for quad in self.oxigraph().quads_for_pattern(
            Some(node.as_ref().into()),
            None,
            None,
            Some(GraphNameRef::DefaultGraph),
        ) {
            let quad = quad?;
            let Term::Literal(value) = &quad.object else {
                continue;
            };
            let predicate = quad.predicate.as_str();
            if predicate == ldt("linkStatus").as_str() {
                outcome = value.value().parse().ok().map(LinkOutcome::Status);
            } else if predicate == ldt("linkFailure").as_str() {
                outcome = Some(LinkOutcome::Failed(value.value().to_owned()));
            } else if predicate == ldt("linkCheckedAt").as_str() {
                checked = DateTime::parse_from_rfc3339(value.value())
                    .ok()
                    .map(|at| at.with_timezone(&Utc));
            }
        }
        Ok(outcome.zip(checked).map(|(outcome, at)| {
            let check = LinkCheck {
                url: url.to_owned(),
                outcome,
                checked: at.to_rfc3339_opts(SecondsFormat::Secs, true),
            };
            (check, at)
        }))
    }

    /// The access and download URLs of the live records `source_id` delivers (in their own
    /// descriptions), each with the ids of the records that give it.
    pub fn link_urls_of_source(
        &self,
        source_id: &str,
    ) -> Result<BTreeMap<String, Vec<String>>, StoreError> {
        let ids: HashSet<String> = self.record_ids_of_source(source_id)?.into_iter().collect();
        let mut by_url: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for predicate in [DCAT_ACCESS_URL, DCAT_DOWNLOAD_URL] {
            for quad in self.oxigraph().quads_for_pattern(
                None,
                Some(NamedNodeRef::new_unchecked(predicate)),
                None,
                None,
            ) {
                let quad = quad?;
                let (Term::NamedNode(url), GraphName::NamedNode(graph)) =
                    (&quad.object, &quad.graph_name)
                else {
                    continue;
                };
                let Some(id) = record_id_of(graph.as_str()).filter(|id| ids.contains(*id)) else {
                    continue;
                };
                let records = by_url.entry(url.as_str().to_owned()).or_default();
                if !records.iter().any(|known| known == id) {
                    records.push(id.to_owned());
                }
            }
        }
        Ok(by_url)
    }

    /// The last checks of the access and download URLs among `triples` (a record's statements).
    pub fn link_checks_of(&self, triples: &[Triple]) -> Result<Vec<LinkCheck>, StoreError> {
        if !self.has_link_checks.load(Ordering::Relaxed) {
            return Ok(Vec::new());
        }
        let mut checks = Vec::new();
        for url in checkable_urls(triples) {
            if let Some((check, _)) = self.link_check(url)? {
                checks.push(check);
            }
        }
        Ok(checks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_replaces_the_previous_one_and_records_read_their_urls(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let store = CatalogStore::open_in_memory()?;
        assert_eq!(store.link_check("https://example.org/a.csv")?, None);
        let at = DateTime::parse_from_rfc3339("2026-12-02T08:00:00Z")?.with_timezone(&Utc);
        let check = |url: &str, outcome| {
            (
                LinkCheck {
                    url: url.to_owned(),
                    outcome,
                    checked: "2026-12-02T08:00:00Z".to_owned(),
                },
                at,
            )
        };
        store.save_link_checks(&[
            check("https://example.org/a.csv", LinkOutcome::Status(404)),
            check(
                "https://example.org/api",
                LinkOutcome::Failed("timed out".into()),
            ),
        ])?;
        store.save_link_checks(&[check("https://example.org/a.csv", LinkOutcome::Status(200))])?;
        assert_eq!(
            store.link_check("https://example.org/a.csv")?,
            Some(check("https://example.org/a.csv", LinkOutcome::Status(200)))
        );
        let triples: Vec<Triple> = [
            (
                "https://example.org/d/1",
                DCAT_ACCESS_URL,
                "https://example.org/api",
            ),
            (
                "https://example.org/d/1",
                DCAT_DOWNLOAD_URL,
                "https://example.org/a.csv",
            ),
            (
                "https://example.org/d/1",
                DCAT_ACCESS_URL,
                "https://example.org/a.csv",
            ),
            (
                "https://example.org/d/1",
                DCAT_DOWNLOAD_URL,
                "https://example.org/never.csv",
            ),
        ]
        .into_iter()
        .map(|(s, p, o)| {
            Triple::new(
                NamedNode::new_unchecked(s),
                NamedNode::new_unchecked(p),
                NamedNode::new_unchecked(o),
            )
        })
        .collect();
        let found = store.link_checks_of(&triples)?;
        let outcomes: Vec<(&str, &LinkOutcome)> =
            found.iter().map(|c| (c.url.as_str(), &c.outcome)).collect();
        assert_eq!(
            outcomes,
            [
                (
                    "https://example.org/api",
                    &LinkOutcome::Failed("timed out".into())
                ),
                ("https://example.org/a.csv", &LinkOutcome::Status(200)),
            ]
        );
        // A store opened on the same data knows there are checks.
        let reopened = CatalogStore::wrap(store.oxigraph().clone());
        reopened.probe_link_checks()?;
        assert_eq!(reopened.link_checks_of(&triples)?.len(), 2);
        Ok(())
    }
}
