//! CSW harvest benchmark: `cargo bench -p ldtcat --bench csw`.
//!
//! Writes N ISO 19139 records (copies of the shared samples, each with its own file
//! identifier; N from `LDTCAT_BENCH_CSW_N`, default 2,000), loads them into a real pycsw and
//! measures, on loopback:
//! - a `csw` run against pycsw (GetRecords pages of 100, ISO 19139): records/s end to end;
//! - the same run against a fixture server replaying pycsw's own answers (captured first),
//!   which separates pycsw's time from ldtcat's;
//! - the mapping alone (XML records to GeoDCAT-AP N-Triples, in process): µs per record.
//!
//! Prints a Markdown table.

#[path = "../harvest/server.rs"]
#[allow(dead_code)]
mod server;

#[path = "../harvest/pycsw.rs"]
#[allow(dead_code)]
mod pycsw;

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use common::peak_rss_mib;
use ldtcat::catalog::Catalog;
use ldtcat::harvest::{run_source, RunRequest};
use ldtcat_config::load_harvest_file;
use ldtcat_harvest::xml::{walk, WalkEvent};
use ldtcat_harvest::xml_records::{is_record, RecordPage};
use ldtcat_harvest::{Fetcher, HostPolicy};
use ldtcat_store::RunStatus;
use server::Reply;

const PAGE_SIZE: u64 = 100;

fn write_records(dir: &Path, n: usize) -> anyhow::Result<Vec<Vec<u8>>> {
    let samples_dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/csw-samples/iso19139");
    let mut samples = Vec::new();
    for entry in std::fs::read_dir(samples_dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "xml") {
            samples.push(std::fs::read_to_string(&path)?);
        }
    }
    samples.sort();
    let mut written = Vec::new();
    for i in 0..n {
        let sample = &samples[i % samples.len()];
        let root = ldtcat_harvest::xml::parse_document(sample.as_bytes())
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let id = root.value("gmd:fileIdentifier/*").unwrap_or("x").to_owned();
        let text = sample.replace(&id, &format!("bench-{i:06}"));
        std::fs::write(dir.join(format!("r{i:06}.xml")), &text)?;
        written.push(text.into_bytes());
    }
    Ok(written)
}

fn source(dir: &Path, id: &str, url: &str) -> anyhow::Result<ldtcat_config::SourceConfig> {
    let path = dir.join(format!("{id}.toml"));
    std::fs::write(
        &path,
        format!("[[source]]\nid = \"{id}\"\nkind = \"csw\"\nurl = \"{url}\"\n[source.options]\npage_size = {PAGE_SIZE}\noutput_schema = \"iso19139\"\n"),
    )?;
    Ok(load_harvest_file(&path)?.remove(0))
}

