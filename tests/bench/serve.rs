//! Serving benchmark: `cargo bench -p ldtcat --bench serve`.
//!
//! Imports N synthetic DCAT-AP datasets (`LDTCAT_BENCH_N`, default 100,000; the import is not
//! what is measured here), starts the server on loopback, and measures over HTTP, in one run:
//! SPARQL record lookups and a facet-style GROUP BY (p50/p99, one client), `/catalog` pages
//! per second and `/resources/{id}` requests per second (4 concurrent clients). Prints a
//! Markdown table.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{bench_n, percentile, write_synthetic_file};
use ldtcat::catalog::Catalog;
use ldtcat::import::import_files;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const CLIENTS: usize = 4;

async fn get(address: SocketAddr, path: &str, accept: &str) -> (u16, usize) {
    let mut stream = TcpStream::connect(address).await.expect("connects");
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: bench\r\nAccept: {accept}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("writes");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("reads");
    let status = std::str::from_utf8(&response[9..12])
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response.len())
}

async fn get_body(address: SocketAddr, path: &str, accept: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).await.expect("connects");
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: bench\r\nAccept: {accept}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("writes");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("reads");
    let status = response
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response)
}

/// The path of the `hydra:next` link of a Turtle page (the first `hydra:next <...>`).
fn next_link(body: &str) -> Option<String> {
    let start = body.find("hydra:next <")? + "hydra:next <".len();
    let url = &body[start..start + body[start..].find('>')?];
    let path = &url[url.find("/catalog")?..];
    Some(path.replace("&amp;", "&"))
}

fn encode(query: &str) -> String {
    form_urlencoded::byte_serialize(query.as_bytes()).collect()
}

/// Latencies of `paths` fetched one after the other.
async fn latencies(address: SocketAddr, paths: &[String], accept: &str) -> Vec<Duration> {
    let mut all = Vec::with_capacity(paths.len());
    for path in paths {
        let started = Instant::now();
        let (status, _) = get(address, path, accept).await;
        assert_eq!(status, 200, "{path}");
        all.push(started.elapsed());
    }
    all.sort();
    all
}

/// Requests per second with [`CLIENTS`] clients sharing `paths`.
async fn throughput(address: SocketAddr, paths: Vec<String>, accept: &'static str) -> (f64, usize) {
    let paths = Arc::new(paths);
    let started = Instant::now();
    let mut workers = Vec::new();
    for worker in 0..CLIENTS {
        let paths = Arc::clone(&paths);
        workers.push(tokio::spawn(async move {
            let mut bytes = 0;
            for path in paths.iter().skip(worker).step_by(CLIENTS) {
                let (status, length) = get(address, path, accept).await;
                assert_eq!(status, 200, "{path}");
                bytes += length;
            }
            bytes
        }));
    }
    let mut bytes = 0;
    for worker in workers {
        bytes += worker.await.expect("worker");
    }
    (
        paths.len() as f64 / started.elapsed().as_secs_f64(),
        bytes / paths.len().max(1),
    )
}

