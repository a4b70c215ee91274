//! The query of the user's text: Tantivy's lenient parser over the language fields and the
//! catch-all field, after removing what could only fail at search time.

use std::collections::BTreeSet;

use tantivy::query::{AllQuery, EmptyQuery, Query, QueryParser};
use tantivy::query_grammar::{self, UserInputAst, UserInputLeaf};
use tantivy::schema::Field;
use tantivy::Index;

use crate::schema::{Fields, DESCRIPTION_BOOST, KEYWORD_BOOST, TITLE_BOOST};

/// The parser of query text: every language field and the catch-all field, boosted,
/// terms AND'ed by default.
#[derive(Clone)]
pub(crate) struct TextParser {
    parser: QueryParser,
    /// Names of the fields a `field:` prefix may address (the default fields).
    searchable: BTreeSet<String>,
}

impl TextParser {
    pub(crate) fn new(index: &Index, fields: &Fields) -> TextParser {
        let boosted: Vec<(Field, f32)> = fields
            .titles
            .all()
            .map(|field| (field, TITLE_BOOST))
            .chain(fields.keywords.all().map(|field| (field, KEYWORD_BOOST)))
            .chain(
                fields
                    .descriptions
                    .all()
                    .map(|field| (field, DESCRIPTION_BOOST)),
            )
            .chain([(fields.all_text, DESCRIPTION_BOOST)])
            .collect();
        let default_fields = boosted.iter().map(|(field, _)| *field).collect();
        let mut parser = QueryParser::for_index(index, default_fields);
        let schema = index.schema();
        let mut searchable = BTreeSet::new();
        for (field, boost) in boosted {
            parser.set_field_boost(field, boost);
            searchable.insert(schema.get_field_name(field).to_owned());
        }
        parser.set_conjunction_by_default();
        TextParser { parser, searchable }
    }

    /// The query of some text, or all documents for blank text. Whatever the user types,
    /// this does not fail: syntax errors are skipped by the lenient parser, and
    /// [`TextParser::searchable`] removes what could only fail at search time.
    pub(crate) fn query(&self, text: &str) -> Box<dyn Query> {
        if !has_text(text) {
            return Box::new(AllQuery);
        }
        let (user_input, _syntax_errors) = query_grammar::parse_query_lenient(text);
        let Some(user_input) = self.searchable(user_input) else {
            return Box::new(EmptyQuery);
        };
        let (query, _ignored_errors) = self
            .parser
            .build_query_from_user_input_ast_lenient(user_input);
        query
    }

    /// Keeps words, phrases and `*`. A `field:` prefix naming anything but a text field is
    /// dropped (the words are searched everywhere); ranges, sets, regexes and `field:*`
    /// (which Tantivy can only run on fast fields) are removed. `None` if nothing is left.
    fn searchable(&self, user_input: UserInputAst) -> Option<UserInputAst> {
        match user_input {
            UserInputAst::Clause(clauses) => {
                let kept: Vec<_> = clauses
                    .into_iter()
                    .filter_map(|(occur, clause)| Some((occur, self.searchable(clause)?)))
                    .collect();
                (!kept.is_empty()).then_some(UserInputAst::Clause(kept))
            }
            UserInputAst::Boost(inner, boost) => Some(UserInputAst::Boost(
                Box::new(self.searchable(*inner)?),
                boost,
            )),
            UserInputAst::Leaf(leaf) => match *leaf {
                UserInputLeaf::Literal(mut literal) => {
                    let field_name = literal.field_name.as_deref();
                    if field_name.is_some_and(|name| !self.searchable.contains(name)) {
                        literal.field_name = None;
                    }
                    Some(UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(
                        literal,
                    ))))
                }
                UserInputLeaf::All => Some(UserInputAst::Leaf(Box::new(UserInputLeaf::All))),
                UserInputLeaf::Range { .. }
                | UserInputLeaf::Set { .. }
                | UserInputLeaf::Exists { .. }
                | UserInputLeaf::Regex { .. } => None,
            },
        }
    }
}

