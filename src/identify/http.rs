//! HTTP errors as people copy them: browser error pages (Chrome, Apache,
//! nginx, IIS, Cloudflare), curl output, and web server log lines.

use std::sync::LazyLock;

use regex::Regex;

use super::tables;

/// An HTTP error found on one logical line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpHit {
    pub code: u16,
    /// The index of the logical line.
    pub line: usize,
    /// How sure the match is: a status line beats a phrase.
    pub strength: u8,
    /// Whether an article's own wording for this status is on the line: of
    /// two lines that name a status equally surely, the one an article
    /// words is the better excerpt (Passenger's "Web application could not
    /// be started" rather than the "We're sorry" above it).
    pub worded: bool,
}

/// The strength of a status known only from wording, with no number
/// written: the weakest kind of hit.
pub const PHRASE_STRENGTH: u8 = 4;

/// The words a status number is written after: "Error 522", "Błąd 404",
/// "kod błędu 500", "status 503" (a macro, so that patterns can `concat!`
/// it).
macro_rules! error_words {
    () => {
        r"(?:error|b[łl][ąa]d|kod(?:\s+b[łl][ęe]du)?|status(?:\s+code)?|code)"
    };
}

static WITH_CODE: LazyLock<Vec<(Regex, u8)>> = LazyLock::new(|| {
    [
        // Status lines: "HTTP/1.1 503 Service Unavailable", "HTTP/2 403";
        // people write "HTTP 403".
        (r"(?i)\bhttp(?:/[0-9](?:\.[0-9])?)?\s+([1-5][0-9]{2})\b", 9),
        // Chrome: "HTTP ERROR 500", Polish "BŁĄD HTTP 500"; IIS: "HTTP Error 404.0".
        (
            r"(?i)\b(?:http\s+error|b[łl][ąa]d\s+http|http\s+b[łl][ąa]d)\s*([1-5][0-9]{2})\b",
            9,
        ),
        // curl -f: "The requested URL returned error: 403".
        (r"(?i)returned error:?\s*([1-5][0-9]{2})\b", 9),
        // Python's requests: "503 Server Error: Service Unavailable for url:
        // https://...". Chrome's console: "the server responded with a status
        // of 500 (Internal Server Error)".
        (
            r"(?i)\b([1-5][0-9]{2}) (?:client|server) error: .* for url:",
            9,
        ),
        (r"(?i)responded with a status of ([1-5][0-9]{2})\b", 9),
        // Chrome's console for a failed request: "GET https://x/y 401
        // (Unauthorized)".
        (
            r"\b(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (?:https?://|/)\S* ([45][0-9]{2})\b",
            8,
        ),
        // Access logs: "GET /x HTTP/1.1" 404 1234.
        (r#"(?i)"[A-Z]+ \S+ HTTP/[0-9.]+"\s+([1-5][0-9]{2})\b"#, 8),
        // Cloudflare "Error code 521": only web pages write it this way.
        (r"(?i)\berror\s+code\s*:?\s*([45][0-9]{2})\b", 8),
        // Cloudflare's older pages: "Error 521 Ray ID: 1dd72e65...".
        (r"(?i)\berror\s+([45][0-9]{2})\s+ray\s+id\b", 9),
        // Spring Boot's "Whitelabel Error Page": "There was an unexpected
        // error (type=Not Found, status=404)."
        (r"(?i)\btype=[^,()]{1,60}, status=([45][0-9]{2})\b", 9),
        // "Error 522", "Błąd 404", "kod błędu 500", "status 503".
        (
            concat!(r"(?i)\b", error_words!(), r"\s*:?\s*([45][0-9]{2})\b"),
            6,
        ),
    ]
    .into_iter()
    .map(|(p, s)| (Regex::new(p).expect("valid regex"), s))
    .collect()
});

/// The reason phrases each status is written with, lower case: RFC 9110's
/// names, the older names servers still print (nginx's "413 Request Entity
/// Too Large", "504 Gateway Time-out"), and the names hosting panels and
/// Cloudflare give their own codes.
const NAMES: &[(u16, &str)] = &[
    (400, "bad request"),
    (400, "request header or cookie too large"),
    (401, "unauthorized"),
    (401, "authorization required"),
    (402, "payment required"),
    (403, "forbidden"),
    (404, "not found"),
    // Go's net/http ("404 page not found"), IIS ("404 - File or directory
    // not found."), older servers ("404 File Not Found").
    (404, "page not found"),
    (404, "file not found"),
    (404, "file or directory not found"),
    (405, "method not allowed"),
    (406, "not acceptable"),
    (407, "proxy authentication required"),
    (408, "request timeout"),
    (408, "request time-out"),
    (409, "conflict"),
    (410, "gone"),
    (411, "length required"),
    (412, "precondition failed"),
    (413, "content too large"),
    (413, "payload too large"),
    (413, "request entity too large"),
    (414, "uri too long"),
    (414, "request-uri too long"),
    (414, "request-uri too large"),
    (415, "unsupported media type"),
    (416, "range not satisfiable"),
    (416, "requested range not satisfiable"),
    (417, "expectation failed"),
    (419, "page expired"),
    (421, "misdirected request"),
    (422, "unprocessable content"),
    (422, "unprocessable entity"),
    (423, "locked"),
    (424, "failed dependency"),
    (425, "too early"),
    (426, "upgrade required"),
    (428, "precondition required"),
    (429, "too many requests"),
    (431, "request header fields too large"),
    (451, "unavailable for legal reasons"),
    (500, "internal server error"),
    (500, "server error"),
    (501, "not implemented"),
    (502, "bad gateway"),
    // IIS: "502 - Web server received an invalid response while acting as
    // a gateway or proxy server."
    (502, "web server received an invalid response"),
    (503, "service unavailable"),
    (503, "service temporarily unavailable"),
    // .NET's name, in PowerShell's "(503) Server Unavailable".
    (503, "server unavailable"),
    (504, "gateway timeout"),
    (504, "gateway time-out"),
    (505, "http version not supported"),
    (507, "insufficient storage"),
    (508, "loop detected"),
    (508, "resource limit is reached"),
    (509, "bandwidth limit exceeded"),
    (511, "network authentication required"),
    // Polish names, as Polish editions of IIS and of web applications
    // write them ("Błąd HTTP 404.0 - Nie znaleziono").
    (400, "nieprawidłowe żądanie"),
    (401, "brak autoryzacji"),
    (403, "zabroniony"),
    (403, "dostęp zabroniony"),
    (404, "nie znaleziono"),
    (405, "niedozwolona metoda"),
    (429, "zbyt wiele żądań"),
    (500, "wewnętrzny błąd serwera"),
    (502, "nieprawidłowa brama"),
    (502, "zła brama"),
    (503, "usługa niedostępna"),
    (503, "usługa jest niedostępna"),
    (504, "przekroczono limit czasu bramy"),
    // Cloudflare's own errors about the origin server.
    (520, "web server is returning an unknown error"),
    (521, "web server is down"),
    (522, "connection timed out"),
    (523, "origin is unreachable"),
    (524, "a timeout occurred"),
    (525, "ssl handshake failed"),
    (526, "invalid ssl certificate"),
];

/// A line that is only a status, maybe after "error", "błąd" or "kod":
/// "403", "Error 500.", "błąd 503".
static BARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^\s*(?:",
        error_words!(),
        r"\s*:?\s*)?([45][0-9]{2})\s*[.!]?\s*$"
    ))
    .expect("valid regex")
});

