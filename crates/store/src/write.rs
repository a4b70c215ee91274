//! Writing a batch of records from one source: records new to the store are bulk-loaded
//! ([`crate::bulk`]); the others are compared by hash and written only if changed, in
//! transactions of a thousand.

use chrono::{DateTime, Utc};
use ldtcat_model::Record;
use ldtcat_vocab::ns;
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNodeRef, Quad, Term};
use oxigraph::store::Transaction;

use crate::bulk::MIN_BULK_RECORDS;
use crate::federation::{hops_of, origin_statements, read_origin, Origin};
use crate::feed::{read_sequence, stamp, SequenceCounter};
use crate::read::properties;
use crate::runs::run_iri;
use crate::terms::{
    catalog_graph, datetime_literal, iri, ldt, provenance_node, record_node, url_term,
};
use crate::tombstone::remove_tombstone;
use crate::{CatalogStore, StoreError};

/// One record delivered by a source.
#[derive(Debug, Clone, Copy)]
pub struct RecordWrite<'a> {
    /// The record.
    pub record: &'a Record,
    /// The delivering source.
    pub source_id: &'a str,
    /// The file or page URL it came from.
    pub source_url: &'a str,
    /// Where it entered the federation, when it came from a peer (none: it entered here).
    pub origin: Option<&'a Origin>,
    /// The data space participant that published it (a DSP catalog's `participantId`),
    /// kept on the source's provenance node as `dspace:participantId`.
    pub participant: Option<&'a str>,
}

/// What a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteOutcome {
    /// Records new to the store.
    pub added: u64,
    /// Records whose description or provenance changed (including tombstones revived).
    pub updated: u64,
    /// Records delivered as before: nothing written.
    pub unchanged: u64,
    /// Ids of added and updated records (to re-index).
    pub changed_ids: Vec<String>,
    /// The ids among `changed_ids` of records bulk-loaded as new: each is stored exactly as
    /// delivered, with its delivering source alone, so its summary can be built from the
    /// delivered record without reading it back.
    pub fresh_ids: Vec<String>,
}

/// Records compared and written per transaction (a batch may hold more).
const TRANSACTION_RECORDS: usize = 1_000;

/// What the store knows of a record before the write.
struct Existing {
    hash: String,
    primary_source: String,
    deleted: bool,
    issued: Option<Term>,
    source_hash: Option<String>,
    source_first_seen: Option<Term>,
    /// The hop count of the stored description (0: it entered here).
    primary_hops: u64,
    /// The origin this source delivered last time.
    source_origin: Option<Origin>,
    /// The participant this source named last time.
    source_participant: Option<String>,
}

enum Action {
    Unchanged,
    Insert,
    Replace,
    AddProvenance,
}

