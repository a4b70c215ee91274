//! `peer` sources: another ldtcat's change feed (`url` is its `/feed`), read from a cursor
//! (`?after=<sequence>&page_size=<n>`); each page's members are read here (see
//! [`crate::feed`]) and the cursor moves past the last one.

use ldtcat_config::SourceConfig;
use url::Url;

use crate::feed::feed_members;
use crate::fetch::Fetched;
use crate::kinds::{PageRequest, SourceReader};
use crate::page::rdf_page;
use crate::pager::{with_query, PagerEvent, PagerStart, RDF_ACCEPT};
use crate::HarvestError;

/// Where a peer harvest is in the feed.
pub struct PeerReader {
    format: Option<String>,
    feed: Url,
    after: u64,
    page_size: u64,
    more: bool,
}

impl PeerReader {
    /// A reader at the saved cursor (or the start of the feed).
    pub fn new(source: &SourceConfig, start: &PagerStart) -> PeerReader {
        PeerReader {
            format: source.options.format.clone(),
            feed: source.url.clone(),
            after: start.feed_after.unwrap_or(0),
            page_size: source.options.page_size,
            more: true,
        }
    }
}

impl SourceReader for PeerReader {
    fn accept(&self) -> String {
        RDF_ACCEPT.to_owned()
    }

    fn next_request(&mut self) -> Option<PageRequest> {
        self.more.then(|| {
            PageRequest::get(with_query(
                &self.feed,
                &[
                    ("after", self.after.to_string()),
                    ("page_size", self.page_size.to_string()),
                ],
            ))
        })
    }

    fn read(&mut self, fetched: Fetched) -> PagerEvent {
        let page = match rdf_page(fetched, self.format.as_deref()) {
            Ok(page) => page,
            Err(error) => return PagerEvent::failed(error),
        };
        let members = feed_members(&page.document());
        if let Some(error) = &members.error {
            return PagerEvent::failed(HarvestError::Unexpected {
                url: page.url.to_string(),
                message: format!("the feed page does not parse: {error}"),
            });
        }
        match members.members.last() {
            Some(last) if last.sequence > self.after => {
                self.after = last.sequence;
                self.more = members.more;
            }
            _ => self.more = false,
        }
        PagerEvent::Feed { page, members }
    }
}
