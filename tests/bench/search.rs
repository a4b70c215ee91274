//! Search benchmark: `cargo bench --workspace --bench search`.
//!
//! Imports N datasets of the performance suite's generator (`LDTCAT_BENCH_N`, default
//! 100,000; shaped like the Antwerp and Statbel exports, multilingual), then measures the
//! suite's facet search (`/api/search?q=WORD&theme=T`, facet counts in every answer) side by
//! side in one run:
//!
//! - in process, one caller: Tantivy alone on the same index and query (`Count`, `TopDocs`
//!   by score and one `FacetCollector` per field), with and without the facet collectors;
//!   ldtcat's search without its cache (the first time a query is asked) and with it;
//! - over loopback HTTP: ldtcat's `/api/search` and a bare axum handler answering the same
//!   bytes from memory, each with one client (service time) and with 50 clients in a closed
//!   loop for `LDTCAT_BENCH_SECONDS` (default 10), with the CPU seconds of the server's
//!   threads and of the load generator's threads (they share the machine's cores).
//!
//! Prints a Markdown table; asserts that every answer is right (the same facet counts as
//! Tantivy's collector, status 200), not how fast it came.

mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{bench_n, percentile};
use ldtcat::catalog::Catalog;
use ldtcat::import::import_files;
use ldtcat_index::{FacetField, SearchRequest};
use ldtcat_perf::generate::Generator;
use ldtcat_perf::shapes::reference_from_file;
use ldtcat_perf::suite::{SEARCH_THEMES, SEARCH_WORDS};

const CLIENTS: usize = 50;
/// Passes over the queries for each in-process figure: `LDTCAT_BENCH_ROUNDS`, default 25.
fn rounds() -> usize {
    std::env::var("LDTCAT_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(25)
}

fn query_strings() -> Vec<String> {
    SEARCH_WORDS
        .iter()
        .zip(SEARCH_THEMES.iter().cycle())
        .map(|(word, theme)| {
            let word: String = form_urlencoded::byte_serialize(word.as_bytes()).collect();
            format!("q={word}&theme=http://publications.europa.eu/resource/authority/data-theme/{theme}")
        })
        .collect()
}

/// Latencies of `call` over every request, [`rounds`] times, one after the other.
fn timed(
    requests: &[SearchRequest],
    mut call: impl FnMut(&SearchRequest) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<Duration>> {
    let rounds = rounds();
    let mut all = Vec::with_capacity(rounds * requests.len());
    for _ in 0..rounds {
        for request in requests {
            let started = Instant::now();
            call(request)?;
            all.push(started.elapsed());
        }
    }
    all.sort();
    Ok(all)
}

/// CPU seconds (user + system) of this process's threads whose name starts with `prefix`.
fn cpu_seconds(prefix: &str) -> f64 {
    let ticks_per_second = 100.0; // USER_HZ on Linux
    let mut ticks = 0u64;
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return f64::NAN;
    };
    for task in tasks.flatten() {
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
            continue;
        };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        if !stat[open + 1..close].starts_with(prefix) {
            continue;
        }
        let fields: Vec<&str> = stat[close + 2..].split(' ').collect();
        // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
        let utime: u64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0);
        let stime: u64 = fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0);
        ticks += utime + stime;
    }
    ticks as f64 / ticks_per_second
}

/// What a closed loop of clients measured.
struct Load {
    requests_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    server_cpu: f64,
    load_cpu: f64,
}

/// `clients` clients, each asking the next URL as soon as the previous answer is read, for
/// `seconds`; run on the `load` runtime.
fn closed_loop(
    load: &tokio::runtime::Runtime,
    urls: &[String],
    clients: usize,
    seconds: f64,
) -> anyhow::Result<Load> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()?;
    let urls = Arc::new(urls.to_vec());
    let server_before = cpu_seconds("srv");
    let load_before = cpu_seconds("load");
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(seconds);
    let mut latencies: Vec<Duration> = load.block_on(async {
        let mut workers = Vec::new();
        for worker in 0..clients {
            let (client, urls) = (client.clone(), Arc::clone(&urls));
            workers.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut next = worker;
                while Instant::now() < deadline {
                    let url = &urls[next % urls.len()];
                    next += 1;
                    let asked = Instant::now();
                    let response = client.get(url).send().await?;
                    anyhow::ensure!(response.status() == 200, "{url}: {}", response.status());
                    response.bytes().await?;
                    latencies.push(asked.elapsed());
                }
                anyhow::Ok(latencies)
            }));
        }
        let mut all = Vec::new();
        for worker in workers {
            all.extend(worker.await??);
        }
        anyhow::Ok(all)
    })?;
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    Ok(Load {
        requests_per_second: latencies.len() as f64 / elapsed,
        p50_ms: percentile(&latencies, 0.5),
        p99_ms: percentile(&latencies, 0.99),
        server_cpu: cpu_seconds("srv") - server_before,
        load_cpu: cpu_seconds("load") - load_before,
    })
}

