//! An independent LDES client reads ldtcat's change feed: the npm package `ldes-client`
//! (installed in `tests/js` by `scripts/setup.sh --test`), run with Node on a live instance
//! on loopback, sees every member ldtcat lists — updates and deletions —, once each.

mod common;
#[path = "federation/instance.rs"]
#[allow(dead_code)]
mod instance;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use instance::{record_iri, start};

/// The folder with `node_modules/ldes-client`: `LDTCAT_LDES_CLIENT`, else `tests/js`.
fn client_dir() -> PathBuf {
    let dir = std::env::var("LDTCAT_LDES_CLIENT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| common::repo_root().join("tests/js"));
    assert!(
        dir.join("node_modules/ldes-client").exists(),
        "{} has no node_modules/ldes-client: run scripts/setup.sh --test (or scripts/test.sh) first",
        dir.display()
    );
    dir
}

fn read_with_ldes_client(url: &str) -> serde_json::Value {
    let dir = client_dir();
    let node = std::env::var("LDTCAT_NODE").unwrap_or_else(|_| "node".to_owned());
    let output = Command::new(node)
        .current_dir(&dir)
        .arg(dir.join("read_feed.mjs"))
        .arg(url)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "read_feed.mjs failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json_line = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(json_line)
        .unwrap_or_else(|error| panic!("read_feed.mjs printed no JSON ({error}): {stdout}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_npm_ldes_client_reads_every_member_and_deletion_of_the_feed() {
    let instances = start(&["c"], &[], 10).await;
    let c = &instances[0];
    let mut records: Vec<(usize, String)> =
        (0..25).map(|n| (n, format!("c dataset {n} v1"))).collect();
    c.publish(&records);
    records[3].1 = "c dataset 3 v2".to_owned();
    records[11].1 = "c dataset 11 v2".to_owned();
    c.publish(&records);
    c.unpublish(&[5, 6, 20]);

    let expected: BTreeMap<String, (String, bool)> = c
        .catalog
        .store
        .feed_after(0, 1_000)
        .expect("reads")
        .into_iter()
        .map(|entry| {
            let resource = if entry.deleted {
                c.catalog
                    .store
                    .tombstone(&entry.record_id)
                    .expect("reads")
                    .expect("tombstone")
                    .iri
            } else {
                c.catalog
                    .store
                    .record_metadata(&entry.record_id)
                    .expect("reads")
                    .expect("record")
                    .iri
            };
            (
                format!(
                    "{}/resources/{}#version-{}",
                    c.base, entry.record_id, entry.sequence
                ),
                (resource, entry.deleted),
            )
        })
        .collect();
    assert_eq!(expected.len(), 25);
    assert_eq!(expected.values().filter(|(_, deleted)| *deleted).count(), 3);

    let url = format!("{}/feed?page_size=10", c.base);
    let report = tokio::task::spawn_blocking(move || read_with_ldes_client(&url))
        .await
        .expect("joins");
    let members = report["members"].as_array().expect("members");
    let mut seen: BTreeMap<String, (String, bool)> = BTreeMap::new();
    for member in members {
        let id = member["id"].as_str().expect("id").to_owned();
        let resource = member["isVersionOf"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let deleted = member["types"]
            .as_array()
            .expect("types")
            .iter()
            .any(|t| t == "https://www.w3.org/ns/activitystreams#Delete");
        assert!(
            seen.insert(id.clone(), (resource, deleted)).is_none(),
            "{id} emitted twice"
        );
    }
    assert_eq!(seen, expected, "{report:#}");
    assert!(seen.values().any(|(r, d)| r == &record_iri("c", 5) && *d));
    // Three pages of 10, 10 and 5 members; the client also counts its first look at the root.
    let fragments = report["fragments"].as_u64().expect("fragments");
    assert!(
        fragments >= 3,
        "the client followed the relations: {report:#}"
    );
}
