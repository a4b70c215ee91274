//! CKAN Action API benchmark: `cargo bench -p ldtcat --bench ckan`.
//!
//! Imports N synthetic DCAT-AP datasets (`LDTCAT_BENCH_N`, default 100,000), starts the
//! server on loopback and measures, over HTTP: `package_search` (one term, `rows=20`, the five
//! usual facets) side by side with `/api/search` on the same query, p50/p99 with one client
//! and with 50 concurrent clients; and a full `current_package_list_with_resources` walk
//! (`limit=1000`, every offset), in records per second. Prints a Markdown table.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{bench_n, percentile, write_synthetic_file};
use ldtcat::catalog::Catalog;
use ldtcat::import::import_files;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const ONE_CLIENT_REQUESTS: usize = 200;
const CLIENTS: usize = 50;
const REQUESTS_PER_CLIENT: usize = 20;

async fn get(address: SocketAddr, path: &str) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(address).await.expect("connects");
    let request = format!("GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("writes");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("reads");
    let status = std::str::from_utf8(&response[9..12])
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response)
}

/// Sorted latencies of `clients` clients each fetching `path` `per_client` times.
async fn latencies(
    address: SocketAddr,
    path: &str,
    clients: usize,
    per_client: usize,
) -> Vec<Duration> {
    let path = Arc::new(path.to_owned());
    let mut workers = Vec::new();
    for _ in 0..clients {
        let path = Arc::clone(&path);
        workers.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(per_client);
            for _ in 0..per_client {
                let started = Instant::now();
                let (status, _) = get(address, &path).await;
                assert_eq!(status, 200, "{path}");
                times.push(started.elapsed());
            }
            times
        }));
    }
    let mut all = Vec::new();
    for worker in workers {
        all.extend(worker.await.expect("worker"));
    }
    all.sort();
    all
}

fn body_json(response: &[u8]) -> serde_json::Value {
    let at = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(0, |at| at + 4);
    serde_json::from_slice(&response[at..]).expect("a JSON body")
}

fn main() -> anyhow::Result<()> {
    let n = bench_n();
    let work = tempfile::tempdir()?;
    let file = work.path().join("catalogue.ttl");
    write_synthetic_file(&file, n)?;
    let catalog = Catalog::open(&work.path().join("data"))?;
    let summary = import_files(&catalog, &[file], "bench", None, None, &|_| {})?;
    assert_eq!(summary.totals.added, n as u64);

    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let state = ldtcat_serve::AppState {
            dsp: ldtcat_serve::DspSettings::default(),
            labels: ldtcat_serve::Labels::new(Arc::clone(&catalog.index)),
            harvest: None,
            sparql: ldtcat_serve::SparqlService::new(catalog.store.oxigraph().clone(), ldtcat_serve::SparqlLimits::default(), 4),
            store: catalog.store.clone(),
            index: Arc::clone(&catalog.index),
            rules: Arc::clone(&catalog.rules),
            site: ldtcat_serve::SiteSettings {
                public_base_url: format!("http://{address}"),
                ..ldtcat_serve::SiteSettings::default()
            },
        };
        tokio::spawn(ldtcat_serve::serve_with_shutdown(listener, state, std::future::pending()));

        let facets = "%5B%22organization%22%2C%22groups%22%2C%22tags%22%2C%22res_format%22%2C%22license_id%22%5D";
        let ckan = format!("/api/3/action/package_search?q=Antibes&rows=20&facet.field={facets}");
        let api = "/api/search?q=Antibes&page_size=20".to_owned();
        let (_, first) = get(address, &ckan).await;
        let (_, second) = get(address, &api).await;
        let ckan_count = body_json(&first)["result"]["count"].as_u64().unwrap_or(0);
        let api_total = body_json(&second)["total"].as_u64().unwrap_or(0);
        assert_eq!(ckan_count, api_total, "the same search");

        println!("| N = {n} | p50 (ms) | p99 (ms) |");
        println!("|---|---|---|");
        for (label, path) in [("package_search", &ckan), ("/api/search", &api)] {
            let one = latencies(address, path, 1, ONE_CLIENT_REQUESTS).await;
            println!("| {label}, 1 client | {:.2} | {:.2} |", percentile(&one, 0.5), percentile(&one, 0.99));
            let many = latencies(address, path, CLIENTS, REQUESTS_PER_CLIENT).await;
            println!("| {label}, {CLIENTS} clients | {:.2} | {:.2} |", percentile(&many, 0.5), percentile(&many, 0.99));
        }
        println!("(q=Antibes matches {ckan_count} records)");

        let started = Instant::now();
        let mut walked = 0usize;
        for offset in (0..).step_by(1000) {
            let path = format!("/api/3/action/current_package_list_with_resources?limit=1000&offset={offset}");
            let (status, response) = get(address, &path).await;
            assert_eq!(status, 200, "{path}");
            let page = body_json(&response)["result"].as_array().map_or(0, Vec::len);
            walked += page;
            if page < 1000 {
                break;
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        assert_eq!(walked, n, "the walk returns every record");
        println!(
            "current_package_list_with_resources walk: {walked} records in {seconds:.1} s, {:.0} records/s",
            walked as f64 / seconds
        );
        Ok::<(), anyhow::Error>(())
    })?;
    Ok(())
}
