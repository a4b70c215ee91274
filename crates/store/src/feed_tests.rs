//! Tests of the feed order and of precedence by hop count, on an in-memory store.

use chrono::{TimeZone, Utc};
use ldtcat_model::{split_records, RdfDocument, Record, RecordBuilder};
use ldtcat_vocab::RuleSet;
use oxigraph::io::RdfFormat;

use crate::{CatalogStore, Origin, RecordWrite};

fn records(turtle: &str) -> Vec<Record> {
    let rules = RuleSet::builtin().expect("rules");
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

fn dataset(n: usize, title: &str) -> Record {
    let turtle = format!(
        "<http://x.org/d/{n}> a <http://www.w3.org/ns/dcat#Dataset> ; \
         <http://purl.org/dc/terms/title> \"{title}\" ."
    );
    records(&turtle).remove(0)
}

fn write(store: &CatalogStore, record: &Record, source_id: &str, origin: Option<&Origin>) {
    let batch = [RecordWrite {
        record,
        source_id,
        source_url: "http://x.org/",
        origin,
        participant: None,
    }];
    let now = Utc
        .with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
        .single()
        .expect("time");
    store.write_records(&batch, now).expect("writes");
}

fn sequences(store: &CatalogStore, after: u64, limit: usize) -> Vec<(u64, bool)> {
    store
        .feed_after(after, limit)
        .expect("reads")
        .into_iter()
        .map(|entry| (entry.sequence, entry.deleted))
        .collect()
}

#[test]
fn every_change_gets_the_next_sequence_number_and_unchanged_writes_none() {
    let store = CatalogStore::open_in_memory().expect("store");
    let first: Vec<Record> = (0..3).map(|n| dataset(n, "one")).collect();
    for record in &first {
        write(&store, record, "s", None);
    }
    assert_eq!(store.last_sequence().expect("reads"), 3);
    write(&store, &first[1], "s", None);
    assert_eq!(
        store.last_sequence().expect("reads"),
        3,
        "unchanged: no stamp"
    );
    write(&store, &dataset(1, "two"), "s", None);
    assert_eq!(
        sequences(&store, 0, 10),
        [(1, false), (3, false), (4, false)]
    );
    let now = Utc::now();
    store
        .withdraw_source(&[first[0].id.clone()], "s", now)
        .expect("withdraws");
    assert_eq!(
        sequences(&store, 0, 10),
        [(3, false), (4, false), (5, true)]
    );
    assert_eq!(sequences(&store, 3, 1), [(4, false)]);
    assert_eq!(sequences(&store, 5, 10), []);
    let times: Vec<_> = store
        .feed_after(0, 10)
        .expect("reads")
        .into_iter()
        .map(|e| e.changed_at.expect("time"))
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
}

#[test]
fn pages_cross_buckets_and_skip_records_that_moved_on() {
    let store = CatalogStore::open_in_memory().expect("store");
    let n = (crate::BUCKET_SIZE as usize) + 10;
    for i in 0..n {
        write(&store, &dataset(i, "one"), "s", None);
    }
    for i in 0..5 {
        write(&store, &dataset(i, "two"), "s", None);
    }
    let mut after = 0;
    let mut seen = Vec::new();
    loop {
        let page = store.feed_after(after, 100).expect("reads");
        let Some(last) = page.last() else { break };
        after = last.sequence;
        seen.extend(page.into_iter().map(|e| e.record_id));
    }
    assert_eq!(seen.len(), n, "every record once, at its latest change");
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), n);
}

#[test]
fn the_copy_with_fewer_hops_takes_precedence_and_ties_keep_the_first() {
    let store = CatalogStore::open_in_memory().expect("store");
    let far = Origin {
        catalogue: "http://c/catalog".to_owned(),
        path: vec!["http://c/catalog".to_owned(), "http://b/catalog".to_owned()],
    };
    let near = Origin {
        catalogue: "http://c/catalog".to_owned(),
        path: vec!["http://c/catalog".to_owned()],
    };
    let other_near = Origin {
        catalogue: "http://c/catalog".to_owned(),
        path: vec!["http://d/catalog".to_owned()],
    };
    write(&store, &dataset(0, "via b"), "peer-b", Some(&far));
    write(&store, &dataset(0, "direct"), "peer-c", Some(&near));
    let id = dataset(0, "x").id;
    let stored = store.record(&id).expect("reads").expect("exists");
    assert_eq!(stored.primary_source, "peer-c");
    assert_eq!(stored.origin.as_ref().map(Origin::hops), Some(1));
    write(
        &store,
        &dataset(0, "also 1 hop"),
        "peer-d",
        Some(&other_near),
    );
    let stored = store.record(&id).expect("reads").expect("exists");
    assert_eq!(stored.primary_source, "peer-c", "a tie keeps the first");
    // The nearest leaves: the next nearest (then first in id order) takes over.
    store
        .withdraw_source(std::slice::from_ref(&id), "peer-c", Utc::now())
        .expect("withdraws");
    let stored = store.record(&id).expect("reads").expect("exists");
    assert_eq!(stored.primary_source, "peer-d");
    assert_eq!(stored.origin, Some(other_near));
}

#[test]
fn stores_without_sequences_get_them_once() {
    let store = CatalogStore::open_in_memory().expect("store");
    assert_eq!(store.ensure_feed_sequences(Utc::now()).expect("runs"), 0);
}
