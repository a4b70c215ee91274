//! What the last complete run of a DCAT source read, page by page: the SHA-256 of each
//! page's body, its next link, and the records it delivered. A page that comes back byte
//! for byte the same is not parsed again: its records count as delivered and unchanged.
//!
//! The memo is a file per source, `{data dir}/page-memo/{source id}.json`, written at the
//! end of a run that reached every page (success or partial). It is removed when a run
//! starts and written anew when it ends, so a run that stops half-way leaves none and the
//! next run parses everything: a memo never describes pages older than the store. It is
//! dropped when it was written by another version of ldtcat, for another URL or options, or
//! under other classification rules, since those change what a page's records are. Only
//! pages read without errors, drops or repairs are remembered, so that the next run reports
//! their problems again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use ldtcat_config::SourceConfig;
use ldtcat_harvest::KnownPage;
use serde::{Deserialize, Serialize};
use sha2::Digest as _;

/// One remembered page.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct MemoPage {
    /// SHA-256 of the body (hex).
    pub digest: String,
    /// The next link.
    pub next: Option<String>,
    /// The ids of the records it delivered.
    pub records: Vec<String>,
    /// Its statements.
    pub statements: u64,
}

/// The memo of one source.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PageMemo {
    /// What the memo is valid for (see [`fingerprint`]).
    pub fingerprint: String,
    /// Pages by URL.
    pub pages: HashMap<String, MemoPage>,
}

/// The version, the source's URL and options, and the classification rules.
pub fn fingerprint(source: &SourceConfig) -> String {
    let mut hasher = sha2::Sha256::new();
    hasher.update(env!("CARGO_PKG_VERSION"));
    hasher.update(source.url.as_str());
    hasher.update(format!("{:?}{:?}", source.kind, source.options));
    hasher.update(ldtcat_vocab::CLASSIFICATION_TURTLE);
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn path(data_dir: &Path, source_id: &str) -> PathBuf {
    data_dir.join("page-memo").join(format!("{source_id}.json"))
}

impl PageMemo {
    /// Takes the memo of `source` out of `data_dir` (the file is removed): empty when there
    /// is none, it cannot be read, or its fingerprint differs.
    pub fn take(data_dir: &Path, source: &SourceConfig) -> PageMemo {
        let file = path(data_dir, &source.id);
        let memo = std::fs::read(&file)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<PageMemo>(&bytes).ok());
        let _ = std::fs::remove_file(&file);
        let fingerprint = fingerprint(source);
        match memo {
            Some(memo) if memo.fingerprint == fingerprint => memo,
            _ => PageMemo {
                fingerprint,
                pages: HashMap::new(),
            },
        }
    }

    /// The pages as the pager needs them.
    pub fn known_pages(&self) -> HashMap<String, KnownPage> {
        self.pages
            .iter()
            .map(|(url, page)| {
                let known = KnownPage {
                    digest: page.digest.clone(),
                    next: page.next.clone(),
                };
                (url.clone(), known)
            })
            .collect()
    }

    /// Writes the memo of `source_id` into `data_dir` (atomically: a temporary file renamed).
    pub fn save(&self, data_dir: &Path, source_id: &str) -> Result<()> {
        let file = path(data_dir, source_id);
        let dir = file.parent().unwrap_or(data_dir);
        std::fs::create_dir_all(dir)?;
        let temporary = dir.join(format!(".{source_id}.json.tmp"));
        std::fs::write(&temporary, serde_json::to_vec(self)?)?;
        std::fs::rename(&temporary, &file)?;
        Ok(())
    }
}
