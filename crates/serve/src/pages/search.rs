//! `/search`: results, facets as links that add or remove a filter, paging; no JavaScript.

use std::sync::Arc;

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use ldtcat_compat::Verdict;
use ldtcat_index::{FacetCount, FacetField, SortOrder};

use crate::compat::view::{profile_options, ProfileOption};
use crate::error::ServeError;
use crate::html::{render_page, respond, Layout};
use crate::labels::{facet_field_label, facet_value_label};
use crate::pages::HitView;
use crate::query::{bbox_text, sort_name, SearchParams, DEFAULT_PAGE_SIZE};
use crate::state::{blocking, AppState};

/// How many values of a facet show before "more".
const FACET_VALUES_SHOWN: usize = 8;
/// How many page numbers show on each side of the current page.
const PAGE_WINDOW: usize = 2;

/// One value of a facet: a link that toggles its filter.
struct FacetValueView {
    label: String,
    value: String,
    count: u64,
    href: String,
    active: bool,
}

/// One facet field and its values.
struct FacetView {
    name: &'static str,
    label: &'static str,
    shown: Vec<FacetValueView>,
    more: Vec<FacetValueView>,
}

/// An active filter, with the link that removes it.
struct ActiveFilter {
    label: String,
    remove_href: String,
}

/// One entry of the page list: a page number, or a gap ("…") when `number` is `None`.
pub struct PageItem {
    number: Option<usize>,
    href: String,
    current: bool,
}

/// Previous, next and page-number links.
pub struct Pagination {
    previous: Option<String>,
    next: Option<String>,
    items: Vec<PageItem>,
}

