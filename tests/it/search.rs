//! Search over the web: the page `/{lang}/search?q=` and `/api/search`
//! (issue 4). Ranking and typo tolerance are tested with the index itself,
//! in `src/search/tests.rs`; these check what people and tools get back.

use axum::http::StatusCode;

use crate::common::get;

fn api(query: &str, lang: &str) -> String {
    let q: String = form_urlencoded::byte_serialize(query.as_bytes()).collect();
    format!("/api/search?q={q}&lang={lang}")
}

#[tokio::test]
async fn the_api_answers_in_the_documented_shape() {
    let res = get(&api("relay acess denid", "en")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("cache-control"), "no-store");
    let json = res.json();
    let results = json["results"].as_array().expect("a results array");
    assert!(!results.is_empty(), "{json}");
    for r in results {
        for key in ["slug", "url", "title", "snippet"] {
            assert!(r[key].is_string(), "{key} missing in {r}");
        }
    }
    let top3: Vec<&str> = results
        .iter()
        .take(3)
        .filter_map(|r| r["slug"].as_str())
        .collect();
    assert!(top3.contains(&"554-5-7-1-relay-access-denied"), "{json}");
    assert!(
        results
            .iter()
            .all(|r| r["url"].as_str().unwrap().starts_with("/en/"))
    );
}

#[tokio::test]
async fn polish_queries_without_diacritics_find_polish_articles() {
    let json = get(&api("blad 403", "pl")).await.json();
    let slugs: Vec<&str> = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["slug"].as_str())
        .collect();
    assert_eq!(slugs.first(), Some(&"http-403"), "{json}");
    assert!(
        json["results"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("/pl/")
    );
}

#[tokio::test]
async fn the_page_highlights_matches_and_escapes_the_query() {
    let res = get("/pl/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%20token%20cpanel").await;
    assert_eq!(res.status, StatusCode::OK);
    let html = res.text();
    assert!(
        !html.contains("<script>alert(1)"),
        "the query came back unescaped"
    );
    assert!(
        html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"),
        "the query is shown, escaped"
    );
    assert!(
        html.contains("/pl/http-401"),
        "token cpanel finds the 401 article"
    );
    assert!(html.contains("<mark>"), "matched words are highlighted");
}

#[tokio::test]
async fn a_pasted_error_offers_the_paste_box_answer() {
    let line = "554 5.7.1 <jan@example.com>: Relay access denied";
    let q: String = form_urlencoded::byte_serialize(line.as_bytes()).collect();
    let html = get(&format!("/en/search?q={q}")).await.text();
    let pasted = html
        .find("/en/554-5-7-1-relay-access-denied#")
        .expect("a link to the article's section");
    assert!(html.contains("554 5.7.1"), "the recognised code is shown");
    // The answer comes before the list of results.
    let results = html.find("<ol class=\"hits\"").unwrap_or(html.len());
    assert!(pasted < results, "the paste box's answer is at the top");
}

#[tokio::test]
async fn no_results_suggest_the_paste_box_articles_and_support() {
    let html = get("/pl/search?q=zzqqxxyy").await.text();
    let ui = diagnoza::lang::Lang::Pl.ui();
    assert!(html.contains(ui.search_none), "says nothing was found");
    assert!(html.contains("/pl/identify"), "points to the paste box");
    assert!(html.contains("/pl/contact"), "points to support");
    assert!(
        html.contains("href=\"/pl/search\""),
        "points to the list of articles"
    );
}

#[tokio::test]
async fn odd_empty_and_long_queries_get_a_page_not_an_error() {
    for q in [
        "",
        "%20%20",
        "%00",
        "%22%27%3C%3E%26*%3A(",
        "AND%20OR%20NOT",
        "%F0%9F%90%88",
        &"a".repeat(5000),
    ] {
        let res = get(&format!("/pl/search?q={q}")).await;
        assert_eq!(res.status, StatusCode::OK, "q={q:.40}");
        let api = get(&format!("/api/search?q={q}&lang=pl")).await;
        assert_eq!(api.status, StatusCode::OK, "api q={q:.40}");
        assert!(api.json()["results"].is_array());
    }
    let long = get(&format!("/pl/search?q={}", "blad+".repeat(100)))
        .await
        .text();
    assert!(
        long.contains(diagnoza::lang::Lang::Pl.ui().search_too_long),
        "a long query is cut and says so"
    );
}

#[tokio::test]
async fn the_api_explains_a_missing_query_and_a_wrong_language() {
    let res = get("/api/search?lang=pl").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(
        res.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("q")
    );
    let res = get("/api/search?q=403&lang=de").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.json()["error"]["message"].is_string());
}
