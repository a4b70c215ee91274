//! Reading a SPARQL 1.1 Protocol query request (section 2.1): query via GET, via URL-encoded
//! POST, or via POST directly; the dataset parameters; and the refusals the protocol
//! requires (two queries, wrong media types, non-UTF-8 bodies, updates).

use axum::http::{HeaderMap, Method, StatusCode};

/// What the client asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProtocolRequest {
    /// The query text, if any (none: the client wants the service description or the page).
    pub query: Option<String>,
    /// `default-graph-uri` values.
    pub default_graphs: Vec<String>,
    /// `named-graph-uri` values.
    pub named_graphs: Vec<String>,
    /// The `format` parameter, overriding `Accept`.
    pub format: Option<String>,
}

/// A request the protocol says to refuse, with its status and reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// 400, 403, 405 or 415.
    pub status: StatusCode,
    /// The reason, for the client.
    pub message: String,
}

fn refuse(status: StatusCode, message: impl Into<String>) -> Refusal {
    Refusal {
        status,
        message: message.into(),
    }
}

/// The media type of a header value without its parameters, lower-cased, and its charset.
fn media_type(headers: &HeaderMap) -> Option<(String, Option<String>)> {
    let value = headers
        .get(axum::http::header::CONTENT_TYPE)?
        .to_str()
        .ok()?;
    let mut parts = value.split(';');
    let essence = parts.next()?.trim().to_ascii_lowercase();
    let charset = parts.find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_ascii_lowercase())
    });
    Some((essence, charset))
}

fn utf8(body: &[u8], what: &str) -> Result<String, Refusal> {
    String::from_utf8(body.to_vec())
        .map_err(|_| refuse(StatusCode::BAD_REQUEST, format!("the {what} is not UTF-8")))
}

