//! The measurements of the abuse campaign, each against a running `ldtcat serve` and
//! returning its figures: `tests/abuse*.rs` assert on them at CI sizes, the `abuse`
//! benchmark prints them at full sizes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::client::{self, Reply};
use crate::process::ServeProcess;
use crate::shapes::{shapes, Outcome, COUNT_OVER_THREE_WAY_PRODUCT, SIMPLE_QUERY};

/// How long the CPU is watched after a query stopped.
pub const CPU_WINDOW: Duration = Duration::from_secs(1);

/// One adversarial shape's figures.
#[derive(Debug, Clone)]
pub struct ShapeRow {
    /// The shape's name.
    pub name: &'static str,
    /// What it may be answered with.
    pub outcome: Outcome,
    /// Its answer's status.
    pub status: u16,
    /// The start of its answer's body.
    pub message: String,
    /// From the request to the end of the answer.
    pub took: Duration,
    /// CPU seconds the server used in the [`CPU_WINDOW`] after the answer.
    pub cpu_after: f64,
}

/// The shapes' figures and the simple queries' latencies meanwhile.
#[derive(Debug, Clone)]
pub struct ShapeReport {
    /// One row per shape.
    pub rows: Vec<ShapeRow>,
    /// Every simple query's latency (all were answered 200, or the probe panicked).
    pub simple: Vec<Duration>,
}

/// The `p` quantile of `latencies`.
pub fn quantile(latencies: &[Duration], p: f64) -> Duration {
    let mut sorted = latencies.to_vec();
    sorted.sort();
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Sends every shape in turn (as one client), watching the CPU after each, while another
/// client sends a simple query every 50 ms.
pub fn run_shapes(server: &ServeProcess) -> ShapeReport {
    let address = server.address;
    let stop = Arc::new(AtomicBool::new(false));
    let probing = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut latencies = Vec::new();
            while !stop.load(Ordering::SeqCst) {
                let reply = client::sparql(address, SIMPLE_QUERY, Some("probe"));
                assert_eq!(reply.status, 200, "a simple query failed: {}", reply.body);
                latencies.push(reply.took);
                std::thread::sleep(Duration::from_millis(50));
            }
            latencies
        })
    };
    let mut rows = Vec::new();
    for shape in shapes() {
        let reply = client::sparql_any(address, &shape.query, Some("abuser"));
        let cpu_after = server.cpu_during(CPU_WINDOW);
        rows.push(ShapeRow {
            name: shape.name,
            outcome: shape.outcome,
            status: reply.status,
            message: reply.body.trim().chars().take(160).collect(),
            took: reply.took,
            cpu_after,
        });
    }
    stop.store(true, Ordering::SeqCst);
    let simple = probing.join().expect("every simple query was answered");
    ShapeReport { rows, simple }
}

/// The report as a Markdown table.
pub fn render_shapes(report: &ShapeReport) -> String {
    let mut out = String::from(
        "| shape | status | answered after | server CPU in the second after |\n|---|---|---|---|\n",
    );
    for row in &report.rows {
        out.push_str(&format!(
            "| {} | {} | {:.0} ms | {:.0} ms |\n",
            row.name,
            row.status,
            row.took.as_secs_f64() * 1000.0,
            row.cpu_after * 1000.0
        ));
    }
    out.push_str(&format!(
        "\nSimple queries meanwhile: {} answered, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms.\n",
        report.simple.len(),
        quantile(&report.simple, 0.5).as_secs_f64() * 1000.0,
        quantile(&report.simple, 0.99).as_secs_f64() * 1000.0,
        quantile(&report.simple, 1.0).as_secs_f64() * 1000.0,
    ));
    out
}

/// Sends the query and hangs up after `after`; returns the server's CPU seconds
/// per second while the query ran, and in the [`CPU_WINDOW`] after the hang-up.
pub fn hang_up(server: &ServeProcess, after: Duration) -> (f64, f64) {
    let address = server.address;
    let hanging = std::thread::spawn(move || {
        client::sparql_and_hang_up(address, COUNT_OVER_THREE_WAY_PRODUCT, after);
    });
    let watch = after
        .saturating_sub(Duration::from_millis(500))
        .max(Duration::from_millis(200));
    std::thread::sleep(Duration::from_millis(300));
    let running = server.cpu_during(watch) / watch.as_secs_f64();
    hanging.join().expect("hung up");
    std::thread::sleep(Duration::from_millis(300));
    let after = server.cpu_during(CPU_WINDOW) / CPU_WINDOW.as_secs_f64();
    (running, after)
}

