//! Cache headers per kind of route, ETags and 304, HEAD, and the encoding
//! negotiation of pre-rendered responses.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use diagnoza::site::assets::ASSETS;
use test_case::test_case;

use crate::common::{RELAY_LINE, app, get, gunzip, post_api, post_form, request, send, unbrotli};

const PAGE: &str = "public, max-age=300, stale-while-revalidate=86400";
const ASSET: &str = "public, max-age=31536000, immutable";

/// Every kind of pre-rendered route, with its Cache-Control.
fn prerendered() -> Vec<(String, &'static str)> {
    vec![
        ("/pl/554-5-7-1-relay-access-denied".into(), PAGE),
        ("/en/http-403".into(), PAGE),
        ("/pl/".into(), PAGE),
        ("/en/contact".into(), PAGE),
        ("/pl/identify".into(), PAGE),
        ("/en/search".into(), PAGE),
        ("/sitemap.xml".into(), PAGE),
        ("/robots.txt".into(), PAGE),
        (ASSETS.css.clone(), ASSET),
        (ASSETS.js.clone(), ASSET),
        (ASSETS.favicon.clone(), ASSET),
    ]
}

async fn get_with(uri: &str, headers: &[(&str, &str)]) -> crate::common::Res {
    request(app(), Method::GET, uri, headers, Body::empty()).await
}

#[tokio::test]
async fn prerendered_routes_have_cache_control_etag_and_vary() {
    for (uri, cache) in prerendered() {
        let res = get(&uri).await;
        assert_eq!(res.status, StatusCode::OK, "{uri}");
        assert_eq!(res.header("cache-control"), cache, "{uri}");
        assert_eq!(res.header("vary"), "Accept-Encoding", "{uri}");
        let etag = res.header("etag");
        assert!(
            etag.starts_with('"') && etag.ends_with('"') && etag.len() > 10,
            "{uri}: strong etag {etag}"
        );
        assert_eq!(
            res.header("content-length"),
            res.body.len().to_string(),
            "{uri}"
        );
    }
}

#[test_case("/pl/http-403", "text/html; charset=utf-8")]
#[test_case("/sitemap.xml", "application/xml; charset=utf-8")]
#[test_case("/robots.txt", "text/plain; charset=utf-8")]
#[tokio::test]
async fn content_types_are_exact(uri: &str, content_type: &str) {
    assert_eq!(get(uri).await.header("content-type"), content_type);
}

#[tokio::test]
async fn assets_have_their_content_types() {
    assert_eq!(
        get(&ASSETS.css).await.header("content-type"),
        "text/css; charset=utf-8"
    );
    assert_eq!(
        get(&ASSETS.js).await.header("content-type"),
        "text/javascript; charset=utf-8"
    );
    assert_eq!(
        get(&ASSETS.favicon).await.header("content-type"),
        "image/svg+xml"
    );
}

#[tokio::test]
async fn if_none_match_gets_304_with_the_same_etag() {
    for (uri, _) in prerendered() {
        for accept in ["", "gzip", "br"] {
            let first = get_with(&uri, &[("accept-encoding", accept)]).await;
            let etag = first.header("etag").to_string();
            let again = get_with(
                &uri,
                &[("accept-encoding", accept), ("if-none-match", &etag)],
            )
            .await;
            assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{uri} {accept}");
            assert!(again.body.is_empty());
            assert_eq!(again.header("etag"), etag);
            assert_eq!(again.header("cache-control"), first.header("cache-control"));
            let weak = get_with(
                &uri,
                &[
                    ("accept-encoding", accept),
                    ("if-none-match", &format!("W/{etag}")),
                ],
            )
            .await;
            assert_eq!(
                weak.status,
                StatusCode::NOT_MODIFIED,
                "{uri}: weak comparison"
            );
            let list = get_with(
                &uri,
                &[
                    ("accept-encoding", accept),
                    ("if-none-match", &format!("\"nope\", {etag}")),
                ],
            )
            .await;
            assert_eq!(
                list.status,
                StatusCode::NOT_MODIFIED,
                "{uri}: a list of etags"
            );
        }
        let stale = get_with(&uri, &[("if-none-match", "\"0000\"")]).await;
        assert_eq!(
            stale.status,
            StatusCode::OK,
            "{uri}: another etag gets the page"
        );
    }
}

