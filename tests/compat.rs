//! Compatibility of components with LDT profiles, end to end: the demo federation's golden
//! matrix (every component against every profile, with each explanation), and, at scale, the
//! `compatible_with` search against a brute-force assessment of every stored component.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{get_json, send};
use ldtcat::catalog::Catalog;
use ldtcat::compat::{assess_catalog, load_profile};
use ldtcat::synthetic_components::{components_turtle, profile_and_adapters_turtle, PROFILE_IRI};
use ldtcat_compat::{
    offers_of, requirements_of, AdapterRecord, Adapters, Assessor, CompatRules, Profile, Verdict,
};
use ldtcat_index::{FacetField, FacetFilter, RequirementClause, RequirementFilter, SearchRequest};
use ldtcat_model::record::record_id;
use ldtcat_vocab::Kind;

fn demo_catalog() -> (tempfile::TempDir, Catalog) {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Catalog::open(dir.path()).expect("opens");
    let demo = common::repo_root().join("harvest-config/demo-data");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&demo)
        .expect("demo data")
        .map(|entry| entry.expect("entry").path())
        .collect();
    files.sort();
    for path in files {
        let source = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .to_owned();
        let summary = common::import(&catalog, &[path], &source);
        assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    }
    (dir, catalog)
}

fn profile_ids(catalog: &Catalog) -> Vec<String> {
    let request = SearchRequest {
        filters: vec![FacetFilter {
            field: FacetField::Kind,
            value: "ldt".to_owned(),
        }],
        limit: 100,
        facets: false,
        ..SearchRequest::default()
    };
    let mut ids: Vec<String> = catalog
        .index
        .search(&request)
        .expect("search")
        .hits
        .into_iter()
        .map(|hit| hit.iri)
        .collect();
    ids.sort();
    ids
}

#[test]
fn the_demo_federation_matrix_of_components_and_profiles_matches_the_golden_file() {
    let (_dir, catalog) = demo_catalog();
    let profiles = profile_ids(&catalog);
    assert!(
        profiles.len() >= 3,
        "the demo has at least three LDT profiles: {profiles:?}"
    );
    let mut matrix = String::new();
    let mut verdicts_by_component: std::collections::BTreeMap<String, BTreeSet<Verdict>> =
        Default::default();
    let mut seen = BTreeSet::new();
    for profile_iri in &profiles {
        let profile = load_profile(&catalog, profile_iri).expect("profile loads");
        let mut components = assess_catalog(&catalog, &profile, None).expect("assessed");
        components.sort_by(|a, b| a.title.cmp(&b.title));
        let _ = writeln!(
            matrix,
            "## {}",
            profile.title.as_deref().unwrap_or(profile_iri)
        );
        for component in &components {
            let verdict = component
                .assessment
                .verdict
                .expect("components state requirements");
            seen.insert(verdict);
            verdicts_by_component
                .entry(component.title.clone())
                .or_default()
                .insert(verdict);
            let _ = writeln!(
                matrix,
                "{} [{}]: {}",
                component.title, component.kind, verdict
            );
            for item in &component.assessment.requirements {
                let rule = item.rule.rsplit('/').next().unwrap_or(&item.rule);
                let _ = writeln!(
                    matrix,
                    "  - {} | {} | {} | {}",
                    item.requirement, item.verdict, rule, item.explanation
                );
            }
        }
        matrix.push('\n');
    }
    assert_eq!(
        seen.len(),
        3,
        "the demo covers all three verdicts:\n{matrix}"
    );
    assert!(
        verdicts_by_component.values().any(|v| v.len() >= 2),
        "some component's verdict differs across profiles"
    );
    expect_test::expect_file!["golden/compat/demo-matrix.txt"].assert_eq(&matrix);
}

fn app_state(catalog: &Catalog) -> ldtcat_serve::AppState {
    common::app_state(catalog, ldtcat_serve::SiteSettings::default())
}

/// Every component's verdict, from the store alone: requirements and adapters read from each
/// record's statements, not from the index.
fn brute_force(catalog: &Catalog, profile: &Profile) -> Vec<(String, Verdict)> {
    let rules = CompatRules::builtin().expect("rules");
    let mut records = Vec::new();
    let mut adapters = Vec::new();
    for id in catalog.store.record_ids().expect("ids") {
        let record = catalog.store.record(&id).expect("read").expect("exists");
        adapters.push(AdapterRecord {
            offers: offers_of(&record.iri, &record.triples),
            title: record.summary().display_title().to_owned(),
            id: record.id.clone(),
            iri: record.iri.clone(),
            kind: record.kind,
        });
        records.push(record);
    }
    let adapters = Adapters::new(adapters);
    let assessor = Assessor::new(&rules, profile, &adapters);
    records
        .iter()
        .filter_map(|record| {
            let requirements = requirements_of(&record.iri, &record.triples);
            assessor
                .assess(&requirements)
                .verdict
                .map(|verdict| (record.id.clone(), verdict))
        })
        .collect()
}

