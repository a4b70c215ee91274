//! A harvest run: pages from the source's [`Pager`] → records → store (what changed) →
//! index; then, after a complete successful full run, the records the source no longer
//! delivers are withdrawn (tombstoned unless another source still delivers them). The run
//! report is saved when the run starts (`running`), after every page, and at the end.
//!
//! A `peer` source is read through its change feed instead ([`crate::peer`]): from the
//! start on the first run, then from the cursor saved with the last run report; its
//! deletions come from the feed, so absence never deletes anything.
//!
//! Safety rules, each pinned by a test in `tests/harvest.rs`:
//! - a failed, partial, timed-out, incremental or not-modified run deletes nothing;
//! - a run that finds no record where the source had some deletes nothing and says so;
//! - a page that cannot be fetched or parsed is reported, and the run goes on when the next
//!   page is reachable; the run is then `partial`;
//! - a record a page delivers but that cannot be read (`Page::record_errors`, a Records record
//!   without an id) is reported; the run is then `partial`;
//! - every run has a timeout, and a run left `running` by a stopped process is marked
//!   `failed` at the next start ([`crate::harvest::fail_interrupted_runs`]);
//! - a run interrupted by the server's shutdown ([`run_source_until`]) writes what it has
//!   read, ends `failed` ("interrupted") and deletes nothing.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use chrono::Utc;
use ldtcat_config::{SourceConfig, SourceKind};
use ldtcat_harvest::{FeedMembers, Fetcher, Page, Pager, PagerEvent, PagerStart, Validators};
use ldtcat_store::{HarvestRun, RunQuality, RunStatus};

use crate::catalog::Catalog;
use crate::harvest_deletions::{withdraw_deleted, withdraw_unseen};
use crate::link_check::check_source_links;
use crate::page_memo::{MemoPage, PageMemo};
use crate::pipeline::{flush_carry, import_document_of_run, Carry, DocumentReport, DocumentRun};

/// Parse repairs listed per page in the notes.
const REPAIR_NOTES_PER_PAGE: usize = 5;

/// How a run was asked for.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunRequest {
    /// Read the whole source even if it is incremental.
    pub force_full: bool,
}

/// Called after every page with the report so far.
pub type OnProgress<'a> = dyn Fn(&HarvestRun) + Send + Sync + 'a;

pub(crate) struct RunState {
    pub(crate) run: HarvestRun,
    /// The last complete run's pages (empty for peers and incremental runs).
    memo: PageMemo,
    /// This run's pages, saved when it ends.
    next_memo: PageMemo,
    /// Records read and not yet written (see [`Carry`]).
    carry: Arc<Mutex<Carry>>,
    /// Set when carried records could not be written: the run then deletes nothing and
    /// leaves no memo.
    carry_lost: bool,
    unchanged_pages: u64,
    pub(crate) seen: HashSet<String>,
    pages_ok: u64,
    pub(crate) page_failures: u64,
    stopped_early: bool,
    /// Set when the server's shutdown interrupted the run.
    interrupted: bool,
    not_modified: bool,
    previous_validators: Option<Validators>,
}

/// Marks every run left `running` by a stopped process as `failed`; returns how many.
pub async fn fail_interrupted_runs(catalog: &Arc<Catalog>) -> Result<u64> {
    let catalog = catalog.clone();
    Ok(
        tokio::task::spawn_blocking(move || catalog.store.fail_interrupted_runs(Utc::now()))
            .await??,
    )
}

pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .context("a blocking task panicked")?
}

/// Harvests `source` once and returns its report (also saved in the store).
pub async fn run_source(
    catalog: Arc<Catalog>,
    fetcher: Fetcher,
    source: SourceConfig,
    request: RunRequest,
    on_progress: &OnProgress<'_>,
) -> Result<HarvestRun> {
    run_source_until(
        catalog,
        fetcher,
        source,
        request,
        on_progress,
        std::future::pending(),
    )
    .await
}

