//! The order of the change feed: every write that changes what a record publishes (a record
//! added, its description or origin replaced, precedence passed to another source, a
//! tombstone written or lifted) stamps the record with the next **sequence number** and a
//! **change time**, in the same transaction as the change.
//!
//! Layout, all in the private default graph except the stamp of a live record:
//! - `<urn:ldtcat:feed> ldt:lastSequence N ; ldt:lastChangedAt T` — the counter;
//! - `ldt:sequence` and `ldt:changedAt` on the record's CatalogRecord (`urn:ldtcat:catalog`)
//!   or, for a tombstone, on the tombstone (default graph);
//! - `<urn:ldtcat:feed:bucket:{N / 1024}> ldt:feedMember <urn:ldtcat:record:{id}>` — the
//!   records whose current sequence number falls in that bucket. A feed page reads the
//!   buckets from its cursor on, never the whole store.
//!
//! Change times never go backwards: a stamp takes the later of the clock and the last stamp.
//! Stamps are serialised by the store's sequence lock, so numbers are unique and increasing.

use chrono::{DateTime, SecondsFormat, Utc};
use ldtcat_vocab::ns;
use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::Transaction;

use crate::terms::{catalog_graph, iri, ldt, record_id_of, record_node};
use crate::{CatalogStore, StoreError};

/// Sequence numbers per bucket.
pub const BUCKET_SIZE: u64 = 1024;
/// The counter's node.
const FEED_NODE: &str = "urn:ldtcat:feed";

/// One entry of the change feed: a record's latest change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    /// The record's sequence number (unique, increasing with every change).
    pub sequence: u64,
    /// The record id.
    pub record_id: String,
    /// When the change was written (never earlier than the previous entry's).
    pub changed_at: Option<DateTime<Utc>>,
    /// Whether the change made the record a tombstone.
    pub deleted: bool,
}

fn bucket_node(sequence: u64) -> NamedNode {
    NamedNode::new_unchecked(format!("urn:ldtcat:feed:bucket:{}", sequence / BUCKET_SIZE))
}

fn integer(value: u64) -> Literal {
    Literal::new_typed_literal(value.to_string(), iri(ns::XSD, "integer"))
}

/// A change time literal, to the millisecond.
fn time_literal(time: DateTime<Utc>) -> Literal {
    Literal::new_typed_literal(
        time.to_rfc3339_opts(SecondsFormat::Millis, true),
        iri(ns::XSD, "dateTime"),
    )
}

fn term_u64(term: &Term) -> Option<u64> {
    match term {
        Term::Literal(literal) => literal.value().parse().ok(),
        _ => None,
    }
}

fn term_time(term: &Term) -> Option<DateTime<Utc>> {
    match term {
        Term::Literal(literal) => DateTime::parse_from_rfc3339(literal.value())
            .ok()
            .map(|t| t.with_timezone(&Utc)),
        _ => None,
    }
}

/// The counter, read at the start of a transaction and saved before its commit.
pub(crate) struct SequenceCounter {
    last: u64,
    last_changed_at: Option<DateTime<Utc>>,
    stored: Vec<Quad>,
}

impl SequenceCounter {
    /// Reads the counter inside `transaction`.
    pub(crate) fn read(transaction: &Transaction<'_>) -> Result<SequenceCounter, StoreError> {
        let node = NamedNode::new_unchecked(FEED_NODE);
        let stored: Vec<Quad> = transaction
            .quads_for_pattern(
                Some(node.as_ref().into()),
                None,
                None,
                Some(GraphNameRef::DefaultGraph),
            )
            .collect::<Result<_, _>>()?;
        let mut counter = SequenceCounter {
            last: 0,
            last_changed_at: None,
            stored,
        };
        for quad in &counter.stored {
            // A bulk write adds its counter beside the old one, which the next transaction
            // removes: after a crash in between, the larger value is the right one.
            if quad.predicate == ldt("lastSequence") {
                counter.last = counter.last.max(term_u64(&quad.object).unwrap_or(0));
            } else if quad.predicate == ldt("lastChangedAt") {
                counter.last_changed_at = counter.last_changed_at.max(term_time(&quad.object));
            }
        }
        Ok(counter)
    }

    pub(crate) fn next(&mut self, now: DateTime<Utc>) -> (u64, DateTime<Utc>) {
        self.last += 1;
        let at = match self.last_changed_at {
            Some(last) if last > now => last,
            _ => now,
        };
        self.last_changed_at = Some(at);
        (self.last, at)
    }