/// A bare axum server answering each query string with the bytes ldtcat gave for it.
async fn bare_server(bodies: HashMap<String, Vec<u8>>) -> anyhow::Result<SocketAddr> {
    let bodies = Arc::new(bodies);
    let app = axum::Router::new().route(
        "/api/search",
        axum::routing::get(
            move |axum::extract::RawQuery(raw): axum::extract::RawQuery| {
                let bodies = Arc::clone(&bodies);
                async move {
                    let body = bodies.get(raw.as_deref().unwrap_or_default()).cloned();
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        body.unwrap_or_default(),
                    )
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(address)
}

fn main() -> anyhow::Result<()> {
    let n = bench_n();
    let seconds: f64 = std::env::var("LDTCAT_BENCH_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10.0);
    let shared =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/catalogues");
    let references = ["antwerpen-datatank-2015.ttl", "statbel-subset.ttl"]
        .iter()
        .map(|name| reference_from_file(&shared.join(name)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let generator = Generator::new(references)?;
    let work = tempfile::tempdir()?;
    let (pages, _) = generator.write_pages(&work.path().join("pages"), n, 1_000)?;
    let catalog = Catalog::open(&work.path().join("data"))?;
    let started = Instant::now();
    let summary = import_files(&catalog, &pages, "bench", None, None, &|_| {})?;
    eprintln!(
        "imported {} records in {:.0} s",
        summary.totals.added,
        started.elapsed().as_secs_f64()
    );
    assert_eq!(summary.totals.added, n as u64);

    let index_mib = common::disk_mib(&work.path().join("data").join("index"));
    let queries = query_strings();
    let requests = queries
        .iter()
        .map(|query| Ok(ldtcat_serve::SearchParams::from_query(Some(query))?.to_request()?))
        .collect::<anyhow::Result<Vec<SearchRequest>>>()?;
    let index = Arc::clone(&catalog.index);
    let mut totals = Vec::new();
    for request in &requests {
        let results = index.search_uncached(request, &FacetField::ALL)?;
        assert_eq!(
            results.facets,
            index.reference_facet_counts(request, &FacetField::ALL)?,
            "{request:?}"
        );
        assert_eq!(index.raw_tantivy_search(request, &[])?, results.total);
        totals.push(results.total);
    }
    eprintln!("matches per query: {totals:?}; index on disk: {index_mib:.1} MiB");

    let raw_facets = timed(&requests, |request| {
        index.raw_tantivy_search(request, &FacetField::ALL)?;
        Ok(())
    })?;
    let raw_plain = timed(&requests, |request| {
        index.raw_tantivy_search(request, &[])?;
        Ok(())
    })?;
    let collector_counts = timed(&requests, |request| {
        index.reference_facet_counts(request, &FacetField::ALL)?;
        Ok(())
    })?;
    let column_counts = timed(&requests, |request| {
        let counts_only = SearchRequest {
            limit: 0,
            ..request.clone()
        };
        index.search_uncached(&counts_only, &FacetField::ALL)?;
        Ok(())
    })?;
    let uncached = timed(&requests, |request| {
        index.search_uncached(request, &FacetField::ALL)?;
        Ok(())
    })?;
    let uncached_one_hit = timed(&requests, |request| {
        let one_hit = SearchRequest {
            limit: 1,
            ..request.clone()
        };
        index.search_uncached(&one_hit, &FacetField::ALL)?;
        Ok(())
    })?;
    let cached = timed(&requests, |request| {
        index.search(request)?;
        Ok(())
    })?;

    let server = tokio::runtime::Builder::new_multi_thread()
        .thread_name("srv")
        .enable_all()
        .build()?;
    let load = tokio::runtime::Builder::new_multi_thread()
        .thread_name("load")
        .enable_all()
        .build()?;
    let ldtcat_address = server.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let state = common::app_state(&catalog, format!("http://{address}"));
        tokio::spawn(ldtcat_serve::serve_with_shutdown(
            listener,
            state,
            std::future::pending(),
        ));
        anyhow::Ok(address)
    })?;
    let ldtcat_urls: Vec<String> = queries
        .iter()
        .map(|query| format!("http://{ldtcat_address}/api/search?{query}"))
        .collect();
    let mut bodies = HashMap::new();
    for (query, url) in queries.iter().zip(&ldtcat_urls) {
        let body = load
            .block_on(async { reqwest::get(url).await?.bytes().await })?
            .to_vec();
        let answer: serde_json::Value = serde_json::from_slice(&body)?;
        assert!(answer["facets"]["theme"]
            .as_array()
            .is_some_and(|t| !t.is_empty()));
        bodies.insert(query.clone(), body);
    }
    let bare_address = server.block_on(bare_server(bodies))?;
    let bare_urls: Vec<String> = queries
        .iter()
        .map(|query| format!("http://{bare_address}/api/search?{query}"))
        .collect();
    let ldtcat_one = closed_loop(&load, &ldtcat_urls, 1, seconds / 2.0)?;
    let bare_one = closed_loop(&load, &bare_urls, 1, seconds / 2.0)?;
    let ldtcat_many = closed_loop(&load, &ldtcat_urls, CLIENTS, seconds)?;
    let bare_many = closed_loop(&load, &bare_urls, CLIENTS, seconds)?;

    let per_second = |latencies: &[Duration]| {
        latencies.len() as f64 / latencies.iter().map(Duration::as_secs_f64).sum::<f64>()
    };
    println!(
        "| figure ({n} datasets; the suite's 8 facet searches, {} to {} matches) | p50 | p99 | per second | ratio |",
        totals.iter().min().unwrap_or(&0),
        totals.iter().max().unwrap_or(&0)
    );
    println!("|---|---|---|---|---|");
    let row = |name: &str, latencies: &[Duration], ratio: String| {
        println!(
            "| {name} | {:.2} ms | {:.2} ms | {:.0} | {ratio} |",
            percentile(latencies, 0.5),
            percentile(latencies, 0.99),
            per_second(latencies)
        );
    };
    let raw_rate = per_second(&raw_facets);
    row(
        "Tantivy alone, in process: Count + TopDocs + 6 FacetCollectors",
        &raw_facets,
        "1".to_owned(),
    );
    row(
        "Tantivy alone, in process: Count + TopDocs (no facets)",
        &raw_plain,
        format!("{:.2}", per_second(&raw_plain) / raw_rate),
    );
    row(
        "facet counts alone: 6 Tantivy FacetCollectors (ldtcat before)",
        &collector_counts,
        format!("{:.2}", per_second(&collector_counts) / raw_rate),
    );
    row(
        "facet counts alone (and the total): ldtcat's column counter",
        &column_counts,
        format!("{:.2}", per_second(&column_counts) / raw_rate),
    );
    row(
        "ldtcat search, in process, not cached, a page of one hit",
        &uncached_one_hit,
        format!("{:.2}", per_second(&uncached_one_hit) / raw_rate),
    );
    row(
        "ldtcat search, in process, not cached (first asked)",
        &uncached,
        format!("{:.2}", per_second(&uncached) / raw_rate),
    );
    row(
        "ldtcat search, in process, cached (asked again)",
        &cached,
        format!("{:.2}", per_second(&cached) / raw_rate),
    );
    let load_row = |name: &str, load: &Load, ratio: String| {
        println!(
            "| {name} | {:.2} ms | {:.2} ms | {:.0} | {ratio} (CPU s: server {:.1}, load generator {:.1}) |",
            load.p50_ms, load.p99_ms, load.requests_per_second, load.server_cpu, load.load_cpu
        );
    };
    load_row(
        "bare axum, same bytes, HTTP, 1 client",
        &bare_one,
        "1".to_owned(),
    );
    load_row(
        "ldtcat /api/search, HTTP, 1 client",
        &ldtcat_one,
        format!(
            "{:.2}",
            ldtcat_one.requests_per_second / bare_one.requests_per_second
        ),
    );
    load_row(
        &format!("bare axum, same bytes, HTTP, {CLIENTS} clients"),
        &bare_many,
        "1".to_owned(),
    );
    load_row(
        &format!("ldtcat /api/search, HTTP, {CLIENTS} clients"),
        &ldtcat_many,
        format!(
            "{:.2}",
            ldtcat_many.requests_per_second / bare_many.requests_per_second
        ),
    );
    Ok(())
}
