//! The W3C SPARQL 1.1 Protocol test suite (`shared/data/sparql11-protocol-tests/manifest.ttl`)
//! run against `/sparql` over a real socket.
//!
//! Each test's graph data is loaded into a fresh catalogue as the named graphs the manifest
//! names; each request is sent byte for byte as the manifest describes it (with `/sparql/`
//! replaced by our path), and the status class, the answer's format and, for ASK, its value
//! are checked. The update tests are reported as not applicable: the public endpoint is
//! read-only by design and ldtcat has no SPARQL Update endpoint (a harvested catalogue is
//! changed by harvesting, never by clients).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use ldtcat_index::CatalogIndex;
use ldtcat_serve::{AppState, SiteSettings, SparqlLimits, SparqlService};
use ldtcat_store::CatalogStore;
use ldtcat_vocab::RuleSet;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/sparql11-protocol-tests")
}

/// One HTTP request of a test.
#[derive(Debug, Default, Clone)]
struct TestRequest {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Option<(String, String)>, // (text, encoding)
    expected_status: Vec<String>,
    expected_format: Option<String>,
    expected_boolean: Option<bool>,
}

#[derive(Debug, Default, Clone)]
struct ProtocolTest {
    name: String,
    label: String,
    graphs: Vec<(PathBuf, String)>,
    requests: Vec<TestRequest>,
}

const PREFIXES: &str = "PREFIX mf: <http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#>
PREFIX ht: <http://www.w3.org/2011/http#>
PREFIX cnt: <http://www.w3.org/2011/content#>
PREFIX ut: <http://www.w3.org/2009/sparql/tests/test-update#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
";

fn select(store: &Store, query: &str) -> Vec<BTreeMap<String, Term>> {
    let Ok(QueryResults::Solutions(solutions)) = SparqlEvaluator::new()
        .parse_query(&format!("{PREFIXES}{query}"))
        .unwrap_or_else(|error| panic!("runner query does not parse: {error}\n{query}"))
        .on_store(store)
        .execute()
    else {
        panic!("runner query fails: {query}")
    };
    solutions
        .map(|solution| {
            let solution = solution.expect("solution");
            solution
                .iter()
                .map(|(v, t)| (v.as_str().to_owned(), t.clone()))
                .collect()
        })
        .collect()
}

fn text(row: &BTreeMap<String, Term>, key: &str) -> Option<String> {
    match row.get(key)? {
        Term::Literal(literal) => Some(literal.value().to_owned()),
        Term::NamedNode(node) => Some(node.as_str().to_owned()),
        other => Some(other.to_string()),
    }
}

