//! The data dict of an action call, read as CKAN's `_get_request_data` reads it: the URL
//! parameters of a GET (a key given twice becomes a list), or the JSON object of a POST body
//! (a form-encoded body is read like URL parameters); and CKAN's validators on its values
//! (`natural_number_validator`, `asbool`, `convert_to_json_if_string`).

use serde_json::{Map, Value};

use super::envelope::CkanError;
use crate::query::decode_pairs;

/// The parameters of one call.
#[derive(Debug, Default, Clone)]
pub(crate) struct DataDict {
    values: Map<String, Value>,
}

impl DataDict {
    /// From a URL query string (without `?`).
    pub(crate) fn from_query(raw: &str) -> Result<DataDict, CkanError> {
        let pairs = decode_pairs(raw).map_err(|error| CkanError::BadRequest(error.to_string()))?;
        let mut values = Map::new();
        for (name, value) in pairs {
            match values.get_mut(&name) {
                Some(Value::Array(list)) => list.push(Value::String(value)),
                Some(previous) => {
                    let first = previous.take();
                    *previous = Value::Array(vec![first, Value::String(value)]);
                }
                None => {
                    values.insert(name, Value::String(value));
                }
            }
        }
        Ok(DataDict { values })
    }

    /// From a POST body: JSON (an object), or form-encoded pairs.
    pub(crate) fn from_body(
        body: &[u8],
        content_type: Option<&str>,
    ) -> Result<DataDict, CkanError> {
        let is_form =
            content_type.is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(DataDict::default());
        }
        if is_form {
            let text = std::str::from_utf8(body)
                .map_err(|_| CkanError::BadRequest("the form is not UTF-8".to_owned()))?;
            return DataDict::from_query(text.trim());
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(values)) => Ok(DataDict { values }),
            Ok(other) => Err(CkanError::BadRequest(format!(
                "Request data JSON decoded to {other} but it needs to be a dictionary."
            ))),
            Err(error) => Err(CkanError::BadRequest(format!(
                "Error decoding JSON data: {error}"
            ))),
        }
    }

    /// The parameter names given.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    /// A text value (a string, or a number or boolean written out); blank counts as absent.
    pub(crate) fn text(&self, key: &str) -> Option<String> {
        let text = match self.values.get(key)? {
            Value::String(text) => text.clone(),
            Value::Number(number) => number.to_string(),
            Value::Bool(flag) => flag.to_string(),
            Value::Array(items) => match items.last()? {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            },
            _ => return None,
        };
        (!text.trim().is_empty()).then_some(text)
    }

    /// A natural number (0 or more), as `natural_number_validator` accepts it; numbers
    /// past `u64` are `u64::MAX` (callers bound them anyway).
    pub(crate) fn natural(&self, key: &str) -> Result<Option<u64>, CkanError> {
        let Some(text) = self.text(key) else {
            return Ok(None);
        };
        let text = text.trim();
        let digits = text.strip_prefix('+').unwrap_or(text);
        if let Some(negative) = digits.strip_prefix('-') {
            if !negative.is_empty() && negative.bytes().all(|b| b.is_ascii_digit()) {
                return Err(CkanError::invalid(key, "Must be a natural number"));
            }
        }
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CkanError::invalid(key, "Invalid integer"));
        }
        Ok(Some(digits.parse::<u64>().unwrap_or(u64::MAX)))
    }

    /// A boolean as CKAN's `asbool` reads it; anything else is a validation error.
    pub(crate) fn boolean(&self, key: &str) -> Result<Option<bool>, CkanError> {
        if let Some(Value::Bool(flag)) = self.values.get(key) {
            return Ok(Some(*flag));
        }
        let Some(text) = self.text(key) else {
            return Ok(None);
        };
        match text.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "y" | "t" | "1" => Ok(Some(true)),
            "false" | "no" | "off" | "n" | "f" | "0" => Ok(Some(false)),
            _ => Err(CkanError::invalid(
                key,
                format!("String is not true/false: {text:?}"),
            )),
        }
    }

    /// A list of strings: a JSON list, a JSON-encoded list in a string (as `facet.field`
    /// is usually sent), a repeated URL parameter, or one string.
    pub(crate) fn list(&self, key: &str) -> Result<Option<Vec<String>>, CkanError> {
        let value = match self.values.get(key) {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::String(text)) if text.trim_start().starts_with('[') => {
                serde_json::from_str::<Value>(text)
                    .map_err(|_| CkanError::invalid(key, "Could not parse as valid JSON"))?
            }
            Some(value) => value.clone(),
        };
        let items = match value {
            Value::Array(items) => items,
            Value::String(text) => vec![Value::String(text)],
            _ => return Err(CkanError::invalid(key, "Not a list")),
        };
        items
            .into_iter()
            .map(|item| match item {
                Value::String(text) => Ok(text),
                _ => Err(CkanError::invalid(key, "Not a list of strings")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_parameters_and_json_bodies_read_alike() -> Result<(), CkanError> {
        let get = DataDict::from_query("q=air&rows=5&facet.field=tags&facet.field=groups")?;
        let post = DataDict::from_body(
            br#"{"q": "air", "rows": 5, "facet.field": ["tags", "groups"]}"#,
            Some("application/json"),
        )?;
        for data in [get, post] {
            assert_eq!(data.text("q").as_deref(), Some("air"));
            assert_eq!(data.natural("rows")?, Some(5));
            assert_eq!(
                data.list("facet.field")?,
                Some(vec!["tags".to_owned(), "groups".to_owned()])
            );
        }
        let encoded = DataDict::from_query("facet.field=%5B%22tags%22%5D")?;
        assert_eq!(encoded.list("facet.field")?, Some(vec!["tags".to_owned()]));
        Ok(())
    }

    #[test]
    fn bad_values_are_validation_errors() -> Result<(), CkanError> {
        let data =
            DataDict::from_query("rows=-1&start=abc&huge=1000000000000000000000000&flag=maybe")?;
        assert!(matches!(
            data.natural("rows"),
            Err(CkanError::Validation(_))
        ));
        assert!(matches!(
            data.natural("start"),
            Err(CkanError::Validation(_))
        ));
        assert_eq!(data.natural("huge")?, Some(u64::MAX));
        assert!(matches!(
            data.boolean("flag"),
            Err(CkanError::Validation(_))
        ));
        assert!(matches!(
            DataDict::from_body(b"[1]", None),
            Err(CkanError::BadRequest(_))
        ));
        assert!(matches!(
            DataDict::from_body(b"{", None),
            Err(CkanError::BadRequest(_))
        ));
        Ok(())
    }
}
