//! Text clean-up before classification: line ends, mbox splitting, quote
//! marks, JSON events, the copy of the original message, and logical lines.

use std::borrow::Cow;

/// Reads bytes as UTF-8; borrows when they all are.
///
/// Bytes with no UTF-8 in them at all, only ASCII and single bytes over
/// 127, are a legacy 8-bit text (a report saved by an old Windows mail
/// program): they are read as Windows-1250, the code page of Polish
/// Windows, so that "pełna" stays "pełna". Otherwise what is not UTF-8 is
/// replaced.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) if bytes.utf8_chunks().all(|c| c.valid().is_ascii()) => {
            encoding_rs::WINDOWS_1250
                .decode_without_bom_handling(bytes)
                .0
        }
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Converts CRLF and bare CR line ends to LF.
pub fn normalize_newlines(input: &[u8]) -> Cow<'_, [u8]> {
    let Some(first) = memchr::memchr(b'\r', input) else {
        return Cow::Borrowed(input);
    };
    let mut out = Vec::with_capacity(input.len());
    let mut rest = &input[first..];
    out.extend_from_slice(&input[..first]);
    while let Some(cr) = memchr::memchr(b'\r', rest) {
        out.extend_from_slice(&rest[..cr]);
        out.push(b'\n');
        rest = &rest[cr + 1..];
        if rest.first() == Some(&b'\n') {
            rest = &rest[1..];
        }
    }
    out.extend_from_slice(rest);
    Cow::Owned(out)
}

/// Normalises the line ends of a string, reusing it when it has none to change.
pub fn normalize_string(text: String) -> String {
    match normalize_newlines(text.as_bytes()) {
        Cow::Borrowed(_) => text,
        // Only ASCII bytes were replaced, so valid UTF-8 stays valid.
        Cow::Owned(bytes) => String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    }
}

/// Splits an mbox file into its messages; other text comes back whole.
///
/// A message starts at a `From ` postmark line at the start of the input or
/// after a blank line; the postmark line itself is dropped.
pub fn split_mbox(input: &[u8]) -> Vec<&[u8]> {
    if !input.starts_with(b"From ") {
        return vec![input];
    }
    let mut starts = vec![0];
    let mut pos = 0;
    while let Some(found) = memchr::memmem::find(&input[pos..], b"\n\nFrom ") {
        let start = pos + found + 2;
        if is_postmark(&input[start..]) {
            starts.push(start);
        }
        pos = start;
    }
    let mut messages = Vec::with_capacity(starts.len());
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(input.len());
        let chunk = &input[start..end];
        let body = match memchr::memchr(b'\n', chunk) {
            Some(nl) => &chunk[nl + 1..],
            None => &[][..],
        };
        messages.push(body);
    }
    messages
}

/// Tells whether a line is an mbox postmark: `From sender date`.
fn is_postmark(line: &[u8]) -> bool {
    let end = memchr::memchr(b'\n', line).unwrap_or(line.len());
    let line = &line[..end.min(200)];
    // "From " + address + a date with a year; an ordinary sentence starting
    // with "From " rarely has a colon-separated time in it.
    line.len() > 10
        && line
            .windows(3)
            .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit())
}

/// Removes `>` quote marks when most of the text is quoted.
///
/// SMTP transcripts use `>>> ` for what the client sent; those lines are not
/// quotes and are left alone.
pub fn unquote(text: &str) -> Cow<'_, str> {
    if !has_quoted_line(text) {
        return Cow::Borrowed(text);
    }
    let mut current = Cow::Borrowed(text);
    for _ in 0..8 {
        let mut quoted = 0usize;
        let mut filled = 0usize;
        for line in current.lines() {
            if line.trim().is_empty() {
                continue;
            }
            filled += 1;
            if is_quoted(line) {
                quoted += 1;
            }
        }
        if filled == 0 || quoted * 2 < filled {
            break;
        }
        let mut out = String::with_capacity(current.len());
        for line in current.lines() {
            let line = if is_quoted(line) {
                let rest = &line.trim_start()[1..];
                rest.strip_prefix(' ').unwrap_or(rest)
            } else {
                line
            };
            out.push_str(line);
            out.push('\n');
        }
        current = Cow::Owned(out);
    }
    current
}

