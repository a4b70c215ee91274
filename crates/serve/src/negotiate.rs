//! Content negotiation: choosing among offered media types by the client's `Accept` header
//! (RFC 9110 section 12.5.1: quality values, `type/*` and `*/*` ranges, most specific range
//! wins).

/// One media range of an `Accept` header.
#[derive(Debug, Clone, PartialEq)]
struct MediaRange {
    kind: String,
    subtype: String,
    quality: f32,
}

impl MediaRange {
    /// How specifically this range matches `media_type` (`None`: not at all).
    fn specificity(&self, media_type: &str) -> Option<u8> {
        let (kind, subtype) = media_type.split_once('/')?;
        match (self.kind.as_str(), self.subtype.as_str()) {
            ("*", "*") => Some(0),
            (k, "*") if k.eq_ignore_ascii_case(kind) => Some(1),
            (k, s) if k.eq_ignore_ascii_case(kind) && s.eq_ignore_ascii_case(subtype) => Some(2),
            _ => None,
        }
    }
}

/// The media ranges of `header`, at most [`crate::MAX_ACCEPT_RANGES`] of them (the request
/// limits refuse a longer header before any handler reads it; this keeps negotiation linear
/// whatever it is given).
fn parse_accept(header: &str) -> Vec<MediaRange> {
    header
        .split(',')
        .take(crate::MAX_ACCEPT_RANGES)
        .filter_map(|item| {
            let mut parts = item.split(';');
            let (kind, subtype) = parts.next()?.trim().split_once('/')?;
            let quality = parts
                .filter_map(|parameter| {
                    parameter
                        .trim()
                        .strip_prefix("q=")
                        .or_else(|| parameter.trim().strip_prefix("Q="))
                })
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0)
                .clamp(0.0, 1.0);
            Some(MediaRange {
                kind: kind.trim().to_owned(),
                subtype: subtype.trim().to_owned(),
                quality,
            })
        })
        .collect()
}

/// The quality the client gives `media_type`: that of the most specific matching range.
fn quality_of(ranges: &[MediaRange], media_type: &str) -> f32 {
    ranges
        .iter()
        .filter_map(|range| Some((range.specificity(media_type)?, range.quality)))
        .max_by(|a, b| a.0.cmp(&b.0))
        .map_or(0.0, |(_, quality)| quality)
}

/// The index of the offer the client prefers, or `None` when it accepts none of them.
/// Without an `Accept` header (or an empty one) the first offer is taken. On equal quality
/// the earlier offer wins, so offers are listed in the server's order of preference.
pub fn choose(accept: Option<&str>, offers: &[&str]) -> Option<usize> {
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return (!offers.is_empty()).then_some(0);
    };
    let ranges = parse_accept(accept);
    let mut best: Option<(usize, f32)> = None;
    for (index, offer) in offers.iter().enumerate() {
        let quality = quality_of(&ranges, offer);
        if quality > 0.0 && best.is_none_or(|(_, q)| quality > q) {
            best = Some((index, quality));
        }
    }
    best.map(|(index, _)| index)
}

/// Whether the client prefers HTML to every one of `machine_types` (a browser).
pub fn prefers_html(accept: Option<&str>, machine_types: &[&str]) -> bool {
    let Some(accept) = accept else { return false };
    let ranges = parse_accept(accept);
    let html = quality_of(&ranges, "text/html");
    html > 0.0
        && machine_types
            .iter()
            .all(|offer| quality_of(&ranges, offer) < html)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFERS: [&str; 3] = [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
    ];

    #[test]
    fn quality_values_and_specificity_decide() {
        assert_eq!(choose(None, &OFFERS), Some(0));
        assert_eq!(choose(Some("text/csv"), &OFFERS), Some(2));
        assert_eq!(
            choose(
                Some("application/sparql-results+xml;q=0.9, application/sparql-results+json;q=0.5"),
                &OFFERS
            ),
            Some(1)
        );
        assert_eq!(choose(Some("text/*;q=0.8, */*;q=0.1"), &OFFERS), Some(2));
        assert_eq!(choose(Some("*/*"), &OFFERS), Some(0));
        assert_eq!(choose(Some("image/png"), &OFFERS), None);
        assert_eq!(choose(Some("text/csv;q=0, */*;q=0.5"), &OFFERS), Some(0));
    }

    #[test]
    fn browsers_are_told_from_machines() {
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert!(prefers_html(Some(browser), &OFFERS));
        assert!(!prefers_html(
            Some("application/sparql-results+json"),
            &OFFERS
        ));
        assert!(!prefers_html(Some("*/*"), &OFFERS));
        assert!(!prefers_html(None, &OFFERS));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;
        use std::time::{Duration, Instant};

        fn media_range() -> impl Strategy<Value = String> {
            (
                prop::sample::select(vec!["*", "text", "application", "image", "TEXT", ""]),
                prop::sample::select(vec![
                    "*",
                    "csv",
                    "html",
                    "sparql-results+json",
                    "sparql-results+xml",
                    "x;y",
                    "",
                ]),
                proptest::option::of(-2.0_f32..3.0),
                "[ ;=a-z0-9.]{0,8}",
            )
                .prop_map(|(kind, subtype, quality, junk)| {
                    let mut range = format!("{kind}/{subtype}");
                    if let Some(q) = quality {
                        range.push_str(&format!(";q={q}"));
                    }
                    range.push_str(&junk);
                    range
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            #[test]
            fn any_header_is_read_quickly_without_panic(header in "\\PC{0,600}") {
                let started = Instant::now();
                let chosen = choose(Some(&header), &OFFERS);
                let _ = prefers_html(Some(&header), &OFFERS);
                prop_assert!(chosen.is_none_or(|i| i < OFFERS.len()));
                prop_assert!(started.elapsed() < Duration::from_millis(100));
            }

            #[test]
            fn the_choice_is_an_offer_the_client_accepts_at_its_best_quality(
                ranges in prop::collection::vec(media_range(), 0..20),
            ) {
                let header = ranges.join(", ");
                let parsed = parse_accept(&header);
                match choose(Some(&header), &OFFERS) {
                    Some(index) => {
                        let best = quality_of(&parsed, OFFERS[index]);
                        prop_assert!(best > 0.0 || header.trim().is_empty(), "{header}");
                        for offer in OFFERS {
                            prop_assert!(quality_of(&parsed, offer) <= best, "{header}");
                        }
                    }
                    None => {
                        for offer in OFFERS {
                            prop_assert!(quality_of(&parsed, offer) <= 0.0, "{header}");
                        }
                    }
                }
            }
        }

        #[test]
        fn ten_thousand_alternatives_are_read_in_bounded_time() {
            let header = (0..10_000)
                .map(|n| format!("application/x-{n};q=0.5"))
                .collect::<Vec<_>>()
                .join(", ");
            let started = Instant::now();
            assert_eq!(choose(Some(&header), &OFFERS), None);
            assert!(started.elapsed() < Duration::from_millis(50));
        }
    }
}
