//! The engine agrees with pyshacl: for every reference data file and every embedded shapes
//! file, the same number of results per (source shape, focus node, constraint component) as
//! pyshacl 0.30 with inference none (`tests/python/shacl_results.py`), on the whole file graph.
//!
//! Blank focus nodes are compared by their sorted `rdf:type` set, blank source shapes by the
//! shape holding them and their path (see the driver's doc). The only differences allowed are
//! those in [`DIFFERENCES`], each with its reason; a listed difference that no longer occurs
//! fails the test too, so the list stays exact.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use ldtcat_quality::{validate, ShapeSet};
use oxrdf::{Term, Triple};

/// A known disagreement: (shapes file, data file, source shape, focus node, component,
/// pyshacl's count, our count).
type Difference = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    usize,
    usize,
);

/// Every disagreement with pyshacl that remains, one per line, with its reason above it.
const DIFFERENCES: &[Difference] = &[];

/// Data files neither rdflib nor our lenient Turtle reader can parse; skipped.
const UNPARSABLE: &[&str] = &[
    // `example-dist:BeePopulation2023/biojson`: a `/` in a prefixed name is not Turtle.
    "example-bee-population-dataset-series-api.ttl",
];

type Counts = BTreeMap<(String, String, String), usize>;

#[test]
fn results_per_shape_focus_and_component_match_pyshacl() {
    let shapes_files: Vec<_> = ldtcat_quality::EMBEDDED_SHAPES
        .iter()
        .map(|(name, _)| *name)
        .collect();
    let data_files = common::data_files();
    let expected = pyshacl_counts(&shapes_files, &data_files);
    let mut mismatches = Vec::new();
    let mut summary = Vec::new();
    for (data_path, base) in &data_files {
        let data_name = file_name(data_path);
        let triples = common::read_turtle(data_path, *base);
        for shapes_name in &shapes_files {
            let key = format!("{shapes_name} {data_name}");
            let Some(theirs) = expected
                .get(&key)
                .unwrap_or_else(|| panic!("driver output lacks {key}"))
            else {
                assert!(
                    UNPARSABLE.contains(&data_name.as_str()),
                    "rdflib cannot parse {data_name}"
                );
                assert!(triples.is_none(), "we parse {data_name}, rdflib does not");
                continue;
            };
            let triples = triples
                .as_ref()
                .unwrap_or_else(|| panic!("{data_name} does not parse"));
            let shapes = ShapeSet::builtin_by_file_name(shapes_name).expect("embedded shapes");
            let ours = our_counts(shapes, triples);
            summary.push(format!("{key}: {} results", theirs.values().sum::<usize>()));
            mismatches.extend(compare(shapes_name, &data_name, theirs, &ours));
        }
    }
    println!("{}", summary.join("\n"));
    let mut unexplained = Vec::new();
    for mismatch in &mismatches {
        if !DIFFERENCES.iter().any(|allowed| same(allowed, mismatch)) {
            unexplained.push(format!("{mismatch:?}"));
        }
    }
    for allowed in DIFFERENCES {
        assert!(
            mismatches.iter().any(|m| same(allowed, m)),
            "listed difference no longer occurs: {allowed:?}"
        );
    }
    assert!(
        unexplained.is_empty(),
        "{} disagreements with pyshacl:\n{}",
        unexplained.len(),
        unexplained.join("\n")
    );
}

/// The SHACL Core features the official shapes do not use (`tests/fixtures/core-features.*`):
/// every target kind, every path kind, and the value, string, language, property-pair,
/// logical and closed constraints.
#[test]
fn the_core_features_fixture_gives_the_same_results_as_pyshacl() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let shapes_path = fixtures.join("core-features.shapes.ttl");
    let data_path = fixtures.join("core-features.data.ttl");
    let expected = run_driver(
        std::slice::from_ref(&shapes_path),
        &[(data_path.clone(), None)],
    );
    let theirs = expected["core-features.shapes.ttl core-features.data.ttl"]
        .as_ref()
        .expect("rdflib parses it");
    let turtle = std::fs::read_to_string(&shapes_path).expect("reads the fixture");
    let shapes = ShapeSet::from_turtle("core-features.shapes.ttl", &turtle).expect("parses");
    assert!(
        shapes.unsupported().is_empty(),
        "{:?}",
        shapes.unsupported()
    );
    let triples = common::read_turtle(&data_path, None).expect("parses");
    let ours = our_counts(&shapes, &triples);
    assert!(
        theirs.values().sum::<usize>() >= 20,
        "the fixture exercises the engine: {theirs:?}"
    );
    let mismatches = compare("core-features", "core-features", theirs, &ours);
    assert!(
        mismatches.is_empty(),
        "disagreements with pyshacl:\n{mismatches:#?}"
    );
}

