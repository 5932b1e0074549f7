//! Which lines of a bounce's text state a failure, and for which recipient.
//!
//! Mail systems write their reports differently, but nearly all of them name
//! each failed address and put the server's reply next to it. The scan finds
//! both kinds of line and pairs them by position, which covers Postfix,
//! Exim, Sendmail, qmail, Exchange, Gmail and the rest without a parser per
//! mail system.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::reason::Reasons;
use super::rules::Rules;
use super::text::{self, Origin};
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

impl Statement {
    /// Orders statements for one recipient, best last: any but a 503, then
    /// the clearest, then the server's own words in a transcript (`<<< 554
    /// ...`), then one that says more than its codes, then the earliest.
    ///
    /// A 503 ("Need RCPT command", "RCPT first") is a bad sequence of
    /// commands: in a transcript it follows the refusal that caused it.
    fn rank(&self) -> (bool, u8, bool, bool, std::cmp::Reverse<usize>) {
        let words = self.text.bytes().filter(u8::is_ascii_alphabetic).count();
        (
            self.code != Some(503),
            self.strength,
            self.text.starts_with("<<<"),
            words > 12,
            std::cmp::Reverse(self.line),
        )
    }
}

/// A scanned text, with the indexes that keep every look-up cheap: a bounce
/// for ten thousand recipients is read in one pass, not ten thousand.
pub struct Scan<'a> {
    texts: Vec<Cow<'a, str>>,
    /// Failure statements, in line order.
    statements: Vec<Statement>,
    /// Addresses named as recipients, with their line, in line order.
    mentions: Vec<(usize, String)>,
    /// For each lower-cased address: its first mention (index into `mentions`).
    first_mention: HashMap<String, usize>,
    /// For each lower-cased address: the statements that name it or follow
    /// its mention (indexes into `statements`).
    by_address: HashMap<String, Vec<usize>>,
    /// The first line anywhere naming a failure in words, found on demand.
    first_phrase: OnceCell<Option<usize>>,
    /// The best statement of all, for recipients the text never names,
    /// found on demand once rather than once for each of them.
    best: OnceCell<Option<usize>>,
}

/// Words after which a report writes a recipient's address.
const RECIPIENT_ANCHORS: [&str; 45] = [
    "adres odbiorcy",
    "wiadomość do",
    "wiadomości do",
    "do adresu",
    "do odbiorcy",
    "dostarczona do adresu",
    "dostarczona do odbiorcy",
    "dostarczona do",
    "dostarczona na adres",
    "dostarczyć do",
    "dostarczenia do",
    "do adresata",
    "rcpt to:",
    "rcpt to",
    // Exim's reject log: "F=<sender> rejected RCPT <recipient>: ...".
    "rejected rcpt",
    "to=<",
    // Dovecot's delivery log: "lmtp(a@b)<pid><session>: Error: ...".
    "lmtp(",
    "lda(",
    "** ",
    "final-recipient:",
    "original-recipient:",
    "recipient address:",
    "recipient:",
    // iOS: "The recipient “a@b” was rejected by the server."
    "the recipient",
    "address:",
    "adres:",
    "adresat:",
    "odbiorca:",
    "your message to",
    "delivery to",
    "delivered to",
    "delivering your mail to",
    "deliver to",
    "deliver mail to",
    "undeliverable to",
    // "(Originally addressed to a@b)", "The following message, addressed
    // to 'a@b', failed".
    "addressed to",
    // Exchange 5.5's X.400 form: "c=US;a= ;p=Org;o=Site;dda:SMTP=a@b;".
    "dda:smtp=",
    "message for",
    "message to",
    // People's own words: "mail to a@b is rejected", "mail do a@b wraca",
    // "wysyłka na adres a@b".
    "mail to",
    "mail do",
    "maila do",
    "maile do",
    "na adres",
    "to:",
];

static RECIPIENT_FINDER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(RECIPIENT_ANCHORS)
        .expect("anchors compile")
});

/// Builds this module's matcher now rather than on first use.
pub(super) fn prepare() {
    LazyLock::force(&RECIPIENT_FINDER);
}

/// Tells whether the words before an anchor make it the sender's: "Sender
/// address:", "From address:", "Nadawca:".
fn names_sender(before: &str) -> bool {
    last_word_is(
        before,
        &["sender", "from", "nadawca", "envelope-from", "mail"],
    )
}

