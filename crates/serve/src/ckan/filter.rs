//! CKAN's `fq` (and the `field:value` parts of `q`), the subset of Solr's query syntax that
//! CKAN clients send: clauses `field:value`, `field:"quoted value"`, `field:(a OR b)`,
//! `metadata_modified:[X TO Y]`, each optionally `+` (required, the default: CKAN sets
//! `q.op=AND`) or `-` / `NOT` (excluded), joined by spaces or `AND`; `a OR b` on one field.
//! Fields are CKAN's names; what they stand for in ldtcat's index is decided by the caller.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// One `field:value` condition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Clause {
    /// The field, as written (`organization`, `tags`, `extras_ldt_kind`).
    pub field: String,
    /// The alternatives (`a OR b`), unescaped.
    pub values: Vec<String>,
    /// `-field:value`.
    pub negated: bool,
    /// For `[X TO Y]`: the bounds (`None` for `*`), inclusive or not.
    pub range: Option<DateRange>,
}

/// A range of times.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct DateRange {
    /// The lower bound (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// The upper bound (inclusive).
    pub to: Option<DateTime<Utc>>,
}

/// The clauses of an `fq`, or what is wrong with it.
pub(crate) fn parse_filter(text: &str) -> Result<Vec<Clause>, String> {
    let mut parser = Parser {
        chars: text.chars().collect(),
        at: 0,
    };
    let mut clauses: Vec<Clause> = Vec::new();
    let mut join_next = false;
    loop {
        parser.skip_spaces();
        let Some(word) = parser.peek_word() else {
            break;
        };
        match word.as_str() {
            "AND" | "&&" => {
                parser.at += word.chars().count();
                continue;
            }
            "OR" | "||" => {
                if clauses.is_empty() {
                    return Err("`OR` without a clause before it".to_owned());
                }
                parser.at += word.chars().count();
                join_next = true;
                continue;
            }
            _ => {}
        }
        let clause = parser.clause()?;
        if join_next {
            join_next = false;
            let Some(previous) = clauses.last_mut() else {
                return Err("`OR` without a clause before it".to_owned());
            };
            merge_alternative(previous, clause)?;
        } else {
            clauses.push(clause);
        }
    }
    if join_next {
        return Err("`OR` without a clause after it".to_owned());
    }
    Ok(clauses)
}

/// `a:x OR a:y` is `a:(x OR y)`; an OR across fields, negations or ranges is refused.
fn merge_alternative(previous: &mut Clause, next: Clause) -> Result<(), String> {
    if previous.field != next.field
        || previous.negated
        || next.negated
        || previous.range.is_some()
        || next.range.is_some()
    {
        return Err(format!(
            "`OR` is supported between values of one field, not between `{}` and `{}` clauses",
            previous.field, next.field
        ));
    }
    previous.values.extend(next.values);
    Ok(())
}

