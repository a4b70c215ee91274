//! The `oai-pmh` kind: a real pycsw in its OAI-PMH mode, and a fixture repository for
//! resumption tokens, deleted records (tombstones on an incremental run), a token that
//! repeats and a `badResumptionToken` error.

mod common;
#[path = "harvest/csw_summary.rs"]
#[allow(dead_code)]
mod csw_summary;
#[path = "harvest/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;
#[path = "harvest/pycsw.rs"]
#[allow(dead_code)]
mod pycsw;
#[path = "harvest/server.rs"]
#[allow(dead_code)]
mod server;

use fixtures::run;
use std::path::Path;
use std::sync::{Arc, Mutex};

use ldtcat::catalog::Catalog;
use ldtcat_store::{HarvestRun, RunStatus};
use server::Reply;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pycsw_speaks_oai_pmh_and_its_iso_records_are_harvested() {
    let root = common::shared_data().join("csw-samples");
    let pycsw = pycsw::Pycsw::start(&[&root.join("iso19139"), &root.join("dublin-core")]);
    let dir = tempfile::tempdir().expect("tempdir");
    let config = tempfile::tempdir().expect("tempdir");
    let catalog = Arc::new(Catalog::open(dir.path()).expect("opens"));
    let url = format!("{}?mode=oaipmh", pycsw.csw);
    let source = fixtures::source_config(config.path(), "pycsw-oai", "oai-pmh", &url, "");
    let report = run(&catalog, &source, false).await;
    assert_eq!(report.status, RunStatus::Success, "{report:#?}");
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("metadataPrefix=iso19139")),
        "ISO 19139 is preferred to oai_dc: {report:#?}"
    );
    assert_eq!(report.added, pycsw.records, "{report:#?}");
    let summary = csw_summary::summary(&catalog, pycsw.csw.trim_end_matches("/csw"));
    expect_test::expect_file![Path::new("golden/oai/pycsw-iso19139.txt")].assert_eq(&summary);
}

const OAI_HEAD: &str = "<?xml version=\"1.0\"?><OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><responseDate>2024-06-01T00:00:00Z</responseDate>";

fn oai_record(id: &str, title: &str) -> String {
    format!(
        "<record><header><identifier>{id}</identifier><datestamp>2024-05-01T00:00:00Z</datestamp></header>\
         <metadata><oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
         <dc:identifier>{id}</dc:identifier><dc:title>{title}</dc:title><dc:type>Dataset</dc:type></oai_dc:dc></metadata></record>"
    )
}

fn deleted_record(id: &str) -> String {
    format!("<record><header status=\"deleted\"><identifier>{id}</identifier><datestamp>2024-06-01T00:00:00Z</datestamp></header></record>")
}

fn list_records(records: &str, token: Option<&str>) -> Reply {
    let token = token
        .map(|t| format!("<resumptionToken>{t}</resumptionToken>"))
        .unwrap_or_default();
    Reply::ok(
        "text/xml",
        format!("{OAI_HEAD}<ListRecords>{records}{token}</ListRecords></OAI-PMH>"),
    )
}

