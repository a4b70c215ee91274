//! Where the ingest's time goes: a `perf record` of the harvest process (sampled at 499 Hz)
//! read back with `perf report`, its self time grouped by component (the parser, the store,
//! the index, hashing, allocation, ...) and its 15 hottest functions.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use anyhow::{ensure, Context, Result};

/// Components by the first matching part of a symbol (or of its library).
const COMPONENTS: &[(&str, &[&str])] = &[
    (
        "Turtle / N-Triples parsing (oxttl, oxrdf, oxiri)",
        &["oxttl", "oxrdf", "oxiri", "oxrdfio", "oxilangtag"],
    ),
    (
        "RocksDB (store writes, reads, compaction)",
        &[
            "rocksdb",
            "librocksdb",
            "oxrocksdb",
            "snappy",
            "lz4",
            "zstd",
            "crc32",
        ],
    ),
    (
        "Oxigraph store layer (encoding, bulk loader)",
        &["oxigraph"],
    ),
    ("Tantivy (index)", &["tantivy"]),
    ("SHA-256 (record hashes, page digests)", &["sha2"]),
    (
        "ldtcat model (split, canonical form, records, summaries)",
        &["ldtcat_model"],
    ),
    (
        "ldtcat store, index and pipeline",
        &[
            "ldtcat_store",
            "ldtcat_index",
            "ldtcat::",
            "ldtcat_harvest",
            "ldtcat_vocab",
        ],
    ),
    (
        "memory allocation and copying",
        &[
            "malloc", "free", "realloc", "memcpy", "memmove", "memset", "alloc::", "cfree", "_int_",
        ],
    ),
    ("hash maps", &["hashbrown", "core::hash", "siphash"]),
    (
        "HTTP client and runtime (reqwest, hyper, tokio)",
        &["hyper", "reqwest", "tokio", "h2::", "mio"],
    ),
    (
        "kernel (I/O, page faults, scheduling)",
        &["[kernel", "kernel"],
    ),
];

/// A Markdown summary of the profile in `data`.
pub fn summarise(data: &Path) -> Result<String> {
    let output = Command::new("perf")
        .args([
            "report",
            "--stdio",
            "--no-children",
            "--sort",
            "dso,symbol",
            "-g",
            "none",
            "-i",
        ])
        .arg(data)
        .output()
        .context("running perf report")?;
    ensure!(
        output.status.success(),
        "perf report failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    let mut rows: Vec<(f64, String)> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let Some((percent, rest)) = line.split_once('%') else {
            continue;
        };
        let Ok(percent) = percent.trim().parse::<f64>() else {
            continue;
        };
        rows.push((percent, rest.trim().to_owned()));
    }
    ensure!(!rows.is_empty(), "no samples");
    let mut groups: Vec<(String, f64)> = COMPONENTS
        .iter()
        .map(|(name, _)| ((*name).to_owned(), 0.0))
        .collect();
    let mut other = 0.0;
    for (percent, rest) in &rows {
        match COMPONENTS
            .iter()
            .position(|(_, keys)| keys.iter().any(|k| rest.contains(k)))
        {
            Some(index) => groups[index].1 += percent,
            None => other += percent,
        }
    }
    groups.push(("other".to_owned(), other));
    groups.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut out = String::from("| component | share of the samples |\n|---|---|\n");
    for (name, share) in groups.iter().filter(|(_, share)| *share >= 0.5) {
        let _ = writeln!(out, "| {name} | {share:.1} % |");
    }
    out.push_str(
        "\nHottest functions (self time):\n\n| share | library and function |\n|---|---|\n",
    );
    for (percent, rest) in rows.iter().take(15) {
        let shown: String = rest.split_whitespace().collect::<Vec<_>>().join(" ");
        let shown: String = shown.chars().take(140).collect();
        let _ = writeln!(
            out,
            "| {percent:.1} % | `{}` |",
            shown.replace('`', "'").replace('|', "/")
        );
    }
    Ok(out)
}
