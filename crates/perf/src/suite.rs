//! One suite run at N datasets: generate, measure the raw limits, harvest (new, unchanged,
//! 304), serve under load, SPARQL over HTTP beside Virtuoso, rdflib, and the ratios.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{ensure, Context, Result};
use ldtcat_model::record_id;

use crate::generate::Generator;
use crate::limits;
use crate::load::{self, LoadSettings};
use crate::peers::{Drivers, Outcome};
use crate::process::{disk_mib, free_port, Ldtcat};
use crate::report::Report;
use crate::source::PageServer;

/// How to run the suite.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The `ldtcat` binary.
    pub ldtcat: PathBuf,
    /// A scratch folder (data directories, pages, engines' databases).
    pub work: PathBuf,
    /// Datasets per harvested page.
    pub page_size: usize,
    /// Concurrent clients of the load runs.
    pub clients: usize,
    /// Measured seconds per load scenario.
    pub load_seconds: f64,
    /// Timed SPARQL requests per query kind.
    pub sparql_repeat: usize,
    /// Run rdflib only up to this N (it parses about 13,000 statements/s).
    pub rdflib_max_n: usize,
    /// The Python drivers (none: rdflib, Virtuoso and the SPARQL client are skipped).
    pub drivers: Option<Drivers>,
    /// Profile the ingest with `perf record` (Debian's linux-perf).
    pub profile: bool,
}

/// The words of the suite's searches (also the search bench's, `tests/bench/search.rs`).
pub const SEARCH_WORDS: [&str; 8] = [
    "parking",
    "noise",
    "luchtkwaliteit",
    "solaire",
    "Antwerpen",
    "Grünflächen",
    "traffic",
    "water",
];
/// The data themes the facet searches filter by, in turn (EU data-theme codes).
pub const SEARCH_THEMES: [&str; 4] = ["ENVI", "TRAN", "ENER", "REGI"];
const CITIES: [&str; 4] = ["Gent", "Perugia", "Zürich", "Antibes"];

fn count_in(stdout: &str, word: &str) -> u64 {
    stdout
        .split([',', ';'])
        .find_map(|part| {
            let part = part.trim();
            part.strip_suffix(word)
                .and_then(|number| number.trim().rsplit(' ').next()?.parse().ok())
        })
        .unwrap_or(0)
}

fn write_config(dir: &Path, id: &str, url: &str) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(
        dir.join(format!("{id}.toml")),
        format!(
            "[[source]]\nid = \"{id}\"\nkind = \"dcat\"\nurl = \"{url}\"\n[source.options]\n\
             max_pages = 1000000\nrun_timeout_seconds = 86400\nformat = \"text/turtle\"\n"
        ),
    )?;
    Ok(())
}

