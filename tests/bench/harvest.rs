//! Harvest benchmark: `cargo bench -p ldtcat --bench harvest`.
//!
//! Serves a generated catalogue of N synthetic DCAT-AP datasets (N from `LDTCAT_BENCH_N`,
//! default 100,000) over loopback HTTP as Turtle in Hydra pages of 1,000 (each page made on
//! the fly, so the server holds one page at a time), harvests it end to end (fetch, parse,
//! split, hash, store, index), then harvests it again unchanged. Prints records/s for both
//! runs and peak RSS (VmHWM) as a Markdown table.

#[path = "../harvest/server.rs"]
#[allow(dead_code)]
mod server;

mod common;

use std::sync::Arc;
use std::time::Instant;

use common::{bench_n, peak_rss_mib};
use ldtcat::catalog::Catalog;
use ldtcat::harvest::{run_source, RunRequest};
use ldtcat::synthetic::synthetic_hydra_page;
use ldtcat_harvest::{Fetcher, HostPolicy};
use ldtcat_store::RunStatus;
use server::Reply;

const PAGE_SIZE: usize = 1_000;

fn main() -> anyhow::Result<()> {
    let n = bench_n();
    let runtime = tokio::runtime::Runtime::new()?;
    let work = tempfile::tempdir()?;
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
    let catalog = Arc::new(Catalog::open(&work.path().join("data"))?);
    let fetcher = Fetcher::new(HostPolicy::for_urls([&source.url]))?;
    let harvest = || {
        runtime.block_on(run_source(
            catalog.clone(),
            fetcher.clone(),
            source.clone(),
            RunRequest::default(),
            &|_| {},
        ))
    };

    let started = Instant::now();
    let first = harvest()?;
    let first_seconds = started.elapsed().as_secs_f64();
    let rss_after_first = peak_rss_mib();
    assert_eq!(first.status, RunStatus::Success, "{first:#?}");
    assert_eq!(first.added, n as u64, "{first:#?}");

    let started = Instant::now();
    let second = harvest()?;
    let second_seconds = started.elapsed().as_secs_f64();
    assert_eq!(second.status, RunStatus::Success, "{second:#?}");
    assert_eq!(second.unchanged, n as u64, "{second:#?}");

    println!("| figure | value |\n|---|---|");
    println!("| datasets (N) | {n}, Hydra pages of {PAGE_SIZE} |");
    println!(
        "| pages, bytes fetched per run | {}, {:.0} MiB |",
        first.pages,
        first.bytes as f64 / (1024.0 * 1024.0)
    );
    println!(
        "| harvest, first run | {:.0} records/s ({first_seconds:.1} s) |",
        n as f64 / first_seconds
    );
    println!(
        "| harvest, unchanged re-run | {:.0} records/s ({second_seconds:.1} s) |",
        n as f64 / second_seconds
    );
    println!("| peak RSS after the first run | {rss_after_first:.0} MiB |");
    println!("| peak RSS overall | {:.0} MiB |", peak_rss_mib());
    Ok(())
}
