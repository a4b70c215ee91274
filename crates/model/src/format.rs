//! Choosing the RDF syntax of a document: by media type, then file extension, then by
//! sniffing its first bytes.

use oxrdfio::RdfFormat;

/// The RDF syntax of a document. `media_type` wins over `name` (path or URL), which wins over
/// the content. Unknown plain text is read as TriG, which accepts Turtle, N-Triples and
/// N-Quads alike.
pub fn detect_format(media_type: Option<&str>, name: &str, head: &[u8]) -> Option<RdfFormat> {
    if let Some(format) = media_type.and_then(format_for_media_type) {
        return Some(format);
    }
    if let Some(format) = format_for_name(name) {
        return Some(format);
    }
    sniff(head)
}

/// The syntax named by a media type (parameters and case ignored), including the common
/// non-standard aliases real servers send.
pub fn format_for_media_type(media_type: &str) -> Option<RdfFormat> {
    let essence = media_type.split(';').next()?.trim().to_ascii_lowercase();
    match essence.as_str() {
        "text/rdf+n3" | "application/x-turtle" => Some(RdfFormat::Turtle),
        "application/rdf+json" => None,
        "application/json" => Some(RdfFormat::JsonLd {
            profile: oxrdfio::JsonLdProfileSet::empty(),
        }),
        other => RdfFormat::from_media_type(other),
    }
}

/// The syntax named by the extension of a path or URL (query and fragment ignored,
/// a trailing `.gz` is not handled here).
pub fn format_for_name(name: &str) -> Option<RdfFormat> {
    let path = name.split(['?', '#']).next().unwrap_or(name);
    let file_name = path.rsplit('/').next().unwrap_or(path);
    let (_, extension) = file_name.rsplit_once('.')?;
    match extension.to_ascii_lowercase().as_str() {
        "owl" | "xml" => Some(RdfFormat::RdfXml),
        "json" => Some(RdfFormat::JsonLd {
            profile: oxrdfio::JsonLdProfileSet::empty(),
        }),
        other => RdfFormat::from_extension(other),
    }
}

/// Guesses the syntax from the first bytes of a document.
pub fn sniff(head: &[u8]) -> Option<RdfFormat> {
    let text = String::from_utf8_lossy(head);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        return None;
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return Some(RdfFormat::JsonLd {
            profile: oxrdfio::JsonLdProfileSet::empty(),
        });
    }
    if trimmed.starts_with("<?xml")
        || trimmed.starts_with("<rdf:RDF")
        || trimmed.starts_with("<!--")
    {
        return Some(RdfFormat::RdfXml);
    }
    Some(RdfFormat::TriG)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_type_wins_over_extension_and_content() {
        assert_eq!(
            detect_format(
                Some("application/rdf+xml; charset=utf-8"),
                "x.ttl",
                b"@prefix"
            ),
            Some(RdfFormat::RdfXml)
        );
        assert_eq!(
            detect_format(None, "dir/x.nt", b"{"),
            Some(RdfFormat::NTriples)
        );
        assert_eq!(
            detect_format(Some("text/html"), "page?x=1", b"@prefix a: <b>"),
            Some(RdfFormat::TriG)
        );
    }

    #[test]
    fn sniffs_json_ld_rdf_xml_and_text() {
        assert!(matches!(
            sniff(b"  {\"@context\": {}}"),
            Some(RdfFormat::JsonLd { .. })
        ));
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><rdf:RDF/>"),
            Some(RdfFormat::RdfXml)
        );
        assert_eq!(
            sniff(b"<http://a> <http://b> <http://c> ."),
            Some(RdfFormat::TriG)
        );
        assert_eq!(sniff(b"   "), None);
    }

    #[test]
    fn extensions_cover_every_supported_syntax() {
        for (name, format) in [
            ("a.ttl", RdfFormat::Turtle),
            ("a.nt", RdfFormat::NTriples),
            ("a.nq", RdfFormat::NQuads),
            ("a.trig", RdfFormat::TriG),
            ("a.rdf", RdfFormat::RdfXml),
            ("http://x/catalog.rdf?page=2", RdfFormat::RdfXml),
        ] {
            assert_eq!(format_for_name(name), Some(format), "{name}");
        }
        assert!(matches!(
            format_for_name("a.jsonld"),
            Some(RdfFormat::JsonLd { .. })
        ));
        assert_eq!(format_for_name("README"), None);
    }
}
