//! SMTP reply codes (RFC 5321) and enhanced status codes (RFC 3463) in text.

/// Finds the enhanced status code a diagnostic means.
///
/// IPv4 addresses are skipped, as are numbers that follow a digit, a dot,
/// a `v` or a word such as "version" or "wersji" (versions). The first
/// specific code wins; `X.0.0` and `4.4.7` are kept only when nothing more
/// specific is written.
pub fn find_status(text: &str) -> Option<String> {
    // A status written right after a reply code is the reply's own.
    for r in replies(text) {
        if r.with_status {
            let after =
                text[r.offset + 3..].trim_start_matches([' ', '-', '\t', '#', '(', '\'', '"']);
            if let Some((_, s)) = statuses(after).next().filter(|(at, _)| *at == 0)
                && !is_vague(&s)
            {
                return Some(s);
            }
        }
    }
    let mut fallback = None;
    for (_, status) in statuses(text) {
        if is_vague(&status) {
            fallback.get_or_insert(status);
        } else {
            return Some(status);
        }
    }
    fallback
}

/// Removes the code prefixes that a multi-line reply repeats on every line
/// ("550-5.7.1 a 550-5.7.1 b 550 5.7.1 c" becomes "550-5.7.1 a b c"), so
/// that wording broken across lines reads as one sentence again.
pub fn unrepeat(text: &str) -> String {
    let Some(first) = replies(text).into_iter().next() else {
        return text.to_string();
    };
    let code = &text[first.offset..first.offset + 3];
    let after = text[first.offset + 3..].trim_start_matches(['-', ' ']);
    let status = after
        .split(' ')
        .next()
        .filter(|s| super::is_enhanced_status(s))
        .unwrap_or("");
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first.offset + 3]);
    let mut rest = &text[first.offset + 3..];
    // Keep the first prefix's own separator and status.
    let head_len = rest.len() - rest.trim_start_matches(['-', ' ']).len();
    let mut head = head_len;
    if !status.is_empty() && rest[head..].starts_with(status) {
        head += status.len();
    }
    out.push_str(&rest[..head]);
    rest = &rest[head..];
    while let Some(at) = rest.find(code) {
        let before_ok = at > 0 && rest.as_bytes()[at - 1] == b' ';
        let tail = &rest[at + 3..];
        let sep_ok = tail.starts_with('-') || tail.starts_with(' ');
        if !(before_ok && sep_ok) {
            out.push_str(&rest[..at + 3]);
            rest = &rest[at + 3..];
            continue;
        }
        out.push_str(&rest[..at]);
        let mut t = tail[1..].trim_start();
        if !status.is_empty() {
            t = t.strip_prefix(status).map_or(t, str::trim_start);
        }
        rest = t;
        if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.push_str(rest);
    super::text::squeeze(&out)
}

/// Tells whether a status says only the class of failure (`5.0.0`), or
/// only that time ran out (`4.4.7`), so a more specific one should win.
pub fn is_vague(status: &str) -> bool {
    status.ends_with(".0.0") || status == "4.4.7" || status == "5.4.7"
}

/// Returns the reply code of a diagnostic that fits its status code: the
/// first one of the same class, else the first one.
pub fn reply_for(text: &str, status: Option<&str>) -> Option<u16> {
    let mut all = replies(text);
    // Sendmail: "554 <a@b>... 550 Host unknown": its own code, then the
    // remote server's, which says more.
    if all.len() > 1
        && text[all[0].offset + 3..].trim_start().starts_with('<')
        && text[all[0].offset..all[1].offset].contains(">...")
    {
        all.remove(0);
    }
    let class = status.and_then(|s| s.bytes().next());
    all.iter()
        .find(|r| Some(b'0' + (r.code / 100) as u8) == class)
        .or(all.first())
        .map(|r| r.code)
}

/// Tells whether a number is written as a version: "version 5.2.1",
/// "w wersji 5.1.1", "PHP 5.4.45".
fn follows_version_word(before: &str) -> bool {
    const WORDS: [&str; 9] = [
        "version", "versions", "ver.", "release", "wersja", "wersji", "wersję", "wersje", "php",
    ];
    let Some(before) = before.strip_suffix(' ') else {
        return false;
    };
    let word = before.rsplit(' ').next().unwrap_or("");
    WORDS.iter().any(|w| word.eq_ignore_ascii_case(w))
}

