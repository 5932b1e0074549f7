//! Raw messages: MIME parsing (by `mailparse`) and RFC 3464 delivery
//! status fields.
//!
//! The result, a [`Mail`], separates what the bounce says (its human text and
//! its DSN records) from the copy of the original message it carries.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
use mailparse::MailHeaderMap;

use super::text::{self, Origin};

/// One per-recipient block of a delivery status notification.
#[derive(Debug, Default, Clone)]
pub struct DsnRecord {
    pub final_recipient: Option<String>,
    pub original_recipient: Option<String>,
    pub action: Option<String>,
    pub status: Option<String>,
    pub remote_mta: Option<String>,
    pub diagnostic_type: Option<String>,
    pub diagnostic: Option<String>,
    /// The block's fields, unfolded, one per line: the excerpt when the
    /// diagnostic itself says little.
    pub fields: String,
}

impl DsnRecord {
    /// Returns the recipient: the final one, else the original one.
    pub fn recipient(&self) -> Option<&str> {
        self.final_recipient
            .as_deref()
            .or(self.original_recipient.as_deref())
    }

    fn is_empty(&self) -> bool {
        self.final_recipient.is_none()
            && self.original_recipient.is_none()
            && self.status.is_none()
            && self.diagnostic.is_none()
    }
}

/// A bounce read as a message.
#[derive(Debug, Default)]
pub struct Mail {
    pub from: Option<String>,
    /// Sent from the null sender (`Return-Path: <>`), as RFC 5321 has
    /// every delivery report sent.
    pub null_sender: bool,
    pub to: Vec<String>,
    pub subject: String,
    /// Addresses named by `X-Failed-Recipients` (Exim and others).
    pub failed_recipients: Vec<String>,
    pub reporting_mta: Option<String>,
    pub dsn: Vec<DsnRecord>,
    /// The human-readable part of the bounce, without the returned message.
    pub text: String,
    /// Recipients of the returned original message, from its `To` header.
    pub original_to: Vec<String>,
    pub original_from: Option<String>,
    /// A message, or a report's body pasted as text.
    pub origin: Origin,
}

impl Mail {
    /// Tells whether the message presents itself as a bounce: sent by a
    /// mailer daemon or postmaster or from the null sender, or titled like
    /// a delivery report.
    pub fn looks_like_bounce(&self) -> bool {
        const SENDERS: &[&str] = &[
            "mailer-daemon",
            "postmaster",
            "mail-daemon",
            "maildaemon",
            "mailerdaemon",
            "mdaemon",
        ];
        const SUBJECTS: &[&str] = &[
            "undeliver",
            "undelivered",
            "delivery status notification",
            "delivery failure",
            "delivery failed",
            "failure notice",
            "returned mail",
            "mail delivery failed",
            "delivery notification",
            "could not be delivered",
            "not delivered",
            "nondeliverable",
            "non-delivery",
            "non delivery",
            "delivery problem",
            "could not send",
            "delayed mail",
            "mail system error",
            "returned to sender",
            "delivery has failed",
            "delivery report",
            "message not delivered",
            "warning: message",
            "failed delivery",
            "bounce",
        ];
        let local = self
            .from
            .as_deref()
            .and_then(|f| f.split('@').next())
            .unwrap_or("")
            .to_ascii_lowercase();
        let subject = self.subject.to_lowercase();
        SENDERS.iter().any(|s| local.contains(s))
            || self.null_sender
            || !self.failed_recipients.is_empty()
            || SUBJECTS.iter().any(|s| subject.contains(s))
    }
}

