//! Property tests of the query reader and the limits: real queries (the endpoint's examples
//! and the adversarial shapes' building blocks) mutated token by token, and generated
//! nestings. Whatever the text: no panic, no stack overflow, a parse answer in bounded time,
//! and an evaluation that ends within its time limit plus a margin.

use std::time::{Duration, Instant};

use ldtcat_sparql::{QueryRequest, SparqlEngine, SparqlError, SparqlLimits};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::NamedNode;
use oxigraph::store::Store;
use proptest::prelude::*;

const SEEDS: &[&str] = &[
    "PREFIX dcat: <http://www.w3.org/ns/dcat#>\nPREFIX dct: <http://purl.org/dc/terms/>\nSELECT ?dataset ?title WHERE { ?dataset a dcat:Dataset ; dct:title ?title } ORDER BY ?title LIMIT 50",
    "SELECT ?kind (COUNT(?record) AS ?records) WHERE { GRAPH <urn:ldtcat:catalog> { ?record <https://w3id.org/ldtcat#kind> ?kind } } GROUP BY ?kind ORDER BY DESC(?records)",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), \"^a.*z$\", \"i\")) } LIMIT 10",
    "ASK { ?s (<http://x.example/p>|!<http://x.example/p>)* ?o }",
    "DESCRIBE ?x WHERE { ?x ?p ?o OPTIONAL { ?o ?q ?r OPTIONAL { ?r ?s ?t } } }",
    "SELECT * WHERE { VALUES (?x ?y) { (1 2) (UNDEF \"a\"@en) } BIND(CONCAT(STR(?x), ?y) AS ?z) MINUS { ?x ?p ?y } }",
];

/// Tokens of the grammar, worth inserting anywhere.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "?x",
    "$y",
    "<a:b>",
    "<http://x.example/(>",
    "\"",
    "'",
    "\"\"\"",
    "#",
    "\n",
    ".",
    ";",
    ",",
    "*",
    "+",
    "?",
    "|",
    "^",
    "!",
    "/",
    "a",
    "UNION",
    "OPTIONAL",
    "FILTER",
    "BIND",
    "AS",
    "SELECT",
    "WHERE",
    "GROUP BY",
    "ORDER BY",
    "LIMIT 1",
    "OFFSET",
    "SERVICE",
    "SILENT",
    "GRAPH",
    "EXISTS",
    "NOT",
    "MINUS",
    "VALUES",
    "UNDEF",
    "LATERAL",
    "REPLACE(",
    "CONCAT(",
    "COUNT(",
    "GROUP_CONCAT(",
    "SEPARATOR=",
    "\\u0000",
    "@en",
    "^^",
    "_:b",
    "1e999",
    "-",
    "&&",
    "||",
    "<",
    ">",
    "=",
    "IN",
    "\u{feff}",
    "\u{0}",
];

fn store() -> Store {
    let store = Store::new().expect("store");
    let mut data = String::new();
    for n in 0..60 {
        data.push_str(&format!(
            "<http://x.example/r{n}> <http://x.example/p> <http://x.example/r{}> ; <http://purl.org/dc/terms/title> \"title {n}\"@en .\n",
            (n * 7 + 1) % 60
        ));
    }
    store
        .load_from_reader(
            RdfParser::from_format(RdfFormat::Turtle)
                .with_default_graph(NamedNode::new_unchecked("urn:ldtcat:record:x")),
            data.as_bytes(),
        )
        .expect("loads");
    store
}

fn engine() -> SparqlEngine {
    SparqlEngine::new(
        store(),
        SparqlLimits {
            timeout: Duration::from_millis(500),
            ..SparqlLimits::default()
        },
    )
}

/// Parses and, if it parses, evaluates `text`: bounded in time, never a panic.
fn read_within_bounds(engine: &SparqlEngine, text: String) -> Result<(), TestCaseError> {
    let started = Instant::now();
    let request = QueryRequest {
        query: text,
        ..QueryRequest::default()
    };
    match engine.parse(&request) {
        Ok(parsed) => {
            let parse_took = started.elapsed();
            let result = engine.evaluate(parsed);
            let took = started.elapsed() - parse_took;
            prop_assert!(
                took < Duration::from_millis(500) + Duration::from_secs(1),
                "{took:?}"
            );
            if let Err(error) = result {
                prop_assert!(
                    !matches!(error, SparqlError::Evaluation(_)) || !error.to_string().is_empty()
                );
            }
        }
        Err(error) => {
            prop_assert!(!error.to_string().is_empty());
        }
    }
    prop_assert!(started.elapsed() < Duration::from_secs(5));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn mutated_queries_never_panic_and_end_in_bounded_time(
        seed in 0..SEEDS.len(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0..TOKENS.len(), 0..3_usize), 1..10),
    ) {
        thread_local! {
            static ENGINE: SparqlEngine = engine();
        }
        let mut text = SEEDS[seed].to_owned();
        for (at, token, action) in edits {
            let at = at.index(text.len() + 1);
            let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
            match action {
                0 => text.insert_str(at, TOKENS[token]),
                1 => text.insert_str(at, &format!(" {} ", TOKENS[token])),
                _ => {
                    let end = (at + TOKENS[token].len()).min(text.len());
                    let end = (end..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
                    text.replace_range(at..end, "");
                }
            }
        }
        ENGINE.with(|engine| read_within_bounds(engine, text))?;
    }

    #[test]
    fn generated_nestings_are_parsed_or_refused_without_overflow(
        opens in prop::collection::vec(prop::sample::select(vec!["(", "{", "[", "{ SELECT * WHERE {", "OPTIONAL {", "FILTER(", "!", "-", "EXISTS {"]), 0..400),
        middle in prop::sample::select(vec!["1", "?x", "?s ?p ?o", "<a:b>", ""]),
    ) {
        let text = format!("SELECT * WHERE {{ {} {middle} }}", opens.concat());
        thread_local! {
            static ENGINE: SparqlEngine = engine();
        }
        ENGINE.with(|engine| read_within_bounds(engine, text))?;
    }
}
