//! The figures of a suite run, the targets they are held to, and the report files:
//! `report.md` (tables per N, the targets at the largest N with the margin by which each is
//! met or missed, and the notes), `figures.csv` and `figures.json`.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;

/// One measured figure.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// The number of datasets of the run.
    pub n: usize,
    /// A stable key (`ingest.records_per_second`).
    pub key: String,
    /// What it is, for people.
    pub label: String,
    /// The value.
    pub value: f64,
    /// Its unit.
    pub unit: String,
}

/// A target: a figure at least or at most a threshold.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// The figure's key.
    pub key: &'static str,
    /// At least (true) or at most (false).
    pub at_least: bool,
    /// The threshold.
    pub threshold: f64,
}

/// The targets of the performance issue, at 1,000,000 datasets.
pub const TARGETS: &[Target] = &[
    Target {
        key: "ingest.records_per_second",
        at_least: true,
        threshold: 5_000.0,
    },
    Target {
        key: "ratio.ingest_vs_bulk_loader",
        at_least: true,
        threshold: 0.85,
    },
    Target {
        key: "reharvest.records_per_second",
        at_least: true,
        threshold: 25_000.0,
    },
    Target {
        key: "api_search_facets.p50_ms",
        at_least: false,
        threshold: 3.0,
    },
    Target {
        key: "api_search_facets.p99_ms",
        at_least: false,
        threshold: 20.0,
    },
    Target {
        key: "sparql.lookup.p99_ms",
        at_least: false,
        threshold: 10.0,
    },
    Target {
        key: "ratio.sparql_lookup_p99_ldtcat_over_virtuoso",
        at_least: false,
        threshold: 1.0,
    },
    Target {
        key: "resources.requests_per_second",
        at_least: true,
        threshold: 5_000.0,
    },
    Target {
        key: "html_search.requests_per_second",
        at_least: true,
        threshold: 2_000.0,
    },
    Target {
        key: "serve.peak_rss_mib",
        at_least: false,
        threshold: 1_024.0,
    },
    Target {
        key: "ingest.peak_rss_mib",
        at_least: false,
        threshold: 3_072.0,
    },
    Target {
        key: "serve.cold_start_ms",
        at_least: false,
        threshold: 2_000.0,
    },
    Target {
        key: "disk.store_mib",
        at_least: false,
        threshold: 8_000.0 * 1_000.0 * 1_000.0 / 1_048_576.0,
    },
    Target {
        key: "disk.index_mib",
        at_least: false,
        threshold: 300.0 * 1_000.0 * 1_000.0 / 1_048_576.0,
    },
];

/// The figures and notes of a suite run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// What the machine is.
    pub machine: String,
    /// The command line.
    pub command: String,
    /// All figures, in the order measured.
    pub figures: Vec<Figure>,
    /// Remarks: engines not available, checks, errors.
    pub notes: Vec<String>,
    /// Where the ingest's time goes, per N (see [`crate::profile`]).
    pub profiles: Vec<(usize, String)>,
}

impl Report {
    /// Adds a figure.
    pub fn add(&mut self, n: usize, key: &str, label: &str, value: f64, unit: &str) {
        tracing_line(n, key, value, unit);
        self.figures.push(Figure {
            n,
            key: key.to_owned(),
            label: label.to_owned(),
            value,
            unit: unit.to_owned(),
        });
    }

    /// Adds a note.
    pub fn note(&mut self, text: impl Into<String>) {
        let text = text.into();
        eprintln!("note: {text}");
        self.notes.push(text);
    }

    /// The value of `key` at `n`.
    pub fn value(&self, n: usize, key: &str) -> Option<f64> {
        self.figures
            .iter()
            .find(|f| f.n == n && f.key == key)
            .map(|f| f.value)
    }

