//! Every page of the site, rendered once at start-up and kept in memory.
//!
//! [`Site::render`] renders the home pages, the articles, the contact, paste
//! box and search pages, the 404 pages, the sitemap, `robots.txt` and the
//! assets; compresses each with brotli and gzip; and precomputes every
//! response header (type, length, ETag, caching, security). Serving a page is
//! then a map look-up and a header-map clone; [`export`] writes the same
//! bytes to disk for nginx or a CDN.

pub mod assets;
pub mod export;
pub mod views;

use std::collections::HashMap;
use std::io::Write;

use askama::Template;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, ETAG, VARY,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use bytes::Bytes;
use xxhash_rust::xxh3::{Xxh3Builder, xxh3_64};

use crate::config::Config;
use crate::content::Library;
use crate::lang::Lang;
use assets::ASSETS;
use views::{
    ArticlePage, ContactPage, HomePage, IdentifyPage, NotFoundPage, Outcome, SearchPage, Sitemap,
    SitemapUrl,
};

/// `Cache-Control` of pages: short enough that an edited article shows up
/// within minutes, with a day of stale-while-revalidate so a CDN never waits.
pub const PAGE_CACHE: &str = "public, max-age=300, stale-while-revalidate=86400";
/// `Cache-Control` of fingerprinted assets: a new file gets a new name.
pub const ASSET_CACHE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of 404 pages: short, as the page may be written soon.
pub const NOT_FOUND_CACHE: &str = "public, max-age=60";
/// `Cache-Control` of everything made for one request (API, results, search).
pub const NO_STORE: &str = "no-store";

/// The brotli quality of pre-compressed pages.
///
/// Measured on this site's pages (release build, one core of this 2-core
/// machine): quality 6 compresses them at about 25 MB/s, and its output is
/// within 0.2% of quality 9's, which is about 20 times slower (1–2 MB/s,
/// ~0.4 s of start-up for the whole site). Qualities 10 and 11 would save
/// another 11–14% but run at 0.7–1.7 MB/s, far past the budget of 150 ms
/// from start-up to the first answered request. With 6, that takes about
/// 40 ms (median of 15 starts, `diagnoza serve` to the first 200).
pub const BROTLI_QUALITY: i32 = 6;
/// The brotli window: 1 MiB, larger than any page, so a bigger one gains nothing.
const BROTLI_WINDOW: i32 = 20;
/// The gzip level: the best, as level 9 costs about 4 ms for the whole site.
pub const GZIP_LEVEL: u32 = 9;

/// A way a body is encoded; also an index into [`Page`]'s arrays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Identity = 0,
    Brotli = 1,
    Gzip = 2,
}

impl Encoding {
    pub const ALL: [Encoding; 3] = [Encoding::Identity, Encoding::Brotli, Encoding::Gzip];

    /// Returns the `Content-Encoding` value, `None` for identity.
    pub fn header(self) -> Option<&'static str> {
        match self {
            Encoding::Identity => None,
            Encoding::Brotli => Some("br"),
            Encoding::Gzip => Some("gzip"),
        }
    }

    /// Returns the suffix of the file holding this encoding in an export,
    /// as nginx's `gzip_static` and `brotli_static` expect.
    pub fn file_suffix(self) -> &'static str {
        match self {
            Encoding::Identity => "",
            Encoding::Brotli => ".br",
            Encoding::Gzip => ".gz",
        }
    }
}

/// One pre-rendered response, in every encoding.
pub struct Page {
    pub status: StatusCode,
    bodies: [Bytes; 3],
    headers: [HeaderMap; 3],
    not_modified: [HeaderMap; 3],
    etags: [HeaderValue; 3],
}

impl Page {
    /// Returns the body in one encoding.
    pub fn body(&self, encoding: Encoding) -> &Bytes {
        &self.bodies[encoding as usize]
    }

    /// Returns every header of a full response in one encoding.
    pub fn headers(&self, encoding: Encoding) -> &HeaderMap {
        &self.headers[encoding as usize]
    }

    /// Returns the headers of a 304 answer in one encoding.
    pub fn not_modified(&self, encoding: Encoding) -> &HeaderMap {
        &self.not_modified[encoding as usize]
    }

    /// Returns the strong ETag of one encoding (quoted).
    pub fn etag(&self, encoding: Encoding) -> &HeaderValue {
        &self.etags[encoding as usize]
    }
}

/// Every pre-rendered page of one build, by URL path.
pub struct Site {
    pages: HashMap<String, Page, Xxh3Builder>,
    not_found: [Page; 2],
    /// The security headers every response carries (see [`crate::web::headers`]).
    pub security: HeaderMap,
    pub base_url: String,
}

/// A page rendered but not yet compressed.
struct Source {
    path: String,
    status: StatusCode,
    content_type: &'static str,
    cache: &'static str,
    body: Vec<u8>,
}

