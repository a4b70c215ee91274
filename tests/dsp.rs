//! The Dataspace Protocol both ways.
//!
//! - Harvest: the shared DSP 2025-1 examples (catalog, nested catalog, dataset) served by a
//!   fixture connector on loopback, with a token and `Link` paging, a federated catalog whose
//!   nested catalogs list datasets or point to a sub-catalog: every dataset arrives with its
//!   offers and its participant; a component's verdict uses its harvested offer.
//! - Serve, read by third-party tools: every message validates against DSP's JSON schemas
//!   (Python `jsonschema`) and expands (`pyld`) to the record's graph (`tests/python/dsp_check.py`).
//! - Round trip: ldtcat B harvests ldtcat A's DSP catalog with a token; without it, or with a
//!   wrong one, the run fails with a clear 401 and deletes nothing.

mod common;
#[path = "harvest/server.rs"]
#[allow(dead_code)]
mod server;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use ldtcat::catalog::Catalog;
use ldtcat::harvest::{run_source, RunRequest};
use ldtcat_compat::{Form, Profile, Verdict};
use ldtcat_config::{load_harvest_file, SourceConfig};
use ldtcat_harvest::{Fetcher, HostPolicy};
use ldtcat_model::record_id;
use ldtcat_store::{HarvestRun, RunStatus};
use serde_json::{json, Value};
use server::Reply;

const DSP_CONTEXT: &str = "https://w3id.org/dspace/2025/1/context.jsonld";
const ODRL: &str = "http://www.w3.org/ns/odrl/2/";

fn example(name: &str) -> Value {
    let path = common::shared_data().join("dataspace-protocol").join(name);
    serde_json::from_slice(&std::fs::read(&path).expect("shared DSP example")).expect("JSON")
}

/// A `[[source]]` of kind `dsp` written to `dir` and loaded as ldtcat would.
fn dsp_source(dir: &Path, id: &str, url: &str, token_env: Option<&str>) -> SourceConfig {
    let auth = token_env.map_or(String::new(), |variable| {
        format!("[source.options]\nauth_header = \"Authorization\"\nauth_env = \"{variable}\"\n")
    });
    let path = dir.join(format!("{id}.toml"));
    std::fs::write(
        &path,
        format!("[[source]]\nid = \"{id}\"\nkind = \"dsp\"\nurl = \"{url}\"\n{auth}"),
    )
    .expect("write config");
    load_harvest_file(&path).expect("config loads").remove(0)
}

async fn harvest(catalog: &Arc<Catalog>, source: &SourceConfig) -> HarvestRun {
    let fetcher = Fetcher::new(HostPolicy::for_urls([&source.url])).expect("client");
    run_source(
        catalog.clone(),
        fetcher,
        source.clone(),
        RunRequest::default(),
        &|_| {},
    )
    .await
    .expect("run report")
}

/// The statements of a record as N-Triples lines.
fn statements(catalog: &Catalog, iri: &str) -> String {
    let record = catalog
        .store
        .record(&record_id(iri))
        .expect("reads")
        .unwrap_or_else(|| panic!("{iri} was harvested"));
    record.triples.iter().map(|t| format!("{t} .\n")).collect()
}

