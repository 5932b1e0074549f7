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
//! timeout, a guard that answers a panic with a 500, and the security
//! headers.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::Poll;
use std::time::Duration;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::MatchedPath;
use axum::http::{HeaderName, HeaderValue, Request, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
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

    let dynamic = Router::new()
        .route("/{lang}/identify", get(pages::page).post(identify::form))
        .route("/{lang}/search", get(search::page))
        .route("/api/identify", post(identify::api))
        .route("/api/search", get(search::api));
    let dynamic = dynamic_layers(dynamic, config);

    pages
        .merge(dynamic)
        .fallback(pages::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .with_state(state)
}

/// Wraps the dynamic routes in their layers, from the outside in: security
/// headers, our own request id, the log line, load shedding over the
/// concurrency limit, the timeout, and a guard that turns a panic into a 500.
fn dynamic_layers<S>(routes: Router<S>, config: &Config) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let security = Arc::new(headers::security(config.hsts));
    routes
        .layer(middleware::from_fn(answer_panics))
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
        }))
}

/// Answers a request whose handler panicked with the generic 500 of its
/// surface (JSON or page), instead of dropping the connection unanswered.
///
/// The panic's message is not kept: it may quote the text being handled.
async fn answer_panics(req: Request<axum::body::Body>, next: Next) -> Response {
    let surface = Surface::of_path(req.uri().path());
    let mut run = std::pin::pin!(next.run(req));
    let answered = std::future::poll_fn(|cx| {
        match std::panic::catch_unwind(AssertUnwindSafe(|| run.as_mut().poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(res)) => Poll::Ready(Some(res)),
            Err(_) => Poll::Ready(None),
        }
    })
    .await;
    answered.unwrap_or_else(|| Error::internal(surface, "the handler panicked").into_response())
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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::StatusCode;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    async fn boom() -> Response {
        panic!("a handler bug; the text was <jan@example.com>")
    }

    async fn call(app: Router, path: &str) -> (StatusCode, String, String) {
        let res = app
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let csp = res
            .headers()
            .get("content-security-policy")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let body = res.into_body().collect().await.unwrap().to_bytes();
        (status, csp, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn a_panicking_handler_gets_a_500_of_its_surface() {
        let app = dynamic_layers(
            Router::new()
                .route("/api/boom", get(boom))
                .route("/en/boom", get(boom)),
            &Config::default(),
        );
        let (status, csp, body) = call(app.clone(), "/api/boom").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(csp, headers::CSP);
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["error"]["code"], "internal");
        assert!(!body.contains("jan@example.com"), "{body}");

        let (status, csp, body) = call(app.clone(), "/en/boom").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(csp, headers::CSP);
        assert!(body.contains("<html lang=\"en\""), "{body}");
        assert!(!body.contains("jan@example.com"));

        // The router is still whole after a panic.
        let (status, _, _) = call(app, "/api/boom").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    }
}