/// Tells whether a text starts with a header block (a raw message): header
/// lines from the first line on, two or more of them ones every message has.
pub fn looks_like_message(text: &str) -> bool {
    const KNOWN: [&str; 13] = [
        "from",
        "to",
        "subject",
        "date",
        "received",
        "return-path",
        "message-id",
        "mime-version",
        "content-type",
        "delivered-to",
        "reply-to",
        "auto-submitted",
        "x-failed-recipients",
    ];
    let mut known = 0;
    for (i, line) in text.lines().take(400).enumerate() {
        if line.is_empty() {
            return i > 0 && known >= 2;
        }
        if known >= 3 {
            // Enough headers every message has, from the first line on.
            return true;
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((name, _)) = line.split_once(':') else {
            // Mbox postmarks and mailer preambles may precede the headers.
            return false;
        };
        if name.is_empty() || name.contains(' ') || name.len() > 76 {
            return false;
        }
        if KNOWN.iter().any(|k| name.eq_ignore_ascii_case(k)) {
            known += 1;
        }
    }
    known >= 2
}

static PART_TYPES: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .build([
            "message/delivery-status",
            "message/rfc822",
            "message/global\n",
            "message/global;",
        ])
        .expect("part types compile")
});

/// Builds this module's matcher now rather than on first use.
pub(super) fn prepare() {
    LazyLock::force(&PART_TYPES);
}

