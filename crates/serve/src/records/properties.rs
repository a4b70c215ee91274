//! The parts of a Records record read from a DCAT description: themes, contacts, formats,
//! the licence, the temporal extent and dates (see the mapping table in the crate README).

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use ldtcat_model::describe::{Agent, Concept, Contact, Description, Period, Reference};
use ldtcat_model::extract::{normalise_format, parse_datetime};
use serde_json::{json, Map, Value};

use super::language::LanguagePreferences;

/// The theme scheme of themes given as literals (no concept IRI, no scheme).
pub(crate) const LITERAL_THEME_SCHEME: &str = "http://www.w3.org/ns/dcat#theme";

/// The label to show for a reference: its chosen label, else its IRI.
pub(crate) fn reference_label(
    reference: &Reference,
    languages: &LanguagePreferences,
) -> Option<String> {
    languages
        .text(&reference.labels)
        .or_else(|| reference.iri.clone())
}

/// The scheme of a concept: `skos:inScheme`, else the namespace of its IRI (up to the last
/// `/` or `#`), else [`LITERAL_THEME_SCHEME`].
fn concept_scheme(concept: &Concept) -> String {
    if let Some(scheme) = &concept.scheme {
        return scheme.clone();
    }
    match &concept.reference.iri {
        Some(iri) => match iri.rfind(['/', '#']) {
            Some(at) if at + 1 < iri.len() => iri[..at].to_owned(),
            _ => iri.clone(),
        },
        None => LITERAL_THEME_SCHEME.to_owned(),
    }
}

/// `dcat:theme` grouped by scheme: `{scheme, concepts: [{id, title, url}]}`.
pub(crate) fn themes(description: &Description, languages: &LanguagePreferences) -> Vec<Value> {
    let mut by_scheme: Vec<(String, Vec<Value>)> = Vec::new();
    for concept in &description.themes {
        let title = languages.text(&concept.reference.labels);
        let id = concept.reference.iri.clone().or_else(|| title.clone());
        let Some(id) = id else { continue };
        let mut entry = Map::new();
        entry.insert("id".to_owned(), json!(id));
        if let Some(title) = title.filter(|t| *t != id) {
            entry.insert("title".to_owned(), json!(title));
        }
        if let Some(iri) = concept.reference.iri.as_deref().filter(|i| is_web_url(i)) {
            entry.insert("url".to_owned(), json!(iri));
        }
        let scheme = concept_scheme(concept);
        match by_scheme.iter_mut().find(|(s, _)| *s == scheme) {
            Some((_, concepts)) => concepts.push(Value::Object(entry)),
            None => by_scheme.push((scheme, vec![Value::Object(entry)])),
        }
    }
    by_scheme
        .into_iter()
        .map(|(scheme, concepts)| json!({"concepts": concepts, "scheme": scheme}))
        .collect()
}

/// An `http`/`https` URL without spaces (what may be a link's `href`).
pub(crate) fn is_web_url(text: &str) -> bool {
    (text.starts_with("http://") || text.starts_with("https://"))
        && !text.contains(char::is_whitespace)
}

/// Contacts: publishers (role `publisher`), creators (`author`) and contact points
/// (`pointOfContact`).
pub(crate) fn contacts(description: &Description, languages: &LanguagePreferences) -> Vec<Value> {
    let mut contacts = Vec::new();
    for (agents, role) in [
        (&description.publishers, "publisher"),
        (&description.creators, "author"),
    ] {
        contacts.extend(
            agents
                .iter()
                .map(|agent| agent_contact(agent, role, languages)),
        );
    }
    contacts.extend(description.contacts.iter().map(vcard_contact));
    contacts
}

fn agent_contact(agent: &Agent, role: &str, languages: &LanguagePreferences) -> Value {
    let mut contact = Map::new();
    if let Some(iri) = &agent.reference.iri {
        contact.insert("identifier".to_owned(), json!(iri));
    }
    let name = languages
        .text(&agent.reference.labels)
        .or_else(|| agent.email.clone())
        .or_else(|| agent.reference.iri.clone())
        .unwrap_or_else(|| "(unnamed)".to_owned());
    contact.insert("organization".to_owned(), json!(name));
    if let Some(email) = &agent.email {
        contact.insert("emails".to_owned(), json!([{ "value": email }]));
    }
    if let Some(homepage) = agent.homepage.as_deref().filter(|h| is_web_url(h)) {
        contact.insert(
            "links".to_owned(),
            json!([{ "href": homepage, "rel": "about", "type": "text/html" }]),
        );
    }
    contact.insert("roles".to_owned(), json!([role]));
    Value::Object(contact)
}

