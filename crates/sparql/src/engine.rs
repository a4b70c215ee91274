//! Parsing, evaluating under limits, and the engine's configuration.

use std::time::{Duration, Instant};

use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};
use oxigraph::sparql::{QueryEvaluationError, QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use spargebra::{Query, SparqlParser};

use crate::answer::Answer;
use crate::control::{QueryHandle, StopReason, Watchdog};
use crate::error::SparqlError;
use crate::guard::{check_query, parse_stack, EVALUATION_STACK};
use crate::order::SortedSelect;
use crate::read::{stopped, Reader};

/// The bounds every query runs within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SparqlLimits {
    /// Wall-clock time for evaluation and reading the answer.
    pub timeout: Duration,
    /// Solutions or triples returned at most; the answer says when it was cut.
    pub max_rows: usize,
    /// Solutions a top-level ORDER BY may sort at most.
    pub max_sort_rows: usize,
    /// Bytes of intermediate results an evaluation may allocate (hash tables of joins,
    /// groups, sorts, de-duplication, strings built by functions), counted over the whole
    /// evaluation.
    pub memory_budget: usize,
    /// The longest string in bytes a function (`CONCAT`, `REPLACE`, ...) may build.
    pub max_string_length: usize,
    /// Bytes of answer (rows or triples, or what a top-level ORDER BY sorts) held at most;
    /// rows beyond are left out and the answer says so.
    pub max_answer_bytes: usize,
    /// How deep patterns, expressions and property paths may nest in a query.
    pub max_nesting: usize,
}

impl Default for SparqlLimits {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            max_rows: 10_000,
            max_sort_rows: 200_000,
            memory_budget: 256 << 20,
            max_string_length: 1 << 20,
            max_answer_bytes: 64 << 20,
            max_nesting: 128,
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

/// A query that parsed and passed the checks, with the dataset it runs on.
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

/// Evaluates queries on one store, within [`SparqlLimits`].
#[derive(Clone)]
pub struct SparqlEngine {
    store: Store,
    limits: SparqlLimits,
}

/// Runs `work` on a new thread with a stack of `stack_bytes` and waits for it.
fn on_thread<T: Send + 'static>(
    stack_bytes: usize,
    work: impl FnOnce() -> Result<T, SparqlError> + Send + 'static,
) -> Result<T, SparqlError> {
    std::thread::Builder::new()
        .name("ldtcat-sparql".to_owned())
        .stack_size(stack_bytes)
        .spawn(work)
        .map_err(|error| SparqlError::Evaluation(format!("cannot start a query thread: {error}")))?
        .join()
        .map_err(|_| SparqlError::Evaluation("the query thread panicked".to_owned()))?
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

    /// A handle for one evaluation: give it to [`SparqlEngine::evaluate_with`] and keep a
    /// clone to stop the query from elsewhere.
    pub fn handle(&self) -> QueryHandle {
        QueryHandle::new(self.limits.memory_budget, self.limits.max_string_length)
    }

    /// Parses a query (never an update) and the protocol's dataset, and checks its shape
    /// (see the `guard` module). Blocks for the parse, which runs on its own thread.
    pub fn parse(&self, request: &QueryRequest) -> Result<ParsedQuery, SparqlError> {
        let stack = parse_stack(&request.query)?;
        let request = request.clone();
        let max_nesting = self.limits.max_nesting;
        on_thread(stack, move || parse_and_check(&request, max_nesting))
    }

    /// Evaluates a parsed query and reads its answer within the limits.
    pub fn evaluate(&self, parsed: ParsedQuery) -> Result<Answer, SparqlError> {
        self.evaluate_with(parsed, &self.handle())
    }

    /// [`SparqlEngine::evaluate`], stopped early when `handle` is. Blocks for the
    /// evaluation, which runs on its own thread.
    pub fn evaluate_with(
        &self,
        parsed: ParsedQuery,
        handle: &QueryHandle,
    ) -> Result<Answer, SparqlError> {
        let engine = self.clone();
        let handle = handle.clone();
        on_thread(EVALUATION_STACK, move || {
            let timeout = engine.limits.timeout;
            let deadline = Instant::now() + timeout;
            let _watchdog = Watchdog::start(handle.clone(), timeout);
            let result = engine.evaluate_until(parsed, deadline, &handle);
            match result {
                Err(SparqlError::Evaluation(_)) if Instant::now() >= deadline => {
                    Err(SparqlError::Timeout(timeout))
                }
                other => other,
            }
        })
    }

    fn evaluate_until(
        &self,
        parsed: ParsedQuery,
        deadline: Instant,
        handle: &QueryHandle,
    ) -> Result<Answer, SparqlError> {
        let ParsedQuery {
            query,
            default_graphs,
            named_graphs,
            protocol_dataset,
        } = parsed;
        let (query, sorted) = split_top_level_order(query);
        let mut prepared = SparqlEvaluator::new()
            .with_cancellation_token(handle.token().clone())
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
        let to_error = |error| evaluation_error(error, handle, &self.limits);
        let results = prepared.on_store(&self.store).execute().map_err(to_error)?;
        let reader = Reader {
            limits: &self.limits,
            handle,
            deadline,
        };
        match results {
            QueryResults::Boolean(value) => {
                reader.check()?;
                Ok(Answer::Boolean(value))
            }
            QueryResults::Solutions(solutions) => {
                reader.solutions(solutions, sorted.as_ref(), to_error)
            }
            QueryResults::Graph(triples) => reader.triples(triples, to_error),
        }
    }
}

