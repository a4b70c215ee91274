//! OGC API Records benchmark: `cargo bench -p ldtcat --bench records`.
//!
//! Imports N synthetic DCAT-AP datasets (`LDTCAT_BENCH_N`, default 100,000; not measured),
//! serves them on loopback, and measures over HTTP `items` pages of 100 records side by side
//! with `/api/search` pages of 100 on the same filter (a theme), with 1 client and with 50
//! concurrent clients: pages per second, p50 and p99. Then another catalogue harvests the
//! whole `catalogue` collection with the `ogcapi-records` kind (pages of 1,000): records per
//! second end to end. Prints a Markdown table.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{bench_n, peak_rss_mib, percentile, write_synthetic_file};
use ldtcat::catalog::Catalog;
use ldtcat::harvest::{run_source, RunRequest};
use ldtcat::import::import_files;
use ldtcat_harvest::{Fetcher, HostPolicy};

const THEME: &str = "http://publications.europa.eu/resource/authority/data-theme/ENVI";
const REQUESTS_ONE_CLIENT: usize = 200;
const CLIENTS: usize = 50;
const REQUESTS_PER_CLIENT: usize = 20;
const PAGES_DEEP: usize = 20;

/// The path of page `k` (from 0) of 100 records, in the Records API or `/api/search`.
fn page_path(records: bool, k: usize) -> String {
    let theme = form_urlencoded::byte_serialize(THEME.as_bytes()).collect::<String>();
    if records {
        format!(
            "/ogc/collections/catalogue/items?limit=100&theme={theme}&offset={}",
            k * 100
        )
    } else {
        format!("/api/search?page_size=100&theme={theme}&page={}", k + 1)
    }
}

async fn timed(client: &reqwest::Client, url: &str) -> Duration {
    let started = Instant::now();
    let response = client.get(url).send().await.expect("answers");
    assert!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
    let _ = response.bytes().await.expect("body");
    started.elapsed()
}

struct Figures {
    pages_per_second: f64,
    p50: f64,
    p99: f64,
}

async fn measure(base: &str, records: bool, clients: usize, per_client: usize) -> Figures {
    let client = reqwest::Client::new();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (client, base) = (client.clone(), base.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(per_client);
            for r in 0..per_client {
                let url = format!("{base}{}", page_path(records, (c + r) % PAGES_DEEP));
                times.push(timed(&client, &url).await);
            }
            times
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("client"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    Figures {
        pages_per_second: all.len() as f64 / elapsed,
        p50: percentile(&all, 0.5),
        p99: percentile(&all, 0.99),
    }
}

fn main() -> anyhow::Result<()> {
    let n = bench_n();
    let dir = tempfile::tempdir()?;
    let catalog = Catalog::open(&dir.path().join("a"))?;
    let file = dir.path().join("synthetic.ttl");
    write_synthetic_file(&file, n)?;
    import_files(&catalog, &[file], "synthetic", None, None, &|_| {})?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let base = format!("http://{}", listener.local_addr()?);
    let state = common::app_state(&catalog, base.clone());
    runtime.spawn(ldtcat_serve::serve_with_shutdown(
        listener,
        state,
        std::future::pending(),
    ));

    let matched = runtime.block_on(async {
        let url = format!("{base}{}", page_path(false, 0));
        let body: serde_json::Value =
            serde_json::from_slice(&reqwest::get(&url).await?.bytes().await?)?;
        anyhow::Ok(body["total"].as_u64().unwrap_or(0))
    })?;
    println!("N = {n}; the filter (theme ENVI) matches {matched} records; pages of 100, the first {PAGES_DEEP} pages in turn\n");
    println!("| route | clients | pages/s | p50 ms | p99 ms |");
    println!("|---|---|---|---|---|");
    for clients in [1, CLIENTS] {
        let per_client = if clients == 1 {
            REQUESTS_ONE_CLIENT
        } else {
            REQUESTS_PER_CLIENT
        };
        for (records, name) in [(true, "/ogc/…/items"), (false, "/api/search")] {
            let figures = runtime.block_on(measure(&base, records, clients, per_client));
            println!(
                "| {name} | {clients} | {:.0} | {:.1} | {:.1} |",
                figures.pages_per_second, figures.p50, figures.p99
            );
        }
    }

    // Harvest the whole collection with the new kind.
    let config = tempfile::tempdir()?;
    let path = config.path().join("records.toml");
    std::fs::write(&path, format!(
        "[[source]]\nid = \"a-records\"\nkind = \"ogcapi-records\"\nurl = \"{base}/ogc/collections/catalogue\"\n\
         [source.options]\npage_size = 1000\nmax_pages = 100000\ntimeout_seconds = 600\n"
    ))?;
    let source = ldtcat_config::load_harvest_file(&path)?.remove(0);
    let harvester = Arc::new(Catalog::open(&dir.path().join("b"))?);
    let fetcher = Fetcher::new(HostPolicy::for_urls([&source.url]))?;
    let started = Instant::now();
    let report = runtime.block_on(run_source(
        harvester.clone(),
        fetcher,
        source,
        RunRequest::default(),
        &|_| {},
    ))?;
    let seconds = started.elapsed().as_secs_f64();
    println!("\nharvest of `catalogue` by the ogcapi-records kind: {} records ({} added) in {} pages, {:.1} MiB, {seconds:.1} s: {:.0} records/s; status {}; peak RSS (both catalogues, one process) {:.0} MiB",
        report.added + report.updated + report.unchanged, report.added, report.pages, report.bytes as f64 / 1048576.0,
        (report.added + report.updated + report.unchanged) as f64 / seconds, report.status.as_str(), peak_rss_mib());
    Ok(())
}