/// The fixture connector's pages: the shared catalog, the shared nested catalog, then a
/// federated catalog (the shared dataset and a component in a nested catalog of provider B;
/// a nested catalog of provider C read from its own endpoint), then provider C's catalog.
fn connector_pages(base: &str) -> Vec<(String, Value)> {
    let mut dataset = example("dataset.json");
    dataset.as_object_mut().map(|d| d.remove("@context"));
    let offer = example("catalog.json")["dataset"][0]["hasPolicy"][0].clone();
    let component = json!({
        "@id": "https://provider-b.example.org/model/heat-island",
        "@type": ["Dataset", "http://data.europa.eu/it6/MachineLearningModel"],
        "dct:title": [{"@value": "Heat island model", "@language": "en"}],
        "https://w3id.org/ldtcat#requiresInterface": [{"@id": "https://w3id.org/ldtcat/interface/ngsi-ld"}],
        "hasPolicy": [offer],
        "distribution": [{"@type": "Distribution", "format": "HttpData-PULL",
                          "accessService": "urn:uuid:4aa2dcc8-4d2d-569e-d634-8394a8834d77"}],
    });
    let federated = json!({
        "@context": [DSP_CONTEXT],
        "@id": "urn:example:federated-catalog",
        "@type": "Catalog",
        "participantId": "urn:example:FederatedCatalogue",
        "catalog": [
            {"@id": "urn:example:provider-b", "@type": "Catalog",
             "participantId": "urn:example:DataProviderB",
             "dataset": [dataset, component]},
            {"@id": "urn:example:provider-c", "@type": "Catalog",
             "distribution": [{"@type": "Distribution", "format": "Catalog",
                               "accessService": format!("{base}/provider-c")}],
             "service": [{"@id": format!("{base}/provider-c"), "@type": "DataService",
                          "endpointURL": format!("{base}/provider-c")}]},
        ],
    });
    let provider_c = json!({
        "@context": [DSP_CONTEXT],
        "@id": "urn:example:provider-c-catalog",
        "@type": "Catalog",
        "participantId": "urn:example:DataProviderC",
        "dataset": [{"@id": "https://provider-c.example.org/dataset/noise", "@type": "Dataset",
                     "hasPolicy": [{"@id": "urn:example:offer:noise", "@type": "Offer",
                                    "permission": [{"action": "use"}],
                                    "prohibition": [{"action": "odrl:distribute"}]}],
                     "distribution": [{"@type": "Distribution", "format": "HttpData-PULL",
                                       "accessService": {"@id": "urn:example:c-connector", "@type": "DataService",
                                                         "endpointURL": "https://provider-c.example.org/connector"}}]}],
    });
    vec![
        (
            "/connector/catalog/request".to_owned(),
            example("catalog.json"),
        ),
        (
            "/connector/catalog/request?page=2".to_owned(),
            example("nested-catalog.json"),
        ),
        ("/connector/catalog/request?page=3".to_owned(), federated),
        ("/provider-c/catalog/request".to_owned(), provider_c),
    ]
}

type Pages = Arc<std::sync::OnceLock<Vec<(String, Value)>>>;

/// Answers like a connector: POSTed CatalogRequestMessages only, with the bearer token.
fn connector(pages: Pages, token: &'static str) -> impl Fn(&server::Request) -> Reply {
    move |request| {
        if request.method != "POST" {
            return Reply::status(405);
        }
        if request.header("authorization") != Some(&*format!("Bearer {token}")) {
            let error = json!({"@context": [DSP_CONTEXT], "@type": "CatalogError",
                               "code": "401", "reason": ["Catalog not provisioned for this requester."]});
            return Reply {
                status: 401,
                ..Reply::ok("application/json", error.to_string())
            };
        }
        let message: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        if message["@type"] != "CatalogRequestMessage" {
            return Reply::status(400);
        }
        let pages = pages.get().map(Vec::as_slice).unwrap_or_default();
        let Some(position) = pages
            .iter()
            .position(|(target, _)| *target == request.target)
        else {
            return Reply::status(404);
        };
        let mut reply = Reply::ok("application/json", pages[position].1.to_string());
        if let Some((next, _)) = pages
            .get(position + 1)
            .filter(|(target, _)| target.starts_with("/connector"))
        {
            reply = reply.with_header("Link", &format!("<{next}>; rel=\"next\""));
        }
        reply
    }
}

/// A connector on loopback serving [`connector_pages`].
async fn start_connector(token: &'static str) -> server::TestServer {
    let pages: Pages = Arc::default();
    let server = server::start(connector(pages.clone(), token)).await;
    pages.set(connector_pages(&server.base)).expect("set once");
    server
}

