//! Descriptions as catalogues write them: HTML (Opendatasoft, CKAN, piveau), Markdown
//! (CKAN's notes, GitHub-hosted catalogues) or plain text, and their plain-text form for
//! search and snippets.
//!
//! **Which of the three a description is** ([`detect_format`]), in this order:
//! 1. **HTML** when it starts (after white space) with a tag of a known HTML element
//!    (`<p>`, `<div class=…>`; see [`HTML_ELEMENTS`], case-insensitive).
//! 2. **Markdown** when a line starts with a heading (`# `…`###### `), a list item
//!    (`- `, `* `, `+ `, `1. `, `1) `), a block quote (`> `) or a code fence (`` ``` ``,
//!    `~~~`), or is a table rule (`|---|`), or the text has a link or image
//!    (`[text](…)`), strong emphasis (`**…**`, `__…__`) or inline code (`` `…` ``). Raw HTML
//!    inside Markdown is allowed (CommonMark) and goes through the sanitiser with the rest.
//! 3. **HTML** when it contains a tag of a known element anywhere (`Population<br/>2021`)
//!    or a character reference (`&amp;`, `&#233;`, `&#xE9;`). A `<` that starts no such tag
//!    (`a < b`, `Vec<u8>`, `<http://…>`) does not count.
//! 4. **Plain text** otherwise: shown with its line breaks kept.
//!
//! [`plain_text`] strips markup whatever the format (Markdown is rendered to HTML first, and
//! HTML goes through the sanitiser with no tag allowed, so script and style contents are
//! dropped, not shown); [`snippet_text`] also folds every run of white space into one space.

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{html, Options, Parser};

/// What a description is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DescriptionFormat {
    /// HTML markup.
    Html,
    /// CommonMark (with tables and strikethrough).
    Markdown,
    /// Text; line breaks matter.
    Plain,
}

/// The element names whose tags make a description HTML.
pub const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "ins",
    "kbd",
    "li",
    "link",
    "main",
    "mark",
    "meta",
    "nav",
    "object",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "script",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
];

/// Which of HTML, Markdown or plain text `text` is (see the module documentation).
pub fn detect_format(text: &str) -> DescriptionFormat {
    let trimmed = text.trim_start();
    let first_tag = &trimmed[..trimmed.find('>').map_or(trimmed.len(), |end| end + 1)];
    if trimmed.starts_with('<') && has_html_tag(first_tag) {
        DescriptionFormat::Html
    } else if has_markdown_syntax(text) {
        DescriptionFormat::Markdown
    } else if has_html_tag(text) || has_character_reference(text) {
        DescriptionFormat::Html
    } else {
        DescriptionFormat::Plain
    }
}

fn html_elements() -> &'static HashSet<&'static str> {
    static ELEMENTS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    ELEMENTS.get_or_init(|| HTML_ELEMENTS.iter().copied().collect())
}

/// `<name` or `</name` followed by white space, `>` or `/`, with `name` a known element.
fn has_html_tag(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(offset) = text[from..].find('<') {
        let start = from + offset + 1;
        from = start;
        let name_start = if bytes.get(start) == Some(&b'/') {
            start + 1
        } else {
            start
        };
        let name_end = text[name_start..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(text.len(), |end| name_start + end);
        if name_end == name_start {
            continue;
        }
        let after = bytes.get(name_end).copied();
        let closes = matches!(after, Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r'));
        let name = text[name_start..name_end].to_ascii_lowercase();
        if closes && html_elements().contains(name.as_str()) {
            return true;
        }
    }
    false
}

/// `&name;`, `&#123;` or `&#x1F;`.
fn has_character_reference(text: &str) -> bool {
    let mut from = 0;
    while let Some(offset) = text[from..].find('&') {
        let start = from + offset + 1;
        from = start;
        let rest = &text[start..];
        let Some(end) = rest.find(';') else {
            return false;
        };
        let body = &rest[..end];
        let valid = if let Some(hex) = body.strip_prefix("#x").or_else(|| body.strip_prefix("#X")) {
            !hex.is_empty() && hex.len() <= 6 && hex.chars().all(|c| c.is_ascii_hexdigit())
        } else if let Some(decimal) = body.strip_prefix('#') {
            !decimal.is_empty() && decimal.len() <= 7 && decimal.chars().all(|c| c.is_ascii_digit())
        } else {
            (2..=10).contains(&body.len()) && body.chars().all(|c| c.is_ascii_alphanumeric())
        };
        if valid {
            return true;
        }
    }
    false
}

fn has_markdown_syntax(text: &str) -> bool {
    let block = text.lines().any(|line| {
        let line = line.trim_start_matches(' ');
        let hashes = line.chars().take_while(|c| *c == '#').count();
        let heading = (1..=6).contains(&hashes) && line[hashes..].starts_with(' ');
        let bullet = ["- ", "* ", "+ ", "> "].iter().any(|m| line.starts_with(m));
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        let ordered =
            digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "));
        let fence = line.starts_with("```") || line.starts_with("~~~");
        let rule = line.starts_with('|') && line.contains("---");
        heading || bullet || ordered || fence || rule
    });
    block || has_inline_markdown(text)
}

fn has_inline_markdown(text: &str) -> bool {
    let link = text
        .match_indices("](")
        .any(|(at, _)| text[..at].contains('[') && text[at..].contains(')'));
    let paired = |marker: &str| {
        text.match_indices(marker)
            .nth(1)
            .is_some_and(|(second, _)| second > text.find(marker).unwrap_or(second) + marker.len())
    };
    link || paired("**") || paired("__") || paired("`")
}

/// CommonMark with tables and strikethrough to HTML (not sanitised: raw HTML in the
/// Markdown passes through, so the result must still be sanitised before it is shown).
pub fn markdown_to_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let parser = Parser::new_ext(markdown, options);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

/// Tags after which text goes on on a new line.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "br",
    "div",
    "li",
    "dt",
    "dd",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "blockquote",
    "pre",
    "table",
    "ul",
    "ol",
    "dl",
    "section",
    "article",
    "header",
    "footer",
    "caption",
];

/// The sanitiser that keeps only block tags, without attributes, for [`plain_text`].
fn text_sanitiser() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut builder = ammonia::Builder::empty();
        builder.tags(BLOCK_TAGS.iter().copied().collect());
        builder
    })
}

