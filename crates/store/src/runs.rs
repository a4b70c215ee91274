//! Harvest run reports, kept in the store's private default graph so that they survive
//! restarts: one `ldt:HarvestRun` node `urn:ldtcat:run:{run_id}` per run.

use chrono::{DateTime, Utc};
use ldtcat_vocab::ns;
use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, Term};

use crate::read::properties;
use crate::terms::{datetime_literal, iri, ldt};
use crate::write::remove_subject;
use crate::{CatalogStore, StoreError};

/// How a run ended (or that it has not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    /// Still going.
    Running,
    /// Every page was read; deletions were applied if the run was full.
    Success,
    /// Some pages or records failed; nothing was deleted.
    Partial,
    /// The run could not proceed (first page unreachable, timeout, interrupted).
    Failed,
}

impl RunStatus {
    /// The lowercase name (`success`, ...), as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Success => "success",
            RunStatus::Partial => "partial",
            RunStatus::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Option<RunStatus> {
        Some(match text {
            "running" => RunStatus::Running,
            "success" => RunStatus::Success,
            "partial" => RunStatus::Partial,
            "failed" => RunStatus::Failed,
            _ => return None,
        })
    }
}

/// The most per-record errors and notes a stored report keeps (the counts stay exact).
pub const MAX_STORED_MESSAGES: usize = 200;

/// The report of one harvest run of one source.
#[derive(Debug, Clone, PartialEq)]
pub struct HarvestRun {
    /// Unique id: `{source_id}:{start time, compact}`.
    pub run_id: String,
    /// The source harvested.
    pub source_id: String,
    /// Start.
    pub started_at: DateTime<Utc>,
    /// End (none while running).
    pub ended_at: Option<DateTime<Utc>>,
    /// Status.
    pub status: RunStatus,
    /// Whether the run read the whole source (not an incremental run): only such runs
    /// delete.
    pub full: bool,
    /// New records.
    pub added: u64,
    /// Changed records.
    pub updated: u64,
    /// Records delivered as before.
    pub unchanged: u64,
    /// Records that became tombstones (or lost this source).
    pub tombstoned: u64,
    /// Things refused, each with an entry in `errors`: records (too large), pages (not
    /// fetched or not parsed) and statements dropped for an unusable IRI.
    pub errored: u64,
    /// Pages fetched.
    pub pages: u64,
    /// Bytes fetched (after decompression).
    pub bytes: u64,
    /// Per-record and per-page errors (`<iri or url>: reason`), at most
    /// [`MAX_STORED_MESSAGES`].
    pub errors: Vec<String>,
    /// Other remarks (`no deletions: ...`, `source not modified`).
    pub notes: Vec<String>,
    /// The `ETag` of the source's single page (for a conditional request next time).
    pub etag: Option<String>,
    /// Its `Last-Modified`.
    pub last_modified: Option<String>,
    /// Peer sources: the feed cursor reached (the sequence number of the last change read
    /// and applied), saved after every page so that the next run resumes from it.
    pub cursor: Option<String>,
    /// The source's metadata quality when the run ended (none while running, or when the
    /// catalogue does not assess quality): the points of a source's trend across runs.
    pub quality: Option<RunQuality>,
}

/// A source's metadata quality at the end of a run, as the index counted it then.
#[derive(Debug, Clone, PartialEq)]
pub struct RunQuality {
    /// Records of the source with a score.
    pub scored: u64,
    /// Their mean score (out of the points measured).
    pub mean: f64,
    /// Records per MQA rating (`Excellent`, `Good`, `Sufficient`, `Bad`), in that order.
    pub ratings: [u64; 4],
}

/// The names of [`RunQuality::ratings`], as stored (`ldt:qualityExcellent`, ...).
const RATING_PREDICATES: [&str; 4] = [
    "qualityExcellent",
    "qualityGood",
    "qualitySufficient",
    "qualityBad",
];

impl HarvestRun {
    /// A run of `source_id` starting now.
    pub fn start(source_id: &str, full: bool, now: DateTime<Utc>) -> HarvestRun {
        HarvestRun {
            run_id: format!("{source_id}:{}", now.format("%Y%m%dT%H%M%S%.6fZ")),
            source_id: source_id.to_owned(),
            started_at: now,
            ended_at: None,
            status: RunStatus::Running,
            full,
            added: 0,
            updated: 0,
            unchanged: 0,
            tombstoned: 0,
            errored: 0,
            pages: 0,
            bytes: 0,
            errors: Vec::new(),
            notes: Vec::new(),
            etag: None,
            last_modified: None,
            cursor: None,
            quality: None,
        }
    }

