//! Harvesting over loopback HTTP from sources that behave and sources that do not.
//! Every test serves its catalogue from an in-process server on 127.0.0.1.

mod common;
#[path = "harvest/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;
#[path = "harvest/server.rs"]
mod server;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fixtures::{page_bytes, paging_triples, record_iris, records_of, source_config, Variant};
use ldtcat::catalog::Catalog;
use ldtcat::harvest::{fail_interrupted_runs, run_source, RunRequest};
use ldtcat_config::SourceConfig;
use ldtcat_harvest::{Fetcher, HostPolicy};
use ldtcat_model::RawRecord;
use ldtcat_store::{HarvestRun, RunStatus};
use oxrdfio::RdfFormat;
use server::{Reply, TestServer};

fn statbel_and_antwerp() -> Vec<RawRecord> {
    let data = common::shared_data().join("catalogues");
    records_of(&[
        data.join("statbel-subset.ttl"),
        data.join("antwerpen-datatank-2015.ttl"),
    ])
}

fn statbel() -> Vec<RawRecord> {
    records_of(&[common::shared_data().join("catalogues/statbel-subset.ttl")])
}

fn media_type(format: RdfFormat) -> &'static str {
    format.media_type()
}

/// Serves `records` as Hydra pages of `per_page` at `/catalog?page=N` (N from 1).
struct PagedCatalogue {
    pages: Vec<Vec<u8>>,
    format: RdfFormat,
}

impl PagedCatalogue {
    fn new(
        base: &str,
        records: &[RawRecord],
        per_page: usize,
        format: RdfFormat,
        variant: Variant,
    ) -> PagedCatalogue {
        let chunks: Vec<&[RawRecord]> = records.chunks(per_page.max(1)).collect();
        let n_pages = chunks.len().max(1);
        let mut pages = Vec::new();
        for page in 0..n_pages {
            let url = format!("{base}/catalog?page={}", page + 1);
            let next = (page + 1 < n_pages).then(|| format!("{base}/catalog?page={}", page + 2));
            let paging = paging_triples(variant, &url, next.as_deref());
            let records = chunks.get(page).copied().unwrap_or(&[]);
            pages.push(page_bytes(records, &paging, format));
        }
        PagedCatalogue { pages, format }
    }

    fn page(&self, n: usize) -> Option<Reply> {
        let bytes = self.pages.get(n.checked_sub(1)?)?;
        Some(Reply::ok(media_type(self.format), bytes.clone()))
    }
}

