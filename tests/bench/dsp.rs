//! Dataspace Protocol benchmark: `cargo bench -p ldtcat --bench dsp`.
//!
//! Imports N synthetic DCAT-AP datasets (`LDTCAT_BENCH_N`, default 100,000; the import is not
//! what is measured), serves them on loopback with a DSP token, and measures over HTTP:
//! a full catalog walk by one client (CatalogRequestMessages POSTed to `/catalog/request`,
//! following `Link: rel="next"` to the end) with pages of 100 (the default) and of 1,000, in
//! datasets per second; and `GET /catalog/datasets/{id}` latency (p50, p99) with 1 client and
//! with 50 concurrent clients. Every request opens its own connection. Prints a Markdown
//! table.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{bench_n, percentile, write_synthetic_file};
use ldtcat::catalog::Catalog;
use ldtcat::import::import_files;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const TOKEN: &str = "bench-token";
const MESSAGE: &str = r#"{"@context": ["https://w3id.org/dspace/2025/1/context.jsonld"], "@type": "CatalogRequestMessage", "filter": []}"#;

/// One request; the status, the `Link: rel="next"` path and the body length.
async fn send(
    address: SocketAddr,
    method: &str,
    path: &str,
    body: &str,
) -> (u16, Option<String>, usize) {
    let mut stream = TcpStream::connect(address).await.expect("connects");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("writes");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("reads");
    let text = String::from_utf8_lossy(&response);
    let status = text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let head = text.split("\r\n\r\n").next().unwrap_or("");
    let next = head
        .lines()
        .filter(|line| line.to_ascii_lowercase().starts_with("link:"))
        .find(|line| line.ends_with("rel=\"next\""))
        .and_then(|line| Some(line.split_once('<')?.1.split_once('>')?.0.to_owned()))
        .and_then(|url| Some(url[url.find("/catalog")?..].to_owned()));
    (status, next, response.len())
}

/// Walks the whole catalog with pages of `page_size`: datasets per second, pages, bytes.
async fn walk(address: SocketAddr, page_size: usize) -> (f64, usize, usize, usize) {
    let started = Instant::now();
    let mut path = Some(format!("/catalog/request?page_size={page_size}"));
    let (mut pages, mut bytes, mut datasets) = (0, 0, 0);
    while let Some(current) = path.take() {
        let mut stream = TcpStream::connect(address).await.expect("connects");
        let request = format!(
            "POST {current} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{MESSAGE}",
            MESSAGE.len()
        );
        stream.write_all(request.as_bytes()).await.expect("writes");
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await.expect("reads");
        let text = String::from_utf8_lossy(&response);
        assert!(
            text.starts_with("HTTP/1.1 200"),
            "{current}: {}",
            &text[..text.len().min(300)]
        );
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or(("", ""));
        let catalog: serde_json::Value = serde_json::from_str(body).expect("a Catalog");
        datasets += catalog["dataset"].as_array().map_or(0, Vec::len);
        pages += 1;
        bytes += response.len();
        path = head
            .lines()
            .filter(|line| line.to_ascii_lowercase().starts_with("link:"))
            .find(|line| line.ends_with("rel=\"next\""))
            .and_then(|line| Some(line.split_once('<')?.1.split_once('>')?.0.to_owned()))
            .and_then(|url| Some(url[url.find("/catalog")?..].to_owned()));
    }
    let seconds = started.elapsed().as_secs_f64();
    (
        datasets as f64 / seconds,
        pages,
        datasets,
        bytes / pages.max(1),
    )
}

/// Latencies of `GET /catalog/datasets/{id}` over `paths`, `clients` at a time.
async fn dataset_latencies(
    address: SocketAddr,
    paths: Vec<String>,
    clients: usize,
) -> (Vec<Duration>, f64) {
    let paths = Arc::new(paths);
    let started = Instant::now();
    let mut workers = Vec::new();
    for worker in 0..clients {
        let paths = Arc::clone(&paths);
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            for path in paths.iter().skip(worker).step_by(clients) {
                let begun = Instant::now();
                let (status, _, _) = send(address, "GET", path, "").await;
                assert_eq!(status, 200, "{path}");
                latencies.push(begun.elapsed());
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for worker in workers {
        all.extend(worker.await.expect("worker"));
    }
    let per_second = all.len() as f64 / started.elapsed().as_secs_f64();
    all.sort();
    (all, per_second)
}

fn main() -> anyhow::Result<()> {
    let n = bench_n();
    let work = tempfile::tempdir()?;
    let file = work.path().join("catalogue.ttl");
    write_synthetic_file(&file, n)?;
    let catalog = Catalog::open(&work.path().join("data"))?;
    let summary = import_files(&catalog, &[file], "bench", None, None, &|_| {})?;
    assert_eq!(summary.totals.added, n as u64);
    let ids = catalog.store.record_ids()?;

    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let state = ldtcat_serve::AppState {
            labels: ldtcat_serve::Labels::new(Arc::clone(&catalog.index)),
            dsp: ldtcat_serve::DspSettings {
                token: Some(TOKEN.to_owned()),
                ..ldtcat_serve::DspSettings::default()
            },
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

        let (rate_100, pages_100, seen_100, bytes_100) = walk(address, 100).await;
        assert_eq!(seen_100, n, "the walk with pages of 100 sees every dataset");
        let (rate_1000, pages_1000, seen_1000, bytes_1000) = walk(address, 1_000).await;
        assert_eq!(seen_1000, n, "the walk with pages of 1,000 sees every dataset");
        let paths: Vec<String> = ids
            .iter()
            .step_by((ids.len() / 2_000).max(1))
            .map(|id| format!("/catalog/datasets/{id}"))
            .collect();
        let (one, one_rate) = dataset_latencies(address, paths[..500.min(paths.len())].to_vec(), 1).await;
        let (fifty, fifty_rate) = dataset_latencies(address, paths, 50).await;

        println!("| figure ({n} records, loopback HTTP, connection per request, token checked) | value |\n|---|---|");
        println!("| full catalog walk, pages of 100 (default), 1 client following Link next | {rate_100:.0} datasets/s ({pages_100} pages, about {} KiB each) |", bytes_100 / 1024);
        println!("| full catalog walk, pages of 1,000, 1 client | {rate_1000:.0} datasets/s ({pages_1000} pages, about {} KiB each) |", bytes_1000 / 1024);
        println!("| GET /catalog/datasets/{{id}}, 1 client, {} requests | p50 {:.2} ms, p99 {:.2} ms ({one_rate:.0} requests/s) |", one.len(), percentile(&one, 0.5), percentile(&one, 0.99));
        println!("| GET /catalog/datasets/{{id}}, 50 clients, {} requests | p50 {:.2} ms, p99 {:.2} ms ({fifty_rate:.0} requests/s) |", fifty.len(), percentile(&fifty, 0.5), percentile(&fifty, 0.99));
        anyhow::Ok(())
    })
}
