//! Reading a source page by page, whatever its kind: [`Pager::next`] yields pages, a 304,
//! or page failures (saying whether paging can go on), until the source is exhausted.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use ldtcat_config::{SourceConfig, SourceKind};
use url::Url;

use crate::ckan::CkanCursor;
use crate::feed::{feed_members, FeedMembers};
use crate::fetch::{FetchOutcome, Fetcher, RequestSettings, Validators};
use crate::hydra::next_links;
use crate::page::{choose_format, Page};
use crate::sparql::SparqlCursor;
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

enum Cursor {
    Dcat {
        next: Option<Url>,
    },
    Ckan(CkanCursor),
    Sparql(SparqlCursor),
    Feed {
        feed: Url,
        after: u64,
        page_size: u64,
        more: bool,
    },
}

/// Pages of one source, one at a time.
pub struct Pager {
    source: SourceConfig,
    fetcher: Fetcher,
    settings: RequestSettings,
    cursor: Cursor,
    visited: HashSet<String>,
    pages: u64,
    start: PagerStart,
    finished: bool,
    last_digest: Option<String>,
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
        let accept = match (source.kind, &source.options.format) {
            (SourceKind::Ckan, _) => "application/json".to_owned(),
            (_, Some(format)) => format.clone(),
            (SourceKind::Sparql, None) => {
                "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5".to_owned()
            }
            (SourceKind::Dcat | SourceKind::Peer, None) => RDF_ACCEPT.to_owned(),
        };
        let settings = RequestSettings {
            accept,
            timeout: source.options.timeout,
            max_bytes: source.options.max_bytes,
            auth_header,
        };
        let cursor = match source.kind {
            SourceKind::Dcat => Cursor::Dcat {
                next: Some(source.url.clone()),
            },
            SourceKind::Ckan => Cursor::Ckan(CkanCursor::new(
                &source.url,
                source.options.page_size,
                start.modified_since,
            )),
            SourceKind::Sparql => Cursor::Sparql(SparqlCursor::new(
                &source.url,
                source.options.query.as_deref(),
                source.options.page_size,
            )),
            SourceKind::Peer => Cursor::Feed {
                feed: source.url.clone(),
                after: start.feed_after.unwrap_or(0),
                page_size: source.options.page_size,
                more: true,
            },
        };
        Ok(Pager {
            source: source.clone(),
            fetcher,
            settings,
            cursor,
            visited: HashSet::new(),
            pages: 0,
            start,
            finished: false,
            last_digest: None,
        })
    }

    /// Pages fetched so far.
    pub fn pages(&self) -> u64 {
        self.pages
    }

    /// The SHA-256 (hex) of the last DCAT page's body.
    pub fn last_digest(&self) -> Option<&str> {
        self.last_digest.as_deref()
    }

    /// The next page a DCAT source links to, as known now.
    pub fn next_url(&self) -> Option<&Url> {
        match &self.cursor {
            Cursor::Dcat { next } => next.as_ref(),
            _ => None,
        }
    }

    /// Tells the pager how many statements the last page held (a SPARQL source ends on an
    /// empty page).
    pub fn page_read(&mut self, statements: u64) {
        if let Cursor::Sparql(cursor) = &mut self.cursor {
            cursor.page_read(statements);
        }
    }

    /// The next event, or `None` when the source is exhausted.
    pub async fn next(&mut self) -> Option<PagerEvent> {
        if self.finished {
            return None;
        }
        let url = match &mut self.cursor {
            Cursor::Dcat { next } => next.take(),
            Cursor::Ckan(cursor) => cursor.next_url(),
            Cursor::Sparql(cursor) => cursor.next_url(),
            Cursor::Feed {
                feed,
                after,
                page_size,
                more,
            } => more.then(|| {
                with_query(
                    feed,
                    &[
                        ("after", after.to_string()),
                        ("page_size", page_size.to_string()),
                    ],
                )
            }),
        };
        let Some(url) = url else {
            self.finished = true;
            return None;
        };
        if self.pages >= self.source.options.max_pages {
            self.finished = true;
            return Some(PagerEvent::Failed {
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
        if !self.visited.insert(url.to_string()) {
            self.finished = true;
            return Some(PagerEvent::Failed {
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
            self.fetcher.policy().check(&url)
        };
        if let Err(reason) = checked {
            self.finished = true;
            return Some(PagerEvent::Failed {
                error: HarvestError::Refused {
                    url: url.to_string(),
                    reason,
                },
                more: false,
            });
        }
        let validators = if self.pages == 0 {
            self.start.validators.clone()
        } else {
            None
        };
        self.pages += 1;
        let outcome = self
            .fetcher
            .get(&url, &self.settings, validators.as_ref())
            .await;
        let fetched = match outcome {
            Ok(FetchOutcome::NotModified) => {
                self.finished = true;
                return Some(PagerEvent::NotModified);
            }
            Ok(FetchOutcome::Body(fetched)) => fetched,
            Err(error) => return Some(self.failed(error)),
        };
        match &mut self.cursor {
            Cursor::Dcat { .. } => {
                let body = fetched.body.clone();
                let digest = tokio::task::spawn_blocking(move || body.sha256_hex())
                    .await
                    .ok()
                    .and_then(Result::ok);
                let known = self.start.known_pages.get(fetched.url.as_str());
                if let (Some(digest), Some(known)) = (&digest, known) {
                    if *digest == known.digest {
                        let next = known.next.as_deref().and_then(|n| Url::parse(n).ok());
                        self.cursor = Cursor::Dcat { next };
                        self.last_digest = Some(digest.clone());
                        return Some(PagerEvent::Unchanged {
                            url: fetched.url,
                            bytes: fetched.bytes,
                        });
                    }
                }
                self.last_digest = digest;
                Some(self.dcat_page(fetched).await)
            }
            Cursor::Ckan(cursor) => match cursor.page(fetched).await {
                Ok(page) => Some(PagerEvent::Page(page)),
                Err(error) => Some(self.failed(error)),
            },
            Cursor::Sparql(_) => Some(
                self.rdf_page(fetched)
                    .map_or_else(|error| self.failed(error), PagerEvent::Page),
            ),
            Cursor::Feed { .. } => Some(self.feed_page(fetched).await),
        }
    }

    /// A feed page: its members are read here, and the cursor moves past the last one.
    async fn feed_page(&mut self, fetched: crate::fetch::Fetched) -> PagerEvent {
        let page = match self.rdf_page(fetched) {
            Ok(page) => page,
            Err(error) => return self.failed(error),
        };
        let scanned = {
            let page = page.clone();
            tokio::task::spawn_blocking(move || feed_members(&page.document())).await
        };
        let members = match scanned {
            Ok(members) => members,
            Err(error) => {
                return self.failed(HarvestError::Unexpected {
                    url: page.url.to_string(),
                    message: format!("feed scan failed: {error}"),
                })
            }
        };
        if let Some(error) = &members.error {
            return self.failed(HarvestError::Unexpected {
                url: page.url.to_string(),
                message: format!("the feed page does not parse: {error}"),
            });
        }
        if let Cursor::Feed { after, more, .. } = &mut self.cursor {
            match members.members.last() {
                Some(last) if last.sequence > *after => {
                    *after = last.sequence;
                    *more = members.more;
                }
                _ => *more = false,
            }
        }
        PagerEvent::Feed { page, members }
    }

    fn failed(&mut self, error: HarvestError) -> PagerEvent {
        let more = match &mut self.cursor {
            Cursor::Dcat { .. } => false,
            Cursor::Ckan(cursor) => cursor.skip_failed_page(),
            Cursor::Sparql(_) | Cursor::Feed { .. } => false,
        };
        if !more {
            self.finished = true;
        }
        PagerEvent::Failed { error, more }
    }

    fn rdf_page(&self, fetched: crate::fetch::Fetched) -> Result<Page, HarvestError> {
        let head = fetched.body.head(512);
        let (format, note) = choose_format(
            self.source.options.format.as_deref(),
            fetched.content_type.as_deref(),
            &fetched.url,
            &head,
        );
        let Some(format) = format else {
            return Err(HarvestError::Unexpected {
                url: fetched.url.to_string(),
                message: format!(
                    "no RDF syntax for Content-Type {:?}",
                    fetched.content_type.as_deref().unwrap_or("(none)")
                ),
            });
        };
        Ok(Page {
            url: fetched.url,
            body: fetched.body,
            format,
            bytes: fetched.bytes,
            validators: fetched.validators,
            notes: note.into_iter().collect(),
        })
    }

    async fn dcat_page(&mut self, fetched: crate::fetch::Fetched) -> PagerEvent {
        let mut page = match self.rdf_page(fetched) {
            Ok(page) => page,
            Err(error) => return self.failed(error),
        };
        let scanned = {
            let page = page.clone();
            tokio::task::spawn_blocking(move || next_links(&page.document(), &page.url)).await
        };
        let links = match scanned {
            Ok(links) => links,
            Err(error) => {
                return self.failed(HarvestError::Unexpected {
                    url: page.url.to_string(),
                    message: format!("paging scan failed: {error}"),
                })
            }
        };
        for invalid in &links.invalid {
            page.notes
                .push(format!("{}: next link is not a URL: {invalid}", page.url));
        }
        if links.links.len() > 1 {
            page.notes.push(format!(
                "{}: {} next links; following the first",
                page.url,
                links.links.len()
            ));
        }
        if let Cursor::Dcat { next } = &mut self.cursor {
            *next = links.links.into_iter().next();
        }
        PagerEvent::Page(page)
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
