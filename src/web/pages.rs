//! Handlers of the pre-rendered pages, the redirects, the 404 and `/healthz`.
//!
//! This is the hot path: a page is a map look-up, and the response is the
//! precomputed body and header map of the negotiated encoding. Nothing here
//! allocates beyond the header-map clone.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{
    ACCEPT_ENCODING, ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_TYPE, IF_NONE_MATCH, LOCATION, VARY,
};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};

use super::App;
use super::error::{Error, Surface, lang_of_path};
use super::headers::{etag_matches, negotiate_encoding};
use crate::lang::Lang;
use crate::site::{NO_STORE, Page, Site};

/// Answers any pre-rendered page by its exact path, or the 404 page.
pub async fn page(State(app): State<App>, req: Request) -> Response {
    let build = app.shared.load();
    let path = req.uri().path();
    match build.site.page(path) {
        Some(page) => serve(page, &req),
        None => not_found_for(&app, &build.site, &req),
    }
}

/// Answers with a pre-rendered page: encoding negotiation, 304, HEAD.
pub fn serve(page: &Page, req: &Request) -> Response {
    let headers = req.headers();
    let encoding = negotiate_encoding(headers.get(ACCEPT_ENCODING));
    if page.status == StatusCode::OK
        && let Some(inm) = headers.get(IF_NONE_MATCH)
        && etag_matches(inm, page.etag(encoding))
    {
        let mut res = Response::new(Body::empty());
        *res.status_mut() = StatusCode::NOT_MODIFIED;
        *res.headers_mut() = page.not_modified(encoding).clone();
        return res;
    }
    let body = if req.method() == Method::HEAD {
        Body::empty()
    } else {
        Body::from(page.body(encoding).clone())
    };
    let mut res = Response::new(body);
    *res.status_mut() = page.status;
    *res.headers_mut() = page.headers(encoding).clone();
    res
}

/// Answers a path nothing else answers: the 404 page in the language of the
/// path, or the JSON envelope under `/api`.
pub async fn not_found(State(app): State<App>, req: Request) -> Response {
    let build = app.shared.load();
    not_found_for(&app, &build.site, &req)
}

fn not_found_for(app: &App, site: &Site, req: &Request) -> Response {
    match Surface::of_path(req.uri().path()) {
        Surface::Api => app.secure(Error::not_found().into_response()),
        Surface::Page(lang) => serve(site.not_found(lang), req),
    }
}

static VARY_ACCEPT_LANGUAGE: HeaderValue = HeaderValue::from_static("Accept-Language");
static NO_CACHE: HeaderValue = HeaderValue::from_static("no-cache");
static TO_PL: HeaderValue = HeaderValue::from_static("/pl/");
static TO_EN: HeaderValue = HeaderValue::from_static("/en/");

fn home_of(lang: Lang) -> HeaderValue {
    match lang {
        Lang::Pl => TO_PL.clone(),
        Lang::En => TO_EN.clone(),
    }
}

/// `GET /`: sends the visitor to the home page in their language.
pub async fn root(State(app): State<App>, req: Request) -> Response {
    let accept = req
        .headers()
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let lang = Lang::negotiate(accept);
    let mut res = StatusCode::FOUND.into_response();
    let h = res.headers_mut();
    h.insert(LOCATION, home_of(lang));
    h.insert(VARY, VARY_ACCEPT_LANGUAGE.clone());
    h.insert(CACHE_CONTROL, NO_CACHE.clone());
    app.secure(res)
}

/// `GET /pl`: adds the slash; anything else at the top level is a 404.
pub async fn language_root(State(app): State<App>, req: Request) -> Response {
    // `/{lang}` matches any single segment; only the two languages redirect.
    let path = req.uri().path();
    match lang_of_path(path).filter(|_| path.len() == 3) {
        Some(lang) => {
            let mut res = StatusCode::PERMANENT_REDIRECT.into_response();
            let h = res.headers_mut();
            h.insert(LOCATION, home_of(lang));
            h.insert(
                CACHE_CONTROL,
                HeaderValue::from_static(crate::site::PAGE_CACHE),
            );
            app.secure(res)
        }
        None => not_found(State(app), req).await,
    }
}

/// `GET /healthz`: the process is up and answering.
pub async fn healthz(State(app): State<App>) -> Response {
    let res = (
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            ),
            (CACHE_CONTROL, HeaderValue::from_static(NO_STORE)),
        ],
        "ok",
    )
        .into_response();
    app.secure(res)
}