/// Returns every enhanced status code in the text with its byte offset.
pub fn statuses(text: &str) -> impl Iterator<Item = (usize, String)> + '_ {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        // Jump from dot to dot: a status code is "C.S.D", so its first dot
        // is one byte after the class digit.
        while let Some(dot) = memchr::memchr(b'.', &b[i.min(b.len())..]).map(|d| i + d) {
            i = dot + 1;
            if dot == 0 {
                continue;
            }
            let start = dot - 1;
            if !matches!(b[start], b'2' | b'4' | b'5') || start + 5 > b.len() {
                continue;
            }
            // "v5.1.1", "x5.1.1" and "1.5.1.1" are versions or numbers;
            // "#5.1.1" (qmail) and "(5.1.1)" are codes.
            if start > 0 && (b[start - 1].is_ascii_alphanumeric() || b[start - 1] == b'.') {
                continue;
            }
            if follows_version_word(&text[..start]) {
                continue;
            }
            let subject = b[start + 2];
            if !(b'0'..=b'7').contains(&subject) || b.get(start + 3) != Some(&b'.') {
                continue;
            }
            let detail_start = start + 4;
            let mut end = detail_start;
            while end < b.len() && b[end].is_ascii_digit() && end - detail_start < 3 {
                end += 1;
            }
            if end == detail_start || b.get(end).is_some_and(u8::is_ascii_digit) {
                continue;
            }
            // "5.1.1.4" and "2.4.5.6" are parts of addresses or versions.
            if b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_digit) {
                i = end;
                continue;
            }
            i = end;
            return Some((start, text[start..end].to_string()));
        }
        None
    })
}

/// A reply code found in text, with where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply {
    pub code: u16,
    pub offset: usize,
    /// An enhanced status code follows the reply code.
    pub with_status: bool,
    /// The code is where replies are written: at the start, after `said:`,
    /// `<<<`, `smtp;` and the like.
    pub in_place: bool,
}

/// Whether a text starts with a currency after spaces: what follows an
/// amount, never a reply code.
fn is_currency(text: &str) -> bool {
    const CURRENCIES: [&str; 9] = [
        "zł", "zl", "pln", "złotych", "eur", "euro", "usd", "gbp", "€",
    ];
    let word = text.trim_start_matches([' ', '\t']);
    let word = &word[..word
        .find(|c: char| !c.is_alphanumeric() && c != '€')
        .unwrap_or(word.len())];
    CURRENCIES.iter().any(|c| word.eq_ignore_ascii_case(c))
}

