//! OGC API Records under `/ogc`: the documents, records as GeoJSON by the documented mapping,
//! the search (the same as `/api/search`), cursor paging, representations, errors, and the
//! OpenAPI document kept true against the router.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use serde_json::Value;

use crate::common::{record_path, Fixture, AIR_IRI, EVIL_IRI, EVIL_TITLE, GONE_IRI, N_TRAFFIC};

const BASE: &str = "https://catalogue.example.org";

fn local(url: &str) -> String {
    url.strip_prefix(BASE)
        .expect("absolute on the public base URL")
        .to_owned()
}

fn link<'v>(document: &'v Value, rel: &str) -> Option<&'v str> {
    document["links"]
        .as_array()?
        .iter()
        .find(|l| l["rel"] == rel)
        .and_then(|l| l["href"].as_str())
}

fn ids(features: &Value) -> Vec<String> {
    features
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|f| f["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn air_id() -> String {
    record_path(AIR_IRI)
        .trim_start_matches("/resources/")
        .to_owned()
}

#[tokio::test]
async fn the_landing_page_links_to_api_conformance_and_one_collection_per_kind(
) -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    for path in ["/ogc", "/ogc/"] {
        let (status, landing) = fixture.get_json(path).await?;
        assert_eq!(status, StatusCode::OK);
        for rel in ["self", "service-desc", "service-doc", "conformance", "data"] {
            assert!(link(&landing, rel).is_some(), "{rel} in {landing}");
        }
    }
    let (_, conformance) = fixture.get_json("/ogc/conformance").await?;
    let classes = conformance["conformsTo"].as_array().expect("classes");
    assert!(classes.iter().any(|c| c
        .as_str()
        .is_some_and(|c| c.ends_with("records-1/1.0/conf/searchable-catalog"))));
    let (_, collections) = fixture.get_json("/ogc/collections").await?;
    let list = collections["collections"].as_array().expect("collections");
    let names: Vec<&str> = list.iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(
        names,
        [
            "catalogue",
            "dataset",
            "model",
            "service",
            "workflow",
            "visualisation",
            "output",
            "ldt"
        ]
    );
    for collection in list {
        assert_eq!(collection["itemType"], "record");
        assert_eq!(collection["type"], "Collection");
        for rel in [
            "self",
            "items",
            "http://www.opengis.net/def/rel/ogc/1.0/queryables",
            "http://www.opengis.net/def/rel/ogc/1.0/sortables",
        ] {
            let href = link(collection, rel).unwrap_or_else(|| panic!("{rel} in {collection}"));
            let reply = fixture.get(&local(href)).await?;
            assert_eq!(reply.status, StatusCode::OK, "{href}: {}", reply.body);
        }
    }
    Ok(())
}

