//! The engines other catalogues use, run through the Python drivers in `tests/perf/`:
//! rdflib parsing the pages (as ckanext-dcat does), Virtuoso 7 bulk-loading them and
//! answering the suite's SPARQL queries, and the one SPARQL timing client used for both
//! Virtuoso and ldtcat. Each driver writes a JSON file, returned here as a JSON value.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde_json::Value;

/// Where the drivers and the Python interpreter are.
#[derive(Debug, Clone)]
pub struct Drivers {
    /// The Python interpreter (the project's `.venv`, which has rdflib).
    pub python: PathBuf,
    /// `tests/perf/`.
    pub dir: PathBuf,
}

/// What a driver run gave.
pub enum Outcome {
    /// Its JSON.
    Done(Value),
    /// The engine is not installed (`scripts/setup.sh --perf` installs it).
    Unavailable(String),
}

impl Drivers {
    fn run(&self, script: &str, args: &[String], out: &Path) -> Result<Outcome> {
        let output = Command::new(&self.python)
            .arg(self.dir.join(script))
            .args(args)
            .arg("--out")
            .arg(out)
            .output()
            .with_context(|| format!("running {script} with {}", self.python.display()))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        // Exit code 3: the engine is not installed; a missing module: rdflib is not.
        if output.status.code() == Some(3) || stderr.contains("ModuleNotFoundError") {
            return Ok(Outcome::Unavailable(stderr.trim().to_owned()));
        }
        if !output.status.success() {
            bail!("{script} failed ({}): {stderr}", output.status);
        }
        let text = std::fs::read_to_string(out)?;
        Ok(Outcome::Done(serde_json::from_str(&text)?))
    }

    /// rdflib parses `pages` (stopping after `max_seconds`).
    pub fn rdflib_parse(&self, pages: &[PathBuf], max_seconds: f64, out: &Path) -> Result<Outcome> {
        let mut args = vec!["--max-seconds".to_owned(), max_seconds.to_string()];
        args.extend(pages.iter().map(|p| p.to_string_lossy().into_owned()));
        self.run("rdflib_parse.py", &args, out)
    }

    /// Times `queries` (a JSON file) against `endpoint`.
    pub fn sparql(
        &self,
        endpoint: &str,
        queries: &Path,
        repeat: usize,
        out: &Path,
    ) -> Result<Outcome> {
        let args = vec![
            "--endpoint".to_owned(),
            endpoint.to_owned(),
            "--queries".to_owned(),
            queries.to_string_lossy().into_owned(),
            "--repeat".to_owned(),
            repeat.to_string(),
            "--warmup".to_owned(),
            (repeat / 10).max(3).to_string(),
        ];
        self.run("sparql_client.py", &args, out)
    }

    /// Virtuoso bulk-loads the `*.ttl` files of `pages_dir` and answers `queries`.
    pub fn virtuoso(
        &self,
        pages_dir: &Path,
        work: &Path,
        queries: &Path,
        repeat: usize,
        out: &Path,
    ) -> Result<Outcome> {
        let args = vec![
            "bench".to_owned(),
            "--data".to_owned(),
            pages_dir.to_string_lossy().into_owned(),
            "--glob".to_owned(),
            "*.ttl".to_owned(),
            "--graph".to_owned(),
            "http://bench.example/graph".to_owned(),
            "--work".to_owned(),
            work.to_string_lossy().into_owned(),
            "--queries".to_owned(),
            queries.to_string_lossy().into_owned(),
            "--repeat".to_owned(),
            repeat.to_string(),
            "--warmup".to_owned(),
            (repeat / 10).max(3).to_string(),
        ];
        self.run("virtuoso.py", &args, out)
    }
}
