//! The DCAT-AP API: `/catalog` paged with Hydra (both vocabularies), the syntaxes, filters, and
//! `/resources/{id}` for machines (content negotiation, alternates, schema.org JSON-LD).

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNode, Term, Triple};

use crate::common::{record_path, Fixture, AIR_IRI, EVIL_TITLE, GONE_IRI, N_TRAFFIC};

const HYDRA: &str = "http://www.w3.org/ns/hydra/core#";
const DCAT: &str = "http://www.w3.org/ns/dcat#";

fn parse(body: &str, format: RdfFormat) -> Vec<Triple> {
    RdfParser::from_format(format)
        .for_slice(body.as_bytes())
        .map(|quad| quad.map(Triple::from).expect("valid RDF"))
        .collect()
}

fn objects(triples: &[Triple], predicate: &str) -> Vec<String> {
    triples
        .iter()
        .filter(|t| t.predicate.as_str() == predicate)
        .map(|t| match &t.object {
            Term::NamedNode(node) => node.as_str().to_owned(),
            Term::Literal(literal) => literal.value().to_owned(),
            other => other.to_string(),
        })
        .collect()
}

/// The path and query of an absolute URL of the fixture's site.
fn local(url: &str) -> String {
    url.strip_prefix("https://catalogue.example.org")
        .expect("absolute on the public base URL")
        .to_owned()
}

#[tokio::test]
async fn following_hydra_next_collects_every_record_exactly_once() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let total = fixture.get_json("/api/search").await?.1["total"]
        .as_u64()
        .expect("total") as usize;
    for (next_property, first) in [
        ("next", "/catalog.ttl?page_size=7"),
        ("nextPage", "/catalog.ttl?page_size=7"),
    ] {
        let mut seen = BTreeSet::new();
        let mut url = Some(first.to_owned());
        let mut pages = 0;
        while let Some(path) = url.take() {
            let reply = fixture.get(&path).await?;
            assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
            let triples = parse(&reply.body, RdfFormat::Turtle);
            let records = objects(&triples, &format!("{DCAT}record"));
            assert!(records.len() <= 7);
            for record in records {
                assert!(seen.insert(record.clone()), "{record} on two pages");
            }
            assert_eq!(
                objects(&triples, &format!("{HYDRA}totalItems"))[0],
                total.to_string()
            );
            url = objects(&triples, &format!("{HYDRA}{next_property}"))
                .first()
                .map(|u| local(u));
            pages += 1;
            assert!(pages < 100, "paging does not end");
        }
        assert_eq!(seen.len(), total, "following hydra:{next_property}");
        assert_eq!(pages, total.div_ceil(7));
    }
    Ok(())
}

#[tokio::test]
async fn the_catalogue_describes_itself_and_links_its_records() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let reply = fixture.get("/catalog.ttl").await?;
    assert_eq!(reply.content_type(), "text/turtle; charset=utf-8");
    let triples = parse(&reply.body, RdfFormat::Turtle);
    let catalog = NamedNode::new("https://catalogue.example.org/catalog")?;
    let about: Vec<&Triple> = triples
        .iter()
        .filter(|t| t.subject.to_string() == catalog.to_string())
        .collect();
    for property in [
        "http://purl.org/dc/terms/title",
        "http://purl.org/dc/terms/publisher",
        "http://xmlns.com/foaf/0.1/homepage",
        "http://purl.org/dc/terms/license",
        "http://purl.org/dc/terms/language",
        "http://www.w3.org/ns/dcat#themeTaxonomy",
    ] {
        assert!(
            about.iter().any(|t| t.predicate.as_str() == property),
            "catalogue lacks {property}"
        );
    }
    assert!(objects(&triples, &format!("{DCAT}dataset")).contains(&AIR_IRI.to_owned()));
    // The harvested statements come along, the resource IRI kept, with the CatalogRecord.
    assert!(triples
        .iter()
        .any(|t| t.subject.to_string() == format!("<{AIR_IRI}>")
            && t.predicate.as_str() == "http://purl.org/dc/terms/title"));
    assert!(
        objects(&triples, "http://xmlns.com/foaf/0.1/primaryTopic").contains(&AIR_IRI.to_owned())
    );
    assert!(!reply.body.contains(GONE_IRI), "a tombstone is published");
    Ok(())
}

