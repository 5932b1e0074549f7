//! diagnoza: a help centre for bounced mail and website errors.
//!
//! Everything is built once at start-up and then only looked up: articles are
//! rendered and compressed, the classifier's matchers are compiled, the search
//! index is filled. A request is a map look-up or one call into the classifier.
//!
//! # Module map
//!
//! | module | what lives there |
//! |---|---|
//! | [`lang`] | the two languages, language negotiation, and every UI string in both |
//! | [`content`] | articles: reading `content/`, front matter, Markdown to HTML, heading anchors, validation (`diagnoza check`) |
//! | [`identify`] | the classifier: pure Rust, no web types; MIME and DSN parsing, SMTP/HTTP code tables, bounce reasons, facts |
//! | [`answer`] | turns findings into what people read: the JSON of `/api/identify` and `diagnoza identify`, with article titles and URLs |
//! | [`search`] | the full-text index (tantivy) over the articles: folding analyzer, fuzzy queries, snippets |
//! | [`site`] | every page rendered at start-up (askama views in [`site::views`]), compressed, with ETags; fingerprinted assets; the static export |
//! | [`web`] | the router (every route in [`web::router`]), thin handlers, caching and security headers, limits, the error type; the accept loop (one thread per core), its deadlines and graceful shutdown in [`web::serve`] |
//! | [`config`] | settings shared by the CLI and the server (contact details, limits, HSTS, proxies) |
//! | [`reload`] | `--content DIR`: rebuilding everything when a file changes, keeping the last good build |
//!
//! The binary (`src/main.rs`) only parses the command line, sets up logging,
//! signals and the allocator, and calls into these.

pub mod answer;
pub mod config;
pub mod content;
pub mod identify;
pub mod lang;
pub mod reload;
pub mod search;
pub mod site;
pub mod web;

use std::sync::Arc;

/// Everything a request needs, built from one version of the content.
///
/// Rebuilt as a whole when the content changes (`--content DIR`), so the
/// pages, the search index and the classifier always agree.
pub struct Build {
    pub library: content::Library,
    pub classifier: identify::Classifier,
    pub search: search::Index,
    pub site: site::Site,
}

impl Build {
    /// Builds everything from a set of content files.
    pub fn new(
        files: &[content::SourceFile],
        config: &config::Config,
    ) -> Result<Self, content::Problems> {
        let library = content::Library::from_files(files)?;
        let classifier = identify::Classifier::new(&library.rules());
        let search = search::Index::new(&library).map_err(|e| {
            content::Problems::one(content::Problem::general(format!(
                "cannot build the search index: {e}"
            )))
        })?;
        let site = site::Site::render(&library, config).map_err(|e| {
            content::Problems::one(content::Problem::general(format!(
                "cannot render the pages: {e}"
            )))
        })?;
        Ok(Build {
            library,
            classifier,
            search,
            site,
        })
    }

    /// Builds everything from the content embedded in the binary.
    pub fn embedded(config: &config::Config) -> Result<Self, content::Problems> {
        Self::new(&content::embedded_files(), config)
    }
}

/// The shared, swappable state of a running server.
pub type Shared = Arc<arc_swap::ArcSwap<Build>>;

pub use web::router::app;