/// Sends `n` copies of the query at once, client `k` with the token `tokens(k)`
/// (none: by address); returns the answers.
pub fn at_once(server: &ServeProcess, n: usize, tokens: fn(usize) -> Option<String>) -> Vec<Reply> {
    let address = server.address;
    let threads: Vec<_> = (0..n)
        .map(|k| {
            std::thread::spawn(move || {
                client::sparql(address, COUNT_OVER_THREE_WAY_PRODUCT, tokens(k).as_deref())
            })
        })
        .collect();
    threads
        .into_iter()
        .map(|t| t.join().expect("answered"))
        .collect()
}

/// One oversized request's figures.
#[derive(Debug, Clone)]
pub struct OversizedCheck {
    /// What was sent.
    pub what: String,
    /// The status expected.
    pub expected: u16,
    /// The answer.
    pub reply: Reply,
}

/// Oversized inputs on every route that takes a body or a query string, and the server's
/// resident memory before and after (MiB).
pub fn oversized(server: &ServeProcess) -> (Vec<OversizedCheck>, f64, f64) {
    let address = server.address;
    for path in [
        "/",
        "/search?q=data",
        "/api/search?q=data",
        "/catalog",
        "/feed",
        "/sparql?query=ASK%7B%7D",
    ] {
        assert_eq!(
            client::get(address, path, &[]).status,
            200,
            "warm-up {path}"
        );
    }
    let rss_before = server.rss_mib();
    let mut checks = Vec::new();
    let mut check = |what: String, expected: u16, reply: Reply| {
        checks.push(OversizedCheck {
            what,
            expected,
            reply,
        });
    };
    for (path, content_type) in [
        ("/sparql", "application/sparql-query"),
        ("/sparql", "application/x-www-form-urlencoded"),
        ("/api/compatibility", "text/turtle"),
    ] {
        for declared in [true, false] {
            let reply = client::post_streamed(address, path, content_type, 1 << 30, declared);
            let framing = if declared {
                "Content-Length"
            } else {
                "chunked"
            };
            check(
                format!("1 GiB POST {path} ({content_type}, {framing})"),
                413,
                reply,
            );
        }
    }
    // 100 kB: over the HTTP library's own bound on a URI (64 KiB), which answers a bare 414
    // before any route sees the request; 40 kB: over the server's bound (32 KiB), answered
    // in the route's error shape.
    for (size, long) in [
        ("100 kB", "x".repeat(100_000)),
        ("40 kB", "x".repeat(40_000)),
    ] {
        for (route, path) in [
            ("/sparql", format!("/sparql?query={long}")),
            ("/api/search", format!("/api/search?q={long}")),
            ("/search", format!("/search?q={long}")),
            ("/catalog", format!("/catalog?q={long}")),
            ("/feed", format!("/feed?after={long}")),
            ("/resources/{id}", format!("/resources/{long}")),
        ] {
            check(
                format!("{size} URI on {route}"),
                414,
                client::get(address, &path, &[]),
            );
        }
    }
    let accept = format!(
        "Accept: {}",
        (0..10_000)
            .map(|n| format!("application/x-{n};q=0.5"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for path in [
        "/",
        "/api/search?q=data",
        "/sparql?query=ASK%7B%7D",
        "/catalog",
        "/feed",
        "/resources/x",
    ] {
        let reply = client::get(address, path, std::slice::from_ref(&accept));
        check(format!("10,000 Accept alternatives on {path}"), 400, reply);
    }
    let rss_after = server.rss_mib();
    (checks, rss_before, rss_after)
}

/// The oversized checks as a Markdown table.
pub fn render_oversized(checks: &[OversizedCheck], rss_before: f64, rss_after: f64) -> String {
    let mut out = String::from("| request | status | answered after |\n|---|---|---|\n");
    for check in checks {
        out.push_str(&format!(
            "| {} | {} | {:.1} ms |\n",
            check.what,
            check.reply.status,
            check.reply.took.as_secs_f64() * 1000.0
        ));
    }
    out.push_str(&format!(
        "\nServer RSS before: {rss_before:.1} MiB, after: {rss_after:.1} MiB.\n"
    ));
    out
}
