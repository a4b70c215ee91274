//! The `csw` kind: the mapping of every shared CSW sample (ISO 19139 and Dublin Core) to
//! GeoDCAT-AP against golden files, a real pycsw harvested in both output schemas, and
//! misbehaving CSW servers (an exception mid-run, a `nextRecord` going backwards, HTML, a
//! broken record): reported, nothing deleted.

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
use std::sync::Arc;

use ldtcat::catalog::Catalog;
use ldtcat_harvest::xml::{walk, WalkEvent};
use ldtcat_harvest::xml_records::{is_record, RecordPage};
use ldtcat_harvest::{Fetched, PageBody, Validators};
use ldtcat_store::{HarvestRun, RunStatus};
use server::Reply;

/// One sample mapped alone, as canonical sorted N-Triples.
fn mapped(path: &Path) -> String {
    let text = std::fs::read(path).expect("sample");
    let mut page = RecordPage::new("csw-samples");
    walk(&text[..], &|e| is_record(e), &mut |event| {
        if let WalkEvent::Captured(record) = event {
            let original =
                url::Url::parse("https://csw.example.org/csw?request=GetRecordById&id=sample").ok();
            page.add(&record, None, original);
        }
    })
    .expect("well-formed sample");
    assert!(page.errors.is_empty(), "{:?}", page.errors);
    assert_eq!(page.records, 1, "{}", path.display());
    let fetched = Fetched {
        url: url::Url::parse("https://csw.example.org/csw").expect("url"),
        content_type: None,
        validators: Validators::default(),
        body: PageBody::Memory(Arc::new(Vec::new())),
        bytes: 0,
        links: Vec::new(),
    };
    let page = page.into_page(fetched, Vec::new());
    let mut body = Vec::new();
    std::io::Read::read_to_end(&mut page.body.open().expect("open"), &mut body).expect("read");
    let mut lines: Vec<String> = String::from_utf8(body)
        .expect("utf-8")
        .lines()
        .map(str::to_owned)
        .collect();
    lines.sort();
    lines.dedup();
    lines.join("\n") + "\n"
}

#[test]
fn every_iso_and_dublin_core_sample_maps_to_its_golden_file() {
    for folder in ["iso19139", "dublin-core"] {
        let dir = common::shared_data().join("csw-samples").join(folder);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("samples")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "xml"))
            .collect();
        files.sort();
        assert!(files.len() >= 12, "{}", dir.display());
        for file in files {
            let name = file.file_name().and_then(|n| n.to_str()).expect("name");
            let expected = Path::new("golden/csw")
                .join(folder)
                .join(format!("{name}.nt"));
            expect_test::expect_file![expected].assert_eq(&mapped(&file));
        }
    }
}

