//! `/sparql` through the router: answers in every format, the page for browsers (escaped),
//! the service description, and the refusals.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};

use crate::common::{Fixture, AIR_IRI, EVIL_TITLE, GONE_IRI};

fn encoded(query: &str) -> String {
    form_urlencoded::byte_serialize(query.as_bytes()).collect()
}

async fn get_with_accept(
    fixture: &Fixture,
    uri: &str,
    accept: &str,
) -> anyhow::Result<crate::common::Reply> {
    fixture
        .send(
            Request::builder()
                .uri(uri)
                .header(header::ACCEPT, accept)
                .body(Body::empty())?,
        )
        .await
}

#[tokio::test]
async fn select_answers_in_the_format_the_client_accepts() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let query =
        format!("SELECT ?title WHERE {{ <{AIR_IRI}> <http://purl.org/dc/terms/title> ?title }}");
    let uri = format!("/sparql?query={}", encoded(&query));
    let json = get_with_accept(&fixture, &uri, "application/sparql-results+json").await?;
    assert_eq!(json.status, StatusCode::OK, "{}", json.body);
    assert_eq!(json.content_type(), "application/sparql-results+json");
    let parsed: serde_json::Value = serde_json::from_str(&json.body)?;
    assert_eq!(parsed["head"]["vars"][0], "title");
    assert!(!parsed["results"]["bindings"]
        .as_array()
        .expect("bindings")
        .is_empty());
    for (accept, media) in [
        (
            "application/sparql-results+xml",
            "application/sparql-results+xml",
        ),
        ("text/csv", "text/csv; charset=utf-8"),
        (
            "text/tab-separated-values",
            "text/tab-separated-values; charset=utf-8",
        ),
    ] {
        let reply = get_with_accept(&fixture, &uri, accept).await?;
        assert_eq!(
            (reply.status, reply.content_type()),
            (StatusCode::OK, media),
            "{accept}"
        );
    }
    let by_parameter = fixture.get(&format!("{uri}&format=csv")).await?;
    assert!(
        by_parameter.body.starts_with("title\r\n"),
        "{}",
        by_parameter.body
    );
    Ok(())
}

#[tokio::test]
async fn construct_answers_in_rdf_syntaxes() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let uri = format!(
        "/sparql?query={}",
        encoded(&format!("CONSTRUCT WHERE {{ <{AIR_IRI}> ?p ?o }}"))
    );
    for (accept, media) in [
        ("text/turtle", "text/turtle; charset=utf-8"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
    ] {
        let reply = get_with_accept(&fixture, &uri, accept).await?;
        assert_eq!(
            (reply.status, reply.content_type()),
            (StatusCode::OK, media),
            "{accept}: {}",
            reply.body
        );
        assert!(reply.body.contains(AIR_IRI), "{accept}: {}", reply.body);
    }
    let refused = get_with_accept(&fixture, &uri, "image/png").await?;
    assert_eq!(refused.status, StatusCode::NOT_ACCEPTABLE);
    Ok(())
}

#[tokio::test]
async fn browsers_get_the_query_page_with_harvested_text_escaped() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let page = get_with_accept(&fixture, "/sparql", browser).await?;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.content_type().starts_with("text/html"));
    assert!(
        page.body.contains("<textarea") && page.body.contains("Example queries"),
        "{}",
        page.body
    );
    let query = "SELECT ?title WHERE { ?s <http://purl.org/dc/terms/title> ?title }";
    let answer = get_with_accept(
        &fixture,
        &format!("/sparql?query={}", encoded(query)),
        browser,
    )
    .await?;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(
        !answer.body.contains(EVIL_TITLE),
        "a harvested <script> came out raw"
    );
    let escaped = [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&#60;script&#62;alert(1)&#60;/script&#62;",
    ];
    assert!(
        escaped.iter().any(|e| answer.body.contains(e)),
        "{}",
        answer.body
    );
    Ok(())
}

#[tokio::test]
async fn machines_get_the_service_description() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let reply = get_with_accept(&fixture, "/sparql", "text/turtle").await?;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.content_type().starts_with("text/turtle"));
    let triples: Vec<_> = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .for_slice(reply.body.as_bytes())
        .collect::<Result<_, _>>()?;
    let sd = "http://www.w3.org/ns/sparql-service-description#";
    assert!(triples
        .iter()
        .any(|q| q.predicate.as_str() == format!("{sd}endpoint")
            && q.object.to_string() == "<https://catalogue.example.org/sparql>"));
    assert!(triples
        .iter()
        .any(|q| q.object.to_string() == format!("<{sd}SPARQL11Query>")));
    Ok(())
}

#[tokio::test]
async fn updates_and_syntax_errors_are_refused_with_a_reason() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let update = fixture
        .send(
            Request::post("/sparql")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "update={}",
                    encoded("DELETE WHERE { ?s ?p ?o }")
                )))?,
        )
        .await?;
    assert_eq!(update.status, StatusCode::FORBIDDEN);
    assert!(update.body.contains("read-only"), "{}", update.body);
    let disguised = fixture
        .get(&format!(
            "/sparql?query={}",
            encoded("DELETE WHERE { ?s ?p ?o }")
        ))
        .await?;
    assert_eq!(
        disguised.status,
        StatusCode::FORBIDDEN,
        "{}",
        disguised.body
    );
    let broken = fixture
        .get(&format!(
            "/sparql?query={}",
            encoded("SELECT * WHERE {\n ?s ?p")
        ))
        .await?;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
    assert!(broken.body.contains("error at 2:"), "{}", broken.body);
    let still_there = fixture
        .get(&format!(
            "/sparql?query={}&format=json",
            encoded(&format!("ASK {{ <{AIR_IRI}> ?p ?o }}"))
        ))
        .await?;
    assert!(still_there.body.contains("true"), "{}", still_there.body);
    Ok(())
}

#[tokio::test]
async fn a_tombstoned_resource_is_not_visible() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    for query in [
        format!("ASK {{ <{GONE_IRI}> ?p ?o }}"),
        format!("ASK {{ GRAPH ?g {{ <{GONE_IRI}> ?p ?o }} }}"),
        format!("ASK {{ ?record <http://xmlns.com/foaf/0.1/primaryTopic> <{GONE_IRI}> ; a <http://www.w3.org/ns/dcat#CatalogRecord> FILTER NOT EXISTS {{ ?record <https://w3id.org/ldtcat#deleted> ?when }} }}"),
    ] {
        let reply = fixture.get(&format!("/sparql?query={}&format=json", encoded(&query))).await?;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert!(reply.body.contains("false"), "{query}: {}", reply.body);
    }
    Ok(())
}
