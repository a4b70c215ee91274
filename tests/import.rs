//! Importing real files into a catalogue on disk: counts, idempotence, reindex, failures.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use ldtcat::catalog::Catalog;
use ldtcat_index::{FacetField, FacetFilter, SearchRequest, SortOrder};
use ldtcat_vocab::Kind;

fn antwerp() -> PathBuf {
    common::shared_data().join("catalogues/antwerpen-datatank-2015.ttl")
}

#[test]
fn antwerp_imports_326_datasets_and_reports_the_repair() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Catalog::open(dir.path()).expect("opens");
    let summary = common::import(&catalog, &[antwerp()], "antwerpen");
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    assert_eq!(summary.totals.records, 326);
    assert_eq!(summary.totals.added, 326);
    assert!(
        summary.totals.parse.repaired >= 1,
        "the TAB inside an IRI is reported as repaired"
    );
    assert!(
        summary.render().contains("repaired"),
        "{}",
        summary.render()
    );
    let stats = catalog.store.stats().expect("stats");
    assert_eq!(stats.records, 326);
    assert_eq!(stats.by_kind.get(&Kind::Dataset), Some(&326));
    assert_eq!(catalog.index.num_docs(), 326);
}

#[test]
fn importing_the_same_file_twice_writes_nothing_the_second_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Catalog::open(dir.path()).expect("opens");
    let files = [
        common::shared_data().join("catalogues/statbel-subset.ttl"),
        antwerp(),
    ];
    let first = common::import(&catalog, &files, "be");
    assert_eq!(first.totals.added, 336);
    let quads_before = catalog.store.oxigraph().len().expect("len");
    let some_id = catalog.store.record_ids().expect("ids")[0].clone();
    let before = catalog
        .store
        .record_metadata(&some_id)
        .expect("read")
        .expect("exists");
    let docs_before = catalog.index.num_docs();

    let second = common::import(&catalog, &files, "be");
    assert_eq!(
        (
            second.totals.added,
            second.totals.updated,
            second.totals.unchanged
        ),
        (0, 0, 336)
    );
    assert_eq!(catalog.store.oxigraph().len().expect("len"), quads_before);
    let after = catalog
        .store
        .record_metadata(&some_id)
        .expect("read")
        .expect("exists");
    assert_eq!(
        after, before,
        "an unchanged record's CatalogRecord is not rewritten (not even lastSeen)"
    );
    assert_eq!(catalog.index.num_docs(), docs_before);
}

#[test]
fn the_same_records_from_a_second_source_add_provenance_not_copies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Catalog::open(dir.path()).expect("opens");
    let statbel = common::shared_data().join("catalogues/statbel-subset.ttl");
    common::import(&catalog, std::slice::from_ref(&statbel), "statbel");
    let again = common::import(&catalog, &[statbel], "mirror");
    assert_eq!((again.totals.added, again.totals.updated), (0, 10));
    let stats = catalog.store.stats().expect("stats");
    assert_eq!(stats.records, 10);
    let id = catalog.store.record_ids().expect("ids")[0].clone();
    let record = catalog
        .store
        .record_metadata(&id)
        .expect("read")
        .expect("exists");
    assert_eq!(
        record.primary_source, "statbel",
        "the first source keeps precedence"
    );
    let sources: Vec<_> = record
        .provenance
        .iter()
        .map(|p| p.source_id.as_str())
        .collect();
    assert_eq!(sources, ["mirror", "statbel"]);
}

fn search_fingerprint(catalog: &Catalog) -> Vec<String> {
    let requests = [
        SearchRequest {
            text: "gis".into(),
            limit: 50,
            ..SearchRequest::default()
        },
        SearchRequest {
            text: "bevolking".into(),
            limit: 50,
            ..SearchRequest::default()
        },
        SearchRequest {
            text: String::new(),
            filters: vec![FacetFilter {
                field: FacetField::Source,
                value: "statbel".into(),
            }],
            sort: SortOrder::Title,
            limit: 50,
            ..SearchRequest::default()
        },
    ];
    requests
        .iter()
        .map(|request| {
            let results = catalog.index.search(request).expect("search");
            format!(
                "{} {:?} {:?}",
                results.total,
                results.hits.iter().map(|h| &h.id).collect::<Vec<_>>(),
                results.facets
            )
        })
        .collect()
}

