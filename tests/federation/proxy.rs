//! A loopback proxy in front of an ldtcat that can drop the connection of the n-th feed
//! request (the peer "goes down" mid-feed), one request per connection.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A running proxy.
pub struct Proxy {
    /// `http://127.0.0.1:{port}`.
    pub base: String,
    feed_requests: Arc<AtomicUsize>,
    drop_at: Arc<AtomicUsize>,
}

impl Proxy {
    /// Drops the connection of the `n`-th feed request (counted from 1, over the proxy's
    /// life) after sending half a response.
    pub fn drop_feed_request(&self, n: usize) {
        self.drop_at.store(n, Ordering::SeqCst);
    }

    /// Forwards everything again.
    pub fn heal(&self) {
        self.drop_at.store(0, Ordering::SeqCst);
    }

    /// Feed requests received so far.
    pub fn feed_requests(&self) -> usize {
        self.feed_requests.load(Ordering::SeqCst)
    }
}

/// Starts a proxy to `upstream` (`http://host:port`).
pub async fn start(upstream: &str) -> Proxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let upstream = upstream.trim_start_matches("http://").to_owned();
    let feed_requests = Arc::new(AtomicUsize::new(0));
    let drop_at = Arc::new(AtomicUsize::new(0));
    let (count, drop) = (feed_requests.clone(), drop_at.clone());
    tokio::spawn(async move {
        loop {
            let Ok((client, _)) = listener.accept().await else {
                return;
            };
            let (upstream, count, drop) = (upstream.clone(), count.clone(), drop.clone());
            tokio::spawn(async move {
                let _ = forward(client, &upstream, &count, &drop).await;
            });
        }
    });
    Proxy {
        base,
        feed_requests,
        drop_at,
    }
}

async fn forward(
    mut client: TcpStream,
    upstream: &str,
    count: &AtomicUsize,
    drop_at: &AtomicUsize,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = client.read(&mut buffer).await?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buffer[..n]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let request_line = text.lines().next().unwrap_or_default().to_owned();
    if request_line.contains("/feed") {
        let n = count.fetch_add(1, Ordering::SeqCst) + 1;
        if n == drop_at.load(Ordering::SeqCst) {
            client
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/turtle\r\ncontent-length: 100000\r\n\r\n@prefix ldes: <https://w3id.org/ldes#> .\n")
                .await?;
            return Ok(()); // the connection closes mid-body
        }
    }
    // One request per connection: ask the upstream to close after its answer.
    let mut lines: Vec<&str> = text.split("\r\n").collect();
    lines.retain(|line| !line.to_ascii_lowercase().starts_with("connection:"));
    let rewritten = lines
        .join("\r\n")
        .replacen("\r\n", "\r\nconnection: close\r\n", 1);
    let mut server = TcpStream::connect(upstream).await?;
    server.write_all(rewritten.as_bytes()).await?;
    let mut response = Vec::new();
    server.read_to_end(&mut response).await?;
    client.write_all(&response).await?;
    client.shutdown().await
}
