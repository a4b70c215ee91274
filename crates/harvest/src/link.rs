//! `Link` header values (RFC 8288): the targets of the links with a given relation, resolved
//! against the answer's URL.
//!
//! Written here rather than taken from a crate because the one available splits values on
//! every comma and strips every quote and space, which breaks targets with commas and
//! relation lists (`rel="next last"`). Here a value is a list of `<target>` with
//! `; name=value` parameters (values as tokens or quoted strings with `\` escapes); `rel` is a
//! space-separated list compared case-insensitively, and only its first occurrence in a link
//! counts, as the RFC says.

use url::Url;

/// One link: its target as written and its relation types.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Link {
    target: String,
    relations: Vec<String>,
}

/// The targets of the links whose relations include `relation`, in order, resolved against
/// `base`; a target that is not a URL reference is skipped.
pub fn link_targets(values: &[String], relation: &str, base: &Url) -> Vec<Url> {
    values
        .iter()
        .flat_map(|value| parse_links(value))
        .filter(|link| {
            link.relations
                .iter()
                .any(|r| r.eq_ignore_ascii_case(relation))
        })
        .filter_map(|link| base.join(&link.target).ok())
        .collect()
}

/// The links of one header value; what cannot be read ends the value.
fn parse_links(value: &str) -> Vec<Link> {
    let mut links = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
        let Some(after_open) = rest.strip_prefix('<') else {
            return links;
        };
        let Some(close) = after_open.find('>') else {
            return links;
        };
        let target = after_open[..close].trim().to_owned();
        rest = &after_open[close + 1..];
        let mut relations: Option<Vec<String>> = None;
        loop {
            rest = rest.trim_start();
            let Some(after_semicolon) = rest.strip_prefix(';') else {
                break;
            };
            let (name, value, remaining) = parameter(after_semicolon);
            rest = remaining;
            if name.eq_ignore_ascii_case("rel") && relations.is_none() {
                relations = Some(value.split_whitespace().map(str::to_owned).collect());
            }
        }
        links.push(Link {
            target,
            relations: relations.unwrap_or_default(),
        });
        if !rest.trim_start().starts_with(',') {
            return links;
        }
    }
}

/// One `name[=value]` parameter: its name, its value (unquoted) and what follows.
fn parameter(text: &str) -> (String, String, &str) {
    let text = text.trim_start();
    let name_end = text
        .find(|c: char| c == '=' || c == ';' || c == ',' || c.is_whitespace())
        .unwrap_or(text.len());
    let name = text[..name_end].to_owned();
    let rest = text[name_end..].trim_start();
    let Some(rest) = rest.strip_prefix('=') else {
        return (name, String::new(), rest);
    };
    let rest = rest.trim_start();
    if let Some(quoted) = rest.strip_prefix('"') {
        let mut value = String::new();
        let mut chars = quoted.char_indices();
        while let Some((at, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, escaped)) = chars.next() {
                        value.push(escaped);
                    }
                }
                '"' => return (name, value, &quoted[at + 1..]),
                other => value.push(other),
            }
        }
        return (name, value, "");
    }
    let end = rest
        .find(|c: char| c == ';' || c == ',' || c.is_whitespace())
        .unwrap_or(rest.len());
    (name, rest[..end].to_owned(), &rest[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://connector.example.org/api/catalog/request").expect("url")
    }

    fn targets(values: &[&str], relation: &str) -> Vec<String> {
        let values: Vec<String> = values.iter().map(|v| (*v).to_owned()).collect();
        link_targets(&values, relation, &base())
            .into_iter()
            .map(|url| url.to_string())
            .collect()
    }

    #[test]
    fn next_and_previous_are_found_among_several_links_and_values() {
        let value = r#"<https://connector.example.org/api/catalog/request?continuationToken=a,b>; rel="next", <?page=1>; rel=previous"#;
        assert_eq!(
            targets(&[value], "next"),
            ["https://connector.example.org/api/catalog/request?continuationToken=a,b"]
        );
        assert_eq!(
            targets(&[value], "previous"),
            ["https://connector.example.org/api/catalog/request?page=1"]
        );
        assert_eq!(
            targets(
                &[
                    "<a>; rel=\"first\"",
                    "<b>; title=\"x; y, z\"; rel=\"NEXT last\""
                ],
                "next"
            ),
            ["https://connector.example.org/api/catalog/b"]
        );
    }

    #[test]
    fn malformed_values_give_what_was_read_before_the_fault() {
        assert!(targets(&["garbage; rel=next"], "next").is_empty());
        assert!(targets(&["<unclosed; rel=next"], "next").is_empty());
        assert_eq!(
            targets(&["<x>; rel=next, junk <y>; rel=next"], "next"),
            ["https://connector.example.org/api/catalog/x"]
        );
        assert!(targets(&["<x>; rel=nextish"], "next").is_empty());
        assert_eq!(
            targets(&["<x>; rel=\"next\"; rel=\"prev\""], "next"),
            ["https://connector.example.org/api/catalog/x"]
        );
    }
}
