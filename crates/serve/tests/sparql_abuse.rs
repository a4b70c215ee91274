//! Heavy queries on a real socket: a cartesian product and ORDER BYs over the whole store are
//! cut at the time limit, while simple requests sent meanwhile keep being answered quickly;
//! queries beyond the slots wait, then get a 503 with `Retry-After`; one client's share is
//! bounded. (The full campaign against the real binary is `tests/abuse.rs` at the root.)

use std::sync::Arc;
use std::time::{Duration, Instant};

use ldtcat_index::CatalogIndex;
use ldtcat_serve::{AppState, SiteSettings, SparqlLimits, SparqlService};
use ldtcat_store::CatalogStore;
use ldtcat_vocab::RuleSet;
use oxigraph::io::{RdfFormat, RdfParser};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const RECORDS: usize = 3_000;
const TIME_LIMIT: Duration = Duration::from_secs(2);

/// 3,000 record graphs of 30 statements each, queries limited to [`TIME_LIMIT`].
fn big_catalogue() -> AppState {
    catalogue_with(4, TIME_LIMIT)
}

fn catalogue_with(max_concurrent: usize, timeout: Duration) -> AppState {
    let store = CatalogStore::open_in_memory().expect("store");
    let mut nquads = String::new();
    for n in 0..RECORDS {
        let graph = format!("<urn:ldtcat:record:{n:032x}>");
        let subject = format!("<https://data.example.org/dataset/{n}>");
        nquads.push_str(&format!("{subject} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/dcat#Dataset> {graph} .\n"));
        for k in 0..29 {
            nquads.push_str(&format!(
                "{subject} <http://example.org/p{k}> \"value {n} {k}\" {graph} .\n"
            ));
        }
    }
    store
        .oxigraph()
        .load_from_reader(RdfParser::from_format(RdfFormat::NQuads), nquads.as_bytes())
        .expect("loads");
    let limits = SparqlLimits {
        timeout,
        max_rows: 10_000,
        max_sort_rows: usize::MAX,
        ..SparqlLimits::default()
    };
    let index = Arc::new(CatalogIndex::open_in_ram().expect("index"));
    AppState {
        dsp: ldtcat_serve::DspSettings::default(),
        harvest: None,
        sparql: SparqlService::new(store.oxigraph().clone(), limits, max_concurrent),
        store,
        index: Arc::clone(&index),
        labels: ldtcat_serve::Labels::new(index),
        rules: Arc::new(RuleSet::builtin().expect("rules")),
        site: SiteSettings {
            title: "Abuse".to_owned(),
            description: String::new(),
            public_base_url: "http://localhost".to_owned(),
            ..SiteSettings::default()
        },
    }
}

async fn get(address: std::net::SocketAddr, path: &str, accept: &str) -> (u16, String) {
    get_as(address, path, accept, None).await
}

/// A GET as the client named by `token` (none: by its address).
async fn get_as(
    address: std::net::SocketAddr,
    path: &str,
    accept: &str,
    token: Option<&str>,
) -> (u16, String) {
    let mut stream = TcpStream::connect(address).await.expect("connects");
    let authorization = token
        .map(|token| format!("Authorization: Bearer {token}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nAccept: {accept}\r\n{authorization}Connection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("writes");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("reads");
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response)
}

fn sparql_path(query: &str) -> String {
    format!(
        "/sparql?query={}",
        form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heavy_queries_are_cut_while_simple_requests_keep_answering() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let address = listener.local_addr().expect("address");
    let server = tokio::spawn(ldtcat_serve::serve_with_shutdown(
        listener,
        big_catalogue(),
        std::future::pending(),
    ));

    let heavy = [
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STRLEN(CONCAT(STR(?c), STR(?f))) < 0) }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }",
        "SELECT * WHERE { ?s ?p ?o . ?s ?q ?r . ?s ?x ?y } ORDER BY ?o ?r ?y",
    ];
    let started = Instant::now();
    let mut running = Vec::new();
    for (n, query) in heavy.into_iter().enumerate() {
        let path = sparql_path(query);
        running.push(tokio::spawn(async move {
            let sent = Instant::now();
            let token = format!("heavy-{n}");
            let (status, body) = get_as(
                address,
                &path,
                "application/sparql-results+json",
                Some(&token),
            )
            .await;
            (query, status, body, sent.elapsed())
        }));
    }
    // Meanwhile, simple requests: each must be answered quickly.
    let simple = sparql_path("ASK { <https://data.example.org/dataset/7> ?p ?o }");
    let mut slowest = Duration::ZERO;
    let mut answered = 0;
    while started.elapsed() < TIME_LIMIT {
        for (path, accept) in [
            ("/healthz", "application/json"),
            (simple.as_str(), "application/sparql-results+json"),
        ] {
            let sent = Instant::now();
            let (status, body) = get_as(address, path, accept, Some("simple")).await;
            assert_eq!(status, 200, "{path}: {body}");
            slowest = slowest.max(sent.elapsed());
            answered += 1;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for handle in running {
        let (query, status, body, took) = handle.await.expect("joins");
        // Stopped at the time limit, or earlier by another limit (the answer bytes a
        // top-level ORDER BY may sort).
        assert!(
            (status == 503 && body.contains("time limit"))
                || (status == 400 && body.contains("ORDER BY would sort")),
            "{query}: {body}"
        );
        assert!(
            took < TIME_LIMIT + Duration::from_secs(3),
            "{query} was stopped only after {took:?}"
        );
    }
    assert!(answered >= 4, "only {answered} simple requests answered");
    assert!(
        slowest < Duration::from_secs(1),
        "a simple request took {slowest:?} while heavy queries ran"
    );
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queries_beyond_the_concurrency_limit_wait_then_get_a_503() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let address = listener.local_addr().expect("address");
    let state = catalogue_with(1, Duration::from_secs(6));
    tokio::spawn(ldtcat_serve::serve_with_shutdown(
        listener,
        state,
        std::future::pending(),
    ));
    let heavy = sparql_path("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }");
    let running = tokio::spawn(async move {
        get_as(
            address,
            &heavy,
            "application/sparql-results+json",
            Some("first"),
        )
        .await
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let sent = Instant::now();
    let (status, body) = get_as(
        address,
        &sparql_path("ASK {}"),
        "application/sparql-results+json",
        Some("second"),
    )
    .await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("too many queries"), "{body}");
    assert!(body.contains("retry-after: "), "{body}");
    assert!(
        sent.elapsed() >= ldtcat_serve::SPARQL_QUEUE_WAIT,
        "answered before waiting its turn"
    );
    let (status, _) = get(address, "/healthz", "application/json").await;
    assert_eq!(status, 200, "the rest of the server answers");
    let (status, body) = running.await.expect("joins");
    assert_eq!(status, 503, "{body}");
}