fn samples() -> [std::path::PathBuf; 2] {
    let root = common::shared_data().join("csw-samples");
    [root.join("iso19139"), root.join("dublin-core")]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pycsw_is_harvested_in_both_output_schemas_with_every_record() {
    let [iso, dc] = samples();
    let pycsw = pycsw::Pycsw::start(&[&iso, &dc]);
    assert_eq!(pycsw.records, 30, "pycsw loaded every sample");
    for (schema, golden) in [
        ("", "pycsw-iso19139.txt"),
        ("output_schema = \"dublin-core\"", "pycsw-dublin-core.txt"),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = tempfile::tempdir().expect("tempdir");
        let catalog = Arc::new(Catalog::open(dir.path()).expect("opens"));
        let source = fixtures::source_config(
            config.path(),
            "pycsw",
            "csw",
            &pycsw.csw,
            &format!("page_size = 7\n{schema}"),
        );
        let report = run(&catalog, &source, false).await;
        assert_eq!(report.status, RunStatus::Success, "{report:#?}");
        // GetCapabilities and five pages of seven.
        assert_eq!(report.pages, 6, "{report:#?}");
        assert_eq!(report.added, 30, "{report:#?}");
        assert_eq!(catalog.index.num_docs(), 30);
        let summary = csw_summary::summary(&catalog, pycsw.csw.trim_end_matches("/csw"));
        expect_test::expect_file![Path::new("golden/csw").join(golden)].assert_eq(&summary);
        // Unchanged on a second run; nothing deleted.
        let report = run(&catalog, &source, false).await;
        assert_eq!(
            (
                report.added,
                report.updated,
                report.unchanged,
                report.tombstoned
            ),
            (0, 0, 30, 0),
            "{report:#?}"
        );
    }
}

const RESPONSE_HEAD: &str = "<?xml version=\"1.0\"?><csw:GetRecordsResponse xmlns:csw=\"http://www.opengis.net/cat/csw/2.0.2\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:ows=\"http://www.opengis.net/ows\" version=\"2.0.2\">";

fn dc_record(n: u64) -> String {
    format!("<csw:Record><dc:identifier>rec-{n}</dc:identifier><dc:title>Record {n}</dc:title><dc:type>http://purl.org/dc/dcmitype/Dataset</dc:type></csw:Record>")
}

fn records_response(start: u64, count: u64, matched: u64, next: u64) -> String {
    let records: String = (start..start + count).map(dc_record).collect();
    format!(
        "{RESPONSE_HEAD}<csw:SearchResults numberOfRecordsMatched=\"{matched}\" numberOfRecordsReturned=\"{count}\" nextRecord=\"{next}\" elementSet=\"full\">{records}</csw:SearchResults></csw:GetRecordsResponse>"
    )
}

fn capabilities() -> String {
    "<?xml version=\"1.0\"?><csw:Capabilities xmlns:csw=\"http://www.opengis.net/cat/csw/2.0.2\" xmlns:ows=\"http://www.opengis.net/ows\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"2.0.2\"><ows:OperationsMetadata><ows:Operation name=\"GetRecords\"><ows:DCP><ows:HTTP><ows:Get xlink:href=\"BASE/csw\"/></ows:HTTP></ows:DCP><ows:Parameter name=\"outputSchema\"><ows:Value>http://www.opengis.net/cat/csw/2.0.2</ows:Value></ows:Parameter></ows:Operation></ows:OperationsMetadata></csw:Capabilities>".to_owned()
}

/// A CSW server offering Dublin Core by GET only, ten records in pages of two; `misbehave`
/// may replace the answer at a start position.
async fn fixture_csw(
    misbehave: impl Fn(u64) -> Option<Reply> + Send + Sync + 'static,
) -> server::TestServer {
    let base = Arc::new(std::sync::Mutex::new(String::new()));
    let shared = base.clone();
    let server = server::start(move |request| {
        if request.param("request").as_deref() == Some("GetCapabilities") {
            let base = shared.lock().expect("lock").clone();
            return Reply::ok("application/xml", capabilities().replace("BASE", &base));
        }
        let start: u64 = request
            .param("startPosition")
            .and_then(|s| s.parse().ok())
            .unwrap_or(1);
        if let Some(reply) = misbehave(start) {
            return reply;
        }
        let count = 2.min(11 - start.min(11));
        let next = if start + count > 10 { 0 } else { start + count };
        Reply::ok("application/xml", records_response(start, count, 10, next))
    })
    .await;
    *base.lock().expect("lock") = server.base.clone();
    server
}

async fn misbehaving_run(
    misbehave: impl Fn(u64) -> Option<Reply> + Send + Sync + 'static,
) -> (HarvestRun, HarvestRun, usize) {
    let server = fixture_csw(misbehave).await;
    let good = fixture_csw(|_| None).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = tempfile::tempdir().expect("tempdir");
    let catalog = Arc::new(Catalog::open(dir.path()).expect("opens"));
    // A complete first run from the well-behaved server fills the catalogue …
    let source = fixtures::source_config(
        config.path(),
        "geo",
        "csw",
        &good.url("/csw"),
        "page_size = 2",
    );
    let first = run(&catalog, &source, false).await;
    assert_eq!(
        (first.status, first.added),
        (RunStatus::Success, 10),
        "{first:#?}"
    );
    // … then the same source misbehaves.
    let source = fixtures::source_config(
        config.path(),
        "geo",
        "csw",
        &server.url("/csw"),
        "page_size = 2",
    );
    let second = run(&catalog, &source, false).await;
    let held = catalog.store.record_ids().expect("ids").len();
    (first, second, held)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn misbehaving_csw_servers_are_reported_and_delete_nothing() {
    let exception = "<?xml version=\"1.0\"?><ows:ExceptionReport xmlns:ows=\"http://www.opengis.net/ows\" version=\"1.2.0\"><ows:Exception exceptionCode=\"NoApplicableCode\"><ows:ExceptionText>database is locked</ows:ExceptionText></ows:Exception></ows:ExceptionReport>";
    let (_, report, held) =
        misbehaving_run(move |start| (start == 5).then(|| Reply::ok("application/xml", exception)))
            .await;
    assert_eq!(report.status, RunStatus::Partial, "{report:#?}");
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.contains("NoApplicableCode") && e.contains("database is locked")),
        "{report:#?}"
    );
    assert_eq!((report.tombstoned, held), (0, 10), "{report:#?}");
    // The page after the failed one was still read.
    assert_eq!(report.unchanged + report.updated, 8, "{report:#?}");

    let (_, report, held) = misbehaving_run(|start| {
        (start == 5).then(|| Reply::ok("application/xml", records_response(5, 2, 10, 3)))
    })
    .await;
    assert_eq!(report.status, RunStatus::Partial, "{report:#?}");
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.contains("nextRecord 3 does not move past startPosition 5")),
        "{report:#?}"
    );
    assert_eq!((report.tombstoned, held), (0, 10), "{report:#?}");

    let (_, report, held) = misbehaving_run(|start| {
        (start == 3).then(|| {
            Reply::ok(
                "text/html",
                "<!DOCTYPE html><html><body><h1>Maintenance</h1></body></html>",
            )
        })
    })
    .await;
    assert_eq!(report.status, RunStatus::Partial, "{report:#?}");
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.contains("not a CSW GetRecords answer")),
        "{report:#?}"
    );
    assert_eq!((report.tombstoned, held), (0, 10), "{report:#?}");

    let (_, report, held) = misbehaving_run(|start| {
        (start == 7).then(|| {
            let broken = records_response(7, 2, 10, 9).replace(
                "<dc:title>Record 8</dc:title>",
                "<dc:title>Record 8</dc:titel>",
            );
            Reply::ok("application/xml", broken)
        })
    })
    .await;
    assert_eq!(report.status, RunStatus::Partial, "{report:#?}");
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.contains("XML error at byte")),
        "{report:#?}"
    );
    // Record 7, before the broken one, was read; the run went on to the last page.
    assert_eq!(report.unchanged + report.updated, 9, "{report:#?}");
    assert_eq!((report.tombstoned, held), (0, 10), "{report:#?}");
}

