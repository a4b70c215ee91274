//! Running one query for a client: parsing it off the async threads, taking a fair slot,
//! evaluating it on the blocking pool, and stopping it when the client hangs up.
//!
//! When a client closes its connection, the server drops the request's future; the
//! [`StopOnDrop`] guard it holds then stops the query, which ends at its next check and
//! frees its slot (the slot is held by the evaluation itself, not by the request).

use std::hash::BuildHasher;
use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::http::{header, Extensions, HeaderMap};
use ldtcat_sparql::{Answer, ParsedQuery, QueryHandle, QueryRequest, SparqlError, StopReason};

use super::slots::{Busy, ClientKey};
use super::{SparqlService, QUEUE_WAIT};

/// Why a query got no answer.
pub(crate) enum NotAnswered {
    /// No evaluation slot.
    Busy(Busy),
    /// The query failed or was stopped.
    Failed(SparqlError),
}

/// Who the query counts against: its bearer token when it has one, else its address.
pub(crate) fn client_key(
    service: &SparqlService,
    headers: &HeaderMap,
    extensions: &Extensions,
) -> ClientKey {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            let (scheme, token) = value.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
        .filter(|token| !token.is_empty());
    if let Some(token) = token {
        return ClientKey::Token(service.client_keys.hash_one(token));
    }
    match extensions.get::<ConnectInfo<SocketAddr>>() {
        Some(ConnectInfo(address)) => ClientKey::Address(address.ip()),
        None => ClientKey::Unknown,
    }
}

/// Parses and checks the query on the blocking pool (large queries take time to parse).
pub(crate) async fn parse(
    service: &SparqlService,
    request: QueryRequest,
) -> Result<ParsedQuery, SparqlError> {
    let engine = service.engine.clone();
    tokio::task::spawn_blocking(move || engine.parse(&request))
        .await
        .map_err(|error| SparqlError::Evaluation(format!("the parser task failed: {error}")))?
}

/// Stops the query when dropped while armed: the request's future was dropped before the
/// answer, so its client is gone.
struct StopOnDrop {
    handle: QueryHandle,
    armed: bool,
}

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        if self.armed {
            self.handle.stop(StopReason::ClientGone);
        }
    }
}

/// Evaluates `parsed` for `client` in a fair slot.
pub(crate) async fn evaluate(
    service: &SparqlService,
    client: ClientKey,
    parsed: ParsedQuery,
) -> Result<Answer, NotAnswered> {
    let handle = service.engine.handle();
    let mut guard = StopOnDrop {
        handle: handle.clone(),
        armed: true,
    };
    // A slot frees at the latest at the time limit, plus the margin of the last check.
    let runs_for = service.engine.limits().timeout + Duration::from_secs(1);
    let slot = service
        .slots
        .acquire(client, handle.clone(), runs_for, QUEUE_WAIT)
        .await
        .map_err(NotAnswered::Busy)?;
    let engine = service.engine.clone();
    let evaluated = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        engine.evaluate_with(parsed, &handle)
    })
    .await;
    guard.armed = false;
    match evaluated {
        Ok(result) => result.map_err(NotAnswered::Failed),
        Err(join_error) => {
            tracing::error!(%join_error, "SPARQL evaluation task failed");
            Err(NotAnswered::Failed(SparqlError::Evaluation(
                "the evaluation task failed".to_owned(),
            )))
        }
    }
}
