//! Namespace-aware XML for the XML source kinds (CSW, OAI-PMH), read with quick-xml.
//!
//! A response is streamed once ([`walk`]): the start tags of the containers are reported as
//! they come (`csw:SearchResults` and its counts, `OAI-PMH`, …) and only the subtrees asked
//! for (one metadata record, a resumption token, an exception) are built as small
//! [`Element`] trees, so memory is bounded by one record, not by the page. A syntax error
//! ends the walk with its byte offset; what was read before it is kept by the caller.
//!
//! Paths ([`Element::select`]) are written with the usual prefixes (see [`namespace_of`]):
//! `gmd:citation/*/gmd:title`, `*` matching any element, `@codeListValue` an attribute.

use std::io::BufRead;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

/// The namespaces that paths may name by prefix.
pub const NAMESPACES: &[(&str, &str)] = &[
    ("gmd", "http://www.isotc211.org/2005/gmd"),
    ("gco", "http://www.isotc211.org/2005/gco"),
    ("gmx", "http://www.isotc211.org/2005/gmx"),
    ("gmi", "http://www.isotc211.org/2005/gmi"),
    ("srv", "http://www.isotc211.org/2005/srv"),
    ("gml", "http://www.opengis.net/gml/3.2"),
    ("gml311", "http://www.opengis.net/gml"),
    ("xlink", "http://www.w3.org/1999/xlink"),
    ("csw", "http://www.opengis.net/cat/csw/2.0.2"),
    ("ows", "http://www.opengis.net/ows"),
    ("ows11", "http://www.opengis.net/ows/1.1"),
    ("ogc", "http://www.opengis.net/ogc"),
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("dct", "http://purl.org/dc/terms/"),
    ("oai", "http://www.openarchives.org/OAI/2.0/"),
    ("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc/"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("xsi", "http://www.w3.org/2001/XMLSchema-instance"),
];

/// The namespace of a path prefix. `gml` also matches GML 3.1.1 and `ows` OWS 1.1 (see
/// [`Element::is`]).
pub fn namespace_of(prefix: &str) -> Option<&'static str> {
    NAMESPACES
        .iter()
        .find(|(p, _)| *p == prefix)
        .map(|(_, namespace)| *namespace)
}

/// One element: its expanded name, attributes, text (concatenated, untrimmed) and children.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    /// Namespace URI (empty when none).
    pub namespace: String,
    /// Local name.
    pub local: String,
    /// Attributes: namespace URI (empty when none), local name, value.
    pub attributes: Vec<(String, String, String)>,
    /// The element's own text (not its children's).
    pub text: String,
    /// Child elements, in order.
    pub children: Vec<Element>,
}

/// A syntax or encoding error, with the byte offset where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    /// Byte offset in the document.
    pub offset: u64,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for XmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "XML error at byte {}: {}", self.offset, self.message)
    }
}

fn same_namespace(prefix: &str, namespace: &str) -> bool {
    match prefix {
        "gml" => {
            namespace == "http://www.opengis.net/gml/3.2"
                || namespace == "http://www.opengis.net/gml"
        }
        "ows" => {
            namespace == "http://www.opengis.net/ows"
                || namespace == "http://www.opengis.net/ows/1.1"
        }
        _ => namespace_of(prefix) == Some(namespace),
    }
}

impl Element {
    /// Whether this element is `prefix:local` (`*` for any).
    pub fn is(&self, qualified: &str) -> bool {
        if qualified == "*" {
            return true;
        }
        match qualified.split_once(':') {
            Some((prefix, local)) => {
                (local == "*" || local == self.local) && same_namespace(prefix, &self.namespace)
            }
            None => self.namespace.is_empty() && self.local == qualified,
        }
    }

    /// The trimmed text of the element, `None` when empty.
    pub fn text(&self) -> Option<&str> {
        let text = self.text.trim();
        (!text.is_empty()).then_some(text)
    }