    /// Writes `report.md`, `figures.csv` and `figures.json` into `dir`.
    pub fn write(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir)?;
        std::fs::write(
            dir.join("figures.json"),
            serde_json::to_string_pretty(self)?,
        )?;
        let mut csv = String::from("n,key,value,unit,label\n");
        for f in &self.figures {
            let _ = writeln!(
                csv,
                "{},{},{},{},\"{}\"",
                f.n,
                f.key,
                f.value,
                f.unit,
                f.label.replace('"', "'")
            );
        }
        std::fs::write(dir.join("figures.csv"), csv)?;
        std::fs::write(dir.join("report.md"), self.markdown())?;
        Ok(())
    }

    /// The Markdown report.
    pub fn markdown(&self) -> String {
        let mut out = String::from("# ldtcat performance report\n\n");
        let _ = writeln!(
            out,
            "- Machine: {}\n- Command: `{}`\n",
            self.machine, self.command
        );
        let mut sizes: Vec<usize> = self.figures.iter().map(|f| f.n).collect();
        sizes.sort_unstable();
        sizes.dedup();
        if let Some(&largest) = sizes.last() {
            let _ = writeln!(out, "## Targets at N = {largest}\n");
            if largest < 1_000_000 {
                out.push_str("The targets are set for N = 1,000,000; at this N they are indicative only.\n\n");
            }
            out.push_str("| figure | target | measured | verdict |\n|---|---|---|---|\n");
            for target in TARGETS {
                let label = self
                    .figures
                    .iter()
                    .find(|f| f.key == target.key)
                    .map_or(target.key, |f| f.label.as_str());
                let sign = if target.at_least { "≥" } else { "≤" };
                let measured = self.value(largest, target.key);
                let verdict = match measured {
                    None => "not measured (see notes)".to_owned(),
                    Some(v) if v.is_nan() => "not measured (see notes)".to_owned(),
                    Some(v) => {
                        let met = if target.at_least {
                            v >= target.threshold
                        } else {
                            v <= target.threshold
                        };
                        let factor = if target.at_least {
                            v / target.threshold
                        } else {
                            target.threshold / v
                        };
                        if met {
                            format!("met ({factor:.2}× the target)")
                        } else {
                            format!("**missed**: {factor:.2}× the target")
                        }
                    }
                };
                let _ = writeln!(
                    out,
                    "| {label} (`{}`) | {sign} {} | {} | {verdict} |",
                    target.key,
                    number(target.threshold),
                    measured.map_or("–".to_owned(), number)
                );
            }
            out.push('\n');
        }
        for n in &sizes {
            let _ = writeln!(
                out,
                "## N = {n}\n\n| figure | value | unit | key |\n|---|---|---|---|"
            );
            for f in self.figures.iter().filter(|f| f.n == *n) {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | `{}` |",
                    f.label,
                    number(f.value),
                    f.unit,
                    f.key
                );
            }
            out.push('\n');
        }
        for (n, profile) in &self.profiles {
            let _ = writeln!(
                out,
                "## Where the ingest's time goes at N = {n}\n\n{profile}"
            );
        }
        if !self.notes.is_empty() {
            out.push_str("## Notes\n\n");
            for note in &self.notes {
                let _ = writeln!(out, "- {note}");
            }
        }
        out
    }
}

/// A number with sensible precision.
pub fn number(value: f64) -> String {
    if value.is_nan() {
        "–".to_owned()
    } else if value.abs() >= 100.0 {
        format!("{value:.0}")
    } else if value.abs() >= 1.0 {
        format!("{value:.2}")
    } else {
        format!("{value:.3}")
    }
}

fn tracing_line(n: usize, key: &str, value: f64, unit: &str) {
    eprintln!("[N={n}] {key} = {} {unit}", number(value));
}

/// The machine: cores, memory and kernel, from `/proc`.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or("?".to_owned(), |kib| {
            format!("{:.0} GiB", kib / 1_048_576.0)
        });
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_default();
    format!("{cores} cores ({cpu}), {memory} memory")
}
