//! The load-and-abuse campaign at full size: `cargo bench -p ldtcat --bench abuse`.
//!
//! Against real `ldtcat serve` processes over loopback, with the default limits (10 s per
//! query, 4 slots, 2 per client), it prints a Markdown report:
//!
//! 1. every adversarial query shape over the real catalogues: its status, the time to its
//!    answer (the stop), the server's CPU in the second after; simple queries' latencies
//!    from another client throughout;
//! 2. the query with a client that hangs up: the server's CPU while it ran and after;
//! 3. six of the queries at once, from six clients, then from one address;
//! 4. oversized inputs on every route: status, time, the server's RSS before and after;
//! 5. `LDTCAT_ABUSE_CLIENTS` concurrent clients (default 200) for `LDTCAT_ABUSE_SECONDS`
//!    (default 60) mixing search, record pages, `/catalog`, `/feed` and SPARQL while the same
//!    process harvests `LDTCAT_BENCH_N` synthetic records (default 100,000): p50/p99 and errors
//!    per route, the harvest's counts and duration;
//! 6. SIGTERM during a runaway query and a harvest: the time to exit.

#[path = "../abuse/campaign.rs"]
#[allow(dead_code)]
mod campaign;
#[path = "../abuse/client.rs"]
#[allow(dead_code)]
mod client;
#[path = "../abuse/load.rs"]
#[allow(dead_code)]
mod load;
#[path = "../abuse/process.rs"]
#[allow(dead_code)]
mod process;
#[path = "../harvest/server.rs"]
#[allow(dead_code)]
mod server;
#[path = "../abuse/shapes.rs"]
#[allow(dead_code)]
mod shapes;
#[path = "../abuse/source.rs"]
#[allow(dead_code)]
mod source;

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::bench_n;
use process::{import_real_catalogues, ServeProcess};
use source::{start_harvest, synthetic_source, ADMIN_TOKEN};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn real_catalogue() -> anyhow::Result<(tempfile::TempDir, tempfile::TempDir)> {
    let data = tempfile::tempdir()?;
    let config = tempfile::tempdir()?;
    let records = import_real_catalogues(data.path());
    println!("Catalogue: {records} real records (Antwerp, Statbel, the demo federation).\n");
    Ok((data, config))
}

fn last_run(server: &ServeProcess) -> serde_json::Value {
    let reply = client::get(server.address, "/api/sources", &[]);
    let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap_or_default();
    json["sources"][0]["runs"][0].clone()
}

fn queries_section() -> anyhow::Result<()> {
    let (data, config) = real_catalogue()?;
    let server = ServeProcess::start(data.path(), config.path(), &[]);
    println!("## Adversarial query shapes (time limit 10 s)\n");
    let report = campaign::run_shapes(&server);
    println!("{}", campaign::render_shapes(&report));
    drop(server);

    let server = ServeProcess::start(data.path(), config.path(), &["--sparql-timeout", "120"]);
    let (running, after) = campaign::hang_up(&server, Duration::from_secs(3));
    println!("## A client that hangs up\n");
    println!("The issue's query, its client gone after 3 s (time limit 120 s): server CPU {running:.2} s/s while it ran, {after:.3} s/s in the second after the hang-up.\n");
    drop(server);

    let server = ServeProcess::start(data.path(), config.path(), &[]);
    println!("## Six of the issue's queries at once\n");
    for (who, tokens) in [
        (
            "six clients",
            (|k| Some(format!("client-{k}"))) as fn(usize) -> Option<String>,
        ),
        ("one address", |_| None),
    ] {
        let started = Instant::now();
        let replies = campaign::at_once(&server, 6, tokens);
        let ask = client::sparql(server.address, "ASK { ?s ?p ?o }", None);
        let answers: Vec<String> = replies
            .iter()
            .map(|r| format!("{} after {:.1} s", r.status, r.took.as_secs_f64()))
            .collect();
        println!(
            "- {who}: {}; all answered within {:.1} s; then `ASK {{ ?s ?p ?o }}`: {} in {:.1} ms",
            answers.join(", "),
            started.elapsed().as_secs_f64(),
            ask.status,
            ask.took.as_secs_f64() * 1000.0
        );
    }
    println!();
    drop(server);

    let server = ServeProcess::start(data.path(), config.path(), &[]);
    let (checks, rss_before, rss_after) = campaign::oversized(&server);
    println!("## Oversized inputs\n");
    println!(
        "{}",
        campaign::render_oversized(&checks, rss_before, rss_after)
    );
    Ok(())
}

