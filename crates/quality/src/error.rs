//! The errors of this crate: only a shapes graph can be wrong; data never is (it gets findings).

/// Why a shapes graph could not be used.
#[derive(Debug, thiserror::Error)]
pub enum QualityError {
    /// The shapes file is not valid Turtle.
    #[error("shapes {name} are not valid turtle: {message}")]
    ShapesSyntax {
        /// The name given to the shapes set.
        name: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// A shape is malformed (a path that is not a path, a count that is not a number, ...).
    #[error("shapes {name}: shape {shape} is malformed: {message}")]
    BadShape {
        /// The name given to the shapes set.
        name: String,
        /// The shape's key.
        shape: String,
        /// What is wrong.
        message: String,
    },
}
