//! Splitting a document into records, in two streaming passes.
//!
//! A record is one catalogued resource (an instance of an `ldt:recordClass`, see
//! `vocab/classification.ttl`) with its *closure*: every node reachable from it through
//! statements of the document, stopping at other records and at container catalogues.
//! Distributions, contact points, periods of time and blank nodes thus belong to the
//! records that reference them. A node shared by several records (a publisher described
//! once, a licence document) is copied into each of them, so that every record is
//! self-contained and can be republished, replaced or deleted alone.
//!
//! A `dcat:Catalog` that no other catalogue of the document lists with `dcat:catalog` is the
//! document's *container*: it is not a record, and its own statements are not part of any
//! record (the harvest source describes it). A nested catalogue is a record.
//!
//! Memory: pass 1 keeps only the node structure (a 128-bit hash per IRI node, edges between
//! nodes, the position where each node's last new statement occurs, and a 128-bit hash per
//! distinct statement to recognise repeats); literals are not kept.
//! Pass 2 re-reads the document and hands each record over as soon as the last statement
//! of its closure has been read, so a document whose records are written one after the other
//! (as exports are) holds about one record at a time. Statements about a node shared by
//! several records (a publisher, a licence document) are kept once, however often the
//! document repeats them, until the last record containing that node has been handed over.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use ldtcat_vocab::{ns, RuleSet};
use oxrdf::{BlankNode, NamedNode, NamedOrBlankNode, Quad, Term, Triple};

use crate::parse::{ParseReport, RdfDocument};
use crate::ModelError;

/// The statements of one catalogued resource, as read from a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRecord {
    /// The resource (an IRI or, before skolemisation, a blank node).
    pub root: NamedOrBlankNode,
    /// The closure's statements without duplicates: the record's own statements in document
    /// order, then those about nodes it shares with other records.
    pub triples: Vec<Triple>,
    /// Those of its statements that parsing repaired (an IRI, a language tag), with what was
    /// repaired ([`crate::parse`]).
    pub repairs: Vec<Repair>,
}

/// A statement of a record that parsing repaired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// The statement's predicate (as repaired).
    pub predicate: NamedNode,
    /// What was repaired: `<bad> -> <good>`, `language tag "en_US" -> "en-us"`.
    pub what: String,
}

impl Repair {
    /// The form the record's provenance keeps (`ldt:repairedStatement`): the predicate's
    /// IRI, a tab, what was repaired.
    pub fn to_provenance(&self) -> String {
        format!("{}\t{}", self.predicate.as_str(), self.what)
    }

    /// The repair of a [`Repair::to_provenance`] text; `None` if it is not one.
    pub fn from_provenance(text: &str) -> Option<Repair> {
        let (predicate, what) = text.split_once('\t')?;
        Some(Repair {
            predicate: NamedNode::new(predicate).ok()?,
            what: what.to_owned(),
        })
    }
}

/// What splitting found besides the records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SplitReport {
    /// Parsing counts (from the first pass).
    pub parse: ParseReport,
    /// Records found.
    pub records: u64,
    /// Container catalogues found (their IRIs, or `_:` for blank nodes).
    pub containers: Vec<String>,
    /// Statements that belong to no record (about containers or unattached nodes).
    pub statements_outside_records: u64,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum NodeKey {
    Iri(u64, u64),
    Blank(u32),
}

fn iri_key(iri: &str) -> NodeKey {
    let mut first = DefaultHasher::new();
    (0u8, iri).hash(&mut first);
    let mut second = DefaultHasher::new();
    (1u8, iri).hash(&mut second);
    NodeKey::Iri(first.finish(), second.finish())
}

/// Numbers blank nodes by first appearance, which is the same in both passes.
#[derive(Default)]
struct BlankNumbering {
    ordinals: HashMap<String, u32>,
}

impl BlankNumbering {
    fn key(&mut self, node: &BlankNode) -> NodeKey {
        let next = self.ordinals.len() as u32;
        NodeKey::Blank(
            *self
                .ordinals
                .entry(node.as_str().to_owned())
                .or_insert(next),
        )
    }
}

