//! Configuration errors: each names the file, and the source and key where there is one.

use std::path::PathBuf;

/// A configuration error.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The TOML is malformed or has an unknown or mistyped key.
    #[error("{path}: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The TOML parser's message (it names the key, line and column).
        message: String,
    },
    /// A value is invalid.
    #[error("{path}: source `{source_id}`: {key}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The source's id (or its position when the id itself is wrong).
        source_id: String,
        /// The key.
        key: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A value of a settings file (not a list of sources) is invalid.
    #[error("{path}: {key}: {message}")]
    InvalidSetting {
        /// The file.
        path: PathBuf,
        /// The key, with its table (`default_offer.permissions`, `offer[2].licences`).
        key: String,
        /// What is wrong.
        message: String,
    },
}