/// Tells whether the words before an address ask to write to it for help.
fn names_helpdesk(before: &str) -> bool {
    last_word_is(
        before,
        &["contact", "contacting", "kontakt", "kontaktu", "napisz"],
    )
}

/// Tells whether the last word of a text is one of `words`, in any case.
fn last_word_is(text: &str, words: &[&str]) -> bool {
    let word = text
        .trim_end()
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("");
    words.iter().any(|w| word.eq_ignore_ascii_case(w))
}

/// Nouns a report may write between an anchor and the address: Gmail's
/// Polish "dostarczeniem wiadomości do adresu a@b", "do odbiorcy a@b",
/// "wiadomości do skrzynki a@b".
const NOUNS: [&str; 7] = [
    "adresu",
    "odbiorcy",
    "adresata",
    "skrzynki",
    "address",
    "recipient",
    "mailbox",
];

/// Reads the address written right after an anchor, maybe after one of
/// [`NOUNS`]: `: <a@b>`, `rfc822; a@b`, ` a@b,`, ` adresu a@b`.
fn address_after(text: &str) -> Option<String> {
    const GAP: [char; 3] = [' ', '\t', ':'];
    let t = text.trim_start_matches(GAP);
    let t = NOUNS
        .iter()
        .find_map(|n| {
            let rest = t
                .get(..n.len())
                .filter(|w| w.eq_ignore_ascii_case(n))
                .map(|_| &t[n.len()..])?;
            rest.starts_with(GAP).then(|| rest.trim_start_matches(GAP))
        })
        .unwrap_or(t);
    let t = match t.get(..7) {
        Some(p) if p.eq_ignore_ascii_case("rfc822;") => t[7..].trim_start(),
        _ => t,
    };
    let t = t.trim_start_matches(['<', '\'', '"']);
    // MailEnable and Exchange: "Recipient: [SMTP:a@b]".
    let t = match t.get(..6) {
        Some(p) if p.eq_ignore_ascii_case("[smtp:") => &t[6..],
        _ => t,
    };
    let end = t
        .find(|c: char| {
            c.is_whitespace() || matches!(c, '>' | ',' | ';' | '<' | ')' | ']' | '\'' | '"')
        })
        .unwrap_or(t.len());
    message::clean_address(&t[..end])
}

/// Wording that says delivery to an address failed, without saying why.
const FAILED: &[&str] = &[
    "did not reach",
    "failed to deliver",
    "could not be delivered",
    "couldn't be delivered",
    "was not delivered",
    "wasn't delivered",
    "undeliverable",
    "delivery failed",
    "delivery has failed",
    "following recipients failed",
    "following address failed",
    "following addresses failed",
    "error occurred while trying to deliver",
    "failed permanently",
    "permanent fatal errors",
    "permanent delivery errors",
    "failed recipient",
    "did not receive your message",
    "wasn't able to deliver",
    "was not able to deliver",
    "not delivered to the following",
    "address(es) failed",
    "this is a permanent error",
    "nie została dostarczona",
    "nie dotarła",
    "nie można dostarczyć",
];

/// Lines that are never a failure statement even when they hold numbers.
fn is_noise(line: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "date:",
        "received:",
        "message-id:",
        "arrival-date:",
        "last-attempt-date:",
        "reporting-mta:",
        "x-",
        "dkim-",
        "content-",
        "mime-version:",
        "return-path:",
        "subject:",
        "references:",
        "in-reply-to:",
        "will-retry-until:",
        "received-from-mta:",
    ];
    PREFIXES.iter().any(|p| {
        line.get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
    }) && !is_diagnostic_type(line)
}

/// Tells whether a line starts with a diagnostic's type rather than a
/// header name: `X-Postfix; host ... said: 550 ...`, a pasted
/// `Diagnostic-Code` value.
fn is_diagnostic_type(line: &str) -> bool {
    line.split_once(';')
        .is_some_and(|(kind, _)| !kind.contains([':', ' ']))
}