#[derive(Default)]
struct Structure {
    ids: HashMap<NodeKey, u32>,
    edges: Vec<Vec<u32>>,
    last_position: Vec<u64>,
    is_candidate: Vec<bool>,
    is_catalog: Vec<bool>,
    is_nested_catalog: Vec<bool>,
    is_blank: Vec<bool>,
}

impl Structure {
    fn id(&mut self, key: NodeKey) -> u32 {
        let next = self.edges.len() as u32;
        *self.ids.entry(key).or_insert_with(|| {
            self.edges.push(Vec::new());
            self.last_position.push(0);
            self.is_candidate.push(false);
            self.is_catalog.push(false);
            self.is_nested_catalog.push(false);
            self.is_blank.push(matches!(key, NodeKey::Blank(_)));
            next
        })
    }

    fn is_root(&self, node: u32) -> bool {
        let node = node as usize;
        self.is_candidate[node] && (!self.is_catalog[node] || self.is_nested_catalog[node])
    }

    fn is_container(&self, node: u32) -> bool {
        let node = node as usize;
        self.is_catalog[node] && !self.is_nested_catalog[node]
    }
}

fn statement_key(subject: NodeKey, quad: &Quad) -> (u64, u64) {
    let mut first = DefaultHasher::new();
    (0u8, subject, &quad.predicate, &quad.object).hash(&mut first);
    let mut second = DefaultHasher::new();
    (1u8, subject, &quad.predicate, &quad.object).hash(&mut second);
    (first.finish(), second.finish())
}

fn subject_key(subject: &NamedOrBlankNode, blanks: &mut BlankNumbering) -> NodeKey {
    match subject {
        NamedOrBlankNode::NamedNode(node) => iri_key(node.as_str()),
        NamedOrBlankNode::BlankNode(node) => blanks.key(node),
    }
}

fn object_key(object: &Term, blanks: &mut BlankNumbering) -> Option<NodeKey> {
    match object {
        Term::NamedNode(node) => Some(iri_key(node.as_str())),
        Term::BlankNode(node) => Some(blanks.key(node)),
        _ => None,
    }
}

/// Reads `document` twice and calls `on_record` with every record, in the order their
/// closures complete. Statements of all graphs of a dataset syntax are read as one graph.
pub fn split_records(
    document: &RdfDocument<'_>,
    rules: &RuleSet,
    mut on_record: impl FnMut(RawRecord) -> Result<(), ModelError>,
) -> Result<SplitReport, ModelError> {
    let mut report = SplitReport::default();
    let structure = read_structure(document, rules, &mut report.parse)?;
    let roots: Vec<u32> = (0..structure.edges.len() as u32)
        .filter(|&node| structure.is_root(node))
        .collect();
    report.records = roots.len() as u64;
    let plan = EmissionPlan::new(&structure, &roots);

    let mut pending: Vec<Option<Vec<Triple>>> = vec![Some(Vec::new()); roots.len()];
    let mut root_terms: Vec<Option<NamedOrBlankNode>> = vec![None; roots.len()];
    let mut shared = SharedStatements::new(&plan);
    let mut blanks = BlankNumbering::default();
    let mut position = 0u64;
    let mut next_emission = 0usize;
    let mut second_pass_report = ParseReport::default();
    // The repaired statements of the document (only those), for the records holding them.
    let mut repairs: HashMap<Triple, String> = HashMap::new();
    document.for_each_quad_noting_repairs(&mut second_pass_report, |quad: Quad, repaired| {
        if let Some(what) = repaired {
            repairs.insert(
                Triple::new(
                    quad.subject.clone(),
                    quad.predicate.clone(),
                    quad.object.clone(),
                ),
                what.to_owned(),
            );
        }
        let subject = subject_key(&quad.subject, &mut blanks);
        // Numbered for its side effect: blank nodes must get the same numbers as in pass 1.
        object_key(&quad.object, &mut blanks);
        if let Some(&node) = structure.ids.get(&subject) {
            let records = &plan.records_of_node[node as usize];
            match records.as_slice() {
                [] => {
                    report.statements_outside_records += 1;
                    if structure.is_container(node) {
                        let name = quad.subject.to_string();
                        if !report.containers.contains(&name) {
                            report.containers.push(name);
                        }
                    }
                }
                &[record] => {
                    let record = record as usize;
                    if roots[record] == node && root_terms[record].is_none() {
                        root_terms[record] = Some(quad.subject.clone());
                    }
                    if let Some(buffer) = pending[record].as_mut() {
                        buffer.push(Triple::new(quad.subject, quad.predicate, quad.object));
                    }
                }
                _ => shared.add(node, Triple::new(quad.subject, quad.predicate, quad.object)),
            }
        }
        while next_emission < plan.order.len() && plan.order[next_emission].0 <= position {
            let record = plan.order[next_emission].1 as usize;
            next_emission += 1;
            emit(
                &mut pending,
                &mut root_terms,
                &mut shared,
                &plan,
                record,
                &repairs,
                &mut on_record,
            )?;
        }
        position += 1;
        Ok(())
    })?;
    for &(_, record) in &plan.order[next_emission..] {
        emit(
            &mut pending,
            &mut root_terms,
            &mut shared,
            &plan,
            record as usize,
            &repairs,
            &mut on_record,
        )?;
    }
    Ok(report)
}