const HTML: &str = "text/html; charset=utf-8";

impl Site {
    /// Renders, compresses and indexes every page.
    pub fn render(library: &Library, config: &Config) -> Result<Site, askama::Error> {
        let mut sources = Vec::new();
        let mut add = |path: String, content_type, cache, body: Vec<u8>| {
            sources.push(Source {
                path,
                status: StatusCode::OK,
                content_type,
                cache,
                body,
            });
        };
        for lang in Lang::ALL {
            add(
                format!("/{lang}/"),
                HTML,
                PAGE_CACHE,
                HomePage::new(library, lang, config).render()?.into_bytes(),
            );
            add(
                format!("/{lang}/contact"),
                HTML,
                PAGE_CACHE,
                ContactPage::new(lang, config).render()?.into_bytes(),
            );
            add(
                format!("/{lang}/identify"),
                HTML,
                PAGE_CACHE,
                IdentifyPage::new(lang, Outcome::Form, "", &config.base_url)
                    .render()?
                    .into_bytes(),
            );
            add(
                format!("/{lang}/search"),
                HTML,
                PAGE_CACHE,
                SearchPage::empty(library, lang, &config.base_url)
                    .render()?
                    .into_bytes(),
            );
            for article in library.articles() {
                add(
                    article.url(lang),
                    HTML,
                    PAGE_CACHE,
                    ArticlePage::new(library, article, lang, config)
                        .render()?
                        .into_bytes(),
                );
            }
        }
        add(
            "/sitemap.xml".into(),
            "application/xml; charset=utf-8",
            PAGE_CACHE,
            sitemap(library, config)?.into_bytes(),
        );
        add(
            "/robots.txt".into(),
            "text/plain; charset=utf-8",
            PAGE_CACHE,
            robots(config).into_bytes(),
        );
        for asset in &ASSETS.files {
            add(
                asset.path.clone(),
                asset.content_type,
                ASSET_CACHE,
                asset.bytes.to_vec(),
            );
        }
        for lang in Lang::ALL {
            sources.push(Source {
                path: not_found_path(lang),
                status: StatusCode::NOT_FOUND,
                content_type: HTML,
                cache: NOT_FOUND_CACHE,
                body: NotFoundPage::new(library, lang).render()?.into_bytes(),
            });
        }

        let rendered_at = std::time::Instant::now();
        let bytes: usize = sources.iter().map(|s| s.body.len()).sum();
        let security = crate::web::headers::security(config.hsts);
        let mut pages: HashMap<String, Page, Xxh3Builder> = compress_all(sources)
            .into_iter()
            .map(|(source, compressed)| {
                let page = build_page(&source, compressed, &security);
                (source.path, page)
            })
            .collect_with_hasher();
        let mut take_404 = |lang| {
            pages
                .remove(&not_found_path(lang))
                .expect("a 404 page is rendered for every language")
        };
        let not_found = [take_404(Lang::Pl), take_404(Lang::En)];
        tracing::debug!(
            pages = pages.len() + 2,
            bytes,
            compress_ms = rendered_at.elapsed().as_millis() as u64,
            "pages rendered and compressed"
        );
        Ok(Site {
            pages,
            not_found,
            security,
            base_url: config.base_url.clone(),
        })
    }

    /// Finds the page at a URL path (`/pl/http-403`), exactly as requested.
    pub fn page(&self, path: &str) -> Option<&Page> {
        self.pages.get(path)
    }

    /// Returns the 404 page of one language.
    pub fn not_found(&self, lang: Lang) -> &Page {
        &self.not_found[lang.index()]
    }

    /// Returns every page with its URL path, sorted by path.
    pub fn pages(&self) -> Vec<(&str, &Page)> {
        let mut all: Vec<_> = self
            .pages
            .iter()
            .map(|(p, page)| (p.as_str(), page))
            .collect();
        all.sort_unstable_by_key(|(p, _)| *p);
        all
    }
}

/// A key no request can have (no leading slash), for the 404 pages while
/// they are compressed with the rest.
fn not_found_path(lang: Lang) -> String {
    format!("404.{lang}")
}

trait CollectWithHasher<K, V> {
    fn collect_with_hasher(self) -> HashMap<K, V, Xxh3Builder>;
}

impl<K: std::hash::Hash + Eq, V, I: Iterator<Item = (K, V)>> CollectWithHasher<K, V> for I {
    fn collect_with_hasher(self) -> HashMap<K, V, Xxh3Builder> {
        let mut map = HashMap::with_hasher(Xxh3Builder::new());
        map.extend(self);
        map
    }
}