#[test]
fn reindex_reproduces_identical_search_results() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Catalog::open(dir.path()).expect("opens");
    common::import(&catalog, &[antwerp()], "antwerpen");
    common::import(
        &catalog,
        &[common::shared_data().join("catalogues/statbel-subset.ttl")],
        "statbel",
    );
    let before = search_fingerprint(&catalog);
    assert_eq!(catalog.reindex().expect("reindex"), 336);
    assert_eq!(search_fingerprint(&catalog), before);
}

#[test]
fn a_document_with_a_syntax_error_names_file_line_column_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Catalog::open(dir.path()).expect("opens");
    common::import(
        &catalog,
        &[common::shared_data().join("catalogues/statbel-subset.ttl")],
        "statbel",
    );
    let quads = catalog.store.oxigraph().len().expect("len");
    let broken = dir.path().join("broken.ttl");
    std::fs::write(
        &broken,
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<https://x.example/a> a dcat:Dataset .\n<https://x.example/b> a dcat:Dataset ;\n  dcat:keyword \"unterminated .\n",
    )
    .expect("write");
    let summary = common::import(&catalog, &[broken], "broken");
    assert_eq!(summary.failed.len(), 1);
    let message = &summary.failed[0].1;
    assert!(message.contains("broken.ttl:4:"), "{message}");
    assert_eq!(catalog.store.oxigraph().len().expect("len"), quads);
    assert_eq!(catalog.index.num_docs(), 10);
}

#[test]
fn mldcat_apertus_example_with_a_relative_iri_imports_as_a_model() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Catalog::open(dir.path()).expect("opens");
    let file =
        common::shared_data().join("mldcat-ap-3.1.0/example-machinelearningmodel-hf-apertus.ttl");
    let summary = common::import(&catalog, &[file], "hf");
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    assert_eq!(
        catalog
            .store
            .stats()
            .expect("stats")
            .by_kind
            .get(&Kind::Model),
        Some(&1)
    );
}

#[test]
fn the_demo_federation_covers_all_six_kinds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Catalog::open(dir.path()).expect("opens");
    let demo = common::repo_root().join("harvest-config/demo-data");
    let files = ldtcat::import::collect_documents(&[demo]).expect("files");
    let summary = common::import(&catalog, &files, "demo");
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    assert_eq!(summary.totals.parse.dropped, 0);
    let kinds: BTreeSet<Kind> = catalog
        .store
        .stats()
        .expect("stats")
        .by_kind
        .keys()
        .copied()
        .collect();
    assert_eq!(kinds, Kind::ALL.into_iter().collect());
}

#[test]
fn the_stats_command_prints_what_each_index_field_costs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let expected = {
        let catalog = Catalog::open(dir.path()).expect("opens");
        common::import(&catalog, &[antwerp()], "antwerpen");
        catalog.index.space().expect("measured")
    };
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ldtcat"))
        .arg("--data-dir")
        .arg(dir.path())
        .arg("stats")
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("records: 326"), "{text}");
    assert!(
        text.contains(&format!("in {} segment(s)", expected.segments)),
        "{text}"
    );
    // One line per field that costs a byte, the largest first, with its parts.
    let field_lines: Vec<&str> = text
        .lines()
        .skip_while(|line| !line.trim_start().starts_with("field "))
        .skip(1)
        .collect();
    assert_eq!(field_lines.len(), expected.fields.len(), "{text}");
    assert!(field_lines[0].contains(&expected.fields[0].field), "{text}");
    assert!(
        field_lines
            .iter()
            .any(|line| line.trim_start().starts_with("all_text ")),
        "{text}"
    );
}

/// One dataset of the staleness test's source, in its first or second version.
fn harbour_catalogue(title: &str, theme: &str) -> String {
    format!(
        r#"@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://port.example.org/dataset/noise> a dcat:Dataset ;
    dct:title "{title}"@en ;
    dct:description "Sound levels on the quays."@en ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/{theme}> .
<https://port.example.org/dataset/berths> a dcat:Dataset ;
    dct:title "Harbour berths"@en ;
    dct:description "Where ships moor."@en ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/TRAN> .
"#
    )
}

/// `GET path` with extra headers: status, ETag, Last-Modified and body.
async fn validated_get(
    app: &axum::Router,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, String, String, String) {
    let mut request = axum::http::Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(axum::body::Body::empty()).expect("request");
    let (status, headers, body) = common::send_for_headers(app, request).await;
    let header = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    (
        status.as_u16(),
        header("etag"),
        header("last-modified"),
        body,
    )
}