/// Statements about nodes that belong to several records, each kept once until every record
/// containing the node has been handed over.
struct SharedStatements {
    statements: HashMap<u32, (Vec<Triple>, HashSet<Triple>)>,
    records_left: HashMap<u32, usize>,
}

impl SharedStatements {
    fn new(plan: &EmissionPlan) -> Self {
        let records_left = plan
            .records_of_node
            .iter()
            .enumerate()
            .filter(|(_, records)| records.len() > 1)
            .map(|(node, records)| (node as u32, records.len()))
            .collect();
        Self {
            statements: HashMap::new(),
            records_left,
        }
    }

    fn add(&mut self, node: u32, triple: Triple) {
        if !self.records_left.contains_key(&node) {
            return; // every record containing it has been handed over already
        }
        let (list, set) = self.statements.entry(node).or_default();
        if !set.contains(&triple) {
            set.insert(triple.clone());
            list.push(triple);
        }
    }

    /// Appends the statements of `node` to `triples`, and forgets them after the last record.
    fn take_for_record(&mut self, node: u32, triples: &mut Vec<Triple>) {
        if let Some((list, _)) = self.statements.get(&node) {
            triples.extend(list.iter().cloned());
        }
        if let Some(left) = self.records_left.get_mut(&node) {
            *left -= 1;
            if *left == 0 {
                self.records_left.remove(&node);
                self.statements.remove(&node);
            }
        }
    }
}

fn emit(
    pending: &mut [Option<Vec<Triple>>],
    root_terms: &mut [Option<NamedOrBlankNode>],
    shared: &mut SharedStatements,
    plan: &EmissionPlan,
    record: usize,
    repairs: &HashMap<Triple, String>,
    on_record: &mut impl FnMut(RawRecord) -> Result<(), ModelError>,
) -> Result<(), ModelError> {
    let triples = pending[record].take();
    let root = root_terms[record].take();
    let mut shared_triples = Vec::new();
    for &node in &plan.shared_nodes_of_record[record] {
        shared.take_for_record(node, &mut shared_triples);
    }
    let (Some(mut triples), Some(root)) = (triples, root) else {
        return Ok(());
    };
    let mut seen = HashSet::with_capacity(triples.len());
    triples.retain(|triple| seen.insert(triple.clone()));
    triples.extend(shared_triples);
    let repairs = if repairs.is_empty() {
        Vec::new()
    } else {
        triples
            .iter()
            .filter_map(|triple| {
                repairs.get(triple).map(|what| Repair {
                    predicate: triple.predicate.clone(),
                    what: what.clone(),
                })
            })
            .collect()
    };
    on_record(RawRecord {
        root,
        triples,
        repairs,
    })
}

