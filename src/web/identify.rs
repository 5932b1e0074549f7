//! The paste box: `POST /{lang}/identify` (the result page) and
//! `POST /api/identify` (the JSON of [`crate::answer`]).
//!
//! Both read the body under the hard cap, check the paste limit, classify,
//! and explain. The page gives the text back in every case it can (empty,
//! too large, nothing found), so nothing pasted is lost.

use std::sync::Arc;

use askama::Template;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::App;
use super::error::{Error, JSON, Surface, lang_of_path};
use super::limits::{BodyError, Bucket, read_body};
use crate::Build;
use crate::answer::{self, Answer};
use crate::config::human_size;
use crate::lang::Lang;
use crate::site::NO_STORE;
use crate::site::views::{FindingView, IdentifyPage, Outcome};

/// Texts up to this size are classified on the request's own thread; larger
/// ones go to the blocking pool so they do not stall other requests.
const INLINE_LIMIT: usize = 64 * 1024;

/// The header the script sends to get the result without the page around it.
const FRAGMENT_HEADER: &str = "x-requested-with";

/// `POST /{lang}/identify`: the result page, working without JavaScript.
pub async fn form(State(app): State<App>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let Some(lang) = lang_of_path(parts.uri.path()) else {
        // `/{lang}/identify` with a segment that is no language.
        return super::pages::not_found(State(app), Request::from_parts(parts, body)).await;
    };
    let surface = Surface::Page(lang);
    if let Err(wait) = app.limits.check(Bucket::Identify, &parts) {
        return Error::rate_limited(surface, wait).into_response();
    }
    let reply = Reply {
        lang,
        fragment: parts.headers.contains_key(FRAGMENT_HEADER),
        base_url: app.config.base_url.clone(),
    };
    let limit = app.config.paste_limit;
    let bytes = match read_body(body, &parts.headers, app.config.body_limit()).await {
        Ok(bytes) => bytes,
        Err(BodyError::TooLarge) => {
            let limit = human_size(limit);
            return reply.page(
                Outcome::Dropped { limit },
                "",
                StatusCode::PAYLOAD_TOO_LARGE,
            );
        }
        Err(BodyError::Unreadable) => return Error::unreadable_body(surface).into_response(),
    };
    let text = form_text(&bytes);
    drop(bytes);
    if text.len() > limit {
        let limit = human_size(limit);
        return reply.page(
            Outcome::TooLarge { limit },
            &text,
            StatusCode::PAYLOAD_TOO_LARGE,
        );
    }
    if text.trim().is_empty() {
        return reply.page(Outcome::Empty, &text, StatusCode::BAD_REQUEST);
    }
    let build = app.shared.load_full();
    if text.len() <= INLINE_LIMIT {
        return reply.result(&build, &text);
    }
    match tokio::task::spawn_blocking(move || reply.result(&build, &text)).await {
        Ok(res) => res,
        Err(e) => Error::internal(surface, e).into_response(),
    }
}

/// How to answer one form: in which language, whole page or fragment.
struct Reply {
    lang: Lang,
    /// The script asked for the result alone.
    fragment: bool,
    base_url: String,
}

impl Reply {
    /// Classifies a text and renders the result.
    fn result(&self, build: &Build, text: &str) -> Response {
        let lang = self.lang;
        let findings = build.classifier.classify(text.as_bytes());
        let answer = answer::answer(findings, &build.library, lang);
        let outcome = if answer.findings.is_empty() {
            Outcome::Nothing
        } else {
            Outcome::Found {
                findings: answer
                    .findings
                    .iter()
                    .map(|f| FindingView::new(f, lang, &self.base_url))
                    .collect(),
                lines: answer::pasted_lines(text, &answer.findings),
            }
        };
        self.page(outcome, text, StatusCode::OK)
    }

    /// Renders the identify page, or only its result part for the script.
    fn page(&self, outcome: Outcome<'_>, text: &str, status: StatusCode) -> Response {
        let page = IdentifyPage::new(self.lang, outcome, text, &self.base_url);
        let html = if self.fragment {
            page.into_fragment().render()
        } else {
            page.render()
        };
        html_response(html, status, self.lang)
    }
}

