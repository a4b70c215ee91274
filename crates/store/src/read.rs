//! Reading records and their CatalogRecords back.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use ldtcat_vocab::{ns, Kind};
use oxigraph::model::{
    GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, Term, TermRef, Triple,
};
use oxigraph::store::{StorageError, Store};

use crate::federation::{read_origin, Origin};
use crate::terms::{catalog_graph, iri, ldt, record_id_of, record_node};
use crate::{CatalogStore, StoreError};

/// One source's delivery of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The source id.
    pub source_id: String,
    /// The document (file or page URL) it came from last.
    pub source_url: String,
    /// When this source first delivered it.
    pub first_seen: Option<DateTime<Utc>>,
    /// When this source's delivery was last written.
    pub last_seen: Option<DateTime<Utc>>,
    /// The canonical hash of this source's description.
    pub hash: String,
    /// Where this source's copy entered the federation (none: it entered here).
    pub origin: Option<Origin>,
    /// The data space participant that published it (a DSP catalog's `participantId`).
    pub participant: Option<String>,
    /// The statements of this source's description whose literal was ill-typed, as the
    /// source gave them (N-Triples; `ldt:correctedStatement`); what is stored is corrected.
    pub corrected: Vec<String>,
    /// The statements of this source's description in which parsing repaired an IRI or a
    /// language tag (`ldt:repairedStatement`: the predicate, a tab, what was repaired).
    pub repaired: Vec<String>,
}

/// A record as stored: its CatalogRecord and (when asked for) its statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    /// The record id.
    pub id: String,
    /// The resource IRI.
    pub iri: String,
    /// The kind.
    pub kind: Kind,
    /// The IRI of the rule that classified it.
    pub rule: String,
    /// The canonical hash of the stored description.
    pub hash: String,
    /// First seen.
    pub issued: Option<DateTime<Utc>>,
    /// Last change of the stored description.
    pub modified: Option<DateTime<Utc>>,
    /// Last write.
    pub last_seen: Option<DateTime<Utc>>,
    /// The source whose description is stored.
    pub primary_source: String,
    /// Set when the record is a tombstone.
    pub deleted_at: Option<DateTime<Utc>>,
    /// One entry per delivering source, by source id.
    pub provenance: Vec<Provenance>,
    /// Where the stored description entered the federation (none: it entered here).
    pub origin: Option<Origin>,
    /// The description's statements (empty when only the metadata was read).
    pub triples: Vec<Triple>,
    /// The last checks of the description's access and download URLs (read with the
    /// statements).
    pub links: Vec<ldtcat_model::LinkCheck>,
}

/// Counts over the whole store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreStats {
    /// Live records.
    pub records: u64,
    /// Tombstoned records.
    pub tombstones: u64,
    /// Live records per kind.
    pub by_kind: BTreeMap<Kind, u64>,
    /// Live records per primary source.
    pub by_source: BTreeMap<String, u64>,
    /// Quads in the store.
    pub quads: u64,
}

fn literal_text(term: &Term) -> String {
    match term {
        Term::Literal(l) => l.value().to_owned(),
        Term::NamedNode(n) => n.as_str().to_owned(),
        other => other.to_string(),
    }
}

fn time(term: &Term) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(&literal_text(term))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The statements of one subject in the catalog graph, by predicate IRI.
pub(crate) fn properties(
    store_quads: impl Iterator<Item = Result<Quad, StorageError>>,
) -> Result<BTreeMap<String, Vec<Term>>, StoreError> {
    let mut by_predicate: BTreeMap<String, Vec<Term>> = BTreeMap::new();
    for quad in store_quads {
        let quad = quad?;
        by_predicate
            .entry(quad.predicate.into_string())
            .or_default()
            .push(quad.object);
    }
    Ok(by_predicate)
}

fn subject_quads<'a>(store: &'a Store, subject: &'a NamedNode) -> oxigraph::store::QuadIter<'a> {
    let graph = catalog_graph();
    let graph_ref: GraphNameRef<'_> = graph.as_ref();
    // the iterator does not borrow the graph name beyond this call
    store.quads_for_pattern(
        Some(NamedOrBlankNodeRef::from(subject.as_ref())),
        None,
        None,
        Some(graph_ref),
    )
}