/// The search's facet counts (every facet) equal Tantivy's `FacetCollector`'s for kind
/// filters and requirement filters like those `compatible_with` makes, alone and together.
fn facet_counts_equal_the_facet_collectors(catalog: &Catalog) {
    let terms = catalog.index.requirement_terms().expect("terms");
    assert!(terms.len() > 4, "{terms:?}");
    let half = terms.len() / 2;
    let filters = [
        None,
        Some(RequirementFilter {
            clauses: vec![RequirementClause {
                any_of: terms[..half].to_vec(),
                none_of: terms[half..half + 2].to_vec(),
            }],
        }),
        Some(RequirementFilter {
            clauses: vec![
                RequirementClause {
                    any_of: terms[half..].to_vec(),
                    none_of: Vec::new(),
                },
                RequirementClause {
                    any_of: terms[..2].to_vec(),
                    none_of: terms[2..4].to_vec(),
                },
            ],
        }),
    ];
    for requirements in filters {
        for kind in [None, Some("model"), Some("service"), Some("ldt")] {
            let request = SearchRequest {
                filters: kind
                    .map(|kind| FacetFilter {
                        field: FacetField::Kind,
                        value: kind.to_owned(),
                    })
                    .into_iter()
                    .collect(),
                requirements: requirements.clone(),
                ..SearchRequest::default()
            };
            let results = catalog
                .index
                .search_with_facets(&request, &FacetField::EVERY)
                .expect("search");
            let reference = catalog
                .index
                .reference_facet_counts(&request, &FacetField::EVERY)
                .expect("reference");
            assert_eq!(results.facets, reference, "{request:?}");
            let kinds: u64 = reference[0].1.iter().map(|count| count.count).sum();
            assert_eq!(results.total as u64, kinds, "{request:?}");
        }
    }
}

