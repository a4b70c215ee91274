//! Harvest sources (`harvest-config/*.toml`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use url::Url;

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
}

/// The kinds of source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// An RDF document (DCAT-AP in any RDF syntax), by file or URL.
    Dcat,
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
    /// A media type overriding detection.
    pub format: Option<String>,
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
        other => {
            return Err(invalid(
                path,
                &raw.id,
                "kind",
                format!("unknown kind `{other}` (supported: dcat)"),
            ));
        }
    };
    let url =
        resolve_url(&raw.url, folder).map_err(|message| invalid(path, &raw.id, "url", message))?;
    Ok(SourceConfig {
        title: raw.title.unwrap_or_else(|| raw.id.clone()),
        id: raw.id,
        kind,
        url,
        enabled: raw.enabled.unwrap_or(true),
        format: raw.format,
        config_file: path.to_path_buf(),
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