impl CatalogStore {
    /// Writes the records of a batch that changed (see [`CatalogStore::write_records_of_run`]).
    pub fn write_records(
        &self,
        batch: &[RecordWrite<'_>],
        now: DateTime<Utc>,
    ) -> Result<WriteOutcome, StoreError> {
        self.write_records_of_run(batch, None, now)
    }

    /// As [`CatalogStore::write_records`], naming the harvest run (`ldt:harvestRun` on the
    /// provenance of what it writes). A record that was a tombstone is restored: its
    /// tombstone is removed in the same transaction and it counts as added.
    ///
    /// Records new to the store are bulk-loaded first when there are at least
    /// [`MIN_BULK_RECORDS`] of them (see [`crate::bulk`]); the others are compared and written
    /// in transactions of a thousand (each record with its CatalogRecord, whole).
    pub fn write_records_of_run(
        &self,
        batch: &[RecordWrite<'_>],
        run_id: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<WriteOutcome, StoreError> {
        let _guard = self.sequence_guard();
        let (fresh, rest) = self.partition_fresh(batch)?;
        let mut outcome = WriteOutcome::default();
        let rest = if fresh.len() < MIN_BULK_RECORDS {
            batch.iter().collect()
        } else {
            self.bulk_insert(&fresh, run_id, now)?;
            outcome.added += fresh.len() as u64;
            outcome.fresh_ids = fresh.iter().map(|w| w.record.id.clone()).collect();
            outcome
                .changed_ids
                .extend(outcome.fresh_ids.iter().cloned());
            if rest.is_empty() {
                // The bulk load wrote its counter beside the old one: keep only the new.
                self.write_in_transaction(&[], run_id, now)?;
            }
            rest
        };
        for chunk in rest.chunks(TRANSACTION_RECORDS) {
            let written = self.write_in_transaction(chunk, run_id, now)?;
            outcome.added += written.added;
            outcome.updated += written.updated;
            outcome.unchanged += written.unchanged;
            outcome.changed_ids.extend(written.changed_ids);
        }
        Ok(outcome)
    }

    /// Compares and writes `batch` in one transaction (the sequence lock held).
    fn write_in_transaction(
        &self,
        batch: &[&RecordWrite<'_>],
        run_id: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<WriteOutcome, StoreError> {
        let mut outcome = WriteOutcome::default();
        let mut transaction = self.oxigraph().start_transaction()?;
        let mut counter = SequenceCounter::read(&transaction)?;
        for &write in batch {
            let existing = read_existing(&transaction, write)?;
            let action = decide(existing.as_ref(), write);
            match action {
                Action::Unchanged => {
                    outcome.unchanged += 1;
                    continue;
                }
                Action::Insert => {
                    outcome.added += 1;
                    remove_tombstone(&mut transaction, &write.record.id)?;
                }
                Action::Replace | Action::AddProvenance => outcome.updated += 1,
            }
            outcome.changed_ids.push(write.record.id.clone());
            let issued = existing.as_ref().and_then(|e| e.issued.clone());
            let first_seen = existing.as_ref().and_then(|e| e.source_first_seen.clone());
            if matches!(action, Action::Insert | Action::Replace) {
                let previous = read_sequence(&transaction, &write.record.id)?;
                replace_description(&mut transaction, write, issued, now)?;
                let graph = catalog_graph();
                stamp(
                    &mut transaction,
                    &mut counter,
                    &write.record.id,
                    &graph,
                    previous,
                    now,
                )?;
            }
            replace_provenance(&mut transaction, write, run_id, first_seen, now)?;
        }
        counter.save(&mut transaction)?;
        transaction.commit()?;
        Ok(outcome)
    }
}

/// Precedence: the description with the fewest hops from its origin is stored; among equal
/// hop counts the source that has precedence keeps it (no churn between disagreeing sources).
fn decide(existing: Option<&Existing>, write: &RecordWrite<'_>) -> Action {
    let Some(existing) = existing else {
        return Action::Insert;
    };
    let same_origin = existing.source_origin.as_ref() == write.origin
        && existing.source_participant.as_deref() == write.participant;
    let same_as_source =
        existing.source_hash.as_deref() == Some(write.record.hash.as_str()) && same_origin;
    if existing.deleted {
        return Action::Replace;
    }
    if existing.primary_source != write.source_id && hops_of(write.origin) < existing.primary_hops {
        return Action::Replace;
    }
    if existing.primary_source == write.source_id {
        if existing.hash == write.record.hash && same_as_source {
            Action::Unchanged
        } else {
            Action::Replace
        }
    } else if same_as_source {
        Action::Unchanged
    } else {
        Action::AddProvenance
    }
}

fn read_existing(
    transaction: &Transaction<'_>,
    write: &RecordWrite<'_>,
) -> Result<Option<Existing>, StoreError> {
    let node = record_node(&write.record.id);
    let graph = catalog_graph();
    let props = properties(transaction.quads_for_pattern(
        Some(NamedOrBlankNodeRef::from(node.as_ref())),
        None,
        None,
        Some(graph.as_ref()),
    ))?;
    if props.is_empty() {
        return Ok(None);
    }
    let text = |predicate: &NamedNode| match props.get(predicate.as_str()).and_then(|v| v.first()) {
        Some(Term::Literal(literal)) => literal.value().to_owned(),
        _ => String::new(),
    };
    let provenance = provenance_node(&write.record.id, write.source_id);
    let source_props = properties(transaction.quads_for_pattern(
        Some(NamedOrBlankNodeRef::from(provenance.as_ref())),
        None,
        None,
        Some(graph.as_ref()),
    ))?;
    let source_value = |local: &str| {
        source_props
            .get(ldt(local).as_str())
            .and_then(|v| v.first())
            .cloned()
    };
    Ok(Some(Existing {
        hash: text(&ldt("contentHash")),
        primary_source: text(&ldt("primarySource")),
        deleted: props.contains_key(ldt("deletedAt").as_str()),
        issued: props
            .get(iri(ns::DCT, "issued").as_str())
            .and_then(|v| v.first())
            .cloned(),
        source_hash: source_value("contentHash").map(|term| match term {
            Term::Literal(literal) => literal.value().to_owned(),
            other => other.to_string(),
        }),
        source_first_seen: source_value("firstSeen"),
        primary_hops: hops_of(read_origin(&props).as_ref()),
        source_origin: read_origin(&source_props),
        source_participant: source_props
            .get(iri(ns::DSPACE, "participantId").as_str())
            .and_then(|v| v.first())
            .map(|term| match term {
                Term::Literal(literal) => literal.value().to_owned(),
                Term::NamedNode(node) => node.as_str().to_owned(),
                other => other.to_string(),
            }),
    }))
}

/// Removes every statement of `subject` in `graph`.
pub(crate) fn remove_subject(
    transaction: &mut Transaction<'_>,
    subject: &NamedNode,
    graph: &GraphName,
) -> Result<(), StoreError> {
    let quads: Vec<Quad> = transaction
        .quads_for_pattern(
            Some(subject.as_ref().into()),
            None,
            None,
            Some(graph.as_ref()),
        )
        .collect::<Result<_, _>>()?;
    for quad in &quads {
        transaction.remove(quad);
    }
    Ok(())
}

fn replace_description(
    transaction: &mut Transaction<'_>,
    write: &RecordWrite<'_>,
    issued: Option<Term>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let record = write.record;
    let node = record_node(&record.id);
    let record_graph = GraphName::NamedNode(node.clone());
    transaction.clear_graph(record_graph.as_ref())?;
    for triple in &record.triples {
        transaction.insert(triple.as_ref().in_graph(record_graph.as_ref()));
    }
    // Keep the provenance links of other sources; rewrite everything else.
    let graph = catalog_graph();
    let provenance_links: Vec<Term> = transaction
        .quads_for_pattern(
            Some(node.as_ref().into()),
            Some(ldt("provenance").as_ref()),
            None,
            Some(graph.as_ref()),
        )
        .map(|quad| quad.map(|q| q.object))
        .collect::<Result<_, _>>()?;
    remove_subject(transaction, &node, &catalog_graph())?;
    let statements = catalog_record_statements(write, issued, now);
    for (predicate, object) in statements {
        transaction.insert(&Quad::new(node.clone(), predicate, object, graph.clone()));
    }
    for link in provenance_links {
        transaction.insert(&Quad::new(
            node.clone(),
            ldt("provenance"),
            link,
            graph.clone(),
        ));
    }
    Ok(())
}

fn replace_provenance(
    transaction: &mut Transaction<'_>,
    write: &RecordWrite<'_>,
    run_id: Option<&str>,
    first_seen: Option<Term>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let graph = catalog_graph();
    let record = record_node(&write.record.id);
    let node = provenance_node(&write.record.id, write.source_id);
    remove_subject(transaction, &node, &catalog_graph())?;
    let statements = provenance_statements(write, run_id, first_seen, now);
    for (predicate, object) in statements {
        transaction.insert(&Quad::new(node.clone(), predicate, object, graph.clone()));
    }
    transaction.insert(&Quad::new(record, ldt("provenance"), node, graph));
    Ok(())
}

/// The statements of a record's CatalogRecord, without the provenance links: type, topic,
/// dates, hash, kind, rule, primary source and, for a record from a peer, its origin.
pub(crate) fn catalog_record_statements(
    write: &RecordWrite<'_>,
    issued: Option<Term>,
    now: DateTime<Utc>,
) -> Vec<(NamedNode, Term)> {
    let record = write.record;
    let now_literal: Term = datetime_literal(now).into();
    let mut statements: Vec<(NamedNode, Term)> = vec![
        (iri(ns::RDF, "type"), iri(ns::DCAT, "CatalogRecord").into()),
        (
            iri(ns::FOAF, "primaryTopic"),
            NamedNode::new_unchecked(record.iri.as_str()).into(),
        ),
        (
            iri(ns::DCT, "issued"),
            issued.unwrap_or_else(|| now_literal.clone()),
        ),
        (iri(ns::DCT, "modified"), now_literal.clone()),
        (ldt("lastSeen"), now_literal),
        (
            ldt("contentHash"),
            Literal::new_simple_literal(&record.hash).into(),
        ),
        (
            ldt("kind"),
            NamedNode::new_unchecked(record.kind.iri()).into(),
        ),
        (
            ldt("classifiedBy"),
            NamedNode::new_unchecked(record.rule.as_str()).into(),
        ),
        (
            ldt("primarySource"),
            Literal::new_simple_literal(write.source_id).into(),
        ),
    ];
    if let Some(origin) = write.origin {
        statements.extend(origin_statements(origin));
    }
    statements
}

/// The statements of the provenance node of `write`'s source.
pub(crate) fn provenance_statements(
    write: &RecordWrite<'_>,
    run_id: Option<&str>,
    first_seen: Option<Term>,
    now: DateTime<Utc>,
) -> Vec<(NamedNode, Term)> {
    let now_literal: Term = datetime_literal(now).into();
    let mut statements: Vec<(NamedNode, Term)> = vec![
        (iri(ns::RDF, "type"), ldt("SourceProvenance").into()),
        (
            ldt("sourceId"),
            Literal::new_simple_literal(write.source_id).into(),
        ),
        (ldt("sourceUrl"), url_term(write.source_url)),
        (
            ldt("firstSeen"),
            first_seen.unwrap_or_else(|| now_literal.clone()),
        ),
        (ldt("lastSeen"), now_literal),
        (
            ldt("contentHash"),
            Literal::new_simple_literal(&write.record.hash).into(),
        ),
    ];
    if let Some(origin) = write.origin {
        statements.extend(origin_statements(origin));
    }
    if let Some(participant) = write.participant {
        statements.push((iri(ns::DSPACE, "participantId"), url_term(participant)));
    }
    for correction in &write.record.corrections {
        statements.push((
            ldt("correctedStatement"),
            Literal::new_simple_literal(correction.original_ntriples()).into(),
        ));
    }
    for repair in &write.record.repairs {
        statements.push((
            ldt("repairedStatement"),
            Literal::new_simple_literal(repair.to_provenance()).into(),
        ));
    }
    if let Some(run_id) = run_id {
        statements.push((
            ldt("harvestRun"),
            NamedNode::new_unchecked(run_iri(run_id)).into(),
        ));
    }
    statements
}
