//! Harvest sources (`harvest-config/*.toml`).
//!
//! Parsed in two stages: [`RawSource`] mirrors the TOML (unknown keys are errors), then
//! `validate` checks every value and builds a [`SourceConfig`] holding real URLs, a parsed
//! cron schedule and typed options; nothing downstream re-validates. Errors name the file,
//! the source and the key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use url::Url;

use crate::csw::{validate_csw_options, CswConstraint, CswOutputSchema};
use crate::link_check::{validate_link_check, LinkCheckConfig, RawLinkCheck};
use crate::ConfigError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    source: Vec<RawSource>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    id: String,
    kind: String,
    url: String,
    title: Option<String>,
    enabled: Option<bool>,
    format: Option<String>,
    schedule: Option<String>,
    #[serde(default)]
    options: RawOptions,
    link_check: Option<RawLinkCheck>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOptions {
    format: Option<String>,
    page_size: Option<u64>,
    auth_header: Option<String>,
    auth_env: Option<String>,
    max_pages: Option<u64>,
    max_bytes: Option<u64>,
    timeout_seconds: Option<u64>,
    run_timeout_seconds: Option<u64>,
    delay_ms: Option<u64>,
    query: Option<String>,
    incremental: Option<bool>,
    constraint: Option<String>,
    output_schema: Option<String>,
    metadata_prefix: Option<String>,
    incremental_parameter: Option<String>,
}

/// The kinds of source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// An RDF document (DCAT-AP in any RDF syntax), by file or URL, Hydra-paged or not.
    Dcat,
    /// A CKAN site's Action API (`package_search`).
    Ckan,
    /// A SPARQL endpoint, read with CONSTRUCT.
    Sparql,
    /// Another ldtcat, read through its change feed (`url` is the feed, `…/feed`): the first
    /// run from the start, later runs from the saved cursor, deletions included.
    Peer,
    /// An OGC CSW 2.0.2 catalogue (GeoNetwork, pycsw, INSPIRE discovery services): ISO 19139
    /// or Dublin Core records, mapped to GeoDCAT-AP.
    Csw,
    /// An OAI-PMH 2.0 repository: a DCAT/RDF format, ISO 19139 or `oai_dc`.
    OaiPmh,
    /// A Dataspace Protocol connector's catalog (`url` is its `…/catalog/request`), read with
    /// `CatalogRequestMessage`s and followed through `Link: rel="next"` headers.
    Dsp,
    /// An OGC API – Records collection (`url` is the collection or its `items`), read through
    /// its `next` links, records mapped back to DCAT-AP.
    OgcapiRecords,
}

impl SourceKind {
    /// The name used in configuration files.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Dcat => "dcat",
            SourceKind::Ckan => "ckan",
            SourceKind::Sparql => "sparql",
            SourceKind::Peer => "peer",
            SourceKind::Csw => "csw",
            SourceKind::OaiPmh => "oai-pmh",
            SourceKind::Dsp => "dsp",
            SourceKind::OgcapiRecords => "ogcapi-records",
        }
    }
}

/// Default largest response body: 256 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 256 * 1024 * 1024;
/// Default per-request timeout.
pub const DEFAULT_TIMEOUT_SECONDS: u64 = 60;
/// Default whole-run timeout.
pub const DEFAULT_RUN_TIMEOUT_SECONDS: u64 = 3 * 3600;
/// Default most pages per run.
pub const DEFAULT_MAX_PAGES: u64 = 10_000;
/// Default page size (CKAN rows, SPARQL resources per page).
pub const DEFAULT_PAGE_SIZE: u64 = 100;

