//! Errors of fetching and paging a source. Each names the URL it concerns.

/// Why a page (or a whole source) could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum HarvestError {
    /// The server answered with an error status.
    #[error("{url}: HTTP {status}{}", detail.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Status {
        /// The URL.
        url: String,
        /// The status code.
        status: u16,
        /// What the server said, when it said it briefly (the reason of a JSON error
        /// message, or the first line of a short text), and for 401 and 403 which option
        /// sends the credentials.
        detail: Option<String>,
    },
    /// No complete answer within the timeout.
    #[error("{url}: timed out after {seconds} s")]
    Timeout {
        /// The URL.
        url: String,
        /// The timeout.
        seconds: u64,
    },
    /// The connection failed or broke (refused, reset, truncated body).
    #[error("{url}: transport error: {message}")]
    Transport {
        /// The URL.
        url: String,
        /// What happened.
        message: String,
    },
    /// The body is larger than the configured cap.
    #[error("{url}: response larger than the limit of {max_bytes} bytes")]
    TooLarge {
        /// The URL.
        url: String,
        /// The cap.
        max_bytes: u64,
    },
    /// The URL (a next link or a redirect target) is not one the harvester may contact.
    #[error("{url}: refused: {reason}")]
    Refused {
        /// The URL refused.
        url: String,
        /// Why.
        reason: String,
    },
    /// A paging link leads back to a page already read.
    #[error("{url}: paging cycle: this page was already read in this run")]
    Cycle {
        /// The URL met twice.
        url: String,
    },
    /// The answer is not what the source kind expects (not JSON, no `result`, ...).
    #[error("{url}: unexpected answer: {message}")]
    Unexpected {
        /// The URL.
        url: String,
        /// What is wrong.
        message: String,
    },
    /// A local file could not be read, or a temporary file written.
    #[error("{url}: {source}")]
    Io {
        /// The URL or path.
        url: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The source's configuration cannot be used (bad header value, bad query).
    #[error("source {source_id}: {message}")]
    Config {
        /// The source id.
        source_id: String,
        /// What is wrong.
        message: String,
    },
}
