//! The checks a query passes before anything runs, for what no limit could stop once started.
//!
//! - **Recursion.** spargebra's parser recurses once per bracket level, and the optimiser and
//!   the evaluator once per level of the algebra; a thread that runs out of stack aborts the
//!   whole process. So the parser runs on a thread whose stack is sized from the number of
//!   brackets in the text (an upper bound of its nesting, whatever is inside strings or IRIs),
//!   a text with too many brackets for the largest such stack is refused, and a parsed query
//!   nesting deeper than [`crate::SparqlLimits::max_nesting`] (patterns, expressions and
//!   property paths together, measured without recursion) is refused before evaluation.
//!   Evaluation runs on a thread with [`EVALUATION_STACK`].
//! - **`SERVICE`**, anywhere in the query (even `SILENT`, even in a branch that might not be
//!   evaluated): refused, since it would make the server contact hosts the operator did not
//!   configure.

use spargebra::algebra::{Expression, GraphPattern, OrderExpression, PropertyPathExpression};
use spargebra::Query;

use crate::error::SparqlError;

/// The stack of the thread a query is parsed on, before its share for brackets.
const PARSE_BASE_STACK: usize = 2 << 20;
/// Stack per bracket for the parser, measured with a margin of more than 4 (see
/// `tests::the_parser_fits_in_the_stack_given_for_its_brackets`).
pub(crate) const PARSE_STACK_PER_BRACKET: usize = 16 << 10;
/// The largest parser stack (virtual memory: only what the parser touches is used).
const PARSE_MAX_STACK: usize = 1 << 30;
/// The stack of the thread a query is evaluated on.
pub(crate) const EVALUATION_STACK: usize = 64 << 20;

/// The stack to parse `text` with, or a refusal when its brackets are too many.
pub(crate) fn parse_stack(text: &str) -> Result<usize, SparqlError> {
    let brackets = text
        .bytes()
        .filter(|byte| matches!(byte, b'(' | b'[' | b'{'))
        .count();
    let stack = brackets
        .saturating_mul(PARSE_STACK_PER_BRACKET)
        .saturating_add(PARSE_BASE_STACK);
    if stack > PARSE_MAX_STACK {
        return Err(SparqlError::TooManyBrackets {
            brackets,
            max: (PARSE_MAX_STACK - PARSE_BASE_STACK) / PARSE_STACK_PER_BRACKET,
        });
    }
    Ok(stack)
}

