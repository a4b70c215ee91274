//! A top-level `ORDER BY`, evaluated here rather than by the engine.
//!
//! Oxigraph's ORDER BY gathers its whole input in memory and does not stop at the time limit
//! (oxigraph issue 1871). So the modifiers of a SELECT query (`ORDER BY`, projection,
//! `DISTINCT`/`REDUCED`, `OFFSET`/`LIMIT`) are taken off the algebra: the engine evaluates the
//! pattern with one extra variable per sort key, and [`SortedSelect`] reads at most a fixed
//! number of its solutions, under the deadline, then sorts, projects, removes duplicates and
//! slices them. An ORDER BY inside a subquery is left to the engine.
//!
//! The order is SPARQL's (section 15.1): unbound, then blank nodes, then IRIs, then literals;
//! numbers come first and compare by value; other literals compare by lexical form (which
//! orders ISO dates and times of one time zone correctly), then datatype, then language tag.

use std::cmp::Ordering;
use std::collections::HashSet;

use oxrdf::{Literal, Term, Variable};
use spargebra::algebra::{GraphPattern, OrderExpression};

/// The modifiers of a SELECT query with a top-level ORDER BY, taken off its pattern.
#[derive(Debug)]
pub(crate) struct SortedSelect {
    /// The pattern the engine evaluates: the WHERE part, extended with the sort keys.
    pub pattern: GraphPattern,
    /// The projected variables, in order.
    pub projection: Vec<Variable>,
    /// The sort keys (variables of `pattern`) and whether each is descending.
    pub keys: Vec<(Variable, bool)>,
    /// DISTINCT (or REDUCED, treated the same).
    pub distinct: bool,
    /// OFFSET.
    pub offset: usize,
    /// LIMIT.
    pub limit: Option<usize>,
}

impl SortedSelect {
    /// Takes the modifiers off `pattern` if it ends with an ORDER BY under a projection;
    /// otherwise gives the pattern back unchanged (boxed: a pattern is large).
    pub fn split(pattern: GraphPattern) -> Result<Self, Box<GraphPattern>> {
        let (inner, offset, limit) = match pattern {
            GraphPattern::Slice {
                inner,
                start,
                length,
            } => (*inner, start, length),
            other => (other, 0, None),
        };
        let (inner, distinct) = match inner {
            GraphPattern::Distinct { inner } | GraphPattern::Reduced { inner } => (*inner, true),
            other => (other, false),
        };
        let GraphPattern::Project {
            inner: projected,
            variables,
        } = inner
        else {
            return Err(Box::new(rebuild(inner, distinct, offset, limit)));
        };
        let GraphPattern::OrderBy {
            inner: ordered,
            expression,
        } = *projected
        else {
            let unchanged = GraphPattern::Project {
                inner: projected,
                variables,
            };
            return Err(Box::new(rebuild(unchanged, distinct, offset, limit)));
        };
        let mut pattern = *ordered;
        let mut keys = Vec::with_capacity(expression.len());
        let mut extended = variables.clone();
        for (position, order) in expression.into_iter().enumerate() {
            let (expression, descending) = match order {
                OrderExpression::Asc(expression) => (expression, false),
                OrderExpression::Desc(expression) => (expression, true),
            };
            let variable = Variable::new_unchecked(format!("ldtcat_sort_key_{position}"));
            pattern = GraphPattern::Extend {
                inner: Box::new(pattern),
                variable: variable.clone(),
                expression,
            };
            extended.push(variable.clone());
            keys.push((variable, descending));
        }
        Ok(Self {
            pattern: GraphPattern::Project {
                inner: Box::new(pattern),
                variables: extended,
            },
            projection: variables,
            keys,
            distinct,
            offset,
            limit,
        })
    }

    /// Sorts `rows` (each: the projection, then the keys), then projects, removes
    /// duplicates and slices them.
    pub fn finish(&self, mut rows: Vec<Vec<Option<Term>>>) -> Vec<Vec<Option<Term>>> {
        let width = self.projection.len();
        rows.sort_by(|a, b| {
            for (index, (_, descending)) in self.keys.iter().enumerate() {
                let ordering = compare_terms(a[width + index].as_ref(), b[width + index].as_ref());
                let ordering = if *descending {
                    ordering.reverse()
                } else {
                    ordering
                };
                if ordering != Ordering::Equal {
                    return ordering;
                }
            }
            Ordering::Equal
        });
        let mut seen = HashSet::new();
        rows.into_iter()
            .map(|mut row| {
                row.truncate(width);
                row
            })
            .filter(|row| !self.distinct || seen.insert(row.clone()))
            .skip(self.offset)
            .take(self.limit.unwrap_or(usize::MAX))
            .collect()
    }
}

