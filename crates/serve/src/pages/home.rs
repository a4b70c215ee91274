//! `/`: the search box, how many records there are of each kind, the latest records.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use ldtcat_index::{FacetCount, FacetField, SearchHit};
use ldtcat_vocab::Kind;

use crate::error::ServeError;
use crate::html::{render_page, respond_in, Layout};
use crate::i18n::Locale;
use crate::pages::{kind_label, HitView};
use crate::state::{blocking, AppState};

/// How many latest records the home page lists.
const LATEST_RECORDS: usize = 10;

/// One kind on the home page.
struct KindCount {
    label: &'static str,
    name: &'static str,
    count: u64,
    href: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    kinds: Vec<KindCount>,
    latest: Vec<HitView>,
    /// The big search box's placeholder.
    placeholder: String,
    /// "All resources, most recent first".
    recent_href: String,
}

/// `GET /`.
pub(crate) async fn home(State(state): State<Arc<AppState>>, locale: Locale) -> Response {
    respond_in(&state.site, home_page(&state, &locale).await, &locale)
}

async fn home_page(state: &AppState, locale: &Locale) -> Result<Response, ServeError> {
    let index = Arc::clone(&state.index);
    let (counts, latest, total): (Vec<FacetCount>, Vec<SearchHit>, u64) = blocking(move || {
        let counts = index.facet_counts(FacetField::Kind)?;
        let latest = index.latest(LATEST_RECORDS)?;
        Ok::<_, ldtcat_index::IndexError>((counts, latest, index.num_docs()))
    })
    .await?;
    let kinds = Kind::ALL
        .into_iter()
        .map(|kind| KindCount {
            label: kind_label(kind, locale),
            name: kind.as_str(),
            count: counts
                .iter()
                .find(|c| c.value == kind.as_str())
                .map_or(0, |c| c.count),
            href: locale.link(&format!("/search?kind={}", kind.as_str())),
        })
        .collect();
    let page = HomePage {
        layout: Layout::localised(&state.site, "", locale),
        placeholder: locale
            .messages
            .fill("home.search_placeholder", &[("total", &total.to_string())]),
        recent_href: locale.link("/search?sort=modified"),
        kinds,
        latest: latest.iter().map(|hit| HitView::new(hit, locale)).collect(),
    };
    render_page(StatusCode::OK, &page)
}
