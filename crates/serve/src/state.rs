//! What every handler shares: the store, the index, the rules and the site settings; and the
//! bridge from async handlers to their synchronous APIs.

use std::sync::Arc;

use ldtcat_index::CatalogIndex;
use ldtcat_store::CatalogStore;
use ldtcat_vocab::RuleSet;

use crate::error::ServeError;

/// How the site presents itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSettings {
    /// The site title, in the header of every page (`Perugia LDT catalogue`).
    pub title: String,
    /// One sentence about the catalogue, on the home page and in the footer.
    pub description: String,
    /// The URL the site is reached at, without a trailing slash
    /// (`https://catalogue.example.org`): absolute links in the API are built from it.
    pub public_base_url: String,
    /// Who publishes the catalogue (`dct:publisher` of `/catalog`).
    pub publisher_name: String,
    /// The catalogue's language, an EU language authority IRI.
    pub language: String,
    /// The licence of the catalogue's own metadata, an IRI.
    pub licence: String,
}

impl Default for SiteSettings {
    fn default() -> Self {
        Self {
            title: "ldtcat".to_owned(),
            description: "Resources for Local Digital Twins.".to_owned(),
            public_base_url: "http://localhost:8080".to_owned(),
            publisher_name: "ldtcat operator".to_owned(),
            language: "http://publications.europa.eu/resource/authority/language/ENG".to_owned(),
            licence: "http://publications.europa.eu/resource/authority/licence/CC0".to_owned(),
        }
    }
}

impl SiteSettings {
    /// This catalogue's IRI, `{public_base_url}/catalog`: the subject of `/catalog`, and the
    /// origin that records entering the federation here carry to peers.
    pub fn catalogue_iri(&self) -> String {
        self.absolute_url("/catalog")
    }

    /// The absolute URL of a path on this site (`path` starts with `/`).
    pub fn absolute_url(&self, path: &str) -> String {
        format!("{}{path}", self.public_base_url.trim_end_matches('/'))
    }
}

/// The state of the server, shared by every request.
#[derive(Clone)]
pub struct AppState {
    /// The catalogue store (the source of truth).
    pub store: CatalogStore,
    /// The search index.
    pub index: Arc<CatalogIndex>,
    /// The classification rules, to say why a record has its kind.
    pub rules: Arc<RuleSet>,
    /// How the site presents itself.
    pub site: SiteSettings,
    /// The SPARQL endpoint's engine and limits.
    pub sparql: crate::sparql::SparqlService,
    /// The harvester and the admin token (none: `/sources` is empty and the admin endpoint
    /// disabled).
    pub harvest: Option<crate::harvest_admin::HarvestAdmin>,
    /// The Dataspace Protocol catalog's settings.
    pub dsp: crate::dsp::DspSettings,
    /// How IRIs are named for people, by every interface (`Labels::new(index.clone())`).
    pub labels: crate::resolver::Labels,
}

/// Runs a synchronous store or index call on the blocking pool.
pub async fn blocking<T, E>(
    work: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, ServeError>
where
    T: Send + 'static,
    E: Send + 'static,
    ServeError: From<E>,
{
    Ok(tokio::task::spawn_blocking(work).await??)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_urls_do_not_double_the_slash() {
        let site = SiteSettings {
            title: "t".to_owned(),
            description: String::new(),
            public_base_url: "https://catalogue.example.org/".to_owned(),
            ..SiteSettings::default()
        };
        assert_eq!(
            site.absolute_url("/resources/ab"),
            "https://catalogue.example.org/resources/ab"
        );
    }
}
