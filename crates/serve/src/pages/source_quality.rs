//! `/sources/{id}/quality`: one source's metadata quality for the people who publish it —
//! records per MQA rating, the distribution of scores, the most frequent findings (each a
//! link to the records that have it) and the trend across the source's harvest runs.
//!
//! The figures are the index's (`CatalogIndex::quality_report`, as `/api/quality?source=`
//! and `ldtcat quality` give them); the trend is what each run recorded when it ended.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use ldtcat_index::QualityReport;
use ldtcat_store::HarvestRun;

use crate::error::ServeError;
use crate::html::{render_page, respond_in, Layout};
use crate::i18n::{encode, Locale};
use crate::state::{blocking, AppState};

/// One rating and its records, with the search that lists them.
struct RatingView {
    name: &'static str,
    records: usize,
    href: String,
}

/// One range of scores.
struct BucketView {
    from: u32,
    to: u32,
    records: usize,
    href: String,
}

/// One kind of finding and its records.
struct FindingView {
    finding: String,
    records: u64,
    href: String,
}

/// One run of the trend.
struct TrendView {
    ended: String,
    status: &'static str,
    scored: u64,
    mean: String,
    /// Records per rating, in the order of the ratings table.
    ratings: [u64; 4],
}

#[derive(Template)]
#[template(path = "source_quality.html")]
struct SourceQualityPage {
    layout: Layout,
    source: String,
    title: String,
    records: usize,
    scored: usize,
    mean: String,
    ratings: Vec<RatingView>,
    /// The largest bucket (the `max` of the bars).
    widest: usize,
    distribution: Vec<BucketView>,
    findings: Vec<FindingView>,
    trend: Vec<TrendView>,
    search_href: String,
    api_href: String,
}

/// How many kinds of finding the page lists.
const FINDINGS_SHOWN: usize = 20;

/// The trend's rows: the runs that recorded the source's quality, newest first.
fn trend(runs: &[HarvestRun]) -> Vec<TrendView> {
    runs.iter()
        .filter_map(|run| {
            let quality = run.quality.as_ref()?;
            Some(TrendView {
                ended: run
                    .ended_at
                    .unwrap_or(run.started_at)
                    .format("%Y-%m-%d %H:%M UTC")
                    .to_string(),
                status: run.status.as_str(),
                scored: quality.scored,
                mean: format!("{:.1}", quality.mean),
                ratings: quality.ratings,
            })
        })
        .collect()
}

fn page(
    state: &AppState,
    locale: &Locale,
    source: &str,
    report: QualityReport,
    runs: &[HarvestRun],
) -> SourceQualityPage {
    let search = |extra: &str| {
        locale.link(&format!(
            "/search?source={}&sort=quality{extra}",
            encode(source)
        ))
    };
    // The bounds of each rating, as the report counts them.
    let ratings = report
        .ratings
        .iter()
        .zip(ldtcat_index::rating_bounds())
        .map(|((name, records), (_, lower, upper))| {
            let max = upper
                .map(|u| format!("&max_quality={u}"))
                .unwrap_or_default();
            RatingView {
                name: crate::quality::rating_label(name, locale.messages),
                records: *records,
                href: search(&format!("&min_quality={lower}{max}")),
            }
        })
        .collect();
    let title = state
        .harvest
        .as_ref()
        .and_then(|h| h.control.sources().into_iter().find(|s| s.id == source))
        .map_or_else(|| source.to_owned(), |s| s.title);
    SourceQualityPage {
        layout: Layout::localised(
            &state.site,
            locale
                .messages
                .fill("source_quality.title", &[("source", &title)]),
            locale,
        ),
        source: source.to_owned(),
        title,
        records: report.records,
        scored: report.scored,
        mean: report
            .mean
            .map_or_else(|| "–".to_owned(), |m| format!("{m:.1}")),
        ratings,
        widest: report
            .distribution
            .iter()
            .map(|(_, _, n)| *n)
            .max()
            .unwrap_or(0)
            .max(1),
        distribution: report
            .distribution
            .iter()
            .map(|(from, to, records)| BucketView {
                from: *from,
                to: *to,
                records: *records,
                href: search(&format!("&min_quality={from}&max_quality={to}")),
            })
            .collect(),
        findings: report
            .findings
            .into_iter()
            .take(FINDINGS_SHOWN)
            .map(|count| FindingView {
                href: search(&format!("&finding={}", encode(&count.value))),
                finding: count.value,
                records: count.count,
            })
            .collect(),
        trend: trend(runs),
        search_href: search(""),
        api_href: format!("/api/quality?source={}", encode(source)),
    }
}

/// `GET /sources/{id}/quality`: 404 for a source with no record.
pub(crate) async fn source_quality(
    State(state): State<Arc<AppState>>,
    Path(source): Path<String>,
    locale: Locale,
) -> Response {
    let work = state.clone();
    let id = source.clone();
    let result = blocking(move || {
        let report = work.index.quality_report(Some(&id))?;
        if report.records == 0 {
            return Err(ServeError::NoRoute {
                path: format!("/sources/{id}/quality"),
            });
        }
        let runs = work.store.runs_of_source(&id, crate::quality::TREND_RUNS)?;
        Ok((report, runs))
    })
    .await;
    let response = result.and_then(|(report, runs)| {
        render_page(
            StatusCode::OK,
            &page(&state, &locale, &source, report, &runs),
        )
    });
    respond_in(&state.site, response, &locale)
}