/// How a source is fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceOptions {
    /// A media type overriding Accept negotiation and detection.
    pub format: Option<String>,
    /// Items per page (CKAN `rows`, SPARQL resources per page).
    pub page_size: u64,
    /// An authentication header: its name and the environment variable holding its value
    /// (read at run time, never stored).
    pub auth: Option<AuthHeader>,
    /// Most pages per run; a source with more ends the run as partial.
    pub max_pages: u64,
    /// Largest response body accepted, in bytes (after decompression).
    pub max_bytes: u64,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Whole-run timeout.
    pub run_timeout: Duration,
    /// Pause between two requests of a run.
    pub delay: Duration,
    /// SPARQL: the CONSTRUCT query (with `{limit}` and `{offset}` for paging).
    pub query: Option<String>,
    /// CKAN, CSW, OAI-PMH and OGC API Records: ask only for what was modified since the last
    /// successful run.
    pub incremental: bool,
    /// CSW: a constraint on the records asked for, an OGC Filter (`<ogc:Filter>…`, or the
    /// predicate inside one) or a CQL text.
    pub constraint: Option<CswConstraint>,
    /// CSW: the output schema to ask for (`None`: ISO 19139 when offered, else Dublin Core).
    pub output_schema: Option<CswOutputSchema>,
    /// OAI-PMH: the metadata prefix to ask for (`None`: chosen from `ListMetadataFormats`).
    pub metadata_prefix: Option<String>,
    /// OGC API Records: the query parameter of incremental runs (`datetime`, sent as
    /// `{time}/..`, when not given; any other is sent as `{time}`).
    pub incremental_parameter: Option<String>,
}

/// An authentication header whose value comes from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthHeader {
    /// The header name (`Authorization`).
    pub header: String,
    /// The environment variable with the value.
    pub env_var: String,
}

impl AuthHeader {
    /// The header and its value, if the variable is set.
    pub fn resolve(&self) -> Result<(String, String), String> {
        std::env::var(&self.env_var)
            .map(|value| (self.header.clone(), value))
            .map_err(|_| format!("environment variable {} is not set", self.env_var))
    }
}

/// When a source is harvested: a cron expression with seconds (six fields; a five-field
/// expression gets `0` seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// The six-field expression.
    pub cron: String,
}

impl Schedule {
    /// The next time after `after`.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        parse_cron(&self.cron)
            .ok()
            .and_then(|cron| cron.find_next_occurrence(&after, false).ok())
    }
}

fn parse_cron(six_fields: &str) -> Result<croner::Cron, croner::errors::CronError> {
    croner::parser::CronParser::builder()
        .seconds(croner::parser::Seconds::Required)
        .build()
        .parse(six_fields)
}

/// A validated source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceConfig {
    /// Unique id.
    pub id: String,
    /// Kind.
    pub kind: SourceKind,
    /// Where to read it (relative paths resolved against the config file's folder).
    pub url: Url,
    /// Display title (the id when not given).
    pub title: String,
    /// Whether it is harvested.
    pub enabled: bool,
    /// A media type overriding detection (`format`, or `options.format`).
    pub format: Option<String>,
    /// When it is harvested by `ldtcat serve` (none: only by hand).
    pub schedule: Option<Schedule>,
    /// How it is fetched.
    pub options: SourceOptions,
    /// Whether and how the access and download URLs of its records are checked.
    pub link_check: Option<LinkCheckConfig>,
    /// The file that declared it.
    pub config_file: PathBuf,
}

/// Loads every `*.toml` of a folder (in name order); ids must be unique across files.
pub fn load_harvest_dir(dir: &Path) -> Result<Vec<SourceConfig>, ConfigError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ConfigError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut sources = Vec::new();
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    for file in files {
        for source in load_harvest_file(&file)? {
            if let Some(first) = seen.get(&source.id) {
                return Err(ConfigError::Invalid {
                    path: file,
                    source_id: source.id,
                    key: "id",
                    message: format!("already used in {}", first.display()),
                });
            }
            seen.insert(source.id.clone(), file.clone());
            sources.push(source);
        }
    }
    Ok(sources)
}

/// Loads one file of sources.
pub fn load_harvest_file(path: &Path) -> Result<Vec<SourceConfig>, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let raw: RawFile = toml::from_str(&text).map_err(|error| ConfigError::Syntax {
        path: path.to_path_buf(),
        message: error.to_string().trim_end().to_owned(),
    })?;
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut ids = Vec::new();
    let mut sources = Vec::with_capacity(raw.source.len());
    for raw_source in raw.source {
        let source = validate(raw_source, path, folder)?;
        if ids.contains(&source.id) {
            return Err(invalid(
                path,
                &source.id,
                "id",
                "used twice in this file".to_owned(),
            ));
        }
        ids.push(source.id.clone());
        sources.push(source);
    }
    Ok(sources)
}

fn invalid(path: &Path, source_id: &str, key: &'static str, message: String) -> ConfigError {
    ConfigError::Invalid {
        path: path.to_path_buf(),
        source_id: source_id.to_owned(),
        key,
        message,
    }
}