/// What DCAT-AP requires that an ISO record does not give: the mandatory-cardinality
/// violations its mapping cannot avoid, as (class, property) pairs.
fn implied_by_the_iso_source(root: &ldtcat_harvest::xml::Element) -> Vec<(String, String)> {
    const DCAT: &str = "http://www.w3.org/ns/dcat#";
    const DCT: &str = "http://purl.org/dc/terms/";
    let mut implied = Vec::new();
    let identification = root.select("gmd:identificationInfo/*");
    let class = match root.value("gmd:hierarchyLevel/gmd:MD_ScopeCode/@codeListValue") {
        Some("service") => "DataService",
        Some("series") => "DatasetSeries",
        _ => "Dataset",
    };
    let class = format!("{DCAT}{class}");
    let has = |path: &str| identification.iter().any(|i| i.value(path).is_some());
    if !has("gmd:citation/*/gmd:title/*") {
        implied.push((class.clone(), format!("{DCT}title")));
    }
    if !has("gmd:abstract/*") {
        implied.push((class.clone(), format!("{DCT}description")));
    }
    let links = root
        .values("gmd:distributionInfo/*/gmd:transferOptions/*/gmd:onLine/*/gmd:linkage/gmd:URL");
    if class.ends_with("DataService") && !links.iter().any(|l| l.starts_with("http")) {
        implied.push((class.clone(), format!("{DCAT}endpointURL")));
    }
    if root.value("gmd:dateStamp/*").is_none() {
        implied.push((format!("{DCAT}CatalogRecord"), format!("{DCT}modified")));
    }
    implied
}

