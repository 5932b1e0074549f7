//! The classifier: names the error in a pasted bounce or error page.
//!
//! Pure Rust with no web types, so the CLI, the API, the result page and the
//! benchmarks all call the same thing. [`Classifier::new`] compiles every
//! matcher once; [`Classifier::classify`] is then a pass over the text.
//!
//! The pipeline, one module a step:
//!
//! | step | module |
//! |---|---|
//! | line ends, mbox splitting, `>` quotes, double spacing, JSON events, the returned original, wrapped and hard-wrapped lines | [`text`] |
//! | MIME (`mailparse`) and RFC 3464 delivery-status fields | [`message`] |
//! | reply codes and enhanced status codes in text | [`smtp`] |
//! | which lines state the failure, and for which recipient | [`scan`] |
//! | bounce reasons under Sisimai's names, from `reasons.toml` | [`reason`] |
//! | remote server, blocked address, blocklist, SMTP stage | [`facts`] |
//! | HTTP errors from browsers, curl and logs | [`http`] |
//! | the articles' own recognition rules | [`rules`] |
//! | one-sentence explanations of every code | [`tables`] |

mod facts;
mod http;
mod message;
mod reason;
mod rules;
mod scan;
mod smtp;
pub mod tables;
mod text;

pub use facts::{Blocklist, blocklist_named};
pub use text::{squeeze, unjson};

use serde::{Deserialize, Serialize};

/// Every bounce reason the classifier can give, under Sisimai's names.
pub const REASONS: &[&str] = &[
    "authfailure",
    "badreputation",
    "blocked",
    "contenterror",
    "exceedlimit",
    "expired",
    "failedstarttls",
    "filtered",
    "hasmoved",
    "hostunknown",
    "mailboxfull",
    "mailererror",
    "mesgtoobig",
    "networkerror",
    "norelaying",
    "notaccept",
    "notcompliantrfc",
    "onhold",
    "policyviolation",
    "ratelimited",
    "rejected",
    "requireptr",
    "securityerror",
    "spamdetected",
    "speeding",
    "suspend",
    "syntaxerror",
    "systemerror",
    "systemfull",
    "toomanyconn",
    "undefined",
    "userunknown",
    "virusdetected",
];

/// Who has to act on an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Actor {
    /// The person who sent the mail.
    Sender,
    /// The recipient or their mail administrator.
    RecipientAdmin,
    /// The hosting provider running the sending server (us).
    Provider,
    /// The owner or administrator of the website.
    SiteOwner,
    /// The visitor, in their browser.
    Visitor,
    /// Nobody: the failure is temporary and retried automatically.
    Nobody,
}

/// What kind of error a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Smtp,
    Http,
}

/// How an article says its error is recognised (its `[identify]` table).
#[derive(Clone, Debug)]
pub struct ArticleRule {
    pub slug: String,
    /// Mail articles match bounces, web articles match HTTP errors.
    pub kind: Kind,
    pub phrases: Vec<String>,
    pub statuses: Vec<String>,
    pub http: Vec<u16>,
    pub reasons: Vec<String>,
    pub section: Option<String>,
    pub actor: Actor,
    /// The summary a finding led here gets instead of its reason's sentence.
    pub summary: Option<Summary>,
}

/// A finding's one-sentence summary, in Polish and English.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub pl: String,
    pub en: String,
}

/// The article a finding leads to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ArticleMatch {
    pub slug: String,
    /// The id of the section to open, when the rule names one.
    pub section: Option<String>,
    /// The rule's own summary, when it has one (see [`ArticleRule`]).
    #[serde(skip)]
    pub summary: Option<Summary>,
}

/// Facts pulled out of the text; only those found are set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Facts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocklist: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smtp_command: Option<String>,
}