/// [`run_source`], interrupted when `interrupt` completes (the server is shutting down):
/// the pages stop, what was read is written, and the run ends `failed` without deletions.
pub async fn run_source_until(
    catalog: Arc<Catalog>,
    fetcher: Fetcher,
    source: SourceConfig,
    request: RunRequest,
    on_progress: &OnProgress<'_>,
    interrupt: impl std::future::Future<Output = ()>,
) -> Result<HarvestRun> {
    let previous = {
        let catalog = catalog.clone();
        let source_id = source.id.clone();
        blocking(move || Ok(catalog.store.runs_of_source(&source_id, 20)?)).await?
    };
    let last_success = previous.iter().find(|r| r.status == RunStatus::Success);
    let is_peer = source.kind == SourceKind::Peer;
    let feed_after = if is_peer && !request.force_full {
        previous
            .iter()
            .find_map(|run| run.cursor.as_deref()?.parse::<u64>().ok())
    } else {
        None
    };
    let incremental = if is_peer {
        feed_after.is_some()
    } else {
        source.options.incremental && !request.force_full && last_success.is_some()
    };
    let start = PagerStart {
        validators: last_success
            .filter(|r| r.full && r.pages <= 1 && (r.etag.is_some() || r.last_modified.is_some()))
            .map(|r| Validators {
                etag: r.etag.clone(),
                last_modified: r.last_modified.clone(),
            }),
        modified_since: if incremental && !is_peer {
            last_success.map(|r| r.started_at)
        } else {
            None
        },
        feed_after,
        known_pages: HashMap::new(),
    };
    let mut start = start;
    let memo = if is_peer || incremental {
        PageMemo::default()
    } else {
        let (data_dir, source) = (catalog.data_dir().to_path_buf(), source.clone());
        blocking(move || Ok(PageMemo::take(&data_dir, &source))).await?
    };
    start.known_pages = memo.known_pages();
    let next_memo = PageMemo {
        fingerprint: memo.fingerprint.clone(),
        pages: HashMap::new(),
    };
    let mut state = RunState {
        memo,
        next_memo,
        carry: Arc::new(Mutex::new(Carry::default())),
        carry_lost: false,
        unchanged_pages: 0,
        run: HarvestRun::start(&source.id, !incremental, Utc::now()),
        seen: HashSet::new(),
        pages_ok: 0,
        page_failures: 0,
        stopped_early: false,
        interrupted: false,
        not_modified: false,
        previous_validators: start.validators.clone(),
    };
    if is_peer {
        state.run.cursor = Some(feed_after.unwrap_or(0).to_string());
        state.run.note(match feed_after {
            Some(after) => {
                format!("peer feed from sequence {after} on; deletions come from the feed")
            }
            None => "peer feed from its start; deletions come from the feed".to_owned(),
        });
    } else if incremental {
        if let Some(since) = start.modified_since {
            state.run.note(format!(
                "incremental: only what changed since {since}; nothing is deleted"
            ));
        }
    }
    save(&catalog, &state.run).await?;
    let mut interrupt = std::pin::pin!(interrupt);
    let timeout = source.options.run_timeout;
    let pages = harvest_pages(&catalog, &fetcher, &source, start, &mut state, on_progress);
    let (timed_out, interrupted) = tokio::select! {
        finished = tokio::time::timeout(timeout, pages) => (finished.is_err(), false),
        () = &mut interrupt => (false, true),
    };
    let mut outcome_error = None;
    if timed_out {
        state.stopped_early = true;
        state.run.error(format!(
            "the run timed out after {} s (options.run_timeout_seconds)",
            timeout.as_secs()
        ));
    }
    if interrupted {
        state.stopped_early = true;
        state.interrupted = true;
        state
            .run
            .error("interrupted: the server was shut down during the run; nothing was deleted");
    }
    // What the run has read is written before anything is decided on it, even after a
    // timeout or a failed page.
    write_carry(&catalog, &mut state).await;
    state.run.status = decide_status(&state);
    if state.unchanged_pages > 0 {
        state.run.note(format!(
            "{} page(s) byte for byte as in the last run: not parsed, their records unchanged",
            state.unchanged_pages
        ));
    }
    let reached_the_end =
        !state.stopped_early && !state.carry_lost && state.run.status != RunStatus::Failed;
    if reached_the_end && !is_peer && !incremental && !state.not_modified {
        let memo = std::mem::take(&mut state.next_memo);
        let (data_dir, source_id) = (catalog.data_dir().to_path_buf(), source.id.clone());
        if let Err(error) = blocking(move || memo.save(&data_dir, &source_id)).await {
            tracing::warn!(source = %source.id, "cannot save the page memo: {error:#}");
        }
    }
    if state.run.status == RunStatus::Success && state.run.full && !state.not_modified && !is_peer {
        if let Err(error) = withdraw_unseen(&catalog, &source.id, &mut state).await {
            state.run.status = RunStatus::Partial;
            state.run.error(format!("deletions failed: {error:#}"));
            outcome_error = Some(error);
        }
    } else if state.run.status != RunStatus::Success && !is_peer {
        state.run.note(format!(
            "no deletions: the run was {}",
            state.run.status.as_str()
        ));
    }
    if let (Some(config), false) = (&source.link_check, state.interrupted) {
        tokio::select! {
            checked = check_source_links(&catalog, &source, config) => match checked {
                Ok(report) => {
                    state.run.note(report.summary());
                    for refusal in report.refusals {
                        state.run.note(refusal);
                    }
                }
                Err(error) => state.run.note(format!("link check failed: {error:#}")),
            },
            () = &mut interrupt => state.run.note("link check stopped: the server is shutting down"),
        }
    }
    state.run.quality = source_quality(&catalog, &source.id).await;
    state.run.ended_at = Some(Utc::now());
    save(&catalog, &state.run).await?;
    if let Some(error) = outcome_error {
        tracing::warn!(source = %source.id, "harvest deletions failed: {error:#}");
    }
    tracing::info!(
        source = %source.id,
        status = state.run.status.as_str(),
        added = state.run.added,
        updated = state.run.updated,
        unchanged = state.run.unchanged,
        tombstoned = state.run.tombstoned,
        errored = state.run.errored,
        "harvest run finished"
    );
    Ok(state.run)
}

