#![doc = include_str!("../README.md")]

pub mod body;
pub mod ckan_map;
mod error;
pub mod feed;
pub mod fetch;
pub mod hydra;
pub mod kinds;
pub mod page;
pub mod pager;
pub mod policy;

pub use body::PageBody;
pub use error::HarvestError;
pub use feed::{FeedMember, FeedMembers};
pub use fetch::{FetchOutcome, Fetched, Fetcher, RequestSettings, Validators, USER_AGENT};
pub use kinds::{PageRequest, RequestMethod, SourceReader};
pub use page::Page;
pub use pager::{KnownPage, Pager, PagerEvent, PagerStart};
pub use policy::HostPolicy;