/// One error found in the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: Kind,
    /// The SMTP reply code or the HTTP status.
    pub code: Option<u16>,
    /// The RFC 3463 enhanced status code as written; always `None` for HTTP.
    pub status: Option<String>,
    /// The bounce reason under Sisimai's names; always `None` for HTTP.
    pub reason: Option<&'static str>,
    pub article: Option<ArticleMatch>,
    pub actor: Actor,
    /// The lines that gave the answer, unwrapped.
    pub excerpt: String,
    pub facts: Facts,
}

/// Words only a text about mail has, folded: a proxy's error page ("The
/// domain name does not exist", "Connection timed out") has none of them.
const MAIL_WORDS: [&str; 24] = [
    "mail",
    "smtp",
    "poczt",
    "wiadomosc",
    "recipient",
    "odbiorc",
    "adresat",
    "deliver",
    "dostarcz",
    "skrzynk",
    "bounce",
    "zwrotk",
    "nadawc",
    "sender",
    "relay",
    "spam",
    "dnsbl",
    "blacklist",
    "blocklist",
    "rcpt",
    "quota",
    // cPanel's Exim: "has exceeded the max defers and failures per hour
    // ... allowed. Message discarded."
    "defer",
    "message discarded",
    // Google Groups, a mailing list, refuses a post in the writer's
    // language and links its help centre.
    "groups.google",
];

/// Whether a folded text uses any of [`MAIL_WORDS`].
fn speaks_of_mail(folded: &str) -> bool {
    MAIL_WORDS.iter().any(|w| folded.contains(w))
}

/// The one address of a list, if it has exactly one.
fn sole(addresses: &[String]) -> Option<&str> {
    match addresses {
        [one] => Some(one),
        _ => None,
    }
}

/// The lower-case addresses of a bounce that are never its failed
/// recipients: its own sender and addressee, and the returned message's sender.
fn skip_list(mail: &message::Mail) -> Vec<String> {
    mail.to
        .iter()
        .chain(&mail.from)
        .chain(&mail.original_from)
        .map(|a| a.to_lowercase())
        .collect()
}

/// How much of a text is enough to tell a raw message by its headers.
const HEAD_BYTES: usize = 16 * 1024;

/// The most of a diagnostic a finding reads and quotes. Real replies, even
/// Microsoft's long ones, are well under it; a report whose lines run
/// together into one (thousands of recipients' transcripts) is not read in
/// full once for each recipient.
const EXCERPT_BYTES: usize = 2 * 1024;

/// A text cut to at most `max` bytes, after a whole word when it is cut.
fn at_most(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = &text[..end];
    cut.rfind(char::is_whitespace).map_or(cut, |i| &cut[..i])
}

/// The compiled classifier.
pub struct Classifier {
    rules: rules::Rules,
    reasons: reason::Reasons,
}

impl Classifier {
    /// Compiles the classifier with the articles' recognition rules.
    ///
    /// Everything that would otherwise be built on first use is built here,
    /// except the HTTP expressions, which only pasted text needs.
    pub fn new(rules: &[ArticleRule]) -> Classifier {
        tables::load();
        facts::prepare();
        message::prepare();
        scan::prepare();
        Classifier {
            rules: rules::Rules::new(rules),
            reasons: reason::Reasons::new(),
        }
    }