fn harvest(
    runtime: &tokio::runtime::Runtime,
    source: &ldtcat_config::SourceConfig,
) -> anyhow::Result<(u64, f64)> {
    let data = tempfile::tempdir()?;
    let catalog = Arc::new(Catalog::open(data.path())?);
    let fetcher = Fetcher::new(HostPolicy::for_urls([&source.url]))?;
    let started = Instant::now();
    let report = runtime.block_on(run_source(
        catalog,
        fetcher,
        source.clone(),
        RunRequest::default(),
        &|_| {},
    ))?;
    let seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        report.status == RunStatus::Success,
        "run failed: {report:#?}"
    );
    Ok((report.added, seconds))
}

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::var("LDTCAT_BENCH_CSW_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let runtime = tokio::runtime::Runtime::new()?;
    let records_dir = tempfile::tempdir()?;
    let config = tempfile::tempdir()?;
    let texts = write_records(records_dir.path(), n)?;
    let loading = Instant::now();
    let pycsw = pycsw::Pycsw::start(&[records_dir.path()]);
    let load_seconds = loading.elapsed().as_secs_f64();
    anyhow::ensure!(
        pycsw.records as usize == n,
        "pycsw loaded {} of {n}",
        pycsw.records
    );

    // Against pycsw (POST XML, as the kind does when POST is offered).
    let (added, pycsw_seconds) = harvest(&runtime, &source(config.path(), "pycsw", &pycsw.csw)?)?;
    anyhow::ensure!(added as usize == n, "{added} of {n} records");

    // Capture pycsw's answers (by GET KVP), then replay them from a fixture server.
    let client = reqwest::Client::new();
    let fetch = |url: String| -> anyhow::Result<Vec<u8>> {
        Ok(runtime
            .block_on(async { client.get(url).send().await?.bytes().await })?
            .to_vec())
    };
    let capabilities = String::from_utf8(fetch(format!(
        "{}?service=CSW&version=2.0.2&request=GetCapabilities",
        pycsw.csw
    ))?)?;
    let mut pages: HashMap<u64, Vec<u8>> = HashMap::new();
    let mut start = 1;
    while start <= n as u64 {
        let url = format!("{}?service=CSW&version=2.0.2&request=GetRecords&typeNames=csw:Record&elementSetName=full&resultType=results&outputSchema=http://www.isotc211.org/2005/gmd&startPosition={start}&maxRecords={PAGE_SIZE}&sortBy=dc:identifier:A", pycsw.csw);
        pages.insert(start, fetch(url)?);
        start += PAGE_SIZE;
    }
    let pycsw_base = pycsw.csw.clone();
    let base = Arc::new(std::sync::Mutex::new(String::new()));
    let shared = base.clone();
    let server = runtime.block_on(server::start(move |request| {
        if request.param("request").as_deref() == Some("GetCapabilities") {
            // The replay takes GET only: drop POST from the capabilities.
            let fixture = shared.lock().map(|b| b.clone()).unwrap_or_default();
            let text = capabilities.replace(&pycsw_base, &format!("{fixture}/csw"));
            let text = drop_post(&text);
            return Reply::ok("application/xml", text);
        }
        let start: u64 = request
            .param("startPosition")
            .and_then(|s| s.parse().ok())
            .unwrap_or(1);
        match pages.get(&start) {
            Some(body) => Reply::ok("application/xml", body.clone()),
            None => Reply::status(404),
        }
    }));
    *base.lock().map_err(|_| anyhow::anyhow!("lock"))? = server.base.clone();
    let (added, fixture_seconds) = harvest(
        &runtime,
        &source(config.path(), "replay", &server.url("/csw"))?,
    )?;
    anyhow::ensure!(
        added as usize == n,
        "{added} of {n} records from the replay"
    );

    // The mapping alone.
    let mapping = Instant::now();
    let mut mapped = 0;
    for text in &texts {
        let mut page = RecordPage::new("bench");
        walk(&text[..], &|e| is_record(e), &mut |event| {
            if let WalkEvent::Captured(record) = event {
                page.add(&record, None, None);
            }
        })
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        mapped += page.records;
    }
    let mapping_seconds = mapping.elapsed().as_secs_f64();
    anyhow::ensure!(mapped as usize == n);

    println!("| figure (N = {n} ISO 19139 records, pages of {PAGE_SIZE}) | value |");
    println!("|---|---|");
    println!("| pycsw load_records (setup, not ldtcat) | {load_seconds:.1} s |");
    println!(
        "| csw run against pycsw, end to end | {:.0} records/s ({pycsw_seconds:.2} s) |",
        n as f64 / pycsw_seconds
    );
    println!("| csw run against a fixture replaying pycsw's answers | {:.0} records/s ({fixture_seconds:.2} s) |", n as f64 / fixture_seconds);
    println!(
        "| mapping alone (XML parse + GeoDCAT-AP N-Triples) | {:.1} µs/record ({:.0} records/s) |",
        mapping_seconds * 1e6 / n as f64,
        n as f64 / mapping_seconds
    );
    println!("| peak RSS | {:.0} MiB |", peak_rss_mib());
    Ok(())
}

/// The capabilities without their `ows:Post` endpoints.
fn drop_post(text: &str) -> String {
    const PREFIX: &str = "<ows:Post";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(PREFIX) {
        let after = &rest[at..];
        // `<ows:PostalCode>` starts the same way: only the `ows:Post` element itself.
        let next = after[PREFIX.len()..].chars().next();
        if !matches!(next, Some(' ' | '>' | '/' | '\t' | '\n' | '\r')) {
            out.push_str(&rest[..at + PREFIX.len()]);
            rest = &rest[at + PREFIX.len()..];
            continue;
        }
        out.push_str(&rest[..at]);
        let close = after.find('>').map_or(after.len(), |i| i + 1);
        let end = if after[..close].ends_with("/>") {
            close
        } else {
            after
                .find("</ows:Post>")
                .map_or(after.len(), |i| i + "</ows:Post>".len())
        };
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}
