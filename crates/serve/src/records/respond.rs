//! What every Records response shares: choosing the representation (`f`, else `Accept`),
//! writing JSON with its media type, and the OGC exception document for errors.

use std::sync::Arc;

use axum::extract::{OriginalUri, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::error::ServeError;
use crate::negotiate::{choose, prefers_html};
use crate::query::decode_pairs;
use crate::state::AppState;

/// `application/geo+json`.
pub(crate) const GEO_JSON: &str = "application/geo+json";
/// `application/json`.
pub(crate) const JSON: &str = "application/json";
/// The OpenAPI 3.0 media type.
pub(crate) const OPENAPI_JSON: &str = "application/vnd.oai.openapi+json;version=3.0";
/// `text/html`.
pub(crate) const HTML: &str = "text/html";

/// A representation: JSON of some media type, or HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// JSON served as this media type.
    Json(&'static str),
    /// HTML.
    Html,
}

/// The representations of a resource, the preferred first, and which `f` values name them.
pub(crate) struct Offers {
    /// The JSON media types, preferred first (`f=json` gives the first).
    pub json: &'static [&'static str],
}

/// Documents (landing page, collections, ...): JSON or HTML.
pub(crate) const DOCUMENT: Offers = Offers { json: &[JSON] };
/// Records and record collections: GeoJSON (also as plain JSON) or HTML.
pub(crate) const RECORDS: Offers = Offers {
    json: &[GEO_JSON, JSON],
};
/// The API definition: OpenAPI JSON (also as plain JSON) or HTML.
pub(crate) const API: Offers = Offers {
    json: &[OPENAPI_JSON, JSON],
};

impl Offers {
    /// The representation asked by `f` (`json`, `geojson` for records, `html`), else by
    /// `Accept` (a 406 when none is acceptable).
    pub(crate) fn choose(
        &self,
        f: Option<&str>,
        headers: &HeaderMap,
    ) -> Result<Format, ServeError> {
        if let Some(f) = f.map(str::trim).filter(|f| !f.is_empty()) {
            return match f.to_ascii_lowercase().as_str() {
                "html" => Ok(Format::Html),
                "json" => Ok(Format::Json(self.json[0])),
                "geojson" if self.json.contains(&GEO_JSON) => Ok(Format::Json(GEO_JSON)),
                other => Err(ServeError::bad_parameter(
                    "f",
                    format!("expected json or html, got `{other}`"),
                )),
            };
        }
        let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
        let mut offers: Vec<&str> = self.json.to_vec();
        offers.push(HTML);
        offers.push("application/xhtml+xml");
        match choose(accept, &offers) {
            Some(index) if index < self.json.len() => Ok(Format::Json(self.json[index])),
            Some(_) => Ok(Format::Html),
            None => Err(ServeError::NotAcceptable {
                offered: offers[..offers.len() - 1].join(", "),
            }),
        }
    }
}

/// The raw `f` parameter, if any (for choosing the form of an error before anything else is
/// read).
pub(crate) fn f_parameter(raw_query: Option<&str>) -> Option<String> {
    decode_pairs(raw_query.unwrap_or(""))
        .ok()?
        .into_iter()
        .find(|(name, _)| name == "f")
        .map(|(_, value)| value)
}

/// Whether an error should be an HTML page: `f=html`, or a browser without `f`.
pub(crate) fn error_as_html(raw_query: Option<&str>, headers: &HeaderMap) -> bool {
    match f_parameter(raw_query).as_deref() {
        Some("html") => true,
        Some(f) if !f.trim().is_empty() => false,
        _ => prefers_html(
            headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()),
            &[GEO_JSON, JSON],
        ),
    }
}

/// A JSON body with its media type.
pub(crate) fn json_response(media_type: &'static str, body: &Value) -> Response {
    let mut response = (StatusCode::OK, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    response
}

/// The OGC exception code of an error.
fn exception_code(error: &ServeError) -> &'static str {
    match error {
        ServeError::BadParameter { .. } | ServeError::MalformedQuery { .. } => {
            "InvalidParameterValue"
        }
        ServeError::RecordNotFound { .. } | ServeError::NoRoute { .. } => "NotFound",
        ServeError::RecordGone { .. } => "Gone",
        ServeError::NotAcceptable { .. } => "NotAcceptable",
        ServeError::BadBody(_) => "InvalidRequest",
        _ => "ServerError",
    }
}

/// An error as the OGC exception document (or the HTML error page).
pub(crate) fn exception(state: &AppState, html: bool, error: &ServeError) -> Response {
    if html && !matches!(error, ServeError::NotAcceptable { .. }) {
        return crate::html::error_page(&state.site, error);
    }
    let body = json!({
        "code": exception_code(error),
        "description": error.public_message(),
    });
    let mut response = (error.status(), body.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    response
}

/// Unknown paths under `/ogc`.
pub(crate) async fn not_found(
    State(state): State<Arc<AppState>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    let error = ServeError::NoRoute {
        path: uri.path().to_owned(),
    };
    exception(&state, error_as_html(uri.query(), &headers), &error)
}

/// A handler's result as a response, errors as exceptions.
pub(crate) fn finish(
    state: &AppState,
    raw_query: Option<&str>,
    headers: &HeaderMap,
    result: Result<Response, ServeError>,
) -> Response {
    match result {
        Ok(response) => response,
        Err(error) => exception(state, error_as_html(raw_query, headers), &error),
    }
}