/// Writes the carried records and counts them; a failure is reported and makes the run
/// partial, without deletions or memo.
async fn write_carry(catalog: &Arc<Catalog>, state: &mut RunState) {
    let carry = state.carry.clone();
    let (source_id, run_id) = (state.run.source_id.clone(), state.run.run_id.clone());
    let work_catalog = catalog.clone();
    let written = blocking(move || {
        let mut carry = carry
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if carry.is_empty() {
            return Ok(DocumentReport::default());
        }
        let run = DocumentRun {
            source_id: &source_id,
            run_id: Some(&run_id),
            origins: None,
            participants: None,
            listed: None,
        };
        flush_carry(&work_catalog, &run, &mut carry)
    })
    .await;
    match written {
        Ok(report) => {
            state.run.added += report.added;
            state.run.updated += report.updated;
            state.run.unchanged += report.unchanged;
        }
        Err(error) => {
            state.carry_lost = true;
            state.run.errored += 1;
            state
                .run
                .error(format!("writing the last records read failed: {error:#}"));
        }
    }
}

fn decide_status(state: &RunState) -> RunStatus {
    if state.interrupted {
        return RunStatus::Failed;
    }
    if state.not_modified {
        return RunStatus::Success;
    }
    if state.pages_ok == 0 {
        return RunStatus::Failed;
    }
    if state.stopped_early || state.page_failures > 0 || state.carry_lost {
        return RunStatus::Partial;
    }
    RunStatus::Success
}

/// The source's metadata quality now (its records as the index holds them after the run),
/// for the trend of its quality page; a failure to count is logged, not the run's.
async fn source_quality(catalog: &Arc<Catalog>, source_id: &str) -> Option<RunQuality> {
    let (catalog, id) = (catalog.clone(), source_id.to_owned());
    let report = blocking(move || Ok(catalog.index.quality_report(Some(&id))?)).await;
    match report {
        Ok(report) => crate::quality::run_quality(&report),
        Err(error) => {
            tracing::warn!(source = %source_id, "cannot count the source's quality: {error:#}");
            None
        }
    }
}

