//! `ldtcat quality [source]`: a source's metadata-quality report as text, from the index
//! (`ldtcat_index::CatalogIndex::quality_report`; `/api/quality?source=` serves the same).

use std::fmt::Write;

use ldtcat_index::QualityReport;

/// The report as a person reads it in a terminal.
pub fn render_report(source: Option<&str>, report: &QualityReport) -> String {
    let mut text = String::new();
    let scope = source.map_or_else(|| "the catalogue".to_owned(), |s| format!("source {s}"));
    if report.records == 0 {
        let _ = writeln!(text, "no record of {scope} is catalogued");
        return text;
    }
    let _ = writeln!(
        text,
        "metadata quality of {scope}: {} record(s), {} scored (each record's measured points scaled to the MQA's 405; shapes {})",
        report.records,
        report.scored,
        ldtcat_quality::shapes_version()
    );
    if let Some(mean) = report.mean {
        let _ = writeln!(text, "mean score: {mean:.1} / 405");
    }
    let _ = writeln!(text, "\nby rating:");
    for (rating, count) in &report.ratings {
        let _ = writeln!(text, "  {rating:<10} {count:>8}");
    }
    let _ = writeln!(text, "\ndistribution of scores:");
    let widest = report
        .distribution
        .iter()
        .map(|(_, _, c)| *c)
        .max()
        .unwrap_or(0)
        .max(1);
    for (from, to, count) in &report.distribution {
        let bar = "#".repeat(count * 40 / widest);
        let _ = writeln!(text, "  {from:>3}–{to:<3} {count:>8} {bar}");
    }
    let _ = writeln!(text, "\nmost frequent findings (records):");
    if report.findings.is_empty() {
        let _ = writeln!(text, "  none");
    }
    for finding in report.findings.iter().take(20) {
        let _ = writeln!(text, "  {:>8}  {}", finding.count, finding.value);
    }
    text
}

/// The source's quality at the end of a harvest run, for its trend across runs; `None` when
/// nothing of it is scored (quality not assessed, or no record).
pub fn run_quality(report: &QualityReport) -> Option<ldtcat_store::RunQuality> {
    let mean = report.mean?;
    let mut ratings = [0; 4];
    for (slot, (_, count)) in ratings.iter_mut().zip(&report.ratings) {
        *slot = *count as u64;
    }
    Some(ldtcat_store::RunQuality {
        scored: report.scored as u64,
        mean,
        ratings,
    })
}
