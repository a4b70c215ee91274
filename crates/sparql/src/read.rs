//! Reading an evaluation's solutions or triples within the limits: the deadline and the stop
//! handle are checked before every item, at most a number of rows is kept, and at most a
//! number of bytes (the answer is held in memory before it is written).

use std::time::Instant;

use oxigraph::model::{Term, Triple, Variable};
use oxigraph::sparql::{QuerySolutionIter, QueryTripleIter};

use crate::answer::Answer;
use crate::control::{QueryHandle, StopReason};
use crate::engine::SparqlLimits;
use crate::error::SparqlError;
use crate::order::SortedSelect;

/// Where the reading of one answer stands against its limits.
pub(crate) struct Reader<'a> {
    pub limits: &'a SparqlLimits,
    pub handle: &'a QueryHandle,
    pub deadline: Instant,
}

impl Reader<'_> {
    /// Fails when the query was stopped (by the evaluator over a budget, or through its
    /// handle) or its time is up.
    pub fn check(&self) -> Result<(), SparqlError> {
        let token = self.handle.token();
        if token.is_over_string_length() {
            return Err(SparqlError::StringTooLong(self.limits.max_string_length));
        }
        if token.is_over_memory_budget() {
            return Err(SparqlError::MemoryLimit(self.limits.memory_budget));
        }
        if let Some(reason) = self.handle.stopped() {
            return Err(stopped(reason, self.limits));
        }
        if Instant::now() >= self.deadline {
            return Err(SparqlError::Timeout(self.limits.timeout));
        }
        Ok(())
    }

    /// Reads SELECT solutions; with a top-level ORDER BY taken off the query (`sorted`), at
    /// most [`SparqlLimits::max_sort_rows`] of them are sorted here.
    pub fn solutions(
        &self,
        solutions: QuerySolutionIter<'_>,
        sorted: Option<&SortedSelect>,
        to_error: impl Fn(oxigraph::sparql::QueryEvaluationError) -> SparqlError,
    ) -> Result<Answer, SparqlError> {
        let variables: Vec<Variable> = solutions.variables().to_vec();
        let cap = match sorted {
            Some(_) => self.limits.max_sort_rows,
            None => self.limits.max_rows,
        };
        let mut rows = Vec::new();
        let mut bytes = 0_usize;
        let mut truncated = false;
        for solution in solutions {
            self.check()?;
            let solution = solution.map_err(&to_error)?;
            let row: Vec<Option<Term>> = variables
                .iter()
                .map(|variable| solution.get(variable).cloned())
                .collect();
            bytes = bytes.saturating_add(row_bytes(&row));
            if rows.len() == cap || bytes > self.limits.max_answer_bytes {
                if sorted.is_some() {
                    return Err(if rows.len() == cap {
                        SparqlError::TooManyToSort(cap)
                    } else {
                        SparqlError::SortTooLarge(self.limits.max_answer_bytes)
                    });
                }
                truncated = true;
                break;
            }
            rows.push(row);
        }
        // A budget may have been exceeded while the last solution was computed.
        self.check()?;
        let (variables, mut rows) = match sorted {
            Some(sorted) => (sorted.projection.clone(), sorted.finish(rows)),
            None => (variables, rows),
        };
        if rows.len() > self.limits.max_rows {
            rows.truncate(self.limits.max_rows);
            truncated = true;
        }
        Ok(Answer::Solutions {
            variables,
            rows,
            truncated,
        })
    }

    /// Reads CONSTRUCT or DESCRIBE triples.
    pub fn triples(
        &self,
        triples: QueryTripleIter<'_>,
        to_error: impl Fn(oxigraph::sparql::QueryEvaluationError) -> SparqlError,
    ) -> Result<Answer, SparqlError> {
        let mut kept = Vec::new();
        let mut bytes = 0_usize;
        let mut truncated = false;
        for triple in triples {
            self.check()?;
            let triple = triple.map_err(&to_error)?;
            bytes = bytes.saturating_add(triple_bytes(&triple));
            if kept.len() == self.limits.max_rows || bytes > self.limits.max_answer_bytes {
                truncated = true;
                break;
            }
            kept.push(triple);
        }
        self.check()?;
        Ok(Answer::Triples {
            triples: kept,
            truncated,
        })
    }
}

/// The error a stopped query ends with.
pub(crate) fn stopped(reason: StopReason, limits: &SparqlLimits) -> SparqlError {
    match reason {
        StopReason::TimeLimit => SparqlError::Timeout(limits.timeout),
        StopReason::ShuttingDown => SparqlError::ShuttingDown,
        StopReason::ClientGone => SparqlError::Cancelled,
    }
}

/// About what a term takes in memory.
fn term_bytes(term: &Term) -> usize {
    const OVERHEAD: usize = 32;
    #[allow(unreachable_patterns)] // `Term::Triple` exists only with RDF 1.2.
    match term {
        Term::NamedNode(node) => OVERHEAD + node.as_str().len(),
        Term::BlankNode(node) => OVERHEAD + node.as_str().len(),
        Term::Literal(literal) => {
            OVERHEAD
                + literal.value().len()
                + literal.language().map_or(0, str::len)
                + literal.datatype().as_str().len()
        }
        _ => 4 * OVERHEAD,
    }
}

fn row_bytes(row: &[Option<Term>]) -> usize {
    row.iter().flatten().map(term_bytes).sum::<usize>() + 8 * row.len()
}

fn triple_bytes(triple: &Triple) -> usize {
    triple.subject.to_string().len() + triple.predicate.as_str().len() + term_bytes(&triple.object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    #[test]
    fn a_row_weighs_what_its_terms_hold() {
        let long = Term::Literal(Literal::new_simple_literal("x".repeat(1000)));
        let iri = Term::NamedNode(NamedNode::new_unchecked("http://a.example/b"));
        let bytes = row_bytes(&[Some(long), None, Some(iri)]);
        assert!((1000 + 18..1000 + 18 + 200).contains(&bytes), "{bytes}");
    }
}