fn load_section() -> anyhow::Result<()> {
    let clients = env_or("LDTCAT_ABUSE_CLIENTS", 200_usize);
    let seconds = env_or("LDTCAT_ABUSE_SECONDS", 60_u64);
    let records = bench_n();
    let runtime = tokio::runtime::Runtime::new()?;
    let (data, config) = real_catalogue()?;
    let _source = synthetic_source(&runtime, config.path(), records, 1_000, Duration::ZERO);
    let server = ServeProcess::start(data.path(), config.path(), &["--admin-token", ADMIN_TOKEN]);
    let reply = client::get(server.address, "/api/search?page_size=100", &[]);
    let json: serde_json::Value = serde_json::from_str(&reply.body)?;
    let ids: Vec<String> = json["results"]
        .as_array()
        .map(|results| {
            results
                .iter()
                .filter_map(|r| r["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let harvest_started = Instant::now();
    start_harvest(&server);
    let report = runtime.block_on(load::mixed_load(
        &server.url(""),
        clients,
        Duration::from_secs(seconds),
        Arc::new(ids),
    ));
    let rss_under_load = server.rss_mib();
    let mut run = last_run(&server);
    while run["status"] == "running" || !run.is_object() {
        std::thread::sleep(Duration::from_secs(1));
        run = last_run(&server);
    }
    println!("## {clients} clients for {seconds} s while harvesting {records} records\n");
    println!("{}", load::render(&report));
    for (route, stats) in &report {
        for example in &stats.examples {
            println!("- error on `{route}`: {example}");
        }
    }
    println!(
        "\nHarvest: {} — {} added, {} updated, {} errored, {} pages, ended {:.0} s after its start; server RSS at the end of the load {rss_under_load:.0} MiB.\n",
        run["status"], run["added"], run["updated"], run["errored"], run["pages"],
        harvest_started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn sigterm_section() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    let (data, config) = real_catalogue()?;
    let source = synthetic_source(
        &runtime,
        config.path(),
        100_000,
        1_000,
        Duration::from_millis(200),
    );
    let mut server = ServeProcess::start(
        data.path(),
        config.path(),
        &["--sparql-timeout", "120", "--admin-token", ADMIN_TOKEN],
    );
    start_harvest(&server);
    while source.request_count() < 3 {
        std::thread::sleep(Duration::from_millis(20));
    }
    let address = server.address;
    let runaway = std::thread::spawn(move || {
        client::sparql(
            address,
            shapes::COUNT_OVER_THREE_WAY_PRODUCT,
            Some("runaway"),
        )
    });
    std::thread::sleep(Duration::from_secs(2));
    let (exit_after, success) = server.terminate(Duration::from_secs(60));
    let runaway = runaway.join().map(|r| r.status).unwrap_or(0);
    println!("## SIGTERM during a runaway query and a harvest\n");
    println!(
        "Exit {:.0} ms after SIGTERM (bound 10 s), status {}; the runaway query's client got {runaway}.\n",
        exit_after.as_secs_f64() * 1000.0,
        if success { "success" } else { "failure" }
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    println!("# Load and abuse campaign\n");
    queries_section()?;
    load_section()?;
    sigterm_section()?;
    Ok(())
}
