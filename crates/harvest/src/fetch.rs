//! One HTTP(S) or `file:` fetch: streaming, with a byte cap, a timeout, decompression
//! (gzip, deflate, brotli), conditional requests, a redirect policy and ldtcat's User-Agent.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::StatusCode;
use url::Url;

use crate::body::{BodyCollector, PageBody};
use crate::kinds::{PageRequest, RequestMethod};
use crate::policy::HostPolicy;
use crate::HarvestError;

/// The User-Agent of every request.
pub const USER_AGENT: &str = concat!(
    "ldtcat/",
    env!("CARGO_PKG_VERSION"),
    " (+https://w3id.org/ldtcat; harvester)"
);

/// At most this many redirects are followed.
const MAX_REDIRECTS: usize = 5;

/// Per-request settings.
#[derive(Debug, Clone)]
pub struct RequestSettings {
    /// The `Accept` header.
    pub accept: String,
    /// Whole-request timeout (connection, headers and body).
    pub timeout: Duration,
    /// Largest body accepted (after decompression).
    pub max_bytes: u64,
    /// An extra header (authentication), name and value.
    pub auth_header: Option<(String, String)>,
}

/// Validators of a previous answer, for a conditional request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// `ETag`.
    pub etag: Option<String>,
    /// `Last-Modified`.
    pub last_modified: Option<String>,
}

impl Validators {
    /// Whether there is nothing to send.
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// A fetched body with what the server said about it.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL after redirects.
    pub url: Url,
    /// `Content-Type`, if any.
    pub content_type: Option<String>,
    /// Validators for the next conditional request.
    pub validators: Validators,
    /// The `Link` header values, as sent (see [`crate::link`]).
    pub links: Vec<String>,
    /// The body.
    pub body: PageBody,
    /// Its size in bytes (after decompression).
    pub bytes: u64,
}

/// The result of a fetch.
#[derive(Debug, Clone)]
pub enum FetchOutcome {
    /// A body (boxed: the other variant is empty).
    Body(Box<Fetched>),
    /// `304 Not Modified` to a conditional request.
    NotModified,
}

/// An HTTP client bound to a host policy; cheap to clone.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    policy: Arc<HostPolicy>,
}

impl Fetcher {
    /// A client that contacts only what `policy` allows, redirects included.
    pub fn new(policy: HostPolicy) -> Result<Fetcher, HarvestError> {
        let policy = Arc::new(policy);
        let redirect_policy = policy.clone();
        let redirect = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= MAX_REDIRECTS {
                return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
            }
            match redirect_policy.check(attempt.url()) {
                Ok(()) => attempt.follow(),
                Err(reason) => {
                    let message = format!("redirect to {} refused: {reason}", attempt.url());
                    attempt.error(message)
                }
            }
        });
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .redirect(redirect)
            .connect_timeout(Duration::from_secs(20))
            .gzip(true)
            .deflate(true)
            .brotli(true)
            .build()
            .map_err(|error| HarvestError::Config {
                source_id: String::new(),
                message: format!("cannot build the HTTP client: {error}"),
            })?;
        Ok(Fetcher { client, policy })
    }

    /// The policy in force.
    pub fn policy(&self) -> &HostPolicy {
        &self.policy
    }

    /// Fetches `url` (GET). A `file:` URL is read in place.
    pub async fn get(
        &self,
        url: &Url,
        settings: &RequestSettings,
        validators: Option<&Validators>,
    ) -> Result<FetchOutcome, HarvestError> {
        self.send(&PageRequest::get(url.clone()), settings, validators)
            .await
    }

    /// Sends `request` (GET or POST). A `file:` URL is read in place (GET only).
    pub async fn send(
        &self,
        request: &PageRequest,
        settings: &RequestSettings,
        validators: Option<&Validators>,
    ) -> Result<FetchOutcome, HarvestError> {
        let url = &request.url;
        self.policy
            .check(url)
            .map_err(|reason| HarvestError::Refused {
                url: url.to_string(),
                reason,
            })?;
        if url.scheme() == "file" {
            if request.method != RequestMethod::Get {
                return Err(HarvestError::Refused {
                    url: url.to_string(),
                    reason: "a local file can only be read".to_owned(),
                });
            }
            return local_file(url, settings);
        }
        let mut headers = HeaderMap::new();
        if let Ok(accept) = HeaderValue::from_str(&settings.accept) {
            headers.insert(reqwest::header::ACCEPT, accept);
        }
        if let Some((name, value)) = &settings.auth_header {
            let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) else {
                return Err(HarvestError::Config {
                    source_id: String::new(),
                    message: format!("invalid authentication header `{name}`"),
                });
            };
            headers.insert(name, value);
        }
        if let Some(validators) = validators {
            if let Some(etag) = validators.etag.as_deref().and_then(header_value) {
                headers.insert(reqwest::header::IF_NONE_MATCH, etag);
            }
            if let Some(date) = validators.last_modified.as_deref().and_then(header_value) {
                headers.insert(reqwest::header::IF_MODIFIED_SINCE, date);
            }
        }
        let builder = match &request.method {
            RequestMethod::Get => self.client.get(url.clone()),
            RequestMethod::Post { body, content_type } => {
                if let Ok(value) = HeaderValue::from_str(content_type) {
                    headers.insert(reqwest::header::CONTENT_TYPE, value);
                }
                self.client.post(url.clone()).body(body.clone())
            }
        };
        let response = builder
            .headers(headers)
            .timeout(settings.timeout)
            .send()
            .await
            .map_err(|error| transport_error(url, &error, settings))?;
        receive(url, response, settings).await
    }
}

