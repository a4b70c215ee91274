//! Federation: ldtcat instances on loopback ports harvesting each other through their change
//! feeds, in chains and cycles, with updates, deletions and a peer that goes down mid-feed.

mod common;
#[path = "federation/instance.rs"]
#[allow(dead_code)]
mod instance;
#[path = "federation/proxy.rs"]
mod proxy;

use std::collections::BTreeMap;

use instance::{record_iri, start, Held, Instance, LOCAL};
use ldtcat_model::record_id;
use ldtcat_store::{HarvestRun, Origin, RunStatus};

fn titles(name: &str, numbers: std::ops::Range<usize>, version: &str) -> Vec<(usize, String)> {
    numbers
        .map(|n| (n, format!("{name} dataset {n} {version}")))
        .collect()
}

fn by_name<'a>(instances: &'a [Instance], name: &str) -> &'a Instance {
    instances.iter().find(|i| i.name == name).expect("instance")
}

fn assert_success(runs: &[HarvestRun]) {
    for run in runs {
        assert_eq!(run.status, RunStatus::Success, "{run:#?}");
    }
}

/// Writes of a set of runs: (added, updated, tombstoned).
fn writes(runs: &[HarvestRun]) -> (u64, u64, u64) {
    runs.iter().fold((0, 0, 0), |(a, u, t), run| {
        (a + run.added, u + run.updated, t + run.tombstoned)
    })
}

