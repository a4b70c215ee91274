//! Well-typed literals: what ldtcat serves is valid for its datatype.
//!
//! Real catalogues state `schema:startDate "2014"^^xsd:date`, `"2019-03-05T10:00:00"^^xsd:date`
//! or `"yes"^^xsd:boolean`: literals whose lexical form is not in the lexical space of their
//! XSD datatype. Clients that type-check (rdflib, hence CKAN's DCAT harvester) log or raise on
//! them. [`well_typed`] gives the literal to serve instead:
//!
//! - surrounding white space dropped when the trimmed form is valid (XSD collapses it anyway);
//! - a date or time in another temporal datatype (`"2014"^^xsd:date` → `xsd:gYear`,
//!   `"2014-05"` → `xsd:gYearMonth`, a date with a time → `xsd:dateTime`, a `dateTime` without
//!   time → `xsd:date`; a space between date and time read as the `T`);
//! - a number in another numeric datatype (`"12.5"^^xsd:integer` → `xsd:decimal`, `"1e3"` →
//!   `xsd:double`);
//! - anything else (`"yes"^^xsd:boolean`, `"n/a"^^xsd:date`): a plain string.
//!
//! Validity is the check `sh:datatype` makes in `ldtcat_quality` (the XSD datatypes with a
//! defined lexical space); a literal of any other datatype is served as given. The original statement stays in the record's provenance
//! (`ldt:correctedStatement`, see `vocab/ldtcat.ttl`).

use ldtcat_quality::literal::is_valid_lexical;
use oxrdf::vocab::xsd;
use oxrdf::{Literal, NamedNodeRef, Triple};

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// The family of a checked datatype: which other datatypes a wrong value may really have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Temporal,
    Numeric,
    Other,
}

/// Whether `lexical` is valid for `datatype` (the check `sh:datatype` uses), and the
/// datatype's family; `None` for a datatype not checked here.
fn check(datatype: NamedNodeRef<'_>, lexical: &str) -> Option<(bool, Family)> {
    let local = datatype.as_str().strip_prefix(XSD)?;
    let family = match local {
        "date" | "dateTime" | "time" | "gYear" | "gYearMonth" => Family::Temporal,
        "integer" | "long" | "int" | "short" | "byte" | "nonNegativeInteger"
        | "positiveInteger" | "decimal" | "double" | "float" => Family::Numeric,
        "boolean" | "gMonth" | "gDay" | "gMonthDay" | "duration" | "dayTimeDuration"
        | "yearMonthDuration" => Family::Other,
        _ => return None,
    };
    Some((is_valid_lexical(local, lexical), family))
}

/// The first of `candidates` (XSD local names, most precise first) `lexical` is valid for.
fn first_valid(
    lexical: &str,
    candidates: &[(&str, NamedNodeRef<'static>)],
) -> Option<NamedNodeRef<'static>> {
    candidates
        .iter()
        .find(|(local, _)| is_valid_lexical(local, lexical))
        .map(|(_, datatype)| *datatype)
}

/// The first temporal datatype `lexical` is valid for, most precise first.
fn temporal_datatype(lexical: &str) -> Option<NamedNodeRef<'static>> {
    first_valid(
        lexical,
        &[
            ("dateTime", xsd::DATE_TIME),
            ("date", xsd::DATE),
            ("gYearMonth", xsd::G_YEAR_MONTH),
            ("gYear", xsd::G_YEAR),
        ],
    )
}

/// The first numeric datatype `lexical` is valid for, most precise first.
fn numeric_datatype(lexical: &str) -> Option<NamedNodeRef<'static>> {
    first_valid(
        lexical,
        &[
            ("integer", xsd::INTEGER),
            ("decimal", xsd::DECIMAL),
            ("double", xsd::DOUBLE),
        ],
    )
}

