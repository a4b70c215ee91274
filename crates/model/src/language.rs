//! Choosing which of a text's languages to show.
//!
//! **Fallback order** ([`Languages::pick`]), for a visitor whose languages are, best first,
//! those of [`Languages`] (from the `lang` parameter, then `Accept-Language`):
//! 1. a value in the first of the visitor's languages that has one, then the next, ...
//!    (by primary subtag: a value tagged `fr-BE` serves `fr`);
//! 2. a value without language tag (usually the catalogue's own language);
//! 3. a value in English;
//! 4. the first value, in the order given.

use crate::summary::LangString;

/// A visitor's languages, best first: lowercase primary subtags (`fr`, `nl`), no repeats.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Languages {
    preferred: Vec<String>,
}

/// The primary subtag of a language tag, lowercased (`de-CH` → `de`).
pub fn primary_subtag(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .trim()
        .to_ascii_lowercase()
}

impl Languages {
    /// From tags in order of preference; blank tags and `*` are skipped.
    pub fn new<T: AsRef<str>>(tags: impl IntoIterator<Item = T>) -> Languages {
        let mut preferred: Vec<String> = Vec::new();
        for tag in tags {
            let primary = primary_subtag(tag.as_ref());
            if primary.is_empty() || primary == "*" || preferred.contains(&primary) {
                continue;
            }
            preferred.push(primary);
        }
        Languages { preferred }
    }

    /// English only.
    pub fn english() -> Languages {
        Languages::new(["en"])
    }

    /// The languages, best first.
    pub fn preferred(&self) -> &[String] {
        &self.preferred
    }

    /// The best value in the documented order, with `lang_of` giving a value's tag.
    pub fn pick<'a, T>(
        &self,
        values: &'a [T],
        lang_of: impl Fn(&T) -> Option<&str>,
    ) -> Option<&'a T> {
        let matches = |value: &T, wanted: &str| {
            lang_of(value).is_some_and(|tag| primary_subtag(tag) == wanted)
        };
        for wanted in &self.preferred {
            if let Some(value) = values.iter().find(|value| matches(value, wanted)) {
                return Some(value);
            }
        }
        values
            .iter()
            .find(|value| lang_of(value).is_none())
            .or_else(|| values.iter().find(|value| matches(value, "en")))
            .or_else(|| values.first())
    }

    /// [`Languages::pick`] over language-tagged strings.
    pub fn pick_text<'a>(&self, values: &'a [LangString]) -> Option<&'a LangString> {
        self.pick(values, |value| value.lang.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str, lang: Option<&str>) -> LangString {
        LangString {
            value: value.to_owned(),
            lang: lang.map(str::to_owned),
        }
    }

    #[test]
    fn the_fallback_order_is_visitor_untagged_english_first() {
        let values = [
            text("Bevölkerung", Some("de")),
            text("Population", Some("en")),
            text("Bevolking", Some("nl-BE")),
            text("Populations", None),
        ];
        let pick = |tags: &[&str]| {
            Languages::new(tags.iter().copied())
                .pick_text(&values)
                .map(|v| v.value.clone())
        };
        assert_eq!(pick(&["nl", "fr"]).as_deref(), Some("Bevolking"));
        assert_eq!(pick(&["fr-BE", "de"]).as_deref(), Some("Bevölkerung"));
        assert_eq!(pick(&["it"]).as_deref(), Some("Populations"));
        let tagged = &values[..2];
        assert_eq!(
            Languages::new(["it"])
                .pick_text(tagged)
                .map(|v| v.value.as_str()),
            Some("Population")
        );
        assert_eq!(
            Languages::new(["it"])
                .pick_text(&values[..1])
                .map(|v| v.value.as_str()),
            Some("Bevölkerung")
        );
        assert!(Languages::english().pick_text(&[]).is_none());
    }

    #[test]
    fn tags_are_reduced_to_distinct_primary_subtags() {
        let languages = Languages::new(["fr-BE", "fr", "", "*", "NL"]);
        assert_eq!(languages.preferred(), ["fr", "nl"]);
    }
}
