//! Which lines of a bounce's text state a failure, and for which recipient.
//!
//! Mail systems write their reports differently, but nearly all of them name
//! each failed address and put the server's reply next to it. The scan finds
//! both kinds of line and pairs them by position, which covers Postfix,
//! Exim, Sendmail, qmail, Exchange, Gmail and the rest without a parser per
//! mail system.

use std::sync::LazyLock;

use regex::Regex;

use super::text::{self, Logical};
use super::{message, smtp};

/// A line that states a failure.
#[derive(Debug, Clone)]
pub struct Statement {
    /// The index of the logical line.
    pub line: usize,
    /// The line, unwrapped.
    pub text: String,
    pub code: Option<u16>,
    /// How clearly it states a failure: 3 with a reply and a status code,
    /// 2 with a reply code, 1 with a status code.
    pub strength: u8,
}

/// A scanned text.
pub struct Scan<'a> {
    lines: Vec<Logical<'a>>,
    texts: Vec<String>,
    statements: Vec<Statement>,
    /// Addresses named as recipients, with their line, in order.
    mentions: Vec<(usize, String)>,
}

static MENTION: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i)rcpt to:?\s*<([^<>\s]+@[^<>\s]+)>",
        // Sendmail's summary: "550 <a@b>... User unknown".
        r"^[45][0-9][0-9][ -](?:[45]\.[0-9]\.[0-9]{1,3} )?<([^<>\s]+@[^<>\s]+)>\.\.\.",
        r"(?i)\bto=<([^<>\s]+@[^<>\s]+)>",
        r"(?:^|\s)\*\* ([^<>\s]+@[^<>\s:]+)",
        r"(?i)(?:final|original)-recipient:\s*(?:rfc822;)?\s*<?([^<>\s]+@[^<>\s]+?)>?(?:\s|$)",
        r"(?i)(?:recipient|address|adres|adresat|odbiorca|to)(?: address)?\s*:\s*<?([^<>\s]+@[^<>\s,;]+?)>?(?:[\s,;]|$)",
        r"(?i)(?:your message to|delivery to|delivered to|deliver to|undeliverable to|message for|message to)\s*:?\s*<?([^<>\s]+@[^<>\s,;]+?)>?(?:[\s,;:]|$)",
        // "There was an error delivering your mail to <a@b>."
        r"(?i)\bto:?\s*<([^<>\s]+@[^<>\s]+)>",
        // "Unknown user: a@b", "Recipient address: <a@b>": a label, then only the address.
        r"^[^:<>@]{2,40}:\s*<?([^<>\s]+@[^<>\s,;]+?)>?\s*$",
    ]
    .into_iter()
    .map(|p| Regex::new(p).expect("valid regex"))
    .collect()
});