/// Splits a multipart bounce before the part that returns the original
/// message, when that part comes after the delivery status.
///
/// The returned message is often most of the bounce (with attachments, in
/// base64); only its headers matter, for its recipients. Keeping it from
/// the MIME parser makes a bounce cheap to read whatever it carries.
fn split_returned(raw: &[u8]) -> (&[u8], Option<&[u8]>) {
    let Some(body) = memchr::memmem::find(raw, b"\n\n") else {
        return (raw, None);
    };
    // Only a multipart message has parts to split off.
    let headers = &raw[..body];
    if !memchr::memchr_iter(b'/', headers)
        .any(|i| i >= 9 && headers[i - 9..i].eq_ignore_ascii_case(b"multipart"))
    {
        return (raw, None);
    }
    let mut seen_status = false;
    for m in PART_TYPES.find_iter(&raw[body..]) {
        let at = body + m.start();
        if m.pattern().as_usize() == 0 {
            seen_status = true;
            continue;
        }
        let line_start = raw[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let is_header = raw[line_start..at].eq_ignore_ascii_case(b"content-type: ")
            || raw[line_start..at].eq_ignore_ascii_case(b"content-type:");
        if !is_header {
            continue;
        }
        if !seen_status {
            return (raw, None);
        }
        // The returned message starts after the part's own headers.
        let part = &raw[line_start..];
        let inner = memchr::memmem::find(part, b"\n\n").map_or(&[][..], |i| &part[i + 2..]);
        return (
            &raw[..line_start],
            Some(&inner[..inner.len().min(64 * 1024)]),
        );
    }
    (raw, None)
}

/// The top-level headers a bounce is read from. The MIME parser is given
/// only these (with their continuation lines): the rest, `Received` lines,
/// signatures and tracking, is often most of a bounce's headers.
const KEPT_HEADERS: [&str; 9] = [
    "content-type",
    "content-transfer-encoding",
    "mime-version",
    "from",
    "to",
    "subject",
    "x-failed-recipients",
    "content-disposition",
    "return-path",
];

/// Returns the lines of a header block whose field is one of `names`, with
/// their continuation lines.
fn header_lines(block: &[u8], names: &[&str], out: &mut Vec<u8>) {
    let mut keep = false;
    let mut start = 0;
    while start < block.len() {
        let end = memchr::memchr(b'\n', &block[start..]).map_or(block.len(), |i| start + i + 1);
        let line = &block[start..end];
        if !line.starts_with(b" ") && !line.starts_with(b"\t") {
            let name = memchr::memchr(b':', line).map_or(line, |i| &line[..i]);
            keep = names
                .iter()
                .any(|k| name.eq_ignore_ascii_case(k.as_bytes()));
        }
        if keep {
            out.extend_from_slice(line);
        }
        start = end;
    }
}

/// Returns the message with only the kept top-level headers.
fn prune_headers(raw: &[u8]) -> Vec<u8> {
    let end = memchr::memmem::find(raw, b"\n\n").map_or(raw.len(), |i| i + 1);
    let mut out = Vec::with_capacity(raw.len());
    header_lines(&raw[..end], &KEPT_HEADERS, &mut out);
    out.extend_from_slice(&raw[end..]);
    out
}

/// The most of one text part that is read: a bounce says what it has to
/// say long before this, and a huge part is an attachment, not a report.
const PART_LIMIT: usize = 16 * 1024;

/// How deep bounces attached to messages are looked into: a bounce
/// forwarded as an attachment, and once more.
const ATTACHED_DEPTH: usize = 2;

/// Parses a raw message.
pub fn parse(raw: &[u8]) -> Option<Mail> {
    parse_at(raw, 0)
}

fn parse_at(raw: &[u8], depth: usize) -> Option<Mail> {
    let (raw, returned) = split_returned(raw);
    let pruned = prune_headers(raw);
    let message = mailparse::parse_mail(&pruned).ok()?;
    let headers = &message.headers;
    let mut mail = Mail {
        from: headers
            .get_first_header("From")
            .and_then(|h| first_address(h)),
        to: headers
            .get_first_header("To")
            .map(all_addresses)
            .unwrap_or_default(),
        null_sender: ["Return-Path", "From"].iter().any(|name| {
            headers
                .get_first_value(name)
                .is_some_and(|v| v.trim() == "<>")
        }),
        subject: headers.get_first_value("Subject").unwrap_or_default(),
        failed_recipients: headers
            .get_first_header("X-Failed-Recipients")
            .map(|h| h.get_value().split(',').filter_map(clean_address).collect())
            .unwrap_or_default(),
        ..Mail::default()
    };
    if let Some(headers) = returned {
        original_headers(&mut mail, headers);
    }

    let mut plain = String::new();
    let mut html = String::new();
    let mut attached = None;
    walk(&message, &mut mail, &mut plain, &mut html, &mut attached);
    // A message that carries a whole bounce as an attachment (forwarded as
    // an attachment, or a report wrapped by a gateway) and has no delivery
    // status of its own is read as the bounce it carries.
    if mail.dsn.is_empty()
        && depth < ATTACHED_DEPTH
        && let Some(inner) = attached.filter(|m| is_report(m))
        && let Some(bounce) = parse_at(&inner, depth + 1)
        && !bounce.dsn.is_empty()
    {
        return Some(bounce);
    }

    let mut body = if plain.trim().is_empty() { html } else { plain };
    if body.trim().is_empty() && mail.dsn.is_empty() {
        // A broken MIME structure (a boundary that never occurs, say) leaves
        // no parts; read the raw body as text rather than lose the report.
        let raw = text::decode(raw);
        body = raw
            .split_once("\n\n")
            .map_or(String::new(), |(_, b)| b.to_string());
    }
    let body = text::normalize_string(body);
    // A bounce forwarded inside an ordinary message comes quoted.
    let mut body = match text::unquote(&body) {
        std::borrow::Cow::Borrowed(_) => body,
        std::borrow::Cow::Owned(unquoted) => unquoted,
    };
    let (bounce, original) = text::split_original(&body);
    if mail.original_to.is_empty() && !original.is_empty() {
        original_headers(&mut mail, original.as_bytes());
    }
    body.truncate(bounce.len());
    mail.text = body;
    if mail.dsn.is_empty() && has_dsn_fields(&mail.text) {
        let (reporting, records) = parse_dsn(&mail.text);
        mail.reporting_mta = reporting;
        mail.dsn = records;
    }
    Some(mail)
}

/// Tells whether a line starts the per-message or per-recipient fields of
/// a delivery status.
fn starts_dsn_field(line: &str) -> bool {
    ["reporting-mta:", "final-recipient:", "original-recipient:"]
        .iter()
        .any(|f| {
            line.get(..f.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(f))
        })
}

/// Tells whether a text carries delivery-status fields written out.
fn has_dsn_fields(text: &str) -> bool {
    text.contains("Final-Recipient:") || text.contains("Original-Recipient:")
}

/// Reads a pasted report that carries its delivery-status fields as text
/// (a bounce's body copied from a mail client, the status part included),
/// as the message it came from; `None` when it has no such fields.
pub fn from_text(text: &str) -> Option<Mail> {
    if !has_dsn_fields(text) {
        return None;
    }
    let (bounce, original) = text::split_original(text);
    let (reporting_mta, dsn) = parse_dsn(bounce);
    if dsn.is_empty() {
        return None;
    }
    // The words are what comes before the fields (as in a message, where
    // they are separate parts); the fields are not read again as words.
    let words = bounce
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .find(|&i| starts_dsn_field(&bounce[i..]))
        .map_or(bounce, |i| &bounce[..i]);
    let words = if words.trim().is_empty() {
        bounce
    } else {
        words
    };
    let mut mail = Mail {
        text: words.to_string(),
        to: super::scan::bounce_addressees(words),
        reporting_mta,
        dsn,
        origin: Origin::Paste,
        ..Mail::default()
    };
    if !original.is_empty() {
        original_headers(&mut mail, original.as_bytes());
    }
    Some(mail)
}

/// Tells whether a message's header block says it is a delivery report
/// (`multipart/report; report-type=delivery-status`).
fn is_report(message: &[u8]) -> bool {
    let head = &message[..message.len().min(PART_LIMIT)];
    let end = memchr::memmem::find(head, b"\n\n").unwrap_or(head.len());
    head[..end]
        .windows(b"delivery-status".len())
        .any(|w| w.eq_ignore_ascii_case(b"delivery-status"))
}

/// Reads the parts of a message, depth first: the report's text, its
/// delivery status, and the headers of the message it returns. The first
/// attached message is kept in `attached`, in case it is itself a bounce.
fn walk(
    part: &mailparse::ParsedMail,
    mail: &mut Mail,
    plain: &mut String,
    html: &mut String,
    attached: &mut Option<Vec<u8>>,
) {
    let mime = part.ctype.mimetype.to_ascii_lowercase();
    match mime.as_str() {
        m if m.starts_with("multipart/") => {
            for sub in &part.subparts {
                walk(sub, mail, plain, html, attached);
            }
        }
        "message/delivery-status" | "message/global-delivery-status" => {
            let raw = part.get_body_raw().unwrap_or_default();
            let text = text::decode(&text::normalize_newlines(&raw)).into_owned();
            let (reporting, records) = parse_dsn(&text);
            mail.reporting_mta = mail.reporting_mta.take().or(reporting);
            mail.dsn.extend(records);
        }
        "message/rfc822" | "message/global" | "text/rfc822-headers" | "message/global-headers"
            if mail.original_to.is_empty() =>
        {
            let body = part.get_body_raw().unwrap_or_default();
            original_headers(mail, &body);
            if attached.is_none() && mime != "text/rfc822-headers" {
                *attached = Some(body);
            }
        }
        "text/html" => {
            html.push_str(&html_to_text(&part_text(part)));
            html.push('\n');
        }
        m if m.starts_with("text/") => {
            plain.push_str(&part_text(part));
            plain.push('\n');
        }
        _ => {}
    }
}

/// Returns a text part decoded, reading at most [`PART_LIMIT`] of it.
fn part_text(part: &mailparse::ParsedMail) -> String {
    if part.raw_bytes.len() <= PART_LIMIT {
        return part.get_body().unwrap_or_default();
    }
    // Cut the raw part on a line end and parse the shorter copy: decoding
    // a few lines more or less changes nothing a bounce says.
    let cut = part.raw_bytes[..PART_LIMIT]
        .iter()
        .rposition(|&b| b == b'\n')
        .unwrap_or(PART_LIMIT);
    mailparse::parse_mail(&part.raw_bytes[..cut])
        .map(|p| p.get_body().unwrap_or_default())
        .unwrap_or_default()
}

/// Reads `To` and `From` from the headers of a returned message.
fn original_headers(mail: &mut Mail, message: &[u8]) {
    let end = memchr::memmem::find(message, b"\n\n").map_or(message.len(), |i| i + 1);
    let mut wanted = Vec::new();
    header_lines(
        &message[..end.min(PART_LIMIT)],
        &["to", "from"],
        &mut wanted,
    );
    wanted.push(b'\n');
    let Ok((parsed, _)) = mailparse::parse_headers(&wanted) else {
        return;
    };
    if mail.original_to.is_empty() {
        mail.original_to = parsed
            .get_first_header("To")
            .map(all_addresses)
            .unwrap_or_default();
    }
    if mail.original_from.is_none() {
        mail.original_from = parsed.get_first_header("From").and_then(first_address);
    }
}

/// The `To` addresses of a returned message's headers.
pub fn original_to(message: &str) -> Vec<String> {
    let mut mail = Mail::default();
    original_headers(&mut mail, message.as_bytes());
    mail.original_to
}

fn first_address(header: &mailparse::MailHeader) -> Option<String> {
    all_addresses(header).into_iter().next()
}

/// Returns the addresses of an address header. Bounce headers hold plain
/// addresses, so reading the `@` tokens is enough, and far cheaper than a
/// full RFC 5322 address parse.
fn all_addresses(header: &mailparse::MailHeader) -> Vec<String> {
    let value = header.get_value();
    value
        .split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | ',' | ';' | '"' | '(' | ')'))
        .filter(|t| t.contains('@'))
        .filter_map(clean_address)
        .collect()
}

