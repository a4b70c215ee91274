//! JSON-LD contexts served from local copies (`vocab/contexts/`): ldtcat never fetches a
//! remote context. An unknown remote context is an error that names its URL.

use oxrdfio::{JsonLdProfile, LoadedDocument, RdfFormat};

const CONTEXTS: &[(&str, &str)] = &[
    ("https://semiceu.github.io/DCAT-AP/releases/3.0.0/context/dcat-ap.jsonld", include_str!("../../../vocab/contexts/context-dcat-ap.jsonld")),
    (
        "https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld",
        include_str!("../../../vocab/contexts/context-dcat-ap-examples.jsonld"),
    ),
    ("https://semiceu.github.io/MLDCAT-AP/releases/3.1.0/context/mldcat-ap.jsonld", include_str!("../../../vocab/contexts/context-mldcat-ap.jsonld")),
    ("https://w3id.org/dspace/2025/1/context.jsonld", include_str!("../../../vocab/contexts/context-dspace-2025-1.jsonld")),
    ("https://w3id.org/dspace/2025/1/odrl-profile.jsonld", include_str!("../../../vocab/contexts/context-odrl.jsonld")),
    ("http://www.w3.org/ns/odrl.jsonld", include_str!("../../../vocab/contexts/context-odrl.jsonld")),
    ("https://w3id.org/ldtcat/context.jsonld", include_str!("../../../vocab/context.jsonld")),
];

/// The error for a context that is not shipped.
#[derive(Debug, thiserror::Error)]
#[error("remote JSON-LD context <{0}> is not available offline (ldtcat ships the DCAT-AP, MLDCAT-AP, Dataspace Protocol, ODRL and ldtcat contexts)")]
pub struct UnknownContext(String);

/// Loads a context by URL from the local copies.
pub fn load_context(url: &str) -> Result<LoadedDocument, Box<dyn std::error::Error + Send + Sync>> {
    let normalised = url.trim_end_matches('#');
    let (_, content) = CONTEXTS
        .iter()
        .find(|(known, _)| *known == normalised)
        .ok_or_else(|| UnknownContext(url.to_owned()))?;
    Ok(LoadedDocument {
        url: url.to_owned(),
        content: content.as_bytes().to_vec(),
        format: RdfFormat::JsonLd {
            profile: JsonLdProfile::Context.into(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_contexts_load_and_unknown_ones_are_named() {
        assert!(load_context("https://w3id.org/dspace/2025/1/context.jsonld").is_ok());
        let error = load_context("https://example.org/ctx.jsonld")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("https://example.org/ctx.jsonld"), "{error}");
    }

    #[test]
    fn every_shipped_context_is_accepted_by_the_json_ld_parser() {
        for (url, _) in CONTEXTS {
            let document = format!(
                r#"{{"@context": "{url}", "@id": "https://example.org/a", "http://purl.org/dc/terms/title": "t"}}"#
            );
            let parser = oxrdfio::RdfParser::from_format(RdfFormat::JsonLd {
                profile: JsonLdProfile::Streaming.into(),
            });
            let quads: Result<Vec<_>, _> = parser
                .for_reader(document.as_bytes())
                .with_document_loader(load_context)
                .collect();
            assert_eq!(
                quads.map(|q| q.len()).map_err(|e| e.to_string()),
                Ok(1),
                "{url}"
            );
        }
    }
}
