//! Malformed query strings: a 400 naming the parameter, as HTML on `/search` and as JSON on
//! `/api/search`; never a 500 or axum's plain-text rejection.

use axum::http::StatusCode;

use crate::common::Fixture;

/// Query strings and the parameter their error message must name.
const MALFORMED: &[(&str, &str)] = &[
    ("page=abc", "page"),
    ("page=0", "page"),
    ("page=-3", "page"),
    ("page_size=-1", "page_size"),
    ("page_size=ten", "page_size"),
    ("sort=random", "sort"),
    ("kind=catalogue", "kind"),
    ("bbox=1,2,3", "bbox"),
    ("bbox=a,b,c,d", "bbox"),
    ("bbox=0,100,1,101", "bbox"),
    ("q=%zz", "q"),
    ("q=100%", "q"),
    ("q=%FF%FE", "q"),
    ("page=99999999999999999999999", "page"),
];

#[tokio::test]
async fn malformed_queries_are_400_html_naming_the_parameter() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    for (query, parameter) in MALFORMED {
        let reply = fixture.get(&format!("/search?{query}")).await?;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(reply.content_type().starts_with("text/html"), "{query}");
        assert!(reply.body.contains("<h1>Bad request</h1>"), "{query}");
        assert!(
            reply.body.contains(&format!("`{parameter}`")),
            "{query}: {}",
            reply.body
        );
    }
    Ok(())
}

#[tokio::test]
async fn malformed_queries_are_400_json_naming_the_parameter() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    for (query, parameter) in MALFORMED {
        let (status, json) = fixture.get_json(&format!("/api/search?{query}")).await?;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        let message = json["error"].as_str().unwrap_or_default();
        assert!(
            message.contains(&format!("`{parameter}`")),
            "{query}: {message}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn unknown_parameters_and_empty_values_are_ignored() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let reply = fixture.get("/search?utm_source=x&page=&sort=&q=").await?;
    assert_eq!(reply.status, StatusCode::OK);
    let (status, json) = fixture
        .get_json("/api/search?foo=bar&&=&page_size=")
        .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["total"], 29);
    Ok(())
}

#[tokio::test]
async fn the_bad_value_is_echoed_escaped() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let reply = fixture.get("/search?page=%3Cscript%3E").await?;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(!reply.body.contains("<script>"));
    assert!(reply.body.contains("&#60;script&#62;"));
    Ok(())
}

#[tokio::test]
async fn a_record_path_that_is_not_utf8_is_400_naming_the_id() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let reply = fixture.get("/resources/%FF%FE").await?;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("`id`"), "{}", reply.body);
    Ok(())
}
