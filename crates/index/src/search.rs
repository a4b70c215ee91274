//! Running searches: one pass collects the total, the page of hits (sorted) and the facet
//! counts ([`crate::facet_count`]); the page's stored fields become [`SearchHit`]s. Answers
//! that count facets are kept for the next identical search ([`crate::search_cache`]).

use std::ops::Range;

use chrono::{DateTime, Utc};
use ldtcat_vocab::Kind;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue, SortByString};
use tantivy::collector::{
    Count, FacetCollector, FacetCounts, FruitHandle, MultiCollector, SortKeyComputer, TopDocs,
};
use tantivy::query::{AllQuery, Query};
use tantivy::schema::{Facet, Value};
use tantivy::{DocAddress, Order, Score, Searcher, TantivyDocument};

use ldtcat_model::LangString;

use crate::catalog::CatalogIndex;
use crate::document::SEPARATOR;
use crate::error::IndexError;
use crate::facet_count::{sorted_counts, FacetCounter};
use crate::id_page::{is_id_range_only, IdPage};
use crate::query::request_query;
use crate::request::{
    FacetCount, FacetField, SearchHit, SearchRequest, SearchResults, SortOrder, MAX_FACET_VALUES,
};
use crate::schema::{
    CHANGED, DISPLAY_DESCRIPTION, DISPLAY_TITLE, ID, IRI, MODIFIED, NAME_SORT, QUALITY, TITLE_SORT,
};
use crate::search_cache::{Counts, Keys};
use crate::text_query::has_text;

/// What one pass over the matches yields.
struct Collected {
    total: usize,
    page: Vec<(Score, DocAddress)>,
    facets: Vec<(FacetField, Vec<FacetCount>)>,
}

impl CatalogIndex {
    /// Runs a search: the page of hits, the total and the facet counts of all matches
    /// ([`FacetField::ALL`] when `request.facets`, else none).
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, IndexError> {
        let fields: &[FacetField] = if request.facets {
            &FacetField::ALL
        } else {
            &[]
        };
        self.search_with_facets(request, fields)
    }

    /// The same search, counting the values of `facet_fields` (in that order) whatever
    /// `request.facets` says.
    ///
    /// A search that counts facets is answered from the cache when the same request was
    /// answered at the same index generation, and counts nothing again when only its page or
    /// order differs from one that was.
    pub fn search_with_facets(
        &self,
        request: &SearchRequest,
        facet_fields: &[FacetField],
    ) -> Result<SearchResults, IndexError> {
        let searcher = self.reader.searcher();
        if facet_fields.is_empty() {
            return self.run_search(&searcher, request, facet_fields, None);
        }
        let generation = searcher.generation().generation_id();
        let keys = Keys::of(request, facet_fields);
        if let Some(found) = self.cache.answer(generation, &keys) {
            return Ok(found);
        }
        let counts = self.cache.counts(generation, &keys);
        let results = self.run_search(&searcher, request, facet_fields, counts)?;
        self.cache.keep(generation, &keys, &results);
        Ok(results)
    }

    /// The facet counts of a search as Tantivy's `FacetCollector` gives them (one collector
    /// per field), without the cache: what [`CatalogIndex::search_with_facets`] counted before
    /// it read the facet columns itself, kept so that tests and benchmarks can compare the
    /// two.
    #[doc(hidden)]
    pub fn reference_facet_counts(
        &self,
        request: &SearchRequest,
        facet_fields: &[FacetField],
    ) -> Result<Vec<(FacetField, Vec<FacetCount>)>, IndexError> {
        let query = request_query(&self.parser, &self.fields, request);
        let mut collectors = MultiCollector::new();
        let handles: Vec<(FacetField, FruitHandle<FacetCounts>)> = facet_fields
            .iter()
            .map(|field| (*field, collectors.add_collector(facet_collector(*field))))
            .collect();
        let mut fruits = self
            .reader
            .searcher()
            .search(query.as_ref(), &collectors)
            .map_err(|source| self.tantivy_error("count facet values", source))?;
        Ok(handles
            .into_iter()
            .map(|(field, handle)| {
                let counts = handle.extract(&mut fruits);
                (field, collector_counts(&counts, MAX_FACET_VALUES))
            })
            .collect())
    }

