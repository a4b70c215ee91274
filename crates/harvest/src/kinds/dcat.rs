//! `dcat` sources: an RDF document by URL or file, followed through its Hydra next links
//! (`hydra:next`, legacy `hydra:nextPage`; see [`crate::hydra`]). A page whose body has the
//! SHA-256 of the last complete run's page at that URL is not parsed
//! ([`PagerEvent::Unchanged`]): paging goes on from the next link known then.

use std::collections::HashMap;

use ldtcat_config::SourceConfig;
use url::Url;

use crate::fetch::Fetched;
use crate::hydra::next_links;
use crate::kinds::{PageRequest, SourceReader};
use crate::page::rdf_page;
use crate::pager::{KnownPage, PagerEvent, PagerStart, RDF_ACCEPT};

/// Where a DCAT harvest is.
pub struct DcatReader {
    format: Option<String>,
    next: Option<Url>,
    known_pages: HashMap<String, KnownPage>,
    last_digest: Option<String>,
}

impl DcatReader {
    /// A reader at the source's URL.
    pub fn new(source: &SourceConfig, start: &PagerStart) -> DcatReader {
        DcatReader {
            format: source.options.format.clone(),
            next: Some(source.url.clone()),
            known_pages: start.known_pages.clone(),
            last_digest: None,
        }
    }

    fn page(&mut self, fetched: Fetched) -> PagerEvent {
        let mut page = match rdf_page(fetched, self.format.as_deref()) {
            Ok(page) => page,
            Err(error) => return PagerEvent::failed(error),
        };
        let links = next_links(&page.document(), &page.url);
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
        self.next = links.links.into_iter().next();
        PagerEvent::Page(page)
    }
}

impl SourceReader for DcatReader {
    fn accept(&self) -> String {
        RDF_ACCEPT.to_owned()
    }

    fn next_request(&mut self) -> Option<PageRequest> {
        self.next.take().map(PageRequest::get)
    }

    fn read(&mut self, fetched: Fetched) -> PagerEvent {
        // A body that cannot be digested is read like a new page (and not remembered).
        let digest = fetched.body.sha256_hex().ok();
        let known = self.known_pages.get(fetched.url.as_str());
        if let (Some(digest), Some(known)) = (&digest, known) {
            if *digest == known.digest {
                self.next = known.next.as_deref().and_then(|n| Url::parse(n).ok());
                self.last_digest = Some(digest.clone());
                return PagerEvent::Unchanged {
                    url: fetched.url,
                    bytes: fetched.bytes,
                };
            }
        }
        self.last_digest = digest;
        self.page(fetched)
    }

    fn next_url(&self) -> Option<&Url> {
        self.next.as_ref()
    }

    fn last_digest(&self) -> Option<&str> {
        self.last_digest.as_deref()
    }
}
