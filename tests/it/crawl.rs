//! The one test with a real socket: start the server and crawl it from `/`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::net::SocketAddr;

use diagnoza::config::Config;
use diagnoza::lang::Lang;

use crate::common::{SHARED, attr_values, build_ref};

/// The visible text of a page's `<main>`: tags removed, entities ignored.
fn visible_words(html: &str) -> usize {
    let main = html
        .split_once("<main")
        .and_then(|(_, rest)| rest.split_once("</main>"))
        .map_or(html, |(main, _)| main);
    let mut text = String::with_capacity(main.len());
    let mut in_tag = false;
    for c in main.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric) && !w.starts_with('&'))
        .count()
}

/// Returns the internal links of a page (path and fragment), without queries.
fn internal_links(html: &str) -> Vec<(String, Option<String>)> {
    attr_values(html, "href")
        .into_iter()
        .chain(attr_values(html, "src"))
        .filter(|v| v.starts_with('/') && !v.starts_with("//") || v.starts_with('#'))
        .map(|v| {
            let (path, fragment) = match v.split_once('#') {
                Some((p, f)) => (p, Some(f.to_string())),
                None => (v, None),
            };
            (path.split('?').next().unwrap_or("").to_string(), fragment)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crawling_from_the_root_reaches_every_article_and_no_link_fails() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let addr = listener.local_addr().unwrap();
    let app = diagnoza::app(SHARED.clone(), &Config::default())
        .into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let base = format!("http://{addr}");
    let client = reqwest::Client::new();

    // Pages by path (after redirects): status, HTML, ids on the page.
    let mut seen: BTreeMap<String, (u16, String)> = BTreeMap::new();
    let mut fragments: Vec<(String, String, String)> = Vec::new();
    let mut queue = VecDeque::from([("/".to_string(), "(start)".to_string())]);
    let mut failures = Vec::new();
    while let Some((path, from)) = queue.pop_front() {
        if seen.contains_key(&path) {
            continue;
        }
        let res = client
            .get(format!("{base}{path}"))
            .send()
            .await
            .expect("the server answers");
        let status = res.status().as_u16();
        let final_path = res.url().path().to_string();
        let is_html = res
            .headers()
            .get("content-type")
            .is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html"));
        let body = res.text().await.unwrap_or_default();
        if status != 200 {
            failures.push(format!("{path} (linked from {from}) answered {status}"));
        }
        if is_html {
            for (link, fragment) in internal_links(&body) {
                let target = if link.is_empty() {
                    final_path.clone()
                } else {
                    link
                };
                if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                    fragments.push((target.clone(), f, path.clone()));
                }
                if !seen.contains_key(&target) {
                    queue.push_back((target, path.clone()));
                }
            }
        }
        seen.insert(path.clone(), (status, body.clone()));
        if final_path != path {
            seen.insert(final_path, (status, body));
        }
    }
    assert!(
        failures.is_empty(),
        "links that fail:\n{}",
        failures.join("\n")
    );

    for (target, fragment, from) in &fragments {
        let (_, html) = &seen[target];
        assert!(
            html.contains(&format!("id=\"{fragment}\"")),
            "{from} links to {target}#{fragment}, which has no such id"
        );
    }

    let build = build_ref();
    for article in build.library.articles() {
        for lang in Lang::ALL {
            let path = format!("/{lang}/{}", article.slug);
            let (status, html) = seen
                .get(&path)
                .unwrap_or_else(|| panic!("the crawl never reached {path}"));
            assert_eq!(*status, 200, "{path}");
            assert!(
                html.contains(&format!("<html lang=\"{lang}\"")),
                "{path}: lang"
            );
            assert!(html.contains("<h1>"), "{path}: an h1");
            assert!(
                html.contains(&article.code),
                "{path}: the code {}",
                article.code
            );
            let words = visible_words(html);
            assert!(words >= 300, "{path}: only {words} words");
        }
    }
    let slugs: BTreeSet<_> = seen.keys().collect();
    assert!(slugs.len() > 40, "the crawl saw {} pages", slugs.len());
    server.abort();
}
