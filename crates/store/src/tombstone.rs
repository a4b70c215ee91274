//! Withdrawing records a source no longer delivers: detaching that source's provenance, and
//! turning records no source delivers any more into tombstones.
//!
//! A tombstone leaves the named graphs (the public SPARQL endpoint reads their union only):
//! the record's graph `urn:ldtcat:record:{id}` and its CatalogRecord in `urn:ldtcat:catalog`
//! are deleted, and the store's private *default* graph gets a CatalogRecord with the same
//! subject IRI carrying `ldt:deleted` (when), `ldt:formerSource` (every source that had
//! delivered it), `foaf:primaryTopic`, `ldt:contentHash` and `ldt:lastContent` (the record's
//! canonical N-Triples), all in one transaction. A record delivered again is restored by
//! [`CatalogStore::write_records`], which removes the tombstone in the same transaction.

use chrono::{DateTime, Utc};
use ldtcat_model::canon::canonicalize;
use ldtcat_vocab::ns;
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, Term, TermRef, Triple,
};
use oxigraph::store::Transaction;

use crate::federation::{hops_of, origin_statements, read_origin};
use crate::feed::{read_sequence, stamp, SequenceCounter};
use crate::read::properties;
use crate::terms::{catalog_graph, datetime_literal, iri, ldt, record_id_of, record_node};
use crate::write::remove_subject;
use crate::{CatalogStore, StoreError};

/// A record that no source delivers any more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tombstone {
    /// The record id.
    pub id: String,
    /// The resource IRI.
    pub iri: String,
    /// When it was tombstoned.
    pub deleted_at: Option<DateTime<Utc>>,
    /// The sources that had delivered it.
    pub sources: Vec<String>,
    /// The canonical N-Triples of its last description.
    pub last_content: String,
}

/// What withdrawing a source from some records did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WithdrawOutcome {
    /// Records that became tombstones (remove them from the index).
    pub tombstoned: Vec<String>,
    /// Records that lost this source but are still delivered by another (re-index them).
    pub detached: Vec<String>,
}

fn literal_value(term: &Term) -> String {
    match term {
        Term::Literal(literal) => literal.value().to_owned(),
        Term::NamedNode(node) => node.as_str().to_owned(),
        other => other.to_string(),
    }
}

fn default_graph_quads(
    transaction: &Transaction<'_>,
    subject: &NamedNode,
) -> Result<Vec<Quad>, StoreError> {
    Ok(transaction
        .quads_for_pattern(
            Some(subject.as_ref().into()),
            None,
            None,
            Some(GraphNameRef::DefaultGraph),
        )
        .collect::<Result<_, _>>()?)
}

/// Removes the tombstone of `record_id` (if any) inside `transaction`; true if there was one.
pub(crate) fn remove_tombstone(
    transaction: &mut Transaction<'_>,
    record_id: &str,
) -> Result<bool, StoreError> {
    let quads = default_graph_quads(transaction, &record_node(record_id))?;
    for quad in &quads {
        transaction.remove(quad);
    }
    Ok(!quads.is_empty())
}

impl CatalogStore {
    /// The ids of the live records `source_id` delivers, in id order.
    pub fn record_ids_of_source(&self, source_id: &str) -> Result<Vec<String>, StoreError> {
        let graph = catalog_graph();
        let source = Literal::new_simple_literal(source_id);
        let mut ids = Vec::new();
        for quad in self.oxigraph().quads_for_pattern(
            None,
            Some(ldt("sourceId").as_ref()),
            Some(TermRef::from(source.as_ref())),
            Some(graph.as_ref()),
        ) {
            if let NamedOrBlankNode::NamedNode(node) = quad?.subject {
                let suffix = format!(":source:{source_id}");
                if let Some(id) = node
                    .as_str()
                    .strip_suffix(suffix.as_str())
                    .and_then(record_id_of)
                {
                    ids.push(id.to_owned());
                }
            }
        }
        ids.sort();
        ids.dedup();
        Ok(ids)
    }

