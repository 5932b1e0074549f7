//! Keyboard and screen-reader use: the skip link comes first and leads to
//! the content, the paste box right after; everything focusable shows its
//! focus; fields have labels; results are announced.

use fantoccini::key::Key;
use serde_json::{Value, json};

use crate::harness::{Browser, Options, with_browser};

/// Describes how the focused element shows its focus: `ok` tells whether
/// it has an outline of 2 px or more, or a box shadow, whose colour stands
/// out 3:1 against what is behind it (WCAG 1.4.11).
const FOCUS_STYLE: &str = "
    function rgba(c) {
        var m = c.match(/rgba?\\(([^)]+)\\)/);
        if (!m) { return null; }
        var p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(parseFloat);
        return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
    }
    function luminance(c) {
        function ch(v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }
        return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
    }
    function background(e) {
        for (; e; e = e.parentElement) {
            var c = rgba(getComputedStyle(e).backgroundColor);
            if (c && c.a > 0.5) { return c; }
        }
        return { r: 255, g: 255, b: 255, a: 1 };
    }
    var e = document.activeElement;
    var s = getComputedStyle(e);
    var behind = background(e.parentElement);
    var colour = null;
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) {
        colour = rgba(s.outlineColor);
    } else if (s.boxShadow && s.boxShadow !== 'none') {
        colour = rgba(s.boxShadow);
    }
    var ratio = 0;
    if (colour) {
        var a = luminance(colour), b = luminance(behind);
        ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }
    var name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
        (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '');
    return { element: name, ok: ratio >= 3, ratio: Math.round(ratio * 100) / 100,
             style: s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor + '; shadow ' + s.boxShadow };
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_tab_reaches_the_skip_link_which_leads_to_the_paste_box() {
    with_browser(Options::default(), |b| async move {
        for page in ["/pl/", "/en/", "/pl/contact", "/pl/http-503"] {
            b.open(page).await;
            b.press(Key::Tab).await.expect("a key press");
            assert_eq!(b.focused().await, "a.skip-link", "{page}: the first Tab");
            let visible = b
                .js(
                    "var r = document.activeElement.getBoundingClientRect();
                     return r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight;",
                    vec![],
                )
                .await;
            assert_eq!(
                visible,
                json!(true),
                "{page}: the focused skip link is on screen"
            );
            let style = b.js(FOCUS_STYLE, vec![]).await;
            assert_eq!(
                style["ok"],
                json!(true),
                "{page}: the skip link shows its focus: {style}"
            );

            b.press(Key::Enter).await.expect("a key press");
            b.until(
                "the focus to move to the content",
                "return location.hash === '#main' && document.activeElement.id === 'main';",
            )
            .await;
            if page.ends_with('/') {
                b.press(Key::Tab).await.expect("a key press");
                assert_eq!(
                    b.focused().await,
                    "textarea#paste-text",
                    "{page}: the paste box comes right after"
                );
            }
        }
        // The paste box's own page gives it the focus at once.
        b.open("/pl/identify").await;
        assert_eq!(b.focused().await, "textarea#paste-text");
    })
    .await;
}

/// Tabs through the first `stops` focusable elements of a page and returns
/// those that do not show their focus clearly.
async fn unclear_focus(b: &Browser, page: &str, stops: usize) -> Vec<Value> {
    b.open(page).await;
    let mut unclear = Vec::new();
    for _ in 0..stops {
        b.press(Key::Tab).await.expect("a key press");
        let style = b.js(FOCUS_STYLE, vec![]).await;
        if style["ok"] != json!(true) {
            unclear.push(json!({ "page": page, "focus": style }));
        }
    }
    unclear
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn everything_focusable_shows_its_focus_in_light_and_dark_mode() {
    with_browser(Options::default(), |b| async move {
        let mut unclear = Vec::new();
        for scheme in ["light", "dark"] {
            b.emulate_media("", &[("prefers-color-scheme", scheme)])
                .await;
            unclear.extend(unclear_focus(&b, "/pl/", 14).await);
            unclear.extend(unclear_focus(&b, "/pl/554-5-7-1-relay-access-denied", 20).await);
            unclear.extend(unclear_focus(&b, "/en/search?q=relay", 12).await);
        }
        assert!(
            unclear.is_empty(),
            "focus not shown clearly (an outline of 2 px or more, 3:1 against its background):\n{}",
            serde_json::to_string_pretty(&unclear).unwrap()
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_form_field_has_a_label() {
    with_browser(Options::default(), |b| async move {
        for page in ["/pl/", "/en/identify", "/pl/search", "/en/search?q=qqqzzz", "/pl/contact"] {
            b.open(page).await;
            let unlabelled = b
                .js(
                    "var bad = [];
                     document.querySelectorAll('input, textarea, select').forEach(function (e) {
                         if (e.type === 'hidden') { return; }
                         var name = '';
                         if (e.labels) {
                             name = Array.prototype.map.call(e.labels, function (l) {
                                 return l.textContent; }).join(' ');
                         }
                         name += ' ' + (e.getAttribute('aria-label') || '');
                         (e.getAttribute('aria-labelledby') || '').split(' ').forEach(function (id) {
                             var l = id && document.getElementById(id);
                             if (l) { name += ' ' + l.textContent; }
                         });
                         if (!name.trim()) { bad.push(e.outerHTML.slice(0, 200)); }
                     });
                     return [document.querySelectorAll('input, textarea').length, bad];",
                    vec![],
                )
                .await;
            assert!(
                unlabelled[0].as_u64().unwrap_or(0) > 0,
                "{page}: the page has fields"
            );
            assert_eq!(unlabelled[1], json!([]), "{page}: fields without a label");
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_are_announced_in_a_live_region() {
    with_browser(Options::default(), |b| async move {
        b.open("/en/").await;
        // The live region is on the page before the result, as screen
        // readers only announce changes to regions they already know.
        let region = b.element("#paste-form [aria-live]").await;
        assert_eq!(
            region.attr("aria-live").await.unwrap().as_deref(),
            Some("polite")
        );
        assert_eq!(
            region.attr("role").await.unwrap().as_deref(),
            Some("status")
        );
        assert_eq!(
            region.prop("textContent").await.unwrap().as_deref(),
            Some("")
        );

        b.fill_paste_box("Good morning, nothing went wrong today.")
            .await;
        b.submit_paste().await;
        let said = b
            .until(
                "the result to be announced",
                "return document.getElementById('paste-status').textContent;",
            )
            .await;
        assert_eq!(
            said.as_str(),
            Some("We did not recognise an error in this text")
        );

        // A second paste replaces the announcement.
        b.fill_paste_box("HTTP/1.1 503 Service Unavailable").await;
        b.submit_paste().await;
        let said = b
            .until(
                "the new result to be announced",
                "var t = document.getElementById('paste-status').textContent;
                 return t.indexOf('Error found') === 0 && t;",
            )
            .await;
        assert!(said.as_str().unwrap_or_default().contains("503"), "{said}");
    })
    .await;
}
