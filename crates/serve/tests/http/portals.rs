//! Real-world metadata: the portal-shaped exports of `tests/fixtures/portals/` (HTML and
//! Markdown descriptions, a theme scheme declared once, publishers named in another source,
//! a multilingual record). Golden HTML of three record pages (`UPDATE_EXPECT=1` refreshes
//! them), and the labels, languages and sanitising they show.

use expect_test::expect_file;
use ldtcat_model::record_id;

use crate::common::Fixture;

const FETES: &str = "https://public.opendatasoft.com/explore/dataset/fetes-foraines/";
const POPULATION: &str = "https://public.opendatasoft.com/explore/dataset/population-legale/";
const VELOS: &str = "https://public.opendatasoft.com/explore/dataset/stationnement-velos/";
const CENSUS: &str = "https://ckan.example.org/dataset/recensement-2021";
const COMMUTING: &str = "https://ckan.example.org/dataset/mobilite-multilingue";

fn path(iri: &str) -> String {
    format!("/resources/{}", record_id(iri))
}

/// The `<main>` element of a page: what the golden files hold.
fn main_of(body: &str) -> String {
    let start = body.find("<main").unwrap_or(0);
    let end = body
        .find("</main>")
        .map_or(body.len(), |end| end + "</main>".len());
    let mut main = body[start..end].to_owned();
    // One element per line, so that golden diffs read well.
    main = main.replace("><", ">\n<");
    main.push('\n');
    main
}

#[tokio::test]
async fn golden_record_with_an_html_description() -> anyhow::Result<()> {
    let fixture = Fixture::portals()?;
    let reply = fixture.get(&format!("{}?lang=fr", path(FETES))).await?;
    assert_eq!(reply.status, 200);
    expect_file!["../../../../tests/golden/html/record-html-description.html"]
        .assert_eq(&main_of(&reply.body));
    Ok(())
}

#[tokio::test]
async fn golden_record_with_a_markdown_description() -> anyhow::Result<()> {
    let fixture = Fixture::portals()?;
    let reply = fixture.get(&format!("{}?lang=fr", path(CENSUS))).await?;
    assert_eq!(reply.status, 200);
    expect_file!["../../../../tests/golden/html/record-markdown-description.html"]
        .assert_eq(&main_of(&reply.body));
    Ok(())
}

#[tokio::test]
async fn golden_multilingual_record_in_dutch() -> anyhow::Result<()> {
    let fixture = Fixture::portals()?;
    let reply = fixture
        .send_with(
            "GET",
            &path(COMMUTING),
            &[("accept-language", "nl-BE,nl;q=0.9,en;q=0.5")],
        )
        .await?;
    assert_eq!(reply.status, 200);
    assert!(
        reply
            .body
            .starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"),
        "{}",
        &reply.body[..80]
    );
    expect_file!["../../../../tests/golden/html/record-multilingual-nl.html"]
        .assert_eq(&main_of(&reply.body));
    Ok(())
}