fn validate(raw: RawSource, path: &Path, folder: &Path) -> Result<SourceConfig, ConfigError> {
    let id_ok = !raw.id.is_empty()
        && raw.id.len() <= 64
        && raw
            .id
            .starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && raw
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !id_ok {
        return Err(invalid(
            path,
            &raw.id,
            "id",
            "must be 1–64 lowercase letters, digits, `-` or `_`, starting with a letter or digit"
                .to_owned(),
        ));
    }
    let kind = match raw.kind.as_str() {
        "dcat" => SourceKind::Dcat,
        "ckan" => SourceKind::Ckan,
        "sparql" => SourceKind::Sparql,
        "peer" => SourceKind::Peer,
        "csw" => SourceKind::Csw,
        "oai-pmh" => SourceKind::OaiPmh,
        "dsp" => SourceKind::Dsp,
        "ogcapi-records" => SourceKind::OgcapiRecords,
        other => {
            return Err(invalid(
                path,
                &raw.id,
                "kind",
                format!(
                    "unknown kind `{other}` (supported: dcat, ckan, sparql, peer, csw, oai-pmh, dsp, ogcapi-records)"
                ),
            ));
        }
    };
    let url =
        resolve_url(&raw.url, folder).map_err(|message| invalid(path, &raw.id, "url", message))?;
    if kind != SourceKind::Dcat && url.scheme() == "file" {
        return Err(invalid(
            path,
            &raw.id,
            "url",
            format!("a {} source needs an http or https URL", kind.as_str()),
        ));
    }
    let schedule = match raw.schedule {
        None => None,
        Some(text) => Some(
            validate_schedule(&text)
                .map_err(|message| invalid(path, &raw.id, "schedule", message))?,
        ),
    };
    let options = validate_options(raw.options, raw.format.clone(), kind)
        .map_err(|(key, message)| invalid(path, &raw.id, key, message))?;
    let link_check = validate_link_check(raw.link_check, &url)
        .map_err(|(key, message)| invalid(path, &raw.id, key, message))?;
    Ok(SourceConfig {
        title: raw.title.unwrap_or_else(|| raw.id.clone()),
        id: raw.id,
        kind,
        url,
        enabled: raw.enabled.unwrap_or(true),
        format: options.format.clone(),
        schedule,
        options,
        link_check,
        config_file: path.to_path_buf(),
    })
}

fn validate_schedule(text: &str) -> Result<Schedule, String> {
    let fields = text.split_whitespace().count();
    let cron = match fields {
        5 => format!("0 {}", text.trim()),
        6 => text.trim().to_owned(),
        _ => {
            return Err(format!(
                "`{text}`: a cron expression has 5 fields (minute hour day month weekday) or 6 (with seconds first)"
            ))
        }
    };
    parse_cron(&cron).map_err(|error| format!("`{text}`: {error}"))?;
    Ok(Schedule { cron })
}

/// `value`, or `default` when absent; 0 is refused (`key`: must be at least 1).
pub(crate) fn positive(
    value: Option<u64>,
    default: u64,
    key: &'static str,
) -> Result<u64, (&'static str, String)> {
    match value {
        Some(0) => Err((key, "must be at least 1".to_owned())),
        Some(value) => Ok(value),
        None => Ok(default),
    }
}

