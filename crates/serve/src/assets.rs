//! `/assets/*`: the files pages load from this site: the map's base layer
//! (`/assets/basemap.svg`, built from the vendored Natural Earth outlines) and the map script
//! (`/assets/map.js`). Both are embedded at compile time and cached by browsers for a day.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::map::basemap::basemap;

const MAP_SCRIPT: &str = include_str!("../../../assets/map.js");

/// `GET /assets/{file}`.
pub(crate) async fn asset(Path(file): Path<String>) -> Response {
    let (body, media_type): (&'static str, &'static str) = match file.as_str() {
        "basemap.svg" => (basemap().svg.as_str(), "image/svg+xml"),
        "basemap-fine.svg" => (basemap().fine_svg.as_str(), "image/svg+xml"),
        "map.js" => (MAP_SCRIPT, "text/javascript; charset=utf-8"),
        _ => return (StatusCode::NOT_FOUND, "not found").into_response(),
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
