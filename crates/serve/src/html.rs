//! HTML responses: the layout every page shares, rendering with the security headers, and
//! the error pages (400, 404, 410, 500) in the site's look.

use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::ServeError;
use crate::i18n::{LanguageLink, Locale, Messages};
use crate::state::SiteSettings;

/// Nothing external: scripts only as files of this site (no inline script, no `eval`),
/// styles inline, images (the map's base layer) from this site, forms post to this site.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; \
     frame-ancestors 'none'";

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
    /// `<meta name="description">`: plain text.
    pub meta_description: String,
    /// The interface language (`<html lang>`).
    pub lang: &'static str,
    /// The interface strings.
    pub t: &'static Messages,
    /// The language selector.
    pub languages: Vec<LanguageLink>,
    /// The chosen `lang`, kept by forms as a hidden field.
    pub lang_parameter: Option<String>,
    /// Links of the header and footer, with the chosen language kept.
    pub home_href: String,
    /// `/search`.
    pub search_href: String,
    /// `/sources`.
    pub sources_href: String,
    /// Whether the page loads the map script (`/assets/map.js`).
    pub map_script: bool,
}

impl Layout {
    /// The layout of a page titled `page_title` (empty: the site title alone), in English.
    pub fn new(site: &SiteSettings, page_title: impl Into<String>) -> Layout {
        Layout::localised(site, page_title, &Locale::default())
    }

    /// The layout of a page in the languages of `locale`.
    pub fn localised(
        site: &SiteSettings,
        page_title: impl Into<String>,
        locale: &Locale,
    ) -> Layout {
        Layout {
            site_title: site.title.clone(),
            site_description: site.description.clone(),
            page_title: page_title.into(),
            query: String::new(),
            meta_description: site.description.clone(),
            lang: locale.ui,
            t: locale.messages,
            languages: locale.selector(),
            lang_parameter: locale.explicit.clone(),
            home_href: locale.link("/"),
            search_href: locale.link("/search"),
            sources_href: locale.link("/sources"),
            map_script: false,
        }
    }

    /// The same layout with a page-specific `<meta name="description">` (plain text).
    pub fn with_description(mut self, description: &str) -> Layout {
        if !description.trim().is_empty() {
            self.meta_description = description.trim().to_owned();
        }
        self
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

/// The HTML page of an error, with its status, in English.
pub fn error_page(site: &SiteSettings, error: &ServeError) -> Response {
    localised_error_page(site, error, &Locale::default())
}

/// The HTML page of an error in the languages of `locale`.
pub fn localised_error_page(site: &SiteSettings, error: &ServeError, locale: &Locale) -> Response {
    let status = error.status();
    let heading_key = match status {
        StatusCode::BAD_REQUEST => "error.bad_request",
        StatusCode::NOT_FOUND => "error.not_found",
        StatusCode::GONE => "error.gone",
        StatusCode::PAYLOAD_TOO_LARGE => "error.too_large",
        StatusCode::URI_TOO_LONG => "error.uri_too_long",
        _ => "error.internal",
    };
    let heading = locale.messages.get(heading_key);
    let page = ErrorPage {
        layout: Layout::localised(site, heading, locale),
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
    respond_in(site, result, &Locale::default())
}

/// The response of a page handler in the languages of `locale`.
pub fn respond_in(
    site: &SiteSettings,
    result: Result<Response, ServeError>,
    locale: &Locale,
) -> Response {
    match result {
        Ok(response) => response,
        Err(error) => localised_error_page(site, &error, locale),
    }
}
