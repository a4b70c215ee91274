//! The harvester inside the server: cron-scheduled runs, one per source at a time, and a
//! restart during a scheduled run.

mod common;
#[path = "harvest/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;
#[path = "harvest/server.rs"]
#[allow(dead_code)]
mod server;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use fixtures::{page_bytes, paging_triples, records_of, Variant};
use ldtcat::catalog::Catalog;
use ldtcat::service::HarvestService;
use ldtcat_serve::StartRunError;
use ldtcat_store::RunStatus;
use oxrdfio::RdfFormat;
use server::Reply;

fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    for _ in 0..600 {
        if condition() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting until {what}");
}

#[test]
fn a_restart_during_a_scheduled_run_leaves_no_run_running_and_the_next_run_completes() {
    let records = records_of(&[common::shared_data().join("catalogues/statbel-subset.ttl")]);
    let stall = Arc::new(AtomicBool::new(true));
    let server_runtime = tokio::runtime::Runtime::new().expect("runtime");
    let stalling = stall.clone();
    let server = server_runtime.block_on(server::start(move |request| {
        let base = request
            .header("host")
            .map(|h| format!("http://{h}"))
            .unwrap_or_default();
        let page: usize = request
            .param("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1);
        let (own, next) = if page == 1 {
            (&records[..5], Some(format!("{base}/catalog?page=2")))
        } else {
            (&records[5..], None)
        };
        let url = format!("{base}{}", request.target);
        let paging = paging_triples(Variant::PartialCollectionView, &url, next.as_deref());
        let mut reply = Reply::ok("text/turtle", page_bytes(own, &paging, RdfFormat::Turtle));
        if page == 2 && stalling.load(Ordering::SeqCst) {
            reply.delay = Duration::from_secs(60);
        }
        reply
    }));
    let data = tempfile::tempdir().expect("tempdir");
    let config = tempfile::tempdir().expect("tempdir");
    let source = fixtures::source_config(
        config.path(),
        "statbel",
        "dcat",
        &server.url("/catalog"),
        "",
    );
    let mut scheduled = source.clone();
    let every_second = std::fs::read_to_string(&source.config_file)
        .expect("config")
        .replace(
            "[source.options]",
            "schedule = \"* * * * * *\"\n[source.options]",
        );
    std::fs::write(&source.config_file, every_second).expect("config");
    scheduled.schedule = ldtcat_config::load_harvest_file(&source.config_file).expect("loads")[0]
        .schedule
        .clone();
    assert!(scheduled.schedule.is_some());
    let catalog = Arc::new(Catalog::open(data.path()).expect("opens"));

    // First life of the server: the schedule starts a run, which stalls on page 2.
    let first_life = tokio::runtime::Runtime::new().expect("runtime");
    let service = first_life
        .block_on(HarvestService::new(
            catalog.clone(),
            vec![scheduled.clone()],
            2,
        ))
        .expect("service");
    let scheduler = first_life
        .block_on(service.start_scheduler())
        .expect("scheduler");
    wait_until("the scheduled run reaches page 2", || {
        server.request_count() >= 2
    });
    let runs = catalog.store.runs_of_source("statbel", 10).expect("runs");
    assert_eq!(runs.len(), 1, "one run per source at a time: {runs:#?}");
    assert_eq!(runs[0].status, RunStatus::Running);
    assert_eq!(
        service.spawn_run("statbel").err(),
        Some(StartRunError::AlreadyRunning)
    );
    // The process dies: every task stops where it is.
    drop(scheduler);
    first_life.shutdown_background();
    drop(service);

    // Second life: nothing is left running, and the next run completes.
    stall.store(false, Ordering::SeqCst);
    let second_life = tokio::runtime::Runtime::new().expect("runtime");
    let service = second_life
        .block_on(HarvestService::new(catalog.clone(), vec![source], 2))
        .expect("service");
    let runs = catalog.store.runs_of_source("statbel", 10).expect("runs");
    assert!(
        runs.iter().all(|r| r.status != RunStatus::Running),
        "{runs:#?}"
    );
    assert!(runs[0].notes.iter().any(|n| n.contains("interrupted")));
    let handle = service.spawn_run("statbel").expect("starts");
    second_life.block_on(handle).expect("run task");
    let runs = catalog.store.runs_of_source("statbel", 10).expect("runs");
    assert_eq!(runs[0].status, RunStatus::Success, "{runs:#?}");
    assert_eq!(catalog.store.record_ids().expect("ids").len(), 10);
}
