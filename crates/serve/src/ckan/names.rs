//! How records' publishers, themes, keywords and licences become CKAN organisations, groups,
//! tags and licence ids, and where a label is chosen (one function, [`choose_label`], on the
//! shared resolution order of `crate::resolver`).
//!
//! An organisation is the set of publisher names (the `publisher` facet's values) with one
//! slug; a group the set of themes (the `theme` facet's values: IRIs or literals) whose last
//! IRI segment has one slug. Names are slugs, so they are stable and URL-safe; ids are
//! hashes of the names.

use ldtcat_model::ckan::slug;
use ldtcat_model::summary::pick_display;
use ldtcat_model::{record_id, LangString};

use ldtcat_model::language::Languages;

use crate::labels::is_web_iri;
use crate::resolver::authority_or_fallback;

/// The name of the organisation of a publisher name.
pub(crate) fn organization_name(publisher: &str) -> String {
    let name = slug(publisher, ldtcat_model::ckan::MAX_NAME_LENGTH);
    if name.len() >= 2 {
        name
    } else {
        record_id(publisher)
    }
}

/// The name of the group of a theme (an IRI or a literal).
pub(crate) fn group_name(theme: &str) -> String {
    let last = if theme.contains("://") {
        theme
            .trim_end_matches(['/', '#'])
            .rsplit(['/', '#'])
            .next()
            .unwrap_or(theme)
    } else {
        theme
    };
    let name = slug(last, ldtcat_model::ckan::MAX_NAME_LENGTH);
    if name.len() >= 2 {
        name
    } else {
        record_id(theme)
    }
}

/// The id of an organisation or group: a hash of its kind and name.
pub(crate) fn group_id(kind: &str, name: &str) -> String {
    record_id(&format!("urn:ldtcat:ckan:{kind}:{name}"))
}

/// The id of a tag.
pub(crate) fn tag_id(name: &str) -> String {
    record_id(&format!("urn:ldtcat:ckan:tag:{name}"))
}

/// The label to show for a theme, a licence or a publisher: the
/// labels the record carries for it when there are some, else (IRIs) the EU authority tables
/// and the readable fallback of the shared resolver, in English as CKAN clients expect;
/// literals as they are. The one place labels are chosen for the CKAN API.
pub(crate) fn choose_label(value: &str, carried: &[LangString]) -> String {
    if let Some(label) = pick_display(carried) {
        return label.to_owned();
    }
    if is_web_iri(value) {
        authority_or_fallback(value, &Languages::english()).text
    } else {
        value.to_owned()
    }
}

/// Whether a licence is open as CKAN's `isopen` says it (a licence conformant with the Open
/// Definition): Creative Commons BY, BY-SA and CC0, the Open Data Commons licences, and the
/// national open licences of the EU vocabulary, recognised in an id or URL; anything else,
/// like an unknown licence in CKAN, is not.
pub(crate) fn is_open_licence(id: Option<&str>, url: Option<&str>) -> bool {
    const OPEN: &[&str] = &[
        "cc_by_4_0",
        "cc_by_3_0",
        "cc_by_2_0",
        "cc_bysa",
        "cc_by_sa",
        "cc-by",
        "cc0",
        "creativecommons.org/licenses/by/",
        "creativecommons.org/licenses/by-sa/",
        "creativecommons.org/publicdomain/zero/",
        "odc_by",
        "odc-by",
        "odc_odbl",
        "odc-odbl",
        "odbl",
        "odc_pddl",
        "odc-pddl",
        "pddl",
        "opendatacommons.org/licenses/",
        "etalab",
        "dl_de_by",
        "dl-de-by",
        "dl_de_zero",
        "dl-de-zero",
        "ogl",
    ];
    const CLOSED: &[&str] = &["_nc", "-nc", "_nd", "-nd", "by-nc", "by-nd"];
    [id, url].into_iter().flatten().any(|text| {
        let text = text.to_lowercase();
        OPEN.iter().any(|open| text.contains(open))
            && !CLOSED.iter().any(|closed| text.contains(closed))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_slugs_and_never_empty() {
        assert_eq!(organization_name("Ville d'Antibes"), "ville-d-antibes");
        assert_eq!(
            group_name("http://publications.europa.eu/resource/authority/data-theme/ENVI"),
            "envi"
        );
        assert_eq!(group_name("Mobilité douce"), "mobilite-douce");
        assert_eq!(
            organization_name("東").len(),
            4,
            "{}",
            organization_name("東")
        );
        assert_eq!(group_name("?").len(), 32);
        assert_ne!(group_id("organization", "a"), group_id("group", "a"));
    }

    #[test]
    fn carried_labels_win_over_the_fallback() {
        let theme = "http://publications.europa.eu/resource/authority/data-theme/ENVI";
        let carried = [LangString {
            value: "Milieu".to_owned(),
            lang: Some("nl".to_owned()),
        }];
        assert_eq!(choose_label(theme, &carried), "Milieu");
        assert_eq!(choose_label(theme, &[]), "Environment");
        assert_eq!(choose_label("Mobiliteit", &[]), "Mobiliteit");
    }

    #[test]
    fn open_licences_are_those_of_the_open_definition() {
        let eu = "http://publications.europa.eu/resource/authority/licence/";
        assert!(is_open_licence(Some(&format!("{eu}CC_BY_4_0")), None));
        assert!(is_open_licence(Some(&format!("{eu}ODC_ODBL")), None));
        assert!(is_open_licence(
            None,
            Some("https://creativecommons.org/publicdomain/zero/1.0/")
        ));
        assert!(is_open_licence(Some("cc-by"), None));
        assert!(!is_open_licence(Some(&format!("{eu}CC_BYNC_4_0")), None));
        assert!(!is_open_licence(Some("cc-by-nc"), None));
        assert!(!is_open_licence(
            None,
            Some("https://creativecommons.org/licenses/by-nd/4.0/")
        ));
        assert!(!is_open_licence(Some("De inhoud van de licentie"), None));
        assert!(!is_open_licence(None, None));
    }
}
