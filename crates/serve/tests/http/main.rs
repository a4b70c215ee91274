//! The HTTP surface, driven in process through `router` (and once over a real socket).

mod api;
mod bad_requests;
mod common;
mod dcat;
mod pages;
mod socket;
mod sources;
mod sparql;