/// The text of a description without markup; paragraphs and line breaks become `\n`.
pub fn plain_text(text: &str) -> String {
    match detect_format(text) {
        DescriptionFormat::Plain => text.trim().to_owned(),
        DescriptionFormat::Markdown => html_text(&markdown_to_html(text)),
        DescriptionFormat::Html => html_text(text),
    }
}

/// [`plain_text`] on one line: every run of white space becomes one space.
pub fn snippet_text(text: &str) -> String {
    plain_text(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Sanitises to block tags only, then reads the serialised result: its tags carry no
/// attributes and its text escapes only `&`, `<`, `>` and no-break spaces.
fn html_text(html: &str) -> String {
    let clean = text_sanitiser().clean(html).to_string();
    let mut out = String::with_capacity(clean.len());
    let mut rest = clean.as_str();
    while let Some(open) = rest.find('<') {
        push_decoded(&mut out, &rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close].trim_start_matches('/');
        let name = tag.split([' ', '/']).next().unwrap_or("");
        if BLOCK_TAGS.contains(&name) && !out.ends_with('\n') && !out.is_empty() {
            out.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    push_decoded(&mut out, rest);
    let lines: Vec<&str> = out
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

fn push_decoded(out: &mut String, text: &str) {
    if !text.contains('&') {
        out.push_str(text);
        return;
    }
    out.push_str(
        &text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&nbsp;", "\u{a0}")
            .replace("&quot;", "\"")
            .replace("&amp;", "&"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_detected() {
        for html in [
            "<p>Manèges et jeux forains</p>",
            "Population légale<br/>2021",
            "<DIV class=x>a</DIV>",
            "  <p>Intro</p>\n- not a Markdown list here",
            "Tom &amp; Jerry",
            "caf&#233;",
        ] {
            assert_eq!(detect_format(html), DescriptionFormat::Html, "{html}");
        }
        for markdown in [
            "# Title\n\nText",
            "Intro:\n\n- one\n- two",
            "See [the docs](https://example.org).",
            "Some **bold** words",
            "1. first\n2. second",
            "## Census\n\nText <script>alert(1)</script>",
        ] {
            assert_eq!(
                detect_format(markdown),
                DescriptionFormat::Markdown,
                "{markdown}"
            );
        }
        for plain in [
            "Air quality in Perugia.\nHourly values.",
            "a < b and c > d",
            "Vec<u8> is fine, AT&T too",
            "Use <https://example.org> for more",
            "2 * 3 = 6",
        ] {
            assert_eq!(detect_format(plain), DescriptionFormat::Plain, "{plain}");
        }
    }

    #[test]
    fn plain_text_strips_markup_and_drops_scripts() {
        assert_eq!(
            plain_text(
                "<p>Population légale</p> <hr><div><strong><em>2021</em></strong> &amp; 2022</div>"
            ),
            "Population légale\n2021 & 2022"
        );
        assert_eq!(
            plain_text("<p>a<script>alert(1)</script><style>p{}</style> b</p>"),
            "a b"
        );
        assert_eq!(
            plain_text("# Heading\n\nSome **bold** and [a link](https://example.org)."),
            "Heading\nSome bold and a link."
        );
        assert_eq!(plain_text("  line one\nline two  "), "line one\nline two");
        assert_eq!(
            snippet_text("<p>one</p>\n<p>two &lt;three&gt;</p>"),
            "one two <three>"
        );
    }
}