/// The Python with the test tools: `LDTCAT_PYTHON`, else the checkout's `.venv`.
fn python() -> PathBuf {
    let python = std::env::var("LDTCAT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|_| common::repo_root().join(".venv/bin/python"));
    assert!(
        python.exists(),
        "{} is missing: run scripts/setup.sh --test (or scripts/test.sh) first",
        python.display()
    );
    python
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shared_dsp_examples_are_harvested_with_their_offers_and_participants() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Arc::new(Catalog::open(dir.path()).expect("opens"));
    let config = tempfile::tempdir().expect("tempdir");
    let server = start_connector("connector-token").await;
    std::env::set_var("LDTCAT_TEST_CONNECTOR_TOKEN", "Bearer connector-token");
    let url = server.url("/connector/catalog/request");
    let source = dsp_source(
        config.path(),
        "connector",
        &url,
        Some("LDTCAT_TEST_CONNECTOR_TOKEN"),
    );
    let run = harvest(&catalog, &source).await;
    assert_eq!(run.status, RunStatus::Success, "{run:#?}");
    assert_eq!(
        run.pages, 4,
        "three pages by Link, one sub-catalog: {run:#?}"
    );
    // The shared nested catalog's sub-catalog is on another host: noted, not read.
    assert!(
        run.notes
            .iter()
            .any(|n| n.contains("provder-a.com") && n.contains("not read")),
        "{:?}",
        run.notes
    );
    let offers = [
        // The shared catalog's dataset: its offer is the dataset node itself.
        (
            "urn:uuid:3dd1add8-4d2d-569e-d634-8394a8836a88",
            "urn:uuid:3dd1add8-4d2d-569e-d634-8394a8836a88",
            "urn:example:DataProviderA",
        ),
        // The shared dataset, listed in provider B's nested catalog.
        (
            "urn:uuid:3afeadd8-ed2d-569e-d634-8394a8836d57",
            "urn:uuid:2828282:3dd1add8-4d2d-569e-d634-8394a8836a88",
            "urn:example:DataProviderB",
        ),
        (
            "https://provider-b.example.org/model/heat-island",
            "urn:uuid:3dd1add8-4d2d-569e-d634-8394a8836a88",
            "urn:example:DataProviderB",
        ),
        // Provider C, read from its own endpoint.
        (
            "https://provider-c.example.org/dataset/noise",
            "urn:example:offer:noise",
            "urn:example:DataProviderC",
        ),
    ];
    for (dataset, offer, participant) in offers {
        let text = statements(&catalog, dataset);
        assert!(
            text.contains(&format!("<{dataset}> <{ODRL}hasPolicy> <{offer}> .")),
            "{dataset}: {text}"
        );
        assert!(
            text.contains(&format!("<{offer}> <{ODRL}permission> _:")),
            "{text}"
        );
        assert!(
            text.contains(&format!("<{ODRL}action> <{ODRL}use>")),
            "{text}"
        );
        let record = catalog
            .store
            .record(&record_id(dataset))
            .expect("reads")
            .expect("exists");
        assert_eq!(
            record.provenance[0].participant.as_deref(),
            Some(participant),
            "{dataset}"
        );
    }
    // The constraint of the shared offer, as the JSON-LD processor reads it.
    let spatial = format!("{}/connector/catalog/spatial", server.base);
    let noise = statements(&catalog, "https://provider-c.example.org/dataset/noise");
    assert!(noise.contains(&format!("<{ODRL}prohibition>")), "{noise}");
    let heat = statements(&catalog, "https://provider-b.example.org/model/heat-island");
    assert!(
        heat.contains(&format!("<{ODRL}leftOperand> <{spatial}>")),
        "{heat}"
    );

    // A profile that accepts the offer's constraint runs the component out of the box; one
    // that does not, cannot: the verdict comes from the harvested offer.
    let component = record_id("https://provider-b.example.org/model/heat-island");
    for (accepts, expected) in [
        (true, Verdict::OutOfTheBox),
        (false, Verdict::NotCompatible),
    ] {
        let accepted = if accepts {
            format!("[accepts]\nconstraints = [[\"{spatial}\", \"odrl:eq\", \"http://example.org/EU\"]]\n")
        } else {
            String::new()
        };
        let profile = Profile::from_toml(&format!(
            "iri = \"https://example.org/ldt/city\"\ntitle = \"City\"\nexposes_interfaces = [\"ldti:ngsi-ld\"]\n{accepted}"
        ))
        .expect("profile");
        let verdicts =
            ldtcat::compat::assess_catalog(&catalog, &profile, Some(&component)).expect("assessed");
        let assessment = &verdicts[0].assessment;
        assert_eq!(assessment.verdict, Some(expected), "{assessment:#?}");
        let constraint = assessment
            .requirements
            .iter()
            .find(|r| r.requirement.form == Form::Constraint)
            .expect("the offer's constraint is a requirement");
        assert_eq!(
            constraint.requirement.values,
            [
                spatial.clone(),
                format!("{ODRL}eq"),
                "http://example.org/EU".to_owned()
            ]
        );
        assert_eq!(constraint.verdict, expected);
    }

    // Without the token the connector refuses: the run fails with the 401 and its reason, and
    // nothing is deleted.
    let held = catalog.store.record_ids().expect("ids").len();
    std::env::set_var("LDTCAT_TEST_CONNECTOR_TOKEN", "Bearer wrong");
    let run = harvest(&catalog, &source).await;
    assert_eq!(run.status, RunStatus::Failed, "{run:#?}");
    let error = run.errors.join("\n");
    assert!(error.contains("HTTP 401"), "{error}");
    assert!(error.contains("Catalog not provisioned"), "{error}");
    assert!(error.contains("auth_env"), "{error}");
    assert_eq!(run.tombstoned, 0);
    assert_eq!(catalog.store.record_ids().expect("ids").len(), held);
    assert_eq!(catalog.store.tombstone_count().expect("count"), 0);
}

/// A live ldtcat on loopback serving `catalog`, with a DSP token.
fn serve(catalog: &Catalog, token: Option<&str>) -> (String, tokio::runtime::Runtime) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("binds");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let mut state = common::app_state(
        catalog,
        ldtcat_serve::SiteSettings {
            public_base_url: base.clone(),
            ..ldtcat_serve::SiteSettings::default()
        },
    );
    state.dsp.token = token.map(str::to_owned);
    runtime.spawn(ldtcat_serve::serve_with_shutdown(
        listener,
        state,
        std::future::pending(),
    ));
    (base, runtime)
}

