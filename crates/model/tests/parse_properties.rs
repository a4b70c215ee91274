//! Property tests of the lenient parse and the record split, the first code that reads a
//! harvested page: real documents (the DCAT-AP examples, the Statbel export) in every RDF
//! syntax, mutated byte by byte and token by token, and fully generated text. Whatever the
//! input: no panic, an answer within a bound (no hang), and an error that names the document.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ldtcat_model::{split_records, ModelError, ParseReport, RdfDocument};
use ldtcat_vocab::RuleSet;
use oxrdfio::{RdfFormat, RdfParser, RdfSerializer};
use proptest::prelude::*;

/// Every syntax a page can come in.
fn formats() -> [RdfFormat; 6] {
    [
        RdfFormat::Turtle,
        RdfFormat::NTriples,
        RdfFormat::NQuads,
        RdfFormat::TriG,
        RdfFormat::RdfXml,
        RdfFormat::JsonLd {
            profile: oxrdfio::JsonLdProfileSet::empty(),
        },
    ]
}

/// Tokens that mean something to one syntax or another, and bytes that are not UTF-8.
const TOKENS: &[&[u8]] = &[
    b"<",
    b">",
    b"\"",
    b"\"\"\"",
    b"'",
    b"@prefix ",
    b"PREFIX ",
    b"{",
    b"}",
    b"[",
    b"]",
    b"(",
    b")",
    b"\\u00",
    b"\\U0010FFFF",
    b"\n",
    b"^^",
    b"_:b",
    b";",
    b",",
    b".",
    b"#",
    b"@en",
    b"\xff",
    b"\xc3",
    b"\0",
    b"<!DOCTYPE r [<!ENTITY e \"x\">]>",
    b"&e;",
    b"<rdf:RDF",
    b"</rdf:RDF>",
    b"rdf:parseType=\"Collection\"",
    b"\"@context\"",
    b"\"@id\"",
    b"\"@graph\"",
    b"\"@list\"",
    b"http://",
    b"\t",
    b"%",
    b"\\",
];

fn shared_data() -> PathBuf {
    if let Ok(dir) = std::env::var("LDTCAT_SHARED_DATA") {
        return PathBuf::from(dir);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

/// The seed documents, each written in every syntax (at most 150 statements each).
fn seeds() -> Vec<(RdfFormat, Vec<u8>)> {
    let data = shared_data();
    let files = [
        data.join("dcat-ap-3.0.0/examples/example-bee-population.ttl"),
        data.join("dcat-ap-3.0.0/examples/example-ms_dataset_data_service.ttl"),
        data.join("catalogues/statbel-subset.ttl"),
    ];
    let mut seeds = Vec::new();
    for file in files {
        let bytes = std::fs::read(&file)
            .unwrap_or_else(|error| panic!("{} (see ../shared/data): {error}", file.display()));
        let quads: Vec<_> = RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(&bytes)
            .take(150)
            .collect::<Result<_, _>>()
            .expect("seeds parse");
        for format in formats() {
            let mut serializer = RdfSerializer::from_format(format).for_writer(Vec::new());
            for quad in &quads {
                if format.supports_datasets() {
                    serializer.serialize_quad(quad).expect("writes");
                } else {
                    serializer.serialize_triple(quad.as_ref()).expect("writes");
                }
            }
            seeds.push((format, serializer.finish().expect("finishes")));
        }
    }
    seeds
}

/// One edit of a document.
#[derive(Debug, Clone)]
enum Edit {
    Flip { at: usize, byte: u8 },
    Delete { at: usize, length: usize },
    Insert { at: usize, token: usize },
    Duplicate { at: usize, length: usize },
    Truncate { at: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Edit::Flip { at, byte }),
        (any::<usize>(), 1..64_usize).prop_map(|(at, length)| Edit::Delete { at, length }),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, token)| Edit::Insert { at, token }),
        (any::<usize>(), 1..256_usize).prop_map(|(at, length)| Edit::Duplicate { at, length }),
        any::<usize>().prop_map(|at| Edit::Truncate { at }),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for edit in edits {
        let len = bytes.len().max(1);
        match *edit {
            Edit::Flip { at, byte } => {
                if let Some(slot) = bytes.get_mut(at % len) {
                    *slot = byte;
                }
            }
            Edit::Delete { at, length } => {
                let start = (at % len).min(bytes.len());
                let end = (start + length).min(bytes.len());
                bytes.drain(start..end);
            }
            Edit::Insert { at, token } => {
                let at = (at % len).min(bytes.len());
                bytes.splice(at..at, TOKENS[token].iter().copied());
            }
            Edit::Duplicate { at, length } => {
                let start = (at % len).min(bytes.len());
                let end = (start + length).min(bytes.len());
                let copy = bytes[start..end].to_vec();
                bytes.splice(end..end, copy);
            }
            Edit::Truncate { at } => bytes.truncate(at % len),
        }
    }
    bytes
}

