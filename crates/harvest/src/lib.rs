#![doc = include_str!("../README.md")]

pub mod body;
pub mod ckan;
pub mod ckan_map;
mod error;
pub mod feed;
pub mod fetch;
pub mod hydra;
pub mod page;
pub mod pager;
pub mod policy;
pub mod sparql;

pub use body::PageBody;
pub use error::HarvestError;
pub use feed::{FeedMember, FeedMembers};
pub use fetch::{FetchOutcome, Fetcher, Validators, USER_AGENT};
pub use page::Page;
pub use pager::{KnownPage, Pager, PagerEvent, PagerStart};
pub use policy::HostPolicy;
