//! Revalidation of what harvesters, browsers and proxies read again and again: record pages
//! and their RDF, `/catalog` and `/feed` pages, search pages and the search API. Each `200`
//! answer to `GET` or `HEAD` on those routes gets a strong `ETag` computed from its bytes
//! (so it changes exactly when the answer does: a record, a label, a link check, the
//! interface's language or version), a `Cache-Control` chosen per route, and `Vary` naming
//! every request header that chose the answer; a request whose `If-None-Match` names the
//! current tag is answered `304 Not Modified` without a body.
//!
//! They also get a `Last-Modified`: when this server first gave the answer now given to the
//! same request (URL, `Accept`, `Accept-Language`, whether compressed), kept in a bounded map
//! per router by [`ChangeTimes`]. A request without `If-None-Match` whose `If-Modified-Since` is that
//! time or later is answered `304` as well. Every change of an answer moves its time at least
//! a second on (even two changes in one second, so that a client holding the first is not
//! told the second is the same); an answer the map has forgotten, or first given since a
//! restart, is dated from then, which only costs a client one full answer.
//!
//! `Cache-Control` (documented in the README):
//! - records, catalogue and feed pages, searches: `public, no-cache`: any cache may keep
//!   them, and asks again with the tag before reusing them (an answer changes with every
//!   harvest, so none is fresh for a fixed time);
//! - the static assets set their own (`assets.rs`, a day).
//!
//! The tag is computed after the answer is built: a `304` saves the transfer, not the work.
//!
//! The same answers are compressed (`gzip` or `br`, as `Accept-Encoding` asks; tower-http's
//! [`compression`] layer, which [`Compressible`] lets through): to a request that accepts a
//! compression, the tag is weak (`W/"…"`), since the bytes then depend on the encoding too
//! (and weak tags are what `If-None-Match` compares anyway).

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::{Body, HttpBody as _};
use axum::extract::Request;
use axum::http::{header, Extensions, HeaderMap, HeaderValue, Method, StatusCode, Version};
use axum::middleware::Next;
use axum::response::Response;
use lru::LruCache;
use sha2::{Digest, Sha256};
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;

/// Answers larger than this are passed on without a tag (none is, today: a `/catalog` page
/// of the largest size is a few MB).
pub const MAX_TAGGED_BYTES: u64 = 32 << 20;

/// The `Cache-Control` of the routes whose answers get a tag; `None`: not revalidated here.
fn cache_control(path: &str) -> Option<&'static str> {
    let revalidated = path.starts_with("/resources/")
        || path == "/catalog"
        || path.starts_with("/catalog.")
        || path == "/feed"
        || path.starts_with("/feed.")
        || path == "/search"
        || path == "/api/search";
    revalidated.then_some("public, no-cache")
}

/// Marks an answer the [`compression`] layer may compress (set by [`revalidate`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Compressible;

/// The compression of the answers [`revalidate`] tagged (at least 256 bytes: smaller ones
/// gain nothing).
pub(crate) fn compression() -> CompressionLayer<impl Predicate> {
    let tagged = |_: StatusCode, _: Version, _: &HeaderMap, extensions: &Extensions| {
        extensions.get::<Compressible>().is_some()
    };
    CompressionLayer::new()
        .gzip(true)
        .br(true)
        .compress_when(SizeAbove::new(256).and(tagged))
}

/// Whether the request accepts a compression the [`compression`] layer gives.
fn accepts_compression(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            !refused && (name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("br"))
        })
}

/// How many answers [`ChangeTimes`] remembers (least recently asked forgotten first).
const REMEMBERED_ANSWERS: usize = 100_000;

/// When each answer of one router last changed, by what chose it: the URL and the request
/// headers that pick a representation.
pub(crate) struct ChangeTimes {
    answers: Mutex<LruCache<String, (String, SystemTime)>>,
}

impl ChangeTimes {
    /// The map of one router ([`crate::router`] makes it).
    pub(crate) fn new() -> ChangeTimes {
        ChangeTimes::with_capacity(REMEMBERED_ANSWERS)
    }

