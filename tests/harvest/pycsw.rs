//! A real pycsw (`tests/python/pycsw_server.py`, installed by `scripts/setup.sh --test`)
//! serving records loaded from folders of XML files, on a free loopback port; stopped when
//! dropped.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The Python with pycsw: `LDTCAT_PYCSW_PYTHON`, else the checkout's `.venv-pycsw` (pycsw
/// needs an older OWSLib than the other test tools, so it has its own environment).
pub fn python() -> PathBuf {
    let python = std::env::var("LDTCAT_PYCSW_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo_root().join(".venv-pycsw/bin/python"));
    assert!(
        python.exists(),
        "{} is missing: run scripts/setup.sh --test (or scripts/test.sh) first",
        python.display()
    );
    python
}

/// A running pycsw.
pub struct Pycsw {
    /// The CSW endpoint, `http://127.0.0.1:{port}/csw`.
    pub csw: String,
    /// How many records pycsw loaded.
    pub records: u64,
    child: Child,
    _home: tempfile::TempDir,
}

impl Drop for Pycsw {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Pycsw {
    /// Starts pycsw with the records of `folders`.
    pub fn start(folders: &[&Path]) -> Pycsw {
        let home = tempfile::tempdir().expect("tempdir");
        let mut child = Command::new(python())
            .arg(repo_root().join("tests/python/pycsw_server.py"))
            .arg(home.path())
            .args(folders)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("pycsw starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("reads");
        let ready: serde_json::Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("pycsw did not start ({e}): {line:?}"));
        let port = ready["port"].as_u64().expect("port");
        Pycsw {
            csw: format!("http://127.0.0.1:{port}/csw"),
            records: ready["records"].as_u64().expect("records"),
            child,
            _home: home,
        }
    }
}
