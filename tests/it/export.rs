//! `diagnoza export`: the same bytes, under names nginx finds.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{Method, StatusCode};
use diagnoza::lang::Lang;
use diagnoza::site::export::export;

use crate::common::{app, build_ref, get, request};

/// Finds a URL path's file the way `try_files $uri $uri.html $uri/index.html` does.
fn try_files(root: &Path, path: &str) -> Option<PathBuf> {
    let rel = path.trim_start_matches('/');
    [
        root.join(rel),
        root.join(format!("{rel}.html")),
        root.join(rel).join("index.html"),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

fn exported() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let summary = export(&build_ref().site, dir.path()).expect("the export is written");
    assert!(summary.pages > 40, "{summary:?}");
    assert_eq!(summary.files, summary.pages * 3);
    dir
}

#[tokio::test]
async fn the_export_holds_every_url_of_the_sitemap_and_its_assets() {
    let dir = exported();
    let sitemap =
        std::fs::read_to_string(dir.path().join("sitemap.xml")).expect("sitemap.xml is exported");
    let mut urls = 0;
    for loc in sitemap.split("<loc>").skip(1) {
        let url = loc.split("</loc>").next().unwrap();
        let path = url
            .strip_prefix("http://127.0.0.1:3000")
            .expect("on the base URL");
        assert!(
            try_files(dir.path(), path).is_some(),
            "{path} is not in the export"
        );
        urls += 1;
    }
    assert_eq!(urls, 2 * (build_ref().library.articles().len() + 1));
    for lang in Lang::ALL {
        assert!(try_files(dir.path(), &format!("/{lang}/contact")).is_some());
        assert!(dir.path().join(format!("404.{lang}.html")).is_file());
        // The paste box and search need the server.
        assert!(try_files(dir.path(), &format!("/{lang}/identify")).is_none());
        assert!(try_files(dir.path(), &format!("/{lang}/search")).is_none());
    }
    assert!(dir.path().join("robots.txt").is_file());
    let home = std::fs::read_to_string(dir.path().join("pl/index.html")).unwrap();
    for asset in crate::common::attr_values(&home, "href")
        .into_iter()
        .chain(crate::common::attr_values(&home, "src"))
        .filter(|v| v.starts_with("/static/"))
    {
        assert!(
            try_files(dir.path(), asset).is_some(),
            "{asset} is not in the export"
        );
    }
}

#[tokio::test]
async fn exported_files_are_byte_identical_to_what_the_server_sends() {
    let dir = exported();
    for path in [
        "/pl/554-5-7-1-relay-access-denied",
        "/en/http-503",
        "/en/",
        "/sitemap.xml",
        "/robots.txt",
    ] {
        let file = try_files(dir.path(), path).unwrap_or_else(|| panic!("{path} exported"));
        let on_disk = std::fs::read(&file).unwrap();
        assert_eq!(on_disk, get(path).await.body, "{path}");
        for (accept, suffix) in [("br", "br"), ("gzip", "gz")] {
            let served = request(
                app(),
                Method::GET,
                path,
                &[("accept-encoding", accept)],
                Body::empty(),
            )
            .await;
            let compressed = std::fs::read(format!("{}.{suffix}", file.display())).unwrap();
            assert_eq!(compressed, served.body, "{path}.{suffix}");
        }
    }
    let not_found = std::fs::read(dir.path().join("404.en.html")).unwrap();
    let served = get("/en/nope").await;
    assert_eq!(served.status, StatusCode::NOT_FOUND);
    assert_eq!(not_found, served.body);
}
