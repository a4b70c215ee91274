#![doc = include_str!("../README.md")]

mod error;
pub mod harvest;

pub use error::ConfigError;
pub use harvest::{
    load_harvest_dir, load_harvest_file, AuthHeader, Schedule, SourceConfig, SourceKind,
    SourceOptions,
};
