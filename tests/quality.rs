//! Metadata quality, and values as ldtcat serves them to machines whatever the source wrote:
//!
//! - every record is scored and validated (`ldtcat_quality`): `/api/quality` per record,
//!   per source and for the catalogue, the score in search hits, `sort=quality` and
//!   `min_quality`, the W3C DQV statements in the record's RDF and the record page's section
//!   agree with one another, on the demo federation and the real Antwerp export;
//!
//! - ill-typed literals (`schema:startDate "2014"^^xsd:date`, the value on which CKAN's DCAT
//!   harvester failed when it read ldtcat's `/catalog`) are served well-typed on the record
//!   documents, `/catalog` and SPARQL, the original statement is kept in the record's
//!   provenance, and rdflib finds nothing ill-typed in what is served (while it does in the
//!   source file: the check can fail);
//! - each corrected statement is a finding of its record; a source's quality page and report
//!   give its mean score, ratings, distribution and most frequent findings, and the trend of
//!   its quality across harvest runs (each run records it when it ends);
//! - one format is one facet value (`CSV`, `text/csv` and the EU and IANA IRIs; `JSON_LD` and
//!   `application/ld+json`), and a filter written either way finds the same records.

mod common;
#[path = "harvest/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;
#[path = "harvest/server.rs"]
#[allow(dead_code)]
mod server;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use common::{get_json, get_text as get};
use fixtures::{run, source_config};

use axum::body::Body;
use ldtcat::catalog::Catalog;
use ldtcat_model::literal::well_typed;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Term;
use tower::ServiceExt;

const CORRECTED: &str = "https://w3id.org/ldtcat#correctedStatement";

fn fixture() -> PathBuf {
    common::repo_root().join("tests/fixtures/portals/ill-typed-literals.ttl")
}

fn site(base: &str) -> ldtcat_serve::SiteSettings {
    ldtcat_serve::SiteSettings {
        public_base_url: base.to_owned(),
        ..ldtcat_serve::SiteSettings::default()
    }
}