    /// The IRI of the run's node.
    pub fn iri(&self) -> String {
        run_iri(&self.run_id)
    }

    /// Records an error (kept up to [`MAX_STORED_MESSAGES`]).
    pub fn error(&mut self, message: impl Into<String>) {
        if self.errors.len() < MAX_STORED_MESSAGES {
            self.errors.push(message.into());
        }
    }

    /// Records a note.
    pub fn note(&mut self, message: impl Into<String>) {
        if self.notes.len() < MAX_STORED_MESSAGES {
            self.notes.push(message.into());
        }
    }
}

/// The IRI of a run.
pub fn run_iri(run_id: &str) -> String {
    format!("urn:ldtcat:run:{run_id}")
}

fn integer(value: u64) -> Term {
    Literal::new_typed_literal(value.to_string(), iri(ns::XSD, "integer")).into()
}

fn text(value: &str) -> Term {
    Literal::new_simple_literal(value).into()
}

impl CatalogStore {
    /// Writes (or rewrites) a run's report.
    pub fn save_run(&self, run: &HarvestRun) -> Result<(), StoreError> {
        let node = NamedNode::new_unchecked(run.iri());
        let mut transaction = self.oxigraph().start_transaction()?;
        remove_subject(&mut transaction, &node, &GraphName::DefaultGraph)?;
        let mut statements: Vec<(NamedNode, Term)> = vec![
            (iri(ns::RDF, "type"), ldt("HarvestRun").into()),
            (ldt("runId"), text(&run.run_id)),
            (ldt("runSource"), text(&run.source_id)),
            (
                iri(ns::PROV, "startedAtTime"),
                datetime_literal(run.started_at).into(),
            ),
            (ldt("status"), text(run.status.as_str())),
            (ldt("fullRun"), Literal::from(run.full).into()),
            (ldt("added"), integer(run.added)),
            (ldt("updated"), integer(run.updated)),
            (ldt("unchanged"), integer(run.unchanged)),
            (ldt("tombstoned"), integer(run.tombstoned)),
            (ldt("errored"), integer(run.errored)),
            (ldt("pages"), integer(run.pages)),
            (ldt("bytes"), integer(run.bytes)),
        ];
        if let Some(ended) = run.ended_at {
            statements.push((iri(ns::PROV, "endedAtTime"), datetime_literal(ended).into()));
        }
        if let Some(etag) = &run.etag {
            statements.push((ldt("etag"), text(etag)));
        }
        if let Some(date) = &run.last_modified {
            statements.push((ldt("lastModified"), text(date)));
        }
        if let Some(cursor) = &run.cursor {
            statements.push((ldt("feedCursor"), text(cursor)));
        }
        if let Some(quality) = &run.quality {
            statements.push((ldt("qualityScored"), integer(quality.scored)));
            statements.push((ldt("qualityMean"), Literal::from(quality.mean).into()));
            for (local, count) in RATING_PREDICATES.iter().zip(quality.ratings) {
                statements.push((ldt(local), integer(count)));
            }
        }
        for (n, error) in run.errors.iter().enumerate() {
            statements.push((ldt("runError"), text(&format!("{n:04} {error}"))));
        }
        for (n, note) in run.notes.iter().enumerate() {
            statements.push((ldt("runNote"), text(&format!("{n:04} {note}"))));
        }
        for (predicate, object) in statements {
            transaction.insert(&Quad::new(
                node.clone(),
                predicate,
                object,
                GraphName::DefaultGraph,
            ));
        }
        transaction.commit()?;
        Ok(())
    }