fn main() -> anyhow::Result<()> {
    let n = bench_n();
    let work = tempfile::tempdir()?;
    let file = work.path().join("catalogue.ttl");
    write_synthetic_file(&file, n)?;
    let catalog = Catalog::open(&work.path().join("data"))?;
    let summary = import_files(&catalog, &[file], "bench", None, None, &|_| {})?;
    assert_eq!(summary.totals.added, n as u64, "{}", summary.render());
    let ids = catalog.store.record_ids()?;

    // Where a /catalog page's time goes: the index page in id order, then the documents.
    let deep = ldtcat_index::SearchRequest {
        sort: ldtcat_index::SortOrder::Id,
        offset: (n / 2 / 100) * 100,
        limit: 100,
        facets: false,
        ..ldtcat_index::SearchRequest::default()
    };
    let started = Instant::now();
    let page = catalog.index.search(&deep)?;
    let index_page_ms = started.elapsed().as_secs_f64() * 1000.0;
    let started = Instant::now();
    for hit in &page.hits {
        std::hint::black_box(catalog.store.record(&hit.id)?);
        std::hint::black_box(catalog.store.catalog_record_triples(&hit.id)?);
    }
    let documents_ms = started.elapsed().as_secs_f64() * 1000.0;

    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let state = common::app_state(&catalog, format!("http://{address}"));
        tokio::spawn(ldtcat_serve::serve_with_shutdown(listener, state, std::future::pending()));

        let json = "application/sparql-results+json";
        let lookups: Vec<String> = (0..300)
            .map(|k| {
                let dataset = (k * 7_919) % n;
                format!(
                    "/sparql?query={}",
                    encode(&format!(
                        "SELECT ?p ?o WHERE {{ <https://data.example.org/dataset/{dataset}> ?p ?o }}"
                    ))
                )
            })
            .collect();
        let lookup = latencies(address, &lookups, json).await;
        let group_by = format!(
            "/sparql?query={}",
            encode(
                "PREFIX dcat: <http://www.w3.org/ns/dcat#>\nSELECT ?theme (COUNT(?d) AS ?n) WHERE { ?d a dcat:Dataset ; dcat:theme ?theme } GROUP BY ?theme ORDER BY DESC(?n)"
            )
        );
        let facets = latencies(address, &vec![group_by; 20], json).await;

        // A harvester: one client following hydra:next from the first page (cursor links),
        // side by side with the same number of pages fetched by page number (offsets).
        let pages = (n / 100).clamp(1, 200);
        let started = Instant::now();
        let mut path = Some("/catalog.ttl?page_size=100".to_owned());
        let mut followed = 0;
        let mut page_bytes = 0;
        while let Some(current) = path.take() {
            let (status, body) = get_body(address, &current, "text/turtle").await;
            assert_eq!(status, 200, "{current}");
            page_bytes = body.len();
            followed += 1;
            if followed == pages {
                break;
            }
            path = next_link(&body);
        }
        let cursor_pages_per_second = followed as f64 / started.elapsed().as_secs_f64();
        let offset_paths: Vec<String> = (1..=pages).map(|page| format!("/catalog.ttl?page={page}&page_size=100")).collect();
        let started = Instant::now();
        for path in &offset_paths {
            assert_eq!(get(address, path, "text/turtle").await.0, 200);
        }
        let offset_pages_per_second = offset_paths.len() as f64 / started.elapsed().as_secs_f64();
        let record_paths: Vec<String> = ids.iter().step_by((ids.len() / 2_000).max(1)).map(|id| format!("/resources/{id}")).collect();
        let (html_per_second, _) = throughput(address, record_paths.clone(), "text/html").await;
        let (turtle_per_second, _) = throughput(address, record_paths, "text/turtle").await;

        println!("| figure ({n} records, loopback HTTP, connection per request) | value |\n|---|---|");
        println!("| SPARQL record lookup, {} queries | p50 {:.1} ms, p99 {:.1} ms |", lookup.len(), percentile(&lookup, 0.5), percentile(&lookup, 0.99));
        println!("| SPARQL GROUP BY theme over all datasets, {} queries | p50 {:.0} ms, p99 {:.0} ms |", facets.len(), percentile(&facets, 0.5), percentile(&facets, 0.99));
        println!("| of which: index page of 100 in id order at offset {} | {index_page_ms:.1} ms |", deep.offset);
        println!("| of which: reading 100 record documents from the store | {documents_ms:.1} ms |");
        println!("| /catalog.ttl, 1 client following hydra:next (cursor) over the first {followed} pages of 100 | {cursor_pages_per_second:.1} pages/s (about {} KiB each) |", page_bytes / 1024);
        println!("| /catalog.ttl, 1 client asking the same pages by number (offset) | {offset_pages_per_second:.1} pages/s ({:.1}x slower) |", cursor_pages_per_second / offset_pages_per_second);
        println!("| /resources/{{id}} HTML, {CLIENTS} clients | {html_per_second:.0} requests/s |");
        println!("| /resources/{{id}} Turtle, {CLIENTS} clients | {turtle_per_second:.0} requests/s |");
        anyhow::Ok(())
    })
}
