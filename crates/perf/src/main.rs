//! `ldtcat-perf`: runs the performance suite at each N and writes the report (see
//! `scripts/perf.sh`, which builds the release binaries and installs the peer engines).

use std::path::PathBuf;

use anyhow::Result;
use clap::Parser;
use ldtcat_perf::generate::Generator;
use ldtcat_perf::peers::Drivers;
use ldtcat_perf::report::Report;
use ldtcat_perf::shapes::reference_from_file;
use ldtcat_perf::suite::{self, Settings};

#[derive(Parser)]
#[command(about = "ldtcat's performance suite")]
struct Args {
    /// Numbers of datasets (repeat the flag), smallest first.
    #[arg(long = "n", default_values_t = [100_000usize, 1_000_000])]
    sizes: Vec<usize>,
    /// Where the report goes.
    #[arg(long, default_value = "target/perf-report")]
    out: PathBuf,
    /// Scratch space (pages, data directories, engines' databases).
    #[arg(long, default_value = "target/perf-work")]
    work: PathBuf,
    /// The ldtcat binary.
    #[arg(long, default_value = "target/release/ldtcat")]
    ldtcat: PathBuf,
    /// The reference catalogues whose size distribution the synthetic one copies.
    #[arg(long = "reference", default_values_t = [
        "../shared/data/catalogues/antwerpen-datatank-2015.ttl".to_owned(),
        "../shared/data/catalogues/statbel-subset.ttl".to_owned(),
    ])]
    references: Vec<String>,
    /// Datasets per harvested page.
    #[arg(long, default_value_t = 1_000)]
    page_size: usize,
    /// Concurrent clients.
    #[arg(long, default_value_t = 50)]
    clients: usize,
    /// Measured seconds per load scenario.
    #[arg(long, default_value_t = 10.0)]
    load_seconds: f64,
    /// Timed SPARQL lookups (the facet query gets a tenth).
    #[arg(long, default_value_t = 500)]
    sparql_repeat: usize,
    /// rdflib runs up to this N.
    #[arg(long, default_value_t = 100_000)]
    rdflib_max_n: usize,
    /// The Python interpreter with rdflib.
    #[arg(long, default_value = ".venv/bin/python")]
    python: PathBuf,
    /// The Python drivers.
    #[arg(long, default_value = "tests/perf")]
    drivers: PathBuf,
    /// Skip rdflib, Virtuoso and the SPARQL client.
    #[arg(long)]
    no_peers: bool,
    /// Profile the ingest with `perf record` (Debian's linux-perf).
    #[arg(long)]
    profile: bool,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let references = args
        .references
        .iter()
        .map(|path| reference_from_file(path.as_ref()))
        .collect::<Result<Vec<_>>>()?;
    let generator = Generator::new(references)?;
    let settings = Settings {
        ldtcat: std::fs::canonicalize(&args.ldtcat)?,
        work: args.work.clone(),
        page_size: args.page_size,
        clients: args.clients,
        load_seconds: args.load_seconds,
        sparql_repeat: args.sparql_repeat,
        rdflib_max_n: args.rdflib_max_n,
        profile: args.profile,
        drivers: (!args.no_peers).then(|| Drivers {
            python: args.python.clone(),
            dir: args.drivers.clone(),
        }),
    };
    let mut report = Report {
        machine: ldtcat_perf::report::machine(),
        command: std::env::args().collect::<Vec<_>>().join(" "),
        ..Report::default()
    };
    for &n in &args.sizes {
        let outcome = suite::run(n, &generator, &settings, &mut report);
        if let Err(error) = outcome {
            report.note(format!("N = {n}: the run stopped: {error:#}"));
            report.write(&args.out)?;
            return Err(error);
        }
        report.write(&args.out)?;
    }
    println!("report: {}", args.out.join("report.md").display());
    Ok(())
}