type Mismatch = (String, String, String, String, String, usize, usize);

fn same(allowed: &Difference, mismatch: &Mismatch) -> bool {
    let (shapes, data, shape, focus, component, theirs, ours) = allowed;
    (*shapes, *data, *shape, *focus, *component, *theirs, *ours)
        == (
            mismatch.0.as_str(),
            mismatch.1.as_str(),
            mismatch.2.as_str(),
            mismatch.3.as_str(),
            mismatch.4.as_str(),
            mismatch.5,
            mismatch.6,
        )
}

fn compare(shapes: &str, data: &str, theirs: &Counts, ours: &Counts) -> Vec<Mismatch> {
    let mut keys: Vec<_> = theirs.keys().chain(ours.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|key| {
            let (their_count, our_count) = (
                theirs.get(key).copied().unwrap_or(0),
                ours.get(key).copied().unwrap_or(0),
            );
            (their_count != our_count).then(|| {
                (
                    shapes.to_owned(),
                    data.to_owned(),
                    key.0.clone(),
                    key.1.clone(),
                    key.2.clone(),
                    their_count,
                    our_count,
                )
            })
        })
        .collect()
}

fn our_counts(shapes: &ShapeSet, triples: &[Triple]) -> Counts {
    let mut counts = Counts::new();
    for finding in validate(shapes, triples) {
        let key = (
            finding.source_shape.clone(),
            node_key(&finding.focus_node, triples),
            finding.component.to_owned(),
        );
        *counts.entry(key).or_default() += 1;
    }
    counts
}

/// The driver's node key: `<iri>`, the N-Triples literal, or `_:` and the sorted types.
fn node_key(node: &Term, triples: &[Triple]) -> String {
    match node {
        Term::NamedNode(iri) => format!("<{}>", iri.as_str()),
        Term::BlankNode(blank) => {
            let mut types: Vec<String> = triples
                .iter()
                .filter(|t| {
                    t.subject.as_ref() == blank.as_ref().into()
                        && t.predicate.as_str().ends_with("#type")
                })
                .filter(|t| {
                    t.predicate.as_str() == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
                })
                .map(|t| t.object.to_string())
                .collect();
            types.sort();
            types.dedup();
            format!("_:{}", types.join(","))
        }
        other => other.to_string(),
    }
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .expect("file name")
        .to_string_lossy()
        .into_owned()
}

/// Runs the driver once over every embedded shapes file and data file.
fn pyshacl_counts(
    shapes_files: &[&str],
    data_files: &[(std::path::PathBuf, Option<&str>)],
) -> BTreeMap<String, Option<Counts>> {
    let shapes_paths: Vec<_> = shapes_files
        .iter()
        .map(|name| common::shapes_dir().join(name))
        .collect();
    run_driver(&shapes_paths, data_files)
}

/// Runs the driver once over every pair; `None` for data rdflib cannot parse.
fn run_driver(
    shapes_paths: &[std::path::PathBuf],
    data_files: &[(std::path::PathBuf, Option<&str>)],
) -> BTreeMap<String, Option<Counts>> {
    let driver = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/python/shacl_results.py");
    let mut command = Command::new(common::python());
    command.arg(driver);
    command.args(shapes_paths);
    command.arg("--");
    for (path, base) in data_files {
        match base {
            Some(base) => command.arg(format!("{}={base}", path.display())),
            None => command.arg(path),
        };
    }
    let output = command.output().expect("runs the pyshacl driver");
    assert!(
        output.status.success(),
        "driver failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("driver prints JSON");
    let object = json.as_object().expect("a JSON object");
    object
        .iter()
        .map(|(key, value)| {
            let counts = value.as_array().map(|rows| {
                rows.iter()
                    .map(|row| {
                        let text = |index: usize| row[index].as_str().expect("a string").to_owned();
                        let count = row[3].as_u64().expect("a count") as usize;
                        ((text(0), text(1), text(2)), count)
                    })
                    .collect()
            });
            (key.clone(), counts)
        })
        .collect()
}