/// A node of the query's algebra, for the walk that measures it.
enum Node<'a> {
    Pattern(&'a GraphPattern),
    Expression(&'a Expression),
    Path(&'a PropertyPathExpression),
}

/// Refuses `SERVICE` and nesting deeper than `max_nesting`, walking the algebra with an
/// explicit stack (the walk itself cannot overflow).
pub(crate) fn check_query(query: &Query, max_nesting: usize) -> Result<(), SparqlError> {
    let pattern = match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    };
    let mut todo = vec![(Node::Pattern(pattern), 1_usize)];
    while let Some((node, depth)) = todo.pop() {
        if depth > max_nesting {
            return Err(SparqlError::TooDeep(max_nesting));
        }
        let next = depth + 1;
        match node {
            Node::Pattern(pattern) => push_pattern_children(pattern, next, &mut todo)?,
            Node::Expression(expression) => {
                push_expression_children(expression, next, &mut todo);
            }
            Node::Path(path) => match path {
                PropertyPathExpression::NamedNode(_)
                | PropertyPathExpression::NegatedPropertySet(_) => {}
                PropertyPathExpression::Reverse(inner)
                | PropertyPathExpression::ZeroOrMore(inner)
                | PropertyPathExpression::OneOrMore(inner)
                | PropertyPathExpression::ZeroOrOne(inner) => todo.push((Node::Path(inner), next)),
                PropertyPathExpression::Sequence(a, b)
                | PropertyPathExpression::Alternative(a, b) => {
                    todo.push((Node::Path(a), next));
                    todo.push((Node::Path(b), next));
                }
            },
        }
    }
    Ok(())
}

fn push_pattern_children<'a>(
    pattern: &'a GraphPattern,
    next: usize,
    todo: &mut Vec<(Node<'a>, usize)>,
) -> Result<(), SparqlError> {
    match pattern {
        GraphPattern::Service { .. } => return Err(SparqlError::ServiceRefused),
        GraphPattern::Bgp { .. } | GraphPattern::Values { .. } => {}
        GraphPattern::Path { path, .. } => todo.push((Node::Path(path), next)),
        GraphPattern::Join { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right }
        | GraphPattern::Lateral { left, right } => {
            todo.push((Node::Pattern(left), next));
            todo.push((Node::Pattern(right), next));
        }
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => {
            todo.push((Node::Pattern(left), next));
            todo.push((Node::Pattern(right), next));
            if let Some(expression) = expression {
                todo.push((Node::Expression(expression), next));
            }
        }
        GraphPattern::Filter { expr, inner } => {
            todo.push((Node::Expression(expr), next));
            todo.push((Node::Pattern(inner), next));
        }
        GraphPattern::Extend {
            inner, expression, ..
        } => {
            todo.push((Node::Expression(expression), next));
            todo.push((Node::Pattern(inner), next));
        }
        GraphPattern::OrderBy { inner, expression } => {
            for order in expression {
                let (OrderExpression::Asc(expression) | OrderExpression::Desc(expression)) = order;
                todo.push((Node::Expression(expression), next));
            }
            todo.push((Node::Pattern(inner), next));
        }
        GraphPattern::Group {
            inner, aggregates, ..
        } => {
            for (_, aggregate) in aggregates {
                if let spargebra::algebra::AggregateExpression::FunctionCall { expr, .. } =
                    aggregate
                {
                    todo.push((Node::Expression(expr), next));
                }
            }
            todo.push((Node::Pattern(inner), next));
        }
        GraphPattern::Graph { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. } => todo.push((Node::Pattern(inner), next)),
    }
    Ok(())
}

fn push_expression_children<'a>(
    expression: &'a Expression,
    next: usize,
    todo: &mut Vec<(Node<'a>, usize)>,
) {
    match expression {
        Expression::NamedNode(_)
        | Expression::Literal(_)
        | Expression::Variable(_)
        | Expression::Bound(_) => {}
        Expression::Or(a, b)
        | Expression::And(a, b)
        | Expression::Equal(a, b)
        | Expression::SameTerm(a, b)
        | Expression::Greater(a, b)
        | Expression::GreaterOrEqual(a, b)
        | Expression::Less(a, b)
        | Expression::LessOrEqual(a, b)
        | Expression::Add(a, b)
        | Expression::Subtract(a, b)
        | Expression::Multiply(a, b)
        | Expression::Divide(a, b) => {
            todo.push((Node::Expression(a), next));
            todo.push((Node::Expression(b), next));
        }
        Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => {
            todo.push((Node::Expression(a), next));
        }
        Expression::In(a, list) => {
            todo.push((Node::Expression(a), next));
            todo.extend(list.iter().map(|item| (Node::Expression(item), next)));
        }
        Expression::If(a, b, c) => {
            for part in [a, b, c] {
                todo.push((Node::Expression(part), next));
            }
        }
        Expression::Coalesce(list) | Expression::FunctionCall(_, list) => {
            todo.extend(list.iter().map(|item| (Node::Expression(item), next)));
        }
        Expression::Exists(pattern) => todo.push((Node::Pattern(pattern), next)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spargebra::SparqlParser;

    fn parse(text: &str) -> Query {
        SparqlParser::new().parse_query(text).expect("valid")
    }

    #[test]
    fn service_is_refused_wherever_it_is() {
        for query in [
            "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
            "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } } } LIMIT 1",
            "ASK { FILTER EXISTS { SERVICE ?x { ?s ?p ?o } } }",
            "SELECT * WHERE { { SELECT ?s WHERE { OPTIONAL { SERVICE <http://x.example/> { ?s ?p ?o } } } } }",
        ] {
            assert!(
                matches!(check_query(&parse(query), 64), Err(SparqlError::ServiceRefused)),
                "{query}"
            );
        }
        check_query(&parse("SELECT * WHERE { ?s ?p ?o }"), 64).expect("accepted");
    }

    #[test]
    fn nesting_is_measured_over_patterns_expressions_and_paths() {
        let unions = (0..40)
            .map(|n| format!("{{ ?s <http://x.example/p{n}> ?o }}"))
            .collect::<Vec<_>>()
            .join(" UNION ");
        let query = parse(&format!("SELECT * WHERE {{ {unions} }}"));
        check_query(&query, 64).expect("40 unions fit in 64");
        assert!(matches!(
            check_query(&query, 20),
            Err(SparqlError::TooDeep(20))
        ));
        let sum = (0..40)
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(" + ");
        let query = parse(&format!("SELECT (({sum}) AS ?x) WHERE {{}}"));
        assert!(matches!(
            check_query(&query, 20),
            Err(SparqlError::TooDeep(20))
        ));
        let path = (0..40)
            .map(|n| format!("<http://x.example/p{n}>"))
            .collect::<Vec<_>>()
            .join("|");
        let query = parse(&format!("SELECT * WHERE {{ ?s ({path})* ?o }}"));
        assert!(matches!(
            check_query(&query, 20),
            Err(SparqlError::TooDeep(20))
        ));
    }

    #[test]
    fn the_parser_stack_grows_with_the_brackets_and_has_a_ceiling() {
        let small = parse_stack("SELECT * WHERE { ?s ?p ?o }").expect("small");
        let bigger = parse_stack("SELECT * WHERE { ((((( }").expect("bigger");
        assert_eq!(bigger - small, 5 * PARSE_STACK_PER_BRACKET);
        let too_many = "(".repeat(PARSE_MAX_STACK / PARSE_STACK_PER_BRACKET);
        assert!(matches!(
            parse_stack(&too_many),
            Err(SparqlError::TooManyBrackets { .. })
        ));
    }

    #[test]
    fn the_parser_fits_in_the_stack_given_for_its_brackets() {
        // Brackets of every kind, nested, with a quarter of the stack the rule gives them:
        // a margin of four over what the parser needs.
        for depth in [64_usize, 512] {
            let expression = format!("{}1{}", "(".repeat(depth), ")".repeat(depth));
            let groups = format!("{}?s ?p ?o{}", "{".repeat(depth), "}".repeat(depth));
            let lists = format!("?s ?p {}1{} .", "(".repeat(depth), ")".repeat(depth));
            let nodes = format!(
                "?s ?p {}<a:b>{} .",
                "[ <a:p> ".repeat(depth),
                " ]".repeat(depth)
            );
            for text in [
                format!("SELECT * WHERE {{ FILTER({expression}) }}"),
                format!("SELECT * WHERE {groups}"),
                format!("SELECT * WHERE {{ {lists} }}"),
                format!("SELECT * WHERE {{ {nodes} }}"),
            ] {
                let stack = parse_stack(&text).expect("within the ceiling");
                let quarter = (stack / 4).max(64 << 10);
                let parsed = std::thread::Builder::new()
                    .stack_size(quarter)
                    // Dropping the algebra recurses too: it happens on this thread.
                    .spawn(move || SparqlParser::new().parse_query(&text).is_ok())
                    .expect("spawns")
                    .join()
                    .expect("no overflow");
                assert!(parsed, "depth {depth}");
            }
        }
    }

    #[test]
    fn nested_functions_with_an_optional_argument_parse_in_linear_time() {
        // Upstream's grammar parsed these exponentially (see vendor/spargebra).
        for function in [
            "REPLACE({}, \".\", \"$0$0\")",
            "REGEX({}, \"a\")",
            "SUBSTR({}, 1)",
        ] {
            let mut expression = "\"ab\"".to_owned();
            for _ in 0..40 {
                expression = function.replace("{}", &expression);
            }
            let text = format!("SELECT ?x WHERE {{ BIND({expression} AS ?x) }}");
            let started = std::time::Instant::now();
            let query = parse(&text);
            assert!(
                started.elapsed() < std::time::Duration::from_millis(200),
                "{function}: {:?}",
                started.elapsed()
            );
            check_query(&query, 64).expect("40 levels fit in 64");
        }
    }
}
