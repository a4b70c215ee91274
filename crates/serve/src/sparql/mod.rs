//! `/sparql`: the SPARQL 1.1 Protocol query operation over the catalogue, read-only and
//! bounded (see the `ldtcat-sparql` crate for the limits), with a service description and an
//! HTML query page for browsers.
//!
//! Queries run on the blocking pool, at most [`SparqlService::max_concurrent`] at a time; a
//! query that waits more than [`QUEUE_WAIT`] for its turn gets a 503, so a burst of heavy
//! queries cannot take the rest of the server down with it.

mod description;
mod page;
mod protocol;

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use ldtcat_sparql::{
    Answer, GraphFormat, QueryKind, QueryRequest, ResultsFormat, SparqlEngine, SparqlError,
    SparqlLimits,
};
use tokio::sync::Semaphore;

use crate::negotiate::{choose, prefers_html};
use crate::state::AppState;
use page::{sparql_page, Outcome};
use protocol::ProtocolRequest;

/// How long a query waits for a free evaluation slot before a 503.
pub const QUEUE_WAIT: Duration = Duration::from_secs(2);

/// The SPARQL engine and the slots queries take turns on.
#[derive(Clone)]
pub struct SparqlService {
    engine: SparqlEngine,
    slots: Arc<Semaphore>,
    max_concurrent: usize,
}

impl SparqlService {
    /// A service over `store`: `limits` per query, `max_concurrent` queries at a time.
    pub fn new(store: oxigraph::store::Store, limits: SparqlLimits, max_concurrent: usize) -> Self {
        let max_concurrent = max_concurrent.max(1);
        Self {
            engine: SparqlEngine::new(store, limits),
            slots: Arc::new(Semaphore::new(max_concurrent)),
            max_concurrent,
        }
    }

    /// Queries evaluated at the same time at most.
    pub fn max_concurrent(&self) -> usize {
        self.max_concurrent
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
        SparqlError::UpdateRefused | SparqlError::ServiceRefused => StatusCode::FORBIDDEN,
        SparqlError::Syntax(_) | SparqlError::TooManyToSort(_) => StatusCode::BAD_REQUEST,
        SparqlError::Timeout(_) => StatusCode::SERVICE_UNAVAILABLE,
        SparqlError::Evaluation(_) | SparqlError::Serialization(_) => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
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
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut response = answer(&state, &method, raw.as_deref(), &headers, &body).await;
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
    let parsed = match service.engine.parse(&QueryRequest {
        query: query.clone(),
        base_iri: Some(endpoint),
        default_graphs: request.default_graphs.clone(),
        named_graphs: request.named_graphs.clone(),
    }) {
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
    let Ok(Ok(permit)) =
        tokio::time::timeout(QUEUE_WAIT, Arc::clone(&service.slots).acquire_owned()).await
    else {
        return plain(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many queries are running: try again in a moment",
        );
    };
    let engine = service.engine.clone();
    let evaluated = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        engine.evaluate(parsed)
    })
    .await;
    let answer = match evaluated {
        Ok(Ok(answer)) => answer,
        Ok(Err(error)) => {
            if matches!(chosen, Chosen::Html) {
                return error_page(state, limits, &query, &error);
            }
            if sparql_error_status(&error).is_server_error()
                && !matches!(error, SparqlError::Timeout(_))
            {
                tracing::error!(%error, "SPARQL query failed");
            }
            return plain(sparql_error_status(&error), error.to_string());
        }
        Err(join_error) => {
            tracing::error!(%join_error, "SPARQL evaluation task failed");
            return plain(StatusCode::INTERNAL_SERVER_ERROR, "internal server error");
        }
    };
    serialise(state, limits, &query, answer, chosen)
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
