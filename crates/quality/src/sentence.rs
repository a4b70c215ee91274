//! A finding's sentence as a message key with arguments, so that an interface can say it in
//! its visitor's language: the key `missing` with `subject` = `dct:title` and `min` = `1`
//! reads "dct:title is missing (at least 1 required)" with the English [`ENGLISH`] templates,
//! and in French with the server's catalogue (`templates/messages/*.toml`, section
//! `[finding]`, whose English must equal [`ENGLISH`]). Arguments are text (property paths,
//! values, numbers: the same in every language) or nested sentences (`the node`, `an IRI`).

/// One argument of a [`Sentence`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Arg {
    /// Said as it is in every language.
    Text(String),
    /// Said in the reader's language.
    Sentence(Sentence),
}

/// A message key and the values of its `{placeholders}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sentence {
    /// The key (`missing`), a row of [`ENGLISH`].
    pub key: &'static str,
    /// `(placeholder, value)`.
    pub args: Vec<(&'static str, Arg)>,
}

impl Sentence {
    /// A sentence without arguments.
    pub fn new(key: &'static str) -> Sentence {
        Sentence {
            key,
            args: Vec::new(),
        }
    }

    /// Adds a text argument.
    pub fn text(mut self, name: &'static str, value: impl Into<String>) -> Sentence {
        self.args.push((name, Arg::Text(value.into())));
        self
    }

    /// Adds an argument.
    pub fn arg(mut self, name: &'static str, value: Arg) -> Sentence {
        self.args.push((name, value));
        self
    }

    /// Adds a nested sentence.
    pub fn nested(mut self, name: &'static str, value: Sentence) -> Sentence {
        self.args.push((name, Arg::Sentence(value)));
        self
    }

    /// The sentence with `template` giving each key's text (`None`: the English one).
    pub fn render(&self, template: &dyn Fn(&str) -> Option<String>) -> String {
        let mut text = template(self.key).unwrap_or_else(|| english(self.key).to_owned());
        for (name, value) in &self.args {
            let value = match value {
                Arg::Text(text) => text.clone(),
                Arg::Sentence(nested) => nested.render(template),
            };
            text = text.replace(&format!("{{{name}}}"), &value);
        }
        text
    }

    /// The sentence in English.
    pub fn english(&self) -> String {
        self.render(&|_| None)
    }
}

fn english(key: &str) -> &'static str {
    ENGLISH
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, text)| text)
}

/// Every key and its English text.
pub const ENGLISH: &[(&str, &str)] = &[
    ("missing", "{subject} is missing (at least {min} required)"),
    (
        "too_few",
        "{subject} has {count} values (at least {min} required)",
    ),
    (
        "too_many",
        "{subject} has {count} values (at most {max} allowed)",
    ),
    (
        "class",
        "{what} is not a {class} (no rdf:type of that class)",
    ),
    ("datatype", "{what} is not a valid {datatype} literal"),
    ("node_kind", "{what} is not {kind}"),
    ("min_length", "{what} is shorter than {min} characters"),
    ("max_length", "{what} is longer than {max} characters"),
    ("pattern", "{what} does not match {pattern}"),
    (
        "language_in",
        "{what} is not in one of the languages {languages}",
    ),
    (
        "unique_lang",
        "{subject} has more than one value in the language of {value}",
    ),
    ("in", "{what} is not one of the allowed values"),
    ("has_value", "{subject} does not include {required}"),
    ("equals", "{subject} and {other} differ at {value}"),
    ("disjoint", "{what} is also a {other} value"),
    ("node", "{what} does not conform to the required shape"),
    ("and", "{what} does not conform to every required shape"),
    ("or", "{what} conforms to none of the alternatives"),
    ("xone", "{what} does not conform to exactly one alternative"),
    ("not", "{what} conforms to a shape it must not"),
    ("closed", "{property} is not allowed here (closed shape)"),
    ("property", ""),
    ("value_of", "{path} value {value}"),
    ("node_value", "node {value}"),
    ("the_node", "the node"),
    ("a_property", "a property"),
    ("kind_iri", "an IRI"),
    ("kind_blank_node", "a blank node"),
    ("kind_literal", "a literal"),
    ("kind_blank_node_or_iri", "an IRI or a blank node"),
    ("kind_blank_node_or_literal", "a blank node or a literal"),
    ("kind_iri_or_literal", "an IRI or a literal"),
    (
        "ill_typed",
        "{path} value {value} is not a valid {datatype} literal (served corrected)",
    ),
    ("repaired", "{path}: {detail} (served repaired)"),
    (
        "unreachable",
        "{path} {url} could not be reached: {outcome} (checked {checked})",
    ),
    ("http_status", "HTTP {status}"),
    ("timed_out", "timed out"),
    ("could_not_connect", "could not connect"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_nested_sentences_are_said_in_the_same_language() {
        let mut keys: Vec<&str> = ENGLISH.iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), ENGLISH.len());
        let sentence = Sentence::new("node_kind")
            .nested(
                "what",
                Sentence::new("value_of")
                    .text("path", "dct:spatial")
                    .text("value", "_:b0"),
            )
            .nested("kind", Sentence::new("kind_iri"));
        assert_eq!(sentence.english(), "dct:spatial value _:b0 is not an IRI");
        let french = |key: &str| {
            Some(
                match key {
                    "node_kind" => "{what} n'est pas {kind}",
                    "value_of" => "la valeur {value} de {path}",
                    "kind_iri" => "une IRI",
                    _ => return None,
                }
                .to_owned(),
            )
        };
        assert_eq!(
            sentence.render(&french),
            "la valeur _:b0 de dct:spatial n'est pas une IRI"
        );
    }
}
