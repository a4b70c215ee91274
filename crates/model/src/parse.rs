//! Lenient, streaming parsing of one RDF document, with repair of broken IRIs and language
//! tags.
//!
//! Real catalogues contain IRIs with spaces, TABs or relative references. The parser runs in
//! Oxigraph's lenient mode with a base IRI; every IRI it yields is then checked: one that is
//! not a valid absolute IRI is *repaired* (trimmed, then disallowed characters
//! percent-encoded) when that makes it valid, otherwise its statement is *dropped*. Both are
//! counted in the [`ParseReport`]. Lenient mode passes language tags through unchecked too
//! (`xml:lang="en_GB"`, `"@language": "English"`): one that is not BCP 47 is repaired (`_`
//! read as `-`) or dropped (the value kept as a plain string), and counted as a repair. A
//! syntax error is different: the document's structure is
//! unknown past it, so the whole document is rejected with its line and column and nothing of
//! it is used.

use std::io::Read;

use oxilangtag::LanguageTag;
use oxiri::Iri;
use oxrdf::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use oxrdfio::{RdfFormat, RdfParseError, RdfParser};

use crate::ModelError;

/// How many examples of repaired or dropped statements a report keeps.
const MAX_EXAMPLES: usize = 20;

/// What parsing one document did beyond yielding statements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParseReport {
    /// Statements yielded.
    pub statements: u64,
    /// Statements kept after repairing an IRI in them.
    pub repaired: u64,
    /// Statements dropped because an IRI in them could not be repaired.
    pub dropped: u64,
    /// Up to 20 examples: `repaired <bad> -> <good>` or `dropped: <bad>: reason`.
    pub examples: Vec<String>,
}

impl ParseReport {
    fn note(&mut self, example: String) {
        if self.examples.len() < MAX_EXAMPLES {
            self.examples.push(example);
        }
    }
}

/// One RDF document that can be read (and re-read: record splitting reads it twice).
pub struct RdfDocument<'a> {
    /// The path or URL, used in messages.
    pub name: String,
    /// The base IRI relative references resolve against.
    pub base_iri: Option<String>,
    /// The syntax.
    pub format: RdfFormat,
    open: Box<dyn Fn() -> std::io::Result<Box<dyn Read + 'a>> + 'a>,
}

impl<'a> RdfDocument<'a> {
    /// A document read through `open`, called once per pass.
    pub fn new(
        name: impl Into<String>,
        base_iri: Option<String>,
        format: RdfFormat,
        open: impl Fn() -> std::io::Result<Box<dyn Read + 'a>> + 'a,
    ) -> Self {
        Self {
            name: name.into(),
            base_iri,
            format,
            open: Box::new(open),
        }
    }

    /// A document held in memory.
    pub fn from_slice(
        name: impl Into<String>,
        base_iri: Option<String>,
        format: RdfFormat,
        bytes: &'a [u8],
    ) -> Self {
        Self::new(name, base_iri, format, move || {
            Ok(Box::new(bytes) as Box<dyn Read>)
        })
    }

    /// Calls `on_quad` with every statement, repaired where needed, in document order.
    /// Stops at the first syntax error (returned as [`ModelError::Syntax`]) or at the first
    /// error of `on_quad`.
    pub fn for_each_quad(
        &self,
        report: &mut ParseReport,
        mut on_quad: impl FnMut(Quad) -> Result<(), ModelError>,
    ) -> Result<(), ModelError> {
        self.for_each_quad_noting_repairs(report, |quad, _| on_quad(quad))
    }

