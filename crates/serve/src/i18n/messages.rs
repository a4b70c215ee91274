//! The interface's own strings, as message catalogues kept as data:
//! `templates/messages/{en,fr,nl,de,it}.toml` (embedded at compile time). A key missing from
//! a catalogue falls back to English, and a key missing there shows as [`MISSING`] (a test
//! checks that every key the templates and the code use is in English).

use std::collections::HashMap;
use std::sync::OnceLock;

/// The interface languages, English first (the fallback).
pub const UI_LANGUAGES: [&str; 5] = ["en", "fr", "nl", "de", "it"];

const CATALOGUES: [(&str, &str); 5] = [
    ("en", include_str!("../../../../templates/messages/en.toml")),
    ("fr", include_str!("../../../../templates/messages/fr.toml")),
    ("nl", include_str!("../../../../templates/messages/nl.toml")),
    ("de", include_str!("../../../../templates/messages/de.toml")),
    ("it", include_str!("../../../../templates/messages/it.toml")),
];

/// One language's catalogue.
#[derive(Debug)]
pub struct Messages {
    /// Its language (`fr`).
    pub lang: &'static str,
    strings: HashMap<String, String>,
    fallback: Option<&'static Messages>,
}

impl Messages {
    /// The catalogue of an interface language (English for any other).
    pub fn of(lang: &str) -> &'static Messages {
        let all = all();
        let position = UI_LANGUAGES.iter().position(|l| *l == lang).unwrap_or(0);
        &all[position]
    }

    /// The string of `key` (`search.apply`).
    pub fn get(&self, key: &str) -> &str {
        match self.strings.get(key) {
            Some(text) => text,
            None => match self.fallback {
                Some(english) => english.get(key),
                None => MISSING,
            },
        }
    }

    /// The string of `key` with `{name}` replaced by each value.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut text = self.get(key).to_owned();
        for (name, value) in values {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    /// Every key of the catalogue.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.strings.keys().map(String::as_str)
    }
}

/// What a key that no catalogue has reads as.
pub const MISSING: &str = "(missing text)";

/// Every catalogue, in [`UI_LANGUAGES`] order, parsed once.
fn all() -> &'static [Messages] {
    static ALL: OnceLock<Vec<Messages>> = OnceLock::new();
    ALL.get_or_init(|| {
        static ENGLISH: OnceLock<Messages> = OnceLock::new();
        let english = ENGLISH.get_or_init(|| Messages {
            lang: "en",
            strings: parse(CATALOGUES[0].1),
            fallback: None,
        });
        CATALOGUES
            .iter()
            .map(|(lang, text)| Messages {
                lang,
                strings: parse(text),
                fallback: Some(english),
            })
            .collect()
    })
}

/// A TOML catalogue flattened to `section.key` → text. A catalogue that does not parse is
/// empty (so every string falls back to English); the tests parse every one.
fn parse(text: &str) -> HashMap<String, String> {
    let mut strings = HashMap::new();
    let Ok(table) = text.parse::<toml::Table>() else {
        return strings;
    };
    for (section, values) in &table {
        let Some(values) = values.as_table() else {
            continue;
        };
        for (key, value) in values {
            if let Some(text) = value.as_str() {
                strings.insert(format!("{section}.{key}"), text.to_owned());
            }
        }
    }
    strings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_parses_and_has_the_keys_of_english() {
        let english: Vec<&str> = {
            let mut keys: Vec<&str> = Messages::of("en").keys().collect();
            keys.sort_unstable();
            keys
        };
        assert!(english.len() > 100, "{}", english.len());
        for (lang, text) in CATALOGUES {
            let parsed = parse(text);
            let mut keys: Vec<&str> = parsed.keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(keys, english, "{lang}");
            for (key, value) in &parsed {
                let placeholders = |t: &str| t.matches('{').count();
                assert_eq!(
                    placeholders(value),
                    placeholders(Messages::of("en").get(key)),
                    "{lang} {key}"
                );
            }
        }
    }

    #[test]
    fn strings_fill_and_fall_back() {
        let french = Messages::of("fr");
        assert_eq!(french.get("nav.search_button"), "Rechercher");
        assert_eq!(
            french.fill(
                "search.showing",
                &[("first", "1"), ("last", "20"), ("total", "45")]
            ),
            "Résultats 1–20 sur 45"
        );
        assert_eq!(Messages::of("es").lang, "en");
        assert_eq!(french.get("no.such.key"), MISSING);
    }

    #[test]
    fn every_key_the_templates_and_the_code_use_is_in_english() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let mut sources = Vec::new();
        for folder in [
            "templates",
            "templates/partials",
            "crates/serve/src/pages",
            "crates/serve/src",
        ] {
            let Ok(entries) = std::fs::read_dir(format!("{root}/{folder}")) else {
                continue;
            };
            for entry in entries.flatten() {
                if entry.path().is_file() {
                    sources.push(std::fs::read_to_string(entry.path()).unwrap_or_default());
                }
            }
        }
        let english = Messages::of("en");
        let mut checked = 0;
        for source in &sources {
            for marker in ["t.get(\"", ".get(\"", "fill(\""] {
                for (at, _) in source.match_indices(marker) {
                    let rest = &source[at + marker.len()..];
                    let key = rest.split('"').next().unwrap_or("");
                    let is_message_key = key.contains('.')
                        && key.split('.').all(|part| {
                            !part.is_empty()
                                && part.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                        });
                    if is_message_key
                        && english
                            .strings
                            .keys()
                            .any(|k| k.starts_with(key.split('.').next().unwrap_or("")))
                    {
                        assert_ne!(english.get(key), MISSING, "{key}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }
}
