//! Search: the header's box suggests articles as you type (with the
//! keyboard to pick one), and without JavaScript the same box leads to the
//! search page.

use fantoccini::key::Key;

use crate::harness::{Options, with_browser};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instant_search_shows_results_as_you_type() {
    with_browser(Options::default(), |b| async move {
        b.open("/pl/").await;
        let input = b.element("#site-search-q").await;
        input.send_keys("relay").await.expect("the box takes text");
        b.until(
            "suggestions to appear",
            "var list = document.getElementById('site-search-results');
             return !list.hidden && list.querySelector('a') !== null;",
        )
        .await;
        let items = b.all("#site-search-results a").await;
        let mut hrefs = Vec::new();
        for item in &items {
            hrefs.push(item.attr("href").await.unwrap().unwrap_or_default());
        }
        assert!(
            hrefs.iter().all(|h| h.starts_with("/pl/554-5-7-1")),
            "Polish mail articles only: {hrefs:?}"
        );
        assert!(
            hrefs
                .iter()
                .any(|h| h == "/pl/554-5-7-1-relay-access-denied"),
            "the relay article is suggested: {hrefs:?}"
        );
        // The count is announced.
        let status = b.element("#site-search-status").await;
        assert_eq!(
            status.attr("aria-live").await.unwrap().as_deref(),
            Some("polite")
        );
        let announced = b
            .until(
                "the count to be announced",
                "return document.getElementById('site-search-status').textContent;",
            )
            .await;
        assert_eq!(
            announced.as_str(),
            Some(format!("Liczba wyników: {}", items.len()).as_str())
        );

        // Arrow down to the first suggestion, Enter to open it.
        b.press(Key::Down).await.expect("a key press");
        assert_eq!(
            b.js(
                "return document.activeElement.getAttribute('href');",
                vec![]
            )
            .await
            .as_str(),
            Some(hrefs[0].as_str())
        );
        b.press(Key::Enter).await.expect("a key press");
        b.until(
            "the article to open",
            &format!("return location.pathname === '{}';", hrefs[0]),
        )
        .await;

        // A word that is in no article says so.
        let input = b.element("#site-search-q").await;
        input
            .send_keys("qqqzzzqqq")
            .await
            .expect("the box takes text");
        b.until(
            "the empty answer",
            "var list = document.getElementById('site-search-results');
             return !list.hidden && list.textContent.indexOf('Nic nie znaleźliśmy') !== -1;",
        )
        .await;
        // Escape closes the list.
        b.press(Key::Escape).await.expect("a key press");
        b.until(
            "the list to close",
            "return document.getElementById('site-search-results').hidden;",
        )
        .await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_search_box_leads_to_the_search_page_without_javascript() {
    with_browser(Options::without_javascript(), |b| async move {
        b.open("/en/").await;
        let input = b.element("#site-search-q").await;
        input
            .send_keys(&format!("relay{}", Key::Enter))
            .await
            .expect("the box takes text");
        b.element("ol.hits li a").await;
        assert_eq!(b.location().await, "/en/search?q=relay");
        let mut hrefs = Vec::new();
        for hit in b.all("ol.hits li a").await {
            hrefs.push(hit.attr("href").await.unwrap().unwrap_or_default());
        }
        assert!(
            hrefs
                .iter()
                .any(|h| h == "/en/554-5-7-1-relay-access-denied"),
            "the relay article is found: {hrefs:?}"
        );
        assert!(b.all("#site-search-results li").await.is_empty());
    })
    .await;
}
