//! The one error type of the web layer.
//!
//! An [`Error`] decides the status, what is logged, and what the person
//! sees: the API gets one JSON envelope for every 4xx and 5xx,
//!
//! ```json
//! {"error": {"status": 415, "code": "unsupported_media_type", "message": "..."}}
//! ```
//!
//! and the site gets an HTML page in its own style and language. Messages say
//! what was wrong and how to fix it. Logs get the status and the code, never
//! the request's text; internal details are logged and never shown.

use std::borrow::Cow;
use std::fmt::Display;

use askama::Template;
use axum::body::Body;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::config::human_size;
use crate::lang::Lang;
use crate::site::NO_STORE;
use crate::site::views::ErrorPage;

/// Who reads the error: a program (JSON) or a person (an HTML page).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Surface {
    Api,
    Page(Lang),
}

impl Surface {
    /// Returns the surface a URL path belongs to: `/api/...` is the API,
    /// `/en/...` English pages, anything else Polish pages.
    pub fn of_path(path: &str) -> Surface {
        if path == "/api" || path.starts_with("/api/") {
            Surface::Api
        } else {
            Surface::Page(lang_of_path(path).unwrap_or(Lang::Pl))
        }
    }
}

/// Returns the language of a URL path from its first segment.
pub fn lang_of_path(path: &str) -> Option<Lang> {
    let first = path.strip_prefix('/')?.split('/').next()?;
    Lang::from_code(first)
}

/// An error answered to a request.
#[derive(Debug)]
pub struct Error {
    status: StatusCode,
    code: &'static str,
    message: Cow<'static, str>,
    surface: Surface,
    retry_after: Option<u64>,
    /// What went wrong inside, for the log only.
    internal: Option<String>,
}

impl Error {
    fn new(
        surface: Surface,
        status: StatusCode,
        code: &'static str,
        message: impl Into<Cow<'static, str>>,
    ) -> Error {
        Error {
            status,
            code,
            message: message.into(),
            surface,
            retry_after: None,
            internal: None,
        }
    }

    /// The body is not JSON at all.
    pub fn invalid_json(detail: impl Display) -> Error {
        Error::new(
            Surface::Api,
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!(
                "the body is not valid JSON ({}); send an object such as {{\"text\": \"554 5.7.1 ...\"}}",
                short(detail)
            ),
        )
    }

    /// The JSON has the field with a value of the wrong type.
    pub fn wrong_type(detail: impl Display) -> Error {
        Error::new(
            Surface::Api,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            format!(
                "the JSON does not have the expected shape ({}); \"text\" must be a string holding the pasted message",
                short(detail)
            ),
        )
    }

    /// The JSON lacks the `text` field.
    pub fn missing_field(field: &str) -> Error {
        Error::new(
            Surface::Api,
            StatusCode::UNPROCESSABLE_ENTITY,
            "missing_field",
            format!(
                "the JSON object has no \"{field}\" field; send {{\"{field}\": \"...\"}} with the pasted message"
            ),
        )
    }

    /// The body is not UTF-8.
    pub fn invalid_utf8(valid_up_to: usize) -> Error {
        Error::new(
            Surface::Api,
            StatusCode::BAD_REQUEST,
            "invalid_utf8",
            format!(
                "the body is not valid UTF-8 (the first bad byte is at offset {valid_up_to}); convert the text to UTF-8, or send a raw message with Content-Type: message/rfc822"
            ),
        )
    }

    /// A text body has bytes its declared charset does not allow.
    pub fn invalid_charset(charset: &str) -> Error {
        Error::new(
            Surface::Api,
            StatusCode::BAD_REQUEST,
            "invalid_charset",
            format!(
                "the body is not valid {charset}, the charset its Content-Type names; name the charset the text is in, or convert it to UTF-8"
            ),
        )
    }

    /// The body is empty.
    pub fn empty_body() -> Error {
        Error::new(
            Surface::Api,
            StatusCode::BAD_REQUEST,
            "empty_body",
            "the request has no body; send the pasted message as text/plain, or as JSON {\"text\": \"...\"}",
        )
    }

