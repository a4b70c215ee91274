//! Tests of the facet counts a search gives ([`crate::facet_count`]) against Tantivy's
//! `FacetCollector` ([`CatalogIndex::reference_facet_counts`]), on the ten-record fixture
//! and on 10,000 generated records spread over several segments with deletions, for every
//! facet and the filter combinations the other tests use; and of the cache of answers
//! ([`crate::search_cache`]) never outliving a change.

use ldtcat_model::summary::{BoundingBox, RecordSummary};
use ldtcat_vocab::Kind;

use crate::fixtures::{fixture, index_of, record, text, ENVIRONMENT, TRANSPORT};
use crate::{
    CatalogIndex, FacetClause, FacetField, FacetFilter, SearchRequest, SortOrder, MAX_FACET_VALUES,
};

/// A small deterministic generator (a linear congruential one).
struct Numbers(u64);

impl Numbers {
    fn below(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % bound as u64) as usize
    }

    /// `up_to` distinct values named `prefix n`, n below `of` (skewed towards small n).
    fn values(&mut self, prefix: &str, up_to: usize, of: usize) -> Vec<String> {
        let count = self.below(up_to + 1);
        let mut values: Vec<String> = (0..count)
            .map(|_| {
                let n = self.below(of).min(self.below(of));
                format!("{prefix} {n}")
            })
            .collect();
        values.sort();
        values.dedup();
        values
    }
}

const WORDS: [&str; 8] = [
    "air", "water", "road", "noise", "energy", "building", "tree", "parking",
];

fn generated(n: usize, numbers: &mut Numbers, generation: &str) -> RecordSummary {
    let word = WORDS[numbers.below(WORDS.len())];
    let other = WORDS[numbers.below(WORDS.len())];
    RecordSummary {
        kind: Kind::ALL[numbers.below(Kind::ALL.len())],
        titles: vec![text(
            Some("en"),
            &format!("{word} {other} {n} {generation}"),
        )],
        themes: numbers.values("http://example.org/theme", 3, 15),
        publishers: numbers.values("Publisher", 1, 300),
        formats: numbers.values("FORMAT", 4, 12),
        licences: numbers.values("http://example.org/licence", 1, 6),
        sources: numbers.values("source", 2, 5),
        keywords: numbers
            .values("keyword", 5, 2_000)
            .iter()
            .map(|keyword| text(None, keyword))
            .collect(),
        bbox: (numbers.below(2) == 0).then(|| BoundingBox {
            west: numbers.below(10) as f64,
            south: 45.0,
            east: 10.0 + numbers.below(10) as f64,
            north: 50.0,
        }),
        ..record(&format!("g{n:05}"))
    }
}

/// A batch whose segments are never merged, so that searches meet several.
fn unmerged_batch(catalog: &CatalogIndex) -> anyhow::Result<crate::IndexBatch<'_>> {
    let writer = catalog.index.writer_with_num_threads(1, 15_000_000)?;
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    Ok(crate::IndexBatch::new(catalog, writer))
}

/// 10,000 records in three commits (three segments at least), 500 deleted and 300 replaced.
fn ten_thousand() -> anyhow::Result<CatalogIndex> {
    let catalog = CatalogIndex::open_in_ram()?;
    let mut numbers = Numbers(7);
    for part in 0..3 {
        let mut batch = unmerged_batch(&catalog)?;
        for n in (part * 3_400)..((part + 1) * 3_400).min(10_000) {
            batch.upsert(&generated(n, &mut numbers, "first"))?;
        }
        batch.commit()?;
    }
    let mut batch = unmerged_batch(&catalog)?;
    for n in (0..10_000).step_by(20) {
        batch.delete(&format!("g{n:05}"));
    }
    for n in (5..10_000).step_by(33).take(300) {
        batch.upsert(&generated(n, &mut numbers, "second"))?;
    }
    batch.commit()?;
    Ok(catalog)
}

fn filter(field: FacetField, value: &str) -> FacetFilter {
    FacetFilter {
        field,
        value: value.to_owned(),
    }
}

