//! The official shapes shipped with ldtcat (`vocab/shapes/`, see its README), parsed on first
//! use, and the version string that changes whenever one of them does.

use std::sync::OnceLock;

use super::ShapeSet;

const MANDATORY: &str = include_str!("../../../../vocab/shapes/shapes.ttl");
const RECOMMENDED: &str = include_str!("../../../../vocab/shapes/shapes_recommended.ttl");
const RANGE: &str = include_str!("../../../../vocab/shapes/range.ttl");
const VOCABULARIES: &str = include_str!("../../../../vocab/shapes/mdr-vocabularies.shape.ttl");
const DEPRECATED: &str = include_str!("../../../../vocab/shapes/deprecateduris.ttl");
const MLDCAT_AP: &str = include_str!("../../../../vocab/shapes/mldcat-ap-SHACL.ttl");

/// Every embedded shapes file, by file name.
pub const EMBEDDED_SHAPES: &[(&str, &str)] = &[
    ("shapes.ttl", MANDATORY),
    ("shapes_recommended.ttl", RECOMMENDED),
    ("range.ttl", RANGE),
    ("mdr-vocabularies.shape.ttl", VOCABULARIES),
    ("deprecateduris.ttl", DEPRECATED),
    ("mldcat-ap-SHACL.ttl", MLDCAT_AP),
];

fn builtin(cell: &'static OnceLock<ShapeSet>, name: &str, turtle: &str) -> &'static ShapeSet {
    cell.get_or_init(|| {
        // The embedded files are checked by this crate's tests: failing here is a build defect.
        ShapeSet::from_turtle(name, turtle)
            .unwrap_or_else(|error| panic!("embedded shapes: {error}"))
    })
}

impl ShapeSet {
    /// DCAT-AP 3.0.0 mandatory properties, cardinalities and node kinds (`shapes.ttl`).
    pub fn dcat_ap_mandatory() -> &'static ShapeSet {
        static SET: OnceLock<ShapeSet> = OnceLock::new();
        builtin(&SET, "shapes.ttl", MANDATORY)
    }

    /// DCAT-AP 3.0.0 recommended properties, all warnings (`shapes_recommended.ttl`).
    pub fn dcat_ap_recommended() -> &'static ShapeSet {
        static SET: OnceLock<ShapeSet> = OnceLock::new();
        builtin(&SET, "shapes_recommended.ttl", RECOMMENDED)
    }

    /// DCAT-AP 3.0.0 class ranges (`range.ttl`): most real data fails them because linked
    /// objects rarely carry an `rdf:type`, so callers report them apart.
    pub fn dcat_ap_range() -> &'static ShapeSet {
        static SET: OnceLock<ShapeSet> = OnceLock::new();
        builtin(&SET, "range.ttl", RANGE)
    }

    /// DCAT-AP 3.0.0 controlled vocabularies (`mdr-vocabularies.shape.ttl`).
    pub fn dcat_ap_vocabularies() -> &'static ShapeSet {
        static SET: OnceLock<ShapeSet> = OnceLock::new();
        builtin(&SET, "mdr-vocabularies.shape.ttl", VOCABULARIES)
    }

    /// DCAT-AP 3.0.0 deprecated properties (`deprecateduris.ttl`).
    pub fn dcat_ap_deprecated() -> &'static ShapeSet {
        static SET: OnceLock<ShapeSet> = OnceLock::new();
        builtin(&SET, "deprecateduris.ttl", DEPRECATED)
    }

    /// MLDCAT-AP 3.1.0 (`mldcat-ap-SHACL.ttl`).
    pub fn mldcat_ap() -> &'static ShapeSet {
        static SET: OnceLock<ShapeSet> = OnceLock::new();
        builtin(&SET, "mldcat-ap-SHACL.ttl", MLDCAT_AP)
    }

    /// The built-in set parsed from the embedded file `file_name`, if there is one.
    pub fn builtin_by_file_name(file_name: &str) -> Option<&'static ShapeSet> {
        Some(match file_name {
            "shapes.ttl" => ShapeSet::dcat_ap_mandatory(),
            "shapes_recommended.ttl" => ShapeSet::dcat_ap_recommended(),
            "range.ttl" => ShapeSet::dcat_ap_range(),
            "mdr-vocabularies.shape.ttl" => ShapeSet::dcat_ap_vocabularies(),
            "deprecateduris.ttl" => ShapeSet::dcat_ap_deprecated(),
            "mldcat-ap-SHACL.ttl" => ShapeSet::mldcat_ap(),
            _ => return None,
        })
    }
}

/// The version of the embedded shapes and of this engine's reading of them:
/// `dcat-ap-3.0.0+mldcat-ap-3.1.0/` and a 64-bit FNV-1a hash of every embedded file. Store it
/// with computed findings and recompute them when it changes.
pub fn shapes_version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for (name, text) in EMBEDDED_SHAPES {
            for byte in name.bytes().chain(text.bytes()).chain([0]) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
        format!("dcat-ap-3.0.0+mldcat-ap-3.1.0/{hash:016x}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_file_parses_without_unsupported_parameters() {
        for (name, _) in EMBEDDED_SHAPES {
            let set = ShapeSet::builtin_by_file_name(name).expect("known name");
            assert!(!set.is_empty(), "{name} has shapes");
            assert!(
                set.unsupported().is_empty(),
                "{name}: {:?}",
                set.unsupported()
            );
        }
        assert!(shapes_version().starts_with("dcat-ap-3.0.0+mldcat-ap-3.1.0/"));
    }
}
