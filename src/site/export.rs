//! `diagnoza export DIR`: the pre-rendered site as files, for nginx or a CDN.
//!
//! Each page is written under the name nginx finds with
//! `try_files $uri $uri.html $uri/index.html` (`/pl/` → `pl/index.html`,
//! `/pl/http-403` → `pl/http-403.html`, assets and `sitemap.xml` as they
//! are), with its `.br` and `.gz` beside it for `brotli_static` and
//! `gzip_static`. The bytes are the ones the server sends. The 404 pages are
//! `404.pl.html` and `404.en.html`. Pages that need the server (the paste
//! box and search) are left out.

use std::io;
use std::path::{Path, PathBuf};

use super::{Encoding, Site};
use crate::lang::Lang;

/// What an export wrote.
#[derive(Debug, Default)]
pub struct Summary {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
}

/// Returns the file name (relative to the export folder) for a URL path, or
/// `None` for pages that only the server can answer.
pub fn file_for(path: &str) -> Option<String> {
    let rel = path.strip_prefix('/')?;
    let server_only = Lang::ALL
        .iter()
        .any(|l| rel == format!("{l}/identify") || rel == format!("{l}/search"));
    if server_only || rel.split('/').any(|s| s == ".." || s == ".") {
        return None;
    }
    if rel.is_empty() || rel.ends_with('/') {
        return Some(format!("{rel}index.html"));
    }
    let last = rel.rsplit('/').next().unwrap_or(rel);
    if last.contains('.') {
        Some(rel.to_string())
    } else {
        Some(format!("{rel}.html"))
    }
}

/// Writes every exportable page of a site into `dir`, creating it.
pub fn export(site: &Site, dir: &Path) -> io::Result<Summary> {
    let mut summary = Summary::default();
    let mut write = |name: &str, page: &super::Page| -> io::Result<()> {
        for encoding in Encoding::ALL {
            let file: PathBuf = dir.join(format!("{name}{}", encoding.file_suffix()));
            if let Some(parent) = file.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let body = page.body(encoding);
            std::fs::write(&file, body)?;
            summary.files += 1;
            summary.bytes += body.len() as u64;
        }
        summary.pages += 1;
        Ok(())
    };
    for (path, page) in site.pages() {
        if let Some(name) = file_for(path) {
            write(&name, page)?;
        }
    }
    for lang in Lang::ALL {
        write(&format!("404.{lang}.html"), site.not_found(lang))?;
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_try_files() {
        assert_eq!(file_for("/pl/").as_deref(), Some("pl/index.html"));
        assert_eq!(
            file_for("/en/http-403").as_deref(),
            Some("en/http-403.html")
        );
        assert_eq!(file_for("/sitemap.xml").as_deref(), Some("sitemap.xml"));
        assert_eq!(
            file_for("/static/style.0123456789.css").as_deref(),
            Some("static/style.0123456789.css")
        );
        assert_eq!(file_for("/pl/identify"), None);
        assert_eq!(file_for("/en/search"), None);
        assert_eq!(file_for("/../x"), None);
    }
}
