//! The raw limits, on the same page files the catalogue harvests: oxttl parsing alone,
//! Oxigraph's bulk loader alone (each dataset in its own named graph, as the catalogue
//! stores records) and Tantivy indexing alone (the catalogue's index schema, summaries made
//! beforehand and not timed).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Result;
use ldtcat_index::CatalogIndex;
use ldtcat_model::extract::{summarize, RecordFacts};
use ldtcat_model::{split_records, RdfDocument, RecordBuilder};
use ldtcat_vocab::{ns, RuleSet};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, Quad, Term};
use oxigraph::store::Store;
use serde::Serialize;

/// A raw measurement.
#[derive(Debug, Clone, Serialize)]
pub struct Raw {
    /// Wall time of the measured part.
    pub seconds: f64,
    /// Datasets handled.
    pub datasets: u64,
    /// Statements handled.
    pub statements: u64,
}

impl Raw {
    /// Datasets per second.
    pub fn datasets_per_second(&self) -> f64 {
        self.datasets as f64 / self.seconds
    }
}

fn parser() -> RdfParser {
    RdfParser::from_format(RdfFormat::Turtle)
}

/// Recognises `?d rdf:type dcat:Dataset` without allocating per statement.
struct DatasetType {
    rdf_type: String,
    dataset: String,
}

impl DatasetType {
    fn new() -> Self {
        Self {
            rdf_type: format!("{}type", ns::RDF),
            dataset: format!("{}Dataset", ns::DCAT),
        }
    }

    fn matches(&self, quad: &Quad) -> bool {
        quad.predicate.as_str() == self.rdf_type
            && matches!(&quad.object, Term::NamedNode(n) if n.as_str() == self.dataset)
    }
}

/// Parses every page with oxttl (through Oxigraph's parser), counting statements.
pub fn parse(pages: &[PathBuf]) -> Result<Raw> {
    let started = Instant::now();
    let (mut statements, mut datasets) = (0u64, 0u64);
    let dataset_type = DatasetType::new();
    for page in pages {
        let file = std::io::BufReader::new(std::fs::File::open(page)?);
        for quad in parser().for_reader(file) {
            let quad = quad?;
            statements += 1;
            if dataset_type.matches(&quad) {
                datasets += 1;
            }
        }
    }
    Ok(Raw {
        seconds: started.elapsed().as_secs_f64(),
        datasets,
        statements,
    })
}

/// Bulk-loads every page into a new store in `dir` (parsing included), each dataset's
/// statements in a graph of its own, with one loader commit per `pages_per_commit` pages
/// (`usize::MAX`: one commit at the end, as `oxigraph load` does). Returns the measurement
/// and the store's size on disk in MiB.
pub fn bulk_load(pages: &[PathBuf], dir: &Path, pages_per_commit: usize) -> Result<(Raw, f64)> {
    let store = Store::open(dir)?;
    let started = Instant::now();
    let (mut statements, mut datasets) = (0u64, 0u64);
    let mut graph = GraphName::DefaultGraph;
    let mut errors = 0u64;
    let dataset_type = DatasetType::new();
    for chunk in pages.chunks(pages_per_commit.max(1)) {
        let mut loader = store.bulk_loader();
        let quads = chunk
            .iter()
            .filter_map(|page| std::fs::File::open(page).ok())
            .flat_map(|file| parser().for_reader(std::io::BufReader::new(file)))
            .filter_map(|quad| quad.map_err(|_| errors += 1).ok())
            .map(|mut quad| {
                if dataset_type.matches(&quad) {
                    datasets += 1;
                    graph =
                        NamedNode::new_unchecked(format!("urn:ldtcat:record:raw{datasets}")).into();
                }
                statements += 1;
                quad.graph_name = graph.clone();
                quad
            });
        loader.load_quads(quads)?;
        loader.commit()?;
    }
    anyhow::ensure!(errors == 0, "{errors} syntax errors in the pages");
    let seconds = started.elapsed().as_secs_f64();
    drop(store);
    let size = crate::process::disk_mib(dir);
    Ok((
        Raw {
            seconds,
            datasets,
            statements,
        },
        size,
    ))
}

/// Indexes every page's records into a new index in `dir`; only the index calls and the
/// final commit are timed. Returns the measurement and the index size in MiB.
pub fn index(pages: &[PathBuf], dir: &Path) -> Result<(Raw, f64)> {
    let rules = RuleSet::builtin()?;
    std::fs::create_dir_all(dir)?;
    let index = CatalogIndex::open(dir)?;
    let mut batch = index.batch()?;
    let mut timed = Duration::ZERO;
    let (mut statements, mut datasets) = (0u64, 0u64);
    let sources = ["perf".to_owned()];
    for page in pages {
        let bytes = std::fs::read(page)?;
        let name = page.to_string_lossy().into_owned();
        let document = RdfDocument::from_slice(&name, None, RdfFormat::Turtle, &bytes);
        let mut builder = RecordBuilder::new(&rules, "perf");
        let mut summaries = Vec::new();
        split_records(&document, &rules, |raw| {
            let record = builder.build(raw);
            statements += record.triples.len() as u64;
            let facts = RecordFacts {
                id: &record.id,
                iri: &record.iri,
                kind: record.kind,
                sources: &sources,
                corrections: &record.corrections,
                repairs: &record.repairs,
                links: &[],
            };
            summaries.push(summarize(&facts, &record.triples));
            Ok(())
        })?;
        let started = Instant::now();
        for summary in &summaries {
            batch.upsert(summary)?;
        }
        timed += started.elapsed();
        datasets += summaries.len() as u64;
    }
    let started = Instant::now();
    batch.commit()?;
    timed += started.elapsed();
    drop(index);
    Ok((
        Raw {
            seconds: timed.as_secs_f64(),
            datasets,
            statements,
        },
        crate::process::disk_mib(dir),
    ))
}
