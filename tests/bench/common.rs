//! What the benchmarks share: peak memory, sizes on disk, percentiles, and writing the
//! synthetic catalogue to a file.
#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

/// The process's peak resident set (VmHWM), in MiB.
pub fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// The size of a file or folder on disk, in MiB (the performance suite's measure).
#[allow(unused_imports)]
pub use ldtcat_perf::process::disk_mib;

/// The `p` quantile (0 to 1) of sorted durations, in milliseconds.
pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

/// N, the number of synthetic datasets: `LDTCAT_BENCH_N`, default 100,000.
pub fn bench_n() -> usize {
    std::env::var("LDTCAT_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// Writes N synthetic datasets to `path`, a thousand at a time.
pub fn write_synthetic_file(path: &Path, n: usize) -> anyhow::Result<()> {
    let mut writer = std::io::BufWriter::new(std::fs::File::create(path)?);
    ldtcat::synthetic::write_synthetic_turtle(&mut writer, 0, n, 0)?;
    std::io::Write::flush(&mut writer)?;
    Ok(())
}

/// The state that serves a benchmark's catalogue at `public_base_url`: default SPARQL limits
/// with 4 query slots, no harvest control.
pub fn app_state(
    catalog: &ldtcat::catalog::Catalog,
    public_base_url: String,
) -> ldtcat_serve::AppState {
    ldtcat_serve::AppState {
        dsp: ldtcat_serve::DspSettings::default(),
        harvest: None,
        sparql: ldtcat_serve::SparqlService::new(
            catalog.store.oxigraph().clone(),
            ldtcat_serve::SparqlLimits::default(),
            4,
        ),
        store: catalog.store.clone(),
        index: std::sync::Arc::clone(&catalog.index),
        labels: ldtcat_serve::Labels::new(std::sync::Arc::clone(&catalog.index)),
        rules: std::sync::Arc::clone(&catalog.rules),
        site: ldtcat_serve::SiteSettings {
            public_base_url,
            ..ldtcat_serve::SiteSettings::default()
        },
    }
}
