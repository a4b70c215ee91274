//! Which URLs the harvester may contact: the origins of the configured sources, nothing
//! else. A paging link or a redirect to another host, or to a loopback or private address
//! that no source names, is refused and reported. (The check is on the URL; a configured
//! host name that resolves to a private address is the operator's choice.)

use std::collections::BTreeSet;
use std::net::IpAddr;

use url::{Host, Url};

/// The set of origins the harvester may contact.
#[derive(Debug, Clone, Default)]
pub struct HostPolicy {
    origins: BTreeSet<(String, u16)>,
}

impl HostPolicy {
    /// A policy allowing the origins of `urls` (`file:` URLs are always allowed).
    pub fn for_urls<'a>(urls: impl IntoIterator<Item = &'a Url>) -> HostPolicy {
        let mut policy = HostPolicy::default();
        for url in urls {
            policy.allow(url);
        }
        policy
    }

    /// Allows the origin of `url`.
    pub fn allow(&mut self, url: &Url) {
        if let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) {
            self.origins.insert((host.to_ascii_lowercase(), port));
        }
    }

    /// `Ok` when `url` may be contacted, else the reason it may not.
    pub fn check(&self, url: &Url) -> Result<(), String> {
        match url.scheme() {
            "file" => return Ok(()),
            "http" | "https" => {}
            other => return Err(format!("scheme `{other}` is not harvested")),
        }
        let Some(host) = url.host_str().map(str::to_ascii_lowercase) else {
            return Err("no host".to_owned());
        };
        let port = url.port_or_known_default().unwrap_or(0);
        if self.origins.contains(&(host.clone(), port)) {
            return Ok(());
        }
        // An upgrade to HTTPS on the same host is fine.
        let same_host = self.origins.iter().any(|(h, _)| *h == host);
        if same_host && url.scheme() == "https" && port == 443 {
            return Ok(());
        }
        if is_loopback_or_private(url) {
            return Err(format!(
                "{host}:{port} is a loopback or private address no source is configured with"
            ));
        }
        Err(format!(
            "{host}:{port} is not the host of a configured source"
        ))
    }
}

pub(crate) fn is_loopback_or_private(url: &Url) -> bool {
    let ip = match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
        Some(Host::Domain(name)) => {
            let name = name.to_ascii_lowercase();
            return name == "localhost" || name.ends_with(".localhost");
        }
        None => return false,
    };
    match ip {
        IpAddr::V4(ip) => {
            ip.is_loopback() || ip.is_private() || ip.is_link_local() || ip.is_unspecified()
        }
        IpAddr::V6(ip) => {
            ip.is_loopback() || ip.is_unspecified() || (ip.segments()[0] & 0xfe00) == 0xfc00
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).expect("url")
    }

    #[test]
    fn only_configured_origins_and_https_upgrades_pass() {
        let policy = HostPolicy::for_urls([&url("http://data.example.org/catalog")]);
        assert!(policy
            .check(&url("http://data.example.org/catalog?page=2"))
            .is_ok());
        assert!(policy.check(&url("https://data.example.org/x")).is_ok());
        let other = policy
            .check(&url("http://evil.example.com/"))
            .expect_err("other");
        assert!(other.contains("not the host"), "{other}");
        let private = policy
            .check(&url("http://192.168.1.1/"))
            .expect_err("private");
        assert!(private.contains("private"), "{private}");
        assert!(policy.check(&url("http://localhost:8080/")).is_err());
        assert!(policy.check(&url("ftp://data.example.org/")).is_err());
    }
}