fn read_manifest() -> Vec<ProtocolTest> {
    let dir = suite_dir();
    let store = Store::new().expect("store");
    let base = url::Url::from_directory_path(dir.canonicalize().expect("suite present"))
        .expect("url")
        .to_string();
    let manifest = std::fs::read(dir.join("manifest.ttl")).expect("manifest readable");
    store
        .load_from_reader(
            RdfParser::from_format(RdfFormat::Turtle)
                .with_base_iri(format!("{base}manifest.ttl"))
                .expect("base"),
            manifest.as_slice(),
        )
        .expect("manifest parses");
    let order = select(
        &store,
        "SELECT ?test WHERE { ?m mf:entries/rdf:rest*/rdf:first ?test }",
    );
    let mut tests = Vec::new();
    for entry in order {
        let test = entry["test"].to_string();
        let mut protocol_test = ProtocolTest {
            name: test
                .rsplit('#')
                .next()
                .unwrap_or_default()
                .trim_end_matches('>')
                .to_owned(),
            ..ProtocolTest::default()
        };
        for row in select(
            &store,
            &format!("SELECT ?label WHERE {{ {test} mf:name ?label }}"),
        ) {
            protocol_test.label = text(&row, "label").unwrap_or_default();
        }
        for row in select(&store, &format!("SELECT ?file ?graph WHERE {{ {test} ut:graphData [ ut:graph ?file ; rdfs:label ?graph ] }}")) {
            let file = text(&row, "file").expect("file");
            let path = url::Url::parse(&file).expect("file url").to_file_path().expect("local file");
            protocol_test.graphs.push((path, text(&row, "graph").expect("graph")));
        }
        // Every test of the suite sends one request (checked), reached from the test's IRI
        // by paths: the request itself is a blank node, which a query cannot name.
        if protocol_test.name.contains("update") {
            tests.push(protocol_test); // not run (see the module documentation)
            continue;
        }
        let request = format!("{test} mf:action/ht:requests/rdf:first");
        let count = select(
            &store,
            &format!("SELECT ?r WHERE {{ {test} mf:action/ht:requests/rdf:rest*/rdf:first ?r }}"),
        )
        .len();
        assert_eq!(count, 1, "{test}: the runner handles one request per test");
        let mut parsed = TestRequest::default();
        for row in select(
            &store,
            &format!(
                "SELECT ?method ?path ?chars ?encoding WHERE {{ {request} ?r . ?r ht:methodName ?method ; ht:absolutePath ?path .
                 OPTIONAL {{ ?r ht:body [ cnt:chars ?chars ; cnt:characterEncoding ?encoding ] }} }}"
            ),
        ) {
            parsed.method = text(&row, "method").expect("method");
            parsed.path = text(&row, "path").expect("path");
            if let (Some(chars), Some(encoding)) = (text(&row, "chars"), text(&row, "encoding")) {
                parsed.body = Some((chars, encoding));
            }
        }
        for row in select(
            &store,
            &format!("SELECT ?name ?value WHERE {{ {request}/ht:headers/rdf:rest*/rdf:first ?h . ?h ht:fieldName ?name ; ht:fieldValue ?value }}"),
        ) {
            parsed.headers.push((text(&row, "name").expect("name"), text(&row, "value").expect("value")));
        }
        for row in select(
            &store,
            &format!(
                "SELECT ?status ?format ?boolean WHERE {{ {request}/ht:resp ?resp . ?resp mf:expectedStatus ?status .
                 OPTIONAL {{ ?resp mf:expectedFormat ?format }} OPTIONAL {{ ?resp mf:expectedBoolean ?boolean }} }}"
            ),
        ) {
            let status = text(&row, "status").expect("status");
            parsed.expected_status.push(status.rsplit("StatusCode").next().unwrap_or_default().to_owned());
            parsed.expected_format = text(&row, "format");
            parsed.expected_boolean = text(&row, "boolean").map(|b| b == "true");
        }
        protocol_test.requests.push(parsed);
        tests.push(protocol_test);
    }
    tests
}

fn catalogue(graphs: &[(PathBuf, String)]) -> AppState {
    let store = CatalogStore::open_in_memory().expect("store");
    for (file, graph) in graphs {
        let data = std::fs::read(file).expect("graph data readable");
        store
            .oxigraph()
            .load_from_reader(
                RdfParser::from_format(RdfFormat::NTriples)
                    .with_default_graph(NamedNode::new(graph.as_str()).expect("graph IRI")),
                data.as_slice(),
            )
            .expect("graph data loads");
    }
    let index = Arc::new(CatalogIndex::open_in_ram().expect("index"));
    AppState {
        dsp: ldtcat_serve::DspSettings::default(),
        harvest: None,
        sparql: SparqlService::new(store.oxigraph().clone(), SparqlLimits::default(), 4),
        store,
        index: Arc::clone(&index),
        labels: ldtcat_serve::Labels::new(index),
        rules: Arc::new(RuleSet::builtin().expect("rules")),
        site: SiteSettings {
            title: "Protocol tests".to_owned(),
            description: String::new(),
            public_base_url: "http://www.example".to_owned(),
            ..SiteSettings::default()
        },
    }
}