    /// An attribute by local name (any namespace, first match), trimmed and not empty.
    pub fn attribute(&self, local: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(_, name, _)| name == local)
            .map(|(_, _, value)| value.trim())
            .filter(|value| !value.is_empty())
    }

    /// The first child named `qualified`.
    pub fn child(&self, qualified: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.is(qualified))
    }

    /// The children named `qualified`.
    pub fn children_named<'e>(&'e self, qualified: &'e str) -> impl Iterator<Item = &'e Element> {
        self.children.iter().filter(move |c| c.is(qualified))
    }

    /// The elements at `path` below this one (`a/b/*/c`); an empty path is the element
    /// itself.
    pub fn select(&self, path: &str) -> Vec<&Element> {
        let mut current = vec![self];
        for step in path.split('/').filter(|s| !s.is_empty()) {
            current = current
                .into_iter()
                .flat_map(|e| e.children.iter().filter(|c| c.is(step)))
                .collect();
        }
        current
    }

    /// The values at `path`: an element's text, or an attribute when the last step is
    /// `@name`. A character string inside (`gco:CharacterString`, `gmx:Anchor`, …) is
    /// reached by its own step in the path.
    pub fn values(&self, path: &str) -> Vec<&str> {
        match path.rsplit_once('@') {
            Some((elements, attribute)) => self
                .select(elements.trim_end_matches('/'))
                .into_iter()
                .filter_map(|e| e.attribute(attribute))
                .collect(),
            None => self
                .select(path)
                .into_iter()
                .filter_map(Element::text)
                .collect(),
        }
    }

    /// The first value at `path`.
    pub fn value(&self, path: &str) -> Option<&str> {
        self.values(path).into_iter().next()
    }

    /// Every descendant (depth first) named `qualified`.
    pub fn descendants<'e>(&'e self, qualified: &str, found: &mut Vec<&'e Element>) {
        for child in &self.children {
            if child.is(qualified) {
                found.push(child);
            }
            child.descendants(qualified, found);
        }
    }

    /// The element as a standalone XML document fragment, every namespace declared where it
    /// is used (for handing an embedded RDF/XML document to an RDF parser).
    pub fn to_xml(&self) -> String {
        let mut out = String::new();
        self.write_xml(&mut out);
        out
    }

    fn write_xml(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.local);
        if self.namespace.is_empty() {
            out.push_str(" xmlns=\"\"");
        } else {
            out.push_str(" xmlns=\"");
            out.push_str(&escape(&self.namespace));
            out.push('"');
        }
        for (n, (namespace, local, value)) in self.attributes.iter().enumerate() {
            if namespace.is_empty() {
                out.push_str(&format!(" {local}=\"{}\"", escape(value)));
            } else if namespace == "http://www.w3.org/XML/1998/namespace" {
                out.push_str(&format!(" xml:{local}=\"{}\"", escape(value)));
            } else {
                out.push_str(&format!(
                    " xmlns:a{n}=\"{}\" a{n}:{local}=\"{}\"",
                    escape(namespace),
                    escape(value)
                ));
            }
        }
        out.push('>');
        out.push_str(&escape(&self.text));
        for child in &self.children {
            child.write_xml(out);
        }
        out.push_str("</");
        out.push_str(&self.local);
        out.push('>');
    }
}

fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// What [`walk`] tells its caller.
pub enum WalkEvent<'a> {
    /// A start tag outside the captured subtrees, with its depth (the root is 0).
    Start {
        /// The element, without children or text.
        element: &'a Element,
        /// Its depth.
        depth: usize,
    },
    /// A captured subtree, complete.
    Captured(Element),
}

/// Streams `reader`, building the subtrees whose root `capture` selects; every other start
/// tag is reported as [`WalkEvent::Start`]. Stops at the first syntax error.
pub fn walk(
    reader: impl BufRead,
    capture: &dyn Fn(&Element) -> bool,
    on_event: &mut dyn FnMut(WalkEvent<'_>),
) -> Result<(), XmlError> {
    let mut reader = NsReader::from_reader(reader);
    reader.config_mut().trim_text(false);
    let mut buffer = Vec::new();
    // The stack of open elements inside a captured subtree.
    let mut stack: Vec<Element> = Vec::new();
    let mut depth = 0usize;
    loop {
        let event = reader.read_event_into(&mut buffer);
        let offset = reader.buffer_position();
        let error_at = |message: String| XmlError { offset, message };
        match event.map_err(|e| error_at(e.to_string()))? {
            Event::Start(start) => {
                let element = start_element(&reader, &start).map_err(error_at)?;
                if !stack.is_empty() || capture(&element) {
                    stack.push(element);
                } else {
                    on_event(WalkEvent::Start {
                        element: &element,
                        depth,
                    });
                }
                depth += 1;
            }
            Event::Empty(start) => {
                let element = start_element(&reader, &start).map_err(error_at)?;
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(element);
                } else if capture(&element) {
                    on_event(WalkEvent::Captured(element));
                } else {
                    on_event(WalkEvent::Start {
                        element: &element,
                        depth,
                    });
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if let Some(done) = stack.pop() {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(done),
                        None => on_event(WalkEvent::Captured(done)),
                    }
                }
            }
            Event::Text(text) => {
                if let Some(open) = stack.last_mut() {
                    let text = text.unescape().map_err(|e| error_at(e.to_string()))?;
                    open.text.push_str(&text);
                }
            }
            Event::CData(data) => {
                if let Some(open) = stack.last_mut() {
                    open.text.push_str(&String::from_utf8_lossy(&data));
                }
            }
            Event::Eof => {
                if depth > 0 || !stack.is_empty() {
                    return Err(error_at("the document ends inside an element".to_owned()));
                }
                return Ok(());
            }
            _ => {}
        }
        buffer.clear();
    }
}