    fn with_capacity(capacity: usize) -> ChangeTimes {
        let capacity = NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN);
        ChangeTimes {
            answers: Mutex::new(LruCache::new(capacity)),
        }
    }

    /// The `Last-Modified` of the answer tagged `tag` to the request `key`, `now`: the time
    /// it was first given, or now if it differs from the last one given (whole seconds, at
    /// least a second after the last one's).
    fn last_modified(&self, key: String, tag: &str, now: SystemTime) -> SystemTime {
        let now = whole_seconds(now);
        let Ok(mut answers) = self.answers.lock() else {
            return now;
        };
        match answers.get_mut(&key) {
            Some((seen, since)) if seen == tag => *since,
            Some(entry) => {
                let changed = now.max(entry.1 + Duration::from_secs(1));
                *entry = (tag.to_owned(), changed);
                changed
            }
            None => {
                answers.put(key, (tag.to_owned(), now));
                now
            }
        }
    }
}

/// A time to the second below (what an HTTP date says).
fn whole_seconds(time: SystemTime) -> SystemTime {
    let seconds = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    UNIX_EPOCH + Duration::from_secs(seconds)
}

/// What picks an answer: the URL and the negotiated headers.
fn answer_key(request: &Request, weak: bool) -> String {
    let header_text = |name| {
        request
            .headers()
            .get_all(name)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .collect::<Vec<_>>()
            .join(",")
    };
    format!(
        "{} {weak}\n{}\n{}",
        request.uri(),
        header_text(header::ACCEPT),
        header_text(header::ACCEPT_LANGUAGE)
    )
}

