#![doc = include_str!("../README.md")]

pub mod catalog;
pub mod compat;
pub mod harvest;
mod harvest_deletions;
pub mod import;
pub mod link_check;
pub mod page_memo;
pub mod peer;
pub mod pipeline;
pub mod quality;
pub mod server;
pub mod service;
pub mod synthetic;
pub mod synthetic_components;