/// Splits `q` into its free text and the `field:value` clauses of `is_filter_field`;
/// `*:*` is dropped and a prefix like `title:` or `text:` is dropped from its words.
pub(crate) fn split_query(
    q: &str,
    is_filter_field: impl Fn(&str) -> bool,
) -> Result<(String, Vec<Clause>), String> {
    let mut parser = Parser {
        chars: q.chars().collect(),
        at: 0,
    };
    let mut text = String::new();
    let mut clauses = Vec::new();
    loop {
        parser.skip_spaces();
        if parser.at >= parser.chars.len() {
            break;
        }
        let start = parser.at;
        let sign = parser.sign();
        let field = parser.field_name();
        match field {
            Some(field) if is_filter_field(&field) => {
                parser.at = start;
                clauses.push(parser.clause()?);
            }
            Some(field) if field == "*" && parser.peek() == Some('*') => {
                parser.at += 1;
            }
            Some(_) => {
                // a text field prefix (title:, notes:, text:): search the words everywhere
                if sign == Some('-') {
                    text.push('-');
                }
                text.push_str(&parser.raw_value());
                text.push(' ');
            }
            None => {
                parser.at = start;
                text.push_str(&parser.raw_value());
                text.push(' ');
            }
        }
    }
    Ok((text.trim().to_owned(), clauses))
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn peek_word(&self) -> Option<String> {
        let word: String = self.chars[self.at..]
            .iter()
            .take_while(|c| !c.is_whitespace())
            .collect();
        (!word.is_empty()).then_some(word)
    }

    fn sign(&mut self) -> Option<char> {
        match self.peek() {
            Some(c @ ('+' | '-')) => {
                self.at += 1;
                Some(c)
            }
            _ if self.chars[self.at..].starts_with(&['N', 'O', 'T', ' ']) => {
                self.at += 4;
                self.skip_spaces();
                Some('-')
            }
            _ => None,
        }
    }

    /// `name:` (consumed with its colon), if the text here starts with one.
    fn field_name(&mut self) -> Option<String> {
        let start = self.at;
        let name: String = self.chars[self.at..]
            .iter()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '*'))
            .collect();
        let after = start + name.chars().count();
        if name.is_empty() || self.chars.get(after) != Some(&':') {
            return None;
        }
        self.at = after + 1;
        Some(name)
    }

    fn clause(&mut self) -> Result<Clause, String> {
        let negated = self.sign() == Some('-');
        let start = self.at;
        let Some(field) = self.field_name() else {
            let word: String = self.chars[start..]
                .iter()
                .take_while(|c| !c.is_whitespace())
                .collect();
            return Err(format!("expected `field:value`, found `{word}`"));
        };
        let mut clause = Clause {
            field,
            values: Vec::new(),
            negated,
            range: None,
        };
        match self.peek() {
            Some('[' | '{') => clause.range = Some(self.range()?),
            Some('(') => clause.values = self.group()?,
            Some(_) if !self.peek().is_some_and(char::is_whitespace) => {
                clause.values.push(self.value()?)
            }
            _ => return Err(format!("`{}:` has no value", clause.field)),
        }
        Ok(clause)
    }

    /// `(a OR b OR "c d")`.
    fn group(&mut self) -> Result<Vec<String>, String> {
        self.at += 1;
        let mut values = Vec::new();
        loop {
            self.skip_spaces();
            match self.peek() {
                None => return Err("a `(` is not closed".to_owned()),
                Some(')') => {
                    self.at += 1;
                    break;
                }
                _ => {}
            }
            let value = self.value()?;
            if value != "OR" && value != "||" {
                values.push(value);
            }
        }
        if values.is_empty() {
            return Err("an empty `()` group".to_owned());
        }
        Ok(values)
    }

    /// A quoted or bare value, unescaped.
    fn value(&mut self) -> Result<String, String> {
        if self.peek() == Some('"') {
            self.at += 1;
            let mut value = String::new();
            loop {
                match self.peek() {
                    None => return Err("a `\"` is not closed".to_owned()),
                    Some('"') => {
                        self.at += 1;
                        return Ok(value);
                    }
                    Some('\\') => {
                        self.at += 1;
                        value.extend(self.peek());
                    }
                    Some(c) => value.push(c),
                }
                self.at += 1;
            }
        }
        let mut value = String::new();
        while let Some(c) = self.peek() {
            match c {
                '\\' => {
                    self.at += 1;
                    value.extend(self.peek());
                }
                ')' => break,
                '(' | '[' | ']' | '{' | '}' | '"' => {
                    return Err(format!("unexpected `{c}` in a value"));
                }
                c if c.is_whitespace() => break,
                c => value.push(c),
            }
            self.at += 1;
        }
        Ok(value)
    }

    /// The raw text of a word, phrase or group, for free text.
    fn raw_value(&mut self) -> String {
        let start = self.at;
        let mut depth = 0usize;
        let mut quoted = false;
        while let Some(c) = self.peek() {
            match c {
                '"' => quoted = !quoted,
                '(' if !quoted => depth += 1,
                ')' if !quoted => depth = depth.saturating_sub(1),
                c if c.is_whitespace() && !quoted && depth == 0 => break,
                _ => {}
            }
            self.at += 1;
        }
        self.chars[start..self.at].iter().collect()
    }

    /// `[X TO Y]`, `{X TO Y}` or a mix; `*` is open.
    fn range(&mut self) -> Result<DateRange, String> {
        let inclusive_from = self.peek() == Some('[');
        self.at += 1;
        let close = self.chars[self.at..]
            .iter()
            .position(|c| *c == ']' || *c == '}')
            .ok_or("a range is not closed")?;
        let inclusive_to = self.chars[self.at + close] == ']';
        let inner: String = self.chars[self.at..self.at + close].iter().collect();
        self.at += close + 1;
        let parts: Vec<&str> = inner.split_whitespace().collect();
        let [from, "TO", to] = parts[..] else {
            return Err(format!("expected `[X TO Y]`, found `[{inner}]`"));
        };
        let from = parse_bound(from)?.map(|time| {
            if inclusive_from {
                time
            } else {
                time + chrono::Duration::seconds(1)
            }
        });
        let to = parse_bound(to)?.map(|time| {
            if inclusive_to {
                time
            } else {
                time - chrono::Duration::seconds(1)
            }
        });
        Ok(DateRange { from, to })
    }
}