/// Requests with every kind of condition, one field's values at a time and together.
fn requests(catalog: &CatalogIndex) -> anyhow::Result<Vec<SearchRequest>> {
    let mut requests = vec![SearchRequest::default()];
    for text in [
        "air",
        "water OR road",
        "\"air water\"",
        "nothing-matches-this",
    ] {
        requests.push(SearchRequest {
            text: text.to_owned(),
            ..SearchRequest::default()
        });
    }
    for field in FacetField::EVERY {
        for value in catalog.facet_counts(field)?.iter().take(4) {
            requests.push(SearchRequest {
                filters: vec![filter(field, &value.value)],
                ..SearchRequest::default()
            });
            requests.push(SearchRequest {
                text: "air OR tree".to_owned(),
                facet_clauses: vec![FacetClause {
                    field,
                    values: vec![value.value.clone()],
                    negated: true,
                }],
                ..SearchRequest::default()
            });
        }
    }
    let theme = catalog.facet_counts(FacetField::Theme)?;
    let format = catalog.facet_counts(FacetField::Format)?;
    if let (Some(theme), Some(format)) = (theme.first(), format.get(1)) {
        requests.push(SearchRequest {
            filters: vec![
                filter(FacetField::Theme, &theme.value),
                filter(FacetField::Format, &format.value),
                filter(FacetField::Kind, "dataset"),
                filter(FacetField::Kind, "model"),
            ],
            bbox: Some(BoundingBox {
                west: 3.0,
                south: 44.0,
                east: 8.0,
                north: 52.0,
            }),
            ..SearchRequest::default()
        });
    }
    requests.push(SearchRequest {
        bbox: Some(BoundingBox {
            west: 5.0,
            south: 47.0,
            east: 9.0,
            north: 53.0,
        }),
        sort: SortOrder::Id,
        after_id: Some("g04000".to_owned()),
        ..SearchRequest::default()
    });
    Ok(requests)
}

fn assert_counts_agree(catalog: &CatalogIndex) -> anyhow::Result<usize> {
    let requests = requests(catalog)?;
    for request in &requests {
        let results = catalog.search_with_facets(request, &FacetField::EVERY)?;
        let reference = catalog.reference_facet_counts(request, &FacetField::EVERY)?;
        assert_eq!(results.facets, reference, "{request:?}");
        let kinds: u64 = reference[0].1.iter().map(|count| count.count).sum();
        assert_eq!(
            results.total as u64, kinds,
            "one kind per record: {request:?}"
        );
        // The same request again (from the cache) and its second page (cached counts).
        assert_eq!(
            catalog.search_with_facets(request, &FacetField::EVERY)?,
            results
        );
        let next = SearchRequest {
            offset: 10,
            sort: SortOrder::Title,
            ..request.clone()
        };
        let page = catalog.search_with_facets(&next, &FacetField::EVERY)?;
        assert_eq!((page.total, &page.facets), (results.total, &reference));
    }
    Ok(requests.len())
}

#[test]
fn counts_equal_the_facet_collectors_on_the_ten_record_fixture() -> anyhow::Result<()> {
    let asked = assert_counts_agree(&index_of(&fixture())?)?;
    assert!(asked > 30, "{asked} requests");
    Ok(())
}

#[test]
fn counts_equal_the_facet_collectors_on_ten_thousand_records_in_segments() -> anyhow::Result<()> {
    let catalog = ten_thousand()?;
    let deleted_and_back = (5..10_000).step_by(33).take(300).filter(|n| n % 20 == 0);
    assert_eq!(catalog.num_docs(), 9_500 + deleted_and_back.count() as u64);
    let segments = catalog.reader.searcher().segment_readers().len();
    assert!(segments >= 2, "{segments} segments");
    let publishers = catalog.facet_counts(FacetField::Publisher)?;
    assert!(
        publishers.len() > MAX_FACET_VALUES,
        "the top values are cut"
    );
    let keywords = catalog.facet_counts(FacetField::Keyword)?;
    assert!(keywords.len() > 1_000);
    let asked = assert_counts_agree(&catalog)?;
    assert!(asked > 60, "{asked} requests");
    Ok(())
}

#[test]
fn a_change_is_counted_by_the_next_search() -> anyhow::Result<()> {
    let catalog = index_of(&fixture())?;
    let request = SearchRequest {
        filters: vec![filter(FacetField::Theme, ENVIRONMENT)],
        ..SearchRequest::default()
    };
    let before = catalog.search(&request)?;
    assert_eq!(before.total, 5);
    let transport_count = |results: &crate::SearchResults| {
        results.facets[1]
            .1
            .iter()
            .find(|count| count.value == TRANSPORT)
            .map_or(0, |count| count.count)
    };
    assert_eq!(
        catalog.search(&request)?,
        before,
        "answered again from the cache"
    );
    // r02 (transport) becomes an environment record too; r01 goes.
    let mut batch = catalog.batch()?;
    let mut changed = fixture()[1].clone();
    changed.themes = vec![TRANSPORT.to_owned(), ENVIRONMENT.to_owned()];
    batch.upsert(&changed)?;
    batch.delete("r01");
    batch.commit()?;
    let after = catalog.search(&request)?;
    assert_eq!(after.total, 5);
    let ids: Vec<&str> = after.hits.iter().map(|hit| hit.id.as_str()).collect();
    assert!(ids.contains(&"r02") && !ids.contains(&"r01"), "{ids:?}");
    assert_eq!(transport_count(&after), transport_count(&before) + 1);
    assert_eq!(
        after.facets,
        catalog.reference_facet_counts(&request, &FacetField::ALL)?
    );
    Ok(())
}