/// A status in a customer's sentence about a page: after a verb of
/// showing ("wyskakuje 404", "the site returns 503"), or before the page
/// it is on ("404 na podstronie", "500 on my site").
static IN_SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(?:wyskakuje|wyskoczył[oa]?|pokazuje|wyświetla|zwraca|wywala|rzuca|",
        r"dostaj[eę]|dostajemy|otrzymuj[eę]|shows?|showing|returns?|returning|",
        r"gives?|giving|gets?|getting|throws?|throwing)",
        r"\s+(?:(?:mi|nam|a|an|the)\s+)?([45][0-9]{2})",
        // Then the sentence ends or goes on to where or when, not to what
        // is counted ("pokazuje 404 produkty").
        r#"(?:\s*$|[.,;:!?)"'”](?:\s|$)|\s+(?:na|przy|po|od|w|we|i|a|oraz|error|b[łl][ąa]d|kod|code|when|on|for|since|after|and|at|in|status)\b)"#,
        r"|\b([45][0-9]{2})\s+(?:na\s+(?:pod)?stronie|on\s+(?:the|my|our)\s+(?:web)?(?:page|site))"
    ))
    .expect("valid regex")
});

/// Words that make a sentence about a website.
const WEB_WORDS: [&str; 8] = [
    "stron",
    "witryn",
    "www",
    "url",
    "http",
    "page",
    "site",
    "wordpress",
];

