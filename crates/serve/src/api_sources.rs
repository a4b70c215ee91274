//! `GET /api/sources`: every configured source with its schedule, its last runs (status,
//! counts, pages, bytes) and their recent errors. The wire shapes live here only.

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

/// The sources and their last runs (store reads on the blocking pool).
pub(crate) async fn sources_with_runs(
    state: &AppState,
) -> Result<Vec<(SourceInfo, Vec<HarvestRun>)>, crate::ServeError> {
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
            out.push((source, runs));
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
            .map(|(source, runs)| SourceJson {
                id: source.id,
                title: source.title,
                kind: source.kind,
                url: source.url,
                enabled: source.enabled,
                schedule: source.schedule,
                next_run: source.next_run.map(|t| t.to_rfc3339()),
                running: source.running,
                runs: runs.iter().map(run_json).collect(),
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
