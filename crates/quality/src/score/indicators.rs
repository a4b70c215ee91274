//! The MQA indicators: id, dimension, points and how ldtcat measures each on a record.
//! `vocab/quality.md` is the same table in prose; keep them together.

use ldtcat_vocab::authority::{authority, AuthorityRef};
use oxrdf::TermRef;

use super::formats::{format_traits, FormatTraits};
use super::record::RecordView;
use super::Dimension;
use crate::finding::Finding;
use crate::links::{DCAT_ACCESS_URL, DCAT_DOWNLOAD_URL};
use crate::shapes::Severity;

/// How one indicator is measured: `None` when it is not (a URL never checked).
type Measure = fn(&RecordView<'_, '_>, &[Finding]) -> Option<bool>;

/// One MQA indicator.
pub struct Indicator {
    /// The id used in results and in `vocab/quality.md`.
    pub id: &'static str,
    /// Its dimension.
    pub dimension: Dimension,
    /// Its points.
    pub max: u32,
    pub(crate) measure: Measure,
}

const DCAT_KEYWORD: &str = "http://www.w3.org/ns/dcat#keyword";
const DCAT_THEME: &str = "http://www.w3.org/ns/dcat#theme";
const DCAT_MEDIA_TYPE: &str = "http://www.w3.org/ns/dcat#mediaType";
const DCAT_BYTE_SIZE: &str = "http://www.w3.org/ns/dcat#byteSize";
const DCAT_CONTACT_POINT: &str = "http://www.w3.org/ns/dcat#contactPoint";
const DCT_SPATIAL: &str = "http://purl.org/dc/terms/spatial";
const DCT_TEMPORAL: &str = "http://purl.org/dc/terms/temporal";
const DCT_FORMAT: &str = "http://purl.org/dc/terms/format";
const DCT_LICENSE: &str = "http://purl.org/dc/terms/license";
const DCT_ACCESS_RIGHTS: &str = "http://purl.org/dc/terms/accessRights";
const DCT_PUBLISHER: &str = "http://purl.org/dc/terms/publisher";
const DCT_RIGHTS: &str = "http://purl.org/dc/terms/rights";
const DCT_ISSUED: &str = "http://purl.org/dc/terms/issued";
const DCT_MODIFIED: &str = "http://purl.org/dc/terms/modified";
const SKOS_EXACT_MATCH: &str = "http://www.w3.org/2004/02/skos/core#exactMatch";

/// Every indicator, in the MQA's order; the maxima add up to 405.
pub static INDICATORS: &[Indicator] = &[
    Indicator {
        id: "keyword",
        dimension: Dimension::Findability,
        max: 30,
        measure: |r, _| Some(r.record_has(DCAT_KEYWORD)),
    },
    Indicator {
        id: "theme",
        dimension: Dimension::Findability,
        max: 30,
        measure: |r, _| Some(r.record_has(DCAT_THEME)),
    },
    Indicator {
        id: "spatial",
        dimension: Dimension::Findability,
        max: 20,
        measure: |r, _| Some(r.record_has(DCT_SPATIAL)),
    },
    Indicator {
        id: "temporal",
        dimension: Dimension::Findability,
        max: 20,
        measure: |r, _| Some(r.record_has(DCT_TEMPORAL)),
    },
    Indicator {
        id: "access_url_status",
        dimension: Dimension::Accessibility,
        max: 50,
        measure: |r, _| r.links_reachable(DCAT_ACCESS_URL),
    },
    Indicator {
        id: "download_url",
        dimension: Dimension::Accessibility,
        max: 20,
        measure: |r, _| Some(r.some_distribution_has(DCAT_DOWNLOAD_URL)),
    },
    Indicator {
        id: "download_url_status",
        dimension: Dimension::Accessibility,
        max: 30,
        measure: |r, _| r.links_reachable(DCAT_DOWNLOAD_URL),
    },
    Indicator {
        id: "format",
        dimension: Dimension::Interoperability,
        max: 20,
        measure: |r, _| Some(r.some_distribution_has(DCT_FORMAT)),
    },
    Indicator {
        id: "media_type",
        dimension: Dimension::Interoperability,
        max: 10,
        measure: |r, _| Some(r.some_distribution_has(DCAT_MEDIA_TYPE)),
    },
    Indicator {
        id: "format_media_type_vocabulary",
        dimension: Dimension::Interoperability,
        max: 10,
        measure: |r, _| Some(format_or_media_type_from_vocabulary(r)),
    },
    Indicator {
        id: "format_non_proprietary",
        dimension: Dimension::Interoperability,
        max: 20,
        measure: |r, _| {
            Some(
                distribution_format_traits(r)
                    .iter()
                    .any(|traits| traits.non_proprietary),
            )
        },
    },
    Indicator {
        id: "format_machine_readable",
        dimension: Dimension::Interoperability,
        max: 20,
        measure: |r, _| {
            Some(
                distribution_format_traits(r)
                    .iter()
                    .any(|traits| traits.machine_readable),
            )
        },
    },
    Indicator {
        id: "dcat_ap_compliance",
        dimension: Dimension::Interoperability,
        max: 30,
        measure: |_, findings| {
            Some(
                !findings
                    .iter()
                    .any(|finding| finding.severity == Severity::Violation),
            )
        },
    },
    Indicator {
        id: "licence",
        dimension: Dimension::Reusability,
        max: 20,
        measure: |r, _| Some(r.some_distribution_has(DCT_LICENSE)),
    },
    Indicator {
        id: "licence_vocabulary",
        dimension: Dimension::Reusability,
        max: 10,
        measure: |r, _| Some(licence_from_vocabulary(r)),
    },
    Indicator {
        id: "access_rights",
        dimension: Dimension::Reusability,
        max: 10,
        measure: |r, _| Some(r.record_has(DCT_ACCESS_RIGHTS)),
    },
    Indicator {
        id: "access_rights_vocabulary",
        dimension: Dimension::Reusability,
        max: 5,
        measure: |r, _| {
            Some(
                r.record_values(DCT_ACCESS_RIGHTS)
                    .iter()
                    .any(|value| is_access_right(*value)),
            )
        },
    },
    Indicator {
        id: "contact_point",
        dimension: Dimension::Reusability,
        max: 20,
        measure: |r, _| Some(r.record_has(DCAT_CONTACT_POINT)),
    },
    Indicator {
        id: "publisher",
        dimension: Dimension::Reusability,
        max: 10,
        measure: |r, _| Some(r.record_has(DCT_PUBLISHER)),
    },
    Indicator {
        id: "rights",
        dimension: Dimension::Contextuality,
        max: 5,
        measure: |r, _| Some(r.some_distribution_has(DCT_RIGHTS)),
    },
    Indicator {
        id: "byte_size",
        dimension: Dimension::Contextuality,
        max: 5,
        measure: |r, _| Some(r.some_distribution_has(DCAT_BYTE_SIZE)),
    },
    Indicator {
        id: "issued",
        dimension: Dimension::Contextuality,
        max: 5,
        measure: |r, _| Some(r.record_has(DCT_ISSUED) || r.some_distribution_has(DCT_ISSUED)),
    },
    Indicator {
        id: "modified",
        dimension: Dimension::Contextuality,
        max: 5,
        measure: |r, _| Some(r.record_has(DCT_MODIFIED) || r.some_distribution_has(DCT_MODIFIED)),
    },
];