fn vcard_contact(vcard: &Contact) -> Value {
    let mut contact = Map::new();
    if let Some(iri) = &vcard.iri {
        contact.insert("identifier".to_owned(), json!(iri));
    }
    if let Some(name) = &vcard.name {
        contact.insert("name".to_owned(), json!(name));
    }
    if let Some(organization) = &vcard.organization {
        contact.insert("organization".to_owned(), json!(organization));
    }
    if vcard.name.is_none() && vcard.organization.is_none() {
        let fallback = vcard.email.clone().or_else(|| vcard.iri.clone());
        contact.insert("name".to_owned(), json!(fallback.unwrap_or_default()));
    }
    if let Some(email) = &vcard.email {
        contact.insert("emails".to_owned(), json!([{ "value": email }]));
    }
    if let Some(phone) = vcard.phone.as_deref().and_then(international_phone) {
        contact.insert("phones".to_owned(), json!([{ "value": phone }]));
    }
    if let Some(url) = vcard.url.as_deref().filter(|u| is_web_url(u)) {
        contact.insert(
            "links".to_owned(),
            json!([{ "href": url, "rel": "about", "type": "text/html" }]),
        );
    }
    contact.insert("roles".to_owned(), json!(["pointOfContact"]));
    Value::Object(contact)
}

/// A phone number in the international form the schema asks (`+` and 4 to 15 digits), or
/// `None` when it cannot be written so (a local number without country code).
fn international_phone(phone: &str) -> Option<String> {
    let digits: String = phone
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '/'))
        .collect();
    let rest = digits.strip_prefix('+')?;
    let ok = (4..=15).contains(&rest.len())
        && rest.chars().all(|c| c.is_ascii_digit())
        && !rest.starts_with('0');
    ok.then_some(digits)
}

/// `formats`: the distributions' formats and media types, each pair once.
pub(crate) fn formats(description: &Description) -> Vec<Value> {
    let mut seen: Vec<(Option<String>, Option<String>)> = Vec::new();
    for distribution in &description.distributions {
        let name = distribution.format.as_deref().map(normalise_format);
        let media_type = distribution.media_type.as_deref().map(normalise_format);
        if (name.is_some() || media_type.is_some())
            && !seen.contains(&(name.clone(), media_type.clone()))
        {
            seen.push((name, media_type));
        }
    }
    seen.into_iter()
        .map(|(name, media_type)| {
            let mut format = Map::new();
            if let Some(name) = name {
                format.insert("name".to_owned(), json!(name));
            }
            if let Some(media_type) = media_type {
                format.insert("mediaType".to_owned(), json!(media_type));
            }
            Value::Object(format)
        })
        .collect()
}

