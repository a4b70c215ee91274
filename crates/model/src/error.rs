//! Errors of reading RDF documents into records.

/// Why a document could not be read. A problem inside one record is not an error: it is
/// counted in the [`crate::parse::ParseReport`] and the rest goes on.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The document is not well-formed in its syntax; nothing of it is used.
    #[error("{document}:{line}:{column}: syntax error: {message}")]
    Syntax {
        /// The file path or URL.
        document: String,
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: u64,
        /// The parser's message.
        message: String,
    },
    /// The document could not be read.
    #[error("{document}: cannot read: {source}")]
    Io {
        /// The file path or URL.
        document: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// No RDF syntax could be determined for the document.
    #[error("{document}: unknown RDF syntax (media type {media_type:?}); name it with a known extension or media type")]
    UnknownFormat {
        /// The file path or URL.
        document: String,
        /// The media type given, if any.
        media_type: Option<String>,
    },
    /// The base IRI given for the document is not an absolute IRI.
    #[error("{document}: invalid base IRI {base_iri}: {message}")]
    InvalidBaseIri {
        /// The file path or URL.
        document: String,
        /// The base IRI given.
        base_iri: String,
        /// Why it is invalid.
        message: String,
    },
    /// The consumer of records failed (for example the store); parsing stopped there.
    #[error("{document}: {message}")]
    Consumer {
        /// The file path or URL.
        document: String,
        /// The consumer's error message.
        message: String,
    },
}
