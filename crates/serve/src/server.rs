//! Running the router on a listener until a shutdown signal, then stopping what runs: the
//! SPARQL queries are stopped at once (they end at their next check) and the requests in
//! flight are finished.

use std::future::Future;
use std::net::SocketAddr;

use tokio::net::TcpListener;

use crate::state::AppState;

/// Serves [`router`](crate::router) on `listener` until Ctrl-C or (on Unix) SIGTERM, then
/// stops accepting connections, stops the running SPARQL queries and waits for the requests
/// in flight.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    serve_with_shutdown(listener, state, shutdown_signal()).await
}

/// Serves until `shutdown` completes, then shuts down as [`serve`] does (for embedding and
/// tests). Handlers see the client's address (`ConnectInfo<SocketAddr>`), which the SPARQL
/// endpoint's fair share of slots uses.
pub async fn serve_with_shutdown(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if let Ok(address) = listener.local_addr() {
        tracing::info!(%address, "serving");
    }
    let sparql = state.sparql.clone();
    let stopping = async move {
        shutdown.await;
        let stopped = sparql.stop_all();
        tracing::info!(
            stopped_queries = stopped,
            "shutting down: no new connections"
        );
    };
    let app = crate::router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(stopping)
        .await?;
    tracing::info!("server stopped");
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM. If a signal handler cannot be installed, that signal is
/// logged and ignored (the other still works).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C received, shutting down"),
        () = terminate => tracing::info!("SIGTERM received, shutting down"),
    }
}
