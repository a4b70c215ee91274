//! A bound on the entities an RDF/XML document declares, checked before the parser sees it.
//!
//! The RDF/XML parser expands every `<!ENTITY>` of the document's internal DTD subset when it
//! reads its declaration, entities within entities included, with no bound: ten entities
//! each naming the previous one ten times (the "billion laughs") make it build a string of
//! gigabytes. So the start of an RDF/XML document (where the DTD must be, at most
//! [`PROLOG_BYTES`]) is read first, the expanded size of each declared entity is computed
//! from the declarations alone, and a document with an entity expanding past
//! [`MAX_ENTITY_BYTES`] is refused with an error that says so. Real documents declare
//! entities for namespace IRIs, of a few dozen bytes.

use std::collections::HashMap;
use std::io::{Cursor, Read};

/// How much of the document is read ahead to find its DTD.
pub const PROLOG_BYTES: u64 = 1 << 20;
/// The largest expansion of one declared entity.
pub const MAX_ENTITY_BYTES: usize = 4 << 10;

/// Reads the start of `reader`, refuses it when an entity of its DTD expands past the bound,
/// and returns a reader of the whole document otherwise.
pub fn bounded<'a>(mut reader: Box<dyn Read + 'a>) -> std::io::Result<Box<dyn Read + 'a>> {
    let mut start = Vec::new();
    reader.by_ref().take(PROLOG_BYTES).read_to_end(&mut start)?;
    if let Some(message) = check(&start) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            message,
        ));
    }
    Ok(Box::new(Cursor::new(start).chain(reader)))
}

/// What is wrong with the entities declared in `start`, if anything.
fn check(start: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(start);
    let doctype = text.find("<!DOCTYPE")?;
    let subset = &text[doctype..];
    let subset = match subset.find("]>") {
        Some(end) => &subset[..end],
        None if subset.contains('[') && start.len() as u64 >= PROLOG_BYTES => {
            return Some(format!(
                "the document's DTD is longer than {PROLOG_BYTES} bytes"
            ));
        }
        None => subset,
    };
    let mut sizes: HashMap<&str, usize> = HashMap::new();
    for declaration in subset.split("<!ENTITY").skip(1) {
        let Some((name, value)) = declared(declaration) else {
            continue;
        };
        let size = expanded_size(value, &sizes);
        if size > MAX_ENTITY_BYTES {
            return Some(format!(
                "the entity `{name}` expands to more than {MAX_ENTITY_BYTES} bytes; \
                 entities this large are not expanded"
            ));
        }
        sizes.insert(name, size);
    }
    None
}

/// The name and quoted value of an internal general entity declaration (the text after
/// `<!ENTITY`); none for parameter and external entities.
fn declared(declaration: &str) -> Option<(&str, &str)> {
    let rest = declaration.trim_start();
    if rest.starts_with('%') {
        return None;
    }
    let end_of_name = rest.find(|c: char| c.is_ascii_whitespace())?;
    let (name, rest) = rest.split_at(end_of_name);
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    let end = value.find(quote).unwrap_or(value.len());
    Some((name, &value[..end]))
}

/// The length of `value` once every reference to a declared entity is replaced.
fn expanded_size(value: &str, sizes: &HashMap<&str, usize>) -> usize {
    let mut size = 0_usize;
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        size = size.saturating_add(at);
        let after = &rest[at + 1..];
        match after.find(';') {
            Some(end) => {
                let referenced = sizes.get(&after[..end]).copied().unwrap_or(1);
                size = size.saturating_add(referenced);
                rest = &after[end + 1..];
            }
            None => {
                size = size.saturating_add(after.len() + 1);
                rest = "";
            }
        }
    }
    size.saturating_add(rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn laughs(levels: usize) -> String {
        let mut doctype = String::from("<!DOCTYPE rdf:RDF [<!ENTITY l0 \"ha\">");
        for level in 1..levels {
            let previous = format!("&l{};", level - 1).repeat(10);
            doctype.push_str(&format!("<!ENTITY l{level} \"{previous}\">"));
        }
        format!("<?xml version=\"1.0\"?>{doctype}]><rdf:RDF/>")
    }

    #[test]
    fn namespace_entities_pass_and_nested_expansions_are_refused() {
        let namespaces = "<!DOCTYPE rdf:RDF [<!ENTITY xsd 'http://www.w3.org/2001/XMLSchema#'>\
                          <!ENTITY dct \"http://purl.org/dc/terms/\">]><rdf:RDF/>";
        assert_eq!(check(namespaces.as_bytes()), None);
        assert_eq!(check(laughs(3).as_bytes()), None);
        let refused = check(laughs(10).as_bytes()).expect("refused");
        assert!(refused.contains("`l4`"), "{refused}");
        assert_eq!(check(b"<rdf:RDF/>"), None);
    }

    #[test]
    fn the_whole_document_is_read_after_the_check() -> std::io::Result<()> {
        let document = format!("{}{}", laughs(2), " ".repeat(3 << 20));
        let mut read = String::new();
        bounded(Box::new(document.as_bytes()))?.read_to_string(&mut read)?;
        assert_eq!(read, document);
        assert!(bounded(Box::new(Cursor::new(laughs(10).into_bytes()))).is_err());
        Ok(())
    }
}
