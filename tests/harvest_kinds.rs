//! Harvesting the other source kinds over loopback: CKAN's `package_search` (realistic
//! fixtures, served page by page as CKAN does) and a SPARQL endpoint backed by a real SPARQL
//! engine (Oxigraph, in memory) answering CONSTRUCT queries per the SPARQL 1.1 Protocol.

mod common;
#[path = "harvest/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;
#[path = "harvest/server.rs"]
#[allow(dead_code)]
mod server;

use fixtures::run;
use std::sync::{Arc, Mutex};

use ldtcat::catalog::Catalog;
use ldtcat_store::RunStatus;
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use oxrdfio::{RdfFormat, RdfParser, RdfSerializer};
use server::Reply;

fn ckan_fixture() -> serde_json::Value {
    let path = common::repo_root().join("tests/harvest/ckan/package_search_all.json");
    serde_json::from_slice(&std::fs::read(path).expect("fixture")).expect("json")
}

/// Answers `package_search` like CKAN: `rows` packages from `start`, in `id` order.
fn package_search(all: &serde_json::Value, request: &server::Request) -> Reply {
    let start: usize = request
        .param("start")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let rows: usize = request
        .param("rows")
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let results = all["result"]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let page: Vec<serde_json::Value> = results.iter().skip(start).take(rows).cloned().collect();
    let mut answer = all.clone();
    answer["result"]["results"] = serde_json::Value::Array(page);
    Reply::ok(
        "application/json;charset=utf-8",
        serde_json::to_vec(&answer).expect("json"),
    )
}

