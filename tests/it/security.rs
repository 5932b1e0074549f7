//! Issue 7: headers on every response, limits, traversal, and quiet logs.

use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode};
use bytes::Bytes;
use diagnoza::config::Config;
use diagnoza::lang::Lang;
use diagnoza::site::assets::ASSETS;
use serde_json::json;
use test_case::test_case;

use crate::common::{
    RELAY_LINE, Res, app, app_with, custom_app, get, post_api, post_form, request, send,
};

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// One request of a kind of route, and the status it gets.
struct Case {
    what: &'static str,
    method: Method,
    uri: String,
    headers: Vec<(&'static str, &'static str)>,
    body: String,
    status: StatusCode,
}

fn case(what: &'static str, method: Method, uri: &str, status: StatusCode) -> Case {
    Case {
        what,
        method,
        uri: uri.to_string(),
        headers: Vec::new(),
        body: String::new(),
        status,
    }
}

impl Case {
    fn header(mut self, name: &'static str, value: &'static str) -> Case {
        self.headers.push((name, value));
        self
    }

    fn body(mut self, body: &str) -> Case {
        self.body = body.to_string();
        self
    }

    async fn send(&self, app: axum::Router) -> Res {
        request(
            app,
            self.method.clone(),
            &self.uri,
            &self.headers,
            self.body.clone(),
        )
        .await
    }
}

/// One request of every kind of route.
fn every_kind() -> Vec<Case> {
    use Method as M;
    use StatusCode as S;
    let form = "application/x-www-form-urlencoded";
    let text = format!(
        "text={}",
        form_urlencoded::byte_serialize(RELAY_LINE.as_bytes()).collect::<String>()
    );
    vec![
        case("article", M::GET, "/pl/http-403", S::OK),
        case("article, brotli", M::GET, "/en/http-403", S::OK).header("accept-encoding", "br"),
        case("home", M::GET, "/en/", S::OK),
        case("asset", M::GET, &ASSETS.css, S::OK),
        case("sitemap", M::GET, "/sitemap.xml", S::OK),
        case("head", M::HEAD, "/pl/http-404", S::OK),
        case("redirect by language", M::GET, "/", S::FOUND),
        case("redirect to slash", M::GET, "/en", S::PERMANENT_REDIRECT),
        case("404", M::GET, "/pl/nope", S::NOT_FOUND),
        case("page 405", M::DELETE, "/pl/", S::METHOD_NOT_ALLOWED),
        case("result page", M::POST, "/pl/identify", S::OK)
            .header("content-type", form)
            .body(&text),
        case("empty form", M::POST, "/en/identify", S::BAD_REQUEST)
            .header("content-type", form)
            .body("text="),
        case("search page", M::GET, "/pl/search?q=403", S::OK),
        case("api", M::POST, "/api/identify", S::OK)
            .header("content-type", "text/plain")
            .body(RELAY_LINE),
        case(
            "api 415",
            M::POST,
            "/api/identify",
            S::UNSUPPORTED_MEDIA_TYPE,
        )
        .body(RELAY_LINE),
        case("api 405", M::GET, "/api/identify", S::METHOD_NOT_ALLOWED),
        case("api 404", M::GET, "/api/nothing", S::NOT_FOUND),
        case("api search", M::GET, "/api/search?q=relay", S::OK),
        case("healthz", M::GET, "/healthz", S::OK),
        case("head of a 404", M::HEAD, "/en/nope", S::NOT_FOUND),
        case("form 405", M::PUT, "/pl/identify", S::METHOD_NOT_ALLOWED),
        case("api invalid JSON", M::POST, "/api/identify", S::BAD_REQUEST)
            .header("content-type", "application/json")
            .body("{\"text\": "),
        case(
            "api wrong field type",
            M::POST,
            "/api/identify",
            S::UNPROCESSABLE_ENTITY,
        )
        .header("content-type", "application/json")
        .body("{\"text\": 554}"),
        // A declared length over the hard cap is refused unread, so these
        // cost nothing to send.
        case("api 413", M::POST, "/api/identify", S::PAYLOAD_TOO_LARGE)
            .header("content-type", "text/plain")
            .header("content-length", "5000000")
            .body("x"),
        case("form 413", M::POST, "/en/identify", S::PAYLOAD_TOO_LARGE)
            .header("content-type", form)
            .header("content-length", "5000000")
            .body("text=x"),
    ]
}

