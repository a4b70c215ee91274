//! The deletions of a harvest run: the records a complete successful full run no longer saw
//! (withdrawn from the source, tombstoned unless another source has them), and the resources
//! a page says its source deleted (OAI-PMH deleted headers, [`ldtcat_harvest::Page::deleted`]),
//! withdrawn on any run.

use std::sync::Arc;

use anyhow::Result;

use crate::catalog::Catalog;
use crate::harvest::{blocking, RunState};
use crate::pipeline::withdraw_records;

/// Records withdrawn per store transaction.
const WITHDRAW_BATCH: usize = 1_000;

/// Withdraws the resources a page says the source deleted (OAI-PMH deleted headers): the
/// source said so explicitly, so this holds on incremental runs too. A deleted resource is
/// not "seen" by this run.
pub(crate) async fn withdraw_deleted(
    catalog: &Arc<Catalog>,
    deleted: &[String],
    state: &mut RunState,
) {
    let ids: Vec<String> = deleted
        .iter()
        .map(|iri| ldtcat_model::record_id(iri))
        .collect();
    for id in &ids {
        state.seen.remove(id);
    }
    let (work_catalog, source_id) = (catalog.clone(), state.run.source_id.clone());
    let withdrawn = blocking(move || withdraw_records(&work_catalog, &ids, &source_id)).await;
    match withdrawn {
        Ok(outcome) => {
            state.run.tombstoned += outcome.tombstoned.len() as u64;
            let gone = outcome.tombstoned.len() + outcome.detached.len();
            state.run.note(format!(
                "{} record(s) deleted at the source: {} withdrawn here ({} kept: another source \
                 has them), {} not held here",
                deleted.len(),
                outcome.tombstoned.len(),
                outcome.detached.len(),
                deleted.len().saturating_sub(gone)
            ));
        }
        Err(error) => {
            state.page_failures += 1;
            state.run.errored += 1;
            state
                .run
                .error(format!("withdrawing deleted records failed: {error:#}"));
        }
    }
}

pub(crate) async fn withdraw_unseen(
    catalog: &Arc<Catalog>,
    source_id: &str,
    state: &mut RunState,
) -> Result<()> {
    let known = {
        let catalog = catalog.clone();
        let source_id = source_id.to_owned();
        blocking(move || Ok(catalog.store.record_ids_of_source(&source_id)?)).await?
    };
    if state.seen.is_empty() {
        if !known.is_empty() {
            state.run.note(format!(
                "no deletions: the source returned no records where it had {} before",
                known.len()
            ));
        }
        return Ok(());
    }
    let unseen: Vec<String> = known
        .into_iter()
        .filter(|id| !state.seen.contains(id))
        .collect();
    for chunk in unseen.chunks(WITHDRAW_BATCH) {
        let catalog = catalog.clone();
        let chunk = chunk.to_vec();
        let source_id = source_id.to_owned();
        let withdrawn = blocking(move || withdraw_records(&catalog, &chunk, &source_id)).await?;
        state.run.tombstoned += withdrawn.tombstoned.len() as u64;
        if !withdrawn.detached.is_empty() {
            state.run.note(format!(
                "{} record(s) no longer delivered by this source stay: another source has them",
                withdrawn.detached.len()
            ));
        }
    }
    Ok(())
}
