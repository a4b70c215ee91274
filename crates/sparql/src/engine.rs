//! Parsing, evaluating under limits, and serialising a query's answer.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Term, Triple, Variable};
use oxigraph::sparql::results::QueryResultsSerializer;
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use oxrdfio::RdfSerializer;
use spargebra::{Query, SparqlParser};

use crate::error::SparqlError;
use crate::formats::{GraphFormat, ResultsFormat};
use crate::order::SortedSelect;

/// The bounds every query runs within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SparqlLimits {
    /// Wall-clock time for evaluation and reading the answer.
    pub timeout: Duration,
    /// Solutions or triples returned at most; the answer says when it was cut.
    pub max_rows: usize,
    /// Solutions a top-level ORDER BY may sort at most.
    pub max_sort_rows: usize,
}

impl Default for SparqlLimits {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            max_rows: 10_000,
            max_sort_rows: 200_000,
        }
    }
}

/// A query as the protocol carries it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryRequest {
    /// The query text.
    pub query: String,
    /// The base IRI for relative IRIs in the query (the endpoint's URL).
    pub base_iri: Option<String>,
    /// `default-graph-uri` values.
    pub default_graphs: Vec<String>,
    /// `named-graph-uri` values.
    pub named_graphs: Vec<String>,
}

/// The four query forms, which decide the answer's serialisations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryKind {
    /// Solutions.
    Select,
    /// A boolean.
    Ask,
    /// Triples.
    Construct,
    /// Triples.
    Describe,
}

impl QueryKind {
    /// Whether the answer is triples (CONSTRUCT, DESCRIBE) rather than results.
    pub fn answers_with_triples(self) -> bool {
        matches!(self, QueryKind::Construct | QueryKind::Describe)
    }
}

/// A query that parsed, with the dataset it runs on.
#[derive(Debug, Clone)]
pub struct ParsedQuery {
    query: Query,
    default_graphs: Vec<NamedNode>,
    named_graphs: Vec<NamedNode>,
    protocol_dataset: bool,
}

impl ParsedQuery {
    /// The query form.
    pub fn kind(&self) -> QueryKind {
        match &self.query {
            Query::Select { .. } => QueryKind::Select,
            Query::Ask { .. } => QueryKind::Ask,
            Query::Construct { .. } => QueryKind::Construct,
            Query::Describe { .. } => QueryKind::Describe,
        }
    }
}

/// A query's answer, read within the limits.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// SELECT: the variables and the rows (a value per variable, `None` when unbound).
    Solutions {
        /// The projected variables.
        variables: Vec<Variable>,
        /// The rows.
        rows: Vec<Vec<Option<Term>>>,
        /// Whether rows beyond [`SparqlLimits::max_rows`] were left out.
        truncated: bool,
    },
    /// ASK.
    Boolean(bool),
    /// CONSTRUCT and DESCRIBE.
    Triples {
        /// The triples.
        triples: Vec<Triple>,
        /// Whether triples beyond [`SparqlLimits::max_rows`] were left out.
        truncated: bool,
    },
}

impl Answer {
    /// Whether part of the answer was left out.
    pub fn is_truncated(&self) -> bool {
        match self {
            Answer::Solutions { truncated, .. } | Answer::Triples { truncated, .. } => *truncated,
            Answer::Boolean(_) => false,
        }
    }

    /// SELECT and ASK answers in a results format.
    pub fn write_results(&self, format: ResultsFormat) -> Result<Vec<u8>, SparqlError> {
        let serializer = QueryResultsSerializer::from_format(format.oxigraph());
        let written = match self {
            Answer::Boolean(value) => serializer.serialize_boolean_to_writer(Vec::new(), *value),
            Answer::Solutions {
                variables, rows, ..
            } => (|| {
                let mut writer =
                    serializer.serialize_solutions_to_writer(Vec::new(), variables.clone())?;
                for row in rows {
                    writer.serialize(
                        variables
                            .iter()
                            .zip(row)
                            .filter_map(|(variable, value)| Some((variable, value.as_ref()?))),
                    )?;
                }
                writer.finish()
            })(),
            Answer::Triples { .. } => {
                return Err(SparqlError::Serialization(
                    "triples need an RDF syntax, not a results format".into(),
                ))
            }
        };
        written.map_err(|error| SparqlError::Serialization(error.to_string()))
    }