    /// Finds every error in a text, best first.
    ///
    /// The text may be a raw message (or an mbox of several), a forwarded
    /// or quoted bounce, a few lines of one, a log line, a bare code, or the
    /// text of an error page. Anything else gives no findings.
    pub fn classify(&self, input: &[u8]) -> Vec<Finding> {
        let input = text::normalize_newlines(input);
        let mut findings = Vec::new();
        for raw in text::split_mbox(&input) {
            // A raw message goes to the MIME parser as bytes, undecoded, so
            // that 8-bit charsets are read as the message declares them.
            // Only the header block is decoded for that: a message's body
            // may be long and not ASCII, which makes checking it slow.
            let head = &raw[..raw.len().min(HEAD_BYTES)];
            let head = memchr::memmem::find(head, b"\n\n").map_or(head, |blank| &head[..blank + 2]);
            let head = text::decode(head);
            if message::looks_like_message(&head)
                && let Some(mail) = message::parse(raw)
            {
                self.read_mail(&mail, &mut findings);
                continue;
            }
            let lossy = text::decode(raw);
            let mut unquoted = text::unquote(&lossy);
            if let Some(single) = text::undouble(&unquoted) {
                unquoted = std::borrow::Cow::Owned(single);
            }
            // A page's or a bounce's HTML source is read as the text it shows.
            if message::looks_like_html(&unquoted) {
                unquoted = std::borrow::Cow::Owned(message::html_to_text(&unquoted));
            }
            if matches!(unquoted, std::borrow::Cow::Owned(_))
                && message::looks_like_message(&unquoted)
                && let Some(mail) = message::parse(unquoted.as_bytes())
            {
                self.read_mail(&mail, &mut findings);
                continue;
            }
            // A mail service's bounce event, pasted as JSON, is read as the
            // fields it holds.
            if let Some(fields) = text::unjson(&unquoted) {
                unquoted = std::borrow::Cow::Owned(fields);
            }
            // A report's body pasted with its delivery-status fields is read
            // like the message it came from, field by field.
            if let Some(mail) = message::from_text(&unquoted)
                && mail.dsn.iter().any(is_failure)
            {
                self.read_mail(&mail, &mut findings);
                continue;
            }
            self.read_paste(&unquoted, &mut findings);
        }
        dedupe(&mut findings);
        findings
    }

    /// Findings from a raw bounce: its DSN records, else its text.
    fn read_mail(&self, mail: &message::Mail, out: &mut Vec<Finding>) {
        let skip = skip_list(mail);
        let scan = scan::Scan::new(&mail.text, mail.origin, &skip);
        let failed: Vec<&message::DsnRecord> = mail.dsn.iter().filter(|r| is_failure(r)).collect();
        if !failed.is_empty() {
            for record in failed {
                let recipient = record.recipient().map(str::to_string);
                let statement = recipient.as_deref().and_then(|r| scan.statement_for(r));
                out.push(self.read_record(record, statement, &scan, mail));
            }
            return;
        }
        let mut recipients = scan.recipients();
        if recipients.is_empty() {
            recipients = mail.failed_recipients.clone();
        }
        if recipients.is_empty() && scan.has_statements() {
            recipients = scan.addresses_in_statements(false);
        }
        if recipients.is_empty() && scan.has_statements() && mail.original_to.len() == 1 {
            recipients = mail.original_to.clone();
        }
        if scan.has_statements() {
            self.read_scan(&scan, &recipients, mail.to.first(), out);
        } else {
            self.codeless(mail, &scan, &skip, recipients, out);
        }
    }

    /// Findings from a report that states the failure in words only
    /// ("mailbox is full: retry timeout exceeded"), as some mail systems do.
    ///
    /// A recipient the report names needs the wording after its name; one
    /// taken from the returned message needs the report to present itself
    /// as a bounce.
    fn codeless(
        &self,
        mail: &message::Mail,
        scan: &scan::Scan,
        skip: &[String],
        mut recipients: Vec<String>,
        out: &mut Vec<Finding>,
    ) {
        let named = !recipients.is_empty();
        if !named {
            if !mail.looks_like_bounce() {
                return;
            }
            recipients = mail.original_to.clone();
            // Else the address the failure's own line names: "userx@example.com
            // ... unknown host" under a banner that hides it from the scan.
            if recipients.is_empty()
                && let Some(line) = scan.first_phrase(&self.rules, &self.reasons)
            {
                recipients = scan::recipients_in(&scan.line_text(line))
                    .into_iter()
                    .filter(|a| !skip.contains(&a.to_lowercase()))
                    .collect();
            }
        }
        for r in &recipients {
            let said = |line: usize| (line, scan.line_text(line));
            let found = scan
                .phrase_line_for(r, &self.rules, &self.reasons)
                .map(said)
                // An address the list says failed: the reason the report
                // gives once above the list, else the list's own line (and
                // the reason below it).
                .or_else(|| {
                    let failed = scan.failure_line_for(r)?;
                    Some(
                        scan.preamble_phrase(&self.rules, &self.reasons)
                            .map_or_else(|| (failed, scan.failure_text(failed)), said),
                    )
                })
                .or_else(|| {
                    (!scan.names_recipients())
                        .then(|| scan.first_sentence())
                        .flatten()
                        .map(said)
                });
            let Some((line, text)) = found else { continue };
            let mut f = self.finding(Evidence {
                diagnostic: &text,
                block: scan.block_of(line),
                recipient: Some(r),
                ..Evidence::default()
            });
            f.facts.sender = mail.to.first().cloned().or(f.facts.sender.take());
            out.push(f);
        }
    }

