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

/// The state that serves a catalogue, with default SPARQL limits and no harvest control.
pub fn app_state(catalog: &Catalog, site: ldtcat_serve::SiteSettings) -> ldtcat_serve::AppState {
    ldtcat_serve::AppState {
        harvest: None,
        sparql: ldtcat_serve::SparqlService::new(
            catalog.store.oxigraph().clone(),
            ldtcat_serve::SparqlLimits::default(),
            4,
        ),
        store: catalog.store.clone(),
        index: std::sync::Arc::clone(&catalog.index),
        rules: std::sync::Arc::clone(&catalog.rules),
        site,
    }
}
