//! What can go wrong with a query, each case with the words the client will read.

use std::time::Duration;

/// Why a query was not answered.
#[derive(Debug, thiserror::Error)]
pub enum SparqlError {
    /// The query text is not SPARQL 1.1 (the message names line and column).
    #[error("SPARQL syntax error: {0}")]
    Syntax(String),
    /// The text is a SPARQL Update.
    #[error("this endpoint is read-only: SPARQL Update is not accepted")]
    UpdateRefused,
    /// The query uses `SERVICE`.
    #[error("SERVICE is not allowed on this endpoint (it would contact other hosts)")]
    ServiceRefused,
    /// The query nests patterns, expressions or paths deeper than allowed.
    #[error("the query nests deeper than {0} levels (patterns, expressions and property paths together); flatten it")]
    TooDeep(usize),
    /// The query text has more brackets than the parser may be given.
    #[error(
        "the query has {brackets} brackets, more than the {max} this endpoint parses; split it"
    )]
    TooManyBrackets {
        /// Brackets in the text.
        brackets: usize,
        /// Brackets allowed.
        max: usize,
    },
    /// The time limit was reached.
    #[error("the query was stopped after the time limit of {} s; narrow it or add a LIMIT", .0.as_secs_f64())]
    Timeout(Duration),
    /// The evaluation needed more memory for intermediate results than allowed.
    #[error("the query was stopped: it needs more than {} MiB of intermediate results; narrow it with more specific patterns or filters", .0 >> 20)]
    MemoryLimit(usize),
    /// A function built a string longer than allowed.
    #[error("the query was stopped: a function built a string longer than {0} bytes")]
    StringTooLong(usize),
    /// A top-level ORDER BY would need to sort more solutions than allowed.
    #[error("ORDER BY would sort more than {0} solutions; narrow the query with filters")]
    TooManyToSort(usize),
    /// A top-level ORDER BY would need to sort more bytes than allowed.
    #[error("ORDER BY would sort more than {} MiB of solutions; narrow the query with filters", .0 >> 20)]
    SortTooLarge(usize),
    /// The server is shutting down.
    #[error("the query was stopped: the server is shutting down")]
    ShuttingDown,
    /// The query was stopped because its client went away.
    #[error("the query was cancelled: the client closed the connection")]
    Cancelled,
    /// The engine failed while evaluating.
    #[error("query evaluation failed: {0}")]
    Evaluation(String),
    /// The results could not be written.
    #[error("results could not be serialised: {0}")]
    Serialization(String),
}

impl SparqlError {
    /// Whether the client is at fault (a 4xx) rather than the server or the limits of the
    /// moment (time, shutdown).
    pub fn is_client_error(&self) -> bool {
        matches!(
            self,
            SparqlError::Syntax(_)
                | SparqlError::UpdateRefused
                | SparqlError::ServiceRefused
                | SparqlError::TooDeep(_)
                | SparqlError::TooManyBrackets { .. }
                | SparqlError::MemoryLimit(_)
                | SparqlError::StringTooLong(_)
                | SparqlError::TooManyToSort(_)
                | SparqlError::SortTooLarge(_)
        )
    }
}