fn statements_of(catalog: &Catalog, iri: &str) -> String {
    let id = ldtcat_model::record_id(iri);
    let record = catalog.store.record(&id).expect("reads").expect("exists");
    record.triples.iter().map(|t| format!("{t} .\n")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ckan_package_search_pages_map_to_the_expected_dcat_records() {
    let all = ckan_fixture();
    let fixture = all.clone();
    let queries = Arc::new(Mutex::new(Vec::new()));
    let log = queries.clone();
    let server = server::start(move |request| {
        log.lock().expect("lock").push(request.target.clone());
        if !request.target.starts_with("/api/3/action/package_search") {
            return Reply::status(404);
        }
        package_search(&fixture, request)
    })
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = tempfile::tempdir().expect("tempdir");
    let catalog = Arc::new(Catalog::open(dir.path()).expect("opens"));
    let source = fixtures::source_config(
        config.path(),
        "ckan",
        "ckan",
        &server.base,
        "page_size = 2\nincremental = true",
    );
    let report = run(&catalog, &source, false).await;
    assert_eq!(report.status, RunStatus::Success, "{report:#?}");
    assert_eq!(report.pages, 3);
    assert_eq!(report.added, 5, "{report:#?}");
    let requests = queries.lock().expect("lock").clone();
    for request in &requests {
        let decoded =
            url::form_urlencoded::parse(request.split_once('?').expect("query").1.as_bytes())
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>();
        assert!(decoded.contains(&"sort=id asc".to_owned()), "{decoded:?}");
        assert!(
            decoded.iter().all(|p| !p.starts_with("fq=")),
            "a first run is full"
        );
    }

    let base = &server.base;
    let perugia_air = format!("{base}/dataset/0b6e2d7a-1c3f-4e5a-9b8c-7d6e5f4a3b21");
    let statements = statements_of(&catalog, &perugia_air);
    for expected in [
        format!("<{perugia_air}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset>"),
        format!("<{perugia_air}> <http://purl.org/dc/terms/title> \"Qualità dell'aria – centraline Perugia\""),
        format!("<{perugia_air}> <http://www.w3.org/ns/dcat#keyword> \"pm10\""),
        format!("<{perugia_air}> <http://www.w3.org/ns/dcat#theme> <{base}/group/ambiente>"),
        format!("<{perugia_air}> <http://purl.org/dc/terms/publisher> <{base}/organization/comune-di-perugia>"),
        format!("<{base}/organization/comune-di-perugia> <http://xmlns.com/foaf/0.1/name> \"Comune di Perugia\""),
        format!("<{perugia_air}> <http://purl.org/dc/terms/modified> \"2024-05-02T16:03:11.908132Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime>"),
        format!("<{perugia_air}> <http://purl.org/dc/terms/accrualPeriodicity> <http://publications.europa.eu/resource/authority/frequency/HOURLY>"),
        format!("<{perugia_air}> <http://www.w3.org/2002/07/owl#versionInfo> \"2.1\""),
        format!("<{perugia_air}> <http://www.w3.org/ns/dcat#distribution> <{base}/dataset/0b6e2d7a-1c3f-4e5a-9b8c-7d6e5f4a3b21/resource/c3a1e9f0-2b4d-4c6e-8f0a-1b2c3d4e5f60>"),
        "<https://dati.comune.perugia.it/dataset/qualita-aria/misure-2024.csv>".to_owned(),
        "<http://www.iana.org/assignments/media-types/text/csv>".to_owned(),
        // (Oxigraph stores xsd:nonNegativeInteger as xsd:integer.)
        "<http://www.w3.org/ns/dcat#byteSize> \"482113\"^^".to_owned(),
        "<http://purl.org/dc/terms/license> <http://www.opendefinition.org/licenses/cc-by>".to_owned(),
        "<http://www.w3.org/2006/vcard/ns#hasEmail> <mailto:ambiente@comune.perugia.it>".to_owned(),
        "<http://www.w3.org/ns/dcat#startDate> \"2024-01-01\"^^<http://www.w3.org/2001/XMLSchema#date>".to_owned(),
        "\"^^<http://www.opengis.net/ont/geosparql#geoJSONLiteral>".to_owned(),
    ] {
        assert!(statements.contains(&expected), "missing {expected} in\n{statements}");
    }
    // The `uri` extra names the dataset and the resource's `uri` its distribution.
    let antibes = statements_of(&catalog, "https://data.antibes.fr/id/dataset/co2-ecoles");
    assert!(
        antibes.contains("<https://data.antibes.fr/id/distribution/co2-mesures-csv>"),
        "{antibes}"
    );
    assert!(antibes.contains("\"ANTIBES-CO2-001\""), "{antibes}");
    let indexed = catalog.index.num_docs();
    assert_eq!(indexed, 5);

    // The next run is incremental: only packages modified since the last run are asked for,
    // and nothing is deleted.
    let report = run(&catalog, &source, false).await;
    assert_eq!(report.status, RunStatus::Success, "{report:#?}");
    assert!(!report.full);
    let last = queries
        .lock()
        .expect("lock")
        .last()
        .cloned()
        .expect("requests");
    let decoded: String =
        url::form_urlencoded::parse(last.split_once('?').expect("q").1.as_bytes())
            .map(|(k, v)| format!("{k}={v}&"))
            .collect();
    assert!(decoded.contains("fq=metadata_modified:["), "{decoded}");
    assert!(decoded.contains(" TO *]"), "{decoded}");
    assert_eq!(report.tombstoned, 0);
}

/// A SPARQL 1.1 Protocol endpoint (GET `query=`) over an in-memory Oxigraph store.
fn sparql_endpoint(store: Store, request: &server::Request) -> Reply {
    let Some(query) = request.param("query") else {
        return Reply::status(400);
    };
    let results = SparqlEvaluator::new()
        .parse_query(&query)
        .map_err(|e| e.to_string())
        .and_then(|q| q.on_store(&store).execute().map_err(|e| e.to_string()));
    let Ok(QueryResults::Graph(triples)) = results else {
        return Reply::status(400);
    };
    let mut serializer = RdfSerializer::from_format(RdfFormat::NTriples).for_writer(Vec::new());
    for triple in triples {
        let Ok(triple) = triple else {
            return Reply::status(500);
        };
        if serializer.serialize_triple(&triple).is_err() {
            return Reply::status(500);
        }
    }
    match serializer.finish() {
        Ok(body) => Reply::ok("application/n-triples", body),
        Err(_) => Reply::status(500),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sparql_construct_pages_from_a_real_sparql_engine_yield_the_records() {
    let store = Store::new().expect("store");
    let statbel = common::shared_data().join("catalogues/statbel-subset.ttl");
    store
        .load_from_reader(
            RdfParser::from_format(RdfFormat::Turtle).lenient(),
            std::fs::File::open(&statbel).expect("file"),
        )
        .expect("loads");
    let served = store.clone();
    let server = server::start(move |request| {
        if !request.target.starts_with("/sparql?") {
            return Reply::status(404);
        }
        sparql_endpoint(served.clone(), request)
    })
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = tempfile::tempdir().expect("tempdir");
    let catalog = Arc::new(Catalog::open(dir.path()).expect("opens"));
    let source = fixtures::source_config(
        config.path(),
        "endpoint",
        "sparql",
        &server.url("/sparql"),
        "page_size = 4",
    );
    let report = run(&catalog, &source, false).await;
    assert_eq!(report.status, RunStatus::Success, "{report:#?}");
    assert!(report.pages >= 3, "{report:#?}");
    let expected = fixtures::record_iris(&fixtures::records_of(&[statbel]));
    let mut harvested: Vec<String> = catalog
        .store
        .record_ids()
        .expect("ids")
        .iter()
        .filter_map(|id| catalog.store.record_metadata(id).expect("reads"))
        .map(|r| r.iri)
        .collect();
    harvested.sort();
    assert_eq!(harvested, expected);
    assert_eq!(report.added, 10);
    // Unchanged on a second run.
    let report = run(&catalog, &source, false).await;
    assert_eq!(report.status, RunStatus::Success, "{report:#?}");
    assert_eq!((report.added, report.updated, report.unchanged), (0, 0, 10));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_demo_file_source_is_harvested_offline_and_a_web_page_cannot_link_to_a_file() {
    let demo =
        ldtcat_config::load_harvest_file(&common::repo_root().join("harvest-config/demo.toml"))
            .expect("demo config");
    let antibes = demo
        .iter()
        .find(|s| s.id == "antibes")
        .expect("antibes")
        .clone();
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Arc::new(Catalog::open(dir.path()).expect("opens"));
    let report = run(&catalog, &antibes, false).await;
    assert_eq!(report.status, RunStatus::Success, "{report:#?}");
    assert!(report.added > 0, "{report:#?}");

    let local = antibes.url.to_string();
    let server = server::start(move |_| {
        Reply::ok(
            "text/turtle",
            format!("<http://x.test/view> <http://www.w3.org/ns/hydra/core#next> <{local}> ."),
        )
    })
    .await;
    let config = tempfile::tempdir().expect("tempdir");
    let source = fixtures::source_config(config.path(), "web", "dcat", &server.url("/c"), "");
    let report = run(&catalog, &source, false).await;
    assert_eq!(report.status, RunStatus::Partial, "{report:#?}");
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.contains("cannot link to a local file")),
        "{report:#?}"
    );
}
