//! Reading a DSP request: the `CatalogRequestMessage` body (its `filter`) and the paging
//! parameters of the URL.
//!
//! The message must be a JSON object with `@type` `CatalogRequestMessage` and an `@context`
//! naming the DSP 2025-1 context (DSP's schema requires both). Its optional `filter` is an
//! array of objects whose members are `/catalog`'s search parameters — `q`, `kind`, `theme`,
//! `publisher`, `format`, `licence`, `source` (a string or an array of strings), `bbox`,
//! `modified_since` — all of them applying together; any other member is a 400.
//!
//! Paging is in the URL, as the `Link` headers give it: `page_size` (1 to 1,000, default
//! 100), and a cursor, `after` or `before` a record id.

use crate::query::{decode_pairs, SearchParams};

use super::error::CatalogError;
use super::jsonld::DSP_CONTEXT;

/// Datasets per page when none is asked for.
pub(crate) const DSP_PAGE_SIZE: usize = 100;
/// The largest page served.
pub(crate) const DSP_MAX_PAGE_SIZE: usize = 1_000;

/// The members a filter object may have.
const FILTER_KEYS: [&str; 9] = [
    "q",
    "kind",
    "theme",
    "publisher",
    "format",
    "licence",
    "source",
    "bbox",
    "modified_since",
];

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Cursor {
    /// The first page.
    #[default]
    Start,
    /// The records after this id.
    After(String),
    /// The records just before this id.
    Before(String),
}

/// The paging parameters of a catalog request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Paging {
    /// Datasets per page.
    pub page_size: usize,
    /// Where the page starts.
    pub cursor: Cursor,
}

/// Reads `page_size`, `after` and `before`; other parameters are ignored.
pub(crate) fn paging(raw_query: Option<&str>) -> Result<Paging, CatalogError> {
    let bad = |message: String| CatalogError::BadRequest(message);
    let pairs = decode_pairs(raw_query.unwrap_or("")).map_err(|e| bad(e.to_string()))?;
    let mut paging = Paging {
        page_size: DSP_PAGE_SIZE,
        cursor: Cursor::Start,
    };
    for (name, value) in pairs {
        match name.as_str() {
            "page_size" => {
                paging.page_size = value
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|size| *size > 0)
                    .ok_or_else(|| {
                        bad(format!(
                            "`page_size`: expected a whole number from 1, got `{value}`"
                        ))
                    })?
                    .min(DSP_MAX_PAGE_SIZE);
            }
            "after" | "before" => {
                let id_ok = !value.is_empty()
                    && value.len() <= 128
                    && value.bytes().all(|b| b.is_ascii_alphanumeric());
                if !id_ok {
                    return Err(bad(format!(
                        "`{name}`: expected a record id, got `{value}`"
                    )));
                }
                if paging.cursor != Cursor::Start {
                    return Err(bad("give one cursor: `after` or `before`".to_owned()));
                }
                paging.cursor = if name == "after" {
                    Cursor::After(value)
                } else {
                    Cursor::Before(value)
                };
            }
            _ => {}
        }
    }
    Ok(paging)
}

/// Reads a `CatalogRequestMessage` into the search it asks for.
pub(crate) fn catalog_request(body: &[u8]) -> Result<SearchParams, CatalogError> {
    let bad = |message: String| CatalogError::BadRequest(message);
    let message: serde_json::Value = serde_json::from_slice(body).map_err(|error| {
        bad(format!(
            "the body is not JSON (line {}, column {}): {error}",
            error.line(),
            error.column()
        ))
    })?;
    let Some(object) = message.as_object() else {
        return Err(bad("a CatalogRequestMessage is a JSON object".to_owned()));
    };
    let type_ok = match object.get("@type") {
        Some(serde_json::Value::String(name)) => [
            "CatalogRequestMessage",
            "dspace:CatalogRequestMessage",
            "https://w3id.org/dspace/2025/1/CatalogRequestMessage",
        ]
        .contains(&name.as_str()),
        _ => false,
    };
    if !type_ok {
        return Err(bad(format!(
            "expected a message of @type CatalogRequestMessage, got {}",
            object
                .get("@type")
                .map_or("none".to_owned(), |t| t.to_string())
        )));
    }
    let context_ok = match object.get("@context") {
        Some(serde_json::Value::String(url)) => url == DSP_CONTEXT,
        Some(serde_json::Value::Array(urls)) => urls.iter().any(|url| url == DSP_CONTEXT),
        _ => false,
    };
    if !context_ok {
        return Err(bad(format!(
            "the message's @context must name {DSP_CONTEXT} (Dataspace Protocol 2025-1)"
        )));
    }
    let mut query = form_urlencoded::Serializer::new(String::new());
    match object.get("filter") {
        None | Some(serde_json::Value::Null) => {}
        Some(serde_json::Value::Array(filters)) => {
            for filter in filters {
                add_filter(&mut query, filter)?;
            }
        }
        Some(_) => return Err(bad("`filter` must be an array".to_owned())),
    }
    let query = query.finish();
    SearchParams::from_query(Some(&query)).map_err(|error| bad(format!("filter: {error}")))
}

