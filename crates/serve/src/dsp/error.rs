//! What goes wrong on the DSP routes, answered as DSP's `CatalogError` message with the
//! status the HTTPS binding names (400, 401, 404; and 405, 413 for requests that no route
//! can read). Statuses are mapped in one `match`; a server error's detail goes to the log.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::jsonld::DSP_CONTEXT;
use crate::error::ServeError;

/// An error of a DSP request.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CatalogError {
    /// The body is not a usable `CatalogRequestMessage`, or a paging parameter is wrong.
    #[error("{0}")]
    BadRequest(String),
    /// The token is missing or wrong.
    #[error("this catalog needs a token: send `Authorization: Bearer <token>`")]
    Unauthorized,
    /// No dataset has this id.
    #[error("no dataset has the id `{0}`")]
    UnknownDataset(String),
    /// The route takes another method.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// The body is larger than the server reads.
    #[error("the request body is too large")]
    TooLarge,
    /// The server failed (detail logged).
    #[error(transparent)]
    Server(#[from] ServeError),
}

impl CatalogError {
    fn status(&self) -> StatusCode {
        match self {
            CatalogError::BadRequest(_) => StatusCode::BAD_REQUEST,
            CatalogError::Unauthorized => StatusCode::UNAUTHORIZED,
            CatalogError::UnknownDataset(_) => StatusCode::NOT_FOUND,
            CatalogError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            CatalogError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            CatalogError::Server(error) => match error.status() {
                status if status.is_client_error() => status,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            },
        }
    }

    fn code(&self) -> &'static str {
        match self {
            CatalogError::BadRequest(_) => "bad-request",
            CatalogError::Unauthorized => "unauthorized",
            CatalogError::UnknownDataset(_) => "unknown-dataset",
            CatalogError::MethodNotAllowed(_) => "method-not-allowed",
            CatalogError::TooLarge => "too-large",
            CatalogError::Server(_) => "server-error",
        }
    }

    fn reason(&self) -> String {
        match self {
            CatalogError::Server(error) => error.public_message(),
            other => other.to_string(),
        }
    }
}

impl IntoResponse for CatalogError {
    fn into_response(self) -> Response {
        let body = json!({
            "@context": [DSP_CONTEXT],
            "@type": "CatalogError",
            "code": self.code(),
            "reason": [self.reason()],
        });
        let mut response = (self.status(), axum::Json(body)).into_response();
        if matches!(self, CatalogError::Unauthorized) {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"ldtcat dataspace protocol\""),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_its_status_and_server_errors_hide_their_detail() {
        assert_eq!(
            CatalogError::BadRequest("x".to_owned()).status(),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            CatalogError::Unauthorized.status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            CatalogError::UnknownDataset("d".to_owned()).status(),
            StatusCode::NOT_FOUND
        );
        let server = CatalogError::Server(ServeError::Serialization("secret".to_owned()));
        assert_eq!(server.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(server.reason(), "internal server error");
    }
}