    /// Writes the counter back (call once, before the commit).
    pub(crate) fn save(&self, transaction: &mut Transaction<'_>) -> Result<(), StoreError> {
        for quad in &self.stored {
            transaction.remove(quad);
        }
        for quad in self.quads() {
            transaction.insert(&quad);
        }
        Ok(())
    }

    /// The counter's statements as they stand.
    pub(crate) fn quads(&self) -> Vec<Quad> {
        let node = NamedNode::new_unchecked(FEED_NODE);
        let mut quads = vec![Quad::new(
            node.clone(),
            ldt("lastSequence"),
            integer(self.last),
            GraphName::DefaultGraph,
        )];
        if let Some(at) = self.last_changed_at {
            quads.push(Quad::new(
                node,
                ldt("lastChangedAt"),
                time_literal(at),
                GraphName::DefaultGraph,
            ));
        }
        quads
    }
}

/// The record's current sequence number (live or tombstone), if it has one.
pub(crate) fn read_sequence(
    transaction: &Transaction<'_>,
    record_id: &str,
) -> Result<Option<u64>, StoreError> {
    let node = record_node(record_id);
    for graph in [catalog_graph(), GraphName::DefaultGraph] {
        for quad in transaction.quads_for_pattern(
            Some(node.as_ref().into()),
            Some(ldt("sequence").as_ref()),
            None,
            Some(graph.as_ref()),
        ) {
            if let Some(sequence) = term_u64(&quad?.object) {
                return Ok(Some(sequence));
            }
        }
    }
    Ok(None)
}

/// Gives `record_id` the next sequence number, on its CatalogRecord (`graph` = the catalog
/// graph) or its tombstone (the default graph). `previous` is its sequence number before the
/// transaction changed it (read with [`read_sequence`] first: the change may have removed it).
pub(crate) fn stamp(
    transaction: &mut Transaction<'_>,
    counter: &mut SequenceCounter,
    record_id: &str,
    graph: &GraphName,
    previous: Option<u64>,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let node = record_node(record_id);
    if let Some(previous) = previous {
        transaction.remove(&Quad::new(
            bucket_node(previous),
            ldt("feedMember"),
            node.clone(),
            GraphName::DefaultGraph,
        ));
    }
    for stale_graph in [catalog_graph(), GraphName::DefaultGraph] {
        for predicate in [ldt("sequence"), ldt("changedAt")] {
            let stale: Vec<Quad> = transaction
                .quads_for_pattern(
                    Some(node.as_ref().into()),
                    Some(predicate.as_ref()),
                    None,
                    Some(stale_graph.as_ref()),
                )
                .collect::<Result<_, _>>()?;
            for quad in &stale {
                if quad.predicate == ldt("sequence") {
                    if let Some(old) = term_u64(&quad.object) {
                        transaction.remove(&Quad::new(
                            bucket_node(old),
                            ldt("feedMember"),
                            node.clone(),
                            GraphName::DefaultGraph,
                        ));
                    }
                }
                transaction.remove(quad);
            }
        }
    }
    let (sequence, at) = counter.next(now);
    for quad in stamp_quads(record_id, graph, sequence, at) {
        transaction.insert(&quad);
    }
    Ok(sequence)
}

/// The statements of a record's stamp: its sequence number and change time (in `graph`) and
/// its membership of the sequence number's bucket.
pub(crate) fn stamp_quads(
    record_id: &str,
    graph: &GraphName,
    sequence: u64,
    at: DateTime<Utc>,
) -> [Quad; 3] {
    let node = record_node(record_id);
    [
        Quad::new(
            node.clone(),
            ldt("sequence"),
            integer(sequence),
            graph.clone(),
        ),
        Quad::new(
            node.clone(),
            ldt("changedAt"),
            time_literal(at),
            graph.clone(),
        ),
        Quad::new(
            bucket_node(sequence),
            ldt("feedMember"),
            node,
            GraphName::DefaultGraph,
        ),
    ]
}

impl CatalogStore {
    /// The last sequence number given (0 when nothing was ever written).
    pub fn last_sequence(&self) -> Result<u64, StoreError> {
        let node = NamedNode::new_unchecked(FEED_NODE);
        for quad in self.oxigraph().quads_for_pattern(
            Some(node.as_ref().into()),
            Some(ldt("lastSequence").as_ref()),
            None,
            Some(GraphNameRef::DefaultGraph),
        ) {
            if let Some(last) = term_u64(&quad?.object) {
                return Ok(last);
            }
        }
        Ok(0)
    }