fn start_element<R>(reader: &NsReader<R>, start: &BytesStart<'_>) -> Result<Element, String> {
    let (namespace, _) = reader.resolve_element(start.name());
    let namespace = match namespace {
        ResolveResult::Bound(ns) => String::from_utf8_lossy(ns.as_ref()).into_owned(),
        ResolveResult::Unbound => String::new(),
        ResolveResult::Unknown(prefix) => {
            return Err(format!(
                "undeclared namespace prefix `{}`",
                String::from_utf8_lossy(&prefix)
            ))
        }
    };
    let local = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        if attribute.key.as_namespace_binding().is_some() {
            continue;
        }
        let (resolved, local_name) = reader.resolve_attribute(attribute.key);
        let attribute_namespace = match resolved {
            ResolveResult::Bound(ns) => String::from_utf8_lossy(ns.as_ref()).into_owned(),
            _ => String::new(),
        };
        let value = attribute
            .unescape_value()
            .map_err(|e| e.to_string())?
            .into_owned();
        attributes.push((
            attribute_namespace,
            String::from_utf8_lossy(local_name.as_ref()).into_owned(),
            value,
        ));
    }
    Ok(Element {
        namespace,
        local,
        attributes,
        text: String::new(),
        children: Vec::new(),
    })
}

/// Parses a whole (small) document into its root element.
pub fn parse_document(text: &[u8]) -> Result<Element, XmlError> {
    let mut root = None;
    walk(text, &|_| true, &mut |event| {
        if let WalkEvent::Captured(element) = event {
            root.get_or_insert(element);
        }
    })?;
    root.ok_or_else(|| XmlError {
        offset: 0,
        message: "no root element".to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0"?>
<r xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco">
  <gmd:citation><gmd:CI_Citation><gmd:title><gco:CharacterString> Air &amp; noise </gco:CharacterString></gmd:title></gmd:CI_Citation></gmd:citation>
  <gmd:language><gmd:LanguageCode codeListValue="eng">English</gmd:LanguageCode></gmd:language>
</r>"#;

    #[test]
    fn paths_select_text_and_attributes() {
        let root = parse_document(SAMPLE.as_bytes()).expect("parses");
        assert_eq!(
            root.value("gmd:citation/*/gmd:title/gco:CharacterString"),
            Some("Air & noise")
        );
        assert_eq!(
            root.value("gmd:language/gmd:LanguageCode/@codeListValue"),
            Some("eng")
        );
        assert_eq!(root.values("gmd:citation/*/gmd:title/*"), ["Air & noise"]);
        assert!(root.value("gmd:abstract/*").is_none());
    }

    #[test]
    fn a_syntax_error_keeps_what_came_before_and_names_the_offset() {
        let broken = "<a xmlns:gmd=\"http://www.isotc211.org/2005/gmd\"><gmd:MD_Metadata>1</gmd:MD_Metadata><gmd:MD_Metadata>2</gmd:Oops></a>";
        let mut captured = Vec::new();
        let error = walk(
            broken.as_bytes(),
            &|e| e.is("gmd:MD_Metadata"),
            &mut |event| {
                if let WalkEvent::Captured(element) = event {
                    captured.push(element.text);
                }
            },
        )
        .expect_err("broken");
        assert_eq!(captured, ["1"]);
        assert!(error.offset > 40, "{error}");
    }

    #[test]
    fn an_element_written_back_reparses_the_same() {
        let root = parse_document(SAMPLE.as_bytes()).expect("parses");
        let again = parse_document(root.to_xml().as_bytes()).expect("reparses");
        assert_eq!(
            again.select("gmd:citation/*/gmd:title/*")[0].text,
            " Air & noise "
        );
        assert_eq!(
            again.value("gmd:language/gmd:LanguageCode/@codeListValue"),
            Some("eng")
        );
    }
}