#[tokio::test]
async fn every_syntax_carries_the_same_statements() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let turtle = parse(
        &fixture.get("/catalog.ttl?page_size=5").await?.body,
        RdfFormat::Turtle,
    );
    for (path, format) in [
        ("/catalog.nt?page_size=5", RdfFormat::NTriples),
        ("/catalog.rdf?page_size=5", RdfFormat::RdfXml),
        (
            "/catalog.jsonld?page_size=5",
            RdfFormat::JsonLd {
                profile: Default::default(),
            },
        ),
    ] {
        let triples = parse(&fixture.get(path).await?.body, format);
        // Paging links name the syntax they were asked in; every other statement is equal.
        let strip = |ts: &[Triple]| {
            ts.iter()
                .filter(|t| !t.to_string().contains("/catalog."))
                .count()
        };
        assert_eq!(strip(&triples), strip(&turtle), "{path}");
    }
    let negotiated = fixture
        .send(
            Request::builder()
                .uri("/catalog")
                .header(header::ACCEPT, "application/rdf+xml")
                .body(Body::empty())?,
        )
        .await?;
    assert_eq!(negotiated.content_type(), "application/rdf+xml");
    Ok(())
}

#[tokio::test]
async fn the_catalogue_filters_like_search() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let triples = parse(
        &fixture
            .get("/catalog.ttl?q=traffic&page_size=1000")
            .await?
            .body,
        RdfFormat::Turtle,
    );
    assert_eq!(objects(&triples, &format!("{DCAT}record")).len(), N_TRAFFIC);
    let models = parse(
        &fixture.get("/catalog.ttl?kind=model").await?.body,
        RdfFormat::Turtle,
    );
    assert_eq!(objects(&models, &format!("{HYDRA}totalItems"))[0], "1");
    let future = parse(
        &fixture
            .get("/catalog.ttl?modified_since=2999-01-01")
            .await?
            .body,
        RdfFormat::Turtle,
    );
    assert_eq!(objects(&future, &format!("{HYDRA}totalItems"))[0], "0");
    let bad = fixture.get("/catalog.ttl?modified_since=yesterday").await?;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    Ok(())
}

#[tokio::test]
async fn record_pages_negotiate_and_announce_their_alternates() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let path = record_path(AIR_IRI);
    let turtle = fixture
        .send(
            Request::builder()
                .uri(&path)
                .header(header::ACCEPT, "text/turtle")
                .body(Body::empty())?,
        )
        .await?;
    assert_eq!(turtle.content_type(), "text/turtle; charset=utf-8");
    let triples = parse(&turtle.body, RdfFormat::Turtle);
    assert!(
        objects(&triples, "http://xmlns.com/foaf/0.1/primaryTopic").contains(&AIR_IRI.to_owned())
    );
    let by_extension = fixture.get(&format!("{path}.jsonld")).await?;
    assert_eq!(by_extension.content_type(), "application/ld+json");
    let links: Vec<_> = turtle
        .headers
        .get_all(header::LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        links
            .iter()
            .any(|l| l.contains(".rdf>") && l.contains("rel=\"alternate\"")),
        "{links:?}"
    );
    let html = fixture.get(&path).await?;
    assert!(html.content_type().starts_with("text/html"));
    assert!(
        html.body
            .contains("<link rel=\"alternate\" type=\"text/turtle\""),
        "{}",
        html.body
    );
    let gone = fixture
        .get(&format!("{}.ttl", record_path(GONE_IRI)))
        .await?;
    assert_eq!(gone.status, StatusCode::GONE);
    Ok(())
}

#[tokio::test]
async fn record_pages_embed_schema_org_json_ld_that_cannot_break_out() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let evil = fixture.get(&record_path(crate::common::EVIL_IRI)).await?;
    let start = evil
        .body
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD embedded")
        + 35;
    let end = start + evil.body[start..].find("</script>").expect("closed");
    let json: serde_json::Value = serde_json::from_str(&evil.body[start..end])?;
    assert_eq!(json["@type"], "Dataset");
    assert_eq!(json["name"], EVIL_TITLE, "the title survives, as data");
    assert!(!evil.body[start..end].contains('<'));
    Ok(())
}
