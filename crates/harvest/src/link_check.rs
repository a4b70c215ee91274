//! Checking the access and download URLs of records (the MQA's two reachability indicators):
//! one `HEAD` per URL (a `GET` of the first byte when the server does not allow `HEAD`),
//! redirects not followed (a 3xx counts as reachable, as its target may be a host the
//! operator did not allow), only to the hosts the source's `[source.link_check]` names,
//! one request at a time per host with a pause between two, a few hosts at once.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use ldtcat_config::{HostPattern, LinkCheckConfig};
use ldtcat_model::{LinkCheck, LinkOutcome, COULD_NOT_CONNECT, TIMED_OUT};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use url::Url;

use crate::fetch::USER_AGENT;
use crate::policy::is_loopback_or_private;
use crate::HarvestError;

/// Hosts checked at the same time.
pub const HOSTS_AT_ONCE: usize = 4;

/// Statuses after which the check is made again with `GET` (servers that refuse `HEAD`).
const HEAD_REFUSED: [u16; 3] = [403, 405, 501];

/// Checks URLs as one source's `[source.link_check]` allows.
pub struct LinkChecker {
    client: reqwest::Client,
    config: LinkCheckConfig,
}

impl LinkChecker {
    /// A checker for `config`.
    pub fn new(config: LinkCheckConfig) -> Result<LinkChecker, HarvestError> {
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(config.timeout)
            .timeout(config.timeout)
            .build()
            .map_err(|error| HarvestError::Config {
                source_id: String::new(),
                message: format!("cannot build the HTTP client: {error}"),
            })?;
        Ok(LinkChecker { client, config })
    }

    /// The configuration in force.
    pub fn config(&self) -> &LinkCheckConfig {
        &self.config
    }

    /// `Ok` with the parsed URL when it may be checked, else why not.
    pub fn allowed(&self, url: &str) -> Result<Url, String> {
        let parsed = Url::parse(url).map_err(|error| format!("not a URL: {error}"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!("scheme `{}` is not checked", parsed.scheme()));
        }
        let Some(host) = parsed.host_str().map(str::to_ascii_lowercase) else {
            return Err("no host".to_owned());
        };
        let port = parsed.port_or_known_default();
        let private = is_loopback_or_private(&parsed);
        let allowed = self.config.hosts.iter().any(|pattern| match pattern {
            HostPattern::Exact { host: h, port: p } => {
                *h == host && p.is_none_or(|p| Some(p) == port)
            }
            HostPattern::Subdomains(domain) => {
                !private
                    && host.len() > domain.len()
                    && host.ends_with(domain.as_str())
                    && host.as_bytes()[host.len() - domain.len() - 1] == b'.'
            }
            HostPattern::AnyPublic => !private,
        });
        if allowed {
            Ok(parsed)
        } else if private {
            Err(format!(
                "{host} is a loopback or private address that link_check.hosts does not name"
            ))
        } else {
            Err(format!("{host} is not among link_check.hosts"))
        }
    }

    /// Checks every URL (all of them allowed, see [`LinkChecker::allowed`]): per host one at
    /// a time, [`LinkCheckConfig::delay`] apart, [`HOSTS_AT_ONCE`] hosts at once. Returns
    /// each URL's check with its time, in no particular order.
    pub async fn check_all(&self, urls: Vec<Url>) -> Vec<(LinkCheck, DateTime<Utc>)> {
        let mut by_host: BTreeMap<(String, u16), Vec<Url>> = BTreeMap::new();
        for url in urls {
            let key = (
                url.host_str().unwrap_or_default().to_ascii_lowercase(),
                url.port_or_known_default().unwrap_or(0),
            );
            by_host.entry(key).or_default().push(url);
        }
        let slots = Arc::new(Semaphore::new(HOSTS_AT_ONCE));
        let mut tasks = JoinSet::new();
        for (_, urls) in by_host {
            let client = self.client.clone();
            let delay = self.config.delay;
            let slots = Arc::clone(&slots);
            tasks.spawn(async move {
                let Ok(_slot) = slots.acquire_owned().await else {
                    return Vec::new();
                };
                check_host(&client, urls, delay).await
            });
        }
        let mut checks = Vec::new();
        while let Some(done) = tasks.join_next().await {
            if let Ok(host_checks) = done {
                checks.extend(host_checks);
            }
        }
        checks
    }
}

