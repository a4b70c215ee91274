//! Compatibility benchmark: assessments per second, and `/api/search?compatible_with=` latency
//! over N synthetic components (`LDTCAT_BENCH_N`, default 100,000), side by side with the same
//! search without the filter.
//!
//! `cargo bench -p ldtcat --bench compat`

#[path = "common.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use common::{bench_n, peak_rss_mib, percentile};
use http_body_util::BodyExt;
use ldtcat::catalog::Catalog;
use ldtcat::compat::load_profile;
use ldtcat::synthetic_components::{components_turtle, profile_and_adapters_turtle, PROFILE_IRI};
use ldtcat_compat::{requirements_of, Assessor, CompatRules};
use ldtcat_model::record::record_id;
use tower::ServiceExt;

const QUERIES: usize = 200;

async fn timed(app: &axum::Router, uri: &str) -> Duration {
    let started = Instant::now();
    let response = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
        .await
        .expect("answered");
    assert!(
        response.status().is_success(),
        "{uri}: {}",
        response.status()
    );
    let _ = response.into_body().collect().await.expect("body");
    started.elapsed()
}

fn main() -> anyhow::Result<()> {
    let n = bench_n();
    let dir = tempfile::tempdir()?;
    let catalog = Catalog::open(&dir.path().join("data"))?;
    let components = dir.path().join("components.ttl");
    std::fs::write(&components, components_turtle(n))?;
    let profile_file = dir.path().join("profile.ttl");
    std::fs::write(&profile_file, profile_and_adapters_turtle())?;
    let started = Instant::now();
    ldtcat::import::import_files(
        &catalog,
        &[components, profile_file],
        "synthetic",
        None,
        None,
        &|_| {},
    )?;
    let import_seconds = started.elapsed().as_secs_f64();

    // Assessments: every component's requirements, read from the store beforehand.
    let profile = load_profile(&catalog, PROFILE_IRI)?;
    let rules = CompatRules::builtin()?;
    let adapters = catalog.index.adapters()?;
    let mut all_requirements = Vec::with_capacity(n);
    for id in catalog.store.record_ids()? {
        if let Some(record) = catalog.store.record(&id)? {
            all_requirements.push(requirements_of(&record.iri, &record.triples));
        }
    }
    let assessor = Assessor::new(&rules, &profile, &adapters);
    let started = Instant::now();
    let mut assessed = 0usize;
    for requirements in &all_requirements {
        if assessor.assess(requirements).verdict.is_some() {
            assessed += 1;
        }
    }
    let assess_seconds = started.elapsed().as_secs_f64();

    let state = ldtcat_serve::AppState {
        dsp: ldtcat_serve::DspSettings::default(),
        harvest: None,
        sparql: ldtcat_serve::SparqlService::new(
            catalog.store.oxigraph().clone(),
            ldtcat_serve::SparqlLimits::default(),
            2,
        ),
        store: catalog.store.clone(),
        index: Arc::clone(&catalog.index),
        labels: ldtcat_serve::Labels::new(Arc::clone(&catalog.index)),
        rules: Arc::clone(&catalog.rules),
        site: ldtcat_serve::SiteSettings::default(),
    };
    let app = ldtcat_serve::router(state);
    let runtime = tokio::runtime::Runtime::new()?;
    let profile_id = record_id(PROFILE_IRI);
    let terms = catalog.index.requirement_terms()?.len();
    let cases = [
        (
            "plain search, no filter",
            "/api/search?q=synthetic".to_owned(),
        ),
        (
            "compatible_with (out of the box or limited)",
            format!("/api/search?q=synthetic&compatible_with={profile_id}"),
        ),
        (
            "compatible_with, out of the box only",
            format!("/api/search?compatible_with={profile_id}&verdicts=out-of-the-box"),
        ),
        (
            "compatible_with, not compatible",
            format!("/api/search?compatible_with={profile_id}&verdicts=not-compatible"),
        ),
    ];
    println!("# Compatibility benchmark, N = {n} components");
    println!();
    println!("| figure | value |");
    println!("|---|---|");
    println!(
        "| import of N components | {import_seconds:.1} s ({:.0} records/s) |",
        n as f64 / import_seconds
    );
    println!("| distinct requirement terms in the index | {terms} |");
    println!("| assessments (in memory, requirements read beforehand) | {assessed} in {:.3} s: {:.0} assessments/s |", assess_seconds, assessed as f64 / assess_seconds);
    for (label, uri) in &cases {
        let mut samples = Vec::with_capacity(QUERIES);
        runtime.block_on(async {
            for _ in 0..QUERIES {
                samples.push(timed(&app, uri).await);
            }
        });
        samples.sort();
        println!(
            "| /api/search, {label}, {QUERIES} sequential requests | p50 {:.1} ms, p99 {:.1} ms |",
            percentile(&samples, 0.5),
            percentile(&samples, 0.99)
        );
    }
    println!("| peak RSS | {:.0} MiB |", peak_rss_mib());
    Ok(())
}
