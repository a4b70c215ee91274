//! What a record of the catalogue can do for an LDT that lacks something: the adapter offers.
//!
//! | offer | read from the record |
//! |---|---|
//! | `maps` from → to | every pair of `ldt:mapsFrom` × `ldt:mapsTo` (a data-model converter) |
//! | `bridges` from → to | every pair of `ldt:bridgesFrom` × `ldt:bridgesTo` (an interface adapter) |
//! | `adds-provenance` | `ldt:addsProvenance` |
//! | `adds-observability` | `ldt:addsObservability` |
//! | `hosts` | `ldt:hostsDeployment` (a hosting service) |
//! | `gpu` | `ldt:offersGpu true` |
//! | `memory` | `ldt:offersMemoryGiB`, the largest value |
//!
//! Which kinds of record may serve as adapters is the rules' business (`ldt:adapterKind`).

use ldtcat_vocab::ns;
use oxrdf::Triple;

use crate::graph::View;
use crate::requirement::{format_amount, is_true, largest_amount};

/// The offer keys, in term order.
pub const OFFER_KEYS: [&str; 7] = [
    "maps",
    "bridges",
    "adds-provenance",
    "adds-observability",
    "hosts",
    "gpu",
    "memory",
];

/// One offer of a record.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Offer {
    /// One of [`OFFER_KEYS`].
    pub key: String,
    /// For `maps` and `bridges`: what it starts from.
    pub from: Option<String>,
    /// What it gives: a data model, interface, capability, deployment model, `true` for a
    /// GPU, an amount of memory in GiB.
    pub value: String,
}

impl Offer {
    /// The one-line term (`maps <from> <to>`, `hosts <deployment>`).
    pub fn term(&self) -> String {
        match &self.from {
            Some(from) => format!("{} {from} {}", self.key, self.value),
            None => format!("{} {}", self.key, self.value),
        }
    }

    /// The offer a term stands for.
    pub fn from_term(term: &str) -> Option<Offer> {
        let words: Vec<&str> = term.split(' ').collect();
        let key = *words.first()?;
        if !OFFER_KEYS.contains(&key) {
            return None;
        }
        let pair = key == "maps" || key == "bridges";
        match (pair, words.as_slice()) {
            (true, [_, from, to]) => Some(Offer {
                key: key.to_owned(),
                from: Some((*from).to_owned()),
                value: (*to).to_owned(),
            }),
            (false, [_, value]) => Some(Offer {
                key: key.to_owned(),
                from: None,
                value: (*value).to_owned(),
            }),
            _ => None,
        }
    }
}

/// The offers that the resource `root` states in `triples`, sorted, without repeats.
pub fn offers_of(root: &str, triples: &[Triple]) -> Vec<Offer> {
    let view = View::new(triples);
    let ldt = |local: &str| format!("{}{local}", ns::LDT);
    let mut offers = Vec::new();
    for (key, from_property, to_property) in [
        ("maps", "mapsFrom", "mapsTo"),
        ("bridges", "bridgesFrom", "bridgesTo"),
    ] {
        let targets = view.values(root, &ldt(to_property));
        for from in view.values(root, &ldt(from_property)) {
            for to in &targets {
                if &from != to {
                    offers.push(Offer {
                        key: key.to_owned(),
                        from: Some(from.clone()),
                        value: to.clone(),
                    });
                }
            }
        }
    }
    for (key, property) in [
        ("adds-provenance", "addsProvenance"),
        ("adds-observability", "addsObservability"),
        ("hosts", "hostsDeployment"),
    ] {
        for value in view.values(root, &ldt(property)) {
            offers.push(Offer {
                key: key.to_owned(),
                from: None,
                value,
            });
        }
    }
    if view
        .values(root, &ldt("offersGpu"))
        .iter()
        .any(|v| is_true(v))
    {
        offers.push(Offer {
            key: "gpu".to_owned(),
            from: None,
            value: "true".to_owned(),
        });
    }
    if let Some(memory) = largest_amount(&view.values(root, &ldt("offersMemoryGiB"))) {
        offers.push(Offer {
            key: "memory".to_owned(),
            from: None,
            value: format_amount(memory),
        });
    }
    offers.sort();
    offers.dedup();
    offers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offer_terms_round_trip() {
        for term in ["maps https://a https://b", "hosts https://d", "memory 64"] {
            let offer = Offer::from_term(term).expect(term);
            assert_eq!(offer.term(), term);
        }
        assert_eq!(Offer::from_term("maps https://a"), None);
        assert_eq!(Offer::from_term("hosts a b"), None);
        assert_eq!(Offer::from_term("sells x"), None);
    }
}
