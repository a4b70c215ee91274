//! Language-aware tokenising: which languages get a stemmed field, how a BCP 47 tag picks
//! one, and the Tantivy analysers registered under our tokenizer names.
//!
//! Every analyser splits on non-alphanumeric characters, drops tokens longer than
//! [`MAX_TOKEN_BYTES`], lowercases and folds to ASCII. The per-language analysers stem
//! *before* folding, because the Snowball stemmers expect the accented spelling
//! (`études` → `étud` → `etud`).

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, TextAnalyzer, TokenizerManager,
};

/// Tokens longer than this (in bytes) are dropped, as Tantivy's default analyser does.
pub(crate) const MAX_TOKEN_BYTES: usize = 40;

/// The code of the fields for values without a (supported) language tag: BCP 47 `und`.
pub(crate) const UNDETERMINED: &str = "und";

/// The tokenizer of the undetermined-language fields and of the catch-all field.
pub(crate) const DEFAULT_TOKENIZER: &str = "ldtcat_default";

/// The languages with a stemmed field, by primary language subtag.
pub(crate) const STEMMED_LANGUAGES: [(&str, Language); 11] = [
    ("en", Language::English),
    ("fr", Language::French),
    ("de", Language::German),
    ("nl", Language::Dutch),
    ("it", Language::Italian),
    ("es", Language::Spanish),
    ("pt", Language::Portuguese),
    ("da", Language::Danish),
    ("fi", Language::Finnish),
    ("sv", Language::Swedish),
    ("no", Language::Norwegian),
];

/// The tokenizer name of a stemmed language (`ldtcat_en`).
pub(crate) fn tokenizer_name(code: &str) -> String {
    format!("ldtcat_{code}")
}

/// The code of the stemmed field a language tag goes to, or [`UNDETERMINED`].
///
/// Only the primary subtag counts (`de-CH` → `de`); Bokmål and Nynorsk (`nb`, `nn`) use the
/// Norwegian stemmer.
pub(crate) fn field_code(tag: Option<&str>) -> &'static str {
    let Some(tag) = tag else {
        return UNDETERMINED;
    };
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let primary = match primary.as_str() {
        "nb" | "nn" => "no",
        other => other,
    };
    STEMMED_LANGUAGES
        .iter()
        .find(|(code, _)| *code == primary)
        .map_or(UNDETERMINED, |(code, _)| code)
}

/// Registers every analyser the schema names on an index's tokenizer manager.
pub(crate) fn register_tokenizers(manager: &TokenizerManager) {
    manager.register(DEFAULT_TOKENIZER, default_analyzer());
    for (code, language) in STEMMED_LANGUAGES {
        manager.register(&tokenizer_name(code), stemmed_analyzer(language));
    }
}

/// Simple tokenizer, long-token removal, lowercase, ASCII folding; no stemming.
fn default_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Like [`default_analyzer`], with the language's Snowball stemmer before folding.
fn stemmed_analyzer(language: Language) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(Stemmer::new(language))
        .filter(AsciiFoldingFilter)
        .build()
}

/// The key titles sort by: the whole text, lowercased and folded to ASCII.
pub(crate) fn sort_key(text: &str) -> String {
    let mut analyzer = TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let mut stream = analyzer.token_stream(text.trim());
    let mut key = String::new();
    while let Some(token) = stream.next() {
        key.push_str(&token.text);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(tokenizer: &str, text: &str) -> Vec<String> {
        let manager = TokenizerManager::new();
        register_tokenizers(&manager);
        let Some(mut analyzer) = manager.get(tokenizer) else {
            panic!("tokenizer {tokenizer} not registered");
        };
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    #[test]
    fn tags_pick_the_primary_subtag() {
        assert_eq!(field_code(Some("de-ch")), "de");
        assert_eq!(field_code(Some("DE-CH")), "de");
        assert_eq!(field_code(Some("en")), "en");
        assert_eq!(field_code(Some("nb")), "no");
        assert_eq!(field_code(Some("pl")), UNDETERMINED);
        assert_eq!(field_code(Some("")), UNDETERMINED);
        assert_eq!(field_code(None), UNDETERMINED);
    }

    #[test]
    fn stemmed_analysers_reduce_inflections() {
        let ldt = |code| tokenizer_name(code);
        assert_eq!(
            tokens(&ldt("de"), "Messungen"),
            tokens(&ldt("de"), "Messung")
        );
        assert_eq!(
            tokens(&ldt("fr"), "capteurs"),
            tokens(&ldt("fr"), "capteur")
        );
        assert_eq!(tokens(&ldt("en"), "Buildings"), vec!["build"]);
        assert_eq!(tokens(&ldt("fr"), "Études"), tokens(&ldt("fr"), "etude"));
    }

    #[test]
    fn default_analyser_folds_without_stemming() {
        assert_eq!(
            tokens(DEFAULT_TOKENIZER, "Straßen-Messungen über Zürich"),
            vec!["strassen", "messungen", "uber", "zurich"]
        );
        let long_word = "x".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(
            tokens(DEFAULT_TOKENIZER, &format!("a {long_word} b")),
            vec!["a", "b"]
        );
    }

    #[test]
    fn sort_keys_are_lowercase_ascii() {
        assert_eq!(sort_key("  Éclairage Public "), "eclairage public");
        assert_eq!(sort_key(""), "");
    }
}
