//! The Dataspace Protocol catalog: messages, offers, paging by `Link` headers, the token
//! check, and bad input answered as `CatalogError` with 400, 401 or 404 (never a 500).
//! (Validation against DSP's JSON schemas and expansion by a JSON-LD processor are in
//! `tests/dsp.rs`, with Python's jsonschema and pyld.)

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{json, Value};

use crate::common::{Fixture, Reply, AIR_IRI, BROKER_IRI, ICONE_IRI, N_TRAFFIC};

const DSP_CONTEXT: &str = "https://w3id.org/dspace/2025/1/context.jsonld";

fn request_message(filter: Value) -> String {
    json!({"@context": [DSP_CONTEXT], "@type": "CatalogRequestMessage", "filter": filter})
        .to_string()
}

async fn post(
    fixture: &Fixture,
    uri: &str,
    body: &str,
    token: Option<&str>,
) -> anyhow::Result<Reply> {
    let mut request = Request::builder()
        .method("POST")
        .uri(uri)
        .header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", token);
    }
    fixture
        .send(request.body(Body::from(body.to_owned()))?)
        .await
}

fn json_of(reply: &Reply) -> anyhow::Result<Value> {
    Ok(serde_json::from_str(&reply.body)?)
}

/// The target of the `Link` with this relation.
fn link(reply: &Reply, relation: &str) -> Option<String> {
    reply
        .headers
        .get_all("link")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.ends_with(&format!("rel=\"{relation}\"")))
        .and_then(|v| {
            v.split_once('<')?
                .1
                .split_once('>')
                .map(|(t, _)| t.to_owned())
        })
}

fn path_of(url: &str) -> String {
    url.trim_start_matches("https://catalogue.example.org")
        .to_owned()
}

#[tokio::test]
async fn a_catalog_request_lists_every_record_as_a_dataset_with_an_offer() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let reply = post(
        &fixture,
        "/catalog/request?page_size=1000",
        &request_message(json!([])),
        None,
    )
    .await?;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.content_type().starts_with("application/json"));
    let catalog = json_of(&reply)?;
    assert_eq!(catalog["@type"], "Catalog");
    assert_eq!(catalog["@context"], json!([DSP_CONTEXT]));
    assert_eq!(
        catalog["participantId"],
        "https://catalogue.example.org/catalog"
    );
    assert_eq!(
        catalog["service"][0]["endpointURL"],
        "https://catalogue.example.org"
    );
    let datasets = catalog["dataset"].as_array().cloned().unwrap_or_default();
    // Every record but the tombstone.
    assert_eq!(datasets.len(), N_TRAFFIC + 4);
    for dataset in &datasets {
        assert!(
            dataset["hasPolicy"]
                .as_array()
                .is_some_and(|offers| !offers.is_empty()),
            "{dataset}"
        );
        for distribution in dataset["distribution"].as_array().into_iter().flatten() {
            assert!(distribution["format"].is_string(), "{distribution}");
            assert!(
                distribution["accessService"]["endpointURL"].is_string(),
                "{distribution}"
            );
        }
    }
    let air = datasets
        .iter()
        .find(|d| d["@id"] == AIR_IRI)
        .cloned()
        .unwrap_or_default();
    // The licence (CC BY 4.0 by its creativecommons IRI) gives the attribution offer.
    assert_eq!(
        air["hasPolicy"][0]["@id"],
        format!(
            "urn:ldtcat:offer:{}:attribution",
            ldtcat_model::record_id(AIR_IRI)
        )
    );
    assert_eq!(
        air["hasPolicy"][0]["permission"][0]["duty"][0]["action"],
        "odrl:attribute"
    );
    assert_eq!(air["dct:title"].as_array().map(Vec::len), Some(2));
    let model = datasets
        .iter()
        .find(|d| d["@id"] == ICONE_IRI)
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        model["@type"],
        json!(["Dataset", "http://data.europa.eu/it6/MachineLearningModel"])
    );
    Ok(())
}