/// Runs the suite at `n` datasets, adding its figures to `report`.
pub fn run(
    n: usize,
    generator: &Generator,
    settings: &Settings,
    report: &mut Report,
) -> Result<()> {
    let work = settings.work.join(format!("n{n}"));
    if work.exists() {
        std::fs::remove_dir_all(&work)?;
    }
    std::fs::create_dir_all(&work)?;
    let pages_dir = work.join("pages");
    let (pages, bytes) = generator.write_pages(&pages_dir, n, settings.page_size)?;
    let statements: usize = (0..n).map(|i| generator.shape(i).statements).sum();
    report.add(
        n,
        "data.statements_per_dataset",
        "statements per dataset (mean)",
        statements as f64 / n as f64,
        "statements",
    );
    report.add(
        n,
        "data.bytes",
        "Turtle served (all pages)",
        bytes as f64 / 1_048_576.0,
        "MiB",
    );

    // The raw limits.
    let parsed = limits::parse(&pages)?;
    ensure!(
        parsed.datasets == n as u64,
        "oxttl found {} datasets, not {n}",
        parsed.datasets
    );
    report.add(
        n,
        "raw.parse.records_per_second",
        "raw oxttl parsing",
        parsed.datasets_per_second(),
        "datasets/s",
    );
    let (bulk, bulk_size) = limits::bulk_load(&pages, &work.join("raw-store"), usize::MAX)?;
    report.add(
        n,
        "raw.bulk_loader.records_per_second",
        "raw Oxigraph BulkLoader (parse + load)",
        bulk.datasets_per_second(),
        "datasets/s",
    );
    report.add(
        n,
        "raw.bulk_loader.quads_per_second",
        "raw Oxigraph BulkLoader, quads",
        bulk.statements as f64 / bulk.seconds,
        "quads/s",
    );
    report.add(
        n,
        "raw.bulk_loader.store_mib",
        "raw BulkLoader store on disk",
        bulk_size,
        "MiB",
    );
    std::fs::remove_dir_all(work.join("raw-store"))?;
    // The same with one atomic commit per page, as the catalogue committed its batches
    // before it carried records from page to page (up to N = 100,000: it is slow).
    if n <= 100_000 {
        bulk_per_page(n, &pages, &work, report)?;
    }
    let (indexed, index_size) = limits::index(&pages, &work.join("raw-index"))?;
    report.add(
        n,
        "raw.tantivy.records_per_second",
        "raw Tantivy indexing (our schema)",
        indexed.datasets_per_second(),
        "documents/s",
    );
    report.add(
        n,
        "raw.tantivy.index_mib",
        "raw Tantivy index on disk",
        index_size,
        "MiB",
    );
    std::fs::remove_dir_all(work.join("raw-index"))?;

    // The page server gets a thread of its own, beside the harvesting process.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let server = runtime.block_on(PageServer::start(pages.clone()))?;
    let config = work.join("config");
    write_config(&config, "perf", &server.first_page_url())?;
    let ldtcat = Ldtcat {
        binary: settings.ldtcat.clone(),
        data_dir: work.join("data"),
    };

    // Harvest: new records, then unchanged.
    let profile = settings.profile.then(|| work.join("ingest.perf.data"));
    let first = ldtcat.harvest("perf", &config, profile.as_deref())?;
    let added = count_in(&first.stdout, "added");
    ensure!(
        added == n as u64,
        "the first harvest added {added}, not {n}: {}",
        first.stdout
    );
    report.add(
        n,
        "ingest.records_per_second",
        "harvest of new records, end to end over HTTP",
        n as f64 / first.seconds,
        "records/s",
    );
    report.add(
        n,
        "ingest.seconds",
        "harvest of new records, wall time",
        first.seconds,
        "s",
    );
    report.add(
        n,
        "ingest.peak_rss_mib",
        "harvest peak RSS",
        first.peak_rss_mib,
        "MiB",
    );
    if let Some(profile) = &profile {
        match crate::profile::summarise(profile) {
            Ok(summary) => report.profiles.push((n, summary)),
            Err(error) => report.note(format!("N = {n}: no ingest profile: {error:#}")),
        }
    }
    let second = ldtcat.harvest("perf", &config, None)?;
    let unchanged = count_in(&second.stdout, "unchanged");
    ensure!(
        unchanged == n as u64 && count_in(&second.stdout, "added") == 0,
        "the re-harvest was not all unchanged: {}",
        second.stdout
    );
    report.add(
        n,
        "reharvest.records_per_second",
        "re-harvest of unchanged records (200 answers, pages byte for byte as before)",
        n as f64 / second.seconds,
        "records/s",
    );
    report.add(
        n,
        "reharvest.peak_rss_mib",
        "re-harvest peak RSS",
        second.peak_rss_mib,
        "MiB",
    );
    // The same records in pages whose bytes changed: every page is parsed and every record
    // compared with the store.
    server.set_revision(1);
    let third = ldtcat.harvest("perf", &config, None)?;
    ensure!(
        count_in(&third.stdout, "unchanged") == n as u64,
        "the re-harvest of changed pages was not all unchanged: {}",
        third.stdout
    );
    report.add(
        n,
        "reharvest_parsed.records_per_second",
        "re-harvest of unchanged records in pages whose bytes changed (all parsed and compared)",
        n as f64 / third.seconds,
        "records/s",
    );
    report.add(
        n,
        "reharvest_parsed.peak_rss_mib",
        "re-harvest with every page parsed: peak RSS",
        third.peak_rss_mib,
        "MiB",
    );
    server.set_revision(0);
    report.add(
        n,
        "disk.store_mib",
        "store on disk",
        disk_mib(&ldtcat.data_dir.join("store")),
        "MiB",
    );
    report.add(
        n,
        "disk.index_mib",
        "index on disk",
        disk_mib(&ldtcat.data_dir.join("index")),
        "MiB",
    );

    // An unchanged single-document source answering 304 (its records are also delivered by
    // `perf`, so the first run only adds provenance).
    let single = work.join("config-single");
    write_config(
        &single,
        "single",
        &server.first_page_url().replace("/catalog?", "/single?"),
    )?;
    ldtcat.harvest("single", &single, None)?;
    server.take_counts();
    let not_modified = ldtcat.harvest("single", &single, None)?;
    let (bodies, answers_304, _) = server.take_counts();
    ensure!(answers_304 == 1 && bodies == 0, "the unchanged single-document source was fetched again ({bodies} bodies, {answers_304} 304s)");
    report.add(
        n,
        "reharvest_304.seconds",
        "re-harvest of an unchanged source answering 304 (whole run)",
        not_modified.seconds,
        "s",
    );
    drop(server);
    drop(runtime);

    // Serving.
    let empty = work.join("config-empty");
    std::fs::create_dir_all(&empty)?;
    let port = free_port()?;
    let (served, cold_start) = ldtcat.serve(port, &empty)?;
    report.add(
        n,
        "serve.cold_start_ms",
        "cold start (process start to first answer)",
        cold_start.as_secs_f64() * 1000.0,
        "ms",
    );
    let base = served.base.clone();
    let ids: Vec<String> = (0..200)
        .map(|i| record_id(&Generator::iri((i * 7_919) % n)))
        .collect();
    let scenarios: Vec<(&str, &str, Vec<String>)> = vec![
        ("api_search_single", "/api/search, one term", SEARCH_WORDS.iter().map(|w| format!("{base}/api/search?q={w}")).collect()),
        ("api_search_multi", "/api/search, three terms", CITIES.iter().map(|c| format!("{base}/api/search?q=air+quality+{c}")).collect()),
        ("api_search_facets", "/api/search, one term and a facet filter (facet counts in every answer)", SEARCH_WORDS.iter().zip(SEARCH_THEMES.iter().cycle()).map(|(w, t)| format!("{base}/api/search?q={w}&theme=http://publications.europa.eu/resource/authority/data-theme/{t}")).collect()),
        ("api_search_filtered", "/api/search, filters only (kind, format, bbox, modified since)", CITIES.iter().map(|_| format!("{base}/api/search?kind=dataset&format=http://publications.europa.eu/resource/authority/file-type/CSV&bbox=3,49,8,52&modified_since=2025-03-01T00:00:00Z")).collect()),
        ("html_search", "/search (HTML), one term", SEARCH_WORDS.iter().map(|w| format!("{base}/search?q={w}")).collect()),
        ("resources", "/resources/{id} (HTML)", ids.iter().map(|id| format!("{base}/resources/{id}")).collect()),
        // As a harvester reads it: each page asked with the cursor of the one before.
        ("catalog", "/catalog pages of 100 (Turtle, Hydra) asked by their `after` cursor", ids.iter().map(|id| format!("{base}/catalog.ttl?after={id}")).collect()),
    ];
    let load_settings = LoadSettings {
        clients: settings.clients,
        warm_up: Duration::from_secs_f64((settings.load_seconds / 5.0).max(1.0)),
        duration: Duration::from_secs_f64(settings.load_seconds),
    };
    let load_runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    // Service time: the facet search again, one client at a time.
    let mut scenarios = scenarios;
    let single_client = scenarios[2].2.clone();
    scenarios.push((
        "api_search_facets_1client",
        "/api/search, one term and a facet filter, one client (service time)",
        single_client,
    ));
    for (key, label, urls) in scenarios {
        let clients = if key.ends_with("_1client") {
            1
        } else {
            settings.clients
        };
        let load_settings = LoadSettings {
            clients,
            ..load_settings
        };
        let result = load_runtime.block_on(load::run(Arc::new(urls), load_settings))?;
        if result.errors > 0 {
            report.note(format!(
                "N = {n}: {key}: {} of {} requests failed or timed out (60 s)",
                result.errors, result.requests
            ));
        }
        report.add(
            n,
            &format!("{key}.requests_per_second"),
            &format!("{label}: requests/s, {clients} client(s)"),
            result.requests_per_second,
            "requests/s",
        );
        report.add(
            n,
            &format!("{key}.p50_ms"),
            &format!("{label}: p50"),
            result.p50_ms,
            "ms",
        );
        report.add(
            n,
            &format!("{key}.p99_ms"),
            &format!("{label}: p99"),
            result.p99_ms,
            "ms",
        );
    }

    // SPARQL over HTTP, by the same client for ldtcat and Virtuoso.
    let lookups: Vec<String> = (0..500)
        .map(|i| {
            format!(
                "SELECT ?p ?o WHERE {{ <{}> ?p ?o }}",
                Generator::iri((i * 104_729) % n)
            )
        })
        .collect();
    let facet = vec!["PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT ?theme (COUNT(?d) AS ?n) WHERE { ?d a dcat:Dataset ; dcat:theme ?theme } GROUP BY ?theme".to_owned()];
    let lookup_file = work.join("queries-lookup.json");
    std::fs::write(
        &lookup_file,
        serde_json::json!({ "lookup": lookups }).to_string(),
    )?;
    let facet_file = work.join("queries-facet.json");
    std::fs::write(
        &facet_file,
        serde_json::json!({ "facet": facet }).to_string(),
    )?;
    // One Virtuoso load answers both query kinds.
    let both_file = work.join("queries-both.json");
    std::fs::write(
        &both_file,
        serde_json::json!({ "lookup": lookups, "facet": facet }).to_string(),
    )?;
    let facet_repeat = (settings.sparql_repeat / 50).max(5);
    if let Some(drivers) = &settings.drivers {
        let endpoint = format!("{base}/sparql");
        for (file, name, repeat) in [
            (&lookup_file, "lookup", settings.sparql_repeat),
            (&facet_file, "facet", facet_repeat),
        ] {
            match drivers.sparql(
                &endpoint,
                file,
                repeat,
                &work.join(format!("ldtcat-{name}.json")),
            )? {
                Outcome::Done(json) => {
                    add_sparql(report, n, "sparql", name, "ldtcat", &json[name])?
                }
                Outcome::Unavailable(why) => {
                    report.note(format!("SPARQL client unavailable: {why}"))
                }
            }
        }
    } else {
        report.note("Python drivers not given: SPARQL, rdflib and Virtuoso figures skipped");
    }
    let rss = crate::process::peak_rss_mib(served.pid()).unwrap_or(f64::NAN);
    report.add(
        n,
        "serve.peak_rss_mib",
        "serving peak RSS (after all the load)",
        rss,
        "MiB",
    );
    drop(served);

    if let Some(drivers) = &settings.drivers {
        peer_engines(
            n, drivers, settings, &work, &pages, &pages_dir, &both_file, report,
        )?;
    }
    ratios(n, report);
    std::fs::remove_dir_all(&pages_dir).context("removing the pages")?;
    Ok(())
}

