//! Every route of the site, in one place, and the layers around them.
//!
//! | method | path | answer |
//! |---|---|---|
//! | GET | `/` | 302 to `/pl/` or `/en/` by `Accept-Language` |
//! | GET | `/healthz` | `ok` |
//! | GET | `/sitemap.xml`, `/robots.txt` | pre-rendered |
//! | GET | `/static/{file}` | fingerprinted assets, pre-compressed |
//! | GET | `/{lang}` | 308 to `/{lang}/` |
//! | GET | `/{lang}/` | home page: paste box and every article |
//! | GET | `/{lang}/contact` | contact page |
//! | GET | `/{lang}/{slug}` | an article |
//! | GET | `/{lang}/identify` | the paste box alone |
//! | POST | `/{lang}/identify` | the result page (form field `text`) |
//! | GET | `/{lang}/search?q=` | the search page |
//! | POST | `/api/identify` | JSON answer; `{"text": ...}`, text/plain or message/rfc822 in; `?lang=` |
//! | GET | `/api/search?q=&lang=` | JSON results |
//! | any | anything else | the 404 page (JSON under `/api`) |
//!
//! Pre-rendered pages, the redirects, `/healthz` and the 404 go through no
//! layer at all: they are map look-ups that carry their security headers
//! precomputed (or add them from [`App`]), need no timeout and cannot
//! queue, and serving an article must beat nginx. They are not logged,
//! like nginx with `access_log off`.
//!
//! The dynamic routes (identify, search, the API) get the full stack: a
//! request id, a log line with route, status and latency, a global
//! concurrency limit that sheds load with 503 rather than queueing, a
//! timeout, and the security headers.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::MatchedPath;
use axum::http::{HeaderName, HeaderValue, Request, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::util::{MapRequestLayer, MapResponseLayer};
use tower::{BoxError, ServiceBuilder};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{MakeSpan, OnResponse, TraceLayer};
use tracing::{Level, Span};

use super::error::{self, Error, Surface};
use super::{App, headers, identify, pages, search};
use crate::Shared;
use crate::config::Config;

/// Builds the whole application for one shared build and one configuration.
///
/// Nothing here touches the network, so tests drive the result directly.
pub fn app(shared: Shared, config: &Config) -> Router {
    let state = App::new(shared, config.clone());

    let pages = Router::new()
        .route("/", get(pages::root))
        .route("/healthz", get(pages::healthz))
        .route("/sitemap.xml", get(pages::page))
        .route("/robots.txt", get(pages::page))
        .route("/static/{file}", get(pages::page))
        .route("/{lang}", get(pages::language_root))
        .route("/{lang}/", get(pages::page))
        .route("/{lang}/contact", get(pages::page))
        .route("/{lang}/{slug}", get(pages::page));

    let security = Arc::new(headers::security(config.hsts));
    let dynamic = Router::new()
        .route("/{lang}/identify", get(pages::page).post(identify::form))
        .route("/{lang}/search", get(search::page))
        .route("/api/identify", post(identify::api))
        .route("/api/search", get(search::api))
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(refused))
                .load_shed()
                .layer(GlobalConcurrencyLimitLayer::new(
                    config.max_concurrent as usize,
                ))
                .timeout(config.request_timeout()),
        )
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(RequestSpan)
                .on_request(())
                .on_response(Answered),
        )
        .layer(PropagateRequestIdLayer::new(X_REQUEST_ID.clone()))
        .layer(SetRequestIdLayer::new(
            X_REQUEST_ID.clone(),
            RequestIds::default(),
        ))
        // Ids are ours alone: a client's id could carry anything into the logs.
        .layer(MapRequestLayer::new(
            |mut req: Request<axum::body::Body>| {
                req.headers_mut().remove(&X_REQUEST_ID);
                req
            },
        ))
        .layer(MapResponseLayer::new(move |mut res: Response| {
            headers::add_security(res.headers_mut(), &security);
            res
        }));

    pages
        .merge(dynamic)
        .fallback(pages::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .with_state(state)
}

/// Turns the errors of the load-shedding and timeout layers into answers.
async fn refused(uri: Uri, err: BoxError) -> Error {
    let surface = Surface::of_path(uri.path());
    if err.is::<tower::timeout::error::Elapsed>() {
        Error::timeout(surface)
    } else if err.is::<tower::load_shed::error::Overloaded>() {
        Error::overloaded(surface)
    } else {
        Error::internal(surface, err)
    }
}

static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The number of the next request of this process.
static NEXT_REQUEST: AtomicU64 = AtomicU64::new(1);

/// Request ids: the process's start time and a counter, both in hex.
///
/// Unique across restarts without randomness, and cheap.
#[derive(Clone)]
struct RequestIds {
    prefix: u64,
}

impl Default for RequestIds {
    fn default() -> Self {
        static STARTED: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
        RequestIds { prefix: *STARTED }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let n = NEXT_REQUEST.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{:x}-{n:x}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

/// Tells whether a route does work per request, and so is logged at info.
fn is_dynamic(route: &str) -> bool {
    route.starts_with("/api/") || route.ends_with("/identify") || route.ends_with("/search")
}

/// The span of a request: id, method and route (the matched pattern, never
/// the raw path or query, which may carry what people typed).
#[derive(Clone)]
struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, req: &Request<B>) -> Span {
        let route = req
            .extensions()
            .get::<MatchedPath>()
            .map_or("(none)", MatchedPath::as_str);
        let id = req
            .headers()
            .get(&X_REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let method = req.method().as_str();
        if is_dynamic(route) {
            tracing::info_span!("request", id, method, route)
        } else {
            tracing::debug_span!("request", id, method, route)
        }
    }
}

/// The log line of an answered request: status and latency, at the level
/// of its span.
#[derive(Clone)]
struct Answered;

impl<B> OnResponse<B> for Answered {
    fn on_response(self, res: &Response<B>, latency: Duration, span: &Span) {
        let status = res.status().as_u16();
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        if span.metadata().is_some_and(|m| *m.level() <= Level::INFO) {
            tracing::info!(status, latency_us = micros, "answered");
        } else {
            tracing::debug!(status, latency_us = micros, "answered");
        }
    }
}