#[tokio::test]
async fn descriptions_render_as_markup_and_search_hits_as_plain_text() -> anyhow::Result<()> {
    let fixture = Fixture::portals()?;
    let record = fixture.get(&path(POPULATION)).await?;
    assert!(
        record.body.contains("<p>Population légale des communes"),
        "rendered HTML"
    );
    assert!(!record.body.contains("&lt;p&gt;"), "no escaped tags");
    assert!(record
        .body
        .contains(r#"<meta name="description" content="Population légale des communes en vigueur au 1er janvier. Source : recensement"#));
    let search = fixture.get("/search?q=population").await?;
    assert!(search.body.contains("Population légale des communes en vigueur au 1er janvier. Source : recensement de la population."), "{}", search.body);
    assert!(!search.body.contains("&lt;p&gt;") && !search.body.contains("&lt;hr"));
    let (_, json) = fixture.get_json("/api/search?q=population").await?;
    let description = json["results"]
        .as_array()
        .and_then(|results| results.iter().find(|r| r["iri"] == POPULATION))
        .and_then(|result| result["description"].as_str())
        .unwrap_or_default()
        .to_owned();
    assert!(
        description.starts_with("Population légale des communes"),
        "{description}"
    );
    assert!(!description.contains('<'), "{description}");
    Ok(())
}

#[tokio::test]
async fn a_hostile_description_keeps_no_script_handler_or_javascript_link() -> anyhow::Result<()> {
    let fixture = Fixture::portals()?;
    let reply = fixture.get(&path(VELOS)).await?;
    assert_eq!(reply.status, 200);
    let main = main_of(&reply.body);
    for forbidden in [
        "<script",
        "onclick",
        "onerror",
        "onmouseover",
        "onload",
        "javascript:",
        "JaVaScRiPt",
        "<iframe",
        "<img",
        "<form",
        "<input",
        "<svg onload",
        "127.0.0.1:9",
        "<style",
        "target=",
    ] {
        assert!(!main.contains(forbidden), "{forbidden} in\n{main}");
    }
    assert!(
        main.contains(
            r#"<a href="https://www.example.org/velos" rel="nofollow noopener">le service vélo</a>"#
        ),
        "{main}"
    );
    let csp = reply
        .headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-eval"),
        "{csp}"
    );
    assert!(!csp.contains("script-src 'unsafe-inline'"), "{csp}");
    Ok(())
}

#[tokio::test]
async fn facets_show_labels_from_records_the_store_tables_and_fallbacks() -> anyhow::Result<()> {
    let fixture = Fixture::portals()?;
    let (status, json) = fixture.get_json("/api/search?lang=fr").await?;
    assert_eq!(status, 200);
    let label_of = |facet: &str, value: &str| -> Option<String> {
        json["facets"][facet]
            .as_array()?
            .iter()
            .find(|entry| entry["value"] == value)
            .and_then(|entry| entry["label"].as_str())
            .map(str::to_owned)
    };
    // Declared once in the export's theme scheme.
    assert_eq!(
        label_of("theme", "https://public.opendatasoft.com/id/theme/santé").as_deref(),
        Some("Santé")
    );
    // The EU table, in French.
    assert_eq!(
        label_of(
            "theme",
            "http://publications.europa.eu/resource/authority/data-theme/SOCI"
        )
        .as_deref(),
        Some("Population et société")
    );
    // A bare IRI in the Opendatasoft export, named in the CKAN source.
    assert_eq!(
        label_of("publisher", "http://www.insee.fr/fr/").as_deref(),
        Some("Institut national de la statistique et des études économiques")
    );
    // Named nowhere: the host.
    assert_eq!(
        label_of("publisher", "https://statbel.fgov.be/").as_deref(),
        Some("statbel.fgov.be")
    );
    // The source's IRI of the licence is one facet value with its SPDX IRI.
    assert_eq!(
        label_of("licence", "http://spdx.org/licenses/etalab-2.0").as_deref(),
        Some("Licence Ouverte 2.0")
    );
    assert_eq!(
        label_of("kind", "dataset").as_deref(),
        Some("Jeu de données")
    );
    let english = fixture
        .send_with("GET", "/api/search", &[("accept-language", "en")])
        .await?;
    assert!(
        english
            .body
            .contains("\"label\":\"National Institute of Statistics and Economic Studies\""),
        "{}",
        english.body
    );
    let page = fixture.get("/search?lang=fr").await?;
    assert!(page.body.contains(">Santé</a>"), "theme label on the page");
    assert!(
        !page.body.contains(">public.opendatasoft.com/id/theme"),
        "no raw IRI"
    );
    Ok(())
}

#[tokio::test]
async fn the_language_selector_keeps_the_choice_in_every_link() -> anyhow::Result<()> {
    let fixture = Fixture::portals()?;
    let page = fixture.get("/search?q=recensement&lang=de").await?;
    assert!(page.body.contains("<html lang=\"de\">"));
    assert!(page.body.contains(">Suchen</button>"));
    assert!(
        page.body
            .contains(&format!("href=\"{}?lang=de\"", path(CENSUS))),
        "record links keep lang"
    );
    assert!(
        page.body
            .contains("href=\"/search?q=recensement&#38;lang=it\""),
        "selector: {}",
        page.body
    );
    assert!(page
        .body
        .contains("<input type=\"hidden\" name=\"lang\" value=\"de\">"));
    let hit_title = "lang=\"en\">Population census 2021</a>";
    assert!(
        page.body.contains(hit_title),
        "with no German title, the English one, marked: {}",
        page.body
    );
    Ok(())
}