/// Lines that are never a failure statement even when they hold numbers.
fn is_noise(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    [
        "date:", "received:", "message-id:", "arrival-date:", "last-attempt-date:", "reporting-mta:",
        "x-", "dkim-", "content-", "mime-version:", "return-path:", "subject:", "references:", "in-reply-to:",
        "will-retry-until:", "x-postfix", "received-from-mta:",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

impl<'a> Scan<'a> {
    /// Scans a text. `skip` lists lower-case addresses that are never
    /// recipients (the bounce's own sender and addressee).
    pub fn new(text: &'a str, skip: &[String], _paste: bool) -> Scan<'a> {
        let lines = text::logical_lines(text);
        let texts: Vec<String> = lines.iter().map(|l| l.text.clone()).collect();
        let mut statements = Vec::new();
        let mut mentions = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            if t.is_empty() {
                continue;
            }
            if let Some(address) = mention(t) {
                let lower = address.to_lowercase();
                if !skip.contains(&lower) && !lower.starts_with("mailer-daemon@") {
                    mentions.push((i, address));
                }
            }
            if is_noise(t) {
                continue;
            }
            let reply = smtp::replies(t).into_iter().find(|r| r.in_place || r.with_status);
            let status = smtp::find_status(t).filter(|s| smtp::is_failure(s));
            let strength = match (reply.is_some(), status.is_some()) {
                (true, true) => 3,
                (true, false) => 2,
                (false, true) => 1,
                (false, false) => continue,
            };
            statements.push(Statement {
                line: i,
                text: t.clone(),
                code: reply.map(|r| r.code),
                strength,
            });
        }
        Scan {
            lines,
            texts,
            statements,
            mentions,
        }
    }

    pub fn has_statements(&self) -> bool {
        !self.statements.is_empty()
    }

    /// Returns the logical lines' texts.
    pub fn texts(&self) -> &[String] {
        &self.texts
    }

    /// Returns a logical line's text.
    pub fn line_text(&self, line: usize) -> String {
        self.texts.get(line).cloned().unwrap_or_default()
    }

    /// Returns the addresses named as recipients, first mention first.
    pub fn recipients(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (_, a) in &self.mentions {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(a)) {
                out.push(a.clone());
            }
        }
        out
    }

    /// Returns addresses written inside failure statements (`550 5.1.1
    /// <a@b>... User unknown`), for bounces that name recipients nowhere else.
    pub fn addresses_in_statements(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in &self.statements {
            let lower = s.text.to_lowercase();
            if lower.contains("mail from") || lower.contains("sender") {
                continue;
            }
            for token in s.text.split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | '\'' | '"' | ',')) {
                if let Some(a) = message::clean_address(token.trim_end_matches("...")) {
                    if !out.iter().any(|o| o.eq_ignore_ascii_case(&a)) {
                        out.push(a);
                    }
                }
            }
        }
        out
    }

    /// Returns the statement that explains one recipient's failure.
    pub fn statement_for(&self, recipient: &str) -> Option<&Statement> {
        let lower = recipient.to_lowercase();
        let owner_of = |line: usize| {
            self.mentions
                .iter()
                .rev()
                .find(|(l, _)| *l <= line)
                .map(|(_, a)| a.to_lowercase())
        };
        let candidates: Vec<&Statement> = self
            .statements
            .iter()
            .filter(|s| s.text.to_lowercase().contains(&lower) || owner_of(s.line).as_deref() == Some(lower.as_str()))
            .collect();
        if let Some(best) = strongest(&candidates) {
            return Some(self.server_words(best));
        }
        let first_mention = self.mentions.iter().find(|(_, a)| a.eq_ignore_ascii_case(recipient)).map(|(l, _)| *l);
        match first_mention {
            Some(at) => self
                .statements
                .iter()
                .find(|s| s.line > at)
                .or_else(|| self.statements.iter().rev().find(|s| s.line < at)),
            None => strongest(&self.statements.iter().collect::<Vec<_>>()),
        }
    }

    /// Returns the statements of a text with no recipients: one per distinct
    /// failure, strongest first.
    pub fn best_statements(&self) -> Vec<&Statement> {
        let mut sorted: Vec<&Statement> = self.statements.iter().collect();
        sorted.sort_by_key(|s| std::cmp::Reverse(s.strength));
        let mut out: Vec<&Statement> = Vec::new();
        for s in sorted {
            let status = smtp::find_status(&s.text);
            if out.iter().any(|o| o.code == s.code && smtp::find_status(&o.text) == status) {
                continue;
            }
            out.push(s);
        }
        out.sort_by_key(|s| (std::cmp::Reverse(s.strength), s.line));
        out.truncate(8);
        out
    }

    /// Returns the text around a statement: from the recipient named before
    /// it to the next one, for facts the statement itself leaves out.
    pub fn block_of(&self, line: usize) -> String {
        let start = self
            .mentions
            .iter()
            .rev()
            .find(|(l, _)| *l <= line)
            .map_or(line.saturating_sub(3), |(l, _)| *l);
        let end = self
            .mentions
            .iter()
            .find(|(l, _)| *l > line)
            .map_or((line + 4).min(self.texts.len()), |(l, _)| *l);
        let mut block = String::new();
        // The client's last command in a transcript (">>> DATA") says at
        // which stage the reply below it came; it goes first, so it wins.
        if let Some(command) = self.transcript_command(line) {
            block.push_str(command);
            block.push(' ');
        }
        block.push_str(&self.texts[start..end.max(start).min(self.texts.len())].join(" "));
        block
    }

    /// Returns the nearest `>>> COMMAND` line above a line, in its paragraph.
    fn transcript_command(&self, line: usize) -> Option<&str> {
        let first = line.saturating_sub(8);
        for i in (first..=line.min(self.texts.len().saturating_sub(1))).rev() {
            let t = &self.texts[i];
            if t.is_empty() {
                return None;
            }
            if t.starts_with(">>> ") {
                return Some(t);
            }
        }
        None
    }

    /// Returns lines that name a mail failure by wording alone.
    pub fn phrase_lines(&self, rules: &super::rules::Rules, reasons: &super::reason::Reasons) -> Vec<usize> {
        let mut out = Vec::new();
        for (i, t) in self.texts.iter().enumerate() {
            if t.is_empty() {
                continue;
            }
            let folded = text::fold(t);
            if rules.by_phrase(super::Kind::Smtp, &folded).is_some() || reasons.names_failure(&folded) {
                out.push(i);
                if out.len() == 8 {
                    break;
                }
            }
        }
        out
    }

    /// Returns the first line naming a failure in words for a recipient:
    /// after its first mention and before the next recipient's, or anywhere
    /// when the text never names it.
    pub fn phrase_line_for(
        &self,
        recipient: &str,
        rules: &super::rules::Rules,
        reasons: &super::reason::Reasons,
    ) -> Option<usize> {
        let (from, to) = match self.mentions.iter().position(|(_, a)| a.eq_ignore_ascii_case(recipient)) {
            Some(i) => {
                let at = self.mentions[i].0;
                let next = self.mentions[i + 1..]
                    .iter()
                    .find(|(_, a)| !a.eq_ignore_ascii_case(recipient))
                    .map_or(self.texts.len(), |(l, _)| *l);
                (at, next)
            }
            None => (0, self.texts.len()),
        };
        // A line introducing the list ("Delivery to the following recipient
        // has been delayed:") counts for the address below it.
        (from.saturating_sub(2)..to).find(|&i| {
            let t = &self.texts[i];
            if t.is_empty() || i < from && !t.ends_with(':') {
                return false;
            }
            let folded = text::fold(t);
            rules.by_phrase(super::Kind::Smtp, &folded).is_some() || reasons.names_failure(&folded)
        })
    }

    /// Returns the line naming a recipient when it, or the line introducing
    /// it, says delivery to it failed ("Did not reach the following
    /// recipient: a@b") without saying why.
    pub fn failure_line_for(&self, recipient: &str) -> Option<usize> {
        const FAILED: &[&str] = &[
            "did not reach", "could not be delivered", "couldn't be delivered", "was not delivered",
            "wasn't delivered", "undeliverable", "delivery failed", "delivery has failed", "failed permanently",
            "permanent fatal errors", "permanent delivery errors", "failed recipient", "nie została dostarczona",
            "nie dotarła", "nie można dostarczyć",
        ];
        let at = self.mentions.iter().find(|(_, a)| a.eq_ignore_ascii_case(recipient))?.0;
        (at.saturating_sub(2)..=at).rev().find(|&i| {
            let lower = self.texts[i].to_lowercase();
            FAILED.iter().any(|w| lower.contains(w))
        })
        .map(|_| at)
    }

    /// Tells whether any recipient is named in the text.
    pub fn names_recipients(&self) -> bool {
        !self.mentions.is_empty()
    }

    /// Returns the first line of the text that says something: for a
    /// report that names no code and no known wording.
    pub fn first_sentence(&self) -> Option<usize> {
        self.texts.iter().position(|t| t.chars().filter(|c| c.is_alphabetic()).count() >= 12)
    }

    /// Returns the physical lines of a logical line.
    #[cfg_attr(not(test), expect(dead_code, reason = "kept for highlighting"))]
    pub fn physical(&self, line: usize) -> &[&'a str] {
        &self.lines[line].lines
    }
}

