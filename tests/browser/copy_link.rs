//! The copy-link buttons that the script adds to article headings and to
//! results put the full absolute URL, with its anchor, on the clipboard.
//! The clipboard is read back through `navigator.clipboard`, with the
//! permission granted over DevTools.

use serde_json::json;

use crate::harness::{Browser, Options, RELAY_BOUNCE, eventually, with_browser};

/// Lets the page read and write the clipboard without asking.
async fn grant_clipboard(b: &Browser) {
    b.cdp(
        "Browser.grantPermissions",
        json!({
            "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"],
            "origin": b.base,
        }),
    )
    .await;
}

/// What the clipboard holds before a copy, so that a copy that did nothing is seen.
const MARKER: &str = "(nothing copied)";

/// Puts [`MARKER`] on the clipboard.
async fn clear_clipboard(b: &Browser) {
    let done = b
        .js_async(
            "var done = arguments[arguments.length - 1];
             navigator.clipboard.writeText(arguments[0]).then(
                 function () { done(true); },
                 function (e) { done(String(e)); });",
            vec![json!(MARKER)],
        )
        .await;
    assert_eq!(done, json!(true), "the clipboard can be written");
}

/// Waits for a copy to land on the clipboard and returns what it holds.
async fn copied(b: &Browser) -> String {
    eventually("something to be copied", || async move {
        let text = b
            .js_async(
                "var done = arguments[arguments.length - 1];
                 navigator.clipboard.readText().then(done, function (e) {
                     done('(unreadable: ' + e + ')');
                 });",
                vec![],
            )
            .await;
        match text.as_str() {
            Some(t) if t != MARKER && !t.starts_with("(unreadable") => Ok(t.to_string()),
            _ => Err(format!("the clipboard holds {text}")),
        }
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heading_buttons_copy_the_absolute_url_of_their_section() {
    with_browser(Options::default(), |b| async move {
        let page = "/pl/554-5-7-1-relay-access-denied";
        b.open(page).await;
        grant_clipboard(&b).await;
        let buttons = b.all(".article-body h2 .copy-link").await;
        assert!(buttons.len() >= 4, "every section has a button");
        for id in ["causes", "admin"] {
            clear_clipboard(&b).await;
            let button = b.element(&format!("h2#{id} .copy-link")).await;
            assert_eq!(button.text().await.unwrap(), "Kopiuj link");
            button.click().await.expect("the button can be clicked");
            let copied = copied(&b).await;
            assert_eq!(copied, b.url(&format!("{page}#{id}")));
            // The button says it worked.
            b.until(
                "the button to say it copied",
                &format!(
                    "var b = document.querySelector('h2#{id} .copy-link');
                     return b.classList.contains('done') && b.textContent === 'Skopiowano link';"
                ),
            )
            .await;
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn result_buttons_copy_the_absolute_url_of_the_article_section() {
    with_browser(Options::default(), |b| async move {
        b.open("/pl/").await;
        grant_clipboard(&b).await;
        clear_clipboard(&b).await;
        b.fill_paste_box(RELAY_BOUNCE).await;
        b.submit_paste().await;
        let button = b.element("#result .finding .copy-link").await;
        button.click().await.expect("the button can be clicked");
        let copied = copied(&b).await;
        assert_eq!(copied, b.url("/pl/554-5-7-1-relay-access-denied#sender"));
        // The same address is printed for copying by hand.
        let shown = b.element("#result .link-text").await.text().await.unwrap();
        assert_eq!(shown, copied);
    })
    .await;
}