    /// The search without the cache: what a request costs the first time it is asked.
    #[doc(hidden)]
    pub fn search_uncached(
        &self,
        request: &SearchRequest,
        facet_fields: &[FacetField],
    ) -> Result<SearchResults, IndexError> {
        self.run_search(&self.reader.searcher(), request, facet_fields, None)
    }

    /// The request's query with Tantivy's own collectors alone: `Count`, the page's
    /// addresses by score (`TopDocs`), and a `FacetCollector` per field; no tie-breaking
    /// order, no stored fields, no cache. The engine's figure a benchmark puts beside
    /// [`CatalogIndex::search_uncached`]'s. Gives the total.
    #[doc(hidden)]
    pub fn raw_tantivy_search(
        &self,
        request: &SearchRequest,
        facet_fields: &[FacetField],
    ) -> Result<usize, IndexError> {
        let query = request_query(&self.parser, &self.fields, request);
        let mut collectors = MultiCollector::new();
        for field in facet_fields {
            collectors.add_collector(facet_collector(*field));
        }
        let top_docs = TopDocs::with_limit(request.limit.max(1)).order_by_score();
        let (total, page, _) = self
            .reader
            .searcher()
            .search(query.as_ref(), &(Count, top_docs, collectors))
            .map_err(|source| self.tantivy_error("run a search", source))?;
        std::hint::black_box(page);
        Ok(total)
    }

    /// A search on one searcher; `known` counts (of the same query, from the cache) are
    /// taken as they are instead of counted.
    fn run_search(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        facet_fields: &[FacetField],
        known: Option<Counts>,
    ) -> Result<SearchResults, IndexError> {
        if facet_fields.is_empty() && is_id_range_only(request) {
            let IdPage { total, page } = self.id_page(searcher, request)?;
            return Ok(SearchResults {
                total,
                hits: self.hits(searcher, &page)?,
                facets: Vec::new(),
            });
        }
        let query = request_query(&self.parser, &self.fields, request);
        let sort = match request.sort {
            SortOrder::Relevance if !has_text(&request.text) => SortOrder::Modified,
            sort => sort,
        };
        let range = page_range(searcher, request.offset, request.limit);
        let counting = Counting {
            fields: facet_fields,
            known,
        };
        // Paging backwards by id: the records closest before the cursor, put back in order.
        let backwards = sort == SortOrder::Id && request.before_id.is_some();
        let mut collected = if backwards {
            self.collect_by(
                searcher,
                query.as_ref(),
                (
                    (SortByString::for_field(ID), Order::Desc),
                    SortBySimilarityScore,
                ),
                range,
                counting,
                |(_, score)| *score,
            )?
        } else {
            self.collect(searcher, query.as_ref(), sort, range, counting)?
        };
        if backwards {
            collected.page.reverse();
        }
        Ok(SearchResults {
            total: collected.total,
            hits: self.hits(searcher, &collected.page)?,
            facets: collected.facets,
        })
    }

    /// The `limit` most recently modified records (records without a date last).
    pub fn latest(&self, limit: usize) -> Result<Vec<SearchHit>, IndexError> {
        let searcher = self.reader.searcher();
        let range = page_range(&searcher, 0, limit);
        let counting = Counting {
            fields: &[],
            known: None,
        };
        let collected = self.collect(&searcher, &AllQuery, SortOrder::Modified, range, counting)?;
        self.hits(&searcher, &collected.page)
    }

