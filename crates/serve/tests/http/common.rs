//! Fixtures: a small catalogue (parsed from Turtle, written to an in-memory store, indexed in
//! RAM), and a helper that sends one request through the router.

use std::sync::Arc;

use anyhow::Context;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use chrono::{TimeZone, Utc};
use http_body_util::BodyExt;
use ldtcat_index::CatalogIndex;
use ldtcat_model::extract::{summarize, RecordFacts};
use ldtcat_model::{record_id, split_records, RdfDocument, Record, RecordBuilder};
use ldtcat_serve::{router, AppState, SiteSettings};
use ldtcat_store::{CatalogStore, RecordWrite};
use ldtcat_vocab::RuleSet;
use oxigraph::io::RdfFormat;
use tower::ServiceExt;

pub const SOURCE_ID: &str = "antibes-open-data";
pub const SOURCE_URL: &str = "https://data.example.org/catalogue.ttl";
pub const AIR_IRI: &str = "https://data.example.org/dataset/air-quality-school";
pub const ICONE_IRI: &str = "https://data.example.org/model/icone";
pub const BROKER_IRI: &str = "https://data.example.org/service/stellio";
pub const EVIL_IRI: &str = "https://data.example.org/dataset/evil";
pub const GONE_IRI: &str = "https://data.example.org/dataset/old-parking";
pub const EVIL_TITLE: &str = "<script>alert(1)</script>";
pub const ENVI: &str = "http://publications.europa.eu/resource/authority/data-theme/ENVI";
pub const TRAN: &str = "http://publications.europa.eu/resource/authority/data-theme/TRAN";
/// How many "Traffic counts" datasets the fixture has, for paging.
pub const N_TRAFFIC: usize = 25;

const PREFIXES: &str = r#"
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix it6: <http://data.europa.eu/it6/> .
@prefix locn: <http://www.w3.org/ns/locn#> .
"#;

const CATALOGUE: &str = r#"
<https://data.example.org/dataset/air-quality-school> a dcat:Dataset ;
    dct:title "CO2 and temperature in a school"@en , "CO2 et température dans une école"@fr ;
    dct:description "Readings of 30 LoRaWAN sensors, every 10 minutes."@en ;
    dct:identifier "urn:antibes:air:1" ;
    dcat:keyword "air quality"@en ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
    dct:publisher <https://data.example.org/org/antibes> ;
    dct:license <http://creativecommons.org/licenses/by/4.0/> ;
    dct:modified "2024-05-01T10:00:00Z"^^xsd:dateTime ;
    dct:spatial [ dcat:bbox "POLYGON((7.08 43.55, 7.14 43.55, 7.14 43.60, 7.08 43.60, 7.08 43.55))" ] ;
    dct:temporal [ dcat:startDate "2023-09-01"^^xsd:date ] ;
    dcat:distribution [
        a dcat:Distribution ;
        dct:title "Readings as CSV"@en ;
        dcat:downloadURL <https://data.example.org/files/air.csv> ;
        dcat:accessURL <https://data.example.org/api/air> ;
        dcat:mediaType <http://www.iana.org/assignments/media-types/text/csv>
    ] , [
        a dcat:Distribution ;
        dcat:accessURL <javascript:alert(2)> ;
        dct:format "NGSI-LD"
    ] .

<https://data.example.org/org/antibes> a foaf:Agent ; foaf:name "Ville d'Antibes" .

<https://data.example.org/model/icone> a it6:MachineLearningModel ;
    dct:title "ICONE air-confinement index"@en ;
    dct:description "Computes the ICONE index from 10-minute CO2 readings over a school week."@en ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
    dct:publisher <https://data.example.org/org/antibes> ;
    dct:modified "2024-03-01"^^xsd:date .

<https://data.example.org/service/stellio> a dcat:DataService ;
    dct:title "Stellio NGSI-LD context broker"@en ;
    dcat:endpointURL <https://broker.example.org/ngsi-ld/v1> ;
    dct:modified "2023-01-15"^^xsd:date .

<https://data.example.org/dataset/evil> a dcat:Dataset ;
    dct:title "<script>alert(1)</script>" ;
    dct:description "Harvested <b>markup</b> & \"quotes\"" ;
    dcat:landingPage <javascript:alert(3)> ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/TRAN> ;
    dct:modified "2022-01-01"^^xsd:date .

<https://data.example.org/dataset/old-parking> a dcat:Dataset ;
    dct:title "Old parking occupancy"@en .
"#;

fn traffic_datasets() -> String {
    (1..=N_TRAFFIC)
        .map(|n| {
            format!(
                "<https://data.example.org/dataset/traffic-{n:02}> a dcat:Dataset ;\n  \
                 dct:title \"Traffic counts {n:02}\"@en ;\n  \
                 dcat:theme <{TRAN}> ;\n  \
                 dct:modified \"2021-01-{n:02}\"^^xsd:date .\n"
            )
        })
        .collect()
}

/// A catalogue and the state serving it.
pub struct Fixture {
    pub state: AppState,
}