/// Finds the SMTP error reply codes (4xx and 5xx) in a text.
pub fn replies(text: &str) -> Vec<Reply> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    // Jump between the bytes a reply code can start with.
    while let Some(start) = memchr::memchr2(b'4', b'5', &b[i.min(b.len())..]).map(|d| i + d) {
        i = start + 1;
        if start + 3 > b.len()
            || !(b'0'..=b'5').contains(&b[start + 1])
            || !b[start + 2].is_ascii_digit()
        {
            continue;
        }
        // Exchange writes "#550 5.2.2 ..."; elsewhere a `#` makes a number
        // (a ticket, an issue), so it counts only before a status code.
        let hashed = start > 0 && b[start - 1] == b'#';
        if start > 0 {
            let p = b[start - 1];
            if p.is_ascii_alphanumeric()
                || matches!(
                    p,
                    b'.' | b'/' | b'-' | b'_' | b'+' | b'@' | b'%' | b'&' | b'$' | b'=' | b','
                )
            {
                continue;
            }
        }
        // An HTML attribute's value (`width="450"`) in a returned page.
        if start > 1 && matches!(b[start - 1], b'"' | b'\'') && b[start - 2] == b'=' {
            continue;
        }
        let next = b.get(start + 3).copied();
        if !matches!(
            next,
            None | Some(
                b' ' | b'-' | b'\t' | b'\n' | b':' | b',' | b')' | b'\'' | b'"' | b']' | b';'
            )
        ) {
            continue;
        }
        // "401,00 zł" and "550 PLN" are amounts, not replies.
        if next == Some(b',') && b.get(start + 4).is_some_and(u8::is_ascii_digit)
            || is_currency(&text[start + 3..])
        {
            continue;
        }
        // A dash must introduce a multi-line reply ("550-5.1.1"), not a
        // range or a date. Right after a colon ("SMTP error ...: 550-192.0.2.1
        // blocked") the dash is a reply's whatever follows it.
        let line_start = start == 0 || b[start - 1] == b'\n' || after_colon(&b[..start]);
        if next == Some(b'-')
            && !line_start
            && !b.get(start + 4).is_some_and(|c| {
                c.is_ascii_alphabetic() || matches!(c, b'4' | b'5' | b'2' | b'\'' | b'"')
            })
        {
            continue;
        }
        let code: u16 = text[start..start + 3].parse().unwrap_or(0);
        let after = text[start + 3..].trim_start_matches([' ', '-', '\t', '#', '(', '\'', '"']);
        let with_status = after.len() >= 5
            && matches!(after.as_bytes()[0], b'4' | b'5' | b'2')
            && after.as_bytes()[1] == b'.'
            && after.as_bytes()[2].is_ascii_digit();
        if hashed && !with_status {
            continue;
        }
        let before = text[..start].trim_end_matches([' ', '\t', '\'', '"', '(', '[']);
        let mut from = before.len().saturating_sub(24);
        while !before.is_char_boundary(from) {
            from += 1;
        }
        let lower_before = before[from..].to_ascii_lowercase();
        let in_place = before.is_empty()
            || before.ends_with(['\n', ':', ';', '<', '>', '='])
            // Sendmail: "554 <a@b>... 550 Host unknown".
            || before.ends_with(">...")
            || before.ends_with("said")
            || before.ends_with("reply")
            || [
                "said", "returned", "reply", "response", "error", "code", "smtp", "status",
                "reason", "failed", "answered", "rejected", "błąd", "blad", "kod",
            ]
            .iter()
            .any(|w| lower_before.ends_with(w));
        // A lone number in running text ("550 users", "port 465") is not a
        // reply unless it stands where replies stand. Some servers write
        // their code twice: "returned was: 550 550 Address unknown".
        let followed_by_text = after
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || matches!(c, '<' | '[' | ':' | '*'))
            || after.starts_with(&text[start..start + 3]) && after[3..].starts_with(' ');
        // Zoho and others label the code: "ERROR_CODE :550, ERROR_CODE :5.2.1".
        let labelled = before.ends_with(':') && after.starts_with([',', ';']);
        // Roundcube: "SMTP Error (550): Failed to add recipient ...". Only
        // after "SMTP": "error: (404) Not Found" is a web client's.
        let bracketed = next == Some(b')')
            && start > 0
            && b[start - 1] == b'('
            && lower_before.contains("smtp");
        // A reply quoted after its code and a dash, as some gateways report
        // the remote server's: "Other mail system problem 554-'Too many hops'".
        let quoted = next == Some(b'-') && matches!(b.get(start + 4), Some(b'\'' | b'"'));
        if with_status
            || quoted
            || in_place
                && (followed_by_text
                    || after.is_empty()
                    || next == Some(b'-')
                    || labelled
                    || bracketed)
        {
            out.push(Reply {
                code,
                offset: start,
                with_status,
                in_place,
            });
            i = start + 3;
        }
    }
    out
}

/// Whether the text ends with a colon and spaces, as before a reply quoted
/// in a report.
fn after_colon(before: &[u8]) -> bool {
    before.trim_ascii_end().ends_with(b":") && before.last().is_some_and(|c| *c == b' ')
}

/// Returns the first error reply code of a diagnostic.
pub fn find_reply(text: &str) -> Option<u16> {
    replies(text).first().map(|r| r.code)
}