struct RawResponse {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

fn encode(text: &str, encoding: &str) -> Vec<u8> {
    if encoding.eq_ignore_ascii_case("UTF-16") {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    } else {
        text.as_bytes().to_vec()
    }
}

async fn send(address: std::net::SocketAddr, request: &TestRequest) -> RawResponse {
    let path = request.path.replacen("/sparql/", "/sparql", 1);
    let body = request
        .body
        .as_ref()
        .map(|(chars, encoding)| encode(chars, encoding))
        .unwrap_or_default();
    let mut head = format!(
        "{} {path} HTTP/1.1\r\nHost: www.example\r\nConnection: close\r\n",
        request.method
    );
    for (name, value) in &request.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut stream = TcpStream::connect(address).await.expect("connects");
    stream
        .write_all(head.as_bytes())
        .await
        .expect("writes head");
    stream.write_all(&body).await.expect("writes body");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("reads");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    let content_type = head
        .lines()
        .find_map(|line| {
            line.split_once(':')
                .filter(|(n, _)| n.eq_ignore_ascii_case("content-type"))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_default();
    let mut body = raw[split + 4..].to_vec();
    if head
        .lines()
        .any(|line| line.eq_ignore_ascii_case("transfer-encoding: chunked"))
    {
        body = dechunk(&body);
    }
    RawResponse {
        status,
        content_type,
        body,
    }
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = raw.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&raw[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&raw[end + 2..end + 2 + size]);
        raw = &raw[end + 2 + size + 2..];
    }
    out
}

/// Checks one response against the manifest's expectations; `Err` says what differs.
fn check(request: &TestRequest, response: &RawResponse) -> Result<(), String> {
    let class = format!("{}xx", response.status / 100);
    if !request.expected_status.contains(&class) {
        return Err(format!(
            "status {} (expected {:?}): {}",
            response.status,
            request.expected_status,
            String::from_utf8_lossy(&response.body)
        ));
    }
    let media = response
        .content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let results_format = match media.as_str() {
        "application/sparql-results+json" => Some(QueryResultsFormat::Json),
        "application/sparql-results+xml" => Some(QueryResultsFormat::Xml),
        "text/csv" => Some(QueryResultsFormat::Csv),
        "text/tab-separated-values" => Some(QueryResultsFormat::Tsv),
        _ => None,
    };
    match request.expected_format.as_deref() {
        Some("boolean") => {
            let format = results_format
                .filter(|f| matches!(f, QueryResultsFormat::Json | QueryResultsFormat::Xml))
                .ok_or(format!("a boolean as {media}"))?;
            let parsed = QueryResultsParser::from_format(format)
                .for_slice(&response.body)
                .map_err(|e| e.to_string())?;
            let SliceQueryResultsParserOutput::Boolean(value) = parsed else {
                return Err("not a boolean".into());
            };
            if let Some(expected) = request.expected_boolean {
                if value != expected {
                    return Err(format!("answered {value}, expected {expected}"));
                }
            }
        }
        Some("tabular") => {
            let format = results_format.ok_or(format!("solutions as {media}"))?;
            let parsed = QueryResultsParser::from_format(format)
                .for_slice(&response.body)
                .map_err(|e| e.to_string())?;
            let SliceQueryResultsParserOutput::Solutions(solutions) = parsed else {
                return Err("not solutions".into());
            };
            for solution in solutions {
                solution.map_err(|e| e.to_string())?;
            }
        }
        Some("RDF") => {
            let format = RdfFormat::from_media_type(&media).ok_or(format!("RDF as {media}"))?;
            for quad in RdfParser::from_format(format).for_slice(&response.body) {
                quad.map_err(|e| e.to_string())?;
            }
        }
        Some(other) => return Err(format!("unknown expected format {other}")),
        None => {}
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_w3c_protocol_suite_passes_on_the_live_endpoint() {
    let tests = read_manifest();
    assert_eq!(tests.len(), 34, "the manifest lists 34 tests");
    let mut report = Vec::new();
    let mut failures = Vec::new();
    let mut passed = 0;
    for test in &tests {
        if test.name.contains("update") {
            report.push(format!(
                "n/a   {:<36} read-only endpoint: ldtcat offers no SPARQL Update operation",
                test.name
            ));
            continue;
        }
        let state = catalogue(&test.graphs);
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
        let address = listener.local_addr().expect("address");
        let server = tokio::spawn(ldtcat_serve::serve_with_shutdown(
            listener,
            state,
            std::future::pending(),
        ));
        let mut outcome = Ok(());
        for request in &test.requests {
            let response = tokio::time::timeout(Duration::from_secs(20), send(address, request))
                .await
                .expect("answers in time");
            outcome = outcome.and(check(request, &response));
        }
        server.abort();
        match outcome {
            Ok(()) => {
                passed += 1;
                report.push(format!("pass  {:<36} {}", test.name, test.label));
            }
            Err(reason) => {
                report.push(format!("FAIL  {:<36} {reason}", test.name));
                failures.push(test.name.clone());
            }
        }
    }
    println!("SPARQL 1.1 Protocol suite:\n{}", report.join("\n"));
    assert!(
        failures.is_empty(),
        "failed: {failures:?}\n{}",
        report.join("\n")
    );
    assert_eq!(passed, 20, "every query test ran");
}
