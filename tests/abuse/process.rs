//! A real `ldtcat serve` process on loopback, measured from outside: its CPU time and
//! resident memory from `/proc`, its exit after a signal.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ldtcat::catalog::Catalog;

/// The repository root.
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The reference data beside the checkout (`../shared/data`), or `LDTCAT_SHARED_DATA`.
fn shared_data() -> PathBuf {
    if let Ok(dir) = std::env::var("LDTCAT_SHARED_DATA") {
        return PathBuf::from(dir);
    }
    repo_root().join("../shared/data")
}

/// Imports the real catalogues (Antwerp's and Statbel's exports) and the demo federation's
/// five files, each as its own source; returns the number of records.
pub fn import_real_catalogues(data_dir: &Path) -> u64 {
    let catalog = Catalog::open(data_dir).expect("opens the catalogue");
    let mut files: Vec<(String, PathBuf)> = ["antwerpen-datatank-2015.ttl", "statbel-subset.ttl"]
        .iter()
        .map(|name| {
            let path = shared_data().join("catalogues").join(name);
            assert!(
                path.exists(),
                "{} is missing (see ../shared/data)",
                path.display()
            );
            (name.trim_end_matches(".ttl").to_owned(), path)
        })
        .collect();
    let demo = repo_root().join("harvest-config/demo-data");
    for entry in std::fs::read_dir(&demo).expect("demo data") {
        let path = entry.expect("entry").path();
        let name = path
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        files.push((name, path));
    }
    let mut records = 0;
    for (source, path) in files {
        let summary = ldtcat::import::import_files(&catalog, &[path], &source, None, None, &|_| {})
            .expect("imports");
        records += summary.totals.added;
    }
    records
}

/// The clock ticks of `/proc/*/stat` per second.
fn ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8_lossy(&out.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

/// A running `ldtcat serve`.
pub struct ServeProcess {
    child: Child,
    /// Where it listens.
    pub address: SocketAddr,
    log: Arc<Mutex<String>>,
    ticks: f64,
}

impl ServeProcess {
    /// Starts `ldtcat serve` on a free loopback port over `data_dir`, with `config_dir` as
    /// its harvest configuration and `args` added; waits until it listens.
    pub fn start(data_dir: &Path, config_dir: &Path, args: &[&str]) -> ServeProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ldtcat"))
            .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .arg("--harvest-config")
            .arg(config_dir)
            .args(args)
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ldtcat serve starts");
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().expect("stderr");
        let stderr_log = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = stderr_log.lock().expect("log");
                log.push_str(&line);
                log.push('\n');
            }
        });
        let stdout = child.stdout.take().expect("stdout");
        let (found, listening) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(address) = line.strip_prefix("ldtcat is serving on http://") {
                    let _ = found.send(address.trim().to_owned());
                }
            }
        });
        let address = listening
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("ldtcat serve did not start: {}", log.lock().expect("log")));
        ServeProcess {
            address: address.parse().expect("address"),
            child,
            log,
            ticks: ticks_per_second(),
        }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// An absolute URL on the server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// What the server logged so far.
    pub fn log(&self) -> String {
        self.log.lock().map(|log| log.clone()).unwrap_or_default()
    }

    /// The CPU time (user and system) the process has used, in seconds.
    pub fn cpu_seconds(&self) -> f64 {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).unwrap_or_default();
        // Fields after the command name (which may contain spaces) in parentheses.
        let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let fields: Vec<&str> = after.split_whitespace().collect();
        let ticks = |index: usize| fields.get(index).and_then(|f| f.parse::<f64>().ok());
        // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
        match (ticks(11), ticks(12)) {
            (Some(user), Some(system)) => (user + system) / self.ticks,
            _ => f64::NAN,
        }
    }

    /// The CPU time used during `window`, starting now.
    pub fn cpu_during(&self, window: Duration) -> f64 {
        let before = self.cpu_seconds();
        std::thread::sleep(window);
        self.cpu_seconds() - before
    }

    /// The resident memory (VmRSS), in MiB.
    pub fn rss_mib(&self) -> f64 {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kib| kib / 1024.0)
    }

    /// Sends SIGTERM and waits for the exit; returns the time to exit and whether the exit
    /// status was success. Panics if the process is still there after `wait_at_most`.
    pub fn terminate(&mut self, wait_at_most: Duration) -> (Duration, bool) {
        let signalled = Instant::now();
        let sent = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("the `kill` command runs (procps)");
        assert!(sent.success(), "kill -TERM failed");
        loop {
            if let Some(status) = self.child.try_wait().expect("waits") {
                return (signalled.elapsed(), status.success());
            }
            if signalled.elapsed() > wait_at_most {
                let _ = self.child.kill();
                panic!(
                    "ldtcat serve still runs {wait_at_most:?} after SIGTERM: {}",
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
