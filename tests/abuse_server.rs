//! The server side of the abuse campaign, against a real `ldtcat serve` process, CI-sized:
//! SIGTERM during a runaway query and a harvest exits within the bound (the run ends
//! interrupted, deleting nothing); oversized inputs on every route are refused at once with
//! flat memory; concurrent clients mixing the routes while a harvest runs in the same process
//! see no error but deliberate 503s, and the harvest completes with the right counts. The
//! full sizes are in `cargo bench -p ldtcat --bench abuse`.

#[path = "abuse/campaign.rs"]
#[allow(dead_code)]
mod campaign;
#[path = "abuse/client.rs"]
#[allow(dead_code)]
mod client;
#[path = "abuse/load.rs"]
#[allow(dead_code)]
mod load;
#[path = "abuse/process.rs"]
#[allow(dead_code)]
mod process;
#[path = "harvest/server.rs"]
#[allow(dead_code)]
mod server;
#[path = "abuse/shapes.rs"]
#[allow(dead_code)]
mod shapes;
#[path = "abuse/source.rs"]
#[allow(dead_code)]
mod source;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ldtcat::catalog::Catalog;
use ldtcat_store::RunStatus;
use process::{import_real_catalogues, ServeProcess};
use source::{start_harvest, synthetic_source, ADMIN_TOKEN};

/// The documented default bound of the shutdown.
const SHUTDOWN_BOUND: Duration = Duration::from_secs(10);

/// One server process at a time: the measures are of CPU, time and memory.
static SERIAL: Mutex<()> = Mutex::new(());

#[test]
fn sigterm_during_a_runaway_query_and_a_harvest_exits_within_the_bound() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let data = tempfile::tempdir().expect("tempdir");
    let config = tempfile::tempdir().expect("tempdir");
    import_real_catalogues(data.path());
    // 50 pages of 100, each answered after 300 ms: the run lasts long past the signal.
    let source = synthetic_source(
        &runtime,
        config.path(),
        5_000,
        100,
        Duration::from_millis(300),
    );
    let mut server = ServeProcess::start(
        data.path(),
        config.path(),
        &["--sparql-timeout", "120", "--admin-token", ADMIN_TOKEN],
    );
    start_harvest(&server);
    let reached = Instant::now();
    while source.request_count() < 3 {
        assert!(
            reached.elapsed() < Duration::from_secs(60),
            "the harvest did not start"
        );
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
    std::thread::sleep(Duration::from_secs(1));
    let (exit_after, success) = server.terminate(SHUTDOWN_BOUND + Duration::from_secs(20));
    let runaway = runaway.join().expect("the runaway query's client returns");
    eprintln!(
        "exit {exit_after:?} after SIGTERM; the runaway query got {}",
        runaway.status
    );
    assert!(
        exit_after < SHUTDOWN_BOUND,
        "exit after {exit_after:?}: {}",
        server.log()
    );
    assert!(success, "the exit status is failure: {}", server.log());
    assert!(
        runaway.status == 503 || runaway.status == 0,
        "{}: {}",
        runaway.status,
        runaway.body
    );

    let catalog = Catalog::open(data.path()).expect("reopens");
    let runs = catalog.store.runs_of_source("synthetic", 5).expect("runs");
    assert_eq!(runs.len(), 1, "{runs:#?}");
    let run = &runs[0];
    assert_eq!(run.status, RunStatus::Failed, "{run:#?}");
    assert!(
        run.errors.iter().any(|e| e.contains("interrupted")),
        "{run:#?}"
    );
    assert_eq!(run.tombstoned, 0);
    assert!(
        run.added > 0,
        "what was read before the signal is kept: {run:#?}"
    );
    let stored = catalog
        .store
        .record_ids_of_source("synthetic")
        .expect("ids")
        .len() as u64;
    assert_eq!(stored, run.added, "the report counts what the store holds");
}

