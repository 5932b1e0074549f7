//! The language switcher leads to the same article in the other language,
//! and (with JavaScript, which knows the current section) to the same
//! section: articles give their sections the same ids in both languages.

use crate::harness::{Browser, Options, with_browser};

const ARTICLE: &str = "554-5-7-1-relay-access-denied";

/// Clicks the switcher and waits for the other language's page.
async fn switch(b: &Browser, to: &str) {
    b.element("a.lang-switch")
        .await
        .click()
        .await
        .expect("the switcher can be clicked");
    b.until(
        &format!("the page in {to}"),
        &format!(
            "return document.readyState === 'complete' && document.documentElement.lang === '{to}';"
        ),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switcher_keeps_the_article_and_its_section() {
    with_browser(Options::default(), |b| async move {
        b.open(&format!("/pl/{ARTICLE}")).await;
        let switcher = b.element("a.lang-switch").await;
        assert_eq!(switcher.text().await.unwrap(), "English");
        assert_eq!(
            switcher.attr("hreflang").await.unwrap().as_deref(),
            Some("en")
        );
        switch(&b, "en").await;
        assert_eq!(b.location().await, format!("/en/{ARTICLE}"));
        let h1 = b.element("h1").await.text().await.unwrap();
        assert!(h1.contains("Relay access denied"), "the same article: {h1}");

        // Go to a section by its table-of-contents link, then switch back.
        b.element("nav.toc a[href='#admin']")
            .await
            .click()
            .await
            .expect("the contents link can be clicked");
        b.until(
            "the section in the address",
            "return location.hash === '#admin';",
        )
        .await;
        switch(&b, "pl").await;
        assert_eq!(b.location().await, format!("/pl/{ARTICLE}#admin"));
        let section = b.element("h2#admin").await.text().await.unwrap();
        assert!(
            section.starts_with("Co może zrobić administrator"),
            "{section}"
        );

        // Opened with a section in the address, too.
        b.open(&format!("/pl/{ARTICLE}#causes")).await;
        switch(&b, "en").await;
        assert_eq!(b.location().await, format!("/en/{ARTICLE}#causes"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switcher_keeps_the_article_without_javascript() {
    with_browser(Options::without_javascript(), |b| async move {
        for (from, to) in [("pl", "en"), ("en", "pl")] {
            b.open(&format!("/{from}/http-503")).await;
            switch(&b, to).await;
            assert_eq!(b.location().await, format!("/{to}/http-503"));
        }
        // Pages that exist in both languages keep their place too.
        b.open("/pl/contact").await;
        switch(&b, "en").await;
        assert_eq!(b.location().await, "/en/contact");
    })
    .await;
}
