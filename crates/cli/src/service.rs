//! The harvester inside `ldtcat serve`: runs started by the cron schedules
//! (tokio-cron-scheduler) or by the admin endpoint, at most one per source at a time and at
//! most [`HarvestService::new`]'s `max_concurrent_runs` at once. When the server shuts down,
//! [`HarvestService::interrupt_all`] interrupts the runs (they write what they read, end
//! `failed` and delete nothing) and starts no more.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use chrono::Utc;
use ldtcat_config::SourceConfig;
use ldtcat_harvest::{Fetcher, HostPolicy};
use ldtcat_serve::{HarvestControl, SourceInfo, StartRunError};
use tokio::sync::Semaphore;
use tokio_cron_scheduler::{Job, JobScheduler};

use crate::catalog::Catalog;
use crate::harvest::{fail_interrupted_runs, run_source_until, RunRequest};

/// Runs harvests for the server.
pub struct HarvestService {
    catalog: Arc<Catalog>,
    fetcher: Fetcher,
    sources: Vec<SourceConfig>,
    running: Mutex<HashSet<String>>,
    permits: Arc<Semaphore>,
    runtime: tokio::runtime::Handle,
    /// Becomes true when the server shuts down.
    stopping: tokio::sync::watch::Sender<bool>,
}

/// Removes a source from the running set when its run ends, however it ends.
struct RunningGuard {
    service: Arc<HarvestService>,
    source_id: String,
}

impl Drop for RunningGuard {
    fn drop(&mut self) {
        if let Ok(mut running) = self.service.running.lock() {
            running.remove(&self.source_id);
        }
    }
}

impl HarvestService {
    /// A service for `sources`; marks runs left `running` by a stopped process as failed.
    /// Call from within a Tokio runtime.
    pub async fn new(
        catalog: Arc<Catalog>,
        sources: Vec<SourceConfig>,
        max_concurrent_runs: usize,
    ) -> Result<Arc<HarvestService>> {
        let interrupted = fail_interrupted_runs(&catalog).await?;
        if interrupted > 0 {
            tracing::warn!(
                interrupted,
                "harvest runs interrupted by the last stop marked failed"
            );
        }
        let fetcher = Fetcher::new(HostPolicy::for_urls(sources.iter().map(|s| &s.url)))?;
        Ok(Arc::new(HarvestService {
            catalog,
            fetcher,
            sources,
            running: Mutex::new(HashSet::new()),
            permits: Arc::new(Semaphore::new(max_concurrent_runs.max(1))),
            runtime: tokio::runtime::Handle::current(),
            stopping: tokio::sync::watch::channel(false).0,
        }))
    }

    /// Starts a run of `source_id` in the background; the returned handle ends with it.
    pub fn spawn_run(
        self: &Arc<Self>,
        source_id: &str,
    ) -> Result<tokio::task::JoinHandle<()>, StartRunError> {
        let source = self
            .sources
            .iter()
            .find(|s| s.id == source_id)
            .cloned()
            .ok_or(StartRunError::UnknownSource)?;
        if !source.enabled {
            return Err(StartRunError::Disabled);
        }
        if *self.stopping.borrow() {
            return Err(StartRunError::ShuttingDown);
        }
        {
            let mut running = self
                .running
                .lock()
                .map_err(|_| StartRunError::AlreadyRunning)?;
            if !running.insert(source.id.clone()) {
                return Err(StartRunError::AlreadyRunning);
            }
        }
        let guard = RunningGuard {
            service: self.clone(),
            source_id: source.id.clone(),
        };
        let service = self.clone();
        let mut stopping = self.stopping.subscribe();
        Ok(self.runtime.spawn(async move {
            let _guard = guard;
            let permit = tokio::select! {
                permit = service.permits.clone().acquire_owned() => permit,
                _ = stopping.wait_for(|stopping| *stopping) => return,
            };
            let Ok(_permit) = permit else {
                return;
            };
            let id = source.id.clone();
            let interrupt = async move {
                // An error means the service is gone: nothing will interrupt the run.
                if stopping.wait_for(|stopping| *stopping).await.is_err() {
                    std::future::pending::<()>().await;
                }
            };
            let result = run_source_until(
                service.catalog.clone(),
                service.fetcher.clone(),
                source,
                RunRequest::default(),
                &|_| {},
                interrupt,
            )
            .await;
            if let Err(error) = result {
                tracing::error!(source = %id, "harvest run failed: {error:#}");
            }
        }))
    }

    /// Interrupts every run and starts no more; returns when the runs have ended (each
    /// writes what it read and saves its report first).
    pub async fn interrupt_all(&self) {
        self.stopping.send_replace(true);
        loop {
            let running = self.running.lock().map(|r| r.len()).unwrap_or(0);
            if running == 0 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Registers one cron job per enabled, scheduled source and starts the scheduler.
    pub async fn start_scheduler(self: &Arc<Self>) -> Result<JobScheduler> {
        let scheduler = JobScheduler::new()
            .await
            .context("cannot create the scheduler")?;
        for source in self.sources.iter().filter(|s| s.enabled) {
            let Some(schedule) = &source.schedule else {
                continue;
            };
            let service = self.clone();
            let source_id = source.id.clone();
            let job = Job::new_async(schedule.cron.as_str(), move |_, _| {
                let service = service.clone();
                let source_id = source_id.clone();
                Box::pin(async move {
                    match service.spawn_run(&source_id) {
                        Ok(_) => tracing::info!(source = %source_id, "scheduled harvest started"),
                        Err(StartRunError::AlreadyRunning) => tracing::info!(
                            source = %source_id,
                            "scheduled harvest skipped: the previous run is still going"
                        ),
                        Err(error) => tracing::warn!(source = %source_id, ?error, "scheduled harvest not started"),
                    }
                })
            })
            .with_context(|| format!("source {}: bad schedule {}", source.id, schedule.cron))?;
            scheduler.add(job).await.context("cannot add a cron job")?;
        }
        scheduler
            .start()
            .await
            .context("cannot start the scheduler")?;
        Ok(scheduler)
    }
}

/// The service as the server's [`HarvestControl`].
pub struct ServiceControl(pub Arc<HarvestService>);

impl HarvestControl for ServiceControl {
    fn sources(&self) -> Vec<SourceInfo> {
        let running = self.0.running.lock().map(|r| r.clone()).unwrap_or_default();
        let now = Utc::now();
        self.0
            .sources
            .iter()
            .map(|source| SourceInfo {
                id: source.id.clone(),
                title: source.title.clone(),
                kind: source.kind.as_str().to_owned(),
                url: source.url.to_string(),
                enabled: source.enabled,
                schedule: source.schedule.as_ref().map(|s| s.cron.clone()),
                next_run: source
                    .schedule
                    .as_ref()
                    .filter(|_| source.enabled)
                    .and_then(|s| s.next_after(now)),
                running: running.contains(&source.id),
            })
            .collect()
    }

    fn start_run(&self, source_id: &str) -> Result<(), StartRunError> {
        self.0.spawn_run(source_id).map(|_| ())
    }
}
