//! Maps drawn on the server, as SVG, with no tile server: the vendored base layer
//! ([`basemap`]) as an image of this site, the record's extent or the searched area as a
//! rectangle on top. Plate carrée (x = longitude, y = −latitude), stretched horizontally by
//! the cosine of the view's middle latitude so that shapes keep their proportions there.
//!
//! The search page adds a list of areas (countries of the base layer, by their name in the
//! interface language) and `/assets/map.js`, a same-origin script that lets a visitor drag
//! a rectangle on the map to fill the `bbox` field. Without JavaScript the list and the
//! `bbox` text field still work.

pub mod basemap;

use ldtcat_model::BoundingBox;
use ldtcat_vocab::authority::authority;

use crate::i18n::Locale;
use crate::query::bbox_text;

/// The view of the search map when no area is chosen: Europe.
const EUROPE: BoundingBox = BoundingBox {
    west: -25.0,
    south: 34.0,
    east: 45.0,
    north: 72.0,
};

/// The smallest view, in degrees (width, height): a city's extent is shown with its
/// surroundings.
const MIN_VIEW: (f64, f64) = (4.0, 3.0);

/// A rectangle in map coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct RectView {
    /// Left edge (longitude).
    pub x: String,
    /// Top edge (−latitude).
    pub y: String,
    /// Width.
    pub width: String,
    /// Height.
    pub height: String,
}

/// One map, ready for a template.
#[derive(Debug, Clone, PartialEq)]
pub struct MapView {
    /// The SVG `viewBox`.
    pub view_box: String,
    /// The CSS `aspect-ratio` that keeps shapes in proportion.
    pub aspect: String,
    /// The extent or area drawn, if any.
    pub extent: Option<RectView>,
    /// The extent as text (`West 4.2, south 50.7, …`), for people who do not see the map.
    pub caption: String,
    /// The base layer for this scale (`/assets/basemap.svg` or `/assets/basemap-fine.svg`).
    pub base_href: &'static str,
}

/// Views narrower than this (degrees of longitude) use the base layer with thin borders.
const FINE_VIEW_WIDTH: f64 = 20.0;

fn number(value: f64) -> String {
    let rounded = (value * 10_000.0).round() / 10_000.0;
    format!("{rounded}")
}

/// The view around a box: the box with half its size on each side, at least [`MIN_VIEW`],
/// within the world.
fn view_around(bbox: &BoundingBox) -> BoundingBox {
    let width = ((bbox.east - bbox.west) * 2.0).max(MIN_VIEW.0).min(360.0);
    let height = ((bbox.north - bbox.south) * 2.0).max(MIN_VIEW.1).min(180.0);
    let center_lon = (bbox.west + bbox.east) / 2.0;
    let center_lat = (bbox.south + bbox.north) / 2.0;
    let west = (center_lon - width / 2.0).clamp(-180.0, 180.0 - width);
    let south = (center_lat - height / 2.0).clamp(-90.0, 90.0 - height);
    BoundingBox {
        west,
        south,
        east: west + width,
        north: south + height,
    }
}

fn rect(bbox: &BoundingBox, view: &BoundingBox) -> RectView {
    // A point or a line is drawn as a small square of 2 % of the view.
    let min_width = (view.east - view.west) * 0.02;
    let min_height = (view.north - view.south) * 0.02;
    let width = (bbox.east - bbox.west).max(min_width);
    let height = (bbox.north - bbox.south).max(min_height);
    let center_lon = (bbox.west + bbox.east) / 2.0;
    let center_lat = (bbox.south + bbox.north) / 2.0;
    RectView {
        x: number(center_lon - width / 2.0),
        y: number(-(center_lat + height / 2.0)),
        width: number(width),
        height: number(height),
    }
}

fn map_of(view: &BoundingBox, drawn: Option<&BoundingBox>, caption: String) -> MapView {
    let width = view.east - view.west;
    let height = view.north - view.south;
    let middle = ((view.south + view.north) / 2.0)
        .to_radians()
        .cos()
        .max(0.2);
    MapView {
        view_box: format!(
            "{} {} {} {}",
            number(view.west),
            number(-view.north),
            number(width),
            number(height)
        ),
        aspect: format!("{} / {}", number(width * middle), number(height)),
        extent: drawn.map(|bbox| rect(bbox, view)),
        caption,
        base_href: if width < FINE_VIEW_WIDTH {
            "/assets/basemap-fine.svg"
        } else {
            "/assets/basemap.svg"
        },
    }
}

