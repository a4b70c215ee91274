//! `sh:datatype`: whether a literal has a datatype and a lexical form valid for it, for the XSD
//! types with a defined lexical space (as pyshacl rejects "ill-typed" literals). The same check
//! decides which literals ingest makes well-typed (`ldtcat_model::literal`).

use std::str::FromStr;

use oxrdf::{LiteralRef, NamedNodeRef};
use oxsdatatypes::{
    Boolean, Date, DateTime, DayTimeDuration, Decimal, Double, Duration, Float, GDay, GMonth,
    GMonthDay, GYear, GYearMonth, Integer, Time, YearMonthDuration,
};

use crate::terms::RDFS_LITERAL;

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// Whether `literal` satisfies `sh:datatype datatype`.
pub fn has_datatype(literal: LiteralRef<'_>, datatype: NamedNodeRef<'_>) -> bool {
    if datatype.as_str() == RDFS_LITERAL {
        return true;
    }
    if literal.datatype() != datatype {
        return false;
    }
    let Some(local) = datatype.as_str().strip_prefix(XSD) else {
        return true;
    };
    is_valid_lexical(local, literal.value())
}

/// Whether `value` is in the lexical space of `xsd:{local}`; unknown types accept anything.
pub fn is_valid_lexical(local: &str, value: &str) -> bool {
    fn parses<T: FromStr>(value: &str) -> bool {
        value.parse::<T>().is_ok()
    }
    match local {
        "boolean" => parses::<Boolean>(value),
        "decimal" => parses::<Decimal>(value),
        "double" => parses::<Double>(value),
        "float" => parses::<Float>(value),
        "date" => parses::<Date>(value),
        "dateTime" => parses::<DateTime>(value),
        "time" => parses::<Time>(value),
        "gYear" => parses::<GYear>(value),
        "gYearMonth" => parses::<GYearMonth>(value),
        "gMonth" => parses::<GMonth>(value),
        "gDay" => parses::<GDay>(value),
        "gMonthDay" => parses::<GMonthDay>(value),
        "duration" => parses::<Duration>(value),
        "dayTimeDuration" => parses::<DayTimeDuration>(value),
        "yearMonthDuration" => parses::<YearMonthDuration>(value),
        "integer" | "long" | "int" | "short" | "byte" => parses::<Integer>(value),
        "nonNegativeInteger" => value
            .parse::<Integer>()
            .is_ok_and(|n| n >= Integer::from(0)),
        "positiveInteger" => value.parse::<Integer>().is_ok_and(|n| n > Integer::from(0)),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdf::Literal;

    #[test]
    fn ill_typed_literals_fail_and_well_typed_ones_pass() {
        let date = NamedNodeRef::new_unchecked("http://www.w3.org/2001/XMLSchema#date");
        assert!(has_datatype(
            Literal::new_typed_literal("2023-03-21", date).as_ref(),
            date
        ));
        assert!(!has_datatype(
            Literal::new_typed_literal("21/03/2023", date).as_ref(),
            date
        ));
        assert!(!has_datatype(
            Literal::new_simple_literal("2023-03-21").as_ref(),
            date
        ));
    }
}
