//! Test fixtures: record summaries in several languages and kinds, and in-RAM indexes of
//! them.

use chrono::{DateTime, TimeZone, Utc};
use ldtcat_model::summary::{BoundingBox, LangString, RecordSummary};
use ldtcat_vocab::Kind;

use crate::{CatalogIndex, SearchRequest};

pub(crate) const ENVIRONMENT: &str =
    "http://publications.europa.eu/resource/authority/data-theme/ENVI";
pub(crate) const TRANSPORT: &str =
    "http://publications.europa.eu/resource/authority/data-theme/TRAN";
pub(crate) const BUILDINGS: &str = "http://inspire.ec.europa.eu/theme/bu";
pub(crate) const RISK_ZONES: &str = "http://inspire.ec.europa.eu/theme/nz";
pub(crate) const CC_BY: &str = "http://creativecommons.org/licenses/by/4.0/";
pub(crate) const CC0: &str = "http://creativecommons.org/publicdomain/zero/1.0/";

/// A text in a language (`None`: untagged).
pub(crate) fn text(lang: Option<&str>, value: &str) -> LangString {
    LangString {
        value: value.to_owned(),
        lang: lang.map(str::to_owned),
    }
}

/// A dataset with an English title `Record {id}` and nothing else.
pub(crate) fn record(id: &str) -> RecordSummary {
    RecordSummary {
        id: id.to_owned(),
        iri: format!("https://example.org/resource/{id}"),
        identifiers: Vec::new(),
        kind: Kind::Dataset,
        titles: vec![text(Some("en"), &format!("Record {id}"))],
        descriptions: Vec::new(),
        keywords: Vec::new(),
        themes: Vec::new(),
        publishers: Vec::new(),
        formats: Vec::new(),
        licences: Vec::new(),
        sources: Vec::new(),
        bbox: None,
        temporal: None,
        modified: None,
        changed: None,
        requirements: Vec::new(),
        offers: Vec::new(),
        labels: Vec::new(),
        quality: None,
    }
}

/// Midnight UTC of a day.
pub(crate) fn day(year: i32, month: u32, day: u32) -> Option<DateTime<Utc>> {
    Utc.with_ymd_and_hms(year, month, day, 0, 0, 0).single()
}

fn bbox(west: f64, south: f64, east: f64, north: f64) -> Option<BoundingBox> {
    Some(BoundingBox {
        west,
        south,
        east,
        north,
    })
}

fn owned(values: &[&str]) -> Vec<String> {
    values.iter().map(|value| (*value).to_owned()).collect()
}

/// One fixture record; `facets` are themes, publisher, formats, licence, source.
#[allow(clippy::too_many_arguments)]
fn fixture_record(
    id: &str,
    kind: Kind,
    titles: Vec<LangString>,
    themes: &[&str],
    publisher: &str,
    formats: &[&str],
    licence: Option<&str>,
    source: &str,
) -> RecordSummary {
    RecordSummary {
        kind,
        titles,
        themes: owned(themes),
        publishers: owned(&[publisher]),
        formats: owned(formats),
        licences: licence
            // As `summarize` gives it: one value per licence.
            .map(|licence| vec![ldtcat_model::extract::licence_facet_value(licence)])
            .unwrap_or_default(),
        sources: owned(&[source]),
        ..record(id)
    }
}

