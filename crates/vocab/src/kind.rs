//! The kinds of LDT resource that ldtcat distinguishes (OASC MIM8 "LDT resource catalogue"),
//! and the kind of LDT profile records.

use std::fmt;
use std::str::FromStr;

use crate::ns;

/// One of the six kinds of catalogued LDT resource, or an LDT profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A data resource.
    Dataset,
    /// A model: machine-learning, simulation or statistical.
    Model,
    /// A service: an API or other endpoint.
    Service,
    /// A workflow or scenario template.
    Workflow,
    /// A visualisation asset: 3D tiles, map layers, dashboards.
    Visualisation,
    /// A published output: analysis results, predictions, simulation runs.
    Output,
    /// An LDT profile (`ldt:LdtProfile`): what one Local Digital Twin has, for compatibility
    /// assessments. Not one of the six kinds of catalogued resource.
    Ldt,
}

impl Kind {
    /// Every kind, in display order, LDT profiles last.
    pub const ALL: [Kind; 7] = [
        Kind::Dataset,
        Kind::Model,
        Kind::Service,
        Kind::Workflow,
        Kind::Visualisation,
        Kind::Output,
        Kind::Ldt,
    ];

    /// The short name used in URLs, the index and the API (`dataset`, `model`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Dataset => "dataset",
            Kind::Model => "model",
            Kind::Service => "service",
            Kind::Workflow => "workflow",
            Kind::Visualisation => "visualisation",
            Kind::Output => "output",
            Kind::Ldt => "ldt",
        }
    }

    /// A human label, for pages.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Dataset => "Dataset",
            Kind::Model => "Model",
            Kind::Service => "Service",
            Kind::Workflow => "Workflow / scenario template",
            Kind::Visualisation => "Visualisation asset",
            Kind::Output => "Published output",
            Kind::Ldt => "LDT profile",
        }
    }

    /// The IRI of the kind concept (`https://w3id.org/ldtcat/kind/dataset`, ...).
    pub fn iri(self) -> String {
        format!("{}{}", ns::LDT_KIND, self.as_str())
    }

    /// The kind named by a concept IRI, if it is one of ours.
    pub fn from_iri(iri: &str) -> Option<Kind> {
        iri.strip_prefix(ns::LDT_KIND)?.parse().ok()
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown kind name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown kind `{0}` (expected one of dataset, model, service, workflow, visualisation, output, ldt)"
)]
pub struct UnknownKind(pub String);

impl FromStr for Kind {
    type Err = UnknownKind;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
            .ok_or_else(|| UnknownKind(name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_iris_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(kind.as_str().parse::<Kind>(), Ok(kind));
            assert_eq!(Kind::from_iri(&kind.iri()), Some(kind));
        }
        assert!("catalogue".parse::<Kind>().is_err());
        assert_eq!(Kind::from_iri("http://example.org/kind/dataset"), None);
    }
}
