//! Synthetic DCAT-AP catalogues for tests and benchmarks: realistic, multilingual, about 30
//! statements per dataset, deterministic for a given seed.

use std::fmt::Write as _;

const THEMES: [&str; 8] = [
    "ENVI", "TRAN", "ENER", "REGI", "HEAL", "GOVE", "ECON", "TECH",
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
const SUBJECTS: [(&str, &str, &str, &str); 8] = [
    (
        "Air quality measurements",
        "Luftqualitätsmessungen",
        "Mesures de la qualité de l'air",
        "Luchtkwaliteitsmetingen",
    ),
    (
        "Parking occupancy",
        "Parkplatzbelegung",
        "Occupation des parkings",
        "Parkeerbezetting",
    ),
    (
        "Noise levels",
        "Lärmpegel",
        "Niveaux de bruit",
        "Geluidsniveaus",
    ),
    (
        "Photovoltaic production",
        "Photovoltaikproduktion",
        "Production photovoltaïque",
        "Zonne-energieproductie",
    ),
    (
        "Traffic counts",
        "Verkehrszählungen",
        "Comptages routiers",
        "Verkeerstellingen",
    ),
    (
        "Public lighting",
        "Öffentliche Beleuchtung",
        "Éclairage public",
        "Openbare verlichting",
    ),
    (
        "Green spaces",
        "Grünflächen",
        "Espaces verts",
        "Groene ruimten",
    ),
    (
        "Building footprints",
        "Gebäudegrundrisse",
        "Emprises des bâtiments",
        "Gebouwcontouren",
    ),
];
const CITIES: [(&str, f64, f64); 6] = [
    ("Antibes", 7.11, 43.58),
    ("Differdange", 5.89, 49.52),
    ("Perugia", 12.39, 43.11),
    ("Zürich", 8.54, 47.37),
    ("Antwerpen", 4.40, 51.22),
    ("Gent", 3.72, 51.05),
];

fn pick<T: Copy>(items: &[T], n: usize, salt: usize) -> T {
    items[(n.wrapping_mul(2_654_435_761).wrapping_add(salt * 40_503)) % items.len()]
}

/// Turtle for datasets `first..first + count` of a synthetic catalogue, each with two
/// distributions, a publisher, a contact point, a bounding box and a period of time.
/// `revision` changes every title, to simulate updates.
pub fn synthetic_turtle(first: usize, count: usize, revision: u32) -> String {
    let mut out = String::with_capacity(count * 3_000);
    out.push_str(PREFIXES);
    for n in first..first + count {
        write_dataset(&mut out, n, revision);
    }
    out
}

/// Page `page` (from 1) of a synthetic catalogue of `total` datasets, `page_size` per page, as
/// a Turtle Hydra page with its `hydra:next` link (`base` is the address of the server that
/// serves it as `{base}/catalog?page=N`): what the harvest benchmarks and tests serve.
pub fn synthetic_hydra_page(base: &str, total: usize, page_size: usize, page: usize) -> Vec<u8> {
    let first = (page - 1) * page_size;
    let count = page_size.min(total.saturating_sub(first));
    let mut turtle = synthetic_turtle(first, count, 0);
    turtle.push_str(&format!(
        "<{base}/catalog?page={page}> a <http://www.w3.org/ns/hydra/core#PartialCollectionView>"
    ));
    if first + count < total {
        turtle.push_str(&format!(
            " ; <http://www.w3.org/ns/hydra/core#next> <{base}/catalog?page={}>",
            page + 1
        ));
    }
    turtle.push_str(" .\n");
    turtle.into_bytes()
}

/// Writes the same Turtle as [`synthetic_turtle`] to `writer`, a thousand datasets at a time,
/// so that generating a large file needs no more than a few megabytes.
pub fn write_synthetic_turtle(
    writer: &mut impl std::io::Write,
    first: usize,
    count: usize,
    revision: u32,
) -> std::io::Result<()> {
    writer.write_all(PREFIXES.as_bytes())?;
    let mut chunk = String::with_capacity(1_000 * 3_000);
    for n in first..first + count {
        write_dataset(&mut chunk, n, revision);
        if chunk.len() > 2_000_000 {
            writer.write_all(chunk.as_bytes())?;
            chunk.clear();
        }
    }
    writer.write_all(chunk.as_bytes())
}

const PREFIXES: &str = "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n\
     @prefix foaf: <http://xmlns.com/foaf/0.1/> .\n@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .\n\
     @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n@prefix geo: <http://www.opengis.net/ont/geosparql#> .\n\n";

fn write_dataset(out: &mut String, n: usize, revision: u32) {
    let (en, de, fr, nl) = pick(&SUBJECTS, n, 1);
    let (city, lon, lat) = pick(&CITIES, n, 2);
    let theme = pick(&THEMES, n, 3);
    let (format_a, media_a) = pick(&FORMATS, n, 4);
    let (format_b, media_b) = pick(&FORMATS, n, 5);
    let revision_note = if revision == 0 {
        String::new()
    } else {
        format!(" (revision {revision})")
    };
    let base = format!("https://data.example.org/dataset/{n}");
    let _ = write!(
        out,
        "<{base}> a dcat:Dataset ;\n  dct:identifier \"ds-{n}\" ;\n  dct:title \"{en} {city} #{n}{revision_note}\"@en , \"{de} {city} #{n}\"@de , \"{fr} {city} #{n}\"@fr , \"{nl} {city} #{n}\"@nl ;\n  \
         dct:description \"{en} collected by sensors of the city of {city}, published every day for the local digital twin.\"@en , \"{fr} collectées par les capteurs de la ville de {city}.\"@fr ;\n  \
         dcat:keyword \"{en}\"@en , \"{city}\" , \"sensor\"@en , \"capteur\"@fr ;\n  \
         dcat:theme <http://publications.europa.eu/resource/authority/data-theme/{theme}> ;\n  \
         dct:publisher <https://data.example.org/org/{publisher}> ;\n  \
         dcat:contactPoint [ a vcard:Kind ; vcard:fn \"Open data team {city}\" ; vcard:hasEmail <mailto:opendata{publisher}@example.org> ] ;\n  \
         dct:spatial [ a dct:Location ; dcat:bbox \"POLYGON(({w} {s}, {e} {s}, {e} {nn}, {w} {nn}, {w} {s}))\"^^geo:wktLiteral ] ;\n  \
         dct:temporal [ a dct:PeriodOfTime ; dcat:startDate \"2020-01-01\"^^xsd:date ; dcat:endDate \"2025-12-31\"^^xsd:date ] ;\n  \
         dct:issued \"2021-03-0{day}\"^^xsd:date ;\n  dct:modified \"2024-0{month}-1{day}T10:00:00Z\"^^xsd:dateTime ;\n  \
         dcat:distribution <{base}/d1> , <{base}/d2> .\n\
         <{base}/d1> a dcat:Distribution ; dcat:accessURL <{base}/download.{ext_a}> ; dct:format <http://publications.europa.eu/resource/authority/file-type/{format_a}> ; dcat:mediaType <http://www.iana.org/assignments/media-types/{media_a}> ; dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> .\n\
         <{base}/d2> a dcat:Distribution ; dcat:accessURL <{base}/api> ; dct:format <http://publications.europa.eu/resource/authority/file-type/{format_b}> ; dcat:mediaType <http://www.iana.org/assignments/media-types/{media_b}> ; dct:license <http://publications.europa.eu/resource/authority/licence/CC0> .\n\
         <https://data.example.org/org/{publisher}> a foaf:Agent ; foaf:name \"City of {city}\" .\n\n",
        publisher = n % 50,
        w = lon - 0.05,
        e = lon + 0.05,
        s = lat - 0.05,
        nn = lat + 0.05,
        day = 1 + n % 9,
        month = 1 + n % 9,
        ext_a = format_a.to_ascii_lowercase(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_turtle_is_deterministic_and_revision_changes_titles() {
        assert_eq!(synthetic_turtle(0, 3, 0), synthetic_turtle(0, 3, 0));
        assert_ne!(synthetic_turtle(0, 3, 0), synthetic_turtle(0, 3, 1));
        assert_eq!(
            synthetic_turtle(5, 2, 0).matches("a dcat:Dataset").count(),
            2
        );
        let mut streamed = Vec::new();
        write_synthetic_turtle(&mut streamed, 0, 2_500, 1).expect("in memory");
        assert_eq!(
            String::from_utf8(streamed).expect("utf-8"),
            synthetic_turtle(0, 2_500, 1)
        );
    }
}