    /// Findings from text that is not a raw message.
    fn read_paste(&self, text: &str, out: &mut Vec<Finding>) {
        // A pasted bounce often carries the message it returns; its headers
        // name people who are not the failed recipients.
        let (text, original) = text::split_original(text);
        let scan = scan::Scan::new(text, text::Origin::Paste, &scan::bounce_addressees(text));
        let named = scan.recipients();
        let start = out.len();
        // A browser's error page or curl's output is HTTP even when its
        // numbers look like SMTP replies ("404 Not Found", "HTTP ERROR 500"),
        // and so is "Error 404", a number no mail server replies with,
        // unless the text has what only mail has: enhanced status codes.
        let http = http::find(scan.texts(), |line| {
            let rule = self.rules.by_phrase(Kind::Http, &text::fold(line))?;
            rule.rule.http.first().copied()
        });
        let clearly_http = http
            .iter()
            .any(|h| h.strength >= 8 || h.strength >= 6 && tables::reply(h.code).is_none())
            && !scan.has_enhanced_status();
        if scan.has_statements() && !clearly_http {
            // A pasted reply is often all there is: "554 5.7.1 <a@b>: Relay
            // access denied" names its recipient inside. Else the returned
            // message's headers may, when they name one recipient.
            let mut recipients = if named.is_empty() {
                scan.addresses_in_statements(true)
            } else {
                named.clone()
            };
            if recipients.is_empty() && !original.is_empty() {
                let to = message::original_to(original);
                if to.len() == 1 {
                    recipients = to;
                }
            }
            self.read_scan(&scan, &recipients, None, out);
            if out.len() > start {
                return;
            }
        }
        self.read_http(&scan, http, out);
        if out.len() == start {
            // Mail wording with no code at all ("Relay access denied"), for
            // the recipient its line names, or the only one the text names,
            // or the only address written in the line.
            let only = sole(&named);
            let about_mail = !named.is_empty() || speaks_of_mail(&text::fold(text));
            for line in scan.phrase_lines(&self.rules, &self.reasons) {
                let text = scan.line_text(line);
                let written = scan::recipients_in(&text);
                // A reason's general wording ("does not exist", "connection
                // timed out") is a mail failure only in a text about mail; an
                // article's own wording ("Relay access denied") is one anywhere.
                if !about_mail
                    && written.is_empty()
                    && self
                        .rules
                        .by_phrase(Kind::Smtp, &text::fold(&text))
                        .is_none()
                {
                    continue;
                }
                let found = self.finding(Evidence {
                    diagnostic: &text,
                    block: scan.block_of(line),
                    recipient: scan.recipient_on(line).or(only).or(sole(&written)),
                    ..Evidence::default()
                });
                keep_fuller(out, start, found);
            }
        }
        if out.len() == start {
            // Only that delivery failed ("Delivery to the following
            // recipients failed: a@b"), the reason left to the parts not
            // pasted: still a failure, for the recipients it names.
            for r in &named {
                if let Some(line) = scan.failure_line_for(r) {
                    let text = scan.failure_text(line);
                    out.push(self.finding(Evidence {
                        diagnostic: &text,
                        block: scan.block_of(line),
                        recipient: Some(r),
                        ..Evidence::default()
                    }));
                }
            }
        }
    }

