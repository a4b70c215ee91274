//! The `spatial` extra: a place's geometry as GeoJSON, as ckanext-spatial and ckanext-dcat
//! keep it. A `geo:geoJSONLiteral` is passed on; WKT (with or without a CRS IRI in front) is
//! converted with the `wkt` and `geojson` crates; anything else (GML) falls back to the
//! place's bounding box as a polygon.

use ldtcat_model::describe::Place;
use ldtcat_model::BoundingBox;

/// The GeoJSON geometry of a place, as text, if it has one.
pub(crate) fn geojson_of(place: &Place) -> Option<String> {
    for geometry in &place.geometries {
        if geometry.datatype.ends_with("geoJSONLiteral")
            || geometry.value.trim_start().starts_with('{')
        {
            if let Ok(parsed) = geometry.value.parse::<geojson::Geometry>() {
                return Some(parsed.to_string());
            }
            continue;
        }
        if let Some(converted) = wkt_to_geojson(&geometry.value) {
            return Some(converted);
        }
    }
    place.bbox.as_ref().map(bbox_polygon)
}

/// WKT, optionally after a `<CRS IRI>`, as GeoJSON text.
fn wkt_to_geojson(text: &str) -> Option<String> {
    let body = match text.trim_start().strip_prefix('<') {
        Some(rest) => rest.split_once('>').map(|(_, body)| body)?,
        None => text,
    };
    let parsed: wkt::Wkt<f64> = body.trim().parse().ok()?;
    let geometry: geo_types::Geometry<f64> = parsed.try_into().ok()?;
    let value = geojson::GeometryValue::from(&geometry);
    Some(geojson::Geometry::new(value).to_string())
}

fn bbox_polygon(bbox: &BoundingBox) -> String {
    let ring = vec![
        vec![bbox.west, bbox.south],
        vec![bbox.east, bbox.south],
        vec![bbox.east, bbox.north],
        vec![bbox.west, bbox.north],
        vec![bbox.west, bbox.south],
    ];
    geojson::Geometry::new(geojson::GeometryValue::new_polygon(vec![ring])).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ldtcat_model::describe::{Geometry, Place};

    fn place(value: &str, datatype: &str) -> Place {
        Place {
            geometries: vec![Geometry {
                value: value.to_owned(),
                datatype: datatype.to_owned(),
                property: "http://www.w3.org/ns/locn#geometry".to_owned(),
            }],
            ..Place::default()
        }
    }

    #[test]
    fn wkt_and_geojson_become_geojson() {
        let wkt = "http://www.opengis.net/ont/geosparql#wktLiteral";
        let point = geojson_of(&place(
            "<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT(7.1 43.6)",
            wkt,
        ));
        assert_eq!(
            point.as_deref(),
            Some(r#"{"type":"Point","coordinates":[7.1,43.6]}"#)
        );
        let given = r#"{"type":"Point","coordinates":[4.4,51.2]}"#;
        let kept = geojson_of(&place(
            given,
            "http://www.opengis.net/ont/geosparql#geoJSONLiteral",
        ));
        assert_eq!(kept.as_deref(), Some(given));
        assert_eq!(
            geojson_of(&place(
                "<gml:Point/>",
                "http://www.opengis.net/ont/geosparql#gmlLiteral"
            )),
            None
        );
        let boxed = Place {
            bbox: Some(BoundingBox {
                west: 1.0,
                south: 2.0,
                east: 3.0,
                north: 4.0,
            }),
            ..place("not wkt", wkt)
        };
        assert_eq!(
            geojson_of(&boxed).as_deref(),
            Some(
                r#"{"type":"Polygon","coordinates":[[[1.0,2.0],[3.0,2.0],[3.0,4.0],[1.0,4.0],[1.0,2.0]]]}"#
            )
        );
    }
}
