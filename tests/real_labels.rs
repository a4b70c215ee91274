//! The shared real exports (`../shared/data/catalogues/`: the Antwerp datatank and the
//! Statbel subset) as a visitor reads them: no page and no facet shows a raw IRI where a
//! label exists, in the export itself (a subject of `skos:prefLabel`, `foaf:name`,
//! `vcard:fn`, `vcard:organization-name`, `dct:title`, `schema:name` or `rdfs:label`) or in
//! the vendored authority tables. Every record page, the search pages of each source, the
//! home page and the JSON facets are read, in English and in Dutch.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use axum::body::Body;
use http_body_util::BodyExt;
use ldtcat::catalog::Catalog;
use ldtcat_vocab::authority::authority;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedOrBlankNode, Term};
use tower::ServiceExt;

const LABEL_PREDICATES: [&str; 7] = [
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://xmlns.com/foaf/0.1/name",
    "http://www.w3.org/2006/vcard/ns#fn",
    "http://www.w3.org/2006/vcard/ns#organization-name",
    "http://purl.org/dc/terms/title",
    "http://schema.org/name",
    "http://www.w3.org/2000/01/rdf-schema#label",
];

fn exports() -> Vec<(PathBuf, &'static str)> {
    let shared = common::shared_data().join("catalogues");
    vec![
        (shared.join("antwerpen-datatank-2015.ttl"), "antwerpen"),
        (shared.join("statbel-subset.ttl"), "statbel"),
    ]
}

/// The IRIs of the exports that have a label: in the export, or in an authority table.
fn labelled_iris() -> BTreeSet<String> {
    let mut labelled = BTreeSet::new();
    let mut objects = BTreeSet::new();
    for (path, _) in exports() {
        let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for triple in RdfParser::from_format(RdfFormat::Turtle)
            .lenient()
            .for_reader(file)
        {
            // Lenient, as the import is: the Antwerp export has IRIs with tabs.
            let triple = triple.expect("the shared exports parse");
            let labelled_subject = LABEL_PREDICATES.contains(&triple.predicate.as_str());
            if let (true, NamedOrBlankNode::NamedNode(subject)) =
                (labelled_subject, &triple.subject)
            {
                labelled.insert(subject.as_str().to_owned());
            }
            if let Term::NamedNode(object) = &triple.object {
                objects.insert(object.as_str().to_owned());
            }
        }
    }
    let tables = authority();
    labelled.extend(
        objects
            .into_iter()
            .filter(|iri| tables.labels_of(iri).is_some()),
    );
    labelled
}

/// The text a person reads: no `<script>` (the record page's JSON-LD is for machines), no
/// tags (hence no `href` or `title`), character references decoded.
fn visible_text(html: &str) -> String {
    let mut rest = html;
    let mut kept = String::new();
    while let Some(start) = rest.find("<script") {
        kept.push_str(&rest[..start]);
        rest = rest[start..]
            .find("</script>")
            .map_or("", |end| &rest[start + end + 9..]);
    }
    kept.push_str(rest);
    let mut text = String::new();
    let mut in_tag = false;
    for c in kept.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

async fn get(app: &axum::Router, path: &str) -> String {
    let request = axum::http::Request::get(path)
        .body(Body::empty())
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("responds");
    assert_eq!(response.status(), 200, "{path}");
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    String::from_utf8(body.to_vec()).expect("UTF-8")
}

/// Every labelled IRI that `text` shows as such.
fn raw_iris_in<'a>(text: &str, labelled: &'a BTreeSet<String>, own: Option<&str>) -> Vec<&'a str> {
    labelled
        .iter()
        .filter(|iri| Some(iri.as_str()) != own)
        .filter(|iri| {
            // The IRI as a whole word: not the beginning of a longer IRI that has no label.
            text.match_indices(iri.as_str()).any(|(at, _)| {
                text[at + iri.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !(c.is_alphanumeric() || "/-_~%#?=&+".contains(c)))
            })
        })
        .map(String::as_str)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_exports_show_labels_not_iris_wherever_a_label_exists() {
    let labelled = labelled_iris();
    assert!(
        labelled.len() > 50,
        "the exports label IRIs: {}",
        labelled.len()
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Catalog::open(dir.path()).expect("opens");
    for (path, source) in exports() {
        let summary = common::import(&catalog, &[path], source);
        assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    }
    let app = ldtcat_serve::router(common::app_state(
        &catalog,
        ldtcat_serve::SiteSettings::default(),
    ));

    let mut problems: Vec<String> = Vec::new();
    let mut pages = 0;
    // The labelled IRIs that pages link to (so shown by something else than the IRI).
    let mut linked: BTreeSet<&str> = BTreeSet::new();
    let ids = catalog.store.record_ids().expect("ids");
    for id in &ids {
        for lang in ["en", "nl"] {
            let html = get(&app, &format!("/resources/{id}?lang={lang}")).await;
            let own = catalog
                .store
                .record_metadata(id)
                .ok()
                .flatten()
                .map(|r| r.iri);
            // The record's own IRI is its identifier, shown once as such in "About this record".
            let found = raw_iris_in(&visible_text(&html), &labelled, own.as_deref());
            linked.extend(
                labelled
                    .iter()
                    .filter(|iri| html.contains(&format!("href=\"{iri}\"")))
                    .map(String::as_str),
            );
            if !found.is_empty() {
                problems.push(format!("/resources/{id}?lang={lang}: {found:?}"));
            }
            pages += 1;
        }
    }
    let mut listings = vec!["/".to_owned(), "/search".to_owned()];
    for (_, source) in exports() {
        for page in 1..=3 {
            listings.push(format!(
                "/search?source={source}&page={page}&page_size=100&lang=nl"
            ));
        }
    }
    for path in &listings {
        let found = raw_iris_in(&visible_text(&get(&app, path).await), &labelled, None);
        if !found.is_empty() {
            problems.push(format!("{path}: {found:?}"));
        }
        pages += 1;
    }
    eprintln!(
        "{} labelled IRIs, {pages} pages, {} linked",
        labelled.len(),
        linked.len()
    );
    let json: serde_json::Value =
        serde_json::from_str(&get(&app, "/api/search?page_size=1&lang=fr").await).expect("JSON");
    let mut facet_values = 0;
    let mut labelled_facet_values = 0;
    for (facet, values) in json["facets"].as_object().expect("facets") {
        for value in values.as_array().expect("values") {
            facet_values += 1;
            let raw = value["value"].as_str().unwrap_or_default();
            labelled_facet_values += usize::from(labelled.contains(raw));
            if labelled.contains(raw) && value["label"] == raw {
                problems.push(format!("/api/search facet {facet}: {value}"));
            }
        }
    }
    assert!(pages > ids.len(), "pages read: {pages}");
    assert!(facet_values > 10, "facet values read: {facet_values}");
    // What the check stands on: labelled themes, publishers, formats or licences in the
    // facets, and labelled IRIs the pages link to.
    assert!(
        labelled_facet_values >= 5,
        "labelled facet values: {labelled_facet_values}"
    );
    assert!(
        linked.len() >= 20,
        "labelled IRIs linked from pages: {linked:?}"
    );
    // And the check finds an IRI shown as text.
    let some = labelled.iter().next().expect("one");
    assert_eq!(
        raw_iris_in(&format!("Theme: {some}"), &labelled, None),
        [some.as_str()]
    );
    assert!(
        problems.is_empty(),
        "{} page(s) show raw IRIs:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
