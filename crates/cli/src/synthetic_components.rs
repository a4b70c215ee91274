//! Synthetic components with requirements, adapters and one LDT profile, for the
//! compatibility tests and benchmark. Deterministic: the same count gives the same Turtle.
//!
//! Each component draws one to three consumed data models, one or two interfaces, and with
//! varying odds provenance and observability needs, usage-term duties, prohibitions and
//! constraints, demands on the LDT's data, deployment alternatives, a GPU and an amount of
//! memory, from pools wider than what the profile and the adapters cover, so that all three
//! verdicts occur in every requirement group.

use std::fmt::Write as _;

const PREFIXES: &str = "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n\
@prefix dct: <http://purl.org/dc/terms/> .\n\
@prefix odrl: <http://www.w3.org/ns/odrl/2/> .\n\
@prefix ldt: <https://w3id.org/ldtcat#> .\n\
@prefix ldtk: <https://w3id.org/ldtcat/kind/> .\n\
@prefix ldti: <https://w3id.org/ldtcat/interface/> .\n\
@prefix ldtd: <https://w3id.org/ldtcat/deployment/> .\n\
@prefix ldtc: <https://w3id.org/ldtcat/capability/> .\n\
@prefix sdm: <https://smartdatamodels.org/> .\n\
@prefix dpv: <https://w3id.org/dpv#> .\n\n";

const MODELS: [&str; 10] = [
    "<https://smartdatamodels.org/dataModel.Environment/AirQualityObserved>",
    "<https://smartdatamodels.org/dataModel.Environment/NoiseLevelObserved>",
    "<https://smartdatamodels.org/dataModel.Environment/IndoorEnvironmentObserved>",
    "<https://smartdatamodels.org/dataModel.Parking/OffStreetParking>",
    "<https://smartdatamodels.org/dataModel.Transportation/EVChargingStation>",
    "<https://smartdatamodels.org/dataModel.Energy/PhotovoltaicDevice>",
    "<https://smartdatamodels.org/dataModel.Energy/PhotovoltaicMeasurement>",
    "<https://smartdatamodels.org/dataModel.Building/Building>",
    "<https://smartdatamodels.org/dataModel.Weather/WeatherForecast>",
    "<https://smartdatamodels.org/dataModel.WasteManagement/WasteContainer>",
];
const INTERFACES: [&str; 7] = [
    "ldti:ngsi-ld",
    "ldti:sensorthings",
    "ldti:mqtt",
    "ldti:ogcapi-features",
    "ldti:3d-tiles",
    "ldti:file-download",
    "ldti:sparql",
];
const PROVENANCE: [&str; 4] = [
    "ldtc:observation-timestamps",
    "ldtc:sensor-metadata",
    "ldtc:quality-annotations",
    "ldtc:prov-lineage",
];
const OBSERVABILITY: [&str; 3] = [
    "ldtc:metrics-endpoint",
    "ldtc:health-endpoint",
    "ldtc:structured-logs",
];
const DEPLOYMENTS: [&str; 3] = [
    "ldtd:self-hosted-container",
    "ldtd:saas",
    "ldtd:on-premises",
];
const DUTIES: [&str; 2] = ["odrl:attribute", "odrl:compensate"];
const PROHIBITIONS: [&str; 2] = ["odrl:commercialize", "odrl:distribute"];
const DATA_USES: [&str; 4] = [
    "odrl:use",
    "odrl:derive",
    "odrl:distribute",
    "odrl:aggregate",
];
const MEMORY: [&str; 6] = ["0.5", "2", "8", "16", "48", "256"];
const KINDS: [&str; 3] = ["visualisation", "model", "service"];

/// The IRI of the synthetic LDT profile.
pub const PROFILE_IRI: &str = "https://synthetic.example/ldt/profile";