fn header_value(text: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(text).ok()
}

async fn receive(
    url: &Url,
    mut response: reqwest::Response,
    settings: &RequestSettings,
) -> Result<FetchOutcome, HarvestError> {
    let final_url = response.url().clone();
    if response.status() == StatusCode::NOT_MODIFIED {
        return Ok(FetchOutcome::NotModified);
    }
    if !response.status().is_success() {
        let status = response.status().as_u16();
        let detail = error_detail(status, response).await;
        return Err(HarvestError::Status {
            url: final_url.to_string(),
            status,
            detail,
        });
    }
    let header = |name: reqwest::header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header(reqwest::header::CONTENT_TYPE);
    let links: Vec<String> = response
        .headers()
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_owned)
        .collect();
    let validators = Validators {
        etag: header(reqwest::header::ETAG),
        last_modified: header(reqwest::header::LAST_MODIFIED),
    };
    let too_large = || HarvestError::TooLarge {
        url: final_url.to_string(),
        max_bytes: settings.max_bytes,
    };
    // Content-Length is the compressed size when the body is compressed: only a hint.
    let compressed = response
        .headers()
        .contains_key(reqwest::header::CONTENT_ENCODING);
    if !compressed && response.content_length().unwrap_or(0) > settings.max_bytes {
        return Err(too_large());
    }
    let mut collector = BodyCollector::default();
    loop {
        let chunk = response
            .chunk()
            .await
            .map_err(|error| transport_error(url, &error, settings))?;
        let Some(chunk) = chunk else { break };
        if collector.len() + chunk.len() as u64 > settings.max_bytes {
            return Err(too_large());
        }
        collector.push(&chunk).map_err(|source| HarvestError::Io {
            url: final_url.to_string(),
            source,
        })?;
    }
    let bytes = collector.len();
    let body = collector.finish().map_err(|source| HarvestError::Io {
        url: final_url.to_string(),
        source,
    })?;
    Ok(FetchOutcome::Body(Box::new(Fetched {
        url: final_url,
        content_type,
        validators,
        links,
        body,
        bytes,
    })))
}

/// The bytes of an error answer read to say what went wrong, at most.
const ERROR_BODY_BYTES: usize = 4_096;

/// What an error answer says, briefly: the `reason`, `message` or `error` of a JSON body (a
/// DSP `CatalogError`, a CKAN or ldtcat error), else the first line of a short text; for 401
/// and 403, a hint at the credentials.
async fn error_detail(status: u16, mut response: reqwest::Response) -> Option<String> {
    let mut body = Vec::new();
    while body.len() < ERROR_BODY_BYTES {
        match tokio::time::timeout(Duration::from_secs(5), response.chunk()).await {
            Ok(Ok(Some(chunk))) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    body.truncate(ERROR_BODY_BYTES);
    let said = said_in(&body);
    let hint = matches!(status, 401 | 403).then_some(
        "the credentials were refused or missing: see the source's options.auth_header and options.auth_env",
    );
    match (said, hint) {
        (Some(said), Some(hint)) => Some(format!("{said}; {hint}")),
        (Some(said), None) => Some(said),
        (None, hint) => hint.map(str::to_owned),
    }
}

fn said_in(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let short = |s: &str| s.chars().take(300).collect::<String>();
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
        for key in ["reason", "message", "error"] {
            match json.get(key) {
                Some(serde_json::Value::String(s)) => return Some(short(s)),
                Some(serde_json::Value::Array(items)) => {
                    let parts: Vec<&str> = items.iter().filter_map(|i| i.as_str()).collect();
                    if !parts.is_empty() {
                        return Some(short(&parts.join("; ")));
                    }
                }
                _ => {}
            }
        }
        return None;
    }
    if text.starts_with('<') {
        return None; // HTML or XML: nothing short to quote
    }
    text.lines().next().map(short)
}

fn local_file(url: &Url, settings: &RequestSettings) -> Result<FetchOutcome, HarvestError> {
    let path = url.to_file_path().map_err(|()| HarvestError::Refused {
        url: url.to_string(),
        reason: "not a local path".to_owned(),
    })?;
    let metadata = std::fs::metadata(&path).map_err(|source| HarvestError::Io {
        url: url.to_string(),
        source,
    })?;
    if metadata.len() > settings.max_bytes {
        return Err(HarvestError::TooLarge {
            url: url.to_string(),
            max_bytes: settings.max_bytes,
        });
    }
    Ok(FetchOutcome::Body(Box::new(Fetched {
        url: url.clone(),
        content_type: None,
        validators: Validators::default(),
        links: Vec::new(),
        body: PageBody::Local(path),
        bytes: metadata.len(),
    })))
}

fn transport_error(url: &Url, error: &reqwest::Error, settings: &RequestSettings) -> HarvestError {
    if error.is_timeout() {
        return HarvestError::Timeout {
            url: url.to_string(),
            seconds: settings.timeout.as_secs().max(1),
        };
    }
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    if error.is_redirect() {
        return HarvestError::Refused {
            url: error.url().map_or_else(|| url.to_string(), Url::to_string),
            reason: message,
        };
    }
    HarvestError::Transport {
        url: url.to_string(),
        message,
    }
}
