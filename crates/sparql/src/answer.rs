//! A query's answer as read within the limits, and its serialisations.

use oxigraph::model::{Term, Triple, Variable};
use oxigraph::sparql::results::QueryResultsSerializer;
use oxrdfio::RdfSerializer;

use crate::error::SparqlError;
use crate::formats::{GraphFormat, ResultsFormat};

/// A query's answer, read within the limits.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// SELECT: the variables and the rows (a value per variable, `None` when unbound).
    Solutions {
        /// The projected variables.
        variables: Vec<Variable>,
        /// The rows.
        rows: Vec<Vec<Option<Term>>>,
        /// Whether rows were left out: beyond [`crate::SparqlLimits::max_rows`] or
        /// [`crate::SparqlLimits::max_answer_bytes`].
        truncated: bool,
    },
    /// ASK.
    Boolean(bool),
    /// CONSTRUCT and DESCRIBE.
    Triples {
        /// The triples.
        triples: Vec<Triple>,
        /// Whether triples were left out: beyond [`crate::SparqlLimits::max_rows`] or
        /// [`crate::SparqlLimits::max_answer_bytes`].
        truncated: bool,
    },
}

impl Answer {
    /// Whether part of the answer was left out.
    pub fn is_truncated(&self) -> bool {
        match self {
            Answer::Solutions { truncated, .. } | Answer::Triples { truncated, .. } => *truncated,
            Answer::Boolean(_) => false,
        }
    }

    /// SELECT and ASK answers in a results format.
    pub fn write_results(&self, format: ResultsFormat) -> Result<Vec<u8>, SparqlError> {
        let serializer = QueryResultsSerializer::from_format(format.oxigraph());
        let written = match self {
            Answer::Boolean(value) => serializer.serialize_boolean_to_writer(Vec::new(), *value),
            Answer::Solutions {
                variables, rows, ..
            } => (|| {
                let mut writer =
                    serializer.serialize_solutions_to_writer(Vec::new(), variables.clone())?;
                for row in rows {
                    writer.serialize(
                        variables
                            .iter()
                            .zip(row)
                            .filter_map(|(variable, value)| Some((variable, value.as_ref()?))),
                    )?;
                }
                writer.finish()
            })(),
            Answer::Triples { .. } => {
                return Err(SparqlError::Serialization(
                    "triples need an RDF syntax, not a results format".into(),
                ))
            }
        };
        written.map_err(|error| SparqlError::Serialization(error.to_string()))
    }

    /// CONSTRUCT and DESCRIBE answers in an RDF syntax.
    pub fn write_triples(&self, format: GraphFormat) -> Result<Vec<u8>, SparqlError> {
        let Answer::Triples { triples, .. } = self else {
            return Err(SparqlError::Serialization(
                "solutions and booleans need a results format".into(),
            ));
        };
        let mut serializer = RdfSerializer::from_format(format.rdf_format()).for_writer(Vec::new());
        for triple in triples {
            serializer
                .serialize_triple(triple)
                .map_err(|error| SparqlError::Serialization(error.to_string()))?;
        }
        serializer
            .finish()
            .map_err(|error| SparqlError::Serialization(error.to_string()))
    }
}