#[tokio::test]
async fn each_encoding_has_its_own_etag() {
    let uri = "/pl/http-403";
    let mut etags = Vec::new();
    for accept in ["identity", "gzip", "br"] {
        etags.push(
            get_with(uri, &[("accept-encoding", accept)])
                .await
                .header("etag")
                .to_string(),
        );
    }
    assert_eq!(etags.len(), 3);
    assert_ne!(etags[0], etags[1]);
    assert_ne!(etags[1], etags[2]);
    assert_ne!(etags[0], etags[2]);
    // A gzip ETag does not validate the brotli body.
    let res = get_with(
        uri,
        &[("accept-encoding", "br"), ("if-none-match", &etags[1])],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
}

#[tokio::test]
async fn head_has_the_headers_and_length_but_no_body() {
    for (uri, _) in prerendered() {
        for accept in ["", "gzip", "br"] {
            let get = get_with(&uri, &[("accept-encoding", accept)]).await;
            let head = request(
                app(),
                Method::HEAD,
                &uri,
                &[("accept-encoding", accept)],
                Body::empty(),
            )
            .await;
            assert_eq!(head.status, StatusCode::OK, "{uri}");
            assert!(head.body.is_empty(), "{uri}: HEAD has no body");
            assert_eq!(
                head.header("content-length"),
                get.body.len().to_string(),
                "{uri} {accept}"
            );
            for name in ["content-type", "etag", "cache-control", "vary"] {
                assert_eq!(head.header(name), get.header(name), "{uri}: {name}");
            }
        }
    }
}

#[test_case("", None ; "no accept-encoding is identity")]
#[test_case("gzip, deflate, br, zstd", Some("br") ; "a browser gets brotli")]
#[test_case("gzip, deflate", Some("gzip") ; "gzip when no brotli")]
#[test_case("br;q=0, gzip", Some("gzip") ; "q=0 refuses brotli")]
#[test_case("gzip;q=0, br;q=0", None ; "both refused is identity")]
#[test_case("identity", None ; "identity alone")]
#[test_case("*", Some("br") ; "anything is brotli")]
#[test_case("*;q=0, identity", None ; "star refused")]
#[test_case("br;q=0.2, gzip;q=0.9", Some("gzip") ; "weights decide")]
#[tokio::test]
async fn encodings_are_negotiated(accept: &str, expected: Option<&str>) {
    let headers: &[(&str, &str)] = if accept.is_empty() {
        &[]
    } else {
        &[("accept-encoding", accept)]
    };
    for (uri, _) in prerendered() {
        let res = get_with(&uri, headers).await;
        assert_eq!(
            res.headers
                .get("content-encoding")
                .map(|v| v.to_str().unwrap()),
            expected,
            "{uri} with {accept:?}"
        );
        assert_eq!(res.header("vary"), "Accept-Encoding");
    }
}

#[tokio::test]
async fn compressed_bodies_decode_to_the_identity_body() {
    for (uri, _) in prerendered() {
        let plain = get_with(&uri, &[]).await.body;
        let br = get_with(&uri, &[("accept-encoding", "br")]).await;
        assert_eq!(br.header("content-encoding"), "br");
        assert_eq!(unbrotli(&br.body), plain, "{uri}: brotli");
        let gz = get_with(&uri, &[("accept-encoding", "gzip")]).await;
        assert_eq!(gz.header("content-encoding"), "gzip");
        assert_eq!(gunzip(&gz.body), plain, "{uri}: gzip");
        assert!(
            br.body.len() < plain.len() || plain.len() < 200,
            "{uri}: brotli is smaller"
        );
    }
}

#[tokio::test]
async fn the_404_page_is_cached_briefly_and_negotiated() {
    let res = get_with("/pl/nope", &[("accept-encoding", "br")]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.header("cache-control"), "public, max-age=60");
    assert_eq!(res.header("content-encoding"), "br");
    assert!(unbrotli(&res.body).starts_with(b"<!doctype html>"));
}

#[tokio::test]
async fn answers_made_per_request_are_never_stored() {
    let api = post_api(
        app(),
        "/api/identify",
        &serde_json::json!({"text": RELAY_LINE}),
    )
    .await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(api.header("cache-control"), "no-store");
    assert!(api.headers.get("etag").is_none());

    let api_error = post_api(app(), "/api/identify", &serde_json::json!({"text": 1})).await;
    assert_eq!(api_error.header("cache-control"), "no-store");

    let search = get("/api/search?q=relay&lang=en").await;
    assert_eq!(search.status, StatusCode::OK);
    assert_eq!(search.header("cache-control"), "no-store");

    let page = post_form(app(), diagnoza::lang::Lang::Pl, RELAY_LINE).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("cache-control"), "no-store");

    let search_page = get("/pl/search?q=relay").await;
    assert_eq!(search_page.header("cache-control"), "no-store");

    assert_eq!(get("/healthz").await.header("cache-control"), "no-store");
}

#[tokio::test]
async fn the_language_redirect_varies_and_is_revalidated() {
    let res = send(app(), Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(res.header("vary"), "Accept-Language");
    assert_eq!(res.header("cache-control"), "no-cache");
}