/// Writes out a JSON document as text, for a mail service's bounce event
/// pasted from its dashboard, logs or webhook: one `key: value` line for
/// each string and number, in the document's order, with a blank line after
/// each object so that the records of several recipients stay apart.
/// `None` when the text is not a JSON object or array.
pub fn unjson(text: &str) -> Option<String> {
    let t = text.trim();
    let bracketed = |open: char, close: char| t.starts_with(open) && t.ends_with(close);
    if !bracketed('{', '}') && !bracketed('[', ']') {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(t).ok()?;
    let mut out = String::with_capacity(t.len());
    write_json(&value, "", &mut out);
    Some(out)
}

fn write_json(value: &serde_json::Value, key: &str, out: &mut String) {
    use serde_json::Value;
    let mut field = |value: &dyn std::fmt::Display| {
        use std::fmt::Write;
        let _ = writeln!(out, "{key}: {value}");
    };
    match value {
        Value::String(s) => field(s),
        Value::Number(n) => field(n),
        Value::Bool(_) | Value::Null => {}
        // An array of scalars is one field of several values.
        Value::Array(items) => {
            for item in items {
                write_json(item, key, out);
            }
        }
        Value::Object(fields) => {
            for (name, value) in fields {
                write_json(value, name, out);
            }
            if !out.is_empty() && !out.ends_with("\n\n") {
                out.push('\n');
            }
        }
    }
}

/// Returns a double-spaced text (a blank line after every line, as text
/// copied from a mail client's HTML view often is) with the blank lines
/// taken out; a run of blank lines, once a paragraph break, stays one.
/// `None` when some lines follow each other, so the spacing is the text's
/// own.
pub fn undouble(text: &str) -> Option<String> {
    let mut filled = 0;
    let mut last_filled = false;
    for line in text.lines() {
        let is_filled = !line.trim().is_empty();
        if is_filled && last_filled {
            return None;
        }
        filled += usize::from(is_filled);
        last_filled = is_filled;
    }
    if filled < 4 {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut blanks = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blanks += 1;
            continue;
        }
        if blanks > 1 {
            out.push('\n');
        }
        blanks = 0;
        out.push_str(line);
        out.push('\n');
    }
    Some(out)
}

/// Tells, in one pass over the bytes, whether any line starts with `>`.
fn has_quoted_line(text: &str) -> bool {
    let b = text.as_bytes();
    let starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', b).map(|i| i + 1));
    starts.into_iter().any(|s| {
        b.get(s..)
            .and_then(|rest| rest.iter().find(|&&c| c != b' ' && c != b'\t'))
            .is_some_and(|&c| c == b'>')
    })
}

fn is_quoted(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('>') && !is_transcript(t)
}

/// Tells whether a line is an SMTP transcript line (`>>> RCPT TO:<...>`).
fn is_transcript(line: &str) -> bool {
    line.strip_prefix(">>> ")
        .is_some_and(|rest| rest.bytes().next().is_some_and(|b| b.is_ascii_alphabetic()))
}

/// Words that, on a line of dashes, mark the start of the returned message.
const ORIGINAL_MARKERS: &[&str] = &[
    "original message",
    "copy of the message",
    "copy of your message",
    "returned message",
    "undelivered message",
    "unsent message",
    "message headers follow",
    "headers of the original",
    "original mail",
    "below this line is a copy",
    "content of the original",
    "the message you sent",
    "here is your message",
    "rejected message",
    "message follows",
    "message text follows",
];

