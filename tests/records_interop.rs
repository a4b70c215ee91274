//! OGC API Records against real third-party software (Python tools from
//! `tests/python/requirements.txt`, installed by `scripts/setup.sh --test`):
//!
//! - the official OGC schemas (`../shared/data/ogcapi-records/core/openapi/schemas`) with a
//!   real JSON Schema validator, and the OpenAPI document with openapi-spec-validator;
//! - OWSLib's Records client against a live ldtcat;
//! - pygeoapi serving a Records collection (TinyDB) harvested by the `ogcapi-records` kind.

mod common;
#[path = "harvest/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ldtcat::catalog::Catalog;
use ldtcat::harvest::{run_source, RunRequest};
use ldtcat_harvest::{Fetcher, HostPolicy};
use ldtcat_store::RunStatus;

/// The Python with the test tools: `LDTCAT_PYTHON`, else the checkout's `.venv`.
fn python() -> PathBuf {
    let python = std::env::var("LDTCAT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|_| common::repo_root().join(".venv/bin/python"));
    assert!(
        python.exists(),
        "{} is missing: run scripts/setup.sh --test (or scripts/test.sh) first",
        python.display()
    );
    python
}

fn run_python(script: &str, args: &[String]) -> serde_json::Value {
    let output = Command::new(python())
        .arg(common::repo_root().join("tests/python").join(script))
        .args(args)
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{script} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(&stdout)
        .unwrap_or_else(|error| panic!("{script} printed no JSON ({error}): {stdout}"))
}

/// The demo federation and two DCAT-AP examples, served on 127.0.0.1.
struct Live {
    base: String,
    catalog: Catalog,
    _runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

fn live() -> Live {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Catalog::open(dir.path()).expect("opens");
    for entry in
        std::fs::read_dir(common::repo_root().join("harvest-config/demo-data")).expect("demo")
    {
        common::import(&catalog, &[entry.expect("entry").path()], "demo");
    }
    let examples = common::shared_data().join("dcat-ap-3.0.0/examples");
    for name in [
        "example-bee-population.ttl",
        "example-ms_dataset_data_service.ttl",
        "example-ms_catalogue.ttl",
    ] {
        common::import(&catalog, &[examples.join(name)], "semic");
    }
    common::import(
        &catalog,
        &[common::shared_data().join("catalogues/statbel-subset.ttl")],
        "statbel",
    );
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("binds");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let state = common::app_state(
        &catalog,
        ldtcat_serve::SiteSettings {
            title: "Records test catalogue".to_owned(),
            public_base_url: base.clone(),
            ..ldtcat_serve::SiteSettings::default()
        },
    );
    runtime.spawn(ldtcat_serve::serve_with_shutdown(
        listener,
        state,
        std::future::pending(),
    ));
    Live {
        base,
        catalog,
        _runtime: runtime,
        _dir: dir,
    }
}

fn get_json(url: &str) -> serde_json::Value {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        serde_json::from_slice(
            &reqwest::get(url)
                .await
                .expect("answers")
                .bytes()
                .await
                .expect("body"),
        )
        .expect("json")
    })
}

