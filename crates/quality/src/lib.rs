#![doc = include_str!("../README.md")]

mod assess;
mod error;
mod finding;
mod graph;
mod links;
pub mod literal;
mod path;
pub mod score;
mod sentence;
mod shapes;
mod terms;
mod validate;

pub use assess::{assess, Assessment, Corrected, GroupedFinding, ShapeGroup};
pub use error::QualityError;
pub use finding::Finding;
pub use links::{
    LinkCheck, LinkOutcome, COULD_NOT_CONNECT, DCAT_ACCESS_URL, DCAT_DOWNLOAD_URL, TIMED_OUT,
};
pub use path::Path;
pub use score::max_measured;
pub use sentence::{Arg, Sentence, ENGLISH};
pub use shapes::{shapes_version, Severity, ShapeSet, EMBEDDED_SHAPES};
pub use validate::{validate, validate_all};
