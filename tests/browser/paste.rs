//! The paste box on the Polish home page: a bounce gives the right finding
//! and article link, and a text over the limit gives an error and stays in
//! the box; with JavaScript (answered in place) and without (a form post).

use serde_json::json;

use crate::harness::{Browser, Options, RELAY_BOUNCE, with_browser};

/// The section of the article the relay bounce leads to.
const RELAY_LINK: &str = "/pl/554-5-7-1-relay-access-denied#sender";

/// Types the relay bounce into the box on `/pl/` and sends it.
async fn paste_relay_bounce(b: &Browser) {
    b.open("/pl/").await;
    let field = b.element("#paste-text").await;
    field
        .send_keys(RELAY_BOUNCE)
        .await
        .expect("the paste box takes text");
    b.submit_paste().await;
}

/// Checks the one finding of the relay bounce and follows its article link.
async fn check_relay_finding(b: &Browser) {
    let badge = b.element("#result .finding .code-badge").await;
    assert_eq!(badge.text().await.unwrap(), "554 5.7.1");
    let findings = b.all("#result .finding").await;
    assert_eq!(findings.len(), 1, "one finding for one bounce");
    let heading = b.element("#result h2").await.text().await.unwrap();
    assert_eq!(heading, "Rozpoznany błąd");
    let title = b.element("#result .finding h3").await.text().await.unwrap();
    assert!(
        title.contains("Relay access denied"),
        "the finding names the article: {title}"
    );
    let link = b.element("#result a.result-link").await;
    assert_eq!(
        link.attr("href").await.unwrap().as_deref(),
        Some(RELAY_LINK)
    );
    assert!(
        link.text().await.unwrap().starts_with("Przeczytaj"),
        "the link is in Polish: {:?}",
        link.text().await
    );
    link.click()
        .await
        .expect("the article link can be followed");
    b.until(
        "the article's section to open",
        "return document.getElementById('sender') !== null && location.hash === '#sender';",
    )
    .await;
    assert_eq!(b.location().await, RELAY_LINK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pasting_a_bounce_shows_the_finding_in_place_with_javascript() {
    with_browser(Options::default(), |b| async move {
        paste_relay_bounce(&b).await;
        b.element("#result .finding").await;
        // Answered without leaving the page.
        assert_eq!(b.location().await, "/pl/");
        assert_eq!(
            b.focused().await,
            "div#result.result",
            "the result takes the focus"
        );
        // The live region gives screen readers a short summary.
        let status = b
            .until(
                "the result to be announced",
                "var s = document.getElementById('paste-status');
                 return s && s.getAttribute('aria-live') === 'polite' && s.textContent;",
            )
            .await;
        let status = status.as_str().unwrap_or_default();
        assert!(
            status.starts_with("Rozpoznany błąd. 554 5.7.1 Relay access denied"),
            "announced: {status}"
        );
        check_relay_finding(&b).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pasting_a_bounce_shows_the_finding_on_a_new_page_without_javascript() {
    with_browser(Options::without_javascript(), |b| async move {
        paste_relay_bounce(&b).await;
        b.element("#result .finding").await;
        assert_eq!(b.location().await, "/pl/identify", "the form was posted");
        assert!(
            b.all(".copy-link").await.is_empty(),
            "no script ran: no copy buttons"
        );
        assert_eq!(
            b.js(
                "return document.documentElement.classList.contains('js');",
                vec![]
            )
            .await,
            json!(false)
        );
        // The result page opens at the top, with the result, not in the box below it.
        assert_ne!(b.focused().await, "textarea#paste-text");
        check_relay_finding(&b).await;
    })
    .await;
}

/// Puts a text just over the 1 MiB paste limit into the box: the relay
/// bounce, then a megabyte of filler. Set by script, as typing it would take
/// minutes; [`TOO_LARGE_CHECK`] makes the same text again to compare.
const TOO_LARGE_FILL: &str = "var t = document.getElementById('paste-text');
     t.value = arguments[0] + '\\n' + 'x'.repeat(1024 * 1024);";

/// Returns `[length of the box's text, whether it is the text put in]`.
const TOO_LARGE_CHECK: &str = "var t = document.getElementById('paste-text');
     var expected = arguments[0] + '\\n' + 'x'.repeat(1024 * 1024);
     return [t.value.length, t.value === expected];";

async fn paste_too_much(b: &Browser) {
    b.open("/pl/").await;
    b.element("#paste-text").await;
    b.js(TOO_LARGE_FILL, vec![json!(RELAY_BOUNCE)]).await;
    b.submit_paste().await;
}

async fn check_too_large(b: &Browser) {
    let notice = b.element("#result .notice[role=alert]").await;
    let text = notice.text().await.unwrap();
    assert!(
        text.starts_with("Tekst jest za długi"),
        "the notice: {text}"
    );
    assert!(text.contains("1 MiB"), "the notice names the limit: {text}");
    assert!(b.all("#result .finding").await.is_empty());
    let kept = b.js(TOO_LARGE_CHECK, vec![json!(RELAY_BOUNCE)]).await;
    let expected_len = RELAY_BOUNCE.chars().count() + 1 + 1024 * 1024;
    assert_eq!(
        kept,
        json!([expected_len, true]),
        "the text stays in the box, whole"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_too_large_paste_shows_the_error_and_keeps_the_text_with_javascript() {
    with_browser(Options::default(), |b| async move {
        paste_too_much(&b).await;
        check_too_large(&b).await;
        assert_eq!(b.location().await, "/pl/");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_too_large_paste_shows_the_error_and_keeps_the_text_without_javascript() {
    with_browser(Options::without_javascript(), |b| async move {
        paste_too_much(&b).await;
        check_too_large(&b).await;
        assert_eq!(b.location().await, "/pl/identify");
        assert_eq!(
            b.focused().await,
            "textarea#paste-text",
            "ready to shorten the text"
        );
    })
    .await;
}
