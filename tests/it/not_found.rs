//! Unknown URLs get a real 404 with a helpful page (JSON under /api).

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use diagnoza::lang::Lang;
use test_case::test_case;

use crate::common::{app, get, send};

#[test_case("/pl/no-such-error", Lang::Pl)]
#[test_case("/en/no-such-error", Lang::En)]
#[test_case("/en/http-403/", Lang::En ; "a trailing slash")]
#[test_case("/en/static/x", Lang::En ; "deeper paths")]
#[test_case("/nothing/here", Lang::Pl ; "no language defaults to Polish")]
#[test_case("/pl/HTTP-403", Lang::Pl ; "slugs are lower case")]
#[tokio::test]
async fn unknown_pages_get_the_404_page(path: &str, lang: Lang) {
    let res = get(path).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
    assert_eq!(res.header("content-type"), "text/html; charset=utf-8");
    let html = res.text();
    let ui = lang.ui();
    assert!(html.contains(&format!("<html lang=\"{lang}\"")));
    assert!(html.contains(&format!("<h1>{}</h1>", ui.not_found_title)));
    assert!(html.contains(&format!("href=\"/{lang}/\"")), "a link home");
    assert!(
        html.contains(&format!("href=\"/{lang}/identify\"")),
        "a link to the paste box"
    );
    assert!(
        html.contains(&format!("href=\"/{lang}/http-404\"")),
        "a pointer to the 404 article"
    );
    assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
}

#[tokio::test]
async fn a_head_request_for_a_missing_page_is_404_without_a_body() {
    let res = send(
        app(),
        Request::head("/pl/nope").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.body.is_empty());
    let full = get("/pl/nope").await;
    assert_eq!(res.header("content-length"), full.body.len().to_string());
}

#[test_case("/api/nope")]
#[test_case("/api/")]
#[test_case("/api")]
#[tokio::test]
async fn unknown_api_paths_get_the_json_envelope(path: &str) {
    let res = get(path).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
    assert_eq!(res.header("content-type"), "application/json");
    let json = res.json();
    assert_eq!(json["error"]["status"], 404);
    assert_eq!(json["error"]["code"], "not_found");
}

#[tokio::test]
async fn posting_to_a_page_is_405_with_allow() {
    let res = send(
        app(),
        Request::builder()
            .method(Method::POST)
            .uri("/pl/http-403")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.header("allow"), "GET,HEAD");
    assert_eq!(res.header("content-type"), "text/html; charset=utf-8");
    assert!(res.text().contains(Lang::Pl.ui().method_not_allowed_title));
}
