//! CSW 2.0.2 requests and capabilities: what `GetCapabilities` says (output schemas of
//! `GetRecords`, whether it takes `POST`, its `GET` and `POST` URLs), and the `GetRecords`
//! request as POST XML or GET KVP, with the configured constraint and the `Modified`
//! constraint of incremental runs.

use chrono::{DateTime, SecondsFormat, Utc};
use ldtcat_config::{CswConstraint, CswOutputSchema};
use url::Url;

use crate::pager::with_query;
use crate::xml::Element;

/// What a server's capabilities say about `GetRecords`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// `outputSchema` values offered (empty when not listed).
    pub output_schemas: Vec<String>,
    /// The `POST` URL of `GetRecords`, when it takes POST.
    pub post_url: Option<Url>,
    /// The `GET` URL of `GetRecords`.
    pub get_url: Option<Url>,
    /// The `GET` URL of `GetRecordById`.
    pub by_id_url: Option<Url>,
}

fn operation<'e>(root: &'e Element, name: &str) -> Option<&'e Element> {
    root.select("ows:OperationsMetadata/ows:Operation")
        .into_iter()
        .find(|op| op.attribute("name") == Some(name))
}

fn href(operation: &Element, method: &str) -> Option<Url> {
    operation
        .select(&format!("ows:DCP/ows:HTTP/ows:{method}"))
        .into_iter()
        .find_map(|e| e.attribute("href"))
        .and_then(|h| Url::parse(h).ok())
}

/// Reads a `csw:Capabilities` document.
pub fn read_capabilities(root: &Element) -> Result<Capabilities, String> {
    if root.is("ows:ExceptionReport") {
        return Err(exception_text(root));
    }
    if !root.is("csw:Capabilities") {
        return Err(format!(
            "not CSW 2.0.2 capabilities (root <{}>)",
            root.local
        ));
    }
    let Some(get_records) = operation(root, "GetRecords") else {
        return Err("the capabilities list no GetRecords operation".to_owned());
    };
    let output_schemas = get_records
        .select("ows:Parameter")
        .into_iter()
        .filter(|p| {
            p.attribute("name")
                .is_some_and(|n| n.eq_ignore_ascii_case("outputSchema"))
        })
        .flat_map(|p| p.values("ows:Value"))
        .map(str::to_owned)
        .collect();
    Ok(Capabilities {
        output_schemas,
        post_url: href(get_records, "Post"),
        get_url: href(get_records, "Get"),
        by_id_url: operation(root, "GetRecordById").and_then(|op| href(op, "Get")),
    })
}

/// The text of an `ows:ExceptionReport`: each exception's code, locator and text.
pub fn exception_text(report: &Element) -> String {
    let parts: Vec<String> = report
        .children_named("ows:Exception")
        .map(|exception| {
            let code = exception.attribute("exceptionCode").unwrap_or("exception");
            let locator = exception
                .attribute("locator")
                .map(|l| format!(" ({l})"))
                .unwrap_or_default();
            let text = exception.values("ows:ExceptionText").join(" ");
            format!("{code}{locator}: {}", text.trim())
        })
        .collect();
    format!("ows:ExceptionReport: {}", parts.join("; "))
}

/// The schema to ask for: the configured one, else ISO 19139 when offered (or when the
/// capabilities list none), else Dublin Core.
pub fn choose_schema(
    configured: Option<CswOutputSchema>,
    capabilities: &Capabilities,
) -> CswOutputSchema {
    if let Some(schema) = configured {
        return schema;
    }
    let offered = &capabilities.output_schemas;
    if offered.iter().any(|s| s == CswOutputSchema::Iso19139.uri()) {
        CswOutputSchema::Iso19139
    } else {
        CswOutputSchema::DublinCore
    }
}

/// One `GetRecords` page.
#[derive(Debug, Clone)]
pub struct GetRecords<'a> {
    /// Output schema.
    pub schema: CswOutputSchema,
    /// 1-based start position.
    pub start: u64,
    /// Page size.
    pub max_records: u64,
    /// The configured constraint.
    pub constraint: Option<&'a CswConstraint>,
    /// Incremental runs: records modified since.
    pub modified_since: Option<DateTime<Utc>>,
}

fn xml_escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