    /// The text to identify is empty or only whitespace.
    pub fn empty_text() -> Error {
        Error::new(
            Surface::Api,
            StatusCode::BAD_REQUEST,
            "empty_text",
            "the text is empty; paste the bounce message or the error page's text",
        )
    }

    /// The body has a content type the endpoint does not read.
    pub fn unsupported_media_type(got: Option<&str>) -> Error {
        let got = match got {
            Some(t) => format!("Content-Type {t} is not accepted"),
            None => "the request has no Content-Type".to_string(),
        };
        Error::new(
            Surface::Api,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!(
                "{got}; send application/json with {{\"text\": \"...\"}}, text/plain (UTF-8, or a charset such as windows-1250 named in Content-Type), or message/rfc822 for a raw message"
            ),
        )
    }

    /// The text is over the paste limit.
    pub fn too_large(limit: usize) -> Error {
        Error::new(
            Surface::Api,
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!(
                "the text is larger than {}; send only the bounce (without attachments) or the part with the error",
                human_size(limit)
            ),
        )
    }

    /// The body is over the hard cap and was not read.
    pub fn body_too_large(surface: Surface, limit: usize) -> Error {
        Error::new(
            surface,
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!(
                "the request body is larger than {} and was not read; send only the bounce or the part with the error",
                human_size(limit)
            ),
        )
    }

    /// The body could not be read (the client went away or sent it broken).
    pub fn unreadable_body(surface: Surface) -> Error {
        Error::new(
            surface,
            StatusCode::BAD_REQUEST,
            "unreadable_body",
            "the request body could not be read; send it again",
        )
    }

    /// A query parameter is missing.
    pub fn missing_query(name: &'static str, example: &'static str) -> Error {
        Error::new(
            Surface::Api,
            StatusCode::BAD_REQUEST,
            "missing_parameter",
            format!("the query parameter \"{name}\" is missing; add it, as in {example}"),
        )
    }

    /// The `lang` parameter names no language of the site.
    pub fn invalid_lang() -> Error {
        Error::new(
            Surface::Api,
            StatusCode::BAD_REQUEST,
            "invalid_lang",
            "the parameter \"lang\" must be pl or en (pl when left out)",
        )
    }

    /// The client sent too many requests; it may retry after some seconds.
    pub fn rate_limited(surface: Surface, retry_after: u64) -> Error {
        Error {
            retry_after: Some(retry_after.max(1)),
            ..Error::new(
                surface,
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!(
                    "too many requests from this address; wait {} s and try again",
                    retry_after.max(1)
                ),
            )
        }
    }

    /// The path exists, the method does not (axum adds `Allow`).
    pub fn method_not_allowed(surface: Surface) -> Error {
        Error::new(
            surface,
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "this method is not allowed here; the Allow header lists the ones that are",
        )
    }

    /// Nothing at this API path.
    pub fn not_found() -> Error {
        Error::new(
            Surface::Api,
            StatusCode::NOT_FOUND,
            "not_found",
            "there is no such endpoint; the API has POST /api/identify and GET /api/search",
        )
    }

    /// Too many requests are being handled; this one is refused, not queued.
    pub fn overloaded(surface: Surface) -> Error {
        Error {
            retry_after: Some(1),
            ..Error::new(
                surface,
                StatusCode::SERVICE_UNAVAILABLE,
                "overloaded",
                "the server is busy; try again in a moment",
            )
        }
    }

    /// The request took longer than the configured timeout.
    pub fn timeout(surface: Surface) -> Error {
        Error::new(
            surface,
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            "the request took too long and was stopped; send it again, with a shorter text if it was large",
        )
    }