/// The demo federation, the DCAT-AP examples and the shared DSP dataset, in one catalogue.
fn catalogue_a(dir: &Path) -> Catalog {
    let catalog = Catalog::open(dir).expect("opens");
    common::import_demo(&catalog);
    let examples = common::shared_data().join("dcat-ap-3.0.0/examples");
    for name in [
        "example-ms_dataset_data_service.ttl",
        "example-bee-population.ttl",
    ] {
        common::import(&catalog, &[examples.join(name)], "semic-examples");
    }
    let shared = common::shared_data().join("dataspace-protocol/dataset.json");
    let summary = ldtcat::import::import_files(
        &catalog,
        &[shared],
        "dsp-example",
        Some("application/ld+json"),
        Some("https://connector.example.org/catalog/request"),
        &|_| {},
    )
    .expect("imports");
    assert!(summary.failed.is_empty(), "{}", summary.render());
    catalog
}

#[test]
fn every_served_message_validates_and_expands_to_the_records_graph() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = catalogue_a(dir.path());
    let (base, _runtime) = serve(&catalog, Some("a-token"));
    let ids = catalog.store.record_ids().expect("ids");
    let output = Command::new(python())
        .arg(common::repo_root().join("tests/python/dsp_check.py"))
        .args([
            "--schemas",
            &common::shared_data()
                .join("dataspace-protocol")
                .display()
                .to_string(),
        ])
        .args([
            "--contexts",
            &common::repo_root()
                .join("vocab/contexts")
                .display()
                .to_string(),
        ])
        .args([
            "--base",
            &base,
            "--token",
            "a-token",
            "--page-size",
            "7",
            "--bad-requests",
        ])
        .arg("--dataset")
        .args(&ids)
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "dsp_check.py failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_str(&stdout).expect("JSON report");
    assert_eq!(report["schema_errors"], json!([]), "{report:#}");
    assert_eq!(report["graph_mismatches"], json!([]), "{report:#}");
    assert_eq!(report["failures"], json!([]), "{report:#}");
    assert_eq!(report["datasets_checked"], ids.len(), "{report:#}");
    assert_eq!(report["datasets_in_catalog"], ids.len(), "{report:#}");
    assert_eq!(
        report["distinct_datasets_in_catalog"],
        ids.len(),
        "{report:#}"
    );
    assert_eq!(report["catalog_pages"], ids.len().div_ceil(7), "{report:#}");
    assert_eq!(report["errors_checked"], 3, "{report:#}");
}