    /// CONSTRUCT and DESCRIBE answers in an RDF syntax.
    pub fn write_triples(&self, format: GraphFormat) -> Result<Vec<u8>, SparqlError> {
        let Answer::Triples { triples, .. } = self else {
            return Err(SparqlError::Serialization(
                "solutions and booleans need a results format".into(),
            ));
        };
        let mut serializer = RdfSerializer::from_format(format.rdf_format()).for_writer(Vec::new());
        for triple in triples {
            serializer
                .serialize_triple(triple)
                .map_err(|error| SparqlError::Serialization(error.to_string()))?;
        }
        serializer
            .finish()
            .map_err(|error| SparqlError::Serialization(error.to_string()))
    }
}

/// Evaluates queries on one store, within [`SparqlLimits`].
#[derive(Clone)]
pub struct SparqlEngine {
    store: Store,
    limits: SparqlLimits,
}

impl SparqlEngine {
    /// An engine over `store`.
    pub fn new(store: Store, limits: SparqlLimits) -> Self {
        Self { store, limits }
    }

    /// The limits queries run within.
    pub fn limits(&self) -> SparqlLimits {
        self.limits
    }

    /// Parses a query (never an update) and the protocol's dataset.
    pub fn parse(&self, request: &QueryRequest) -> Result<ParsedQuery, SparqlError> {
        let mut parser = SparqlParser::new();
        if let Some(base) = &request.base_iri {
            parser = parser.with_base_iri(base.as_str()).map_err(|error| {
                SparqlError::Syntax(format!("invalid base IRI <{base}>: {error}"))
            })?;
        }
        let query = match parser.parse_query(&request.query) {
            Ok(query) => query,
            Err(error) => {
                // Tell an update from a broken query: the client deserves the right reason.
                if SparqlParser::new().parse_update(&request.query).is_ok() {
                    return Err(SparqlError::UpdateRefused);
                }
                return Err(SparqlError::Syntax(error.to_string()));
            }
        };
        let graphs = |iris: &[String], parameter: &str| {
            iris.iter()
                .map(|iri| {
                    NamedNode::new(iri.as_str()).map_err(|error| {
                        SparqlError::Syntax(format!("`{parameter}` <{iri}> is not an IRI: {error}"))
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(ParsedQuery {
            default_graphs: graphs(&request.default_graphs, "default-graph-uri")?,
            named_graphs: graphs(&request.named_graphs, "named-graph-uri")?,
            protocol_dataset: !request.default_graphs.is_empty()
                || !request.named_graphs.is_empty(),
            query,
        })
    }

    /// Evaluates a parsed query and reads its answer within the limits.
    pub fn evaluate(&self, parsed: ParsedQuery) -> Result<Answer, SparqlError> {
        let deadline = Instant::now() + self.limits.timeout;
        let token = CancellationToken::new();
        let _watchdog = Watchdog::start(token.clone(), self.limits.timeout);
        let result = self.evaluate_until(parsed, deadline, token);
        match result {
            Err(SparqlError::Evaluation(_)) if Instant::now() >= deadline => {
                Err(SparqlError::Timeout(self.limits.timeout))
            }
            other => other,
        }
    }

    fn evaluate_until(
        &self,
        parsed: ParsedQuery,
        deadline: Instant,
        token: CancellationToken,
    ) -> Result<Answer, SparqlError> {
        let ParsedQuery {
            query,
            default_graphs,
            named_graphs,
            protocol_dataset,
        } = parsed;
        let (query, sorted) = match query {
            Query::Select {
                dataset,
                pattern,
                base_iri,
            } => match SortedSelect::split(pattern) {
                Ok(sorted) => {
                    let pattern = sorted.pattern.clone();
                    (
                        Query::Select {
                            dataset,
                            pattern,
                            base_iri,
                        },
                        Some(sorted),
                    )
                }
                Err(pattern) => (
                    Query::Select {
                        dataset,
                        pattern: *pattern,
                        base_iri,
                    },
                    None,
                ),
            },
            other => (other, None),
        };
        let mut prepared = SparqlEvaluator::new()
            .with_cancellation_token(token)
            .for_query(query);
        if protocol_dataset {
            let dataset = prepared.dataset_mut();
            dataset.set_default_graph(default_graphs.into_iter().map(GraphName::from).collect());
            dataset.set_available_named_graphs(
                named_graphs
                    .into_iter()
                    .map(NamedOrBlankNode::from)
                    .collect(),
            );
        } else if prepared.dataset().is_default_dataset() {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        let results = prepared
            .on_store(&self.store)
            .execute()
            .map_err(evaluation_error)?;
        let max_rows = self.limits.max_rows;
        let check_time = || {
            if Instant::now() >= deadline {
                Err(SparqlError::Timeout(self.limits.timeout))
            } else {
                Ok(())
            }
        };
        match results {
            QueryResults::Boolean(value) => Ok(Answer::Boolean(value)),
            QueryResults::Solutions(solutions) => {
                let variables = solutions.variables().to_vec();
                let cap = if sorted.is_some() {
                    self.limits.max_sort_rows
                } else {
                    max_rows
                };
                let mut rows = Vec::new();
                let mut truncated = false;
                for solution in solutions {
                    check_time()?;
                    let solution = solution.map_err(evaluation_error)?;
                    if rows.len() == cap {
                        if sorted.is_some() {
                            return Err(SparqlError::TooManyToSort(cap));
                        }
                        truncated = true;
                        break;
                    }
                    rows.push(
                        variables
                            .iter()
                            .map(|variable| solution.get(variable).cloned())
                            .collect(),
                    );
                }
                let (variables, mut rows) = match sorted {
                    Some(sorted) => (sorted.projection.clone(), sorted.finish(rows)),
                    None => (variables, rows),
                };
                if rows.len() > max_rows {
                    rows.truncate(max_rows);
                    truncated = true;
                }
                Ok(Answer::Solutions {
                    variables,
                    rows,
                    truncated,
                })
            }
            QueryResults::Graph(triples) => {
                let mut kept = Vec::new();
                let mut truncated = false;
                for triple in triples {
                    check_time()?;
                    let triple = triple.map_err(evaluation_error)?;
                    if kept.len() == max_rows {
                        truncated = true;
                        break;
                    }
                    kept.push(triple);
                }
                Ok(Answer::Triples {
                    triples: kept,
                    truncated,
                })
            }
        }
    }
}

fn evaluation_error(error: QueryEvaluationError) -> SparqlError {
    match error {
        QueryEvaluationError::Service(_) | QueryEvaluationError::UnsupportedService(_) => {
            SparqlError::ServiceRefused
        }
        other => SparqlError::Evaluation(other.to_string()),
    }
}

/// Cancels a query's token when its time is up, unless dropped first.
struct Watchdog {
    _done: mpsc::Sender<()>,
}

impl Watchdog {
    fn start(token: CancellationToken, timeout: Duration) -> Self {
        let (done, finished) = mpsc::channel::<()>();
        std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(timeout) {
                token.cancel();
            }
        });
        Self { _done: done }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::RdfFormat;

    fn store() -> Store {
        let store = Store::new().expect("in memory");
        let mut data = String::new();
        for n in 0..300 {
            data.push_str(&format!(
                "<http://example.org/r{n}> <http://purl.org/dc/terms/title> \"title {n}\" ; <http://example.org/n> {n} .\n"
            ));
        }
        store
            .load_from_reader(
                oxigraph::io::RdfParser::from_format(RdfFormat::Turtle)
                    .with_default_graph(NamedNode::new_unchecked("http://example.org/g")),
                data.as_bytes(),
            )
            .expect("loads");
        store
    }

    fn request(query: &str) -> QueryRequest {
        QueryRequest {
            query: query.to_owned(),
            ..QueryRequest::default()
        }
    }

    fn run(engine: &SparqlEngine, query: &str) -> Result<Answer, SparqlError> {
        engine.evaluate(engine.parse(&request(query))?)
    }

    fn native(store: &Store, query: &str) -> Vec<Vec<Option<Term>>> {
        let mut prepared = SparqlEvaluator::new().parse_query(query).expect("parses");
        prepared.dataset_mut().set_default_graph_as_union();
        let QueryResults::Solutions(solutions) = prepared.on_store(store).execute().expect("runs")
        else {
            panic!("not solutions")
        };
        let variables = solutions.variables().to_vec();
        solutions
            .map(|s| {
                let s = s.expect("row");
                variables.iter().map(|v| s.get(v).cloned()).collect()
            })
            .collect()
    }

    #[test]
    fn order_by_here_gives_the_engines_order() {
        let store = store();
        let engine = SparqlEngine::new(store.clone(), SparqlLimits::default());
        for query in [
            "SELECT ?s ?n WHERE { ?s <http://example.org/n> ?n } ORDER BY DESC(?n) LIMIT 7",
            "SELECT ?t WHERE { ?s <http://purl.org/dc/terms/title> ?t } ORDER BY ?t OFFSET 3 LIMIT 5",
            "SELECT DISTINCT ?p WHERE { ?s ?p ?o } ORDER BY ?p",
            "SELECT ?s WHERE { ?s <http://example.org/n> ?n } ORDER BY (?n * -1) LIMIT 3",
        ] {
            let Ok(Answer::Solutions { rows, .. }) = run(&engine, query) else {
                panic!("{query}")
            };
            assert_eq!(rows, native(&store, query), "{query}");
        }
    }

    #[test]
    fn an_order_by_over_too_many_solutions_is_refused() {
        let limits = SparqlLimits {
            max_sort_rows: 100,
            ..SparqlLimits::default()
        };
        let engine = SparqlEngine::new(store(), limits);
        let error = run(&engine, "SELECT * WHERE { ?s ?p ?o } ORDER BY ?o").expect_err("too many");
        assert!(matches!(error, SparqlError::TooManyToSort(100)), "{error}");
    }

    #[test]
    fn a_cartesian_product_stops_at_the_time_limit() {
        let limits = SparqlLimits {
            timeout: Duration::from_millis(300),
            max_rows: usize::MAX,
            max_sort_rows: usize::MAX,
        };
        let engine = SparqlEngine::new(store(), limits);
        for query in [
            "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i",
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        ] {
            let started = Instant::now();
            let error = run(&engine, query).expect_err("stopped");
            assert!(matches!(error, SparqlError::Timeout(_)), "{query}: {error}");
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "{query}: {:?}",
                started.elapsed()
            );
        }
    }

    #[test]
    fn rows_beyond_the_cap_are_left_out_and_said_so() {
        let limits = SparqlLimits {
            max_rows: 10,
            ..SparqlLimits::default()
        };
        let engine = SparqlEngine::new(store(), limits);
        let answer = run(&engine, "SELECT * WHERE { ?s ?p ?o }").expect("runs");
        assert!(answer.is_truncated());
        let Answer::Solutions { rows, .. } = answer else {
            panic!("solutions")
        };
        assert_eq!(rows.len(), 10);
    }

    #[test]
    fn updates_syntax_errors_and_service_are_refused_with_reasons() {
        let engine = SparqlEngine::new(store(), SparqlLimits::default());
        assert!(matches!(
            engine.parse(&request("INSERT DATA { <a:b> <a:c> <a:d> }")),
            Err(SparqlError::UpdateRefused)
        ));
        let Err(SparqlError::Syntax(message)) =
            engine.parse(&request("SELECT * WHERE {\n  ?s ?p \n}"))
        else {
            panic!("syntax error expected")
        };
        assert!(message.contains("error at 3:"), "{message}");
        let error = run(
            &engine,
            "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        )
        .expect_err("refused");
        assert!(matches!(error, SparqlError::ServiceRefused), "{error}");
    }

    #[test]
    fn the_protocol_dataset_replaces_the_union() {
        let engine = SparqlEngine::new(store(), SparqlLimits::default());
        let mut ask = request("ASK { ?s ?p ?o }");
        assert_eq!(
            engine
                .evaluate(engine.parse(&ask).expect("parses"))
                .expect("runs"),
            Answer::Boolean(true)
        );
        ask.default_graphs = vec!["http://example.org/other".into()];
        assert_eq!(
            engine
                .evaluate(engine.parse(&ask).expect("parses"))
                .expect("runs"),
            Answer::Boolean(false)
        );
    }

    #[test]
    fn answers_serialise_in_every_format() {
        let engine = SparqlEngine::new(store(), SparqlLimits::default());
        let select = run(&engine, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2").expect("runs");
        for format in ResultsFormat::ALL {
            assert!(
                !select.write_results(format).expect("writes").is_empty(),
                "{format:?}"
            );
        }
        let graph = run(&engine, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2").expect("runs");
        for format in GraphFormat::ALL {
            assert!(
                !graph.write_triples(format).expect("writes").is_empty(),
                "{format:?}"
            );
        }
    }
}
