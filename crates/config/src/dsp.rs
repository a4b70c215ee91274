//! How ldtcat answers as a Dataspace Protocol catalog (`dsp.toml`): the participant id, the
//! optional token check, and the **offer rule** that gives every record without an ODRL policy
//! of its own an offer derived from its licence and access rights.
//!
//! Parsed in two stages like the harvest sources: [`RawDspFile`] mirrors the TOML (unknown
//! keys are errors), then `validate` expands prefixed names (`odrl:use`) into IRIs and checks
//! operators, rule names and conditions; errors name the file and the key. Without a file the
//! built-in rules of `vocab/dsp.toml` apply ([`DspConfig::builtin`]).
//!
//! The rule: the first `[[offer]]` whose conditions hold gives the offer; a condition holds
//! when one of the record's licences (its `dct:license`, else its distributions') is among
//! `licences`, or its `dct:accessRights` is among `access_rights` (a rule with both needs
//! both); when no rule holds, `[default_offer]` does.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::ConfigError;

const ODRL: &str = "http://www.w3.org/ns/odrl/2/";

/// The prefixes a name may use (`odrl:use`); anything else with a scheme is an absolute IRI.
const PREFIXES: [(&str, &str); 5] = [
    ("odrl", ODRL),
    ("dct", "http://purl.org/dc/terms/"),
    ("dpv", "https://w3id.org/dpv#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("ldt", "https://w3id.org/ldtcat#"),
];

/// The ODRL operators a constraint may use (the operators of the DSP 2025-1 schema).
const OPERATORS: [&str; 12] = [
    "eq", "gt", "gteq", "lt", "lteq", "neq", "isA", "hasPart", "isPartOf", "isAllOf", "isAnyOf",
    "isNoneOf",
];

const BUILTIN: &str = include_str!("../../../vocab/dsp.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDspFile {
    participant_id: Option<String>,
    token_env: Option<String>,
    default_format: Option<String>,
    default_offer: RawOffer,
    #[serde(default)]
    offer: Vec<RawRule>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffer {
    #[serde(default)]
    permissions: Vec<String>,
    #[serde(default)]
    duties: Vec<String>,
    #[serde(default)]
    prohibitions: Vec<String>,
    #[serde(default)]
    constraints: Vec<[String; 3]>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    name: String,
    #[serde(default)]
    licences: Vec<String>,
    #[serde(default)]
    access_rights: Vec<String>,
    #[serde(default)]
    permissions: Vec<String>,
    #[serde(default)]
    duties: Vec<String>,
    #[serde(default)]
    prohibitions: Vec<String>,
    #[serde(default)]
    constraints: Vec<[String; 3]>,
}

/// The right operand of a constraint: an IRI, or a literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    /// An IRI (a prefixed name or an absolute IRI in the file).
    Iri(String),
    /// Anything else, as a plain literal.
    Literal(String),
}

/// A constraint on the permissions of an offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferConstraint {
    /// The left operand IRI (`odrl:purpose`).
    pub left_operand: String,
    /// The operator's ODRL name (`eq`, `isA`, ...).
    pub operator: String,
    /// The right operand.
    pub right_operand: Operand,
}

/// The terms of an offer: permitted actions (each with the duties and constraints), and
/// prohibited actions. Every action is an IRI.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OfferTerms {
    /// Permitted actions.
    pub permissions: Vec<String>,
    /// Duties of every permission.
    pub duties: Vec<String>,
    /// Prohibited actions.
    pub prohibitions: Vec<String>,
    /// Constraints of every permission.
    pub constraints: Vec<OfferConstraint>,
}

/// One rule of the offer rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferRule {
    /// Its name, unique (it ends the derived offer's IRI).
    pub name: String,
    /// Licence IRIs, one of which the record must have (empty: no condition).
    pub licences: Vec<String>,
    /// Access rights IRIs, one of which the record must have (empty: no condition).
    pub access_rights: Vec<String>,
    /// The offer it gives.
    pub offer: OfferTerms,
}

impl OfferRule {
    /// Whether the rule holds for a record with these licences and access rights.
    pub fn holds(&self, licences: &[String], access_rights: &[String]) -> bool {
        let any_of = |wanted: &[String], given: &[String]| {
            wanted.is_empty() || given.iter().any(|value| wanted.contains(value))
        };
        any_of(&self.licences, licences) && any_of(&self.access_rights, access_rights)
    }
}

/// The DSP catalog settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DspConfig {
    /// `participantId` of the catalog (none: the catalogue's IRI).
    pub participant_id: Option<String>,
    /// The environment variable holding the token requests must carry (none: public).
    pub token_env: Option<String>,
    /// The `format` of a distribution that gives none as an IRI (a DSP transfer type).
    pub default_format: String,
    /// The offer when no rule holds.
    pub default_offer: OfferTerms,
    /// The rules, in order.
    pub rules: Vec<OfferRule>,
    /// The file it was read from (none: the built-in rules).
    pub file: Option<PathBuf>,
}

