//! Keyed cursors and the id, identifier and period filters, on small in-RAM indexes.

use chrono::NaiveDate;
use ldtcat_model::summary::TemporalCoverage;

use crate::fixtures::{day, fixture, index_of, record};
use crate::{AfterHit, CatalogIndex, SearchRequest, SortOrder, TimeRange};

fn ids_of(catalog: &CatalogIndex, request: &SearchRequest) -> anyhow::Result<Vec<String>> {
    Ok(catalog
        .search(request)?
        .hits
        .into_iter()
        .map(|hit| hit.id)
        .collect())
}

#[test]
fn keyed_cursors_page_like_offsets_in_modified_and_title_order() -> anyhow::Result<()> {
    let mut records = fixture();
    // Ties: three records modified the same second, two with the same title.
    for (n, id) in ["t1", "t2", "t3"].iter().enumerate() {
        let mut tied = record(id);
        tied.modified = day(2024, 3, 1);
        if n > 0 {
            tied.titles = vec![crate::fixtures::text(Some("en"), "Same title")];
        }
        records.push(tied);
    }
    let catalog = index_of(&records)?;
    for sort in [SortOrder::Modified, SortOrder::Title] {
        for text in ["", "air OR sensor OR record OR same"] {
            let all = SearchRequest {
                text: text.to_owned(),
                sort,
                limit: 100,
                facets: false,
                ..SearchRequest::default()
            };
            let expected = ids_of(&catalog, &all)?;
            let mut walked = Vec::new();
            let mut after = None;
            loop {
                let page = catalog.search(&SearchRequest {
                    limit: 2,
                    after_hit: after.clone(),
                    ..all.clone()
                })?;
                let Some(last) = page.hits.last() else { break };
                after = AfterHit::of(last, sort);
                walked.extend(page.hits.iter().map(|hit| hit.id.clone()));
            }
            assert_eq!(walked, expected, "{sort:?} {text:?}");
            assert!(expected.len() >= 5);
        }
    }
    Ok(())
}

#[test]
fn ids_identifiers_and_periods_filter() -> anyhow::Result<()> {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    let mut a = record("a");
    a.identifiers = vec!["ds-1".to_owned()];
    a.temporal = Some(TemporalCoverage {
        start: date(2020, 1, 1),
        end: date(2020, 12, 31),
    });
    let mut b = record("b");
    b.temporal = Some(TemporalCoverage {
        start: date(2022, 1, 1),
        end: None,
    });
    let mut c = record("c");
    c.temporal = Some(TemporalCoverage {
        start: None,
        end: date(2019, 6, 30),
    });
    let catalog = index_of(&[a, b, c, record("d")])?;
    let sorted = |request: SearchRequest| -> anyhow::Result<Vec<String>> {
        let mut ids = ids_of(
            &catalog,
            &SearchRequest {
                limit: 10,
                ..request
            },
        )?;
        ids.sort();
        Ok(ids)
    };
    let ids = |values: &[&str]| values.iter().map(|v| (*v).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        sorted(SearchRequest {
            ids: ids(&["b", "d", "zz"]),
            ..SearchRequest::default()
        })?,
        ids(&["b", "d"])
    );
    assert_eq!(
        sorted(SearchRequest {
            identifiers: ids(&["ds-1", "https://example.org/resource/c"]),
            ..SearchRequest::default()
        })?,
        ids(&["a", "c"])
    );
    let period = |start: Option<chrono::DateTime<chrono::Utc>>, end| SearchRequest {
        temporal: Some(TimeRange { start, end }),
        ..SearchRequest::default()
    };
    assert_eq!(
        sorted(period(
            day(2020, 12, 31).map(|d| d + chrono::Duration::hours(12)),
            None
        ))?,
        ids(&["a", "b"]),
        "the last day of a coverage counts whole"
    );
    assert_eq!(sorted(period(None, day(2019, 1, 1)))?, ids(&["c"]));
    assert_eq!(
        sorted(period(day(2021, 1, 1), day(2021, 12, 31)))?,
        Vec::<String>::new()
    );
    assert_eq!(sorted(period(None, None))?, ids(&["a", "b", "c"]));
    Ok(())
}
