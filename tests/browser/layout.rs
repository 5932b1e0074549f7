//! Layout: nothing scrolls sideways on a 375 px phone (long SMTP lines and
//! code blocks wrap or scroll inside their own box), type stays readable,
//! dark mode follows `prefers-color-scheme`, and articles print without the
//! site's chrome.

use serde_json::{Value, json};

use crate::harness::{Browser, Options, RELAY_BOUNCE, with_browser};

/// The width of a small phone, in CSS pixels.
const PHONE: (u32, u32) = (375, 812);

/// Returns, for the current page, whether it scrolls sideways and, if so,
/// the elements that stick out.
async fn sideways(b: &Browser) -> Value {
    b.js(
        "var d = document.documentElement;
         var out = [];
         if (d.scrollWidth > d.clientWidth) {
             document.querySelectorAll('body *').forEach(function (e) {
                 var r = e.getBoundingClientRect();
                 if (r.right > d.clientWidth + 0.5 && out.length < 8) {
                     out.push(e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') +
                         ' (right edge at ' + Math.round(r.right) + ')');
                 }
             });
         }
         return { scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, sticksOut: out };",
        vec![],
    )
    .await
}

/// Records the current page if it scrolls sideways.
async fn check_width(b: &Browser, what: &str, problems: &mut Vec<Value>) {
    let s = sideways(b).await;
    let (scroll, client) = (s["scrollWidth"].as_u64(), s["clientWidth"].as_u64());
    assert_eq!(
        client,
        Some(u64::from(PHONE.0)),
        "{what}: the viewport is a phone's"
    );
    if scroll > client {
        problems.push(json!({ "page": what, "width": s }));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_scrolls_sideways_at_phone_width() {
    let options = Options {
        size: PHONE,
        ..Options::default()
    };
    with_browser(options, |b| async move {
        b.resize(PHONE.0, PHONE.1).await;
        let mut problems = Vec::new();
        let mut pages = vec![
            "/pl/".to_string(),
            "/en/".to_string(),
            "/pl/search".to_string(),
            "/pl/search?q=relay".to_string(),
            "/en/search?q=qqqzzz".to_string(),
            "/pl/contact".to_string(),
            "/pl/nie-ma-takiej-strony".to_string(),
        ];
        // Every article in both languages: they hold the long SMTP lines and
        // code blocks.
        for lang in ["pl", "en"] {
            b.open(&format!("/{lang}/")).await;
            let links = b
                .js(
                    "return Array.prototype.map.call(
                         document.querySelectorAll('main .article-list a'),
                         function (a) { return a.getAttribute('href'); });",
                    vec![],
                )
                .await;
            let links: Vec<String> = serde_json::from_value(links).expect("a list of links");
            assert!(links.len() >= 19, "every article is listed: {links:?}");
            pages.extend(links);
        }
        for page in &pages {
            b.open(page).await;
            check_width(&b, page, &mut problems).await;
        }

        // A result for a very long SMTP line: an address of 3,000 characters
        // without a space, as mangled bounces have.
        let long_line = format!(
            "{RELAY_BOUNCE}\n554 5.7.1 <{}@example.com>: Relay access denied {}",
            "a".repeat(3000),
            "x".repeat(500)
        );
        b.open("/pl/").await;
        b.fill_paste_box(&long_line).await;
        b.submit_paste().await;
        b.element("#result .finding").await;
        check_width(&b, "result of a long line (script)", &mut problems).await;
        b.open("/pl/identify").await;
        b.fill_paste_box(&long_line).await;
        // The form's own post, as without JavaScript.
        b.js("document.getElementById('paste-form').submit();", vec![])
            .await;
        b.until(
            "the result page",
            "return location.pathname === '/pl/identify' && document.querySelector('#result .finding') !== null;",
        )
        .await;
        check_width(&b, "result page of a long line", &mut problems).await;

        assert!(
            problems.is_empty(),
            "pages wider than a 375 px phone:\n{}",
            serde_json::to_string_pretty(&problems).unwrap()
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn type_is_readable_on_a_phone() {
    let options = Options {
        size: PHONE,
        ..Options::default()
    };
    with_browser(options, |b| async move {
        b.resize(PHONE.0, PHONE.1).await;
        b.open("/pl/554-5-7-1-relay-access-denied").await;
        let sizes = b
            .js(
                "function px(sel, prop) {
                     return parseFloat(getComputedStyle(document.querySelector(sel))[prop]);
                 }
                 return { body: px('.article-body p', 'fontSize'),
                          lineHeight: px('.article-body p', 'lineHeight') / px('.article-body p', 'fontSize'),
                          pre: px('.article-body pre', 'fontSize') };",
                vec![],
            )
            .await;
        assert!(sizes["body"].as_f64().unwrap() >= 16.0, "body text: {sizes}");
        assert!(sizes["lineHeight"].as_f64().unwrap() >= 1.4, "line height: {sizes}");
        assert!(sizes["pre"].as_f64().unwrap() >= 13.0, "code: {sizes}");
        // Fields of 16 px or more: phones do not zoom in when they get the focus.
        b.open("/pl/").await;
        let fields = b
            .js(
                "return Array.prototype.map.call(document.querySelectorAll('input, textarea'),
                     function (e) { return [e.id, parseFloat(getComputedStyle(e).fontSize)]; });",
                vec![],
            )
            .await;
        for field in fields.as_array().unwrap() {
            assert!(field[1].as_f64().unwrap() >= 16.0, "field text: {field}");
        }
    })
    .await;
}

/// Returns the relative luminance of a computed `rgb(...)` colour.
const LUMINANCE: &str = "
    function luminance(c) {
        var p = c.match(/[\\d.]+/g).map(parseFloat);
        function ch(v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }
        return 0.2126 * ch(p[0]) + 0.7152 * ch(p[1]) + 0.0722 * ch(p[2]);
    }
    var s = getComputedStyle(document.body);
    return { background: luminance(s.backgroundColor), text: luminance(s.color),
             scheme: matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light' };";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dark_mode_follows_the_system_setting() {
    with_browser(Options::default(), |b| async move {
        for page in ["/pl/", "/pl/554-5-7-1-relay-access-denied"] {
            b.emulate_media("", &[("prefers-color-scheme", "light")])
                .await;
            b.open(page).await;
            let light = b.js(LUMINANCE, vec![]).await;
            assert_eq!(light["scheme"], "light");
            assert!(
                light["background"].as_f64().unwrap() > 0.9,
                "{page}, light: {light}"
            );
            assert!(
                light["text"].as_f64().unwrap() < 0.05,
                "{page}, light: {light}"
            );

            b.emulate_media("", &[("prefers-color-scheme", "dark")])
                .await;
            b.open(page).await;
            let dark = b.js(LUMINANCE, vec![]).await;
            assert_eq!(dark["scheme"], "dark");
            assert!(
                dark["background"].as_f64().unwrap() < 0.05,
                "{page}, dark: {dark}"
            );
            assert!(dark["text"].as_f64().unwrap() > 0.6, "{page}, dark: {dark}");
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn articles_print_without_the_search_and_paste_chrome() {
    with_browser(Options::default(), |b| async move {
        b.open("/pl/554-5-7-1-relay-access-denied").await;
        let shown = "var out = {};
             ['.site-header', '#site-search-q', '.crumbs', '.site-footer', '.skip-link',
              '.toc', '.copy-link', '.article-head h1', '.article-body', '.article-body pre']
             .forEach(function (sel) {
                 var e = document.querySelector(sel);
                 out[sel] = !!e && e.getClientRects().length > 0 &&
                     getComputedStyle(e).visibility !== 'hidden';
             });
             return out;";
        let screen = b.js(shown, vec![]).await;
        for sel in [
            ".site-header",
            "#site-search-q",
            ".article-body",
            ".copy-link",
        ] {
            assert_eq!(
                screen[sel],
                json!(true),
                "on screen, {sel} is shown: {screen}"
            );
        }
        b.emulate_media("print", &[]).await;
        let print = b.js(shown, vec![]).await;
        for sel in [
            ".site-header",
            "#site-search-q",
            ".crumbs",
            ".site-footer",
            ".skip-link",
            ".toc",
            ".copy-link",
        ] {
            assert_eq!(
                print[sel],
                json!(false),
                "in print, {sel} is hidden: {print}"
            );
        }
        for sel in [".article-head h1", ".article-body", ".article-body pre"] {
            assert_eq!(print[sel], json!(true), "in print, {sel} is shown: {print}");
        }
        // Printed in black on white whatever the screen's scheme.
        b.emulate_media("print", &[("prefers-color-scheme", "dark")])
            .await;
        let colours = b.js(LUMINANCE, vec![]).await;
        assert!(colours["background"].as_f64().unwrap() > 0.9, "{colours}");
        assert!(colours["text"].as_f64().unwrap() < 0.05, "{colours}");
    })
    .await;
}
