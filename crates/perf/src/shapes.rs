//! The size distribution of real catalogues: for every dataset of a reference export, the
//! number of statements of its record (as the catalogue splits it), its distributions and
//! the languages of its title. The synthetic catalogue draws its datasets from these shapes.

use std::path::Path;

use anyhow::{Context, Result};
use ldtcat_model::{split_records, RdfDocument};
use ldtcat_vocab::{ns, RuleSet};
use oxigraph::io::RdfFormat;
use std::collections::{HashMap, HashSet};

use oxigraph::model::{NamedOrBlankNode, Term, Triple};

/// The shape of one dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    /// Statements of the dataset's record (its closure) about nodes no other record holds.
    pub statements: usize,
    /// Distributions.
    pub distributions: usize,
    /// Language tags of its titles, sorted (empty: an untagged title).
    pub languages: Vec<String>,
}

/// The shapes of one reference catalogue.
#[derive(Debug, Clone)]
pub struct Reference {
    /// The file name.
    pub name: String,
    /// One shape per dataset, in document order.
    pub shapes: Vec<Shape>,
}

/// The shapes of the datasets of a Turtle export.
pub fn reference_from_file(path: &Path) -> Result<Reference> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Reference {
        shapes: dataset_shapes(&name, &bytes)?
            .into_iter()
            .map(|(_, shape)| shape)
            .collect(),
        name,
    })
}

/// The datasets of a Turtle document with their shapes, in the order the catalogue splits
/// them (a dataset comes once the last statement of its closure has been read).
pub fn dataset_shapes(name: &str, turtle: &[u8]) -> Result<Vec<(String, Shape)>> {
    let rules = RuleSet::builtin()?;
    let base = format!("file:///{name}");
    let document = RdfDocument::from_slice(name, Some(base), RdfFormat::Turtle, turtle);
    let mut records = Vec::new();
    split_records(&document, &rules, |raw| {
        let root: Term = raw.root.clone().into();
        let is_dataset = raw.triples.iter().any(|t| {
            Term::from(t.subject.clone()) == root
                && t.predicate.as_str() == format!("{}type", ns::RDF)
                && matches!(&t.object, Term::NamedNode(n) if n.as_str() == format!("{}Dataset", ns::DCAT))
        });
        if is_dataset {
            let iri = match &raw.root {
                NamedOrBlankNode::NamedNode(node) => node.as_str().to_owned(),
                other => other.to_string(),
            };
            records.push((iri, root, raw.triples));
        }
        Ok(())
    })?;
    // A node in the closure of several records (a publisher, a licence document) is
    // described once in the document: it is not part of any one dataset's size.
    let mut holders: HashMap<String, usize> = HashMap::new();
    for (_, _, triples) in &records {
        let subjects: HashSet<String> = triples.iter().map(|t| t.subject.to_string()).collect();
        for subject in subjects {
            *holders.entry(subject).or_default() += 1;
        }
    }
    Ok(records
        .into_iter()
        .map(|(iri, root, triples)| {
            let own: Vec<Triple> = triples
                .into_iter()
                .filter(|t| holders.get(&t.subject.to_string()).copied().unwrap_or(0) <= 1)
                .collect();
            (iri, shape_of(&root, &own))
        })
        .collect())
}

fn shape_of(root: &Term, triples: &[Triple]) -> Shape {
    let own = |local: &str, namespace: &str| {
        let predicate = format!("{namespace}{local}");
        triples.iter().filter(move |t| {
            Term::from(t.subject.clone()) == *root && t.predicate.as_str() == predicate
        })
    };
    let mut languages: Vec<String> = own("title", ns::DCT)
        .filter_map(|t| match &t.object {
            Term::Literal(literal) => literal.language().map(str::to_owned),
            _ => None,
        })
        .collect();
    languages.sort();
    languages.dedup();
    Shape {
        statements: triples.len(),
        distributions: own("distribution", ns::DCAT).count(),
        languages,
    }
}

/// The `p` quantile (0 to 1) of the statement counts of `shapes`.
pub fn quantile(shapes: &[usize], p: f64) -> usize {
    let mut sorted = shapes.to_vec();
    sorted.sort_unstable();
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}