fn add_filter(
    query: &mut form_urlencoded::Serializer<'_, String>,
    filter: &serde_json::Value,
) -> Result<(), CatalogError> {
    let bad = |message: String| CatalogError::BadRequest(message);
    let Some(members) = filter.as_object() else {
        return Err(bad(format!(
            "each filter is an object of search parameters ({}), got {filter}",
            FILTER_KEYS.join(", ")
        )));
    };
    for (key, value) in members {
        if !FILTER_KEYS.contains(&key.as_str()) {
            return Err(bad(format!(
                "unknown filter `{key}` (known: {})",
                FILTER_KEYS.join(", ")
            )));
        }
        let values: Vec<String> = match value {
            serde_json::Value::String(text) => vec![text.clone()],
            serde_json::Value::Number(number) => vec![number.to_string()],
            serde_json::Value::Array(items) => items
                .iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect::<Option<_>>()
                .ok_or_else(|| bad(format!("filter `{key}`: expected strings")))?,
            _ => return Err(bad(format!("filter `{key}`: expected a string or strings"))),
        };
        for value in values {
            query.append_pair(key, &value);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(extra: &str) -> String {
        format!(r#"{{"@context": ["{DSP_CONTEXT}"], "@type": "CatalogRequestMessage"{extra}}}"#)
    }

    #[test]
    fn the_shared_example_and_filters_are_read() -> Result<(), CatalogError> {
        let params = catalog_request(message(r#", "filter": []"#).as_bytes())?;
        assert_eq!(params, SearchParams::default());
        let params = catalog_request(
            message(r#", "filter": [{"q": "air", "kind": ["model", "service"]}]"#).as_bytes(),
        )?;
        assert_eq!(params.text, "air");
        assert_eq!(params.filters.len(), 2);
        Ok(())
    }

    #[test]
    fn bad_messages_say_what_is_wrong() {
        for (body, expected) in [
            ("{not json".to_owned(), "not JSON"),
            ("[]".to_owned(), "JSON object"),
            (
                format!(r#"{{"@context": ["{DSP_CONTEXT}"], "@type": "DatasetRequestMessage"}}"#),
                "CatalogRequestMessage",
            ),
            (
                r#"{"@type": "CatalogRequestMessage"}"#.to_owned(),
                "@context",
            ),
            (message(r#", "filter": {"q": "x"}"#), "array"),
            (
                message(r#", "filter": [{"title": "x"}]"#),
                "unknown filter `title`",
            ),
            (message(r#", "filter": [{"kind": "catalogue"}]"#), "`kind`"),
        ] {
            let error = catalog_request(body.as_bytes())
                .err()
                .map(|e| e.to_string());
            assert!(
                error.as_deref().is_some_and(|e| e.contains(expected)),
                "{body}: {error:?}"
            );
        }
    }

    #[test]
    fn paging_reads_one_cursor_and_caps_the_size() -> Result<(), CatalogError> {
        assert_eq!(
            paging(Some("page_size=5000&after=ab12"))?,
            Paging {
                page_size: DSP_MAX_PAGE_SIZE,
                cursor: Cursor::After("ab12".to_owned())
            }
        );
        assert!(paging(Some("after=a&before=b")).is_err());
        assert!(paging(Some("after=a%2Fb")).is_err());
        assert!(paging(Some("page_size=0")).is_err());
        Ok(())
    }
}