/// Trims an address of its type prefix, brackets and quotes; `None` if it
/// is not an address.
pub fn clean_address(raw: &str) -> Option<String> {
    let mut a = raw.trim();
    if let Some((kind, rest)) = a.split_once(';')
        && kind.trim().len() <= 12
        && !kind.contains('@')
    {
        a = rest.trim();
    }
    // Brackets, ASCII and typographic quotes (Polish mail clients write
    // „a@b”), and the sentence's punctuation after them.
    let wrapper = |c: char| {
        matches!(
            c,
            '<' | '>' | '"' | '\'' | '\\' | '„' | '”' | '“' | '‘' | '’' | '«' | '»'
        ) || c.is_whitespace()
    };
    let a = a
        .trim_matches(wrapper)
        .trim_end_matches(['.', ',', ':', ';'])
        .trim_end_matches(wrapper);
    let at = a.rfind('@')?;
    if at == 0
        || at + 1 == a.len()
        || a.len() > 320
        || a.contains(|c: char| c.is_whitespace() || c.is_control())
        || a.contains(['<', '>'])
        // A colon is never in an unquoted local part: `https://...?a@b`,
        // `arn:aws:...:identity/a@b` are not addresses.
        || a[..at].contains(':')
        // A domain is a host name (in any script) or an address literal.
        || !a[at + 1..]
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '[' | ']' | ':'))
    {
        return None;
    }
    Some(a.to_string())
}