fn validate_options(
    raw: RawOptions,
    top_level_format: Option<String>,
    kind: SourceKind,
) -> Result<SourceOptions, (&'static str, String)> {
    let format = match (top_level_format, raw.format.clone()) {
        (Some(_), Some(_)) => {
            return Err((
                "options.format",
                "given twice (also as `format`)".to_owned(),
            ))
        }
        (a, b) => a.or(b),
    };
    if let Some(format) = &format {
        if !format.contains('/') {
            return Err((
                "options.format",
                format!("`{format}` is not a media type (e.g. text/turtle)"),
            ));
        }
    }
    let auth = match (raw.auth_header.clone(), raw.auth_env.clone()) {
        (None, None) => None,
        (Some(header), Some(env_var)) => {
            let header_ok = !header.is_empty()
                && header
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !header_ok {
                return Err((
                    "options.auth_header",
                    format!("`{header}` is not a header name"),
                ));
            }
            Some(AuthHeader { header, env_var })
        }
        (Some(_), None) => {
            return Err((
                "options.auth_env",
                "missing: name the environment variable holding the header's value".to_owned(),
            ))
        }
        (None, Some(_)) => {
            return Err((
                "options.auth_header",
                "missing: name the header (e.g. Authorization)".to_owned(),
            ))
        }
    };
    if raw.query.is_some() && kind != SourceKind::Sparql {
        return Err((
            "options.query",
            "only sparql sources take a query".to_owned(),
        ));
    }
    let incremental_kinds = [
        SourceKind::Ckan,
        SourceKind::Csw,
        SourceKind::OaiPmh,
        SourceKind::OgcapiRecords,
    ];
    if raw.incremental.is_some() && !incremental_kinds.contains(&kind) {
        return Err((
            "options.incremental",
            "only ckan, csw, oai-pmh and ogcapi-records sources are incremental".to_owned(),
        ));
    }
    validate_incremental_parameter(raw.incremental_parameter.as_deref(), kind)?;
    let (constraint, output_schema) = validate_csw_options(
        raw.constraint.as_deref(),
        raw.output_schema.as_deref(),
        kind,
    )?;
    if raw.metadata_prefix.is_some() && kind != SourceKind::OaiPmh {
        return Err((
            "options.metadata_prefix",
            "only oai-pmh sources take a metadata prefix".to_owned(),
        ));
    }
    if let Some(prefix) = &raw.metadata_prefix {
        let prefix_ok = !prefix.is_empty()
            && prefix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.!~*'()".contains(c));
        if !prefix_ok {
            return Err((
                "options.metadata_prefix",
                format!("`{prefix}` is not an OAI-PMH metadata prefix"),
            ));
        }
    }
    Ok(SourceOptions {
        format,
        page_size: positive(raw.page_size, DEFAULT_PAGE_SIZE, "options.page_size")?,
        auth,
        max_pages: positive(raw.max_pages, DEFAULT_MAX_PAGES, "options.max_pages")?,
        max_bytes: positive(raw.max_bytes, DEFAULT_MAX_BYTES, "options.max_bytes")?,
        timeout: Duration::from_secs(positive(
            raw.timeout_seconds,
            DEFAULT_TIMEOUT_SECONDS,
            "options.timeout_seconds",
        )?),
        run_timeout: Duration::from_secs(positive(
            raw.run_timeout_seconds,
            DEFAULT_RUN_TIMEOUT_SECONDS,
            "options.run_timeout_seconds",
        )?),
        delay: Duration::from_millis(raw.delay_ms.unwrap_or(0)),
        query: raw.query,
        incremental: raw.incremental.unwrap_or(false),
        constraint,
        output_schema,
        metadata_prefix: raw.metadata_prefix,
        incremental_parameter: raw.incremental_parameter,
    })
}

fn resolve_url(text: &str, folder: &Path) -> Result<Url, String> {
    if let Ok(url) = Url::parse(text) {
        return match url.scheme() {
            "http" | "https" | "file" => Ok(url),
            other => Err(format!(
                "unsupported scheme `{other}` (use http, https or file)"
            )),
        };
    }
    let path = folder.join(text);
    let absolute = std::path::absolute(&path)
        .map_err(|e| format!("cannot resolve {}: {e}", path.display()))?;
    Url::from_file_path(&absolute).map_err(|()| format!("not a valid path: {}", absolute.display()))
}

