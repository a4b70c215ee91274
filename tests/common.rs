//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use ldtcat::catalog::Catalog;
use ldtcat::import::{import_files, ImportSummary};

/// The reference data beside the checkout (`../shared/data`), or `LDTCAT_SHARED_DATA`.
pub fn shared_data() -> PathBuf {
    if let Ok(dir) = std::env::var("LDTCAT_SHARED_DATA") {
        return PathBuf::from(dir);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Imports files into a catalogue for `source`.
pub fn import(catalog: &Catalog, files: &[PathBuf], source: &str) -> ImportSummary {
    import_files(catalog, files, source, None, None, &|_| {}).expect("import runs")
}

/// Imports the demo federation (`harvest-config/demo-data`), each file as the source named
/// after it.
pub fn import_demo(catalog: &Catalog) {
    let demo = repo_root().join("harvest-config/demo-data");
    for entry in std::fs::read_dir(&demo).expect("demo data") {
        let path = entry.expect("entry").path();
        let source = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .to_owned();
        import(catalog, &[path], &source);
    }
}

/// The state that serves a catalogue, with default SPARQL limits and no harvest control.
pub fn app_state(catalog: &Catalog, site: ldtcat_serve::SiteSettings) -> ldtcat_serve::AppState {
    ldtcat_serve::AppState {
        dsp: ldtcat_serve::DspSettings::default(),
        harvest: None,
        sparql: ldtcat_serve::SparqlService::new(
            catalog.store.oxigraph().clone(),
            ldtcat_serve::SparqlLimits::default(),
            4,
        ),
        store: catalog.store.clone(),
        index: std::sync::Arc::clone(&catalog.index),
        labels: ldtcat_serve::Labels::new(std::sync::Arc::clone(&catalog.index)),
        rules: std::sync::Arc::clone(&catalog.rules),
        site,
    }
}

/// The Python with the test tools: `LDTCAT_PYTHON`, else the checkout's `.venv`.
pub fn python() -> PathBuf {
    let python = std::env::var("LDTCAT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo_root().join(".venv/bin/python"));
    assert!(
        python.exists(),
        "{} is missing: run scripts/setup.sh --test (or scripts/test.sh) first",
        python.display()
    );
    python
}

/// Runs a driver of `tests/python` and reads the JSON it prints.
pub fn run_python(script: &str, args: &[String]) -> serde_json::Value {
    let output = std::process::Command::new(python())
        .arg(repo_root().join("tests/python").join(script))
        .args(args)
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{script} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(&stdout)
        .unwrap_or_else(|error| panic!("{script} printed no JSON ({error}): {stdout}"))
}

/// Sends `request` through the router: the status and the body as text.
pub async fn send(
    app: &axum::Router,
    request: axum::http::Request<axum::body::Body>,
) -> (axum::http::StatusCode, String) {
    let (status, _, body) = send_for_headers(app, request).await;
    (status, body)
}

/// [`send`], with the answer's headers.
pub async fn send_for_headers(
    app: &axum::Router,
    request: axum::http::Request<axum::body::Body>,
) -> (axum::http::StatusCode, axum::http::HeaderMap, String) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let response = app.clone().oneshot(request).await.expect("responds");
    let (parts, body) = response.into_parts();
    let body = body.collect().await.expect("body").to_bytes();
    (
        parts.status,
        parts.headers,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

/// `GET path` with `Accept: accept` through the router: the body as text; the answer must
/// be a 200.
pub async fn get_text(app: &axum::Router, path: &str, accept: &str) -> String {
    let request = axum::http::Request::get(path)
        .header("accept", accept)
        .body(axum::body::Body::empty())
        .expect("request");
    let (status, text) = send(app, request).await;
    assert_eq!(status, 200, "{path}: {text}");
    text
}

/// `GET path` as JSON through the router (a 200).
pub async fn get_json(app: &axum::Router, path: &str) -> serde_json::Value {
    serde_json::from_str(&get_text(app, path, "application/json").await).expect("JSON")
}
