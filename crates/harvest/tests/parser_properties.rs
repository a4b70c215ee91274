//! Property tests of what the harvester reads from outside beyond RDF syntax (the model's
//! own property tests cover that): CKAN `package_search` JSON and its mapping to DCAT-AP, a
//! peer's change feed, and Hydra paging links. Real answers (the CKAN fixture, a feed page)
//! are mutated field by field and byte by byte. Whatever the input: no panic, no hang, and
//! what the CKAN mapping writes is always valid N-Triples.

use std::path::Path;
use std::time::{Duration, Instant};

use ldtcat_harvest::ckan_map::{map_packages, Package};
use ldtcat_harvest::{feed::feed_members, hydra::next_links};
use ldtcat_model::RdfDocument;
use oxrdfio::{RdfFormat, RdfParser};
use proptest::prelude::*;
use serde_json::Value;
use url::Url;

/// The packages of the CKAN fixture, as JSON values.
fn fixture_packages() -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/harvest/ckan/package_search_all.json");
    let text = std::fs::read_to_string(&path).expect("the CKAN fixture");
    let answer: Value = serde_json::from_str(&text).expect("JSON");
    answer["result"]["results"]
        .as_array()
        .expect("results")
        .clone()
}

/// Strings that have broken mappings before: markup, quotes, controls, IRIs that are not.
fn nasty() -> Vec<String> {
    [
        "",
        " ",
        "\"",
        "\\",
        "\n",
        "\r\n",
        "\t",
        "<script>alert(1)</script>",
        "a\u{0}b",
        "http://",
        "http://exa mple.org/x",
        "urn:x",
        "//example.org/x",
        "../../etc/passwd",
        "javascript:alert(1)",
        "e\u{301}",
        "\u{202e}rtl",
        "2024-13-45T99:99:99",
        "-1",
        "1e309",
        "NaN",
        "{}",
        "[]",
        "null",
        "mailto:",
        "@",
        "text/csv; charset=\"utf-8\"",
        "https://example.org/a>b",
        "https://example.org/{x}",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .chain(["x".repeat(10_000)])
    .collect()
}

fn nasty_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        prop::sample::select(nasty()).prop_map(Value::String),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(Value::Null),
        ".{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-z_]{1,10}", inner), 0..4)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// Replaces the value at a path of field and item positions (a path that ends early, on a
/// scalar or an empty container, replaces what it reached).
fn replace(target: &mut Value, path: &[usize], value: Value) {
    let Some((step, rest)) = path.split_first() else {
        *target = value;
        return;
    };
    let next = match target {
        Value::Object(map) if !map.is_empty() => {
            let key = map.keys().nth(step % map.len()).cloned().expect("a key");
            map.get_mut(&key)
        }
        Value::Array(items) if !items.is_empty() => {
            let index = step % items.len();
            items.get_mut(index)
        }
        _ => None,
    };
    match next {
        Some(next) => replace(next, rest, value),
        None => *target = value,
    }
}

/// Maps `packages` as the CKAN kind does; the output must parse as N-Triples.
fn map_within_bounds(packages: &[Value]) -> Result<(), TestCaseError> {
    let started = Instant::now();
    let site = Url::parse("https://ckan.example.org/").expect("url");
    let parsed: Vec<Package> = packages
        .iter()
        .filter_map(|value| serde_json::from_value(value.clone()).ok())
        .collect();
    let (ntriples, _notes) = map_packages(&parsed, &site);
    for triple in RdfParser::from_format(RdfFormat::NTriples).for_slice(ntriples.as_bytes()) {
        prop_assert!(
            triple.is_ok(),
            "invalid N-Triples written: {triple:?}\n{ntriples}"
        );
    }
    prop_assert!(started.elapsed() < Duration::from_secs(5));
    Ok(())
}

/// A change feed page and a Hydra page to mutate.
const FEED_PAGE: &str = r#"@prefix tree: <https://w3id.org/tree#> .
@prefix ldes: <https://w3id.org/ldes#> .
@prefix as: <https://www.w3.org/ns/activitystreams#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix ldt: <https://w3id.org/ldtcat#> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
<https://peer.example.org/feed> a ldes:EventStream ; tree:member <https://peer.example.org/resources/a#version-1> .
<https://peer.example.org/resources/a#version-1> a as:Update ; dct:isVersionOf <https://data.example.org/a> ;
  prov:generatedAtTime "2024-05-01T10:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> ; ldt:sequence 1 .
<https://data.example.org/a> a <http://www.w3.org/ns/dcat#Dataset> ; dct:title "A" .
<https://peer.example.org/feed?after=0> a tree:Node ; tree:relation [ a tree:GreaterThanOrEqualToRelation ; tree:node <https://peer.example.org/feed?after=1> ] .
<https://peer.example.org/catalog?page=1> a hydra:PartialCollectionView ; hydra:next <https://peer.example.org/catalog?page=2> .
"#;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn mutated_ckan_packages_map_to_valid_ntriples(
        replacements in prop::collection::vec(
            (prop::collection::vec(any::<usize>(), 1..4), nasty_value()),
            1..8,
        ),
    ) {
        let mut packages = fixture_packages();
        for (path, value) in replacements {
            let target = path[0] % packages.len();
            let mut steps = path[1..].to_vec();
            steps.push(0);
            replace(&mut packages[target], &steps, value);
        }
        map_within_bounds(&packages)?;
    }

    #[test]
    fn mutated_ckan_answers_never_panic(
        cut in any::<prop::sample::Index>(),
        insert in prop::collection::vec(any::<u8>(), 0..16),
    ) {
        let text = serde_json::to_vec(&fixture_packages()).expect("JSON");
        let at = cut.index(text.len());
        let mut mutated = text[..at].to_vec();
        mutated.extend(insert);
        mutated.extend_from_slice(&text[at..]);
        if let Ok(packages) = serde_json::from_slice::<Vec<Value>>(&mutated) {
            map_within_bounds(&packages)?;
        }
    }

    #[test]
    fn mutated_feed_and_hydra_pages_never_panic_or_hang(
        cut in any::<prop::sample::Index>(),
        length in 0..40_usize,
        insert in "[<>\"{}@;.#: a-z0-9_\n\\[\\]]{0,30}",
    ) {
        let at = cut.index(FEED_PAGE.len());
        let end = (at + length).min(FEED_PAGE.len());
        let mut mutated = FEED_PAGE.as_bytes()[..at].to_vec();
        mutated.extend_from_slice(insert.as_bytes());
        mutated.extend_from_slice(&FEED_PAGE.as_bytes()[end..]);
        let started = Instant::now();
        let document = RdfDocument::from_slice("feed", None, RdfFormat::Turtle, &mutated);
        let _members = feed_members(&document);
        let page_url = Url::parse("https://peer.example.org/catalog?page=1").expect("url");
        let _links = next_links(&document, &page_url);
        prop_assert!(started.elapsed() < Duration::from_secs(5));
    }
}
