//! What searches that count facets leave for the next identical one: whole answers by
//! request, and the total and facet counts by query (whatever page or order is asked), for
//! one index generation.
//!
//! Both are least-recently-used maps bounded in entries and in bytes, emptied as soon as a
//! search sees a newer generation (a commit or reload), so an answer never outlives the index
//! state it was computed from. A key is the request's `Debug` form: every field, numbers
//! exactly, so two requests share an entry only when they ask the same thing.

use std::num::NonZeroUsize;
use std::sync::Mutex;

use lru::LruCache;

use crate::request::{FacetCount, FacetField, SearchRequest, SearchResults, SortOrder};

/// Entries kept at most in each map.
const ENTRIES: usize = 512;
/// Bytes (estimated) kept at most by the answers' map; an answer above an eighth of it is
/// not kept.
const ANSWER_BYTES: usize = 32 * 1024 * 1024;

/// The total and facet counts of a query.
#[derive(Debug, Clone)]
pub(crate) struct Counts {
    pub(crate) total: usize,
    pub(crate) facets: Vec<(FacetField, Vec<FacetCount>)>,
}

struct Maps {
    generation: u64,
    answers: LruCache<String, (SearchResults, usize)>,
    answer_bytes: usize,
    counts: LruCache<String, Counts>,
}

/// The caches of one index (shared by its clones).
pub(crate) struct SearchCache {
    maps: Mutex<Maps>,
}

impl std::fmt::Debug for SearchCache {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("SearchCache")
    }
}

/// The keys of a request counting `fields`: of its whole answer, and of its counts.
pub(crate) struct Keys {
    answer: String,
    counts: String,
}

impl Keys {
    pub(crate) fn of(request: &SearchRequest, fields: &[FacetField]) -> Keys {
        // Paging and order change the page, not what is counted.
        let query = SearchRequest {
            offset: 0,
            limit: 0,
            sort: SortOrder::Relevance,
            facets: false,
            ..request.clone()
        };
        Keys {
            answer: format!("{request:?} {fields:?}"),
            counts: format!("{query:?} {fields:?}"),
        }
    }
}

impl SearchCache {
    pub(crate) fn new() -> SearchCache {
        let entries = NonZeroUsize::new(ENTRIES).unwrap_or(NonZeroUsize::MIN);
        SearchCache {
            maps: Mutex::new(Maps {
                generation: u64::MAX,
                answers: LruCache::new(entries),
                answer_bytes: 0,
                counts: LruCache::new(entries),
            }),
        }
    }

    /// The maps for `generation`, emptied if they were filled at another one. A poisoned
    /// lock (a panic while holding it) reads as no cache.
    fn with<T>(&self, generation: u64, action: impl FnOnce(&mut Maps) -> Option<T>) -> Option<T> {
        let mut maps = self.maps.lock().ok()?;
        if maps.generation != generation {
            maps.generation = generation;
            maps.answers.clear();
            maps.answer_bytes = 0;
            maps.counts.clear();
        }
        action(&mut maps)
    }

    pub(crate) fn answer(&self, generation: u64, keys: &Keys) -> Option<SearchResults> {
        self.with(generation, |maps| {
            maps.answers
                .get(&keys.answer)
                .map(|(found, _)| found.clone())
        })
    }

    pub(crate) fn counts(&self, generation: u64, keys: &Keys) -> Option<Counts> {
        self.with(generation, |maps| maps.counts.get(&keys.counts).cloned())
    }

    /// Keeps an answer (and its counts) computed at `generation`.
    pub(crate) fn keep(&self, generation: u64, keys: &Keys, results: &SearchResults) {
        let bytes = estimated_bytes(results);
        self.with(generation, |maps| {
            maps.counts.put(
                keys.counts.clone(),
                Counts {
                    total: results.total,
                    facets: results.facets.clone(),
                },
            );
            if bytes > ANSWER_BYTES / 8 {
                return Some(());
            }
            if let Some((_, (_, replaced))) = maps
                .answers
                .push(keys.answer.clone(), (results.clone(), bytes))
            {
                maps.answer_bytes -= replaced;
            }
            maps.answer_bytes += bytes;
            while maps.answer_bytes > ANSWER_BYTES {
                let Some((_, (_, evicted))) = maps.answers.pop_lru() else {
                    break;
                };
                maps.answer_bytes -= evicted;
            }
            Some(())
        });
    }
}