impl<'a> Scan<'a> {
    /// Scans a text. `skip` lists lower-case addresses that are never
    /// recipients (the bounce's own sender and addressee).
    pub fn new(text: &'a str, origin: Origin, skip: &[String]) -> Scan<'a> {
        let texts: Vec<Cow<'a, str>> = text::logical_lines(text, origin)
            .into_iter()
            .map(|l| l.text)
            .collect();
        let mut statements = Vec::new();
        let mut mentions: Vec<(usize, String)> = Vec::new();
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
            if !t.bytes().any(|b| b.is_ascii_digit()) || is_noise(t) {
                continue;
            }
            let reply = smtp::replies(t)
                .into_iter()
                .find(|r| r.in_place || r.with_status);
            let status = smtp::find_status(t).filter(|s| smtp::is_failure(s));
            let strength = match (reply.is_some(), status.is_some()) {
                (true, true) => 3,
                (true, false) => 2,
                (false, true) => 1,
                (false, false) => continue,
            };
            statements.push(Statement {
                line: i,
                text: t.to_string(),
                code: reply.map(|r| r.code),
                strength,
            });
        }

        let mut first_mention = HashMap::new();
        for (i, (_, a)) in mentions.iter().enumerate() {
            first_mention.entry(a.to_lowercase()).or_insert(i);
        }
        let mut by_address: HashMap<String, Vec<usize>> = HashMap::new();
        for (si, s) in statements.iter().enumerate() {
            let mut named: Vec<String> = addresses_in(&s.text).map(|a| a.to_lowercase()).collect();
            let owner = mentions.partition_point(|(l, _)| *l <= s.line);
            if owner > 0 {
                named.push(mentions[owner - 1].1.to_lowercase());
            }
            named.sort();
            named.dedup();
            for a in named {
                by_address.entry(a).or_default().push(si);
            }
        }
        Scan {
            texts,
            statements,
            mentions,
            first_mention,
            by_address,
            first_phrase: OnceCell::new(),
            best: OnceCell::new(),
        }
    }

    /// Tells whether a statement has an enhanced status code, which only
    /// mail writes.
    pub fn has_enhanced_status(&self) -> bool {
        self.statements.iter().any(|s| s.strength != 2)
    }

    pub fn has_statements(&self) -> bool {
        !self.statements.is_empty()
    }

    /// Returns the logical lines' texts.
    pub fn texts(&self) -> &[Cow<'a, str>] {
        &self.texts
    }

    /// Returns a logical line's text.
    pub fn line_text(&self, line: usize) -> String {
        self.texts
            .get(line)
            .map(|t| t.to_string())
            .unwrap_or_default()
    }

    /// Returns the addresses named as recipients, first mention first.
    pub fn recipients(&self) -> Vec<String> {
        let mut seen = HashSet::new();
        self.mentions
            .iter()
            .filter(|(_, a)| seen.insert(a.to_lowercase()))
            .map(|(_, a)| a.clone())
            .collect()
    }

    /// Returns the recipient named on a line, if any.
    pub fn recipient_on(&self, line: usize) -> Option<&str> {
        self.mentions
            .iter()
            .find(|(l, _)| *l == line)
            .map(|(_, a)| a.as_str())
    }

    /// Tells whether any recipient is named in the text.
    pub fn names_recipients(&self) -> bool {
        !self.mentions.is_empty()
    }

