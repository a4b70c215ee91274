//! Errors of loading rules and profiles.

/// A rule file or a profile that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CompatError {
    /// The Turtle of a rule file or profile does not parse.
    #[error("cannot parse {what}: {message}")]
    Syntax {
        /// which document
        what: String,
        /// the parser's message, with line and column
        message: String,
    },
    /// A rule is incomplete or names an unknown form, check or verdict.
    #[error("invalid compatibility rule {rule}: {message}")]
    InvalidRule {
        /// the rule IRI
        rule: String,
        /// what is wrong
        message: String,
    },
    /// A profile is unusable (no ldt:LdtProfile, bad TOML, a value that is not an IRI).
    #[error("invalid LDT profile: {0}")]
    InvalidProfile(String),
}