/// Cuts a bounce's text where the copy of the original message begins.
///
/// The copy often holds addresses and numbers that have nothing to do with
/// the failure; it is returned apart so its headers can still name the
/// recipient. A marker with no reply before it and one after it is a
/// forward's ("-----Original Message-----" above a forwarded bounce), not
/// a copy's, and is passed over.
pub fn split_original(text: &str) -> (&str, &str) {
    let names_reply = |s: &str| {
        super::smtp::find_reply(s).is_some()
            || super::smtp::find_status(s).is_some_and(|st| st.starts_with(['4', '5']))
    };
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let first = line.bytes().find(|b| *b != b' ' && *b != b'\t');
        let last = line.bytes().rev().find(|b| !b.is_ascii_whitespace());
        if !matches!(first, Some(b'-' | b'=' | b'*' | b'_' | b'#' | b'c' | b'C'))
            && !matches!(last, Some(b'-' | b'=' | b':'))
        {
            offset += line.len();
            continue;
        }
        let t = line.trim();
        let decorated = t.starts_with(['-', '=', '*', '_', '#']) || t.ends_with(['-', '=', ':']);
        let lower_ok = decorated && t.len() <= 120 && {
            let l = t.to_ascii_lowercase();
            ORIGINAL_MARKERS.iter().any(|m| l.contains(m)) && !l.contains("transcript")
        };
        if lower_ok || t.eq_ignore_ascii_case("content-type: message/rfc822") {
            let rest = text[offset + line.len()..].trim_start_matches('\n');
            if names_reply(&text[..offset]) || !names_reply(rest) {
                return (&text[..offset], rest);
            }
        }
        offset += line.len();
    }
    (text, "")
}

/// Collapses every run of whitespace to one space and trims the ends.
pub fn squeeze(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// One or more physical lines read as one: wrapped SMTP replies rejoined.
#[derive(Debug, Clone)]
pub struct Logical<'a> {
    /// The lines trimmed and joined with single spaces; borrowed when the
    /// logical line is one physical line, as most are.
    pub text: Cow<'a, str>,
}

/// Where a text comes from, which says how its lines may have been broken.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A message's own part: its lines are as the mailer wrote them.
    #[default]
    Message,
    /// Pasted by a person: a mail client may have hard-wrapped it.
    Paste,
}

/// Joins wrapped lines into logical lines.
///
/// A line continues the previous one when it is indented and the previous
/// one is not a bare address (Exim lists each address alone, with its error
/// indented below), when the previous one ends in the middle of a reply
/// (`said:`, a bare reply code), or, in a paste, when the text was
/// hard-wrapped at a fixed width (see [`wrap_width`]) and the line's first
/// word did not fit on the one before.
pub fn logical_lines(text: &str, origin: Origin) -> Vec<Logical<'_>> {
    let mut out: Vec<Logical> = Vec::new();
    let mut prev_indent = 0usize;
    // The width the text was wrapped at, found when first needed; a
    // message's own text is never re-wrapped.
    let mut width: Option<Option<usize>> = (origin == Origin::Message).then_some(None);
    let mut prev_line = "";
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            out.push(Logical {
                text: Cow::Borrowed(""),
            });
            prev_indent = 0;
            continue;
        }
        let prev_line = std::mem::replace(&mut prev_line, line);
        let indent = line.len() - line.trim_start().len();
        let continues = match out.last() {
            Some(prev) if !prev.text.is_empty() => {
                let p: &str = &prev.text;
                let wants_more = p.ends_with(':') && p.len() > 12 && !is_bare_address(p)
                    || ends_with_reply_code(p)
                    || ends_with_status(p)
                    || p.ends_with(',')
                    || p.ends_with(" said")
                    || p.ends_with(" returned");
                // A reply wrapped at a fixed width without indentation:
                // "... 554 5.7.1 Message cannot be" / "accepted, spam rejection".
                let wrapped_reply = trimmed.starts_with(|c: char| c.is_ascii_lowercase())
                    && !p.ends_with(['.', '!', '?', ':', ')'])
                    && !trimmed
                        .split_whitespace()
                        .next()
                        .is_some_and(|w| w.contains(['@', ':']))
                    && super::smtp::replies(p)
                        .iter()
                        .any(|r| r.in_place || r.with_status);
                (indent > 0 && indent >= prev_indent.max(1) && !is_bare_address(p)
                    || wants_more
                    || wrapped_reply
                    || {
                        let width = *width.get_or_insert_with(|| wrap_width(text));
                        width.is_some_and(|w| hard_wrapped(w, prev_line, p, trimmed))
                    })
                    && !starts_new_item(trimmed)
                    && !is_decoration(p)
            }
            _ => false,
        };
        // A multi-line reply: "550-5.7.1 first part" then "550 5.7.1 rest".
        let reply_tail = out
            .last()
            .and_then(|prev| continued_reply(&prev.text, trimmed));
        if let Some(rest) = reply_tail {
            let prev = out.last_mut().expect("checked above");
            if !rest.is_empty() {
                let text = prev.text.to_mut();
                text.push(' ');
                text.push_str(rest);
            }
        } else if continues {
            let text = out.last_mut().expect("checked above").text.to_mut();
            text.push(' ');
            text.push_str(trimmed);
        } else {
            out.push(Logical {
                text: Cow::Borrowed(trimmed),
            });
            prev_indent = indent;
        }
    }
    out
}

