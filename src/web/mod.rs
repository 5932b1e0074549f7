//! The HTTP side: routes, thin handlers, headers, limits and errors.
//!
//! | module | what lives there |
//! |---|---|
//! | [`router`] | every route in one place, and the layers around them |
//! | [`pages`] | pre-rendered pages: encoding, ETag/304, HEAD; redirects; 404 |
//! | [`identify`] | the paste box: the result page and `POST /api/identify` |
//! | [`search`] | the search page and `GET /api/search` |
//! | [`headers`] | security headers and content negotiation, as data |
//! | [`json`] | the API's JSON, with markup characters escaped |
//! | [`limits`] | the per-client rate limit and the capped body reader |
//! | [`error`] | the one error type: JSON envelope for the API, HTML page for people |
//! | [`serve`] | the accept loop: deadlines for slow clients, graceful shutdown |

pub mod error;
pub mod headers;
pub mod identify;
pub mod json;
pub mod limits;
pub mod pages;
pub mod router;
pub mod search;
pub mod serve;

use std::ops::Deref;
use std::sync::Arc;

use axum::http::HeaderMap;
use axum::response::Response;

use crate::Shared;
use crate::config::Config;

/// The state every handler gets: the current build, the settings, the limits.
///
/// One `Arc`, so handing it to a handler costs one reference count.
#[derive(Clone)]
pub struct App(Arc<AppInner>);

pub struct AppInner {
    pub shared: Shared,
    pub config: Config,
    pub limits: limits::RateLimits,
    /// The security headers, for answers made outside the layered routes.
    pub security: HeaderMap,
}

impl App {
    pub fn new(shared: Shared, config: Config) -> App {
        let limits = limits::RateLimits::new(&config);
        let security = headers::security(config.hsts);
        App(Arc::new(AppInner {
            shared,
            config,
            limits,
            security,
        }))
    }

    /// Adds the security headers to an answer made without the layers.
    pub fn secure(&self, mut res: Response) -> Response {
        headers::add_security(res.headers_mut(), &self.security);
        res
    }
}

impl Deref for App {
    type Target = AppInner;

    fn deref(&self) -> &AppInner {
        &self.0
    }
}