impl StoredRecord {
    /// The statements of the stored description whose literal its source gave ill-typed, as
    /// the source gave them (from the primary source's provenance).
    pub fn corrections(&self) -> Vec<ldtcat_model::literal::Correction> {
        self.provenance
            .iter()
            .filter(|p| p.source_id == self.primary_source)
            .flat_map(|p| &p.corrected)
            .filter_map(|ntriples| ldtcat_model::literal::Correction::from_ntriples(ntriples))
            .collect()
    }

    /// The statements of the stored description in which parsing repaired an IRI or a
    /// language tag (from the primary source's provenance).
    pub fn repairs(&self) -> Vec<ldtcat_model::Repair> {
        self.provenance
            .iter()
            .filter(|p| p.source_id == self.primary_source)
            .flat_map(|p| &p.repaired)
            .filter_map(|text| ldtcat_model::Repair::from_provenance(text))
            .collect()
    }

    /// The searchable summary of this record: what the index holds, and what pages show;
    /// `changed` is the record's last change here.
    pub fn summary(&self) -> ldtcat_model::summary::RecordSummary {
        self.summary_with(true)
    }

    /// [`StoredRecord::summary`] without the quality assessment (for showing the record).
    pub fn summary_unscored(&self) -> ldtcat_model::summary::RecordSummary {
        self.summary_with(false)
    }

    fn summary_with(&self, scored: bool) -> ldtcat_model::summary::RecordSummary {
        use ldtcat_model::extract::{summarize, summarize_unscored, RecordFacts};
        let sources: Vec<String> = self
            .provenance
            .iter()
            .map(|p| p.source_id.clone())
            .collect();
        // Only the assessment reads what was corrected.
        let (corrections, repairs) = if scored {
            (self.corrections(), self.repairs())
        } else {
            (Vec::new(), Vec::new())
        };
        let facts = RecordFacts {
            id: &self.id,
            iri: &self.iri,
            kind: self.kind,
            sources: &sources,
            corrections: &corrections,
            repairs: &repairs,
            links: if scored { &self.links } else { &[] },
        };
        let summarize = if scored {
            summarize
        } else {
            summarize_unscored
        };
        ldtcat_model::summary::RecordSummary {
            changed: self.modified,
            ..summarize(&facts, &self.triples)
        }
    }
}

impl CatalogStore {
    /// The record with this id, with its statements; tombstones included.
    pub fn record(&self, record_id: &str) -> Result<Option<StoredRecord>, StoreError> {
        let Some(mut record) = self.record_metadata(record_id)? else {
            return Ok(None);
        };
        let graph = record_node(record_id);
        for quad in self
            .oxigraph()
            .quads_for_pattern(None, None, None, Some(graph.as_ref().into()))
        {
            let quad = quad?;
            record
                .triples
                .push(Triple::new(quad.subject, quad.predicate, quad.object));
        }
        record.triples.sort_by_cached_key(ToString::to_string);
        record.links = self.link_checks_of(&record.triples)?;
        Ok(Some(record))
    }

    /// The statements of a record's `dcat:CatalogRecord` and of its per-source provenance
    /// nodes, as published (empty for an unknown id).
    pub fn catalog_record_triples(&self, record_id: &str) -> Result<Vec<Triple>, StoreError> {
        let node = record_node(record_id);
        let mut triples = Vec::new();
        let mut provenance_nodes = Vec::new();
        for quad in subject_quads(self.oxigraph(), &node) {
            let quad = quad?;
            if quad.predicate == ldt("provenance") {
                if let Term::NamedNode(provenance) = &quad.object {
                    provenance_nodes.push(provenance.clone());
                }
            }
            triples.push(Triple::new(quad.subject, quad.predicate, quad.object));
        }
        for provenance in &provenance_nodes {
            for quad in subject_quads(self.oxigraph(), provenance) {
                let quad = quad?;
                triples.push(Triple::new(quad.subject, quad.predicate, quad.object));
            }
        }
        Ok(triples)
    }

