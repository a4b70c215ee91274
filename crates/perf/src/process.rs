//! Running the real `ldtcat` binary: a harvest run with its wall time and peak resident
//! memory (VmHWM, read from `/proc` while it runs), and a server with its cold start (process
//! start to the first answered request) and resident memory.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// The `ldtcat` binary and the data directory it works on.
#[derive(Debug, Clone)]
pub struct Ldtcat {
    /// The binary.
    pub binary: PathBuf,
    /// `--data-dir`.
    pub data_dir: PathBuf,
}

/// A finished command.
#[derive(Debug, Clone)]
pub struct Finished {
    /// Wall time.
    pub seconds: f64,
    /// Peak resident memory, MiB.
    pub peak_rss_mib: f64,
    /// Standard output.
    pub stdout: String,
}

/// A process's peak resident memory (VmHWM) in MiB, if it is still there.
pub fn peak_rss_mib(pid: u32) -> Option<f64> {
    status_kib(pid, "VmHWM:").map(|kib| kib / 1024.0)
}

/// The first child of process `parent` (waits up to 10 s for it to appear), else `parent`.
fn wait_for_child_of(parent: u32) -> u32 {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        let children = std::fs::read_to_string(format!("/proc/{parent}/task/{parent}/children"))
            .unwrap_or_default();
        if let Some(pid) = children
            .split_whitespace()
            .next()
            .and_then(|p| p.parse().ok())
        {
            return pid;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    parent
}

fn status_kib(pid: u32, key: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

impl Ldtcat {
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.binary);
        command
            .arg("--data-dir")
            .arg(&self.data_dir)
            .args(args)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null());
        command
    }

    /// Runs `ldtcat harvest <source>` with `config_dir`; fails unless it exits 0. With
    /// `profile`, `perf record` samples the process into that file while it runs.
    pub fn harvest(
        &self,
        source: &str,
        config_dir: &Path,
        profile: Option<&Path>,
    ) -> Result<Finished> {
        let config = config_dir.to_string_lossy().into_owned();
        let mut command = self.command(&["harvest", source, "--harvest-config", &config]);
        if let Some(file) = profile {
            // perf starts ldtcat itself, so that every thread it ever makes is sampled.
            let program = command.get_program().to_owned();
            let args: Vec<std::ffi::OsString> = command.get_args().map(ToOwned::to_owned).collect();
            let mut wrapped = Command::new("perf");
            wrapped
                .args(["record", "-F", "499", "-g", "-o"])
                .arg(file)
                .arg("--")
                .arg(program)
                .args(args)
                .env("RUST_LOG", "warn")
                .stdin(Stdio::null());
            command = wrapped;
        }
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let started = Instant::now();
        let child = command.spawn().context("starting ldtcat harvest")?;
        let pid = if profile.is_some() {
            wait_for_child_of(child.id())
        } else {
            child.id()
        };
        // VmHWM only grows: the last reading before the exit is the peak, to one interval.
        let watcher = std::thread::spawn(move || {
            let mut peak = 0.0f64;
            while let Some(value) = peak_rss_mib(pid) {
                peak = peak.max(value);
                std::thread::sleep(Duration::from_millis(20));
            }
            peak
        });
        let output = child.wait_with_output()?;
        let seconds = started.elapsed().as_secs_f64();
        let peak_rss_mib = watcher.join().unwrap_or(f64::NAN);
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        if !output.status.success() {
            bail!(
                "ldtcat harvest failed ({}): {}{}",
                output.status,
                stdout,
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(Finished {
            seconds,
            peak_rss_mib,
            stdout,
        })
    }

    /// Starts `ldtcat serve` on `port` with an empty harvest configuration and waits for its
    /// first answer; returns the server and its cold start.
    pub fn serve(&self, port: u16, empty_config: &Path) -> Result<(Server, Duration)> {
        let bind = format!("127.0.0.1:{port}");
        let config = empty_config.to_string_lossy().into_owned();
        let mut command = self.command(&["serve", "--bind", &bind, "--harvest-config", &config]);
        command
            .env("LDTCAT_PUBLIC_URL", format!("http://{bind}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let started = Instant::now();
        let child = command.spawn().context("starting ldtcat serve")?;
        let server = Server {
            child,
            base: format!("http://{bind}"),
        };
        let probe = format!("{}/healthz", server.base);
        loop {
            if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
                use std::io::{Read, Write};
                let request =
                    format!("GET /healthz HTTP/1.1\r\nHost: {bind}\r\nConnection: close\r\n\r\n");
                if stream.write_all(request.as_bytes()).is_ok() {
                    let mut answer = String::new();
                    let _ = stream.read_to_string(&mut answer);
                    if answer.starts_with("HTTP/1.1 200") {
                        return Ok((server, started.elapsed()));
                    }
                }
            }
            if started.elapsed() > Duration::from_secs(120) {
                bail!("{probe} did not answer within 120 s");
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

/// A running `ldtcat serve`, stopped when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:port`.
    pub base: String,
}

impl Server {
    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free loopback port.
pub fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// The size of a file or folder on disk, in MiB.
pub fn disk_mib(path: &Path) -> f64 {
    fn walk(path: &Path) -> u64 {
        let Ok(metadata) = std::fs::symlink_metadata(path) else {
            return 0;
        };
        if metadata.is_file() {
            return metadata.len();
        }
        std::fs::read_dir(path)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| walk(&e.path()))
                    .sum()
            })
            .unwrap_or(0)
    }
    walk(path) as f64 / (1024.0 * 1024.0)
}