/// Parses the fields of a `message/delivery-status` body.
///
/// Returns the reporting MTA and one record per recipient. Blocks are
/// separated by blank lines, but a block that starts a second recipient
/// without one is split too.
pub fn parse_dsn(text: &str) -> (Option<String>, Vec<DsnRecord>) {
    let mut parser = DsnParser::default();
    let mut field: Option<(Field, String)> = None;
    for line in text.lines() {
        // A field is continued on indented lines. A diagnostic, or a field
        // cut after its type (`Final-Recipient: rfc822;`), is continued on
        // any line that is not a field, as when a mail client hard-wrapped
        // the report.
        let continues = !line.trim().is_empty()
            && match &field {
                Some((name, value)) if *name == Field::DiagnosticCode || value.ends_with(';') => {
                    line.starts_with([' ', '\t']) || !is_field_like(line)
                }
                Some(_) => line.starts_with([' ', '\t']),
                None => false,
            };
        if continues {
            if let Some((_, value)) = &mut field {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = field.take() {
            parser.field(name, value);
        }
        if line.trim().is_empty() {
            parser.end_block();
            continue;
        }
        if let Some((name, value)) = line.split_once(':')
            && let Some(name) = Field::named(name.trim())
        {
            field = Some((name, value.trim().to_string()));
        }
    }
    if let Some((name, value)) = field {
        parser.field(name, value);
    }
    parser.end_block();
    (parser.reporting, parser.records)
}

/// Tells whether a line could be a field (`Name: value`, the name a
/// capitalised token or one of the fields read) or a MIME boundary, rather
/// than wrapped text such as `administrator: returned Null MX`.
fn is_field_like(line: &str) -> bool {
    line.starts_with("--")
        || line.split_once(':').is_some_and(|(name, _)| {
            let name = name.trim_end();
            name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && (name.starts_with(|c: char| c.is_ascii_uppercase())
                    || Field::named(name).is_some())
        })
}

/// The delivery-status fields that are read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    ReportingMta,
    FinalRecipient,
    OriginalRecipient,
    ActualRecipient,
    Action,
    Status,
    RemoteMta,
    DiagnosticCode,
}

impl Field {
    fn named(name: &str) -> Option<Field> {
        const NAMES: [(&str, Field); 8] = [
            ("reporting-mta", Field::ReportingMta),
            ("final-recipient", Field::FinalRecipient),
            ("original-recipient", Field::OriginalRecipient),
            ("x-actual-recipient", Field::ActualRecipient),
            ("action", Field::Action),
            ("status", Field::Status),
            ("remote-mta", Field::RemoteMta),
            ("diagnostic-code", Field::DiagnosticCode),
        ];
        NAMES
            .iter()
            .find(|(n, _)| name.eq_ignore_ascii_case(n))
            .map(|(_, f)| *f)
    }

    fn label(self) -> &'static str {
        match self {
            Field::ReportingMta => "Reporting-MTA",
            Field::FinalRecipient => "Final-Recipient",
            Field::OriginalRecipient => "Original-Recipient",
            Field::ActualRecipient => "X-Actual-Recipient",
            Field::Action => "Action",
            Field::Status => "Status",
            Field::RemoteMta => "Remote-MTA",
            Field::DiagnosticCode => "Diagnostic-Code",
        }
    }
}