impl DspConfig {
    /// The built-in settings (`vocab/dsp.toml`): public, ldtcat's catalogue IRI as the
    /// participant id, offers by licence family and access rights.
    pub fn builtin() -> Result<DspConfig, ConfigError> {
        parse_dsp(BUILTIN, Path::new("vocab/dsp.toml"), None)
    }

    /// The name of the rule that gives a record's offer and the offer itself.
    pub fn offer_for(&self, licences: &[String], access_rights: &[String]) -> (&str, &OfferTerms) {
        self.rules
            .iter()
            .find(|rule| rule.holds(licences, access_rights))
            .map_or(("default", &self.default_offer), |rule| {
                (rule.name.as_str(), &rule.offer)
            })
    }
}

/// Loads a `dsp.toml`.
pub fn load_dsp_file(path: &Path) -> Result<DspConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_dsp(&text, path, Some(path.to_path_buf()))
}

fn parse_dsp(text: &str, path: &Path, file: Option<PathBuf>) -> Result<DspConfig, ConfigError> {
    let raw: RawDspFile = toml::from_str(text).map_err(|error| ConfigError::Syntax {
        path: path.to_path_buf(),
        message: error.to_string().trim_end().to_owned(),
    })?;
    let invalid = |key: String, message: String| ConfigError::InvalidSetting {
        path: path.to_path_buf(),
        key,
        message,
    };
    if let Some(variable) = &raw.token_env {
        if variable.is_empty() || variable.contains('=') {
            return Err(invalid(
                "token_env".to_owned(),
                format!("`{variable}` is not an environment variable name"),
            ));
        }
    }
    let default_format = raw
        .default_format
        .unwrap_or_else(|| "HttpData-PULL".to_owned());
    if default_format.trim().is_empty() {
        return Err(invalid(
            "default_format".to_owned(),
            "must not be empty".to_owned(),
        ));
    }
    let default_offer = validate_offer(raw.default_offer, "default_offer")
        .map_err(|(key, message)| invalid(key, message))?;
    let mut rules: Vec<OfferRule> = Vec::with_capacity(raw.offer.len());
    for (position, rule) in raw.offer.into_iter().enumerate() {
        let table = format!("offer[{}]", position + 1);
        let rule = validate_rule(rule, &table).map_err(|(key, message)| invalid(key, message))?;
        if rule.name == "default" || rules.iter().any(|r| r.name == rule.name) {
            return Err(invalid(
                format!("{table}.name"),
                format!("`{}` is used twice (or is `default`)", rule.name),
            ));
        }
        rules.push(rule);
    }
    Ok(DspConfig {
        participant_id: raw.participant_id.filter(|p| !p.trim().is_empty()),
        token_env: raw.token_env,
        default_format,
        default_offer,
        rules,
        file,
    })
}

type Invalid = (String, String);

fn validate_rule(raw: RawRule, table: &str) -> Result<OfferRule, Invalid> {
    let name_ok = !raw.name.is_empty()
        && raw.name.len() <= 64
        && raw
            .name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !name_ok {
        return Err((
            format!("{table}.name"),
            format!("`{}`: 1–64 lowercase letters, digits or `-`", raw.name),
        ));
    }
    if raw.licences.is_empty() && raw.access_rights.is_empty() {
        return Err((
            table.to_owned(),
            "a rule needs `licences` or `access_rights` (the unconditional offer is `[default_offer]`)"
                .to_owned(),
        ));
    }
    let iris = |values: Vec<String>, key: &str| -> Result<Vec<String>, Invalid> {
        values
            .iter()
            .map(|value| expand(value).map_err(|message| (format!("{table}.{key}"), message)))
            .collect()
    };
    let offer = RawOffer {
        permissions: raw.permissions,
        duties: raw.duties,
        prohibitions: raw.prohibitions,
        constraints: raw.constraints,
    };
    Ok(OfferRule {
        licences: iris(raw.licences, "licences")?,
        access_rights: iris(raw.access_rights, "access_rights")?,
        offer: validate_offer(offer, table)?,
        name: raw.name,
    })
}

fn validate_offer(raw: RawOffer, table: &str) -> Result<OfferTerms, Invalid> {
    let actions = |values: Vec<String>, key: &str| -> Result<Vec<String>, Invalid> {
        values
            .iter()
            .map(|value| expand(value).map_err(|message| (format!("{table}.{key}"), message)))
            .collect()
    };
    let terms = OfferTerms {
        permissions: actions(raw.permissions, "permissions")?,
        duties: actions(raw.duties, "duties")?,
        prohibitions: actions(raw.prohibitions, "prohibitions")?,
        constraints: raw
            .constraints
            .into_iter()
            .map(|[left, operator, right]| {
                validate_constraint(&left, &operator, &right)
                    .map_err(|message| (format!("{table}.constraints"), message))
            })
            .collect::<Result<_, _>>()?,
    };
    if terms.permissions.is_empty() && terms.prohibitions.is_empty() {
        return Err((
            table.to_owned(),
            "an offer needs at least one of `permissions` and `prohibitions` (DSP requires it)"
                .to_owned(),
        ));
    }
    if terms.permissions.is_empty() && !(terms.duties.is_empty() && terms.constraints.is_empty()) {
        return Err((
            table.to_owned(),
            "`duties` and `constraints` apply to permissions: give `permissions`".to_owned(),
        ));
    }
    Ok(terms)
}

