#![doc = include_str!("../README.md")]

pub mod authority;
mod error;
pub mod kind;
pub mod ns;
pub mod rules;

pub use error::VocabError;
pub use kind::Kind;
pub use rules::{ClassificationRule, RuleSet};

/// The ldtcat vocabulary (classes and properties) in Turtle, as shipped in `vocab/ldtcat.ttl`.
pub const VOCABULARY_TURTLE: &str = include_str!("../../../vocab/ldtcat.ttl");

/// The classification rules in Turtle, as shipped in `vocab/classification.ttl`.
pub const CLASSIFICATION_TURTLE: &str = include_str!("../../../vocab/classification.ttl");

/// The compatibility rules in Turtle, as shipped in `vocab/compatibility.ttl`.
pub const COMPATIBILITY_TURTLE: &str = include_str!("../../../vocab/compatibility.ttl");

/// The ISO 19139 to GeoDCAT-AP mapping table in Turtle, as shipped in
/// `vocab/iso19139-mapping.ttl` (read by the `csw` and `oai-pmh` harvest kinds).
pub const ISO19139_MAPPING_TURTLE: &str = include_str!("../../../vocab/iso19139-mapping.ttl");

/// The JSON-LD context of the ldtcat vocabulary, as shipped in `vocab/context.jsonld`.
pub const JSONLD_CONTEXT: &str = include_str!("../../../vocab/context.jsonld");