/// The SPDX identifier of a licence IRI, for the licences catalogues use most (Creative
/// Commons, the EU licence authority, ODbL, Etalab, OGL); `None` for others.
pub(crate) fn spdx_id(iri: &str) -> Option<&'static str> {
    let iri = iri.trim_end_matches('/').to_ascii_lowercase();
    let iri = iri
        .trim_start_matches("http://")
        .trim_start_matches("https://");
    const TABLE: [(&str, &str); 16] = [
        ("creativecommons.org/licenses/by/4.0", "CC-BY-4.0"),
        ("creativecommons.org/licenses/by-sa/4.0", "CC-BY-SA-4.0"),
        ("creativecommons.org/licenses/by-nc/4.0", "CC-BY-NC-4.0"),
        ("creativecommons.org/licenses/by-nd/4.0", "CC-BY-ND-4.0"),
        ("creativecommons.org/licenses/by/3.0", "CC-BY-3.0"),
        ("creativecommons.org/publicdomain/zero/1.0", "CC0-1.0"),
        (
            "publications.europa.eu/resource/authority/licence/cc_by_4_0",
            "CC-BY-4.0",
        ),
        (
            "publications.europa.eu/resource/authority/licence/cc_bysa_4_0",
            "CC-BY-SA-4.0",
        ),
        (
            "publications.europa.eu/resource/authority/licence/cc0",
            "CC0-1.0",
        ),
        (
            "publications.europa.eu/resource/authority/licence/odbl",
            "ODbL-1.0",
        ),
        (
            "publications.europa.eu/resource/authority/licence/eupl_1_2",
            "EUPL-1.2",
        ),
        ("opendatacommons.org/licenses/odbl/1.0", "ODbL-1.0"),
        ("opendatacommons.org/licenses/odbl", "ODbL-1.0"),
        (
            "www.etalab.gouv.fr/licence-ouverte-open-licence",
            "etalab-2.0",
        ),
        (
            "www.nationalarchives.gov.uk/doc/open-government-licence/version/3",
            "OGL-UK-3.0",
        ),
        ("spdx.org/licenses/cc-by-4.0", "CC-BY-4.0"),
    ];
    if let Some(id) = iri.strip_prefix("spdx.org/licenses/") {
        return TABLE
            .iter()
            .find(|(_, spdx)| spdx.eq_ignore_ascii_case(id.trim_end_matches(".html")))
            .map(|(_, spdx)| *spdx);
    }
    TABLE
        .iter()
        .find(|(known, _)| *known == iri)
        .map(|(_, spdx)| *spdx)
}

/// `license`: the SPDX id when the resource (with its distributions) has exactly one
/// licence and it has one; `other` when it has licences but not so; none without.
pub(crate) fn licence(description: &Description) -> Option<String> {
    let licences = description.all_licences();
    match licences.as_slice() {
        [] => None,
        [only] => Some(
            only.iri
                .as_deref()
                .and_then(spdx_id)
                .map_or_else(|| "other".to_owned(), str::to_owned),
        ),
        _ => Some("other".to_owned()),
    }
}

/// `rights`: the `dct:rights` and `dct:accessRights` statements, chosen labels joined.
pub(crate) fn rights(description: &Description, languages: &LanguagePreferences) -> Option<String> {
    let texts: Vec<String> = description
        .rights
        .iter()
        .chain(&description.access_rights)
        .filter_map(|r| reference_label(r, languages))
        .collect();
    (!texts.is_empty()).then(|| texts.join("; "))
}

/// A date or time as given, as RFC 3339 UTC (`created`, `updated`); `None` when it does
/// not parse.
pub(crate) fn timestamp(lexical: Option<&str>) -> Option<String> {
    parse_datetime(lexical?).map(|time| time.to_rfc3339_opts(SecondsFormat::Secs, true))
}

enum Bound {
    Date(NaiveDate),
    Stamp(DateTime<Utc>),
}

fn bound(lexical: &str) -> Option<Bound> {
    let text = lexical.trim();
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(Bound::Date(date));
    }
    parse_datetime(text).map(Bound::Stamp)
}

/// `time`: the temporal coverage as an interval (the envelope of every period, an open end
/// as `..`); dates stay dates unless the other end is a time, then both are times (a date
/// end is the end of its day). `None` without a usable period.
pub(crate) fn time(periods: &[Period]) -> Option<Value> {
    let mut start: Option<Option<Bound>> = None;
    let mut end: Option<Option<Bound>> = None;
    for period in periods {
        let this_start = period.start.as_deref().and_then(bound);
        let this_end = period.end.as_deref().and_then(bound);
        if this_start.is_none() && this_end.is_none() {
            continue;
        }
        start = Some(match (start.take(), this_start) {
            (None, s) => s,
            (Some(None), _) | (Some(Some(_)), None) => None,
            (Some(Some(a)), Some(b)) => Some(if key(&b, false) < key(&a, false) {
                b
            } else {
                a
            }),
        });
        end = Some(match (end.take(), this_end) {
            (None, e) => e,
            (Some(None), _) | (Some(Some(_)), None) => None,
            (Some(Some(a)), Some(b)) => Some(if key(&b, true) > key(&a, true) { b } else { a }),
        });
    }
    let (start, end) = (start?, end?);
    let as_dates = !matches!(start, Some(Bound::Stamp(_))) && !matches!(end, Some(Bound::Stamp(_)));
    let text = |b: &Option<Bound>, is_end: bool| match b {
        None => "..".to_owned(),
        Some(Bound::Date(d)) if as_dates => d.format("%Y-%m-%d").to_string(),
        Some(b) => key(b, is_end).to_rfc3339_opts(SecondsFormat::Secs, true),
    };
    Some(json!({"interval": [text(&start, false), text(&end, true)]}))
}

