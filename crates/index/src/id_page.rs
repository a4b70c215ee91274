//! Pages in record-id order with no other condition (what `/catalog` serves, and a harvester
//! walks with the `after` cursor), read from the `id` field's term dictionaries: the next
//! ids after the cursor in each segment, merged, so that a page costs the same whatever the
//! catalogue's size, instead of sorting every match.
//!
//! The total is counted from the dictionaries too: each id is one term, so a segment without
//! deletions has as many records after the cursor as terms; in a segment with deletions the
//! living documents are counted from the id column.

use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Score, Searcher, SegmentReader};

use crate::catalog::CatalogIndex;
use crate::error::IndexError;
use crate::request::{SearchRequest, SortOrder};
use crate::schema::ID;

/// The score of a hit of such a page, as the query the general path runs gives it: every
/// record alike, 1 (all records) or 0 (behind a cursor, whose range filter does not score).
fn score(request: &SearchRequest) -> Score {
    if request.after_id.is_some() {
        0.0
    } else {
        1.0
    }
}

/// The first ids after a cursor in one segment: id bytes and document, in id order.
type FirstIds = Vec<(Vec<u8>, tantivy::DocId)>;

/// What a page read from the dictionaries gives: the total and the page's addresses.
pub(crate) struct IdPage {
    pub(crate) total: usize,
    pub(crate) page: Vec<(Score, DocAddress)>,
}

/// Whether the request asks only for records in id order, after an optional cursor.
pub(crate) fn is_id_range_only(request: &SearchRequest) -> bool {
    request.sort == SortOrder::Id
        && request.before_id.is_none()
        && *request
            == SearchRequest {
                sort: SortOrder::Id,
                after_id: request.after_id.clone(),
                offset: request.offset,
                limit: request.limit,
                facets: request.facets,
                ..SearchRequest::default()
            }
}

impl CatalogIndex {
    /// The page of a request [`is_id_range_only`] accepts.
    pub(crate) fn id_page(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
    ) -> Result<IdPage, IndexError> {
        let wanted = request.offset.saturating_add(request.limit);
        let mut total = 0;
        let mut entries: Vec<(Vec<u8>, DocAddress)> = Vec::new();
        for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
            let after = request.after_id.as_deref();
            let (count, first) = self
                .segment_ids_after(segment, after, wanted)
                .map_err(|source| self.tantivy_error("read record ids in order", source))?;
            total += count;
            let ordinal = u32::try_from(ordinal).unwrap_or(u32::MAX);
            entries.extend(
                first
                    .into_iter()
                    .map(|(id, doc)| (id, DocAddress::new(ordinal, doc))),
            );
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let page = entries
            .into_iter()
            .skip(request.offset)
            .take(request.limit)
            .map(|(_, address)| (score(request), address))
            .collect();
        Ok(IdPage { total, page })
    }

    /// In one segment: how many living records have an id after `after`, and the first
    /// `wanted` of them (id bytes and document), in id order.
    fn segment_ids_after(
        &self,
        segment: &SegmentReader,
        after: Option<&str>,
        wanted: usize,
    ) -> tantivy::Result<(usize, FirstIds)> {
        let inverted = segment.inverted_index(self.fields.id)?;
        let dictionary = inverted.terms();
        let mut terms = match after {
            Some(after) => dictionary.range().gt(after.as_bytes()).into_stream()?,
            None => dictionary.stream()?,
        };
        let alive = segment.alive_bitset();
        let mut first = Vec::with_capacity(wanted.min(1_024));
        let mut first_ordinal = None;
        while first.len() < wanted && terms.advance() {
            first_ordinal.get_or_insert(terms.term_ord());
            let mut postings =
                inverted.read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)?;
            let mut doc = postings.doc();
            while doc != tantivy::TERMINATED {
                if alive.is_none_or(|alive| alive.is_alive(doc)) {
                    first.push((terms.key().to_vec(), doc));
                    break;
                }
                doc = postings.advance();
            }
        }
        let count = match alive {
            None => {
                // One term per document: the terms from the first one after the cursor on.
                let first_ordinal = match first_ordinal {
                    Some(ordinal) => Some(ordinal),
                    None if terms.advance() => Some(terms.term_ord()),
                    None => None,
                };
                first_ordinal.map_or(0, |ordinal| {
                    dictionary.num_terms() - usize::try_from(ordinal).unwrap_or(usize::MAX)
                })
            }
            Some(alive) => living_ids_after(segment, alive, after)?,
        };
        Ok((count, first))
    }
}

