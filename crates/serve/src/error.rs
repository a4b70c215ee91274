//! The errors of request handling, their HTTP statuses (mapped in one `match`) and the JSON
//! error body of the API routes.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use ldtcat_index::IndexError;
use ldtcat_store::StoreError;

/// What can go wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A query parameter has a value we cannot use.
    #[error("invalid `{parameter}` parameter: {message}")]
    BadParameter {
        /// The parameter name, as in the URL.
        parameter: String,
        /// What is wrong, for the client.
        message: String,
    },
    /// The query string itself cannot be decoded (bad percent-encoding, not UTF-8).
    #[error("malformed query string: {message}")]
    MalformedQuery {
        /// What is wrong, naming the parameter where it can be told.
        message: String,
    },
    /// No record has this id.
    #[error("no record has the id `{id}`")]
    RecordNotFound {
        /// The requested id.
        id: String,
    },
    /// The record was withdrawn from its sources (a tombstone).
    #[error("the record `{id}` was withdrawn on {}", deleted_at.format("%Y-%m-%d"))]
    RecordGone {
        /// The requested id.
        id: String,
        /// When the tombstone was set.
        deleted_at: DateTime<Utc>,
    },
    /// No route matches the path.
    #[error("nothing here: {path}")]
    NoRoute {
        /// The requested path.
        path: String,
    },
    /// The client accepts none of the media types offered.
    #[error("none of the accepted media types is available: ask for one of {offered}")]
    NotAcceptable {
        /// The media types offered.
        offered: String,
    },
    /// A request body cannot be used (unsupported media type, syntax error).
    #[error("invalid request body: {0}")]
    BadBody(String),
    /// The URI (path and query string) is longer than accepted.
    #[error("the URI is {length} bytes long, more than the {max} accepted: send a long query in a POST body")]
    UriTooLong {
        /// Its length.
        length: usize,
        /// The longest accepted.
        max: usize,
    },
    /// A header is too large to be read.
    #[error("the `{header}` header is too large: {message}")]
    BadHeader {
        /// The header's name.
        header: String,
        /// What is wrong.
        message: String,
    },
    /// The request body is larger than accepted.
    #[error("the request body is larger than the {max} bytes accepted")]
    BodyTooLarge {
        /// The largest accepted.
        max: usize,
    },
    /// The compatibility rules do not load.
    #[error("compatibility rules: {0}")]
    Compatibility(String),
    /// A document could not be written.
    #[error("serialisation error: {0}")]
    Serialization(String),
    /// The store failed.
    #[error("store error: {0}")]
    Store(#[from] StoreError),
    /// The search index failed.
    #[error("index error: {0}")]
    Index(#[from] IndexError),
    /// A template failed to render.
    #[error("template error: {0}")]
    Template(#[from] askama::Error),
    /// A blocking task panicked or was cancelled.
    #[error("blocking task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

impl ServeError {
    /// A [`ServeError::BadParameter`].
    pub fn bad_parameter(parameter: &str, message: impl Into<String>) -> ServeError {
        ServeError::BadParameter {
            parameter: parameter.to_owned(),
            message: message.into(),
        }
    }

    /// The HTTP status of this error: the one place where errors meet status codes.
    pub fn status(&self) -> StatusCode {
        match self {
            ServeError::BadParameter { .. }
            | ServeError::MalformedQuery { .. }
            | ServeError::BadBody(_)
            | ServeError::BadHeader { .. } => StatusCode::BAD_REQUEST,
            ServeError::UriTooLong { .. } => StatusCode::URI_TOO_LONG,
            ServeError::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ServeError::RecordNotFound { .. } | ServeError::NoRoute { .. } => StatusCode::NOT_FOUND,
            ServeError::RecordGone { .. } => StatusCode::GONE,
            ServeError::NotAcceptable { .. } => StatusCode::NOT_ACCEPTABLE,
            ServeError::Store(_)
            | ServeError::Serialization(_)
            | ServeError::Index(_)
            | ServeError::Compatibility(_)
            | ServeError::Template(_)
            | ServeError::Task(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message for the client: the error itself for 4xx, a generic sentence for 5xx
    /// (whose detail is logged here, once).
    pub fn public_message(&self) -> String {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, source = ?std::error::Error::source(self), "request failed");
            return "internal server error".to_owned();
        }
        self.to_string()
    }
}

/// The JSON body of an API error.
#[derive(serde::Serialize)]
struct ErrorBody {
    error: String,
}

/// A [`ServeError`] answered as JSON `{"error": "..."}`, for the `/api/*` routes.
#[derive(Debug)]
pub struct ApiError(pub ServeError);

impl From<ServeError> for ApiError {
    fn from(error: ServeError) -> Self {
        ApiError(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.0.public_message(),
        };
        (self.0.status(), Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_errors_are_4xx_and_name_the_parameter() {
        let error = ServeError::bad_parameter("page", "expected a whole number");
        assert_eq!(error.status(), StatusCode::BAD_REQUEST);
        assert!(error.public_message().contains("`page`"));
        let gone = ServeError::RecordGone {
            id: "abc".to_owned(),
            deleted_at: DateTime::UNIX_EPOCH,
        };
        assert_eq!(gone.status(), StatusCode::GONE);
        assert!(gone.public_message().contains("1970-01-01"));
    }

    #[test]
    fn server_errors_hide_their_detail() {
        let error = ServeError::Store(StoreError::IncompleteRecord {
            record_id: "secret-detail".to_owned(),
            missing: "ldt:kind",
        });
        assert_eq!(error.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(error.public_message(), "internal server error");
    }
}