/// The caption of an extent in the interface language.
fn extent_text(bbox: &BoundingBox, locale: &Locale) -> String {
    locale.messages.fill(
        "map.extent_text",
        &[
            ("west", &number(bbox.west)),
            ("south", &number(bbox.south)),
            ("east", &number(bbox.east)),
            ("north", &number(bbox.north)),
        ],
    )
}

/// A record's extent on a map around it.
pub fn extent_map(bbox: &BoundingBox, locale: &Locale) -> MapView {
    map_of(&view_around(bbox), Some(bbox), extent_text(bbox, locale))
}

/// The search map: around the searched area, else Europe.
pub fn search_map(bbox: Option<&BoundingBox>, locale: &Locale) -> MapView {
    match bbox {
        Some(bbox) => map_of(&view_around(bbox), Some(bbox), extent_text(bbox, locale)),
        None => map_of(
            &EUROPE,
            None,
            locale.messages.get("map.whole_world").to_owned(),
        ),
    }
}

/// One area to choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaOption {
    /// The `bbox` value.
    pub value: String,
    /// The area's name.
    pub label: String,
    /// Whether it is the searched area.
    pub selected: bool,
}

/// The countries whose largest part lies in the Europe view, by name in the interface
/// language.
pub fn area_options(selected: Option<&BoundingBox>, locale: &Locale) -> Vec<AreaOption> {
    let selected_text = selected.map(bbox_text);
    let mut options: Vec<AreaOption> = basemap::basemap()
        .countries
        .iter()
        .filter(|country| {
            let lon = (country.bbox.west + country.bbox.east) / 2.0;
            let lat = (country.bbox.south + country.bbox.north) / 2.0;
            (EUROPE.west..=EUROPE.east).contains(&lon)
                && (EUROPE.south..=EUROPE.north).contains(&lat)
        })
        .map(|country| {
            let rounded = BoundingBox {
                west: (country.bbox.west * 100.0).floor() / 100.0,
                south: (country.bbox.south * 100.0).floor() / 100.0,
                east: (country.bbox.east * 100.0).ceil() / 100.0,
                north: (country.bbox.north * 100.0).ceil() / 100.0,
            };
            let value = bbox_text(&rounded);
            let label = authority()
                .country_by_numeric(&country.numeric)
                .and_then(|entry| {
                    locale
                        .languages
                        .pick(&entry.labels, |(lang, _)| lang.as_deref())
                })
                .map_or_else(|| country.name.clone(), |(_, text)| text.clone());
            AreaOption {
                selected: selected_text.as_deref() == Some(value.as_str()),
                value,
                label,
            }
        })
        .collect();
    options.sort_by(|a, b| a.label.cmp(&b.label));
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_extents_get_a_view_with_their_surroundings() {
        let antibes = BoundingBox {
            west: 7.08,
            south: 43.55,
            east: 7.14,
            north: 43.6,
        };
        let map = extent_map(&antibes, &Locale::default());
        assert_eq!(map.view_box, "5.11 -45.075 4 3");
        let extent = map.extent.expect("drawn");
        assert_eq!((extent.x.as_str(), extent.width.as_str()), ("7.07", "0.08"));
        assert!(map.caption.contains("West 7.08"), "{}", map.caption);
    }

    #[test]
    fn areas_are_european_countries_named_in_the_interface_language() {
        let french = Locale::negotiate(Some("fr"), None, "/search");
        let options = area_options(None, &french);
        assert!(options.iter().any(|o| o.label == "Belgique"), "{options:?}");
        assert!(!options.iter().any(|o| o.label == "Brésil"));
        let belgium = options
            .iter()
            .find(|o| o.label == "Belgique")
            .map(|o| o.value.clone());
        let chosen = crate::query::SearchParams::from_query(Some(&format!(
            "bbox={}",
            belgium.unwrap_or_default()
        )));
        let bbox = chosen.ok().and_then(|p| p.bbox);
        assert!(area_options(bbox.as_ref(), &french)
            .iter()
            .any(|o| o.selected));
    }
}