async fn save(catalog: &Arc<Catalog>, run: &HarvestRun) -> Result<()> {
    let catalog = catalog.clone();
    let run = run.clone();
    blocking(move || Ok(catalog.store.save_run(&run)?)).await
}

async fn harvest_pages(
    catalog: &Arc<Catalog>,
    fetcher: &Fetcher,
    source: &SourceConfig,
    start: PagerStart,
    state: &mut RunState,
    on_progress: &OnProgress<'_>,
) {
    let mut pager = match Pager::new(source, fetcher.clone(), start) {
        Ok(pager) => pager,
        Err(error) => {
            state.stopped_early = true;
            state.run.error(error.to_string());
            return;
        }
    };
    while let Some(event) = pager.next().await {
        state.run.pages = pager.pages();
        match event {
            PagerEvent::NotModified => {
                state.not_modified = true;
                if let Some(previous) = &state.previous_validators {
                    state.run.etag.clone_from(&previous.etag);
                    state.run.last_modified.clone_from(&previous.last_modified);
                }
                state
                    .run
                    .note("not modified since the last run (HTTP 304): nothing to read");
            }
            PagerEvent::Failed { error, more } => {
                state.page_failures += 1;
                state.run.errored += 1;
                state.run.error(error.to_string());
                if !more {
                    state.stopped_early = true;
                }
            }
            PagerEvent::Page(page) => {
                let url = page.url.to_string();
                let (statements, clean_records) = read_page(catalog, page, state).await;
                if let (Some(records), Some(digest)) = (clean_records, pager.last_digest()) {
                    let remembered = MemoPage {
                        digest: digest.to_owned(),
                        next: pager.next_url().map(ToString::to_string),
                        records,
                        statements,
                    };
                    state.next_memo.pages.insert(url, remembered);
                }
                pager.page_read(statements);
            }
            PagerEvent::Unchanged { url, bytes } => {
                let url = url.to_string();
                let remembered = state.memo.pages.get(&url).cloned().unwrap_or_default();
                state.run.bytes += bytes;
                state.run.unchanged += remembered.records.len() as u64;
                state.pages_ok += 1;
                state.unchanged_pages += 1;
                state.seen.extend(remembered.records.iter().cloned());
                pager.page_read(remembered.statements);
                state.next_memo.pages.insert(url, remembered);
            }
            PagerEvent::Feed { page, members } => {
                if !read_feed_page(catalog, page, members, state).await {
                    // The cursor stays before this page: the next run starts here.
                    state.stopped_early = true;
                    break;
                }
            }
        }
        if let Err(error) = save(catalog, &state.run).await {
            tracing::warn!(source = %source.id, "cannot save the run report: {error:#}");
        }
        on_progress(&state.run);
    }
}