/// About how many bytes an answer holds: its strings and a fixed cost per item.
fn estimated_bytes(results: &SearchResults) -> usize {
    let hits: usize = results
        .hits
        .iter()
        .map(|hit| {
            let texts = hit.titles.iter().chain(&hit.descriptions);
            256 + hit.id.len()
                + hit.iri.len()
                + hit.title.len()
                + hit.description.len()
                + hit.requirements.iter().map(String::len).sum::<usize>()
                + texts
                    .map(|text| 32 + text.value.len() + text.lang.as_ref().map_or(0, String::len))
                    .sum::<usize>()
        })
        .sum();
    let facets: usize = results
        .facets
        .iter()
        .flat_map(|(_, counts)| counts)
        .map(|count| 32 + count.value.len())
        .sum();
    hits + facets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(total: usize) -> SearchResults {
        SearchResults {
            total,
            hits: Vec::new(),
            facets: vec![(
                FacetField::Kind,
                vec![FacetCount {
                    value: "dataset".to_owned(),
                    count: total as u64,
                }],
            )],
        }
    }

    #[test]
    fn an_answer_is_found_only_at_its_generation_and_for_its_request() {
        let cache = SearchCache::new();
        let request = SearchRequest {
            text: "air".to_owned(),
            ..SearchRequest::default()
        };
        let keys = Keys::of(&request, &FacetField::ALL);
        cache.keep(7, &keys, &results(3));
        assert_eq!(cache.answer(7, &keys).map(|found| found.total), Some(3));
        let other = Keys::of(
            &SearchRequest {
                text: "water".to_owned(),
                ..SearchRequest::default()
            },
            &FacetField::ALL,
        );
        assert!(cache.answer(7, &other).is_none());
        let fewer_fields = Keys::of(&request, &[FacetField::Kind]);
        assert!(cache.answer(7, &fewer_fields).is_none());
        // A newer generation empties both maps; going back does not refill them.
        assert!(cache.answer(8, &keys).is_none());
        assert!(cache.counts(7, &keys).is_none());
    }

    #[test]
    fn another_page_or_order_of_the_same_query_shares_the_counts_only() {
        let cache = SearchCache::new();
        let request = SearchRequest {
            text: "air".to_owned(),
            ..SearchRequest::default()
        };
        cache.keep(1, &Keys::of(&request, &FacetField::ALL), &results(5));
        let next_page = Keys::of(
            &SearchRequest {
                offset: 10,
                sort: SortOrder::Title,
                ..request.clone()
            },
            &FacetField::ALL,
        );
        assert!(cache.answer(1, &next_page).is_none());
        assert_eq!(cache.counts(1, &next_page).map(|c| c.total), Some(5));
        let filtered = Keys::of(
            &SearchRequest {
                min_quality: Some(100),
                ..request
            },
            &FacetField::ALL,
        );
        assert!(cache.counts(1, &filtered).is_none());
    }

    #[test]
    fn answers_stay_within_their_byte_budget() {
        let cache = SearchCache::new();
        // An answer with `n` publishers of about 300 bytes each.
        let with_publishers = |n: usize| SearchResults {
            facets: vec![(
                FacetField::Publisher,
                (0..n)
                    .map(|n| FacetCount {
                        value: format!("publisher {n:0>300}"),
                        count: 1,
                    })
                    .collect(),
            )],
            ..results(1)
        };
        let big = with_publishers(20_000);
        let bytes = estimated_bytes(&big);
        assert!(bytes > ANSWER_BYTES / 8);
        let keys = Keys::of(&SearchRequest::default(), &FacetField::ALL);
        cache.keep(1, &keys, &big);
        assert!(cache.answer(1, &keys).is_none(), "too big to keep");
        assert!(cache.counts(1, &keys).is_some());

        let medium = with_publishers(1_000);
        for text in 0..200 {
            let request = SearchRequest {
                text: text.to_string(),
                ..SearchRequest::default()
            };
            cache.keep(1, &Keys::of(&request, &FacetField::ALL), &medium);
        }
        let maps = cache.maps.lock().expect("lock");
        assert!(maps.answer_bytes <= ANSWER_BYTES);
        assert!(maps.answers.len() < 200);
        assert_eq!(
            maps.answer_bytes,
            maps.answers.iter().map(|(_, (_, b))| b).sum::<usize>()
        );
    }
}
