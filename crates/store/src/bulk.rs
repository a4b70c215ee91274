//! Writing records new to the store with Oxigraph's bulk loader.
//!
//! A record is *fresh* when the store has neither its CatalogRecord nor a tombstone for it.
//! A fresh record needs no read and no removal, so a batch's fresh records are written as
//! sorted files ingested by RocksDB in one atomic step (the bulk loader's `commit`), which is
//! several times faster than a transaction. Everything a transaction would write for them is
//! in that step: the record graph, the CatalogRecord, the provenance and the feed stamp.
//!
//! The feed counter is written beside the old one in the same step; the transaction that
//! follows (for the batch's other records) replaces both. A crash in between leaves two
//! counters, and [`crate::feed::SequenceCounter::read`] takes the larger, so no sequence number
//! is ever given out twice.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use oxigraph::model::{GraphName, GraphNameRef, NamedOrBlankNodeRef, Quad};

use crate::feed::{stamp_quads, SequenceCounter};
use crate::terms::{catalog_graph, ldt, provenance_node, record_node};
use crate::write::{catalog_record_statements, provenance_statements, RecordWrite};
use crate::{CatalogStore, StoreError};

/// Fewer fresh records than this are written in the transaction: for a handful of records
/// the bulk loader's files cost more than they save.
pub const MIN_BULK_RECORDS: usize = 64;

impl CatalogStore {
    /// Splits a batch into the writes of fresh records (first occurrence of each id) and the
    /// rest, in batch order. Call with the sequence lock held.
    pub(crate) fn partition_fresh<'b, 'w>(
        &self,
        batch: &'b [RecordWrite<'w>],
    ) -> Result<(Vec<&'b RecordWrite<'w>>, Vec<&'b RecordWrite<'w>>), StoreError> {
        let mut fresh = Vec::new();
        let mut rest = Vec::new();
        let mut seen = HashSet::new();
        let catalog = catalog_graph();
        for write in batch {
            let node = record_node(&write.record.id);
            let subject = NamedOrBlankNodeRef::from(node.as_ref());
            let known = !seen.insert(write.record.id.as_str())
                || self
                    .oxigraph()
                    .quads_for_pattern(Some(subject), None, None, Some(catalog.as_ref()))
                    .next()
                    .is_some()
                || self
                    .oxigraph()
                    .quads_for_pattern(Some(subject), None, None, Some(GraphNameRef::DefaultGraph))
                    .next()
                    .is_some();
            if known {
                rest.push(write);
            } else {
                fresh.push(write);
            }
        }
        Ok((fresh, rest))
    }

    /// Writes fresh records in one atomic bulk load. Call with the sequence lock held, after
    /// [`CatalogStore::partition_fresh`].
    pub(crate) fn bulk_insert(
        &self,
        fresh: &[&RecordWrite<'_>],
        run_id: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut counter = {
            let transaction = self.oxigraph().start_transaction()?;
            SequenceCounter::read(&transaction)?
        };
        let catalog = catalog_graph();
        let mut quads = Vec::with_capacity(fresh.len() * 64);
        for write in fresh {
            let record = write.record;
            let node = record_node(&record.id);
            let record_graph = GraphName::NamedNode(node.clone());
            quads.extend(
                record
                    .triples
                    .iter()
                    .map(|triple| triple.clone().in_graph(record_graph.clone())),
            );
            let provenance = provenance_node(&record.id, write.source_id);
            for (predicate, object) in catalog_record_statements(write, None, now) {
                quads.push(Quad::new(node.clone(), predicate, object, catalog.clone()));
            }
            quads.push(Quad::new(
                node.clone(),
                ldt("provenance"),
                provenance.clone(),
                catalog.clone(),
            ));
            for (predicate, object) in provenance_statements(write, run_id, None, now) {
                quads.push(Quad::new(
                    provenance.clone(),
                    predicate,
                    object,
                    catalog.clone(),
                ));
            }
            let (sequence, at) = counter.next(now);
            quads.extend(stamp_quads(&record.id, &catalog, sequence, at));
        }
        quads.extend(counter.quads());
        let mut loader = self.oxigraph().bulk_loader();
        loader.load_quads(quads)?;
        loader.commit()?;
        Ok(())
    }
}