#[tokio::test]
async fn a_record_carries_the_documented_mapping() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let path = format!("/ogc/collections/dataset/items/{}", air_id());
    let reply = fixture.get(&path).await?;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.content_type(), "application/geo+json");
    let record: Value = serde_json::from_str(&reply.body)?;
    let properties = &record["properties"];
    assert_eq!(record["type"], "Feature");
    assert_eq!(properties["type"], "dataset");
    assert_eq!(properties["title"], "CO2 and temperature in a school");
    assert_eq!(properties["language"]["code"], "en");
    assert_eq!(properties["keywords"][0], "air quality");
    assert_eq!(properties["license"], "CC-BY-4.0");
    assert_eq!(properties["updated"], "2024-05-01T10:00:00Z");
    assert_eq!(
        properties["themes"][0]["scheme"],
        "http://publications.europa.eu/resource/authority/data-theme"
    );
    assert_eq!(
        properties["themes"][0]["concepts"][0]["id"],
        crate::common::ENVI
    );
    let external: Vec<(String, String)> = properties["externalIds"]
        .as_array()
        .expect("ids")
        .iter()
        .map(|e| {
            (
                e["scheme"].as_str().unwrap_or("").to_owned(),
                e["value"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert!(
        external.contains(&("iri".to_owned(), AIR_IRI.to_owned())),
        "{external:?}"
    );
    assert!(
        external.contains(&(String::new(), "urn:antibes:air:1".to_owned())),
        "{external:?}"
    );
    let publisher = &properties["contacts"][0];
    assert_eq!(publisher["organization"], "Ville d'Antibes");
    assert_eq!(publisher["roles"][0], "publisher");
    assert_eq!(
        record["time"]["interval"],
        serde_json::json!(["2023-09-01", ".."])
    );
    assert_eq!(record["geometry"]["type"], "Polygon");
    assert_eq!(
        record["geometry"]["coordinates"][0][0],
        serde_json::json!([7.08, 43.55])
    );
    let links = record["links"].as_array().expect("links");
    let rels: Vec<&str> = links.iter().filter_map(|l| l["rel"].as_str()).collect();
    for rel in [
        "self",
        "alternate",
        "collection",
        "profile",
        "enclosure",
        "related",
        "license",
        "type",
    ] {
        assert!(rels.contains(&rel), "{rel} in {rels:?}");
    }
    let download = links
        .iter()
        .find(|l| l["rel"] == "enclosure")
        .expect("download");
    let access = links
        .iter()
        .find(|l| l["rel"] == "related" && l["href"] == "https://data.example.org/api/air")
        .expect("access");
    assert_eq!(download["type"], "text/csv");
    assert_eq!(download["anchor"], access["anchor"], "one distribution");
    assert!(!links.iter().any(|l| l["href"]
        .as_str()
        .is_some_and(|h| h.starts_with("javascript:"))));
    assert!(links
        .iter()
        .any(|l| l["type"] == "text/turtle"
            && l["href"].as_str().is_some_and(|h| h.ends_with(".ttl"))));
    let (_, french) = fixture.get_json(&format!("{path}?language=fr")).await?;
    assert_eq!(
        french["properties"]["title"],
        "CO2 et température dans une école"
    );
    assert_eq!(french["properties"]["language"]["code"], "fr");
    let reply = fixture
        .send_with("GET", &path, &[("accept-language", "fr-FR, en;q=0.5")])
        .await?;
    assert!(reply.body.contains("CO2 et température"), "{}", reply.body);
    let (_, none) = fixture
        .get_json("/ogc/collections/service/items?limit=1")
        .await?;
    assert!(none["features"][0]["geometry"].is_null());
    Ok(())
}

#[tokio::test]
async fn items_are_the_search_of_api_search_in_the_same_order() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    for (records, api) in [
        ("limit=100", "page_size=100"),
        ("limit=100&q=traffic", "page_size=100&q=%22traffic%22"),
        ("limit=100&q=traffic+counts,co2", "page_size=100&q=%22traffic+counts%22+OR+%22co2%22"),
        ("limit=100&theme=http://publications.europa.eu/resource/authority/data-theme/TRAN&sortby=title", "page_size=100&theme=http://publications.europa.eu/resource/authority/data-theme/TRAN&sort=title"),
        ("limit=100&bbox=7,43,8,44", "page_size=100&bbox=7,43,8,44"),
        ("limit=100&datetime=2024-01-01/..", "page_size=100&datetime=2024-01-01/.."),
        ("limit=100&type=model,service&sortby=id", "page_size=100&kind=model&kind=service&sort=id"),
        ("limit=100&externalIds=urn:antibes:air:1", "page_size=100&external_ids=urn:antibes:air:1"),
        ("limit=100&sortby=-updated&modified_since=2021-01-10", "page_size=100&sort=modified&modified_since=2021-01-10"),
    ] {
        let (status, page) = fixture.get_json(&format!("/ogc/collections/catalogue/items?{records}")).await?;
        assert_eq!(status, StatusCode::OK, "{records}: {page}");
        let (_, search) = fixture.get_json(&format!("/api/search?{api}")).await?;
        let expected: Vec<String> = search["results"].as_array().expect("results").iter()
            .filter_map(|r| r["id"].as_str().map(str::to_owned)).collect();
        assert_eq!(ids(&page["features"]), expected, "{records}");
        assert_eq!(page["numberMatched"], search["total"], "{records}");
        assert_eq!(page["numberReturned"].as_u64(), Some(expected.len() as u64));
    }
    let (_, datasets) = fixture
        .get_json("/ogc/collections/dataset/items?limit=100&type=model")
        .await?;
    assert_eq!(
        datasets["numberMatched"], 0,
        "type outside the collection's kind"
    );
    Ok(())
}

#[tokio::test]
async fn following_next_collects_every_record_once_in_every_order() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let (_, all) = fixture.get_json("/api/search?page_size=100").await?;
    let total = all["total"].as_u64().expect("total") as usize;
    assert!(total > N_TRAFFIC);
    for sortby in [
        "",
        "&sortby=id",
        "&sortby=title",
        "&sortby=-updated",
        "&q=traffic,co2",
    ] {
        let mut seen = Vec::new();
        let mut next = Some(format!("/ogc/collections/catalogue/items?limit=7{sortby}"));
        let mut previous_page: Option<String> = None;
        while let Some(path) = next.take() {
            let (status, page) = fixture.get_json(&path).await?;
            assert_eq!(status, StatusCode::OK, "{path}: {page}");
            seen.extend(ids(&page["features"]));
            if let Some(previous) = &previous_page {
                let prev = link(&page, "prev").expect("prev link");
                let (_, back) = fixture.get_json(&local(prev)).await?;
                let (_, before) = fixture.get_json(previous).await?;
                assert_eq!(
                    ids(&back["features"]),
                    ids(&before["features"]),
                    "prev of {path}"
                );
            }
            previous_page = Some(path);
            next = link(&page, "next").map(local);
        }
        let unique: BTreeSet<&String> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "{sortby}: no repeats");
        let expected = if sortby.contains("q=") {
            fixture
                .get_json("/api/search?q=%22traffic%22+OR+%22co2%22")
                .await?
                .1["total"]
                .as_u64()
                .unwrap_or(0) as usize
        } else {
            total
        };
        assert_eq!(seen.len(), expected, "{sortby}");
    }
    Ok(())
}

