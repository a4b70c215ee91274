//! Import and search benchmark: `cargo bench -p ldtcat --bench import`.
//!
//! Generates N synthetic multilingual DCAT-AP datasets (about 30 statements each, N from
//! `LDTCAT_BENCH_N`, default 100,000), then measures in one process: import of new records,
//! re-import of the unchanged file, peak RSS, store and index size on disk, and search
//! latency (p50, p99) over a mix of queries. Prints a Markdown table.

mod common;

use std::time::Instant;

use common::{bench_n, disk_mib, peak_rss_mib, percentile, write_synthetic_file};

use ldtcat::catalog::Catalog;
use ldtcat::import::import_files;
use ldtcat_index::{FacetField, FacetFilter, SearchRequest};

fn main() -> anyhow::Result<()> {
    let n = bench_n();
    let work = tempfile::tempdir()?;
    let file = work.path().join("catalogue.ttl");
    write_synthetic_file(&file, n)?;
    let file_mib = disk_mib(&file);
    // Splitting alone (parse, records, hashes; no store, no index), for the memory breakdown.
    let rules = ldtcat_vocab::RuleSet::builtin()?;
    let document = ldtcat::import::file_document(&file, None, None)?;
    let mut builder = ldtcat_model::RecordBuilder::new(&rules, "bench");
    let started = Instant::now();
    let mut split_count = 0u64;
    ldtcat_model::split_records(&document, &rules, |raw| {
        std::hint::black_box(builder.build(raw));
        split_count += 1;
        Ok(())
    })?;
    let split_seconds = started.elapsed().as_secs_f64();
    let rss_after_split = peak_rss_mib();
    assert_eq!(split_count, n as u64);

    let catalog = Catalog::open(&work.path().join("data"))?;
    let files = [file.clone()];

    let started = Instant::now();
    let first = import_files(&catalog, &files, "bench", None, None, &|_| {})?;
    let new_seconds = started.elapsed().as_secs_f64();
    let rss_after_new = peak_rss_mib();
    assert_eq!(first.totals.added, n as u64, "{}", first.render());

    let started = Instant::now();
    let second = import_files(&catalog, &files, "bench", None, None, &|_| {})?;
    let unchanged_seconds = started.elapsed().as_secs_f64();
    assert_eq!(second.totals.unchanged, n as u64, "{}", second.render());
    catalog.store.flush()?;

    println!("| figure | value |\n|---|---|");
    println!("| datasets (N) | {n} |");
    println!(
        "| generated Turtle | {file_mib:.0} MiB, {} statements |",
        first.totals.parse.statements
    );
    println!(
        "| import, new records | {:.0} records/s ({new_seconds:.1} s) |",
        n as f64 / new_seconds
    );
    println!(
        "| import, unchanged records | {:.0} records/s ({unchanged_seconds:.1} s) |",
        n as f64 / unchanged_seconds
    );
    println!("| split only (parse, records, hashes; no writes) | {:.0} records/s ({split_seconds:.1} s), peak RSS {rss_after_split:.0} MiB |", n as f64 / split_seconds);
    println!("| peak RSS after the first import | {rss_after_new:.0} MiB |");
    println!("| peak RSS overall | {:.0} MiB |", peak_rss_mib());
    println!(
        "| store on disk | {:.0} MiB |",
        disk_mib(&work.path().join("data/store"))
    );
    println!(
        "| index on disk | {:.0} MiB |",
        disk_mib(&work.path().join("data/index"))
    );
    let queries: Vec<SearchRequest> = vec![
        SearchRequest {
            text: "parking".into(),
            ..SearchRequest::default()
        },
        SearchRequest {
            text: "qualité air".into(),
            ..SearchRequest::default()
        },
        SearchRequest {
            text: "Luftqualitätsmessungen Zürich".into(),
            ..SearchRequest::default()
        },
        SearchRequest {
            text: "sensor".into(),
            filters: vec![FacetFilter {
                field: FacetField::Theme,
                value: "http://publications.europa.eu/resource/authority/data-theme/ENVI".into(),
            }],
            ..SearchRequest::default()
        },
        SearchRequest::default(),
    ];
    let mut latencies = Vec::new();
    for round in 0..200 {
        for query in &queries {
            let mut query = query.clone();
            query.offset = (round % 5) * 20;
            let started = Instant::now();
            let results = catalog.index.search(&query)?;
            latencies.push(started.elapsed());
            assert!(results.total > 0, "no hit for {:?}", query.text);
        }
    }
    latencies.sort();
    println!(
        "| search latency, {} queries with facets | p50 {:.2} ms, p99 {:.2} ms |",
        latencies.len(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99)
    );
    Ok(())
}
