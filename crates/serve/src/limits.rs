//! Bounds on what a request may carry, checked before any handler reads it: the length of
//! the URI, the size of `Accept` and the declared size of the body. A request over a bound
//! is answered at once in its route's error shape (JSON for the API and the DCAT routes,
//! plain text for `/sparql`, HTML for pages), and its body is never read.
//!
//! A body sent without a declared size is read at most to [`MAX_BODY_BYTES`] by the
//! handlers' extractors ([`body_limit`]), which then answer 413 as well: memory stays flat
//! whatever is sent.

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, ServeError};
use crate::state::AppState;

/// The longest URI (path and query string) accepted; longer SPARQL queries are POSTed.
pub const MAX_URI_BYTES: usize = 32 << 10;
/// The largest `Accept` header accepted.
pub const MAX_ACCEPT_BYTES: usize = 4 << 10;
/// The most media ranges an `Accept` header may list.
pub const MAX_ACCEPT_RANGES: usize = 64;
/// The largest request body accepted (SPARQL queries, LDT profiles).
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// The extractor limit for bodies sent without a declared size.
pub fn body_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(MAX_BODY_BYTES)
}

/// What is wrong with a request's size, if anything.
fn oversized(uri_length: usize, headers: &HeaderMap) -> Option<ServeError> {
    if uri_length > MAX_URI_BYTES {
        return Some(ServeError::UriTooLong {
            length: uri_length,
            max: MAX_URI_BYTES,
        });
    }
    for accept in headers.get_all(header::ACCEPT) {
        let ranges = accept.as_bytes().iter().filter(|b| **b == b',').count() + 1;
        if accept.len() > MAX_ACCEPT_BYTES || ranges > MAX_ACCEPT_RANGES {
            return Some(ServeError::BadHeader {
                header: "Accept".to_owned(),
                message: format!(
                    "{} bytes and {ranges} media ranges; at most {MAX_ACCEPT_BYTES} bytes and \
                     {MAX_ACCEPT_RANGES} media ranges are read",
                    accept.len()
                ),
            });
        }
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return Some(ServeError::BodyTooLarge {
            max: MAX_BODY_BYTES,
        });
    }
    None
}

/// The middleware: refuses an oversized request in its route's error shape.
pub(crate) async fn request_limits(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let uri = request.uri();
    let uri_length = uri.path().len() + uri.query().map_or(0, |q| q.len() + 1);
    let Some(error) = oversized(uri_length, request.headers()) else {
        return next.run(request).await;
    };
    let path = uri.path();
    let mut response = if path.starts_with("/api/")
        || path.starts_with("/catalog")
        || path.starts_with("/feed")
        || path.starts_with("/admin/")
    {
        ApiError(error).into_response()
    } else if path == "/sparql" {
        (error.status(), format!("{error}\n")).into_response()
    } else {
        crate::html::error_page(&state.site, &error)
    };
    // The body was not read: the connection cannot be reused.
    response.headers_mut().insert(
        header::CONNECTION,
        axum::http::HeaderValue::from_static("close"),
    );
    response
}

/// The 413 of a body that went over [`MAX_BODY_BYTES`] while it was read.
pub(crate) fn body_too_large() -> ServeError {
    ServeError::BodyTooLarge {
        max: MAX_BODY_BYTES,
    }
}

/// Whether an extractor's failure to read a body was its size.
pub(crate) fn is_too_large(status: StatusCode) -> bool {
    status == StatusCode::PAYLOAD_TOO_LARGE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_bound_gives_its_status() {
        let mut headers = HeaderMap::new();
        assert!(oversized(100, &headers).is_none());
        assert_eq!(
            oversized(MAX_URI_BYTES + 1, &headers).map(|e| e.status()),
            Some(StatusCode::URI_TOO_LONG)
        );
        let many = vec!["text/html"; MAX_ACCEPT_RANGES + 1].join(",");
        headers.insert(header::ACCEPT, many.parse().expect("header"));
        assert_eq!(
            oversized(100, &headers).map(|e| e.status()),
            Some(StatusCode::BAD_REQUEST)
        );
        headers.remove(header::ACCEPT);
        headers.insert(
            header::CONTENT_LENGTH,
            "1073741824".parse().expect("header"),
        );
        assert_eq!(
            oversized(100, &headers).map(|e| e.status()),
            Some(StatusCode::PAYLOAD_TOO_LARGE)
        );
    }
}
