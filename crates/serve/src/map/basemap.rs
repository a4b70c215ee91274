//! The vendored base layer: Natural Earth's 1:110m country outlines, as TopoJSON from the
//! npm package `world-atlas` 2.0.2 (`assets/basemap/countries-110m.json`, embedded at
//! compile time). Decoded once into an SVG document (served as `/assets/basemap.svg`, in
//! plate carrée: x = longitude, y = −latitude) and a list of countries with the bounding box
//! of their largest part, to choose an area by name.

use std::sync::OnceLock;

use ldtcat_model::BoundingBox;
use serde_json::Value;

const TOPOJSON: &str = include_str!("../../../../assets/basemap/countries-110m.json");

/// A country of the base layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    /// ISO 3166-1 numeric code (`056`).
    pub numeric: String,
    /// Natural Earth's English name.
    pub name: String,
    /// The bounding box of its largest polygon (France without Guiana).
    pub bbox: BoundingBox,
}

/// The decoded base layer.
#[derive(Debug, Clone)]
pub struct BaseMap {
    /// The SVG document for wide views (borders 0.06° thick).
    pub svg: String,
    /// The same for close views (borders 0.01° thick): `/assets/basemap-fine.svg`.
    pub fine_svg: String,
    /// Every country with a name.
    pub countries: Vec<Country>,
}

/// The base layer, decoded on first use.
pub fn basemap() -> &'static BaseMap {
    static BASEMAP: OnceLock<BaseMap> = OnceLock::new();
    BASEMAP.get_or_init(|| decode(TOPOJSON))
}

/// The stroke width of borders in each document, in degrees (the document is scaled with
/// the view, so a close view needs thinner lines).
const WIDE_STROKE: &str = "0.06";
const FINE_STROKE: &str = "0.01";

type Ring = Vec<(f64, f64)>;

/// Decodes the TopoJSON; anything malformed is skipped (the tests decode the vendored file).
fn decode(text: &str) -> BaseMap {
    let mut svg = String::from(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"-180 -90 360 180\" \
         preserveAspectRatio=\"none\"><g fill=\"#f7f4ea\" stroke=\"#8b95a5\" \
         stroke-width=\"STROKE\" stroke-linejoin=\"round\">",
    );
    let mut countries = Vec::new();
    let finish = |mut svg: String, countries: Vec<Country>| {
        svg.push_str("</g></svg>");
        BaseMap {
            fine_svg: svg.replacen("STROKE", FINE_STROKE, 1),
            svg: svg.replacen("STROKE", WIDE_STROKE, 1),
            countries,
        }
    };
    let Ok(topology) = serde_json::from_str::<Value>(text) else {
        return finish(svg, countries);
    };
    let arcs = decode_arcs(&topology);
    let geometries = topology
        .pointer("/objects/countries/geometries")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for geometry in &geometries {
        let polygons = polygons_of(geometry, &arcs);
        if polygons.is_empty() {
            continue;
        }
        svg.push_str("<path d=\"");
        for polygon in &polygons {
            for ring in polygon {
                push_ring(&mut svg, ring);
            }
        }
        svg.push_str("\"/>");
        let name = geometry.pointer("/properties/name").and_then(Value::as_str);
        let numeric = geometry.get("id").and_then(Value::as_str);
        if let (Some(name), Some(numeric), Some(bbox)) = (name, numeric, largest_bbox(&polygons)) {
            countries.push(Country {
                numeric: numeric.to_owned(),
                name: name.to_owned(),
                bbox,
            });
        }
    }
    finish(svg, countries)
}

/// Every arc as absolute longitude/latitude pairs.
fn decode_arcs(topology: &Value) -> Vec<Ring> {
    let number = |pointer: &str, default: f64| {
        topology
            .pointer(pointer)
            .and_then(Value::as_f64)
            .unwrap_or(default)
    };
    let (scale_x, scale_y) = (
        number("/transform/scale/0", 1.0),
        number("/transform/scale/1", 1.0),
    );
    let (shift_x, shift_y) = (
        number("/transform/translate/0", 0.0),
        number("/transform/translate/1", 0.0),
    );
    let Some(arcs) = topology.get("arcs").and_then(Value::as_array) else {
        return Vec::new();
    };
    arcs.iter()
        .map(|arc| {
            let (mut x, mut y) = (0.0, 0.0);
            arc.as_array()
                .into_iter()
                .flatten()
                .filter_map(|position| {
                    let dx = position.get(0)?.as_f64()?;
                    let dy = position.get(1)?.as_f64()?;
                    x += dx;
                    y += dy;
                    Some((x * scale_x + shift_x, y * scale_y + shift_y))
                })
                .collect()
        })
        .collect()
}

