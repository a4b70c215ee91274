//! The CKAN-compatible Action API (`/api/3/action/`): golden `package_show` answers for
//! fixture records (the demo federation and the real Antwerp and Statbel exports), CKAN's
//! error shapes for bad input, `package_search` giving `/api/search`'s results for the same
//! filter, ckanapi (a real CKAN client) against a live server, and a second ldtcat
//! harvesting the first through the `ckan` source kind and ending with the same records.

mod common;
#[path = "harvest/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use ldtcat::catalog::Catalog;
use serde_json::Value;
use tower::ServiceExt;

const BASE: &str = "http://catalogue.example.org";
const ANTIBES_SENSORS: &str = "https://data.antibes.example/dataset/classroom-air-sensors";
const ANTIBES_SERVICE: &str = "https://data.antibes.example/service/stellio-ngsi-ld";

fn demo_files() -> Vec<PathBuf> {
    let demo = common::repo_root().join("harvest-config/demo-data");
    let mut files: Vec<PathBuf> = std::fs::read_dir(demo)
        .expect("demo data")
        .map(|entry| entry.expect("entry").path())
        .collect();
    files.sort();
    files
}

/// The demo federation and the two real exports, one source each.
fn fixture_catalog() -> (tempfile::TempDir, Catalog) {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Catalog::open(dir.path()).expect("opens");
    common::import(&catalog, &demo_files(), "demo");
    let catalogues = common::shared_data().join("catalogues");
    common::import(
        &catalog,
        &[catalogues.join("antwerpen-datatank-2015.ttl")],
        "antwerpen",
    );
    common::import(
        &catalog,
        &[catalogues.join("statbel-subset.ttl")],
        "statbel",
    );
    (dir, catalog)
}

fn router(catalog: &Catalog, base: &str) -> axum::Router {
    ldtcat_serve::router(common::app_state(
        catalog,
        ldtcat_serve::SiteSettings {
            public_base_url: base.to_owned(),
            ..ldtcat_serve::SiteSettings::default()
        },
    ))
}

async fn call(router: &axum::Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = router.clone().oneshot(request).await.expect("answers");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let json = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    (status, json)
}

async fn get(router: &axum::Router, uri: &str) -> (StatusCode, Value) {
    call(
        router,
        Request::get(uri).body(Body::empty()).expect("request"),
    )
    .await
}

