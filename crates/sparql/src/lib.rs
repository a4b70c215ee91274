//! Read-only, bounded SPARQL 1.1 query evaluation over the catalogue store.
//!
//! The HTTP protocol (parameters, content negotiation, concurrency) lives in `ldtcat-serve`;
//! this crate takes a query text and a dataset description and returns serialised results,
//! within limits:
//!
//! - every query is parsed with `spargebra` first: a syntax error names its line and column,
//!   and an update is refused before anything runs;
//! - a time limit that really stops evaluation: a cancellation token checked by every scan,
//!   plus a deadline checked for every solution read;
//! - a top-level `ORDER BY` is not handed to the engine (Oxigraph's ORDER BY gathers its whole
//!   input without limit, oxigraph issue 1871): it is evaluated here, reading at most
//!   [`SparqlLimits::max_sort_rows`] solutions under the same deadline;
//! - at most [`SparqlLimits::max_rows`] solutions or triples are returned (the answer says
//!   when it was cut);
//! - `SERVICE` calls are refused (no traffic to hosts the operator did not configure).
//!
//! The default dataset is the union of the store's graphs; `FROM`/`FROM NAMED` or the
//! protocol's `default-graph-uri`/`named-graph-uri` narrow it (the protocol wins).

mod engine;
mod error;
mod formats;
mod order;

pub use engine::{Answer, QueryKind, QueryRequest, SparqlEngine, SparqlLimits};
pub use error::SparqlError;
pub use formats::{GraphFormat, ResultsFormat};