impl Fixture {
    /// The fixture catalogue; the "old parking" record is a tombstone.
    pub fn new() -> anyhow::Result<Fixture> {
        let turtle = format!("{PREFIXES}{CATALOGUE}{}", traffic_datasets());
        let fixture = Fixture::from_sources(&[(SOURCE_ID, SOURCE_URL, turtle)])?;
        // The source stopped delivering "old parking": a tombstone, as a harvest makes it.
        let now = fixture_time()?;
        fixture
            .state
            .store
            .withdraw_source(&[record_id(GONE_IRI)], SOURCE_ID, now)?;
        Ok(fixture)
    }

    /// The portal-shaped exports of `tests/fixtures/portals/` (an Opendatasoft export with
    /// HTML descriptions and a theme scheme, a CKAN export with Markdown and multilingual
    /// records), each as its own source.
    pub fn portals() -> anyhow::Result<Fixture> {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/portals");
        let read = |name: &str| {
            std::fs::read_to_string(format!("{folder}/{name}"))
                .with_context(|| format!("read {folder}/{name}"))
        };
        Fixture::from_sources(&[
            (
                "opendatasoft",
                "https://public.opendatasoft.com/api/explore/v2.1/catalog/exports/dcat",
                read("opendatasoft-export.ttl")?,
            ),
            (
                "ckan",
                "https://ckan.example.org/catalog.ttl",
                read("ckan-portal.ttl")?,
            ),
        ])
    }

    /// A catalogue of Turtle documents, one per `(source id, source URL, Turtle)`.
    pub fn from_sources(sources: &[(&str, &str, String)]) -> anyhow::Result<Fixture> {
        let rules = RuleSet::builtin().context("builtin rules")?;
        let store = CatalogStore::open_in_memory()?;
        let index = Arc::new(CatalogIndex::open_in_ram()?);
        let now = fixture_time()?;
        for (source_id, source_url, turtle) in sources {
            let document =
                RdfDocument::from_slice("fixture.ttl", None, RdfFormat::Turtle, turtle.as_bytes());
            let mut builder = RecordBuilder::new(&rules, source_id);
            let mut records: Vec<Record> = Vec::new();
            split_records(&document, &rules, |raw| {
                records.push(builder.build(raw));
                Ok(())
            })
            .context("split the fixture")?;
            let writes: Vec<RecordWrite<'_>> = records
                .iter()
                .map(|record| RecordWrite {
                    record,
                    source_id,
                    source_url,
                    origin: None,
                    participant: None,
                })
                .collect();
            store.write_records(&writes, now)?;
            let mut batch = index.batch()?;
            let source_ids = vec![(*source_id).to_owned()];
            for record in records.iter().filter(|record| record.iri != GONE_IRI) {
                let facts = RecordFacts {
                    id: &record.id,
                    iri: &record.iri,
                    kind: record.kind,
                    sources: &source_ids,
                    corrections: &record.corrections,
                    repairs: &record.repairs,
                    links: &[],
                };
                batch.upsert(&summarize(&facts, &record.triples))?;
            }
            batch.commit()?;
        }
        let sparql = ldtcat_serve::SparqlService::new(
            store.oxigraph().clone(),
            ldtcat_serve::SparqlLimits::default(),
            4,
        );
        let state = AppState {
            dsp: ldtcat_serve::DspSettings::default(),
            sparql,
            store,
            labels: ldtcat_serve::Labels::new(Arc::clone(&index)),
            index,
            rules: Arc::new(rules),
            site: SiteSettings {
                title: "Test LDT catalogue".to_owned(),
                description: "Resources for local digital twins.".to_owned(),
                public_base_url: "https://catalogue.example.org".to_owned(),
                publisher_name: "City of Antibes".to_owned(),
                ..SiteSettings::default()
            },
            harvest: None,
        };
        Ok(Fixture { state })
    }

    pub fn router(&self) -> Router {
        router(self.state.clone())
    }

    /// Sends `GET uri` through the router.
    pub async fn get(&self, uri: &str) -> anyhow::Result<Reply> {
        self.send(Request::builder().uri(uri).body(Body::empty())?)
            .await
    }

    /// Sends any request through the router.
    pub async fn send(&self, request: Request<Body>) -> anyhow::Result<Reply> {
        let response = self.router().oneshot(request).await?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await?.to_bytes();
        let body = String::from_utf8(bytes.to_vec()).context("body is not UTF-8")?;
        Ok(Reply {
            status,
            headers,
            body,
        })
    }

    /// Sends `method uri` with headers through the router.
    pub async fn send_with(
        &self,
        method: &str,
        uri: &str,
        headers: &[(&str, &str)],
    ) -> anyhow::Result<Reply> {
        let mut request = Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::empty())?).await
    }

    /// Sends `GET uri` and parses the body as JSON.
    pub async fn get_json(&self, uri: &str) -> anyhow::Result<(StatusCode, serde_json::Value)> {
        let reply = self.get(uri).await?;
        let json = serde_json::from_str(&reply.body)
            .with_context(|| format!("not JSON: {}", reply.body))?;
        Ok((reply.status, json))
    }
}

/// A response, read.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
    }
}

/// When the fixture's records were written.
fn fixture_time() -> anyhow::Result<chrono::DateTime<Utc>> {
    Utc.with_ymd_and_hms(2024, 6, 1, 12, 0, 0)
        .single()
        .context("date")
}

/// `/resources/{id}` of a resource IRI.
pub fn record_path(iri: &str) -> String {
    format!("/resources/{}", record_id(iri))
}
