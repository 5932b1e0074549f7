//! Every page of every article, the home pages and the contact page.

use axum::http::StatusCode;
use diagnoza::lang::Lang;

use crate::common::{SLUGS, attr_values, build_ref, custom_app, custom_config, get, send};

#[test]
fn every_fixed_slug_has_an_article() {
    let build = build_ref();
    let missing: Vec<_> = SLUGS
        .iter()
        .filter(|s| build.library.get(s).is_none())
        .collect();
    assert!(missing.is_empty(), "articles missing for {missing:?}");
}

#[tokio::test]
async fn every_article_renders_in_both_languages() {
    let build = build_ref();
    for article in build.library.articles() {
        for lang in Lang::ALL {
            let url = format!("/{lang}/{}", article.slug);
            let res = get(&url).await;
            assert_eq!(res.status, StatusCode::OK, "{url}");
            assert_eq!(
                res.header("content-type"),
                "text/html; charset=utf-8",
                "{url}"
            );
            let html = res.text();
            let t = article.in_lang(lang);
            assert!(
                html.contains(&format!("<html lang=\"{lang}\"")),
                "{url}: lang"
            );
            assert_eq!(html.matches("<h1").count(), 1, "{url}: one h1");
            assert!(
                html.contains(&format!("<h1>{}</h1>", escape(&t.title))),
                "{url}: the title is the h1"
            );
            assert!(
                html.contains(&escape(&article.code)),
                "{url}: the code {}",
                article.code
            );
            assert!(
                html.contains(&format!("<time datetime=\"{}\">", t.updated_iso())),
                "{url}: updated date"
            );
            // The language switcher leads to the same article.
            let other = format!("/{}/{}", lang.other(), article.slug);
            assert!(
                html.contains(&format!("class=\"lang-switch\" href=\"{other}\"")),
                "{url}: switcher to {other}"
            );
            // Breadcrumbs: home, group, the article.
            assert!(
                html.contains(&format!("aria-label=\"{}\"", lang.ui().breadcrumbs)),
                "{url}: breadcrumbs"
            );
            assert!(
                html.contains(&format!(
                    "<li><a href=\"/{lang}/\">{}</a></li>",
                    lang.ui().home
                )),
                "{url}: crumb home"
            );
            assert!(
                html.contains("<span aria-current=\"page\">"),
                "{url}: current crumb"
            );
            // Canonical and alternates, absolute.
            let base = "http://127.0.0.1:3000";
            assert!(
                html.contains(&format!("<link rel=\"canonical\" href=\"{base}{url}\">")),
                "{url}: canonical"
            );
            for (hreflang, l) in [("pl", Lang::Pl), ("en", Lang::En), ("x-default", Lang::Pl)] {
                let alt = format!(
                    "<link rel=\"alternate\" hreflang=\"{hreflang}\" href=\"{base}/{l}/{}\">",
                    article.slug
                );
                assert!(html.contains(&alt), "{url}: {alt}");
            }
            assert!(
                html.contains(&format!(
                    "<meta name=\"description\" content=\"{}\">",
                    escape(&t.summary)
                )),
                "{url}: description"
            );
            assert!(
                html.contains(&format!("href=\"/{lang}/contact\"")),
                "{url}: contact link"
            );
            assert!(
                html.contains("class=\"skip-link\" href=\"#main\""),
                "{url}: skip link"
            );
            assert!(html.contains("<main id=\"main\""), "{url}: main");
            // Every related article is linked.
            for slug in &article.related {
                assert!(
                    html.contains(&format!("href=\"/{lang}/{slug}\"")),
                    "{url}: related {slug}"
                );
            }
            // Every heading can be linked to.
            for h in &t.headings {
                assert!(
                    html.contains(&format!("id=\"{}\"", h.id)),
                    "{url}: heading id {}",
                    h.id
                );
                assert!(
                    html.contains(&format!("class=\"anchor\" href=\"#{}\"", h.id)),
                    "{url}: anchor {}",
                    h.id
                );
            }
            let sections = t.headings.iter().filter(|h| h.level == 2).count();
            assert_eq!(
                html.contains("class=\"toc\""),
                sections >= 4,
                "{url}: a table of contents iff 4+ sections"
            );
            assert!(
                !html.contains("name=\"robots\" content=\"noindex\""),
                "{url}: articles are indexed"
            );
        }
    }
}

