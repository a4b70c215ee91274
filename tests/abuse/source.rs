//! The loopback source the campaign's harvest reads (synthetic DCAT-AP pages) and the admin
//! call that starts its run, shared by the CI-sized tests and the full-size benchmark.

use std::path::Path;
use std::time::Duration;

use crate::client;
use crate::process::ServeProcess;
use crate::server::{self, Reply};

/// The admin token the campaign's `ldtcat serve` processes are started with.
pub const ADMIN_TOKEN: &str = "admin-secret";

/// A loopback source serving `total` synthetic datasets in pages of `page_size`, each page
/// delayed by `delay`; and the harvest configuration naming it `synthetic`.
pub fn synthetic_source(
    runtime: &tokio::runtime::Runtime,
    config_dir: &Path,
    total: usize,
    page_size: usize,
    delay: Duration,
) -> server::TestServer {
    let source = runtime.block_on(server::start(move |request| {
        let base = request
            .header("host")
            .map(|h| format!("http://{h}"))
            .unwrap_or_default();
        let page = request
            .param("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1);
        let mut reply = Reply::ok(
            "text/turtle",
            ldtcat::synthetic::synthetic_hydra_page(&base, total, page_size, page),
        );
        reply.delay = delay;
        reply
    }));
    std::fs::write(
        config_dir.join("sources.toml"),
        format!(
            "[[source]]\nid = \"synthetic\"\nkind = \"dcat\"\nurl = \"{}\"\n[source.options]\nmax_pages = 100000\nrun_timeout_seconds = 36000\n",
            source.url("/catalog?page=1")
        ),
    )
    .expect("config");
    source
}

/// Starts a run of the `synthetic` source through the admin endpoint.
pub fn start_harvest(server: &ServeProcess) {
    let reply = client::send(
        server.address,
        &format!("POST /admin/harvest/synthetic HTTP/1.1\r\nAuthorization: Bearer {ADMIN_TOKEN}\r\nContent-Length: 0"),
        b"",
    );
    assert_eq!(reply.status, 202, "{}", reply.body);
}
