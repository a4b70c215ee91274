//! `ldtcat import`: files and folders of RDF documents into the catalogue.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use ldtcat_model::format::{detect_format, format_for_media_type, format_for_name};
use ldtcat_model::{ModelError, RdfDocument};
use url::Url;

use crate::catalog::Catalog;
use crate::pipeline::{import_document, DocumentReport};

/// What a whole import did, over all its documents.
#[derive(Debug, Clone, Default)]
pub struct ImportSummary {
    /// Documents imported.
    pub documents: u64,
    /// Per-document reports, summed.
    pub totals: DocumentReport,
    /// Documents that failed as a whole: (path, error).
    pub failed: Vec<(String, String)>,
}

impl ImportSummary {
    /// Adds one document's report.
    pub fn add(&mut self, report: &DocumentReport) {
        self.documents += 1;
        let t = &mut self.totals;
        t.records += report.records;
        t.added += report.added;
        t.updated += report.updated;
        t.unchanged += report.unchanged;
        t.errored += report.errored;
        t.errors.extend(report.errors.iter().cloned());
        t.parse.statements += report.parse.statements;
        t.parse.repaired += report.parse.repaired;
        t.parse.dropped += report.parse.dropped;
        t.parse
            .examples
            .extend(report.parse.examples.iter().take(20).cloned());
    }

    /// Adds another summary.
    pub fn merge(&mut self, other: ImportSummary) {
        let documents = self.documents + other.documents;
        self.add(&other.totals);
        self.documents = documents;
        self.failed.extend(other.failed);
    }

    /// A human summary, several lines.
    pub fn render(&self) -> String {
        let t = &self.totals;
        let mut out = format!(
            "{} document(s), {} record(s): {} added, {} updated, {} unchanged, {} errored\n\
             {} statement(s) read, {} repaired, {} dropped\n",
            self.documents,
            t.records,
            t.added,
            t.updated,
            t.unchanged,
            t.errored,
            t.parse.statements,
            t.parse.repaired,
            t.parse.dropped
        );
        for example in &t.parse.examples {
            out.push_str(&format!("  {example}\n"));
        }
        for error in &t.errors {
            out.push_str(&format!("  error: {error}\n"));
        }
        for (path, error) in &self.failed {
            out.push_str(&format!("failed: {path}: {error}\n"));
        }
        out
    }
}

/// The RDF documents below `paths`: files as given, folders recursively (files with a known
/// RDF extension only), in name order.
pub fn collect_documents(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let metadata =
            std::fs::metadata(path).with_context(|| format!("{}: cannot read", path.display()))?;
        if metadata.is_dir() {
            collect_folder(path, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn collect_folder(folder: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)
        .with_context(|| format!("{}: cannot list", folder.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect_folder(&entry, files)?;
        } else if format_for_name(&entry.to_string_lossy()).is_some() {
            files.push(entry);
        }
    }
    Ok(())
}

/// A file as a re-readable document; the base IRI is its `file:` URL unless one is given.
pub fn file_document<'a>(
    path: &'a Path,
    media_type: Option<&str>,
    base_iri: Option<&str>,
) -> Result<RdfDocument<'a>, ModelError> {
    let name = path.display().to_string();
    let io_error = |source| ModelError::Io {
        document: name.clone(),
        source,
    };
    let mut head = [0u8; 512];
    let read = File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map_err(io_error)?;
    let format = match media_type {
        Some(media_type) => format_for_media_type(media_type),
        None => detect_format(None, &name, &head[..read]),
    }
    .ok_or_else(|| ModelError::UnknownFormat {
        document: name.clone(),
        media_type: media_type.map(str::to_owned),
    })?;
    let base = match base_iri {
        Some(base) => Some(base.to_owned()),
        None => std::path::absolute(path)
            .ok()
            .and_then(|absolute| Url::from_file_path(absolute).ok())
            .map(String::from),
    };
    Ok(RdfDocument::new(name, base, format, move || {
        Ok(Box::new(BufReader::with_capacity(256 * 1024, File::open(path)?)) as Box<dyn Read>)
    }))
}

/// Imports files for one source; a document that fails is reported and the others go on.
pub fn import_files(
    catalog: &Catalog,
    files: &[PathBuf],
    source_id: &str,
    media_type: Option<&str>,
    base_iri: Option<&str>,
    on_progress: &dyn Fn(u64),
) -> Result<ImportSummary> {
    let mut summary = ImportSummary::default();
    for file in files {
        let result = file_document(file, media_type, base_iri)
            .map_err(anyhow::Error::from)
            .and_then(|document| import_document(catalog, &document, source_id, on_progress));
        match result {
            Ok(report) => summary.add(&report),
            Err(error) => summary
                .failed
                .push((file.display().to_string(), format!("{error:#}"))),
        }
    }
    Ok(summary)
}
