//! Metadata-quality benchmark: `cargo bench -p ldtcat --bench quality`.
//!
//! 1. The cost of assessing one record (validation against every DCAT-AP 3.0.0 shape set and
//!    the MQA-style score, `ldtcat_model::extract::record_quality`), per record, over the
//!    first 10,000 synthetic datasets and over the real Antwerp and Statbel exports.
//! 2. The first harvest of N synthetic datasets (`LDTCAT_BENCH_N`, default 100,000; Hydra
//!    pages of 1,000 over loopback, as the harvest benchmark and the performance suite) with
//!    the assessment and without it (`LDTCAT_QUALITY=off`), side by side in one run,
//!    alternating, `LDTCAT_BENCH_ROUNDS` rounds (default 1); each into a fresh store.
//!
//! Prints a Markdown table.

#[path = "../harvest/server.rs"]
#[allow(dead_code)]
mod server;

mod common;

use std::sync::Arc;
use std::time::Instant;

use common::bench_n;
use ldtcat::catalog::Catalog;
use ldtcat::harvest::{run_source, RunRequest};
use ldtcat::synthetic::synthetic_hydra_page;
use ldtcat::synthetic::synthetic_turtle;
use ldtcat_harvest::{Fetcher, HostPolicy};
use ldtcat_model::extract::{record_quality, set_quality_assessment};
use ldtcat_model::{split_records, RdfDocument, Record, RecordBuilder};
use ldtcat_store::RunStatus;
use ldtcat_vocab::RuleSet;
use server::Reply;

const PAGE_SIZE: usize = 1_000;

/// The records of a Turtle document, as ingest builds them.
fn records_of(turtle: &[u8], name: &str) -> anyhow::Result<Vec<Record>> {
    let rules = RuleSet::builtin()?;
    let document = RdfDocument::new(name, None, oxrdfio::RdfFormat::Turtle, || {
        Ok(Box::new(turtle) as Box<dyn std::io::Read>)
    });
    let mut builder = RecordBuilder::new(&rules, "bench");
    let mut records = Vec::new();
    split_records(&document, &rules, &mut |raw| {
        records.push(builder.build(raw));
        Ok(())
    })?;
    Ok(records)
}

/// Microseconds per record of [`record_quality`], best of three passes.
fn assessment_micros(records: &[Record]) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        let mut points = 0_u64;
        for record in records {
            points += u64::from(
                record_quality(
                    &record.triples,
                    &record.iri,
                    record.kind,
                    &record.corrections,
                    &record.repairs,
                    &[],
                )
                .score,
            );
        }
        std::hint::black_box(points);
        best = best.min(started.elapsed().as_secs_f64() * 1e6 / records.len().max(1) as f64);
    }
    best
}

fn main() -> anyhow::Result<()> {
    let n = bench_n();
    let rounds: usize = std::env::var("LDTCAT_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);

    // 1. Per record.
    let synthetic = records_of(synthetic_turtle(0, 10_000, 0).as_bytes(), "synthetic.ttl")?;
    let shared =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/catalogues");
    let mut real = Vec::new();
    for file in ["antwerpen-datatank-2015.ttl", "statbel-subset.ttl"] {
        real.extend(records_of(&std::fs::read(shared.join(file))?, file)?);
    }
    let synthetic_micros = assessment_micros(&synthetic);
    let real_micros = assessment_micros(&real);

    // 2. Harvests with and without.
    let runtime = tokio::runtime::Runtime::new()?;
    let config = tempfile::tempdir()?;
    let server = runtime.block_on(server::start(move |request| {
        let base = request
            .header("host")
            .map(|h| format!("http://{h}"))
            .unwrap_or_default();
        let number: usize = request
            .param("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1);
        Reply::ok(
            "text/turtle",
            synthetic_hydra_page(&base, n, PAGE_SIZE, number),
        )
    }));
    let config_file = config.path().join("bench.toml");
    std::fs::write(
        &config_file,
        format!(
            "[[source]]\nid = \"bench\"\nkind = \"dcat\"\nurl = \"{}\"\n[source.options]\nmax_pages = 100000\n",
            server.url("/catalog?page=1")
        ),
    )?;
    let source = ldtcat_config::load_harvest_file(&config_file)?
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("no source"))?;
    let fetcher = Fetcher::new(HostPolicy::for_urls([&source.url]))?;
    let mut with = Vec::new();
    let mut without = Vec::new();
    for round in 0..rounds {
        // Alternate which goes first, so that neither always runs on a warmer machine.
        let order = if round % 2 == 0 {
            [false, true]
        } else {
            [true, false]
        };
        for assess in order {
            set_quality_assessment(assess);
            let work = tempfile::tempdir()?;
            let catalog = Arc::new(Catalog::open(&work.path().join("data"))?);
            let started = Instant::now();
            let report = runtime.block_on(run_source(
                catalog.clone(),
                fetcher.clone(),
                source.clone(),
                RunRequest::default(),
                &|_| {},
            ))?;
            let rate = n as f64 / started.elapsed().as_secs_f64();
            assert_eq!(report.status, RunStatus::Success, "{report:#?}");
            assert_eq!(report.added, n as u64, "{report:#?}");
            eprintln!("round {round}: quality {assess}: {rate:.0} records/s");
            if assess {
                with.push(rate)
            } else {
                without.push(rate)
            }
        }
    }
    set_quality_assessment(true);
    let mean = |rates: &[f64]| rates.iter().sum::<f64>() / rates.len().max(1) as f64;
    let (with_rate, without_rate) = (mean(&with), mean(&without));

    println!("| figure | value |\n|---|---|");
    println!(
        "| assessment per record, synthetic datasets ({} records, {:.1} statements each) | {synthetic_micros:.0} µs |",
        synthetic.len(),
        synthetic.iter().map(|r| r.triples.len()).sum::<usize>() as f64 / synthetic.len().max(1) as f64
    );
    println!(
        "| assessment per record, Antwerp and Statbel exports ({} records) | {real_micros:.0} µs |",
        real.len()
    );
    println!("| first harvest of {n} datasets, without assessment | {without_rate:.0} records/s (rounds: {without:.0?}) |");
    println!("| first harvest of {n} datasets, with assessment | {with_rate:.0} records/s (rounds: {with:.0?}) |");
    println!(
        "| with / without | {:.3} ({:+.1} %) |",
        with_rate / without_rate,
        (with_rate / without_rate - 1.0) * 100.0
    );
    Ok(())
}