#[test]
fn republished_iso_records_have_no_dcat_ap_cardinality_violation_their_source_does_not_imply() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let iso = common::shared_data().join("csw-samples/iso19139");
    let pycsw = pycsw::Pycsw::start(&[&iso]);
    let dir = tempfile::tempdir().expect("tempdir");
    let config = tempfile::tempdir().expect("tempdir");
    let catalog = Arc::new(Catalog::open(dir.path()).expect("opens"));
    let source =
        fixtures::source_config(config.path(), "pycsw", "csw", &pycsw.csw, "page_size = 20");
    let report = runtime.block_on(run(&catalog, &source, false));
    assert_eq!(
        (report.status, report.added),
        (RunStatus::Success, pycsw.records),
        "{report:#?}"
    );
    // Each record's ISO source, by its file identifier.
    let mut sources = std::collections::HashMap::new();
    for entry in std::fs::read_dir(&iso).expect("samples") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "xml") {
            let root = ldtcat_harvest::xml::parse_document(&std::fs::read(&path).expect("read"))
                .expect("xml");
            let id = root
                .value("gmd:fileIdentifier/*")
                .expect("file identifier")
                .to_owned();
            sources.insert(id, root);
        }
    }
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("binds");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let state = common::app_state(
        &catalog,
        ldtcat_serve::SiteSettings {
            public_base_url: base.clone(),
            ..ldtcat_serve::SiteSettings::default()
        },
    );
    runtime.spawn(ldtcat_serve::serve_with_shutdown(
        listener,
        state,
        std::future::pending(),
    ));
    let ids = catalog.store.record_ids().expect("ids");
    let shapes = common::shared_data().join("dcat-ap-3.0.0/shacl/shapes.ttl");
    let output = std::process::Command::new(common::python())
        .arg(common::repo_root().join("tests/python/shacl_violations.py"))
        .arg(&shapes)
        .args(ids.iter().map(|id| format!("{base}/resources/{id}.ttl")))
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let found: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(
        found.as_object().map(|o| o.len()),
        Some(ids.len()),
        "every record was validated"
    );
    let mut unexplained = Vec::new();
    for id in &ids {
        let record = catalog.store.record(id).expect("reads").expect("exists");
        let catalogue_record = record
            .triples
            .iter()
            .find(|t| t.object.to_string() == "<http://www.w3.org/ns/dcat#CatalogRecord>")
            .map(|t| t.subject.clone())
            .expect("a catalogue record node");
        let file_identifier = record
            .triples
            .iter()
            .find(|t| {
                t.subject == catalogue_record
                    && t.predicate.as_str() == "http://purl.org/dc/terms/identifier"
            })
            .and_then(|t| match &t.object {
                oxrdf::Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
            .expect("the catalogue record node keeps the file identifier");
        let implied = implied_by_the_iso_source(&sources[&file_identifier]);
        for violation in found[format!("{base}/resources/{id}.ttl")]
            .as_array()
            .expect("list")
        {
            let (class, path) = (
                violation[0].as_str().expect("class"),
                violation[1].as_str().expect("path"),
            );
            if !implied
                .iter()
                .any(|(c, p)| class.split(',').any(|k| k == c) && p == path)
            {
                unexplained.push(format!("{file_identifier}: {class} {path}"));
            }
        }
    }
    assert!(
        unexplained.is_empty(),
        "violations the ISO source does not imply: {unexplained:#?}"
    );
}