fn rebuild(
    pattern: GraphPattern,
    distinct: bool,
    offset: usize,
    limit: Option<usize>,
) -> GraphPattern {
    let pattern = if distinct {
        GraphPattern::Distinct {
            inner: Box::new(pattern),
        }
    } else {
        pattern
    };
    if offset == 0 && limit.is_none() {
        pattern
    } else {
        GraphPattern::Slice {
            inner: Box::new(pattern),
            start: offset,
            length: limit,
        }
    }
}

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
const NUMERIC: [&str; 16] = [
    "integer",
    "decimal",
    "float",
    "double",
    "int",
    "long",
    "short",
    "byte",
    "nonNegativeInteger",
    "positiveInteger",
    "nonPositiveInteger",
    "negativeInteger",
    "unsignedInt",
    "unsignedLong",
    "unsignedShort",
    "unsignedByte",
];

fn numeric_value(literal: &Literal) -> Option<f64> {
    let datatype = literal.datatype().as_str().strip_prefix(XSD)?;
    if !NUMERIC.contains(&datatype) {
        return None;
    }
    match literal.value().trim() {
        "INF" => Some(f64::INFINITY),
        "-INF" => Some(f64::NEG_INFINITY),
        value => value.parse().ok(),
    }
}

fn class(term: Option<&Term>) -> u8 {
    match term {
        None => 0,
        Some(Term::BlankNode(_)) => 1,
        Some(Term::NamedNode(_)) => 2,
        Some(_) => 3,
    }
}

/// SPARQL's ORDER BY comparison of two (possibly unbound) terms.
pub(crate) fn compare_terms(a: Option<&Term>, b: Option<&Term>) -> Ordering {
    match (a, b) {
        (Some(Term::NamedNode(a)), Some(Term::NamedNode(b))) => a.as_str().cmp(b.as_str()),
        (Some(Term::BlankNode(a)), Some(Term::BlankNode(b))) => a.as_str().cmp(b.as_str()),
        (Some(Term::Literal(a)), Some(Term::Literal(b))) => compare_literals(a, b),
        _ => class(a).cmp(&class(b)),
    }
}

/// A total order (sorting needs one): numbers first, by value; then every other literal by
/// lexical form, datatype and language tag. SPARQL leaves numbers against strings undefined.
fn compare_literals(a: &Literal, b: &Literal) -> Ordering {
    let by_text = || {
        a.value()
            .cmp(b.value())
            .then_with(|| a.datatype().as_str().cmp(b.datatype().as_str()))
            .then_with(|| a.language().cmp(&b.language()))
    };
    match (numeric_value(a), numeric_value(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y).then_with(by_text),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => by_text(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdf::{BlankNode, NamedNode};
    use spargebra::{Query, SparqlParser};

    fn select_pattern(query: &str) -> GraphPattern {
        match SparqlParser::new().parse_query(query).expect("valid") {
            Query::Select { pattern, .. } => pattern,
            other => panic!("not a select: {other}"),
        }
    }

    #[test]
    fn a_top_level_order_by_is_split_with_its_modifiers() {
        let sorted = SortedSelect::split(select_pattern(
            "SELECT DISTINCT ?s WHERE { ?s ?p ?o } ORDER BY DESC(?o) ?p OFFSET 2 LIMIT 5",
        ))
        .expect("has an ORDER BY");
        assert_eq!(sorted.projection, vec![Variable::new_unchecked("s")]);
        assert_eq!(sorted.keys.len(), 2);
        assert!(sorted.keys[0].1 && !sorted.keys[1].1);
        assert!(sorted.distinct);
        assert_eq!((sorted.offset, sorted.limit), (2, Some(5)));
    }

    #[test]
    fn a_query_without_top_level_order_by_is_given_back_unchanged() {
        let pattern = select_pattern("SELECT DISTINCT ?s WHERE { ?s ?p ?o } LIMIT 5");
        let back = SortedSelect::split(pattern.clone()).expect_err("no ORDER BY");
        assert_eq!(*back, pattern);
    }

    #[test]
    fn terms_order_as_sparql_says() {
        let blank = Term::BlankNode(BlankNode::new_unchecked("b"));
        let iri = Term::NamedNode(NamedNode::new_unchecked("http://a.example/"));
        let two = Term::Literal(Literal::new_typed_literal(
            "2",
            NamedNode::new_unchecked(format!("{XSD}integer")),
        ));
        let ten = Term::Literal(Literal::new_typed_literal(
            "10",
            NamedNode::new_unchecked(format!("{XSD}decimal")),
        ));
        let text = Term::Literal(Literal::new_simple_literal("abc"));
        let mut terms = vec![
            Some(text.clone()),
            Some(ten.clone()),
            None,
            Some(iri.clone()),
            Some(two.clone()),
            Some(blank.clone()),
        ];
        terms.sort_by(|a, b| compare_terms(a.as_ref(), b.as_ref()));
        // 2 before 10: numbers compare by value although "10" < "2" as text.
        assert_eq!(
            terms,
            vec![
                None,
                Some(blank),
                Some(iri),
                Some(two),
                Some(ten),
                Some(text)
            ]
        );
    }
}
