//! Federation benchmark: `cargo bench -p ldtcat --bench federation`.
//!
//! 1. Propagation: instances C ← B ← A on loopback, each peer source harvested by the
//!    scheduler every second; an update published at C is timed until A shows it (five
//!    updates; median and worst).
//! 2. Incremental cost: C holds N synthetic datasets (N from `LDTCAT_BENCH_N`, default
//!    100,000); B reads C's whole feed once (pages of 1,000), then one record changes at C and
//!    B's next run reads only the feed after its cursor. Prints time, pages and bytes of both
//!    runs as a Markdown table.

#[path = "../federation/instance.rs"]
#[allow(dead_code)]
mod instance;

mod common;

use std::time::{Duration, Instant};

use common::{bench_n, peak_rss_mib, percentile, write_synthetic_file};
use instance::{record_iri, start, start_scheduled};
use ldtcat::import::import_files;
use ldtcat_store::RunStatus;

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()?;
    let propagation = runtime.block_on(propagation())?;
    let incremental = runtime.block_on(incremental(bench_n()))?;
    println!("| measure | value |");
    println!("|---|---|");
    println!(
        "| update C → A, scheduled runs every 1 s (median of 5) | {:.0} ms |",
        percentile(&propagation, 0.5)
    );
    println!(
        "| update C → A, worst of 5 | {:.0} ms |",
        percentile(&propagation, 1.0)
    );
    for line in incremental {
        println!("{line}");
    }
    println!("| peak RSS (VmHWM) | {:.0} MiB |", peak_rss_mib());
    Ok(())
}

async fn propagation() -> anyhow::Result<Vec<Duration>> {
    let instances = start_scheduled(
        &["a", "b", "c"],
        &[("a", "b"), ("b", "c")],
        100,
        Some("*/1 * * * * *"),
    )
    .await;
    let (a, c) = (&instances[0], &instances[2]);
    let mut records: Vec<(usize, String)> =
        (0..100).map(|n| (n, format!("c dataset {n} v0"))).collect();
    c.publish(&records);
    let mut schedulers = Vec::new();
    for instance in &instances {
        schedulers.push(instance.service().start_scheduler().await?);
    }
    let iri = record_iri("c", 42);
    wait_for_title(a, &iri, "c dataset 42 v0", Duration::from_secs(30)).await?;
    let mut times = Vec::new();
    for version in 1..=5 {
        let title = format!("c dataset 42 v{version}");
        records[42].1 = title.clone();
        let started = Instant::now();
        c.publish(&records);
        wait_for_title(a, &iri, &title, Duration::from_secs(30)).await?;
        times.push(started.elapsed());
    }
    for mut scheduler in schedulers {
        scheduler.shutdown().await?;
    }
    times.sort();
    Ok(times)
}

/// The English title of `iri` at `instance` (a store read on the blocking pool).
async fn title_at(instance: &instance::Instance, iri: &str) -> anyhow::Result<Option<String>> {
    let catalog = instance.catalog.clone();
    let id = ldtcat_model::record_id(iri);
    let record = tokio::task::spawn_blocking(move || catalog.store.record(&id)).await??;
    Ok(record.and_then(|record| {
        record
            .triples
            .iter()
            .find_map(|t| match (&t.predicate.as_str(), &t.object) {
                (&"http://purl.org/dc/terms/title", oxrdf::Term::Literal(l)) => {
                    Some(l.value().to_owned())
                }
                _ => None,
            })
    }))
}

async fn wait_for_title(
    instance: &instance::Instance,
    iri: &str,
    title: &str,
    limit: Duration,
) -> anyhow::Result<()> {
    let started = Instant::now();
    while title_at(instance, iri).await?.as_deref() != Some(title) {
        if started.elapsed() > limit {
            anyhow::bail!("{title} did not reach {} within {limit:?}", instance.name);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

async fn incremental(n: usize) -> anyhow::Result<Vec<String>> {
    let instances = start(&["b", "c"], &[("b", "c")], 1_000).await;
    let (b, c) = (&instances[0], &instances[1]);
    let work = tempfile::tempdir()?;
    let file = work.path().join("synthetic.ttl");
    write_synthetic_file(&file, n)?;
    let started = Instant::now();
    let catalog = c.catalog.clone();
    let import_file = file.clone();
    tokio::task::spawn_blocking(move || {
        import_files(&catalog, &[import_file], "local", None, None, &|_| {})
    })
    .await??;
    let import_time = started.elapsed();

    let started = Instant::now();
    let first = b.harvest("peer-c").await;
    let first_time = started.elapsed();
    anyhow::ensure!(first.status == RunStatus::Success, "{first:#?}");
    anyhow::ensure!(first.added as usize == n, "first run added {}", first.added);

    // One dataset changes at C (its title gets revision 1).
    let changed = work.path().join("one.ttl");
    std::fs::write(&changed, ldtcat::synthetic::synthetic_turtle(n / 2, 1, 1))?;
    let catalog = c.catalog.clone();
    tokio::task::spawn_blocking(move || {
        import_files(&catalog, &[changed], "local", None, None, &|_| {})
    })
    .await??;
    let started = Instant::now();
    let second = b.harvest("peer-c").await;
    let second_time = started.elapsed();
    anyhow::ensure!(second.status == RunStatus::Success, "{second:#?}");
    anyhow::ensure!(
        (second.added, second.updated) == (0, 1),
        "the incremental run wrote {} + {}",
        second.added,
        second.updated
    );
    Ok(vec![
        format!("| N (datasets at C) | {n} |"),
        format!("| import at C | {:.1} s |", import_time.as_secs_f64()),
        format!(
            "| first peer run B ← C (whole feed) | {:.1} s, {} pages, {:.1} MiB |",
            first_time.as_secs_f64(),
            first.pages,
            first.bytes as f64 / (1024.0 * 1024.0)
        ),
        format!(
            "| incremental run, 1 changed of N | {:.1} ms, {} page(s), {} bytes |",
            second_time.as_secs_f64() * 1000.0,
            second.pages,
            second.bytes
        ),
    ])
}