    /// Returns addresses written inside failure statements (`550 5.1.1
    /// <a@b>... User unknown`), for bounces that name recipients nowhere else.
    /// With `reply_only`, only those in the server's reply, from its code on:
    /// in a paste, an address before it belongs to whatever wraps the reply
    /// ("Task 'a@b - Sending' reported error ... Server response: 550 ...").
    pub fn addresses_in_statements(&self, reply_only: bool) -> Vec<String> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for s in &self.statements {
            let lower = s.text.to_lowercase();
            if lower.contains("mail from") || lower.contains("sender") {
                continue;
            }
            let reply = s
                .code
                .filter(|_| reply_only)
                .and_then(|c| s.text.find(&c.to_string()))
                .map_or(s.text.as_str(), |at| &s.text[at..]);
            for a in recipients_in(reply) {
                if seen.insert(a.to_lowercase()) {
                    out.push(a);
                }
            }
        }
        out
    }

    /// Returns the statement that explains one recipient's failure.
    pub fn statement_for(&self, recipient: &str) -> Option<&Statement> {
        let lower = recipient.to_lowercase();
        if let Some(ids) = self.by_address.get(&lower) {
            let best = ids
                .iter()
                .map(|&i| &self.statements[i])
                .max_by_key(|s| s.rank())?;
            return Some(self.server_words(best));
        }
        match self.first_mention.get(&lower) {
            Some(&mi) => {
                let at = self.mentions[mi].0;
                // Not a statement on the line of another recipient: that
                // one is about that recipient ("<b@c> (... with code 550
                // ...)" below "<a@c> (... Connection timeout)").
                let others = |line: usize| {
                    let from = self.mentions.partition_point(|(l, _)| *l < line);
                    self.mentions[from..]
                        .iter()
                        .take_while(|(l, _)| *l == line)
                        .any(|(_, a)| !a.eq_ignore_ascii_case(recipient))
                };
                let after = self.statements.partition_point(|s| s.line <= at);
                self.statements
                    .get(after)
                    .or_else(|| after.checked_sub(1).map(|i| &self.statements[i]))
                    .filter(|s| !others(s.line))
            }
            None => self
                .best
                .get_or_init(|| {
                    (0..self.statements.len()).max_by_key(|&i| self.statements[i].rank())
                })
                .map(|i| &self.statements[i]),
        }
    }

    /// Returns the statement that says the most from a reply's `head` (its
    /// first words) on, and how much that is: the whole of a reply that a
    /// report quotes cut short elsewhere. A statement that closes a bracket
    /// right after the reply ("(reason: 550 ...) (expanded from: <a@b>)")
    /// wraps it and says nothing more of it.
    pub fn fullest_with(&self, head: &str, reply: &str) -> Option<(&Statement, usize)> {
        self.statements
            .iter()
            .filter_map(|s| {
                let from = &s.text[s.text.find(head)?..];
                let wraps = from
                    .strip_prefix(reply)
                    .is_some_and(|after| after.trim_start().starts_with(')'));
                (!wraps).then_some((s, from.len()))
            })
            .max_by_key(|&(_, len)| len)
    }

    /// Returns the statements of a text with no recipients: one per distinct
    /// failure, strongest first.
    pub fn best_statements(&self) -> Vec<&Statement> {
        let mut seen = HashSet::new();
        let mut out: Vec<&Statement> = self
            .statements
            .iter()
            .filter(|s| seen.insert((s.code, smtp::find_status(&s.text))))
            .collect();
        out.sort_by_key(|s| (std::cmp::Reverse(s.strength), s.line));
        out.truncate(8);
        out
    }

    /// Returns the text around a statement: from the recipient named before
    /// it to the next one, for facts the statement itself leaves out.
    pub fn block_of(&self, line: usize) -> String {
        let next = self.mentions.partition_point(|(l, _)| *l <= line);
        let start = match next {
            0 => line.saturating_sub(3),
            n => self.mentions[n - 1].0,
        };
        let end = self
            .mentions
            .get(next)
            .map_or(line + 4, |(l, _)| *l)
            .min(self.texts.len())
            .max(start);
        let mut block = String::new();
        // The client's last command in a transcript (">>> DATA") says at
        // which stage the reply below it came; it goes first, so it wins.
        if let Some(head) = self.transcript_command(line) {
            block.push_str(&head);
            block.push(' ');
        }
        block.push_str(&self.texts[start..end].join(" "));
        block
    }

    /// Returns the transcript above a line, in its paragraph: the server
    /// being talked to and the client's last command (`>>> DATA`) say where
    /// and at which stage the reply below them came.
    fn transcript_command(&self, line: usize) -> Option<String> {
        let last = line.min(self.texts.len().checked_sub(1)?);
        let first = (last.saturating_sub(8)..=last)
            .rev()
            .take_while(|&i| !self.texts[i].is_empty())
            .last()?;
        let lines = &self.texts[first..=last];
        let command = lines.iter().rposition(|t| t.starts_with(">>> "))?;
        // The command first, so that it wins over stages the text names later.
        let mut head = lines[command].to_string();
        for t in &lines[..command] {
            head.push(' ');
            head.push_str(t);
        }
        Some(head)
    }

    /// Returns the host named alone on the line before a statement, as
    /// Exchange writes it above "Remote Server returned ...".
    pub fn host_line_before(&self, line: usize) -> Option<String> {
        let t = self.texts.get(line.checked_sub(1)?)?;
        let host = t.trim().trim_end_matches('.');
        (host.contains('.')
            && host.bytes().any(|b| b.is_ascii_alphabetic())
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-'))
        .then(|| host.to_ascii_lowercase())
    }

    /// Returns lines that name a mail failure by wording alone.
    pub fn phrase_lines(&self, rules: &Rules, reasons: &Reasons) -> Vec<usize> {
        (0..self.texts.len())
            .filter(|&i| names_failure(&self.texts[i], rules, reasons))
            .take(8)
            .collect()
    }

    /// Returns the first line naming a failure in words for a recipient:
    /// after its first mention and before the next recipient's, or anywhere
    /// when the text never names it.
    pub fn phrase_line_for(
        &self,
        recipient: &str,
        rules: &Rules,
        reasons: &Reasons,
    ) -> Option<usize> {
        let Some(&mi) = self.first_mention.get(&recipient.to_lowercase()) else {
            return self.first_phrase(rules, reasons);
        };
        let from = self.mentions[mi].0;
        let to = self.mentions[mi + 1..]
            .iter()
            .find(|(_, a)| !a.eq_ignore_ascii_case(recipient))
            .map_or(self.texts.len(), |(l, _)| *l);
        // A line introducing the list ("Delivery to the following recipient
        // has been delayed:") counts for the address below it.
        let below = (from.saturating_sub(2)..to).find(|&i| {
            (i >= from || self.texts[i].ends_with(':'))
                && names_failure(&self.texts[i], rules, reasons)
        });
        // Lotus Notes and others write the reason, then the address alone
        // on its line: for the first address named, the two lines above count.
        let first = self.mentions[..mi]
            .iter()
            .all(|(_, a)| a.eq_ignore_ascii_case(recipient));
        below.or_else(|| {
            (first && text::is_bare_address(&self.texts[from]))
                .then(|| {
                    (from.saturating_sub(2)..from)
                        .rev()
                        .find(|&i| names_failure(&self.texts[i], rules, reasons))
                })
                .flatten()
        })
    }

    /// Returns the first line anywhere naming a failure in words.
    pub fn first_phrase(&self, rules: &Rules, reasons: &Reasons) -> Option<usize> {
        *self.first_phrase.get_or_init(|| {
            (0..self.texts.len()).find(|&i| names_failure(&self.texts[i], rules, reasons))
        })
    }

    /// Returns a line naming a failure in words above every recipient, the
    /// reason a report gives once for all of them before listing them
    /// (Netscape's "Host example.com is not responding. The following
    /// recipients did not receive your message: <a@b>").
    pub fn preamble_phrase(&self, rules: &Rules, reasons: &Reasons) -> Option<usize> {
        let first = self.mentions.first()?.0;
        self.first_phrase(rules, reasons).filter(|&i| i < first)
    }

    /// Returns the line naming a recipient when it, or the line introducing
    /// it, says delivery to it failed ("Did not reach the following
    /// recipient: a@b") without saying why.
    ///
    /// Every mention of the address counts: a report in two languages
    /// names it once under each.
    pub fn failure_line_for(&self, recipient: &str) -> Option<usize> {
        let first = *self.first_mention.get(&recipient.to_lowercase())?;
        let says_failed = |i: usize| {
            let lower = self.texts[i].to_lowercase();
            FAILED.iter().any(|w| lower.contains(w))
        };
        self.mentions[first..]
            .iter()
            .filter(|(_, a)| a.eq_ignore_ascii_case(recipient))
            .map(|&(at, _)| at)
            .find(|&at| {
                // Postfix lists each address with what happened to it,
                // under one sentence for all: "<a@b>: temporary failure".
                let listed = self.texts[at].starts_with('<') && self.texts[at].contains(">: ");
                (at.saturating_sub(2)..=at).any(says_failed) || listed && (0..at).any(says_failed)
            })
    }

    /// Returns a failure line (see [`Scan::failure_line_for`]) joined to
    /// the line below it, when that line says something and is neither a
    /// header nor about another address: CommuniGate Pro writes "Failed to
    /// deliver to '<a@b>'", then why. `None` when there is no such line.
    pub fn failure_with_reason(&self, at: usize) -> Option<String> {
        let next = self.texts.get(at + 1)?;
        let says = next.chars().filter(|c| c.is_alphabetic()).count() >= 8
            && !is_header_line(next)
            && self.recipient_on(at + 1).is_none();
        says.then(|| format!("{} {next}", self.texts[at]))
    }

    /// Returns a failure line with its reason when the line below gives
    /// one (see [`Scan::failure_with_reason`]), else the line alone.
    pub fn failure_text(&self, at: usize) -> String {
        self.failure_with_reason(at)
            .unwrap_or_else(|| self.line_text(at))
    }

    /// Returns the first line of the text that says something: for a
    /// report that names no code and no known wording.
    pub fn first_sentence(&self) -> Option<usize> {
        self.texts
            .iter()
            .position(|t| t.chars().filter(|c| c.is_alphabetic()).count() >= 12)
    }

    /// Prefers the server's own reply (`<<< 550 ...`) in a transcript over
    /// the mailer's summary of it below (`554 <a@b>... Remote protocol
    /// error`).
    fn server_words<'s>(&'s self, chosen: &'s Statement) -> &'s Statement {
        if chosen.text.starts_with("<<<") {
            return chosen;
        }
        let at = self.statements.partition_point(|s| s.line < chosen.line);
        for s in self.statements[..at].iter().rev() {
            if chosen.line - s.line > 8
                || self.texts[s.line + 1..chosen.line]
                    .iter()
                    .any(|t| t.is_empty())
            {
                break;
            }
            if s.text.starts_with("<<<") {
                return s;
            }
        }
        chosen
    }
}