fn bulk_per_page(n: usize, pages: &[PathBuf], work: &Path, report: &mut Report) -> Result<()> {
    let (per_page, per_page_size) = limits::bulk_load(pages, &work.join("raw-store"), 1)?;
    report.add(
        n,
        "raw.bulk_loader_per_page.records_per_second",
        "raw Oxigraph BulkLoader, one commit per page of the harvest",
        per_page.datasets_per_second(),
        "datasets/s",
    );
    report.add(
        n,
        "raw.bulk_loader_per_page.store_mib",
        "raw BulkLoader with a commit per page: store on disk",
        per_page_size,
        "MiB",
    );
    std::fs::remove_dir_all(work.join("raw-store"))?;
    Ok(())
}

fn add_sparql(
    report: &mut Report,
    n: usize,
    prefix: &str,
    name: &str,
    engine: &str,
    json: &serde_json::Value,
) -> Result<()> {
    let errors = json["errors"].as_u64().unwrap_or(0);
    let requests = json["requests"].as_u64().unwrap_or(0);
    // A lookup must always work; an aggregate over the whole store may meet the endpoint's
    // time limit, which is reported, not hidden.
    ensure!(
        errors == 0 || name != "lookup",
        "{engine} {name}: {errors} SPARQL errors: {}",
        json["first_error"]
    );
    if errors > 0 {
        report.note(format!(
            "N = {n}: {engine} {name}: {errors} of {requests} requests failed: {}",
            json["first_error"]
        ));
        report.add(
            n,
            &format!("{prefix}.{name}.errors"),
            &format!("{engine} SPARQL over HTTP, {name}: failed requests"),
            errors as f64,
            "requests",
        );
    }
    ensure!(
        json["rows_first"].as_u64().unwrap_or(0) > 0 || errors > 0,
        "{engine} {name}: no rows"
    );
    for stat in ["p50_ms", "p99_ms"] {
        report.add(
            n,
            &format!("{prefix}.{name}.{stat}"),
            &format!("{engine} SPARQL over HTTP, {name}: {}", &stat[..3]),
            json[stat].as_f64().unwrap_or(f64::NAN),
            "ms",
        );
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn peer_engines(
    n: usize,
    drivers: &Drivers,
    settings: &Settings,
    work: &Path,
    pages: &[PathBuf],
    pages_dir: &Path,
    queries: &Path,
    report: &mut Report,
) -> Result<()> {
    if n <= settings.rdflib_max_n {
        match drivers.rdflib_parse(pages, 3_600.0, &work.join("rdflib.json"))? {
            Outcome::Done(json) => {
                report.add(
                    n,
                    "rdflib.parse.records_per_second",
                    "rdflib parsing the same pages",
                    json["datasets_per_second"].as_f64().unwrap_or(f64::NAN),
                    "datasets/s",
                );
                report.add(
                    n,
                    "rdflib.parse.statements_per_second",
                    "rdflib parsing, statements",
                    json["triples_per_second"].as_f64().unwrap_or(f64::NAN),
                    "statements/s",
                );
            }
            Outcome::Unavailable(why) => report.note(format!("rdflib unavailable: {why}")),
        }
    } else {
        report.note(format!(
            "N = {n}: rdflib skipped (above {}; it parses about 13,000 statements/s)",
            settings.rdflib_max_n
        ));
    }
    // Both query kinds, each timed `sparql_repeat` times.
    let virtuoso_work = work.join("virtuoso");
    match drivers.virtuoso(
        pages_dir,
        &virtuoso_work,
        queries,
        settings.sparql_repeat,
        &work.join("virtuoso.json"),
    )? {
        Outcome::Done(json) => {
            let seconds = json["load_seconds"].as_f64().unwrap_or(f64::NAN);
            report.add(
                n,
                "virtuoso.load.records_per_second",
                "Virtuoso 7 bulk load of the same pages (2 loaders + checkpoint)",
                n as f64 / seconds,
                "datasets/s",
            );
            report.add(
                n,
                "virtuoso.db_mib",
                "Virtuoso database on disk",
                json["db_size_mib"].as_f64().unwrap_or(f64::NAN),
                "MiB",
            );
            let triples = json["triples"].as_u64().unwrap_or(0);
            ensure!(triples > 0, "Virtuoso loaded no triples");
            for name in ["lookup", "facet"] {
                add_sparql(
                    report,
                    n,
                    "virtuoso",
                    name,
                    "Virtuoso",
                    &json["queries"][name],
                )?;
            }
        }
        Outcome::Unavailable(why) => {
            report.note(format!(
                "Virtuoso unavailable ({why}); install it with scripts/setup.sh --perf"
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&virtuoso_work);
    Ok(())
}

fn ratios(n: usize, report: &mut Report) {
    let pairs = [
        (
            "ratio.ingest_vs_bulk_loader",
            "ingest ÷ raw BulkLoader (records/s)",
            "ingest.records_per_second",
            "raw.bulk_loader.records_per_second",
        ),
        (
            "ratio.ingest_vs_bulk_loader_per_page",
            "ingest ÷ raw BulkLoader with a commit per page",
            "ingest.records_per_second",
            "raw.bulk_loader_per_page.records_per_second",
        ),
        (
            "ratio.ingest_vs_raw_parse",
            "ingest ÷ raw oxttl parsing",
            "ingest.records_per_second",
            "raw.parse.records_per_second",
        ),
        (
            "ratio.reharvest_vs_raw_parse",
            "unchanged re-harvest ÷ raw oxttl parsing",
            "reharvest.records_per_second",
            "raw.parse.records_per_second",
        ),
        (
            "ratio.reharvest_parsed_vs_raw_parse",
            "unchanged re-harvest with every page parsed ÷ raw oxttl parsing",
            "reharvest_parsed.records_per_second",
            "raw.parse.records_per_second",
        ),
        (
            "ratio.ingest_vs_virtuoso_load",
            "ingest ÷ Virtuoso bulk load",
            "ingest.records_per_second",
            "virtuoso.load.records_per_second",
        ),
        (
            "ratio.ingest_vs_rdflib_parse",
            "ingest ÷ rdflib parsing alone",
            "ingest.records_per_second",
            "rdflib.parse.records_per_second",
        ),
        (
            "ratio.sparql_lookup_p99_ldtcat_over_virtuoso",
            "SPARQL lookup p99, ldtcat ÷ Virtuoso (below 1: ldtcat faster)",
            "sparql.lookup.p99_ms",
            "virtuoso.lookup.p99_ms",
        ),
        (
            "ratio.sparql_lookup_p50_ldtcat_over_virtuoso",
            "SPARQL lookup p50, ldtcat ÷ Virtuoso",
            "sparql.lookup.p50_ms",
            "virtuoso.lookup.p50_ms",
        ),
        (
            "ratio.sparql_facet_p50_ldtcat_over_virtuoso",
            "SPARQL facet query p50, ldtcat ÷ Virtuoso",
            "sparql.facet.p50_ms",
            "virtuoso.facet.p50_ms",
        ),
        (
            "ratio.store_vs_bulk_loader_store",
            "store on disk ÷ raw BulkLoader store",
            "disk.store_mib",
            "raw.bulk_loader.store_mib",
        ),
    ];
    for (key, label, top, bottom) in pairs {
        if let (Some(a), Some(b)) = (report.value(n, top), report.value(n, bottom)) {
            report.add(n, key, label, a / b, "×");
        }
    }
}
