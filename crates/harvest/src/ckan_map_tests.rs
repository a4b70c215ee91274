//! Tests of the CKAN → DCAT mapping on single packages: the table fields both directions
//! share, and the licence in each form a package gives it.

use super::*;

fn mapped(package: serde_json::Value) -> String {
    let package: Package = serde_json::from_value(package).expect("a package");
    let site = Url::parse("https://ckan.example.org/").expect("url");
    let (ntriples, notes) = map_packages(&[package], &site);
    assert!(notes.is_empty(), "{notes:?}");
    ntriples
}

const LICENSE: &str = "<http://purl.org/dc/terms/license>";

#[test]
fn a_licence_is_an_iri_a_literal_or_a_titled_document() {
    let resource = serde_json::json!([{"id": "r1", "url": "https://x.example/a.csv"}]);
    let by_url = mapped(serde_json::json!({
        "id": "p1", "license_id": "cc-by", "license_url": "http://www.opendefinition.org/licenses/cc-by",
        "license_title": "Creative Commons Attribution", "resources": resource,
    }));
    assert!(by_url.contains(&format!(
        "{LICENSE} <http://www.opendefinition.org/licenses/cc-by>"
    )));
    assert!(!by_url.contains("Creative Commons Attribution"), "{by_url}");
    let by_id =
        mapped(serde_json::json!({"id": "p2", "license_id": "CC-BY:4.0", "resources": resource}));
    assert!(
        by_id.contains(&format!("{LICENSE} \"CC-BY:4.0\"")),
        "{by_id}"
    );
    let titled = mapped(serde_json::json!({
        "id": "p3", "license_title": "The licence is at https://x.example/licence.pdf",
    }));
    assert!(
        titled.contains(&format!(
            "<https://ckan.example.org/dataset/p3> {LICENSE} _:"
        )),
        "{titled}"
    );
    assert!(
        titled.contains("<http://purl.org/dc/terms/LicenseDocument>"),
        "{titled}"
    );
    assert!(titled.contains(
        "<http://purl.org/dc/terms/title> \"The licence is at https://x.example/licence.pdf\""
    ));
    let own = mapped(serde_json::json!({
        "id": "p4", "license_id": "odc-odbl",
        "resources": [{"id": "r1", "url": "https://x.example/a.csv", "license": "http://x.example/l"}],
    }));
    assert!(
        own.contains(&format!("{LICENSE} <http://x.example/l>")),
        "{own}"
    );
    assert!(
        !own.contains("odc-odbl"),
        "a resource's own licence wins: {own}"
    );
}

#[test]
fn table_fields_come_back_as_the_properties_they_were_served_from() {
    let ntriples = mapped(serde_json::json!({
        "id": "p5",
        "title": "A broker",
        "extras": [
            {"key": "uri", "value": "https://x.example/service/broker"},
            {"key": "endpoint_url", "value": "[\"https://x.example/ngsi-ld/v1/\"]"},
            {"key": "is_version_of", "value": "[\"https://x.example/service/old-broker\"]"},
            {"key": "version_notes", "value": "Second release"},
            {"key": "ldt_kind", "value": "service"},
        ],
    }));
    for expected in [
        "<https://x.example/service/broker> <http://www.w3.org/ns/dcat#endpointURL> <https://x.example/ngsi-ld/v1/>",
        "<https://x.example/service/broker> <http://purl.org/dc/terms/isVersionOf> <https://x.example/service/old-broker>",
        "<https://x.example/service/broker> <http://www.w3.org/ns/adms#versionNotes> \"Second release\"",
        "<https://x.example/service/broker> <http://purl.org/dc/terms/type> <https://w3id.org/ldtcat/kind/service>",
    ] {
        assert!(ntriples.contains(expected), "missing {expected} in\n{ntriples}");
    }
}

#[test]
fn dates_are_typed_only_when_they_are_valid() {
    let xsd = "http://www.w3.org/2001/XMLSchema#";
    for (given, expected) in [
        (
            "2024-05-01T10:00:00.123456",
            format!("\"2024-05-01T10:00:00.123456Z\"^^<{xsd}dateTime>"),
        ),
        (
            "2024-11-20T06:00:00Z",
            format!("\"2024-11-20T06:00:00Z\"^^<{xsd}dateTime>"),
        ),
        ("2023-09-15", format!("\"2023-09-15\"^^<{xsd}date>")),
        (
            "2014-12-03T14:29:12+0000",
            "\"2014-12-03T14:29:12+0000\"".to_owned(),
        ),
    ] {
        assert_eq!(datetime(given).to_string(), expected);
    }
}
