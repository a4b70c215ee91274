//! The pipeline: document → records → store (what changed) → index, in batches.
//!
//! Records are written to the store in transactions of [`STORE_BATCH`] records, and every
//! record a transaction added or changed is re-read from the store and indexed, so the
//! index always holds exactly what [`crate::catalog::Catalog::reindex`] would build. The
//! index commits once per document (and every [`INDEX_COMMIT_EVERY`] changed records).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use anyhow::Result;
use chrono::Utc;
use ldtcat_harvest::Participants;
use ldtcat_index::IndexBatch;
use ldtcat_model::extract::{summarize, RecordFacts};
use ldtcat_model::summary::RecordSummary;
use ldtcat_model::{split_records, ModelError, ParseReport, RdfDocument, Record, RecordBuilder};
use ldtcat_store::{Origin, RecordWrite, WithdrawOutcome};

use crate::catalog::Catalog;

/// Records per store transaction.
pub const STORE_BATCH: usize = 1_000;
/// Records a harvest run carries from page to page before writing them (see [`Carry`]):
/// fresh records are bulk-loaded in one ingest per this many, not one per page, which keeps
/// RocksDB's compaction from rewriting the store after every page.
pub const CARRY_LIMIT: usize = 20_000;
/// Changed records between index commits. Each commit also flushes the store, which bounds
/// RocksDB's memtables: with 50,000 the 100,000-record import benchmark peaked at 2.5 GB RSS,
/// while a harvest (a commit per page of 1,000) peaked at 0.5 GB at the same speed.
pub const INDEX_COMMIT_EVERY: u64 = 5_000;
/// A record with more statements than this is refused (reported, not stored).
pub const MAX_STATEMENTS_PER_RECORD: usize = 100_000;

/// What importing one document did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentReport {
    /// Records found in the document.
    pub records: u64,
    /// New records.
    pub added: u64,
    /// Records whose description or provenance changed.
    pub updated: u64,
    /// Records delivered as before (nothing written).
    pub unchanged: u64,
    /// Records refused, with reasons in `errors`.
    pub errored: u64,
    /// One line per refused record: `<iri>: reason`.
    pub errors: Vec<String>,
    /// Parsing counts: statements, repaired, dropped.
    pub parse: ParseReport,
    /// Container catalogues found.
    pub containers: Vec<String>,
}

/// Records a harvest run has read but not yet written, with the page each came from. A run
/// hands its carry from one page to the next and writes what is left with
/// [`flush_carry`] before it deletes anything or ends; records in a carry are neither in the
/// store nor in the index, so a stop loses them only as a not-yet-read page would be lost.
#[derive(Debug, Default)]
pub struct Carry {
    pending: Vec<Pending>,
}

/// A record read and not yet written: the page it came from, and the data space participant
/// that published it, if the page said.
type Pending = (Record, Arc<str>, Option<Arc<str>>);

impl Carry {
    /// Records waiting.
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    /// Whether none wait.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }
}

struct Writer<'c> {
    catalog: &'c Catalog,
    index_batch: Option<IndexBatch<'c>>,
    source_id: &'c str,
    run_id: Option<&'c str>,
    origins: Option<&'c HashMap<String, Origin>>,
    pending: Vec<Pending>,
    /// Pending records that trigger a write.
    limit: usize,
    changed_since_commit: u64,
}