    fn read_scan(
        &self,
        scan: &scan::Scan,
        recipients: &[String],
        sender: Option<&String>,
        out: &mut Vec<Finding>,
    ) {
        if recipients.is_empty() {
            for s in scan.best_statements() {
                let mut f = self.finding(Evidence {
                    diagnostic: &s.text,
                    block: scan.block_of(s.line),
                    host_line: scan.host_line_before(s.line),
                    ..Evidence::default()
                });
                f.facts.sender = sender.cloned().or(f.facts.sender.take());
                out.push(f);
            }
            return;
        }
        for r in recipients {
            let Some(s) = scan.statement_for(r) else {
                continue;
            };
            let mut f = self.finding(Evidence {
                diagnostic: &s.text,
                block: scan.block_of(s.line),
                host_line: scan.host_line_before(s.line),
                recipient: Some(r),
                ..Evidence::default()
            });
            f.facts.sender = sender.cloned().or(f.facts.sender.take());
            out.push(f);
        }
    }

    fn read_record(
        &self,
        record: &message::DsnRecord,
        statement: Option<&scan::Statement>,
        scan: &scan::Scan,
        mail: &message::Mail,
    ) -> Finding {
        let diagnostic = record.diagnostic.as_deref().unwrap_or("");
        let coded =
            smtp::find_reply(diagnostic).is_some() || smtp::find_status(diagnostic).is_some();
        // Words without a code say less than a report's line with a reply
        // code or another status ("Reason 1 (Unable-To-Transfer)" beside
        // "gives error message 5.7.1 Unable to relay").
        let says_more = statement.is_some_and(|s| {
            s.code.is_some()
                || smtp::find_status(&s.text).is_some_and(|st| Some(&st) != record.status.as_ref())
        });
        let informative = coded || diagnostic.len() > 20 && !says_more;
        // Sendmail keeps only the first line of a multi-line reply in the
        // DSN; the transcript has all of it.
        let head = &diagnostic[..diagnostic
            .char_indices()
            .nth(40)
            .map_or(diagnostic.len(), |(i, _)| i)];
        let richer = statement.filter(|s| {
            s.text.len() > diagnostic.len() + 8 && !head.is_empty() && s.text.contains(head)
        });
        // The transcript may not name the recipient near it, so the whole
        // text is searched, for a reply that goes on further from the same
        // 40 characters (a shorter reply, "550 5.1.1 User unknown", may be
        // another recipient's). Only for the first line of a multi-line
        // reply ("550-5.7.1 ..."), which is what is cut: a report for
        // thousands of recipients is not searched once for each.
        let first_line = diagnostic.as_bytes().get(3) == Some(&b'-')
            && diagnostic.as_bytes()[..3].iter().all(u8::is_ascii_digit);
        let said = |s: &scan::Statement| s.text.find(head).map_or(0, |i| s.text.len() - i);
        let richer = (first_line && head.chars().count() == 40)
            .then(|| scan.fullest_with(head, diagnostic))
            .flatten()
            .filter(|&(_, more)| {
                more > diagnostic.len() + 8 && richer.is_none_or(|r| more > said(r))
            })
            .map(|(s, _)| s)
            .or(richer);
        // A DSN that says nothing but a status, next to a report that says
        // in words what happened to this recipient.
        let worded = (!informative && statement.is_none())
            .then(|| {
                record
                    .recipient()
                    .and_then(|r| scan.phrase_line_for(r, &self.rules, &self.reasons))
                    // Or the reason a report gives above every address.
                    .or_else(|| scan.preamble_phrase(&self.rules, &self.reasons))
            })
            .flatten();
        // A DSN that says nothing at all, next to a report that names the
        // recipient as failed and maybe why.
        let failure = (diagnostic.is_empty() && statement.is_none() && worded.is_none())
            .then(|| {
                let line = scan.failure_line_for(record.recipient()?)?;
                Some((line, scan.failure_with_reason(line)?))
            })
            .flatten();
        let (text, block) = match (informative, statement) {
            _ if worded.is_some() => {
                let line = worded.expect("checked");
                (scan.line_text(line), scan.block_of(line))
            }
            _ if failure.is_some() => {
                let (line, text) = failure.expect("checked");
                (text, scan.block_of(line))
            }
            _ if richer.is_some() => {
                let s = richer.expect("checked");
                (
                    s.text.trim_start_matches("<<< ").to_string(),
                    scan.block_of(s.line),
                )
            }
            (false, Some(s)) => (s.text.clone(), scan.block_of(s.line)),
            _ if diagnostic.is_empty() => (record.fields.clone(), String::new()),
            _ => (
                diagnostic.to_string(),
                statement.map(|s| scan.block_of(s.line)).unwrap_or_default(),
            ),
        };
        self.finding(Evidence {
            diagnostic: &text,
            host_line: statement.and_then(|s| scan.host_line_before(s.line)),
            block,
            recipient: record.recipient(),
            dsn_status: record.status.as_deref(),
            action: record.action.as_deref(),
            diagnostic_type: record.diagnostic_type.as_deref(),
            remote_mta: record.remote_mta.as_deref(),
            reporting_mta: mail.reporting_mta.as_deref(),
            fallback_code: statement.and_then(|s| s.code),
        })
    }