/// Compresses every body with brotli and gzip, spread over the cores.
///
/// The biggest bodies are dealt out first, round-robin, so the threads end
/// at about the same time.
fn compress_all(sources: Vec<Source>) -> Vec<(Source, [Vec<u8>; 2])> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let mut order: Vec<usize> = (0..sources.len()).collect();
    order.sort_unstable_by_key(|&i| std::cmp::Reverse(sources[i].body.len()));
    let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); threads];
    for (n, i) in order.into_iter().enumerate() {
        buckets[n % threads].push(i);
    }
    let mut compressed: Vec<Option<[Vec<u8>; 2]>> = (0..sources.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = buckets
            .into_iter()
            .map(|bucket| {
                let sources = &sources;
                scope.spawn(move || {
                    bucket
                        .into_iter()
                        .map(|i| (i, [brotli(&sources[i].body), gzip(&sources[i].body)]))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            // A panic in a compressor is a bug in it; let it surface.
            for (i, c) in handle.join().expect("compression thread") {
                compressed[i] = Some(c);
            }
        }
    });
    sources
        .into_iter()
        .zip(compressed)
        .map(|(s, c)| (s, c.expect("every body is compressed")))
        .collect()
}

fn brotli(body: &[u8]) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY,
        lgwin: BROTLI_WINDOW,
        size_hint: body.len(),
        ..Default::default()
    };
    let mut out = Vec::with_capacity(body.len() / 3);
    // Writing to a Vec cannot fail.
    brotli::BrotliCompress(&mut &body[..], &mut out, &params).expect("brotli into memory");
    out
}

fn gzip(body: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 3),
        flate2::Compression::new(GZIP_LEVEL),
    );
    // Writing to a Vec cannot fail.
    encoder.write_all(body).expect("gzip into memory");
    encoder.finish().expect("gzip into memory")
}

fn build_page(source: &Source, [br, gz]: [Vec<u8>; 2], security: &HeaderMap) -> Page {
    let hash = xxh3_64(&source.body);
    let bodies = [
        Bytes::from(source.body.clone()),
        Bytes::from(br),
        Bytes::from(gz),
    ];
    let etags = Encoding::ALL.map(|e| {
        let suffix = match e {
            Encoding::Identity => "",
            Encoding::Brotli => "-br",
            Encoding::Gzip => "-gz",
        };
        HeaderValue::from_str(&format!("\"{hash:016x}{suffix}\""))
            .expect("hex is a valid header value")
    });
    let common = |e: Encoding| {
        let mut h = HeaderMap::with_capacity(16);
        h.insert(CACHE_CONTROL, HeaderValue::from_static(source.cache));
        h.insert(VARY, HeaderValue::from_static("Accept-Encoding"));
        h.insert(CONTENT_LENGTH, HeaderValue::from(bodies[e as usize].len()));
        if source.status == StatusCode::OK {
            h.insert(ETAG, etags[e as usize].clone());
        }
        for (name, value) in security {
            h.insert(name.clone(), value.clone());
        }
        h
    };
    let headers = Encoding::ALL.map(|e| {
        let mut h = common(e);
        h.insert(CONTENT_TYPE, HeaderValue::from_static(source.content_type));
        if let Some(coding) = e.header() {
            h.insert(CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        h
    });
    // RFC 9110 §15.4.5: a 304 may carry the length the 200 would have had.
    let not_modified = Encoding::ALL.map(common);
    Page {
        status: source.status,
        bodies,
        headers,
        not_modified,
        etags,
    }
}

fn sitemap(library: &Library, config: &Config) -> Result<String, askama::Error> {
    let mut urls = Vec::new();
    let both = |path: &str| {
        (
            config.absolute(&format!("/pl{path}")),
            config.absolute(&format!("/en{path}")),
        )
    };
    for lang in Lang::ALL {
        let (pl, en) = both("/");
        let lastmod = library
            .articles()
            .iter()
            .map(|a| a.in_lang(lang).updated_iso())
            .max()
            .unwrap_or_default();
        urls.push(SitemapUrl {
            loc: config.absolute(&format!("/{lang}/")),
            lastmod,
            pl,
            en,
        });
    }
    for article in library.articles() {
        for lang in Lang::ALL {
            let (pl, en) = both(&format!("/{}", article.slug));
            urls.push(SitemapUrl {
                loc: config.absolute(&article.url(lang)),
                lastmod: article.in_lang(lang).updated_iso(),
                pl,
                en,
            });
        }
    }
    Sitemap { urls }.render()
}

fn robots(config: &Config) -> String {
    let mut out = String::from("User-agent: *\nDisallow: /api/\n");
    for lang in Lang::ALL {
        out.push_str(&format!(
            "Disallow: /{lang}/identify\nDisallow: /{lang}/search\n"
        ));
    }
    out.push_str(&format!("\nSitemap: {}\n", config.absolute("/sitemap.xml")));
    out
}
