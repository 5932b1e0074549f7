//! `/sitemap.xml` and `/robots.txt`.

use axum::http::StatusCode;
use diagnoza::lang::Lang;

use crate::common::{build_ref, get};

const BASE: &str = "http://127.0.0.1:3000";

/// Splits a sitemap into its `<url>` entries.
fn entries(xml: &str) -> Vec<&str> {
    xml.split("<url>")
        .skip(1)
        .map(|e| e.split("</url>").next().unwrap_or(""))
        .collect()
}

fn loc(entry: &str) -> &str {
    entry
        .split("<loc>")
        .nth(1)
        .and_then(|r| r.split("</loc>").next())
        .unwrap_or("")
}

#[tokio::test]
async fn the_sitemap_lists_every_article_and_home_in_both_languages() {
    let res = get("/sitemap.xml").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), "application/xml; charset=utf-8");
    let xml = res.text();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert!(xml.contains("xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\""));
    assert!(xml.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    let entries = entries(&xml);
    let build = build_ref();
    assert_eq!(entries.len(), 2 * (build.library.articles().len() + 1));
    for lang in Lang::ALL {
        assert!(
            entries.iter().any(|e| loc(e) == format!("{BASE}/{lang}/")),
            "home {lang}"
        );
        for article in build.library.articles() {
            let url = format!("{BASE}/{lang}/{}", article.slug);
            let entry = entries
                .iter()
                .find(|e| loc(e) == url)
                .unwrap_or_else(|| panic!("{url} is in the sitemap"));
            assert!(
                entry.contains(&format!(
                    "<lastmod>{}</lastmod>",
                    article.in_lang(lang).updated_iso()
                )),
                "{url}: lastmod"
            );
            for (hreflang, l) in [("pl", Lang::Pl), ("en", Lang::En), ("x-default", Lang::Pl)] {
                let alt = format!(
                    "<xhtml:link rel=\"alternate\" hreflang=\"{hreflang}\" href=\"{BASE}/{l}/{}\"/>",
                    article.slug
                );
                assert!(entry.contains(&alt), "{url}: {alt}");
            }
        }
    }
}

#[tokio::test]
async fn every_sitemap_url_is_served() {
    let xml = get("/sitemap.xml").await.text();
    for entry in entries(&xml) {
        let path = loc(entry)
            .strip_prefix(BASE)
            .expect("absolute URLs on the base");
        assert_eq!(get(path).await.status, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn robots_txt_points_at_the_sitemap_and_keeps_crawlers_off_the_tools() {
    let res = get("/robots.txt").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), "text/plain; charset=utf-8");
    let text = res.text();
    assert!(text.contains(&format!("Sitemap: {BASE}/sitemap.xml")));
    assert!(text.contains("Disallow: /api/"));
    assert!(text.contains("Disallow: /pl/identify"));
    assert!(!text.contains("Disallow: /\n"), "articles stay crawlable");
}