    /// Builds a mail finding from what was read about one failure.
    fn finding(&self, e: Evidence) -> Finding {
        let Evidence {
            diagnostic,
            host_line,
            block,
            recipient,
            dsn_status,
            action,
            diagnostic_type,
            remote_mta,
            reporting_mta,
            fallback_code,
        } = e;
        let block = block.as_str();
        let excerpt = smtp::unrepeat(&text::squeeze(at_most(diagnostic, EXCERPT_BYTES)));
        let folded = text::fold(&excerpt);
        let written = smtp::find_status(&excerpt);
        let status = match (dsn_status, written) {
            (Some(d), Some(w)) if smtp::is_vague(d) && !smtp::is_vague(&w) && d[..1] == w[..1] => {
                Some(w)
            }
            // The status field is the reporting server's own reading (Sendmail
            // maps most refusals to 5.1.1); a specific status the remote
            // server wrote in its reply says what happened there.
            (Some(d), Some(w)) if d[..1] == w[..1] && d != w && !w.ends_with(".0") => Some(w),
            (Some(d), _) => Some(d.to_string()),
            (None, w) => w,
        };
        let code = smtp::reply_for(&excerpt, status.as_deref()).or(fallback_code);
        let command = facts::smtp_command(&folded).or_else(|| facts::smtp_command(block));
        // The remote server: the DSN's Remote-MTA, else the reply, else the
        // text around it; an address is taken from a later source only when
        // it names the same host (or none was named).
        let mut remote_host: Option<String> = None;
        let mut remote_ip: Option<String> = None;
        let sources = [
            remote_mta.map(facts::remote_mta),
            Some(facts::remote_server(&excerpt)),
            host_line.map(|h| (Some(h), None)),
            (!block.is_empty()).then(|| facts::remote_server(block)),
        ];
        for (host, ip) in sources.into_iter().flatten() {
            let same = host.is_none() || remote_host.is_none() || host == remote_host;
            if remote_host.is_none() {
                remote_host = host;
            }
            if remote_ip.is_none() && same {
                remote_ip = ip;
            }
        }
        // Whose wording the diagnostic is: the remote server's, or, when no
        // remote server was reached, the reporting server's own.
        let reporter = reporting_mta.filter(|_| remote_host.is_none() && remote_ip.is_none());
        let hosts: Vec<&str> = remote_host
            .as_deref()
            .or(reporter)
            .into_iter()
            .chain(recipient.and_then(|r| r.rsplit_once('@')).map(|(_, d)| d))
            .chain(facts::url_hosts(&folded))
            .collect();
        let blocklist = facts::blocklist(&folded);
        let reason = self.reasons.classify(&reason::Input {
            folded: &folded,
            status: status.as_deref(),
            code,
            command,
            action,
            diagnostic_type,
            hosts: &hosts,
            names_blocklist: blocklist.is_some(),
        });
        let article = self
            .rules
            .by_phrase(Kind::Smtp, &folded)
            // The reason names a specific article ("spam rejection"); the
            // status only the family's overview.
            .or_else(|| self.rules.by_reason(reason))
            .or_else(|| status.as_deref().and_then(|s| self.rules.by_status(s)));
        // Wording that names no reason but an article's situation (Outlook's
        // "0x800CCC79") takes the reason the article is about.
        let reason = match &article {
            Some(a) if a.by_phrase && matches!(reason, "onhold" | "undefined") => a
                .rule
                .reasons
                .first()
                .and_then(|r| REASONS.iter().copied().find(|known| known == r))
                .unwrap_or(reason),
            _ => reason,
        };
        // The blocked address is worth naming only when something blocked.
        let blocking = blocklist.is_some()
            || matches!(
                reason,
                "blocked"
                    | "badreputation"
                    | "requireptr"
                    | "spamdetected"
                    | "policyviolation"
                    | "rejected"
                    | "securityerror"
            );
        let client_ip = blocking
            .then(|| facts::client_ip(&excerpt, remote_ip.as_deref()))
            .flatten();
        let actor = article
            .as_ref()
            .filter(|a| a.by_phrase)
            .map(|a| a.rule.actor)
            .or_else(|| tables::reason(reason).map(|r| r.actor))
            .unwrap_or(Actor::Sender);
        let sender =
            facts::sender(&excerpt, &folded, command).filter(|s| Some(s.as_str()) != recipient);
        Finding {
            kind: Kind::Smtp,
            code,
            status,
            reason: Some(reason),
            article: article.map(|a| a.to_match()),
            actor,
            excerpt,
            facts: Facts {
                recipient: recipient.map(str::to_string),
                sender,
                remote_host,
                remote_ip,
                client_ip,
                blocklist: blocklist.map(|b| b.name.clone()),
                smtp_command: command.map(str::to_string),
            },
        }
    }

