//! `--content DIR`: an edited article is served after the change, and a
//! broken edit keeps the last good version (issue 2).

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use diagnoza::config::Config;
use diagnoza::lang::Lang;
use diagnoza::reload;

fn copy_content(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for lang in ["pl", "en"] {
        std::fs::create_dir_all(to.join(lang)).unwrap();
        for entry in std::fs::read_dir(from.join(lang)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, to.join(lang).join(path.file_name().unwrap())).unwrap();
        }
    }
}

fn title(shared: &diagnoza::Shared) -> String {
    shared
        .load()
        .library
        .get("http-403")
        .unwrap()
        .in_lang(Lang::Pl)
        .title
        .clone()
}

/// Waits until `cond` holds, failing after a generous time.
fn eventually(what: &str, cond: impl Fn() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting until {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn edits_are_served_and_broken_edits_keep_the_last_good_version() {
    let dir = tempfile::tempdir().unwrap();
    copy_content(dir.path());
    let config = Config::default();
    let build = reload::build_from_dir(dir.path(), &config).expect("the copied content is valid");
    let shared: diagnoza::Shared = Arc::new(ArcSwap::from_pointee(build));
    let _watcher = reload::watch(dir.path().to_path_buf(), config, shared.clone()).unwrap();
    let before = title(&shared);

    let file = dir.path().join("pl/http-403.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen(
        &format!("title = \"{before}\""),
        "title = \"HTTP 403 – tytuł po zmianie\"",
        1,
    );
    assert_ne!(edited, text, "the test found the title line");
    std::fs::write(&file, &edited).unwrap();
    eventually("the new title is served", || {
        title(&shared) == "HTTP 403 – tytuł po zmianie"
    });
    let build = shared.load();
    let page = build
        .site
        .page("/pl/http-403")
        .expect("the article page exists");
    let html = String::from_utf8_lossy(page.body(diagnoza::site::Encoding::Identity));
    assert!(
        html.contains("tytuł po zmianie"),
        "the rendered page changed too"
    );

    // Break the file: the problem is logged and the last good build stays.
    std::fs::write(&file, "no front matter here\n").unwrap();
    // Longer than the watcher's settling time, so a rebuild was tried.
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        title(&shared),
        "HTTP 403 – tytuł po zmianie",
        "a broken edit keeps the last good version"
    );

    // Mending it is picked up again.
    std::fs::write(&file, &text).unwrap();
    eventually("the original title is back", || title(&shared) == before);
}