#[derive(Default)]
struct DsnParser {
    reporting: Option<String>,
    records: Vec<DsnRecord>,
    record: DsnRecord,
}

impl DsnParser {
    fn field(&mut self, name: Field, value: String) {
        let record = &self.record;
        // Records are meant to be separated by blank lines; when they are
        // not, a field the record already has starts the next one.
        let repeated = match name {
            Field::FinalRecipient => record.final_recipient.is_some(),
            Field::OriginalRecipient => record.original_recipient.is_some(),
            Field::Action => record.action.is_some(),
            Field::Status => record.status.is_some(),
            Field::DiagnosticCode => record.diagnostic.is_some(),
            Field::RemoteMta => record.remote_mta.is_some(),
            Field::ReportingMta | Field::ActualRecipient => false,
        };
        if repeated {
            self.end_block();
        }
        let record = &mut self.record;
        if !record.fields.is_empty() {
            record.fields.push('\n');
        }
        record.fields.push_str(name.label());
        record.fields.push_str(": ");
        record.fields.push_str(&value);
        match name {
            Field::ReportingMta => self.reporting = Some(strip_type(&value).to_string()),
            Field::FinalRecipient => record.final_recipient = clean_address(&value),
            Field::OriginalRecipient => record.original_recipient = clean_address(&value),
            Field::ActualRecipient => {
                if record.final_recipient.is_none() {
                    record.final_recipient = clean_address(&value);
                }
            }
            Field::Action => record.action = Some(value.to_ascii_lowercase()),
            Field::Status => {
                record.status = super::smtp::find_status(&value);
                // Some servers write their reply there instead ("Status: 553
                // Exceeded maximum inbound message size"): it is the
                // diagnostic, unless the record has one.
                if record.status.is_none()
                    && record.diagnostic.is_none()
                    && super::text::starts_with_reply_code(&value)
                {
                    record.diagnostic = Some(value.trim().to_string());
                }
            }
            Field::RemoteMta => {
                record.remote_mta = Some(strip_type(&value).to_string()).filter(|s| !s.is_empty())
            }
            Field::DiagnosticCode => {
                let (kind, text) = match value.split_once(';') {
                    Some((k, t)) if k.len() <= 16 && !k.contains(' ') => {
                        (Some(k.trim().to_ascii_uppercase()), t.trim())
                    }
                    _ => (None, value.trim()),
                };
                record.diagnostic_type = kind;
                record.diagnostic = Some(text.to_string()).filter(|t| !t.is_empty());
            }
        }
    }