/// Reads one page into the store and index; returns the number of statements it held and,
/// when it was read without an error, a dropped statement or a repair, its records' ids.
async fn read_page(
    catalog: &Arc<Catalog>,
    mut page: Page,
    state: &mut RunState,
) -> (u64, Option<Vec<String>>) {
    state.run.bytes += page.bytes;
    let page_notes = page.notes.len() + page.record_errors.len();
    for note in &page.notes {
        state.run.note(note.clone());
    }
    if !page.record_errors.is_empty() {
        // Unreadable records: the others are read, but the run is not complete.
        state.page_failures += 1;
        state.run.errored += page.record_errors.len() as u64;
        for error in &page.record_errors {
            state.run.error(error.clone());
        }
    }
    let deleted = std::mem::take(&mut page.deleted);
    if state.run.pages <= 1 {
        state.run.etag.clone_from(&page.validators.etag);
        state
            .run
            .last_modified
            .clone_from(&page.validators.last_modified);
    }
    let url = page.url.to_string();
    let source_id = state.run.source_id.clone();
    let run_id = state.run.run_id.clone();
    let work_catalog = catalog.clone();
    let carry = state.carry.clone();
    let result = blocking(move || {
        // Held while the page is read: a run stopped by its timeout waits here for the
        // page in progress before writing what is carried.
        let mut carry = carry
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut seen = Vec::new();
        let run = DocumentRun {
            source_id: &source_id,
            run_id: Some(&run_id),
            origins: None,
            participants: Some(&page.participants),
            listed: page.listed.as_ref(),
        };
        let report = import_document_of_run(
            &work_catalog,
            &page.document(),
            &run,
            Some(&mut *carry),
            &mut |id| seen.push(id.to_owned()),
            &|_| {},
        );
        Ok((report, seen))
    })
    .await;
    let (report, seen) = match result {
        Ok(pair) => pair,
        Err(error) => {
            // The task panicked: the records it carried are gone with it.
            state.carry_lost = true;
            (Err(error), Vec::new())
        }
    };
    state.seen.extend(seen.iter().cloned());
    if !deleted.is_empty() {
        withdraw_deleted(catalog, &deleted, state).await;
    }
    match report {
        Ok(report) => {
            state.pages_ok += 1;
            let clean = report.errored == 0
                && report.parse.dropped == 0
                && report.parse.repaired == 0
                && page_notes == 0;
            let run = &mut state.run;
            run.added += report.added;
            run.updated += report.updated;
            run.unchanged += report.unchanged;
            run.errored += report.errored + report.parse.dropped;
            for error in report.errors {
                run.error(error);
            }
            for example in report.parse.examples.iter() {
                if example.starts_with("dropped") {
                    run.error(format!("{url}: {example}"));
                }
            }
            for example in report
                .parse
                .examples
                .iter()
                .filter(|e| e.starts_with("repaired"))
                .take(REPAIR_NOTES_PER_PAGE)
            {
                run.note(format!("{url}: {example}"));
            }
            (report.parse.statements, clean.then_some(seen))
        }
        Err(error) => {
            state.page_failures += 1;
            state.run.errored += 1;
            state.run.error(format!("{error:#}"));
            (0, None)
        }
    }
}

/// Applies one page of a peer's feed; false when it could not be applied.
async fn read_feed_page(
    catalog: &Arc<Catalog>,
    page: Page,
    members: FeedMembers,
    state: &mut RunState,
) -> bool {
    state.run.bytes += page.bytes;
    for invalid in &members.invalid {
        state.run.errored += 1;
        state.run.error(invalid.clone());
    }
    let source_id = state.run.source_id.clone();
    let run_id = state.run.run_id.clone();
    let work_catalog = catalog.clone();
    let url = page.url.to_string();
    let applied = blocking(move || {
        crate::peer::apply_feed_page(&work_catalog, &page, &members, &source_id, &run_id)
    })
    .await;
    let report = match applied {
        Ok(report) => report,
        Err(error) => {
            state.page_failures += 1;
            state.run.errored += 1;
            state.run.error(format!("{url}: {error:#}"));
            return false;
        }
    };
    state.pages_ok += 1;
    let run = &mut state.run;
    run.added += report.document.added;
    run.updated += report.document.updated;
    run.unchanged += report.document.unchanged;
    run.tombstoned += report.tombstoned;
    run.errored += report.document.errored + report.missing.len() as u64;
    for error in report.document.errors {
        run.error(error);
    }
    for resource in &report.missing {
        run.error(format!(
            "{resource}: announced by the feed without a description"
        ));
    }
    if report.loops > 0 {
        run.note(format!(
            "{url}: {} record(s) originated here or already passed through here: not imported",
            report.loops
        ));
    }
    if report.detached > 0 {
        run.note(format!(
            "{url}: {} record(s) deleted at the peer stay: another source has them",
            report.detached
        ));
    }
    if let Some(last) = report.last_sequence {
        run.cursor = Some(last.to_string());
    }
    true
}
