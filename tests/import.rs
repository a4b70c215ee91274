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
