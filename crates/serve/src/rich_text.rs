//! Descriptions rendered for pages: HTML sanitised by an allow-list (ammonia), Markdown
//! rendered (pulldown-cmark) then sanitised the same way, plain text escaped with its line
//! breaks kept. Which of the three a description is: `ldtcat_model::text::detect_format`.
//!
//! **The allow-list.** Structural tags only: paragraphs and breaks, headings `h3`–`h6`
//! (a description's `h1`/`h2` keep their text but lose the tag, under the page's own
//! headings; Markdown headings are moved down two levels), lists, definition lists,
//! quotes, preformatted text and code, emphasis, tables, and links. Attributes: `href` and
//! `title` on links, `colspan`/`rowspan` on cells, `lang` anywhere; nothing else (no `style`,
//! `class`, `id`, no event handler). Links keep only `http`, `https` and `mailto` URLs
//! (relative ones are dropped: they would point into this site) and get
//! `rel="nofollow noopener"`. `script` and `style` elements are removed with their content;
//! images, frames, forms and everything else lose their tags. The result is safe under the
//! site's CSP, which allows no inline script anyway.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use ammonia::{Builder, UrlRelative};
use askama::filters::Escaper;
use ldtcat_model::text::{detect_format, DescriptionFormat};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The allowed tags.
pub const ALLOWED_TAGS: &[&str] = &[
    "p",
    "br",
    "hr",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "code",
    "em",
    "strong",
    "b",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "small",
    "abbr",
    "q",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "a",
    "span",
    "div",
];

fn sanitiser() -> &'static Builder<'static> {
    static BUILDER: OnceLock<Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut builder = Builder::empty();
        let tag_attributes: HashMap<&str, HashSet<&str>> = HashMap::from([
            ("a", HashSet::from(["href", "title"])),
            ("abbr", HashSet::from(["title"])),
            ("td", HashSet::from(["colspan", "rowspan"])),
            ("th", HashSet::from(["colspan", "rowspan", "scope"])),
        ]);
        builder
            .tags(ALLOWED_TAGS.iter().copied().collect())
            .tag_attributes(tag_attributes)
            .generic_attributes(HashSet::from(["lang"]))
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .url_relative(UrlRelative::Deny)
            .link_rel(Some("nofollow noopener"))
            .clean_content_tags(HashSet::from(["script", "style"]))
            .strip_comments(true);
        builder
    })
}

/// Sanitises HTML with the allow-list.
pub fn sanitise_html(html: &str) -> String {
    sanitiser().clean(html).to_string()
}

/// Markdown to sanitised HTML, headings two levels down (`#` becomes `h3`).
pub fn markdown_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: lower_heading(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(lower_heading(level))),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    sanitise_html(&html)
}

fn lower_heading(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Plain text escaped for HTML; its line breaks are kept by the `text` class
/// (`white-space: pre-line`).
pub fn plain_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 16);
    // Escaping into a String cannot fail.
    let _ = askama::filters::Html.write_escaped_str(&mut escaped, text.trim());
    escaped
}

/// A rendered description: its format and safe HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RichText {
    /// What the source text was.
    pub format: DescriptionFormat,
    /// Sanitised HTML, ready to be inserted unescaped.
    pub html: String,
}

impl RichText {
    /// Detects the format of `text` and renders it.
    pub fn render(text: &str) -> RichText {
        let format = detect_format(text);
        let html = match format {
            DescriptionFormat::Html => sanitise_html(text),
            DescriptionFormat::Markdown => markdown_html(text),
            DescriptionFormat::Plain => plain_html(text),
        };
        RichText { format, html }
    }

    /// The CSS class of its container (`text` keeps the line breaks of plain text).
    pub fn class(&self) -> &'static str {
        match self.format {
            DescriptionFormat::Plain => "description text",
            DescriptionFormat::Html | DescriptionFormat::Markdown => "description rich",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allow_list_keeps_structure_and_drops_everything_active() {
        let dirty = r#"<h1>Title</h1><p style="color:red" class="x" id="y" onclick="alert(1)">Manèges <strong>et</strong> <em>jeux</em></p>
<script>alert(1)</script><style>p{}</style><img src=x onerror="alert(1)">
<a href="javascript:alert(1)">js</a> <a href="https://example.org/a" target="_blank" onmouseover="x()">ok</a>
<a href="/relative">rel</a> <iframe src="https://evil.example"></iframe><form action="/x"><input name=q></form>
<table><tr><th colspan="2" style="x">h</th></tr><tr><td rowspan=1>c</td></tr></table><ul><li lang="fr">un</li></ul>"#;
        let clean = sanitise_html(dirty);
        for forbidden in [
            "<script",
            "alert(1)",
            "<style",
            "style=",
            "class=",
            "id=",
            "onclick",
            "onerror",
            "<img",
            "javascript:",
            "<iframe",
            "<form",
            "<input",
            "target=",
            "onmouseover",
            "/relative",
            "<h1",
        ] {
            assert!(!clean.contains(forbidden), "{forbidden} in {clean}");
        }
        for kept in [
            "Title",
            "<p>Manèges <strong>et</strong> <em>jeux</em></p>",
            r#"<a href="https://example.org/a" rel="nofollow noopener">ok</a>"#,
            r#"<th colspan="2">h</th>"#,
            r#"<td rowspan="1">c</td>"#,
            r#"<li lang="fr">un</li>"#,
        ] {
            assert!(clean.contains(kept), "{kept} missing in {clean}");
        }
    }

    #[test]
    fn markdown_is_rendered_then_sanitised_with_headings_moved_down() {
        let html = markdown_html(
            "# Air quality\n\nHourly **PM10**, see [docs](https://example.org/d).\n\n- one\n- two\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))",
        );
        assert!(html.contains("<h3>Air quality</h3>"), "{html}");
        assert!(html.contains("<strong>PM10</strong>"), "{html}");
        assert!(
            html.contains(r#"<a href="https://example.org/d" rel="nofollow noopener">docs</a>"#),
            "{html}"
        );
        assert!(html.contains("<li>one</li>"), "{html}");
        assert!(
            !html.contains("script") && !html.contains("javascript"),
            "{html}"
        );
    }

    #[test]
    fn plain_text_is_escaped_and_keeps_its_line_breaks() {
        let rendered = RichText::render("Line <one> & two\nLine three");
        assert_eq!(rendered.format, DescriptionFormat::Plain);
        assert_eq!(rendered.html, "Line &#60;one&#62; &#38; two\nLine three");
        assert_eq!(rendered.class(), "description text");
        assert_eq!(RichText::render("<p>a</p>").format, DescriptionFormat::Html);
    }
}
