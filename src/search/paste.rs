//! Telling pasted error text from search words.

/// Tells whether a query looks like pasted error text rather than a few
/// search words, so the page can put the paste box's answer first.
///
/// True for text of several lines; for an SMTP reply line, that is a reply
/// code and an enhanced status followed by their message (as in
/// `550 5.1.1 <a@b.c>: Recipient address rejected`); for an HTTP status line
/// (`HTTP/1.1 403 Forbidden`); and for longer text that holds both an e-mail
/// address and a reply code. A bare code (`554 5.7.1`) or a few words are a
/// search.
pub fn looks_like_paste(query: &str) -> bool {
    let query = query.trim();
    if query
        .lines()
        .filter(|l| !l.trim().is_empty())
        .nth(1)
        .is_some()
    {
        return true;
    }
    let words: Vec<&str> = query.split_whitespace().collect();
    let has_address = words.iter().any(|w| is_address(w));
    for (i, &word) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or_default();
        // "550 5.1.1 <a@b.c>: ..." or "550-5.7.1 ...": a reply, its status, then its text.
        if is_reply_code(word) && is_status(next) {
            let message = &words[i + 2..];
            if message.len() >= 4 || (has_address && !message.is_empty()) {
                return true;
            }
        }
        if let Some((reply, status)) = word.split_once('-')
            && is_reply_code(reply)
            && is_status(status)
            && words.len() - i > 4
        {
            return true;
        }
        if word.starts_with("HTTP/") && next.len() == 3 && next.bytes().all(|b| b.is_ascii_digit())
        {
            return true;
        }
    }
    let has_code = words.iter().any(|w| is_reply_code(w) || is_status(w));
    query.chars().count() >= 60 && has_address && has_code
}

/// Tells whether a word is an SMTP reply code (`550`, `421`, `250:`).
fn is_reply_code(word: &str) -> bool {
    let word = word.trim_end_matches([':', '-']);
    word.len() == 3
        && matches!(word.as_bytes()[0], b'2' | b'4' | b'5')
        && word.bytes().all(|b| b.is_ascii_digit())
}

/// Tells whether a word is an RFC 3463 enhanced status code (`5.7.1`).
fn is_status(word: &str) -> bool {
    let word = word
        .trim_end_matches([':', ',', ';', ')'])
        .trim_start_matches('(');
    let mut parts = word.split('.');
    let (Some(class), Some(subject), Some(detail), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    matches!(class, "2" | "4" | "5")
        && [subject, detail]
            .iter()
            .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Tells whether a word is (or holds, in brackets) an e-mail address.
fn is_address(word: &str) -> bool {
    let word = word.trim_matches(|c: char| "<>()[]\"',;:".contains(c));
    word.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
    })
}
