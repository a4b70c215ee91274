//! The `ogcapi-records` source kind over loopback: a Records server that misbehaves on demand
//! (a `next` cycle, a page that is not JSON, a 500 mid-run, a record without an id), and the
//! round trip ldtcat A → its Records API → ldtcat B.

mod common;
#[path = "harvest/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;
#[path = "harvest/server.rs"]
#[allow(dead_code)]
mod server;

use fixtures::run;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

use ldtcat::catalog::Catalog;
use ldtcat_store::RunStatus;
use serde_json::{json, Value};
use server::Reply;

fn fixture_records() -> Vec<Value> {
    let path = common::repo_root().join("tests/records/pygeoapi-records.json");
    serde_json::from_slice(&std::fs::read(path).expect("fixture")).expect("json")
}

const GOOD: u8 = 0;
const CYCLE: u8 = 1;
const NOT_JSON: u8 = 2;
const ERROR_500: u8 = 3;
const NO_ID: u8 = 4;

/// `items` of a Records server, pages of `limit` by `offset`, misbehaving as `mode` says on
/// the second page (or, for a record without id, on the first). In every bad mode the first
/// record's title is revised, to show that what could be read is kept.
fn items(records: &[Value], mode: u8, base: &str, request: &server::Request) -> Reply {
    if !request.target.starts_with("/collections/city/items") {
        return Reply::status(404);
    }
    let offset: usize = request
        .param("offset")
        .and_then(|o| o.parse().ok())
        .unwrap_or(0);
    let limit: usize = request
        .param("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(10);
    if offset > 0 && mode == NOT_JSON {
        return Reply::ok(
            "application/geo+json",
            "<html><body>Service unavailable</body></html>",
        );
    }
    if offset > 0 && mode == ERROR_500 {
        return Reply::status(500);
    }
    let mut page: Vec<Value> = records.iter().skip(offset).take(limit).cloned().collect();
    if mode != GOOD && offset == 0 {
        page[0]["properties"]["title"] = json!("CO2 in a school (revised)");
    }
    if mode == NO_ID && offset == 0 {
        page[1].as_object_mut().expect("object").remove("id");
    }
    let mut links = vec![
        json!({"rel": "self", "type": "application/geo+json", "href": format!("{base}{}", request.target)}),
    ];
    if offset + limit < records.len() {
        let next = if mode == CYCLE && offset > 0 {
            format!("{base}/collections/city/items?limit={limit}")
        } else {
            format!(
                "{base}/collections/city/items?offset={}&limit={limit}",
                offset + limit
            )
        };
        links.push(json!({"rel": "next", "type": "application/geo+json", "href": next}));
    }
    let body = json!({"type": "FeatureCollection", "features": page, "numberMatched": records.len(),
                      "numberReturned": page.len(), "links": links});
    Reply::ok("application/geo+json", body.to_string())
}

fn live_ids(catalog: &Catalog) -> BTreeSet<String> {
    catalog
        .store
        .record_ids()
        .expect("ids")
        .into_iter()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn misbehaving_records_servers_are_reported_delete_nothing_and_keep_the_rest() {
    let records = fixture_records();
    let mode = Arc::new(AtomicU8::new(GOOD));
    let server_mode = mode.clone();
    let base = Arc::new(std::sync::Mutex::new(String::new()));
    let server_base = base.clone();
    let server = server::start(move |request| {
        let base = server_base.lock().expect("lock").clone();
        items(&records, server_mode.load(Ordering::SeqCst), &base, request)
    })
    .await;
    *base.lock().expect("lock") = server.base.clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let config = tempfile::tempdir().expect("tempdir");
    let catalog = Arc::new(Catalog::open(dir.path()).expect("opens"));
    let source = fixtures::source_config(
        config.path(),
        "city",
        "ogcapi-records",
        &format!("{}/collections/city", server.base),
        "page_size = 2",
    );
    let first = run(&catalog, &source, false).await;
    assert_eq!(first.status, RunStatus::Success, "{first:#?}");
    assert_eq!((first.pages, first.added), (3, 5), "{first:#?}");
    let all = live_ids(&catalog);
    assert_eq!(all.len(), 5);
    let revised_id = ldtcat_model::record_id(&format!(
        "{}/collections/city/items/antibes-air-school",
        server.base
    ));
    assert!(
        all.contains(&revised_id),
        "the record URL is the identity without an iri external id"
    );

    for (bad, expected_error) in [
        (CYCLE, "paging cycle"),
        (NOT_JSON, "not JSON"),
        (ERROR_500, "HTTP 500"),
        (NO_ID, "no `id`"),
    ] {
        mode.store(bad, Ordering::SeqCst);
        let report = run(&catalog, &source, false).await;
        assert_ne!(report.status, RunStatus::Success, "mode {bad}: {report:#?}");
        assert!(
            report.errors.iter().any(|e| e.contains(expected_error)),
            "mode {bad}: {:?}",
            report.errors
        );
        assert_eq!(report.tombstoned, 0, "mode {bad}: nothing deleted");
        assert!(
            report.notes.iter().any(|n| n.contains("no deletions")),
            "mode {bad}: {:?}",
            report.notes
        );
        assert_eq!(live_ids(&catalog), all, "mode {bad}: every record stays");
        let kept = catalog
            .store
            .record(&revised_id)
            .expect("reads")
            .expect("present");
        assert!(
            kept.triples
                .iter()
                .any(|t| t.object.to_string().contains("(revised)")),
            "mode {bad}: what was read is kept"
        );
        mode.store(GOOD, Ordering::SeqCst);
        let again = run(&catalog, &source, false).await;
        assert_eq!(
            again.status,
            RunStatus::Success,
            "after mode {bad}: {again:#?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incremental_runs_ask_for_records_updated_since_the_last_run() {
    let records = fixture_records();
    let targets = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = targets.clone();
    let server = server::start(move |request| {
        log.lock().expect("lock").push(request.target.clone());
        items(&records, GOOD, "", request)
    })
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = tempfile::tempdir().expect("tempdir");
    let catalog = Arc::new(Catalog::open(dir.path()).expect("opens"));
    for (id, options, expected) in [
        (
            "by-datetime",
            "page_size = 5\nincremental = true",
            "datetime=",
        ),
        (
            "by-modified",
            "page_size = 5\nincremental = true\nincremental_parameter = \"modified_since\"",
            "modified_since=",
        ),
    ] {
        let source = fixtures::source_config(
            config.path(),
            id,
            "ogcapi-records",
            &format!("{}/collections/city/items", server.base),
            options,
        );
        targets.lock().expect("lock").clear();
        let first = run(&catalog, &source, false).await;
        assert_eq!(first.status, RunStatus::Success, "{first:#?}");
        assert!(
            targets
                .lock()
                .expect("lock")
                .iter()
                .all(|t| !t.contains(expected)),
            "a first run is full"
        );
        targets.lock().expect("lock").clear();
        let second = run(&catalog, &source, false).await;
        assert!(!second.full, "{second:#?}");
        let first_request = targets.lock().expect("lock")[0].clone();
        assert!(first_request.contains(expected), "{first_request}");
        if expected == "datetime=" {
            assert!(
                first_request.contains("%2F.."),
                "an open interval: {first_request}"
            );
        }
    }
}

/// Serves a catalogue on 127.0.0.1 (in the background of `runtime`).
fn serve(runtime: &tokio::runtime::Runtime, catalog: &Catalog) -> String {
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("binds");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let state = common::app_state(
        catalog,
        ldtcat_serve::SiteSettings {
            public_base_url: base.clone(),
            ..ldtcat_serve::SiteSettings::default()
        },
    );
    runtime.spawn(ldtcat_serve::serve_with_shutdown(
        listener,
        state,
        std::future::pending(),
    ));
    base
}

fn get_json(url: &str) -> Value {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let response = reqwest::get(url).await.expect("answers");
        assert!(
            response.status().is_success(),
            "{url}: {}",
            response.status()
        );
        serde_json::from_slice(&response.bytes().await.expect("body")).expect("json")
    })
}

/// What the round trip must keep of a record, comparable across the two catalogues.
fn kept_fields(record: &Value) -> Value {
    let properties = &record["properties"];
    let set = |value: &Value| -> Vec<String> {
        let mut items: Vec<String> = value
            .as_array()
            .map(|a| a.iter().map(Value::to_string).collect())
            .unwrap_or_default();
        items.sort();
        items
    };
    let distribution_links: BTreeSet<String> = record["links"]
        .as_array()
        .expect("links")
        .iter()
        .filter(|l| l["rel"] == "enclosure" || l["rel"] == "related")
        .map(|l| format!("{} {} {}", l["rel"], l["href"], l["type"]))
        .collect();
    let anchors: BTreeSet<String> = record["links"]
        .as_array()
        .expect("links")
        .iter()
        .filter_map(|l| {
            l["anchor"]
                .as_str()
                .map(|a| a.rsplit('/').next().unwrap_or(a).to_owned())
        })
        .collect();
    json!({
        "type": properties["type"],
        "title": properties["title"],
        "description": properties["description"],
        "keywords": set(&properties["keywords"]),
        "themes": set(&properties["themes"]),
        "geometry": record["geometry"],
        "time": record["time"],
        "distribution_links": distribution_links,
        "distributions": anchors.len(),
    })
}

#[test]
fn a_round_trip_through_records_keeps_what_the_records_say() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let dir_a = tempfile::tempdir().expect("tempdir");
    let catalog_a = Catalog::open(dir_a.path()).expect("opens");
    let demo = common::repo_root().join("harvest-config/demo-data");
    for entry in std::fs::read_dir(&demo).expect("demo data") {
        let path = entry.expect("entry").path();
        common::import(&catalog_a, &[path], "demo");
    }
    let examples = common::shared_data().join("dcat-ap-3.0.0/examples");
    for name in [
        "example-bee-population.ttl",
        "example-ms_dataset_data_service.ttl",
    ] {
        common::import(&catalog_a, &[examples.join(name)], "semic");
    }
    let base_a = serve(&runtime, &catalog_a);
    let dir_b = tempfile::tempdir().expect("tempdir");
    let config = tempfile::tempdir().expect("tempdir");
    let catalog_b = Arc::new(Catalog::open(dir_b.path()).expect("opens"));
    let source = fixtures::source_config(
        config.path(),
        "peer-records",
        "ogcapi-records",
        &format!("{base_a}/ogc/collections/catalogue"),
        "page_size = 7",
    );
    let report = runtime.block_on(run(&catalog_b, &source, false));
    assert_eq!(report.status, RunStatus::Success, "{report:#?}");
    let ids_a: BTreeSet<String> = catalog_a
        .store
        .record_ids()
        .expect("ids")
        .into_iter()
        .collect();
    let ids_b: BTreeSet<String> = catalog_b
        .store
        .record_ids()
        .expect("ids")
        .into_iter()
        .collect();
    assert_eq!(ids_a, ids_b, "the resource IRIs (and so the ids) are kept");
    let base_b = serve(&runtime, &catalog_b);
    let mut compared = 0;
    for id in &ids_a {
        let a = get_json(&format!("{base_a}/ogc/collections/catalogue/items/{id}"));
        let b = get_json(&format!("{base_b}/ogc/collections/catalogue/items/{id}"));
        assert_eq!(kept_fields(&b), kept_fields(&a), "record {id}");
        compared += 1;
    }
    assert!(compared >= 20, "{compared}");
}