fn html_response(html: Result<String, askama::Error>, status: StatusCode, lang: Lang) -> Response {
    match html {
        Ok(html) => {
            let mut res = Response::new(Body::from(html));
            *res.status_mut() = status;
            let h = res.headers_mut();
            h.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            h.insert(CACHE_CONTROL, HeaderValue::from_static(NO_STORE));
            res
        }
        Err(e) => Error::internal(Surface::Page(lang), e).into_response(),
    }
}

/// Returns the `text` field of a form body (empty when there is none).
///
/// Form bodies are percent-encoded, so any bytes arrive as valid text;
/// invalid UTF-8 in them is replaced rather than refused.
fn form_text(body: &[u8]) -> String {
    form_urlencoded::parse(body)
        .find(|(name, _)| name == "text")
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

/// The JSON body of `POST /api/identify`.
#[derive(Deserialize)]
struct IdentifyRequest {
    text: String,
}

/// How the API body is written, from its `Content-Type`.
enum BodyKind {
    Json,
    /// Text in the charset its `Content-Type` names (UTF-8 when none).
    Text(&'static encoding_rs::Encoding),
    /// A raw message in any encoding, handed to the classifier as bytes.
    Raw,
}

/// `POST /api/identify`: `{"text": "..."}` or the raw text in, the answer out.
pub async fn api(State(app): State<App>, req: Request) -> Response {
    match api_answer(&app, req).await {
        Ok(answer) => json_response(&answer),
        Err(e) => e.into_response(),
    }
}

async fn api_answer(app: &App, req: Request) -> Result<Answer, Error> {
    let (parts, body) = req.into_parts();
    if let Err(wait) = app.limits.check(Bucket::Identify, &parts) {
        return Err(Error::rate_limited(Surface::Api, wait));
    }
    let lang = query_lang(parts.uri.query())?;
    let kind = body_kind(&parts.headers)?;
    let bytes = match read_body(body, &parts.headers, app.config.body_limit()).await {
        Ok(bytes) => bytes,
        Err(BodyError::TooLarge) => {
            return Err(Error::body_too_large(Surface::Api, app.config.body_limit()));
        }
        Err(BodyError::Unreadable) => return Err(Error::unreadable_body(Surface::Api)),
    };
    if bytes.is_empty() {
        return Err(Error::empty_body());
    }
    let text: Bytes = match kind {
        BodyKind::Json => {
            let json =
                std::str::from_utf8(&bytes).map_err(|e| Error::invalid_utf8(e.valid_up_to()))?;
            // serde would also read an object from an array of its fields.
            if json.trim_start().starts_with('[') {
                return Err(Error::wrong_type("expected a JSON object"));
            }
            let request: IdentifyRequest = serde_json::from_slice(&bytes).map_err(json_error)?;
            Bytes::from(request.text)
        }
        BodyKind::Text(encoding) if encoding == encoding_rs::UTF_8 => {
            std::str::from_utf8(&bytes).map_err(|e| Error::invalid_utf8(e.valid_up_to()))?;
            bytes
        }
        BodyKind::Text(encoding) => {
            let (text, malformed) = encoding.decode_without_bom_handling(&bytes);
            if malformed {
                return Err(Error::invalid_charset(encoding.name()));
            }
            Bytes::from(text.into_owned())
        }
        BodyKind::Raw => bytes,
    };
    if text.len() > app.config.paste_limit {
        return Err(Error::too_large(app.config.paste_limit));
    }
    if text.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::empty_text());
    }
    let build = app.shared.load_full();
    if text.len() <= INLINE_LIMIT {
        Ok(classify(&build, &text, lang))
    } else {
        tokio::task::spawn_blocking(move || classify(&build, &text, lang))
            .await
            .map_err(|e| Error::internal(Surface::Api, e))
    }
}

fn classify(build: &Arc<Build>, text: &[u8], lang: Lang) -> Answer {
    answer::answer(build.classifier.classify(text), &build.library, lang)
}

/// Answers with JSON that no cache may keep.
pub fn json_response<T: serde::Serialize>(value: &T) -> Response {
    match super::json::to_vec(value) {
        Ok(body) => {
            let mut res = Response::new(Body::from(body));
            let h = res.headers_mut();
            h.insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
            h.insert(CACHE_CONTROL, HeaderValue::from_static(NO_STORE));
            res
        }
        Err(e) => Error::internal(Surface::Api, e).into_response(),
    }
}