/// How many living documents of a segment with deletions have an id after `after`, from
/// the id column (its ordinals sort as the ids do).
fn living_ids_after(
    segment: &SegmentReader,
    alive: &tantivy::fastfield::AliveBitSet,
    after: Option<&str>,
) -> tantivy::Result<usize> {
    let Some(after) = after else {
        return Ok(alive.num_alive_docs());
    };
    let Some(column) = segment.fast_fields().str(ID)? else {
        return Ok(0);
    };
    let mut greater = column
        .dictionary()
        .range()
        .gt(after.as_bytes())
        .into_stream()?;
    if !greater.advance() {
        return Ok(0);
    }
    let first = greater.term_ord();
    let ordinals = column.ords();
    Ok(alive
        .iter_alive()
        .filter(|doc| ordinals.first(*doc).is_some_and(|ordinal| ordinal >= first))
        .count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::record;
    use crate::search::tests_support::collected_by_sorting;

    /// An index of `n` records in segments, some deleted and some replaced.
    fn segmented(n: usize) -> anyhow::Result<CatalogIndex> {
        let catalog = CatalogIndex::open_in_ram()?;
        for part in 0..3 {
            let writer = catalog.index.writer_with_num_threads(1, 15_000_000)?;
            writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
            let mut batch = crate::IndexBatch::new(&catalog, writer);
            for k in (part..n).step_by(3) {
                batch.upsert(&record(&format!("{:04x}", k * 7 % 4_096)))?;
            }
            if part == 2 {
                for k in (0..n).step_by(11) {
                    batch.delete(&format!("{:04x}", k * 7 % 4_096));
                }
                for k in (0..n).step_by(13) {
                    batch.upsert(&record(&format!("{:04x}", k * 7 % 4_096)))?;
                }
            }
            batch.commit()?;
        }
        Ok(catalog)
    }

    #[test]
    fn only_requests_in_id_order_without_conditions_are_read_from_the_dictionaries() {
        let plain = SearchRequest {
            sort: SortOrder::Id,
            after_id: Some("00ff".to_owned()),
            offset: 3,
            limit: 7,
            facets: false,
            ..SearchRequest::default()
        };
        assert!(is_id_range_only(&plain));
        for other in [
            SearchRequest {
                sort: SortOrder::Title,
                ..plain.clone()
            },
            SearchRequest {
                text: "air".to_owned(),
                ..plain.clone()
            },
            SearchRequest {
                before_id: Some("0fff".to_owned()),
                ..plain.clone()
            },
            SearchRequest {
                min_quality: Some(1),
                ..plain.clone()
            },
            SearchRequest {
                ids: vec!["0001".to_owned()],
                ..plain.clone()
            },
        ] {
            assert!(!is_id_range_only(&other), "{other:?}");
        }
    }

    #[test]
    fn pages_and_totals_equal_those_of_sorting_every_match() -> anyhow::Result<()> {
        let catalog = segmented(1_500)?;
        let searcher = catalog.reader.searcher();
        assert!(searcher.segment_readers().len() >= 3);
        assert!(searcher.segment_readers().iter().any(|s| s.has_deletes()));
        let cursors = [
            None,
            Some("0000"),
            Some("07a3"),
            Some("0a"),
            Some("ffff"),
            Some(""),
        ];
        let mut compared = 0;
        for after in cursors {
            for (offset, limit) in [(0, 100), (0, 1), (5, 50), (0, 0), (1_400, 100), (0, 5_000)] {
                let request = SearchRequest {
                    sort: SortOrder::Id,
                    after_id: after.map(str::to_owned),
                    offset,
                    limit,
                    facets: false,
                    ..SearchRequest::default()
                };
                let fast = catalog.id_page(&searcher, &request)?;
                let (total, page) = collected_by_sorting(&catalog, &searcher, &request)?;
                assert_eq!(fast.total, total, "{request:?}");
                assert_eq!(fast.page, page, "{request:?}");
                compared += 1;
            }
        }
        assert_eq!(compared, 36);
        // Through the search: the same hits as sorting gives.
        let request = SearchRequest {
            sort: SortOrder::Id,
            after_id: Some("0100".to_owned()),
            limit: 20,
            facets: false,
            ..SearchRequest::default()
        };
        let hits = catalog.search(&request)?.hits;
        assert_eq!(hits.len(), 20);
        assert!(hits.windows(2).all(|pair| pair[0].id < pair[1].id));
        assert!(hits[0].id.as_str() > "0100");
        Ok(())
    }
}