/// Whether a number written with nothing around it, or only after "error",
/// is the web server's status rather than an SMTP reply: a status that SMTP
/// does not use, or one of 500–504. SMTP uses those too, but for protocol
/// errors that mail programs report with their text ("500 5.5.1 Command
/// unrecognized"); a bare "Error 500" is a web page's.
fn web_first(code: u16) -> bool {
    tables::http(code).is_some() && (tables::reply(code).is_none() || (500..=504).contains(&code))
}

/// The names of [`NAMES`] as one regex alternation, longest first, so that
/// "server error" does not stop "internal server error" short.
fn names_alternation() -> String {
    let mut names: Vec<&str> = NAMES.iter().map(|(_, n)| *n).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names.dedup();
    let names: Vec<String> = names.iter().map(|n| regex::escape(n)).collect();
    names.join("|")
}

/// "403 Forbidden" and friends: a code followed by a reason phrase from
/// [`NAMES`], the code maybe in brackets (.NET's "returned an error: (404)
/// Not Found") or followed by a separator (Laravel's "419 | Page Expired").
/// Only a code with its own phrase counts (see [`phrase_fits`]), so that an
/// SMTP "554 Service unavailable" is not read as HTTP.
static CODE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b([45][0-9]{{2}})\)?\s*[-–:|]?\s*({})\b",
        names_alternation()
    ))
    .expect("valid regex")
});

/// The name first and the code after it in brackets, as Django writes its
/// pages' titles: "Server Error (500)", "Dostęp zabroniony (403)".
static NAME_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b({})\s*\(([45][0-9]{{2}})\)",
        names_alternation()
    ))
    .expect("valid regex")
});

/// Express's answer for a path no route serves, with status 404 and no
/// number in the text: "Cannot GET /api/users".
static NO_ROUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*Cannot (?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /\S*\s*$")
        .expect("valid regex")
});

/// Whether a reason phrase is one the status is written with.
fn phrase_fits(code: u16, phrase: &str) -> bool {
    let phrase = phrase.to_lowercase();
    NAMES.iter().any(|&(c, n)| c == code && n == phrase)
}

