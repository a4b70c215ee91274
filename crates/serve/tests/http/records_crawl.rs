//! The crawlable catalogue of `/ogc`: each collection's document lists its records as
//! `item` links, a page at a time, the pages linked by `next`; following them reads every
//! record of the collection once, as `items` counts them.

use axum::http::StatusCode;
use serde_json::Value;

use crate::common::Fixture;

const BASE: &str = "https://catalogue.example.org";
const COLLECTIONS: [&str; 8] = [
    "catalogue",
    "dataset",
    "model",
    "service",
    "workflow",
    "visualisation",
    "output",
    "ldt",
];

fn local(url: &str) -> String {
    url.strip_prefix(BASE)
        .expect("absolute on the public base URL")
        .to_owned()
}

fn links_of<'v>(document: &'v Value, rel: &str) -> Vec<&'v Value> {
    document["links"]
        .as_array()
        .map(|links| links.iter().filter(|l| l["rel"] == rel).collect())
        .unwrap_or_default()
}

fn href(link: &Value) -> String {
    local(link["href"].as_str().expect("href"))
}

#[tokio::test]
async fn following_next_lists_every_record_of_a_collection_once_as_item_links() -> anyhow::Result<()>
{
    let fixture = Fixture::new()?;
    let (_, conformance) = fixture.get_json("/ogc/conformance").await?;
    assert!(conformance["conformsTo"]
        .as_array()
        .expect("classes")
        .iter()
        .any(|c| c == "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/crawlable-catalog"));
    let mut non_empty = 0;
    for collection in COLLECTIONS {
        let (_, search) = fixture
            .get_json(&format!(
                "/ogc/collections/{collection}/items?limit=1000&sortby=id"
            ))
            .await?;
        let expected: Vec<String> = search["features"]
            .as_array()
            .expect("features")
            .iter()
            .filter_map(|f| f["id"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(
            search["numberMatched"].as_u64(),
            Some(expected.len() as u64)
        );
        let mut listed = Vec::new();
        let mut pages = 0;
        let mut next = Some(format!("/ogc/collections/{collection}?limit=3"));
        while let Some(path) = next.take() {
            let (status, page) = fixture.get_json(&path).await?;
            assert_eq!(status, StatusCode::OK, "{path}: {page}");
            assert_eq!(page["id"], collection, "{path}");
            assert_eq!(page["itemType"], "record", "{path}");
            assert_eq!(
                links_of(&page, "self").first().map(|l| href(l)),
                Some(path.clone())
            );
            let items = links_of(&page, "item");
            assert!(items.len() <= 3, "{path}");
            for item in items {
                assert_eq!(item["type"], "application/geo+json");
                let id = href(item).rsplit('/').next().expect("an id").to_owned();
                listed.push(id);
            }
            pages += 1;
            next = links_of(&page, "next").first().map(|l| href(l));
        }
        assert_eq!(
            listed, expected,
            "{collection}: every record once, in id order"
        );
        assert_eq!(pages, expected.len().div_ceil(3).max(1), "{collection}");
        non_empty += usize::from(!expected.is_empty());
    }
    assert!(non_empty >= 3, "the fixture has records of several kinds");
    Ok(())
}

#[tokio::test]
async fn item_links_resolve_and_the_collections_list_carries_none() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let (_, first) = fixture.get_json("/ogc/collections/catalogue").await?;
    let items = links_of(&first, "item");
    assert!(!items.is_empty());
    for item in items {
        let (status, record) = fixture.get_json(&href(item)).await?;
        assert_eq!(status, StatusCode::OK, "{item}");
        assert_eq!(record["type"], "Feature");
        assert!(href(item).ends_with(record["id"].as_str().expect("id")));
    }
    let (_, list) = fixture.get_json("/ogc/collections").await?;
    for collection in list["collections"].as_array().expect("collections") {
        assert!(links_of(collection, "item").is_empty());
        assert!(links_of(collection, "next").is_empty());
    }
    let html = fixture
        .get("/ogc/collections/catalogue?limit=2&after=0&f=html")
        .await?;
    assert_eq!(html.status, StatusCode::OK);
    let json_link = html
        .body
        .split("\">This page as JSON")
        .next()
        .and_then(|before| before.rsplit("href=\"").next())
        .unwrap_or_default();
    assert!(
        json_link.contains("after=0") && json_link.ends_with("f=json"),
        "the JSON form of the page keeps its position: {json_link}"
    );
    for bad in ["limit=0", "limit=1000000000", "limit=x"] {
        let (status, exception) = fixture
            .get_json(&format!("/ogc/collections/catalogue?{bad}"))
            .await?;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(exception["code"], "InvalidParameterValue", "{bad}");
    }
    Ok(())
}