    /// Every value of a facet field with its record count, over all documents, by count
    /// descending then value (not truncated).
    pub fn facet_counts(&self, field: FacetField) -> Result<Vec<FacetCount>, IndexError> {
        let searcher = self.reader.searcher();
        let counts = searcher
            .search(&AllQuery, &FacetCounter::new(&[field]))
            .map_err(|source| self.tantivy_error("count facet values", source))?;
        Ok(counts
            .into_iter()
            .next()
            .map(|counts| sorted_counts(counts, usize::MAX))
            .unwrap_or_default())
    }

    fn collect(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        sort: SortOrder,
        range: Range<usize>,
        counting: Counting<'_>,
    ) -> Result<Collected, IndexError> {
        let modified_desc = (
            SortByStaticFastValue::<tantivy::DateTime>::for_field(MODIFIED),
            Order::Desc,
        );
        // Ties are broken by record id, so that results do not depend on segment layout
        // (a rebuilt index answers exactly as the one it replaces).
        let id_asc = || (SortByString::for_field(ID), Order::Asc);
        match sort {
            SortOrder::Relevance => self.collect_by(
                searcher,
                query,
                (SortBySimilarityScore, modified_desc, id_asc()),
                range,
                counting,
                |(score, _, _)| *score,
            ),
            // Keyed orders break ties by id alone (the score comes last, for the hits), so
            // that a page's last hit is a cursor for the next ([`crate::AfterHit`]).
            SortOrder::Modified => self.collect_by(
                searcher,
                query,
                (modified_desc, id_asc(), SortBySimilarityScore),
                range,
                counting,
                |(_, _, score)| *score,
            ),
            SortOrder::Id => self.collect_by(
                searcher,
                query,
                (id_asc(), SortBySimilarityScore),
                range,
                counting,
                |(_, score)| *score,
            ),
            SortOrder::Title => self.collect_by(
                searcher,
                query,
                (
                    (SortByString::for_field(TITLE_SORT), Order::Asc),
                    id_asc(),
                    SortBySimilarityScore,
                ),
                range,
                counting,
                |(_, _, score)| *score,
            ),
            SortOrder::Changed => self.collect_by(
                searcher,
                query,
                (
                    (
                        SortByStaticFastValue::<tantivy::DateTime>::for_field(CHANGED),
                        Order::Desc,
                    ),
                    SortBySimilarityScore,
                    id_asc(),
                ),
                range,
                counting,
                |(_, score, _)| *score,
            ),
            SortOrder::Quality => self.collect_by(
                searcher,
                query,
                (
                    (
                        SortByStaticFastValue::<u64>::for_field(QUALITY),
                        Order::Desc,
                    ),
                    id_asc(),
                    SortBySimilarityScore,
                ),
                range,
                counting,
                |(_, _, score)| *score,
            ),
            SortOrder::Name => self.collect_by(
                searcher,
                query,
                (
                    (SortByString::for_field(NAME_SORT), Order::Asc),
                    SortBySimilarityScore,
                ),
                range,
                counting,
                |(_, score)| *score,
            ),
        }
    }

