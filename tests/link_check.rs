//! The link check (`[source.link_check]`): after a harvest run, the access and download URLs
//! of the source's records are checked over HTTP, politely and only where the operator
//! allows, and the two MQA reachability indicators become measured.
//!
//! Against loopback servers: a URL answering 200 passes; 404 and a timeout fail and are
//! findings in plain words; a server refusing `HEAD` is asked with a ranged `GET`; a URL on a
//! host `link_check.hosts` does not name is never contacted and stays not measured; two
//! requests to one host are at least `delay_ms` apart; the score on the 405 scale, the
//! `finding` facet, `/api/quality`, the record page and its DQV statements all show the
//! checks; a second run does not check again within `recheck_hours`; a later check that finds
//! a URL mended scores its record again.

mod common;
#[path = "harvest/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;
#[path = "harvest/server.rs"]
#[allow(dead_code)]
mod server;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{get_json, get_text as get};
use fixtures::{run, source_config};
use ldtcat::catalog::Catalog;

const DELAY_MS: u64 = 300;

/// A request of the link check: when, method, path, `Range` header.
type Seen = (Instant, String, String, Option<String>);

/// `(measured, passed)` of an indicator in `/api/quality?record=`.
fn indicator(report: &serde_json::Value, id: &str) -> (bool, bool) {
    let found = report["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|i| i["id"] == id)
        .expect("indicator");
    (
        found["measured"].as_bool().expect("measured"),
        found["passed"].as_bool().expect("passed"),
    )
}

fn catalogue(base: &str, elsewhere: &str) -> String {
    format!(
        r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<https://city.example/catalog> a dcat:Catalog ; dcat:dataset <https://city.example/d/ok> , <https://city.example/d/broken> , <https://city.example/d/mixed> .
<https://city.example/d/ok> a dcat:Dataset ; dct:title "Parking"@en ; dct:description "Car parks"@en ;
    dcat:distribution <https://city.example/d/ok/csv> .
<https://city.example/d/ok/csv> a dcat:Distribution ; dcat:accessURL <{base}/ok.csv> ; dcat:downloadURL <{base}/ok.csv> .
<https://city.example/d/broken> a dcat:Dataset ; dct:title "Trees"@en ; dct:description "Street trees"@en ;
    dcat:distribution <https://city.example/d/broken/csv> .
<https://city.example/d/broken/csv> a dcat:Distribution ; dcat:accessURL <{base}/gone.csv> ; dcat:downloadURL <{base}/head-refused.csv> .
<https://city.example/d/mixed> a dcat:Dataset ; dct:title "Noise"@en ; dct:description "Noise map"@en ;
    dcat:distribution <https://city.example/d/mixed/csv> .
<https://city.example/d/mixed/csv> a dcat:Distribution ; dcat:accessURL <{elsewhere}/elsewhere> ; dcat:downloadURL <{base}/slow.csv> .
"#
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_and_download_urls_are_checked_politely_and_scored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Arc::new(Catalog::open(&dir.path().join("data")).expect("opens"));
    // Another server, named in the catalogue as `localhost`: a host the check may not contact.
    let other = server::start(|_| server::Reply::ok("text/plain", "hello")).await;
    let elsewhere = other.base.replace("127.0.0.1", "localhost");
    let checks: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let mended = Arc::new(AtomicBool::new(false));
    let body = Arc::new(Mutex::new(String::new()));
    let (log, served, fixed) = (checks.clone(), body.clone(), mended.clone());
    let city = server::start(move |request| {
        let path = request.target.as_str();
        if path == "/catalog.ttl" {
            return server::Reply::ok("text/turtle", served.lock().expect("body").clone());
        }
        log.lock().expect("log").push((
            Instant::now(),
            request.method.clone(),
            path.to_owned(),
            request.header("range").map(str::to_owned),
        ));
        match (path, request.method.as_str()) {
            ("/ok.csv", _) => server::Reply::ok("text/csv", "a,b\n"),
            ("/gone.csv", _) if fixed.load(Ordering::SeqCst) => {
                server::Reply::ok("text/csv", "a\n")
            }
            ("/gone.csv", _) => server::Reply::status(404),
            ("/head-refused.csv", "HEAD") => server::Reply::status(405),
            ("/head-refused.csv", _) => {
                server::Reply::ok("text/csv", "a").with_header("content-range", "bytes 0-0/1")
            }
            ("/slow.csv", _) => server::Reply {
                delay: Duration::from_secs(3),
                ..server::Reply::ok("text/csv", "a")
            },
            _ => server::Reply::status(500),
        }
    })
    .await;
    *body.lock().expect("body") = catalogue(&city.base, &elsewhere);
    let source = source_config(
        dir.path(),
        "city",
        "dcat",
        &city.url("/catalog.ttl"),
        &format!(
            "\n[source.link_check]\nhosts = [\"127.0.0.1\"]\ndelay_ms = {DELAY_MS}\ntimeout_seconds = 1\n"
        ),
    );
    let first = run(&catalog, &source, true).await;
    assert_eq!(first.status.as_str(), "success", "{first:?}");
    let note = first
        .notes
        .iter()
        .find(|n| n.starts_with("link check:"))
        .unwrap_or_else(|| panic!("{:?}", first.notes));
    assert!(
        note.starts_with("link check: 4 URL(s) checked (2 reachable, 2 not), 0 checked less than the recheck interval ago, 1 on hosts link_check.hosts does not name, 0 left for the next run; 3 record(s) scored again"),
        "{note}"
    );
    assert!(
        first.notes.iter().any(|n| n.contains(
            "localhost is a loopback or private address that link_check.hosts does not name"
        )),
        "{:?}",
        first.notes
    );

    // Never a request to the host that was not named.
    assert_eq!(other.request_count(), 0);
    // HEAD first; a ranged GET where HEAD is refused; one host, one request at a time,
    // `delay_ms` apart.
    let log = checks.lock().expect("log").clone();
    let seen: BTreeMap<&str, Vec<(&str, Option<&str>)>> =
        log.iter()
            .fold(BTreeMap::new(), |mut seen, (_, method, path, range)| {
                seen.entry(path.as_str())
                    .or_default()
                    .push((method.as_str(), range.as_deref()));
                seen
            });
    assert_eq!(seen["/ok.csv"], [("HEAD", None)]);
    assert_eq!(seen["/gone.csv"], [("HEAD", None)]);
    assert_eq!(
        seen["/head-refused.csv"],
        [("HEAD", None), ("GET", Some("bytes=0-0"))]
    );
    assert_eq!(seen["/slow.csv"], [("HEAD", None)]);
    for pair in log.windows(2) {
        let gap = pair[1].0.duration_since(pair[0].0);
        assert!(
            gap >= Duration::from_millis(DELAY_MS - 10),
            "{} then {} after {gap:?}",
            pair[0].2,
            pair[1].2
        );
    }

    let app = ldtcat_serve::router(common::app_state(
        &catalog,
        ldtcat_serve::SiteSettings::default(),
    ));
    let ids: BTreeMap<String, String> = catalog
        .store
        .record_ids_of_source("city")
        .expect("ids")
        .into_iter()
        .map(|id| {
            let record = catalog.store.record(&id).expect("reads").expect("stored");
            (record.iri.rsplit('/').next().expect("name").to_owned(), id)
        })
        .collect();
    let quality = |name: &str| format!("/api/quality?record={}", ids[name]);

    // Every URL answered: both indicators measured and passed, 405 points measured.
    let ok = get_json(&app, &quality("ok")).await;
    assert_eq!(indicator(&ok, "access_url_status"), (true, true));
    assert_eq!(indicator(&ok, "download_url_status"), (true, true));
    assert_eq!(ok["max_measured"], 405);
    // 404 on the access URL; the download URL answered a GET after refusing HEAD.
    let broken = get_json(&app, &quality("broken")).await;
    assert_eq!(indicator(&broken, "access_url_status"), (true, false));
    assert_eq!(indicator(&broken, "download_url_status"), (true, true));
    let messages: Vec<&str> = broken["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["group"] == "links")
        .map(|f| f["message"].as_str().expect("message"))
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].starts_with(&format!(
            "dcat:accessURL {}/gone.csv could not be reached: HTTP 404 (checked ",
            city.base
        )),
        "{messages:?}"
    );
    // The access URL on a host not named is not measured; the download URL timed out.
    let mixed = get_json(&app, &quality("mixed")).await;
    assert_eq!(indicator(&mixed, "access_url_status"), (false, false));
    assert_eq!(indicator(&mixed, "download_url_status"), (true, false));
    assert_eq!(mixed["max_measured"], 355);
    assert!(
        mixed["findings"]
            .to_string()
            .contains("could not be reached: timed out"),
        "{mixed}"
    );

    // The index scores each on the MQA's 405 points, from what was measured of it, and the
    // finding is a facet value.
    for (name, report) in [("ok", &ok), ("broken", &broken), ("mixed", &mixed)] {
        let expected = report["score"].as_u64().expect("score") * 405
            / report["max_measured"].as_u64().expect("max");
        assert_eq!(report["mqa_points"].as_u64(), Some(expected), "{name}");
        let hits = get_json(&app, "/api/search?source=city&sort=quality").await;
        let hit = hits["results"]
            .as_array()
            .expect("results")
            .iter()
            .find(|h| h["id"] == ids[name].as_str())
            .expect("hit");
        assert_eq!(hit["quality"].as_u64(), Some(expected), "{name}");
    }
    let unreachable = get_json(
        &app,
        "/api/search?finding=links%20dcat%3AaccessURL%20Unreachable",
    )
    .await;
    let found: Vec<&str> = unreachable["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|h| h["id"].as_str().expect("id"))
        .collect();
    assert_eq!(found, [ids["broken"].as_str()]);
    // The record page says it in words; the record's RDF measures the indicators (DQV).
    let page = get(&app, &format!("/resources/{}", ids["broken"]), "text/html").await;
    assert!(page.contains("could not be reached: HTTP 404"), "{page}");
    let page = get(
        &app,
        &format!("/resources/{}?lang=fr", ids["broken"]),
        "text/html",
    )
    .await;
    assert!(page.contains("est injoignable : HTTP 404"), "{page}");
    let page = get(
        &app,
        &format!("/resources/{}?lang=de", ids["mixed"]),
        "text/html",
    )
    .await;
    assert!(
        page.contains("ist nicht erreichbar: Zeitüberschreitung"),
        "{page}"
    );
    let metric = "<https://w3id.org/ldtcat/quality#access_url_status>";
    let measured = get(
        &app,
        &format!("/resources/{}", ids["ok"]),
        "application/n-triples",
    )
    .await;
    assert!(measured.contains(metric), "{measured}");
    let unmeasured = get(
        &app,
        &format!("/resources/{}", ids["mixed"]),
        "application/n-triples",
    )
    .await;
    assert!(!unmeasured.contains(metric), "{unmeasured}");

    // A second run within recheck_hours checks nothing again; the checks stand.
    let requests_before = checks.lock().expect("log").len();
    let second = run(&catalog, &source, true).await;
    assert!(
        second.notes.iter().any(|n| n
            .starts_with("link check: 0 URL(s) checked (0 reachable, 0 not), 4 checked less than")),
        "{:?}",
        second.notes
    );
    assert_eq!(checks.lock().expect("log").len(), requests_before);
    let still = get_json(&app, &quality("broken")).await;
    assert_eq!(indicator(&still, "access_url_status"), (true, false));

    // The URL is mended; a check that may recheck everything finds it and scores the record
    // again (and only the records whose outcome changed).
    mended.store(true, Ordering::SeqCst);
    let mut config = source.link_check.clone().expect("link check");
    config.recheck = Duration::ZERO;
    let report = ldtcat::link_check::check_source_links(&catalog, &source, &config)
        .await
        .expect("checks");
    assert_eq!((report.checked, report.reachable), (4, 3), "{report:?}");
    assert_eq!(report.rescored, 1, "{report:?}");
    let mended_report = get_json(&app, &quality("broken")).await;
    assert_eq!(indicator(&mended_report, "access_url_status"), (true, true));
    let unreachable = get_json(
        &app,
        "/api/search?finding=links%20dcat%3AaccessURL%20Unreachable",
    )
    .await;
    assert_eq!(unreachable["total"], 0, "{unreachable}");
}

#[test]
fn the_check_links_command_checks_a_configured_source_and_refuses_another() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::write(
        config.join("sources.toml"),
        "[[source]]\nid = \"plain\"\nkind = \"dcat\"\nurl = \"https://data.example.org/catalog.ttl\"\n",
    )
    .expect("writes");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ldtcat"))
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .args(["check-links", "plain", "--harvest-config"])
        .arg(&config)
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(
        text.contains("source `plain` has no [source.link_check]"),
        "{text}"
    );
}