fn origin_of(held: &BTreeMap<String, Held>, iri: &str) -> Option<Origin> {
    held.get(iri)
        .unwrap_or_else(|| panic!("{iri} missing"))
        .origin
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_chain_a_b_c_carries_records_updates_and_deletions_with_their_origin() {
    // A harvests B, which harvests C.
    let instances = start(&["a", "b", "c"], &[("a", "b"), ("b", "c")], 7).await;
    let (a, b, c) = (
        by_name(&instances, "a"),
        by_name(&instances, "b"),
        by_name(&instances, "c"),
    );
    c.publish(&titles("c", 0..30, "v1"));
    assert_success(&b.harvest_all().await);
    assert_success(&a.harvest_all().await);
    let (held_b, held_a) = (b.held(), a.held());
    assert_eq!(held_b.len(), 30);
    assert_eq!(held_a.len(), 30);
    assert_eq!(a.indexed(), 30);
    let iri = record_iri("c", 3);
    let at_b = origin_of(&held_b, &iri).expect("origin at b");
    assert_eq!(at_b.catalogue, c.catalogue_iri());
    assert_eq!(at_b.path, [c.catalogue_iri()]);
    let at_a = origin_of(&held_a, &iri).expect("origin at a");
    assert_eq!(
        at_a.catalogue,
        c.catalogue_iri(),
        "the third keeps being the origin"
    );
    assert_eq!(at_a.path, [c.catalogue_iri(), b.catalogue_iri()]);
    assert_eq!(at_a.hops(), 2);

    // An update at C reaches A; only that record is written on the way.
    let mut updated = titles("c", 0..30, "v1");
    updated[5].1 = "c dataset 5 v2".to_owned();
    c.publish(&updated);
    let runs_b = b.harvest_all().await;
    let runs_a = a.harvest_all().await;
    assert_eq!(writes(&runs_b), (0, 1, 0), "{runs_b:#?}");
    assert_eq!(writes(&runs_a), (0, 1, 0), "{runs_a:#?}");
    assert_eq!(a.held()[&record_iri("c", 5)].title, "c dataset 5 v2");

    // A deletion at C reaches A, as a tombstone.
    c.unpublish(&[7]);
    let runs_b = b.harvest_all().await;
    let runs_a = a.harvest_all().await;
    assert_eq!(writes(&runs_b), (0, 0, 1), "{runs_b:#?}");
    assert_eq!(writes(&runs_a), (0, 0, 1), "{runs_a:#?}");
    let gone = record_id(&record_iri("c", 7));
    assert!(a.catalog.store.tombstone(&gone).expect("reads").is_some());
    assert_eq!(a.held().len(), 29);
    assert_eq!(a.indexed(), 29);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cycle_a_b_with_a_chain_from_c_converges_and_ten_rounds_change_nothing() {
    // A ⇄ B, B ← C and A ← C: C's records reach A by two paths.
    let instances = start(
        &["a", "b", "c"],
        &[("a", "b"), ("b", "a"), ("b", "c"), ("a", "c")],
        8,
    )
    .await;
    let (a, b, c) = (
        by_name(&instances, "a"),
        by_name(&instances, "b"),
        by_name(&instances, "c"),
    );
    a.publish(&titles("a", 0..10, "v1"));
    b.publish(&titles("b", 0..10, "v1"));
    c.publish(&titles("c", 0..10, "v1"));
    for _ in 0..2 {
        assert_success(&b.harvest_all().await);
        assert_success(&a.harvest_all().await);
    }
    for instance in [a, b] {
        let held = instance.held();
        assert_eq!(held.len(), 30, "{}: {held:#?}", instance.name);
        assert_eq!(instance.indexed(), 30);
    }
    let (held_a, held_b) = (a.held(), b.held());
    assert_eq!(
        origin_of(&held_a, &record_iri("a", 1)),
        None,
        "A's own stays local"
    );
    assert_eq!(held_a[&record_iri("a", 1)].primary_source, LOCAL);
    let b_at_a = origin_of(&held_a, &record_iri("b", 1)).expect("from b");
    assert_eq!(
        (b_at_a.catalogue.as_str(), b_at_a.hops()),
        (b.catalogue_iri().as_str(), 1)
    );
    let a_at_b = origin_of(&held_b, &record_iri("a", 1)).expect("from a");
    assert_eq!(
        (a_at_b.catalogue.as_str(), a_at_b.hops()),
        (a.catalogue_iri().as_str(), 1)
    );
    // Reached directly and through B: the direct copy (1 hop) has precedence.
    let c_at_a = origin_of(&held_a, &record_iri("c", 1)).expect("from c");
    assert_eq!(c_at_a.hops(), 1);
    assert_eq!(held_a[&record_iri("c", 1)].primary_source, "peer-c");
    let c_record = a
        .catalog
        .store
        .record_metadata(&record_id(&record_iri("c", 1)))
        .expect("reads")
        .expect("exists");
    let sources: Vec<&str> = c_record
        .provenance
        .iter()
        .map(|p| p.source_id.as_str())
        .collect();
    assert_eq!(
        sources,
        ["peer-b", "peer-c"],
        "one record, two provenance entries"
    );

    // Ten more rounds: nothing is written, no sequence number is given.
    let sequences = (a.last_sequence(), b.last_sequence(), c.last_sequence());
    for round in 0..10 {
        let mut runs = b.harvest_all().await;
        runs.extend(a.harvest_all().await);
        assert_success(&runs);
        assert_eq!(writes(&runs), (0, 0, 0), "round {round}: {runs:#?}");
    }
    assert_eq!(
        (a.last_sequence(), b.last_sequence(), c.last_sequence()),
        sequences
    );
    assert_eq!((a.held().len(), b.held().len()), (30, 30));

    // An update and a deletion at C reach both, and the deletion does not come back.
    let mut changed = titles("c", 0..10, "v1");
    changed[2].1 = "c dataset 2 v2".to_owned();
    c.publish(&changed);
    c.unpublish(&[4]);
    for _ in 0..3 {
        assert_success(&b.harvest_all().await);
        assert_success(&a.harvest_all().await);
    }
    for instance in [a, b] {
        let held = instance.held();
        assert_eq!(held.len(), 29, "{}", instance.name);
        assert_eq!(held[&record_iri("c", 2)].title, "c dataset 2 v2");
        assert!(!held.contains_key(&record_iri("c", 4)));
        assert_eq!(instance.indexed(), 29);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_copy_closest_to_the_origin_wins_whatever_arrives_first() {
    let instances = start(&["a", "b", "c"], &[("a", "b"), ("a", "c"), ("b", "c")], 10).await;
    let (a, b, c) = (
        by_name(&instances, "a"),
        by_name(&instances, "b"),
        by_name(&instances, "c"),
    );
    let iri = record_iri("c", 0);
    c.publish(&titles("c", 0..1, "v1"));
    b.harvest("peer-c").await;
    a.harvest("peer-b").await;
    assert_eq!(a.held()[&iri].primary_source, "peer-b");
    assert_eq!(origin_of(&a.held(), &iri).expect("origin").hops(), 2);

    // C changes it; A reads C directly (1 hop) before B has caught up: C's copy wins.
    c.publish(&titles("c", 0..1, "v2"));
    a.harvest("peer-c").await;
    let held = a.held();
    assert_eq!(held[&iri].title, "c dataset 0 v2");
    assert_eq!(held[&iri].primary_source, "peer-c");

    // C changes it again; B passes it on first (2 hops): the 1-hop copy keeps precedence.
    c.publish(&titles("c", 0..1, "v3"));
    b.harvest("peer-c").await;
    let through_b = a.harvest("peer-b").await;
    assert_eq!(
        (through_b.added, through_b.updated),
        (0, 1),
        "a provenance entry only"
    );
    assert_eq!(a.held()[&iri].title, "c dataset 0 v2");
    a.harvest("peer-c").await;
    assert_eq!(a.held()[&iri].title, "c dataset 0 v3");

    // C stops delivering it: precedence passes to B's copy, then it is gone everywhere.
    c.unpublish(&[0]);
    a.harvest("peer-c").await;
    let held = a.held();
    assert_eq!(held[&iri].primary_source, "peer-b");
    b.harvest("peer-c").await;
    a.harvest("peer-b").await;
    assert!(a.held().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_peer_that_drops_the_connection_after_two_pages_is_resumed_from_the_cursor() {
    let instances = start(&["b", "c"], &[], 10).await;
    let (b, c) = (by_name(&instances, "b"), by_name(&instances, "c"));
    c.publish(&titles("c", 0..45, "v1"));
    let proxy = proxy::start(&c.base).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let source = instance::peer_source(
        dir.path().to_path_buf(),
        "peer-c",
        &format!("{}/feed", proxy.base),
        10,
        None,
    );
    let fetcher = ldtcat_harvest::Fetcher::new(ldtcat_harvest::HostPolicy::for_urls([&source.url]))
        .expect("client");
    let run = |source: ldtcat_config::SourceConfig| {
        ldtcat::harvest::run_source(
            b.catalog.clone(),
            fetcher.clone(),
            source,
            ldtcat::harvest::RunRequest::default(),
            &|_| {},
        )
    };
    proxy.drop_feed_request(3);
    let broken = run(source.clone()).await.expect("report");
    assert_eq!(broken.status, RunStatus::Partial, "{broken:#?}");
    assert_eq!(broken.added, 20, "{broken:#?}");
    assert_eq!(broken.cursor.as_deref(), Some("20"));
    assert_eq!(b.held().len(), 20);

    proxy.heal();
    let resumed = run(source.clone()).await.expect("report");
    assert_eq!(resumed.status, RunStatus::Success, "{resumed:#?}");
    assert!(
        resumed.notes.iter().any(|n| n.contains("from sequence 20")),
        "{resumed:#?}"
    );
    assert_eq!(
        (resumed.added, resumed.updated, resumed.unchanged),
        (25, 0, 0),
        "nothing read twice"
    );
    assert_eq!(resumed.cursor.as_deref(), Some("45"));
    let held = b.held();
    assert_eq!(held.len(), 45);
    assert_eq!(b.indexed(), 45);
    assert_eq!(proxy.feed_requests(), 3 + 3, "{resumed:#?}");
}

async fn get(url: &str) -> String {
    let response = reqwest::get(url).await.expect("answers");
    assert!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
    response.text().await.expect("body")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sources_and_record_pages_show_peers_contributions_cursors_and_origins() {
    let instances = start(&["a", "b", "c"], &[("a", "b"), ("b", "c")], 10).await;
    let (a, b, c) = (
        by_name(&instances, "a"),
        by_name(&instances, "b"),
        by_name(&instances, "c"),
    );
    c.publish(&titles("c", 0..5, "v1"));
    assert_success(&b.harvest_all().await);
    assert_success(&a.harvest_all().await);

    let api: serde_json::Value =
        serde_json::from_str(&get(&format!("{}/api/sources", a.base)).await).expect("json");
    let peer = &api["sources"][0];
    assert_eq!(peer["kind"], "peer", "{api:#}");
    assert_eq!(peer["records"], 5, "{api:#}");
    assert_eq!(peer["cursor"], "5", "{api:#}");
    assert!(peer["last_success"].is_string(), "{api:#}");
    let page = get(&format!("{}/sources", a.base)).await;
    assert!(page.contains("Contributes <strong>5</strong>"), "{page}");
    assert!(page.contains("feed cursor: <code>5</code>"), "{page}");

    let id = record_id(&record_iri("c", 0));
    let record_page = get(&format!("{}/resources/{id}", a.base)).await;
    assert!(record_page.contains(&c.catalogue_iri()), "{record_page}");
    assert!(record_page.contains("2 hop(s)"), "{record_page}");
    assert!(record_page.contains(&b.catalogue_iri()), "{record_page}");

    // /catalog publishes origin and hops on CatalogRecords, for peers to read.
    let hops = |n: u64| {
        format!(
            "<urn:ldtcat:record:{id}> <https://w3id.org/ldtcat#hops> \"{n}\"^^<http://www.w3.org/2001/XMLSchema#integer>"
        )
    };
    let origin = format!(
        "<urn:ldtcat:record:{id}> <https://w3id.org/ldtcat#originCatalogue> <{}>",
        c.catalogue_iri()
    );
    for (instance, n) in [(a, 2), (b, 1), (c, 0)] {
        let catalogue = get(&format!("{}/catalog.nt", instance.base)).await;
        assert!(
            catalogue.contains(&hops(n)),
            "{}: {catalogue}",
            instance.name
        );
        assert!(
            catalogue.contains(&origin),
            "{}: {catalogue}",
            instance.name
        );
    }
}