fn parse_and_check(request: &QueryRequest, max_nesting: usize) -> Result<ParsedQuery, SparqlError> {
    let mut parser = SparqlParser::new();
    if let Some(base) = &request.base_iri {
        parser = parser
            .with_base_iri(base.as_str())
            .map_err(|error| SparqlError::Syntax(format!("invalid base IRI <{base}>: {error}")))?;
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
    // Refused here, on the parser's thread, so that a deep query is also dropped here.
    check_query(&query, max_nesting)?;
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
        protocol_dataset: !request.default_graphs.is_empty() || !request.named_graphs.is_empty(),
        query,
    })
}

/// Takes a SELECT's top-level ORDER BY and its modifiers off the query (see `order`).
fn split_top_level_order(query: Query) -> (Query, Option<SortedSelect>) {
    let Query::Select {
        dataset,
        pattern,
        base_iri,
    } = query
    else {
        return (query, None);
    };
    match SortedSelect::split(pattern) {
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
    }
}

fn evaluation_error(
    error: QueryEvaluationError,
    handle: &QueryHandle,
    limits: &SparqlLimits,
) -> SparqlError {
    match error {
        QueryEvaluationError::Service(_) | QueryEvaluationError::UnsupportedService(_) => {
            SparqlError::ServiceRefused
        }
        QueryEvaluationError::MemoryBudgetExceeded(bytes) => SparqlError::MemoryLimit(bytes),
        QueryEvaluationError::StringTooLong(length) => SparqlError::StringTooLong(length),
        QueryEvaluationError::Cancelled => {
            stopped(handle.stopped().unwrap_or(StopReason::TimeLimit), limits)
        }
        other => SparqlError::Evaluation(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{GraphFormat, ResultsFormat};
    use oxigraph::io::RdfFormat;
    use oxigraph::model::Term;

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
        // No memory or answer bound to hit first: on a fast machine the ORDER BY query
        // gathered 64 MiB of solutions within the 300 ms.
        let limits = SparqlLimits {
            timeout: Duration::from_millis(300),
            max_rows: usize::MAX,
            max_sort_rows: usize::MAX,
            max_answer_bytes: usize::MAX,
            memory_budget: usize::MAX,
            ..SparqlLimits::default()
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

    #[test]
    fn a_query_over_its_memory_budget_is_stopped_with_the_reason() {
        let limits = SparqlLimits {
            memory_budget: 1 << 20,
            ..SparqlLimits::default()
        };
        let engine = SparqlEngine::new(store(), limits);
        for query in [
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } }",
            "SELECT ?a ?d (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f } GROUP BY ?a ?d",
            "SELECT (COUNT(*) AS ?n) WHERE { { SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c } }",
        ] {
            let error = run(&engine, query).expect_err("over budget");
            assert!(matches!(error, SparqlError::MemoryLimit(_)), "{query}: {error}");
            assert!(error.is_client_error());
        }
        run(&engine, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").expect("within budget");
    }

    #[test]
    fn a_string_longer_than_allowed_stops_the_query() {
        let limits = SparqlLimits {
            max_string_length: 1_000,
            ..SparqlLimits::default()
        };
        let engine = SparqlEngine::new(store(), limits);
        let mut doubled = "\"ab\"".to_owned();
        for _ in 0..12 {
            doubled = format!("REPLACE({doubled}, \".\", \"$0$0\")");
        }
        for query in [
            format!("SELECT ?x WHERE {{ BIND({doubled} AS ?x) }}"),
            "SELECT (GROUP_CONCAT(?t) AS ?all) WHERE { ?s <http://purl.org/dc/terms/title> ?t }"
                .to_owned(),
            "SELECT ?x WHERE { ?s <http://purl.org/dc/terms/title> ?t BIND(CONCAT(?t, ?t) AS ?t2) BIND(CONCAT(?t2, ?t2, ?t2, ?t2) AS ?t3) BIND(CONCAT(?t3, ?t3, ?t3, ?t3) AS ?t4) BIND(CONCAT(?t4, ?t4, ?t4, ?t4) AS ?x) }".to_owned(),
        ] {
            let error = run(&engine, &query).expect_err("too long");
            assert!(matches!(error, SparqlError::StringTooLong(1_000)), "{query}: {error}");
        }
        let Answer::Solutions { rows, .. } = run(
            &engine,
            "SELECT ?x WHERE { BIND(REPLACE(\"ab\", \".\", \"$0$0\") AS ?x) }",
        )
        .expect("short") else {
            panic!("solutions")
        };
        assert_eq!(rows[0][0], Some(Term::Literal("aabb".into())));
    }

    #[test]
    fn a_query_stopped_through_its_handle_ends_with_the_reason() {
        let limits = SparqlLimits {
            timeout: Duration::from_secs(60),
            ..SparqlLimits::default()
        };
        let engine = SparqlEngine::new(store(), limits);
        let parsed = engine
            .parse(&request(
                "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
            ))
            .expect("parses");
        let handle = engine.handle();
        let stopper = handle.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            stopper.stop(StopReason::ShuttingDown);
        });
        let started = Instant::now();
        let error = engine.evaluate_with(parsed, &handle).expect_err("stopped");
        assert!(matches!(error, SparqlError::ShuttingDown), "{error}");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
    }
}