#[tokio::test]
async fn a_record_added_while_paging_by_id_shifts_nothing() -> anyhow::Result<()> {
    // The cursor names the last record read: whatever sorts before it is not read again.
    let fixture = Fixture::new()?;
    let (_, first) = fixture
        .get_json("/ogc/collections/catalogue/items?limit=5&sortby=id")
        .await?;
    let next = local(link(&first, "next").expect("next"));
    assert!(next.contains("after="), "{next}");
    let (_, second) = fixture.get_json(&next).await?;
    let last_of_first = ids(&first["features"]).pop().expect("a record");
    assert!(ids(&second["features"])
        .iter()
        .all(|id| *id > last_of_first));
    Ok(())
}

#[tokio::test]
async fn browsers_get_html_machines_json_and_the_rest_406() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let record = format!(
        "/ogc/collections/catalogue/items/{}",
        record_path(EVIL_IRI).trim_start_matches("/resources/")
    );
    for path in [
        "/ogc",
        "/ogc/conformance",
        "/ogc/api",
        "/ogc/collections",
        "/ogc/collections/model",
        "/ogc/collections/catalogue/items",
        record.as_str(),
        "/ogc/collections/dataset/queryables",
        "/ogc/collections/dataset/sortables",
    ] {
        let reply = fixture
            .send_with("GET", path, &[("accept", browser)])
            .await?;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
        assert!(reply.content_type().starts_with("text/html"), "{path}");
        assert!(!reply.body.contains(EVIL_TITLE), "escaped: {path}");
        let json = fixture.get(&format!("{path}?f=json")).await?;
        assert!(
            json.content_type().contains("json"),
            "{path}: {}",
            json.content_type()
        );
        serde_json::from_str::<Value>(&json.body)?;
        let html = fixture.get(&format!("{path}?f=html")).await?;
        assert!(html.content_type().starts_with("text/html"), "{path}");
        let refused = fixture
            .send_with("GET", path, &[("accept", "application/xml")])
            .await?;
        assert_eq!(refused.status, StatusCode::NOT_ACCEPTABLE, "{path}");
        let exception: Value = serde_json::from_str(&refused.body)?;
        assert_eq!(exception["code"], "NotAcceptable");
    }
    let (status, exception) = fixture.get_json("/ogc/collections?f=xml").await?;
    assert_eq!(
        (status, exception["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("InvalidParameterValue"))
    );
    Ok(())
}

#[tokio::test]
async fn bad_input_is_an_exception_with_400_404_or_410_never_500() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let items = "/ogc/collections/catalogue/items";
    for (query, status) in [
        ("limit=1000000000", 400),
        ("limit=-3", 400),
        ("bbox=1,2,3", 400),
        ("bbox=a,b,c,d", 400),
        ("bbox=0,95,1,96", 400),
        ("datetime=2024-02-30", 400),
        ("datetime=2024-05-02/2024-05-01", 400),
        ("type=planet", 400),
        ("sortby=colour", 400),
        ("after=not-a-cursor", 400),
        ("after=0.i.abc&sortby=title", 400),
        ("q=%zz", 400),
        ("unknown=1", 400),
        ("compatible_with=nowhere", 400),
    ] {
        let (got, exception) = fixture.get_json(&format!("{items}?{query}")).await?;
        assert_eq!(got.as_u16(), status, "{query}: {exception}");
        assert!(
            exception["code"].is_string() && exception["description"].is_string(),
            "{query}: {exception}"
        );
    }
    for (path, status) in [
        ("/ogc/collections/planets".to_owned(), 404),
        ("/ogc/collections/planets/items".to_owned(), 404),
        ("/ogc/collections/dataset/items/0000".to_owned(), 404),
        ("/ogc/nothing/here".to_owned(), 404),
        (format!("/ogc/collections/model/items/{}", air_id()), 404),
        (
            format!(
                "/ogc/collections/catalogue/items/{}",
                record_path(GONE_IRI).trim_start_matches("/resources/")
            ),
            410,
        ),
    ] {
        let (got, exception) = fixture.get_json(&path).await?;
        assert_eq!(got.as_u16(), status, "{path}: {exception}");
        assert!(exception["code"].is_string(), "{path}");
    }
    Ok(())
}

