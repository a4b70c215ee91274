//! Real third-party clients against a live `ldtcat` on loopback (Python tools from
//! `tests/python/requirements.txt`, installed by `scripts/setup.sh --test`):
//!
//! - pyshacl with the official DCAT-AP 3.0.0 shapes over `/catalog` pages (ldtcat's own
//!   Catalog and CatalogRecords and the demo records: no mandatory-cardinality violation) and
//!   over republished record documents (no violation their source did not have);
//! - an rdflib harvester following `hydra:next` and `hydra:nextPage` collects every record;
//! - SPARQLWrapper queries `/sparql` (SELECT, ASK, CONSTRUCT, a syntax error).

mod common;

use std::path::PathBuf;

use ldtcat::catalog::Catalog;

/// The demo federation plus the official DCAT-AP examples, served on 127.0.0.1.
struct Live {
    base: String,
    catalog: Catalog,
    examples: Vec<PathBuf>,
    _runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

fn live() -> Live {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = Catalog::open(dir.path()).expect("opens");
    common::import_demo(&catalog);
    let examples: Vec<PathBuf> = [
        "example-ms_dataset_data_service.ttl",
        "example-bee-population.ttl",
        "example-ms_catalogue.ttl",
    ]
    .iter()
    .map(|name| {
        common::shared_data()
            .join("dcat-ap-3.0.0/examples")
            .join(name)
    })
    .collect();
    for example in &examples {
        common::import(&catalog, std::slice::from_ref(example), "semic-examples");
    }
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("binds");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let state = common::app_state(
        &catalog,
        ldtcat_serve::SiteSettings {
            title: "Interoperability test catalogue".to_owned(),
            description: "The demo federation and the DCAT-AP examples.".to_owned(),
            public_base_url: base.clone(),
            ..ldtcat_serve::SiteSettings::default()
        },
    );
    runtime.spawn(ldtcat_serve::serve_with_shutdown(
        listener,
        state,
        std::future::pending(),
    ));
    Live {
        base,
        catalog,
        examples,
        _runtime: runtime,
        _dir: dir,
    }
}

#[test]
fn third_party_clients_read_what_ldtcat_publishes() {
    let live = live();
    let total = live.catalog.store.stats().expect("stats").records;

    // A harvester following either Hydra vocabulary collects every record exactly once.
    for link in ["next", "nextPage"] {
        let report = common::run_python(
            "hydra_client.py",
            &[
                format!("{}/catalog.ttl?page_size=10", live.base),
                link.to_owned(),
            ],
        );
        assert_eq!(report["records"], total, "following hydra:{link}: {report}");
        assert_eq!(report["pages"], total.div_ceil(10), "{report}");
    }

    // SPARQLWrapper gets correct answers.
    let resource = "https://data.exampleMS.gov/id/dataset/EAMS-APIplatform";
    let sparql = common::run_python(
        "sparql_client.py",
        &[format!("{}/sparql", live.base), resource.to_owned()],
    );
    assert_eq!(sparql["records"], total, "{sparql}");
    assert_eq!(sparql["ask"], true, "{sparql}");
    assert!(
        sparql["construct_triples"].as_u64().unwrap_or(0) > 3,
        "{sparql}"
    );
    assert_eq!(sparql["syntax_error"], "QueryBadFormed", "{sparql}");

    // pyshacl with the official shapes.
    let shapes = common::shared_data().join("dcat-ap-3.0.0/shacl/shapes.ttl");
    let mut args = vec![shapes.display().to_string()];
    for page in 1..=total.div_ceil(50) {
        args.extend([
            "--catalog".to_owned(),
            format!("{}/catalog.ttl?page_size=50&page={page}", live.base),
        ]);
    }
    for id in live.catalog.store.record_ids().expect("ids") {
        let record = live
            .catalog
            .store
            .record_metadata(&id)
            .expect("read")
            .expect("present");
        let source = record.provenance.iter().find_map(|p| {
            let path = url::Url::parse(&p.source_url)
                .ok()
                .and_then(|url| url.to_file_path().ok())
                .unwrap_or_else(|| PathBuf::from(&p.source_url));
            live.examples
                .iter()
                .any(|e| e.canonicalize().ok() == path.canonicalize().ok())
                .then_some(path)
        });
        if let Some(source) = source {
            args.extend([
                "--record".to_owned(),
                source.display().to_string(),
                format!("{}/resources/{id}.ttl", live.base),
            ]);
        }
    }
    assert!(
        args.iter().filter(|a| *a == "--record").count() >= 4,
        "the examples' records are checked"
    );
    let report = common::run_python("shacl_check.py", &args);
    assert_eq!(report["ok"], true, "{report:#}");
}