impl ProtocolRequest {
    /// Reads a request; `raw_query` is the URL's query string.
    pub fn read(
        method: &Method,
        raw_query: Option<&str>,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Self, Refusal> {
        let mut pairs: Vec<(String, String)> =
            form_urlencoded::parse(raw_query.unwrap_or("").as_bytes())
                .into_owned()
                .collect();
        let mut direct_query = None;
        if *method == Method::POST {
            match media_type(headers) {
                Some((essence, _)) if essence == "application/x-www-form-urlencoded" => {
                    let text = utf8(body, "form body")?;
                    pairs.extend(form_urlencoded::parse(text.as_bytes()).into_owned());
                }
                Some((essence, charset)) if essence == "application/sparql-query" => {
                    if charset.as_deref().is_some_and(|c| c != "utf-8") {
                        return Err(refuse(
                            StatusCode::UNSUPPORTED_MEDIA_TYPE,
                            "a query posted directly must be UTF-8 (charset=utf-8)",
                        ));
                    }
                    direct_query = Some(utf8(body, "query")?);
                }
                Some((essence, _)) if essence == "application/sparql-update" => {
                    return Err(refuse(
                        StatusCode::FORBIDDEN,
                        "this endpoint is read-only: SPARQL Update is not accepted",
                    ));
                }
                Some((essence, _)) => {
                    return Err(refuse(
                        StatusCode::UNSUPPORTED_MEDIA_TYPE,
                        format!("cannot read a `{essence}` body: post `application/x-www-form-urlencoded` or `application/sparql-query`"),
                    ));
                }
                None => {
                    return Err(refuse(
                        StatusCode::UNSUPPORTED_MEDIA_TYPE,
                        "a POST needs a Content-Type: `application/x-www-form-urlencoded` or `application/sparql-query`",
                    ));
                }
            }
        } else if *method != Method::GET && *method != Method::HEAD {
            return Err(refuse(
                StatusCode::METHOD_NOT_ALLOWED,
                format!("{method} is not a SPARQL query operation: use GET or POST"),
            ));
        }
        if pairs.iter().any(|(name, _)| name == "update") {
            return Err(refuse(
                StatusCode::FORBIDDEN,
                "this endpoint is read-only: SPARQL Update is not accepted",
            ));
        }
        let mut request = ProtocolRequest::default();
        let mut queries = Vec::new();
        queries.extend(direct_query);
        for (name, value) in pairs {
            match name.as_str() {
                "query" => queries.push(value),
                "default-graph-uri" => request.default_graphs.push(value),
                "named-graph-uri" => request.named_graphs.push(value),
                "format" | "output" => request.format = Some(value),
                _ => {} // other parameters (a cache buster, a client's own) are ignored
            }
        }
        if queries.len() > 1 {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                "more than one query: send exactly one `query`",
            ));
        }
        request.query = queries.pop();
        if request.query.is_none() && *method == Method::POST {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                "no query: send a `query` parameter or an `application/sparql-query` body",
            ));
        }
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(content_type: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::header::CONTENT_TYPE,
            HeaderValue::from_str(content_type).expect("valid"),
        );
        headers
    }

    #[test]
    fn the_three_ways_of_sending_a_query_are_read() {
        let get = ProtocolRequest::read(
            &Method::GET,
            Some("query=ASK%20%7B%7D&default-graph-uri=http%3A%2F%2Fa%2F"),
            &HeaderMap::new(),
            b"",
        )
        .expect("valid");
        assert_eq!(get.query.as_deref(), Some("ASK {}"));
        assert_eq!(get.default_graphs, vec!["http://a/".to_owned()]);
        let form = ProtocolRequest::read(
            &Method::POST,
            None,
            &headers("application/x-www-form-urlencoded"),
            b"query=ASK%20%7B%7D",
        )
        .expect("valid");
        assert_eq!(form.query.as_deref(), Some("ASK {}"));
        let direct = ProtocolRequest::read(
            &Method::POST,
            Some("named-graph-uri=http%3A%2F%2Fb%2F"),
            &headers("application/sparql-query"),
            b"ASK {}",
        )
        .expect("valid");
        assert_eq!(
            (direct.query.as_deref(), direct.named_graphs.len()),
            (Some("ASK {}"), 1)
        );
    }

    #[test]
    fn what_the_protocol_forbids_is_refused() {
        let status = |r: Result<ProtocolRequest, Refusal>| r.expect_err("refused").status;
        assert_eq!(
            status(ProtocolRequest::read(
                &Method::PUT,
                Some("query=ASK%20%7B%7D"),
                &HeaderMap::new(),
                b""
            )),
            StatusCode::METHOD_NOT_ALLOWED
        );
        assert_eq!(
            status(ProtocolRequest::read(
                &Method::GET,
                Some("query=ASK%20%7B%7D&query=ASK%20%7B%7D"),
                &HeaderMap::new(),
                b""
            )),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status(ProtocolRequest::read(
                &Method::POST,
                None,
                &headers("text/plain"),
                b"ASK {}"
            )),
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
        assert_eq!(
            status(ProtocolRequest::read(
                &Method::POST,
                None,
                &HeaderMap::new(),
                b"query=ASK%20%7B%7D"
            )),
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
        assert_eq!(
            status(ProtocolRequest::read(
                &Method::POST,
                None,
                &headers("application/sparql-query; charset=UTF-16"),
                b"\xff\xfeA\0"
            )),
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
        assert_eq!(
            status(ProtocolRequest::read(
                &Method::POST,
                None,
                &headers("application/sparql-update"),
                b"CLEAR ALL"
            )),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            status(ProtocolRequest::read(
                &Method::GET,
                Some("update=CLEAR%20ALL"),
                &HeaderMap::new(),
                b""
            )),
            StatusCode::FORBIDDEN
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            #[test]
            fn any_request_is_read_or_refused_with_a_4xx(
                method in prop::sample::select(vec!["GET", "POST", "PUT", "HEAD", "DELETE"]),
                raw in "\\PC{0,80}",
                content_type in prop::sample::select(vec![
                    "", "application/x-www-form-urlencoded", "application/sparql-query",
                    "application/sparql-query; charset=latin1", "application/sparql-update",
                    "text/plain", "multipart/form-data; boundary=x", ";;;", "application/x-www-form-urlencoded;charset",
                ]),
                body in prop::collection::vec(any::<u8>(), 0..120),
            ) {
                let method = Method::from_bytes(method.as_bytes()).expect("method");
                let mut headers = HeaderMap::new();
                if !content_type.is_empty() {
                    headers.insert(
                        axum::http::header::CONTENT_TYPE,
                        HeaderValue::from_str(content_type).expect("valid"),
                    );
                }
                if let Err(refusal) = ProtocolRequest::read(&method, Some(&raw), &headers, &body) {
                    prop_assert!(refusal.status.is_client_error(), "{refusal:?}");
                    prop_assert!(!refusal.message.is_empty());
                }
            }
        }
    }
}