fn since_text(since: DateTime<Utc>) -> String {
    since.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl GetRecords<'_> {
    /// The OGC Filter predicate (inside `<ogc:Filter>`), or `None`.
    fn filter(&self) -> Option<String> {
        let modified = self.modified_since.map(|since| {
            format!(
                "<ogc:PropertyIsGreaterThanOrEqualTo><ogc:PropertyName>dct:modified</ogc:PropertyName>\
                 <ogc:Literal>{}</ogc:Literal></ogc:PropertyIsGreaterThanOrEqualTo>",
                since_text(since)
            )
        });
        let configured = match self.constraint {
            Some(CswConstraint::Filter(predicate)) => Some(predicate.clone()),
            _ => None,
        };
        match (configured, modified) {
            (Some(a), Some(b)) => Some(format!("<ogc:And>{a}{b}</ogc:And>")),
            (a, b) => a.or(b),
        }
    }

    /// The CQL text, when the configuration gives CQL.
    fn cql(&self) -> Option<String> {
        let Some(CswConstraint::Cql(text)) = self.constraint else {
            return None;
        };
        Some(match self.modified_since {
            Some(since) => format!("({text}) AND dct:modified >= '{}'", since_text(since)),
            None => text.clone(),
        })
    }

    /// The request as POST XML.
    pub fn post_body(&self) -> Vec<u8> {
        let constraint = match (self.cql(), self.filter()) {
            (Some(cql), _) => format!(
                "<csw:Constraint version=\"1.1.0\"><csw:CqlText>{}</csw:CqlText></csw:Constraint>",
                xml_escape(&cql)
            ),
            (None, Some(filter)) => format!(
                "<csw:Constraint version=\"1.1.0\"><ogc:Filter>{filter}</ogc:Filter></csw:Constraint>"
            ),
            (None, None) => String::new(),
        };
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <csw:GetRecords xmlns:csw=\"http://www.opengis.net/cat/csw/2.0.2\" \
             xmlns:ogc=\"http://www.opengis.net/ogc\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
             xmlns:dct=\"http://purl.org/dc/terms/\" xmlns:gmd=\"http://www.isotc211.org/2005/gmd\" \
             xmlns:apiso=\"http://www.opengis.net/cat/csw/apiso/1.0\" \
             service=\"CSW\" version=\"2.0.2\" resultType=\"results\" startPosition=\"{}\" \
             maxRecords=\"{}\" outputFormat=\"application/xml\" outputSchema=\"{}\">\
             <csw:Query typeNames=\"csw:Record\"><csw:ElementSetName>full</csw:ElementSetName>{constraint}\
             <ogc:SortBy><ogc:SortProperty><ogc:PropertyName>dc:identifier</ogc:PropertyName>\
             <ogc:SortOrder>ASC</ogc:SortOrder></ogc:SortProperty></ogc:SortBy></csw:Query></csw:GetRecords>\n",
            self.start,
            self.max_records,
            self.schema.uri()
        )
        .into_bytes()
    }

    /// The request as GET KVP on `endpoint`.
    pub fn get_url(&self, endpoint: &Url) -> Url {
        let mut pairs = vec![
            ("service", "CSW".to_owned()),
            ("version", "2.0.2".to_owned()),
            ("request", "GetRecords".to_owned()),
            ("typeNames", "csw:Record".to_owned()),
            ("elementSetName", "full".to_owned()),
            ("resultType", "results".to_owned()),
            ("outputSchema", self.schema.uri().to_owned()),
            ("startPosition", self.start.to_string()),
            ("maxRecords", self.max_records.to_string()),
            ("sortBy", "dc:identifier:A".to_owned()),
        ];
        if let Some(cql) = self.cql() {
            pairs.push(("constraintLanguage", "CQL_TEXT".to_owned()));
            pairs.push(("constraint_language_version", "1.1.0".to_owned()));
            pairs.push(("constraint", cql));
        } else if let Some(filter) = self.filter() {
            pairs.push(("constraintLanguage", "FILTER".to_owned()));
            pairs.push(("constraint_language_version", "1.1.0".to_owned()));
            pairs.push((
                "constraint",
                format!(
                    "<ogc:Filter xmlns:ogc=\"http://www.opengis.net/ogc\" \
                     xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
                     xmlns:dct=\"http://purl.org/dc/terms/\">{filter}</ogc:Filter>"
                ),
            ));
        }
        with_query(endpoint, &pairs)
    }
}

/// The `GetRecordById` URL that returns one record in `schema` (kept on the mapped record).
pub fn record_by_id_url(endpoint: &Url, id: &str, schema: CswOutputSchema) -> Url {
    with_query(
        endpoint,
        &[
            ("service", "CSW".to_owned()),
            ("version", "2.0.2".to_owned()),
            ("request", "GetRecordById".to_owned()),
            ("id", id.to_owned()),
            ("elementSetName", "full".to_owned()),
            ("outputSchema", schema.uri().to_owned()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::parse_document;

    #[test]
    fn an_incremental_request_ands_the_configured_filter_with_modified() {
        let constraint = CswConstraint::Filter(
            "<ogc:PropertyIsLike wildCard=\"%\" singleChar=\"_\" escapeChar=\"\\\"><ogc:PropertyName>dc:title</ogc:PropertyName><ogc:Literal>%a%</ogc:Literal></ogc:PropertyIsLike>".to_owned(),
        );
        let request = GetRecords {
            schema: CswOutputSchema::Iso19139,
            start: 11,
            max_records: 10,
            constraint: Some(&constraint),
            modified_since: DateTime::parse_from_rfc3339("2024-05-01T00:00:00Z")
                .ok()
                .map(|d| d.with_timezone(&Utc)),
        };
        let body = String::from_utf8(request.post_body()).expect("utf-8");
        let parsed = parse_document(body.as_bytes()).expect("well-formed");
        assert_eq!(parsed.attribute("startPosition"), Some("11"));
        let and = parsed.select("csw:Query/csw:Constraint/ogc:Filter/ogc:And");
        assert_eq!(and.len(), 1, "{body}");
        assert_eq!(and[0].children.len(), 2);
        let url = request.get_url(&Url::parse("http://x.org/csw").expect("url"));
        assert!(url.as_str().contains("constraintLanguage=FILTER"), "{url}");
        let cql = CswConstraint::Cql("dc:title like '%a%'".to_owned());
        let request = GetRecords {
            constraint: Some(&cql),
            ..request
        };
        let url = request.get_url(&Url::parse("http://x.org/csw").expect("url"));
        let decoded: String = url
            .query_pairs()
            .map(|(k, v)| format!("{k}={v}&"))
            .collect();
        assert!(
            decoded.contains(
                "constraint=(dc:title like '%a%') AND dct:modified >= '2024-05-01T00:00:00Z'"
            ),
            "{decoded}"
        );
    }
}
