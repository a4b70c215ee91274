//! Applying one page of a peer ldtcat's change feed: the records it updated are written
//! with where they entered the federation (origin and path, see `ldtcat_store::Origin`), the
//! records it deleted lose this source (and become tombstones when no other source has
//! them), and the records that originated here or already passed through here are not
//! imported: a copy of them from this peer is withdrawn instead, which ends loops.
//!
//! The caller saves the feed cursor only after a page is applied, so a run that stops
//! (peer down, timeout, crash) resumes at the first page it had not applied: nothing is
//! lost, and a page applied twice changes nothing the second time.

use std::collections::HashMap;

use anyhow::{bail, Result};
use ldtcat_harvest::{FeedMembers, Page};
use ldtcat_model::record_id;
use ldtcat_store::Origin;

use crate::catalog::Catalog;
use crate::pipeline::{import_document_of_run, withdraw_records, DocumentReport, DocumentRun};

/// What applying a feed page did.
#[derive(Debug, Default)]
pub struct FeedPageReport {
    /// The records written (or found unchanged).
    pub document: DocumentReport,
    /// Records that became tombstones.
    pub tombstoned: u64,
    /// Records deleted at the peer that another source still delivers here.
    pub detached: u64,
    /// Members not imported because they originated here or passed through here.
    pub loops: u64,
    /// Members announced without a description in the page.
    pub missing: Vec<String>,
    /// The sequence number of the page's last member (the new cursor).
    pub last_sequence: Option<u64>,
}

/// The origin of a member as seen here: the peer is appended to its path.
fn origin_here(member: &ldtcat_harvest::FeedMember, peer_catalogue: &str) -> Origin {
    let mut path = member.path.clone();
    path.push(peer_catalogue.to_owned());
    Origin {
        catalogue: member
            .origin
            .clone()
            .unwrap_or_else(|| peer_catalogue.to_owned()),
        path,
    }
}

/// Applies one feed page of `source_id` (blocking).
pub fn apply_feed_page(
    catalog: &Catalog,
    page: &Page,
    members: &FeedMembers,
    source_id: &str,
    run_id: &str,
) -> Result<FeedPageReport> {
    let Some(self_catalogue) = catalog.catalogue_iri.as_deref() else {
        bail!(
            "a peer source needs this catalogue's own IRI, to recognise its own records \
             (set --catalogue-iri or --public-url)"
        );
    };
    let Some(peer_catalogue) = members.catalogue.as_deref() else {
        bail!(
            "{}: the feed does not name its catalogue (ldt:catalogue)",
            page.url
        );
    };
    let mut report = FeedPageReport {
        last_sequence: members.members.last().map(|m| m.sequence),
        ..FeedPageReport::default()
    };
    let mut origins: HashMap<String, Origin> = HashMap::new();
    let mut withdrawn: Vec<String> = Vec::new();
    for member in &members.members {
        if member.deleted {
            withdrawn.push(record_id(&member.resource));
            continue;
        }
        let origin = origin_here(member, peer_catalogue);
        if origin.passed_through(self_catalogue) {
            report.loops += 1;
            withdrawn.push(record_id(&member.resource));
        } else {
            origins.insert(member.resource.clone(), origin);
        }
    }
    if !origins.is_empty() {
        let run = DocumentRun {
            source_id,
            run_id: Some(run_id),
            origins: Some(&origins),
            participants: None,
            listed: None,
        };
        let mut written: Vec<String> = Vec::new();
        report.document = import_document_of_run(
            catalog,
            &page.document(),
            &run,
            None,
            &mut |id| written.push(id.to_owned()),
            &|_| {},
        )?;
        let written: std::collections::HashSet<String> = written.into_iter().collect();
        for resource in origins.keys() {
            if !written.contains(&record_id(resource)) {
                report.missing.push(resource.clone());
            }
        }
        report.missing.sort();
    }
    if !withdrawn.is_empty() {
        let outcome = withdraw_records(catalog, &withdrawn, source_id)?;
        report.tombstoned = outcome.tombstoned.len() as u64;
        report.detached = outcome.detached.len() as u64;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_read_from_its_origin_is_one_hop_away_and_keeps_the_third_as_origin() {
        let from_origin = ldtcat_harvest::FeedMember {
            version: "v".to_owned(),
            resource: "r".to_owned(),
            sequence: 1,
            deleted: false,
            origin: None,
            path: Vec::new(),
        };
        let here = origin_here(&from_origin, "http://c/catalog");
        assert_eq!(here.catalogue, "http://c/catalog");
        assert_eq!(here.hops(), 1);
        let through_b = ldtcat_harvest::FeedMember {
            origin: Some("http://c/catalog".to_owned()),
            path: vec!["http://c/catalog".to_owned()],
            ..from_origin
        };
        let here = origin_here(&through_b, "http://b/catalog");
        assert_eq!(here.catalogue, "http://c/catalog");
        assert_eq!(here.path, ["http://c/catalog", "http://b/catalog"]);
        assert!(here.passed_through("http://b/catalog"));
    }
}
