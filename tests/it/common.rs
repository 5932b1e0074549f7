//! Shared helpers: the build, the app, requests and responses.

use std::sync::{Arc, LazyLock};

use arc_swap::ArcSwap;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use diagnoza::config::Config;
use diagnoza::lang::Lang;
use diagnoza::{Build, Shared};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The slugs support staff link to; they must never change (issue 2).
pub const SLUGS: [&str; 19] = [
    "554-5-7-1",
    "554-5-7-1-delivery-not-authorized",
    "554-5-7-1-not-allowed-to-connect",
    "554-5-7-1-client-host-rejected",
    "554-5-7-1-client-host-blocked",
    "554-5-7-1-relay-access-denied",
    "554-5-7-1-recipient-address-rejected",
    "554-5-7-1-rules-rejection",
    "554-5-7-1-dictionary-check",
    "554-5-7-1-relay-denied-one-domain",
    "554-5-7-1-spam-rejection",
    "554-5-7-1-dnsbl-check",
    "554-5-7-1-sender-address-rejected",
    "http-401",
    "http-403",
    "http-404",
    "http-500",
    "http-502",
    "http-503",
];

fn build(config: &Config) -> Shared {
    let build = Build::embedded(config)
        .unwrap_or_else(|p| panic!("the embedded content has problems:\n{p}"));
    Arc::new(ArcSwap::from_pointee(build))
}

/// The build of the embedded content with the default settings, made once.
pub static SHARED: LazyLock<Shared> = LazyLock::new(|| build(&Config::default()));

/// Settings that differ from every default, to see them come through.
pub fn custom_config() -> Config {
    Config {
        base_url: "https://pomoc.example.net".into(),
        contact_form_url: "https://hosting.example.net/zgloszenia/nowe".into(),
        contact_email: "wsparcie@hosting.example.net".into(),
        contact_phone: "+48 12 345 67 89".into(),
        contact_hours_pl: "codziennie 7:00–23:00".into(),
        contact_hours_en: "every day 7:00–23:00".into(),
        hsts: true,
        ..Config::default()
    }
}

/// The build with [`custom_config`], made once.
pub static CUSTOM: LazyLock<Shared> = LazyLock::new(|| build(&custom_config()));

/// Returns a fresh app (fresh rate limits) over the default build.
pub fn app() -> Router {
    diagnoza::app(SHARED.clone(), &Config::default())
}

/// Returns a fresh app with other settings over the default build; for
/// settings that only the web layer reads (limits, proxies).
pub fn app_with(config: &Config) -> Router {
    diagnoza::app(SHARED.clone(), config)
}

/// Returns a fresh app over the build with [`custom_config`].
pub fn custom_app() -> Router {
    diagnoza::app(CUSTOM.clone(), &custom_config())
}

/// Returns the default build.
pub fn build_ref() -> arc_swap::Guard<Arc<Build>> {
    SHARED.load()
}

/// A response with its body read.
#[derive(Debug)]
pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Res {
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("the body is UTF-8")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "the body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// Returns a header as text; panics when it is missing.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header in {:?}", self.headers))
            .to_str()
            .expect("a text header")
    }
}

/// Sends one request to an app.
pub async fn send(app: Router, req: Request<Body>) -> Res {
    let res = app.oneshot(req).await.expect("the router never fails");
    let status = res.status();
    let headers = res.headers().clone();
    let body = res
        .into_body()
        .collect()
        .await
        .expect("a readable body")
        .to_bytes()
        .to_vec();
    Res {
        status,
        headers,
        body,
    }
}

/// Sends a GET with no headers.
pub async fn get(uri: &str) -> Res {
    send(app(), Request::get(uri).body(Body::empty()).unwrap()).await
}

/// Sends a request with a method, headers and a body.
pub async fn request(
    app: Router,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: impl Into<Body>,
) -> Res {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    send(app, req.body(body.into()).unwrap()).await
}

/// Posts the paste form.
pub async fn post_form(app: Router, lang: Lang, text: &str) -> Res {
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("text", text)
        .finish();
    request(
        app,
        Method::POST,
        &format!("/{lang}/identify"),
        &[("content-type", "application/x-www-form-urlencoded")],
        body,
    )
    .await
}

/// Posts JSON to the identify API.
pub async fn post_api(app: Router, uri: &str, json: &serde_json::Value) -> Res {
    request(
        app,
        Method::POST,
        uri,
        &[("content-type", "application/json")],
        json.to_string(),
    )
    .await
}

/// A Postfix line every classifier recognises.
pub const RELAY_LINE: &str = "554 5.7.1 <jan@example.com>: Relay access denied";

/// A whole bounce as Postfix sends it: multipart/report with a DSN part.
pub const RELAY_BOUNCE: &str = "From: MAILER-DAEMON@mail.example.org (Mail Delivery System)\r
To: anna@example.org\r
Subject: Undelivered Mail Returned to Sender\r
Date: Sat, 28 Nov 2026 10:15:02 +0100 (CET)\r
MIME-Version: 1.0\r
Content-Type: multipart/report; report-type=delivery-status;\r
\tboundary=\"B0UND4RY.1764321302/mail.example.org\"\r
Message-Id: <20261128091502.7A1B2C3D4E@mail.example.org>\r
\r
This is a MIME-encapsulated message.\r
\r
--B0UND4RY.1764321302/mail.example.org\r
Content-Description: Notification\r
Content-Type: text/plain; charset=us-ascii\r
\r
This is the mail system at host mail.example.org.\r
\r
I'm sorry to have to inform you that your message could not\r
be delivered to one or more recipients. It's attached below.\r
\r
<jan@example.com>: host mx.example.com[192.0.2.1] said: 554 5.7.1\r
    <jan@example.com>: Relay access denied (in reply to RCPT TO command)\r
\r
--B0UND4RY.1764321302/mail.example.org\r
Content-Description: Delivery report\r
Content-Type: message/delivery-status\r
\r
Reporting-MTA: dns; mail.example.org\r
Arrival-Date: Sat, 28 Nov 2026 10:15:01 +0100 (CET)\r
\r
Final-Recipient: rfc822; jan@example.com\r
Original-Recipient: rfc822;jan@example.com\r
Action: failed\r
Status: 5.7.1\r
Remote-MTA: dns; mx.example.com\r
Diagnostic-Code: smtp; 554 5.7.1 <jan@example.com>: Relay access denied\r
\r
--B0UND4RY.1764321302/mail.example.org\r
Content-Description: Undelivered Message Headers\r
Content-Type: text/rfc822-headers\r
\r
From: anna@example.org\r
To: jan@example.com\r
Subject: Oferta\r
Message-Id: <20261128091500.1A2B3C4D5E@mail.example.org>\r
\r
--B0UND4RY.1764321302/mail.example.org--\r
";

/// Decompresses a brotli body.
pub fn unbrotli(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &body[..], &mut out).expect("valid brotli");
    out
}

/// Decompresses a gzip body.
pub fn gunzip(body: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(body)
        .read_to_end(&mut out)
        .expect("valid gzip");
    out
}

/// Returns the value of every `attr="..."` in an HTML text (no entity decoding).
pub fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}
