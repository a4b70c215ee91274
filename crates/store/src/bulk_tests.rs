//! Tests of the bulk path: fresh records bulk-loaded are stored, numbered and read back
//! exactly as the transaction would have written them.

use chrono::{TimeZone, Utc};
use ldtcat_model::extract::{summarize, RecordFacts};
use ldtcat_model::{split_records, RdfDocument, Record, RecordBuilder};
use ldtcat_vocab::RuleSet;
use oxigraph::io::RdfFormat;

use crate::{CatalogStore, RecordWrite, MIN_BULK_RECORDS};

fn datasets(range: std::ops::Range<usize>, title: &str) -> Vec<Record> {
    let rules = RuleSet::builtin().expect("rules");
    let turtle: String = range
        .map(|n| {
            format!(
                "<http://x.org/d/{n}> a <http://www.w3.org/ns/dcat#Dataset> ; \
                 <http://purl.org/dc/terms/title> \"{title} {n}\"@en ; \
                 <http://www.w3.org/ns/dcat#distribution> [ a <http://www.w3.org/ns/dcat#Distribution> ] .\n"
            )
        })
        .collect();
    let document = RdfDocument::from_slice("t", None, RdfFormat::Turtle, turtle.as_bytes());
    let mut builder = RecordBuilder::new(&rules, "s");
    let mut out = Vec::new();
    split_records(&document, &rules, |raw| {
        out.push(builder.build(raw));
        Ok(())
    })
    .expect("splits");
    out
}

fn write(store: &CatalogStore, records: &[Record]) -> crate::WriteOutcome {
    let batch: Vec<RecordWrite<'_>> = records
        .iter()
        .map(|record| RecordWrite {
            record,
            source_id: "s",
            source_url: "http://x.org/",
            origin: None,
            participant: None,
        })
        .collect();
    store.write_records(&batch, written_at()).expect("writes")
}

/// When [`write`] writes.
fn written_at() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
        .single()
        .expect("time")
}

#[test]
fn fresh_records_are_bulk_loaded_complete_and_numbered_in_order() {
    let store = CatalogStore::open_in_memory().expect("store");
    let first = datasets(0..100, "one");
    let outcome = write(&store, &first);
    assert_eq!(outcome.added, 100);
    assert_eq!(outcome.fresh_ids.len(), 100, "all bulk-loaded");
    for record in &first {
        let stored = store.record(&record.id).expect("reads").expect("stored");
        assert_eq!(stored.hash, record.hash);
        assert_eq!(stored.primary_source, "s");
        assert_eq!(stored.provenance.len(), 1);
        let facts = RecordFacts {
            id: &record.id,
            iri: &record.iri,
            kind: record.kind,
            sources: &["s".to_owned()],
            corrections: &record.corrections,
            repairs: &record.repairs,
            links: &[],
        };
        assert_eq!(
            stored.summary(),
            ldtcat_model::summary::RecordSummary {
                changed: Some(written_at()),
                ..summarize(&facts, &record.triples)
            },
            "the summary from memory (changed when written) is the summary from the store"
        );
    }
    let entries = store.feed_after(0, 1_000).expect("feed");
    let numbers: Vec<u64> = entries.iter().map(|e| e.sequence).collect();
    assert_eq!(numbers, (1..=100).collect::<Vec<u64>>());
    assert_eq!(store.last_sequence().expect("counter"), 100);
    let counters = store
        .oxigraph()
        .quads_for_pattern(
            Some(oxigraph::model::NamedNodeRef::new_unchecked("urn:ldtcat:feed").into()),
            None,
            None,
            None,
        )
        .count();
    assert_eq!(counters, 2, "one counter (sequence and time), not two");

    // Delivered again: nothing is written.
    let quads = store.oxigraph().len().expect("len");
    let again = write(&store, &first);
    assert_eq!((again.added, again.unchanged), (0, 100));
    assert_eq!(store.last_sequence().expect("counter"), 100);
    assert_eq!(store.oxigraph().len().expect("len"), quads);

    // A batch of fresh and changed records: the fresh ones are bulk-loaded, the changed ones
    // go through the transaction, and numbering continues without a gap or a repeat.
    let mut mixed = datasets(100..200, "two");
    mixed.extend(datasets(0..10, "changed"));
    let outcome = write(&store, &mixed);
    assert_eq!((outcome.added, outcome.updated), (100, 10));
    assert_eq!(outcome.fresh_ids.len(), 100);
    let entries = store.feed_after(100, 1_000).expect("feed");
    let mut numbers: Vec<u64> = entries.iter().map(|e| e.sequence).collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (101..=210).collect::<Vec<u64>>());
    assert_eq!(store.last_sequence().expect("counter"), 210);
}

#[test]
fn a_record_twice_in_a_batch_is_stored_once_and_few_fresh_records_use_the_transaction() {
    let store = CatalogStore::open_in_memory().expect("store");
    let mut batch = datasets(0..MIN_BULK_RECORDS, "one");
    batch.extend(datasets(5..6, "one"));
    let outcome = write(&store, &batch);
    assert_eq!(outcome.added, MIN_BULK_RECORDS as u64);
    assert_eq!(
        outcome.unchanged, 1,
        "the repeat is compared after the bulk load"
    );
    assert_eq!(store.record_ids().expect("ids").len(), MIN_BULK_RECORDS);

    let few = datasets(1_000..1_010, "few");
    let outcome = write(&store, &few);
    assert_eq!(outcome.added, 10);
    assert!(
        outcome.fresh_ids.is_empty(),
        "below the threshold: one transaction"
    );
}

#[test]
fn a_tombstoned_record_is_not_fresh() {
    let store = CatalogStore::open_in_memory().expect("store");
    let records = datasets(0..100, "one");
    write(&store, &records);
    let gone: Vec<String> = records[..1].iter().map(|r| r.id.clone()).collect();
    store
        .withdraw_source(&gone, "s", Utc::now())
        .expect("withdraws");
    let mut batch = datasets(0..1, "one");
    batch.extend(datasets(500..600, "new"));
    let outcome = write(&store, &batch);
    assert_eq!(outcome.added, 101);
    assert!(!outcome.fresh_ids.contains(&records[0].id));
    let restored = store
        .record(&records[0].id)
        .expect("reads")
        .expect("stored");
    assert!(restored.deleted_at.is_none(), "the tombstone is lifted");
}
