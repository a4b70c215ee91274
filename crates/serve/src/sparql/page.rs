//! The HTML face of `/sparql` for browsers: a query form, the answer as a table (or text),
//! and example queries over the catalogue.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use ldtcat_sparql::{Answer, GraphFormat, SparqlLimits};
use oxrdf::Term;

use crate::html::{render_page, Layout};
use crate::state::SiteSettings;

/// A query worth trying, with its text percent-encoded for a link.
pub(crate) struct Example {
    title: &'static str,
    encoded: String,
}

const EXAMPLES: [(&str, &str); 5] = [
    (
        "Records per kind",
        "PREFIX ldt: <https://w3id.org/ldtcat#>\nSELECT ?kind (COUNT(?record) AS ?records)\nWHERE { GRAPH <urn:ldtcat:catalog> { ?record ldt:kind ?kind } }\nGROUP BY ?kind\nORDER BY DESC(?records)",
    ),
    (
        "Datasets with their titles",
        "PREFIX dcat: <http://www.w3.org/ns/dcat#>\nPREFIX dct: <http://purl.org/dc/terms/>\nSELECT ?dataset ?title\nWHERE { ?dataset a dcat:Dataset ; dct:title ?title }\nORDER BY ?title\nLIMIT 50",
    ),
    (
        "Data services and their endpoints",
        "PREFIX dcat: <http://www.w3.org/ns/dcat#>\nSELECT ?service ?endpoint\nWHERE { ?service a dcat:DataService ; dcat:endpointURL ?endpoint }\nLIMIT 50",
    ),
    (
        "Publishers and how many resources each publishes",
        "PREFIX dct: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\nSELECT ?publisher (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?resource) AS ?resources)\nWHERE { ?resource dct:publisher ?publisher . OPTIONAL { ?publisher foaf:name ?name } }\nGROUP BY ?publisher\nORDER BY DESC(?resources)\nLIMIT 50",
    ),
    (
        "Where each record came from (provenance)",
        "PREFIX dcat: <http://www.w3.org/ns/dcat#>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\nSELECT ?resource ?record ?p ?o\nWHERE { GRAPH <urn:ldtcat:catalog> { ?record a dcat:CatalogRecord ; foaf:primaryTopic ?resource ; ?p ?o } }\nLIMIT 100",
    ),
];

/// One cell of the answer table.
pub(crate) struct Cell {
    text: String,
    link: Option<String>,
}

/// The answer of a SELECT, as a table.
pub(crate) struct Table {
    variables: Vec<String>,
    rows: Vec<Vec<Cell>>,
    truncated: bool,
}

#[derive(Template)]
#[template(path = "sparql.html")]
struct SparqlPage {
    layout: Layout,
    endpoint: String,
    query: String,
    format: String,
    formats: Vec<(&'static str, &'static str)>,
    timeout_seconds: u64,
    max_rows: usize,
    error: Option<String>,
    table: Option<Table>,
    text: Option<String>,
    examples: Vec<Example>,
}

/// What the page shows under the form.
pub(crate) enum Outcome {
    /// Nothing yet.
    Empty,
    /// The answer.
    Answer(Answer),
    /// Why there is no answer.
    Error(String),
}

fn cell(term: Option<&Term>) -> Cell {
    match term {
        None => Cell {
            text: String::new(),
            link: None,
        },
        Some(Term::NamedNode(node)) => {
            let iri = node.as_str();
            let link =
                (iri.starts_with("http://") || iri.starts_with("https://")).then(|| iri.to_owned());
            Cell {
                text: iri.to_owned(),
                link,
            }
        }
        Some(Term::Literal(literal)) => Cell {
            text: match literal.language() {
                Some(language) => format!("{} @{language}", literal.value()),
                None => literal.value().to_owned(),
            },
            link: None,
        },
        Some(other) => Cell {
            text: other.to_string(),
            link: None,
        },
    }
}

/// The page, with `query` in the form and the outcome below it.
pub(crate) fn sparql_page(
    site: &SiteSettings,
    limits: SparqlLimits,
    query: &str,
    outcome: Outcome,
) -> Response {
    let (status, error, table, text) = match outcome {
        Outcome::Empty => (StatusCode::OK, None, None, None),
        Outcome::Error(message) => (StatusCode::BAD_REQUEST, Some(message), None, None),
        Outcome::Answer(Answer::Boolean(value)) => {
            (StatusCode::OK, None, None, Some(value.to_string()))
        }
        Outcome::Answer(answer @ Answer::Triples { .. }) => {
            let text = answer
                .write_triples(GraphFormat::Turtle)
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                .unwrap_or_else(|error| error.to_string());
            (StatusCode::OK, None, None, Some(text))
        }
        Outcome::Answer(Answer::Solutions {
            variables,
            rows,
            truncated,
        }) => {
            let table = Table {
                variables: variables.iter().map(|v| v.as_str().to_owned()).collect(),
                rows: rows
                    .iter()
                    .map(|row| row.iter().map(|term| cell(term.as_ref())).collect())
                    .collect(),
                truncated,
            };
            (StatusCode::OK, None, Some(table), None)
        }
    };
    let page = SparqlPage {
        layout: Layout::new(site, "SPARQL endpoint"),
        endpoint: site.absolute_url("/sparql"),
        query: if query.is_empty() {
            EXAMPLES[0].1.to_owned()
        } else {
            query.to_owned()
        },
        format: "html".to_owned(),
        formats: vec![
            ("html", "a table on this page"),
            ("json", "SPARQL JSON"),
            ("xml", "SPARQL XML"),
            ("csv", "CSV"),
            ("tsv", "TSV"),
            ("turtle", "Turtle (CONSTRUCT, DESCRIBE)"),
            ("jsonld", "JSON-LD (CONSTRUCT, DESCRIBE)"),
        ],
        timeout_seconds: limits.timeout.as_secs(),
        max_rows: limits.max_rows,
        error,
        table,
        text,
        examples: EXAMPLES
            .iter()
            .map(|(title, query)| Example {
                title,
                encoded: form_urlencoded::byte_serialize(query.as_bytes()).collect(),
            })
            .collect(),
    };
    match render_page(status, &page) {
        Ok(response) => response,
        Err(error) => crate::html::error_page(site, &error),
    }
}