fn validate_constraint(left: &str, operator: &str, right: &str) -> Result<OfferConstraint, String> {
    let name = operator.strip_prefix("odrl:").unwrap_or(operator);
    let name = name.strip_prefix(ODRL).unwrap_or(name);
    if !OPERATORS.contains(&name) {
        return Err(format!(
            "unknown operator `{operator}` (one of {})",
            OPERATORS.join(", ")
        ));
    }
    let right_operand = match expand(right) {
        Ok(iri) if right.contains(':') => Operand::Iri(iri),
        _ => Operand::Literal(right.to_owned()),
    };
    Ok(OfferConstraint {
        left_operand: expand(left)?,
        operator: name.to_owned(),
        right_operand,
    })
}

/// A prefixed name (`odrl:use`) or an absolute IRI, as an IRI.
fn expand(name: &str) -> Result<String, String> {
    let name = name.trim();
    if let Some((prefix, local)) = name.split_once(':') {
        if let Some((_, namespace)) = PREFIXES.iter().find(|(p, _)| *p == prefix) {
            if !local.is_empty() && !local.starts_with("//") {
                return Ok(format!("{namespace}{local}"));
            }
        }
        if url::Url::parse(name).is_ok() && !name.contains(char::is_whitespace) {
            return Ok(name.to_owned());
        }
    }
    let known: Vec<&str> = PREFIXES.iter().map(|(p, _)| *p).collect();
    Err(format!(
        "`{name}` is neither an absolute IRI nor a prefixed name ({}:…)",
        known.join(":…, ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<DspConfig, ConfigError> {
        parse_dsp(text, Path::new("dsp.toml"), None)
    }

    #[test]
    fn the_builtin_rules_load_and_choose_by_access_rights_then_licence() -> Result<(), ConfigError>
    {
        let config = DspConfig::builtin()?;
        assert_eq!(config.participant_id, None);
        assert_eq!(config.token_env, None);
        let eu = |kind: &str, name: &str| {
            format!("http://publications.europa.eu/resource/authority/{kind}/{name}")
        };
        let cc_by = [eu("licence", "CC_BY_4_0")];
        let restricted = [eu("access-right", "RESTRICTED")];
        let (name, offer) = config.offer_for(&cc_by, &[]);
        assert_eq!(name, "attribution");
        assert_eq!(offer.duties, [format!("{ODRL}attribute")]);
        assert_eq!(config.offer_for(&cc_by, &restricted).0, "restricted");
        let (name, offer) = config.offer_for(&[], &[]);
        assert_eq!(name, "default");
        assert_eq!(offer.permissions, [format!("{ODRL}use")]);
        Ok(())
    }

    #[test]
    fn bad_values_name_the_file_and_the_key() {
        for (text, key) in [
            ("[default_offer]\npermissions = [\"use\"]\n", "default_offer.permissions"),
            ("[default_offer]\nduties = [\"odrl:attribute\"]\n", "default_offer"),
            (
                "[default_offer]\npermissions = [\"odrl:use\"]\nconstraints = [[\"odrl:purpose\", \"odrl:like\", \"x\"]]\n",
                "default_offer.constraints",
            ),
            (
                "[default_offer]\npermissions = [\"odrl:use\"]\n[[offer]]\nname = \"Open\"\nlicences = [\"https://x.org/l\"]\npermissions = [\"odrl:use\"]\n",
                "offer[1].name",
            ),
            (
                "[default_offer]\npermissions = [\"odrl:use\"]\n[[offer]]\nname = \"open\"\npermissions = [\"odrl:use\"]\n",
                "offer[1]",
            ),
            ("tokn_env = \"X\"\n[default_offer]\npermissions = [\"odrl:use\"]\n", "tokn_env"),
        ] {
            let message = parse(text).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(
                message.contains("dsp.toml") && message.contains(key),
                "{key}: {message}"
            );
        }
    }

    #[test]
    fn constraints_keep_iris_and_literals_apart() -> Result<(), ConfigError> {
        let config = parse(
            "participant_id = \"urn:example:city\"\n[default_offer]\npermissions = [\"odrl:use\"]\n\
             constraints = [[\"odrl:spatial\", \"odrl:eq\", \"http://example.org/EU\"], [\"odrl:count\", \"lteq\", \"10\"]]\n",
        )?;
        let constraints = &config.default_offer.constraints;
        assert_eq!(constraints[0].left_operand, format!("{ODRL}spatial"));
        assert_eq!(constraints[0].operator, "eq");
        assert_eq!(
            constraints[0].right_operand,
            Operand::Iri("http://example.org/EU".to_owned())
        );
        assert_eq!(
            constraints[1].right_operand,
            Operand::Literal("10".to_owned())
        );
        assert_eq!(config.participant_id.as_deref(), Some("urn:example:city"));
        Ok(())
    }
}