impl Scan<'_> {
    /// Prefers the server's own reply (`<<< 550 ...`) in a transcript over
    /// the mailer's summary of it below (`554 <a@b>... Remote protocol
    /// error`).
    fn server_words<'s>(&'s self, chosen: &'s Statement) -> &'s Statement {
        if chosen.text.starts_with("<<<") {
            return chosen;
        }
        let mut line = chosen.line;
        while line > 0 && chosen.line - line < 8 {
            line -= 1;
            if self.texts[line].is_empty() {
                break;
            }
            if let Some(s) = self.statements.iter().find(|s| s.line == line && s.text.starts_with("<<<")) {
                return s;
            }
        }
        chosen
    }
}

fn strongest<'s>(candidates: &[&'s Statement]) -> Option<&'s Statement> {
    let max = candidates.iter().map(|s| s.strength).max()?;
    candidates.iter().copied().find(|s| s.strength == max)
}

/// Finds the recipient address a line names, if it names one.
fn mention(line: &str) -> Option<String> {
    if text::is_bare_address(line) {
        return message::clean_address(line.trim().trim_end_matches(':'));
    }
    let t = line.trim_start().trim_start_matches(['*', '-', '•']).trim_start();
    if t.len() < line.trim_start().len() && text::is_bare_address(t) {
        return message::clean_address(t.trim_end_matches(':'));
    }
    // Exchange: "kijitora@example.jp on Thu, 29 Apr 2010 ..."; Gmail and
    // others: the address, then what happened to it.
    if let Some((first, rest)) = t.split_once(char::is_whitespace) {
        if first.contains('@') && !rest.trim().is_empty() {
            if let Some(a) = message::clean_address(first) {
                return Some(a);
            }
        }
    }
    if let Some(rest) = t.strip_prefix('<') {
        if let Some(end) = rest.find('>') {
            let after = &rest[end + 1..];
            if after.starts_with([':', '.', ' ', ',']) || after.is_empty() {
                if let Some(a) = message::clean_address(&rest[..end]) {
                    return Some(a);
                }
            }
        }
    }
    for re in MENTION.iter() {
        if let Some(c) = re.captures(line) {
            if let Some(a) = message::clean_address(&c[1]) {
                return Some(a);
            }
        }
    }
    None
}
