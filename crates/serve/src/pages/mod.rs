//! The HTML pages: home, search, record, sources and a source's quality, and what their
//! templates share.

pub mod home;
pub mod record;
mod schema_org;
pub mod search;
pub mod source_quality;
pub mod sources;

use ldtcat_index::SearchHit;
use ldtcat_model::LangString;
use ldtcat_vocab::Kind;

use crate::compat::view::VerdictBadge;
use crate::compat::ProfileContext;
use crate::i18n::{Locale, Messages};
use crate::labels::format_date;
use crate::resolver::fallback_label;

/// A text in the best of the visitor's languages, with its `lang` attribute when it is not
/// the page's language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocalText {
    /// The text.
    pub text: String,
    /// Its language, when it differs from the page's (`None`: the page's, or unknown).
    pub lang: Option<String>,
}

impl LocalText {
    /// The best of `values` for `locale`; empty when there is none.
    pub fn pick(values: &[LangString], locale: &Locale) -> LocalText {
        match locale.languages.pick_text(values) {
            Some(value) => LocalText {
                text: value.value.clone(),
                lang: value
                    .lang
                    .clone()
                    .filter(|lang| ldtcat_model::language::primary_subtag(lang) != locale.ui),
            },
            None => LocalText::default(),
        }
    }

    /// A text in the page's language.
    pub fn plain(text: impl Into<String>) -> LocalText {
        LocalText {
            text: text.into(),
            lang: None,
        }
    }
}

/// The label of a kind in the interface language.
pub fn kind_label(kind: Kind, locale: &Locale) -> &'static str {
    locale.messages.get(&format!("kind.{}", kind.as_str()))
}

/// One record in a list (search results, latest records).
#[derive(Debug, Clone)]
pub struct HitView {
    /// `/resources/{id}`.
    pub href: String,
    /// The display title.
    pub title: LocalText,
    /// The kind's URL name (`model`), for the badge's class.
    pub kind: &'static str,
    /// The kind's label.
    pub kind_label: &'static str,
    /// The start of the description, as plain text.
    pub description: LocalText,
    /// The resource's modification date (`YYYY-MM-DD`).
    pub modified: Option<String>,
    /// Its verdict against the chosen LDT profile, if one is chosen.
    pub verdict: Option<VerdictBadge>,
}

impl HitView {
    /// The view of a search hit, in the languages of `locale`.
    pub fn new(hit: &SearchHit, locale: &Locale) -> HitView {
        let mut title = LocalText::pick(&hit.titles, locale);
        if title.text.trim().is_empty() {
            title = LocalText::plain(if hit.title.trim().is_empty() {
                fallback_label(&hit.iri)
            } else {
                hit.title.clone()
            });
        }
        let mut description = LocalText::pick(&hit.descriptions, locale);
        if description.text.is_empty() {
            description = LocalText::plain(hit.description.clone());
        }
        HitView {
            href: locale.link(&format!("/resources/{}", hit.id)),
            title,
            kind: hit.kind.as_str(),
            kind_label: kind_label(hit.kind, locale),
            description,
            modified: hit.modified.as_ref().map(format_date),
            verdict: None,
        }
    }

    /// With its verdict against a profile.
    pub(crate) fn with_verdict(
        mut self,
        context: Option<&ProfileContext>,
        hit: &SearchHit,
        t: &'static Messages,
    ) -> Self {
        self.verdict = context
            .and_then(|c| c.assess_terms(&hit.requirements).verdict)
            .map(|v| VerdictBadge::new(v, t));
        self
    }
}
