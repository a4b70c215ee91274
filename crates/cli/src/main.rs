//! The `ldtcat` command.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use ldtcat::catalog::Catalog;
use ldtcat::import::{collect_documents, import_files, ImportSummary};
use std::sync::Arc;

use ldtcat::harvest::{fail_interrupted_runs, run_source, RunRequest};
use ldtcat::server::{ServeSettings, Stopped};
use ldtcat_config::{load_harvest_dir, load_harvest_file, SourceConfig, SourceKind};
use ldtcat_harvest::{Fetcher, HostPolicy};
use ldtcat_store::{HarvestRun, RunStatus};

/// ldtcat: a federated resource catalogue for Local Digital Twins.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    /// The data directory (store and index).
    #[arg(long, global = true, env = "LDTCAT_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Imports RDF documents (files or folders) as records of one source.
    Import {
        /// Files or folders (folders: every file with an RDF extension, recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The source id the records are attributed to.
        #[arg(long)]
        source: String,
        /// The media type of the documents, overriding detection (e.g. text/turtle).
        #[arg(long)]
        format: Option<String>,
        /// The base IRI for relative IRIs (default: each file's file: URL).
        #[arg(long)]
        base_iri: Option<String>,
    },
    /// Rebuilds the search index from the store alone.
    Reindex,
    /// Prints the metadata-quality report of a source (or, without one, of the catalogue):
    /// records per MQA rating, the distribution of scores and the most frequent findings.
    Quality {
        /// The source id.
        source: Option<String>,
    },
    /// Checks the access and download URLs of a source's records now, as its
    /// `[source.link_check]` allows (harvest runs do it after each run), and scores the
    /// records whose URLs' outcome changed again.
    CheckLinks {
        /// The source id.
        source: String,
        /// The folder of harvest configuration files.
        #[arg(long, env = "LDTCAT_HARVEST_CONFIG", default_value = "harvest-config")]
        harvest_config: PathBuf,
    },
    /// Serves the catalogue over HTTP.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "LDTCAT_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
        /// The public base URL (for absolute links behind a reverse proxy).
        #[arg(long, env = "LDTCAT_PUBLIC_URL")]
        public_url: Option<String>,
        /// The catalogue's title.
        #[arg(
            long,
            env = "LDTCAT_TITLE",
            default_value = "ldtcat – Local Digital Twin resource catalogue"
        )]
        title: String,
        /// Imports the bundled demo federation (harvest-config/demo.toml) before serving.
        #[arg(long)]
        demo: bool,
        /// The folder of harvest configuration files.
        #[arg(long, env = "LDTCAT_HARVEST_CONFIG", default_value = "harvest-config")]
        harvest_config: PathBuf,
        /// The bearer token of `POST /admin/harvest/{source}` (none: the endpoint is off).
        #[arg(long, env = "LDTCAT_ADMIN_TOKEN", hide_env_values = true)]
        admin_token: Option<String>,
        /// Harvest runs at once, over all sources.
        #[arg(long, env = "LDTCAT_MAX_CONCURRENT_RUNS", default_value_t = 2)]
        max_concurrent_runs: usize,
        /// Seconds from SIGTERM or Ctrl-C to the exit, at most: queries and harvest runs are
        /// stopped, the store flushed; what still runs then is abandoned.
        #[arg(long, env = "LDTCAT_SHUTDOWN_TIMEOUT", default_value_t = 10.0)]
        shutdown_timeout: f64,
        #[command(flatten)]
        publication: Box<PublicationArgs>,
    },
    /// Prints counts of records per kind and source, and index size.
    Stats,
    /// Which components an LDT can run: out of the box, with limited adaptations, or not yet.
    Compat {
        /// The LDT profile: a file (.toml, .ttl, .jsonld, ...) or a catalogued profile's
        /// record id or IRI.
        profile: String,
        /// Assess only this component (record id), requirement by requirement.
        #[arg(long)]
        component: Option<String>,
        /// Prints JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Harvests configured sources now (see harvest-config/*.toml).
    Harvest {
        /// The id of the source to harvest.
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        source: Option<String>,
        /// Harvests every enabled source, one after the other.
        #[arg(long)]
        all: bool,
        /// Reads the whole source even if it is incremental (so that deletions can apply);
        /// for a peer source, reads its feed from the start.
        #[arg(long)]
        full: bool,
        /// This catalogue's public base URL: its IRI `{url}/catalog` lets peer harvests
        /// recognise records that originated here.
        #[arg(long, env = "LDTCAT_PUBLIC_URL")]
        public_url: Option<String>,
        /// The folder of harvest configuration files.
        #[arg(long, env = "LDTCAT_HARVEST_CONFIG", default_value = "harvest-config")]
        harvest_config: PathBuf,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    // `LDTCAT_QUALITY=off`: records are not assessed at ingest (nor scored in the index).
    if std::env::var("LDTCAT_QUALITY").is_ok_and(|value| value.eq_ignore_ascii_case("off")) {
        ldtcat_model::extract::set_quality_assessment(false);
    }
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Import {
            paths,
            source,
            format,
            base_iri,
        } => {
            let catalog = Catalog::open(&cli.data_dir)?;
            let files = collect_documents(&paths)?;
            let progress = progress_bar();
            let on_progress = |n: u64| progress.set_message(format!("{n} records"));
            let summary = import_files(
                &catalog,
                &files,
                &source,
                format.as_deref(),
                base_iri.as_deref(),
                &on_progress,
            )?;
            progress.finish_and_clear();
            print!("{}", summary.render());
            Ok(if summary.failed.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Reindex => {
            let catalog = Catalog::open(&cli.data_dir)?;
            let indexed = catalog.reindex()?;
            println!("indexed {indexed} record(s)");
            Ok(ExitCode::SUCCESS)
        }
        Command::Quality { source } => {
            let catalog = Catalog::open(&cli.data_dir)?;
            let report = catalog.index.quality_report(source.as_deref())?;
            print!(
                "{}",
                ldtcat::quality::render_report(source.as_deref(), &report)
            );
            Ok(if report.records == 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::CheckLinks {
            source,
            harvest_config,
        } => check_links_command(&cli.data_dir, &harvest_config, &source),
        Command::Stats => {
            let catalog = Catalog::open(&cli.data_dir)?;
            let stats = catalog.store.stats()?;
            println!(
                "records: {} (tombstones: {})",
                stats.records, stats.tombstones
            );
            for (kind, count) in &stats.by_kind {
                println!("  kind {kind}: {count}");
            }
            for (source, count) in &stats.by_source {
                println!("  source {source}: {count}");
            }
            println!("quads: {}", stats.quads);
            println!("index documents: {}", catalog.index.num_docs());
            let space = catalog.index.space()?;
            println!(
                "index: {} in {} segment(s); document store {}",
                mib(space.total),
                space.segments,
                mib(space.store)
            );
            println!("  field                     terms   postings  positions       fast      norms      total");
            for field in &space.fields {
                println!(
                    "  {:<20} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
                    field.field,
                    mib(field.terms),
                    mib(field.postings),
                    mib(field.positions),
                    mib(field.fast),
                    mib(field.norms),
                    mib(field.total())
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Compat {
            profile,
            component,
            json,
        } => {
            let catalog = Catalog::open(&cli.data_dir)?;
            let profile = ldtcat::compat::load_profile(&catalog, &profile)?;
            let verdicts =
                ldtcat::compat::assess_catalog(&catalog, &profile, component.as_deref())?;
            if json {
                let items: Vec<serde_json::Value> = verdicts
                    .iter()
                    .map(|v| {
                        serde_json::json!({
                            "id": v.id, "kind": v.kind, "title": v.title,
                            "verdict": v.assessment.verdict, "assessment": v.assessment,
                        })
                    })
                    .collect();
                let answer = serde_json::json!({
                    "profile": {"iri": profile.iri, "title": profile.title},
                    "components": items,
                });
                println!("{}", serde_json::to_string_pretty(&answer)?);
            } else {
                print!(
                    "{}",
                    ldtcat::compat::render(&profile, &verdicts, component.is_some())
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Harvest {
            source,
            all,
            full,
            public_url,
            harvest_config,
        } => harvest_command(
            &cli.data_dir,
            &harvest_config,
            source.as_deref(),
            all,
            full,
            public_url.as_deref(),
        ),
        Command::Serve {
            bind,
            public_url,
            title,
            demo,
            harvest_config,
            admin_token,
            max_concurrent_runs,
            shutdown_timeout,
            publication,
        } => {
            let catalog = Catalog::open(&cli.data_dir)?;
            if demo {
                import_demo(&catalog, &harvest_config.join("demo.toml"))?;
            }
            let sources = if harvest_config.is_dir() {
                load_harvest_dir(&harvest_config)?
            } else {
                tracing::warn!(
                    "no harvest configuration folder {}: no sources",
                    harvest_config.display()
                );
                Vec::new()
            };
            let harvest = HarvestSettings {
                sources,
                admin_token,
                max_concurrent_runs,
                shutdown_timeout,
            };
            serve(catalog, &bind, public_url, title, harvest, *publication)
        }
    }
}

/// Bytes in MiB, to a tenth (or in bytes under a tenth of a MiB).
fn mib(bytes: u64) -> String {
    if bytes < 104_858 {
        format!("{bytes} B")
    } else {
        format!("{:.1} MiB", bytes as f64 / 1_048_576.0)
    }
}

fn check_links_command(
    data_dir: &Path,
    harvest_config: &Path,
    source_id: &str,
) -> Result<ExitCode> {
    let sources = load_harvest_dir(harvest_config)?;
    let source = sources
        .iter()
        .find(|s| s.id == source_id)
        .with_context(|| format!("no source `{source_id}` in {}", harvest_config.display()))?;
    let config = source.link_check.as_ref().with_context(|| {
        format!(
            "source `{source_id}` has no [source.link_check] (or it is not enabled) in {}",
            source.config_file.display()
        )
    })?;
    let catalog = Arc::new(Catalog::open(data_dir)?);
    let runtime = tokio::runtime::Runtime::new()?;
    let report = runtime.block_on(ldtcat::link_check::check_source_links(
        &catalog, source, config,
    ))?;
    println!("{}", report.summary());
    for refusal in &report.refusals {
        println!("  {refusal}");
    }
    Ok(ExitCode::SUCCESS)
}

fn harvest_command(
    data_dir: &Path,
    harvest_config: &Path,
    source_id: Option<&str>,
    all: bool,
    full: bool,
    public_url: Option<&str>,
) -> Result<ExitCode> {
    let sources = load_harvest_dir(harvest_config)?;
    let chosen: Vec<SourceConfig> = if all {
        sources.iter().filter(|s| s.enabled).cloned().collect()
    } else {
        let id = source_id.unwrap_or_default();
        let source = sources.iter().find(|s| s.id == id).with_context(|| {
            let known: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
            format!(
                "no source `{id}` in {} (known: {})",
                harvest_config.display(),
                known.join(", ")
            )
        })?;
        vec![source.clone()]
    };
    let mut catalog = Catalog::open(data_dir)?;
    if let Some(url) = public_url {
        catalog = catalog.with_catalogue_iri(format!("{}/catalog", url.trim_end_matches('/')));
    }
    let catalog = Arc::new(catalog);
    let fetcher = Fetcher::new(HostPolicy::for_urls(sources.iter().map(|s| &s.url)))?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let interrupted = fail_interrupted_runs(&catalog).await?;
        if interrupted > 0 {
            eprintln!("{interrupted} interrupted run(s) marked failed");
        }
        let mut all_ok = true;
        for source in chosen {
            let progress = progress_bar();
            progress.set_message(format!("{}: starting", source.id));
            let on_progress = |run: &HarvestRun| {
                progress.set_message(format!(
                    "{}: {} page(s), {} added, {} updated, {} unchanged, {} errored",
                    run.source_id, run.pages, run.added, run.updated, run.unchanged, run.errored
                ))
            };
            let request = RunRequest { force_full: full };
            let run = run_source(
                catalog.clone(),
                fetcher.clone(),
                source,
                request,
                &on_progress,
            )
            .await?;
            progress.finish_and_clear();
            print!("{}", render_run(&run));
            all_ok &= run.status == RunStatus::Success;
        }
        Ok(if all_ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    })
}

fn render_run(run: &HarvestRun) -> String {
    let mut out = format!(
        "{}: {} — {} page(s), {} byte(s); {} added, {} updated, {} unchanged, {} tombstoned, {} errored\n",
        run.source_id,
        run.status.as_str(),
        run.pages,
        run.bytes,
        run.added,
        run.updated,
        run.unchanged,
        run.tombstoned,
        run.errored
    );
    for note in &run.notes {
        out.push_str(&format!("  note: {note}\n"));
    }
    for error in &run.errors {
        out.push_str(&format!("  error: {error}\n"));
    }
    out
}

fn progress_bar() -> ProgressBar {
    let progress = ProgressBar::new_spinner();
    progress.set_style(
        ProgressStyle::with_template("{spinner} {elapsed} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    progress.enable_steady_tick(std::time::Duration::from_millis(200));
    progress
}

/// Imports every enabled file source of the demo configuration.
fn import_demo(catalog: &Catalog, config: &Path) -> Result<()> {
    let sources = load_harvest_file(config)?;
    let mut summary = ImportSummary::default();
    for source in sources
        .iter()
        .filter(|s| s.enabled && s.kind == SourceKind::Dcat)
    {
        let path = source.url.to_file_path().map_err(|()| {
            anyhow::anyhow!(
                "demo source `{}` is not a local file: {}",
                source.id,
                source.url
            )
        })?;
        summary.merge(import_files(
            catalog,
            &[path],
            &source.id,
            source.format.as_deref(),
            None,
            &|_| {},
        )?);
    }
    eprint!("demo federation: {}", summary.render());
    Ok(())
}

/// What `serve` needs for harvesting and stopping.
struct HarvestSettings {
    sources: Vec<SourceConfig>,
    admin_token: Option<String>,
    max_concurrent_runs: usize,
    shutdown_timeout: f64,
}

/// How the catalogue describes itself (`/catalog`) and bounds its SPARQL endpoint.
#[derive(Debug, clap::Args)]
struct PublicationArgs {
    /// The catalogue's description.
    #[arg(
        long,
        env = "LDTCAT_DESCRIPTION",
        default_value = "Find datasets, models, services, workflow templates, visualisation assets and published outputs for Local Digital Twins."
    )]
    description: String,
    /// Who publishes the catalogue (dct:publisher of /catalog).
    #[arg(long, env = "LDTCAT_PUBLISHER", default_value = "ldtcat operator")]
    publisher: String,
    /// The catalogue's language, an EU language authority IRI.
    #[arg(
        long,
        env = "LDTCAT_LANGUAGE",
        default_value = "http://publications.europa.eu/resource/authority/language/ENG"
    )]
    language: String,
    /// The licence of the catalogue's own metadata, an IRI.
    #[arg(
        long,
        env = "LDTCAT_LICENCE",
        default_value = "http://publications.europa.eu/resource/authority/licence/CC0"
    )]
    licence: String,
    /// SPARQL: seconds a query may run.
    #[arg(long, env = "LDTCAT_SPARQL_TIMEOUT", default_value_t = 10)]
    sparql_timeout: u64,
    /// SPARQL: rows (or triples) an answer may have.
    #[arg(long, env = "LDTCAT_SPARQL_MAX_ROWS", default_value_t = 10_000)]
    sparql_max_rows: usize,
    /// SPARQL: queries evaluated at once.
    #[arg(long, env = "LDTCAT_SPARQL_MAX_CONCURRENT", default_value_t = 4)]
    sparql_max_concurrent: usize,
    /// The Dataspace Protocol catalog's settings (participant id, token, offer rule; see
    /// vocab/dsp.toml, the built-in settings).
    #[arg(long, env = "LDTCAT_DSP_CONFIG")]
    dsp_config: Option<PathBuf>,
    /// SPARQL: queries one client (bearer token, else address) may have evaluated at once;
    /// 0: half of --sparql-max-concurrent, rounded up.
    #[arg(long, env = "LDTCAT_SPARQL_MAX_PER_CLIENT", default_value_t = 0)]
    sparql_max_per_client: usize,
    /// SPARQL: MiB of intermediate results (joins, groups, sorts, built strings) a query
    /// may allocate.
    #[arg(long, env = "LDTCAT_SPARQL_MEMORY_MIB", default_value_t = 256)]
    sparql_memory_mib: usize,
}

/// The DSP catalog's settings: the file's, else the built-in ones; the token read from the
/// variable the settings name (which must then be set).
fn dsp_settings(file: Option<&Path>) -> Result<ldtcat_serve::DspSettings> {
    let config = match file {
        Some(path) => ldtcat_config::load_dsp_file(path)?,
        None => ldtcat_config::DspConfig::builtin()?,
    };
    let token = match &config.token_env {
        None => None,
        Some(variable) => {
            let token = std::env::var(variable).with_context(|| {
                format!("the DSP settings require a token: set the environment variable {variable}")
            })?;
            anyhow::ensure!(!token.trim().is_empty(), "{variable} is empty");
            Some(token.trim().to_owned())
        }
    };
    Ok(ldtcat_serve::DspSettings {
        config: Arc::new(config),
        token,
    })
}

fn serve(
    catalog: Catalog,
    bind: &str,
    public_url: Option<String>,
    title: String,
    harvest: HarvestSettings,
    publication: PublicationArgs,
) -> Result<ExitCode> {
    for (option, value) in [
        ("--language", &publication.language),
        ("--licence", &publication.licence),
    ] {
        url::Url::parse(value)
            .with_context(|| format!("{option} must be an absolute IRI, got `{value}`"))?;
    }
    let dsp = dsp_settings(publication.dsp_config.as_deref())?;
    let max_concurrent = publication.sparql_max_concurrent.max(1);
    let settings = ServeSettings {
        bind: bind.to_owned(),
        site: ldtcat_serve::SiteSettings {
            title,
            description: publication.description,
            public_base_url: public_url.unwrap_or_default(),
            publisher_name: publication.publisher,
            language: publication.language,
            licence: publication.licence,
        },
        sparql_limits: ldtcat_serve::SparqlLimits {
            timeout: Duration::from_secs(publication.sparql_timeout.max(1)),
            max_rows: publication.sparql_max_rows.max(1),
            memory_budget: publication.sparql_memory_mib.max(1) << 20,
            ..ldtcat_serve::SparqlLimits::default()
        },
        sparql_max_concurrent: max_concurrent,
        sparql_max_per_client: match publication.sparql_max_per_client {
            0 => max_concurrent.div_ceil(2),
            share => share,
        },
        sources: harvest.sources,
        admin_token: harvest.admin_token,
        max_concurrent_runs: harvest.max_concurrent_runs,
        dsp,
        shutdown_timeout: Duration::from_secs_f64(harvest.shutdown_timeout.max(0.1)),
    };
    Ok(match ldtcat::server::serve(catalog, settings)? {
        Stopped::Cleanly => ExitCode::SUCCESS,
        Stopped::AtTheBound => ExitCode::FAILURE,
    })
}
