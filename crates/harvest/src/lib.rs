#![doc = include_str!("../README.md")]

pub mod body;
pub mod ckan_map;
pub mod dc_map;
mod error;
pub mod feed;
pub mod fetch;
pub mod hydra;
pub mod iso;
pub mod kinds;
pub mod link;
pub mod link_check;
pub mod page;
pub mod pager;
pub mod policy;
pub mod rdf_out;
pub mod records_map;
pub mod xml;
pub mod xml_records;

pub use body::PageBody;
pub use error::HarvestError;
pub use feed::{FeedMember, FeedMembers};
pub use fetch::{FetchOutcome, Fetched, Fetcher, RequestSettings, Validators, USER_AGENT};
pub use kinds::{PageRequest, RequestMethod, SourceReader};
pub use link_check::LinkChecker;
pub use page::{Page, Participants};
pub use pager::{KnownPage, Pager, PagerEvent, PagerStart};
pub use policy::HostPolicy;