    /// A fault of ours; the detail is logged, never shown.
    pub fn internal(surface: Surface, detail: impl Display) -> Error {
        Error {
            internal: Some(detail.to_string()),
            ..Error::new(
                surface,
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "something went wrong on our side; try again in a moment",
            )
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn code(&self) -> &'static str {
        self.code
    }

    /// Returns the heading and text of the HTML page for this error.
    fn page_text(&self, lang: Lang) -> (&'static str, &'static str) {
        let ui = lang.ui();
        match self.status {
            StatusCode::TOO_MANY_REQUESTS => (ui.rate_limited_title, ui.rate_limited_text),
            StatusCode::METHOD_NOT_ALLOWED => {
                (ui.method_not_allowed_title, ui.method_not_allowed_text)
            }
            StatusCode::PAYLOAD_TOO_LARGE => (ui.too_large_title, ui.too_large_dropped),
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::REQUEST_TIMEOUT => {
                (ui.unavailable_title, ui.unavailable_text)
            }
            StatusCode::NOT_FOUND => (ui.not_found_title, ui.not_found_text),
            s if s.is_client_error() => (ui.bad_request_title, ui.bad_request_text),
            _ => (ui.error_title, ui.error_text),
        }
    }
}

/// The longest detail from a parser quoted in a message, in characters.
const DETAIL_CHARS: usize = 160;

/// Returns a parser's message, cut short.
///
/// serde quotes the offending value ("invalid type: string \"...\""), which
/// may be a whole pasted message; the client has it already.
fn short(detail: impl Display) -> String {
    let detail = detail.to_string();
    match detail.char_indices().nth(DETAIL_CHARS) {
        Some((cut, _)) => format!("{}…", &detail[..cut]),
        None => detail,
    }
}

#[derive(Serialize)]
struct Envelope<'a> {
    error: EnvelopeBody<'a>,
}

#[derive(Serialize)]
struct EnvelopeBody<'a> {
    status: u16,
    code: &'a str,
    message: &'a str,
}

/// The `Content-Type` of API answers.
pub const JSON: &str = "application/json";
const HTML: &str = "text/html; charset=utf-8";

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!(
                status = self.status.as_u16(),
                code = self.code,
                internal = self.internal.as_deref(),
                "request failed"
            );
        } else {
            tracing::debug!(
                status = self.status.as_u16(),
                code = self.code,
                "request refused"
            );
        }
        let (content_type, body) = match self.surface {
            Surface::Api => {
                let envelope = Envelope {
                    error: EnvelopeBody {
                        status: self.status.as_u16(),
                        code: self.code,
                        message: &self.message,
                    },
                };
                // Serialising a struct of strings and a number cannot fail.
                (JSON, super::json::to_vec(&envelope).unwrap_or_default())
            }
            Surface::Page(lang) => {
                let (heading, text) = self.page_text(lang);
                let page = ErrorPage::new(lang, heading, text);
                match page.render() {
                    Ok(html) => (HTML, html.into_bytes()),
                    Err(e) => {
                        tracing::error!(error = %e, "error page failed to render");
                        ("text/plain; charset=utf-8", heading.as_bytes().to_vec())
                    }
                }
            }
        };
        let mut res = Response::new(Body::from(body));
        *res.status_mut() = self.status;
        let h = res.headers_mut();
        h.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        h.insert(CACHE_CONTROL, HeaderValue::from_static(NO_STORE));
        if let Some(seconds) = self.retry_after {
            h.insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        res
    }
}

/// Answers a request whose path exists but whose method does not.
///
/// Runs outside the layers for pre-rendered routes, so it adds the security
/// headers itself.
pub async fn method_not_allowed(State(app): State<super::App>, uri: Uri) -> Response {
    app.secure(Error::method_not_allowed(Surface::of_path(uri.path())).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_pick_their_surface() {
        assert_eq!(Surface::of_path("/api/identify"), Surface::Api);
        assert_eq!(Surface::of_path("/api"), Surface::Api);
        assert_eq!(Surface::of_path("/apix"), Surface::Page(Lang::Pl));
        assert_eq!(Surface::of_path("/en/http-403"), Surface::Page(Lang::En));
        assert_eq!(Surface::of_path("/"), Surface::Page(Lang::Pl));
    }

    #[test]
    fn parser_details_are_cut_short() {
        assert_eq!(short("expected value"), "expected value");
        let long = short(format!("invalid type: string \"{}\"", "ż".repeat(1000)));
        assert_eq!(long.chars().count(), DETAIL_CHARS + 1);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn rate_limits_say_when_to_retry() {
        let res = Error::rate_limited(Surface::Api, 0).into_response();
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(res.headers()[RETRY_AFTER], "1");
    }
}