    /// The feed after `after`: at most `limit` entries with a greater sequence number, in
    /// sequence order. Reads only the buckets from the cursor on.
    pub fn feed_after(&self, after: u64, limit: usize) -> Result<Vec<FeedEntry>, StoreError> {
        let last = self.last_sequence()?;
        let mut entries = Vec::new();
        let mut bucket = (after + 1) / BUCKET_SIZE;
        while bucket <= last / BUCKET_SIZE {
            let mut in_bucket = self.bucket_entries(bucket)?;
            in_bucket.retain(|entry| entry.sequence > after);
            entries.extend(in_bucket);
            if entries.len() >= limit {
                break;
            }
            bucket += 1;
        }
        entries.sort_by_key(|entry| entry.sequence);
        entries.truncate(limit);
        Ok(entries)
    }

    fn bucket_entries(&self, bucket: u64) -> Result<Vec<FeedEntry>, StoreError> {
        let node = bucket_node(bucket * BUCKET_SIZE);
        let mut entries = Vec::new();
        for quad in self.oxigraph().quads_for_pattern(
            Some(node.as_ref().into()),
            Some(ldt("feedMember").as_ref()),
            None,
            Some(GraphNameRef::DefaultGraph),
        ) {
            let Term::NamedNode(record) = quad?.object else {
                continue;
            };
            let Some(record_id) = record_id_of(record.as_str()) else {
                continue;
            };
            if let Some(entry) = self.feed_entry(record_id)? {
                if entry.sequence / BUCKET_SIZE == bucket {
                    entries.push(entry);
                }
            }
        }
        Ok(entries)
    }

    /// The feed entry of one record (its latest change), if it has one.
    pub fn feed_entry(&self, record_id: &str) -> Result<Option<FeedEntry>, StoreError> {
        let node = record_node(record_id);
        for (graph, deleted) in [(catalog_graph(), false), (GraphName::DefaultGraph, true)] {
            let mut sequence = None;
            let mut changed_at = None;
            for quad in self.oxigraph().quads_for_pattern(
                Some(node.as_ref().into()),
                None,
                None,
                Some(graph.as_ref()),
            ) {
                let quad = quad?;
                if quad.predicate == ldt("sequence") {
                    sequence = term_u64(&quad.object);
                } else if quad.predicate == ldt("changedAt") {
                    changed_at = term_time(&quad.object);
                }
            }
            if let Some(sequence) = sequence {
                return Ok(Some(FeedEntry {
                    sequence,
                    record_id: record_id.to_owned(),
                    changed_at,
                    deleted,
                }));
            }
        }
        Ok(None)
    }

    /// Stamps every record and tombstone that has no sequence number yet (stores written
    /// before the feed existed), in id order; returns how many. Cheap when there are none.
    pub fn ensure_feed_sequences(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let _guard = self.sequence_guard();
        let node = NamedNode::new_unchecked(FEED_NODE);
        if self
            .oxigraph()
            .quads_for_pattern(
                Some(node.as_ref().into()),
                None,
                None,
                Some(GraphNameRef::DefaultGraph),
            )
            .next()
            .is_some()
        {
            return Ok(0);
        }
        let mut ids: Vec<(String, GraphName)> = self
            .record_ids()?
            .into_iter()
            .map(|id| (id, catalog_graph()))
            .collect();
        for quad in self.oxigraph().quads_for_pattern(
            None,
            Some(ldt("deleted").as_ref()),
            None,
            Some(GraphNameRef::DefaultGraph),
        ) {
            if let NamedOrBlankNode::NamedNode(node) = quad?.subject {
                if let Some(id) = record_id_of(node.as_str()) {
                    ids.push((id.to_owned(), GraphName::DefaultGraph));
                }
            }
        }
        ids.sort_by(|a, b| a.0.cmp(&b.0));
        let mut stamped = 0;
        for chunk in ids.chunks(1_000) {
            let mut transaction = self.oxigraph().start_transaction()?;
            let mut counter = SequenceCounter::read(&transaction)?;
            for (id, graph) in chunk {
                let previous = read_sequence(&transaction, id)?;
                stamp(&mut transaction, &mut counter, id, graph, previous, now)?;
                stamped += 1;
            }
            counter.save(&mut transaction)?;
            transaction.commit()?;
        }
        if ids.is_empty() {
            let mut transaction = self.oxigraph().start_transaction()?;
            let counter = SequenceCounter::read(&transaction)?;
            counter.save(&mut transaction)?;
            transaction.commit()?;
        }
        Ok(stamped)
    }
}