#[test]
fn compatible_with_search_returns_exactly_the_brute_force_verdicts_of_10000_components() {
    let count: usize = std::env::var("LDTCAT_COMPAT_TEST_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Catalog::open(&dir.path().join("data")).expect("opens");
    let components = dir.path().join("components.ttl");
    std::fs::write(&components, components_turtle(count)).expect("write");
    let profile_file = dir.path().join("profile.ttl");
    std::fs::write(&profile_file, profile_and_adapters_turtle()).expect("write");
    common::import(&catalog, &[components, profile_file], "synthetic");
    let profile = load_profile(&catalog, PROFILE_IRI).expect("profile");
    let expected = brute_force(&catalog, &profile);
    assert_eq!(expected.len(), count, "every component states requirements");
    facet_counts_equal_the_facet_collectors(&catalog);
    let profile_id = record_id(PROFILE_IRI);
    let app = ldtcat_serve::router(app_state(&catalog));
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    for verdict in Verdict::ALL {
        let want: BTreeSet<&str> = expected
            .iter()
            .filter(|(_, v)| *v == verdict)
            .map(|(id, _)| id.as_str())
            .collect();
        assert!(
            !want.is_empty(),
            "{verdict}: the generator covers every verdict"
        );
        let mut got = BTreeSet::new();
        let mut page = 1;
        loop {
            let uri = format!(
                "/api/search?compatible_with={profile_id}&verdicts={verdict}&sort=id&page_size=100&page={page}"
            );
            let answer = runtime.block_on(get_json(&app, &uri));
            let results = answer["results"].as_array().expect("results").clone();
            if page == 1 {
                assert_eq!(
                    answer["total"].as_u64(),
                    Some(want.len() as u64),
                    "{verdict}"
                );
            }
            for result in &results {
                assert_eq!(result["compatibility"].as_str(), Some(verdict.as_str()));
                got.insert(result["id"].as_str().expect("id").to_owned());
            }
            if results.len() < 100 {
                break;
            }
            page += 1;
        }
        let got: BTreeSet<&str> = got.iter().map(String::as_str).collect();
        assert_eq!(got, want, "{verdict}: search and brute force disagree");
    }
    // Two verdicts at once are the union; the counts of /api/compatibility agree.
    let both = runtime.block_on(get_json(
        &app,
        &format!("/api/search?compatible_with={profile_id}&page_size=1"),
    ));
    let accepted = expected
        .iter()
        .filter(|(_, v)| *v != Verdict::NotCompatible)
        .count();
    assert_eq!(both["total"].as_u64(), Some(accepted as u64));
    let counts = runtime.block_on(get_json(
        &app,
        &format!("/api/compatibility?profile={profile_id}&limit=5"),
    ));
    for verdict in Verdict::ALL {
        let n = expected.iter().filter(|(_, v)| *v == verdict).count();
        assert_eq!(
            counts["counts"][verdict.as_str()].as_u64(),
            Some(n as u64),
            "{verdict}"
        );
    }
    assert_eq!(counts["components"].as_array().map(Vec::len), Some(5));
    drop(app);
    assert_eq!(
        catalog
            .store
            .stats()
            .expect("stats")
            .by_kind
            .get(&Kind::Ldt),
        Some(&1)
    );
}

#[test]
fn the_http_surface_assesses_against_catalogued_and_posted_profiles() {
    let (_dir, catalog) = demo_catalog();
    let app = ldtcat_serve::router(app_state(&catalog));
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let antibes = record_id("https://data.antibes.example/ldt/school-twin");
    let viewer = record_id("https://commons.ldt4ssc.example/visualisation/cesium-sensor-viewer");
    let mapper = record_id("https://commons.ldt4ssc.example/workflow/indoor-to-air-quality");
    let school_view = record_id("https://data.antibes.example/visualisation/school-3d-cesium");
    let get = |uri: String| {
        runtime.block_on(send(
            &app,
            Request::get(uri).body(Body::empty()).expect("request"),
        ))
    };

    // One component, requirement by requirement, each naming its rule and grounded adapters.
    let (status, body) = get(format!(
        "/api/compatibility?profile={antibes}&component={viewer}"
    ));
    assert_eq!(status, StatusCode::OK, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(
        json["component"]["verdict"], "limited-adaptations",
        "{json}"
    );
    let items = json["component"]["assessment"]["requirements"]
        .as_array()
        .expect("items");
    assert!(items.iter().all(|i| i["rule"]
        .as_str()
        .is_some_and(|r| r.starts_with("https://w3id.org/ldtcat/compatibility-rule/"))));
    let converted = items
        .iter()
        .find(|i| i["verdict"] == "limited-adaptations")
        .expect("a limited requirement");
    assert_eq!(converted["via"][0]["id"], mapper.as_str(), "{converted}");

    // A profile posted as TOML; unsupported or broken bodies are 400s that say why.
    let toml = std::fs::read_to_string(common::repo_root().join("vocab/examples/ldt-profile.toml"))
        .expect("example profile");
    let post = |content_type: &str, body: String| {
        runtime.block_on(send(
            &app,
            Request::post("/api/compatibility")
                .header("content-type", content_type)
                .body(Body::from(body))
                .expect("request"),
        ))
    };
    let (status, body) = post("application/toml", toml);
    assert_eq!(status, StatusCode::OK, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(json["profile"]["iri"], "https://example.org/ldt/my-city");
    let total: u64 = ["out-of-the-box", "limited-adaptations", "not-compatible"]
        .iter()
        .map(|v| json["counts"][v].as_u64().expect("count"))
        .sum();
    assert!(total >= 10, "{json}");
    let (status, body) = post("text/turtle", "<a> <b> ".to_owned());
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = post("application/pdf", "x".to_owned());
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("Content-Type"), "{body}");
    let (status, body) = get(format!("/api/compatibility?profile={viewer}"));
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("not an LDT profile"), "{body}");
    let (status, _) = get("/api/compatibility".to_owned());
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = get(format!(
        "/api/search?compatible_with={antibes}&verdicts=maybe"
    ));
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("verdicts"), "{body}");

    // HTML: the search keeps the accepted verdicts and shows each as a badge.
    let (status, page) = get(format!("/search?compatible_with={antibes}"));
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!("/resources/{school_view}")),
        "the out-of-the-box view is listed"
    );
    assert!(page.contains("badge verdict-out-of-the-box"));
    assert!(page.contains("badge verdict-limited-adaptations"));
    assert!(
        !page.contains("badge verdict-not-compatible"),
        "not compatible is not asked for"
    );
    assert!(
        page.contains("School air-confinement twin – LDT profile"),
        "the chooser names the profile"
    );
    // The record page explains each verdict and links the adapter.
    let (status, page) = get(format!("/resources/{viewer}?profile={antibes}"));
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("converts sdm:dataModel.Environment/IndoorEnvironmentObserved"),
        "explanation shown"
    );
    assert!(
        page.contains(&format!("href=\"/resources/{mapper}\"")),
        "the converter is linked"
    );
    // A profile's page links to its compatible components.
    let (_, page) = get(format!("/resources/{antibes}"));
    assert!(page.contains(&format!("/search?compatible_with={antibes}")));
}