/// The URLs of one host, one after the other, `delay` between the start of one request and
/// the next.
async fn check_host(
    client: &reqwest::Client,
    urls: Vec<Url>,
    delay: Duration,
) -> Vec<(LinkCheck, DateTime<Utc>)> {
    let mut checks = Vec::with_capacity(urls.len());
    let mut next = tokio::time::Instant::now();
    for url in urls {
        let mut outcome = None;
        for method in [reqwest::Method::HEAD, reqwest::Method::GET] {
            tokio::time::sleep_until(next).await;
            next = tokio::time::Instant::now() + delay;
            let found = request(client, &url, method).await;
            let retry = matches!(found, LinkOutcome::Status(s) if HEAD_REFUSED.contains(&s));
            outcome = Some(found);
            if !retry {
                break;
            }
        }
        let at = Utc::now();
        if let Some(outcome) = outcome {
            checks.push((
                LinkCheck {
                    url: url.to_string(),
                    outcome,
                    checked: at.to_rfc3339_opts(SecondsFormat::Secs, true),
                },
                at,
            ));
        }
    }
    checks
}

/// One request; the body of a `GET` is not read beyond its first byte.
async fn request(client: &reqwest::Client, url: &Url, method: reqwest::Method) -> LinkOutcome {
    let mut builder = client.request(method.clone(), url.clone());
    if method == reqwest::Method::GET {
        builder = builder.header(reqwest::header::RANGE, "bytes=0-0");
    }
    match builder.send().await {
        Ok(response) => LinkOutcome::Status(response.status().as_u16()),
        Err(error) if error.is_timeout() => LinkOutcome::Failed(TIMED_OUT.to_owned()),
        Err(error) if error.is_connect() => LinkOutcome::Failed(COULD_NOT_CONNECT.to_owned()),
        Err(error) => LinkOutcome::Failed(format!("request failed: {}", error_chain(&error))),
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checker(hosts: Vec<HostPattern>) -> LinkChecker {
        LinkChecker::new(LinkCheckConfig {
            hosts,
            delay: Duration::ZERO,
            max_urls: 10,
            recheck: Duration::ZERO,
            timeout: Duration::from_secs(1),
        })
        .expect("client")
    }

    #[test]
    fn only_the_named_hosts_and_never_an_unnamed_private_address() {
        let exact = |host: &str, port| HostPattern::Exact {
            host: host.to_owned(),
            port,
        };
        let any = checker(vec![HostPattern::AnyPublic]);
        assert!(any.allowed("https://data.gent.be/a.csv").is_ok());
        for private in [
            "http://127.0.0.1/a",
            "http://localhost:8080/a",
            "http://10.1.2.3/a",
            "http://192.168.0.1/a",
            "http://[::1]/a",
        ] {
            let refused = any.allowed(private).expect_err(private);
            assert!(refused.contains("loopback or private"), "{refused}");
        }
        assert!(any.allowed("ftp://data.gent.be/a").is_err());
        assert!(any.allowed("not a url").is_err());

        let named = checker(vec![
            HostPattern::Subdomains("gent.be".into()),
            exact("127.0.0.1", Some(8080)),
            exact("data.stad.gent", None),
        ]);
        assert!(named.allowed("https://data.gent.be/x").is_ok());
        assert!(named.allowed("https://a.b.gent.be/x").is_ok());
        assert!(named.allowed("https://gent.be/x").is_err());
        assert!(named.allowed("https://evilgent.be/x").is_err());
        assert!(named.allowed("http://127.0.0.1:8080/x").is_ok());
        assert!(named.allowed("http://127.0.0.1:8081/x").is_err());
        assert!(named.allowed("https://DATA.stad.gent:8443/x").is_ok());
        assert!(named.allowed("https://other.org/x").is_err());
    }
}