    fn read_http(&self, scan: &scan::Scan, mut hits: Vec<http::HttpHit>, out: &mut Vec<Finding>) {
        hits.sort_by_key(|h| std::cmp::Reverse(h.strength));
        let start = out.len();
        let mut seen = Vec::new();
        for hit in &hits {
            if seen.contains(&hit.code) {
                continue;
            }
            seen.push(hit.code);
            let hit = hits
                .iter()
                .filter(|h| h.code == hit.code && h.strength == hit.strength)
                .find(|h| h.worded)
                .unwrap_or(hit);
            let excerpt = scan.line_text(hit.line);
            let folded = text::fold(&excerpt);
            let article = self
                .rules
                .by_phrase(Kind::Http, &folded)
                .or_else(|| self.rules.by_http(hit.code));
            // A page's further wording for the error already found ("Resource
            // Limit Is Reached", then "exceeded resource limit") is not a
            // second error: only a status written as a number would be.
            let slug = article.as_ref().map(|a| a.rule.slug.as_str());
            if hit.strength <= http::PHRASE_STRENGTH
                && slug.is_some()
                && out[start..]
                    .iter()
                    .any(|f| f.article.as_ref().map(|a| a.slug.as_str()) == slug)
            {
                continue;
            }
            let actor = article.as_ref().map_or(
                if hit.code < 500 {
                    Actor::Visitor
                } else {
                    Actor::SiteOwner
                },
                |a| a.rule.actor,
            );
            out.push(Finding {
                kind: Kind::Http,
                code: Some(hit.code),
                status: None,
                reason: None,
                article: article.map(|a| a.to_match()),
                actor,
                excerpt,
                facts: Facts::default(),
            });
        }
    }
}

