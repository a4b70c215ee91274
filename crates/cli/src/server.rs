//! `ldtcat serve`: the HTTP server, the harvester inside it, and a shutdown within a bound.
//!
//! On SIGTERM or Ctrl-C the server stops accepting connections, stops the running SPARQL
//! queries (they end at their next check), interrupts the harvest runs (each writes what it
//! has read, ends `failed` and deletes nothing), finishes the requests in flight, flushes the
//! store and exits, all within [`ServeSettings::shutdown_timeout`]. Whatever is still going
//! when the bound is reached is abandoned: store writes are atomic transactions and a stale
//! index is rebuilt at the next start, so the process exits (with a failure status) rather
//! than wait. A second signal during the shutdown exits at once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use ldtcat_config::SourceConfig;

use crate::catalog::Catalog;
use crate::service::{HarvestService, ServiceControl};

/// Everything `ldtcat serve` is configured with, besides the catalogue.
pub struct ServeSettings {
    /// The address to listen on.
    pub bind: String,
    /// How the site presents itself (`public_base_url` empty: `http://{bound address}`).
    pub site: ldtcat_serve::SiteSettings,
    /// The SPARQL limits.
    pub sparql_limits: ldtcat_serve::SparqlLimits,
    /// SPARQL queries evaluated at once.
    pub sparql_max_concurrent: usize,
    /// SPARQL queries one client may have evaluated at once.
    pub sparql_max_per_client: usize,
    /// The harvest sources.
    pub sources: Vec<SourceConfig>,
    /// The bearer token of the admin endpoint.
    pub admin_token: Option<String>,
    /// Harvest runs at once.
    pub max_concurrent_runs: usize,
    /// The Dataspace Protocol catalog's settings.
    pub dsp: ldtcat_serve::DspSettings,
    /// The bound of the shutdown, from the signal to the exit.
    pub shutdown_timeout: Duration,
}

/// How the server ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// Everything stopped within the bound.
    Cleanly,
    /// The bound was reached with work in flight.
    AtTheBound,
}

/// Serves `catalog` until a shutdown signal, then shuts down within the bound. Runs its own
/// runtime, which it leaves without waiting for abandoned blocking work.
pub fn serve(catalog: Catalog, settings: ServeSettings) -> Result<Stopped> {
    let runtime = tokio::runtime::Runtime::new()?;
    let stopped = runtime.block_on(serve_until_stopped(catalog, settings));
    // Blocking work abandoned at the bound is not waited for.
    runtime.shutdown_timeout(Duration::from_millis(100));
    stopped
}

async fn serve_until_stopped(catalog: Catalog, settings: ServeSettings) -> Result<Stopped> {
    let listener = tokio::net::TcpListener::bind(&settings.bind)
        .await
        .with_context(|| format!("cannot listen on {}", settings.bind))?;
    let address = listener.local_addr()?;
    let mut site = settings.site;
    if site.public_base_url.is_empty() {
        site.public_base_url = format!("http://{address}");
    }
    let catalog = Arc::new(catalog.with_catalogue_iri(site.catalogue_iri()));
    let service = HarvestService::new(
        catalog.clone(),
        settings.sources,
        settings.max_concurrent_runs,
    )
    .await?;
    let mut scheduler = service.start_scheduler().await?;
    let sparql = ldtcat_serve::SparqlService::new(
        catalog.store.oxigraph().clone(),
        settings.sparql_limits,
        settings.sparql_max_concurrent,
    )
    .with_max_per_client(settings.sparql_max_per_client);
    let state = ldtcat_serve::AppState {
        dsp: settings.dsp,
        sparql,
        store: catalog.store.clone(),
        index: catalog.index.clone(),
        labels: ldtcat_serve::Labels::new(catalog.index.clone()),
        rules: catalog.rules.clone(),
        site,
        harvest: Some(ldtcat_serve::HarvestAdmin {
            control: Arc::new(ServiceControl(service.clone())),
            admin_token: settings.admin_token,
        }),
    };
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let mut server = tokio::spawn(ldtcat_serve::serve_with_shutdown(
        listener,
        state,
        async move {
            let mut stopping = stopping;
            let _ = stopping.wait_for(|stopping| *stopping).await;
        },
    ));
    println!("ldtcat is serving on http://{address}");
    tokio::select! {
        () = ldtcat_serve::shutdown_signal() => {}
        ended = &mut server => {
            // The server ended by itself: an error of the listener.
            ended.context("the server task failed")??;
            return Ok(Stopped::Cleanly);
        }
    }
    let signalled = Instant::now();
    stop.send_replace(true);
    let shutdown = async {
        let (served, (), scheduled) =
            tokio::join!(&mut server, service.interrupt_all(), scheduler.shutdown());
        if let Err(error) = scheduled {
            tracing::warn!("cannot stop the scheduler: {error}");
        }
        match served {
            Ok(Err(error)) => tracing::warn!("the server ended with an error: {error}"),
            Err(error) => tracing::warn!("the server task failed: {error}"),
            Ok(Ok(())) => {}
        }
        let flushing = catalog.clone();
        match tokio::task::spawn_blocking(move || flushing.store.flush()).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!("cannot flush the store: {error}"),
            Err(error) => tracing::warn!("the store flush failed: {error}"),
        }
    };
    let bound = settings.shutdown_timeout;
    tokio::select! {
        finished = tokio::time::timeout(bound, shutdown) => match finished {
            Ok(()) => {
                tracing::info!(elapsed_ms = signalled.elapsed().as_millis() as u64, "stopped");
                Ok(Stopped::Cleanly)
            }
            Err(_) => {
                tracing::error!(
                    bound_s = bound.as_secs_f64(),
                    "the shutdown bound was reached with work in flight: exiting anyway \
                     (store writes are atomic; a stale index is rebuilt at the next start)"
                );
                Ok(Stopped::AtTheBound)
            }
        },
        () = ldtcat_serve::shutdown_signal() => {
            tracing::warn!("second signal: exiting at once");
            Ok(Stopped::AtTheBound)
        }
    }
}
