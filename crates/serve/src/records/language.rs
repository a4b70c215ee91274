//! Which language a Records response speaks: the `language` parameter, else
//! `Accept-Language` (both with quality values), and the one place where a text or a label
//! is chosen among the languages a record gives.
//!
//! Fallback, when no asked language is there: English, then untagged, then the first value
//! (the same order as the HTML pages). Labels of concepts and agents are those the record
//! carries (`skos:prefLabel`, `foaf:name`, ...), chosen here too.

use ldtcat_model::summary::pick_display;
use ldtcat_model::LangString;

/// The languages a client asks for, most wanted first (lowercase BCP 47 tags).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LanguagePreferences {
    tags: Vec<String>,
}

impl LanguagePreferences {
    /// From the `language` parameter if given, else the `Accept-Language` header; both are
    /// lists of tags with optional `;q=` weights.
    pub(crate) fn new(parameter: Option<&str>, header: Option<&str>) -> LanguagePreferences {
        let list = parameter
            .filter(|p| !p.trim().is_empty())
            .or(header)
            .unwrap_or("");
        let mut weighted: Vec<(f32, usize, String)> = list
            .split(',')
            .enumerate()
            .filter_map(|(position, item)| {
                let mut parts = item.split(';');
                let tag = parts.next()?.trim().to_ascii_lowercase();
                if tag.is_empty() || tag == "*" {
                    return None;
                }
                let quality = parts
                    .filter_map(|p| p.trim().strip_prefix("q="))
                    .find_map(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (quality > 0.0).then_some((quality, position, tag))
            })
            .collect();
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        LanguagePreferences {
            tags: weighted.into_iter().map(|(_, _, tag)| tag).collect(),
        }
    }

    /// The value to show among `values`: the first asked language that is there (exactly,
    /// or by its primary subtag either way: `de` finds `de-ch`, `de-ch` finds `de`), else
    /// English, untagged, the first.
    pub(crate) fn choose<'v>(&self, values: &'v [LangString]) -> Option<&'v LangString> {
        for tag in &self.tags {
            let primary = tag.split('-').next().unwrap_or(tag);
            let found = values
                .iter()
                .find(|v| v.lang.as_deref() == Some(tag.as_str()))
                .or_else(|| {
                    values.iter().find(|v| {
                        v.lang
                            .as_deref()
                            .is_some_and(|lang| lang.split('-').next() == Some(primary))
                    })
                });
            if found.is_some() {
                return found;
            }
        }
        let fallback = pick_display(values)?;
        values.iter().find(|v| v.value == fallback)
    }

    /// The text of [`LanguagePreferences::choose`].
    pub(crate) fn text(&self, values: &[LangString]) -> Option<String> {
        self.choose(values).map(|v| v.value.clone())
    }

    /// The values in the language of `chosen` and the untagged ones; all of them when that
    /// leaves nothing (keywords are lists, not one text).
    pub(crate) fn same_language<'v>(
        &self,
        values: &'v [LangString],
        chosen: Option<&str>,
    ) -> Vec<&'v LangString> {
        let kept: Vec<&LangString> = values
            .iter()
            .filter(|v| v.lang.is_none() || v.lang.as_deref() == chosen)
            .collect();
        if kept.is_empty() {
            values.iter().collect()
        } else {
            kept
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lang: Option<&str>, value: &str) -> LangString {
        LangString {
            value: value.to_owned(),
            lang: lang.map(str::to_owned),
        }
    }

    #[test]
    fn the_asked_language_wins_then_english_untagged_first() {
        let values = [
            text(Some("fr"), "Qualité de l'air"),
            text(Some("en"), "Air quality"),
            text(Some("de-ch"), "Luftqualität"),
        ];
        let choose = |parameter: Option<&str>, header: Option<&str>| {
            LanguagePreferences::new(parameter, header).text(&values)
        };
        assert_eq!(choose(None, None).as_deref(), Some("Air quality"));
        assert_eq!(
            choose(Some("fr"), Some("de")).as_deref(),
            Some("Qualité de l'air")
        );
        assert_eq!(
            choose(None, Some("de, fr;q=0.5")).as_deref(),
            Some("Luftqualität")
        );
        assert_eq!(
            choose(None, Some("fr;q=0.4, de-CH;q=0.9")).as_deref(),
            Some("Luftqualität")
        );
        assert_eq!(choose(Some("nl"), None).as_deref(), Some("Air quality"));
        let untagged = [text(Some("nl"), "Luchtkwaliteit"), text(None, "Air")];
        assert_eq!(
            LanguagePreferences::new(Some("it"), None)
                .text(&untagged)
                .as_deref(),
            Some("Air")
        );
    }
}
