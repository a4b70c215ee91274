//! Page benchmark: `cargo bench -p ldtcat --bench pages`.
//!
//! Imports N synthetic DCAT-AP datasets (`LDTCAT_BENCH_N`, default 100,000; multilingual
//! titles and descriptions, 50 named publishers, EU themes, licences and file types, a
//! bounding box each), starts the server on loopback and measures the HTML pages people
//! read: `/resources/{id}` and `/search` (blank, one word, a facet filter, a deep page, an
//! area), in requests per second with 4 concurrent clients, a connection per request,
//! `ROUNDS` rounds each (`LDTCAT_BENCH_ROUNDS`, default 3; the median is printed). The
//! catalogue is served by the `ldtcat serve` command: the same file runs unchanged on an
//! older checkout to compare (it uses nothing but the import and the command line).

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use common::{bench_n, write_synthetic_file};
use ldtcat::catalog::Catalog;
use ldtcat::import::import_files;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const CLIENTS: usize = 4;

async fn get(address: SocketAddr, path: &str) -> u16 {
    let mut stream = TcpStream::connect(address).await.expect("connects");
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: bench\r\nAccept: text/html\r\nAccept-Language: fr-BE,fr;q=0.9,en;q=0.5\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("writes");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("reads");
    response
        .get(9..12)
        .and_then(|status| std::str::from_utf8(status).ok())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Requests per second with [`CLIENTS`] clients sharing `paths`.
async fn throughput(address: SocketAddr, paths: &Arc<Vec<String>>) -> f64 {
    let started = Instant::now();
    let mut workers = Vec::new();
    for worker in 0..CLIENTS {
        let paths = Arc::clone(paths);
        workers.push(tokio::spawn(async move {
            for path in paths.iter().skip(worker).step_by(CLIENTS) {
                assert_eq!(get(address, path).await, 200, "{path}");
            }
        }));
    }
    for worker in workers {
        worker.await.expect("worker");
    }
    paths.len() as f64 / started.elapsed().as_secs_f64()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// `ldtcat serve` on a free loopback port, over the catalogue in `work/data`, stopped when
/// dropped.
struct Server {
    child: std::process::Child,
    address: SocketAddr,
}

impl Server {
    fn start(work: &std::path::Path) -> anyhow::Result<Server> {
        let address = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
        let harvest_config = work.join("harvest-config");
        std::fs::create_dir_all(&harvest_config)?;
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_ldtcat"))
            .arg("--data-dir")
            .arg(work.join("data"))
            .arg("serve")
            .arg("--bind")
            .arg(address.to_string())
            .arg("--public-url")
            .arg(format!("http://{address}"))
            .arg("--harvest-config")
            .arg(&harvest_config)
            .stdout(std::process::Stdio::null())
            .spawn()?;
        Ok(Server { child, address })
    }

    /// Waits (up to two minutes) until `/healthz` answers.
    async fn wait_until_ready(&self) -> anyhow::Result<()> {
        let deadline = Instant::now() + std::time::Duration::from_secs(120);
        while Instant::now() < deadline {
            if TcpStream::connect(self.address).await.is_ok()
                && get(self.address, "/healthz").await == 200
            {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        anyhow::bail!(
            "ldtcat serve did not answer on {} within two minutes",
            self.address
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn main() -> anyhow::Result<()> {
    let n = bench_n();
    let rounds: usize = std::env::var("LDTCAT_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let work = tempfile::tempdir()?;
    let file = work.path().join("catalogue.ttl");
    write_synthetic_file(&file, n)?;
    let catalog = Catalog::open(&work.path().join("data"))?;
    let started = Instant::now();
    let summary = import_files(&catalog, &[file], "bench", None, None, &|_| {})?;
    assert_eq!(summary.totals.added, n as u64);
    eprintln!(
        "imported {n} records in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    let ids = catalog.store.record_ids()?;
    // The catalogue is closed, then served by the `ldtcat serve` command itself, so that this
    // file measures an older checkout unchanged.
    drop(catalog);
    let server = Server::start(work.path())?;
    let address = server.address;

    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        server.wait_until_ready().await?;
        let records: Arc<Vec<String>> = Arc::new(
            ids.iter()
                .step_by((ids.len() / 1_000).max(1))
                .map(|id| format!("/resources/{id}"))
                .collect(),
        );
        let words = ["air", "traffic", "energy", "noise", "water", "parking", "sensor", "Perugia"];
        let searches: Arc<Vec<String>> = Arc::new(
            (0..200)
                .map(|k| match k % 5 {
                    0 => "/search".to_owned(),
                    1 => format!("/search?q={}", words[k % words.len()]),
                    2 => "/search?theme=http%3A%2F%2Fpublications.europa.eu%2Fresource%2Fauthority%2Fdata-theme%2FTRAN".to_owned(),
                    3 => format!("/search?q=sensor&page={}", 2 + k % 40),
                    _ => "/search?bbox=4.0,50.0,13.0,53.0".to_owned(),
                })
                .collect(),
        );
        // Warm-up: one pass over each set.
        throughput(address, &records).await;
        throughput(address, &searches).await;
        let mut record_rates = Vec::new();
        let mut search_rates = Vec::new();
        for _ in 0..rounds {
            record_rates.push(throughput(address, &records).await);
            search_rates.push(throughput(address, &searches).await);
        }
        println!("| figure ({n} records, {CLIENTS} clients, loopback HTTP, median of {rounds} rounds) | requests/s | rounds |\n|---|---|---|");
        println!("| /resources/{{id}} HTML, {} pages | {:.0} | {record_rates:.0?} |", records.len(), median(record_rates.clone()));
        println!("| /search HTML, {} pages (blank, a word, a theme, deep pages, an area) | {:.0} | {search_rates:.0?} |", searches.len(), median(search_rates.clone()));
        anyhow::Ok(())
    })
}
