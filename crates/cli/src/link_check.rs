//! The link check of one source (`[source.link_check]`): after each harvest run, and by
//! `ldtcat check-links <source>`. The access and download URLs of the source's records are
//! gathered from the store, those the configuration allows and that were not checked lately
//! are checked (never-checked first, then the oldest; at most `max_urls` per run), the checks
//! are saved, and every record whose URLs' outcome changed is scored again in the index.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use anyhow::Result;
use chrono::Utc;
use ldtcat_config::{LinkCheckConfig, SourceConfig};
use ldtcat_harvest::LinkChecker;
use ldtcat_quality::LinkOutcome;

use crate::catalog::Catalog;
use crate::harvest::blocking;

/// What one link check did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkCheckReport {
    /// Distinct access and download URLs of the source's records.
    pub urls: usize,
    /// Checked now.
    pub checked: usize,
    /// Of those, reachable (HTTP 200–399).
    pub reachable: usize,
    /// URLs on hosts `link_check.hosts` does not name (not measured).
    pub refused: usize,
    /// URLs checked less than `recheck_hours` ago (their check stands).
    pub recent: usize,
    /// URLs left for a later run by `max_urls`.
    pub left: usize,
    /// Records scored again because an outcome of theirs changed.
    pub rescored: usize,
    /// One line per refused host (at most a few), for the run's notes.
    pub refusals: Vec<String>,
}

impl LinkCheckReport {
    /// One line for the run's notes.
    pub fn summary(&self) -> String {
        format!(
            "link check: {} URL(s) checked ({} reachable, {} not), {} checked less than the \
             recheck interval ago, {} on hosts link_check.hosts does not name, {} left for the \
             next run; {} record(s) scored again",
            self.checked,
            self.reachable,
            self.checked - self.reachable,
            self.recent,
            self.refused,
            self.left,
            self.rescored
        )
    }
}

/// How many refused hosts a report names.
const REFUSALS_NAMED: usize = 5;

/// Checks the URLs of `source`'s records as `config` allows; see the module doc.
pub async fn check_source_links(
    catalog: &Arc<Catalog>,
    source: &SourceConfig,
    config: &LinkCheckConfig,
) -> Result<LinkCheckReport> {
    let checker = LinkChecker::new(config.clone())?;
    let (work, source_id) = (catalog.clone(), source.id.clone());
    let by_url = blocking(move || Ok(work.store.link_urls_of_source(&source_id)?)).await?;
    let mut report = LinkCheckReport {
        urls: by_url.len(),
        ..LinkCheckReport::default()
    };
    // Which URLs to check, and what each was found last.
    let mut refused_hosts: BTreeMap<String, usize> = BTreeMap::new();
    let mut candidates = Vec::new();
    for url in by_url.keys() {
        match checker.allowed(url) {
            Ok(parsed) => candidates.push((url.clone(), parsed)),
            Err(reason) => {
                report.refused += 1;
                *refused_hosts.entry(reason).or_default() += 1;
            }
        }
    }
    report.refusals = refused_hosts
        .into_iter()
        .take(REFUSALS_NAMED)
        .map(|(reason, urls)| format!("{urls} URL(s) not checked: {reason}"))
        .collect();
    let work = catalog.clone();
    let recheck = chrono::Duration::from_std(config.recheck).unwrap_or(chrono::Duration::MAX);
    let max_urls = config.max_urls;
    let (to_check, previous, recent, left) = blocking(move || {
        let now = Utc::now();
        let mut previous: BTreeMap<String, LinkOutcome> = BTreeMap::new();
        let mut due = Vec::new();
        let mut recent = 0;
        for (url, parsed) in candidates {
            match work.store.link_check(&url)? {
                Some((_, at)) if now.signed_duration_since(at) < recheck => recent += 1,
                Some((check, at)) => {
                    previous.insert(url, check.outcome);
                    due.push((Some(at), parsed));
                }
                None => due.push((None, parsed)),
            }
        }
        // Never checked first, then the oldest check.
        due.sort_by_key(|(at, _)| *at);
        let left = due.len().saturating_sub(max_urls);
        due.truncate(max_urls);
        let urls: Vec<url::Url> = due.into_iter().map(|(_, url)| url).collect();
        Ok((urls, previous, recent, left))
    })
    .await?;
    report.recent = recent;
    report.left = left;
    let checks = checker.check_all(to_check).await;
    report.checked = checks.len();
    report.reachable = checks
        .iter()
        .filter(|(check, _)| check.outcome.reachable())
        .count();
    // The records whose outcome changed: a URL never checked, or found otherwise.
    let mut changed: HashSet<String> = HashSet::new();
    for (check, _) in &checks {
        if previous.get(&check.url) != Some(&check.outcome) {
            if let Some(ids) = by_url.get(&check.url) {
                changed.extend(ids.iter().cloned());
            }
        }
    }
    report.rescored = changed.len();
    let work = catalog.clone();
    blocking(move || {
        work.store.save_link_checks(&checks)?;
        rescore(&work, changed)
    })
    .await?;
    tracing::info!(source = %source.id, "{}", report.summary());
    Ok(report)
}

/// Scores the records `ids` again in the index (their URLs' checks changed).
fn rescore(catalog: &Catalog, ids: HashSet<String>) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut ids: Vec<String> = ids.into_iter().collect();
    ids.sort();
    catalog.mark_index_stale()?;
    let mut batch = catalog.index.batch()?;
    for id in &ids {
        if let Some(record) = catalog.store.record(id)? {
            if record.deleted_at.is_none() {
                batch.upsert(&record.summary())?;
            }
        }
    }
    batch.commit()?;
    catalog.mark_index_fresh()?;
    Ok(())
}
