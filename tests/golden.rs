//! Golden tests: each reference document gives the expected records, kinds and canonical
//! N-Quads (`tests/golden/<folder>/<file>.nq`). Refresh with `UPDATE_EXPECT=1 cargo test
//! --test golden`.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use ldtcat_model::format::format_for_name;
use ldtcat_model::{split_records, RdfDocument, Record, RecordBuilder};
use ldtcat_vocab::{Kind, RuleSet};

/// Reads a reference document with a fixed base IRI (so the output does not depend on where
/// the checkout is) and renders its records.
fn records_of(path: &Path) -> Vec<Record> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("file name");
    let format = format_for_name(name).expect("known extension");
    let bytes = std::fs::read(path).expect("reference file readable");
    let document = RdfDocument::from_slice(
        name,
        Some(format!("https://example.org/golden/{name}")),
        format,
        &bytes,
    );
    let rules = RuleSet::builtin().expect("rules");
    let mut builder = RecordBuilder::new(&rules, "golden");
    let mut records = Vec::new();
    split_records(&document, &rules, |raw| {
        records.push(builder.build(raw));
        Ok(())
    })
    .expect("reference file imports");
    records.sort_by(|a, b| a.iri.cmp(&b.iri));
    records
}

fn render(records: &[Record]) -> String {
    let mut out = String::new();
    for record in records {
        let _ = writeln!(
            out,
            "# <{}> kind={} rule=<{}> hash={}",
            record.iri, record.kind, record.rule, record.hash
        );
        for line in record.canonical_ntriples.lines() {
            let triple = line.trim_end_matches(" .");
            let _ = writeln!(out, "{triple} <urn:ldtcat:record:{}> .", record.id);
        }
    }
    out
}

fn check(folder: &str, file: &str) -> Vec<Record> {
    let records = records_of(&common::shared_data().join(folder).join(file));
    let expected = Path::new("golden").join(folder).join(format!("{file}.nq"));
    expect_test::expect_file![expected].assert_eq(&render(&records));
    records
}

fn kinds(records: &[Record]) -> Vec<(String, Kind)> {
    records.iter().map(|r| (r.iri.clone(), r.kind)).collect()
}

#[test]
fn dcat_ap_examples() {
    let catalogue = check("dcat-ap-3.0.0/examples", "example-ms_catalogue.ttl");
    assert!(kinds(&catalogue).contains(&(
        "https://data.exampleMS.gov/id/dataset/EAMS-APIplatform".into(),
        Kind::Service
    )));
    for file in [
        "example-bee-population-dataset-series.ttl",
        "example-bee-population.ttl",
        "example-ms_dataset_data_service.ttl",
    ] {
        let records = check("dcat-ap-3.0.0/examples", file);
        assert!(!records.is_empty(), "{file} gives no record");
    }
}

#[test]
fn the_official_series_api_example_is_invalid_turtle_and_is_rejected_with_its_position() {
    let path = common::shared_data()
        .join("dcat-ap-3.0.0/examples/example-bee-population-dataset-series-api.ttl");
    let bytes = std::fs::read(&path).expect("readable");
    let document = RdfDocument::from_slice("series-api.ttl", None, oxrdfio_turtle(), &bytes);
    let rules = RuleSet::builtin().expect("rules");
    let error = split_records(&document, &rules, |_| Ok(())).expect_err("invalid Turtle");
    assert!(
        error.to_string().starts_with("series-api.ttl:20:31:"),
        "{error}"
    );
}

fn oxrdfio_turtle() -> oxrdfio::RdfFormat {
    format_for_name("x.ttl").expect("turtle")
}

#[test]
fn json_ld_with_a_known_remote_context_reads_offline() {
    let records = check("dcat-ap-3.0.0/examples", "example-bee-population.jsonld");
    assert_eq!(records.len(), 1);
    assert_eq!(
        records[0].iri,
        "https://data.gov.gr/id/dataset/BeePopulation"
    );
    assert_eq!(records[0].kind, Kind::Dataset);
    assert!(
        records[0]
            .canonical_ntriples
            .contains("\"Bee population\"@en"),
        "{}",
        records[0].canonical_ntriples
    );
}

#[test]
fn mldcat_ap_model_examples_are_models() {
    for file in [
        "example-machinelearningmodel-eosc.ttl",
        "example-machinelearningmodel-hf-apertus.ttl",
    ] {
        let records = check("mldcat-ap-3.1.0", file);
        let models: Vec<_> = records.iter().filter(|r| r.kind == Kind::Model).collect();
        assert_eq!(models.len(), 1, "{file}: {:?}", kinds(&records));
        assert!(
            models[0].rule.ends_with("/mldcat-model"),
            "{}",
            models[0].rule
        );
    }
    let datasets = check("mldcat-ap-3.1.0", "example-dataset.ttl");
    assert!(
        kinds(&datasets).contains(&("http://openml.org/openml/dataset/31".into(), Kind::Dataset)),
        "{:?}",
        kinds(&datasets)
    );
}

#[test]
fn antwerp_export_gives_326_dataset_records() {
    let records = check("catalogues", "antwerpen-datatank-2015.ttl");
    assert_eq!(records.len(), 326);
    assert!(records.iter().all(|r| r.kind == Kind::Dataset));
    let repaired = records
        .iter()
        .find(|r| r.iri.ends_with("/gis/sociocultureelbord"))
        .expect("the record with the TAB in an IRI is kept");
    assert!(
        repaired.canonical_ntriples.contains("mapServer/271>"),
        "{}",
        repaired.canonical_ntriples
    );
}

#[test]
fn statbel_subset_gives_10_dataset_records() {
    let records = check("catalogues", "statbel-subset.ttl");
    assert_eq!(
        records.iter().filter(|r| r.kind == Kind::Dataset).count(),
        10,
        "{:?}",
        kinds(&records)
    );
}
