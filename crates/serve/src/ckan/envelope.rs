//! CKAN's answer envelope, `{"help", "success", "result"}`, and its errors: the `__type`s
//! and HTTP statuses of `ckan/views/api.py::action`, mapped in one `match`.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::error::ServeError;

/// Why an action failed, as CKAN says it.
#[derive(Debug)]
pub(crate) enum CkanError {
    /// The action name is not known (CKAN: 400, `Bad request - Action name not known`).
    UnknownAction(String),
    /// The request body or parameters cannot be read (CKAN: 400, `JSON Error`).
    BadRequest(String),
    /// A parameter fails validation (CKAN: 409, `Validation Error`): per field, the messages.
    Validation(Vec<(String, String)>),
    /// Nothing has this id or name (CKAN: 404, `Not Found Error`).
    NotFound(String),
    /// Not allowed to anyone without authorisation (CKAN: 403, `Authorization Error`).
    Authorization(String),
    /// The search parameters cannot be used (CKAN: 400, `Search Query Error`).
    SearchQuery(String),
    /// The search itself cannot run as asked (CKAN: 409, `Search Error`, what Solr's
    /// refusals of a filter query become).
    Search(String),
    /// Something failed on our side (500; the detail is logged, not sent).
    Internal(ServeError),
}

impl CkanError {
    /// A validation error of one field.
    pub(crate) fn invalid(field: &str, message: impl Into<String>) -> CkanError {
        CkanError::Validation(vec![(field.to_owned(), message.into())])
    }

    /// The HTTP status: the one place where these errors meet status codes.
    fn status(&self) -> StatusCode {
        match self {
            CkanError::UnknownAction(_) | CkanError::BadRequest(_) | CkanError::SearchQuery(_) => {
                StatusCode::BAD_REQUEST
            }
            CkanError::Validation(_) | CkanError::Search(_) => StatusCode::CONFLICT,
            CkanError::NotFound(_) => StatusCode::NOT_FOUND,
            CkanError::Authorization(_) => StatusCode::FORBIDDEN,
            CkanError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The `error` object of the envelope.
    fn body(&self) -> Value {
        let typed = |kind: &str, message: String| json!({"__type": kind, "message": message});
        match self {
            CkanError::UnknownAction(name) => typed(
                "Bad Request",
                format!("Bad request - Action name not known: {name}"),
            ),
            CkanError::BadRequest(why) => {
                typed("Bad Request", format!("Bad request - JSON Error: {why}"))
            }
            CkanError::Validation(fields) => {
                let mut error = Map::new();
                error.insert("__type".to_owned(), json!("Validation Error"));
                let mut summary = Vec::new();
                for (field, message) in fields {
                    summary.push(format!("{field}: {message}"));
                    let slot = error.entry(field.clone()).or_insert_with(|| json!([]));
                    if let Value::Array(messages) = slot {
                        messages.push(json!(message));
                    }
                }
                error.insert("message".to_owned(), json!(summary.join("; ")));
                Value::Object(error)
            }
            CkanError::NotFound(what) => typed("Not Found Error", format!("Not found: {what}")),
            CkanError::Authorization(why) => {
                typed("Authorization Error", format!("Access denied: {why}"))
            }
            CkanError::SearchQuery(why) => typed(
                "Search Query Error",
                format!("Search Query is invalid: {why}"),
            ),
            CkanError::Search(why) => typed("Search Error", format!("Search error: {why}")),
            CkanError::Internal(error) => typed("Internal Server Error", error.public_message()),
        }
    }
}

impl From<ServeError> for CkanError {
    fn from(error: ServeError) -> Self {
        match error {
            ServeError::BadParameter { parameter, message } => {
                CkanError::invalid(&parameter, message)
            }
            ServeError::MalformedQuery { message } => CkanError::BadRequest(message),
            ServeError::RecordNotFound { id } => CkanError::NotFound(id),
            other => CkanError::Internal(other),
        }
    }
}

/// The URL of `help_show` for an action, as CKAN puts it in every answer.
pub(crate) fn help_url(base_url: &str, action: &str) -> String {
    let name: String = form_urlencoded::byte_serialize(action.as_bytes()).collect();
    format!(
        "{}/api/3/action/help_show?name={name}",
        base_url.trim_end_matches('/')
    )
}

#[derive(Serialize)]
struct Success<'a, T: Serialize> {
    help: &'a str,
    success: bool,
    result: T,
}

/// A successful answer.
pub(crate) fn success<T: Serialize>(help: &str, result: T) -> Response {
    let envelope = Success {
        help,
        success: true,
        result,
    };
    match serde_json::to_vec(&envelope) {
        Ok(body) => json_response(StatusCode::OK, body),
        Err(error) => failure(
            help,
            CkanError::Internal(ServeError::Serialization(error.to_string())),
        ),
    }
}

/// A failed answer: `success: false` and CKAN's `error` object, with its status.
pub(crate) fn failure(help: &str, error: CkanError) -> Response {
    let status = error.status();
    let body = json!({"help": help, "success": false, "error": error.body()});
    json_response(status, body.to_string().into_bytes())
}

fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json;charset=utf-8")],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_has_ckans_type_and_status() {
        let cases = [
            (CkanError::UnknownAction("x".into()), 400, "Bad Request"),
            (
                CkanError::invalid("rows", "Must be a natural number"),
                409,
                "Validation Error",
            ),
            (
                CkanError::NotFound("package".into()),
                404,
                "Not Found Error",
            ),
            (
                CkanError::Authorization("no".into()),
                403,
                "Authorization Error",
            ),
            (
                CkanError::SearchQuery("sort".into()),
                400,
                "Search Query Error",
            ),
            (CkanError::Search("fq".into()), 409, "Search Error"),
        ];
        for (error, status, kind) in cases {
            assert_eq!(error.status().as_u16(), status);
            assert_eq!(error.body()["__type"], kind);
            assert!(error.body()["message"].is_string());
        }
        let validation = CkanError::invalid("rows", "Must be a natural number").body();
        assert_eq!(validation["rows"], json!(["Must be a natural number"]));
    }

    #[test]
    fn help_urls_name_the_action() {
        assert_eq!(
            help_url("http://x.org/", "package_search"),
            "http://x.org/api/3/action/help_show?name=package_search"
        );
    }
}
