//! `POST /api/identify` and `GET /api/search`: answers and the error envelope.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::json;
use test_case::test_case;

use crate::common::{RELAY_BOUNCE, RELAY_LINE, Res, app, get, post_api, request};

/// Asserts the one error envelope and returns its code.
fn envelope(res: &Res, status: StatusCode) -> String {
    assert_eq!(res.status, status, "{}", String::from_utf8_lossy(&res.body));
    assert_eq!(res.header("content-type"), "application/json");
    assert_eq!(res.header("cache-control"), "no-store");
    let json = res.json();
    let error = json["error"].as_object().expect("an error object");
    assert_eq!(error.len(), 3, "status, code, message: {json}");
    assert_eq!(error["status"], status.as_u16());
    let message = error["message"].as_str().expect("a message");
    assert!(message.len() > 20, "a helpful message: {message}");
    error["code"].as_str().expect("a code").to_string()
}

async fn post_raw(content_type: Option<&str>, body: impl Into<Body>) -> Res {
    let headers: Vec<(&str, &str)> = content_type
        .map(|t| ("content-type", t))
        .into_iter()
        .collect();
    request(app(), Method::POST, "/api/identify", &headers, body).await
}

fn first_slug(res: &Res) -> String {
    res.json()["findings"][0]["article"]["slug"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// Tells whether any finding leads to the article.
fn leads_to(res: &Res, slug: &str) -> bool {
    res.json()["findings"]
        .as_array()
        .is_some_and(|all| all.iter().any(|f| f["article"]["slug"] == slug))
}

#[tokio::test]
async fn json_in_json_out() {
    let res = post_api(app(), "/api/identify", &json!({"text": RELAY_LINE})).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), "application/json");
    let json = res.json();
    let f = &json["findings"][0];
    assert_eq!(f["kind"], "smtp");
    assert_eq!(f["code"], 554);
    assert_eq!(f["status"], "5.7.1");
    assert_eq!(f["article"]["slug"], "554-5-7-1-relay-access-denied");
    assert_eq!(f["article"]["url"], "/pl/554-5-7-1-relay-access-denied");
    let link = f["article"]["link"].as_str().unwrap();
    assert!(
        link.starts_with("/pl/554-5-7-1-relay-access-denied"),
        "{link}"
    );
    assert!(
        f["excerpt"]
            .as_str()
            .unwrap()
            .contains("Relay access denied")
    );
    assert!(f["facts"].is_object());
    assert!(!f["summary"].as_str().unwrap().is_empty());
    assert!(f["actor"].is_string());
    assert!(f["explanation"]["code"].is_string());
    assert!(f["explanation"]["status"].is_string());
}

#[tokio::test]
async fn text_plain_and_raw_messages_are_read_too() {
    let res = post_raw(Some("text/plain; charset=utf-8"), RELAY_LINE).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(first_slug(&res), "554-5-7-1-relay-access-denied");

    let res = post_raw(Some("message/rfc822"), RELAY_BOUNCE).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        leads_to(&res, "554-5-7-1-relay-access-denied"),
        "{}",
        res.text()
    );

    // A raw message may carry bytes that are not UTF-8.
    let mut latin = b"Subject: B\xb3\xb1d\r\n\r\n".to_vec();
    latin.extend_from_slice(RELAY_LINE.as_bytes());
    let res = post_raw(Some("message/rfc822"), latin).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(first_slug(&res), "554-5-7-1-relay-access-denied");
}

#[tokio::test]
async fn lang_en_gives_english_titles_and_urls() {
    let res = post_api(app(), "/api/identify?lang=en", &json!({"text": RELAY_LINE})).await;
    let json = res.json();
    let article = &json["findings"][0]["article"];
    assert_eq!(article["url"], "/en/554-5-7-1-relay-access-denied");
    let build = crate::common::build_ref();
    let title = &build
        .library
        .get("554-5-7-1-relay-access-denied")
        .unwrap()
        .in_lang(diagnoza::lang::Lang::En)
        .title;
    assert_eq!(article["title"], title.as_str());
}