#[test]
fn a_reimport_is_served_by_the_next_request_with_new_validators() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Catalog::open(&dir.path().join("data")).expect("opens");
    let file = dir.path().join("port.ttl");
    std::fs::write(&file, harbour_catalogue("Harbour noise", "ENVI")).expect("write");
    common::import(&catalog, std::slice::from_ref(&file), "port");
    let app = ldtcat_serve::router(common::app_state(
        &catalog,
        ldtcat_serve::SiteSettings::default(),
    ));
    let noise = ldtcat_model::record::record_id("https://port.example.org/dataset/noise");
    let paths = [
        (format!("/resources/{noise}"), "text/html"),
        (format!("/resources/{noise}"), "text/turtle"),
        ("/catalog?page_size=10".to_owned(), "text/turtle"),
        ("/api/search?q=harbour".to_owned(), "application/json"),
        ("/search?q=harbour".to_owned(), "text/html"),
    ];
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let before: Vec<(u16, String, String, String)> = paths
        .iter()
        .map(|(path, accept)| {
            let first = runtime.block_on(validated_get(&app, path, &[("accept", accept)]));
            assert_eq!(first.0, 200, "{path}");
            assert!(
                !first.1.is_empty() && !first.2.is_empty(),
                "{path}: {first:?}"
            );
            // Asked again (the search from the cache): the same answer, a 304 on either
            // validator, and a full answer for a date before it.
            let again = runtime.block_on(validated_get(&app, path, &[("accept", accept)]));
            assert_eq!(
                (&again.1, &again.2, &again.3),
                (&first.1, &first.2, &first.3),
                "{path}"
            );
            let by_date = [("accept", *accept), ("if-modified-since", first.2.as_str())];
            let revalidated = runtime.block_on(validated_get(&app, path, &by_date));
            assert_eq!((revalidated.0, revalidated.3.as_str()), (304, ""), "{path}");
            assert_eq!(
                (&revalidated.1, &revalidated.2),
                (&first.1, &first.2),
                "{path}"
            );
            let earlier = [
                ("accept", *accept),
                ("if-modified-since", "Mon, 01 Jan 2024 00:00:00 GMT"),
            ];
            assert_eq!(
                runtime.block_on(validated_get(&app, path, &earlier)).0,
                200,
                "{path}"
            );
            // If-None-Match decides when both are sent.
            let both = [
                ("accept", *accept),
                ("if-modified-since", first.2.as_str()),
                ("if-none-match", "\"other\""),
            ];
            assert_eq!(
                runtime.block_on(validated_get(&app, path, &both)).0,
                200,
                "{path}"
            );
            first
        })
        .collect();
    let counts: serde_json::Value = serde_json::from_str(&before[3].3).expect("JSON");
    assert_eq!(counts["total"], 2);
    assert_eq!(counts["facets"]["theme"].as_array().map(Vec::len), Some(2));

    std::fs::write(&file, harbour_catalogue("Harbour noise levels", "TRAN")).expect("write");
    let summary = common::import(&catalog, &[file], "port");
    assert_eq!(summary.totals.updated, 1);
    for ((path, accept), old) in paths.iter().zip(&before) {
        let (status, tag, modified, body) =
            runtime.block_on(validated_get(&app, path, &[("accept", accept)]));
        assert_eq!(status, 200, "{path}");
        assert_ne!(tag, old.1, "{path}: a new tag");
        assert!(body.contains("Harbour noise levels"), "{path}: {body}");
        let old_date = httpdate::parse_http_date(&old.2).expect("date");
        let new_date = httpdate::parse_http_date(&modified).expect("date");
        assert!(new_date > old_date, "{path}: {} then {modified}", old.2);
        for stale in [
            ("if-none-match", old.1.as_str()),
            ("if-modified-since", old.2.as_str()),
        ] {
            let asked = runtime.block_on(validated_get(&app, path, &[("accept", accept), stale]));
            assert_eq!(asked.0, 200, "{path}: {stale:?} names the old answer");
        }
    }
    let counts = runtime.block_on(validated_get(&app, "/api/search?q=harbour", &[]));
    let counts: serde_json::Value = serde_json::from_str(&counts.3).expect("JSON");
    let themes = counts["facets"]["theme"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(themes.len(), 1, "{themes:?}");
    assert_eq!(themes[0]["count"], 2);
}
