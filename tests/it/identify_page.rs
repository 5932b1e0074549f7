//! The result page of the paste box, which must work with JavaScript off.

use axum::http::{Method, StatusCode};
use diagnoza::lang::Lang;
use serde_json::json;

use crate::common::{RELAY_BOUNCE, RELAY_LINE, Res, app, post_api, post_form, request};

/// Returns the text inside the paste box's textarea, as HTML.
fn textarea(html: &str) -> &str {
    let start = html
        .find("<textarea id=\"paste-text\"")
        .expect("a paste box");
    let open_end = start + html[start..].find('>').expect("the textarea opens") + 1;
    let close = open_end
        + html[open_end..]
            .find("</textarea>")
            .expect("the textarea closes");
    // The template starts the content with a newline that browsers drop.
    html[open_end..close]
        .strip_prefix('\n')
        .unwrap_or(&html[open_end..close])
}

fn assert_result_page(res: &Res, status: StatusCode, lang: Lang) -> String {
    assert_eq!(res.status, status, "{}", String::from_utf8_lossy(&res.body));
    assert_eq!(res.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(res.header("cache-control"), "no-store");
    let html = res.text();
    assert!(html.contains(&format!("<html lang=\"{lang}\"")));
    html
}

#[tokio::test]
async fn a_bounce_gets_the_result_page() {
    for lang in Lang::ALL {
        let res = post_form(app(), lang, RELAY_BOUNCE).await;
        let html = assert_result_page(&res, StatusCode::OK, lang);
        let ui = lang.ui();
        assert!(html.contains("<div id=\"result\""));
        assert!(html.contains(ui.result_what), "what it means");
        assert!(html.contains(ui.result_who), "who has to act");
        let link = format!("href=\"/{lang}/554-5-7-1-relay-access-denied");
        assert!(html.contains(&link), "the article link");
        assert!(
            html.contains("class=\"result-link\""),
            "a link the script adds a copy button to"
        );
        assert!(html.contains("data-copy=\"/"), "the link to copy");
        assert!(
            html.contains(&format!("href=\"/{lang}/contact\"")),
            "contact support"
        );
        assert!(html.contains("<mark>"), "the matched lines are highlighted");
        let marked: Vec<&str> = html
            .split("<mark>")
            .skip(1)
            .filter_map(|m| m.split("</mark>").next())
            .collect();
        assert!(
            marked.iter().any(|m| m.contains("Relay access denied")),
            "the Postfix line is one of them: {marked:?}"
        );
        assert!(
            !marked.iter().any(|m| m.contains("Subject:")),
            "headers are not: {marked:?}"
        );
        // The text is given back, escaped.
        assert_eq!(textarea(&html), escape(RELAY_BOUNCE));
        assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

#[tokio::test]
async fn the_script_gets_only_the_result() {
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("text", RELAY_LINE)
        .finish();
    let res = request(
        app(),
        Method::POST,
        "/en/identify",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("x-requested-with", "diagnoza"),
        ],
        body,
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("cache-control"), "no-store");
    let html = res.text();
    assert!(
        html.trim_start().starts_with("<div id=\"result\""),
        "{html}"
    );
    assert!(!html.contains("<html"));
    assert!(html.contains("/en/554-5-7-1-relay-access-denied"));
}

#[tokio::test]
async fn nothing_found_says_so_and_keeps_the_text() {
    let text = "Dzień dobry,\nprzesyłam fakturę w załączniku.\nPozdrawiam";
    let res = post_form(app(), Lang::Pl, text).await;
    let html = assert_result_page(&res, StatusCode::OK, Lang::Pl);
    let ui = Lang::Pl.ui();
    assert!(html.contains(ui.none_title));
    assert!(html.contains("action=\"/pl/search\""), "a search box");
    assert!(html.contains("href=\"/pl/contact\""), "the contact page");
    assert_eq!(textarea(&html), escape(text));
}

#[tokio::test]
async fn an_empty_box_asks_for_text() {
    for text in ["", "  \r\n \t "] {
        let res = post_form(app(), Lang::En, text).await;
        let html = assert_result_page(&res, StatusCode::BAD_REQUEST, Lang::En);
        assert!(html.contains(Lang::En.ui().empty_title));
        assert_eq!(textarea(&html), escape(text), "the text is kept");
    }
    // A form without the field at all is the same empty box.
    let res = request(
        app(),
        Method::POST,
        "/pl/identify",
        &[("content-type", "application/x-www-form-urlencoded")],
        "other=1",
    )
    .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn too_much_text_is_413_and_the_text_stays_in_the_box() {
    let text = format!("{RELAY_LINE}\n{}", "x".repeat(1024 * 1024));
    let res = post_form(app(), Lang::Pl, &text).await;
    let html = assert_result_page(&res, StatusCode::PAYLOAD_TOO_LARGE, Lang::Pl);
    let ui = Lang::Pl.ui();
    assert!(html.contains(ui.too_large_title));
    assert!(html.contains(ui.too_large_text));
    assert!(html.contains("1 MiB"), "the limit is named");
    assert_eq!(
        textarea(&html),
        escape(&text),
        "the whole text is given back"
    );
}

#[tokio::test]
async fn a_body_over_the_hard_cap_is_413_with_a_clear_page() {
    let text = "y".repeat(4 * 1024 * 1024 + 10);
    let res = post_form(app(), Lang::En, &text).await;
    let html = assert_result_page(&res, StatusCode::PAYLOAD_TOO_LARGE, Lang::En);
    assert!(html.contains(Lang::En.ui().too_large_dropped));
}

const HOSTILE: [&str; 4] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "554 5.7.1 <script>alert(1)</script>: Relay access denied",
    "</textarea><script>alert(1)</script>",
];

/// Fails if any of the hostile strings comes back as markup.
fn assert_inert(body: &str) {
    for bad in [
        "<script>alert",
        "<img src=x",
        "onerror=alert(1)>",
        "</textarea><script",
    ] {
        assert!(!body.contains(bad), "{bad:?} came back unescaped");
    }
}

#[tokio::test]
async fn hostile_markup_never_comes_back_unescaped() {
    for hostile in HOSTILE {
        for lang in Lang::ALL {
            let res = post_form(app(), lang, hostile).await;
            assert!(res.status.is_success(), "{hostile}");
            assert_inert(&res.text());
        }
        let res = post_api(app(), "/api/identify", &json!({ "text": hostile })).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.header("content-type"), "application/json");
        // Markup characters are escaped even inside JSON strings, so the
        // answer is inert wherever it is pasted.
        assert!(
            !res.text().contains('<') && !res.text().contains('>'),
            "{}",
            res.text()
        );
        let json = res.json();
        if let Some(excerpt) = json["findings"][0]["excerpt"].as_str() {
            assert!(excerpt.contains('<'), "the JSON still decodes to the text");
        }
        assert_eq!(res.header("x-content-type-options"), "nosniff");

        let res = crate::common::get(&format!(
            "/pl/search?q={}",
            form_urlencoded::byte_serialize(hostile.as_bytes()).collect::<String>()
        ))
        .await;
        assert_eq!(res.status, StatusCode::OK);
        assert_inert(&res.text());
    }
}

#[tokio::test]
async fn a_pasted_error_in_the_search_box_is_recognised() {
    let q: String = form_urlencoded::byte_serialize(RELAY_LINE.as_bytes()).collect();
    let res = crate::common::get(&format!("/en/search?q={q}")).await;
    assert_eq!(res.status, StatusCode::OK);
    let html = res.text();
    assert!(html.contains(Lang::En.ui().search_pasted));
    assert!(html.contains("href=\"/en/554-5-7-1-relay-access-denied"));
    assert!(
        html.contains("value=\"554 5.7.1 &#60;jan@example.com&#62;: Relay access denied\""),
        "the query stays in the box"
    );
}