    fn collect_by<S>(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        sort: S,
        range: Range<usize>,
        counting: Counting<'_>,
        score_of: fn(&S::SortKey) -> Score,
    ) -> Result<Collected, IndexError>
    where
        S: SortKeyComputer + Send + 'static,
    {
        let top_docs = (!range.is_empty()).then(|| TopDocs::for_doc_range(range).order_by(sort));
        let (count, facet_counter) = match &counting.known {
            Some(_) => (None, None),
            None => (
                Some(Count),
                (!counting.fields.is_empty()).then(|| FacetCounter::new(counting.fields)),
            ),
        };
        let (total, page, facet_fruits) = if top_docs.is_none() && count.is_none() {
            (None, None, None)
        } else if top_docs.is_none() && facet_counter.is_none() {
            // Counting alone: Tantivy's `Count` asks each segment's query for its count,
            // without visiting the matches one by one where the query knows it.
            let total = searcher
                .search(query, &Count)
                .map_err(|source| self.tantivy_error("count the matches", source))?;
            (Some(total), None, None)
        } else {
            searcher
                .search(query, &(count, top_docs, facet_counter))
                .map_err(|source| self.tantivy_error("run a search", source))?
        };
        let (total, facets) = match counting.known {
            Some(known) => (known.total, known.facets),
            None => {
                let facets = counting
                    .fields
                    .iter()
                    .copied()
                    .zip(facet_fruits.unwrap_or_default())
                    .map(|(field, counts)| (field, sorted_counts(counts, MAX_FACET_VALUES)))
                    .collect();
                (total.unwrap_or_default(), facets)
            }
        };
        let page = page
            .unwrap_or_default()
            .into_iter()
            .map(|(sort_key, address)| (score_of(&sort_key), address))
            .collect();
        Ok(Collected {
            total,
            page,
            facets,
        })
    }

    /// Loads the stored fields of a page of matches.
    fn hits(
        &self,
        searcher: &Searcher,
        page: &[(Score, DocAddress)],
    ) -> Result<Vec<SearchHit>, IndexError> {
        page.iter()
            .map(|(score, address)| {
                let document: TantivyDocument = searcher
                    .doc(*address)
                    .map_err(|source| self.tantivy_error("load a stored document", source))?;
                self.hit(&document, *score)
            })
            .collect()
    }

    fn hit(&self, document: &TantivyDocument, score: Score) -> Result<SearchHit, IndexError> {
        let fields = &self.fields;
        let text = |field, name| {
            document
                .get_first(field)
                .and_then(|value| value.as_str().map(str::to_owned))
                .ok_or_else(|| self.corrupt(name))
        };
        let kind = document
            .get_first(fields.facet(FacetField::Kind))
            .and_then(|value| value.as_facet())
            .and_then(|encoded| Facet::from_encoded(encoded.as_bytes().to_vec()).ok())
            .and_then(|facet| facet.to_path().concat().parse::<Kind>().ok())
            .ok_or_else(|| self.corrupt(FacetField::Kind.as_str()))?;
        let modified = document
            .get_first(fields.modified)
            .and_then(|value| value.as_datetime())
            .map(|date| DateTime::<Utc>::from_timestamp_nanos(date.into_timestamp_nanos()));
        Ok(SearchHit {
            id: text(fields.id, ID)?,
            iri: text(fields.iri, IRI)?,
            kind,
            title: text(fields.display_title, DISPLAY_TITLE)?,
            description: text(fields.display_description, DISPLAY_DESCRIPTION)?,
            modified,
            score,
            quality: document
                .get_first(fields.quality)
                .and_then(|value| value.as_u64())
                .and_then(|score| u32::try_from(score).ok()),
            requirements: document
                .get_all(fields.requirement)
                .filter_map(|value| value.as_str().map(str::to_owned))
                .collect(),
            titles: tagged_texts(document, fields.titles_stored),
            descriptions: tagged_texts(document, fields.snippets),
        })
    }

    fn corrupt(&self, field: &'static str) -> IndexError {
        IndexError::CorruptDocument {
            location: self.location.clone(),
            field,
        }
    }
}

/// The stored `lang␟text` entries of a field.
fn tagged_texts(document: &TantivyDocument, field: tantivy::schema::Field) -> Vec<LangString> {
    document
        .get_all(field)
        .filter_map(|value| value.as_str())
        .filter_map(|entry| entry.split_once(SEPARATOR))
        .map(|(lang, text)| LangString {
            value: text.to_owned(),
            lang: (!lang.is_empty()).then(|| lang.to_owned()),
        })
        .collect()
}

/// The hit range of a page, clamped to the number of documents so that a huge offset
/// allocates nothing.
fn page_range(searcher: &Searcher, offset: usize, limit: usize) -> Range<usize> {
    let num_docs = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let start = offset.min(num_docs);
    let end = start.saturating_add(limit).min(num_docs);
    start..end
}

