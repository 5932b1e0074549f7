//! axe-core on every kind of page, in both languages and both colour
//! schemes: no serious or critical violation.
//!
//! axe-core comes from npm (`npm ci` installs the version locked in
//! package-lock.json into node_modules/) and is injected into each page
//! with WebDriver's execute, which the Content-Security-Policy does not
//! govern.

use std::sync::LazyLock;

use serde_json::{Value, json};

use crate::harness::{AXE, Browser, Options, RELAY_BOUNCE, with_browser};

/// The axe-core script, read once.
static AXE_SOURCE: LazyLock<String> = LazyLock::new(|| {
    std::fs::read_to_string(AXE).unwrap_or_else(|e| panic!("cannot read {AXE}: {e} (npm ci)"))
});

/// How to reach a kind of page.
enum Visit {
    /// Open a path.
    Open(String),
    /// Paste a text on the identify page and wait for the result.
    Paste(&'static str),
    /// Paste a text over the limit.
    PasteTooMuch,
    /// Type into the header's search box and wait for the suggestions.
    Suggest(&'static str),
}

/// Every kind of page, in one language.
fn kinds(lang: &str) -> Vec<(&'static str, Visit)> {
    let open = |path: &str| Visit::Open(format!("/{lang}{path}"));
    vec![
        ("home", open("/")),
        ("article", open("/554-5-7-1-relay-access-denied")),
        ("web article", open("/http-503")),
        ("overview 554 5.7.1", open("/554-5-7-1")),
        ("paste box", open("/identify")),
        ("result", Visit::Paste(RELAY_BOUNCE)),
        (
            "result with several findings",
            Visit::Paste(
                "HTTP/1.1 403 Forbidden\n\n554 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using zen.spamhaus.org",
            ),
        ),
        (
            "no result",
            Visit::Paste("Dzień dobry, wszystko działa. Hello."),
        ),
        ("too large", Visit::PasteTooMuch),
        ("search", open("/search")),
        ("search with results", open("/search?q=relay")),
        ("search without results", open("/search?q=qqqzzzqqq")),
        ("search suggestions", Visit::Suggest("dnsbl")),
        ("contact", open("/contact")),
        ("404", open("/no-such-page-here")),
    ]
}

/// Opens a kind of page in a language.
async fn visit(b: &Browser, lang: &str, how: &Visit) {
    match how {
        Visit::Open(path) => b.open(path).await,
        Visit::Paste(text) => {
            b.open(&format!("/{lang}/identify")).await;
            b.fill_paste_box(text).await;
            b.submit_paste().await;
            b.until(
                "the result",
                "var r = document.getElementById('result');
                 return r && r.children.length > 0;",
            )
            .await;
        }
        Visit::PasteTooMuch => {
            b.open(&format!("/{lang}/identify")).await;
            b.fill_paste_box(&"x".repeat(1024 * 1024 + 1)).await;
            b.submit_paste().await;
            b.element("#result [role=alert]").await;
        }
        Visit::Suggest(words) => {
            b.open(&format!("/{lang}/")).await;
            b.element("#site-search-q")
                .await
                .send_keys(words)
                .await
                .expect("the box takes text");
            b.until(
                "suggestions",
                "return !document.getElementById('site-search-results').hidden;",
            )
            .await;
        }
    }
}

/// Runs axe-core on the current page and returns its violations.
async fn axe(b: &Browser) -> Vec<Value> {
    b.js(&AXE_SOURCE, vec![]).await;
    let result = b
        .js_async(
            "var done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then(function (r) {
                 done(r.violations.map(function (v) {
                     return { id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                              nodes: v.nodes.map(function (n) {
                                  return { target: n.target, html: n.html.slice(0, 300),
                                           why: n.failureSummary };
                              }) };
                 }));
             }, function (e) { done({ error: String(e) }); });",
            vec![],
        )
        .await;
    match result {
        Value::Array(violations) => violations,
        other => panic!("axe-core did not run: {other}"),
    }
}

/// Audits every kind of page in one language and colour scheme.
async fn audit(lang: &'static str, scheme: &'static str) {
    with_browser(Options::axe(), move |b| async move {
        b.emulate_media("", &[("prefers-color-scheme", scheme)])
            .await;
        let mut serious = Vec::new();
        let mut lesser = Vec::new();
        for (kind, how) in kinds(lang) {
            visit(&b, lang, &how).await;
            let page = b.location().await;
            for v in axe(&b).await {
                let entry = json!({ "page": kind, "url": page, "violation": v });
                match v["impact"].as_str() {
                    Some("serious" | "critical") => serious.push(entry),
                    _ => lesser.push(entry),
                }
            }
        }
        for entry in &lesser {
            println!(
                "axe, {lang}, {scheme}, {}: {} ({}): {}",
                entry["page"],
                entry["violation"]["id"],
                entry["violation"]["impact"],
                entry["violation"]["help"]
            );
        }
        assert!(
            serious.is_empty(),
            "axe-core found {} serious or critical violations ({lang}, {scheme} scheme):\n{}",
            serious.len(),
            report(&serious)
        );
    })
    .await;
}

/// Writes violations as a readable list: page, rule, impact, help, nodes.
fn report(entries: &[Value]) -> String {
    let mut out = String::new();
    for e in entries {
        let v = &e["violation"];
        out.push_str(&format!(
            "\n{} ({}): {} [{}] {}\n  {}\n",
            e["page"].as_str().unwrap_or(""),
            e["url"].as_str().unwrap_or(""),
            v["id"].as_str().unwrap_or(""),
            v["impact"].as_str().unwrap_or(""),
            v["help"].as_str().unwrap_or(""),
            v["helpUrl"].as_str().unwrap_or(""),
        ));
        for n in v["nodes"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "  - {}: {}\n    {}\n",
                n["target"],
                n["html"].as_str().unwrap_or(""),
                n["why"].as_str().unwrap_or("").replace('\n', "\n    ")
            ));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_serious_violations_in_polish_light() {
    audit("pl", "light").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_serious_violations_in_polish_dark() {
    audit("pl", "dark").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_serious_violations_in_english_light() {
    audit("en", "light").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_serious_violations_in_english_dark() {
    audit("en", "dark").await;
}