/// Some distribution's `dct:format` is an EU file-type IRI, or its `dcat:mediaType` an IANA
/// media-type IRI.
fn format_or_media_type_from_vocabulary(record: &RecordView<'_, '_>) -> bool {
    let format_ok = record
        .distribution_values(DCT_FORMAT)
        .into_iter()
        .any(|value| matches!(authority_ref(value), Some(AuthorityRef::FileType(_))));
    format_ok
        || record
            .distribution_values(DCAT_MEDIA_TYPE)
            .into_iter()
            .any(|value| matches!(authority_ref(value), Some(AuthorityRef::MediaType(_))))
}

/// The traits of every distribution format ldtcat recognises (an EU file-type code, IRI or
/// media type, in `dct:format` or `dcat:mediaType`, as IRI or text).
fn distribution_format_traits(record: &RecordView<'_, '_>) -> Vec<FormatTraits> {
    let mut values = record.distribution_values(DCT_FORMAT);
    values.extend(record.distribution_values(DCAT_MEDIA_TYPE));
    values
        .into_iter()
        .filter_map(|value| {
            let text = match value {
                TermRef::NamedNode(iri) => iri.as_str(),
                TermRef::Literal(literal) => literal.value(),
                _ => return None,
            };
            let file_type = authority().file_type(text)?;
            format_traits(&file_type.code)
        })
        .collect()
}

/// Some distribution's `dct:license` is a licence the authority tables know (EU, SPDX,
/// Creative Commons IRIs), directly or through the licence document's `skos:exactMatch`.
fn licence_from_vocabulary(record: &RecordView<'_, '_>) -> bool {
    record
        .distribution_values(DCT_LICENSE)
        .into_iter()
        .any(|licence| {
            is_known_licence(licence)
                || record
                    .values_of(licence, SKOS_EXACT_MATCH)
                    .iter()
                    .any(|same| is_known_licence(*same))
        })
}

fn is_known_licence(value: TermRef<'_>) -> bool {
    matches!(value, TermRef::NamedNode(iri) if authority().licence(iri.as_str()).is_some())
        || matches!(
            authority_ref(value),
            Some(AuthorityRef::Licence(_) | AuthorityRef::Spdx(_))
        )
}

fn is_access_right(value: TermRef<'_>) -> bool {
    matches!(authority_ref(value), Some(AuthorityRef::AccessRight(_)))
}

fn authority_ref(value: TermRef<'_>) -> Option<AuthorityRef<'_>> {
    match value {
        TermRef::NamedNode(iri) => AuthorityRef::parse(iri.as_str()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_indicators_add_up_to_the_mqa_405_points_and_ids_are_unique() {
        assert_eq!(
            INDICATORS
                .iter()
                .map(|indicator| indicator.max)
                .sum::<u32>(),
            405
        );
        let mut ids: Vec<_> = INDICATORS.iter().map(|indicator| indicator.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), INDICATORS.len());
    }
}