#[test]
fn every_records_response_validates_against_the_official_schemas() {
    let live = live();
    let (_, ids) = live
        .catalog
        .store
        .record_ids()
        .map(|ids| ((), ids))
        .expect("ids");
    let items = "/ogc/collections/catalogue/items";
    let mut paths: Vec<String> = vec![
        "/ogc".into(),
        "/ogc/conformance".into(),
        "/ogc/collections".into(),
        "/ogc/collections/dataset/queryables".into(),
        "/ogc/collections/model/sortables".into(),
        format!("{items}?q=air,traffic&limit=20"),
        format!("{items}?bbox=7,43,13,48&limit=50"),
        format!("{items}?datetime=2020-01-01/..&sortby=title"),
        format!("{items}?limit=3&language=fr"),
        "!/ogc/collections/catalogue/items?limit=1000000000".into(),
        "!/ogc/collections/catalogue/items?bbox=1,2".into(),
        "!/ogc/collections/catalogue/items?datetime=never".into(),
        "!/ogc/collections/nowhere".into(),
        "!/ogc/collections/catalogue/items/0000".into(),
        "!/ogc/collections?f=xml".into(),
    ];
    for collection in [
        "catalogue",
        "dataset",
        "model",
        "service",
        "workflow",
        "visualisation",
        "output",
        "ldt",
    ] {
        paths.push(format!("/ogc/collections/{collection}"));
        paths.push(format!("/ogc/collections/{collection}?limit=2&after=0"));
        paths.push(format!("/ogc/collections/{collection}/items?limit=100"));
    }
    // Every record, once, and the pages of a walk by the next links.
    for id in &ids {
        paths.push(format!("{items}/{id}"));
    }
    let mut next = Some(format!("{}{items}?limit=10&sortby=id", live.base));
    while let Some(url) = next.take() {
        paths.push(url.trim_start_matches(&live.base).to_owned());
        let page = get_json(&url);
        next = page["links"].as_array().and_then(|links| {
            links
                .iter()
                .find(|l| l["rel"] == "next")
                .and_then(|l| l["href"].as_str())
                .map(str::to_owned)
        });
    }
    let schemas = common::shared_data().join("ogcapi-records/core/openapi");
    let mut args = vec![schemas.display().to_string(), live.base.clone()];
    args.extend(paths);
    let report = run_python("records_schemas.py", &args);
    assert_eq!(report["ok"], true, "{report:#}");
    assert!(
        report["adaptation"]["example_errors_literal"]
            .as_u64()
            .unwrap_or(0)
            > 0,
        "{report:#}"
    );
    assert!(
        report["checked"].as_array().map_or(0, Vec::len) > ids.len() + 20,
        "{report:#}"
    );
}

#[test]
fn owslib_lists_searches_pages_and_fetches_and_counts_what_api_search_counts() {
    let live = live();
    let limit = 7;
    let report = run_python(
        "owslib_records.py",
        &[
            format!("{}/ogc", live.base),
            "catalogue".into(),
            "air quality,traffic".into(),
            "7,43,13,48".into(),
            limit.to_string(),
        ],
    );
    let collections: Vec<&str> = report["record_collections"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|c| c.as_str())
        .collect();
    assert_eq!(collections.len(), 8, "{report}");
    let total = get_json(&format!("{}/api/search?page_size=1", live.base))["total"]
        .as_u64()
        .expect("total");
    assert_eq!(report["paged_ids"].as_u64(), Some(total), "{report}");
    assert_eq!(report["paged_unique"].as_u64(), Some(total), "{report}");
    assert_eq!(report["number_matched"].as_u64(), Some(total), "{report}");
    assert_eq!(
        report["pages"].as_u64(),
        Some(total.div_ceil(limit)),
        "{report}"
    );
    let q_total = get_json(&format!(
        "{}/api/search?page_size=1&q=%22air+quality%22+OR+%22traffic%22",
        live.base
    ))["total"]
        .as_u64();
    assert_eq!(report["q_matched"].as_u64(), q_total, "{report}");
    assert!(report["q_matched"].as_u64().unwrap_or(0) > 0, "{report}");
    let box_total = get_json(&format!(
        "{}/api/search?page_size=1&bbox=7,43,13,48",
        live.base
    ))["total"]
        .as_u64();
    assert_eq!(report["bbox_matched"].as_u64(), box_total, "{report}");
    assert!(report["bbox_matched"].as_u64().unwrap_or(0) > 0, "{report}");
    assert_eq!(report["fetched_has_self"], true, "{report}");
    assert!(
        report["queryables"]
            .as_array()
            .is_some_and(|q| q.iter().any(|n| n == "compatible_with")),
        "{report}"
    );
}

/// pygeoapi, started on a free port, killed when dropped.
struct Pygeoapi {
    child: Child,
    base: String,
    _work: tempfile::TempDir,
}