/// Tells whether a line is a message header that names a person rather than
/// a failed recipient: the returned message's sender, the bounce's own
/// addressee, message ids, in English or as Polish mail programs write them.
fn is_header_line(line: &str) -> bool {
    const NAMES: [&str; 18] = [
        "from",
        "to",
        "cc",
        "sender",
        "reply-to",
        "message-id",
        "in-reply-to",
        "references",
        "return-path",
        "date",
        "subject",
        "od",
        "do",
        "dw",
        "temat",
        "wysłano",
        "sent",
        "delivered-to",
    ];
    header_value(line, &NAMES).is_some()
}

/// Returns the value of a header line (`To: ...`, also quoted as `> To:`)
/// when its name is one of `names`.
fn header_value<'l>(line: &'l str, names: &[&str]) -> Option<&'l str> {
    let (name, value) = line.split_once(':')?;
    let name = name.trim_start_matches(['>', ' ']);
    names
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n))
        .then_some(value)
}

/// Returns the lower-case addresses a forwarded bounce was sent to, from its
/// own header block as a mail client shows it when forwarding (`From: Mail
/// Delivery System <MAILER-DAEMON@...>` with `To: ...`, or `Od:` with
/// `Do:`). That is the person whose mail failed, never a failed recipient,
/// though their address is often in the signature above the bounce.
pub fn bounce_addressees(text: &str) -> Vec<String> {
    const DAEMONS: [&str; 4] = [
        "mailer-daemon",
        "postmaster",
        "mail delivery",
        "maildelivery",
    ];
    let mut out = Vec::new();
    for block in text.split("\n\n") {
        let from_daemon = block.lines().any(|l| {
            header_value(l, &["from", "od"]).is_some_and(|v| {
                let v = v.to_lowercase();
                DAEMONS.iter().any(|d| v.contains(d))
            })
        });
        if from_daemon {
            out.extend(
                block
                    .lines()
                    .filter_map(|l| header_value(l, &["to", "do"]))
                    .flat_map(addresses_in)
                    .map(|a| a.to_lowercase()),
            );
        }
    }
    out
}

