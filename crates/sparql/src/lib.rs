//! Read-only, bounded SPARQL 1.1 query evaluation over the catalogue store.
//!
//! The HTTP protocol (parameters, content negotiation, concurrency) lives in `ldtcat-serve`;
//! this crate takes a query text and a dataset description and returns serialised results,
//! within limits that hold for every shape of query:
//!
//! - every query is parsed with `spargebra` first, on a thread whose stack fits its brackets:
//!   a syntax error names its line and column, an update is refused, and so are `SERVICE`
//!   anywhere and nesting deeper than [`SparqlLimits::max_nesting`] (`guard`);
//! - a time limit that really stops evaluation: a watchdog cancels the evaluator's token at
//!   the deadline, and the evaluator checks it in every loop, including those that do not
//!   read the store (joins, aggregates, sorts, de-duplication: the vendored, patched
//!   `spareval`, see `vendor/spareval/README.md`); the deadline is also checked for every
//!   solution read;
//! - a memory budget for intermediate results and a maximal length for strings built by
//!   functions, both enforced by the patched evaluator;
//! - a [`QueryHandle`] stops a running query from elsewhere: when its client hangs up, when
//!   the server shuts down;
//! - a top-level `ORDER BY` is not handed to the engine (Oxigraph's ORDER BY gathers its whole
//!   input, oxigraph issue 1871): it is evaluated here, reading at most
//!   [`SparqlLimits::max_sort_rows`] solutions under the same deadline;
//! - at most [`SparqlLimits::max_rows`] solutions or triples, and
//!   [`SparqlLimits::max_answer_bytes`], are returned (the answer says when it was cut).
//!
//! Once stopped, an evaluation ends at its next check: the margin over the time limit is the
//! longest step between two checks (measured: see `tests/sparql_limits.rs` and the `abuse`
//! benchmark).
//!
//! The default dataset is the union of the store's graphs; `FROM`/`FROM NAMED` or the
//! protocol's `default-graph-uri`/`named-graph-uri` narrow it (the protocol wins).

mod answer;
mod control;
mod engine;
mod error;
mod formats;
mod guard;
mod order;
mod read;

pub use answer::Answer;
pub use control::{QueryHandle, StopReason};
pub use engine::{ParsedQuery, QueryKind, QueryRequest, SparqlEngine, SparqlLimits};
pub use error::SparqlError;
pub use formats::{GraphFormat, ResultsFormat};
