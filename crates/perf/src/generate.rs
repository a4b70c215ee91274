//! Synthetic DCAT-AP catalogues sized like real ones.
//!
//! Dataset `n` takes the shape of one dataset of a reference catalogue (the references in
//! turn, each dataset of a reference with equal chance, fixed by `n`): the same number of
//! statements in its record, the same number of distributions and its title languages. A
//! dataset has what DCAT-AP requires (type, identifier, titles, distributions with an access
//! URL), then optional parts in a fixed order (descriptions, theme, publisher, dates,
//! distribution formats, media types and licences, contact point, spatial and temporal
//! coverage) as long as they fit, and keywords for the rest, so that its record has exactly
//! the shape's number of statements (not counting the publisher's own description, which
//! every dataset of that publisher shares). Texts are multilingual (en, de, fr, nl) and vary with
//! `n`, so that searches select.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::shapes::{Reference, Shape};

/// The prefixes every page starts with.
pub const PREFIXES: &str = "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n\
@prefix dct: <http://purl.org/dc/terms/> .\n@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n\
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\
@prefix geo: <http://www.opengis.net/ont/geosparql#> .\n\n";

/// Subjects in en, de, fr, nl.
const SUBJECTS: [[&str; 4]; 10] = [
    [
        "Air quality",
        "Luftqualität",
        "Qualité de l'air",
        "Luchtkwaliteit",
    ],
    [
        "Parking occupancy",
        "Parkplatzbelegung",
        "Occupation des parkings",
        "Parkeerbezetting",
    ],
    [
        "Noise levels",
        "Lärmpegel",
        "Niveaux de bruit",
        "Geluidsniveaus",
    ],
    [
        "Solar production",
        "Solarproduktion",
        "Production solaire",
        "Zonne-energieproductie",
    ],
    [
        "Traffic counts",
        "Verkehrszählungen",
        "Comptages routiers",
        "Verkeerstellingen",
    ],
    [
        "Public lighting",
        "Öffentliche Beleuchtung",
        "Éclairage public",
        "Openbare verlichting",
    ],
    [
        "Green spaces",
        "Grünflächen",
        "Espaces verts",
        "Groene ruimten",
    ],
    [
        "Building footprints",
        "Gebäudegrundrisse",
        "Emprises des bâtiments",
        "Gebouwcontouren",
    ],
    [
        "Population by district",
        "Bevölkerung nach Bezirk",
        "Population par quartier",
        "Bevolking per wijk",
    ],
    [
        "Water consumption",
        "Wasserverbrauch",
        "Consommation d'eau",
        "Waterverbruik",
    ],
];
const LANGUAGES: [&str; 4] = ["en", "de", "fr", "nl"];
const CITIES: [(&str, f64, f64); 8] = [
    ("Antibes", 7.11, 43.58),
    ("Differdange", 5.89, 49.52),
    ("Perugia", 12.39, 43.11),
    ("Zürich", 8.54, 47.37),
    ("Antwerpen", 4.40, 51.22),
    ("Gent", 3.72, 51.05),
    ("Brussel", 4.35, 50.85),
    ("Luxembourg", 6.13, 49.61),
];
const THEMES: [&str; 8] = [
    "ENVI", "TRAN", "ENER", "REGI", "HEAL", "GOVE", "ECON", "SOCI",
];
const FORMATS: [(&str, &str); 5] = [
    ("CSV", "text/csv"),
    ("JSON", "application/json"),
    ("GEOJSON", "application/geo+json"),
    (
        "XLSX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("SHP", "application/zip"),
];
const KEYWORDS: [&str; 12] = [
    "sensor",
    "mobility",
    "energy",
    "open data",
    "statistics",
    "environment",
    "realtime",
    "district",
    "forecast",
    "3D",
    "inventory",
    "survey",
];

/// A well-mixed 64-bit hash of `n` (splitmix64).
fn mix(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The shapes datasets are drawn from.
#[derive(Debug, Clone)]
pub struct Generator {
    references: Vec<Reference>,
}

impl Generator {
    /// A generator over `references` (each must have at least one dataset).
    pub fn new(references: Vec<Reference>) -> Result<Self> {
        anyhow::ensure!(
            !references.is_empty() && references.iter().all(|r| !r.shapes.is_empty()),
            "every reference catalogue needs a dataset"
        );
        Ok(Self { references })
    }

    /// The shape of dataset `n`.
    pub fn shape(&self, n: usize) -> &Shape {
        let hash = mix(n as u64);
        let reference = &self.references[n % self.references.len()];
        &reference.shapes[(hash % reference.shapes.len() as u64) as usize]
    }

    /// The IRI of dataset `n`.
    pub fn iri(n: usize) -> String {
        format!("https://data.example.org/dataset/{n}")
    }

    /// Appends dataset `n` as Turtle.
    pub fn write_dataset(&self, out: &mut String, n: usize) {
        let shape = self.shape(n);
        let hash = mix(n as u64 ^ 0x5eed);
        let pick = |salt: u64, len: usize| (mix(hash ^ salt) % len as u64) as usize;
        let subject = SUBJECTS[pick(1, SUBJECTS.len())];
        let (city, lon, lat) = CITIES[pick(2, CITIES.len())];
        let base = Self::iri(n);
        let languages: Vec<Option<&str>> = if shape.languages.is_empty() {
            vec![None]
        } else {
            shape.languages.iter().map(|l| Some(l.as_str())).collect()
        };
        let text = |language: Option<&str>| {
            let index = language
                .and_then(|l| LANGUAGES.iter().position(|x| *x == l))
                .unwrap_or(3);
            subject[index]
        };
        let tag = |language: Option<&str>| language.map(|l| format!("@{l}")).unwrap_or_default();
        let d = shape.distributions;
        // Required: type, identifier, titles, distributions (link, type, access URL).
        let mut budget = shape.statements as i64 - (2 + languages.len() + 3 * d) as i64;
        let mut take = |cost: usize| {
            if budget >= cost as i64 {
                budget -= cost as i64;
                true
            } else {
                false
            }
        };
        let _ = write!(
            out,
            "<{base}> a dcat:Dataset ;\n  dct:identifier \"ds-{n}\""
        );
        for &language in &languages {
            let _ = write!(
                out,
                " ;\n  dct:title \"{} {city} #{n}\"{}",
                text(language),
                tag(language)
            );
        }
        if take(languages.len()) {
            for &language in &languages {
                let _ = write!(
                    out,
                    " ;\n  dct:description \"{} — {city}, dataset {n}, updated every day for the local digital twin.\"{}",
                    text(language),
                    tag(language)
                );
            }
        }
        if take(1) {
            let theme = THEMES[pick(3, THEMES.len())];
            let _ = write!(out, " ;\n  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/{theme}>");
        }
        let publisher = take(1).then_some(n % 97);
        if let Some(publisher) = publisher {
            let _ = write!(
                out,
                " ;\n  dct:publisher <https://data.example.org/org/{publisher}>"
            );
        }
        if take(1) {
            let _ = write!(
                out,
                " ;\n  dct:issued \"20{:02}-0{}-1{}\"^^xsd:date",
                15 + n % 10,
                1 + n % 9,
                n % 10
            );
        }
        if take(1) {
            let _ = write!(
                out,
                " ;\n  dct:modified \"2025-0{}-1{}T10:00:00Z\"^^xsd:dateTime",
                1 + n % 9,
                n % 10
            );
        }
        let formats = take(d);
        let media = take(d);
        let licences = take(d);
        if take(4) {
            let _ = write!(out, " ;\n  dcat:contactPoint [ a vcard:Kind ; vcard:fn \"Open data team {city}\" ; vcard:hasEmail <mailto:opendata{}@example.org> ]", n % 97);
        }
        if take(3) {
            let _ = write!(
                out,
                " ;\n  dct:spatial [ a dct:Location ; dcat:bbox \"POLYGON(({w:.2} {s:.2}, {e:.2} {s:.2}, {e:.2} {nn:.2}, {w:.2} {nn:.2}, {w:.2} {s:.2}))\"^^geo:wktLiteral ]",
                w = lon - 0.05, e = lon + 0.05, s = lat - 0.05, nn = lat + 0.05
            );
        }
        if take(4) {
            let _ = write!(out, " ;\n  dct:temporal [ a dct:PeriodOfTime ; dcat:startDate \"2020-01-01\"^^xsd:date ; dcat:endDate \"2025-12-31\"^^xsd:date ]");
        }
        let mut keyword = 0;
        while take(1) {
            let word = KEYWORDS[(pick(4, KEYWORDS.len()) + keyword) % KEYWORDS.len()];
            if keyword < KEYWORDS.len() {
                let _ = write!(out, " ;\n  dcat:keyword \"{word}\"@en");
            } else {
                let _ = write!(out, " ;\n  dcat:keyword \"{word} {keyword}\"@en");
            }
            keyword += 1;
        }
        for k in 1..=d {
            let _ = write!(out, " ;\n  dcat:distribution <{base}/d{k}>");
        }
        out.push_str(" .\n");
        for k in 1..=d {
            let (format, media_type) = FORMATS[pick(10 + k as u64, FORMATS.len())];
            let _ = write!(
                out,
                "<{base}/d{k}> a dcat:Distribution ; dcat:accessURL <{base}/download/{k}>"
            );
            if formats {
                let _ = write!(out, " ; dct:format <http://publications.europa.eu/resource/authority/file-type/{format}>");
            }
            if media {
                let _ = write!(
                    out,
                    " ; dcat:mediaType <http://www.iana.org/assignments/media-types/{media_type}>"
                );
            }
            if licences {
                let licence = if k % 2 == 1 { "CC_BY_4_0" } else { "CC0" };
                let _ = write!(out, " ; dct:license <http://publications.europa.eu/resource/authority/licence/{licence}>");
            }
            out.push_str(" .\n");
        }
        if let Some(publisher) = publisher {
            // One description per publisher, whichever dataset repeats it.
            let (home, _, _) = CITIES[publisher % CITIES.len()];
            let _ = writeln!(out, "<https://data.example.org/org/{publisher}> a foaf:Agent ; foaf:name \"City of {home} ({publisher})\" .");
        }
        out.push('\n');
    }

    /// Turtle for datasets `first..first + count`, with the prefixes.
    pub fn page_turtle(&self, first: usize, count: usize) -> String {
        let mut out = String::with_capacity(count * 3_000);
        out.push_str(PREFIXES);
        for n in first..first + count {
            self.write_dataset(&mut out, n);
        }
        out
    }

    /// Writes `n` datasets as page files of `page_size` in `dir` (`page-000001.ttl`, ...);
    /// returns their paths and total bytes.
    pub fn write_pages(
        &self,
        dir: &Path,
        n: usize,
        page_size: usize,
    ) -> Result<(Vec<PathBuf>, u64)> {
        std::fs::create_dir_all(dir)?;
        let mut paths = Vec::new();
        let mut bytes = 0;
        for (index, first) in (0..n).step_by(page_size).enumerate() {
            let count = page_size.min(n - first);
            let path = dir.join(page_file_name(index + 1));
            let turtle = self.page_turtle(first, count);
            let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
            file.write_all(turtle.as_bytes())?;
            file.flush()?;
            bytes += turtle.len() as u64;
            paths.push(path);
        }
        Ok((paths, bytes))
    }
}

/// The file name of page `number` (from 1).
pub fn page_file_name(number: usize) -> String {
    format!("page-{number:06}.ttl")
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::shapes::{dataset_shapes, quantile, reference_from_file};

    fn references() -> Vec<Reference> {
        let shared =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/catalogues");
        ["antwerpen-datatank-2015.ttl", "statbel-subset.ttl"]
            .iter()
            .map(|name| reference_from_file(&shared.join(name)).expect("reference"))
            .collect()
    }

    #[test]
    fn every_generated_dataset_has_exactly_its_reference_shape() {
        let references = references();
        assert!(references[0].shapes.len() > 300 && references[1].shapes.len() >= 10);
        let generator = Generator::new(references.clone()).expect("generator");
        let n = 4_000;
        let turtle = generator.page_turtle(0, n);
        let generated = dataset_shapes("generated.ttl", turtle.as_bytes()).expect("parses");
        assert_eq!(generated.len(), n);
        for (iri, shape) in &generated {
            let i: usize = iri
                .rsplit('/')
                .next()
                .and_then(|v| v.parse().ok())
                .expect("n");
            assert_eq!(shape, generator.shape(i), "dataset {i}");
        }
        // Half the datasets from each reference: the generated quantiles are those of the
        // equal mixture of the two references.
        let sizes: Vec<usize> = generated.iter().map(|(_, s)| s.statements).collect();
        let mixture: Vec<usize> = references
            .iter()
            .flat_map(|r| {
                let weight = 10_000 / r.shapes.len();
                r.shapes
                    .iter()
                    .flat_map(move |s| std::iter::repeat_n(s.statements, weight))
            })
            .collect();
        for p in [0.1, 0.25, 0.5, 0.75, 0.9] {
            let (a, b) = (quantile(&sizes, p), quantile(&mixture, p));
            assert!(
                a.abs_diff(b) <= 2,
                "quantile {p}: generated {a}, references {b}"
            );
        }
        assert!(
            generated.iter().any(|(_, s)| s.languages.len() >= 3),
            "multilingual datasets"
        );
    }
}