/// Tells whether a line names a mail failure in words.
fn names_failure(line: &str, rules: &Rules, reasons: &Reasons) -> bool {
    if line.is_empty() {
        return false;
    }
    let folded = text::fold(line);
    rules.by_phrase(super::Kind::Smtp, &folded).is_some() || reasons.names_failure(&folded)
}

/// Returns the addresses a failure's words may name as its recipients,
/// each once: every address written in them but a sender's (Exchange's
/// "The message from (<a@b>) with the subject of ...") and one to write to
/// for help ("to contact a@b to clarify").
pub fn recipients_in(text: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    addresses_in(text)
        .filter(|a| {
            !text.find(a.as_str()).is_some_and(|at| {
                let before = text[..at].trim_end_matches([' ', '(', '<', '"', '\'']);
                names_sender(before) || names_helpdesk(before)
            })
        })
        .filter(|a| seen.insert(a.to_lowercase()))
        .collect()
}

/// Returns the addresses written in a text.
fn addresses_in(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| {
        c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | '\'' | '"' | ',' | '[' | ']')
    })
    .filter(|t| t.contains('@'))
    .filter_map(|t| message::clean_address(t.trim_end_matches('.')))
}

/// Reads the address after the first of [`RECIPIENT_ANCHORS`] in a line
/// that is not the sender's.
fn anchored_address(line: &str) -> Option<String> {
    RECIPIENT_FINDER
        .find_iter(line)
        // An anchor begins a word: "to:" is not the end of Polish "Konto:".
        .filter(|m| {
            line[..m.start()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
        .filter(|m| !names_sender(&line[..m.start()]))
        .find_map(|m| address_after(&line[m.end()..]))
}

/// Finds the recipient address a line names, if it names one.
fn mention(line: &str) -> Option<String> {
    if !line.contains('@') || is_header_line(line) {
        return None;
    }
    if text::is_bare_address(line) {
        return message::clean_address(line.trim().trim_end_matches(':'));
    }
    let t = line
        .trim_start()
        .trim_start_matches(['*', '-', '•'])
        .trim_start();
    if t.len() < line.trim_start().len() && text::is_bare_address(t) {
        return message::clean_address(t.trim_end_matches(':'));
    }
    // Exchange: "kijitora@example.jp on Thu, 29 Apr 2010 ..."; Gmail and
    // others: the address, then what happened to it.
    if let Some((first, rest)) = t.split_once(char::is_whitespace)
        && first.contains('@')
        && !rest.trim().is_empty()
        && let Some(a) = message::clean_address(first)
    {
        return Some(a);
    }
    if let Some(rest) = t.strip_prefix('<')
        && let Some(end) = rest.find('>')
    {
        let after = &rest[end + 1..];
        if (after.starts_with([':', '.', ' ', ',']) || after.is_empty())
            && let Some(a) = message::clean_address(&rest[..end])
        {
            return Some(a);
        }
    }
    // Sendmail's summary: "550 <a@b>... User unknown".
    if t.len() > 5 && text::starts_with_reply_code(t) {
        let rest = t[4..]
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
            .trim_start();
        if let Some(inner) = rest.strip_prefix('<')
            && let Some(end) = inner.find(">...")
            && let Some(a) = message::clean_address(&inner[..end])
        {
            return Some(a);
        }
    }
    if let Some(a) = anchored_address(line) {
        return Some(a);
    }
    // Anchors are single-spaced: "undeliverable  to a@b" as SMTP/32 writes it.
    if line.contains("  ")
        && let Some(a) = anchored_address(&text::squeeze(line))
    {
        return Some(a);
    }
    // "Unknown user: a@b": a short label, then only the address.
    let (label, rest) = line.rsplit_once(':')?;
    let label = label.trim();
    let lower = label.to_lowercase();
    // A label that names the sender anywhere ("Sender Address:", Polish
    // "Adres nadawcy:"); "source" is the sender in the JSON of mail
    // services' bounce events.
    if lower
        .split_whitespace()
        .any(|w| ["sender", "from", "nadawca", "nadawcy", "od", "source"].contains(&w))
    {
        return None;
    }
    (label.len() >= 2
        && label.len() <= 40
        && !label.contains(['<', '>', '@'])
        && text::is_bare_address(rest))
    .then(|| message::clean_address(rest.trim()))
    .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_name_the_recipient_in_their_own_words() {
        assert_eq!(
            mention("Mail to info@partner.example is rejected: 554 5.7.1").as_deref(),
            Some("info@partner.example")
        );
        assert_eq!(
            mention("każdy mail do jan@firma.example wraca").as_deref(),
            Some("jan@firma.example")
        );
        assert_eq!(
            mention("wysyłka na adres ola@sklep.example nie działa").as_deref(),
            Some("ola@sklep.example")
        );
        // A word that only ends like an anchor is not one.
        assert_eq!(mention("Hotmail to be replaced, see a@b.example"), None);
    }

    #[test]
    fn a_forwarded_bounce_names_its_addressee() {
        let pasted = "Anna\nanna@example.pl\n\n> Od: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n> Do: Anna <Anna@example.pl>\n> Temat: Delivery Status Notification\n\nFrom: Jan <jan@example.pl>\nTo: biuro@example.com\n";
        // Only the block sent by the mailer daemon counts.
        assert_eq!(bounce_addressees(pasted), ["anna@example.pl"]);
        assert!(bounce_addressees("To: biuro@example.com\n550 5.1.1 unknown\n").is_empty());
    }
}