/// OGC API Records: the query parameter of incremental runs, a plain parameter name.
fn validate_incremental_parameter(
    parameter: Option<&str>,
    kind: SourceKind,
) -> Result<(), (&'static str, String)> {
    let Some(parameter) = parameter else {
        return Ok(());
    };
    if kind != SourceKind::OgcapiRecords {
        return Err((
            "options.incremental_parameter",
            "only ogcapi-records sources take it".to_owned(),
        ));
    }
    let valid = !parameter.is_empty()
        && parameter
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.');
    if !valid {
        return Err((
            "options.incremental_parameter",
            format!("`{parameter}` is not a query parameter name"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        path
    }

    #[test]
    fn a_wrong_key_is_named_with_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(
            dir.path(),
            "bad.toml",
            "[[source]]\nid = \"a\"\nkind = \"dcat\"\nurl = \"x.ttl\"\nurll = \"y\"\n",
        );
        let message = load_harvest_file(&path).expect_err("must fail").to_string();
        assert!(message.contains("bad.toml"), "{message}");
        assert!(message.contains("urll"), "{message}");
    }

    #[test]
    fn invalid_values_name_source_and_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(
            dir.path(),
            "k.toml",
            "[[source]]\nid = \"a\"\nkind = \"gopher\"\nurl = \"x.ttl\"\n",
        );
        let message = load_harvest_file(&path).expect_err("must fail").to_string();
        assert!(
            message.contains("k.toml") && message.contains("`a`") && message.contains("kind"),
            "{message}"
        );
        let path = write(
            dir.path(),
            "i.toml",
            "[[source]]\nid = \"Bad Id\"\nkind = \"dcat\"\nurl = \"x.ttl\"\n",
        );
        let message = load_harvest_file(&path).expect_err("must fail").to_string();
        assert!(message.contains("id:"), "{message}");
    }

    #[test]
    fn options_and_schedule_are_validated_with_file_source_and_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(
            dir.path(),
            "ok.toml",
            "[[source]]\nid = \"c\"\nkind = \"ckan\"\nurl = \"https://ckan.example.org\"\nschedule = \"30 3 * * *\"\n\
             [source.options]\npage_size = 50\nauth_header = \"Authorization\"\nauth_env = \"CKAN_TOKEN\"\nincremental = true\ntimeout_seconds = 5\n",
        );
        let sources = load_harvest_file(&path).expect("loads");
        let source = &sources[0];
        assert_eq!(source.kind, SourceKind::Ckan);
        assert_eq!(source.options.page_size, 50);
        assert_eq!(source.options.timeout, Duration::from_secs(5));
        assert!(source.options.incremental);
        let schedule = source.schedule.as_ref().expect("schedule");
        assert_eq!(schedule.cron, "0 30 3 * * *");
        assert!(schedule.next_after(Utc::now()).is_some());
        for (text, key) in [
            ("schedule = \"every day\"\n", "schedule"),
            ("[source.options]\npage_size = 0\n", "options.page_size"),
            (
                "[source.options]\nauth_header = \"Authorization\"\n",
                "options.auth_env",
            ),
            (
                "[source.options]\nquery = \"CONSTRUCT {} WHERE {}\"\n",
                "options.query",
            ),
        ] {
            let path = write(
                dir.path(),
                "bad.toml",
                &format!("[[source]]\nid = \"d\"\nkind = \"dcat\"\nurl = \"x.ttl\"\n{text}"),
            );
            let message = load_harvest_file(&path).expect_err(key).to_string();
            assert!(
                message.contains("bad.toml") && message.contains("`d`") && message.contains(key),
                "{message}"
            );
        }
        let path = write(
            dir.path(),
            "unknown.toml",
            "[[source]]\nid = \"d\"\nkind = \"dcat\"\nurl = \"x.ttl\"\n[source.options]\nmax_byts = 3\n",
        );
        let message = load_harvest_file(&path).expect_err("unknown").to_string();
        assert!(
            message.contains("unknown.toml") && message.contains("max_byts"),
            "{message}"
        );
    }

    #[test]
    fn the_examples_of_every_kind_and_the_demo_load() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../harvest-config");
        let examples = load_harvest_dir(&root.join("examples")).expect("examples load");
        let kinds: Vec<SourceKind> = examples.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                SourceKind::Ckan,
                SourceKind::Csw,
                SourceKind::Dcat,
                SourceKind::Dsp,
                SourceKind::OaiPmh,
                SourceKind::OgcapiRecords,
                SourceKind::Peer,
                SourceKind::Sparql
            ]
        );
        assert!(examples.iter().all(|s| s.schedule.is_some()));
        let demo = load_harvest_dir(&root).expect("demo loads");
        assert!(
            demo.iter().all(|s| s.url.scheme() == "file"),
            "the demo stays offline"
        );
    }

    #[test]
    fn relative_paths_become_file_urls_and_ids_are_unique_across_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(
            dir.path(),
            "a.toml",
            "[[source]]\nid = \"a\"\nkind = \"dcat\"\nurl = \"data/a.ttl\"\n",
        );
        let sources = load_harvest_dir(dir.path()).expect("loads");
        assert_eq!(sources[0].url.scheme(), "file");
        assert!(sources[0].url.path().ends_with("/data/a.ttl"));
        assert!(sources[0].enabled);
        write(
            dir.path(),
            "b.toml",
            "[[source]]\nid = \"a\"\nkind = \"dcat\"\nurl = \"https://x.org/c.ttl\"\n",
        );
        let message = load_harvest_dir(dir.path())
            .expect_err("duplicate")
            .to_string();
        assert!(message.contains("already used"), "{message}");
    }
}
