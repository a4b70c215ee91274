//! Golden MQA scores: for every dataset of the DCAT-AP 3.0.0 examples and of the Antwerp
//! export, its statements (cut as ingest cuts a record) validated against the mandatory
//! shapes and scored; one line per dataset with each indicator's points. Refresh with
//! `UPDATE_EXPECT=1`.
//!
//! Reviewed by hand (see `tests/golden/quality/README.md`):
//! - `https://data.exampleMS.gov/id/dataset/1T2p3o4B` (example-ms_catalogue.ttl),
//! - `http://datasets.antwerpen.be/v4/public/gis/openbaartoilet` (antwerpen-datatank-2015.ttl).

mod common;

use std::fmt::Write;

use ldtcat_quality::score::{score, Score};
use ldtcat_quality::{validate, ShapeSet};
use oxrdf::Term;

#[test]
fn dcat_ap_examples_scores() {
    let folder = common::shared_data().join("dcat-ap-3.0.0/examples");
    let mut names: Vec<_> = std::fs::read_dir(&folder)
        .expect("the examples folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "ttl"))
        .collect();
    names.sort();
    let mut text = String::new();
    for path in names {
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let Some(triples) = common::read_turtle(&path, None) else {
            writeln!(text, "# {name}: not valid Turtle, skipped").expect("writes");
            continue;
        };
        writeln!(text, "# {name}").expect("writes");
        text.push_str(&scores_of(&triples));
    }
    expect_test::expect_file!["../../../tests/golden/quality/dcat-ap-examples.txt"]
        .assert_eq(&text);
}

#[test]
fn antwerp_export_scores() {
    let path = common::shared_data().join("catalogues/antwerpen-datatank-2015.ttl");
    let triples = common::read_turtle(&path, None).expect("parses leniently");
    let text = scores_of(&triples);
    expect_test::expect_file!["../../../tests/golden/quality/antwerpen-datatank-2015.txt"]
        .assert_eq(&text);
}

/// One line per dataset: the total, then `id=points` for every indicator (`-` when not
/// measured).
fn scores_of(triples: &[oxrdf::Triple]) -> String {
    let mut text = String::new();
    for dataset in common::datasets(triples) {
        let record = common::record_statements(triples, &dataset);
        let findings = validate(ShapeSet::dcat_ap_mandatory(), &record);
        let result = score(&record, &Term::from(dataset.clone()), &findings, &[]);
        writeln!(text, "{} {}", dataset.as_str(), line(&result)).expect("writes");
    }
    text
}

fn line(result: &Score) -> String {
    let indicators: Vec<String> = result
        .indicators
        .iter()
        .map(|indicator| match indicator.measured {
            true => format!("{}={}", indicator.id, indicator.points),
            false => format!("{}=-", indicator.id),
        })
        .collect();
    format!(
        "total={}/{} {}",
        result.total,
        result.max_measured,
        indicators.join(" ")
    )
}