#[test]
fn oversized_inputs_on_every_route_are_refused_at_once_with_flat_memory() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let data = tempfile::tempdir().expect("tempdir");
    let config = tempfile::tempdir().expect("tempdir");
    import_real_catalogues(data.path());
    let server = ServeProcess::start(data.path(), config.path(), &[]);
    let (checks, rss_before, rss_after) = campaign::oversized(&server);
    eprintln!(
        "{}",
        campaign::render_oversized(&checks, rss_before, rss_after)
    );
    let failures: Vec<String> = checks
        .iter()
        .filter(|c| c.reply.status != c.expected || c.reply.took > Duration::from_secs(2))
        .map(|c| {
            format!(
                "{}: {} after {:?}: {}",
                c.what, c.reply.status, c.reply.took, c.reply.body
            )
        })
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(
        rss_after - rss_before < 50.0,
        "RSS grew from {rss_before:.1} to {rss_after:.1} MiB"
    );
    // Each in its route's error shape: JSON for the API, plain text for SPARQL, HTML pages.
    let shape = |what: &str| {
        &checks
            .iter()
            .find(|c| c.what.contains(what))
            .expect(what)
            .reply
    };
    let api = shape("40 kB URI on /api/search");
    assert!(api.body.contains("\"error\""), "{api:?}");
    let page = shape("40 kB URI on /search");
    assert!(page.body.contains("<html"), "{page:?}");
    let sparql = shape("40 kB URI on /sparql");
    assert!(
        sparql
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/plain")),
        "{sparql:?}"
    );
    assert!(shape("/api/compatibility (text/turtle, chunked)")
        .body
        .contains("\"error\""));
}

#[test]
fn concurrent_clients_on_every_route_while_a_harvest_runs_see_no_error() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let clients: usize = std::env::var("LDTCAT_ABUSE_CLIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let seconds: u64 = std::env::var("LDTCAT_ABUSE_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let records: usize = std::env::var("LDTCAT_ABUSE_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3_000);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let data = tempfile::tempdir().expect("tempdir");
    let config = tempfile::tempdir().expect("tempdir");
    import_real_catalogues(data.path());
    let _source = synthetic_source(
        &runtime,
        config.path(),
        records,
        100,
        Duration::from_millis(50),
    );
    let server = ServeProcess::start(data.path(), config.path(), &["--admin-token", ADMIN_TOKEN]);
    let ids: Vec<String> = {
        let reply = client::get(server.address, "/api/search?page_size=100", &[]);
        let json: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
        json["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter_map(|r| r["id"].as_str().map(str::to_owned))
            .collect()
    };
    assert!(!ids.is_empty());
    start_harvest(&server);
    let report = runtime.block_on(load::mixed_load(
        &server.url(""),
        clients,
        Duration::from_secs(seconds),
        Arc::new(ids),
    ));
    let table = load::render(&report);
    eprintln!("{clients} clients for {seconds} s while harvesting {records} records:\n{table}");
    let run = wait_for_run(&server, Duration::from_secs(300));
    eprintln!("harvest: {run}");
    for (route, stats) in &report {
        assert_eq!(stats.errors, 0, "{route}: {:#?}", stats.examples);
        assert!(stats.ok > 0, "{route}: nothing answered");
    }
    assert_eq!(run["status"], "success", "{run}");
    assert_eq!(run["added"].as_u64(), Some(records as u64), "{run}");
    assert_eq!(run["errored"].as_u64(), Some(0), "{run}");
}

/// The last run of `synthetic` once it has ended, from `/api/sources`.
fn wait_for_run(server: &ServeProcess, at_most: Duration) -> serde_json::Value {
    let started = Instant::now();
    loop {
        let reply = client::get(server.address, "/api/sources", &[]);
        let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap_or_default();
        let source = &json["sources"][0];
        if source["running"] == false
            && source["runs"][0]["status"] != "running"
            && source["runs"][0].is_object()
        {
            return source["runs"][0].clone();
        }
        assert!(
            started.elapsed() < at_most,
            "the harvest did not end: {json}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}
