//! The HTTP surface, driven in process through `router` (and once over a real socket).

mod api;
mod bad_requests;
mod caching;
mod common;
mod dcat;
mod dsp;
mod pages;
mod portals;
mod records;
mod records_crawl;
mod socket;
mod sources;
mod sparql;
