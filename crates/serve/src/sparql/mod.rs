//! `/sparql`: the SPARQL 1.1 Protocol query operation over the catalogue, read-only and
//! bounded (see the `ldtcat-sparql` crate for the limits), with a service description and an
//! HTML query page for browsers.
//!
//! Queries are parsed on the blocking pool, then take an evaluation slot (`slots`: at most
//! [`SparqlService::max_concurrent`] at a time, a share of them per client; a query that
//! cannot have one gets a 503 with `Retry-After`, after waiting at most [`QUEUE_WAIT`]), so
//! a burst of heavy queries cannot take the rest of the server down with it. A client that
//! hangs up stops its query (`run`), and [`SparqlService::stop_all`] stops them all when the
//! server shuts down.

mod description;
mod page;
mod protocol;
mod run;
mod slots;

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{header, Extensions, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use ldtcat_sparql::{
    Answer, GraphFormat, QueryKind, QueryRequest, ResultsFormat, SparqlEngine, SparqlError,
    SparqlLimits, StopReason,
};

use crate::negotiate::{choose, prefers_html};
use crate::state::AppState;
use page::{sparql_page, Outcome};
use protocol::ProtocolRequest;
use slots::Slots;
pub use slots::{Busy, ClientKey};

/// How long a query waits for a free evaluation slot before a 503.
pub const QUEUE_WAIT: Duration = Duration::from_secs(2);

/// The SPARQL engine and the slots queries take turns on.
#[derive(Clone)]
pub struct SparqlService {
    engine: SparqlEngine,
    slots: Arc<Slots>,
    client_keys: std::collections::hash_map::RandomState,
}

impl SparqlService {
    /// A service over `store`: `limits` per query, `max_concurrent` queries at a time, half
    /// of them (at least one) for one client.
    pub fn new(store: oxigraph::store::Store, limits: SparqlLimits, max_concurrent: usize) -> Self {
        let max_concurrent = max_concurrent.max(1);
        Self {
            engine: SparqlEngine::new(store, limits),
            slots: Arc::new(Slots::new(max_concurrent, max_concurrent.div_ceil(2))),
            client_keys: std::collections::hash_map::RandomState::new(),
        }
    }

    /// The same service with at most `max_per_client` slots for one client.
    pub fn with_max_per_client(self, max_per_client: usize) -> Self {
        let max_total = self.slots.max_total();
        Self {
            slots: Arc::new(Slots::new(max_total, max_per_client)),
            ..self
        }
    }

    /// Queries evaluated at the same time at most.
    pub fn max_concurrent(&self) -> usize {
        self.slots.max_total()
    }

    /// Queries one client may have evaluated at the same time.
    pub fn max_per_client(&self) -> usize {
        self.slots.max_per_client()
    }

    /// Queries evaluated now.
    pub fn running(&self) -> usize {
        self.slots.running()
    }

    /// Stops every running query (they end at their next check) and refuses new ones with a
    /// 503; returns how many were stopped. For the server's shutdown.
    pub fn stop_all(&self) -> usize {
        self.slots.stop_all(StopReason::ShuttingDown)
    }
}

fn plain(status: StatusCode, message: impl Into<String>) -> Response {
    let mut response = (status, format!("{}\n", message.into())).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

fn sparql_error_status(error: &SparqlError) -> StatusCode {
    match error {
        SparqlError::UpdateRefused => StatusCode::FORBIDDEN,
        error if error.is_client_error() => StatusCode::BAD_REQUEST,
        SparqlError::Timeout(_) | SparqlError::ShuttingDown | SparqlError::Cancelled => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The serialisation chosen for an answer.
enum Chosen {
    Html,
    Results(ResultsFormat),
    Graph(GraphFormat),
}

fn by_name<T: Copy>(
    all: &[T],
    names: impl Fn(T) -> &'static [&'static str],
    wanted: &str,
) -> Option<T> {
    let wanted = wanted.trim().to_ascii_lowercase();
    all.iter()
        .copied()
        .find(|format| names(*format).contains(&wanted.as_str()))
}

fn choose_format(kind: QueryKind, format: Option<&str>, accept: Option<&str>) -> Option<Chosen> {
    if kind.answers_with_triples() {
        let media: Vec<&str> = GraphFormat::ALL.iter().map(|f| f.names()[0]).collect();
        if let Some(name) = format {
            return if name.eq_ignore_ascii_case("html") {
                Some(Chosen::Html)
            } else {
                by_name(&GraphFormat::ALL, GraphFormat::names, name).map(Chosen::Graph)
            };
        }
        if prefers_html(accept, &media) {
            return Some(Chosen::Html);
        }
        return choose(accept, &media).map(|i| Chosen::Graph(GraphFormat::ALL[i]));
    }
    let all: Vec<ResultsFormat> = ResultsFormat::ALL
        .iter()
        .copied()
        .filter(|f| kind == QueryKind::Select || f.carries_booleans())
        .collect();
    let media: Vec<&str> = all.iter().map(|f| f.names()[0]).collect();
    if let Some(name) = format {
        return if name.eq_ignore_ascii_case("html") {
            Some(Chosen::Html)
        } else {
            by_name(&all, ResultsFormat::names, name).map(Chosen::Results)
        };
    }
    if prefers_html(accept, &media) {
        return Some(Chosen::Html);
    }
    choose(accept, &media).map(|i| Chosen::Results(all[i]))
}

/// `GET|POST /sparql`.
pub(crate) async fn sparql(
    State(state): State<Arc<AppState>>,
    method: Method,
    RawQuery(raw): RawQuery,
    extensions: Extensions,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let client = run::client_key(&state.sparql, &headers, &extensions);
    let mut response = match body {
        Ok(body) => answer(&state, &method, raw.as_deref(), &headers, &body, client).await,
        Err(rejection) if crate::limits::is_too_large(rejection.status()) => plain(
            StatusCode::PAYLOAD_TOO_LARGE,
            crate::limits::body_too_large().to_string(),
        ),
        Err(rejection) => plain(rejection.status(), rejection.body_text()),
    };
    let response_headers = response.headers_mut();
    response_headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    response_headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    if response.status() == StatusCode::METHOD_NOT_ALLOWED {
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
    }
    response
}

async fn answer(
    state: &AppState,
    method: &Method,
    raw: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
    client: ClientKey,
) -> Response {
    let service = &state.sparql;
    let limits = service.engine.limits();
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let request = match ProtocolRequest::read(method, raw, headers, body) {
        Ok(request) => request,
        Err(refusal) => return plain(refusal.status, refusal.message),
    };
    let endpoint = state.site.absolute_url("/sparql");
    let Some(query) = request.query.clone() else {
        let machine = [
            "text/turtle",
            "application/n-triples",
            "application/rdf+xml",
        ];
        if request.format.is_none() && prefers_html(accept, &machine) {
            return sparql_page(&state.site, limits, "", Outcome::Empty);
        }
        let mut response = plain(
            StatusCode::OK,
            description::service_description(&endpoint, limits),
        );
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/turtle; charset=utf-8"),
        );
        return response;
    };
    let parsed = match run::parse(
        service,
        QueryRequest {
            query: query.clone(),
            base_iri: Some(endpoint),
            default_graphs: request.default_graphs.clone(),
            named_graphs: request.named_graphs.clone(),
        },
    )
    .await
    {
        Ok(parsed) => parsed,
        Err(error) => {
            if request.format.as_deref() == Some("html")
                || (request.format.is_none()
                    && prefers_html(accept, &["application/sparql-results+json"]))
            {
                return error_page(state, limits, &query, &error);
            }
            return plain(sparql_error_status(&error), error.to_string());
        }
    };
    let Some(chosen) = choose_format(parsed.kind(), request.format.as_deref(), accept) else {
        return plain(StatusCode::NOT_ACCEPTABLE, "none of the accepted media types can carry this answer: ask for application/sparql-results+json, application/sparql-results+xml, text/csv or text/tab-separated-values (SELECT), or text/turtle, application/n-triples, application/rdf+xml or application/ld+json (CONSTRUCT, DESCRIBE)");
    };
    let answer = match run::evaluate(service, client, parsed).await {
        Ok(answer) => answer,
        Err(run::NotAnswered::Busy(busy)) => return busy_response(busy),
        Err(run::NotAnswered::Failed(error)) => {
            if matches!(chosen, Chosen::Html) {
                return error_page(state, limits, &query, &error);
            }
            if sparql_error_status(&error).is_server_error()
                && !matches!(
                    error,
                    SparqlError::Timeout(_) | SparqlError::ShuttingDown | SparqlError::Cancelled
                )
            {
                tracing::error!(%error, "SPARQL query failed");
            }
            return plain(sparql_error_status(&error), error.to_string());
        }
    };
    serialise(state, limits, &query, answer, chosen)
}

/// The 503 for a query that got no evaluation slot, with `Retry-After`.
fn busy_response(busy: Busy) -> Response {
    let (message, retry_after) = match busy {
        Busy::ClientShare { share, retry_after } => (
            format!("you already have {share} queries running, your share of this endpoint: try again when one has ended"),
            Some(retry_after),
        ),
        Busy::Full { retry_after } => (
            "too many queries are running: try again in a moment".to_owned(),
            Some(retry_after),
        ),
        Busy::ShuttingDown => ("the server is shutting down".to_owned(), None),
    };
    let mut response = plain(StatusCode::SERVICE_UNAVAILABLE, message);
    if let Some(retry_after) = retry_after {
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(retry_after.as_secs()),
        );
    }
    response
}

/// The query page showing why `query` was not answered, with the error's status.
fn error_page(
    state: &AppState,
    limits: SparqlLimits,
    query: &str,
    error: &SparqlError,
) -> Response {
    let mut page = sparql_page(
        &state.site,
        limits,
        query,
        Outcome::Error(error.to_string()),
    );
    *page.status_mut() = sparql_error_status(error);
    page
}

fn serialise(
    state: &AppState,
    limits: SparqlLimits,
    query: &str,
    answer: Answer,
    chosen: Chosen,
) -> Response {
    let truncated = answer.is_truncated();
    let (media_type, written) = match chosen {
        Chosen::Html => return sparql_page(&state.site, limits, query, Outcome::Answer(answer)),
        Chosen::Results(format) => (format.media_type(), answer.write_results(format)),
        Chosen::Graph(format) => (format.media_type(), answer.write_triples(format)),
    };
    match written {
        Ok(bytes) => {
            let mut response = (StatusCode::OK, bytes).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
            if truncated {
                headers.insert(
                    "ldtcat-results-truncated",
                    HeaderValue::from(limits.max_rows),
                );
            }
            response
        }
        Err(error) => {
            tracing::error!(%error, "SPARQL results could not be written");
            plain(StatusCode::INTERNAL_SERVER_ERROR, "internal server error")
        }
    }
}
