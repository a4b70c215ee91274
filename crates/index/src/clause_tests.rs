//! Tests of what the CKAN Action API needs of a search: facet clauses (AND'ed, negatable,
//! with alternatives), the keyword facet, the `changed` dates (bounds and order) and the
//! record-name order.

use chrono::{DateTime, Utc};
use ldtcat_model::summary::RecordSummary;

use crate::fixtures::{day, fixture, index_of, record, sorted_ids, text, CC0, ENVIRONMENT};
use crate::{FacetClause, FacetField, SearchRequest, SortOrder};

fn clause(field: FacetField, values: &[&str], negated: bool) -> FacetClause {
    FacetClause {
        field,
        values: values.iter().map(|value| (*value).to_owned()).collect(),
        negated,
    }
}

fn with_clauses(clauses: Vec<FacetClause>) -> SearchRequest {
    SearchRequest {
        facet_clauses: clauses,
        limit: 100,
        ..SearchRequest::default()
    }
}

#[test]
fn facet_clauses_are_anded_negatable_and_hold_alternatives() -> anyhow::Result<()> {
    let catalog = index_of(&fixture())?;
    let environment = clause(FacetField::Theme, &[ENVIRONMENT], false);
    let environmental = sorted_ids(&catalog, &with_clauses(vec![environment.clone()]))?;
    assert_eq!(environmental.len(), 5);
    let open = clause(FacetField::Licence, &[CC0], false);
    let both = sorted_ids(&catalog, &with_clauses(vec![environment.clone(), open]))?;
    let not_open = clause(FacetField::Licence, &[CC0], true);
    let other = sorted_ids(&catalog, &with_clauses(vec![environment, not_open]))?;
    assert_eq!(both.len() + other.len(), 5, "{both:?} and {other:?}");
    assert!(both.iter().all(|id| !other.contains(id)));
    let alternatives = clause(FacetField::Format, &["ONNX", "WFS"], false);
    assert_eq!(
        sorted_ids(&catalog, &with_clauses(vec![alternatives]))?,
        ["r03", "r04"]
    );
    let nothing = clause(FacetField::Format, &[], false);
    assert!(sorted_ids(&catalog, &with_clauses(vec![nothing]))?.is_empty());
    let everything = clause(FacetField::Format, &[], true);
    assert_eq!(
        sorted_ids(&catalog, &with_clauses(vec![everything]))?.len(),
        10
    );
    Ok(())
}

#[test]
fn keywords_are_a_facet_counted_only_when_asked() -> anyhow::Result<()> {
    let catalog = index_of(&fixture())?;
    let air = clause(FacetField::Keyword, &["air"], false);
    assert_eq!(sorted_ids(&catalog, &with_clauses(vec![air]))?, ["r09"]);
    let plain = catalog.search(&SearchRequest::default())?;
    assert!(plain
        .facets
        .iter()
        .all(|(field, _)| *field != FacetField::Keyword));
    let asked = catalog.search_with_facets(&SearchRequest::default(), &[FacetField::Keyword])?;
    let values: Vec<&str> = asked.facets[0].1.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(values, ["Verkehr", "air"]);
    assert_eq!(
        "keyword".parse::<FacetField>().ok(),
        Some(FacetField::Keyword)
    );
    Ok(())
}

fn changed(
    id: &str,
    changed: Option<DateTime<Utc>>,
    modified: Option<DateTime<Utc>>,
) -> RecordSummary {
    RecordSummary {
        changed,
        modified,
        titles: vec![text(Some("en"), id)],
        ..record(id)
    }
}

#[test]
fn changed_dates_bound_and_order_apart_from_modified() -> anyhow::Result<()> {
    let catalog = index_of(&[
        // Changed here recently, though the resource says it was modified long ago.
        changed("a", day(2025, 3, 1), day(2014, 1, 1)),
        changed("b", day(2025, 1, 1), day(2024, 6, 1)),
        changed("c", day(2024, 12, 31), day(2025, 2, 1)),
        changed("d", None, day(2023, 1, 1)),
    ])?;
    let since = |since, until| SearchRequest {
        changed_since: since,
        changed_until: until,
        limit: 100,
        ..SearchRequest::default()
    };
    assert_eq!(
        sorted_ids(&catalog, &since(day(2025, 1, 1), None))?,
        ["a", "b"]
    );
    assert_eq!(
        sorted_ids(&catalog, &since(None, day(2025, 1, 1)))?,
        ["b", "c"],
        "inclusive bounds; a record never changed here has no date"
    );
    let modified_since = SearchRequest {
        modified_since: day(2025, 1, 1),
        limit: 100,
        ..SearchRequest::default()
    };
    assert_eq!(sorted_ids(&catalog, &modified_since)?, ["c"]);
    let order = |sort| -> anyhow::Result<Vec<String>> {
        let request = SearchRequest {
            sort,
            limit: 100,
            ..SearchRequest::default()
        };
        Ok(catalog
            .search(&request)?
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect())
    };
    assert_eq!(order(SortOrder::Changed)?, ["a", "b", "c", "d"]);
    assert_eq!(order(SortOrder::Modified)?, ["c", "b", "d", "a"]);
    Ok(())
}

#[test]
fn the_name_order_is_the_order_of_record_names() -> anyhow::Result<()> {
    let records = fixture();
    let catalog = index_of(&records)?;
    let request = SearchRequest {
        sort: SortOrder::Name,
        limit: 100,
        ..SearchRequest::default()
    };
    let got: Vec<String> = catalog
        .search(&request)?
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    let mut by_name: Vec<(String, String)> = records
        .iter()
        .map(|r| (ldtcat_model::ckan::record_name(&r.iri, &r.id), r.id.clone()))
        .collect();
    by_name.sort();
    let expected: Vec<String> = by_name.into_iter().map(|(_, id)| id).collect();
    assert_eq!(got, expected);
    Ok(())
}