struct SortOption {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    query: String,
    total: usize,
    first_shown: usize,
    last_shown: usize,
    hits: Vec<HitView>,
    facets: Vec<FacetView>,
    active: Vec<ActiveFilter>,
    pagination: Pagination,
    sort_options: Vec<SortOption>,
    hidden_inputs: Vec<(&'static str, String)>,
    bbox: String,
    /// The catalogued LDT profiles to choose from.
    profiles: Vec<ProfileOption>,
    /// The verdicts to keep: (value, label, checked).
    verdict_options: Vec<(&'static str, &'static str, bool)>,
    /// The chosen profile's title, if one is chosen.
    chosen_profile: Option<String>,
}

/// `GET /search`.
pub(crate) async fn search(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> Response {
    respond(&state.site, search_page(&state, raw.as_deref()).await)
}

async fn search_page(state: &AppState, raw_query: Option<&str>) -> Result<Response, ServeError> {
    let params = SearchParams::from_query(raw_query)?;
    let first_shown = params.to_request()?.offset.saturating_add(1);
    let (results, context) = crate::compat::run_search(state, &params).await?;
    let index = Arc::clone(&state.index);
    let chosen = params.compatible_with.clone();
    let profiles = blocking(move || profile_options(&index, chosen.as_deref())).await?;
    let accepted = params.accepted_verdicts();
    let verdict_options = Verdict::ALL
        .into_iter()
        .map(|v| (v.as_str(), v.label(), accepted.contains(&v)))
        .collect();
    let last_shown = (first_shown + results.hits.len()).saturating_sub(1);
    let title = if params.text.is_empty() {
        "Search".to_owned()
    } else {
        format!("Search: {}", params.text)
    };
    let page = SearchPage {
        layout: Layout::new(&state.site, title).with_query(&params.text),
        query: params.text.clone(),
        total: results.total,
        first_shown,
        last_shown,
        hits: results
            .hits
            .iter()
            .map(|hit| HitView::new(hit).with_verdict(context.as_ref(), hit))
            .collect(),
        facets: facet_views(&params, &results.facets),
        active: active_filters(&params),
        pagination: pagination(&params, results.total),
        sort_options: sort_options(params.sort),
        hidden_inputs: hidden_inputs(&params),
        bbox: params.bbox.as_ref().map(bbox_text).unwrap_or_default(),
        profiles,
        verdict_options,
        chosen_profile: context.as_ref().map(|c| {
            c.profile
                .title
                .clone()
                .unwrap_or_else(|| c.profile.iri.clone())
        }),
    };
    render_page(StatusCode::OK, &page)
}

fn facet_views(params: &SearchParams, facets: &[(FacetField, Vec<FacetCount>)]) -> Vec<FacetView> {
    facets
        .iter()
        .filter(|(_, counts)| !counts.is_empty())
        .map(|(field, counts)| {
            let mut values: Vec<FacetValueView> = counts
                .iter()
                .map(|count| FacetValueView {
                    label: facet_value_label(*field, &count.value),
                    value: count.value.clone(),
                    count: count.count,
                    href: params.toggled(*field, &count.value).search_url(),
                    active: params.has_filter(*field, &count.value),
                })
                .collect();
            let more = values.split_off(values.len().min(FACET_VALUES_SHOWN));
            FacetView {
                name: field.as_str(),
                label: facet_field_label(*field),
                shown: values,
                more,
            }
        })
        .collect()
}

fn active_filters(params: &SearchParams) -> Vec<ActiveFilter> {
    let mut active: Vec<ActiveFilter> = params
        .filters
        .iter()
        .map(|filter| ActiveFilter {
            label: format!(
                "{}: {}",
                facet_field_label(filter.field),
                facet_value_label(filter.field, &filter.value)
            ),
            remove_href: params.toggled(filter.field, &filter.value).search_url(),
        })
        .collect();
    if let Some(bbox) = &params.bbox {
        active.push(ActiveFilter {
            label: format!("Area: {}", bbox_text(bbox)),
            remove_href: params.without_bbox().search_url(),
        });
    }
    active
}

/// The page links: the first, the last, and [`PAGE_WINDOW`] pages around the current one.
pub fn pagination(params: &SearchParams, total: usize) -> Pagination {
    let total_pages = total.div_ceil(params.page_size).max(1);
    let current = params.page;
    let link = |page: usize| params.on_page(page).search_url();
    let mut items = Vec::new();
    let window_start = current.saturating_sub(PAGE_WINDOW).max(1);
    let window_end = current.saturating_add(PAGE_WINDOW).min(total_pages);
    let mut numbers: Vec<usize> = vec![1];
    numbers.extend(window_start..=window_end);
    numbers.push(total_pages);
    numbers.sort_unstable();
    numbers.dedup();
    let mut previous_number = 0;
    for number in numbers {
        if number > previous_number + 1 {
            items.push(PageItem {
                number: None,
                href: String::new(),
                current: false,
            });
        }
        items.push(PageItem {
            number: Some(number),
            href: link(number),
            current: number == current,
        });
        previous_number = number;
    }
    Pagination {
        previous: (current > 1).then(|| link(current.min(total_pages + 1) - 1)),
        next: (current < total_pages).then(|| link(current + 1)),
        items,
    }
}

fn sort_options(selected: SortOrder) -> Vec<SortOption> {
    [
        (SortOrder::Relevance, "Best match"),
        (SortOrder::Modified, "Recently modified"),
        (SortOrder::Title, "Title (A–Z)"),
    ]
    .into_iter()
    .map(|(sort, label)| SortOption {
        value: sort_name(sort),
        label,
        selected: sort == selected,
    })
    .collect()
}

/// What the search form keeps besides its visible fields: the filters and the page size.
fn hidden_inputs(params: &SearchParams) -> Vec<(&'static str, String)> {
    let mut inputs: Vec<(&'static str, String)> = params
        .filters
        .iter()
        .map(|filter| (filter.field.as_str(), filter.value.clone()))
        .collect();
    if params.page_size != DEFAULT_PAGE_SIZE {
        inputs.push(("page_size", params.page_size.to_string()));
    }
    inputs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(pagination: &Pagination) -> Vec<Option<usize>> {
        pagination.items.iter().map(|item| item.number).collect()
    }

    #[test]
    fn pages_around_the_current_one_with_gaps() -> Result<(), ServeError> {
        let params = SearchParams::from_query(Some("q=air&page=6&page_size=10"))?;
        let pagination = pagination(&params, 200);
        assert_eq!(
            numbers(&pagination),
            [
                Some(1),
                None,
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                None,
                Some(20)
            ]
        );
        assert_eq!(
            pagination.previous.as_deref(),
            Some("/search?q=air&page=5&page_size=10")
        );
        assert_eq!(
            pagination.next.as_deref(),
            Some("/search?q=air&page=7&page_size=10")
        );
        assert!(pagination
            .items
            .iter()
            .any(|item| item.current && item.number == Some(6)));
        Ok(())
    }

    #[test]
    fn one_page_has_no_previous_or_next() {
        let pagination = pagination(&SearchParams::default(), 3);
        assert_eq!(numbers(&pagination), [Some(1)]);
        assert!(pagination.previous.is_none() && pagination.next.is_none());
    }

    #[test]
    fn a_page_past_the_end_links_back_to_the_last() -> Result<(), ServeError> {
        let params = SearchParams::from_query(Some("page=9"))?;
        let pagination = pagination(&params, 30);
        assert_eq!(pagination.previous.as_deref(), Some("/search?page=2"));
        assert!(pagination.next.is_none());
        Ok(())
    }
}