/// The literal to serve instead of `literal`, or `None` when it is well-typed already (or
/// of a datatype not checked here). See the module documentation.
pub fn well_typed(literal: &Literal) -> Option<Literal> {
    if literal.language().is_some() {
        return None;
    }
    let datatype = literal.datatype();
    let lexical = literal.value();
    let (valid, family) = check(datatype, lexical)?;
    if valid {
        return None;
    }
    let trimmed = lexical.trim();
    if trimmed != lexical && check(datatype, trimmed).is_some_and(|(valid, _)| valid) {
        return Some(Literal::new_typed_literal(trimmed, datatype));
    }
    let replacement = match family {
        Family::Temporal => temporal_datatype(trimmed)
            .map(|datatype| (trimmed.to_owned(), datatype))
            .or_else(|| {
                // `2019-03-05 10:00:00`: a date and a time with a space between them.
                let (date, time) = trimmed.split_once(' ')?;
                let joined = format!("{date}T{}", time.trim_start());
                is_valid_lexical("dateTime", &joined).then_some((joined, xsd::DATE_TIME))
            }),
        Family::Numeric => numeric_datatype(trimmed).map(|datatype| (trimmed.to_owned(), datatype)),
        Family::Other => None,
    };
    Some(match replacement {
        Some((value, datatype)) => Literal::new_typed_literal(value, datatype),
        None => Literal::new_simple_literal(lexical),
    })
}

/// A statement whose literal was replaced by [`well_typed`]: the original, for provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// The statement as the source gave it (after blank-node skolemisation).
    pub original: Triple,
}

impl Correction {
    /// The original statement in N-Triples syntax, without the final ` .`: what the
    /// record's provenance keeps as `ldt:correctedStatement`.
    pub fn original_ntriples(&self) -> String {
        self.original.to_string()
    }

    /// The correction whose original statement is `ntriples` ([`Correction::original_ntriples`],
    /// as provenance keeps it); `None` if it is not one N-Triples statement.
    pub fn from_ntriples(ntriples: &str) -> Option<Correction> {
        let line = format!("{ntriples} .\n");
        let mut statements = oxrdfio::RdfParser::from_format(oxrdfio::RdfFormat::NTriples)
            .for_slice(line.as_bytes());
        let original = Triple::from(statements.next()?.ok()?);
        statements
            .next()
            .is_none()
            .then_some(Correction { original })
    }
}

