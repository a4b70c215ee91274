//! Helpers shared by this crate's integration tests: where the reference data is, how to read
//! a Turtle file the way ingest does (leniently), and which Python runs the drivers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use oxrdf::Triple;
use oxrdfio::{RdfFormat, RdfParser};

/// The reference data beside the checkout (`../shared/data`), or `LDTCAT_SHARED_DATA`.
pub fn shared_data() -> PathBuf {
    if let Ok(dir) = std::env::var("LDTCAT_SHARED_DATA") {
        return PathBuf::from(dir);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

/// The shapes shipped in `vocab/shapes/`.
pub fn shapes_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../vocab/shapes")
}

/// The data files of the agreement and golden tests, with the base IRI each needs.
pub fn data_files() -> Vec<(PathBuf, Option<&'static str>)> {
    let data = shared_data();
    let mut files = Vec::new();
    for folder in ["catalogues", "dcat-ap-3.0.0/examples", "mldcat-ap-3.1.0"] {
        let mut names: Vec<PathBuf> = std::fs::read_dir(data.join(folder))
            .unwrap_or_else(|error| {
                panic!(
                    "{} (see ../shared/data): {error}",
                    data.join(folder).display()
                )
            })
            .map(|entry| entry.expect("directory entry").path())
            .filter(|path| path.extension().is_some_and(|extension| extension == "ttl"))
            .filter(|path| !path.ends_with("mldcat-ap-SHACL.ttl"))
            .collect();
        names.sort();
        files.extend(names.into_iter().map(|path| {
            let base = path
                .to_string_lossy()
                .contains("hf-apertus")
                .then_some(HF_APERTUS_BASE);
            (path, base)
        }));
    }
    files
}

/// The base IRI given to the MLDCAT-AP example that uses relative IRIs.
pub const HF_APERTUS_BASE: &str = "https://huggingface.co/swiss-ai/Apertus-8B-2509/";

/// The triples of a Turtle file read leniently (as ingest does), `None` if even that fails.
pub fn read_turtle(path: &Path, base: Option<&str>) -> Option<Vec<Triple>> {
    let bytes = std::fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let mut parser = RdfParser::from_format(RdfFormat::Turtle).lenient();
    if let Some(base) = base {
        parser = parser.with_base_iri(base).expect("valid base IRI");
    }
    parser
        .for_slice(&bytes)
        .map(|quad| quad.map(Triple::from))
        .collect::<Result<Vec<_>, _>>()
        .ok()
}

/// The Python with pyshacl and rdflib: `LDTCAT_PYTHON`, else the checkout's `.venv`.
pub fn python() -> PathBuf {
    let python = std::env::var("LDTCAT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python"));
    assert!(
        python.exists(),
        "{} is missing: set LDTCAT_PYTHON to a Python with pyshacl and rdflib",
        python.display()
    );
    python
}

/// The `dcat:Dataset` IRIs of a file, in file order.
pub fn datasets(triples: &[Triple]) -> Vec<oxrdf::NamedNode> {
    let mut datasets = Vec::new();
    for triple in triples {
        let is_dataset = triple.predicate.as_str() == RDF_TYPE
            && matches!(&triple.object, oxrdf::Term::NamedNode(class) if class.as_str() == DCAT_DATASET);
        if let (true, oxrdf::NamedOrBlankNode::NamedNode(iri)) = (is_dataset, &triple.subject) {
            if !datasets.contains(iri) {
                datasets.push(iri.clone());
            }
        }
    }
    datasets
}

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const DCAT_DATASET: &str = "http://www.w3.org/ns/dcat#Dataset";

/// One record's statements, as ingest cuts them: the statements about `root` and, breadth
/// first, about every node they lead to, except other datasets (each is its own record).
pub fn record_statements(triples: &[Triple], root: &oxrdf::NamedNode) -> Vec<Triple> {
    use std::collections::{HashMap, HashSet};
    let mut by_subject: HashMap<oxrdf::Term, Vec<&Triple>> = HashMap::new();
    for triple in triples {
        by_subject
            .entry(triple.subject.clone().into())
            .or_default()
            .push(triple);
    }
    let others: HashSet<oxrdf::Term> = datasets(triples)
        .into_iter()
        .filter(|dataset| dataset != root)
        .map(oxrdf::Term::from)
        .collect();
    let mut visited = HashSet::from([oxrdf::Term::from(root.clone())]);
    let mut pending = vec![oxrdf::Term::from(root.clone())];
    let mut statements = Vec::new();
    while let Some(node) = pending.pop() {
        for triple in by_subject.get(&node).into_iter().flatten() {
            statements.push((*triple).clone());
            let object = &triple.object;
            if triple.predicate.as_str() != RDF_TYPE
                && !others.contains(object)
                && visited.insert(object.clone())
            {
                pending.push(object.clone());
            }
        }
    }
    statements
}