    /// The runs of `source_id`, newest first, at most `limit`.
    pub fn runs_of_source(
        &self,
        source_id: &str,
        limit: usize,
    ) -> Result<Vec<HarvestRun>, StoreError> {
        let source = Literal::new_simple_literal(source_id);
        let mut runs = Vec::new();
        for quad in self.oxigraph().quads_for_pattern(
            None,
            Some(ldt("runSource").as_ref()),
            Some(source.as_ref().into()),
            Some(GraphNameRef::DefaultGraph),
        ) {
            if let NamedOrBlankNode::NamedNode(node) = quad?.subject {
                if let Some(run) = self.read_run(&node)? {
                    runs.push(run);
                }
            }
        }
        // Times are stored to the second; the run id (microseconds) breaks ties.
        runs.sort_by(|a, b| (b.started_at, &b.run_id).cmp(&(a.started_at, &a.run_id)));
        runs.truncate(limit);
        Ok(runs)
    }

    /// Every run still marked `running` becomes `failed` with the note `interrupted`
    /// (called at startup: no run survives its process). Returns how many.
    pub fn fail_interrupted_runs(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let running = Literal::new_simple_literal(RunStatus::Running.as_str());
        let nodes: Vec<NamedNode> = self
            .oxigraph()
            .quads_for_pattern(
                None,
                Some(ldt("status").as_ref()),
                Some(running.as_ref().into()),
                Some(GraphNameRef::DefaultGraph),
            )
            .filter_map(|quad| match quad {
                Ok(Quad {
                    subject: NamedOrBlankNode::NamedNode(node),
                    ..
                }) => Some(Ok(node)),
                Ok(_) => None,
                Err(error) => Some(Err(error)),
            })
            .collect::<Result<_, _>>()?;
        let mut failed = 0;
        for node in nodes {
            if let Some(mut run) = self.read_run(&node)? {
                run.status = RunStatus::Failed;
                run.ended_at = Some(now);
                run.note("interrupted: the process stopped during the run; nothing was deleted");
                self.save_run(&run)?;
                failed += 1;
            }
        }
        Ok(failed)
    }

    fn read_run(&self, node: &NamedNode) -> Result<Option<HarvestRun>, StoreError> {
        let props = properties(self.oxigraph().quads_for_pattern(
            Some(node.as_ref().into()),
            None,
            None,
            Some(GraphNameRef::DefaultGraph),
        ))?;
        let value = |predicate: NamedNode| -> Option<String> {
            match props.get(predicate.as_str()).and_then(|v| v.first()) {
                Some(Term::Literal(literal)) => Some(literal.value().to_owned()),
                _ => None,
            }
        };
        let time = |predicate: NamedNode| {
            value(predicate)
                .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
                .map(|t| t.with_timezone(&Utc))
        };
        let count = |local: &str| {
            value(ldt(local))
                .and_then(|t| t.parse().ok())
                .unwrap_or_default()
        };
        let messages = |local: &str| {
            let mut lines: Vec<String> = props
                .get(ldt(local).as_str())
                .into_iter()
                .flatten()
                .filter_map(|t| match t {
                    Term::Literal(l) => Some(l.value().to_owned()),
                    _ => None,
                })
                .collect();
            lines.sort();
            lines
                .into_iter()
                .map(|l| l.split_once(' ').map(|(_, m)| m.to_owned()).unwrap_or(l))
                .collect::<Vec<_>>()
        };
        let (Some(run_id), Some(source_id), Some(started_at), Some(status)) = (
            value(ldt("runId")),
            value(ldt("runSource")),
            time(iri(ns::PROV, "startedAtTime")),
            value(ldt("status")).and_then(|s| RunStatus::parse(&s)),
        ) else {
            return Ok(None);
        };
        Ok(Some(HarvestRun {
            run_id,
            source_id,
            started_at,
            ended_at: time(iri(ns::PROV, "endedAtTime")),
            status,
            full: value(ldt("fullRun")).as_deref() == Some("true"),
            added: count("added"),
            updated: count("updated"),
            unchanged: count("unchanged"),
            tombstoned: count("tombstoned"),
            errored: count("errored"),
            pages: count("pages"),
            bytes: count("bytes"),
            errors: messages("runError"),
            notes: messages("runNote"),
            etag: value(ldt("etag")),
            last_modified: value(ldt("lastModified")),
            cursor: value(ldt("feedCursor")),
            quality: value(ldt("qualityMean"))
                .and_then(|mean| mean.parse().ok())
                .map(|mean| RunQuality {
                    scored: count("qualityScored"),
                    mean,
                    ratings: RATING_PREDICATES.map(count),
                }),
        }))
    }
}
