//! One real socket: `serve` on 127.0.0.1:0, `/healthz` fetched with a raw HTTP/1.1 request.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::common::Fixture;

async fn fetch_healthz(address: std::net::SocketAddr) -> anyhow::Result<String> {
    let mut stream = TcpStream::connect(address).await?;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    Ok(response)
}

#[tokio::test]
async fn serve_answers_healthz_on_a_real_socket() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let server = tokio::spawn(ldtcat_serve::serve(listener, fixture.state.clone()));
    let response = tokio::time::timeout(Duration::from_secs(10), fetch_healthz(address)).await??;
    server.abort();
    assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
    assert!(
        response.contains(r#"{"status":"ok","records":29}"#),
        "{response}"
    );
    Ok(())
}

#[tokio::test]
async fn serve_with_shutdown_stops_when_asked() -> anyhow::Result<()> {
    let fixture = Fixture::new()?;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(ldtcat_serve::serve_with_shutdown(
        listener,
        fixture.state.clone(),
        async {
            let _ = stopped.await;
        },
    ));
    let response = tokio::time::timeout(Duration::from_secs(10), fetch_healthz(address)).await??;
    assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
    let _ = stop.send(());
    tokio::time::timeout(Duration::from_secs(10), server).await???;
    Ok(())
}
