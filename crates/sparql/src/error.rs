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
    /// The time limit was reached.
    #[error("the query was stopped after the time limit of {} s; narrow it or add a LIMIT", .0.as_secs_f64())]
    Timeout(Duration),
    /// A top-level ORDER BY would need to sort more solutions than allowed.
    #[error("ORDER BY would sort more than {0} solutions; narrow the query with filters")]
    TooManyToSort(usize),
    /// The engine failed while evaluating.
    #[error("query evaluation failed: {0}")]
    Evaluation(String),
    /// The results could not be written.
    #[error("results could not be serialised: {0}")]
    Serialization(String),
}

impl SparqlError {
    /// Whether the client is at fault (a 4xx) rather than the server or the limits.
    pub fn is_client_error(&self) -> bool {
        matches!(
            self,
            SparqlError::Syntax(_)
                | SparqlError::UpdateRefused
                | SparqlError::ServiceRefused
                | SparqlError::TooManyToSort(_)
        )
    }
}