impl<'c> Writer<'c> {
    fn flush(&mut self, report: &mut DocumentReport) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let writes: Vec<RecordWrite<'_>> = self
            .pending
            .iter()
            .map(|(record, source_url, participant)| RecordWrite {
                record,
                source_id: self.source_id,
                source_url,
                origin: self.origins.and_then(|origins| origins.get(&record.iri)),
                participant: participant.as_deref(),
            })
            .collect();
        let now = Utc::now();
        let outcome = self
            .catalog
            .store
            .write_records_of_run(&writes, self.run_id, now)?;
        drop(writes);
        report.added += outcome.added;
        report.updated += outcome.updated;
        report.unchanged += outcome.unchanged;
        if outcome.changed_ids.is_empty() {
            self.pending.clear();
            return Ok(());
        }
        let batch = match &mut self.index_batch {
            Some(batch) => batch,
            None => {
                self.catalog.mark_index_stale()?;
                self.index_batch.insert(self.catalog.index.batch()?)
            }
        };
        // A bulk-loaded record is stored exactly as delivered, changed now: summarise it
        // from memory.
        let fresh: HashSet<&str> = outcome.fresh_ids.iter().map(String::as_str).collect();
        let sources = [self.source_id.to_owned()];
        for (record, _, _) in self
            .pending
            .iter()
            .filter(|(r, _, _)| fresh.contains(r.id.as_str()))
        {
            // URLs checked before (a record back after a withdrawal, or given by another
            // record) keep their checks; nothing is looked up while no check is stored.
            let links = self.catalog.store.link_checks_of(&record.triples)?;
            let facts = RecordFacts {
                id: &record.id,
                iri: &record.iri,
                kind: record.kind,
                sources: &sources,
                corrections: &record.corrections,
                repairs: &record.repairs,
                links: &links,
            };
            batch.upsert(&RecordSummary {
                changed: Some(now),
                ..summarize(&facts, &record.triples)
            })?;
        }
        for id in outcome
            .changed_ids
            .iter()
            .filter(|id| !fresh.contains(id.as_str()))
        {
            if let Some(record) = self.catalog.store.record(id)? {
                batch.upsert(&record.summary())?;
            }
        }
        self.pending.clear();
        self.changed_since_commit += outcome.changed_ids.len() as u64;
        if self.changed_since_commit >= INDEX_COMMIT_EVERY {
            self.commit_index()?;
        }
        Ok(())
    }

    fn commit_index(&mut self) -> Result<()> {
        if let Some(batch) = self.index_batch.take() {
            batch.commit()?;
            self.catalog.store.flush()?;
            self.catalog.mark_index_fresh()?;
        }
        self.changed_since_commit = 0;
        Ok(())
    }
}

/// Imports one document for `source_id`. A syntax error fails the document before anything
/// is written; `on_progress` is called with the number of records handled so far.
pub fn import_document(
    catalog: &Catalog,
    document: &RdfDocument<'_>,
    source_id: &str,
    on_progress: &dyn Fn(u64),
) -> Result<DocumentReport> {
    let run = DocumentRun {
        source_id,
        run_id: None,
        origins: None,
        participants: None,
        listed: None,
    };
    import_document_of_run(catalog, document, &run, None, &mut |_| {}, on_progress)
}

/// Who a document is read for: the source, and the harvest run if any.
#[derive(Debug, Clone, Copy)]
pub struct DocumentRun<'a> {
    /// The source id.
    pub source_id: &'a str,
    /// The harvest run (named in the provenance of what is written).
    pub run_id: Option<&'a str>,
    /// Peer sources: the records to take from the document, by resource IRI, with where
    /// each entered the federation. Records of the document not listed are skipped. None:
    /// every record, entered here.
    pub origins: Option<&'a HashMap<String, Origin>>,
    /// DSP sources: the data space participant of each record of the document.
    pub participants: Option<&'a Participants>,
    /// DSP sources: the resources the document's catalogs list, the only records taken from
    /// it (records of blank-node resources, whose IRIs are minted here, are all taken).
    pub listed: Option<&'a HashSet<String>>,
}

