//! Revalidation: record pages and RDF, `/catalog` and `/feed` pages and searches carry a
//! strong `ETag`, `Cache-Control` and `Vary`; `If-None-Match` with the current tag is a `304`
//! without a body; another representation or another language has another tag; what is not
//! a read interface (SPARQL, errors) gets none.

use std::io::Read;

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::common::{record_path, Fixture, AIR_IRI};

/// Sends a GET and reads the body as bytes (a compressed body is not text).
async fn get_bytes(
    fixture: &Fixture,
    path: &str,
    headers: &[(&str, &str)],
) -> anyhow::Result<(StatusCode, HeaderMap, Vec<u8>)> {
    let mut request = Request::builder().uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = fixture
        .router()
        .oneshot(request.body(Body::empty())?)
        .await?;
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await?.to_bytes().to_vec();
    Ok((parts.status, parts.headers, bytes))
}

fn header_of(reply: &crate::common::Reply, name: header::HeaderName) -> &str {
    reply
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[tokio::test]
async fn read_interfaces_are_tagged_and_revalidated_with_304() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let record = record_path(AIR_IRI);
    let paths = [
        (record.clone(), "text/html"),
        (record.clone(), "text/turtle"),
        (format!("{record}.jsonld"), "*/*"),
        ("/catalog?page_size=5".to_owned(), "text/turtle"),
        ("/feed".to_owned(), "application/ld+json"),
        ("/search?q=air".to_owned(), "text/html"),
        ("/api/search?q=air".to_owned(), "application/json"),
    ];
    let mut tags = Vec::new();
    for (path, accept) in &paths {
        let first = fixture
            .send_with("GET", path, &[("accept", accept)])
            .await?;
        assert_eq!(first.status, StatusCode::OK, "{path}");
        let tag = header_of(&first, header::ETAG).to_owned();
        assert!(
            tag.len() == 34 && tag.starts_with('"') && tag.ends_with('"'),
            "{path}: strong tag {tag:?}"
        );
        assert!(
            header_of(&first, header::CACHE_CONTROL).contains("no-cache"),
            "{path}"
        );
        // The same request again: the same bytes, the same tag.
        let again = fixture
            .send_with("GET", path, &[("accept", accept)])
            .await?;
        assert_eq!(header_of(&again, header::ETAG), tag, "{path}");
        assert_eq!(again.body, first.body, "{path}");
        // Revalidated: 304, no body, the tag and the caching headers kept.
        let revalidated = fixture
            .send_with("GET", path, &[("accept", accept), ("if-none-match", &tag)])
            .await?;
        assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED, "{path}");
        assert!(revalidated.body.is_empty(), "{path}");
        assert_eq!(header_of(&revalidated, header::ETAG), tag, "{path}");
        assert_eq!(
            header_of(&revalidated, header::CACHE_CONTROL),
            header_of(&first, header::CACHE_CONTROL),
            "{path}"
        );
        assert_eq!(
            header_of(&revalidated, header::VARY),
            header_of(&first, header::VARY),
            "{path}"
        );
        // A list naming it, or a weak form of it, matches too; another tag does not.
        let listed = fixture
            .send_with(
                "GET",
                path,
                &[
                    ("accept", accept),
                    ("if-none-match", &format!("\"old\", W/{tag}")),
                ],
            )
            .await?;
        assert_eq!(listed.status, StatusCode::NOT_MODIFIED, "{path}");
        let stale = fixture
            .send_with(
                "GET",
                path,
                &[("accept", accept), ("if-none-match", "\"old\"")],
            )
            .await?;
        assert_eq!(stale.status, StatusCode::OK, "{path}");
        assert_eq!(stale.body, first.body, "{path}");
        tags.push(tag);
    }
    // Each representation has its own tag.
    let mut distinct = tags.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), tags.len(), "{tags:?}");

    // A page in another language is another representation, chosen by Accept-Language.
    let english = fixture
        .send_with(
            "GET",
            &record,
            &[("accept", "text/html"), ("accept-language", "en")],
        )
        .await?;
    let french = fixture
        .send_with(
            "GET",
            &record,
            &[("accept", "text/html"), ("accept-language", "fr")],
        )
        .await?;
    assert_ne!(
        header_of(&english, header::ETAG),
        header_of(&french, header::ETAG)
    );
    let vary = header_of(&french, header::VARY).to_owned();
    let vary_all: Vec<String> = french
        .headers
        .get_all(header::VARY)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    assert!(
        vary_all.iter().any(|v| v.contains("Accept-Language")),
        "{vary} {vary_all:?}"
    );
    let crossed = fixture
        .send_with(
            "GET",
            &record,
            &[
                ("accept", "text/html"),
                ("accept-language", "fr"),
                ("if-none-match", header_of(&english, header::ETAG)),
            ],
        )
        .await?;
    assert_eq!(crossed.status, StatusCode::OK);

    // Not read interfaces, or not a success: no tag.
    let missing = fixture.get("/resources/no-such-record").await?;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.headers.get(header::ETAG).is_none());
    let sparql = fixture
        .send_with(
            "GET",
            "/sparql?query=ASK%20%7B%7D",
            &[("accept", "application/sparql-results+json")],
        )
        .await?;
    assert_eq!(sparql.status, StatusCode::OK);
    assert!(sparql.headers.get(header::ETAG).is_none());
    Ok(())
}

#[tokio::test]
async fn large_answers_are_compressed_as_asked_and_their_tags_become_weak() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let path = "/catalog?page_size=20";
    let turtle = ("accept", "text/turtle");
    let (status, plain_headers, plain) = get_bytes(&fixture, path, &[turtle]).await?;
    assert_eq!(status, StatusCode::OK);
    assert!(plain_headers.get(header::CONTENT_ENCODING).is_none());
    let strong = plain_headers[header::ETAG].to_str()?.to_owned();
    assert!(!strong.starts_with("W/"), "{strong}");

    let (status, headers, gzipped) =
        get_bytes(&fixture, path, &[turtle, ("accept-encoding", "gzip")]).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(gzipped.as_slice()).read_to_end(&mut unzipped)?;
    assert_eq!(unzipped, plain, "the same answer, compressed");
    assert!(
        gzipped.len() * 3 < plain.len(),
        "{} of {}",
        gzipped.len(),
        plain.len()
    );
    let weak = headers[header::ETAG].to_str()?.to_owned();
    assert_eq!(weak, format!("W/{strong}"));
    let vary: Vec<&str> = headers
        .get_all(header::VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        vary.iter()
            .any(|v| v.to_ascii_lowercase().contains("accept-encoding")),
        "{vary:?}"
    );
    let (status, headers, body) = get_bytes(
        &fixture,
        path,
        &[
            turtle,
            ("accept-encoding", "gzip"),
            ("if-none-match", &weak),
        ],
    )
    .await?;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    assert_eq!(headers[header::ETAG], weak.as_str());

    let (_, headers, _) = get_bytes(&fixture, path, &[turtle, ("accept-encoding", "br")]).await?;
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    let (_, headers, _) =
        get_bytes(&fixture, path, &[turtle, ("accept-encoding", "gzip;q=0")]).await?;
    assert!(headers.get(header::CONTENT_ENCODING).is_none());

    // Not a tagged read interface: never compressed.
    let (status, headers, _) = get_bytes(
        &fixture,
        "/sparql?query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D",
        &[
            ("accept", "application/sparql-results+json"),
            ("accept-encoding", "gzip"),
        ],
    )
    .await?;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    Ok(())
}
