//! `GET /api/sources`: every configured source with its schedule, what it contributes (live
//! records it delivers), its feed cursor (peers), its last runs (status, counts, pages,
//! bytes) and their recent errors. The wire shapes live here only.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use ldtcat_store::HarvestRun;
use serde::Serialize;

use crate::error::ApiError;
use crate::harvest_admin::SourceInfo;
use crate::state::{blocking, AppState};

/// Runs listed per source.
pub(crate) const RUNS_PER_SOURCE: usize = 5;
/// Errors listed per run.
pub(crate) const ERRORS_PER_RUN: usize = 20;

/// The body of `/api/sources`.
#[derive(Debug, Serialize)]
pub(crate) struct SourcesResponse {
    sources: Vec<SourceJson>,
}

#[derive(Debug, Serialize)]
struct SourceJson {
    id: String,
    title: String,
    kind: String,
    url: String,
    enabled: bool,
    schedule: Option<String>,
    next_run: Option<String>,
    running: bool,
    /// Live records this source delivers.
    records: u64,
    /// Peer sources: the feed cursor reached (the next run reads the changes after it).
    cursor: Option<String>,
    /// When the last successful run ended.
    last_success: Option<String>,
    runs: Vec<RunJson>,
}

#[derive(Debug, Serialize)]
struct RunJson {
    run_id: String,
    status: &'static str,
    full: bool,
    started: String,
    ended: Option<String>,
    added: u64,
    updated: u64,
    unchanged: u64,
    tombstoned: u64,
    errored: u64,
    pages: u64,
    bytes: u64,
    errors: Vec<String>,
    notes: Vec<String>,
}

/// A source with what the store knows of it.
pub(crate) struct SourceStatus {
    /// The configured source.
    pub(crate) source: SourceInfo,
    /// Its last runs, newest first.
    pub(crate) runs: Vec<HarvestRun>,
    /// Live records it delivers.
    pub(crate) records: u64,
}

impl SourceStatus {
    /// The feed cursor of the newest run that has one.
    pub(crate) fn cursor(&self) -> Option<&str> {
        self.runs.iter().find_map(|run| run.cursor.as_deref())
    }

    /// When the last successful run ended.
    pub(crate) fn last_success(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.runs
            .iter()
            .find(|run| run.status == ldtcat_store::RunStatus::Success)
            .and_then(|run| run.ended_at)
    }
}

/// The sources, their contributions and last runs (store reads on the blocking pool).
pub(crate) async fn sources_with_runs(
    state: &AppState,
) -> Result<Vec<SourceStatus>, crate::ServeError> {
    let sources = state
        .harvest
        .as_ref()
        .map(|h| h.control.sources())
        .unwrap_or_default();
    let store = state.store.clone();
    blocking(move || {
        let mut out = Vec::with_capacity(sources.len());
        for source in sources {
            let runs = store.runs_of_source(&source.id, RUNS_PER_SOURCE)?;
            let records = store.record_ids_of_source(&source.id)?.len() as u64;
            out.push(SourceStatus {
                source,
                runs,
                records,
            });
        }
        Ok::<_, ldtcat_store::StoreError>(out)
    })
    .await
}

/// `GET /api/sources`.
pub(crate) async fn sources(
    State(state): State<Arc<AppState>>,
) -> Result<Json<SourcesResponse>, ApiError> {
    let listed = sources_with_runs(&state).await?;
    Ok(Json(SourcesResponse {
        sources: listed
            .into_iter()
            .map(|status| SourceJson {
                records: status.records,
                cursor: status.cursor().map(str::to_owned),
                last_success: status.last_success().map(|t| t.to_rfc3339()),
                runs: status.runs.iter().map(run_json).collect(),
                id: status.source.id,
                title: status.source.title,
                kind: status.source.kind,
                url: status.source.url,
                enabled: status.source.enabled,
                schedule: status.source.schedule,
                next_run: status.source.next_run.map(|t| t.to_rfc3339()),
                running: status.source.running,
            })
            .collect(),
    }))
}

fn run_json(run: &HarvestRun) -> RunJson {
    RunJson {
        run_id: run.run_id.clone(),
        status: run.status.as_str(),
        full: run.full,
        started: run.started_at.to_rfc3339(),
        ended: run.ended_at.map(|t| t.to_rfc3339()),
        added: run.added,
        updated: run.updated,
        unchanged: run.unchanged,
        tombstoned: run.tombstoned,
        errored: run.errored,
        pages: run.pages,
        bytes: run.bytes,
        errors: run.errors.iter().take(ERRORS_PER_RUN).cloned().collect(),
        notes: run.notes.iter().take(ERRORS_PER_RUN).cloned().collect(),
    }
}