/// Tells whether `line` continues `prev_line` in a text hard-wrapped at
/// `width` (`joined` is the logical line so far): a client breaks a line
/// only where the next word would not fit. A sentence may end at the break
/// too, and a line that opens with a label (`a@b:`, `Reason:`, not
/// `administrator:`) or a reply code starts an item of its own.
fn hard_wrapped(width: usize, prev_line: &str, joined: &str, line: &str) -> bool {
    let first = line.split(' ').next().unwrap_or("");
    width_of(prev_line.trim_end()) + 1 + width_of(first) > width
        && (!joined.ends_with(['.', '!', '?']) || joined.ends_with("..."))
        && !(first.ends_with(':')
            && (first.contains('@') || first.starts_with(|c: char| c.is_uppercase())))
        && !starts_with_reply_code(line)
}

/// The width a text was hard-wrapped at, as a mail client wraps a message
/// it sends as plain text (usually 72 to 80 characters), or `None` when it
/// does not look hard-wrapped.
///
/// The width is that of the longest line that could have been broken (one
/// with a space in it); a wrapped text has several lines close to it, and a
/// text with longer lines was not wrapped.
fn wrap_width(text: &str) -> Option<usize> {
    const NARROWEST: usize = 60;
    const WIDEST: usize = 90;
    // How many breakable lines have each width.
    let mut count = [0u32; WIDEST + 1];
    for line in text.lines() {
        let line = line.trim_end();
        if !line.trim_start().contains(' ') {
            continue;
        }
        let w = width_of(line);
        if w > WIDEST {
            return None;
        }
        count[w] += 1;
    }
    let widest = count.iter().rposition(|&n| n > 0)?;
    let near: u32 = count[widest.saturating_sub(12)..].iter().sum();
    (widest >= NARROWEST && near >= 3).then_some(widest)
}

/// The width of a line in characters, as a mail client counts when wrapping.
fn width_of(line: &str) -> usize {
    if line.is_ascii() {
        line.len()
    } else {
        line.chars().count()
    }
}

/// How far into a joined line the start of a multi-line reply is looked for.
const REPLY_PREFIX_SEARCH: usize = 512;

/// Returns the text of a line that continues a multi-line reply, without
/// its repeated code: after "550-5.7.1 a", the line "550 5.7.1 b" gives "b".
fn continued_reply<'t>(prev: &str, line: &'t str) -> Option<&'t str> {
    // Transcripts mark the server's lines: "<<< 550-5.7.1 ...".
    let (prev, line) = match (prev.strip_prefix("<<< "), line.strip_prefix("<<< ")) {
        (Some(p), Some(l)) => (p, l),
        (None, None) => (prev, line),
        _ => return None,
    };
    // Only a line that starts with a reply code can go on a reply.
    let l = line.as_bytes();
    if l.len() < 4 || !l[..3].iter().all(u8::is_ascii_digit) || !matches!(l[3], b'-' | b' ') {
        return None;
    }
    // The joined text so far: only its first reply prefix matters. It
    // starts the text, or follows the words that introduce it ("SMTP error
    // from remote mail server after initial connection: 550-5.7.1 ..."),
    // which are looked through for a short way only.
    let b = prev.as_bytes();
    let start = (0..b.len().min(REPLY_PREFIX_SEARCH).saturating_sub(3)).find(|&i| {
        (i == 0 || b[i - 1] == b' ')
            && matches!(b[i], b'4' | b'5')
            && b[i + 1].is_ascii_digit()
            && b[i + 2].is_ascii_digit()
            && b[i + 3] == b'-'
    })?;
    let prev = &prev[start..];
    let code = &prev[..4];
    let rest = line.strip_prefix(&code[..3])?;
    let rest = rest.strip_prefix(['-', ' '])?;
    // Drop the repeated enhanced status too, when the first line had one.
    let status = prev.get(4..).unwrap_or("").split(' ').next().unwrap_or("");
    let rest = if super::is_enhanced_status(status) {
        rest.strip_prefix(status).map_or(rest, str::trim_start)
    } else {
        rest
    };
    Some(rest.trim())
}