#[tokio::test]
async fn text_without_an_error_gives_no_findings() {
    let res = post_api(
        app(),
        "/api/identify",
        &json!({"text": "Hi Anna, see you on Monday."}),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json(), json!({"findings": []}));
}

#[tokio::test]
async fn the_answer_for_a_postfix_bounce_is_stable() {
    let res = post_raw(Some("message/rfc822"), RELAY_BOUNCE).await;
    assert_eq!(res.status, StatusCode::OK);
    insta::assert_json_snapshot!("postfix_relay_bounce", res.json());
}

#[test_case(Some("application/json"), "{\"text\": ", "invalid_json" ; "truncated JSON")]
#[test_case(Some("application/json"), "text=hello", "invalid_json" ; "not JSON at all")]
#[test_case(Some("application/json"), "[\"554 5.7.1\"]", "invalid_field" ; "an array instead of an object")]
#[test_case(Some("application/json"), "{\"text\": 554}", "invalid_field" ; "a number instead of a string")]
#[test_case(Some("application/json"), "{\"text\": null}", "invalid_field" ; "null instead of a string")]
#[test_case(Some("application/json"), "{\"txt\": \"554 5.7.1\"}", "missing_field" ; "a misspelt field")]
#[test_case(Some("application/json"), "{}", "missing_field" ; "an empty object")]
#[test_case(Some("application/json"), "{\"text\": \"\\ud800\"}", "invalid_json" ; "a lone surrogate")]
#[test_case(Some("application/json"), "{\"text\": \"   \\n \"}", "empty_text" ; "only whitespace")]
#[test_case(Some("application/json"), "", "empty_body" ; "no body")]
#[test_case(Some("text/plain"), "", "empty_body" ; "no text body")]
#[test_case(Some("text/plain"), " \r\n\t", "empty_text" ; "blank text")]
#[tokio::test]
async fn malformed_bodies_get_the_envelope(
    content_type: Option<&str>,
    body: &'static str,
    code: &str,
) {
    let res = post_raw(content_type, body).await;
    let status = res.status;
    assert!(status.is_client_error(), "{status}");
    assert_eq!(envelope(&res, status), code);
}

#[test_case(Some("application/json"))]
#[test_case(Some("text/plain"))]
#[tokio::test]
async fn invalid_utf8_is_refused(content_type: Option<&str>) {
    let res = post_raw(content_type, &b"{\"text\": \"554 \xff\xfe 5.7.1\"}"[..]).await;
    assert_eq!(envelope(&res, StatusCode::BAD_REQUEST), "invalid_utf8");
    assert!(
        res.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("offset 14")
    );
}

#[test_case(None ; "no content type")]
#[test_case(Some("application/x-www-form-urlencoded") ; "a form")]
#[test_case(Some("multipart/form-data; boundary=x") ; "multipart")]
#[test_case(Some("text/html") ; "html")]
#[test_case(Some("text/plain; charset=klingon") ; "an unknown charset")]
#[test_case(Some("application/json; charset=windows-1250") ; "json not in utf-8")]
#[tokio::test]
async fn other_content_types_are_415(content_type: Option<&str>) {
    let res = post_raw(content_type, RELAY_LINE).await;
    assert_eq!(
        envelope(&res, StatusCode::UNSUPPORTED_MEDIA_TYPE),
        "unsupported_media_type"
    );
}

/// Text saved by an old Polish Windows program, sent as it is with its
/// charset named, reads as the same words.
#[test_case("windows-1250", b"Skrzynka adresata jest pe\xb3na: ola@example.pl" ; "windows-1250")]
#[test_case("ISO-8859-2", b"Skrzynka adresata jest pe\xb3na: ola@example.pl" ; "iso-8859-2")]
#[tokio::test]
async fn text_in_a_named_charset_is_read(charset: &str, body: &'static [u8]) {
    let res = post_raw(Some(&format!("text/plain; charset={charset}")), body).await;
    assert_eq!(res.status, StatusCode::OK);
    let finding = &res.json()["findings"][0];
    assert_eq!(finding["reason"], "mailboxfull");
    assert_eq!(finding["facts"]["recipient"], "ola@example.pl");
    assert!(finding["excerpt"].as_str().unwrap().contains("pełna"));
}

