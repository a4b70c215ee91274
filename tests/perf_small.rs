//! The performance suite at a small N (10,000 datasets, `LDTCAT_PERF_SMALL_N` to change it),
//! run by CI to catch regressions in the same figures as `scripts/perf.sh`, without timing
//! thresholds: every measurement must run, every count must be right (all records added,
//! then all unchanged, the 304, no failed request, rows from both SPARQL engines), and the
//! report must hold every figure the targets name.

use std::path::PathBuf;

use ldtcat_perf::generate::Generator;
use ldtcat_perf::peers::Drivers;
use ldtcat_perf::report::{Report, TARGETS};
use ldtcat_perf::shapes::reference_from_file;
use ldtcat_perf::suite::{self, Settings};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_suite_runs_end_to_end_at_small_n_and_reports_every_figure() {
    let n: usize = std::env::var("LDTCAT_PERF_SMALL_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let shared = repo().join("../shared/data/catalogues");
    let references = ["antwerpen-datatank-2015.ttl", "statbel-subset.ttl"]
        .iter()
        .map(|name| reference_from_file(&shared.join(name)).expect("reference"))
        .collect();
    let generator = Generator::new(references).expect("generator");
    let work = tempfile::tempdir().expect("work");
    let python = std::env::var("LDTCAT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo().join(".venv/bin/python"));
    let settings = Settings {
        ldtcat: PathBuf::from(env!("CARGO_BIN_EXE_ldtcat")),
        work: work.path().to_path_buf(),
        page_size: 1_000,
        clients: 50,
        load_seconds: 2.0,
        sparql_repeat: 100,
        rdflib_max_n: n,
        profile: false,
        drivers: Some(Drivers {
            python,
            dir: repo().join("tests/perf"),
        }),
    };
    let mut report = Report::default();
    suite::run(n, &generator, &settings, &mut report).expect("the suite runs");
    assert!(
        report.notes.is_empty(),
        "every engine ran (scripts/setup.sh --perf installs them): {:?}",
        report.notes
    );
    for target in TARGETS {
        let value = report.value(n, target.key);
        assert!(
            value.is_some_and(|v| v.is_finite() && v > 0.0),
            "{} measured: {value:?}",
            target.key
        );
    }
    for key in [
        "raw.parse.records_per_second",
        "raw.bulk_loader.records_per_second",
        "raw.tantivy.records_per_second",
        "rdflib.parse.records_per_second",
        "virtuoso.load.records_per_second",
        "virtuoso.facet.p50_ms",
        "sparql.facet.p50_ms",
        "reharvest_304.seconds",
        "catalog.requests_per_second",
    ] {
        assert!(
            report.value(n, key).is_some_and(f64::is_finite),
            "{key} measured"
        );
    }
    let out = work.path().join("report");
    report.write(&out).expect("writes");
    let markdown = std::fs::read_to_string(out.join("report.md")).expect("report.md");
    assert!(markdown.contains("## Targets at N = ") && markdown.contains(&format!("## N = {n}")));
    let csv = std::fs::read_to_string(out.join("figures.csv")).expect("figures.csv");
    assert_eq!(csv.lines().count(), report.figures.len() + 1);
}