/// Tells whether a text opens with a failure reply code (`550 `, `451-`).
pub fn starts_with_reply_code(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 4
        && matches!(b[0], b'4' | b'5')
        && b[1].is_ascii_digit()
        && b[2].is_ascii_digit()
        && matches!(b[3], b' ' | b'-')
}

fn ends_with_reply_code(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 4
        && b[b.len() - 4] == b' '
        && matches!(b[b.len() - 3], b'4' | b'5')
        && b[b.len() - 2].is_ascii_digit()
        && b[b.len() - 1].is_ascii_digit()
}

fn ends_with_status(text: &str) -> bool {
    let last = text.rsplit(' ').next().unwrap_or("");
    super::is_enhanced_status(last.trim_start_matches('#'))
        && (last.starts_with('4') || last.starts_with('5'))
}

/// Lines that start something new even when indented: an address alone,
/// an SMTP transcript line, a DSN field.
fn starts_new_item(line: &str) -> bool {
    is_bare_address(line)
        || line.starts_with(">>>")
        || line.starts_with("<<<")
        || is_decoration(line)
        || is_field_line(line)
}

/// Tells whether a line is a rule or a banner (`----- Transcript -----`).
fn is_decoration(line: &str) -> bool {
    line.starts_with("--")
        || line.starts_with("==")
        || line.starts_with("**")
        || line.starts_with("##")
}

/// Tells whether a line is `Name: value` with a DSN-style field name.
fn is_field_line(line: &str) -> bool {
    const FIELDS: [&str; 9] = [
        "final-recipient",
        "original-recipient",
        "action",
        "status",
        "remote-mta",
        "diagnostic-code",
        "reporting-mta",
        "last-attempt-date",
        "arrival-date",
    ];
    line.split_once(':')
        .is_some_and(|(name, _)| FIELDS.iter().any(|f| name.eq_ignore_ascii_case(f)))
}

/// Tells whether a line is only an address (`<a@b>`, `a@b:`, `a@b (reason)`).
pub fn is_bare_address(line: &str) -> bool {
    let t = line.trim().trim_end_matches(':').trim();
    let t = t
        .strip_prefix('<')
        .and_then(|s| s.strip_suffix('>'))
        .unwrap_or(t);
    !t.is_empty() && !t.contains(char::is_whitespace) && t.contains('@') && t.len() < 255
}

/// Folds whitespace runs to one space, lower-cases, and writes Polish
/// letters without their marks, for matching.
///
/// SMTP replies are ASCII, so a Polish server writes "skrzynka jest pelna"
/// where a mail client writes "pełna"; folded, both read the same.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            out.extend(lower_plain(word));
        }
    }
    out
}

/// Lower-cases a phrase and writes its Polish letters without their marks,
/// leaving its spaces as they are: what [`fold`] does to each word.
pub fn fold_letters(text: &str) -> String {
    lower_plain(text).collect()
}