#[tokio::test]
async fn text_not_in_its_named_charset_is_refused() {
    let res = post_raw(
        Some("text/plain; charset=shift_jis"),
        &b"554 5.7.1 \x82"[..],
    )
    .await;
    assert_eq!(envelope(&res, StatusCode::BAD_REQUEST), "invalid_charset");
}

#[tokio::test]
async fn text_over_the_paste_limit_is_413() {
    let text = "a".repeat(1024 * 1024 + 1);
    let res = post_api(app(), "/api/identify", &json!({ "text": text })).await;
    assert_eq!(envelope(&res, StatusCode::PAYLOAD_TOO_LARGE), "too_large");
    assert!(
        res.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("1 MiB")
    );

    let res = post_raw(Some("text/plain"), "b".repeat(1024 * 1024 + 1)).await;
    assert_eq!(envelope(&res, StatusCode::PAYLOAD_TOO_LARGE), "too_large");

    // Exactly at the limit is fine.
    let res = post_raw(Some("text/plain"), "c".repeat(1024 * 1024)).await;
    assert_eq!(res.status, StatusCode::OK);
}

#[tokio::test]
async fn bodies_over_the_hard_cap_are_413_unread() {
    // No Content-Length: the reader stops at the cap.
    let res = post_raw(Some("text/plain"), "d".repeat(4 * 1024 * 1024 + 1)).await;
    assert_eq!(envelope(&res, StatusCode::PAYLOAD_TOO_LARGE), "too_large");
    // A declared length over the cap is refused before reading anything.
    let res = request(
        app(),
        Method::POST,
        "/api/identify",
        &[
            ("content-type", "text/plain"),
            ("content-length", "5000000"),
        ],
        "e",
    )
    .await;
    assert_eq!(envelope(&res, StatusCode::PAYLOAD_TOO_LARGE), "too_large");
}

#[test_case(Method::GET)]
#[test_case(Method::PUT)]
#[test_case(Method::DELETE)]
#[tokio::test]
async fn wrong_methods_are_405_with_allow_and_the_envelope(method: Method) {
    let res = request(app(), method, "/api/identify", &[], Body::empty()).await;
    assert_eq!(
        envelope(&res, StatusCode::METHOD_NOT_ALLOWED),
        "method_not_allowed"
    );
    assert_eq!(res.header("allow"), "POST");

    let res = request(app(), Method::POST, "/api/search?q=x", &[], Body::empty()).await;
    assert_eq!(
        envelope(&res, StatusCode::METHOD_NOT_ALLOWED),
        "method_not_allowed"
    );
    assert_eq!(res.header("allow"), "GET,HEAD");
}

#[tokio::test]
async fn an_unknown_lang_is_refused() {
    let res = post_api(app(), "/api/identify?lang=de", &json!({"text": RELAY_LINE})).await;
    assert_eq!(envelope(&res, StatusCode::BAD_REQUEST), "invalid_lang");
}

#[tokio::test]
async fn search_answers_with_results() {
    let res = get("/api/search?q=relay&lang=en").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), "application/json");
    let json = res.json();
    let results = json["results"].as_array().expect("a list of results");
    assert!(!results.is_empty(), "{json}");
    for r in results {
        for field in ["slug", "url", "title", "snippet"] {
            assert!(r[field].is_string(), "{field} in {r}");
        }
        assert!(r["url"].as_str().unwrap().starts_with("/en/"));
    }
    let pl = get("/api/search?q=relay").await.json();
    assert!(
        pl["results"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("/pl/"),
        "{pl}"
    );

    assert_eq!(
        get("/api/search?q=%20%20").await.json(),
        json!({"results": []})
    );
    let res = get("/api/search?lang=en").await;
    assert_eq!(envelope(&res, StatusCode::BAD_REQUEST), "missing_parameter");
    let res = get("/api/search?q=x&lang=xx").await;
    assert_eq!(envelope(&res, StatusCode::BAD_REQUEST), "invalid_lang");
}