fn read_structure(
    document: &RdfDocument<'_>,
    rules: &RuleSet,
    report: &mut ParseReport,
) -> Result<Structure, ModelError> {
    let rdf_type = format!("{}type", ns::RDF);
    let dcat_catalog_class = format!("{}Catalog", ns::DCAT);
    let dcat_catalog_property = format!("{}catalog", ns::DCAT);
    let mut structure = Structure::default();
    let mut blanks = BlankNumbering::default();
    let mut position = 0u64;
    let mut seen_statements: HashSet<(u64, u64)> = HashSet::new();
    document.for_each_quad(report, |quad| {
        let subject_node = subject_key(&quad.subject, &mut blanks);
        let subject = structure.id(subject_node);
        // A statement repeated later in the document (a publisher described again with each
        // dataset, as many exporters do) adds nothing: only the position of the last *new*
        // statement about a node decides when the records containing it are complete.
        if seen_statements.insert(statement_key(subject_node, &quad)) {
            structure.last_position[subject as usize] = position;
        }
        if let Some(object_key) = object_key(&quad.object, &mut blanks) {
            let object = structure.id(object_key);
            structure.edges[subject as usize].push(object);
            let predicate = quad.predicate.as_str();
            if predicate == rdf_type {
                if let Term::NamedNode(class) = &quad.object {
                    if rules.is_record_class(class.as_str()) {
                        structure.is_candidate[subject as usize] = true;
                    }
                    if class.as_str() == dcat_catalog_class {
                        structure.is_catalog[subject as usize] = true;
                    }
                }
            } else if predicate == dcat_catalog_property && object != subject {
                structure.is_nested_catalog[object as usize] = true;
            }
        }
        position += 1;
        Ok(())
    })?;
    for edges in &mut structure.edges {
        edges.sort_unstable();
        edges.dedup();
    }
    Ok(structure)
}

/// Which records each node belongs to, and when each record is complete.
struct EmissionPlan {
    records_of_node: Vec<Vec<u32>>,
    /// For each record, the nodes of its closure that other records contain too.
    shared_nodes_of_record: Vec<Vec<u32>>,
    /// (position of the last statement of the closure, record index), ascending.
    order: Vec<(u64, u32)>,
}

impl EmissionPlan {
    fn new(structure: &Structure, roots: &[u32]) -> Self {
        let node_count = structure.edges.len();
        let mut record_of_root: HashMap<u32, u32> = HashMap::with_capacity(roots.len());
        for (record, &root) in roots.iter().enumerate() {
            record_of_root.insert(root, record as u32);
        }
        let mut records_of_node: Vec<Vec<u32>> = vec![Vec::new(); node_count];
        let mut visited_by: Vec<u32> = vec![u32::MAX; node_count];
        let mut own_completion = Vec::with_capacity(roots.len());
        let mut blank_roots_referenced: Vec<Vec<u32>> = vec![Vec::new(); roots.len()];
        let mut stack = Vec::new();
        for (record, &root) in roots.iter().enumerate() {
            let record_index = record as u32;
            let mut complete_at = 0u64;
            stack.push(root);
            visited_by[root as usize] = record_index;
            while let Some(node) = stack.pop() {
                records_of_node[node as usize].push(record_index);
                complete_at = complete_at.max(structure.last_position[node as usize]);
                for &next in &structure.edges[node as usize] {
                    if structure.is_root(next) {
                        if structure.is_blank[next as usize] && next != root {
                            blank_roots_referenced[record].push(record_of_root[&next]);
                        }
                        continue;
                    }
                    if visited_by[next as usize] != record_index && !structure.is_container(next) {
                        visited_by[next as usize] = record_index;
                        stack.push(next);
                    }
                }
            }
            own_completion.push(complete_at);
        }
        // A record that links to a blank-node record waits for it, so that the skolem IRI
        // of the blank node is known when the linking record is built; on equal positions,
        // blank-node records go first.
        let mut order: Vec<(u64, bool, u32)> = roots
            .iter()
            .enumerate()
            .map(|(record, &root)| {
                let waits_for = blank_roots_referenced[record]
                    .iter()
                    .map(|&other| own_completion[other as usize])
                    .max()
                    .unwrap_or(0);
                let complete_at = own_completion[record].max(waits_for);
                (
                    complete_at,
                    !structure.is_blank[root as usize],
                    record as u32,
                )
            })
            .collect();
        order.sort_unstable();
        let mut shared_nodes_of_record: Vec<Vec<u32>> = vec![Vec::new(); roots.len()];
        for (node, records) in records_of_node.iter().enumerate() {
            if records.len() > 1 {
                for &record in records {
                    shared_nodes_of_record[record as usize].push(node as u32);
                }
            }
        }
        Self {
            records_of_node,
            shared_nodes_of_record,
            order: order
                .into_iter()
                .map(|(at, _, record)| (at, record))
                .collect(),
        }
    }
}