    /// Withdraws `source_id` from each record of `record_ids`, in one transaction: a record
    /// another source still delivers only loses this source's provenance (and, if this
    /// source had precedence, passes it to the remaining source with the fewest hops from the
    /// origin, then first in id order, whose origin the CatalogRecord takes); a record no other
    /// source delivers becomes a tombstone. Records this source does not deliver are left
    /// alone. Tombstones and changes of precedence get a feed sequence number.
    pub fn withdraw_source(
        &self,
        record_ids: &[String],
        source_id: &str,
        now: DateTime<Utc>,
    ) -> Result<WithdrawOutcome, StoreError> {
        let mut outcome = WithdrawOutcome::default();
        let _guard = self.sequence_guard();
        let mut transaction = self.oxigraph().start_transaction()?;
        let mut counter = SequenceCounter::read(&transaction)?;
        for record_id in record_ids {
            let node = record_node(record_id);
            let graph = catalog_graph();
            let props = properties(transaction.quads_for_pattern(
                Some(node.as_ref().into()),
                None,
                None,
                Some(graph.as_ref()),
            ))?;
            if props.is_empty() {
                continue;
            }
            let mut sources: Vec<(String, NamedNode)> = Vec::new();
            for link in props.get(ldt("provenance").as_str()).into_iter().flatten() {
                if let Term::NamedNode(provenance) = link {
                    let id = provenance
                        .as_str()
                        .rsplit_once(":source:")
                        .map(|(_, id)| id.to_owned())
                        .unwrap_or_default();
                    sources.push((id, provenance.clone()));
                }
            }
            sources.sort();
            let Some((_, withdrawn)) = sources.iter().find(|(id, _)| id == source_id) else {
                continue;
            };
            let mut remaining: Vec<(u64, &String, &NamedNode)> = Vec::new();
            for (id, provenance) in sources.iter().filter(|(id, _)| id != source_id) {
                let provenance_props = properties(transaction.quads_for_pattern(
                    Some(provenance.as_ref().into()),
                    None,
                    None,
                    Some(graph.as_ref()),
                ))?;
                let hops = hops_of(read_origin(&provenance_props).as_ref());
                remaining.push((hops, id, provenance));
            }
            remaining.sort();
            if remaining.is_empty() {
                let previous = read_sequence(&transaction, record_id)?;
                let all: Vec<String> = sources.iter().map(|(id, _)| id.clone()).collect();
                write_tombstone(&mut transaction, record_id, &props, &sources, &all, now)?;
                stamp(
                    &mut transaction,
                    &mut counter,
                    record_id,
                    &GraphName::DefaultGraph,
                    previous,
                    now,
                )?;
                outcome.tombstoned.push(record_id.clone());
                continue;
            }
            let withdrawn = withdrawn.clone();
            remove_subject(&mut transaction, &withdrawn, &graph)?;
            transaction.remove(&Quad::new(
                node.clone(),
                ldt("provenance"),
                withdrawn.clone(),
                graph.clone(),
            ));
            let primary = props
                .get(ldt("primarySource").as_str())
                .and_then(|v| v.first())
                .map(literal_value)
                .unwrap_or_default();
            if primary == source_id {
                if let Some((_, next, next_provenance)) = remaining.first() {
                    let next_provenance = (*next_provenance).clone();
                    let previous = read_sequence(&transaction, record_id)?;
                    pass_precedence(&mut transaction, &props, &node, next, &next_provenance)?;
                    stamp(
                        &mut transaction,
                        &mut counter,
                        record_id,
                        &graph,
                        previous,
                        now,
                    )?;
                }
            }
            outcome.detached.push(record_id.clone());
        }
        counter.save(&mut transaction)?;
        transaction.commit()?;
        Ok(outcome)
    }

    /// Every tombstone, in id order.
    pub fn tombstones(&self) -> Result<Vec<Tombstone>, StoreError> {
        let rdf_type = iri(ns::RDF, "type");
        let class = iri(ns::DCAT, "CatalogRecord");
        let mut tombstones = Vec::new();
        for quad in self.oxigraph().quads_for_pattern(
            None,
            Some(rdf_type.as_ref()),
            Some(class.as_ref().into()),
            Some(GraphNameRef::DefaultGraph),
        ) {
            if let NamedOrBlankNode::NamedNode(node) = quad?.subject {
                if let Some(id) = record_id_of(node.as_str()) {
                    if let Some(tombstone) = self.tombstone(id)? {
                        tombstones.push(tombstone);
                    }
                }
            }
        }
        tombstones.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(tombstones)
    }

    /// How many tombstones there are (without reading them).
    pub fn tombstone_count(&self) -> Result<u64, StoreError> {
        let mut count = 0;
        for quad in self.oxigraph().quads_for_pattern(
            None,
            Some(ldt("deleted").as_ref()),
            None,
            Some(GraphNameRef::DefaultGraph),
        ) {
            quad?;
            count += 1;
        }
        Ok(count)
    }

