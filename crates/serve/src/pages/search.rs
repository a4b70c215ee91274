//! `/search`: results, facets as links that add or remove a filter, paging; no JavaScript.

use std::sync::Arc;

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use ldtcat_compat::Verdict;
use ldtcat_index::{FacetCount, FacetField, SortOrder};

use crate::compat::view::{profile_options, verdict_label, ProfileOption};
use crate::error::ServeError;
use crate::html::{render_page, respond_in, Layout};
use crate::i18n::Locale;
use crate::labels::{facet_field_label, facet_value_label};
use crate::map::{area_options, search_map, AreaOption, MapView};
use crate::pages::HitView;
use crate::query::{bbox_text, sort_name, SearchParams, DEFAULT_PAGE_SIZE};
use crate::resolver::Labels;
use crate::state::{blocking, AppState};

/// How many values of a facet show before "more".
const FACET_VALUES_SHOWN: usize = 8;
/// How many page numbers show on each side of the current page.
const PAGE_WINDOW: usize = 2;

/// One value of a facet: a link that toggles its filter.
struct FacetValueView {
    label: String,
    /// The label's language, when it is not the page's.
    lang: Option<String>,
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
    /// "12 more".
    more_label: String,
}

/// An active filter, with the link that removes it.
struct ActiveFilter {
    label: String,
    /// "Remove filter …", for the link's accessible name.
    remove_label: String,
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

/// The texts of the page that hold values.
struct SearchTexts {
    heading: String,
    showing: String,
    none_on_page: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    query: String,
    total: usize,
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
    texts: SearchTexts,
    /// The map of the searched area.
    map: MapView,
    /// Areas to choose from.
    areas: Vec<AreaOption>,
    /// The hidden inputs of the area form: everything but `bbox` and `page`.
    area_inputs: Vec<(&'static str, String)>,
}

/// `GET /search`.
pub(crate) async fn search(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
    locale: Locale,
) -> Response {
    respond_in(
        &state.site,
        search_page(&state, raw.as_deref(), &locale).await,
        &locale,
    )
}

async fn search_page(
    state: &AppState,
    raw_query: Option<&str>,
    locale: &Locale,
) -> Result<Response, ServeError> {
    let params = SearchParams::from_query(raw_query)?;
    let first_shown = params.to_request()?.offset.saturating_add(1);
    let (results, context) = crate::compat::run_search(state, &params).await?;
    let index = Arc::clone(&state.index);
    let chosen = params.compatible_with.clone();
    let (labels, facet_params, facet_locale) =
        (state.labels.clone(), params.clone(), locale.clone());
    let counts = results.facets.clone();
    let (profiles, facets, active) = blocking(move || {
        let profiles = profile_options(&index, chosen.as_deref())?;
        let facets = facet_views(&labels, &facet_params, &counts, &facet_locale);
        let active = active_filters(&labels, &facet_params, &facet_locale);
        Ok::<_, ServeError>((profiles, facets, active))
    })
    .await?;
    let accepted = params.accepted_verdicts();
    let verdict_options = Verdict::ALL
        .into_iter()
        .map(|v| {
            let label = verdict_label(v, locale.messages);
            (v.as_str(), label, accepted.contains(&v))
        })
        .collect();
    let last_shown = (first_shown + results.hits.len()).saturating_sub(1);
    let t = locale.messages;
    let title = if params.text.is_empty() {
        t.get("search.title").to_owned()
    } else {
        t.fill("search.title_query", &[("query", &params.text)])
    };
    let total = results.total.to_string();
    let texts = SearchTexts {
        heading: if params.text.is_empty() {
            t.get("search.all").to_owned()
        } else {
            t.fill("search.results_for", &[("query", &params.text)])
        },
        showing: t.fill(
            "search.showing",
            &[
                ("first", &first_shown.to_string()),
                ("last", &last_shown.to_string()),
                ("total", &total),
            ],
        ),
        none_on_page: t.fill("search.none_on_page", &[("total", &total)]),
    };
    let mut layout = Layout::localised(&state.site, title, locale).with_query(&params.text);
    layout.map_script = true;
    let page = SearchPage {
        layout,
        query: params.text.clone(),
        total: results.total,
        hits: results
            .hits
            .iter()
            .map(|hit| {
                HitView::new(hit, locale).with_verdict(context.as_ref(), hit, locale.messages)
            })
            .collect(),
        facets,
        active,
        pagination: pagination(&params, results.total),
        sort_options: sort_options(params.sort, locale),
        hidden_inputs: hidden_inputs(&params),
        area_inputs: area_inputs(&params),
        map: search_map(params.bbox.as_ref(), locale),
        areas: area_options(params.bbox.as_ref(), locale),
        texts,
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

/// The facets with their values named (reads the index for labels: blocking pool).
fn facet_views(
    labels: &Labels,
    params: &SearchParams,
    facets: &[(FacetField, Vec<FacetCount>)],
    locale: &Locale,
) -> Vec<FacetView> {
    facets
        .iter()
        .filter(|(_, counts)| !counts.is_empty())
        .map(|(field, counts)| {
            let mut values: Vec<FacetValueView> = counts
                .iter()
                .map(|count| {
                    let label = facet_value_label(labels, *field, &count.value, locale);
                    FacetValueView {
                        lang: label.lang.filter(|lang| !lang.starts_with(locale.ui)),
                        label: label.text,
                        value: count.value.clone(),
                        count: count.count,
                        href: params.toggled(*field, &count.value).search_url(),
                        active: params.has_filter(*field, &count.value),
                    }
                })
                .collect();
            let more = values.split_off(values.len().min(FACET_VALUES_SHOWN));
            FacetView {
                name: field.as_str(),
                label: facet_field_label(*field, locale),
                more_label: locale
                    .messages
                    .fill("facet.more", &[("count", &more.len().to_string())]),
                shown: values,
                more,
            }
        })
        .collect()
}

fn active_filters(labels: &Labels, params: &SearchParams, locale: &Locale) -> Vec<ActiveFilter> {
    let mut active: Vec<ActiveFilter> = params
        .filters
        .iter()
        .map(|filter| {
            let label = format!(
                "{}: {}",
                facet_field_label(filter.field, locale),
                facet_value_label(labels, filter.field, &filter.value, locale).text
            );
            ActiveFilter {
                remove_label: locale
                    .messages
                    .fill("search.remove_filter", &[("filter", &label)]),
                label,
                remove_href: params.toggled(filter.field, &filter.value).search_url(),
            }
        })
        .collect();
    if let Some(bbox) = &params.bbox {
        let label = locale
            .messages
            .fill("search.filter_area", &[("bbox", &bbox_text(bbox))]);
        active.push(ActiveFilter {
            remove_label: locale
                .messages
                .fill("search.remove_filter", &[("filter", &label)]),
            label,
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

fn sort_options(selected: SortOrder, locale: &Locale) -> Vec<SortOption> {
    [
        (SortOrder::Relevance, "search.sort_relevance"),
        (SortOrder::Modified, "search.sort_modified"),
        (SortOrder::Title, "search.sort_title"),
        (SortOrder::Quality, "search.sort_quality"),
    ]
    .into_iter()
    .map(|(sort, key)| SortOption {
        value: sort_name(sort),
        label: locale.messages.get(key),
        selected: sort == selected,
    })
    .collect()
}

/// What the area form keeps: the whole search but the area and the page.
fn area_inputs(params: &SearchParams) -> Vec<(&'static str, String)> {
    let mut inputs = hidden_inputs(params);
    if !params.text.is_empty() {
        inputs.push(("q", params.text.clone()));
    }
    if params.sort != SortOrder::Relevance {
        inputs.push(("sort", sort_name(params.sort).to_owned()));
    }
    if let Some(profile) = &params.compatible_with {
        inputs.push(("compatible_with", profile.clone()));
    }
    for verdict in &params.verdicts {
        inputs.push(("verdicts", verdict.as_str().to_owned()));
    }
    inputs
}

/// What the search form keeps besides its visible fields: the filters, the page size and
/// the chosen language.
fn hidden_inputs(params: &SearchParams) -> Vec<(&'static str, String)> {
    let mut inputs: Vec<(&'static str, String)> = params
        .filters
        .iter()
        .map(|filter| (filter.field.as_str(), filter.value.clone()))
        .collect();
    if params.page_size != DEFAULT_PAGE_SIZE {
        inputs.push(("page_size", params.page_size.to_string()));
    }
    if let Some(lang) = &params.lang {
        inputs.push(("lang", lang.clone()));
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