/// A repository with seconds granularity and only oai_dc: page one (a, b) then page two (c)
/// through the token `t1`; `second_page` replaces page two; `from` requests get `changes`.
async fn repository(
    second_page: impl Fn() -> Reply + Send + Sync + 'static,
    changes: impl Fn() -> Reply + Send + Sync + 'static,
) -> (server::TestServer, Arc<Mutex<Vec<String>>>) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let requests = log.clone();
    let server = server::start(move |request| {
        requests.lock().expect("lock").push(request.target.clone());
        match request.param("verb").as_deref() {
            Some("Identify") => Reply::ok("text/xml", format!("{OAI_HEAD}<Identify><repositoryName>r</repositoryName><granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify></OAI-PMH>")),
            Some("ListMetadataFormats") => Reply::ok("text/xml", format!("{OAI_HEAD}<ListMetadataFormats><metadataFormat><metadataPrefix>oai_dc</metadataPrefix><schema>http://www.openarchives.org/OAI/2.0/oai_dc.xsd</schema><metadataNamespace>http://www.openarchives.org/OAI/2.0/oai_dc/</metadataNamespace></metadataFormat></ListMetadataFormats></OAI-PMH>")),
            Some("ListRecords") if request.param("resumptionToken").is_some() => second_page(),
            Some("ListRecords") if request.param("from").is_some() => changes(),
            Some("ListRecords") => list_records(&(oai_record("oai:r:a", "A") + &oai_record("oai:r:b", "B")), Some("t1")),
            _ => Reply::status(400),
        }
    })
    .await;
    (server, log)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resumption_tokens_are_followed_and_deleted_headers_tombstone_on_an_incremental_run() {
    let (server, log) = repository(
        || list_records(&oai_record("oai:r:c", "C"), Some("")),
        || {
            list_records(
                &(deleted_record("oai:r:b") + &oai_record("oai:r:c", "C, revised")),
                None,
            )
        },
    )
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = tempfile::tempdir().expect("tempdir");
    let catalog = Arc::new(Catalog::open(dir.path()).expect("opens"));
    let source = fixtures::source_config(
        config.path(),
        "repo",
        "oai-pmh",
        &server.url("/oai"),
        "incremental = true",
    );
    let report = run(&catalog, &source, false).await;
    assert_eq!(report.status, RunStatus::Success, "{report:#?}");
    assert_eq!((report.added, report.pages), (3, 4), "{report:#?}");
    let report = run(&catalog, &source, false).await;
    assert_eq!(report.status, RunStatus::Success, "{report:#?}");
    assert!(!report.full, "{report:#?}");
    assert_eq!((report.updated, report.tombstoned), (1, 1), "{report:#?}");
    let from = log
        .lock()
        .expect("lock")
        .iter()
        .rev()
        .find(|t| t.contains("from="))
        .cloned()
        .expect("from");
    let from = url::form_urlencoded::parse(from.split_once('?').expect("query").1.as_bytes())
        .find(|(k, _)| k == "from")
        .map(|(_, v)| v.into_owned())
        .expect("from");
    assert!(
        from.len() == 20 && from.ends_with('Z'),
        "seconds granularity: {from}"
    );
    let live: Vec<String> = catalog
        .store
        .record_ids()
        .expect("ids")
        .iter()
        .filter_map(|id| catalog.store.record_metadata(id).expect("reads"))
        .map(|r| r.iri)
        .collect();
    assert_eq!(live.len(), 2, "{live:?}");
    assert!(!live.contains(&ldtcat_harvest::rdf_out::record_iri("repo", "oai:r:b").into_string()));
}

async fn failing_second_page(
    second_page: impl Fn() -> Reply + Send + Sync + 'static,
) -> (HarvestRun, usize) {
    let (server, _) = repository(second_page, || list_records("", None)).await;
    let (good, _) = repository(
        || list_records(&oai_record("oai:r:c", "C"), None),
        || list_records("", None),
    )
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = tempfile::tempdir().expect("tempdir");
    let catalog = Arc::new(Catalog::open(dir.path()).expect("opens"));
    let source = fixtures::source_config(config.path(), "repo", "oai-pmh", &good.url("/oai"), "");
    let first = run(&catalog, &source, false).await;
    assert_eq!(
        (first.status, first.added),
        (RunStatus::Success, 3),
        "{first:#?}"
    );
    let source = fixtures::source_config(config.path(), "repo", "oai-pmh", &server.url("/oai"), "");
    let report = run(&catalog, &source, true).await;
    (report, catalog.store.record_ids().expect("ids").len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeated_token_or_bad_resumption_token_is_reported_and_deletes_nothing() {
    let (report, held) = failing_second_page(|| list_records("", Some("t1"))).await;
    assert_eq!(report.status, RunStatus::Partial, "{report:#?}");
    assert!(
        report.errors.iter().any(|e| e.contains("already used")),
        "{report:#?}"
    );
    assert_eq!((report.tombstoned, held), (0, 3), "{report:#?}");

    let (report, held) = failing_second_page(|| {
        Reply::ok("text/xml", format!("{OAI_HEAD}<error code=\"badResumptionToken\">The token t1 has expired</error></OAI-PMH>"))
    })
    .await;
    assert_eq!(report.status, RunStatus::Partial, "{report:#?}");
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.contains("badResumptionToken") && e.contains("expired")),
        "{report:#?}"
    );
    assert_eq!((report.tombstoned, held), (0, 3), "{report:#?}");
}
