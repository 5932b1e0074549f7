//! HTTP errors as people copy them: browser error pages (Chrome, Apache,
//! nginx, IIS, Cloudflare), curl output, and web server log lines.

use std::sync::LazyLock;

use regex::Regex;

/// An HTTP error found on one logical line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpHit {
    pub code: u16,
    /// The index of the logical line.
    pub line: usize,
    /// How sure the match is: a status line beats a phrase.
    pub strength: u8,
}

static WITH_CODE: LazyLock<Vec<(Regex, u8)>> = LazyLock::new(|| {
    [
        // Status lines: "HTTP/1.1 503 Service Unavailable", "HTTP/2 403".
        (r"(?i)\bhttp/[0-9](?:\.[0-9])?\s+([1-5][0-9]{2})\b", 9),
        // Chrome: "HTTP ERROR 500", Polish "BŁĄD HTTP 500"; IIS: "HTTP Error 404.0".
        (r"(?i)\b(?:http\s+error|b[łl][ąa]d\s+http|http\s+b[łl][ąa]d)\s*([1-5][0-9]{2})\b", 9),
        // curl -f: "The requested URL returned error: 403".
        (r"(?i)returned error:?\s*([1-5][0-9]{2})\b", 9),
        // Access logs: "GET /x HTTP/1.1" 404 1234.
        (r#"(?i)"[A-Z]+ \S+ HTTP/[0-9.]+"\s+([1-5][0-9]{2})\b"#, 8),
        // Cloudflare "Error code 521": only web pages write it this way.
        (r"(?i)\berror\s+code\s*:?\s*([45][0-9]{2})\b", 8),
        // "Error 522", "Błąd 404", "kod błędu 500", "status 503".
        (r"(?i)\b(?:error|b[łl][ąa]d|kod(?:\s+b[łl][ęe]du)?|status(?:\s+code)?|code)\s*:?\s*([45][0-9]{2})\b", 6),
    ]
    .into_iter()
    .map(|(p, s)| (Regex::new(p).expect("valid regex"), s))
    .collect()
});

/// "403 Forbidden" and friends: a code followed by its own reason phrase,
/// the code maybe in brackets (.NET's "returned an error: (404) Not
/// Found"). Only a code with its own phrase counts, so that an SMTP "554
/// Service unavailable" is not read as HTTP.
static CODE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([45][0-9]{2})\)?\s*[-–:]?\s*(bad request|unauthorized|authorization required|forbidden|not found|method not allowed|request time-?out|gone|payload too large|too many requests|internal server error|not implemented|bad gateway|service (?:temporarily )?unavailable|gateway time-?out|bandwidth limit exceeded|resource limit is reached|loop detected|web server is returning an unknown error|web server is down|connection timed out|origin is unreachable|a timeout occurred|ssl handshake failed|invalid ssl certificate)\b")
        .expect("valid regex")
});

/// The reason phrases each status is written with.
fn phrase_fits(code: u16, phrase: &str) -> bool {
    let p = phrase.to_ascii_lowercase();
    match code {
        400 => p == "bad request",
        401 => p == "unauthorized" || p == "authorization required",
        403 => p == "forbidden",
        404 => p == "not found",
        405 => p == "method not allowed",
        408 => p.starts_with("request time"),
        410 => p == "gone",
        413 => p == "payload too large",
        429 => p == "too many requests",
        500 => p == "internal server error",
        501 => p == "not implemented",
        502 => p == "bad gateway",
        503 => p.starts_with("service"),
        504 => p.starts_with("gateway time"),
        508 => p == "resource limit is reached" || p == "loop detected",
        509 => p == "bandwidth limit exceeded",
        // Cloudflare's own errors about the origin server.
        520 => p == "web server is returning an unknown error",
        521 => p == "web server is down",
        522 => p == "connection timed out",
        523 => p == "origin is unreachable",
        524 => p == "a timeout occurred",
        525 => p == "ssl handshake failed",
        526 => p == "invalid ssl certificate",
        _ => false,
    }
}

/// Wording that names an HTTP status without the number and leads to no
/// article of its own. Wording that does is kept next to its article (the
/// `[identify]` phrases in `content/pl`) and matched by [`find`]'s caller.
/// cPanel's "Resource Limit Is Reached" is here for its status, 508; the
/// 503 article, which explains it, lists it too.
const PHRASES: &[(&str, u16)] = &[
    ("gateway time-out", 504),
    ("gateway timeout", 504),
    ("upstream timed out", 504),
    ("resource limit is reached", 508),
];

/// Finds HTTP errors (4xx and 5xx) in logical lines. `named` gives the
/// status an article's phrase names in a line, if any.
pub fn find<S: AsRef<str>>(lines: &[S], named: impl Fn(&str) -> Option<u16>) -> Vec<HttpHit> {
    let mut hits = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let line = line.as_ref();
        if line.is_empty() {
            continue;
        }
        let mut best: Option<HttpHit> = None;
        let mut consider = |code: u16, strength: u8| {
            if (400..=599).contains(&code) && best.as_ref().is_none_or(|b| strength > b.strength) {
                best = Some(HttpHit {
                    code,
                    line: i,
                    strength,
                });
            }
        };
        for (re, strength) in WITH_CODE.iter() {
            if let Some(c) = re.captures(line) {
                consider(c[1].parse().unwrap_or(0), *strength);
            }
        }
        if let Some(c) = CODE_NAME.captures(line) {
            let code = c[1].parse().unwrap_or(0);
            if phrase_fits(code, &c[2]) {
                consider(code, 8);
            }
        }
        let lower = line.to_lowercase();
        for (phrase, code) in PHRASES {
            if lower.contains(phrase) {
                consider(*code, 4);
            }
        }
        let phrase_code = named(line);
        if let Some(code) = phrase_code {
            consider(code, 4);
        }
        // "Error 503 Backend fetch failed": a number an SMTP server could
        // send too, but with the wording of a web page for the same status.
        if let Some(hit) = best.as_mut()
            && hit.strength >= 6
            && phrase_code == Some(hit.code)
        {
            hit.strength = 8;
        }
        hits.extend(best);
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<u16> {
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        find(&lines, |_| None).iter().map(|h| h.code).collect()
    }

    #[test]
    fn common_forms() {
        assert_eq!(codes("HTTP/2 403"), [403]);
        assert_eq!(codes("HTTP ERROR 500"), [500]);
        assert_eq!(codes("BŁĄD HTTP 500"), [500]);
        assert_eq!(codes("502 Bad Gateway"), [502]);
        assert_eq!(
            codes("The remote server returned an error: (404) Not Found."),
            [404]
        );
        assert_eq!(codes("HTTP Error (403): Forbidden"), [403]);
        assert_eq!(
            codes("curl: (22) The requested URL returned error: 404"),
            [404]
        );
        assert_eq!(
            codes(
                r#"203.0.113.5 - - [28/Nov/2026:10:00:00 +0100] "GET /wp-admin/ HTTP/1.1" 503 512 "-" "curl""#
            ),
            [503]
        );
        assert_eq!(codes("Error 522"), [522]);
        // Wording without a number: here only what no article owns.
        assert_eq!(codes("504 Gateway Time-out"), [504]);
        assert_eq!(
            codes("upstream timed out (110: Connection timed out)"),
            [504]
        );
        assert_eq!(codes("Internal Server Error"), Vec::<u16>::new());
        assert_eq!(codes("HTTP/1.1 200 OK"), Vec::<u16>::new());
        assert_eq!(codes("Nothing to see"), Vec::<u16>::new());
    }
}
