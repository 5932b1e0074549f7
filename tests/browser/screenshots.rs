//! The README's screenshots: the home page, an article and a result page,
//! in Polish, at desktop and phone width, written to docs/screenshots/.
//!
//! Ignored in `cargo test`; `scripts/screenshots` runs it.

use std::path::PathBuf;

use base64::Engine as _;
use serde_json::json;

use crate::harness::{Browser, Options, RELAY_BOUNCE, with_browser};

/// The public address shown on the pages, instead of the test's random port.
const PUBLIC_URL: &str = "https://pomoc.example.pl";

/// A screen: name, width and height in CSS pixels, pixel ratio, and the
/// tallest part of a page to show.
struct Screen {
    name: &'static str,
    width: u32,
    height: u32,
    scale: f64,
    mobile: bool,
    max_height: u32,
}

const SCREENS: [Screen; 2] = [
    Screen {
        name: "desktop",
        width: 1280,
        height: 900,
        scale: 1.0,
        mobile: false,
        max_height: 1100,
    },
    Screen {
        name: "phone",
        width: 375,
        height: 812,
        scale: 2.0,
        mobile: true,
        max_height: 1400,
    },
];

fn folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots")
}

/// Captures the top of the current page, up to the screen's `max_height`.
async fn capture(b: &Browser, screen: &Screen, name: &str) {
    // Fonts loaded and layout done before the picture.
    b.until(
        "the page to settle",
        "return document.readyState === 'complete' && document.fonts.status === 'loaded';",
    )
    .await;
    let height = b
        .js("return document.documentElement.scrollHeight;", vec![])
        .await
        .as_u64()
        .expect("a page height");
    let height = height.min(u64::from(screen.max_height));
    let shot = b
        .cdp(
            "Page.captureScreenshot",
            json!({
                "format": "png",
                "captureBeyondViewport": true,
                "clip": { "x": 0, "y": 0, "width": screen.width, "height": height, "scale": 1 },
            }),
        )
        .await;
    let png = base64::engine::general_purpose::STANDARD
        .decode(shot["data"].as_str().expect("image data"))
        .expect("base64 image data");
    let path = folder().join(format!("{name}-{}.png", screen.name));
    std::fs::write(&path, png).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    println!("wrote {}", path.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "writes docs/screenshots/; run scripts/screenshots"]
async fn screenshots() {
    std::fs::create_dir_all(folder()).expect("docs/screenshots can be made");
    let options = Options {
        public_url: Some(PUBLIC_URL),
        ..Options::default()
    };
    with_browser(options, |b| async move {
        b.emulate_media("", &[("prefers-color-scheme", "light")])
            .await;
        for screen in &SCREENS {
            b.cdp(
                "Emulation.setDeviceMetricsOverride",
                json!({
                    "width": screen.width,
                    "height": screen.height,
                    "deviceScaleFactor": screen.scale,
                    "mobile": screen.mobile,
                }),
            )
            .await;

            b.open("/pl/").await;
            capture(&b, screen, "home").await;

            b.open("/pl/554-5-7-1-relay-access-denied").await;
            capture(&b, screen, "article").await;

            b.open("/pl/identify").await;
            b.fill_paste_box(RELAY_BOUNCE).await;
            b.submit_paste().await;
            b.element("#result .finding .copy-link").await;
            b.js(
                "document.activeElement.blur(); window.scrollTo(0, 0);",
                vec![],
            )
            .await;
            capture(&b, screen, "result").await;
        }
    })
    .await;
}