    /// [`RdfDocument::for_each_quad`], telling `on_quad` what was repaired in each statement
    /// (`<bad> -> <good>`, `language tag "en_US" -> "en-US"`), so that the records holding
    /// them can count it.
    pub fn for_each_quad_noting_repairs(
        &self,
        report: &mut ParseReport,
        mut on_quad: impl FnMut(Quad, Option<&str>) -> Result<(), ModelError>,
    ) -> Result<(), ModelError> {
        let mut parser = RdfParser::from_format(self.format).lenient();
        if let Some(base_iri) = &self.base_iri {
            parser = parser.with_base_iri(base_iri.as_str()).map_err(|error| {
                ModelError::InvalidBaseIri {
                    document: self.name.clone(),
                    base_iri: base_iri.clone(),
                    message: error.to_string(),
                }
            })?;
        }
        let io_error = |source| ModelError::Io {
            document: self.name.clone(),
            source,
        };
        let mut reader = (self.open)().map_err(io_error)?;
        if self.format == RdfFormat::RdfXml {
            reader = crate::xml_entities::bounded(reader).map_err(io_error)?;
        }
        for quad in parser
            .for_reader(reader)
            .with_document_loader(crate::contexts::load_context)
        {
            let quad = quad.map_err(|error| self.parse_error(error))?;
            report.statements += 1;
            match repair_quad(quad) {
                Repaired::Unchanged(quad) => on_quad(quad, None)?,
                Repaired::Fixed(quad, what) => {
                    report.repaired += 1;
                    report.note(format!("repaired {what}"));
                    on_quad(quad, Some(&what))?;
                }
                Repaired::Dropped(what) => {
                    report.dropped += 1;
                    report.note(format!("dropped: {what}"));
                }
            }
        }
        Ok(())
    }

    fn parse_error(&self, error: RdfParseError) -> ModelError {
        match error {
            RdfParseError::Io(source) => ModelError::Io {
                document: self.name.clone(),
                source,
            },
            RdfParseError::Syntax(error) => {
                let (line, column) = error
                    .location()
                    .map(|range| (range.start.line + 1, range.start.column + 1))
                    .unwrap_or((0, 0));
                ModelError::Syntax {
                    document: self.name.clone(),
                    line,
                    column,
                    message: error.to_string(),
                }
            }
        }
    }
}

enum Repaired {
    Unchanged(Quad),
    Fixed(Quad, String),
    Dropped(String),
}

fn repair_quad(quad: Quad) -> Repaired {
    let mut fixes = Vec::new();
    let subject = match quad.subject {
        NamedOrBlankNode::NamedNode(node) => match repair_iri(node, &mut fixes) {
            Ok(node) => NamedOrBlankNode::NamedNode(node),
            Err(bad) => return Repaired::Dropped(bad),
        },
        other => other,
    };
    let predicate = match repair_iri(quad.predicate, &mut fixes) {
        Ok(node) => node,
        Err(bad) => return Repaired::Dropped(bad),
    };
    let object = match quad.object {
        Term::NamedNode(node) => match repair_iri(node, &mut fixes) {
            Ok(node) => Term::NamedNode(node),
            Err(bad) => return Repaired::Dropped(bad),
        },
        Term::Literal(literal) => Term::Literal(repair_language(literal, &mut fixes)),
        other => other,
    };
    let graph_name = match quad.graph_name {
        GraphName::NamedNode(node) => match repair_iri(node, &mut fixes) {
            Ok(node) => GraphName::NamedNode(node),
            Err(bad) => return Repaired::Dropped(bad),
        },
        other => other,
    };
    let quad = Quad::new(subject, predicate, object, graph_name);
    if fixes.is_empty() {
        Repaired::Unchanged(quad)
    } else {
        Repaired::Fixed(quad, fixes.join(", "))
    }
}

/// Returns the node itself when valid, a repaired node when repairable, else a description.
fn repair_iri(node: NamedNode, fixes: &mut Vec<String>) -> Result<NamedNode, String> {
    if Iri::parse(node.as_str()).is_ok() {
        return Ok(node);
    }
    let repaired = percent_encode_disallowed(node.as_str().trim());
    match Iri::parse(repaired.as_str()) {
        Ok(_) => {
            fixes.push(format!(
                "<{}> -> <{repaired}>",
                escape_for_message(node.as_str())
            ));
            Ok(NamedNode::new_unchecked(repaired))
        }
        Err(error) => Err(format!("<{}>: {error}", escape_for_message(node.as_str()))),
    }
}

/// A literal whose language tag is not well-formed BCP 47 (the lenient parsers pass
/// `xml:lang="en_US"` or `"@language": "English"` through): the tag with `_` read as `-`
/// when that makes it well-formed, otherwise the value as a plain string.
fn repair_language(literal: Literal, fixes: &mut Vec<String>) -> Literal {
    let Some(tag) = literal.language() else {
        return literal;
    };
    if LanguageTag::parse(tag).is_ok() {
        return literal;
    }
    let shown = escape_for_message(tag);
    let candidate = tag.trim().replace('_', "-");
    match LanguageTag::parse(candidate.as_str()) {
        Ok(_) => {
            fixes.push(format!("language tag \"{shown}\" -> \"{candidate}\""));
            Literal::new_language_tagged_literal_unchecked(literal.value(), candidate)
        }
        Err(_) => {
            fixes.push(format!("language tag \"{shown}\" is not BCP 47: dropped"));
            Literal::new_simple_literal(literal.value())
        }
    }
}