/// Escapes text the way askama does, for comparing with rendered pages.
fn escape(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

#[tokio::test]
async fn home_pages_list_every_article_under_the_paste_box() {
    let build = build_ref();
    for lang in Lang::ALL {
        let res = get(&format!("/{lang}/")).await;
        assert_eq!(res.status, StatusCode::OK);
        let html = res.text();
        assert!(html.contains(&format!("<html lang=\"{lang}\"")));
        let form = html
            .find(&format!(
                "<form class=\"paste\" method=\"post\" action=\"/{lang}/identify\""
            ))
            .expect("the paste box posts to the identify page");
        assert!(
            html.contains("name=\"text\""),
            "the form field is called text"
        );
        for article in build.library.articles() {
            let link = format!("<a href=\"/{lang}/{}\">", article.slug);
            let at = html
                .find(&link)
                .unwrap_or_else(|| panic!("/{lang}/ lists {}", article.slug));
            assert!(at > form, "articles come after the paste box");
            assert!(
                html.contains(&escape(&article.in_lang(lang).summary)),
                "summary of {}",
                article.slug
            );
        }
        let ui = lang.ui();
        let mail = html
            .find(&format!(">{}</h2>", ui.mail_errors))
            .expect("a mail group");
        let web = html
            .find(&format!(">{}</h2>", ui.web_errors))
            .expect("a web group");
        assert!(mail < web, "mail first, then web");
        assert!(html.contains(&format!(
            "class=\"lang-switch\" href=\"/{}/\"",
            lang.other()
        )));
    }
}

#[tokio::test]
async fn the_contact_page_shows_the_configured_channels() {
    let config = custom_config();
    for lang in Lang::ALL {
        let res = send(
            custom_app(),
            axum::http::Request::get(format!("/{lang}/contact"))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK);
        let html = res.text();
        let ui = lang.ui();
        assert!(html.contains(&format!("<h1>{}</h1>", ui.contact_title)));
        for item in ui.contact_items {
            assert!(html.contains(&escape(item)), "what to include: {item}");
        }
        assert!(html.contains(&format!("href=\"{}\"", config.contact_form_url)));
        assert!(html.contains(&format!("href=\"mailto:{}\"", config.contact_email)));
        assert!(html.contains("href=\"tel:+48123456789\""));
        assert!(html.contains(&config.contact_phone));
        assert!(html.contains(config.contact_hours(lang)));
        assert!(html.contains(&format!(
            "<link rel=\"canonical\" href=\"https://pomoc.example.net/{lang}/contact\">"
        )));
    }
}

#[tokio::test]
async fn the_default_contact_page_uses_the_documented_defaults() {
    let html = get("/pl/contact").await.text();
    assert!(html.contains("https://www.example.pl/pomoc/zgloszenie"));
    assert!(html.contains("pomoc@example.pl"));
    assert!(html.contains("+48 22 000 00 00"));
}

#[tokio::test]
async fn the_paste_box_and_search_pages_exist_in_both_languages() {
    for lang in Lang::ALL {
        let form = get(&format!("/{lang}/identify")).await;
        assert_eq!(form.status, StatusCode::OK);
        let html = form.text();
        assert!(html.contains(&format!("<h1>{}</h1>", lang.ui().identify_title)));
        assert!(html.contains("<textarea id=\"paste-text\" name=\"text\""));

        let search = get(&format!("/{lang}/search")).await;
        assert_eq!(search.status, StatusCode::OK);
        let html = search.text();
        assert!(html.contains(&format!("<h1>{}</h1>", lang.ui().search_title)));
        assert!(
            html.contains(&format!("href=\"/{lang}/http-403\"")),
            "the empty search lists the articles"
        );
    }
}

#[tokio::test]
async fn pages_link_only_to_fingerprinted_assets() {
    let html = get("/pl/").await.text();
    let assets: Vec<_> = attr_values(&html, "href")
        .into_iter()
        .chain(attr_values(&html, "src"))
        .filter(|v| v.starts_with("/static/"))
        .collect();
    assert_eq!(assets.len(), 3, "{assets:?}");
    for asset in assets {
        let name = asset.rsplit('/').next().unwrap();
        let parts: Vec<_> = name.split('.').collect();
        assert_eq!(parts.len(), 3, "{name} is name.hash.ext");
        assert!(
            parts[1].len() == 10 && parts[1].bytes().all(|b| b.is_ascii_hexdigit()),
            "{name}"
        );
        assert_eq!(get(asset).await.status, StatusCode::OK, "{asset}");
    }
    assert!(!html.contains("<script>"), "no inline script");
    assert!(!html.contains(" style=\""), "no inline style");
}

#[tokio::test]
async fn healthz_answers_ok() {
    let res = get("/healthz").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.text(), "ok");
}