/// As [`import_document`], for a harvest run: `on_record` sees the id of every record the
/// document delivers (written or unchanged), before it is written. With a `carry`, the
/// records waiting in it are taken up first and up to [`CARRY_LIMIT`] records are left in it
/// at the end instead of being written; the report then counts as added, updated and
/// unchanged the records written by this call, whichever document they came from.
pub fn import_document_of_run(
    catalog: &Catalog,
    document: &RdfDocument<'_>,
    run: &DocumentRun<'_>,
    carry: Option<&mut Carry>,
    on_record: &mut dyn FnMut(&str),
    on_progress: &dyn Fn(u64),
) -> Result<DocumentReport> {
    let source_id = run.source_id;
    let mut report = DocumentReport::default();
    let mut builder = RecordBuilder::new(&catalog.rules, source_id);
    let source_url: Arc<str> = Arc::from(document.name.as_str());
    let limit = if carry.is_some() {
        CARRY_LIMIT
    } else {
        STORE_BATCH
    };
    let mut writer = Writer {
        catalog,
        index_batch: None,
        source_id,
        run_id: run.run_id,
        origins: run.origins,
        pending: Vec::with_capacity(STORE_BATCH),
        limit,
        changed_since_commit: 0,
    };
    let mut carry = carry;
    if let Some(carry) = carry.as_deref_mut() {
        writer.pending.append(&mut carry.pending);
    }
    let mut handled = 0u64;
    let mut failure: Option<anyhow::Error> = None;
    let split = split_records(document, &catalog.rules, |raw| {
        handled += 1;
        if raw.triples.len() > MAX_STATEMENTS_PER_RECORD {
            report.errored += 1;
            report.errors.push(format!(
                "{}: {} statements, more than the {MAX_STATEMENTS_PER_RECORD} a record may have",
                raw.root,
                raw.triples.len()
            ));
            return Ok(());
        }
        let record = builder.build(raw);
        if let Some(origins) = run.origins {
            if !origins.contains_key(&record.iri) {
                return Ok(());
            }
        }
        if let Some(listed) = run.listed {
            if !listed.contains(&record.iri) && !record.iri.starts_with(ldtcat_vocab::ns::LDT_GENID)
            {
                return Ok(());
            }
        }
        on_record(&record.id);
        let participant = run
            .participants
            .and_then(|participants| participants.of(&record.iri))
            .map(Arc::from);
        writer
            .pending
            .push((record, source_url.clone(), participant));
        if writer.pending.len() >= writer.limit {
            if let Err(error) = writer.flush(&mut report) {
                let message = format!("{error:#}");
                failure = Some(error);
                return Err(ModelError::Consumer {
                    document: document.name.clone(),
                    message,
                });
            }
            on_progress(handled);
        }
        Ok(())
    });
    let outcome = match (split, failure) {
        (_, Some(error)) => Err(error),
        (Err(error), None) => Err(error.into()),
        (Ok(split), None) => Ok(split),
    };
    // Whatever happened, what was not written goes back to the carry (none is lost).
    let split = match (outcome, carry) {
        (Ok(split), Some(carry)) => {
            carry.pending.append(&mut writer.pending);
            split
        }
        (Ok(split), None) => {
            writer.flush(&mut report)?;
            split
        }
        (Err(error), Some(carry)) => {
            carry.pending.append(&mut writer.pending);
            writer.commit_index()?;
            return Err(error);
        }
        (Err(error), None) => return Err(error),
    };
    writer.commit_index()?;
    on_progress(handled);
    report.records = split.records;
    report.parse = split.parse;
    report.containers = split.containers;
    Ok(report)
}

/// Writes the records waiting in `carry` (and indexes them): the added, updated and unchanged
/// counts are in the report.
pub fn flush_carry(
    catalog: &Catalog,
    run: &DocumentRun<'_>,
    carry: &mut Carry,
) -> Result<DocumentReport> {
    let mut report = DocumentReport::default();
    let mut writer = Writer {
        catalog,
        index_batch: None,
        source_id: run.source_id,
        run_id: run.run_id,
        origins: run.origins,
        pending: std::mem::take(&mut carry.pending),
        limit: CARRY_LIMIT,
        changed_since_commit: 0,
    };
    writer.flush(&mut report)?;
    writer.commit_index()?;
    Ok(report)
}

/// Withdraws `source_id` from the records `record_ids` (tombstoning those no other source
/// delivers) and brings the index in line, in one store transaction and one index commit.
pub fn withdraw_records(
    catalog: &Catalog,
    record_ids: &[String],
    source_id: &str,
) -> Result<WithdrawOutcome> {
    catalog.mark_index_stale()?;
    let outcome = catalog
        .store
        .withdraw_source(record_ids, source_id, Utc::now())?;
    let mut batch = catalog.index.batch()?;
    for id in &outcome.tombstoned {
        batch.delete(id);
    }
    for id in &outcome.detached {
        if let Some(record) = catalog.store.record(id)? {
            batch.upsert(&record.summary())?;
        }
    }
    batch.commit()?;
    catalog.store.flush()?;
    catalog.mark_index_fresh()?;
    Ok(outcome)
}
