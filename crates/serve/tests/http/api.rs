//! `/api/search` and `/healthz`.

use axum::http::StatusCode;
use ldtcat_model::record_id;

use crate::common::{Fixture, AIR_IRI, EVIL_IRI, EVIL_TITLE, N_TRAFFIC};

#[tokio::test]
async fn api_search_has_the_documented_shape() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let (status, json) = fixture.get_json("/api/search?q=school&page_size=5").await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["total"], 2, "{json}");
    assert_eq!(json["page"], 1);
    assert_eq!(json["page_size"], 5);
    let results = json["results"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let air = results
        .iter()
        .find(|result| result["iri"] == AIR_IRI)
        .ok_or_else(|| anyhow::anyhow!("air-quality dataset missing: {json}"))?;
    let id = record_id(AIR_IRI);
    assert_eq!(air["id"], id.as_str());
    assert_eq!(air["kind"], "dataset");
    assert_eq!(air["title"], "CO2 and temperature in a school");
    assert!(air["description"]
        .as_str()
        .unwrap_or("")
        .starts_with("Readings of 30"));
    assert_eq!(air["modified"], "2024-05-01T10:00:00+00:00");
    assert_eq!(
        air["url"],
        format!("https://catalogue.example.org/resources/{id}")
    );
    for field in ["kind", "theme", "publisher", "format", "licence", "source"] {
        assert!(
            json["facets"][field].is_array(),
            "facet {field} missing: {json}"
        );
    }
    let kinds = &json["facets"]["kind"];
    assert!(
        kinds.as_array().is_some_and(|values| values
            .iter()
            .any(|v| v["value"] == "model" && v["count"] == 1)),
        "{kinds}"
    );
    Ok(())
}

#[tokio::test]
async fn api_search_filters_pages_and_sorts() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let (_, page) = fixture
        .get_json("/api/search?q=traffic&sort=title&page=2&page_size=10")
        .await?;
    assert_eq!(page["total"], N_TRAFFIC);
    assert_eq!(page["page"], 2);
    assert_eq!(page["results"][0]["title"], "Traffic counts 11");
    assert_eq!(page["results"].as_array().map(Vec::len), Some(10));
    let (_, services) = fixture.get_json("/api/search?kind=service").await?;
    assert_eq!(services["total"], 1);
    assert_eq!(services["results"][0]["kind"], "service");
    let (_, capped) = fixture.get_json("/api/search?page_size=1000").await?;
    assert_eq!(capped["page_size"], 100);
    Ok(())
}

#[tokio::test]
async fn api_returns_harvested_markup_as_a_plain_json_string() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let reply = fixture.get("/api/search?q=alert").await?;
    assert_eq!(reply.content_type(), "application/json");
    let json: serde_json::Value = serde_json::from_str(&reply.body)?;
    let evil = json["results"]
        .as_array()
        .and_then(|results| results.iter().find(|r| r["iri"] == EVIL_IRI))
        .ok_or_else(|| anyhow::anyhow!("evil record missing: {json}"))?;
    assert_eq!(evil["title"], EVIL_TITLE);
    Ok(())
}

#[tokio::test]
async fn unknown_api_paths_are_json_404() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let (status, json) = fixture.get_json("/api/nothing").await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(json["error"]
        .as_str()
        .is_some_and(|e| e.contains("/api/nothing")));
    Ok(())
}

#[tokio::test]
async fn healthz_counts_the_records() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let (status, json) = fixture.get_json("/healthz").await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["status"], "ok");
    assert_eq!(json["records"], 29);
    Ok(())
}