#[test]
fn ldtcat_b_harvests_ldtcat_a_with_a_token_and_a_401_deletes_nothing() {
    let dir_a = tempfile::tempdir().expect("tempdir");
    let catalog_a = catalogue_a(dir_a.path());
    let (base, runtime) = serve(&catalog_a, Some("a-token"));
    let dir_b = tempfile::tempdir().expect("tempdir");
    let catalog_b = Arc::new(Catalog::open(dir_b.path()).expect("opens"));
    let config = tempfile::tempdir().expect("tempdir");
    std::env::set_var("LDTCAT_TEST_A_TOKEN", "Bearer a-token");
    let url = format!("{base}/catalog/request?page_size=10");
    let source = dsp_source(config.path(), "ldtcat-a", &url, Some("LDTCAT_TEST_A_TOKEN"));
    let run = runtime.block_on(harvest(&catalog_b, &source));
    assert_eq!(run.status, RunStatus::Success, "{run:#?}");
    let ids_a = catalog_a.store.record_ids().expect("ids");
    assert_eq!(run.pages as usize, ids_a.len().div_ceil(10), "{run:#?}");
    let mut with_policy = 0;
    for id in &ids_a {
        let a = catalog_a.store.record(id).expect("reads").expect("exists");
        let b = catalog_b
            .store
            .record(id)
            .expect("reads")
            .unwrap_or_else(|| panic!("{} reached B", a.iri));
        assert_eq!(b.kind, a.kind, "{}", a.iri);
        assert!(
            b.triples
                .iter()
                .any(|t| t.predicate.as_str() == format!("{ODRL}hasPolicy")),
            "{} arrives with an offer",
            a.iri
        );
        assert_eq!(
            b.provenance[0].participant.as_deref(),
            Some(&*format!("{base}/catalog")),
            "the participant is A's catalogue"
        );
        // A record's own policy crosses as it is: the same requirements in B as in A.
        if a.triples.iter().any(|t| {
            t.subject.to_string() == format!("<{}>", a.iri)
                && t.predicate.as_str() == format!("{ODRL}hasPolicy")
        }) {
            assert_eq!(
                ldtcat_compat::requirements_of(&b.iri, &b.triples),
                ldtcat_compat::requirements_of(&a.iri, &a.triples),
                "{}",
                a.iri
            );
            with_policy += 1;
        }
    }
    assert!(
        with_policy >= 3,
        "records with their own policy: {with_policy}"
    );
    // A's own DSP DataService is listed in its catalog: B holds it too.
    let held = catalog_b.store.record_ids().expect("ids").len();
    assert_eq!(held, ids_a.len() + 1);

    // Without the token, and with a wrong one: a clear 401, nothing deleted.
    let anonymous = dsp_source(config.path(), "ldtcat-a", &url, None);
    std::env::set_var("LDTCAT_TEST_A_WRONG", "Bearer not-the-token");
    let wrong = dsp_source(config.path(), "ldtcat-a", &url, Some("LDTCAT_TEST_A_WRONG"));
    for source in [anonymous, wrong] {
        let run = runtime.block_on(harvest(&catalog_b, &source));
        assert_eq!(run.status, RunStatus::Failed, "{run:#?}");
        let error = run.errors.join("\n");
        assert!(
            error.contains("HTTP 401") && error.contains("token"),
            "{error}"
        );
        assert_eq!(run.tombstoned, 0);
        assert_eq!(catalog_b.store.record_ids().expect("ids").len(), held);
        assert_eq!(catalog_b.store.tombstone_count().expect("count"), 0);
    }
}