fn lower_plain(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().flat_map(char::to_lowercase).map(|c| match c {
        'ą' => 'a',
        'ć' => 'c',
        'ę' => 'e',
        'ł' => 'l',
        'ń' => 'n',
        'ó' => 'o',
        'ś' => 's',
        'ź' | 'ż' => 'z',
        c => c,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_spacing_and_polish_marks() {
        assert_eq!(
            fold("  Skrzynka\n ODBIORCY jest  PEŁNA "),
            "skrzynka odbiorcy jest pelna"
        );
        assert_eq!(fold("Błąd żółć Ąę Ńś Ź"), "blad zolc ae ns z");
        assert_eq!(fold_letters(" Łódź "), " lodz ");
        assert_eq!(fold("Straße"), "straße");
    }

    #[test]
    fn whitespace_is_squeezed() {
        assert_eq!(
            squeeze("  550 5.1.1\n\t  unknown   user \r\n"),
            "550 5.1.1 unknown user"
        );
        assert_eq!(squeeze(" \n "), "");
    }

    #[test]
    fn line_ends_are_normalised() {
        assert_eq!(&*normalize_newlines(b"a\r\nb\rc\n"), b"a\nb\nc\n");
        assert_eq!(&*normalize_newlines(b"a\r\r\nb"), b"a\n\nb");
    }

    #[test]
    fn mbox_is_split_at_postmarks_only() {
        let mbox = b"From a@b Sat Oct  4 08:00:09 2025\nSubject: one\n\nFrom here on it is text\n\nFrom c@d Sun Oct  5 09:00:00 2025\nSubject: two\n";
        let parts = split_mbox(mbox);
        assert_eq!(parts.len(), 2);
        assert!(parts[0].starts_with(b"Subject: one"));
        assert!(parts[1].starts_with(b"Subject: two"));
    }

    #[test]
    fn quotes_are_removed_but_transcripts_kept() {
        let text = "> Subject: x\n>\n> >>> RCPT To:<a@b>\n> <<< 550 5.1.1 unknown\n";
        let u = unquote(text);
        assert!(u.contains("\n>>> RCPT To:<a@b>\n"), "{u}");
        let nested = ">> a\n>> b\n";
        assert_eq!(unquote(nested), "a\nb\n");
        assert_eq!(
            unquote(">>> RCPT To:<a@b>\n<<< 550 x\n"),
            ">>> RCPT To:<a@b>\n<<< 550 x\n"
        );
    }

    #[test]
    fn wrapped_replies_are_rejoined() {
        let text = "<a@example.jp>: host mx[192.0.2.1] said: 550 5.1.1\n    <a@example.jp>... User Unknown (in reply to RCPT TO command)\n";
        let l = logical_lines(text, Origin::Message);
        assert_eq!(l.len(), 1);
        assert!(l[0].text.ends_with("(in reply to RCPT TO command)"));
        let exim = "  a@example.jp\n    SMTP error from remote mail server after RCPT TO:<a@example.jp>:\n    host mx [192.0.2.2]: 550 5.1.1 unknown\n";
        let l = logical_lines(exim, Origin::Message);
        assert_eq!(l.len(), 2, "{l:?}");
        assert_eq!(l[0].text, "a@example.jp");
        let multi = "550-5.7.1 Unauthenticated email is not accepted due to\n550-5.7.1 the domain's DMARC policy.\n550 5.7.1 Please see the help page.\n";
        let l = logical_lines(multi, Origin::Message);
        assert_eq!(l.len(), 1);
        assert_eq!(
            l[0].text,
            "550-5.7.1 Unauthenticated email is not accepted due to the domain's DMARC policy. Please see the help page."
        );
        // The same after the words that introduce it, on their own line.
        let introduced = "SMTP error from remote mail server after initial connection:\n550-5.7.1 Refused. Your IP address 192.0.2.3 is\n550-5.7.1 listed on bl.example.net. Please visit\n550 5.7.1 https://bl.example.net/?192.0.2.3\n";
        let l = logical_lines(introduced, Origin::Paste);
        assert_eq!(l.len(), 1, "{l:?}");
        assert!(l[0].text.ends_with(
            "is listed on bl.example.net. Please visit https://bl.example.net/?192.0.2.3"
        ));
        let split = "said: 554\n5.7.1 Relay access denied\n";
        assert_eq!(
            logical_lines(split, Origin::Message)[0].text,
            "said: 554 5.7.1 Relay access denied"
        );
    }

    #[test]
    fn double_spacing_is_taken_out() {
        let double = "Delivery failed.\n\nThe following address failed:\n\n  a@example.com\n\n\n\n550 5.1.1 User unknown\n\n";
        assert_eq!(
            undouble(double).as_deref(),
            Some(
                "Delivery failed.\nThe following address failed:\n  a@example.com\n\n550 5.1.1 User unknown\n"
            )
        );
        // Lines that follow each other: the blank lines are the text's own.
        assert_eq!(undouble("a\n\nb\nc\n\nd\n\ne\n"), None);
        assert_eq!(undouble("550 5.1.1\n\nUser unknown\n"), None);
    }

    #[test]
    fn hard_wrapped_text_is_rejoined() {
        // Wrapped at 76 by a mail client: each break is where the next word
        // did not fit, even before a capital ("DNSBL").
        let wrapped = "I'm sorry to have to inform you that your message could not be delivered to\n\
            one or more recipients. For further assistance, please send mail to your\n\
            postmaster, who can read the problem report below and act on it for you.\n\
            <z@example.com>: host mx.example.com[198.51.100.25] said: 554 5.7.1 Message\n\
            refused by DNSBL check. Try again later or ask the recipient to let you in\n\
            <y@example.com>: host mx.example.com[198.51.100.25] said: 550 5.1.1 User\n\
            Unknown\n\
            Reason: the mailbox does not exist\n";
        assert_eq!(wrap_width(wrapped), Some(75));
        assert_eq!(logical_lines(wrapped, Origin::Message).len(), 7);
        let l = logical_lines(wrapped, Origin::Paste);
        let texts: Vec<&str> = l.iter().map(|l| &*l.text).collect();
        assert_eq!(texts.len(), 4, "{texts:?}");
        assert!(texts[1].ends_with("554 5.7.1 Message refused by DNSBL check. Try again later or ask the recipient to let you in"));
        // A line opening with an address label, and one with a label after a
        // line that did not fill the width, start anew.
        assert!(texts[2].starts_with("<y@example.com>") && texts[2].ends_with("User Unknown"));
        assert_eq!(texts[3], "Reason: the mailbox does not exist");
        // Short lines, or lines longer than any client wraps at, are not a
        // hard-wrapped text.
        assert_eq!(wrap_width("550 5.1.1 User\nUnknown\n"), None);
        let long = format!("{}\n{wrapped}", "word ".repeat(30));
        assert_eq!(wrap_width(&long), None);
    }

    #[test]
    fn original_message_is_cut() {
        let text = "error 550\n\n------ This is a copy of the message, including all the headers. ------\nTo: x@y\n";
        let (bounce, original) = split_original(text);
        assert_eq!(bounce, "error 550\n\n");
        assert_eq!(original, "To: x@y\n");
        // A forward's marker, above the bounce it forwards, is passed over.
        let forward = "Klient przesłał:\n-----Original Message-----\nFrom: postmaster@a\n\nRemote Server returned '550 5.7.1 Unable to relay'\n";
        assert_eq!(split_original(forward), (forward, ""));
        // A copy with no reply in it is cut even when nothing before names one.
        let quiet = "Mail could not be delivered.\n--- Original message follows.\nX-Mailman-Version: 2.0.8\n";
        assert_eq!(split_original(quiet).1, "X-Mailman-Version: 2.0.8\n");
    }

    #[test]
    fn json_events_become_fields() {
        let event = r#"{"bounce": {"recipients": [{"email": "a@example.com", "code": 550},
            {"email": "b@example.com", "ok": true}], "to": ["c@example.com", "d@example.com"]}}"#;
        assert_eq!(
            unjson(event).as_deref(),
            Some(
                "email: a@example.com\ncode: 550\n\nemail: b@example.com\n\nto: c@example.com\nto: d@example.com\n\n"
            )
        );
        assert_eq!(unjson("{not json}"), None);
        assert_eq!(unjson("550 5.1.1 {a} [b]"), None);
    }
}