/// A pseudo-random number for component `n` and draw `salt` (a multiplicative hash).
fn draw(n: usize, salt: usize) -> usize {
    let mut x = (n as u64) ^ ((salt as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 31;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 29;
    usize::try_from(x % 1_000_003).unwrap_or(0)
}

fn pick<'a>(items: &[&'a str], n: usize, salt: usize) -> &'a str {
    items[draw(n, salt) % items.len()]
}

fn chance(n: usize, salt: usize, percent: usize) -> bool {
    draw(n, salt) % 100 < percent
}

/// Turtle for components `0..count`.
pub fn components_turtle(count: usize) -> String {
    let mut out = String::with_capacity(count * 900);
    out.push_str(PREFIXES);
    for n in 0..count {
        write_component(&mut out, n);
    }
    out
}

fn write_component(out: &mut String, n: usize) {
    let kind = pick(&KINDS, n, 1);
    let _ = write!(
        out,
        "<https://synthetic.example/component/{n}> a dcat:Dataset ;\n  dct:type ldtk:{kind} ;\n  \
         dct:title \"Synthetic component {n}\"@en ;\n"
    );
    let models = 1 + draw(n, 2) % 3;
    for i in 0..models {
        let _ = writeln!(
            out,
            "  ldt:consumesDataModel {} ;",
            pick(&MODELS, n, 10 + i)
        );
    }
    let interfaces = 1 + draw(n, 3) % 2;
    for i in 0..interfaces {
        let _ = writeln!(
            out,
            "  ldt:requiresInterface {} ;",
            pick(&INTERFACES, n, 20 + i)
        );
    }
    if chance(n, 4, 40) {
        let _ = writeln!(
            out,
            "  ldt:requiresProvenance {} ;",
            pick(&PROVENANCE, n, 30)
        );
    }
    if chance(n, 5, 30) {
        let _ = writeln!(
            out,
            "  ldt:requiresObservability {} ;",
            pick(&OBSERVABILITY, n, 31)
        );
    }
    let mut terms = Vec::new();
    if chance(n, 6, 30) {
        terms.push(format!(
            "odrl:permission [ odrl:action odrl:use ; odrl:duty [ odrl:action {} ] ]",
            pick(&DUTIES, n, 40)
        ));
    }
    if chance(n, 7, 20) {
        terms.push(format!(
            "odrl:prohibition [ odrl:action {} ]",
            pick(&PROHIBITIONS, n, 41)
        ));
    }
    if chance(n, 8, 15) {
        terms.push(
            "odrl:permission [ odrl:action odrl:use ; odrl:constraint [ odrl:leftOperand \
             odrl:purpose ; odrl:operator odrl:isA ; odrl:rightOperand dpv:NonCommercialPurpose ] ]"
                .to_owned(),
        );
    }
    if !terms.is_empty() {
        let _ = writeln!(
            out,
            "  odrl:hasPolicy [ a odrl:Offer ; {} ] ;",
            terms.join(" ; ")
        );
    }
    if chance(n, 9, 35) {
        let _ = writeln!(
            out,
            "  ldt:demandsOfData [ a odrl:Set ; odrl:permission [ odrl:action {} ] ] ;",
            pick(&DATA_USES, n, 50)
        );
    }
    let _ = writeln!(out, "  ldt:deploymentModel {} ;", pick(&DEPLOYMENTS, n, 60));
    if chance(n, 10, 30) {
        let _ = writeln!(out, "  ldt:deploymentModel {} ;", pick(&DEPLOYMENTS, n, 61));
    }
    if chance(n, 11, 10) {
        out.push_str("  ldt:requiresGpu true ;\n");
    }
    if chance(n, 12, 70) {
        let _ = writeln!(out, "  ldt:requiresMemoryGiB {} ;", pick(&MEMORY, n, 70));
    }
    let _ = write!(out, "  dct:identifier \"synthetic-{n}\" .\n\n");
}