fn body_kind(headers: &HeaderMap) -> Result<BodyKind, Error> {
    let Some(value) = headers.get(CONTENT_TYPE) else {
        return Err(Error::unsupported_media_type(None));
    };
    let raw = value.to_str().unwrap_or("");
    let mut parts = raw.split(';');
    let essence = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
        .map(|(_, v)| v.trim().trim_matches('"').to_ascii_lowercase());
    // Any charset the WHATWG Encoding Standard names, "us-ascii" and
    // "iso-8859-2" included; a label it does not know is refused.
    let encoding = match charset.as_deref() {
        None => Some(encoding_rs::UTF_8),
        Some(label) => encoding_rs::Encoding::for_label(label.as_bytes()),
    };
    let utf8 =
        encoding == Some(encoding_rs::UTF_8) || charset.as_deref().is_some_and(|c| c == "us-ascii");
    match (essence.as_str(), encoding) {
        ("application/json", _) if utf8 => Ok(BodyKind::Json),
        (e, _) if e.starts_with("application/") && e.ends_with("+json") && utf8 => {
            Ok(BodyKind::Json)
        }
        // The output encoding of the UTF-16 labels is UTF-8: they are
        // for HTML forms, not bodies, and are refused here.
        ("text/plain", Some(encoding))
            if !charset.as_deref().is_some_and(|c| c.starts_with("utf-16")) =>
        {
            Ok(BodyKind::Text(encoding))
        }
        ("message/rfc822", _) => Ok(BodyKind::Raw),
        _ => Err(Error::unsupported_media_type(Some(raw))),
    }
}

/// Sorts a serde error into the envelope's cases.
fn json_error(e: serde_json::Error) -> Error {
    use serde_json::error::Category;
    match e.classify() {
        Category::Data => {
            let message = e.to_string();
            if message.starts_with("missing field") {
                Error::missing_field("text")
            } else {
                Error::wrong_type(message)
            }
        }
        Category::Syntax | Category::Eof | Category::Io => Error::invalid_json(e),
    }
}

/// Reads `?lang=` (default Polish).
pub fn query_lang(query: Option<&str>) -> Result<Lang, Error> {
    let value = query.and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v.into_owned())
    });
    match value.as_deref() {
        None | Some("") => Ok(Lang::Pl),
        Some(code) => Lang::from_code(code).ok_or_else(Error::invalid_lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_text_is_decoded() {
        assert_eq!(
            form_text(b"text=554+5.7.1%0D%0Ax&other=1"),
            "554 5.7.1\r\nx"
        );
        assert_eq!(form_text(b"other=1"), "");
        assert_eq!(form_text(b"text=%FF"), "\u{fffd}");
    }

    #[test]
    fn content_types_are_sorted() {
        let kind = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(CONTENT_TYPE, HeaderValue::from_str(v).unwrap());
            body_kind(&h).map(|k| match k {
                BodyKind::Json => "json",
                BodyKind::Text(e) => e.name(),
                BodyKind::Raw => "raw",
            })
        };
        assert_eq!(kind("application/json").unwrap(), "json");
        assert_eq!(kind("Application/JSON; charset=UTF-8").unwrap(), "json");
        assert_eq!(kind("application/vnd.api+json").unwrap(), "json");
        assert_eq!(kind("text/plain").unwrap(), "UTF-8");
        assert_eq!(kind("text/plain; charset=\"utf-8\"").unwrap(), "UTF-8");
        assert_eq!(
            kind("text/plain; charset=us-ascii").unwrap(),
            "windows-1252"
        );
        assert_eq!(
            kind("text/plain; charset=Windows-1250").unwrap(),
            "windows-1250"
        );
        assert_eq!(
            kind("text/plain; charset=iso-8859-2").unwrap(),
            "ISO-8859-2"
        );
        assert!(kind("text/plain; charset=klingon").is_err());
        assert!(kind("text/plain; charset=utf-16le").is_err());
        assert!(kind("application/json; charset=windows-1250").is_err());
        assert_eq!(kind("message/rfc822").unwrap(), "raw");
        assert!(kind("application/x-www-form-urlencoded").is_err());
        assert!(body_kind(&HeaderMap::new()).is_err());
    }

    #[test]
    fn lang_parameter() {
        assert_eq!(query_lang(None).unwrap(), Lang::Pl);
        assert_eq!(query_lang(Some("lang=en")).unwrap(), Lang::En);
        assert_eq!(query_lang(Some("x=1&lang=")).unwrap(), Lang::Pl);
        assert!(query_lang(Some("lang=de")).is_err());
    }
}