/// What one failure is read from: the diagnostic, the text around it, and
/// whatever DSN fields the bounce has.
#[derive(Default)]
struct Evidence<'a> {
    /// The server's reply or the sentence that states the failure.
    diagnostic: &'a str,
    /// A host named alone on the line above the diagnostic (Exchange).
    host_line: Option<String>,
    /// The text around it, for facts the diagnostic leaves out.
    block: String,
    recipient: Option<&'a str>,
    dsn_status: Option<&'a str>,
    action: Option<&'a str>,
    diagnostic_type: Option<&'a str>,
    remote_mta: Option<&'a str>,
    /// The DSN's Reporting-MTA: the server that wrote the report.
    reporting_mta: Option<&'a str>,
    /// A reply code from the text when the diagnostic has none.
    fallback_code: Option<u16>,
}

/// Tells whether a DSN record reports a failure (not a delivery).
fn is_failure(record: &message::DsnRecord) -> bool {
    if let Some(status) = &record.status
        && status.starts_with('2')
    {
        return false;
    }
    match record.action.as_deref() {
        Some(a) => !matches!(
            a.split_whitespace().next(),
            Some("delivered" | "relayed" | "expanded" | "deliverable")
        ),
        None => {
            record.status.as_deref().is_some_and(smtp::is_failure) || record.diagnostic.is_some()
        }
    }
}

/// Adds a finding stated in words only, unless it says again what one found
/// since `start` says: a report often names the failure twice, as a heading
/// ("Address not found") and then as a sentence naming the recipient. Of
/// the two, the one naming a recipient stays, else the longer. Two such
/// lines about the same recipient are one failure even when their words
/// point to different reasons: the heading is the vaguer of the two.
fn keep_fuller(out: &mut Vec<Finding>, start: usize, new: Finding) {
    let same = out[start..].iter_mut().find(|f| {
        let recipients_fit = f.facts.recipient.is_none()
            || new.facts.recipient.is_none()
            || f.facts.recipient == new.facts.recipient;
        let same_recipient =
            f.facts.recipient.is_some() && f.facts.recipient == new.facts.recipient;
        f.reason == new.reason && recipients_fit || same_recipient
    });
    match same {
        Some(f) => {
            let fuller = |f: &Finding| (f.facts.recipient.is_some(), f.excerpt.len());
            if fuller(&new) > fuller(f) {
                *f = new;
            }
        }
        None => out.push(new),
    }
}

/// Drops repeated findings (the same failure reported twice for one
/// recipient), keeping the first.
fn dedupe(findings: &mut Vec<Finding>) {
    let mut seen = std::collections::HashSet::new();
    findings.retain(|f| {
        seen.insert((
            f.facts.recipient.as_ref().map(|r| r.to_lowercase()),
            f.code,
            f.status.clone(),
            f.excerpt.clone(),
        ))
    });
}

/// Returns a phrase in the form it is matched in: lower case, whitespace
/// folded, Polish letters without their marks ([`text::fold`]).
pub fn fold_phrase(text: &str) -> String {
    text::fold(text)
}

/// Tells whether a string is an RFC 3463 enhanced status code (`5.7.1`).
pub fn is_enhanced_status(s: &str) -> bool {
    let mut parts = s.split('.');
    let (Some(class), Some(subject), Some(detail), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    matches!(class, "2" | "4" | "5")
        && (1..=3).contains(&subject.len())
        && (1..=3).contains(&detail.len())
        && subject
            .bytes()
            .chain(detail.bytes())
            .all(|b| b.is_ascii_digit())
}