/// Turtle for the adapters (converters, bridges, sidecars, hosting) and the LDT profile.
pub fn profile_and_adapters_turtle() -> String {
    let mut out = String::from(PREFIXES);
    out.push_str(&format!(
        "<{PROFILE_IRI}> a ldt:LdtProfile ;\n  dct:title \"Synthetic LDT\"@en ;\n  \
         ldt:holdsDataModel <https://smartdatamodels.org/dataModel.Environment/AirQualityObserved> , \
         <https://smartdatamodels.org/dataModel.Environment/NoiseLevelObserved> , <https://smartdatamodels.org/dataModel.Parking/OffStreetParking> , \
         <https://smartdatamodels.org/dataModel.Building/Building> ;\n  \
         ldt:exposesInterface ldti:ngsi-ld , ldti:file-download , ldti:ogcapi-features ;\n  \
         ldt:supportsProvenance ldtc:observation-timestamps , ldtc:sensor-metadata ;\n  \
         ldt:supportsObservability ldtc:health-endpoint ;\n  \
         ldt:offersDeployment ldtd:self-hosted-container ;\n  \
         ldt:offersMemoryGiB 16 ;\n  \
         ldt:acceptsPolicy [ a odrl:Set ; odrl:obligation [ odrl:action odrl:attribute ] ; \
         odrl:prohibition [ odrl:action odrl:commercialize ] ] ;\n  \
         odrl:hasPolicy [ a odrl:Set ; odrl:permission [ odrl:action odrl:aggregate ] , \
         [ odrl:action odrl:use ; odrl:duty [ odrl:action odrl:attribute ] ] ; \
         odrl:prohibition [ odrl:action odrl:distribute ] ] .\n\n"
    ));
    out.push_str(
        "<https://synthetic.example/adapter/noise-to-indoor> a dcat:Dataset ; dct:type ldtk:workflow ;\n  \
         dct:title \"Noise to indoor mapping\"@en ;\n  \
         ldt:mapsFrom <https://smartdatamodels.org/dataModel.Environment/NoiseLevelObserved> ;\n  \
         ldt:mapsTo <https://smartdatamodels.org/dataModel.Environment/IndoorEnvironmentObserved> .\n\n\
         <https://synthetic.example/adapter/building-to-pv> a dcat:Dataset ; dct:type ldtk:workflow ;\n  \
         dct:title \"Building to photovoltaic device mapping\"@en ;\n  \
         ldt:mapsFrom <https://smartdatamodels.org/dataModel.Building/Building> ;\n  \
         ldt:mapsTo <https://smartdatamodels.org/dataModel.Energy/PhotovoltaicDevice> .\n\n\
         <https://synthetic.example/adapter/ngsi-ld-to-sensorthings> a dcat:DataService ;\n  \
         dct:title \"NGSI-LD to SensorThings bridge\"@en ;\n  \
         ldt:bridgesFrom ldti:ngsi-ld ; ldt:bridgesTo ldti:sensorthings .\n\n\
         <https://synthetic.example/adapter/lineage-recorder> a dcat:DataService ;\n  \
         dct:title \"PROV lineage recorder\"@en ;\n  \
         ldt:addsProvenance ldtc:prov-lineage ; ldt:addsObservability ldtc:structured-logs .\n\n\
         <https://synthetic.example/adapter/hosting> a dcat:DataService ;\n  \
         dct:title \"Container hosting\"@en ;\n  \
         ldt:hostsDeployment ldtd:saas , ldtd:self-hosted-container ; ldt:offersMemoryGiB 64 .\n\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_are_deterministic_and_parse() {
        let first = components_turtle(50);
        assert_eq!(first, components_turtle(50));
        let parsed = oxrdfio::RdfParser::from_format(oxrdfio::RdfFormat::Turtle)
            .for_slice(first.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .expect("parses");
        assert!(parsed.len() > 300);
        let profile = profile_and_adapters_turtle();
        let parsed = oxrdfio::RdfParser::from_format(oxrdfio::RdfFormat::Turtle)
            .for_slice(profile.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .expect("parses");
        assert!(parsed.len() > 20);
    }
}