    /// The CatalogRecord of this id, without the statements.
    pub fn record_metadata(&self, record_id: &str) -> Result<Option<StoredRecord>, StoreError> {
        let node = record_node(record_id);
        let props = properties(subject_quads(self.oxigraph(), &node))?;
        if props.is_empty() {
            return Ok(None);
        }
        let one = |predicate: NamedNode| {
            props
                .get(predicate.as_str())
                .and_then(|values| values.first())
        };
        let missing = |what: &'static str| StoreError::IncompleteRecord {
            record_id: record_id.to_owned(),
            missing: what,
        };
        let resource_iri = one(iri(ns::FOAF, "primaryTopic"))
            .map(literal_text)
            .ok_or_else(|| missing("foaf:primaryTopic"))?;
        let kind = one(ldt("kind"))
            .and_then(|t| Kind::from_iri(&literal_text(t)))
            .ok_or_else(|| missing("ldt:kind"))?;
        let mut provenance = Vec::new();
        for term in props.get(ldt("provenance").as_str()).into_iter().flatten() {
            if let Term::NamedNode(node) = term {
                let p = properties(subject_quads(self.oxigraph(), node))?;
                let get = |local: &str| p.get(ldt(local).as_str()).and_then(|v| v.first());
                provenance.push(Provenance {
                    source_id: get("sourceId").map(literal_text).unwrap_or_default(),
                    source_url: get("sourceUrl").map(literal_text).unwrap_or_default(),
                    first_seen: get("firstSeen").and_then(time),
                    last_seen: get("lastSeen").and_then(time),
                    hash: get("contentHash").map(literal_text).unwrap_or_default(),
                    origin: read_origin(&p),
                    participant: p
                        .get(iri(ns::DSPACE, "participantId").as_str())
                        .and_then(|v| v.first())
                        .map(literal_text),
                    corrected: sorted_texts(&p, "correctedStatement"),
                    repaired: sorted_texts(&p, "repairedStatement"),
                });
            }
        }
        provenance.sort_by(|a, b| a.source_id.cmp(&b.source_id));
        Ok(Some(StoredRecord {
            id: record_id.to_owned(),
            iri: resource_iri,
            kind,
            rule: one(ldt("classifiedBy"))
                .map(literal_text)
                .unwrap_or_default(),
            hash: one(ldt("contentHash"))
                .map(literal_text)
                .unwrap_or_default(),
            issued: one(iri(ns::DCT, "issued")).and_then(time),
            modified: one(iri(ns::DCT, "modified")).and_then(time),
            last_seen: one(ldt("lastSeen")).and_then(time),
            primary_source: one(ldt("primarySource"))
                .map(literal_text)
                .unwrap_or_default(),
            deleted_at: one(ldt("deletedAt")).and_then(time),
            provenance,
            origin: read_origin(&props),
            triples: Vec::new(),
            links: Vec::new(),
        }))
    }

    /// The ids of every record, tombstones included, in id order.
    pub fn record_ids(&self) -> Result<Vec<String>, StoreError> {
        let rdf_type = iri(ns::RDF, "type");
        let class = iri(ns::DCAT, "CatalogRecord");
        let graph = catalog_graph();
        let mut ids = Vec::new();
        for quad in self.oxigraph().quads_for_pattern(
            None,
            Some(rdf_type.as_ref()),
            Some(TermRef::from(NamedNodeRef::from(&class))),
            Some(graph.as_ref()),
        ) {
            if let oxigraph::model::NamedOrBlankNode::NamedNode(node) = quad?.subject {
                if let Some(id) = record_id_of(node.as_str()) {
                    ids.push(id.to_owned());
                }
            }
        }
        ids.sort();
        Ok(ids)
    }

    /// Counts of live records per kind and source, tombstones, and quads.
    pub fn stats(&self) -> Result<StoreStats, StoreError> {
        let mut stats = StoreStats {
            quads: self.oxigraph().len()? as u64,
            ..StoreStats::default()
        };
        stats.tombstones = self.tombstone_count()?;
        for id in self.record_ids()? {
            let Some(record) = self.record_metadata(&id)? else {
                continue;
            };
            if record.deleted_at.is_some() {
                stats.tombstones += 1;
                continue;
            }
            stats.records += 1;
            *stats.by_kind.entry(record.kind).or_default() += 1;
            *stats.by_source.entry(record.primary_source).or_default() += 1;
        }
        Ok(stats)
    }
}

/// The texts of `local` (an `ldt:` property) in `properties`, sorted.
fn sorted_texts(properties: &BTreeMap<String, Vec<Term>>, local: &str) -> Vec<String> {
    let mut texts: Vec<String> = properties
        .get(ldt(local).as_str())
        .into_iter()
        .flatten()
        .map(literal_text)
        .collect();
    texts.sort();
    texts
}
