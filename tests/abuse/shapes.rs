//! The adversarial SPARQL query set: every shape that once escaped a time limit somewhere,
//! each with the answers it may get. Shared by `tests/abuse.rs` and the `abuse` benchmark.

/// What a shape may be answered with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Stopped while it ran: 503 at the time limit, or 400 over the memory budget or the
    /// maximal string length.
    Stopped,
    /// Refused before it ran: 400.
    Refused,
    /// Answered (cut at the row cap, or cheap after all): 200.
    Answered,
}

impl Outcome {
    /// Whether `status` is an answer this outcome allows.
    pub fn allows(self, status: u16) -> bool {
        match self {
            Outcome::Stopped => status == 503 || status == 400,
            Outcome::Refused => status == 400,
            Outcome::Answered => status == 200,
        }
    }
}

/// One adversarial query.
#[derive(Debug, Clone)]
pub struct Shape {
    /// A short name for the report.
    pub name: &'static str,
    /// The query text.
    pub query: String,
    /// The answers it may get.
    pub outcome: Outcome,
}

/// The exact query of the issue: an aggregate over a three-way cartesian product, which
/// produces no solution until the end.
pub const COUNT_OVER_THREE_WAY_PRODUCT: &str =
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";

const PREFIXES: &str = "PREFIX dct: <http://purl.org/dc/terms/>\n\
                        PREFIX dcat: <http://www.w3.org/ns/dcat#>\n";

fn shape(name: &'static str, query: &str, outcome: Outcome) -> Shape {
    Shape {
        name,
        query: format!("{PREFIXES}{query}"),
        outcome,
    }
}

/// `VALUES` with `rows` numbers.
fn big_values(rows: usize) -> String {
    let values: Vec<String> = (0..rows).map(|n| n.to_string()).collect();
    format!(
        "SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?x {{ {} }} ?a ?b ?c . ?d ?e ?f }}",
        values.join(" ")
    )
}

/// `REPLACE` doubling its input `times` times: a string of 2^times bytes.
fn doubling_replace(times: usize) -> String {
    let mut expression = "\"ab\"".to_owned();
    for _ in 0..times {
        expression = format!("REPLACE({expression}, \".\", \"$0$0\")");
    }
    format!("SELECT ?x WHERE {{ BIND({expression} AS ?x) }}")
}

/// `REGEX` over `REGEX`... `depth` deep: upstream's parser took exponential time.
fn nested_regex(depth: usize) -> String {
    let mut expression = "STR(?o)".to_owned();
    for _ in 0..depth {
        expression = format!("STR(REGEX({expression}, \"a\"))");
    }
    format!("SELECT ?s WHERE {{ ?s ?p ?o FILTER({expression}) }} LIMIT 1")
}

/// Every shape, in the order of the report.
pub fn shapes() -> Vec<Shape> {
    use Outcome::*;
    vec![
        shape("COUNT over a 3-way product (the issue)", COUNT_OVER_THREE_WAY_PRODUCT, Stopped),
        shape("COUNT over a 2-way product", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }", Stopped),
        shape("SUM over a join on a common object", "SELECT (SUM(STRLEN(STR(?a))) AS ?n) WHERE { ?a ?p ?o . ?b ?q ?o . ?c ?r ?o }", Stopped),
        shape("GROUP BY with many groups", "SELECT ?a ?d (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f } GROUP BY ?a ?d", Stopped),
        shape("COUNT DISTINCT over a product", "SELECT (COUNT(DISTINCT *) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }", Stopped),
        shape("DISTINCT over a product", "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?a ?c ?f WHERE { ?a ?b ?c . ?d ?e ?f } }", Stopped),
        shape("ORDER BY over everything (top level)", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f", Stopped),
        shape("ORDER BY over everything (subquery)", "SELECT (COUNT(*) AS ?n) WHERE { { SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f } }", Stopped),
        shape("nested OPTIONALs", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c OPTIONAL { ?d ?e ?f OPTIONAL { ?g ?h ?i OPTIONAL { ?j ?k ?l } } } }", Stopped),
        shape("MINUS over a product", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f MINUS { ?a ?x ?f } }", Stopped),
        shape("property path (p|!p)*", "SELECT (COUNT(*) AS ?n) WHERE { ?s (dct:title|!dct:title)* ?o }", Stopped),
        // Datasets, distributions, publishers, themes and formats in one cycle-rich component:
        // millions of pairs, on any machine (with the first two links alone a fast machine
        // counted all 49,360 pairs within the limit).
        shape("property path p+ over cycles", "SELECT (COUNT(*) AS ?n) WHERE { ?s (dcat:dataset|^dcat:dataset|dct:publisher|^dct:publisher|dcat:theme|^dcat:theme|dcat:distribution|^dcat:distribution|dct:format|^dct:format)+ ?o }", Stopped),
        shape("DESCRIBE ?x over everything", "DESCRIBE ?x WHERE { ?x ?p ?o }", Answered),
        shape("DESCRIBE over a product", "DESCRIBE ?x ?y WHERE { ?x ?p ?o . ?y ?q ?r FILTER(STR(?o) > STR(?r)) }", Stopped),
        shape("CONSTRUCT over a product", "CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f FILTER(?c = ?f && ?a != ?d) }", Stopped),
        shape("subqueries multiplied", "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?a WHERE { ?a ?b ?c } } { SELECT ?d WHERE { ?d ?e ?f } } { SELECT ?g WHERE { ?g ?h ?i } } }", Stopped),
        shape("big VALUES times a product", &big_values(20_000), Stopped),
        shape("REGEX over a product", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(REGEX(CONCAT(STR(?c), STR(?f)), \"(a|e|i|o|u)+z$\", \"i\")) }", Stopped),
        shape("string functions over a product", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STRLEN(UCASE(CONCAT(STR(?c), STR(?f), STR(?c)))) < 0) }", Stopped),
        shape("exponential REPLACE", &doubling_replace(40), Stopped),
        shape("GROUP_CONCAT over a product", "SELECT (GROUP_CONCAT(STR(?c)) AS ?all) WHERE { ?a ?b ?c . ?d ?e ?f }", Stopped),
        shape("SERVICE", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", Refused),
        shape("SERVICE SILENT in a branch", "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } } } LIMIT 1", Refused),
        shape("10,000 nested brackets (parsed on a stack sized for them)", &format!("SELECT * WHERE {{ FILTER({}1{}) }}", "(".repeat(10_000), ")".repeat(10_000)), Answered),
        shape("REGEX nested 40 deep (exponential for the upstream parser)", &nested_regex(40), Answered),
        shape("500 UNIONs chained", &format!("SELECT * WHERE {{ {} }}", vec!["{ ?s ?p ?o }"; 500].join(" UNION ")), Refused),
    ]
}

/// The simple query clients keep sending while the heavy ones run.
pub const SIMPLE_QUERY: &str = "ASK { ?s <http://purl.org/dc/terms/title> ?t }";