/// The rings of a Polygon or MultiPolygon geometry.
fn polygons_of(geometry: &Value, arcs: &[Ring]) -> Vec<Vec<Ring>> {
    let rings_of = |polygon: &Value| -> Vec<Ring> {
        polygon
            .as_array()
            .into_iter()
            .flatten()
            .map(|ring| ring_of(ring, arcs))
            .filter(|ring| ring.len() > 2)
            .collect()
    };
    let empty = Value::Null;
    let arcs_field = geometry.get("arcs").unwrap_or(&empty);
    match geometry.get("type").and_then(Value::as_str) {
        Some("Polygon") => vec![rings_of(arcs_field)],
        Some("MultiPolygon") => arcs_field
            .as_array()
            .into_iter()
            .flatten()
            .map(rings_of)
            .collect(),
        _ => Vec::new(),
    }
}

/// A ring from arc indices (a negative index `i` is arc `!i` reversed).
fn ring_of(indices: &Value, arcs: &[Ring]) -> Ring {
    let mut ring: Ring = Vec::new();
    for index in indices
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_i64)
    {
        let (position, reversed) = if index < 0 {
            (usize::try_from(!index).ok(), true)
        } else {
            (usize::try_from(index).ok(), false)
        };
        let Some(arc) = position.and_then(|p| arcs.get(p)) else {
            continue;
        };
        let points: Box<dyn Iterator<Item = &(f64, f64)>> = if reversed {
            Box::new(arc.iter().rev())
        } else {
            Box::new(arc.iter())
        };
        let skip = usize::from(!ring.is_empty());
        ring.extend(points.skip(skip).copied());
    }
    ring
}

fn push_ring(svg: &mut String, ring: &Ring) {
    for (position, (lon, lat)) in ring.iter().enumerate() {
        let command = if position == 0 { 'M' } else { 'L' };
        svg.push_str(&format!("{command}{:.2} {:.2}", lon, -lat));
    }
    svg.push('Z');
}

/// The bounding box of the polygon whose outer ring's box is largest.
fn largest_bbox(polygons: &[Vec<Ring>]) -> Option<BoundingBox> {
    polygons
        .iter()
        .filter_map(|polygon| polygon.first())
        .filter_map(ring_bbox)
        .max_by(|a, b| area(a).total_cmp(&area(b)))
}

fn area(bbox: &BoundingBox) -> f64 {
    (bbox.east - bbox.west) * (bbox.north - bbox.south)
}

fn ring_bbox(ring: &Ring) -> Option<BoundingBox> {
    let first = ring.first()?;
    Some(ring.iter().fold(
        BoundingBox {
            west: first.0,
            south: first.1,
            east: first.0,
            north: first.1,
        },
        |b, (lon, lat)| BoundingBox {
            west: b.west.min(*lon),
            south: b.south.min(*lat),
            east: b.east.max(*lon),
            north: b.north.max(*lat),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendored_outlines_decode_into_svg_and_countries() {
        let map = basemap();
        assert!(map.svg.starts_with("<svg") && map.svg.ends_with("</svg>"));
        assert!(map.svg.matches("<path").count() > 170, "{}", map.svg.len());
        assert!(map.countries.len() > 170);
        let belgium = map
            .countries
            .iter()
            .find(|c| c.numeric == "056")
            .map(|c| c.bbox);
        let belgium = belgium.expect("Belgium is on the map");
        assert!(belgium.west > 2.0 && belgium.east < 7.0, "{belgium:?}");
        assert!(belgium.south > 49.0 && belgium.north < 52.0, "{belgium:?}");
        let france = map
            .countries
            .iter()
            .find(|c| c.numeric == "250")
            .map(|c| c.bbox);
        assert!(
            france.is_some_and(|b| b.west > -6.0),
            "metropolitan France: {france:?}"
        );
    }
}
