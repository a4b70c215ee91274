//! The architecture invariants of ARCHITECTURE.md that are about the code's shape.
//! (The data invariants are pinned by `import.rs`, `crash.rs` and the serve tests.)

mod common;

use std::collections::BTreeSet;

/// The internal crates a crate depends on, read from its Cargo.toml.
fn internal_dependencies(crate_dir: &str) -> BTreeSet<String> {
    let path = common::repo_root()
        .join("crates")
        .join(crate_dir)
        .join("Cargo.toml");
    let text = std::fs::read_to_string(&path).expect("Cargo.toml readable");
    let mut in_dependencies = false;
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_dependencies = line == "[dependencies]";
            continue;
        }
        if in_dependencies {
            if let Some(name) = line
                .split(['.', ' ', '='])
                .next()
                .filter(|n| n.starts_with("ldtcat-"))
            {
                found.insert(name.to_owned());
            }
        }
    }
    found
}

#[test]
fn dependencies_point_left_along_the_data_flow() {
    let allowed: &[(&str, &[&str])] = &[
        ("vocab", &[]),
        ("compat", &["ldtcat-vocab"]),
        ("quality", &["ldtcat-vocab"]),
        (
            "model",
            &["ldtcat-vocab", "ldtcat-compat", "ldtcat-quality"],
        ),
        ("config", &[]),
        ("store", &["ldtcat-vocab", "ldtcat-model"]),
        ("index", &["ldtcat-vocab", "ldtcat-model", "ldtcat-compat"]),
        ("sparql", &[]),
        (
            "harvest",
            &["ldtcat-vocab", "ldtcat-model", "ldtcat-config"],
        ),
        // The performance suite drives the ldtcat binary from outside; it reads records
        // (model) and measures the index's raw speed, nothing more.
        ("perf", &["ldtcat-vocab", "ldtcat-model", "ldtcat-index"]),
        (
            "serve",
            &[
                "ldtcat-vocab",
                "ldtcat-compat",
                "ldtcat-model",
                "ldtcat-quality",
                "ldtcat-store",
                "ldtcat-index",
                "ldtcat-config",
                "ldtcat-sparql",
            ],
        ),
    ];
    for (crate_dir, allowed) in allowed {
        let allowed: BTreeSet<String> = allowed.iter().map(|s| (*s).to_owned()).collect();
        let actual = internal_dependencies(crate_dir);
        assert!(
            actual.is_subset(&allowed),
            "crates/{crate_dir} depends on {actual:?}, allowed {allowed:?}"
        );
    }
}

#[test]
fn only_serve_knows_http_and_only_store_knows_oxigraph_storage() {
    for crate_dir in [
        "vocab", "compat", "model", "store", "index", "config", "harvest",
    ] {
        let path = common::repo_root()
            .join("crates")
            .join(crate_dir)
            .join("Cargo.toml");
        let text = std::fs::read_to_string(&path).expect("readable");
        for http in ["axum", "askama", "hyper", "tower"] {
            assert!(
                !text.contains(&format!("\n{http}")),
                "crates/{crate_dir} depends on {http}"
            );
        }
        if crate_dir != "store" {
            assert!(
                !text.contains("\noxigraph"),
                "crates/{crate_dir} depends on the oxigraph store"
            );
        }
    }
}
