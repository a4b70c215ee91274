//! What the server knows of harvesting, through [`HarvestControl`] (implemented by the
//! binary, which owns the scheduler), and `POST /admin/harvest/{source}`, which starts a run
//! when the request carries the admin bearer token.
//!
//! Without a configured token the endpoint is disabled (404 with a message saying how to
//! enable it); with one, a request without it, or with another, gets 401.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::state::AppState;

/// A configured source as the pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    /// The source id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// `dcat`, `ckan` or `sparql`.
    pub kind: String,
    /// Where it is read.
    pub url: String,
    /// Whether it is harvested.
    pub enabled: bool,
    /// Its cron schedule (six fields), if any.
    pub schedule: Option<String>,
    /// The next scheduled run.
    pub next_run: Option<DateTime<Utc>>,
    /// Whether a run is going on now.
    pub running: bool,
}

/// Why a run could not be started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartRunError {
    /// No source has this id.
    UnknownSource,
    /// The source is disabled in its configuration.
    Disabled,
    /// A run of this source is going on.
    AlreadyRunning,
    /// The server is shutting down.
    ShuttingDown,
}

/// The harvester, as the server sees it.
pub trait HarvestControl: Send + Sync {
    /// Every configured source.
    fn sources(&self) -> Vec<SourceInfo>;
    /// Starts a run of `source_id` in the background.
    fn start_run(&self, source_id: &str) -> Result<(), StartRunError>;
}

/// The harvester and the admin token, for [`AppState`].
#[derive(Clone)]
pub struct HarvestAdmin {
    /// The harvester.
    pub control: Arc<dyn HarvestControl>,
    /// The bearer token `POST /admin/harvest/{source}` requires (none: endpoint disabled).
    pub admin_token: Option<String>,
}

#[derive(Serialize)]
struct AdminAnswer {
    status: &'static str,
    message: String,
}

fn answer(status: StatusCode, word: &'static str, message: String) -> Response {
    let mut response = (
        status,
        Json(AdminAnswer {
            status: word,
            message,
        }),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer realm=\"ldtcat admin\""),
        );
    }
    response
}

/// Compares without stopping at the first difference.
pub(crate) fn same_token(given: &str, expected: &str) -> bool {
    let (given, expected) = (given.as_bytes(), expected.as_bytes());
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// `POST /admin/harvest/{source}`: 202 when a run starts.
pub(crate) async fn start_harvest(
    State(state): State<Arc<AppState>>,
    Path(source_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(harvest) = &state.harvest else {
        return answer(
            StatusCode::NOT_FOUND,
            "disabled",
            "harvesting is not configured on this server".to_owned(),
        );
    };
    let Some(expected) = harvest.admin_token.as_deref().filter(|t| !t.is_empty()) else {
        return answer(
            StatusCode::NOT_FOUND,
            "disabled",
            "the admin endpoint is disabled: start the server with an admin token \
             (LDTCAT_ADMIN_TOKEN or --admin-token)"
                .to_owned(),
        );
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        Some(token) if same_token(token, expected) => {}
        _ => {
            return answer(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "send the admin token as `Authorization: Bearer <token>`".to_owned(),
            )
        }
    }
    match harvest.control.start_run(&source_id) {
        Ok(()) => answer(
            StatusCode::ACCEPTED,
            "started",
            format!("a harvest run of `{source_id}` started; see /api/sources"),
        ),
        Err(StartRunError::UnknownSource) => answer(
            StatusCode::NOT_FOUND,
            "unknown",
            format!("no source `{source_id}`"),
        ),
        Err(StartRunError::Disabled) => answer(
            StatusCode::CONFLICT,
            "disabled",
            format!("the source `{source_id}` is disabled in its configuration"),
        ),
        Err(StartRunError::AlreadyRunning) => answer(
            StatusCode::CONFLICT,
            "running",
            format!("a run of `{source_id}` is going on"),
        ),
        Err(StartRunError::ShuttingDown) => answer(
            StatusCode::SERVICE_UNAVAILABLE,
            "stopping",
            "the server is shutting down".to_owned(),
        ),
    }
}
