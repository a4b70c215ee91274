//! Time per record: every dataset of the shared catalogues and examples, cut as ingest cuts a
//! record, validated against all five DCAT-AP 3.0.0 shape sets and scored, repeated; prints
//! microseconds per record. Run with `cargo bench -p ldtcat-quality` (release).

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::Instant;

use ldtcat_quality::score::score;
use ldtcat_quality::{validate, validate_all, ShapeSet};
use oxrdf::{Term, Triple};

const ROUNDS: usize = 20;

fn main() {
    let records = records();
    let n_triples: usize = records.iter().map(|(_, triples)| triples.len()).sum();
    let sets = [
        ShapeSet::dcat_ap_mandatory(),
        ShapeSet::dcat_ap_recommended(),
        ShapeSet::dcat_ap_range(),
        ShapeSet::dcat_ap_vocabularies(),
        ShapeSet::dcat_ap_deprecated(),
    ];
    let started = Instant::now();
    let mut n_findings = 0;
    for _ in 0..ROUNDS {
        for (record, triples) in &records {
            let findings = validate_all(&sets, triples);
            n_findings += findings.iter().map(Vec::len).sum::<usize>();
            black_box(score(triples, record, &findings[0], &[]));
        }
    }
    let elapsed = started.elapsed();
    let per_record = elapsed.as_secs_f64() * 1e6 / (ROUNDS * records.len()) as f64;
    println!(
        "{} records ({:.0} triples each on average), {ROUNDS} rounds: {per_record:.1} µs per record \
         (5 DCAT-AP shape sets with validate_all, then score), {} findings per round",
        records.len(),
        n_triples as f64 / records.len() as f64,
        n_findings / ROUNDS
    );
    for set in sets {
        let started = Instant::now();
        for _ in 0..ROUNDS {
            for (_, triples) in &records {
                black_box(validate(set, triples));
            }
        }
        let per_record = started.elapsed().as_secs_f64() * 1e6 / (ROUNDS * records.len()) as f64;
        println!("  {}: {per_record:.1} µs per record", set.name());
    }
}

/// Every dataset of the shared files, with its record statements.
fn records() -> Vec<(Term, Vec<Triple>)> {
    let mut records = Vec::new();
    for (path, base) in common::data_files() {
        let Some(triples) = common::read_turtle(&path, base) else {
            continue;
        };
        for dataset in common::datasets(&triples) {
            let statements = common::record_statements(&triples, &dataset);
            records.push((Term::from(dataset), statements));
        }
    }
    records
}