#[tokio::test]
async fn link_headers_page_forwards_and_backwards_through_every_record_once() -> anyhow::Result<()>
{
    let fixture = Fixture::new()?;
    let message = request_message(json!([]));
    let mut uri = "/catalog/request?page_size=7".to_owned();
    let mut pages: Vec<Vec<String>> = Vec::new();
    loop {
        let reply = post(&fixture, &uri, &message, None).await?;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let ids: Vec<String> = json_of(&reply)?["dataset"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| d["@id"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(
            link(&reply, "previous").is_some(),
            !pages.is_empty(),
            "{uri}"
        );
        pages.push(ids);
        match link(&reply, "next") {
            Some(next) => uri = path_of(&next),
            None => break,
        }
    }
    let all: Vec<String> = pages.iter().flatten().cloned().collect();
    assert_eq!(all.len(), N_TRAFFIC + 4);
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), all.len(), "no record twice");
    // Back from the last page: the same pages, in reverse.
    let mut back = pages.len() - 1;
    let reply = post(&fixture, &uri, &message, None).await?;
    let mut previous = link(&reply, "previous");
    while let Some(target) = previous {
        back -= 1;
        let reply = post(&fixture, &path_of(&target), &message, None).await?;
        let ids: Vec<String> = json_of(&reply)?["dataset"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| d["@id"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(ids, pages[back]);
        assert!(link(&reply, "next").is_some());
        previous = link(&reply, "previous");
    }
    assert_eq!(back, 0);
    Ok(())
}

#[tokio::test]
async fn a_filter_narrows_the_catalog_and_a_record_is_served_as_a_dataset() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let reply = post(
        &fixture,
        "/catalog/request",
        &request_message(json!([{"kind": "service"}])),
        None,
    )
    .await?;
    let catalog = json_of(&reply)?;
    let ids: Vec<&str> = catalog["dataset"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["@id"].as_str())
        .collect();
    assert_eq!(ids, [BROKER_IRI]);
    let reply = post(
        &fixture,
        "/catalog/request",
        &request_message(json!([{"q": "nothing-matches-this"}])),
        None,
    )
    .await?;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        json_of(&reply)?.get("dataset").is_none(),
        "an empty catalog has no dataset key"
    );
    for path in [
        format!("/catalog/datasets/{}", ldtcat_model::record_id(AIR_IRI)),
        format!(
            "/catalog/datasets/{}",
            AIR_IRI.replace(':', "%3A").replace('/', "%2F")
        ),
    ] {
        let reply = fixture.get(&path).await?;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
        let dataset = json_of(&reply)?;
        assert_eq!(dataset["@id"], AIR_IRI);
        assert_eq!(dataset["@context"], json!([DSP_CONTEXT]));
    }
    let (status, version) = fixture.get_json("/.well-known/dspace-version").await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        version,
        json!({"protocolVersions": [{"version": "2025-1", "path": "/", "binding": "HTTPS"}]})
    );
    Ok(())
}

async fn assert_catalog_error(reply: &Reply, status: StatusCode, says: &str) -> anyhow::Result<()> {
    assert_eq!(reply.status, status, "{}", reply.body);
    let error = json_of(reply)?;
    assert_eq!(error["@type"], "CatalogError", "{error}");
    assert_eq!(error["@context"], json!([DSP_CONTEXT]));
    let reason = error["reason"][0].as_str().unwrap_or_default();
    assert!(reason.contains(says), "{reason}");
    Ok(())
}

#[tokio::test]
async fn bad_input_is_a_catalog_error_with_400_401_or_404_never_a_500() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    for (body, says) in [
        ("{\"@type\": ", "not JSON"),
        ("[1, 2]", "JSON object"),
        (&*format!("{{\"@context\": [\"{DSP_CONTEXT}\"], \"@type\": \"DatasetRequestMessage\", \"dataset\": \"x\"}}"), "CatalogRequestMessage"),
        ("{\"@type\": \"CatalogRequestMessage\"}", "@context"),
        (&*request_message(json!([{"colour": "red"}])), "unknown filter"),
        (&*request_message(json!("q=air")), "array"),
    ] {
        let reply = post(&fixture, "/catalog/request", body, None).await?;
        assert_catalog_error(&reply, StatusCode::BAD_REQUEST, says).await?;
    }
    let reply = post(
        &fixture,
        "/catalog/request?after=../x",
        &request_message(json!([])),
        None,
    )
    .await?;
    assert_catalog_error(&reply, StatusCode::BAD_REQUEST, "`after`").await?;
    let reply = fixture.get("/catalog/datasets/urn:uuid:not-here").await?;
    assert_catalog_error(&reply, StatusCode::NOT_FOUND, "urn:uuid:not-here").await?;
    let gone = ldtcat_model::record_id(crate::common::GONE_IRI);
    let reply = fixture.get(&format!("/catalog/datasets/{gone}")).await?;
    assert_catalog_error(&reply, StatusCode::NOT_FOUND, &gone).await?;
    let reply = fixture.get("/catalog/request").await?;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(json_of(&reply)?["@type"], "CatalogError");
    Ok(())
}

#[tokio::test]
async fn with_a_token_configured_requests_without_it_or_with_another_get_401() -> anyhow::Result<()>
{
    let mut fixture = Fixture::new()?;
    fixture.state.dsp = ldtcat_serve::DspSettings {
        token: Some("s3cret".to_owned()),
        ..ldtcat_serve::DspSettings::default()
    };
    let message = request_message(json!([]));
    for token in [None, Some("Bearer wrong"), Some("s3cre"), Some("Bearer ")] {
        let reply = post(&fixture, "/catalog/request", &message, token).await?;
        assert_catalog_error(&reply, StatusCode::UNAUTHORIZED, "token").await?;
        assert!(reply.headers.contains_key("www-authenticate"));
    }
    let reply = fixture
        .get(&format!(
            "/catalog/datasets/{}",
            ldtcat_model::record_id(AIR_IRI)
        ))
        .await?;
    assert_catalog_error(&reply, StatusCode::UNAUTHORIZED, "token").await?;
    for token in ["Bearer s3cret", "s3cret"] {
        let reply = post(&fixture, "/catalog/request", &message, Some(token)).await?;
        assert_eq!(reply.status, StatusCode::OK, "{token}");
    }
    // The version endpoint stays public.
    assert_eq!(
        fixture.get("/.well-known/dspace-version").await?.status,
        StatusCode::OK
    );
    Ok(())
}
