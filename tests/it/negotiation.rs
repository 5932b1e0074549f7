//! `/` sends people to their language; `/pl` gets its slash.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use test_case::test_case;

use crate::common::{app, get, send};

#[test_case(None, "/pl/" ; "no header goes to Polish")]
#[test_case(Some("pl-PL,pl;q=0.9,en;q=0.8"), "/pl/" ; "a Polish browser")]
#[test_case(Some("en-GB,en;q=0.9"), "/en/" ; "an English browser")]
#[test_case(Some("de-DE,de;q=0.9,en;q=0.5"), "/en/" ; "German first, then English")]
#[test_case(Some("de-DE,fr;q=0.8"), "/pl/" ; "neither language goes to Polish")]
#[test_case(Some("en;q=0,pl;q=0"), "/pl/" ; "both refused goes to Polish")]
#[test_case(Some("\u{0}garbage;;q=x"), "/pl/" ; "garbage goes to Polish")]
#[tokio::test]
async fn the_root_redirects_by_accept_language(accept: Option<&str>, to: &str) {
    let mut req = Request::get("/");
    if let Some(accept) = accept {
        // Some values cannot be headers at all; those are sent without one.
        if let Ok(value) = axum::http::HeaderValue::from_str(accept) {
            req = req.header("accept-language", value);
        }
    }
    let res = send(app(), req.body(Body::empty()).unwrap()).await;
    assert_eq!(res.status, StatusCode::FOUND);
    assert_eq!(res.header("location"), to);
    assert_eq!(res.header("vary"), "Accept-Language");
}

#[test_case("/pl", "/pl/")]
#[test_case("/en", "/en/")]
#[tokio::test]
async fn a_language_without_its_slash_is_redirected(from: &str, to: &str) {
    let res = get(from).await;
    assert_eq!(res.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(res.header("location"), to);
}

#[test_case("/de")]
#[test_case("/favicon.ico")]
#[test_case("/PL")]
#[tokio::test]
async fn other_top_level_names_are_not_found(path: &str) {
    assert_eq!(get(path).await.status, StatusCode::NOT_FOUND);
}
