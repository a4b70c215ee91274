//! The harvested catalogue: the page files served over loopback HTTP as Turtle, each with a
//! Hydra `PartialCollectionView` linking the next page, and an `ETag` honoured by
//! `If-None-Match` (a `304` for an unchanged page).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::Result;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

/// A running page server.
pub struct PageServer {
    address: SocketAddr,
    counters: Arc<Counters>,
    task: tokio::task::JoinHandle<()>,
}

/// What the server has answered.
#[derive(Debug, Default)]
pub struct Counters {
    /// Pages sent with a body.
    pub bodies: AtomicU64,
    /// `304` answers.
    pub not_modified: AtomicU64,
    /// Body bytes sent.
    pub bytes: AtomicU64,
    /// When not 0, every page ends with a comment naming this revision: the bytes change,
    /// the records do not.
    pub revision: AtomicU64,
}

struct Pages {
    files: Vec<PathBuf>,
    counters: Arc<Counters>,
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<usize>,
}

impl PageServer {
    /// Serves `files` (page 1 is the first) on a free loopback port.
    pub async fn start(files: Vec<PathBuf>) -> Result<Self> {
        let counters = Arc::new(Counters::default());
        let state = Arc::new(Pages {
            files,
            counters: counters.clone(),
        });
        let app = Router::new()
            .route("/catalog", get(paged))
            .route("/single", get(single))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self {
            address,
            counters,
            task,
        })
    }

    /// The URL of the first page.
    pub fn first_page_url(&self) -> String {
        format!("http://{}/catalog?page=1", self.address)
    }

    /// From now on, pages end with a comment naming `revision` (0: no comment).
    pub fn set_revision(&self, revision: u64) {
        self.counters.revision.store(revision, Ordering::Relaxed);
    }

    /// Reads and resets the counters: (bodies, 304s, bytes).
    pub fn take_counts(&self) -> (u64, u64, u64) {
        (
            self.counters.bodies.swap(0, Ordering::Relaxed),
            self.counters.not_modified.swap(0, Ordering::Relaxed),
            self.counters.bytes.swap(0, Ordering::Relaxed),
        )
    }
}

impl Drop for PageServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// `/catalog?page=N`: page N with its Hydra links.
async fn paged(
    State(pages): State<Arc<Pages>>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    page(&pages, query.page.unwrap_or(1), &headers, true).await
}

/// `/single?page=N`: page N alone, as a single-document source.
async fn single(
    State(pages): State<Arc<Pages>>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    page(&pages, query.page.unwrap_or(1), &headers, false).await
}

async fn page(pages: &Pages, number: usize, headers: &HeaderMap, hydra: bool) -> Response {
    let Some(path) = number.checked_sub(1).and_then(|i| pages.files.get(i)) else {
        return (StatusCode::NOT_FOUND, "no such page").into_response();
    };
    let path = path.clone();
    let read = tokio::task::spawn_blocking(move || std::fs::read(path)).await;
    let Ok(Ok(mut body)) = read else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "cannot read the page").into_response();
    };
    let revision = pages.counters.revision.load(Ordering::Relaxed);
    let etag = format!("\"page-{number}-{}-{revision}\"", body.len());
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        pages.counters.not_modified.fetch_add(1, Ordering::Relaxed);
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    if hydra {
        append_view(&mut body, host, number, pages.files.len());
    }
    let revision = pages.counters.revision.load(Ordering::Relaxed);
    if revision != 0 {
        body.extend_from_slice(format!("# revision {revision}\n").as_bytes());
    }
    pages.counters.bodies.fetch_add(1, Ordering::Relaxed);
    pages
        .counters
        .bytes
        .fetch_add(body.len() as u64, Ordering::Relaxed);
    (
        [
            (header::CONTENT_TYPE, "text/turtle".to_owned()),
            (header::ETAG, etag),
        ],
        body,
    )
        .into_response()
}

fn append_view(body: &mut Vec<u8>, host: &str, number: usize, last: usize) {
    let view = format!(
        "\n<http://{host}/catalog?page={number}> a <http://www.w3.org/ns/hydra/core#PartialCollectionView>"
    );
    body.extend_from_slice(view.as_bytes());
    if number < last {
        let next = format!(
            " ; <http://www.w3.org/ns/hydra/core#next> <http://{host}/catalog?page={}>",
            number + 1
        );
        body.extend_from_slice(next.as_bytes());
    }
    body.extend_from_slice(b" .\n");
}
