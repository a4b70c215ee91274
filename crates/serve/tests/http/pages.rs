//! The HTML pages: home, search (facets, filters, paging), record, 404 and 410.

use axum::http::StatusCode;

use crate::common::{
    record_path, Fixture, AIR_IRI, BROKER_IRI, ENVI, EVIL_IRI, EVIL_TITLE, GONE_IRI, ICONE_IRI,
    N_TRAFFIC, SOURCE_ID, SOURCE_URL,
};

const ESCAPED_TITLE: &str = "&#60;script&#62;alert(1)&#60;/script&#62;";

/// Askama escapes `<` as `&#60;`.
fn assert_escaped(body: &str) {
    assert!(!body.contains(EVIL_TITLE), "raw script tag in the page");
    assert!(body.contains(ESCAPED_TITLE), "escaped title missing");
}

#[tokio::test]
async fn home_lists_kinds_and_latest_records() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let reply = fixture.get("/").await?;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.content_type(), "text/html; charset=utf-8");
    let body = &reply.body;
    assert!(body.contains("<title>Test LDT catalogue</title>"));
    assert!(body.contains(r#"action="/search""#), "search form");
    assert!(body.contains(r#"href="/search?kind=model""#), "kind links");
    assert!(
        body.contains(r#"href="/search?kind=dataset"><strong>27</strong>"#),
        "{body}"
    );
    assert!(body.contains(r#"href="/search?kind=service"><strong>1</strong>"#));
    assert!(body.contains(r#"href="/search?kind=workflow"><strong>0</strong>"#));
    // latest first: the air-quality dataset was modified last
    let air = body
        .find("CO2 and temperature in a school")
        .unwrap_or(usize::MAX);
    let icone = body.find("ICONE air-confinement index").unwrap_or(0);
    assert!(air < icone, "latest records in order");
    assert!(
        !body.contains("Old parking occupancy"),
        "tombstones are not listed"
    );
    assert!(reply.headers.contains_key("content-security-policy"));
    assert!(!body.contains("<script"), "no scripts at all");
    Ok(())
}

#[tokio::test]
async fn search_shows_results_with_links_badges_and_snippets() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let reply = fixture.get("/search?q=ICONE").await?;
    assert_eq!(reply.status, StatusCode::OK);
    let body = &reply.body;
    assert!(body.contains(&format!(
        r#"href="{}">ICONE air-confinement index</a>"#,
        record_path(ICONE_IRI)
    )));
    assert!(body.contains(r#"class="badge model">Model<"#));
    assert!(body.contains("Computes the ICONE index"));
    assert!(body.contains("Results 1–1 of 1"));
    assert!(body.contains(r#"value="ICONE""#), "query kept in the form");
    Ok(())
}

#[tokio::test]
async fn facets_are_links_that_add_and_remove_filters() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let all = fixture.get("/search").await?.body;
    assert!(all.contains(r#"<h2 id="facet-kind">Kind</h2>"#));
    assert!(all.contains(r#"<a href="/search?kind=service" title="service">Service</a> <span class="count">1</span>"#), "{all}");
    let theme_link = format!(
        r#"<a href="/search?theme={}" title="{ENVI}">Environment</a> <span class="count">2</span>"#,
        ENVI.replace(':', "%3A").replace('/', "%2F")
    );
    assert!(
        all.contains(&theme_link),
        "theme facet with label and count"
    );
    assert!(
        all.contains(r#"<a href="/search?publisher=https%3A%2F%2Fdata.example.org%2Forg%2Fantibes" title="https://data.example.org/org/antibes">Ville d&#39;Antibes</a> <span class="count">2</span>"#),
        "publisher facet: the IRI, named by the record"
    );

    let filtered = fixture.get("/search?kind=model").await?.body;
    assert!(filtered.contains("Results 1–1 of 1"));
    assert!(filtered.contains("ICONE air-confinement index"));
    assert!(!filtered.contains("Stellio"));
    assert!(
        filtered.contains(r#"<a href="/search" aria-label="Remove filter Kind: Model">"#),
        "chip removes the filter"
    );
    assert!(
        filtered.contains(r#"<a href="/search" aria-current="true""#),
        "active facet value removes the filter"
    );
    assert!(
        filtered.contains(r#"<input type="hidden" name="kind" value="model">"#),
        "form keeps the filter"
    );

    let two_kinds = fixture.get("/search?kind=model&kind=service").await?.body;
    assert!(two_kinds.contains("of 2<"), "values of one field are OR'ed");
    let and = fixture
        .get(&format!("/search?kind=dataset&theme={}", urlencode(ENVI)))
        .await?
        .body;
    assert!(
        and.contains("Results 1–1 of 1") && and.contains("CO2 and temperature"),
        "fields are AND'ed"
    );
    let other_fields = fixture
        .get(&format!(
            "/search?source={SOURCE_ID}&format=text%2Fcsv&licence={}",
            urlencode("http://creativecommons.org/licenses/by/4.0/")
        ))
        .await?
        .body;
    assert!(
        other_fields.contains("Results 1–1 of 1"),
        "source, format and licence filters"
    );
    Ok(())
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn paging_with_previous_next_and_numbers() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let first = fixture.get("/search?q=traffic&page_size=10").await?.body;
    assert!(
        first.contains(&format!("Results 1–10 of {N_TRAFFIC}")),
        "{first}"
    );
    assert!(
        first.contains(r#"<a href="/search?q=traffic&#38;page=2&#38;page_size=10" rel="next">"#),
        "next link"
    );
    assert!(!first.contains(r#"rel="prev""#));
    assert!(first.contains(r#"aria-current="page">1</a>"#));
    let last = fixture
        .get("/search?q=traffic&page_size=10&page=3&sort=title")
        .await?
        .body;
    assert!(last.contains(&format!("Results 21–{N_TRAFFIC} of {N_TRAFFIC}")));
    assert!(last.contains(r#"rel="prev""#) && !last.contains(r#"rel="next""#));
    assert!(
        last.contains("Traffic counts 25") && !last.contains("Traffic counts 20<"),
        "sorted by title"
    );
    let beyond = fixture.get("/search?q=traffic&page=99").await?;
    assert_eq!(beyond.status, StatusCode::OK);
    assert!(beyond.body.contains("none on this page"));
    let capped = fixture.get("/search?page_size=1000").await?.body;
    assert!(
        capped.contains("Results 1–29 of 29"),
        "page size capped at 100, all 29 live records shown"
    );
    Ok(())
}

#[tokio::test]
async fn bbox_filters_by_area() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let antibes = fixture.get("/search?bbox=7.0,43.5,7.2,43.7").await?.body;
    assert!(antibes.contains("Results 1–1 of 1") && antibes.contains("CO2 and temperature"));
    assert!(antibes.contains("Area: 7,43.5,7.2,43.7"));
    let zurich = fixture.get("/search?bbox=8.4,47.3,8.6,47.4").await?.body;
    assert!(zurich.contains("No resource matches"));
    Ok(())
}

#[tokio::test]
async fn record_page_shows_properties_distributions_and_provenance() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let reply = fixture.get(&record_path(AIR_IRI)).await?;
    assert_eq!(reply.status, StatusCode::OK);
    let body = &reply.body;
    assert!(body.contains("<h1>CO2 and temperature in a school</h1>"));
    assert!(body.contains("Readings of 30 LoRaWAN sensors"));
    assert!(
        body.contains("DCAT dataset, dataset series or catalogue"),
        "why this kind: the rule's label"
    );
    assert!(
        body.contains("https://w3id.org/ldtcat/rule/"),
        "the rule's IRI"
    );
    assert!(
        body.contains(r#"<small title="http://purl.org/dc/terms/title">dct:title</small>"#),
        "compact predicate names"
    );
    assert!(body.contains(r#"<span class="text" lang="fr">CO2 et température dans une école</span> <small>(fr)</small>"#), "language tags");
    assert!(
        body.contains(r#"<dt class="d1">Name"#) && body.contains("Ville d"),
        "the publisher nested"
    );
    assert!(
        body.contains(r#"<a href="https://data.example.org/files/air.csv">"#),
        "download link"
    );
    assert!(
        body.contains(&format!(r#"<a href="{ENVI}">Environment</a>"#)),
        "known IRIs read as labels"
    );
    assert!(body.contains(r#"<a href="http://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>"#));
    assert!(body.contains("Download: "), "distribution section");
    assert!(body.contains(r#"<h3>Readings as CSV</h3>"#));
    assert!(
        body.contains(r#"<span class="badge">text/csv</span>"#),
        "format of the distribution"
    );
    assert!(
        !body.contains("href=\"javascript:"),
        "only http(s) IRIs become links"
    );
    assert!(body.contains("<code>javascript:alert(2)</code>"));
    assert!(
        body.contains(SOURCE_ID) && body.contains(&format!(r#"<a href="{SOURCE_URL}">"#)),
        "provenance"
    );
    assert!(body.contains("2024-06-01 12:00 UTC"), "first and last seen");
    assert!(body.contains(r#"<span class="badge">primary</span>"#));
    assert!(
        body.contains("First catalogued") && body.contains("Resource modified"),
        "record dates"
    );
    Ok(())
}

#[tokio::test]
async fn service_record_says_why_it_is_a_service() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let body = fixture.get(&record_path(BROKER_IRI)).await?.body;
    assert!(body.contains(r#"class="badge service">Service<"#));
    assert!(body.contains("DCAT data service"));
    assert!(body.contains(r#"<a href="https://broker.example.org/ngsi-ld/v1">"#));
    Ok(())
}

#[tokio::test]
async fn unknown_records_are_404_and_tombstones_410() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let unknown = fixture
        .get("/resources/0123456789abcdef0123456789abcdef")
        .await?;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("no record has the id"));
    assert!(
        unknown
            .body
            .contains("<title>Not found · Test LDT catalogue</title>"),
        "error pages use the layout"
    );
    let odd = fixture.get("/resources/not%20an%20id").await?;
    assert_eq!(odd.status, StatusCode::NOT_FOUND);
    let gone = fixture.get(&record_path(GONE_IRI)).await?;
    assert_eq!(gone.status, StatusCode::GONE);
    assert!(gone.body.contains("was withdrawn on 2024-06-01"));
    assert!(!gone.body.contains("Old parking occupancy"));
    let nowhere = fixture.get("/nowhere").await?;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    assert!(nowhere.content_type().starts_with("text/html"));
    Ok(())
}

#[tokio::test]
async fn harvested_markup_is_escaped_everywhere() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let home = fixture.get("/").await?.body;
    assert_escaped(&home);
    let search = fixture.get("/search?q=alert").await?.body;
    assert_escaped(&search);
    let record = fixture.get(&record_path(EVIL_IRI)).await?.body;
    assert_escaped(&record);
    // The description is HTML: rendered through the sanitiser's allow-list, not escaped.
    assert!(record.contains("Harvested <b>markup</b> &amp;"), "{record}");
    assert!(!record.contains("href=\"javascript:"));
    assert!(
        record.contains("<title>&#60;script&#62;"),
        "in the <title> too"
    );
    let echoed = fixture
        .get("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        .await?
        .body;
    assert!(
        !echoed.contains(EVIL_TITLE),
        "the query text is escaped when echoed"
    );
    Ok(())
}