impl Drop for Pygeoapi {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_pygeoapi() -> Pygeoapi {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("binds")
        .local_addr()
        .expect("address")
        .port();
    let work = tempfile::tempdir().expect("tempdir");
    let child = Command::new(python())
        .arg(common::repo_root().join("tests/python/pygeoapi_records.py"))
        .arg(common::repo_root().join("tests/records/pygeoapi-records.json"))
        .arg(work.path())
        .arg(port.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("pygeoapi starts");
    let base = format!("http://127.0.0.1:{port}");
    let server = Pygeoapi {
        child,
        base,
        _work: work,
    };
    let deadline = Instant::now() + Duration::from_secs(90);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    loop {
        let up = runtime.block_on(async {
            reqwest::get(format!("{}/collections/city-records", server.base))
                .await
                .is_ok_and(|r| r.status().is_success())
        });
        if up {
            return server;
        }
        assert!(
            Instant::now() < deadline,
            "pygeoapi did not start within 90 s"
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

#[test]
fn records_served_by_pygeoapi_are_harvested_with_their_fields() {
    let pygeoapi = start_pygeoapi();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("tempdir");
    let config = tempfile::tempdir().expect("tempdir");
    let catalog = Arc::new(Catalog::open(dir.path()).expect("opens"));
    let source = fixtures::source_config(
        config.path(),
        "pygeoapi",
        "ogcapi-records",
        &format!("{}/collections/city-records", pygeoapi.base),
        "page_size = 2\nincremental = true",
    );
    let harvest = |full: bool| {
        let fetcher = Fetcher::new(HostPolicy::for_urls([&source.url])).expect("client");
        runtime
            .block_on(run_source(
                catalog.clone(),
                fetcher,
                source.clone(),
                RunRequest { force_full: full },
                &|_| {},
            ))
            .expect("report")
    };
    let report = harvest(false);
    assert_eq!(report.status, RunStatus::Success, "{report:#?}");
    assert_eq!((report.added, report.pages), (5, 3), "{report:#?}");
    let stats = catalog.store.stats().expect("stats");
    assert_eq!(stats.records, 5);
    let iri = format!(
        "{}/collections/city-records/items/antibes-air-school",
        pygeoapi.base
    );
    let record = catalog
        .store
        .record(&ldtcat_model::record_id(&iri))
        .expect("reads")
        .expect("present");
    let description = ldtcat_model::describe::describe(&record.iri, &record.triples);
    assert_eq!(
        description.titles[0].value,
        "CO2, temperature and humidity in a school"
    );
    assert_eq!(description.titles[0].lang.as_deref(), Some("en"));
    assert_eq!(description.keywords.len(), 3);
    assert_eq!(
        description.themes[0].reference.iri.as_deref(),
        Some("http://publications.europa.eu/resource/authority/data-theme/ENVI")
    );
    assert_eq!(
        description.themes[0].scheme.as_deref(),
        Some("http://publications.europa.eu/resource/authority/data-theme")
    );
    assert_eq!(
        description.publishers[0].reference.labels[0].value,
        "Ville d'Antibes"
    );
    assert_eq!(description.temporal[0].start.as_deref(), Some("2023-09-01"));
    assert!(description.spatial[0].bbox.is_some());
    let downloads: Vec<&String> = description
        .distributions
        .iter()
        .flat_map(|d| &d.download_urls)
        .collect();
    assert_eq!(
        downloads,
        ["https://data.antibes.example.org/files/air-school.csv"]
    );
    assert_eq!(
        description.licences[0].iri.as_deref(),
        Some("https://creativecommons.org/licenses/by/4.0/")
    );
    let zurich = ldtcat_model::record_id(&format!(
        "{}/collections/city-records/items/zurich-3d-buildings",
        pygeoapi.base
    ));
    assert_eq!(
        catalog
            .store
            .record(&zurich)
            .expect("reads")
            .expect("present")
            .kind,
        ldtcat_vocab::Kind::Visualisation
    );
    // An incremental run asks pygeoapi for records updated since the first run: none.
    let incremental = harvest(false);
    assert_eq!(incremental.status, RunStatus::Success, "{incremental:#?}");
    assert!(!incremental.full);
    assert_eq!(
        (
            incremental.added,
            incremental.updated,
            incremental.unchanged
        ),
        (0, 0, 0),
        "{incremental:#?}"
    );
}