/// Replaces every ill-typed literal object of `triples` by its [`well_typed`] form and
/// returns the original statements that were changed.
pub fn make_well_typed(triples: &mut [Triple]) -> Vec<Correction> {
    let mut corrections = Vec::new();
    for triple in triples.iter_mut() {
        let oxrdf::Term::Literal(literal) = &triple.object else {
            continue;
        };
        if let Some(served) = well_typed(literal) {
            let original = std::mem::replace(&mut triple.object, served.into());
            corrections.push(Correction {
                original: Triple::new(triple.subject.clone(), triple.predicate.clone(), original),
            });
        }
    }
    corrections
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served(lexical: &str, datatype: NamedNodeRef<'_>) -> Option<Literal> {
        well_typed(&Literal::new_typed_literal(lexical, datatype))
    }

    fn typed(lexical: &str, datatype: NamedNodeRef<'_>) -> Option<Literal> {
        Some(Literal::new_typed_literal(lexical, datatype))
    }

    #[test]
    fn valid_literals_are_kept() {
        for (lexical, datatype) in [
            ("2014-01-01", xsd::DATE),
            ("2014-01-01Z", xsd::DATE),
            ("2014-01-01T10:00:00", xsd::DATE_TIME),
            ("2014-01-01T10:00:00.123456+02:00", xsd::DATE_TIME),
            ("2014", xsd::G_YEAR),
            ("true", xsd::BOOLEAN),
            ("0", xsd::BOOLEAN),
            ("-12", xsd::INTEGER),
            ("12.50", xsd::DECIMAL),
            ("1e3", xsd::DOUBLE),
            ("INF", xsd::DOUBLE),
            ("P1Y2M", xsd::DURATION),
            ("7", xsd::NON_NEGATIVE_INTEGER),
            ("anything", xsd::STRING),
        ] {
            assert_eq!(served(lexical, datatype), None, "{lexical}");
        }
        let custom = NamedNodeRef::new_unchecked("https://example.org/myType");
        assert_eq!(served("whatever", custom), None);
        assert_eq!(
            well_typed(&Literal::new_language_tagged_literal_unchecked(
                "2014", "en"
            )),
            None
        );
    }

    #[test]
    fn dates_get_the_datatype_their_value_has() {
        assert_eq!(served("2014", xsd::DATE), typed("2014", xsd::G_YEAR));
        assert_eq!(
            served("2014-05", xsd::DATE),
            typed("2014-05", xsd::G_YEAR_MONTH)
        );
        assert_eq!(
            served("2019-03-05T10:00:00", xsd::DATE),
            typed("2019-03-05T10:00:00", xsd::DATE_TIME)
        );
        assert_eq!(
            served("2020-01-01", xsd::DATE_TIME),
            typed("2020-01-01", xsd::DATE)
        );
        assert_eq!(
            served("2014-01-01", xsd::G_YEAR),
            typed("2014-01-01", xsd::DATE)
        );
        assert_eq!(
            served("2019-03-05 10:00:00", xsd::DATE_TIME),
            typed("2019-03-05T10:00:00", xsd::DATE_TIME)
        );
    }

    #[test]
    fn white_space_is_trimmed_when_that_is_enough() {
        assert_eq!(
            served(" 2015-01-01\n", xsd::DATE),
            typed("2015-01-01", xsd::DATE)
        );
        assert_eq!(served(" 42 ", xsd::INTEGER), typed("42", xsd::INTEGER));
    }

    #[test]
    fn numbers_get_the_datatype_their_value_has() {
        assert_eq!(served("12.5", xsd::INTEGER), typed("12.5", xsd::DECIMAL));
        assert_eq!(served("1e3", xsd::DECIMAL), typed("1e3", xsd::DOUBLE));
        assert_eq!(
            served("-3", xsd::NON_NEGATIVE_INTEGER),
            typed("-3", xsd::INTEGER)
        );
    }

    #[test]
    fn ambiguous_values_become_plain_strings() {
        for (lexical, datatype) in [
            ("yes", xsd::BOOLEAN),
            ("TRUE", xsd::BOOLEAN),
            ("n/a", xsd::DATE),
            ("05/03/2019", xsd::DATE),
            ("1,5", xsd::DECIMAL),
            ("", xsd::INTEGER),
            ("tomorrow", xsd::DURATION),
        ] {
            assert_eq!(
                served(lexical, datatype),
                Some(Literal::new_simple_literal(lexical)),
                "{lexical}"
            );
        }
    }

    #[test]
    fn corrections_keep_the_original_statement() {
        let subject = oxrdf::NamedNode::new_unchecked("https://example.org/d");
        let predicate = oxrdf::NamedNode::new_unchecked("http://schema.org/startDate");
        let mut triples = vec![
            Triple::new(
                subject.clone(),
                predicate.clone(),
                Literal::new_typed_literal("2014", xsd::DATE),
            ),
            Triple::new(
                subject.clone(),
                predicate.clone(),
                Literal::new_typed_literal("2015-01-01", xsd::DATE),
            ),
        ];
        let corrections = make_well_typed(&mut triples);
        assert_eq!(corrections.len(), 1);
        assert_eq!(
            Correction::from_ntriples(&corrections[0].original_ntriples()),
            Some(corrections[0].clone())
        );
        assert_eq!(Correction::from_ntriples("not a statement"), None);
        assert_eq!(
            corrections[0].original_ntriples(),
            "<https://example.org/d> <http://schema.org/startDate> \"2014\"^^<http://www.w3.org/2001/XMLSchema#date>"
        );
        assert_eq!(
            triples[0].object,
            Literal::new_typed_literal("2014", xsd::G_YEAR).into()
        );
        assert_eq!(
            triples[1].object,
            Literal::new_typed_literal("2015-01-01", xsd::DATE).into()
        );
    }

    proptest::proptest! {
        /// Whatever the lexical form, what is served is valid for its datatype (or a string).
        #[test]
        fn served_literals_are_well_typed(lexical in "\\PC{0,24}", index in 0usize..6) {
            let datatype = [xsd::DATE, xsd::DATE_TIME, xsd::G_YEAR, xsd::BOOLEAN, xsd::INTEGER, xsd::DECIMAL][index];
            let literal = Literal::new_typed_literal(lexical, datatype);
            let served = well_typed(&literal).unwrap_or(literal);
            if let Some((valid, _)) = check(served.datatype(), served.value()) {
                proptest::prop_assert!(valid, "{served}");
            }
        }
    }
}
