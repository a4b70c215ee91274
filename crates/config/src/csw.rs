//! The options of `csw` sources: the `GetRecords` constraint (an OGC Filter predicate or a
//! CQL text) and the output schema, validated like every other option (errors name the key).

use crate::harvest::SourceKind;

/// A CSW `GetRecords` constraint from the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CswConstraint {
    /// An OGC Filter 1.1 predicate (the XML inside `<ogc:Filter>`, namespace prefix `ogc`).
    Filter(String),
    /// An OGC CQL text.
    Cql(String),
}

/// The output schemas of CSW 2.0.2 that the `csw` kind reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CswOutputSchema {
    /// ISO 19139 (`http://www.isotc211.org/2005/gmd`).
    Iso19139,
    /// Dublin Core `csw:Record` (`http://www.opengis.net/cat/csw/2.0.2`).
    DublinCore,
}

impl CswOutputSchema {
    /// The `outputSchema` URI.
    pub fn uri(self) -> &'static str {
        match self {
            CswOutputSchema::Iso19139 => "http://www.isotc211.org/2005/gmd",
            CswOutputSchema::DublinCore => "http://www.opengis.net/cat/csw/2.0.2",
        }
    }
}

type CswOptions = (Option<CswConstraint>, Option<CswOutputSchema>);

/// Validates the CSW options (`constraint`, `output_schema`) of a source of `kind`.
pub(crate) fn validate_csw_options(
    constraint: Option<&str>,
    output_schema: Option<&str>,
    kind: SourceKind,
) -> Result<CswOptions, (&'static str, String)> {
    let for_csw_only = |key: &'static str| (key, "only csw sources take this option".to_owned());
    if kind != SourceKind::Csw {
        if constraint.is_some() {
            return Err(for_csw_only("options.constraint"));
        }
        if output_schema.is_some() {
            return Err(for_csw_only("options.output_schema"));
        }
        return Ok((None, None));
    }
    let constraint = match constraint.map(str::trim) {
        None => None,
        Some("") => return Err(("options.constraint", "is empty".to_owned())),
        Some(text) if text.starts_with('<') => {
            let balanced = text.matches('<').count() == text.matches('>').count();
            if !balanced || !text.contains("ogc:") {
                return Err((
                    "options.constraint",
                    "an OGC Filter predicate needs the `ogc:` prefix and well-formed tags \
                     (e.g. <ogc:PropertyIsLike …>…</ogc:PropertyIsLike>)"
                        .to_owned(),
                ));
            }
            let inner = text
                .strip_prefix("<ogc:Filter>")
                .and_then(|t| t.strip_suffix("</ogc:Filter>"))
                .unwrap_or(text);
            Some(CswConstraint::Filter(inner.trim().to_owned()))
        }
        Some(text) => Some(CswConstraint::Cql(text.to_owned())),
    };
    let output_schema = match output_schema {
        None => None,
        Some("iso19139" | "http://www.isotc211.org/2005/gmd") => Some(CswOutputSchema::Iso19139),
        Some("dublin-core" | "http://www.opengis.net/cat/csw/2.0.2") => {
            Some(CswOutputSchema::DublinCore)
        }
        Some(other) => {
            return Err((
                "options.output_schema",
                format!("`{other}`: use iso19139 or dublin-core"),
            ))
        }
    };
    Ok((constraint, output_schema))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harvest::load_harvest_file;
    use std::path::{Path, PathBuf};

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        path
    }

    #[test]
    fn csw_and_oai_pmh_options_are_validated_with_file_source_and_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(
            dir.path(),
            "csw.toml",
            "[[source]]\nid = \"geo\"\nkind = \"csw\"\nurl = \"https://geo.example.org/csw\"\n\
             [source.options]\nconstraint = \"<ogc:Filter><ogc:PropertyIsLike wildCard='%' singleChar='_' escapeChar='\\\\'><ogc:PropertyName>dc:title</ogc:PropertyName><ogc:Literal>%air%</ogc:Literal></ogc:PropertyIsLike></ogc:Filter>\"\n\
             output_schema = \"iso19139\"\nincremental = true\n",
        );
        let source = &load_harvest_file(&path).expect("loads")[0];
        assert_eq!(source.kind, SourceKind::Csw);
        assert!(matches!(
            &source.options.constraint,
            Some(CswConstraint::Filter(inner)) if inner.starts_with("<ogc:PropertyIsLike")
        ));
        assert_eq!(
            source.options.output_schema,
            Some(CswOutputSchema::Iso19139)
        );
        for (kind, text, key) in [
            ("csw", "output_schema = \"fgdc\"\n", "options.output_schema"),
            ("csw", "constraint = \"<Filter>\"\n", "options.constraint"),
            (
                "oai-pmh",
                "constraint = \"title like 'a%'\"\n",
                "options.constraint",
            ),
            (
                "csw",
                "metadata_prefix = \"oai_dc\"\n",
                "options.metadata_prefix",
            ),
            (
                "oai-pmh",
                "metadata_prefix = \"oai dc\"\n",
                "options.metadata_prefix",
            ),
            ("sparql", "incremental = true\n", "options.incremental"),
        ] {
            let path = write(
                dir.path(),
                "bad.toml",
                &format!(
                    "[[source]]\nid = \"g\"\nkind = \"{kind}\"\nurl = \"https://g.example.org/x\"\n[source.options]\n{text}"
                ),
            );
            let message = load_harvest_file(&path).expect_err(key).to_string();
            assert!(
                message.contains("bad.toml") && message.contains("`g`") && message.contains(key),
                "{message}"
            );
        }
    }
}
