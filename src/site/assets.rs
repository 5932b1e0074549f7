//! The stylesheet, the script and the icon, embedded in the binary and
//! served under fingerprinted names (`/static/style.<hash>.css`).
//!
//! A new build of a file gets a new name, so browsers and CDNs may keep
//! every name for a year without ever showing a stale file.

use std::sync::LazyLock;

/// One embedded file of `static/`.
pub struct Asset {
    /// The fingerprinted URL path, such as `/static/style.0123456789.css`.
    pub path: String,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
}

/// The embedded assets and the names the templates link to.
pub struct Assets {
    pub css: String,
    pub js: String,
    pub favicon: String,
    pub files: Vec<Asset>,
}

// `include_bytes!` rather than a directory include: the compiler then
// tracks the files, so editing one rebuilds the binary.
const FILES: [(&str, &str, &[u8]); 3] = [
    (
        "style.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/style.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/app.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("../../static/favicon.svg"),
    ),
];

/// Every asset, fingerprinted once per process.
pub static ASSETS: LazyLock<Assets> = LazyLock::new(|| {
    let files: Vec<Asset> = FILES
        .iter()
        .map(|&(name, content_type, bytes)| Asset {
            path: fingerprinted(name, bytes),
            content_type,
            bytes,
        })
        .collect();
    let path_of = |i: usize| files[i].path.clone();
    Assets {
        css: path_of(0),
        js: path_of(1),
        favicon: path_of(2),
        files,
    }
});

/// Returns `/static/<stem>.<hash>.<ext>`, the hash being the first 10 hex
/// digits of the file's xxh3.
fn fingerprinted(name: &str, bytes: &[u8]) -> String {
    let hash = xxhash_rust::xxh3::xxh3_64(bytes);
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    format!("/static/{stem}.{:010x}.{ext}", hash >> 24)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_content_hash() {
        let a = fingerprinted("style.css", b"a");
        let b = fingerprinted("style.css", b"b");
        assert_ne!(a, b);
        assert!(
            a.starts_with("/static/style.") && a.ends_with(".css"),
            "{a}"
        );
        assert_eq!(a.len(), "/static/style.".len() + 10 + ".css".len());
    }

    #[test]
    fn every_asset_is_named() {
        assert!(ASSETS.css.ends_with(".css"));
        assert!(ASSETS.js.ends_with(".js"));
        assert!(ASSETS.favicon.ends_with(".svg"));
        assert_eq!(ASSETS.files.len(), 3);
    }
}
