//! Raw messages: MIME parsing (by `mail-parser`) and RFC 3464 delivery
//! status fields.
//!
//! The result, a [`Mail`], separates what the bounce says (its human text and
//! its DSN records) from the copy of the original message it carries.

use mail_parser::{Message, MessageParser, MimeHeaders, PartType};

use super::text;

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
    pub fields: Vec<String>,
}

impl DsnRecord {
    /// Returns the recipient: the final one, else the original one.
    pub fn recipient(&self) -> Option<&str> {
        self.final_recipient.as_deref().or(self.original_recipient.as_deref())
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
}

impl Mail {
    /// Tells whether the message presents itself as a bounce: sent by a
    /// mailer daemon or postmaster, or titled like a delivery report.
    pub fn looks_like_bounce(&self) -> bool {
        const SENDERS: &[&str] = &["mailer-daemon", "postmaster", "mail-daemon", "maildaemon", "mailerdaemon", "mdaemon"];
        const SUBJECTS: &[&str] = &[
            "undeliver", "undelivered", "delivery status notification", "delivery failure", "delivery failed",
            "failure notice", "returned mail", "mail delivery failed", "delivery notification", "could not be delivered",
            "not delivered", "nondeliverable", "non-delivery", "non delivery", "delivery problem", "could not send",
            "delayed mail", "mail system error", "returned to sender", "delivery has failed", "delivery report",
            "message not delivered", "warning: message", "failed delivery", "bounce",
        ];
        let local = self.from.as_deref().and_then(|f| f.split('@').next()).unwrap_or("").to_ascii_lowercase();
        let subject = self.subject.to_lowercase();
        SENDERS.iter().any(|s| local.contains(s))
            || !self.failed_recipients.is_empty()
            || SUBJECTS.iter().any(|s| subject.contains(s))
    }
}

/// Tells whether a text starts with a header block (a raw message).
pub fn looks_like_message(text: &str) -> bool {
    let mut known = 0;
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() {
            return i > 0 && known >= 2;
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
        let lower = name.to_ascii_lowercase();
        if matches!(
            lower.as_str(),
            "from" | "to" | "subject" | "date" | "received" | "return-path" | "message-id" | "mime-version"
                | "content-type" | "delivered-to" | "reply-to" | "auto-submitted" | "x-failed-recipients"
        ) {
            known += 1;
        }
        if i > 400 {
            break;
        }
    }
    known >= 2
}

/// Parses a raw message.
pub fn parse(raw: &[u8]) -> Option<Mail> {
    let message = MessageParser::default().parse(raw)?;
    let mut mail = Mail {
        from: first_address(message.from()),
        to: all_addresses(message.to()),
        subject: message.subject().unwrap_or_default().to_string(),
        failed_recipients: message
            .header_raw("X-Failed-Recipients")
            .map(|v| v.split(',').filter_map(clean_address).collect())
            .unwrap_or_default(),
        ..Mail::default()
    };

    let mut plain = String::new();
    let mut html = String::new();
    for part in &message.parts {
        let (ctype, subtype) = match part.content_type() {
            Some(ct) => (
                ct.ctype().to_ascii_lowercase(),
                ct.subtype().unwrap_or_default().to_ascii_lowercase(),
            ),
            None => ("text".to_string(), "plain".to_string()),
        };
        match (ctype.as_str(), subtype.as_str(), &part.body) {
            ("multipart", _, _) => {}
            ("message", "delivery-status" | "global-delivery-status", body) => {
                let raw = match body {
                    PartType::Text(t) | PartType::Html(t) => t.as_bytes().to_vec(),
                    PartType::Binary(b) | PartType::InlineBinary(b) => b.to_vec(),
                    _ => Vec::new(),
                };
                let text = String::from_utf8_lossy(&text::normalize_newlines(&raw)).into_owned();
                let (reporting, records) = parse_dsn(&text);
                mail.reporting_mta = mail.reporting_mta.or(reporting);
                mail.dsn.extend(records);
            }
            (_, _, PartType::Message(original)) => take_original(&mut mail, original),
            ("text", "rfc822-headers", PartType::Text(t)) | ("message", "global-headers", PartType::Text(t)) => {
                original_headers(&mut mail, t)
            }
            ("message", "rfc822" | "global", PartType::Text(t)) => original_headers(&mut mail, t),
            ("text", "html", PartType::Html(t) | PartType::Text(t)) => {
                html.push_str(&html_to_text(t));
                html.push('\n');
            }
            ("text", _, PartType::Text(t)) => {
                plain.push_str(t);
                plain.push('\n');
            }
            _ => {}
        }
    }
    let mut body = if plain.trim().is_empty() { html } else { plain };
    if body.trim().is_empty() && mail.dsn.is_empty() {
        // A broken MIME structure (a boundary that never occurs, say) leaves
        // no parts; read the raw body as text rather than lose the report.
        let raw = String::from_utf8_lossy(raw);
        body = raw.split_once("\n\n").map_or(String::new(), |(_, b)| b.to_string());
    }
    let body = text::normalize_newlines(body.as_bytes()).into_owned();
    let body = String::from_utf8_lossy(&body).into_owned();
    let (bounce, original) = text::split_original(&body);
    if mail.original_to.is_empty() && !original.is_empty() {
        original_headers(&mut mail, original.split_once("\n\n").map_or(original, |(h, _)| h));
    }
    mail.text = bounce.to_string();
    if mail.dsn.is_empty() && (mail.text.contains("Final-Recipient:") || mail.text.contains("Original-Recipient:")) {
        let (reporting, records) = parse_dsn(&mail.text);
        mail.reporting_mta = reporting;
        mail.dsn = records;
    }
    Some(mail)
}

fn take_original(mail: &mut Mail, original: &Message) {
    if mail.original_to.is_empty() {
        mail.original_to = all_addresses(original.to());
    }
    if mail.original_from.is_none() {
        mail.original_from = first_address(original.from());
    }
}

/// Reads `To` and `From` from the headers of a returned message.
fn original_headers(mail: &mut Mail, headers: &str) {
    let Some(parsed) = MessageParser::default().parse_headers(headers.as_bytes()) else {
        return;
    };
    take_original(mail, &parsed);
}

fn first_address(addr: Option<&mail_parser::Address>) -> Option<String> {
    addr?.first()?.address().and_then(clean_address)
}

fn all_addresses(addr: Option<&mail_parser::Address>) -> Vec<String> {
    addr.map(|a| a.iter().filter_map(|x| x.address().and_then(clean_address)).collect())
        .unwrap_or_default()
}

/// Trims an address of its type prefix, brackets and quotes; `None` if it
/// is not an address.
pub fn clean_address(raw: &str) -> Option<String> {
    let mut a = raw.trim();
    if let Some((kind, rest)) = a.split_once(';')
        && kind.trim().len() <= 12 && !kind.contains('@') {
            a = rest.trim();
        }
    let a = a
        .trim_matches(|c: char| c == '<' || c == '>' || c == '"' || c == '\'' || c.is_whitespace())
        .trim_end_matches(['.', ',', ':', ';']);
    let at = a.rfind('@')?;
    if at == 0 || at + 1 == a.len() || a.len() > 320 || a.contains(char::is_whitespace) || a.contains(['<', '>']) {
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
    let mut fields: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for line in text.lines() {
        if line.trim().is_empty() {
            if !fields.last().is_some_and(Vec::is_empty) {
                fields.push(Vec::new());
            }
            continue;
        }
        let block = fields.last_mut().expect("never empty");
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = block.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            let name = name.trim().to_ascii_lowercase();
            if !name.is_empty() && !name.contains(' ') {
                block.push((name, value.trim().to_string()));
            }
        }
    }

    let mut reporting = None;
    let mut records = Vec::new();
    for block in fields {
        let mut record = DsnRecord::default();
        for (name, value) in block {
            // Records are meant to be separated by blank lines; when they are
            // not, a field the record already has starts the next one.
            let repeated = match name.as_str() {
                "final-recipient" => record.final_recipient.is_some(),
                "original-recipient" => record.original_recipient.is_some(),
                "action" => record.action.is_some(),
                "status" => record.status.is_some(),
                "diagnostic-code" => record.diagnostic.is_some(),
                "remote-mta" => record.remote_mta.is_some(),
                _ => false,
            };
            if repeated {
                let done = std::mem::take(&mut record);
                if done.recipient().is_some() {
                    records.push(done);
                }
            }
            record.fields.push(format!("{name}: {value}"));
            match name.as_str() {
                "reporting-mta" => reporting = Some(strip_type(&value).to_string()),
                "final-recipient" => record.final_recipient = clean_address(&value),
                "original-recipient" => record.original_recipient = clean_address(&value),
                "x-actual-recipient" if record.final_recipient.is_none() => {
                    record.final_recipient = clean_address(&value)
                }
                "action" => record.action = Some(value.to_ascii_lowercase()),
                "status" => record.status = super::smtp::find_status(&value),
                "remote-mta" => record.remote_mta = Some(strip_type(&value).to_string()).filter(|s| !s.is_empty()),
                "diagnostic-code" => {
                    let (kind, text) = match value.split_once(';') {
                        Some((k, t)) if k.len() <= 16 && !k.contains(' ') => (Some(k.trim().to_ascii_uppercase()), t.trim()),
                        _ => (None, value.trim()),
                    };
                    record.diagnostic_type = kind;
                    record.diagnostic = Some(text.to_string()).filter(|t| !t.is_empty());
                }
                _ => {}
            }
        }
        if !record.is_empty() && record.recipient().is_some() {
            records.push(record);
        }
    }
    (reporting, records)
}

fn strip_type(value: &str) -> &str {
    match value.split_once(';') {
        Some((kind, rest)) if kind.len() <= 12 => rest.trim(),
        _ => value.trim(),
    }
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
        let name: String = raw_tag.trim_start_matches('/').chars().take_while(char::is_ascii_alphanumeric).collect();
        if matches!(name.as_str(), "br" | "p" | "div" | "tr" | "li" | "h1" | "h2" | "h3" | "h4" | "title" | "pre" | "table") {
            out.push('\n');
        }
        at = gt + 1;
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
        let (decoded, len) = [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&nbsp;", " "), ("&apos;", "'")]
            .iter()
            .find(|(entity, _)| tail.len() >= entity.len() && tail[..entity.len()].eq_ignore_ascii_case(entity))
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
        assert_eq!(records[0].diagnostic.as_deref(), Some("550 5.1.1 <a@example.jp>... User Unknown"));
        assert_eq!(records[0].diagnostic_type.as_deref(), Some("SMTP"));
        assert_eq!(records[0].remote_mta.as_deref(), Some("mx.example.jp"));
        assert_eq!(records[1].action.as_deref(), Some("delayed"));
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
        assert_eq!(clean_address("rfc822; <A@Example.jp>").as_deref(), Some("A@Example.jp"));
        assert_eq!(clean_address("  a@b.c. ").as_deref(), Some("a@b.c"));
        assert_eq!(clean_address("no address"), None);
        assert_eq!(clean_address("@"), None);
    }

    #[test]
    fn html_becomes_text() {
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