/// Parses and splits `bytes` as `format`: no panic (the test fails), a bounded time, and an
/// error that names the document and, for syntax errors, a position.
fn read_within_bounds(
    format: RdfFormat,
    bytes: &[u8],
    rules: &RuleSet,
) -> Result<(), TestCaseError> {
    let started = Instant::now();
    let document = RdfDocument::from_slice(
        "page.rdf",
        Some("https://example.org/page".to_owned()),
        format,
        bytes,
    );
    let mut report = ParseReport::default();
    let parsed = document.for_each_quad(&mut report, |_| Ok(()));
    let split = split_records(&document, rules, |_| Ok(()));
    prop_assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    for result in [parsed.err(), split.err()].into_iter().flatten() {
        let message = result.to_string();
        prop_assert!(message.contains("page.rdf"), "{message}");
        if let ModelError::Syntax { line, .. } = result {
            prop_assert!(
                line > 0 || bytes.is_empty() || message.contains("page.rdf"),
                "{message}"
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn mutated_real_documents_in_every_syntax_never_panic_or_hang(
        seed in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..12),
    ) {
        thread_local! {
            static SEEDS: Vec<(RdfFormat, Vec<u8>)> = seeds();
            static RULES: RuleSet = RuleSet::builtin().expect("rules");
        }
        let (format, bytes) = SEEDS.with(|seeds| seeds[seed.index(seeds.len())].clone());
        let mutated = apply(bytes, &edits);
        RULES.with(|rules| read_within_bounds(format, &mutated, rules))?;
    }

    #[test]
    fn generated_text_in_every_syntax_never_panics_or_hangs(
        format in 0..6_usize,
        text in prop::collection::vec(
            prop_oneof![
                (0..TOKENS.len()).prop_map(|t| TOKENS[t].to_vec()),
                "[a-z:/#0-9 ]{0,12}".prop_map(String::into_bytes),
            ],
            0..200,
        ),
    ) {
        let bytes: Vec<u8> = text.concat();
        let rules = RuleSet::builtin().expect("rules");
        read_within_bounds(formats()[format], &bytes, &rules)?;
    }
}

/// Deeply nested structures: collections, blank nodes, JSON arrays, XML elements.
#[test]
fn deep_nesting_in_every_syntax_is_read_or_refused_without_overflow() {
    let rules = RuleSet::builtin().expect("rules");
    let depth = 50_000;
    let cases: Vec<(RdfFormat, Vec<u8>)> = vec![
        (
            RdfFormat::Turtle,
            format!("<a:s> <a:p> {}<a:o>{} .", "( ".repeat(depth), " )".repeat(depth)).into_bytes(),
        ),
        (
            RdfFormat::Turtle,
            format!("<a:s> <a:p> {}<a:o>{} .", "[ <a:p> ".repeat(depth), " ]".repeat(depth)).into_bytes(),
        ),
        (
            formats()[5],
            format!("{}{{\"@id\": \"a:s\"}}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes(),
        ),
        (
            RdfFormat::RdfXml,
            format!(
                "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:a=\"a:\">{}{}</rdf:RDF>",
                "<rdf:Description><a:p>".repeat(depth / 10),
                "</a:p></rdf:Description>".repeat(depth / 10)
            )
            .into_bytes(),
        ),
    ];
    for (format, bytes) in cases {
        // On a small stack, as the harvester's blocking threads have.
        let rules = rules.clone();
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || read_within_bounds(format, &bytes, &rules).expect("within bounds"))
            .expect("spawns")
            .join()
            .expect("no panic");
    }
}

/// An XML entity that expands a billion times ("billion laughs").
#[test]
fn an_xml_entity_bomb_is_not_expanded_without_bound() {
    let mut doctype = String::from("<!DOCTYPE rdf:RDF [<!ENTITY l0 \"ha\">");
    for level in 1..10 {
        let previous = format!("&l{};", level - 1).repeat(10);
        doctype.push_str(&format!("<!ENTITY l{level} \"{previous}\">"));
    }
    doctype.push_str("]>");
    let document = format!(
        "<?xml version=\"1.0\"?>{doctype}<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:a=\"a:\"><rdf:Description rdf:about=\"a:s\"><a:p>&l9;</a:p></rdf:Description></rdf:RDF>"
    );
    let rules = RuleSet::builtin().expect("rules");
    read_within_bounds(RdfFormat::RdfXml, document.as_bytes(), &rules).expect("within bounds");
}
