//! Recognising the IRIs of the authority tables: the EU Publications Office's
//! `.../resource/authority/{table}/{code}`, Belgif's data themes (a copy of the EU ones),
//! IANA media types, SPDX licences, and the ISO 639 language IRIs of the Library of Congress
//! and of Lexvo. `http` and `https` are the same IRI here.

/// Builds an [`AuthorityRef`] from the code after a known prefix.
type Constructor<'a> = fn(&'a str) -> AuthorityRef<'a>;

/// Which table an IRI belongs to, and its code there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorityRef<'a> {
    /// `.../authority/data-theme/ENVI`, `vocab.belgif.be/auth/datatheme/ENVI`.
    DataTheme(&'a str),
    /// `.../authority/file-type/CSV`.
    FileType(&'a str),
    /// `.../authority/licence/CC_BY_4_0`.
    Licence(&'a str),
    /// `.../authority/language/FRA`, or an ISO 639-2/639-3 code of LoC or Lexvo.
    Language(&'a str),
    /// An ISO 639-1 code (`fr`) of LoC or Lexvo.
    LanguageAlpha2(&'a str),
    /// `.../authority/country/BEL`.
    Country(&'a str),
    /// `.../authority/frequency/MONTHLY`.
    Frequency(&'a str),
    /// `.../authority/access-right/PUBLIC`.
    AccessRight(&'a str),
    /// `www.iana.org/assignments/media-types/text/csv`: the media type.
    MediaType(&'a str),
    /// `spdx.org/licenses/MIT(.html|.json)`: the SPDX id.
    Spdx(&'a str),
}

const EU_AUTHORITY: &str = "publications.europa.eu/resource/authority/";

/// The IRI without its `http://` or `https://`.
pub(crate) fn without_scheme(iri: &str) -> &str {
    iri.strip_prefix("https://")
        .or_else(|| iri.strip_prefix("http://"))
        .unwrap_or(iri)
}

impl<'a> AuthorityRef<'a> {
    /// The table and code of an IRI, if it is one of the known forms.
    pub fn parse(iri: &'a str) -> Option<AuthorityRef<'a>> {
        let bare = without_scheme(iri.trim());
        if let Some(rest) = bare.strip_prefix(EU_AUTHORITY) {
            let (table, code) = rest.split_once('/')?;
            let code = code.trim_end_matches('/');
            if code.is_empty() {
                return None;
            }
            return match table {
                "data-theme" => Some(AuthorityRef::DataTheme(code)),
                "file-type" => Some(AuthorityRef::FileType(code)),
                "licence" => Some(AuthorityRef::Licence(code)),
                "language" => Some(AuthorityRef::Language(code)),
                "country" => Some(AuthorityRef::Country(code)),
                "frequency" => Some(AuthorityRef::Frequency(code)),
                "access-right" => Some(AuthorityRef::AccessRight(code)),
                _ => None,
            };
        }
        let prefixed: [(&str, Constructor<'a>); 8] = [
            ("vocab.belgif.be/auth/datatheme/", AuthorityRef::DataTheme),
            (
                "www.iana.org/assignments/media-types/",
                AuthorityRef::MediaType,
            ),
            ("spdx.org/licenses/", AuthorityRef::Spdx),
            (
                "id.loc.gov/vocabulary/iso639-1/",
                AuthorityRef::LanguageAlpha2,
            ),
            ("id.loc.gov/vocabulary/iso639-2/", AuthorityRef::Language),
            ("lexvo.org/id/iso639-1/", AuthorityRef::LanguageAlpha2),
            ("lexvo.org/id/iso639-3/", AuthorityRef::Language),
            ("www.lexvo.org/id/iso639-3/", AuthorityRef::Language),
        ];
        for (prefix, make) in prefixed {
            if let Some(code) = bare.strip_prefix(prefix) {
                let code = code
                    .trim_end_matches('/')
                    .trim_end_matches(".html")
                    .trim_end_matches(".json");
                return (!code.is_empty()).then(|| make(code));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eu_and_other_authority_iris_are_recognised() {
        assert_eq!(
            AuthorityRef::parse("http://publications.europa.eu/resource/authority/data-theme/ENVI"),
            Some(AuthorityRef::DataTheme("ENVI"))
        );
        assert_eq!(
            AuthorityRef::parse("https://vocab.belgif.be/auth/datatheme/ECON"),
            Some(AuthorityRef::DataTheme("ECON"))
        );
        assert_eq!(
            AuthorityRef::parse("http://www.iana.org/assignments/media-types/text/csv"),
            Some(AuthorityRef::MediaType("text/csv"))
        );
        assert_eq!(
            AuthorityRef::parse("https://spdx.org/licenses/MIT.html"),
            Some(AuthorityRef::Spdx("MIT"))
        );
        assert_eq!(
            AuthorityRef::parse("http://lexvo.org/id/iso639-3/eng"),
            Some(AuthorityRef::Language("eng"))
        );
        assert_eq!(
            AuthorityRef::parse("http://publications.europa.eu/resource/authority/country/"),
            None
        );
        assert_eq!(AuthorityRef::parse("https://example.org/theme/x"), None);
    }
}