/// Whether the text asks for anything (else everything matches).
pub(crate) fn has_text(text: &str) -> bool {
    !text.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use crate::fixtures::{fixture, index_of, matching, record, text};
    use crate::SearchRequest;

    #[test]
    fn stemming_follows_the_language_tag() -> anyhow::Result<()> {
        let catalog = index_of(&fixture())?;
        assert_eq!(
            matching(&catalog, "Messung")?,
            vec!["r02"],
            "German, tagged de-ch"
        );
        assert_eq!(matching(&catalog, "capteur")?, vec!["r03"], "French");
        assert_eq!(
            matching(&catalog, "building")?,
            vec!["r01", "r04"],
            "English"
        );
        assert_eq!(matching(&catalog, "gebouw")?, vec!["r04"], "Dutch");
        assert_eq!(matching(&catalog, "predicción")?, vec!["r07"], "Spanish");
        assert_eq!(
            matching(&catalog, "sensor")?,
            vec!["r01", "r08"],
            "English and Portuguese"
        );
        Ok(())
    }

    #[test]
    fn the_catch_all_field_matches_any_language_unstemmed() -> anyhow::Result<()> {
        let catalog = index_of(&fixture())?;
        assert_eq!(
            matching(&catalog, "ruchu")?,
            vec!["r10"],
            "Polish goes to title_und"
        );
        assert_eq!(matching(&catalog, "zurich")?, vec!["r02"], "folded");
        assert_eq!(
            matching(&catalog, "Kraków")?,
            vec!["r10"],
            "publisher names"
        );
        assert_eq!(
            matching(&catalog, "verkehr")?,
            vec!["r02", "r10"],
            "German keyword and title"
        );
        assert!(matching(&catalog, "capteurx")?.is_empty());
        Ok(())
    }

    #[test]
    fn terms_are_and_ed_and_phrases_work() -> anyhow::Result<()> {
        let catalog = index_of(&fixture())?;
        assert_eq!(matching(&catalog, "air")?, vec!["r01", "r09"]);
        assert_eq!(matching(&catalog, "air quality")?, vec!["r01"]);
        assert_eq!(
            matching(&catalog, "air OR bruit")?,
            vec!["r01", "r03", "r09"]
        );
        assert_eq!(matching(&catalog, "\"quality measurements\"")?, vec!["r01"]);
        assert!(matching(&catalog, "\"measurements quality\"")?.is_empty());
        Ok(())
    }

    #[test]
    fn titles_outrank_descriptions() -> anyhow::Result<()> {
        let in_title = record("in-title");
        let mut in_description = record("in-description");
        in_description.descriptions = vec![text(Some("en"), "Record in-title")];
        let catalog = index_of(&[in_description, in_title])?;
        let request = SearchRequest {
            text: "title".to_owned(),
            ..SearchRequest::default()
        };
        let hits = catalog.search(&request)?.hits;
        let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, vec!["in-title", "in-description"]);
        assert!(hits[0].score > hits[1].score);
        Ok(())
    }

    #[test]
    fn nasty_query_strings_do_not_fail() -> anyhow::Result<()> {
        let catalog = index_of(&fixture())?;
        let long = "air ".repeat(5_000);
        let nasty = [
            "\"unbalanced",
            "a:b",
            "(((",
            ")",
            "*",
            "?",
            "-",
            "+",
            "^2",
            "air^",
            "~",
            "air~2",
            "\\",
            "\"",
            "''",
            "{}",
            "[",
            "[a TO",
            "title_en:",
            "id:*",
            "kind:dataset",
            "theme:http://x/y",
            "modified:[2020 TO *]",
            "bbox_west:>3",
            "has_bbox:maybe",
            "AND",
            "OR NOT",
            "NOT air",
            "air AND",
            "IN [a b]",
            "all_text:\"",
            "\u{0}",
            "𝔘𝔫𝔦",
            "air*",
            "\"air qual\"*",
            "title_en:*",
            "all_text:*",
            "/reg.*ex/",
            "title_en:/a.*/",
            "title_en:[a TO z]",
            "title_en: IN [air]",
            "-air",
            "air -id:*",
            "(air)^3",
            "iri:x",
            &long,
        ];
        for text in nasty {
            let request = SearchRequest {
                text: text.to_owned(),
                ..SearchRequest::default()
            };
            if let Err(error) = catalog.search(&request) {
                panic!("query {text:?} failed: {error}");
            }
        }
        Ok(())
    }

    #[test]
    fn field_prefixes_only_address_text_fields() -> anyhow::Result<()> {
        let catalog = index_of(&fixture())?;
        assert_eq!(matching(&catalog, "title_de:Messung")?, vec!["r02"]);
        assert!(matching(&catalog, "title_fr:Messung")?.is_empty());
        assert_eq!(
            matching(&catalog, "publisher:utrecht")?,
            vec!["r01", "r04"],
            "prefix dropped"
        );
        assert_eq!(matching(&catalog, "air -id:*")?, matching(&catalog, "air")?);
        assert!(
            matching(&catalog, "id:*")?.is_empty(),
            "nothing searchable left"
        );
        assert_eq!(matching(&catalog, "*")?.len(), 10);
        Ok(())
    }
}