async fn post(router: &axum::Router, uri: &str, body: &Value) -> (StatusCode, Value) {
    let request = Request::post(uri)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    call(router, request).await
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The times an import stamps (first seen, last change) are not those of the fixture.
fn without_import_times(mut package: Value, catalog: &Catalog) -> Value {
    let id = package["id"].as_str().unwrap_or_default().to_owned();
    let record = catalog
        .store
        .record_metadata(&id)
        .expect("reads")
        .expect("exists");
    let stamped: Vec<String> = [record.issued, record.modified]
        .iter()
        .flatten()
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string())
        .collect();
    let unstamp = |value: &mut Value| {
        if value
            .as_str()
            .is_some_and(|t| stamped.iter().any(|s| s == t))
        {
            *value = Value::String("(import time)".to_owned());
        }
    };
    for key in ["metadata_created", "metadata_modified"] {
        unstamp(&mut package[key]);
    }
    if let Some(resources) = package["resources"].as_array_mut() {
        for resource in resources {
            unstamp(&mut resource["metadata_modified"]);
        }
    }
    package
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn package_show_of_fixture_records_matches_the_golden_files() {
    let (_dir, catalog) = fixture_catalog();
    let router = router(&catalog, BASE);
    let cases = [
        ("antibes-classroom-air-sensors", ANTIBES_SENSORS),
        ("antibes-stellio-service", ANTIBES_SERVICE),
        (
            "antwerpen-museum",
            "http://datasets.antwerpen.be/v4/public/adlib/masopendata",
        ),
        ("statbel-node-1546", "https://statbel.fgov.be/node/1546"),
    ];
    for (golden, iri) in cases {
        let id = ldtcat_model::record_id(iri);
        let (status, answer) = get(&router, &format!("/api/3/action/package_show?id={id}")).await;
        assert_eq!(status, StatusCode::OK, "{iri}: {answer}");
        assert_eq!(answer["success"], true);
        let package = without_import_times(answer["result"].clone(), &catalog);
        let text = serde_json::to_string_pretty(&package).expect("json") + "\n";
        let path = common::repo_root().join(format!("tests/golden/ckan/{golden}.json"));
        expect_test::expect_file![path].assert_eq(&text);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fixture_record_is_a_package_found_by_name_and_by_id_and_its_resources_by_id() {
    let (_dir, catalog) = fixture_catalog();
    let router = router(&catalog, BASE);
    let (_, list) = get(&router, "/api/3/action/package_list").await;
    let names = list["result"].as_array().expect("names").clone();
    let total = catalog.store.stats().expect("stats").records;
    assert_eq!(names.len() as u64, total);
    let mut sorted = names.clone();
    sorted.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    assert_eq!(sorted, names, "package_list is sorted by name");
    for name in names {
        let name = name.as_str().expect("a name");
        let (status, by_name) = get(
            &router,
            &format!("/api/action/package_show?id={}", encode(name)),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{name}");
        let id = by_name["result"]["id"].as_str().expect("id");
        let (_, by_id) = post(
            &router,
            "/api/3/action/package_show",
            &serde_json::json!({"id": id}),
        )
        .await;
        assert_eq!(by_id["result"], by_name["result"]);
        for resource in by_name["result"]["resources"]
            .as_array()
            .expect("resources")
        {
            let resource_id = resource["id"].as_str().expect("resource id");
            let (status, shown) = get(
                &router,
                &format!("/api/3/action/resource_show?id={resource_id}"),
            )
            .await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(&shown["result"], resource);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_ckans_error_shapes_never_a_500() {
    let (_dir, catalog) = fixture_catalog();
    let router = router(&catalog, BASE);
    let (_, all) = get(&router, "/api/3/action/package_search?rows=0").await;
    let total = all["result"]["count"].as_u64().expect("count");
    let cases: &[(&str, u16, &str)] = &[
        ("/api/3/action/no_such_action", 400, "Bad Request"),
        (
            "/api/3/action/package_search?fq=tags:(air",
            409,
            "Search Error",
        ),
        (
            "/api/3/action/package_search?fq=organization:a+OR+groups:b",
            409,
            "Search Error",
        ),
        (
            "/api/3/action/package_search?fq=metadata_modified:[yesterday+TO+*]",
            409,
            "Search Error",
        ),
        (
            "/api/3/action/package_search?fq=num_resources:3",
            409,
            "Search Error",
        ),
        (
            "/api/3/action/package_search?rows=-1",
            409,
            "Validation Error",
        ),
        (
            "/api/3/action/package_search?start=-5",
            409,
            "Validation Error",
        ),
        (
            "/api/3/action/package_search?rows=ten",
            409,
            "Validation Error",
        ),
        (
            "/api/3/action/package_search?sort=views_recent+desc",
            400,
            "Search Query Error",
        ),
        (
            "/api/3/action/package_search?include_private=true",
            403,
            "Authorization Error",
        ),
        ("/api/3/action/package_search?q=%zz", 400, "Bad Request"),
        (
            "/api/3/action/package_show?id=no-such-package",
            404,
            "Not Found Error",
        ),
        ("/api/3/action/package_show", 409, "Validation Error"),
        (
            "/api/3/action/resource_show?id=nope",
            404,
            "Not Found Error",
        ),
        (
            "/api/3/action/organization_show?id=nobody",
            404,
            "Not Found Error",
        ),
        (
            "/api/3/action/group_show?id=nothing",
            404,
            "Not Found Error",
        ),
        ("/api/3/action/package_create", 403, "Authorization Error"),
        (
            "/api/3/action/package_list?limit=-3",
            409,
            "Validation Error",
        ),
        (
            "/api/3/action/help_show?name=nothing_here",
            404,
            "Not Found Error",
        ),
    ];
    for (uri, status, kind) in cases {
        let (got, answer) = get(&router, uri).await;
        assert_eq!(got.as_u16(), *status, "{uri}: {answer}");
        assert_eq!(answer["success"], false, "{uri}");
        assert_eq!(answer["error"]["__type"], *kind, "{uri}: {answer}");
        assert!(answer["error"]["message"].is_string(), "{uri}: {answer}");
        assert!(
            answer["help"]
                .as_str()
                .is_some_and(|h| h.contains("help_show?name=")),
            "{uri}"
        );
    }
    let (status, answer) = post(
        &router,
        "/api/3/action/package_create",
        &serde_json::json!({"name": "x"}),
    )
    .await;
    assert_eq!(
        (status.as_u16(), &answer["error"]["__type"]),
        (403, &Value::from("Authorization Error"))
    );
    let bad_json = Request::post("/api/3/action/package_search")
        .body(Body::from("{rows: 1"))
        .expect("request");
    let (status, answer) = call(&router, bad_json).await;
    assert_eq!(
        (status.as_u16(), answer["success"].clone()),
        (400, Value::Bool(false))
    );

    // rows over ckan.search.rows_max are cut to it; a start past the end is an empty page.
    let (status, huge) = get(&router, "/api/3/action/package_search?rows=1000000000").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        huge["result"]["results"].as_array().map(Vec::len),
        Some(total.min(1000) as usize)
    );
    let (status, beyond) = get(
        &router,
        &format!("/api/3/action/package_search?start={}", total + 10),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(beyond["result"]["count"].as_u64(), Some(total));
    assert_eq!(beyond["result"]["results"], Value::Array(Vec::new()));
    let (status, _) = get(
        &router,
        "/api/3/action/package_search?start=99999999999999999999999",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

/// The ids of `/api/search` for a query string, every page.
async fn api_search_ids(router: &axum::Router, query: &str) -> (u64, Vec<String>) {
    let mut ids = Vec::new();
    let mut total = 0;
    for page in 1.. {
        let (status, answer) = get(
            router,
            &format!("/api/search?{query}&page_size=100&page={page}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{query}: {answer}");
        total = answer["total"].as_u64().expect("total");
        let results = answer["results"].as_array().expect("results");
        ids.extend(
            results
                .iter()
                .map(|r| r["id"].as_str().expect("id").to_owned()),
        );
        if results.len() < 100 {
            break;
        }
    }
    (total, ids)
}

async fn package_search_ids(router: &axum::Router, query: &str) -> (u64, Vec<String>) {
    let mut ids = Vec::new();
    let mut total = 0;
    for start in (0..).step_by(100) {
        let (status, answer) = get(
            router,
            &format!("/api/3/action/package_search?{query}&rows=100&start={start}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{query}: {answer}");
        total = answer["result"]["count"].as_u64().expect("count");
        let results = answer["result"]["results"].as_array().expect("results");
        ids.extend(
            results
                .iter()
                .map(|r| r["id"].as_str().expect("id").to_owned()),
        );
        if results.len() < 100 {
            break;
        }
    }
    (total, ids)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn package_search_gives_the_order_and_total_of_api_search_for_the_same_filter() {
    let (_dir, catalog) = fixture_catalog();
    let router = router(&catalog, BASE);
    let (_, first) = get(&router, "/api/3/action/package_search?rows=1&facet.field=%5B%22organization%22,%22groups%22,%22tags%22,%22res_format%22,%22license_id%22%5D").await;
    let facets = &first["result"]["search_facets"];
    let first_item = |field: &str| {
        facets[field]["items"][0]["name"]
            .as_str()
            .expect("a facet item")
            .to_owned()
    };
    let organization = first_item("organization");
    let publisher = first["result"]["facets"]["organization"]
        .as_object()
        .map(|_| ())
        .and(Some(()));
    assert!(publisher.is_some());
    let (_, orgs) = get(
        &router,
        &format!("/api/3/action/organization_show?id={organization}"),
    )
    .await;
    let publisher_names: Vec<String> = orgs["result"]["extras"][0]["value"]
        .as_str()
        .expect("names")
        .split(", ")
        .map(str::to_owned)
        .collect();
    let (_, groups) = get(
        &router,
        &format!("/api/3/action/group_show?id={}", first_item("groups")),
    )
    .await;
    let themes: Vec<String> = serde_json::from_str(
        groups["result"]["extras"][0]["value"]
            .as_str()
            .expect("themes"),
    )
    .expect("json list");
    let tag = first_item("tags");
    let format = first_item("res_format");
    let licence = first_item("license_id");
    let mut cases: Vec<(String, String)> = vec![
        ("q=data".to_owned(), "q=data".to_owned()),
        (
            "q=data&sort=metadata_modified+desc".to_owned(),
            "q=data&sort=changed".to_owned(),
        ),
        ("sort=title_string+asc".to_owned(), "sort=title".to_owned()),
        ("sort=name+asc".to_owned(), "sort=name".to_owned()),
        ("sort=id+asc".to_owned(), "sort=id".to_owned()),
        (
            format!("fq=tags:{}", encode(&format!("\"{tag}\""))),
            format!("keyword={}", encode(&tag)),
        ),
        (
            format!("fq=res_format:{}", encode(&format!("\"{format}\""))),
            format!("format={}", encode(&format)),
        ),
        (
            format!("fq=license_id:{}", encode(&format!("\"{licence}\""))),
            format!("licence={}", encode(&licence)),
        ),
        ("fq=ldt_kind:model".to_owned(), "kind=model".to_owned()),
        (
            "q=ldt_kind:service+sensor".to_owned(),
            "kind=service&q=sensor".to_owned(),
        ),
        (
            "fq=metadata_modified:[2000-01-01T00:00:00Z+TO+*]&sort=metadata_modified+desc"
                .to_owned(),
            "changed_since=2000-01-01&sort=changed".to_owned(),
        ),
        (
            "fq=ldt_kind:dataset+metadata_modified:[*+TO+2999-12-31T23:59:59Z]".to_owned(),
            "kind=dataset&changed_until=2999-12-31T23:59:59Z".to_owned(),
        ),
        (
            format!("fq=organization:{organization}"),
            publisher_names
                .iter()
                .map(|p| format!("publisher={}", encode(p)))
                .collect::<Vec<_>>()
                .join("&"),
        ),
    ];
    cases.push((
        format!("fq=groups:{}", encode(&first_item("groups"))),
        themes
            .iter()
            .map(|t| format!("theme={}", encode(t)))
            .collect::<Vec<_>>()
            .join("&"),
    ));
    for (ckan, api) in cases {
        let from_ckan = package_search_ids(&router, &ckan).await;
        let from_api = api_search_ids(&router, &api).await;
        assert!(from_ckan.0 > 0, "{ckan} finds something");
        assert_eq!(
            from_ckan, from_api,
            "package_search?{ckan} vs /api/search?{api}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metadata_modified_is_the_change_here_so_incremental_harvesters_see_old_resources_imported_since(
) {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Catalog::open(dir.path()).expect("opens");
    common::import(&catalog, &demo_files(), "demo");
    // The index keeps seconds: the next import starts in a later second than the first.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let since = chrono::Utc::now();
    let antwerp = common::import(
        &catalog,
        &[common::shared_data()
            .join("catalogues")
            .join("antwerpen-datatank-2015.ttl")],
        "antwerpen",
    );
    let router = router(&catalog, BASE);
    let stamp = since.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let (status, answer) = get(
        &router,
        &format!(
            "/api/3/action/package_search?rows=0&fq={}",
            encode(&format!("metadata_modified:[{stamp} TO *]"))
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    // Every Antwerp record says it was modified in 2014 or 2015, yet each is new here.
    assert_eq!(
        answer["result"]["count"].as_u64(),
        Some(antwerp.totals.added),
        "{answer}"
    );
    let (_, newest) = get(
        &router,
        "/api/3/action/current_package_list_with_resources?limit=1",
    )
    .await;
    let package = &newest["result"][0];
    assert!(
        package["metadata_modified"].as_str() >= Some(stamp.trim_end_matches('Z')),
        "{package}"
    );
    let resource_modified = package["extras"]
        .as_array()
        .and_then(|extras| extras.iter().find(|e| e["key"] == "modified"))
        .and_then(|e| e["value"].as_str())
        .unwrap_or_default();
    assert!(resource_modified.starts_with("201"), "{package}");
}

/// A catalogue served on 127.0.0.1 by a real server.
struct Live {
    base: String,
    _runtime: tokio::runtime::Runtime,
}

fn live(catalog: &Catalog) -> Live {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
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
    Live {
        base,
        _runtime: runtime,
    }
}

#[test]
fn ckanapi_pages_shows_lists_and_dumps_everything() {
    let (_dir, catalog) = fixture_catalog();
    let live = live(&catalog);
    let total = catalog.store.stats().expect("stats").records;
    let report = common::run_python("ckanapi_client.py", &[live.base.clone(), "7".to_owned()]);
    assert_eq!(report["count"], total, "{report}");
    assert_eq!(report["collected"], total, "every record once: {report}");
    assert_eq!(report["distinct"], total, "{report}");
    assert_eq!(report["pages"], total.div_ceil(7) + 1, "{report}");
    assert_eq!(report["show_by_name_equals_by_id"], true, "{report}");
    assert_ne!(
        report["name"].as_str().map(|n| n.len()),
        Some(32),
        "a name is not the id"
    );
    assert!(
        report["organizations"]
            .as_array()
            .is_some_and(|o| o.len() > 3),
        "{report}"
    );
    assert!(
        report["groups"].as_array().is_some_and(|g| !g.is_empty()),
        "{report}"
    );
    assert!(report["tags"].as_u64().is_some_and(|t| t > 10), "{report}");
    assert_eq!(report["api_search_total"], total, "{report}");
    assert_eq!(report["dumped"], report["api_search_total"], "{report}");
    assert_eq!(
        report["dumped_distinct"], report["api_search_total"],
        "{report}"
    );
    assert_eq!(report["errors"]["package_show"], "NotFound", "{report}");
    assert_eq!(
        report["errors"]["package_create"], "NotAuthorized",
        "{report}"
    );
}

/// The first licence's IRI, else the text of its chosen label.
fn licence_text(record: &ldtcat_store::StoredRecord) -> Option<String> {
    let description = ldtcat_model::describe::describe(&record.iri, &record.triples);
    let licences = description.all_licences();
    let licence = licences.first()?;
    licence
        .iri
        .clone()
        .or_else(|| ldtcat_model::summary::pick_display(&licence.labels).map(str::to_owned))
}

#[test]
fn a_second_ldtcat_harvesting_the_first_through_the_ckan_kind_ends_with_the_same_records() {
    let (_dir, first) = fixture_catalog();
    let live = live(&first);
    let second_dir = tempfile::tempdir().expect("tempdir");
    let second = Arc::new(Catalog::open(second_dir.path()).expect("opens"));
    let config = tempfile::tempdir().expect("tempdir");
    let source = fixtures::source_config(
        config.path(),
        "first",
        "ckan",
        &live.base,
        "page_size = 100",
    );
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let report = runtime.block_on(async {
        let fetcher =
            ldtcat_harvest::Fetcher::new(ldtcat_harvest::HostPolicy::for_urls([&source.url]))
                .expect("client");
        ldtcat::harvest::run_source(
            second.clone(),
            fetcher,
            source.clone(),
            ldtcat::harvest::RunRequest { force_full: true },
            &|_| {},
        )
        .await
        .expect("a report")
    });
    assert_eq!(
        report.status,
        ldtcat_store::RunStatus::Success,
        "{report:#?}"
    );
    let ids = first.store.record_ids().expect("ids");
    assert_eq!(
        second.store.record_ids().expect("ids"),
        ids,
        "the same record ids (the same IRIs)"
    );
    for id in ids {
        let original = first.store.record(&id).expect("reads").expect("exists");
        let copy = second.store.record(&id).expect("reads").expect("exists");
        let (a, b) = (original.summary(), copy.summary());
        assert_eq!(b.kind, a.kind, "kind of {}", a.iri);
        assert_eq!(b.display_title(), a.display_title(), "title of {}", a.iri);
        assert_eq!(
            b.display_description(),
            a.display_description(),
            "description of {}",
            a.iri
        );
        let keywords = |s: &ldtcat_model::RecordSummary| {
            let mut k: Vec<String> = s.keywords.iter().map(|k| k.value.clone()).collect();
            k.sort();
            k.dedup();
            k
        };
        assert_eq!(keywords(&b), keywords(&a), "keywords of {}", a.iri);
        assert_eq!(b.publishers, a.publishers, "publisher of {}", a.iri);
        assert_eq!(b.themes, a.themes, "themes of {}", a.iri);
        assert_eq!(b.formats, a.formats, "formats of {}", a.iri);
        assert_eq!(b.licences, a.licences, "licences of {}", a.iri);
        assert_eq!(
            licence_text(&copy),
            licence_text(&original),
            "the licence a CKAN client sees of {}",
            a.iri
        );
        let urls = |record: &ldtcat_store::StoredRecord| {
            let description = ldtcat_model::describe::describe(&record.iri, &record.triples);
            let mut urls: Vec<(Option<String>, Vec<String>, Vec<String>)> = description
                .distributions
                .iter()
                .map(|d| {
                    (
                        d.iri.clone(),
                        d.access_urls.clone(),
                        d.download_urls.clone(),
                    )
                })
                .collect();
            urls.sort();
            urls
        };
        let original_urls: Vec<_> = urls(&original)
            .into_iter()
            .map(|(_, a, d)| (a, d))
            .collect();
        let copied_urls: Vec<_> = urls(&copy).into_iter().map(|(_, a, d)| (a, d)).collect();
        assert_eq!(
            copied_urls.len(),
            original_urls.len(),
            "distributions of {}",
            a.iri
        );
        for distribution in &original_urls {
            assert!(
                copied_urls.contains(distribution),
                "{} lost {distribution:?}",
                a.iri
            );
        }
    }
}
