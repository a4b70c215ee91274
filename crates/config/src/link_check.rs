//! A source's link check (`[source.link_check]`): whether the harvester checks the access and
//! download URLs of the source's records after each run (the two MQA reachability
//! indicators), which hosts it may send those requests to, and how politely.
//!
//! ```toml
//! [source.link_check]
//! enabled = true
//! hosts = ["data.stad.gent", "*.gent.be"]  # default: the source's own host
//! delay_ms = 1000          # between two requests to one host
//! max_urls = 1000          # per run
//! recheck_hours = 168      # a URL checked more recently is not checked again
//! timeout_seconds = 10     # per request
//! ```

use std::time::Duration;

use serde::Deserialize;
use url::Url;

use crate::harvest::positive;

/// `[source.link_check]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLinkCheck {
    enabled: Option<bool>,
    hosts: Option<Vec<String>>,
    delay_ms: Option<u64>,
    max_urls: Option<u64>,
    recheck_hours: Option<u64>,
    timeout_seconds: Option<u64>,
}

/// Default pause between two requests to one host.
pub const DEFAULT_LINK_DELAY_MS: u64 = 1_000;
/// Default most URLs checked per run.
pub const DEFAULT_LINK_MAX_URLS: u64 = 1_000;
/// Default age under which a URL is not checked again: a week.
pub const DEFAULT_LINK_RECHECK_HOURS: u64 = 168;
/// Default per-request timeout.
pub const DEFAULT_LINK_TIMEOUT_SECONDS: u64 = 10;

/// Which hosts link checks may contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPattern {
    /// This host (any port), or with a port, this host and port. The only pattern that can
    /// name a loopback or private address.
    Exact {
        /// Lowercase host name or address.
        host: String,
        /// The port, when given.
        port: Option<u16>,
    },
    /// `*.example.org`: any host under this domain (not the domain itself).
    Subdomains(String),
    /// `*`: any public host (never a loopback or private address).
    AnyPublic,
}

impl HostPattern {
    fn parse(text: &str) -> Result<HostPattern, String> {
        let text = text.trim().to_ascii_lowercase();
        if text == "*" {
            return Ok(HostPattern::AnyPublic);
        }
        if let Some(domain) = text.strip_prefix("*.") {
            if domain.is_empty() || domain.contains(['*', ':', '/']) {
                return Err(format!("`{text}` is not a host pattern"));
            }
            return Ok(HostPattern::Subdomains(domain.to_owned()));
        }
        // Parsed as the authority of a URL, so that IPv6 addresses and ports are read right.
        let url = Url::parse(&format!("http://{text}/"))
            .map_err(|error| format!("`{text}` is not a host: {error}"))?;
        let (Some(host), true) = (
            url.host_str(),
            url.path() == "/" && url.username().is_empty(),
        ) else {
            return Err(format!("`{text}` is not a host"));
        };
        Ok(HostPattern::Exact {
            host: host.to_owned(),
            port: url.port(),
        })
    }
}

/// A validated link check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkCheckConfig {
    /// The hosts requests may go to.
    pub hosts: Vec<HostPattern>,
    /// Pause between two requests to one host.
    pub delay: Duration,
    /// Most URLs checked per run (the least recently checked first).
    pub max_urls: usize,
    /// A URL checked more recently than this is not checked again.
    pub recheck: Duration,
    /// Per-request timeout.
    pub timeout: Duration,
}

/// Validates `[source.link_check]`: `None` when absent or not enabled. `source_url` gives the
/// default host.
pub(crate) fn validate_link_check(
    raw: Option<RawLinkCheck>,
    source_url: &Url,
) -> Result<Option<LinkCheckConfig>, (&'static str, String)> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    let hosts = match raw.hosts {
        Some(hosts) if hosts.is_empty() => {
            return Err((
                "link_check.hosts",
                "is empty: name the hosts to check (`*` for any public host)".to_owned(),
            ))
        }
        Some(hosts) => hosts
            .iter()
            .map(|text| HostPattern::parse(text))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|message| ("link_check.hosts", message))?,
        None => match source_url.host_str() {
            Some(host) => vec![HostPattern::Exact {
                host: host.to_ascii_lowercase(),
                port: None,
            }],
            None => {
                return Err((
                    "link_check.hosts",
                    "missing: a source read from a file has no host to default to".to_owned(),
                ))
            }
        },
    };
    let config = LinkCheckConfig {
        hosts,
        delay: Duration::from_millis(raw.delay_ms.unwrap_or(DEFAULT_LINK_DELAY_MS)),
        max_urls: usize::try_from(positive(
            raw.max_urls,
            DEFAULT_LINK_MAX_URLS,
            "link_check.max_urls",
        )?)
        .unwrap_or(usize::MAX),
        recheck: Duration::from_secs(
            raw.recheck_hours
                .unwrap_or(DEFAULT_LINK_RECHECK_HOURS)
                .saturating_mul(3600),
        ),
        timeout: Duration::from_secs(positive(
            raw.timeout_seconds,
            DEFAULT_LINK_TIMEOUT_SECONDS,
            "link_check.timeout_seconds",
        )?),
    };
    Ok(raw.enabled.unwrap_or(true).then_some(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(toml_text: &str) -> Result<Option<LinkCheckConfig>, (&'static str, String)> {
        let raw: RawLinkCheck = toml::from_str(toml_text).expect("parses");
        validate_link_check(
            Some(raw),
            &Url::parse("https://data.stad.gent/catalog").expect("url"),
        )
    }

    #[test]
    fn hosts_default_to_the_sources_and_patterns_are_read() {
        let config = parse("").expect("valid").expect("enabled");
        assert_eq!(
            config.hosts,
            [HostPattern::Exact {
                host: "data.stad.gent".into(),
                port: None
            }]
        );
        assert_eq!(config.delay, Duration::from_secs(1));
        assert_eq!(config.max_urls, 1_000);
        let config = parse(r#"hosts = ["*", "*.Gent.be", "127.0.0.1:8080", "[::1]"]"#)
            .expect("valid")
            .expect("enabled");
        assert_eq!(
            config.hosts,
            [
                HostPattern::AnyPublic,
                HostPattern::Subdomains("gent.be".into()),
                HostPattern::Exact {
                    host: "127.0.0.1".into(),
                    port: Some(8080)
                },
                HostPattern::Exact {
                    host: "[::1]".into(),
                    port: None
                },
            ]
        );
        assert_eq!(parse("enabled = false").expect("valid"), None);
    }

    #[test]
    fn bad_values_name_their_key() {
        for (text, key) in [
            ("hosts = []", "link_check.hosts"),
            (r#"hosts = ["*.*"]"#, "link_check.hosts"),
            (r#"hosts = ["gent.be/path"]"#, "link_check.hosts"),
            ("max_urls = 0", "link_check.max_urls"),
            ("timeout_seconds = 0", "link_check.timeout_seconds"),
        ] {
            assert_eq!(parse(text).map_err(|(k, _)| k), Err(key), "{text}");
        }
        assert!(toml::from_str::<RawLinkCheck>("hostz = []").is_err());
    }
}
