//! Search: the page `GET /{lang}/search?q=` and `GET /api/search?q=&lang=`.
//!
//! Without a query the page is the pre-rendered list of every article; with
//! one it is rendered per request, and also shows what the paste box
//! recognises when someone pasted an error message into the search box.

use askama::Template;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::App;
use super::error::{Error, Surface, lang_of_path};
use super::identify::{json_response, query_lang};
use super::limits::Bucket;
use super::pages;
use crate::lang::Lang;
use crate::site::NO_STORE;
use crate::site::views::{HitView, PastedHit, SearchPage, without_code};
use crate::{answer, search};

/// Results on the search page.
const PAGE_RESULTS: usize = 20;
/// Results of the API (the instant search under the header's box).
const API_RESULTS: usize = 8;

/// Returns the `q` parameter, if present.
fn query_param(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.into_owned())
}

/// Trims a query and cuts it to [`search::MAX_QUERY_CHARS`] characters.
///
/// Returns the query and whether it was cut.
fn clean(q: &str) -> (String, bool) {
    let q = q.trim();
    match q.char_indices().nth(search::MAX_QUERY_CHARS) {
        Some((cut, _)) => (q[..cut].trim_end().to_string(), true),
        None => (q.to_string(), false),
    }
}

/// `GET /{lang}/search?q=`: the search page.
pub async fn page(State(app): State<App>, req: Request) -> Response {
    let raw = query_param(req.uri().query()).unwrap_or_default();
    let Some(lang) = lang_of_path(req.uri().path()) else {
        return pages::page(State(app), req).await;
    };
    if raw.trim().is_empty() {
        // The pre-rendered page with every article.
        return pages::page(State(app), req).await;
    }
    let (parts, _) = req.into_parts();
    if let Err(wait) = app.limits.check(Bucket::Search, &parts) {
        return Error::rate_limited(Surface::Page(lang), wait).into_response();
    }
    let (query, too_long) = clean(&raw);
    let build = app.shared.load();
    let hits = build
        .search
        .search(&query, lang, PAGE_RESULTS)
        .into_iter()
        .map(|h| HitView {
            url: h.url,
            title: without_code(&h.title, &h.code).to_string(),
            code: h.code,
            snippet_html: h.snippet_html,
        })
        .collect();
    // Decided on the whole query: a pasted bounce is often longer than
    // what is searched.
    let pasted = if search::looks_like_paste(&raw) {
        pasted_findings(&build, &raw, lang)
    } else {
        Vec::new()
    };
    let ui = lang.ui();
    let title = format!("{}: {query}", ui.search_title);
    let mut l = SearchPage::layout(lang, title, &app.config.base_url);
    l.query = query.clone();
    let page = SearchPage {
        l,
        query,
        too_long,
        hits,
        pasted,
        all: Vec::new(),
    };
    match page.render() {
        Ok(html) => {
            let mut res = Response::new(Body::from(html));
            let h = res.headers_mut();
            h.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            h.insert(CACHE_CONTROL, HeaderValue::from_static(NO_STORE));
            res
        }
        Err(e) => Error::internal(Surface::Page(lang), e).into_response(),
    }
}

/// What the paste box recognises in a query that is an error message.
fn pasted_findings(build: &crate::Build, query: &str, lang: Lang) -> Vec<PastedHit> {
    let findings = build.classifier.classify(query.as_bytes());
    answer::answer(findings, &build.library, lang)
        .findings
        .into_iter()
        .take(3)
        .map(|f| PastedHit {
            heading: match (f.code, f.status.as_deref()) {
                (Some(c), Some(s)) => format!("{c} {s}"),
                (Some(c), None) => c.to_string(),
                (None, Some(s)) => s.to_string(),
                (None, None) => String::new(),
            },
            summary: f.summary,
            link: f.article.map(|a| (a.link, a.title)),
        })
        .collect()
}

/// One result of `GET /api/search`.
#[derive(Serialize)]
struct ApiHit {
    slug: String,
    url: String,
    title: String,
    code: String,
    snippet: String,
}

#[derive(Serialize)]
struct ApiResults {
    results: Vec<ApiHit>,
}

/// `GET /api/search?q=&lang=`: results for the instant search.
pub async fn api(State(app): State<App>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    if let Err(wait) = app.limits.check(Bucket::Search, &parts) {
        return Error::rate_limited(Surface::Api, wait).into_response();
    }
    let lang = match query_lang(parts.uri.query()) {
        Ok(lang) => lang,
        Err(e) => return e.into_response(),
    };
    let Some(raw) = query_param(parts.uri.query()) else {
        return Error::missing_query("q", "/api/search?q=relay+access+denied&lang=en")
            .into_response();
    };
    let (query, _) = clean(&raw);
    let build = app.shared.load();
    let results = if query.is_empty() {
        Vec::new()
    } else {
        build
            .search
            .search(&query, lang, API_RESULTS)
            .into_iter()
            .map(|h| ApiHit {
                slug: h.slug,
                url: h.url,
                title: h.title,
                code: h.code,
                snippet: h.snippet,
            })
            .collect()
    };
    json_response(&ApiResults { results })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_queries_are_cut_on_a_character() {
        let (q, cut) = clean(&"ż".repeat(300));
        assert!(cut);
        assert_eq!(q.chars().count(), search::MAX_QUERY_CHARS);
        assert_eq!(clean("  403  "), ("403".to_string(), false));
    }

    #[test]
    fn the_query_parameter_is_decoded() {
        assert_eq!(
            query_param(Some("q=relay+access%20denied&lang=en")).as_deref(),
            Some("relay access denied")
        );
        assert_eq!(query_param(Some("lang=en")), None);
        assert_eq!(query_param(None), None);
    }
}
