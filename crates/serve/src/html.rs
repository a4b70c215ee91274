//! HTML responses: the layout every page shares, rendering with the security headers, and
//! the error pages (400, 404, 410, 500) in the site's look.

use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::ServeError;
use crate::state::SiteSettings;

/// No scripts, no external anything: styles are inline, forms post to this site only.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
     img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// What the base template needs on every page.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The site title.
    pub site_title: String,
    /// The site description.
    pub site_description: String,
    /// The `<title>` of the page, before the site title.
    pub page_title: String,
    /// The text in the header's search box.
    pub query: String,
}

impl Layout {
    /// The layout of a page titled `page_title` (empty: the site title alone).
    pub fn new(site: &SiteSettings, page_title: impl Into<String>) -> Layout {
        Layout {
            site_title: site.title.clone(),
            site_description: site.description.clone(),
            page_title: page_title.into(),
            query: String::new(),
        }
    }

    /// The same layout with the header's search box filled in.
    pub fn with_query(mut self, query: &str) -> Layout {
        self.query = query.to_owned();
        self
    }

    /// The full `<title>`.
    pub fn full_title(&self) -> String {
        if self.page_title.is_empty() {
            self.site_title.clone()
        } else {
            format!("{} · {}", self.page_title, self.site_title)
        }
    }
}

/// Renders a page with its status and the HTML security headers.
pub fn render_page(status: StatusCode, page: &impl Template) -> Result<Response, ServeError> {
    let body = page.render()?;
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    Ok(response)
}

/// The page of an error.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    heading: &'static str,
    message: String,
}

/// The HTML page of an error, with its status.
pub fn error_page(site: &SiteSettings, error: &ServeError) -> Response {
    let status = error.status();
    let heading = match status {
        StatusCode::BAD_REQUEST => "Bad request",
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::GONE => "Withdrawn",
        _ => "Something went wrong",
    };
    let page = ErrorPage {
        layout: Layout::new(site, heading),
        status: status.as_u16(),
        heading,
        message: error.public_message(),
    };
    match render_page(status, &page) {
        Ok(response) => response,
        Err(render_error) => {
            tracing::error!(error = %render_error, "cannot render the error page");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal server error").into_response()
        }
    }
}

/// The response of a page handler: the page, or the error page.
pub fn respond(site: &SiteSettings, result: Result<Response, ServeError>) -> Response {
    match result {
        Ok(response) => response,
        Err(error) => error_page(site, &error),
    }
}