/// A Solr date (`2024-05-01T10:00:00Z`, fractions and no offset allowed), `NOW`, a date,
/// or `*`.
fn parse_bound(text: &str) -> Result<Option<DateTime<Utc>>, String> {
    let text = text.trim();
    if text == "*" {
        return Ok(None);
    }
    if text == "NOW" {
        return Ok(Some(Utc::now()));
    }
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(Some(time.with_timezone(&Utc)));
    }
    let bare = text.trim_end_matches('Z');
    if let Ok(time) = NaiveDateTime::parse_from_str(bare, "%Y-%m-%dT%H:%M:%S%.f") {
        return Ok(Some(time.and_utc()));
    }
    if let Ok(date) = NaiveDate::parse_from_str(bare, "%Y-%m-%d") {
        return Ok(date.and_hms_opt(0, 0, 0).map(|time| time.and_utc()));
    }
    Err(format!(
        "`{text}` is not a date (expected 2024-05-01T10:00:00Z, a date, NOW or *)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(field: &str, values: &[&str], negated: bool) -> Clause {
        Clause {
            field: field.to_owned(),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
            negated,
            range: None,
        }
    }

    #[test]
    fn the_forms_clients_send_parse() -> Result<(), String> {
        assert_eq!(
            parse_filter(r#"+organization:city tags:"air quality" -groups:envi"#)?,
            vec![
                clause("organization", &["city"], false),
                clause("tags", &["air quality"], false),
                clause("groups", &["envi"], true),
            ]
        );
        assert_eq!(
            parse_filter("organization:a OR organization:b AND res_format:(CSV OR \"JSON\")")?,
            vec![
                clause("organization", &["a", "b"], false),
                clause("res_format", &["CSV", "JSON"], false)
            ]
        );
        assert_eq!(
            parse_filter(r"license_id:http\://x.org/l")?,
            vec![clause("license_id", &["http://x.org/l"], false)]
        );
        let ranged = parse_filter("metadata_modified:[2024-05-01T10:00:00.123456Z TO *]")?;
        let range = ranged[0].range.ok_or("a range")?;
        assert_eq!(
            range.from.map(|t| t.to_rfc3339()),
            Some("2024-05-01T10:00:00.123456+00:00".to_owned())
        );
        assert_eq!(range.to, None);
        assert!(parse_filter("")?.is_empty());
        Ok(())
    }

    #[test]
    fn malformed_filters_say_why() {
        for bad in [
            "tags:(a OR b",
            "tags:\"open",
            "organization:",
            "just words",
            "a:x OR b:y",
            "metadata_modified:[yesterday TO *]",
            "metadata_modified:[2024-01-01 TO",
            "OR tags:a",
            "tags:a OR",
        ] {
            assert!(parse_filter(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn q_keeps_its_text_and_gives_up_its_filters() -> Result<(), String> {
        let is_filter = |field: &str| field == "tags" || field == "organization";
        let (text, clauses) = split_query("title:air \"no2 sensor\" tags:pm10 -x *:*", is_filter)?;
        assert_eq!(text, "air \"no2 sensor\" -x");
        assert_eq!(clauses, vec![clause("tags", &["pm10"], false)]);
        assert_eq!(split_query("*:*", is_filter)?, (String::new(), Vec::new()));
        Ok(())
    }
}