    /// The tombstone of `record_id`, if the record is one.
    pub fn tombstone(&self, record_id: &str) -> Result<Option<Tombstone>, StoreError> {
        let node = record_node(record_id);
        let props = properties(self.oxigraph().quads_for_pattern(
            Some(node.as_ref().into()),
            None,
            None,
            Some(GraphNameRef::DefaultGraph),
        ))?;
        let Some(deleted) = props.get(ldt("deleted").as_str()) else {
            return Ok(None);
        };
        let one = |predicate: NamedNode| {
            props
                .get(predicate.as_str())
                .and_then(|v| v.first())
                .map(literal_value)
                .unwrap_or_default()
        };
        let mut sources: Vec<String> = props
            .get(ldt("formerSource").as_str())
            .into_iter()
            .flatten()
            .map(literal_value)
            .collect();
        sources.sort();
        Ok(Some(Tombstone {
            id: record_id.to_owned(),
            iri: one(iri(ns::FOAF, "primaryTopic")),
            deleted_at: deleted.first().map(literal_value).and_then(|text| {
                DateTime::parse_from_rfc3339(&text)
                    .ok()
                    .map(|t| t.with_timezone(&Utc))
            }),
            sources,
            last_content: one(ldt("lastContent")),
        }))
    }
}

/// Gives precedence to `next`: the CatalogRecord's `ldt:primarySource` and origin become
/// that source's. The stored description stays until that source delivers its own.
fn pass_precedence(
    transaction: &mut Transaction<'_>,
    props: &std::collections::BTreeMap<String, Vec<Term>>,
    node: &NamedNode,
    next: &str,
    next_provenance: &NamedNode,
) -> Result<(), StoreError> {
    let graph = catalog_graph();
    for local in ["primarySource", "originCatalogue", "hops", "path"] {
        for value in props.get(ldt(local).as_str()).into_iter().flatten() {
            transaction.remove(&Quad::new(
                node.clone(),
                ldt(local),
                value.clone(),
                graph.clone(),
            ));
        }
    }
    transaction.insert(&Quad::new(
        node.clone(),
        ldt("primarySource"),
        Literal::new_simple_literal(next),
        graph.clone(),
    ));
    let next_props = properties(transaction.quads_for_pattern(
        Some(next_provenance.as_ref().into()),
        None,
        None,
        Some(graph.as_ref()),
    ))?;
    if let Some(origin) = read_origin(&next_props) {
        for (predicate, object) in origin_statements(&origin) {
            transaction.insert(&Quad::new(node.clone(), predicate, object, graph.clone()));
        }
    }
    Ok(())
}

fn write_tombstone(
    transaction: &mut Transaction<'_>,
    record_id: &str,
    props: &std::collections::BTreeMap<String, Vec<Term>>,
    provenance: &[(String, NamedNode)],
    sources: &[String],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let node = record_node(record_id);
    let record_graph = GraphName::NamedNode(node.clone());
    let triples: Vec<Triple> = transaction
        .quads_for_pattern(None, None, None, Some(record_graph.as_ref()))
        .map(|quad| quad.map(Triple::from))
        .collect::<Result<_, _>>()?;
    let canonical = canonicalize(&triples, "");
    transaction.remove_named_graph(node.as_ref())?;
    let catalog = catalog_graph();
    for (_, provenance_node) in provenance {
        remove_subject(transaction, provenance_node, &catalog)?;
    }
    remove_subject(transaction, &node, &catalog)?;
    remove_tombstone(transaction, record_id)?;
    let mut statements: Vec<(NamedNode, Term)> = vec![
        (iri(ns::RDF, "type"), iri(ns::DCAT, "CatalogRecord").into()),
        (ldt("deleted"), datetime_literal(now).into()),
        (
            ldt("lastContent"),
            Literal::new_simple_literal(canonical.ntriples).into(),
        ),
        (
            ldt("contentHash"),
            Literal::new_simple_literal(canonical.hash).into(),
        ),
    ];
    for (predicate, local) in [
        (iri(ns::FOAF, "primaryTopic"), iri(ns::FOAF, "primaryTopic")),
        (ldt("kind"), ldt("kind")),
        (iri(ns::DCT, "issued"), iri(ns::DCT, "issued")),
    ] {
        if let Some(value) = props.get(local.as_str()).and_then(|v| v.first()) {
            statements.push((predicate, value.clone()));
        }
    }
    for source in sources {
        statements.push((
            ldt("formerSource"),
            Literal::new_simple_literal(source).into(),
        ));
    }
    for (predicate, object) in statements {
        transaction.insert(&Quad::new(
            node.clone(),
            predicate,
            object,
            GraphName::DefaultGraph,
        ));
    }
    Ok(())
}