#[tokio::test]
async fn the_openapi_document_describes_exactly_what_is_served() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let (_, api) = fixture.get_json("/ogc/api").await?;
    assert_eq!(api["openapi"], "3.0.3");
    let paths = api["paths"].as_object().expect("paths");
    let mut served = 0;
    for (template, item) in paths {
        let collections: Vec<&str> = item["get"]["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .find(|p| p["name"] == "collectionId")
            .and_then(|p| p["schema"]["enum"].as_array())
            .map(|values| values.iter().filter_map(Value::as_str).collect())
            .unwrap_or_else(|| vec![""]);
        for collection in collections {
            let path = template
                .replace("{collectionId}", collection)
                .replace("{recordId}", &air_id());
            let reply = fixture.get(&path).await?;
            let ok = reply.status == StatusCode::OK
                || (template.contains("{recordId}")
                    && reply.status == StatusCode::NOT_FOUND
                    && collection != "dataset"
                    && collection != "catalogue");
            assert!(ok, "{path}: {}", reply.status);
            served += 1;
        }
        for parameter in item["get"]["parameters"].as_array().expect("parameters") {
            if parameter["in"] != "query" {
                continue;
            }
            let name = parameter["name"].as_str().expect("name");
            let value = match name {
                "f" => "json",
                "limit" | "offset" => "1",
                "bbox" => "0,0,1,1",
                "datetime" => "2020-01-01",
                "type" | "kind" => "dataset",
                "sortby" => "id",
                "after" => "0.m.-.a0",
                "verdicts" => "not-compatible",
                "compatible_with" | "language" => "",
                "modified_since" => "2020-01-01",
                _ => "x",
            };
            let path = format!(
                "{}?{name}={value}",
                template
                    .replace("{collectionId}", "catalogue")
                    .replace("{recordId}", &air_id())
            );
            let reply = fixture.get(&path).await?;
            assert_eq!(
                reply.status,
                StatusCode::OK,
                "documented parameter {name}: {path}: {}",
                reply.body
            );
        }
    }
    assert!(served > 20);
    let documented: BTreeSet<String> = paths["/ogc/collections/{collectionId}/items"]["get"]
        ["parameters"]
        .as_array()
        .expect("p")
        .iter()
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect();
    for name in [
        "q",
        "bbox",
        "datetime",
        "type",
        "ids",
        "externalIds",
        "limit",
        "sortby",
        "theme",
        "publisher",
        "format",
        "licence",
        "source",
        "compatible_with",
    ] {
        assert!(documented.contains(name), "{name} is documented");
    }
    Ok(())
}