/// Wording that names an HTTP status without the number and leads to no
/// article of its own. Wording that does is kept next to its article (the
/// `[identify]` phrases in `content/pl`) and matched by [`find`]'s caller.
/// cPanel's "Resource Limit Is Reached" is here for its status, 508; the
/// 503 article, which explains it, lists it too.
const PHRASES: &[(&str, u16)] = &[
    ("resource limit is reached", 508),
    // Cloudflare's error 1016, sent with status 530.
    ("origin dns error", 530),
    // Apache's own 406 page, which ModSecurity rules often send.
    (
        "an appropriate representation of the requested resource",
        406,
    ),
    // nginx's error log for an upload over `client_max_body_size`.
    ("client intended to send too large body", 413),
    ("request header or cookie too large", 400),
    // Cloudflare's error 1015 and the pages of rate-limiting plugins.
    ("you are being rate limited", 429),
    ("you have sent too many requests", 429),
    // Apache's own 400 page, and its reason for a plain request to the
    // HTTPS port.
    (
        "your browser sent a request that this server could not understand",
        400,
    ),
    ("speaking plain http to an ssl-enabled server port", 400),
    // Rails' 422 page.
    ("the change you wanted was rejected", 422),
    // Rails' 500 page, which Passenger shows too, above its own words.
    ("we're sorry, but something went wrong", 500),
    ("we’re sorry, but something went wrong", 500),
    // Express, for a body over its limit.
    ("payloadtoolargeerror", 413),
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
        // Only statuses HTTP has: "błąd 550" is a mail server's.
        let mut consider = |code: u16, strength: u8| {
            if (400..=599).contains(&code)
                && tables::http(code).is_some()
                && best.as_ref().is_none_or(|b| strength > b.strength)
            {
                best = Some(HttpHit {
                    code,
                    line: i,
                    strength,
                    worded: false,
                });
            }
        };
        for (re, strength) in WITH_CODE.iter() {
            if let Some(c) = re.captures(line) {
                consider(c[1].parse().unwrap_or(0), *strength);
            }
        }
        if let Some(c) = BARE.captures(line) {
            let code = c[1].parse().unwrap_or(0);
            if web_first(code) {
                consider(code, 8);
            }
        }
        if let Some(code) = CODE_NAME.captures_iter(line).find_map(|c| {
            let code = c[1].parse().ok()?;
            phrase_fits(code, &c[2]).then_some(code)
        }) {
            consider(code, 8);
        }
        if let Some(code) = NAME_CODE.captures_iter(line).find_map(|c| {
            let code = c[2].parse().ok()?;
            phrase_fits(code, &c[1]).then_some(code)
        }) {
            consider(code, 8);
        }
        if NO_ROUTE.is_match(line) {
            consider(404, 8);
        }
        let lower = line.to_lowercase();
        if WEB_WORDS.iter().any(|w| lower.contains(w))
            && let Some(c) = IN_SENTENCE.captures(line)
        {
            let code = c
                .get(1)
                .or(c.get(2))
                .map_or(0, |m| m.as_str().parse().unwrap_or(0));
            if web_first(code) {
                consider(code, 6);
            }
        }
        for (phrase, code) in PHRASES {
            if lower.contains(phrase) {
                consider(*code, PHRASE_STRENGTH);
            }
        }
        let phrase_code = named(line);
        if let Some(code) = phrase_code {
            consider(code, PHRASE_STRENGTH);
        }
        // A number an SMTP server could send too, after "error" or the like,
        // is clearly the web's when a web article's wording for the same
        // status is on the line ("Error 503 Backend fetch failed"), or when
        // SMTP uses it only for protocol errors and the line does not speak
        // of SMTP ("Error 500", "błąd 503 na stronie").
        if let Some(hit) = best.as_mut()
            && hit.strength >= 6
            && (phrase_code == Some(hit.code)
                || hit.strength == 6 && web_first(hit.code) && !lower.contains("smtp"))
        {
            hit.strength = 8;
        }
        if let Some(hit) = best.as_mut() {
            hit.worded = phrase_code == Some(hit.code);
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
        // Wording without a number: here only what no article owns (nginx's
        // "upstream timed out" is the 502 article's, in its case for 504).
        assert_eq!(codes("504 Gateway Time-out"), [504]);
        assert_eq!(
            codes("upstream timed out (110: Connection timed out)"),
            Vec::<u16>::new()
        );
        assert_eq!(codes("Internal Server Error"), Vec::<u16>::new());
    }

    #[test]
    fn developer_tools_forms() {
        assert_eq!(
            codes(
                "requests.exceptions.HTTPError: 503 Server Error: Service Unavailable for url: https://example.pl/api"
            ),
            [503]
        );
        assert_eq!(
            codes(
                "Failed to load resource: the server responded with a status of 500 (Internal Server Error)"
            ),
            [500]
        );
        assert_eq!(
            codes("GET https://example.pl/wp-json/wc/v3/products 401 (Unauthorized)"),
            [401]
        );
        assert_eq!(codes("POST /wp-admin/admin-ajax.php 403"), [403]);
        assert_eq!(
            codes(
                "Invoke-WebRequest : The remote server returned an error: (503) Server Unavailable."
            ),
            [503]
        );
        // A mail log's verb is not a request line.
        assert_eq!(
            codes("MAIL FROM:<a@b.pl> 550 5.7.1 denied"),
            Vec::<u16>::new()
        );
    }

    #[test]
    fn older_and_framework_names() {
        assert_eq!(codes("413 Request Entity Too Large"), [413]);
        assert_eq!(codes("414 Request-URI Too Large"), [414]);
        assert_eq!(codes("504 Gateway Time-out"), [504]);
        assert_eq!(
            codes("400 Bad Request Request Header Or Cookie Too Large"),
            [400]
        );
        // Laravel's error pages.
        assert_eq!(codes("419 | Page Expired"), [419]);
        assert_eq!(codes("500 | Server Error"), [500]);
        // A name only counts after its own code; the first fitting pair wins.
        assert_eq!(codes("550 not found"), Vec::<u16>::new());
        assert_eq!(codes("550 5.1.1 not found; then 404 Not Found"), [404]);
        assert_eq!(codes("554 Service unavailable"), Vec::<u16>::new());
        // The wording alone, for what has no number.
        assert_eq!(
            codes(
                "An appropriate representation of the requested resource could not be found on this server."
            ),
            [406]
        );
        assert_eq!(
            codes("client intended to send too large body: 12582912 bytes"),
            [413]
        );
        assert_eq!(codes("Error 1016 Origin DNS error"), [530]);
        // A status alone, or after "error": the web's unless only SMTP
        // means something by it.
        assert_eq!(codes("403"), [403]);
        assert_eq!(codes("HTTP 403"), [403]);
        assert_eq!(codes("Error 500."), [500]);
        assert_eq!(codes("błąd 503"), [503]);
        assert_eq!(codes("550"), Vec::<u16>::new());
        assert_eq!(codes("błąd 550"), Vec::<u16>::new());
        // A customer's sentence about a page.
        assert_eq!(codes("Wyskakuje 404 na podstronie kontakt."), [404]);
        assert_eq!(codes("Since Monday the site returns 503."), [503]);
        assert_eq!(codes("mam 500 na stronie głównej"), [500]);
        // Counts, prices and mail replies are not statuses.
        assert_eq!(
            codes("Strona pokazuje 404 produkty w kategorii."),
            Vec::<u16>::new()
        );
        assert_eq!(
            codes("sklep ma 403 zamówienia, strona pokazuje 450 zł"),
            Vec::<u16>::new()
        );
        assert_eq!(codes("strona zwraca 404.5 punktu"), Vec::<u16>::new());
        assert_eq!(codes("421"), Vec::<u16>::new());
        // Polish names, in any letter case.
        assert_eq!(codes("404 - Nie znaleziono"), [404]);
        assert_eq!(codes("500 WEWNĘTRZNY BŁĄD SERWERA"), [500]);
        assert_eq!(codes("504 Przekroczono limit czasu bramy"), [504]);
        // Frameworks' and servers' own forms.
        assert_eq!(codes("404 page not found"), [404]);
        assert_eq!(codes("404 - File or directory not found."), [404]);
        assert_eq!(codes("Server Error (500)"), [500]);
        assert_eq!(codes("Dostęp zabroniony (403)"), [403]);
        assert_eq!(codes("(type=Method Not Allowed, status=405)."), [405]);
        assert_eq!(codes("Cannot POST /login"), [404]);
        assert_eq!(codes("Error 521 Ray ID: 8e3f0a9c7b1d2e45"), [521]);
        // A name counts before its own code only.
        assert_eq!(codes("Not Found (550)"), Vec::<u16>::new());
        assert_eq!(codes("Server Error (404)"), Vec::<u16>::new());
        assert_eq!(codes("I cannot GET /there in time"), Vec::<u16>::new());
        assert_eq!(codes("HTTP/1.1 200 OK"), Vec::<u16>::new());
        assert_eq!(codes("Nothing to see"), Vec::<u16>::new());
    }
}
