//! Crash safety: `ldtcat import` killed with SIGKILL midway leaves a store that opens, where
//! every record is complete or absent, and a rerun finishes with the full count.

mod common;

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ldtcat::catalog::Catalog;
use ldtcat::synthetic::write_synthetic_turtle;
use ldtcat_model::format::format_for_name;
use ldtcat_model::{split_records, RdfDocument, RecordBuilder};
use ldtcat_vocab::RuleSet;

const N_DATASETS: usize = 30_000;

/// The hash every record must have when complete, computed without the store.
fn expected_hashes(path: &std::path::Path) -> BTreeMap<String, String> {
    let rules = RuleSet::builtin().expect("rules");
    let bytes = std::fs::read(path).expect("read");
    let name = path.display().to_string();
    let format = format_for_name(&name).expect("ttl");
    let base = url::Url::from_file_path(path)
        .expect("absolute")
        .to_string();
    let document = RdfDocument::from_slice(name, Some(base), format, &bytes);
    let mut builder = RecordBuilder::new(&rules, "synthetic");
    let mut hashes = BTreeMap::new();
    split_records(&document, &rules, |raw| {
        let record = builder.build(raw);
        hashes.insert(record.id, record.hash);
        Ok(())
    })
    .expect("parses");
    hashes
}

#[test]
fn sigkill_midway_leaves_every_record_complete_or_absent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data_dir = dir.path().join("data");
    let file = dir.path().join("large.ttl");
    let mut writer = std::io::BufWriter::new(std::fs::File::create(&file).expect("create"));
    write_synthetic_turtle(&mut writer, 0, N_DATASETS, 0).expect("write");
    std::io::Write::flush(&mut writer).expect("flush");
    drop(writer);
    let expected = expected_hashes(&file);
    assert_eq!(expected.len(), N_DATASETS);

    let import = || {
        Command::new(env!("CARGO_BIN_EXE_ldtcat"))
            .args(["import", "--source", "synthetic", "--data-dir"])
            .arg(&data_dir)
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starts ldtcat import")
    };
    let mut child = import();
    // The index-stale marker appears with the first store write: then some batches are in.
    let started = Instant::now();
    let marker = data_dir.join("index-stale");
    while !marker.exists() && started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("reaped");
    assert!(
        !status.success(),
        "the import must have been killed midway, not finished"
    );

    let catalog = Catalog::open(&data_dir).expect("the store opens after SIGKILL");
    let ids = catalog.store.record_ids().expect("ids");
    assert!(
        ids.len() < N_DATASETS,
        "killed midway: {} records",
        ids.len()
    );
    for id in &ids {
        let record = catalog
            .store
            .record(id)
            .expect("read")
            .expect("CatalogRecord present");
        assert!(
            !record.triples.is_empty(),
            "record {id} has a CatalogRecord but no graph"
        );
        assert_eq!(
            Some(&record.hash),
            expected.get(id),
            "record {id} is incomplete"
        );
    }
    let graphs = catalog.store.oxigraph().named_graphs().count();
    assert_eq!(
        graphs,
        ids.len() + usize::from(!ids.is_empty()),
        "no record graph without its CatalogRecord"
    );
    assert_eq!(
        catalog.index.num_docs(),
        ids.len() as u64,
        "the index was rebuilt to match the store"
    );
    drop(catalog);

    let status = import().wait().expect("rerun");
    assert!(status.success());
    let catalog = Catalog::open(&data_dir).expect("opens");
    assert_eq!(
        catalog.store.stats().expect("stats").records,
        N_DATASETS as u64
    );
    assert_eq!(catalog.index.num_docs(), N_DATASETS as u64);
}