fn assert_security_headers(res: &Res, what: &str, hsts: bool) {
    assert_eq!(res.header("content-security-policy"), CSP, "{what}");
    assert_eq!(res.header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(
        res.header("referrer-policy"),
        "strict-origin-when-cross-origin",
        "{what}"
    );
    let permissions = res.header("permissions-policy");
    for feature in [
        "camera=()",
        "microphone=()",
        "geolocation=()",
        "payment=()",
        "usb=()",
    ] {
        assert!(
            permissions.contains(feature),
            "{what}: {feature} in {permissions}"
        );
    }
    assert_eq!(
        res.headers.contains_key("strict-transport-security"),
        hsts,
        "{what}: HSTS only when configured"
    );
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    for c in every_kind() {
        let res = c.send(app()).await;
        assert_eq!(res.status, c.status, "{}", c.what);
        assert_security_headers(&res, c.what, false);
    }
}

#[tokio::test]
async fn hsts_is_sent_everywhere_when_configured() {
    for c in every_kind() {
        let res = c.send(custom_app()).await;
        assert_eq!(res.status, c.status, "{}", c.what);
        assert_security_headers(&res, c.what, true);
        assert!(
            res.header("strict-transport-security")
                .starts_with("max-age="),
            "{}",
            c.what
        );
    }
}

#[tokio::test]
async fn a_304_carries_the_security_headers_too() {
    let etag = get("/pl/http-403").await.header("etag").to_string();
    let res = request(
        app(),
        Method::GET,
        "/pl/http-403",
        &[("if-none-match", &etag)],
        Body::empty(),
    )
    .await;
    assert_eq!(res.status, StatusCode::NOT_MODIFIED);
    assert_security_headers(&res, "304", false);
}

#[tokio::test]
async fn dynamic_answers_carry_our_own_request_ids() {
    async fn search(id: &'static str) -> Res {
        let headers = [("x-request-id", id)];
        request(
            app(),
            Method::GET,
            "/api/search?q=403",
            &headers,
            Body::empty(),
        )
        .await
    }
    let a = search("jan@example.com").await;
    let b = search("jan@example.com").await;
    let a_id = a.header("x-request-id");
    assert_ne!(a_id, "jan@example.com", "a client's id is replaced");
    assert_ne!(a_id, b.header("x-request-id"), "ids are unique");
    let form = post_form(app(), Lang::Pl, RELAY_LINE).await;
    assert!(form.headers.contains_key("x-request-id"));
    let api = post_api(app(), "/api/identify", &json!({"text": 1})).await;
    assert!(api.headers.contains_key("x-request-id"), "errors too");
}

#[test_case("/static/..%2f..%2fetc/passwd")]
#[test_case("/static/..%2F..%2F..%2Fetc%2Fpasswd")]
#[test_case("/static/%2e%2e/%2e%2e/etc/passwd")]
#[test_case("/static/%252e%252e%252fetc%252fpasswd" ; "double encoding")]
#[test_case("/static/..%5c..%5cetc%5cpasswd" ; "encoded backslashes")]
#[test_case("/static/../../etc/passwd")]
#[test_case("/static/../Cargo.toml")]
#[test_case("/../../etc/passwd")]
#[test_case("/pl/..%2f..%2fetc%2fpasswd")]
#[test_case("/pl/%2e%2e%2fCargo.toml")]
#[test_case("/static/%00")]
#[test_case("/static/style.css%00.css" ; "a nul byte")]
#[test_case("/static/style.css" ; "an asset without its fingerprint")]
#[test_case("/static/" ; "the asset folder")]
#[test_case("/content/pl/http-403.md" ; "the source of an article")]
#[test_case("/src/main.rs")]
#[test_case("/.git/config")]
#[test_case("/static/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd" ; "overlong utf-8 dots")]
#[test_case("/static/..%c0%af..%c0%afetc%c0%afpasswd" ; "overlong utf-8 slashes")]
#[test_case("/static/%e0%80%ae%e0%80%ae%e0%80%afCargo.toml" ; "three-byte overlong utf-8")]
#[test_case("/pl/%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afetc%c0%afpasswd" ; "overlong utf-8 under a language")]
#[test_case("/static/%ef%bc%8e%ef%bc%8e%ef%bc%8fCargo.toml" ; "full-width dots and slash")]
#[test_case("/static/..\\..\\etc\\passwd" ; "backslashes")]
#[test_case("/pl\\..\\..\\Cargo.toml" ; "backslashes after a language")]
#[test_case("/static/%255c..%255cCargo.toml" ; "double-encoded backslashes")]
#[test_case("/static/..;/..;/Cargo.toml" ; "semicolon segments")]
#[test_case("//etc/passwd" ; "an empty first segment")]
#[test_case("/static//etc/passwd" ; "an empty segment")]
#[test_case("/static/%2fetc%2fpasswd" ; "an encoded absolute path")]
#[test_case("/pl/%00" ; "an encoded nul under a language")]
#[test_case("/{lang}/{slug}" ; "the route pattern itself")]
#[tokio::test]
async fn no_path_leads_outside_the_embedded_site(path: &str) {
    let res = get(path).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
    let body = res.text();
    assert!(
        body.contains(Lang::Pl.ui().not_found_title),
        "{path}: the 404 page"
    );
    for secret in ["root:x:", "[package]", "fn main", "[core]", "+++"] {
        assert!(!body.contains(secret), "{path}: leaked {secret}");
    }
}

/// Returns a request from a given peer address, as `into_make_service_with_connect_info` gives it.
/// A form post to the paste box from one client.
fn form_from_peer(uri: &str, body: Body) -> Request<Body> {
    from_peer(
        Method::POST,
        uri,
        "192.0.2.1:1",
        &[("content-type", "application/x-www-form-urlencoded")],
        body,
    )
}

fn from_peer(
    method: Method,
    uri: &str,
    peer: &str,
    headers: &[(&str, &str)],
    body: impl Into<Body>,
) -> Request<Body> {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut req = req.body(body.into()).unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
    req
}

fn api_paste(peer: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut all = vec![("content-type", "text/plain")];
    all.extend_from_slice(headers);
    from_peer(Method::POST, "/api/identify", peer, &all, RELAY_LINE)
}

/// Sends pastes from one peer until one is refused; returns how many passed.
async fn pastes_until_refused(
    app: &axum::Router,
    peer: &str,
    headers: &[(&str, &str)],
) -> (usize, Res) {
    for n in 0..1000 {
        let res = send(app.clone(), api_paste(peer, headers)).await;
        if res.status != StatusCode::OK {
            return (n, res);
        }
    }
    panic!("1000 pastes from one client passed");
}

#[tokio::test]
async fn a_burst_of_50_pastes_passes_and_then_the_api_says_429() {
    let app = app();
    let (passed, refused) = pastes_until_refused(&app, "198.51.100.1:4000", &[]).await;
    assert!(passed >= 50, "only {passed} pastes passed");
    assert!(passed < 200, "{passed} pastes passed: no limit?");
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = refused
        .header("retry-after")
        .parse()
        .expect("Retry-After in seconds");
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(refused.json()["error"]["code"], "rate_limited");
    assert_security_headers(&refused, "429", false);

    // Another client is not affected.
    let other = send(app.clone(), api_paste("198.51.100.2:4000", &[])).await;
    assert_eq!(other.status, StatusCode::OK);
    // Search has its own bucket.
    let search = send(
        app.clone(),
        from_peer(
            Method::GET,
            "/api/search?q=relay",
            "198.51.100.1:4000",
            &[],
            Body::empty(),
        ),
    )
    .await;
    assert_eq!(search.status, StatusCode::OK);
}

#[tokio::test]
async fn the_form_says_429_with_a_page() {
    let config = Config {
        rate_limit_burst: 2,
        ..Config::default()
    };
    let app = app_with(&config);
    let form = [("content-type", "application/x-www-form-urlencoded")];
    for _ in 0..2 {
        let res = send(
            app.clone(),
            from_peer(
                Method::POST,
                "/en/identify",
                "192.0.2.7:1",
                &form,
                "text=554+5.7.1",
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK);
    }
    let res = send(
        app.clone(),
        from_peer(
            Method::POST,
            "/en/identify",
            "192.0.2.7:1",
            &form,
            "text=554+5.7.1",
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers.contains_key("retry-after"));
    assert_eq!(res.header("content-type"), "text/html; charset=utf-8");
    assert!(res.text().contains(Lang::En.ui().rate_limited_title));

    // The search page is limited too, with its own bucket.
    for _ in 0..2 {
        let res = send(
            app.clone(),
            from_peer(
                Method::GET,
                "/pl/search?q=403",
                "192.0.2.7:1",
                &[],
                Body::empty(),
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK);
    }
    let res = send(
        app.clone(),
        from_peer(
            Method::GET,
            "/pl/search?q=403",
            "192.0.2.7:1",
            &[],
            Body::empty(),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(res.text().contains(Lang::Pl.ui().rate_limited_title));

    // Pages are never limited.
    for _ in 0..5 {
        let res = send(
            app.clone(),
            from_peer(
                Method::GET,
                "/pl/http-403",
                "192.0.2.7:1",
                &[],
                Body::empty(),
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn x_forwarded_for_counts_only_when_trusted() {
    let small = Config {
        rate_limit_burst: 3,
        ..Config::default()
    };
    // Not trusted: a client cannot escape its bucket by inventing addresses.
    let app = app_with(&small);
    let mut statuses = Vec::new();
    for n in 0..4 {
        let xff = format!("203.0.113.{n}");
        statuses.push(
            send(
                app.clone(),
                api_paste("10.0.0.1:1", &[("x-forwarded-for", &xff)]),
            )
            .await
            .status,
        );
    }
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );

    // Trusted: clients behind one proxy are told apart.
    let trusted = Config {
        trust_forwarded_for: true,
        ..small
    };
    let app = app_with(&trusted);
    for n in 0..10 {
        let xff = format!("203.0.113.{n}");
        let res = send(
            app.clone(),
            api_paste("10.0.0.1:1", &[("x-forwarded-for", &xff)]),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "client {n}");
    }
    let (passed, refused) = pastes_until_refused(
        &app,
        "10.0.0.1:1",
        &[("x-forwarded-for", "198.51.100.9, 203.0.113.77")],
    )
    .await;
    assert_eq!(passed, 3);
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
}

/// A request body that never arrives.
struct Pending;

impl http_body::Body for Pending {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Infallible>>> {
        Poll::Pending
    }
}

#[tokio::test]
async fn over_the_concurrency_limit_requests_are_shed_with_503() {
    let config = Config {
        max_concurrent: 1,
        ..Config::default()
    };
    let app = app_with(&config);
    let stuck = tokio::spawn({
        let app = app.clone();
        async move {
            send(
                app,
                from_peer(
                    Method::POST,
                    "/api/identify",
                    "192.0.2.1:1",
                    &[("content-type", "text/plain")],
                    Body::new(Pending),
                ),
            )
            .await
        }
    });
    // Let the first request take the only slot and wait for its body.
    for _ in 0..20 {
        tokio::task::yield_now().await;
    }
    let res = post_api(app.clone(), "/api/identify", &json!({"text": RELAY_LINE})).await;
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.json()["error"]["code"], "overloaded");
    assert!(res.headers.contains_key("retry-after"));
    assert_security_headers(&res, "503 api", false);
    let page = post_form(app.clone(), Lang::Pl, RELAY_LINE).await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.text().contains(Lang::Pl.ui().unavailable_title));
    assert_security_headers(&page, "503 page", false);
    // Pre-rendered pages never wait for a slot.
    assert_eq!(
        send(
            app.clone(),
            Request::get("/pl/http-403").body(Body::empty()).unwrap()
        )
        .await
        .status,
        StatusCode::OK
    );
    stuck.abort();
}

#[tokio::test(start_paused = true)]
async fn a_request_that_takes_too_long_is_stopped() {
    let config = Config {
        request_timeout: 2,
        ..Config::default()
    };
    // With the clock paused, tokio jumps to the deadline as soon as
    // everything waits, so this takes no real time.
    let res = send(
        app_with(&config),
        from_peer(
            Method::POST,
            "/api/identify",
            "192.0.2.1:1",
            &[("content-type", "text/plain")],
            Body::new(Pending),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::REQUEST_TIMEOUT);
    assert_eq!(res.json()["error"]["code"], "timeout");
    assert_security_headers(&res, "408 api", false);
    let page = send(
        app_with(&config),
        form_from_peer("/en/identify", Body::new(Pending)),
    )
    .await;
    assert_eq!(page.status, StatusCode::REQUEST_TIMEOUT);
    assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
    assert!(page.text().contains(Lang::En.ui().unavailable_title));
    assert_security_headers(&page, "408 page", false);
}

/// Log lines written by the subscriber under test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// Captures every log line of this thread, at every level, until the
    /// guard is dropped.
    fn every_level() -> (Self, tracing::subscriber::DefaultGuard) {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        (captured, tracing::subscriber::set_default(subscriber))
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_hold_routes_and_statuses_but_never_what_people_typed() {
    let (captured, _guard) = Captured::every_level();

    let secret_mail = "ukryty.adres@tajna-firma.example";
    let pasted = format!("554 5.7.1 <{secret_mail}>: Relay access denied");
    post_form(app(), Lang::Pl, &pasted).await;
    post_api(app(), "/api/identify", &json!({ "text": pasted })).await;
    post_api(
        app(),
        "/api/identify",
        &json!({ "text": 42, "note": secret_mail }),
    )
    .await;
    get(&format!("/pl/search?q={secret_mail}")).await;
    get(&format!("/api/search?q=tajne-zapytanie-{secret_mail}")).await;
    get(&format!("/pl/nie-ma-{secret_mail}")).await;

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("answered"), "requests are logged:\n{logs}");
    assert!(
        logs.contains("route=\"/api/identify\""),
        "with their route:\n{logs}"
    );
    assert!(logs.contains("status=200"), "and status:\n{logs}");
    assert!(logs.contains("latency_us="), "and latency:\n{logs}");
    assert!(logs.contains("id="), "and a request id:\n{logs}");
    for secret in [
        secret_mail,
        "tajna-firma",
        "tajne-zapytanie",
        "Relay access denied",
        "ukryty",
    ] {
        assert!(!logs.contains(secret), "{secret} reached the logs:\n{logs}");
    }
}

#[tokio::test]
async fn the_search_api_says_429_with_the_envelope() {
    let app = app_with(&Config {
        rate_limit_burst: 2,
        ..Config::default()
    });
    let search = || {
        from_peer(
            Method::GET,
            "/api/search?q=relay",
            "192.0.2.8:1",
            &[],
            Body::empty(),
        )
    };
    for _ in 0..2 {
        assert_eq!(send(app.clone(), search()).await.status, StatusCode::OK);
    }
    let res = send(app.clone(), search()).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.header("content-type"), "application/json");
    assert_eq!(res.json()["error"]["code"], "rate_limited");
    assert_eq!(res.json()["error"]["status"], 429);
    let retry: u64 = res.header("retry-after").parse().expect("seconds");
    assert!(retry >= 1, "{retry}");
    assert_security_headers(&res, "search 429", false);
    // Pastes have their own bucket.
    let paste = send(app.clone(), api_paste("192.0.2.8:1", &[])).await;
    assert_eq!(paste.status, StatusCode::OK);
}

/// A request body that breaks off with an error, as when a client goes away.
struct Broken;

impl http_body::Body for Broken {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::other("connection reset"))))
    }
}

#[tokio::test]
async fn a_body_that_breaks_off_is_400() {
    let res = send(
        app(),
        from_peer(
            Method::POST,
            "/api/identify",
            "192.0.2.1:1",
            &[("content-type", "application/json")],
            Body::new(Broken),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.header("content-type"), "application/json");
    assert_eq!(res.json()["error"]["code"], "unreadable_body");
    assert_security_headers(&res, "unreadable api body", false);

    let page = send(app(), form_from_peer("/pl/identify", Body::new(Broken))).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
    assert!(page.text().contains(Lang::Pl.ui().bad_request_title));
    assert_security_headers(&page, "unreadable form body", false);
}

const SCRIPT: &str = "<script>alert(1)</script>";

/// Fails if markup came back as markup.
fn assert_no_markup(res: &Res, what: &str) {
    let body = String::from_utf8_lossy(&res.body);
    for bad in ["<script>alert", "<img src=x", "onerror=alert(1)>"] {
        assert!(!body.contains(bad), "{what}: {bad:?} came back unescaped");
    }
}

#[tokio::test]
async fn hostile_markup_stays_inert_wherever_it_is_echoed() {
    let hostile = format!("554 5.7.1 {SCRIPT} <img src=x onerror=alert(1)>: Relay access denied");

    // The result alone, as the script asks for it.
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("text", &hostile)
        .finish();
    let res = request(
        app(),
        Method::POST,
        "/pl/identify",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("x-requested-with", "diagnoza"),
        ],
        body,
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_no_markup(&res, "fragment");

    // The 413 page gives the text back, escaped.
    let small = app_with(&Config {
        paste_limit: 40,
        ..Config::default()
    });
    let res = post_form(small, Lang::En, &hostile).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(res.text().contains("&#60;script&#62;"), "the text is kept");
    assert_no_markup(&res, "413 page");

    // Error messages that quote the request quote it as inert JSON.
    let content_type = format!("text/html{SCRIPT}");
    let res = request(
        app(),
        Method::POST,
        "/api/identify",
        &[("content-type", &content_type)],
        RELAY_LINE,
    )
    .await;
    assert_eq!(res.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(!res.text().contains('<'), "{}", res.text());
    let message = res.json()["error"]["message"].as_str().unwrap().to_string();
    assert!(message.contains(SCRIPT), "the message names what was sent");

    let res = request(
        app(),
        Method::POST,
        "/api/identify",
        &[("content-type", "application/json")],
        json!(hostile).to_string(),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!res.text().contains('<'), "{}", res.text());

    // Search results and the 404 page.
    let q: String = form_urlencoded::byte_serialize(hostile.as_bytes()).collect();
    let res = get(&format!("/api/search?q={q}")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(!res.text().contains('<'), "{}", res.text());
    let res = get(&format!("/en/{q}")).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_no_markup(&res, "404 page");
}

#[tokio::test]
async fn error_messages_do_not_quote_a_whole_paste() {
    let paste = "554 5.7.1 Relay access denied ".repeat(4000);
    let res = request(
        app(),
        Method::POST,
        "/api/identify",
        &[("content-type", "application/json")],
        json!(paste).to_string(),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["error"]["code"], "invalid_field");
    let message = res.json()["error"]["message"].as_str().unwrap().to_string();
    assert!(message.len() < 1000, "{} bytes", message.len());
    assert!(message.contains("\"text\" must be a string"), "{message}");
}

#[tokio::test]
async fn refusals_are_logged_by_code_but_never_with_what_people_typed() {
    let (captured, _guard) = Captured::every_level();

    let secret_mail = "poufny.odbiorca@sekretna-domena.example";
    let pasted = format!("554 5.7.1 <{secret_mail}>: Relay access denied");
    let one = app_with(&Config {
        rate_limit_burst: 1,
        paste_limit: 64,
        ..Config::default()
    });
    let text = [("content-type", "text/plain")];
    // Over the paste limit (413), then over the rate limit (429).
    let long = format!("{pasted} {pasted}");
    let res = send(
        one.clone(),
        from_peer(Method::POST, "/api/identify", "192.0.2.9:1", &text, long),
    )
    .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    let res = send(
        one.clone(),
        from_peer(
            Method::POST,
            "/api/identify",
            "192.0.2.9:1",
            &text,
            pasted.clone(),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    // A content type and a JSON value that quote the address (415, 422).
    let content_type = format!("text/x-{secret_mail}");
    let res = request(
        app(),
        Method::POST,
        "/api/identify",
        &[("content-type", &content_type)],
        pasted.clone(),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let res = post_api(app(), "/api/identify", &json!(pasted)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Invalid UTF-8 around the address (400).
    let mut bytes = pasted.clone().into_bytes();
    bytes.push(0xff);
    let res = request(app(), Method::POST, "/api/identify", &text, bytes).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    // A search whose query names the address, and a language that is not one.
    let res = get(&format!("/api/search?q={secret_mail}&lang={secret_mail}")).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for code in [
        "too_large",
        "rate_limited",
        "unsupported_media_type",
        "invalid_field",
        "invalid_utf8",
        "invalid_lang",
    ] {
        assert!(
            logs.contains(&format!("code=\"{code}\"")),
            "{code} is logged:\n{logs}"
        );
    }
    for secret in [secret_mail, "poufny", "sekretna-domena", "Relay access"] {
        assert!(!logs.contains(secret), "{secret} reached the logs:\n{logs}");
    }
}

#[tokio::test]
async fn the_paste_box_says_which_methods_it_takes() {
    let res = request(app(), Method::PUT, "/en/identify", &[], Body::empty()).await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.header("allow"), "GET,HEAD,POST");
    assert_eq!(res.header("content-type"), "text/html; charset=utf-8");
    assert!(res.text().contains(Lang::En.ui().method_not_allowed_title));
    let res = request(app(), Method::DELETE, "/api/search?q=x", &[], Body::empty()).await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.header("allow"), "GET,HEAD");
    assert_eq!(res.json()["error"]["code"], "method_not_allowed");
}