/// The instant a bound stands for: a date's first second, or its last as an end.
fn key(bound: &Bound, is_end: bool) -> DateTime<Utc> {
    match bound {
        Bound::Stamp(time) => *time,
        Bound::Date(date) => {
            let time = if is_end {
                chrono::NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(chrono::NaiveTime::MIN)
            } else {
                chrono::NaiveTime::MIN
            };
            date.and_time(time).and_utc()
        }
    }
}

/// The BCP 47 tag of a language given as an EU language authority IRI, an ISO 639 code or
/// a tag (`http://…/language/ENG` → `en`); unknown three-letter codes stay as they are.
pub(crate) fn language_tag(value: &str) -> Option<String> {
    let code = value
        .trim_end_matches('/')
        .rsplit(['/', '#'])
        .next()
        .unwrap_or(value)
        .trim()
        .to_ascii_lowercase();
    const ISO_639: [(&str, &str); 26] = [
        ("bul", "bg"),
        ("ces", "cs"),
        ("dan", "da"),
        ("deu", "de"),
        ("ell", "el"),
        ("eng", "en"),
        ("est", "et"),
        ("fin", "fi"),
        ("fra", "fr"),
        ("gle", "ga"),
        ("hrv", "hr"),
        ("hun", "hu"),
        ("ita", "it"),
        ("lav", "lv"),
        ("lit", "lt"),
        ("mlt", "mt"),
        ("nld", "nl"),
        ("pol", "pl"),
        ("por", "pt"),
        ("ron", "ro"),
        ("slk", "sk"),
        ("slv", "sl"),
        ("spa", "es"),
        ("swe", "sv"),
        ("nor", "no"),
        ("ltz", "lb"),
    ];
    if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return None;
    }
    Some(
        ISO_639
            .iter()
            .find(|(three, _)| *three == code)
            .map_or(code.clone(), |(_, two)| (*two).to_owned()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(start: Option<&str>, end: Option<&str>) -> Period {
        Period {
            start: start.map(str::to_owned),
            end: end.map(str::to_owned),
        }
    }

    #[test]
    fn periods_become_one_interval() {
        assert_eq!(
            time(&[period(Some("2019-01-01"), None)]),
            Some(json!({"interval": ["2019-01-01", ".."]}))
        );
        assert_eq!(
            time(&[
                period(Some("2019-01-01"), Some("2019-12-31")),
                period(Some("2018-06-01"), Some("2019-03-01"))
            ]),
            Some(json!({"interval": ["2018-06-01", "2019-12-31"]}))
        );
        assert_eq!(
            time(&[period(
                Some("2019-01-01"),
                Some("2019-06-30T12:00:00+02:00")
            )]),
            Some(json!({"interval": ["2019-01-01T00:00:00Z", "2019-06-30T10:00:00Z"]}))
        );
        assert_eq!(time(&[period(Some("soon"), None)]), None);
        assert_eq!(time(&[]), None);
    }

    #[test]
    fn licences_phones_and_languages_are_normalised() {
        assert_eq!(
            spdx_id("http://creativecommons.org/licenses/by/4.0/"),
            Some("CC-BY-4.0")
        );
        assert_eq!(
            spdx_id("http://publications.europa.eu/resource/authority/licence/CC0"),
            Some("CC0-1.0")
        );
        assert_eq!(spdx_id("https://example.org/my-licence"), None);
        assert_eq!(
            international_phone("+33 4 92 90 50 00").as_deref(),
            Some("+33492905000")
        );
        assert_eq!(international_phone("04 92 90 50 00"), None);
        assert_eq!(
            language_tag("http://publications.europa.eu/resource/authority/language/ENG")
                .as_deref(),
            Some("en")
        );
        assert_eq!(language_tag("de-CH").as_deref(), Some("de-ch"));
    }
}
