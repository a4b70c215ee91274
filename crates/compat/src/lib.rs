//! Is a component compatible with a Local Digital Twin?
//!
//! A component's record states its requirements ([`requirement`]); an LDT profile states what
//! one LDT has ([`profile`], from RDF or TOML); other records of the catalogue may be adapters
//! ([`offer`]: converters, interface bridges, hosting services). The rules in
//! `vocab/compatibility.ttl` ([`rules`]) decide, requirement by requirement, whether the LDT
//! meets it out of the box, with a limited adaptation grounded in an adapter record or an
//! agreeable obligation, or not; [`assess`] applies them and names the rule behind every
//! verdict.
//!
//! Requirements and offers have one-line *terms* (`interface https://…`), which the index
//! stores so that a search can filter by compatibility without reading the records: a term's
//! verdict depends only on the term, the profile and the adapters, and a component's verdict is
//! the worst of its terms' verdicts.
//!
//! This crate knows RDF statements only: no store, index or HTTP.

pub mod assess;
mod error;
mod graph;
pub mod offer;
pub mod profile;
pub mod requirement;
pub mod rules;

pub use assess::{AdapterRecord, Adapters, Assessment, Assessor, RequirementVerdict, Verdict};
pub use error::CompatError;
pub use offer::{offers_of, Offer};
pub use profile::Profile;
pub use requirement::{requirements_of, Category, Form, Requirement};
pub use rules::{Check, CompatRule, CompatRules};