fn percent_encode_disallowed(iri: &str) -> String {
    let mut out = String::with_capacity(iri.len());
    for c in iri.chars() {
        if c.is_control()
            || c.is_whitespace()
            || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`')
        {
            let mut buffer = [0; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn escape_for_message(text: &str) -> String {
    text.escape_debug().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(turtle: &str, base: Option<&str>) -> Result<(Vec<Quad>, ParseReport), ModelError> {
        let document = RdfDocument::from_slice(
            "test.ttl",
            base.map(str::to_owned),
            RdfFormat::Turtle,
            turtle.as_bytes(),
        );
        let mut report = ParseReport::default();
        let mut quads = Vec::new();
        document.for_each_quad(&mut report, |quad| {
            quads.push(quad);
            Ok(())
        })?;
        Ok((quads, report))
    }

    #[test]
    fn language_tags_that_are_not_bcp_47_are_repaired_or_dropped() {
        let xml = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/">
  <rdf:Description rdf:about="http://a/s">
    <dct:title xml:lang="en_GB">Air quality</dct:title>
    <dct:description xml:lang="English language">Stations</dct:description>
    <dct:alternative xml:lang="nl-BE">Luchtkwaliteit</dct:alternative>
  </rdf:Description>
</rdf:RDF>"#;
        let document = RdfDocument::from_slice("test.rdf", None, RdfFormat::RdfXml, xml.as_bytes());
        let mut report = ParseReport::default();
        let mut seen = Vec::new();
        document
            .for_each_quad_noting_repairs(&mut report, |quad, repaired| {
                seen.push((quad.object.to_string(), repaired.map(str::to_owned)));
                Ok(())
            })
            .expect("parses");
        seen.sort();
        assert_eq!(
            seen,
            [
                // (The RDF/XML parser gives tags in lower case.)
                (
                    "\"Air quality\"@en-gb".to_owned(),
                    Some("language tag \"en_gb\" -> \"en-gb\"".to_owned())
                ),
                ("\"Luchtkwaliteit\"@nl-be".to_owned(), None),
                (
                    "\"Stations\"".to_owned(),
                    Some("language tag \"english language\" is not BCP 47: dropped".to_owned())
                ),
            ]
        );
        assert_eq!(report.repaired, 2);
    }

    #[test]
    fn a_tab_inside_an_iri_is_repaired_and_counted() {
        let (quads, report) =
            parse("<http://a/s> <http://a/p> <http://a/o\t> .", None).expect("parses");
        assert_eq!(quads.len(), 1);
        assert_eq!(report.repaired, 1);
        assert_eq!(quads[0].object.to_string(), "<http://a/o>");
        let (quads, _) = parse("<http://a/s> <http://a/p> <http://a/o p> .", None).expect("parses");
        assert_eq!(quads[0].object.to_string(), "<http://a/o%20p>");
    }

    #[test]
    fn relative_iris_resolve_against_the_base() {
        let (quads, report) = parse(
            "<s> <http://a/p> <LicenseDocument> .",
            Some("http://x.org/dir/"),
        )
        .expect("parses");
        assert_eq!(report.repaired + report.dropped, 0);
        assert_eq!(
            quads[0].object.to_string(),
            "<http://x.org/dir/LicenseDocument>"
        );
    }

    #[test]
    fn an_unrepairable_iri_drops_only_its_statement() {
        let (quads, report) = parse(
            "<s> <http://a/p> \"x\" . <http://a/s> <http://a/p> \"y\" .",
            None,
        )
        .expect("parses");
        assert_eq!(quads.len(), 1);
        assert_eq!(report.dropped, 1);
        assert!(
            report.examples[0].starts_with("dropped"),
            "{:?}",
            report.examples
        );
    }

    #[test]
    fn a_syntax_error_names_the_document_line_and_column() {
        let error = parse(
            "<http://a/s> <http://a/p> \"x\" .\n<http://a/s> <http://a/p> .",
            None,
        )
        .expect_err("fails");
        let message = error.to_string();
        assert!(message.starts_with("test.ttl:2:"), "{message}");
    }
}