fn page_number(request: &server::Request) -> usize {
    request
        .param("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
}

/// A server whose catalogue can be replaced between runs; `fault` may replace any answer.
type Fault = Arc<dyn Fn(&server::Request) -> Option<Reply> + Send + Sync>;

struct Scenario {
    server: TestServer,
    catalogue: Arc<Mutex<Option<PagedCatalogue>>>,
    fault: Arc<Mutex<Option<Fault>>>,
}

impl Scenario {
    async fn start() -> Scenario {
        let catalogue: Arc<Mutex<Option<PagedCatalogue>>> = Arc::new(Mutex::new(None));
        let fault: Arc<Mutex<Option<Fault>>> = Arc::new(Mutex::new(None));
        let (c, f) = (catalogue.clone(), fault.clone());
        let server = server::start(move |request| {
            if let Some(fault) = f.lock().expect("lock").as_ref() {
                if let Some(reply) = fault(request) {
                    return reply;
                }
            }
            c.lock()
                .expect("lock")
                .as_ref()
                .and_then(|catalogue| catalogue.page(page_number(request)))
                .unwrap_or_else(|| Reply::status(404))
        })
        .await;
        Scenario {
            server,
            catalogue,
            fault,
        }
    }

    fn serve(&self, records: &[RawRecord], per_page: usize, format: RdfFormat, variant: Variant) {
        let paged = PagedCatalogue::new(&self.server.base, records, per_page, format, variant);
        *self.catalogue.lock().expect("lock") = Some(paged);
    }

    fn fault(&self, fault: impl Fn(&server::Request) -> Option<Reply> + Send + Sync + 'static) {
        *self.fault.lock().expect("lock") = Some(Arc::new(fault));
    }

    fn no_fault(&self) {
        *self.fault.lock().expect("lock") = None;
    }

    fn source(&self, dir: &Path, id: &str, options: &str) -> SourceConfig {
        source_config(dir, id, "dcat", &self.server.url("/catalog"), options)
    }
}

struct Harness {
    _dir: tempfile::TempDir,
    config_dir: tempfile::TempDir,
    catalog: Arc<Catalog>,
}

impl Harness {
    fn new() -> Harness {
        let dir = tempfile::tempdir().expect("tempdir");
        let catalog = Arc::new(Catalog::open(dir.path()).expect("opens"));
        Harness {
            _dir: dir,
            config_dir: tempfile::tempdir().expect("tempdir"),
            catalog,
        }
    }

    async fn run(&self, source: &SourceConfig) -> HarvestRun {
        let fetcher = Fetcher::new(HostPolicy::for_urls([&source.url])).expect("client");
        run_source(
            self.catalog.clone(),
            fetcher,
            source.clone(),
            RunRequest::default(),
            &|_| {},
        )
        .await
        .expect("the run completes with a report")
    }

    fn live_iris(&self) -> Vec<String> {
        let mut iris: Vec<String> = self
            .catalog
            .store
            .record_ids()
            .expect("ids")
            .iter()
            .filter_map(|id| self.catalog.store.record_metadata(id).expect("reads"))
            .map(|record| record.iri)
            .collect();
        iris.sort();
        iris
    }

    fn count(&self) -> usize {
        self.catalog.store.record_ids().expect("ids").len()
    }
}

fn assert_status(run: &HarvestRun, status: RunStatus) {
    assert_eq!(run.status, status, "{run:#?}");
}

fn errors_mention(run: &HarvestRun, text: &str) -> bool {
    run.errors.iter().any(|e| e.contains(text))
}

fn notes_mention(run: &HarvestRun, text: &str) -> bool {
    run.notes.iter().any(|e| e.contains(text))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hydra_pages_in_turtle_rdf_xml_and_json_ld_in_both_variants_yield_exactly_the_records() {
    let records = statbel_and_antwerp();
    let expected = record_iris(&records);
    assert_eq!(expected.len(), 336);
    let scenario = Scenario::start().await;
    for format in [
        RdfFormat::Turtle,
        RdfFormat::RdfXml,
        RdfFormat::JsonLd {
            profile: oxrdfio::JsonLdProfileSet::empty(),
        },
    ] {
        for variant in [
            Variant::PartialCollectionView,
            Variant::PagedCollectionLiteral,
        ] {
            let harness = Harness::new();
            scenario.serve(&records, 50, format, variant);
            let source = scenario.source(harness.config_dir.path(), "be", "");
            let run = harness.run(&source).await;
            assert_status(&run, RunStatus::Success);
            assert_eq!(run.pages, 7, "{format} {variant:?}");
            assert_eq!(run.added, 336, "{format} {variant:?}: {run:#?}");
            assert_eq!(harness.live_iris(), expected, "{format} {variant:?}");
            assert_eq!(harness.catalog.index.num_docs(), 336);
            let record = harness
                .catalog
                .store
                .record_metadata(&harness.catalog.store.record_ids().expect("ids")[0])
                .expect("reads")
                .expect("exists");
            let provenance = &record.provenance[0];
            assert!(
                provenance
                    .source_url
                    .starts_with(&scenario.server.url("/catalog?page=")),
                "the CatalogRecord names the page: {provenance:?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn harvested_records_equal_the_records_of_a_direct_import() {
    let records = statbel_and_antwerp();
    let scenario = Scenario::start().await;
    scenario.serve(
        &records,
        100,
        RdfFormat::Turtle,
        Variant::PartialCollectionView,
    );
    let harness = Harness::new();
    let run = harness
        .run(&scenario.source(harness.config_dir.path(), "be", ""))
        .await;
    assert_status(&run, RunStatus::Success);
    let imported = Harness::new();
    let data = common::shared_data().join("catalogues");
    common::import(
        &imported.catalog,
        &[
            data.join("statbel-subset.ttl"),
            data.join("antwerpen-datatank-2015.ttl"),
        ],
        "be",
    );
    let hashes = |harness: &Harness| -> BTreeSet<(String, String)> {
        harness
            .catalog
            .store
            .record_ids()
            .expect("ids")
            .iter()
            .filter_map(|id| harness.catalog.store.record_metadata(id).expect("reads"))
            .map(|r| (r.id, r.hash))
            .collect()
    };
    assert_eq!(hashes(&harness), hashes(&imported));
}

async fn three_page_scenario() -> (Scenario, Vec<RawRecord>) {
    let records = statbel_and_antwerp();
    let scenario = Scenario::start().await;
    scenario.serve(
        &records,
        100,
        RdfFormat::Turtle,
        Variant::PartialCollectionView,
    );
    (scenario, records)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_500_on_page_3_ends_the_run_partial_and_deletes_nothing() {
    let (scenario, records) = three_page_scenario().await;
    let harness = Harness::new();
    let source = scenario.source(harness.config_dir.path(), "be", "");
    assert_status(&harness.run(&source).await, RunStatus::Success);
    scenario.serve(
        &records[..150],
        100,
        RdfFormat::Turtle,
        Variant::PartialCollectionView,
    );
    scenario.serve(
        &records,
        100,
        RdfFormat::Turtle,
        Variant::PartialCollectionView,
    );
    scenario.fault(|request| (page_number(request) == 3).then(|| Reply::status(500)));
    let run = harness.run(&source).await;
    assert_status(&run, RunStatus::Partial);
    assert!(errors_mention(&run, "HTTP 500"), "{run:#?}");
    assert!(notes_mention(&run, "no deletions"), "{run:#?}");
    assert_eq!(run.tombstoned, 0);
    assert_eq!(harness.count(), 336, "records of pages 3 and 4 stay");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timeout_fails_the_page_and_deletes_nothing() {
    let (scenario, _) = three_page_scenario().await;
    let harness = Harness::new();
    let source = scenario.source(harness.config_dir.path(), "be", "timeout_seconds = 1");
    assert_status(&harness.run(&source).await, RunStatus::Success);
    scenario.fault(|request| {
        (page_number(request) == 2).then(|| {
            let mut reply = Reply::ok("text/turtle", "");
            reply.delay = Duration::from_secs(3);
            reply
        })
    });
    let run = harness.run(&source).await;
    assert_status(&run, RunStatus::Partial);
    assert!(errors_mention(&run, "timed out"), "{run:#?}");
    assert_eq!(harness.count(), 336);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_over_its_run_timeout_ends_failed_or_partial_not_running() {
    let (scenario, _) = three_page_scenario().await;
    let harness = Harness::new();
    let source = scenario.source(harness.config_dir.path(), "be", "run_timeout_seconds = 1");
    scenario.fault(|request| {
        (page_number(request) == 2).then(|| {
            let mut reply = Reply::ok("text/turtle", "");
            reply.delay = Duration::from_secs(5);
            reply
        })
    });
    let run = harness.run(&source).await;
    assert_status(&run, RunStatus::Partial);
    assert!(errors_mention(&run, "run timed out"), "{run:#?}");
    assert!(run.ended_at.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_reset_mid_body_is_reported_and_deletes_nothing() {
    let (scenario, records) = three_page_scenario().await;
    let harness = Harness::new();
    let source = scenario.source(harness.config_dir.path(), "be", "");
    assert_status(&harness.run(&source).await, RunStatus::Success);
    let page_2 = PagedCatalogue::new(
        &scenario.server.base,
        &records,
        100,
        RdfFormat::Turtle,
        Variant::PartialCollectionView,
    )
    .pages[1]
        .clone();
    scenario.fault(move |request| {
        (page_number(request) == 2).then(|| {
            let mut reply = Reply::ok("text/turtle", page_2.clone());
            reply.reset_after = Some(page_2.len() / 2);
            reply
        })
    });
    let run = harness.run(&source).await;
    assert_status(&run, RunStatus::Partial);
    assert!(errors_mention(&run, "transport error"), "{run:#?}");
    assert_eq!(harness.count(), 336);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_truncated_turtle_page_is_reported_and_the_run_goes_on_to_the_next_page() {
    let (scenario, records) = three_page_scenario().await;
    let harness = Harness::new();
    let source = scenario.source(harness.config_dir.path(), "be", "");
    // Paging statements first, so that the next link survives the truncation.
    let base = scenario.server.base.clone();
    let paging = paging_triples(
        Variant::PartialCollectionView,
        &format!("{base}/catalog?page=2"),
        Some(&format!("{base}/catalog?page=3")),
    );
    let mut page_2 = page_bytes(&[], &paging, RdfFormat::NTriples);
    let rest = page_bytes(&records[100..200], &[], RdfFormat::NTriples);
    page_2.extend_from_slice(&rest[..rest.len() / 2]);
    scenario.fault(move |request| {
        (page_number(request) == 2).then(|| Reply::ok("application/n-triples", page_2.clone()))
    });
    let run = harness.run(&source).await;
    assert_status(&run, RunStatus::Partial);
    assert!(errors_mention(&run, "syntax error"), "{run:#?}");
    assert_eq!(
        run.pages, 4,
        "pages 3 and 4 were read after the broken page 2"
    );
    assert_eq!(harness.count(), 236, "every record but those of page 2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_record_with_an_invalid_iri_is_skipped_and_reported_and_the_others_stored() {
    let records = statbel();
    let scenario = Scenario::start().await;
    let mut body = page_bytes(&records, &[], RdfFormat::NTriples);
    body.extend_from_slice(
        b"<http://[broken/dataset> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> .\n\
          <http://[broken/dataset> <http://purl.org/dc/terms/title> \"Broken\" .\n",
    );
    scenario.fault(move |_| Some(Reply::ok("application/n-triples", body.clone())));
    let harness = Harness::new();
    let run = harness
        .run(&scenario.source(harness.config_dir.path(), "s", ""))
        .await;
    assert_status(&run, RunStatus::Success);
    assert_eq!(run.added, 10);
    assert!(run.errored >= 1, "{run:#?}");
    assert!(errors_mention(&run, "http://[broken/dataset"), "{run:#?}");
    assert_eq!(harness.count(), 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_a_b_a_hydra_cycle_ends_the_run_with_a_reported_error() {
    let records = statbel();
    let scenario = Scenario::start().await;
    let base = scenario.server.base.clone();
    let (a, b) = (records[..5].to_vec(), records[5..].to_vec());
    scenario.fault(move |request| {
        // A = /catalog (the configured URL) links to B = /catalog?page=2, which links to A.
        let (own, next) = match page_number(request) {
            1 => (&a, format!("{base}/catalog?page=2")),
            _ => (&b, format!("{base}/catalog")),
        };
        let url = format!("{base}{}", request.target);
        let paging = paging_triples(Variant::PartialCollectionView, &url, Some(&next));
        Some(Reply::ok(
            "text/turtle",
            page_bytes(own, &paging, RdfFormat::Turtle),
        ))
    });
    let harness = Harness::new();
    let run = tokio::time::timeout(
        Duration::from_secs(30),
        harness.run(&scenario.source(harness.config_dir.path(), "s", "")),
    )
    .await
    .expect("the cycle does not loop");
    assert_status(&run, RunStatus::Partial);
    assert!(errors_mention(&run, "paging cycle"), "{run:#?}");
    assert_eq!(scenario.server.request_count(), 2);
    assert_eq!(harness.count(), 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_next_link_to_another_host_is_refused() {
    let records = statbel();
    let scenario = Scenario::start().await;
    let elsewhere = server::start(|_| Reply::ok("text/turtle", "")).await;
    let next = elsewhere.url("/catalog?page=2");
    let first = scenario.server.url("/catalog?page=1");
    scenario.fault(move |_| {
        let paging = paging_triples(Variant::PartialCollectionView, &first, Some(&next));
        Some(Reply::ok(
            "text/turtle",
            page_bytes(&records, &paging, RdfFormat::Turtle),
        ))
    });
    let harness = Harness::new();
    let run = harness
        .run(&scenario.source(harness.config_dir.path(), "s", ""))
        .await;
    assert_status(&run, RunStatus::Partial);
    assert!(errors_mention(&run, "refused"), "{run:#?}");
    assert_eq!(
        elsewhere.request_count(),
        0,
        "the other host is never contacted"
    );
    assert_eq!(harness.count(), 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_to_another_host_is_refused() {
    let elsewhere = server::start(|_| Reply::ok("text/turtle", "")).await;
    let target = elsewhere.url("/catalog");
    let scenario = Scenario::start().await;
    scenario.fault(move |_| Some(Reply::status(302).with_header("Location", &target)));
    let harness = Harness::new();
    let run = harness
        .run(&scenario.source(harness.config_dir.path(), "s", ""))
        .await;
    assert_status(&run, RunStatus::Failed);
    assert!(errors_mention(&run, "refused"), "{run:#?}");
    assert_eq!(elsewhere.request_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_catalogue_after_a_full_one_deletes_nothing_and_says_so() {
    let records = statbel();
    let scenario = Scenario::start().await;
    scenario.serve(
        &records,
        100,
        RdfFormat::Turtle,
        Variant::PartialCollectionView,
    );
    let harness = Harness::new();
    let source = scenario.source(harness.config_dir.path(), "s", "");
    assert_status(&harness.run(&source).await, RunStatus::Success);
    scenario.serve(&[], 100, RdfFormat::Turtle, Variant::PartialCollectionView);
    let run = harness.run(&source).await;
    assert_eq!(run.tombstoned, 0);
    assert!(
        notes_mention(&run, "no records where it had 10 before"),
        "{run:#?}"
    );
    assert_eq!(harness.count(), 10);
    assert!(harness
        .catalog
        .store
        .tombstones()
        .expect("reads")
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_over_the_byte_cap_is_refused() {
    let records = statbel();
    let scenario = Scenario::start().await;
    scenario.serve(
        &records,
        100,
        RdfFormat::Turtle,
        Variant::PartialCollectionView,
    );
    let harness = Harness::new();
    let run = harness
        .run(&scenario.source(harness.config_dir.path(), "s", "max_bytes = 1000"))
        .await;
    assert_status(&run, RunStatus::Failed);
    assert!(
        errors_mention(&run, "larger than the limit of 1000 bytes"),
        "{run:#?}"
    );
    assert_eq!(harness.count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_content_type_is_noted_and_the_content_is_read() {
    let records = statbel();
    let scenario = Scenario::start().await;
    let body = page_bytes(&records, &[], RdfFormat::Turtle);
    scenario.fault(move |_| Some(Reply::ok("application/json", body.clone())));
    let harness = Harness::new();
    let run = harness
        .run(&scenario.source(harness.config_dir.path(), "s", ""))
        .await;
    assert_status(&run, RunStatus::Success);
    assert!(notes_mention(&run, "contradicts the content"), "{run:#?}");
    assert_eq!(harness.count(), 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gzip_body_is_decompressed() {
    use std::io::Write as _;
    let records = statbel();
    let scenario = Scenario::start().await;
    let body = page_bytes(&records, &[], RdfFormat::Turtle);
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&body).expect("compresses");
    let gzipped = encoder.finish().expect("compresses");
    let accepted = Arc::new(Mutex::new(String::new()));
    let seen = accepted.clone();
    scenario.fault(move |request| {
        *seen.lock().expect("lock") = request.header("accept-encoding").unwrap_or("").to_owned();
        Some(Reply::ok("text/turtle", gzipped.clone()).with_header("Content-Encoding", "gzip"))
    });
    let harness = Harness::new();
    let run = harness
        .run(&scenario.source(harness.config_dir.path(), "s", ""))
        .await;
    assert_status(&run, RunStatus::Success);
    assert_eq!(harness.count(), 10);
    assert_eq!(
        run.bytes,
        body.len() as u64,
        "bytes are counted decompressed"
    );
    let accepted = accepted.lock().expect("lock").clone();
    for coding in ["gzip", "deflate", "br"] {
        assert!(accepted.contains(coding), "{accepted}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_removed_from_the_source_is_tombstoned_after_a_successful_run_and_restored_when_back(
) {
    let records = statbel();
    let scenario = Scenario::start().await;
    scenario.serve(
        &records,
        4,
        RdfFormat::Turtle,
        Variant::PartialCollectionView,
    );
    let harness = Harness::new();
    let source = scenario.source(harness.config_dir.path(), "s", "");
    assert_status(&harness.run(&source).await, RunStatus::Success);
    assert_eq!(harness.catalog.index.num_docs(), 10);
    let removed = &records[3];
    let removed_iri = record_iris(std::slice::from_ref(removed))[0].clone();
    let removed_id = ldtcat_model::record_id(&removed_iri);
    let mut fewer = records.clone();
    fewer.remove(3);
    scenario.serve(&fewer, 4, RdfFormat::Turtle, Variant::PartialCollectionView);
    let run = harness.run(&source).await;
    assert_status(&run, RunStatus::Success);
    assert_eq!(run.tombstoned, 1, "{run:#?}");
    assert_eq!(run.unchanged, 9);
    assert_eq!(harness.count(), 9);
    assert_eq!(harness.catalog.index.num_docs(), 9);
    let store = &harness.catalog.store;
    let tombstones = store.tombstones().expect("reads");
    assert_eq!(tombstones.len(), 1);
    assert_eq!(tombstones[0].iri, removed_iri);
    assert_eq!(tombstones[0].sources, ["s"]);
    assert!(tombstones[0].deleted_at.is_some());
    assert!(tombstones[0].last_content.contains(&removed_iri));
    let graph =
        oxigraph::model::NamedNode::new(format!("urn:ldtcat:record:{removed_id}")).expect("iri");
    assert!(
        !store
            .oxigraph()
            .contains_named_graph(graph.as_ref())
            .expect("reads"),
        "the tombstoned record leaves the named graphs"
    );
    assert!(store.record_metadata(&removed_id).expect("reads").is_none());
    assert_eq!(store.stats().expect("stats").tombstones, 1);

    scenario.serve(
        &records,
        4,
        RdfFormat::Turtle,
        Variant::PartialCollectionView,
    );
    let run = harness.run(&source).await;
    assert_status(&run, RunStatus::Success);
    assert_eq!(run.added, 1, "{run:#?}");
    assert!(store.tombstones().expect("reads").is_empty());
    assert_eq!(harness.count(), 10);
    assert_eq!(harness.catalog.index.num_docs(), 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_iri_from_two_sources_is_one_record_that_stays_while_either_has_it() {
    let records = statbel();
    let first = Scenario::start().await;
    let second = Scenario::start().await;
    first.serve(
        &records,
        100,
        RdfFormat::Turtle,
        Variant::PartialCollectionView,
    );
    second.serve(
        &records[..5],
        100,
        RdfFormat::RdfXml,
        Variant::PagedCollectionLiteral,
    );
    let harness = Harness::new();
    let source_a = first.source(harness.config_dir.path(), "a", "");
    let source_b = second.source(harness.config_dir.path(), "b", "");
    assert_status(&harness.run(&source_a).await, RunStatus::Success);
    let run_b = harness.run(&source_b).await;
    assert_status(&run_b, RunStatus::Success);
    assert_eq!(harness.count(), 10, "no copies");
    let shared_id = ldtcat_model::record_id(&record_iris(&records[..1])[0]);
    let shared = harness
        .catalog
        .store
        .record_metadata(&shared_id)
        .expect("reads")
        .expect("exists");
    let sources: Vec<&str> = shared
        .provenance
        .iter()
        .map(|p| p.source_id.as_str())
        .collect();
    assert_eq!(sources, ["a", "b"]);
    assert_eq!(
        shared.primary_source, "a",
        "the first source keeps precedence"
    );
    // Source a drops everything but one record: the five b also has stay, now b's.
    first.serve(
        &records[9..],
        100,
        RdfFormat::Turtle,
        Variant::PartialCollectionView,
    );
    let run = harness.run(&source_a).await;
    assert_status(&run, RunStatus::Success);
    assert_eq!(run.tombstoned, 4, "{run:#?}");
    assert_eq!(harness.count(), 6);
    let shared = harness
        .catalog
        .store
        .record_metadata(&shared_id)
        .expect("reads")
        .expect("still there");
    assert_eq!(shared.primary_source, "b");
    assert_eq!(shared.provenance.len(), 1);
    assert_eq!(harness.catalog.index.num_docs(), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unchanged_source_answering_304_costs_one_request_and_changes_nothing() {
    let records = statbel();
    let scenario = Scenario::start().await;
    let body = page_bytes(&records, &[], RdfFormat::Turtle);
    scenario.fault(move |request| {
        if request.header("if-none-match") == Some("\"v1\"") {
            return Some(Reply::status(304));
        }
        Some(
            Reply::ok("text/turtle", body.clone())
                .with_header("ETag", "\"v1\"")
                .with_header("Last-Modified", "Sat, 21 Nov 2026 10:00:00 GMT"),
        )
    });
    let harness = Harness::new();
    let source = scenario.source(harness.config_dir.path(), "s", "");
    assert_status(&harness.run(&source).await, RunStatus::Success);
    let requests_before = scenario.server.request_count();
    let quads_before = harness.catalog.store.oxigraph().len().expect("len");
    let run = harness.run(&source).await;
    assert_status(&run, RunStatus::Success);
    assert!(notes_mention(&run, "304"), "{run:#?}");
    assert_eq!(scenario.server.request_count(), requests_before + 1);
    assert_eq!(run.added + run.updated + run.tombstoned, 0);
    assert_eq!(harness.count(), 10);
    let records_graphs_quads = harness.catalog.store.oxigraph().len().expect("len");
    assert!(
        records_graphs_quads >= quads_before,
        "only run reports were added"
    );
    // The validators are carried on: a third run is still one conditional request.
    let run = harness.run(&source).await;
    assert!(notes_mention(&run, "304"), "{run:#?}");
    assert_eq!(scenario.server.request_count(), requests_before + 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_during_a_run_leaves_no_run_running_and_the_next_run_completes() {
    let (scenario, _) = three_page_scenario().await;
    scenario.fault(|request| {
        (page_number(request) == 3).then(|| {
            let mut reply = Reply::ok("text/turtle", "");
            reply.delay = Duration::from_secs(30);
            reply
        })
    });
    let harness = Harness::new();
    let source = scenario.source(harness.config_dir.path(), "be", "");
    let (catalog, running_source) = (harness.catalog.clone(), source.clone());
    let task = tokio::spawn(async move {
        let fetcher = Fetcher::new(HostPolicy::for_urls([&running_source.url])).expect("client");
        run_source(
            catalog,
            fetcher,
            running_source,
            RunRequest::default(),
            &|_| {},
        )
        .await
    });
    // Wait until page 3 is requested, then stop the run as a crash would.
    for _ in 0..200 {
        if scenario.server.request_count() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    task.abort();
    let _ = task.await;
    let runs = harness
        .catalog
        .store
        .runs_of_source("be", 10)
        .expect("reads");
    assert_eq!(
        runs[0].status,
        RunStatus::Running,
        "the crash left it running"
    );
    // What `ldtcat serve` and `ldtcat harvest` do when they start:
    assert_eq!(
        fail_interrupted_runs(&harness.catalog).await.expect("runs"),
        1
    );
    let runs = harness
        .catalog
        .store
        .runs_of_source("be", 10)
        .expect("reads");
    assert!(
        runs.iter().all(|r| r.status != RunStatus::Running),
        "{runs:#?}"
    );
    assert!(runs[0].notes.iter().any(|n| n.contains("interrupted")));
    scenario.no_fault();
    let run = harness.run(&source).await;
    assert_status(&run, RunStatus::Success);
    assert_eq!(harness.count(), 336);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_unchanged_since_the_last_complete_run_are_not_parsed_and_deletions_still_apply() {
    let records = statbel();
    let scenario = Scenario::start().await;
    scenario.serve(
        &records,
        4,
        RdfFormat::Turtle,
        Variant::PartialCollectionView,
    );
    let harness = Harness::new();
    let source = scenario.source(harness.config_dir.path(), "s", "");
    let first = harness.run(&source).await;
    assert_status(&first, RunStatus::Success);
    assert!(!notes_mention(&first, "byte for byte"), "{first:#?}");

    let second = harness.run(&source).await;
    assert_status(&second, RunStatus::Success);
    assert_eq!((second.added, second.unchanged), (0, 10), "{second:#?}");
    assert!(
        notes_mention(&second, "3 page(s) byte for byte"),
        "{second:#?}"
    );

    // The last record goes: pages 1 and 2 are as before, page 3 is parsed, and the record
    // is tombstoned, because the skipped pages still count their records as delivered.
    let gone_iri = record_iris(std::slice::from_ref(&records[9]))[0].clone();
    scenario.serve(
        &records[..9],
        4,
        RdfFormat::Turtle,
        Variant::PartialCollectionView,
    );
    let third = harness.run(&source).await;
    assert_status(&third, RunStatus::Success);
    assert_eq!((third.unchanged, third.tombstoned), (9, 1), "{third:#?}");
    assert!(
        notes_mention(&third, "2 page(s) byte for byte"),
        "{third:#?}"
    );
    assert!(!harness.live_iris().contains(&gone_iri));
    assert_eq!(harness.count(), 9);

    // A run that stops half-way leaves no memo: the next run parses every page again.
    scenario.fault(|request| (page_number(request) == 2).then(|| Reply::status(500)));
    let failed = harness.run(&source).await;
    assert_status(&failed, RunStatus::Partial);
    scenario.no_fault();
    let after = harness.run(&source).await;
    assert_status(&after, RunStatus::Success);
    assert!(!notes_mention(&after, "byte for byte"), "{after:#?}");
    assert_eq!(after.unchanged, 9, "{after:#?}");
}
