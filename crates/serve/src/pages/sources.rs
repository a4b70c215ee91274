//! `/sources`: each harvested source with its schedule, what it contributes, how fresh it is
//! (last successful run, and the feed cursor for peers), its last runs and their errors.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use ldtcat_store::HarvestRun;

use crate::api_sources::{sources_with_runs, SourceStatus, ERRORS_PER_RUN};
use crate::error::ServeError;
use crate::html::{render_page, respond_in, Layout};
use crate::i18n::Locale;
use crate::state::AppState;

struct RunView {
    status: &'static str,
    started: String,
    ended: String,
    counts: String,
    errors: Vec<String>,
    notes: Vec<String>,
}

struct SourceView {
    id: String,
    title: String,
    kind: String,
    url: String,
    enabled: bool,
    schedule: String,
    next_run: String,
    running: bool,
    /// Live records this source delivers.
    records: u64,
    /// The last successful run's end, or `never`.
    last_success: String,
    /// Peer sources: the feed cursor.
    cursor: Option<String>,
    runs: Vec<RunView>,
    /// Its quality page.
    quality_href: String,
}

#[derive(Template)]
#[template(path = "sources.html")]
struct SourcesPage {
    layout: Layout,
    sources: Vec<SourceView>,
}

/// `GET /sources`.
pub(crate) async fn sources(State(state): State<Arc<AppState>>, locale: Locale) -> Response {
    respond_in(&state.site, sources_page(&state, &locale).await, &locale)
}

fn time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

fn run_view(run: &HarvestRun) -> RunView {
    RunView {
        status: run.status.as_str(),
        started: time(run.started_at),
        ended: run.ended_at.map(time).unwrap_or_else(|| "–".to_owned()),
        counts: format!(
            "{} added, {} updated, {} unchanged, {} tombstoned, {} errored; {} page(s), {} byte(s)",
            run.added,
            run.updated,
            run.unchanged,
            run.tombstoned,
            run.errored,
            run.pages,
            run.bytes
        ),
        errors: run.errors.iter().take(ERRORS_PER_RUN).cloned().collect(),
        notes: run.notes.iter().take(ERRORS_PER_RUN).cloned().collect(),
    }
}

fn source_view(status: SourceStatus, locale: &Locale) -> SourceView {
    let records = status.records;
    let last_success = status
        .last_success()
        .map(time)
        .unwrap_or_else(|| "never".to_owned());
    let cursor = status.cursor().map(str::to_owned);
    let runs = status.runs;
    let source = status.source;
    SourceView {
        records,
        last_success,
        cursor,
        title: source.title,
        kind: source.kind,
        url: source.url,
        enabled: source.enabled,
        schedule: source.schedule.unwrap_or_else(|| "by hand only".to_owned()),
        next_run: source.next_run.map(time).unwrap_or_else(|| "–".to_owned()),
        running: source.running,
        runs: runs.iter().map(run_view).collect(),
        quality_href: locale.link(&format!(
            "/sources/{}/quality",
            crate::i18n::encode(&source.id)
        )),
        id: source.id,
    }
}

async fn sources_page(state: &AppState, locale: &Locale) -> Result<Response, ServeError> {
    let listed = sources_with_runs(state).await?;
    let page = SourcesPage {
        layout: Layout::localised(&state.site, locale.messages.get("sources.title"), locale),
        sources: listed
            .into_iter()
            .map(|status| source_view(status, locale))
            .collect(),
    };
    render_page(StatusCode::OK, &page)
}
