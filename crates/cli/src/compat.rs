//! `ldtcat compat <profile> [--component <id>]`: which components of the catalogue an LDT can
//! run. The profile is a file (TOML, or RDF by extension) or a catalogued profile (record id
//! or IRI). Without a component: every component that states requirements, with its verdict,
//! assessed record by record from the store. With one: its verdict on each requirement.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{bail, Context, Result};
use ldtcat_compat::{requirements_of, Assessment, Assessor, CompatRules, Profile, Verdict};
use ldtcat_model::record::record_id;
use oxrdfio::RdfFormat;

use crate::catalog::Catalog;

/// Reads a profile: a file path, else a catalogued profile's record id or IRI.
pub fn load_profile(catalog: &Catalog, key: &str) -> Result<Profile> {
    let path = Path::new(key);
    if path.is_file() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let profile = if extension == "toml" {
            Profile::from_toml(&text)
        } else {
            let format = RdfFormat::from_extension(&extension).with_context(|| {
                format!("{}: use .toml, .ttl, .nt, .rdf or .jsonld", path.display())
            })?;
            Profile::from_rdf(&text, format)
        };
        return profile.with_context(|| format!("{}", path.display()));
    }
    let id = if key.contains(':') {
        record_id(key)
    } else {
        key.to_owned()
    };
    let Some(record) = catalog.store.record(&id)? else {
        bail!("`{key}` is neither a profile file nor an LDT profile in this catalogue");
    };
    Ok(Profile::from_record(
        record.kind,
        &record.iri,
        &record.triples,
    )?)
}

/// One component's assessment.
pub struct ComponentVerdict {
    /// Record id.
    pub id: String,
    /// Kind name.
    pub kind: &'static str,
    /// Title.
    pub title: String,
    /// The assessment.
    pub assessment: Assessment,
}

/// Assesses every stored component that states requirements (brute force, from the store),
/// or only `component`.
pub fn assess_catalog(
    catalog: &Catalog,
    profile: &Profile,
    component: Option<&str>,
) -> Result<Vec<ComponentVerdict>> {
    let rules = CompatRules::builtin()?;
    let adapters = catalog.index.adapters()?;
    let assessor = Assessor::new(&rules, profile, &adapters);
    let ids = match component {
        Some(id) => vec![id.to_owned()],
        None => catalog.store.record_ids()?,
    };
    let mut verdicts = Vec::new();
    for id in ids {
        let Some(record) = catalog.store.record(&id)? else {
            if component.is_some() {
                bail!("no record has the id `{id}`");
            }
            continue;
        };
        let requirements = requirements_of(&record.iri, &record.triples);
        if requirements.is_empty() && component.is_none() {
            continue;
        }
        let summary = record.summary_unscored();
        verdicts.push(ComponentVerdict {
            title: summary.display_title().to_owned(),
            id: record.id,
            kind: record.kind.as_str(),
            assessment: assessor.assess(&requirements),
        });
    }
    Ok(verdicts)
}

/// The text report.
pub fn render(profile: &Profile, verdicts: &[ComponentVerdict], detailed: bool) -> String {
    let mut out = String::new();
    let title = profile.title.as_deref().unwrap_or(&profile.iri);
    let _ = writeln!(out, "LDT profile: {title} <{}>", profile.iri);
    for verdict in Verdict::ALL {
        let count = verdicts
            .iter()
            .filter(|v| v.assessment.verdict == Some(verdict))
            .count();
        let _ = writeln!(out, "  {}: {count}", verdict.label());
    }
    for component in verdicts {
        let verdict = component
            .assessment
            .verdict
            .map_or("no requirements stated", |v| v.as_str());
        let _ = writeln!(
            out,
            "{verdict:<20} {} {:<13} {}",
            component.id, component.kind, component.title
        );
        if detailed {
            for item in &component.assessment.requirements {
                let _ = writeln!(
                    out,
                    "    {:<20} {}\n        {}\n        rule: {}",
                    item.verdict.as_str(),
                    item.requirement,
                    item.explanation,
                    item.rule
                );
            }
        }
    }
    out
}