/// The middleware; see the module doc. `times` is the router's [`ChangeTimes`].
pub(crate) async fn revalidate(times: Arc<ChangeTimes>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let policy = cache_control(request.uri().path());
    let (Some(policy), true) = (policy, method == Method::GET || method == Method::HEAD) else {
        return next.run(request).await;
    };
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let if_modified_since = request
        .headers()
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| httpdate::parse_http_date(value).ok());
    let weak = accepts_compression(request.headers());
    let key = answer_key(&request, weak);
    let response = next.run(request).await;
    if response.status() != StatusCode::OK || response.headers().contains_key(header::ETAG) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Some(size) = body
        .size_hint()
        .exact()
        .filter(|size| *size <= MAX_TAGGED_BYTES)
    else {
        return Response::from_parts(parts, body);
    };
    let bytes = match axum::body::to_bytes(body, usize::try_from(size).unwrap_or(usize::MAX)).await
    {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::warn!("cannot read an answer to tag it: {error}");
            return Response::builder()
                .status(StatusCode::INTERNAL_SERVER_ERROR)
                .body(Body::empty())
                .unwrap_or_default();
        }
    };
    let tag = entity_tag(&bytes);
    let sent_tag = if weak {
        format!("W/{tag}")
    } else {
        tag.clone()
    };
    parts.extensions.insert(Compressible);
    let headers = &mut parts.headers;
    if let Ok(value) = HeaderValue::from_str(&sent_tag) {
        headers.insert(header::ETAG, value);
    }
    let last_modified = times.last_modified(key, &tag, SystemTime::now());
    if let Ok(value) = HeaderValue::from_str(&httpdate::fmt_http_date(last_modified)) {
        headers.insert(header::LAST_MODIFIED, value);
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        // Pages are in the language `Accept-Language` asks for (unless `?lang=` says).
        add_vary(headers, "Accept-Language");
    }
    // The compression layer says it on what it compresses; the 304 must say it too.
    add_vary(headers, "Accept-Encoding");
    // If-Modified-Since counts only without If-None-Match (RFC 9110 § 13.2.2).
    let not_modified = match if_none_match {
        Some(value) => matches_any(&value, &tag),
        None => if_modified_since.is_some_and(|since| last_modified <= since),
    };
    if not_modified {
        let mut not_modified = Response::new(Body::empty());
        *not_modified.status_mut() = StatusCode::NOT_MODIFIED;
        for name in [
            header::ETAG,
            header::LAST_MODIFIED,
            header::CACHE_CONTROL,
            header::VARY,
            header::CONTENT_LOCATION,
            header::EXPIRES,
            header::LINK,
        ] {
            for value in parts.headers.get_all(&name) {
                not_modified
                    .headers_mut()
                    .append(name.clone(), value.clone());
            }
        }
        return not_modified;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A strong entity tag of `bytes`: the first 128 bits of their SHA-256, in hex, quoted.
pub fn entity_tag(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Whether an `If-None-Match` value names `tag` (`*`, or a list of tags compared weakly, as
/// RFC 9110 § 13.1.2 says for this header).
fn matches_any(value: &HeaderValue, tag: &str) -> bool {
    let Ok(text) = value.to_str() else {
        return false;
    };
    let text = text.trim();
    text == "*"
        || text
            .split(',')
            .map(|candidate| candidate.trim())
            .map(|candidate| candidate.strip_prefix("W/").unwrap_or(candidate))
            .any(|candidate| candidate == tag)
}

/// Adds `name` to the `Vary` header unless it is there.
fn add_vary(headers: &mut HeaderMap, name: &'static str) {
    let present = headers.get_all(header::VARY).iter().any(|value| {
        value
            .to_str()
            .unwrap_or("")
            .split(',')
            .any(|v| v.trim().eq_ignore_ascii_case(name) || v.trim() == "*")
    });
    if !present {
        headers.append(header::VARY, HeaderValue::from_static(name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_tags_weakly_and_accepts_a_list_or_a_star() {
        let tag = entity_tag(b"hello");
        assert_eq!(tag.len(), 34);
        let value = |text: &str| HeaderValue::from_str(text).expect("header");
        assert!(matches_any(&value(&tag), &tag));
        assert!(matches_any(&value(&format!("\"x\", W/{tag}")), &tag));
        assert!(matches_any(&value("*"), &tag));
        assert!(!matches_any(&value("\"x\""), &tag));
        assert!(!matches_any(&value(&entity_tag(b"hello!")), &tag));
    }

    #[test]
    fn an_answer_is_dated_from_its_last_change_and_every_change_moves_the_date_on() {
        let times = ChangeTimes::with_capacity(2);
        let at = |seconds: u64| UNIX_EPOCH + Duration::from_millis(seconds * 1000 + 300);
        let key = || "page".to_owned();
        assert_eq!(
            times.last_modified(key(), "a", at(100)),
            at(100) - Duration::from_millis(300)
        );
        // The same answer keeps its date.
        assert_eq!(
            times
                .last_modified(key(), "a", at(150))
                .duration_since(UNIX_EPOCH)
                .ok(),
            Some(Duration::from_secs(100))
        );
        // Another answer is dated now; two changes in one second are a second apart.
        let b = times.last_modified(key(), "b", at(200));
        let c = times.last_modified(key(), "c", at(200));
        assert_eq!(c.duration_since(b).ok(), Some(Duration::from_secs(1)));
        // Back to an earlier answer: still a change.
        assert!(times.last_modified(key(), "a", at(200)) > c);
        // Forgotten (capacity 2): dated from when it is given again.
        times.last_modified("other".to_owned(), "x", at(300));
        times.last_modified("third".to_owned(), "y", at(300));
        assert_eq!(
            times
                .last_modified(key(), "a", at(400))
                .duration_since(UNIX_EPOCH)
                .ok(),
            Some(Duration::from_secs(400))
        );
    }

    #[test]
    fn only_the_read_interfaces_are_revalidated() {
        assert!(cache_control("/resources/abc").is_some());
        assert!(cache_control("/catalog.ttl").is_some());
        assert!(cache_control("/feed").is_some());
        assert!(cache_control("/api/search").is_some());
        assert!(cache_control("/sparql").is_none());
        assert!(cache_control("/admin/harvest/x").is_none());
        assert!(cache_control("/assets/site.css").is_none());
    }
}
