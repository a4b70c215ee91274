//! Languages of the pages: which language the interface speaks and in which order texts
//! are chosen, from the `lang` parameter (a selector of links in every page's header, kept
//! in the URL of every link and form of the site once chosen) and `Accept-Language`.
//!
//! - **Interface language**: the `lang` parameter if it is one of [`UI_LANGUAGES`], else the
//!   first language of `Accept-Language` (by `q`, then order) that is, else English.
//! - **Texts** (titles, descriptions, labels): `lang` first, then `Accept-Language` in its
//!   order, then the interface language; within that, `ldtcat_model::language` documents
//!   the fallback (untagged, then English, then any). The page marks every text whose
//!   language differs from the page's with a `lang` attribute.
//!
//! A `lang` value that is not a language tag is ignored, like an absent one.

mod messages;

pub use messages::{Messages, UI_LANGUAGES};

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Uri};
use ldtcat_model::language::primary_subtag;
use ldtcat_model::Languages;

/// One entry of the language selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageLink {
    /// `fr`.
    pub lang: &'static str,
    /// The language's own name (`Français`).
    pub name: &'static str,
    /// The current page in that language.
    pub href: String,
    /// Whether it is the current interface language.
    pub current: bool,
}

/// The languages of one request.
#[derive(Debug, Clone)]
pub struct Locale {
    /// The interface language, one of [`UI_LANGUAGES`].
    pub ui: &'static str,
    /// The `lang` parameter as chosen, kept in links.
    pub explicit: Option<String>,
    /// The order in which texts are chosen.
    pub languages: Languages,
    /// The interface strings.
    pub messages: &'static Messages,
    /// The current path and query, for the selector.
    path_and_query: String,
}

impl Default for Locale {
    fn default() -> Self {
        Locale::negotiate(None, None, "/")
    }
}

/// Whether `tag` looks like a BCP 47 tag (`fr`, `de-CH`, `zh-Hant-TW`).
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    primary_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The tags of an `Accept-Language` header, best first (by `q`, then order); `q=0` dropped.
pub fn accept_language_tags(header: &str) -> Vec<String> {
    let mut weighted: Vec<(f32, usize, String)> = header
        .split(',')
        .enumerate()
        .filter_map(|(position, part)| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim();
            let quality = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (quality > 0.0 && is_language_tag(tag)).then(|| (quality, position, tag.to_owned()))
        })
        .collect();
    weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    weighted.into_iter().map(|(_, _, tag)| tag).collect()
}

impl Locale {
    /// The languages of a request with this `lang` parameter, `Accept-Language` header and
    /// path and query.
    pub fn negotiate(
        lang: Option<&str>,
        accept_language: Option<&str>,
        path_and_query: &str,
    ) -> Locale {
        let explicit = lang
            .map(str::trim)
            .filter(|tag| is_language_tag(tag))
            .map(str::to_owned);
        let accepted = accept_language
            .map(accept_language_tags)
            .unwrap_or_default();
        let ui = explicit
            .iter()
            .chain(accepted.iter())
            .map(|tag| primary_subtag(tag))
            .find_map(|primary| UI_LANGUAGES.iter().find(|ui| **ui == primary).copied())
            .unwrap_or("en");
        let languages = Languages::new(
            explicit
                .iter()
                .cloned()
                .chain(accepted)
                .chain(std::iter::once(ui.to_owned())),
        );
        Locale {
            ui,
            explicit,
            languages,
            messages: Messages::of(ui),
            path_and_query: path_and_query.to_owned(),
        }
    }

    /// A link to a path of this site, with the chosen `lang` kept.
    pub fn link(&self, path_and_query: &str) -> String {
        match &self.explicit {
            None => path_and_query.to_owned(),
            Some(lang) => {
                let separator = if path_and_query.contains('?') {
                    '&'
                } else {
                    '?'
                };
                format!("{path_and_query}{separator}lang={}", encode(lang))
            }
        }
    }

    /// The selector: the current page in each interface language.
    pub fn selector(&self) -> Vec<LanguageLink> {
        let (path, query) = self
            .path_and_query
            .split_once('?')
            .unwrap_or((&self.path_and_query, ""));
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some("lang"))
            .collect();
        UI_LANGUAGES
            .iter()
            .map(|lang| {
                let mut pairs = kept.clone();
                let lang_pair = format!("lang={lang}");
                pairs.push(&lang_pair);
                LanguageLink {
                    lang,
                    name: language_name(lang),
                    href: format!("{path}?{}", pairs.join("&")),
                    current: *lang == self.ui,
                }
            })
            .collect()
    }
}

/// A language's name in itself, from its catalogue.
fn language_name(lang: &'static str) -> &'static str {
    Messages::of(lang).get("language.name")
}

/// `text` encoded for a URL's query (or a path segment of plain ids).
pub(crate) fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The `lang` parameter of a raw query string, if any (undecodable: none).
fn lang_parameter(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(name, _)| name == "lang")
        .map(|(_, value)| value.into_owned())
}

impl<S: Send + Sync> FromRequestParts<S> for Locale {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let uri: &Uri = &parts.uri;
        let accept = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok());
        let path_and_query = uri.path_and_query().map_or("/", |p| p.as_str());
        Ok(Locale::negotiate(
            lang_parameter(uri.query()).as_deref(),
            accept,
            path_and_query,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parameter_wins_over_accept_language_which_wins_over_english() {
        let chosen = Locale::negotiate(Some("it"), Some("fr-BE, nl;q=0.8"), "/search?q=a&lang=it");
        assert_eq!(chosen.ui, "it");
        assert_eq!(chosen.languages.preferred(), ["it", "fr", "nl"]);
        let accepted = Locale::negotiate(None, Some("es;q=0.9, nl-BE;q=0.8, fr;q=0"), "/");
        assert_eq!(accepted.ui, "nl");
        assert_eq!(accepted.languages.preferred(), ["es", "nl"]);
        let none = Locale::negotiate(Some("not a tag!"), None, "/");
        assert_eq!((none.ui, none.explicit.as_deref()), ("en", None));
        let content_only = Locale::negotiate(Some("es"), None, "/");
        assert_eq!(content_only.ui, "en");
        assert_eq!(content_only.languages.preferred(), ["es", "en"]);
    }

    #[test]
    fn links_keep_the_chosen_language_and_the_selector_replaces_it() {
        let locale = Locale::negotiate(Some("fr"), None, "/search?q=air&lang=de&page=2");
        assert_eq!(locale.link("/search?q=x"), "/search?q=x&lang=fr");
        assert_eq!(locale.link("/"), "/?lang=fr");
        let selector = locale.selector();
        assert_eq!(selector.len(), 5);
        assert_eq!(selector[2].href, "/search?q=air&page=2&lang=nl");
        assert!(selector[1].current);
        assert_eq!(Locale::default().link("/"), "/");
    }

    #[test]
    fn accept_language_is_ordered_by_quality_then_position() {
        assert_eq!(
            accept_language_tags("de;q=0.5, fr-CH, en;q=0.9, *;q=0.1, x!"),
            ["fr-CH", "en", "de"]
        );
    }
}