    fn end_block(&mut self) {
        let done = std::mem::take(&mut self.record);
        if !done.is_empty() && done.recipient().is_some() {
            self.records.push(done);
        }
    }
}

fn strip_type(value: &str) -> &str {
    match value.split_once(';') {
        Some((kind, rest)) if kind.len() <= 12 => rest.trim(),
        _ => value.trim(),
    }
}

/// Tells whether pasted text is HTML source rather than what a page shows:
/// it starts with a tag ("<!DOCTYPE html>", "<p>", "<div class=...>"). A
/// text that starts with an address in brackets ("<a@b>: host ...") does
/// not, and markup further down (a returned message's HTML part) is left
/// to the rest of the classifier.
pub fn looks_like_html(text: &str) -> bool {
    const TAGS: [&str; 14] = [
        "!doctype", "html", "head", "body", "meta", "title", "p", "div", "span", "table", "br",
        "pre", "center", "h1",
    ];
    let Some(tag) = text.trim_start().strip_prefix('<') else {
        return false;
    };
    let name_end = tag
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '!'))
        .unwrap_or(tag.len());
    let (name, rest) = tag.split_at(name_end);
    rest.starts_with([' ', '>', '/', '\n', '\r'])
        && TAGS.iter().any(|t| name.eq_ignore_ascii_case(t))
}

/// Turns HTML into text: tags dropped, block ends as line breaks, the
/// common entities decoded.
pub fn html_to_text(html: &str) -> String {
    // One lower-cased copy to find closing tags in, so that a page with many
    // scripts is still read in one pass.
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len() / 2);
    let mut at = 0;
    while let Some(lt) = html[at..].find('<').map(|i| at + i) {
        push_decoded(&mut out, &html[at..lt]);
        let Some(gt) = html[lt..].find('>').map(|i| lt + i) else {
            at = html.len();
            break;
        };
        let raw_tag = &lower[lt + 1..gt];
        let closing = raw_tag.starts_with('/');
        let name: String = raw_tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if matches!(
            name.as_str(),
            "br" | "p"
                | "div"
                | "tr"
                | "li"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "title"
                | "pre"
                | "table"
        ) {
            out.push('\n');
            // The source's own line break after "<br>" is only white space
            // in HTML, not a second, paragraph-ending break.
            at = gt + 1 + usize::from(html[gt + 1..].starts_with('\n'));
        } else {
            at = gt + 1;
        }
        if matches!(name.as_str(), "script" | "style") && !closing {
            let close = format!("</{name}");
            at = lower[at..].find(&close).map_or(html.len(), |i| at + i);
        }
    }
    push_decoded(&mut out, &html[at..]);
    out
}

fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let (decoded, len) = [
            ("&amp;", "&"),
            ("&lt;", "<"),
            ("&gt;", ">"),
            ("&quot;", "\""),
            ("&#39;", "'"),
            ("&nbsp;", " "),
            ("&apos;", "'"),
        ]
        .iter()
        .find(|(entity, _)| {
            tail.get(..entity.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(entity))
        })
        .map_or(("&", 1), |(entity, c)| (*c, entity.len()));
        out.push_str(decoded);
        rest = &tail[len..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dsn_blocks_become_records() {
        let dsn = "Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; <a@example.jp>\nAction: failed\nStatus: 5.1.1\nRemote-MTA: dns; mx.example.jp\nDiagnostic-Code: smtp; 550 5.1.1 <a@example.jp>...\n    User Unknown\n\nFinal-Recipient: RFC822; b@example.jp\nAction: delayed\nStatus: 4.4.7\n";
        let (reporting, records) = parse_dsn(dsn);
        assert_eq!(reporting.as_deref(), Some("mx.example.org"));
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].recipient(), Some("a@example.jp"));
        assert_eq!(
            records[0].diagnostic.as_deref(),
            Some("550 5.1.1 <a@example.jp>... User Unknown")
        );
        assert_eq!(records[0].diagnostic_type.as_deref(), Some("SMTP"));
        assert_eq!(records[0].remote_mta.as_deref(), Some("mx.example.jp"));
        assert_eq!(records[1].action.as_deref(), Some("delayed"));
    }

    #[test]
    fn hard_wrapped_diagnostics_are_rejoined() {
        // A client wrapped the pasted fields without indenting them: the
        // diagnostic goes on until the next field; a field cut after its
        // type goes on too.
        let dsn = "Final-Recipient: rfc822;\nz@example.com\nAction: failed\nStatus: 4.0.0\n\
            Diagnostic-Code: smtp; DNS Error: DNS type 'mx' lookup of\n\
            example.com responded with code NOERROR The domain does not receive email according to the\n\
            administrator: returned Null MX\n\
            Last-Attempt-Date : Sat, 28 Nov 2026 10:00:00 +0100\n";
        let (_, records) = parse_dsn(dsn);
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].recipient(), Some("z@example.com"));
        assert_eq!(
            records[0].diagnostic.as_deref(),
            Some(
                "DNS Error: DNS type 'mx' lookup of example.com responded with code NOERROR The domain does not receive email according to the administrator: returned Null MX"
            )
        );
        assert!(is_field_like("X-Postfix-Queue-ID: 4NkQ2x1c7Zz9vK"));
        assert!(is_field_like("status: 5.1.1"));
        assert!(!is_field_like("<a@example.com>: Client host rejected"));
    }

    #[test]
    fn records_without_blank_lines_are_split() {
        let dsn = "Final-Recipient: rfc822; a@x.jp\nStatus: 5.1.1\nFinal-Recipient: rfc822; b@x.jp\nStatus: 5.2.2\n";
        let (_, records) = parse_dsn(dsn);
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].status.as_deref(), Some("5.2.2"));
    }

    #[test]
    fn addresses_are_cleaned() {
        assert_eq!(
            clean_address("rfc822; <A@Example.jp>").as_deref(),
            Some("A@Example.jp")
        );
        assert_eq!(clean_address("  a@b.c. ").as_deref(), Some("a@b.c"));
        assert_eq!(clean_address("no address"), None);
        assert_eq!(clean_address("@"), None);
        // Binary junk around an `@` is no address.
        assert_eq!(clean_address("\u{0}@Ã‡N"), None);
        assert_eq!(clean_address("a@exa\u{1}mple.com"), None);
        assert_eq!(
            clean_address("https://example.com/unsubscribe?Endpoint=a@example.com"),
            None
        );
        assert_eq!(clean_address("a@b{c}.com"), None);
        assert_eq!(
            clean_address("<ksiegowa@żółw.example.pl>").as_deref(),
            Some("ksiegowa@żółw.example.pl")
        );
    }

    #[test]
    fn html_becomes_text() {
        assert!(looks_like_html(
            "<p>550 5.1.1 &lt;a@example.com&gt;: User unknown</p>"
        ));
        assert!(looks_like_html(
            "\n<!DOCTYPE html>\n<html><body>Error</body></html>"
        ));
        assert!(looks_like_html("<div class=\"error\">Forbidden</div>"));
        assert!(!looks_like_html(
            "<a@example.com>: host mx.example.com said: 550"
        ));
        assert!(!looks_like_html(
            "550 5.1.1 User unknown\n<html><body>the copy</body></html>"
        ));
        assert!(!looks_like_html("<pl>"));
        let t = html_to_text("<p>Error &amp; <b>550</b></p><script>x<y</script>done");
        assert_eq!(t, "\nError & 550\ndone");
    }

    #[test]
    fn headers_are_recognised() {
        assert!(looks_like_message("From: a@b\nSubject: x\n\nbody"));
        assert!(!looks_like_message("554 5.7.1 Relay access denied\n"));
        assert!(!looks_like_message("Note: one\n\nbody"));
    }
}
