//! Reading a source page by page, whatever its kind: [`Pager::next`] yields pages, a 304,
//! or page failures (saying whether paging can go on), until the source is exhausted.
//!
//! The pager holds what every kind shares (the page limit, the visited set, the delay, the
//! host policy, the conditional first request, fetching with caps and timeouts); what
//! differs between kinds — the next request, and what an answer becomes — is the kind's
//! [`SourceReader`] (see [`crate::kinds`]).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use ldtcat_config::SourceConfig;
use url::Url;

use crate::feed::FeedMembers;
use crate::fetch::{FetchOutcome, Fetched, Fetcher, RequestSettings, Validators};
use crate::kinds::{reader_for, PageRequest, SourceReader};
use crate::page::Page;
use crate::HarvestError;

/// `Accept` for RDF documents when no format is configured.
pub const RDF_ACCEPT: &str = "text/turtle, application/ld+json;q=0.9, application/rdf+xml;q=0.8, \
     application/n-triples;q=0.8, application/trig;q=0.7, application/n-quads;q=0.7, */*;q=0.1";

/// What the pager produced.
#[derive(Debug)]
pub enum PagerEvent {
    /// A page to read.
    Page(Page),
    /// A page of a peer's change feed, with its members.
    Feed {
        /// The page (the records' descriptions).
        page: Page,
        /// Its members, in sequence order.
        members: FeedMembers,
    },
    /// The source answered `304 Not Modified` to a conditional request for its only page.
    NotModified,
    /// A page whose body is byte for byte the one of the last run
    /// ([`PagerStart::known_pages`]): not parsed; paging goes on from the link known then.
    Unchanged {
        /// The page URL.
        url: Url,
        /// Its size in bytes.
        bytes: u64,
    },
    /// A page could not be fetched; `more` says whether paging goes on after it.
    Failed {
        /// What went wrong.
        error: HarvestError,
        /// Whether a later page is still reachable.
        more: bool,
    },
}

/// What the previous runs tell the pager.
#[derive(Debug, Clone, Default)]
pub struct PagerStart {
    /// Validators of the previous complete single-page run (sent as a conditional request).
    pub validators: Option<Validators>,
    /// Incremental sources: only what changed since then.
    pub modified_since: Option<DateTime<Utc>>,
    /// Peer sources: the feed cursor to resume from (none: from the start).
    pub feed_after: Option<u64>,
    /// DCAT sources: the pages of the last run, by URL, with the digest of their bodies
    /// and their next links. A page that comes back with the same digest is not parsed.
    pub known_pages: HashMap<String, KnownPage>,
}

/// A page as the last run read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownPage {
    /// The SHA-256 of the body, in hex.
    pub digest: String,
    /// The next link it had.
    pub next: Option<String>,
}

/// Pages of one source, one at a time.
pub struct Pager {
    source: SourceConfig,
    fetcher: Fetcher,
    settings: RequestSettings,
    /// `None` only while a page is being read on the blocking pool, or after a reader
    /// panicked (the run then ends).
    reader: Option<Box<dyn SourceReader>>,
    visited: HashSet<String>,
    pages: u64,
    validators: Option<Validators>,
    finished: bool,
}

impl PagerEvent {
    /// A failure of the page just read; the pager asks the reader whether paging goes on.
    pub fn failed(error: HarvestError) -> PagerEvent {
        PagerEvent::Failed { error, more: false }
    }
}

impl Pager {
    /// A pager at the first page of `source`.
    pub fn new(
        source: &SourceConfig,
        fetcher: Fetcher,
        start: PagerStart,
    ) -> Result<Pager, HarvestError> {
        let auth_header = match &source.options.auth {
            None => None,
            Some(auth) => Some(auth.resolve().map_err(|message| HarvestError::Config {
                source_id: source.id.clone(),
                message,
            })?),
        };
        let reader = reader_for(source, &start)?;
        let accept = source
            .options
            .format
            .clone()
            .filter(|_| reader.honours_format())
            .unwrap_or_else(|| reader.accept());
        let settings = RequestSettings {
            accept,
            timeout: source.options.timeout,
            max_bytes: source.options.max_bytes,
            auth_header,
        };
        Ok(Pager {
            source: source.clone(),
            fetcher,
            settings,
            reader: Some(reader),
            visited: HashSet::new(),
            pages: 0,
            validators: start.validators,
            finished: false,
        })
    }