/// Tells whether an enhanced status code names a failure (class 4 or 5).
pub fn is_failure(status: &str) -> bool {
    status.starts_with('4') || status.starts_with('5')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sendmail_gives_the_remote_servers_code_after_its_own() {
        assert_eq!(
            reply_for(
                "554 <jan@firma.example>... 550 Host unknown (Authoritative answer from name server)",
                None
            ),
            Some(550)
        );
        assert_eq!(
            find_reply("5.3.0 - Other mail system problem 554-'Too many hops'"),
            Some(554)
        );
        // Without the address and its dots, the first code stands.
        assert_eq!(reply_for("554 Transaction failed 550", None), Some(554));
    }

    #[test]
    fn status_prefers_specific_codes() {
        assert_eq!(
            find_status("550 5.0.0 <a@b>... 5.1.1 User unknown").as_deref(),
            Some("5.1.1")
        );
        assert_eq!(find_status("550 5.0.0 rejected").as_deref(), Some("5.0.0"));
        assert_eq!(find_status("host 192.0.2.153 said 550 x").as_deref(), None);
        assert_eq!(find_status("Sendmail v5.1.1 here").as_deref(), None);
        assert_eq!(find_status("(#5.5.0)").as_deref(), Some("5.5.0"));
        assert_eq!(
            find_status("550 5.7.133 RESOLVER").as_deref(),
            Some("5.7.133")
        );
        assert_eq!(find_status("Exim 4.72 and 10.5.1.1").as_deref(), None);
        assert_eq!(find_status("WordPress w wersji 5.2.1").as_deref(), None);
        assert_eq!(find_status("Version 4.4.1 and PHP 5.4.45").as_deref(), None);
        assert_eq!(find_status("550 5.1.1 version").as_deref(), Some("5.1.1"));
    }

    #[test]
    fn repeated_prefixes_are_removed() {
        assert_eq!(
            unrepeat(
                "550-5.7.1 Unauthenticated email is not accepted due to domain's 550-5.7.1 DMARC policy. 550 5.7.1 See help."
            ),
            "550-5.7.1 Unauthenticated email is not accepted due to domain's DMARC policy. See help."
        );
        assert_eq!(
            unrepeat("554 5.7.1 <a@b>: Relay access denied"),
            "554 5.7.1 <a@b>: Relay access denied"
        );
        assert_eq!(unrepeat("no code here"), "no code here");
    }

    #[test]
    fn replies_are_found_where_they_stand() {
        let codes = |t: &str| replies(t).iter().map(|r| r.code).collect::<Vec<_>>();
        assert_eq!(codes("SMTP Error (535): Authentication failed."), [535]);
        assert_eq!(
            codes("Błąd SMTP (550): Nie udało się dodać odbiorcy"),
            [550]
        );
        assert_eq!(codes("see page (550) of the manual"), Vec::<u16>::new());
        assert_eq!(
            codes("returned an error: (404) Not Found."),
            Vec::<u16>::new()
        );
        assert_eq!(codes("554 5.7.1 <a@b>: Relay access denied"), [554]);
        assert_eq!(codes("host mx[192.0.2.1] said: 550 User unknown"), [550]);
        assert_eq!(codes("<<< 552 Too much mail data"), [552]);
        assert_eq!(codes("smtp; 550-5.1.1 The email account"), [550]);
        assert_eq!(
            codes("We have 550 users and port 465 open"),
            Vec::<u16>::new()
        );
        assert_eq!(
            codes("Date: Thu, 24 Apr 2013 00:00:00 +0900"),
            Vec::<u16>::new()
        );
        assert_eq!(codes("SIZE=1543: host mx"), Vec::<u16>::new());
        // An amount is not a reply, though a comma may follow one.
        assert_eq!(codes("Kwota: 401,00 zł"), Vec::<u16>::new());
        assert_eq!(codes("Razem: 450 PLN"), Vec::<u16>::new());
        assert_eq!(codes("Kwota: 550 zł brutto"), Vec::<u16>::new());
        assert_eq!(codes("said: 550, mailbox unavailable"), [550]);
        assert_eq!(
            codes("Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound'"),
            [550]
        );
        // Exchange's `#` before a reply with its status, but not a number.
        assert_eq!(codes("#550 5.2.2 STOREDRV.Deliver: mailbox full"), [550]);
        assert_eq!(codes("see ticket #550 about it"), Vec::<u16>::new());
        // A multi-line reply right after a colon, whatever follows the dash;
        // elsewhere a dash and a digit are a range.
        assert_eq!(
            codes("after initial connection: 550-192.0.2.1 is blocked"),
            [550]
        );
        assert_eq!(codes("between 450-499 messages"), Vec::<u16>::new());
        // An HTML attribute in a returned page, but a quoted reply counts.
        assert_eq!(
            codes(r#"<img width="450" height="150">"#),
            Vec::<u16>::new()
        );
        assert_eq!(codes(r#"server said "550 User unknown""#), [550]);
        assert_eq!(
            codes("550 ** No mail box available for this user **"),
            [550]
        );
        // A code written twice is one reply.
        assert_eq!(codes("returned was: 550 550 Address unknown"), [550]);
    }
}
