//! The HTML pages: home, search, record and sources, and what their templates share.

pub mod home;
pub mod record;
mod schema_org;
pub mod search;
pub mod sources;

use ldtcat_index::SearchHit;

use crate::compat::view::VerdictBadge;
use crate::compat::ProfileContext;
use crate::labels::{format_date, known_iri_label};

/// One record in a list (search results, latest records).
#[derive(Debug, Clone)]
pub struct HitView {
    /// `/resources/{id}`.
    pub href: String,
    /// The display title.
    pub title: String,
    /// The kind's URL name (`model`), for the badge's class.
    pub kind: &'static str,
    /// The kind's label.
    pub kind_label: &'static str,
    /// The start of the description.
    pub description: String,
    /// The resource's modification date (`YYYY-MM-DD`).
    pub modified: Option<String>,
    /// Its verdict against the chosen LDT profile, if one is chosen.
    pub verdict: Option<VerdictBadge>,
}

impl HitView {
    /// The view of a search hit.
    pub fn new(hit: &SearchHit) -> HitView {
        let title = if hit.title.trim().is_empty() {
            known_iri_label(&hit.iri)
        } else {
            hit.title.clone()
        };
        HitView {
            href: format!("/resources/{}", hit.id),
            title,
            kind: hit.kind.as_str(),
            kind_label: hit.kind.label(),
            description: hit.description.clone(),
            modified: hit.modified.as_ref().map(format_date),
            verdict: None,
        }
    }

    /// With its verdict against a profile.
    pub(crate) fn with_verdict(
        mut self,
        context: Option<&ProfileContext>,
        hit: &SearchHit,
    ) -> Self {
        self.verdict = context
            .and_then(|c| c.assess_terms(&hit.requirements).verdict)
            .map(VerdictBadge::new);
        self
    }
}