/// Ten records: four datasets, two models, one of each other kind; titles in English,
/// German (`de-ch`), French, Dutch, Italian, Spanish, Portuguese, Swedish, Polish and
/// untagged. Expected facet counts are spelled out in the tests.
pub(crate) fn fixture() -> Vec<RecordSummary> {
    let en = Some("en");
    vec![
        RecordSummary {
            descriptions: vec![text(en, "Hourly readings of indoor sensors.")],
            bbox: bbox(5.0, 52.0, 5.2, 52.2),
            modified: day(2024, 3, 1),
            ..fixture_record(
                "r01",
                Kind::Dataset,
                vec![text(en, "Air quality measurements in buildings")],
                &[ENVIRONMENT],
                "City of Utrecht",
                &["CSV"],
                Some(CC_BY),
                "utrecht",
            )
        },
        RecordSummary {
            descriptions: vec![text(Some("de-ch"), "Zählstellen an Hauptstrassen.")],
            bbox: bbox(8.4, 47.3, 8.6, 47.4),
            modified: day(2024, 5, 10),
            ..fixture_record(
                "r02",
                Kind::Dataset,
                vec![text(Some("de-ch"), "Messungen des Verkehrs in Zürich")],
                &[TRANSPORT],
                "Stadt Zürich",
                &["CSV", "JSON"],
                Some(CC0),
                "zurich",
            )
        },
        RecordSummary {
            bbox: bbox(2.2, 48.8, 2.5, 48.9),
            modified: day(2023, 11, 20),
            ..fixture_record(
                "r03",
                Kind::Model,
                vec![text(Some("fr"), "Modèle des capteurs de bruit")],
                &[ENVIRONMENT],
                "Ville de Paris",
                &["ONNX"],
                Some(CC_BY),
                "paris",
            )
        },
        RecordSummary {
            modified: day(2022, 1, 1),
            ..fixture_record(
                "r04",
                Kind::Service,
                vec![
                    text(en, "Building footprints WFS"),
                    text(Some("nl"), "Gebouwen en hun contouren"),
                ],
                &[ENVIRONMENT, BUILDINGS],
                "City of Utrecht",
                &["WFS"],
                Some(CC_BY),
                "utrecht",
            )
        },
        RecordSummary {
            bbox: bbox(3.3, 50.7, 7.2, 53.6),
            ..fixture_record(
                "r05",
                Kind::Workflow,
                vec![text(None, "Flood scenario template")],
                &[RISK_ZONES],
                "Rijkswaterstaat",
                &[],
                None,
                "national",
            )
        },
        RecordSummary {
            bbox: bbox(9.0, 45.4, 9.3, 45.5),
            modified: day(2024, 1, 15),
            ..fixture_record(
                "r06",
                Kind::Visualisation,
                vec![text(Some("it"), "Mappe della qualità dell'aria")],
                &[ENVIRONMENT],
                "Comune di Milano",
                &["3D Tiles"],
                Some(CC_BY),
                "milano",
            )
        },
        RecordSummary {
            bbox: bbox(-3.8, 40.3, -3.6, 40.5),
            modified: day(2024, 6, 1),
            ..fixture_record(
                "r07",
                Kind::Output,
                vec![text(Some("es"), "Predicciones de tráfico")],
                &[TRANSPORT],
                "Ayuntamiento de Madrid",
                &["CSV"],
                Some(CC0),
                "madrid",
            )
        },
        RecordSummary {
            bbox: bbox(-9.2, 38.7, -9.1, 38.8),
            modified: day(2021, 7, 7),
            ..fixture_record(
                "r08",
                Kind::Dataset,
                vec![text(Some("pt"), "Sensores urbanos")],
                &[ENVIRONMENT, TRANSPORT],
                "Câmara Municipal de Lisboa",
                &["JSON"],
                Some(CC_BY),
                "lisboa",
            )
        },
        RecordSummary {
            keywords: vec![text(en, "air")],
            bbox: bbox(17.9, 59.2, 18.2, 59.4),
            modified: day(2020, 2, 2),
            ..fixture_record(
                "r09",
                Kind::Dataset,
                vec![text(Some("sv"), "Luftkvalitet i Stockholm")],
                &[],
                "Stockholms stad",
                &["CSV"],
                Some(CC0),
                "stockholm",
            )
        },
        RecordSummary {
            keywords: vec![text(Some("de"), "Verkehr")],
            bbox: bbox(19.8, 50.0, 20.1, 50.1),
            modified: day(2023, 3, 3),
            ..fixture_record(
                "r10",
                Kind::Model,
                vec![text(Some("pl"), "Model ruchu drogowego")],
                &[TRANSPORT],
                "Miasto Kraków",
                &[],
                None,
                "krakow",
            )
        },
    ]
}

/// An in-RAM index holding `records`, committed in one batch.
pub(crate) fn index_of(records: &[RecordSummary]) -> anyhow::Result<CatalogIndex> {
    let catalog = CatalogIndex::open_in_ram()?;
    let mut batch = catalog.batch()?;
    for record in records {
        batch.upsert(record)?;
    }
    batch.commit()?;
    Ok(catalog)
}

/// The ids of a request's hits, sorted; checks that `total` counts them all.
pub(crate) fn sorted_ids(
    catalog: &CatalogIndex,
    request: &SearchRequest,
) -> anyhow::Result<Vec<String>> {
    let results = catalog.search(request)?;
    let mut ids: Vec<String> = results.hits.into_iter().map(|hit| hit.id).collect();
    assert_eq!(results.total, ids.len(), "all matches fit on the page");
    ids.sort();
    Ok(ids)
}

/// The ids of all matches of a query text, sorted.
pub(crate) fn matching(catalog: &CatalogIndex, text: &str) -> anyhow::Result<Vec<String>> {
    let request = SearchRequest {
        text: text.to_owned(),
        limit: 100,
        ..SearchRequest::default()
    };
    sorted_ids(catalog, &request)
}