    /// Pages fetched so far.
    pub fn pages(&self) -> u64 {
        self.pages
    }

    /// The SHA-256 (hex) of the last page's body, for kinds that keep page digests.
    pub fn last_digest(&self) -> Option<&str> {
        self.reader.as_ref()?.last_digest()
    }

    /// The next page the source links to, as known now.
    pub fn next_url(&self) -> Option<&Url> {
        self.reader.as_ref()?.next_url()
    }

    /// Tells the pager how many statements the last page held (a SPARQL source ends on an
    /// empty page).
    pub fn page_read(&mut self, statements: u64) {
        if let Some(reader) = &mut self.reader {
            reader.page_read(statements);
        }
    }

    /// The next event, or `None` when the source is exhausted.
    pub async fn next(&mut self) -> Option<PagerEvent> {
        if self.finished {
            return None;
        }
        let Some(request) = self.reader.as_mut().and_then(|r| r.next_request()) else {
            self.finished = true;
            return None;
        };
        if let Err(event) = self.admit(&request).await {
            self.finished = true;
            return Some(event);
        }
        let validators = if self.pages == 0 {
            self.validators.clone()
        } else {
            None
        };
        self.pages += 1;
        let outcome = self
            .fetcher
            .send(&request, &self.settings, validators.as_ref())
            .await;
        let fetched = match outcome {
            Ok(FetchOutcome::NotModified) => {
                self.finished = true;
                return Some(PagerEvent::NotModified);
            }
            Ok(FetchOutcome::Body(fetched)) => *fetched,
            Err(error) => return Some(self.failed(error)),
        };
        let event = self.read(fetched).await;
        match event {
            PagerEvent::Failed { error, .. } => Some(self.failed(error)),
            event => Some(event),
        }
    }

    /// The guards every request passes: the page limit, the visited set, the delay between
    /// requests, and the host policy (a web source never reads a local file).
    async fn admit(&mut self, request: &PageRequest) -> Result<(), PagerEvent> {
        let url = &request.url;
        if self.pages >= self.source.options.max_pages {
            return Err(PagerEvent::Failed {
                error: HarvestError::Refused {
                    url: url.to_string(),
                    reason: format!(
                        "more than the {} pages allowed (options.max_pages); the run stops here",
                        self.source.options.max_pages
                    ),
                },
                more: false,
            });
        }
        if !self.visited.insert(request.visit_key()) {
            return Err(PagerEvent::Failed {
                error: HarvestError::Cycle {
                    url: url.to_string(),
                },
                more: false,
            });
        }
        if self.pages > 0 && !self.source.options.delay.is_zero() {
            tokio::time::sleep(self.source.options.delay).await;
        }
        let leaves_the_web = url.scheme() == "file" && self.source.url.scheme() != "file";
        let checked = if leaves_the_web {
            Err("a web source cannot link to a local file".to_owned())
        } else {
            self.fetcher.policy().check(url)
        };
        checked.map_err(|reason| PagerEvent::Failed {
            error: HarvestError::Refused {
                url: url.to_string(),
                reason,
            },
            more: false,
        })
    }

    /// Lets the reader make an event of `fetched`, on the blocking pool.
    async fn read(&mut self, fetched: Fetched) -> PagerEvent {
        let url = fetched.url.to_string();
        let Some(mut reader) = self.reader.take() else {
            return PagerEvent::failed(HarvestError::Unexpected {
                url,
                message: "the source's reader is gone".to_owned(),
            });
        };
        let read = tokio::task::spawn_blocking(move || {
            let event = reader.read(fetched);
            (reader, event)
        })
        .await;
        match read {
            Ok((reader, event)) => {
                self.reader = Some(reader);
                event
            }
            Err(error) => {
                self.finished = true;
                PagerEvent::failed(HarvestError::Unexpected {
                    url,
                    message: format!("reading the page failed: {error}"),
                })
            }
        }
    }

    fn failed(&mut self, error: HarvestError) -> PagerEvent {
        let more = !self.finished && self.reader.as_mut().is_some_and(|r| r.after_failure());
        if !more {
            self.finished = true;
        }
        PagerEvent::Failed { error, more }
    }
}

/// Builds a URL with query parameters appended.
pub(crate) fn with_query(base: &Url, pairs: &[(&str, String)]) -> Url {
    let mut url = base.clone();
    {
        let mut query = url.query_pairs_mut();
        for (key, value) in pairs {
            query.append_pair(key, value);
        }
    }
    url
}