/// Every literal of a Turtle document about the described resources (not about the
/// CatalogRecord), with its predicate.
fn literals(turtle: &str) -> Vec<(String, oxigraph::model::Literal)> {
    let quads: Vec<oxigraph::model::Quad> = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(turtle.as_bytes())
        .map(|quad| quad.expect("served Turtle parses"))
        .collect();
    let catalog_records: Vec<&oxigraph::model::NamedOrBlankNode> = quads
        .iter()
        .filter(|q| q.object.to_string() == "<http://www.w3.org/ns/dcat#CatalogRecord>")
        .map(|q| &q.subject)
        .collect();
    quads
        .iter()
        .filter(|quad| !catalog_records.contains(&&quad.subject))
        .filter_map(|quad| match &quad.object {
            Term::Literal(literal) => Some((quad.predicate.as_str().to_owned(), literal.clone())),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ill_typed_literals_are_served_well_typed_and_kept_in_provenance() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Catalog::open(dir.path()).expect("opens");
    let summary = common::import(&catalog, &[fixture()], "federal");
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    let ids = catalog.store.record_ids().expect("ids");
    assert_eq!(ids.len(), 2);

    // Binding first, so that the pages' links point at the live server rdflib follows.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let app = ldtcat_serve::router(common::app_state(&catalog, site(&base)));

    // The record documents: every checked literal valid for its datatype, and the issue's
    // value with the datatype it has.
    let mut served = Vec::new();
    for id in &ids {
        served.extend(literals(
            &get(&app, &format!("/resources/{id}"), "text/turtle").await,
        ));
    }
    let ill_typed: Vec<String> = served
        .iter()
        .filter(|(_, literal)| well_typed(literal).is_some())
        .map(|(predicate, literal)| format!("{predicate} {literal}"))
        .collect();
    assert!(ill_typed.is_empty(), "served ill-typed: {ill_typed:?}");
    let value_of = |predicate: &str| -> Vec<String> {
        served
            .iter()
            .filter(|(p, _)| p == predicate)
            .map(|(_, literal)| literal.to_string())
            .collect()
    };
    let xsd = "http://www.w3.org/2001/XMLSchema#";
    assert_eq!(
        value_of("http://schema.org/startDate"),
        [format!("\"2014\"^^<{xsd}gYear>")]
    );
    assert_eq!(
        value_of("http://schema.org/endDate"),
        [format!("\"2016-12\"^^<{xsd}gYearMonth>")]
    );
    assert_eq!(
        value_of("http://schema.org/isAccessibleForFree"),
        ["\"yes\"".to_owned()]
    );
    let mut issued = value_of("http://purl.org/dc/terms/issued");
    issued.sort();
    assert_eq!(
        issued,
        [
            format!("\"2015-01-01\"^^<{xsd}date>"),
            format!("\"2019-03-05T10:00:00\"^^<{xsd}dateTime>"),
        ]
    );
    // Well-typed values are served as they are stored (the store keeps a
    // `nonNegativeInteger` as an integer), the ill-typed size as a string.
    let mut byte_sizes = value_of("http://www.w3.org/ns/dcat#byteSize");
    byte_sizes.sort();
    assert_eq!(
        byte_sizes,
        [
            "\"1.2 MB\"".to_owned(),
            format!("\"20480\"^^<{xsd}integer>")
        ]
    );

    // The originals, in the provenance, through SPARQL as anyone reads them.
    let query = format!("SELECT ?s WHERE {{ GRAPH ?g {{ ?p <{CORRECTED}> ?s }} }}");
    let path = format!(
        "/sparql?query={}",
        form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
    );
    let answer: serde_json::Value =
        serde_json::from_str(&get(&app, &path, "application/sparql-results+json").await)
            .expect("JSON results");
    let originals: Vec<&str> = answer["results"]["bindings"]
        .as_array()
        .expect("bindings")
        .iter()
        .filter_map(|binding| binding["s"]["value"].as_str())
        .collect();
    assert_eq!(originals.len(), 8, "{originals:#?}");
    assert!(
        originals.iter().any(|s| s.ends_with(&format!(
            "<http://schema.org/startDate> \"2014\"^^<{xsd}date>"
        ))),
        "{originals:#?}"
    );
    assert!(
        originals
            .iter()
            .any(|s| s.ends_with(&format!("\" 2015-01-01 \"^^<{xsd}date>"))),
        "{originals:#?}"
    );

    // Nothing ill-typed reaches the store: the same question over every graph.
    let ask = format!(
        "ASK {{ GRAPH ?g {{ ?s ?p ?o FILTER(isLiteral(?o) && datatype(?o) = <{xsd}date> && STRLEN(STR(?o)) = 4) }} }}"
    );
    let path = format!(
        "/sparql?query={}",
        form_urlencoded::byte_serialize(ask.as_bytes()).collect::<String>()
    );
    let answer: serde_json::Value =
        serde_json::from_str(&get(&app, &path, "application/sparql-results+json").await)
            .expect("JSON results");
    assert_eq!(
        answer["boolean"], false,
        "a four-character xsd:date is stored"
    );

    // Each corrected statement is a finding of its record's quality (warnings of their own
    // group, which the score does not count), and a value of the finding facet.
    let mut corrected_findings = 0;
    for id in &ids {
        let quality = get_json(&app, &format!("/api/quality?record={id}")).await;
        for finding in quality["findings"].as_array().expect("findings") {
            if finding["group"] == "corrected" {
                assert_eq!(finding["severity"], "warning", "{finding}");
                assert_eq!(finding["component"], "IllTypedLiteral", "{finding}");
                corrected_findings += 1;
            }
        }
    }
    assert_eq!(corrected_findings, 8);
    let flagged = get_json(
        &app,
        "/api/search?finding=corrected%20dct%3Amodified%20IllTypedLiteral",
    )
    .await;
    assert_eq!(flagged["total"], 1, "{flagged}");

    // The record page says what was corrected, for people.
    let mut pages_with_corrections = 0;
    for id in &ids {
        let page = get(&app, &format!("/resources/{id}"), "text/html").await;
        if page.contains("Corrected values") {
            pages_with_corrections += 1;
        }
        if page.contains("Pendelbewegingen") {
            assert!(page.contains("http://schema.org/startDate"), "{page}");
        }
    }
    assert_eq!(pages_with_corrections, 2);

    // A second import of the same file changes nothing: the corrected description's hash is
    // stable.
    let again = common::import(&catalog, &[fixture()], "federal");
    assert_eq!(
        (again.totals.added, again.totals.updated),
        (0, 0),
        "{:?}",
        again.totals
    );

    // rdflib, as CKAN's DCAT harvester uses it: ill-typed literals in the source file, none
    // in /catalog (followed along hydra:next) nor in the record documents.
    let server = tokio::spawn(ldtcat_serve::serve_with_shutdown(
        listener,
        common::app_state(&catalog, site(&base)),
        std::future::pending(),
    ));
    let source_report = tokio::task::spawn_blocking(|| {
        common::run_python("rdflib_typed.py", &[fixture().display().to_string()])
    })
    .await
    .expect("runs");
    assert!(
        source_report["ill_typed"].as_array().map_or(0, Vec::len) >= 6,
        "rdflib finds the source's ill-typed literals: {source_report}"
    );
    let mut documents = vec![format!("{base}/catalog?page_size=1")];
    documents.extend(ids.iter().map(|id| format!("{base}/resources/{id}.ttl")));
    let served_report =
        tokio::task::spawn_blocking(move || common::run_python("rdflib_typed.py", &documents))
            .await
            .expect("runs");
    assert!(
        served_report["documents"].as_u64().unwrap_or(0) >= 4,
        "{served_report}"
    );
    assert!(
        served_report["literals"].as_u64().unwrap_or(0) > 20,
        "{served_report}"
    );
    assert_eq!(
        served_report["ill_typed"],
        serde_json::json!([]),
        "{served_report}"
    );
    assert_eq!(
        served_report["warnings"],
        serde_json::json!([]),
        "{served_report}"
    );

    // ckanext-dcat's own RDF parser and DCAT-AP 3 profile, as CKAN's DCAT harvester runs
    // them: the source file makes rdflib log its ill-typed literals; the served catalogue,
    // followed page by page with the parser's own `next_page`, gives every dataset with
    // nothing logged and nothing raised.
    let source_parse = tokio::task::spawn_blocking(|| {
        common::run_python(
            "ckanext_dcat_parse.py",
            &["euro_dcat_ap_3".to_owned(), fixture().display().to_string()],
        )
    })
    .await
    .expect("runs");
    assert_eq!(source_parse["datasets"], 2, "{source_parse}");
    assert!(
        source_parse["warnings"].as_array().is_some_and(|w| w
            .iter()
            .any(|w| w.as_str().unwrap_or("").contains("XMLSchema#date"))),
        "ckanext-dcat logs the source's ill-typed dates: {source_parse}"
    );
    let catalogue = format!("{base}/catalog?page_size=1");
    let served_parse = tokio::task::spawn_blocking(move || {
        common::run_python(
            "ckanext_dcat_parse.py",
            &["euro_dcat_ap_3".to_owned(), catalogue],
        )
    })
    .await
    .expect("runs");
    assert_eq!(served_parse["datasets"], 2, "{served_parse}");
    assert!(
        served_parse["documents"].as_u64().unwrap_or(0) >= 2,
        "pages followed: {served_parse}"
    );
    assert_eq!(
        served_parse["errors"],
        serde_json::json!([]),
        "{served_parse}"
    );
    assert_eq!(
        served_parse["warnings"],
        serde_json::json!([]),
        "{served_parse}"
    );
    server.abort();
}

/// Language tags that are not BCP 47 and IRIs with spaces, as RDF/XML exports carry them:
/// served repaired (a locale's `_` read as `-`, an unreadable tag dropped, the space
/// percent-encoded), each a finding of the record, and listed with the corrected values.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_language_tags_and_iris_are_served_repaired_and_flagged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Catalog::open(dir.path()).expect("opens");
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/portals/malformed-tags.rdf");
    let summary = common::import(&catalog, &[file], "portal");
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    let ids = catalog.store.record_ids().expect("ids");
    assert_eq!(ids.len(), 1);
    let id = &ids[0];
    let app = ldtcat_serve::router(common::app_state(&catalog, site("http://localhost")));

    let served = get(
        &app,
        &format!("/resources/{id}.nt"),
        "application/n-triples",
    )
    .await;
    // (Language tags compare without case, BCP 47 says.)
    let lower = served.to_lowercase();
    assert!(lower.contains("\"parkings publics\"@fr-be"), "{served}");
    assert!(lower.contains("\"openbare parkings\"@nl-be"), "{served}");
    assert!(
        served.contains("\"Emplacements et capacit\u{e9} des parkings publics.\" ."),
        "{served}"
    );
    assert!(
        served.contains("<https://data.example.be/files/parkings%20publics.csv>"),
        "{served}"
    );
    for line in served.lines() {
        if let Some((_, tag)) = line.rsplit_once("\"@") {
            let tag = tag.trim_end_matches(" .");
            assert!(
                oxigraph::model::Literal::new_language_tagged_literal("x", tag).is_ok(),
                "{line}"
            );
        }
    }

    let quality = get_json(&app, &format!("/api/quality?record={id}")).await;
    let mut corrected: Vec<(String, String)> = quality["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["group"] == "corrected")
        .map(|f| {
            (
                f["component"].as_str().unwrap_or_default().to_owned(),
                f["path"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    corrected.sort();
    assert_eq!(
        corrected,
        [
            ("LanguageTag".to_owned(), "dct:description".to_owned()),
            ("LanguageTag".to_owned(), "dct:title".to_owned()),
            ("RepairedIri".to_owned(), "dcat:accessURL".to_owned()),
        ],
        "{quality}"
    );
    let flagged = get_json(
        &app,
        "/api/search?finding=corrected%20dct%3Atitle%20LanguageTag",
    )
    .await;
    assert_eq!(flagged["total"], 1, "{flagged}");
    let page = get(&app, &format!("/resources/{id}"), "text/html").await;
    let listed = "dct:title: language tag &#34;fr_be&#34; -&#62; &#34;fr-be&#34; (served repaired)";
    assert!(page.contains(listed), "{listed} in {page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_format_is_one_facet_value() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Catalog::open(dir.path()).expect("opens");
    common::import_demo(&catalog);
    common::import(&catalog, &[fixture()], "federal");
    let app = ldtcat_serve::router(common::app_state(&catalog, site("http://localhost")));

    let json = get_json(&app, "/api/search?page_size=1").await;
    let formats: Vec<(String, String, u64)> = json["facets"]["format"]
        .as_array()
        .expect("format facet")
        .iter()
        .map(|value| {
            (
                value["value"].as_str().unwrap_or_default().to_owned(),
                value["label"].as_str().unwrap_or_default().to_owned(),
                value["count"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let values: Vec<&str> = formats.iter().map(|(value, _, _)| value.as_str()).collect();
    for written_otherwise in ["text/csv", "application/ld+json", "csv"] {
        assert!(!values.contains(&written_otherwise), "{formats:?}");
    }
    let csv = formats
        .iter()
        .find(|(value, _, _)| value == "CSV")
        .expect("CSV");
    assert_eq!(csv.1, "CSV");
    let json_ld = formats
        .iter()
        .find(|(value, _, _)| value == "JSON_LD")
        .expect("JSON-LD");
    assert_eq!(json_ld.1, "JSON-LD");

    // Filtering by any spelling finds the same records as the facet counts.
    for spelling in [
        "CSV",
        "text/csv",
        "http://publications.europa.eu/resource/authority/file-type/CSV",
    ] {
        let path = format!(
            "/api/search?page_size=1&format={}",
            form_urlencoded::byte_serialize(spelling.as_bytes()).collect::<String>()
        );
        let filtered = get_json(&app, &path).await;
        assert_eq!(filtered["total"], csv.2, "format={spelling}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_record_is_scored_and_the_interfaces_agree() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Catalog::open(dir.path()).expect("opens");
    common::import_demo(&catalog);
    let antwerp = common::shared_data().join("catalogues/antwerpen-datatank-2015.ttl");
    common::import(&catalog, &[antwerp], "antwerpen");
    let app = ldtcat_serve::router(common::app_state(&catalog, site("http://localhost")));

    // Every hit has a score; sort=quality orders by it, best first (the demo's records, then
    // the 2015 Antwerp export's, which all score alike).
    let listing = get_json(&app, "/api/search?sort=quality&page_size=100").await;
    let total = listing["total"].as_u64().expect("total");
    assert!(total > 300, "{total}");
    let scores: Vec<u64> = listing["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|hit| hit["quality"].as_u64().expect("every hit is scored"))
        .collect();
    assert!(
        scores.windows(2).all(|pair| pair[0] >= pair[1]),
        "{scores:?}"
    );
    assert!(
        scores.first() > scores.last(),
        "the scores differ: {scores:?}"
    );

    // min_quality keeps exactly the records at or above it.
    let threshold = scores[scores.len() - 1] + 1;
    let at_least = get_json(
        &app,
        &format!("/api/search?min_quality={threshold}&page_size=100"),
    )
    .await;
    for hit in at_least["results"].as_array().expect("results") {
        assert!(hit["quality"].as_u64().expect("scored") >= threshold);
    }
    let reported = at_least["total"].as_u64().expect("total");
    assert_eq!(
        reported,
        scores.iter().filter(|s| **s >= threshold).count() as u64
    );
    assert!(reported < total);
    let refused = app
        .clone()
        .oneshot(
            axum::http::Request::get("/api/search?min_quality=999")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("responds");
    assert_eq!(refused.status(), 400);

    // One record: the API, the hit, the DQV statements and the page say the same score.
    let best = &listing["results"][0];
    let id = best["id"].as_str().expect("id");
    let record = get_json(&app, &format!("/api/quality?record={id}")).await;
    // The hit's score is on the MQA's 405 points, scaled from what was measured.
    assert_eq!(record["mqa_points"], best["quality"], "{record}");
    assert_eq!(
        record["mqa_points"].as_u64(),
        Some(record["score"].as_u64().expect("score") * 405 / 325)
    );
    assert_eq!(record["max"], 405);
    assert_eq!(record["dimensions"].as_array().map(Vec::len), Some(5));
    let indicators = record["indicators"].as_array().expect("indicators");
    let points: u64 = indicators
        .iter()
        .map(|i| i["points"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(record["score"].as_u64(), Some(points));
    assert!(
        indicators.iter().any(|i| i["measured"] == false),
        "network indicators"
    );
    let turtle = get(&app, &format!("/resources/{id}"), "text/turtle").await;
    let graph: Vec<oxigraph::model::Triple> = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(turtle.as_bytes())
        .map(|quad| quad.expect("parses").into())
        .collect();
    let dqv = |local: &str| format!("http://www.w3.org/ns/dqv#{local}");
    let score_measurement = graph
        .iter()
        .find(|t| {
            t.predicate.as_str() == dqv("isMeasurementOf")
                && t.object.to_string() == "<https://w3id.org/ldtcat/quality#score>"
        })
        .map(|t| t.subject.clone())
        .expect("a DQV measurement of the score");
    let value = graph
        .iter()
        .find(|t| t.subject == score_measurement && t.predicate.as_str() == dqv("value"))
        .map(|t| t.object.to_string())
        .expect("its value");
    assert_eq!(
        value,
        format!(
            "\"{}\"^^<http://www.w3.org/2001/XMLSchema#integer>",
            record["score"]
        )
    );
    let page = get(&app, &format!("/resources/{id}"), "text/html").await;
    assert!(page.contains("Metadata quality"));
    assert!(
        page.contains(&format!("<strong>{}</strong> / 325", record["score"])),
        "score on the page"
    );

    // A record that misses a mandatory property: its finding in plain words, on the API and
    // the page.
    let antwerp_listing = get_json(
        &app,
        "/api/search?sort=quality&page_size=1&source=antwerpen",
    )
    .await;
    let antwerp_total = antwerp_listing["total"].as_u64().expect("total");
    let worst_id = antwerp_listing["results"][0]["id"].as_str().expect("id");
    let findings = get_json(&app, &format!("/api/quality?record={worst_id}")).await;
    let mandatory: Vec<&str> = findings["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["group"] == "mandatory")
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(!mandatory.is_empty(), "{findings}");
    let worst_page = get(&app, &format!("/resources/{worst_id}"), "text/html").await;
    let escaped = mandatory[0].replace('<', "&lt;").replace('>', "&gt;");
    assert!(
        worst_page.contains(&escaped) || worst_page.contains(mandatory[0]),
        "{}",
        mandatory[0]
    );

    // A source's report: every record counted once in the ratings and in the distribution,
    // and its most frequent findings.
    let report = get_json(&app, "/api/quality?source=antwerpen").await;
    let total = antwerp_total;
    assert_eq!(report["records"].as_u64(), Some(total));
    assert_eq!(report["scored"].as_u64(), Some(total));
    let rated: u64 = report["ratings"]
        .as_array()
        .expect("ratings")
        .iter()
        .map(|pair| pair[1].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(rated, total, "{report}");
    let distributed: u64 = report["distribution"]
        .as_array()
        .expect("distribution")
        .iter()
        .map(|bucket| bucket["count"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(distributed, total, "{report}");
    let frequent = report["findings"].as_array().expect("findings");
    assert!(!frequent.is_empty());
    assert!(frequent[0]["records"].as_u64().unwrap_or(0) > 0);
    // The mean is the mean of the records' own scores.
    let mut sum = 0;
    for page in 1..=total.div_ceil(100) {
        let listed = get_json(
            &app,
            &format!("/api/search?source=antwerpen&page_size=100&page={page}"),
        )
        .await;
        for hit in listed["results"].as_array().expect("results") {
            sum += hit["quality"].as_u64().expect("scored");
        }
    }
    let mean = report["mean"].as_f64().expect("mean");
    assert!((mean - sum as f64 / total as f64).abs() < 1e-9, "{mean}");
    let whole = get_json(&app, "/api/quality").await;
    assert!(whole["records"].as_u64() > Some(total));

    // The source's quality page: the same figures, each a link to its records.
    let page = get(&app, "/sources/antwerpen/quality", "text/html").await;
    assert!(
        page.contains(&format!("<strong>{mean:.1}</strong>")),
        "{page}"
    );
    let first_finding = frequent[0]["finding"].as_str().expect("finding");
    assert!(page.contains(first_finding), "{page}");
    let finding_link = format!(
        "/search?source=antwerpen&#38;sort=quality&#38;finding={}",
        form_urlencoded::byte_serialize(first_finding.as_bytes()).collect::<String>()
    );
    assert!(page.contains(&finding_link), "{finding_link} in {page}");
    let missing = app
        .clone()
        .oneshot(
            axum::http::Request::get("/sources/no-such-source/quality")
                .header("accept", "text/html")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("responds");
    assert_eq!(missing.status(), 404);
}

/// Each harvest run records its source's quality when it ends: the trend of the source's
/// quality page and of `/api/quality?source=`, newest first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_harvest_run_records_the_sources_quality_for_its_trend() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Arc::new(Catalog::open(&dir.path().join("data")).expect("opens"));
    let original = std::fs::read_to_string(fixture()).expect("fixture");
    // The second run serves the same records with keywords and themes: a better score.
    let improved = format!(
        "{original}\n<https://data.gov.example.be/dataset/census-2011-commuting> \
         <http://www.w3.org/ns/dcat#keyword> \"pendel\"@nl ; \
         <http://www.w3.org/ns/dcat#theme> <http://publications.europa.eu/resource/authority/data-theme/TRAN> .\n\
         <https://data.gov.example.be/dataset/air-quality-stations> \
         <http://www.w3.org/ns/dcat#keyword> \"lucht\"@nl ; \
         <http://www.w3.org/ns/dcat#theme> <http://publications.europa.eu/resource/authority/data-theme/ENVI> .\n"
    );
    let body = Arc::new(Mutex::new(original));
    let served = body.clone();
    let server = server::start(move |_| {
        server::Reply::ok(
            "text/turtle",
            served.lock().expect("body").clone().into_bytes(),
        )
    })
    .await;
    let source = source_config(
        dir.path(),
        "federal",
        "dcat",
        &server.url("/catalog.ttl"),
        "",
    );
    let first = run(&catalog, &source, true).await;
    let before = first
        .quality
        .clone()
        .expect("the run measured the source's quality");
    assert_eq!(before.scored, 2);
    assert_eq!(before.ratings.iter().sum::<u64>(), 2);
    *body.lock().expect("body") = improved;
    let second = run(&catalog, &source, true).await;
    let after = second.quality.clone().expect("measured");
    assert!(
        after.mean > before.mean,
        "{} then {}",
        before.mean,
        after.mean
    );

    // Kept with the runs, newest first, on the API and the page.
    let stored = catalog.store.runs_of_source("federal", 10).expect("runs");
    assert_eq!(stored[0].quality, Some(after.clone()));
    assert_eq!(stored[1].quality, Some(before.clone()));
    let app = ldtcat_serve::router(common::app_state(&catalog, site("http://localhost")));
    let report = get_json(&app, "/api/quality?source=federal").await;
    let trend = report["trend"].as_array().expect("trend");
    assert_eq!(trend.len(), 2, "{report}");
    assert_eq!(trend[0]["mean"].as_f64(), Some(after.mean));
    assert_eq!(trend[1]["mean"].as_f64(), Some(before.mean));
    assert_eq!(trend[0]["run"], second.run_id.as_str());
    let page = get(&app, "/sources/federal/quality", "text/html").await;
    let newer = page.find(&format!("<td>{:.1}</td>", after.mean));
    let older = page.find(&format!("<td>{:.1}</td>", before.mean));
    assert!(
        newer.is_some() && older.is_some() && newer < older,
        "{page}"
    );
}

#[test]
fn the_quality_command_prints_a_sources_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let expected = {
        let catalog = Catalog::open(dir.path()).expect("opens");
        let antwerp = common::shared_data().join("catalogues/antwerpen-datatank-2015.ttl");
        common::import(&catalog, &[antwerp], "antwerpen");
        catalog
            .index
            .quality_report(Some("antwerpen"))
            .expect("report")
    };
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ldtcat"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["quality", "antwerpen"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains(&format!(
            "source antwerpen: {} record(s), {} scored",
            expected.records, expected.scored
        )),
        "{text}"
    );
    let top = &expected.findings[0];
    assert!(
        text.contains(&format!("{:>8}  {}", top.count, top.value)),
        "{text}"
    );
    let unknown = std::process::Command::new(env!("CARGO_BIN_EXE_ldtcat"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["quality", "no-such-source"])
        .output()
        .expect("runs");
    assert!(!unknown.status.success());
}