/// What a search counts: the values of `fields`, unless the counts are `known`.
struct Counting<'a> {
    fields: &'a [FacetField],
    known: Option<Counts>,
}

/// Counts the top-level values of a facet field.
fn facet_collector(field: FacetField) -> FacetCollector {
    let mut collector = FacetCollector::for_field(field.as_str());
    collector.add_facet(Facet::root());
    collector
}

/// A `FacetCollector`'s counts by count descending, then value; at most `max` values.
fn collector_counts(counts: &FacetCounts, max: usize) -> Vec<FacetCount> {
    let mut sorted: Vec<FacetCount> = counts
        .get(Facet::root())
        .map(|(facet, count)| FacetCount {
            value: facet.to_path().concat(),
            count,
        })
        .collect();
    sorted.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    sorted.truncate(max);
    sorted
}

/// What tests of other modules compare with.
#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// The total and page of a request by Tantivy's sorting collector (not the dictionaries
    /// of [`crate::id_page`]).
    pub(crate) fn collected_by_sorting(
        catalog: &CatalogIndex,
        searcher: &Searcher,
        request: &SearchRequest,
    ) -> Result<(usize, Vec<(Score, DocAddress)>), IndexError> {
        let query = request_query(&catalog.parser, &catalog.fields, request);
        let range = page_range(searcher, request.offset, request.limit);
        let counting = Counting {
            fields: &[],
            known: None,
        };
        let collected = catalog.collect(searcher, query.as_ref(), request.sort, range, counting)?;
        Ok((collected.total, collected.page))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{
        fixture, index_of, record, BUILDINGS, ENVIRONMENT, RISK_ZONES, TRANSPORT,
    };
    use crate::FacetFilter;

    fn counts(pairs: &[(&str, u64)]) -> Vec<FacetCount> {
        pairs
            .iter()
            .map(|(value, count)| FacetCount {
                value: (*value).to_owned(),
                count: *count,
            })
            .collect()
    }

    fn ids(hits: &[SearchHit]) -> Vec<&str> {
        hits.iter().map(|hit| hit.id.as_str()).collect()
    }

    #[test]
    fn paging_by_id_with_a_cursor_equals_paging_with_offsets() -> anyhow::Result<()> {
        let catalog = index_of(&fixture())?;
        let page = |offset: usize, after_id: Option<String>| {
            catalog.search(&SearchRequest {
                sort: SortOrder::Id,
                offset,
                limit: 3,
                after_id,
                facets: false,
                ..SearchRequest::default()
            })
        };
        let mut by_cursor = Vec::new();
        let mut cursor = None;
        loop {
            let hits = page(0, cursor.clone())?.hits;
            let Some(last) = hits.last() else { break };
            cursor = Some(last.id.clone());
            by_cursor.extend(hits.iter().map(|hit| hit.id.clone()));
        }
        let mut by_offset = Vec::new();
        for offset in (0..fixture().len()).step_by(3) {
            by_offset.extend(page(offset, None)?.hits.iter().map(|hit| hit.id.clone()));
        }
        let mut all: Vec<String> = fixture().iter().map(|r| r.id.clone()).collect();
        all.sort();
        assert_eq!(by_cursor, all);
        assert_eq!(by_offset, all);
        Ok(())
    }

    #[test]
    fn paging_backwards_with_before_gives_the_pages_just_before_the_cursor() -> anyhow::Result<()> {
        let catalog = index_of(&fixture())?;
        let mut all: Vec<String> = fixture().iter().map(|r| r.id.clone()).collect();
        all.sort();
        let page = |before_id: Option<String>| {
            catalog.search(&SearchRequest {
                sort: SortOrder::Id,
                limit: 3,
                before_id,
                facets: false,
                ..SearchRequest::default()
            })
        };
        let mut backwards = Vec::new();
        let mut cursor = all.last().cloned();
        let last = page(None)?; // no cursor: the first page, as forwards
        assert_eq!(
            ids(&last.hits),
            all[..3].iter().map(String::as_str).collect::<Vec<_>>()
        );
        backwards.push(cursor.clone().unwrap_or_default());
        loop {
            let results = page(cursor.clone())?;
            let Some(first) = results.hits.first() else {
                break;
            };
            let mut hits: Vec<String> = results.hits.iter().map(|h| h.id.clone()).collect();
            assert!(hits.windows(2).all(|w| w[0] < w[1]), "ascending: {hits:?}");
            cursor = Some(first.id.clone());
            hits.append(&mut backwards);
            backwards = hits;
        }
        assert_eq!(backwards, all);
        Ok(())
    }

    #[test]
    fn facet_counts_over_all_documents_are_exact() -> anyhow::Result<()> {
        let catalog = index_of(&fixture())?;
        let kinds = [("dataset", 4), ("model", 2), ("output", 1), ("service", 1)];
        let mut expected_kinds = counts(&kinds);
        expected_kinds.extend(counts(&[("visualisation", 1), ("workflow", 1)]));
        assert_eq!(catalog.facet_counts(FacetField::Kind)?, expected_kinds);
        assert_eq!(
            catalog.facet_counts(FacetField::Theme)?,
            counts(&[
                (ENVIRONMENT, 5),
                (TRANSPORT, 4),
                (BUILDINGS, 1),
                (RISK_ZONES, 1)
            ])
        );
        assert_eq!(
            catalog.facet_counts(FacetField::Format)?,
            counts(&[
                ("CSV", 4),
                ("JSON", 2),
                ("3D Tiles", 1),
                ("ONNX", 1),
                ("WFS", 1)
            ])
        );
        assert_eq!(
            catalog.facet_counts(FacetField::Licence)?,
            counts(&[
                (
                    "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
                    5
                ),
                (
                    "http://publications.europa.eu/resource/authority/licence/CC0",
                    3
                )
            ])
        );
        let publishers = catalog.facet_counts(FacetField::Publisher)?;
        assert_eq!(publishers.len(), 9);
        assert_eq!(publishers[0], counts(&[("City of Utrecht", 2)])[0]);
        let sources = catalog.facet_counts(FacetField::Source)?;
        assert_eq!(sources.iter().map(|c| c.count).sum::<u64>(), 10);
        Ok(())
    }

    #[test]
    fn search_facets_count_the_filtered_matches() -> anyhow::Result<()> {
        let catalog = index_of(&fixture())?;
        let request = SearchRequest {
            filters: vec![FacetFilter {
                field: FacetField::Kind,
                value: "dataset".to_owned(),
            }],
            limit: 0,
            ..SearchRequest::default()
        };
        let results = catalog.search(&request)?;
        assert_eq!(results.total, 4);
        assert!(results.hits.is_empty());
        let fields: Vec<FacetField> = results.facets.iter().map(|(field, _)| *field).collect();
        assert_eq!(fields, FacetField::ALL);
        assert_eq!(results.facets[0].1, counts(&[("dataset", 4)]));
        assert_eq!(results.facets[3].1, counts(&[("CSV", 3), ("JSON", 2)]));
        Ok(())
    }

    #[test]
    fn an_iri_facet_value_round_trips_through_a_filter() -> anyhow::Result<()> {
        let catalog = index_of(&fixture())?;
        let all = catalog.search(&SearchRequest::default())?;
        let themes = &all.facets[1].1;
        let top_theme = &themes[0];
        assert_eq!(top_theme.value, ENVIRONMENT);
        let request = SearchRequest {
            filters: vec![FacetFilter {
                field: FacetField::Theme,
                value: top_theme.value.clone(),
            }],
            ..SearchRequest::default()
        };
        assert_eq!(catalog.search(&request)?.total as u64, top_theme.count);
        Ok(())
    }

    #[test]
    fn empty_text_sorts_by_modified_undated_last() -> anyhow::Result<()> {
        let catalog = index_of(&fixture())?;
        let request = SearchRequest {
            limit: 100,
            ..SearchRequest::default()
        };
        let results = catalog.search(&request)?;
        let expected = [
            "r07", "r02", "r01", "r06", "r03", "r10", "r04", "r08", "r09", "r05",
        ];
        assert_eq!(ids(&results.hits), expected);
        assert_eq!(results.hits[0].modified, crate::fixtures::day(2024, 6, 1));
        assert_eq!(results.hits[9].modified, None);
        assert_eq!(ids(&catalog.latest(3)?), ["r07", "r02", "r01"]);
        assert!(catalog.latest(0)?.is_empty());
        Ok(())
    }

    #[test]
    fn text_can_be_sorted_by_modified_or_title() -> anyhow::Result<()> {
        let catalog = index_of(&fixture())?;
        let request = |sort| SearchRequest {
            text: "air OR verkehr OR sensor".to_owned(),
            sort,
            ..SearchRequest::default()
        };
        let by_modified = catalog.search(&request(SortOrder::Modified))?;
        assert_eq!(ids(&by_modified.hits), ["r02", "r01", "r10", "r08", "r09"]);
        assert!(by_modified.hits.iter().all(|hit| hit.score > 0.0));
        let by_title = catalog.search(&request(SortOrder::Title))?;
        // Air quality…, Luftkvalitet…, Messungen…, Model ruchu…, Sensores…
        assert_eq!(ids(&by_title.hits), ["r01", "r09", "r02", "r10", "r08"]);
        Ok(())
    }

    #[test]
    fn pages_cover_the_matches_once_and_keep_the_total() -> anyhow::Result<()> {
        let catalog = index_of(&fixture())?;
        let page = |offset| -> anyhow::Result<SearchResults> {
            let request = SearchRequest {
                offset,
                limit: 4,
                ..SearchRequest::default()
            };
            Ok(catalog.search(&request)?)
        };
        let mut seen = Vec::new();
        for offset in [0, 4, 8] {
            let results = page(offset)?;
            assert_eq!(results.total, 10);
            seen.extend(results.hits.into_iter().map(|hit| hit.id));
        }
        assert_eq!(seen.len(), 10);
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 10);
        for offset in [10, 11, usize::MAX] {
            let results = page(offset)?;
            assert!(results.hits.is_empty());
            assert_eq!(results.total, 10);
        }
        Ok(())
    }

    #[test]
    fn hits_carry_the_display_fields() -> anyhow::Result<()> {
        let mut long = record("long");
        long.descriptions = vec![crate::fixtures::text(None, &"lorem ipsum ".repeat(100))];
        let catalog = index_of(&[long])?;
        let hits = catalog.latest(1)?;
        assert_eq!(hits.len(), 1);
        let hit = &hits[0];
        assert_eq!(hit.iri, "https://example.org/resource/long");
        assert_eq!(hit.kind, Kind::Dataset);
        assert_eq!(hit.title, "Record long");
        assert!(hit.description.ends_with('…'));
        assert!(hit.description.chars().count() <= 301);
        assert_eq!(hit.modified, None);
        Ok(())
    }

    #[test]
    fn an_empty_index_answers_everything() -> anyhow::Result<()> {
        let catalog = index_of(&[])?;
        for sort in [SortOrder::Relevance, SortOrder::Modified, SortOrder::Title] {
            let request = SearchRequest {
                text: "air".to_owned(),
                sort,
                ..SearchRequest::default()
            };
            assert_eq!(catalog.search(&request)?.total, 0);
        }
        assert!(catalog.latest(5)?.is_empty());
        assert!(catalog.facet_counts(FacetField::Theme)?.is_empty());
        Ok(())
    }
}
