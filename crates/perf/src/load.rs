//! The load generator: `clients` concurrent clients, each sending its next request as soon as
//! the previous answer is read in full (a closed loop, on keep-alive connections), for a
//! fixed time after a warm-up. Latencies are recorded per request; a non-200 answer is an
//! error.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use serde::Serialize;

/// A load run's figures.
#[derive(Debug, Clone, Serialize)]
pub struct LoadResult {
    /// Requests answered within the measured time.
    pub requests: u64,
    /// Of which not 200 (or failed).
    pub errors: u64,
    /// Requests per second.
    pub requests_per_second: f64,
    /// Median latency, ms.
    pub p50_ms: f64,
    /// 99th percentile latency, ms.
    pub p99_ms: f64,
    /// Mean latency, ms.
    pub mean_ms: f64,
}

/// How to load.
#[derive(Debug, Clone, Copy)]
pub struct LoadSettings {
    /// Concurrent clients.
    pub clients: usize,
    /// Unmeasured time first.
    pub warm_up: Duration,
    /// Measured time.
    pub duration: Duration,
}

/// The `p` quantile (0 to 1) of sorted latencies, in ms.
pub fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

/// Sends GETs for `urls` (client `i` starts at `urls[i % len]` and goes round).
pub async fn run(urls: Arc<Vec<String>>, settings: LoadSettings) -> Result<LoadResult> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(settings.clients)
        .timeout(Duration::from_secs(60))
        .build()?;
    let measuring = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for client_number in 0..settings.clients {
        let client = client.clone();
        let urls = urls.clone();
        let measuring = measuring.clone();
        let stop = stop.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            let mut next = client_number * 7919;
            while !stop.load(Ordering::Relaxed) {
                let url = &urls[next % urls.len()];
                next += 1;
                let started = Instant::now();
                let ok = match client.get(url).send().await {
                    Ok(response) => {
                        let status = response.status();
                        response.bytes().await.is_ok() && status == reqwest::StatusCode::OK
                    }
                    Err(_) => false,
                };
                let elapsed = started.elapsed();
                if measuring.load(Ordering::Relaxed) && !stop.load(Ordering::Relaxed) {
                    latencies.push(elapsed);
                    if !ok {
                        errors += 1;
                    }
                }
            }
            (latencies, errors)
        }));
    }
    tokio::time::sleep(settings.warm_up).await;
    measuring.store(true, Ordering::Relaxed);
    let started = Instant::now();
    tokio::time::sleep(settings.duration).await;
    stop.store(true, Ordering::Relaxed);
    let seconds = started.elapsed().as_secs_f64();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (mut l, e) = task.await?;
        latencies.append(&mut l);
        errors += e;
    }
    latencies.sort_unstable();
    let total: f64 = latencies.iter().map(Duration::as_secs_f64).sum();
    Ok(LoadResult {
        requests: latencies.len() as u64,
        errors,
        requests_per_second: latencies.len() as f64 / seconds,
        p50_ms: percentile_ms(&latencies, 0.5),
        p99_ms: percentile_ms(&latencies, 0.99),
        mean_ms: total * 1000.0 / latencies.len().max(1) as f64,
    })
}
