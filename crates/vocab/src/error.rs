//! Errors raised while loading vocabulary data.

/// An error in the vocabulary or rule files.
#[derive(Debug, thiserror::Error)]
pub enum VocabError {
    /// The Turtle of a vocabulary file does not parse.
    #[error("cannot parse {file}: {message}")]
    Syntax {
        /// which file
        file: String,
        /// the parser's message, with line and column
        message: String,
    },
    /// A rule is incomplete or names an unknown kind.
    #[error("invalid classification rule {rule} in {file}: {message}")]
    InvalidRule {
        /// which file
        file: String,
        /// the rule IRI
        rule: String,
        /// what is wrong
        message: String,
    },
}
