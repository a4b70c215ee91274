#![doc = include_str!("../README.md")]

pub mod catalog;
pub mod import;
pub mod pipeline;
pub mod synthetic;
