//! Catalogues cut into Hydra pages, in any RDF syntax and either paging variant, and the
//! harvest configuration of test sources, and one run of a source.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ldtcat::catalog::Catalog;
use ldtcat::harvest::{run_source, RunRequest};
use ldtcat::import::file_document;
use ldtcat_config::{load_harvest_file, SourceConfig};
use ldtcat_harvest::{Fetcher, HostPolicy};
use ldtcat_model::{split_records, RawRecord};
use ldtcat_store::HarvestRun;
use ldtcat_vocab::RuleSet;
use oxrdf::{Literal, NamedNode, NamedOrBlankNode, Triple};
use oxrdfio::{RdfFormat, RdfSerializer};

/// One run of a source now, as the service would run it (`full`: a full run).
pub async fn run(catalog: &Arc<Catalog>, source: &SourceConfig, full: bool) -> HarvestRun {
    let fetcher = Fetcher::new(HostPolicy::for_urls([&source.url])).expect("client");
    run_source(
        catalog.clone(),
        fetcher,
        source.clone(),
        RunRequest { force_full: full },
        &|_| {},
    )
    .await
    .expect("report")
}

const HYDRA: &str = "http://www.w3.org/ns/hydra/core#";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// The two ways catalogues announce their next page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// `hydra:PartialCollectionView` with `hydra:next` as an IRI.
    PartialCollectionView,
    /// Legacy `hydra:PagedCollection` with `hydra:nextPage` as a string literal.
    PagedCollectionLiteral,
}

/// The records of some catalogue files (statements as split by ldtcat itself).
pub fn records_of(files: &[PathBuf]) -> Vec<RawRecord> {
    let rules = RuleSet::builtin().expect("rules");
    let mut records = Vec::new();
    for file in files {
        let document = file_document(file, None, None).expect("document");
        split_records(&document, &rules, |raw| {
            records.push(raw);
            Ok(())
        })
        .expect("splits");
    }
    records
}

fn node(iri: &str) -> NamedNode {
    NamedNode::new(iri).expect("iri")
}

/// The paging statements of a page.
pub fn paging_triples(variant: Variant, page_url: &str, next_url: Option<&str>) -> Vec<Triple> {
    let collection = node("http://catalogue.test/collection");
    let mut triples = Vec::new();
    match variant {
        Variant::PartialCollectionView => {
            let view = node(page_url);
            triples.push(Triple::new(
                collection.clone(),
                node(&format!("{HYDRA}view")),
                view.clone(),
            ));
            triples.push(Triple::new(
                view.clone(),
                node(RDF_TYPE),
                node(&format!("{HYDRA}PartialCollectionView")),
            ));
            if let Some(next) = next_url {
                triples.push(Triple::new(view, node(&format!("{HYDRA}next")), node(next)));
            }
        }
        Variant::PagedCollectionLiteral => {
            triples.push(Triple::new(
                collection.clone(),
                node(RDF_TYPE),
                node(&format!("{HYDRA}PagedCollection")),
            ));
            if let Some(next) = next_url {
                triples.push(Triple::new(
                    collection,
                    node(&format!("{HYDRA}nextPage")),
                    Literal::new_simple_literal(next),
                ));
            }
        }
    }
    triples
}

/// One page: the records' statements and the paging statements, serialised in `format`.
pub fn page_bytes(records: &[RawRecord], paging: &[Triple], format: RdfFormat) -> Vec<u8> {
    let mut serializer = RdfSerializer::from_format(format)
        .with_prefix("dcat", "http://www.w3.org/ns/dcat#")
        .expect("prefix")
        .with_prefix("dct", "http://purl.org/dc/terms/")
        .expect("prefix")
        .with_prefix("hydra", HYDRA)
        .expect("prefix")
        .for_writer(Vec::new());
    for record in records {
        for triple in &record.triples {
            serializer.serialize_triple(triple).expect("serialises");
        }
    }
    for triple in paging {
        serializer.serialize_triple(triple).expect("serialises");
    }
    serializer.finish().expect("finishes")
}

/// The ids a record set gets (as ldtcat computes them).
pub fn record_iris(records: &[RawRecord]) -> Vec<String> {
    let mut iris: Vec<String> = records
        .iter()
        .filter_map(|r| match &r.root {
            NamedOrBlankNode::NamedNode(n) => Some(n.as_str().to_owned()),
            NamedOrBlankNode::BlankNode(_) => None,
        })
        .collect();
    iris.sort();
    iris
}

/// Writes a harvest configuration with one source and loads it.
pub fn source_config(dir: &Path, id: &str, kind: &str, url: &str, options: &str) -> SourceConfig {
    let path = dir.join(format!("{id}.toml"));
    let text = format!(
        "[[source]]\nid = \"{id}\"\nkind = \"{kind}\"\nurl = \"{url}\"\n[source.options]\n{options}\n"
    );
    std::fs::write(&path, text).expect("writes config");
    load_harvest_file(&path)
        .expect("valid config")
        .into_iter()
        .next()
        .expect("one source")
}
