//! The `geometry` of a Records record: the geometries of the resource's `dct:spatial`
//! places as one GeoJSON geometry (RFC 7946: WGS 84 longitude/latitude).
//!
//! Per place, the first usable of `locn:geometry`, `dcat:bbox`, `dcat:centroid` (in that
//! order: the most detailed first). A literal is usable when it is GeoJSON (a
//! `geo:geoJSONLiteral`, or text starting with `{`) or WKT (`geo:wktLiteral` or untyped)
//! whose CRS is CRS84 (the default) or EPSG:4326 (whose latitude/longitude axis order is
//! swapped). Other CRSs and GML are not reprojected: such a place has no geometry. One
//! place gives its geometry, several a `GeometryCollection`, none `null`.

use std::str::FromStr;

use ldtcat_model::describe::{Description, Geometry, Place};
use ldtcat_vocab::ns;
use serde_json::Value;

const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
const EPSG_4326: &str = "http://www.opengis.net/def/crs/EPSG/0/4326";

/// The record's geometry, or `None` (JSON `null`).
pub(crate) fn record_geometry(description: &Description) -> Option<Value> {
    let mut geometries: Vec<Value> = description
        .spatial
        .iter()
        .filter_map(place_geometry)
        .collect();
    match geometries.len() {
        0 => None,
        1 => geometries.pop(),
        _ => Some(serde_json::json!({
            "type": "GeometryCollection",
            "geometries": geometries,
        })),
    }
}

fn place_geometry(place: &Place) -> Option<Value> {
    let order = [
        format!("{}geometry", ns::LOCN),
        format!("{}bbox", ns::DCAT),
        format!("{}centroid", ns::DCAT),
    ];
    order.iter().find_map(|property| {
        place
            .geometries
            .iter()
            .filter(|geometry| &geometry.property == property)
            .find_map(literal_geometry)
    })
}

/// A geometry literal as GeoJSON, when it is GeoJSON or WKT in longitude/latitude.
pub(crate) fn literal_geometry(geometry: &Geometry) -> Option<Value> {
    let text = geometry.value.trim();
    let is_geojson = geometry.datatype.ends_with("geoJSONLiteral") || text.starts_with('{');
    let value = if is_geojson {
        let value: Value = serde_json::from_str(text).ok()?;
        value.get("type")?.as_str()?;
        value
    } else if geometry.datatype.contains("gmlLiteral")
        || text.starts_with('<') && text.contains("<gml")
    {
        return None;
    } else {
        wkt_geometry(text)?
    };
    coordinates_in_range(&value).then_some(value)
}

/// WKT with an optional CRS IRI in angle brackets before it.
fn wkt_geometry(text: &str) -> Option<Value> {
    let (crs, wkt_text) = match text.strip_prefix('<') {
        Some(rest) => {
            let (crs, body) = rest.split_once('>')?;
            (crs.trim(), body.trim())
        }
        None => (CRS84, text),
    };
    let swap = match crs {
        CRS84 => false,
        EPSG_4326 => true,
        _ => return None,
    };
    let parsed = wkt::Wkt::<f64>::from_str(wkt_text).ok()?;
    let geometry: geo_types::Geometry<f64> = parsed.try_into().ok()?;
    let mut value = serde_json::to_value(geojson::Geometry::new(geojson::GeometryValue::from(
        &geometry,
    )))
    .ok()?;
    if swap {
        swap_axes(&mut value);
    }
    Some(value)
}

/// Swaps the first two numbers of every position.
fn swap_axes(value: &mut Value) {
    match value {
        Value::Array(items) if items.len() >= 2 && items.iter().all(Value::is_number) => {
            items.swap(0, 1);
        }
        Value::Array(items) => items.iter_mut().for_each(swap_axes),
        Value::Object(members) => {
            for key in ["coordinates", "geometries"] {
                if let Some(inner) = members.get_mut(key) {
                    swap_axes(inner);
                }
            }
        }
        _ => {}
    }
}

/// Whether every position is a longitude within ±180 and a latitude within ±90.
fn coordinates_in_range(value: &Value) -> bool {
    match value {
        Value::Array(items) if items.len() >= 2 && items.iter().all(Value::is_number) => {
            let longitude = items[0].as_f64().unwrap_or(f64::NAN);
            let latitude = items[1].as_f64().unwrap_or(f64::NAN);
            (-180.0..=180.0).contains(&longitude) && (-90.0..=90.0).contains(&latitude)
        }
        Value::Array(items) => items.iter().all(coordinates_in_range),
        Value::Object(members) => ["coordinates", "geometries"]
            .iter()
            .filter_map(|key| members.get(*key))
            .all(coordinates_in_range),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn literal(value: &str, datatype: &str) -> Geometry {
        Geometry {
            value: value.to_owned(),
            datatype: format!("http://www.opengis.net/ont/geosparql#{datatype}"),
            property: format!("{}geometry", ns::LOCN),
        }
    }

    #[test]
    fn wkt_and_geojson_literals_become_geojson() {
        assert_eq!(
            literal_geometry(&literal("POINT(7.1 43.6)", "wktLiteral")),
            Some(json!({"type": "Point", "coordinates": [7.1, 43.6]}))
        );
        let polygon = literal_geometry(&literal(
            "<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POLYGON((7 43,8 43,8 44,7 44,7 43))",
            "wktLiteral",
        ));
        assert_eq!(
            polygon
                .as_ref()
                .and_then(|p| p["coordinates"][0][2].as_array().cloned()),
            Some(vec![json!(8.0), json!(44.0)])
        );
        assert_eq!(
            literal_geometry(&literal(
                "<http://www.opengis.net/def/crs/EPSG/0/4326> POINT(43.6 7.1)",
                "wktLiteral"
            )),
            Some(json!({"type": "Point", "coordinates": [7.1, 43.6]})),
            "EPSG:4326 is latitude first"
        );
        assert_eq!(
            literal_geometry(&literal(
                r#"{"type":"Point","coordinates":[4.4,51.2]}"#,
                "geoJSONLiteral"
            )),
            Some(json!({"type": "Point", "coordinates": [4.4, 51.2]}))
        );
    }

    #[test]
    fn unusable_literals_give_no_geometry() {
        for (value, datatype) in [
            (
                "<http://www.opengis.net/def/crs/EPSG/0/31370> POINT(150000 200000)",
                "wktLiteral",
            ),
            ("POINT(150000 200000)", "wktLiteral"),
            ("POINT(", "wktLiteral"),
            ("{not json", "geoJSONLiteral"),
            (
                "<gml:Point><gml:pos>1 2</gml:pos></gml:Point>",
                "gmlLiteral",
            ),
        ] {
            assert_eq!(literal_geometry(&literal(value, datatype)), None, "{value}");
        }
    }
}
