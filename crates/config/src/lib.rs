#![doc = include_str!("../README.md")]

mod csw;
pub mod dsp;
mod error;
pub mod harvest;
pub mod link_check;

pub use csw::{CswConstraint, CswOutputSchema};

pub use dsp::{load_dsp_file, DspConfig, OfferConstraint, OfferRule, OfferTerms, Operand};
pub use error::ConfigError;
pub use harvest::{
    load_harvest_dir, load_harvest_file, AuthHeader, Schedule, SourceConfig, SourceKind,
    SourceOptions,
};
pub use link_check::{HostPattern, LinkCheckConfig};
