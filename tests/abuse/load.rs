//! Concurrent clients mixing the routes of a catalogue while it harvests: each client loops
//! over search, a record page, `/catalog`, `/feed` and a SPARQL lookup, and every answer is
//! timed and classified (a 503 with `Retry-After` from `/sparql` is a deliberate refusal,
//! anything else but a 200 is an error). Also the loopback source the harvest reads.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The routes of the mix, in order.
pub const ROUTES: [&str; 5] = [
    "/api/search",
    "/resources/{id}",
    "/catalog",
    "/feed",
    "/sparql",
];

/// What one route saw.
#[derive(Debug, Default, Clone)]
pub struct RouteStats {
    /// The time of every answered request.
    pub latencies: Vec<Duration>,
    /// 200s.
    pub ok: u64,
    /// Deliberate 503s (with `Retry-After`).
    pub refused: u64,
    /// Everything else, with its reason (the first few kept).
    pub errors: u64,
    /// Examples of errors.
    pub examples: Vec<String>,
}

impl RouteStats {
    /// The `p` quantile of the latencies, in milliseconds.
    pub fn percentile_ms(&self, p: f64) -> f64 {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        if sorted.is_empty() {
            return f64::NAN;
        }
        let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted[index].as_secs_f64() * 1000.0
    }
}

/// Per route, what the clients saw.
pub type LoadReport = BTreeMap<&'static str, RouteStats>;

fn target(route: usize, client: usize, iteration: usize, ids: &[String]) -> String {
    match route {
        0 => format!(
            "/api/search?q={}",
            ["data", "city", "statistics", "air"][iteration % 4]
        ),
        1 => format!("/resources/{}", ids[(client * 31 + iteration) % ids.len()]),
        2 => format!("/catalog?page_size=50&page={}", 1 + iteration % 3),
        3 => "/feed?page_size=50".to_owned(),
        _ => {
            let query =
                "SELECT ?p ?o WHERE { ?s <http://purl.org/dc/terms/title> ?t ; ?p ?o } LIMIT 20";
            format!(
                "/sparql?query={}",
                form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
            )
        }
    }
}

/// Runs `clients` concurrent clients against `base` for `duration`; `ids` are record ids to
/// ask for. Each client is its own HTTP client (its own connections) and sends its own bearer
/// token, so that SPARQL's fair share sees distinct clients.
pub async fn mixed_load(
    base: &str,
    clients: usize,
    duration: Duration,
    ids: Arc<Vec<String>>,
) -> LoadReport {
    let report = Arc::new(Mutex::new(LoadReport::new()));
    let until = Instant::now() + duration;
    let mut tasks = Vec::new();
    for client in 0..clients {
        let (base, ids, report) = (base.to_owned(), Arc::clone(&ids), Arc::clone(&report));
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .expect("client");
            let mut iteration = 0;
            while Instant::now() < until {
                let route = (client + iteration) % ROUTES.len();
                let url = format!("{base}{}", target(route, client, iteration, &ids));
                let sent = Instant::now();
                let answer = http
                    .get(&url)
                    .header(
                        "Accept",
                        "application/json, application/sparql-results+json, text/turtle;q=0.5",
                    )
                    .bearer_auth(format!("client-{client}"))
                    .send()
                    .await;
                let outcome = match answer {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        let retry = response.headers().contains_key("retry-after");
                        let body = response.bytes().await;
                        match (status, body) {
                            (200, Ok(_)) => Ok(true),
                            (503, Ok(_)) if route == 4 && retry => Ok(false),
                            (status, body) => Err(format!(
                                "{url}: {status} {}",
                                body.map(|b| String::from_utf8_lossy(&b[..b.len().min(200)])
                                    .into_owned())
                                    .unwrap_or_default()
                            )),
                        }
                    }
                    Err(error) => Err(format!("{url}: {error}")),
                };
                let took = sent.elapsed();
                let mut report = report.lock().expect("report");
                let stats = report.entry(ROUTES[route]).or_default();
                match outcome {
                    Ok(true) => {
                        stats.ok += 1;
                        stats.latencies.push(took);
                    }
                    Ok(false) => stats.refused += 1,
                    Err(error) => {
                        stats.errors += 1;
                        if stats.examples.len() < 5 {
                            stats.examples.push(error);
                        }
                    }
                }
                iteration += 1;
            }
        }));
    }
    for task in tasks {
        task.await.expect("client task");
    }
    Arc::try_unwrap(report)
        .map(|mutex| mutex.into_inner().expect("report"))
        .unwrap_or_default()
}

/// The report as a Markdown table.
pub fn render(report: &LoadReport) -> String {
    let mut out = String::from(
        "| route | requests | p50 ms | p99 ms | deliberate 503 | errors |\n|---|---|---|---|---|---|\n",
    );
    for route in ROUTES {
        let stats = report.get(route).cloned().unwrap_or_default();
        out.push_str(&format!(
            "| `{route}` | {} | {:.1} | {:.1} | {} | {} |\n",
            stats.ok + stats.refused + stats.errors,
            stats.percentile_ms(0.5),
            stats.percentile_ms(0.99),
            stats.refused,
            stats.errors
        ));
    }
    out
}
