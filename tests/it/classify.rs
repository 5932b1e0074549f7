//! The classifier over fixtures of our own writing: one row per file in
//! `tests/fixtures/identify/`.
//!
//! The files cover each of the twelve 554 5.7.1 variants in the forms mail
//! systems and people produce them (Postfix, Exim, Sendmail, qmail, Exchange
//! and Office 365, Gmail and Yahoo reports; raw `multipart/report` messages;
//! Postfix and Exim log lines; one-line pastes; `> ` quotes; a Polish mail
//! client's wrapper; wrapped replies with the code split; CRLF,
//! quoted-printable and base64 bodies; an mbox; a bounce for three
//! recipients; a bounce forwarded as an attachment), the same wording under
//! other reply codes, other common bounces, HTTP errors as browsers, curl and
//! web server logs show them, and texts with no error in them.
//!
//! Each row says what a person should be told, not what the classifier
//! happened to answer when the row was written. Reasons use Sisimai's names;
//! where Sisimai's own wording tables decide between two plausible names, the
//! row's comment says which table.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use diagnoza::identify::{Actor, Classifier, Finding, Kind};

/// The classifier built from the embedded articles' recognition rules.
static CLASSIFIER: LazyLock<Classifier> = LazyLock::new(|| {
    let lib = diagnoza::content::Library::from_files(&diagnoza::content::embedded_files())
        .unwrap_or_else(|p| panic!("the embedded content has problems:\n{p}"));
    Classifier::new(&lib.rules())
});

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/identify")
}

/// A fact and its expected value; `None` means the finding must not have it.
type Fact = (&'static str, Option<&'static str>);

/// What one finding should say.
struct Expect {
    kind: Kind,
    code: Option<u16>,
    status: Option<&'static str>,
    reason: Option<&'static str>,
    article: Option<&'static str>,
    /// Only the facts that matter for the row; others are not checked.
    facts: &'static [Fact],
}

/// One fixture and what it should give.
struct Row {
    file: &'static str,
    /// How many findings the text gives.
    count: usize,
    /// The first finding; for a text with several failed recipients, one per
    /// recipient, each matched to the finding for its `recipient` fact.
    expect: &'static [Expect],
}

const fn mail(
    code: Option<u16>,
    status: &'static str,
    reason: &'static str,
    article: Option<&'static str>,
    facts: &'static [Fact],
) -> Expect {
    Expect {
        kind: Kind::Smtp,
        code,
        status: Some(status),
        reason: Some(reason),
        article,
        facts,
    }
}

/// A mail finding whose text gives no enhanced status code.
const fn unstated(
    code: Option<u16>,
    reason: &'static str,
    article: Option<&'static str>,
    facts: &'static [Fact],
) -> Expect {
    Expect {
        status: None,
        ..mail(code, "", reason, article, facts)
    }
}

const fn web(code: u16, article: &'static str) -> Expect {
    Expect {
        kind: Kind::Http,
        code: Some(code),
        status: None,
        reason: None,
        article: Some(article),
        facts: &[],
    }
}

/// A web error no article covers: the code's own sentence is the answer.
const fn web_unlinked(code: u16) -> Expect {
    Expect {
        article: None,
        ..web(code, "")
    }
}

const fn one(file: &'static str, expect: &'static [Expect]) -> Row {
    Row {
        file,
        count: 1,
        expect,
    }
}

const fn none(file: &'static str) -> Row {
    Row {
        file,
        count: 0,
        expect: &[],
    }
}

const OVERVIEW: Option<&str> = Some("554-5-7-1");
const NOT_AUTHORIZED: Option<&str> = Some("554-5-7-1-delivery-not-authorized");
const NOT_ALLOWED: Option<&str> = Some("554-5-7-1-not-allowed-to-connect");
const CLIENT_REJECTED: Option<&str> = Some("554-5-7-1-client-host-rejected");
const CLIENT_BLOCKED: Option<&str> = Some("554-5-7-1-client-host-blocked");
const RELAY: Option<&str> = Some("554-5-7-1-relay-access-denied");
const RECIPIENT: Option<&str> = Some("554-5-7-1-recipient-address-rejected");
const RULES: Option<&str> = Some("554-5-7-1-rules-rejection");
const DICTIONARY: Option<&str> = Some("554-5-7-1-dictionary-check");
const ONE_DOMAIN: Option<&str> = Some("554-5-7-1-relay-denied-one-domain");
const SPAM: Option<&str> = Some("554-5-7-1-spam-rejection");
const DNSBL: Option<&str> = Some("554-5-7-1-dnsbl-check");
const SENDER: Option<&str> = Some("554-5-7-1-sender-address-rejected");

const ROWS: &[Row] = &[
    // ---- Delivery not authorized, message refused
    // Sisimai lists "delivery not authorized, message refused" as `rejected`
    // (Reason::Rejected, and Rhost::Microsoft for 5.7.1).
    one(
        "delivery-not-authorized-exim.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "rejected",
            NOT_AUTHORIZED,
            &[
                ("recipient", Some("zarzad@example.com")),
                ("remote_host", Some("mx2.example.com")),
                ("remote_ip", Some("198.51.100.44")),
                ("smtp_command", Some("DATA")),
            ],
        )],
    ),
    // Office 365's own NDR; Sisimai names RESOLVER.RST.NotAuthorized
    // `filtered` (Reason::Filtered). The recipient is the group, never the
    // sender the report also names.
    one(
        "delivery-not-authorized-office365.txt",
        &[mail(
            Some(550),
            "5.7.1",
            "filtered",
            NOT_AUTHORIZED,
            &[("recipient", Some("wszyscy@example.net"))],
        )],
    ),
    // ---- You are not allowed to connect (Sisimai: `blocked`)
    // qmail's "Connected to ... but greeting failed" is the connection
    // stage; the address qmail names is the remote server, not a blocked
    // client.
    one(
        "not-allowed-to-connect-qmail.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "blocked",
            NOT_ALLOWED,
            &[
                ("recipient", Some("biuro@example.org")),
                ("remote_ip", Some("203.0.113.25")),
                ("client_ip", None),
                ("smtp_command", Some("CONN")),
            ],
        )],
    ),
    // Polish Outlook's send error: the account ("Konto: a@b") is the
    // sender's, and "to:" inside "Konto:" names no recipient.
    one(
        "relay-access-denied-outlook-pl-0x800ccc79.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "norelaying",
            RELAY,
            &[("recipient", Some("klient@odbiorca.example.com"))],
        )],
    ),
    // An Outlook NDR forwarded under "-----Original Message-----": the
    // marker is the forward's, not the start of a returned copy.
    one(
        "unable-to-relay-outlook-forward-original-message.txt",
        &[mail(
            Some(550),
            "5.7.1",
            "norelaying",
            RELAY,
            &[
                ("recipient", Some("zakupy@odbiorca.example.com")),
                ("remote_host", Some("mx.odbiorca.example.com")),
            ],
        )],
    ),
    // A refused HELO name: the client-host-rejected article's case, which
    // the sender fixes (see the test below).
    one(
        "helo-rejected-scanner-pl.txt",
        &[mail(
            Some(504),
            "5.5.2",
            "blocked",
            CLIENT_REJECTED,
            &[("recipient", None)],
        )],
    ),
    // A 5.7.1 that names the list the sending server is on: a block, not
    // the status's vague security error.
    one(
        "client-blocked-uceprotect-listed-at.txt",
        &[mail(
            Some(550),
            "5.7.1",
            "blocked",
            CLIENT_BLOCKED,
            &[
                ("recipient", Some("biuro@hurtownia-opon.example.com")),
                ("client_ip", Some("203.0.113.25")),
                ("blocklist", Some("UCEPROTECT")),
                ("remote_ip", Some("198.51.100.140")),
            ],
        )],
    ),
    // Gmail in Polish names the recipient after "wiadomości do adresu".
    one(
        "not-allowed-to-connect-gmail-pl.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "blocked",
            NOT_ALLOWED,
            &[("recipient", Some("biuro@kancelaria.example.pl"))],
        )],
    ),
    // Exim quoting a multi-line reply without a status, right after the
    // colon of "after initial connection:"; the dash is followed by an IP.
    one(
        "client-blocked-exim-initial-multiline.txt",
        &[unstated(
            Some(550),
            "blocked",
            CLIENT_BLOCKED,
            &[
                ("recipient", Some("biuro@example.net")),
                ("remote_host", Some("mx2.example.net")),
                ("remote_ip", Some("203.0.113.25")),
                ("client_ip", Some("198.51.100.77")),
                ("smtp_command", Some("CONN")),
            ],
        )],
    ),
    one(
        "not-allowed-to-connect-exim-initial.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "blocked",
            NOT_ALLOWED,
            &[
                ("recipient", Some("sekretariat@example.com")),
                ("remote_host", Some("mx.example.com")),
                ("remote_ip", Some("198.51.100.80")),
                ("smtp_command", Some("CONN")),
            ],
        )],
    ),
    // ---- Client host rejected: Access denied
    // Postfix's check_client_access refusing the sending server: Sisimai's
    // The hosting account's own hourly limit (cPanel): the message was
    // discarded, so the sender sends it again later (see the actor test).
    one(
        "speeding-cpanel-hourly-limit.txt",
        &[unstated(
            None,
            "speeding",
            None,
            &[("recipient", Some("zamowienia@hurtownia.example.com"))],
        )],
    ),
    // cPanel's other hourly limit, on failed and deferred deliveries.
    one(
        "speeding-cpanel-defers-limit.txt",
        &[unstated(
            None,
            "speeding",
            None,
            &[("recipient", Some("newsletter-lista@partner.example.com"))],
        )],
    ),
    // A Polish client's report: the recipient after "do odbiorcy", past
    // the earlier "wiadomości do".
    one(
        "mailbox-full-polish-do-odbiorcy.txt",
        &[mail(
            Some(552),
            "5.2.2",
            "mailboxfull",
            None,
            &[("recipient", Some("jan.kowalski@poczta.example.pl"))],
        )],
    ),
    // Failed sender authentication has no variant of its own: the
    // overview's section on SPF, DKIM and DMARC (see the section test).
    one(
        "authfailure-gmail-5-7-26.txt",
        &[mail(Some(550), "5.7.26", "authfailure", OVERVIEW, &[])],
    ),
    one(
        "authfailure-microsoft-spf.txt",
        &[mail(Some(550), "5.7.23", "authfailure", OVERVIEW, &[])],
    ),
    // "SPF policy violation" under a plain 5.7.1, in a support ticket.
    one(
        "authfailure-spf-policy-violation-pl.txt",
        &[mail(Some(550), "5.7.1", "authfailure", OVERVIEW, &[])],
    ),
    // Exchange's content filter names the sender, "The message from
    // (<a@b>)": not a recipient.
    one(
        "spam-exchange-profile-sender-named.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "spamdetected",
            SPAM,
            &[("recipient", None)],
        )],
    ),
    // Exim's "after pipelined MAIL FROM": the stage is MAIL all the same.
    one(
        "sender-rejected-exim-pipelined.txt",
        &[mail(
            Some(550),
            "5.7.1",
            "rejected",
            SENDER,
            &[
                ("sender", Some("biuro@firma-przyklad.pl")),
                ("smtp_command", Some("MAIL")),
            ],
        )],
    ),
    // iOS names neither a code nor a reason: the relay article's section
    // on phones (see the section test).
    one(
        "relay-iphone-cannot-send.txt",
        &[unstated(
            None,
            "onhold",
            RELAY,
            &[("recipient", Some("marek@klient-przyklad.pl"))],
        )],
    ),
    // The same window on a phone set to Polish.
    one(
        "relay-iphone-cannot-send-pl.txt",
        &[unstated(
            None,
            "onhold",
            RELAY,
            &[("recipient", Some("marek@klient-przyklad.pl"))],
        )],
    ),
    // cPanel's Exim: "could not deliver mail to a@b".
    one(
        "hostunknown-cpanel-could-not-deliver.txt",
        &[unstated(
            None,
            "hostunknown",
            None,
            &[("recipient", Some("biuro@nieistniejaca-domena-przyklad.pl"))],
        )],
    ),
    // A bounce copied from its HTML source: entities for the brackets, a
    // tag for the line break.
    one(
        "relay-access-denied-html-entities.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "norelaying",
            RELAY,
            &[
                ("recipient", Some("jan.nowak@klient-przyklad.pl")),
                ("remote_host", Some("mx.klient-przyklad.pl")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    // Outlook's Polish report without any code: the wording says the
    // mailbox is full.
    one(
        "mailbox-full-outlook-polish-no-code.txt",
        &[unstated(
            None,
            "mailboxfull",
            None,
            &[("recipient", Some("marta.lis@firma-przyklad.pl"))],
        )],
    ),
    // The same kind of report saved by an old Windows mail program, in
    // Windows-1250 rather than UTF-8: "pełna" must still read as "pełna".
    one(
        "mailbox-full-polish-windows-1250.txt",
        &[unstated(
            None,
            "mailboxfull",
            None,
            &[("recipient", Some("ola.mazur@example.pl"))],
        )],
    ),
    // "do skrzynki a@b": the noun between the anchor and the address.
    one(
        "mailbox-full-polish-do-skrzynki.txt",
        &[mail(
            Some(452),
            "4.2.2",
            "mailboxfull",
            None,
            &[("recipient", Some("ola.wrona@odbiorca-przyklad.pl"))],
        )],
    ),
    // Dovecot names the mailbox it failed to save to in "lmtp(a@b)".
    one(
        "mailbox-full-dovecot-lmtp.log",
        &[unstated(
            None,
            "mailboxfull",
            None,
            &[("recipient", Some("ewa.mazur@firma-przyklad.pl"))],
        )],
    ),
    // Microsoft's own block list, in its words: the article on blocked
    // addresses, its Microsoft section (see the section test). Sisimai's
    // Microsoft table names 5.7.708 `speeding` only for a bounce from a
    // Microsoft host; pasted alone, the status says `securityerror`.
    one(
        "client-blocked-microsoft-traffic-not-accepted.txt",
        &[mail(
            Some(550),
            "5.7.708",
            "securityerror",
            CLIENT_BLOCKED,
            &[],
        )],
    ),
    one(
        "client-blocked-outlook-com-s3150.txt",
        &[mail(
            Some(550),
            "5.7.1",
            "blocked",
            CLIENT_BLOCKED,
            &[
                ("recipient", Some("karolina.b@outlook.com")),
                ("client_ip", Some("198.51.100.61")),
                ("blocklist", Some("Microsoft")),
            ],
        )],
    ),
    // Gmail's connection failure, quoted under a customer's question full of
    // other numbers: the server is named only in brackets, "[host. ip: ...]".
    one(
        "expired-gmail-connect-timeout-quoted.txt",
        &[unstated(
            None,
            "expired",
            None,
            &[
                ("recipient", Some("zamowienia@hurtownia.example.pl")),
                ("remote_host", Some("mx.hurtownia.example.pl")),
                ("remote_ip", Some("198.51.100.81")),
            ],
        )],
    ),
    // Roundcube's sending errors (the webmail cPanel ships), in Polish and
    // in English: the code in brackets, the stage in words.
    one(
        "relay-access-denied-roundcube-pl.txt",
        &[mail(
            Some(550),
            "5.7.1",
            "norelaying",
            RELAY,
            &[
                ("recipient", Some("ola@inna.example.com")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    // A wrong SMTP password: 535 alone is a security error.
    one(
        "security-error-roundcube-smtp-login.txt",
        &[unstated(Some(535), "securityerror", None, &[])],
    ),
    // The receiving server's own log lines, as an administrator pastes
    // them: Postfix's NOQUEUE reject and Exim's reject log both name the
    // stage (RCPT) and the recipient.
    one(
        "client-host-rejected-postfix-smtpd-log.log",
        &[mail(
            Some(554),
            "5.7.1",
            "blocked",
            CLIENT_REJECTED,
            &[
                ("recipient", Some("kontakt@sklep.example.pl")),
                ("sender", Some("faktury@dostawca.example.com")),
                ("client_ip", Some("203.0.113.10")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    one(
        "relay-access-denied-exim-reject-log.log",
        &[unstated(
            None,
            "norelaying",
            RELAY,
            &[
                ("recipient", Some("marta@inna.example.com")),
                ("sender", Some("jan@nadawca.example.pl")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    // `blocked` ("rejected due to client IP address or a hostname"), not the
    // generic 5.7.1 `securityerror`.
    one(
        "client-host-rejected-postfix.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "blocked",
            CLIENT_REJECTED,
            &[
                ("recipient", Some("jan.kowalski@example.com")),
                ("remote_host", Some("mx1.example.com")),
                ("remote_ip", Some("198.51.100.7")),
                ("client_ip", Some("203.0.113.45")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    // The same as a raw multipart/report with CRLF line ends; the DSN's
    // Remote-MTA has no address, the report beside it has.
    one(
        "client-host-rejected-crlf.eml",
        &[mail(
            Some(554),
            "5.7.1",
            "blocked",
            CLIENT_REJECTED,
            &[
                ("recipient", Some("ksiegowosc@example.net")),
                ("remote_host", Some("mx.example.net")),
                ("remote_ip", Some("198.51.100.15")),
                ("client_ip", Some("203.0.113.45")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    // ---- Service unavailable; Client host [IP] blocked using zen.spamhaus.org
    one(
        "client-host-blocked-spamhaus-dsn.eml",
        &[mail(
            Some(554),
            "5.7.1",
            "blocked",
            CLIENT_BLOCKED,
            &[
                ("recipient", Some("zamowienia@example.org")),
                ("remote_host", Some("mx.example.org")),
                ("remote_ip", Some("198.51.100.33")),
                ("client_ip", Some("203.0.113.45")),
                ("blocklist", Some("Spamhaus")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    one(
        "client-host-blocked-one-line.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "blocked",
            CLIENT_BLOCKED,
            &[
                ("recipient", None),
                ("remote_ip", None),
                ("client_ip", Some("192.0.2.148")),
                ("blocklist", Some("Spamhaus")),
            ],
        )],
    ),
    // A customer's question around a refusal that gives nothing but a
    // blocklist's lookup link: the link alone says the client is blocked.
    one(
        "client-blocked-lookup-link-only.txt",
        &[unstated(
            Some(553),
            "blocked",
            CLIENT_BLOCKED,
            &[
                ("client_ip", Some("203.0.113.9")),
                ("blocklist", Some("Spamhaus")),
            ],
        )],
    ),
    // A forwarded refusal with no status that says only that the sending
    // address is "found on one or more DNSBLs": still a blocked client.
    one(
        "client-blocked-rbl-forwarding.txt",
        &[unstated(
            Some(554),
            "blocked",
            CLIENT_BLOCKED,
            &[
                ("recipient", Some("kontakt@pracownia-ceramiki.example.com")),
                ("remote_host", Some("route2.mx.cloudflare.net")),
                ("client_ip", Some("203.0.113.77")),
                ("blocklist", Some("Abusix")),
            ],
        )],
    ),
    // ---- Relay access denied
    // Sendmail's closing "554 5.0.0 Service unavailable" is its own summary,
    // not the reply; the client named in "from host ..." was not blocked.
    one(
        "relay-access-denied-sendmail.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "norelaying",
            RELAY,
            &[
                ("recipient", Some("anna.nowak@example.org")),
                ("remote_host", Some("mail.example.org")),
                ("client_ip", None),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    // Thunderbird's Polish send error: the only address is inside the
    // server's reply, and it is the recipient's.
    one(
        "relay-access-denied-thunderbird-pl.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "norelaying",
            RELAY,
            &[("recipient", Some("klient@hurtownia-przyklad.com"))],
        )],
    ),
    // Outlook's Polish task error names the sending account before the
    // server's reply; only the address in the reply is the recipient.
    one(
        "relay-denied-outlook-task-pl.txt",
        &[mail(
            Some(550),
            "5.7.1",
            "norelaying",
            RELAY,
            &[("recipient", Some("zamowienia@tartak.example.org"))],
        )],
    ),
    // "said: 554" and "5.7.1 ..." on two lines.
    // A customer's message to support with the bounce attached as
    // message/rfc822: the attached report is what is read, not the
    // customer's own headers.
    one(
        "relay-access-denied-forwarded-as-attachment.eml",
        &[mail(
            Some(554),
            "5.7.1",
            "norelaying",
            RELAY,
            &[
                ("recipient", Some("zamowienia@example.net")),
                ("remote_host", Some("mx.example.net")),
            ],
        )],
    ),
    one(
        "relay-access-denied-wrapped.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "norelaying",
            RELAY,
            &[
                ("recipient", Some("t.zielinski@example.net")),
                ("remote_host", Some("mail.example.net")),
                ("remote_ip", Some("198.51.100.90")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    // ---- Recipient address rejected: Access denied
    // Sisimai 5 lists this wording under UserUnknown, and reads an unknown
    // user with no SMTP stage as `filtered` (an Exchange NDR does not say
    // the stage). In an Exchange NDR the line under the recipient is the
    // server that refused it; the "Generating server" is the sender's own
    // Exchange.
    one(
        "recipient-address-rejected-exchange.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "filtered",
            RECIPIENT,
            &[
                ("recipient", Some("kadry@example.com")),
                ("remote_host", Some("mx.example.com")),
            ],
        )],
    ),
    // Copied from a client's HTML view: a blank line after every line. At
    // RCPT, Sisimai names the refusal `userunknown`.
    one(
        "recipient-address-rejected-exim-double-spaced.txt",
        &[mail(
            Some(550),
            "5.7.1",
            "userunknown",
            RECIPIENT,
            &[
                ("recipient", Some("ksiegowosc@biuro-rachunkowe.example.com")),
                ("remote_host", Some("mx.biuro-rachunkowe.example.com")),
                ("remote_ip", Some("198.51.100.77")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    // Exchange Online's directory-based edge blocking: the address does not
    // exist there (Sisimai's Rhost::Microsoft: 5.4.1 is `userunknown`).
    one(
        "recipient-address-rejected-as201806281.txt",
        &[mail(
            Some(550),
            "5.4.1",
            "userunknown",
            RECIPIENT,
            &[
                ("recipient", Some("a.kaminska@example.net")),
                (
                    "remote_host",
                    Some("example-net.mail.protection.outlook.com"),
                ),
                ("remote_ip", Some("198.51.100.14")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    // ---- Message cannot be accepted, rules rejection
    // A rule the recipient set: Sisimai's `filtered` ("message rejected due
    // to user rules" in Reason::Filtered).
    one(
        "rules-rejection-gmail.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "filtered",
            RULES,
            &[
                ("recipient", Some("zamowienia@example.net")),
                ("remote_host", Some("mx.example.net")),
                ("remote_ip", Some("198.51.100.23")),
            ],
        )],
    ),
    // Outlook in Polish: a raw report whose only text is HTML in base64 and
    // ISO-8859-2, and another server's wording for a user's rule.
    one(
        "rules-rejection-outlook-pl-html-base64.eml",
        &[mail(
            Some(550),
            "5.7.1",
            "filtered",
            RULES,
            &[
                ("recipient", Some("anna@firma.example.pl")),
                ("remote_host", Some("mx.firma.example.pl")),
            ],
        )],
    ),
    one(
        "rules-rejection-exim.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "filtered",
            RULES,
            &[
                ("recipient", Some("przetargi@example.org")),
                ("remote_host", Some("mail.example.org")),
                ("remote_ip", Some("203.0.113.150")),
                ("smtp_command", Some("DATA")),
            ],
        )],
    ),
    // ---- Message refused by Dictionary check
    // A banned-words content filter after DATA: Sisimai's `spamdetected`
    // ("content filter rejection", "rejecting banned content").
    one(
        "dictionary-check-syslog.log",
        &[mail(
            Some(554),
            "5.7.1",
            "spamdetected",
            DICTIONARY,
            &[
                ("recipient", Some("redakcja@example.org")),
                ("remote_host", Some("mail.example.org")),
                ("remote_ip", Some("198.51.100.61")),
                ("smtp_command", Some("DATA")),
            ],
        )],
    ),
    // Yahoo's "[END-OF-MESSAGE]" marks the reply to the end of DATA. The
    // report does not name the remote server; the address in the returned
    // message's Received header is the sender's own.
    one(
        "dictionary-check-yahoo.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "spamdetected",
            DICTIONARY,
            &[
                ("recipient", Some("m.kaminska@example.com")),
                ("remote_ip", None),
                ("smtp_command", Some("DATA")),
            ],
        )],
    ),
    // ---- Relay Access Denied for One Domain, in a reply quoted with "> "
    one(
        "relay-denied-one-domain-forwarded.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "norelaying",
            ONE_DOMAIN,
            &[
                ("recipient", Some("faktury@example.com")),
                ("remote_host", Some("mx2.example.net")),
                ("remote_ip", Some("203.0.113.9")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    // ---- Message cannot be accepted, spam rejection
    // A Polish mail client's words around the English reply.
    one(
        "spam-rejection-polish-client.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "spamdetected",
            SPAM,
            &[
                ("recipient", Some("marek.wisniewski@example.com")),
                ("remote_host", Some("mx.example.com")),
                ("remote_ip", Some("198.51.100.52")),
                ("smtp_command", Some("DATA")),
            ],
        )],
    ),
    // Zoho's wording for a spam refusal: the article is the spam one by
    // its wording, while the reason stays what Sisimai 5.1 names a bare
    // 5.7.1 (`securityerror`).
    one(
        "spam-rejection-flagged-zoho.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "securityerror",
            SPAM,
            &[
                ("recipient", Some("marta.zielinska@zoho.eu")),
                ("remote_host", Some("mx.zoho.eu")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    // Yandex's "rejected under suspicion of SPAM": the spam article by its
    // wording; the reason stays Sisimai's for a bare 5.7.1.
    one(
        "spam-rejection-suspicion-yandex.txt",
        &[mail(
            Some(550),
            "5.7.1",
            "securityerror",
            SPAM,
            &[
                ("recipient", Some("olga.ivanova@example.com")),
                ("remote_host", Some("mx.example.com")),
                ("remote_ip", Some("198.51.100.31")),
                ("smtp_command", Some("DATA")),
            ],
        )],
    ),
    // Sendmail keeps the first line of a multi-line reply in the DSN and
    // the "(reason: ...)" line; the transcript, which does not name the
    // alias the DSN reports, has the whole reply and its spam wording.
    one(
        "spam-rejection-sendmail-alias-first-line-only.eml",
        &[mail(
            Some(550),
            "5.7.1",
            "spamdetected",
            SPAM,
            &[
                ("recipient", Some("promocje@example.pl")),
                ("remote_host", Some("mx.example.com")),
                ("client_ip", Some("203.0.113.9")),
                ("smtp_command", Some("DATA")),
            ],
        )],
    ),
    // A raw Exim bounce whose body is base64.
    one(
        "spam-rejection-base64.eml",
        &[mail(
            Some(554),
            "5.7.1",
            "spamdetected",
            SPAM,
            &[
                ("recipient", Some("oferty@example.org")),
                ("remote_host", Some("mx.example.org")),
                ("remote_ip", Some("198.51.100.70")),
                ("smtp_command", Some("DATA")),
            ],
        )],
    ),
    // ---- Message refused by DNSBL check: the sending IP is listed
    one(
        "dnsbl-check-exim-log.log",
        &[mail(
            Some(554),
            "5.7.1",
            "blocked",
            DNSBL,
            &[
                ("recipient", Some("biuro@example.net")),
                ("remote_host", Some("mx.example.net")),
                ("remote_ip", Some("198.51.100.12")),
                ("client_ip", Some("203.0.113.45")),
                ("blocklist", Some("SpamCop")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    // ---- Sender address rejected: Access denied (Sisimai: `rejected`)
    // The address in the reply is the sender's, never a recipient.
    one(
        "sender-address-rejected-one-line.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "rejected",
            SENDER,
            // The address the reply refuses is the sender's.
            &[
                ("recipient", None),
                ("sender", Some("newsletter@example.pl")),
            ],
        )],
    ),
    // A single-part bounce in quoted-printable, with a Polish preface.
    one(
        "sender-address-rejected-qp.eml",
        &[mail(
            Some(554),
            "5.7.1",
            "rejected",
            SENDER,
            &[
                ("recipient", Some("j.nowak@example.com")),
                ("remote_host", Some("mx.example.com")),
                ("remote_ip", Some("198.51.100.18")),
                ("smtp_command", Some("MAIL")),
            ],
        )],
    ),
    // A domain with no MX or A record is the sender's to fix, like a
    // refused sender address, even when the reply names no address.
    one(
        "sender-domain-no-mx-record.txt",
        &[mail(
            Some(550),
            "5.7.1",
            "rejected",
            SENDER,
            &[("recipient", None)],
        )],
    ),
    // ---- The variants' wording under other codes, and the bare code
    // Sisimai's Rhost::Microsoft: 5.7.1 "unable to relay" is `norelaying`.
    // "Generating server" is the sender's own Exchange, not the remote one.
    one(
        "unable-to-relay-exchange.txt",
        &[mail(
            Some(550),
            "5.7.1",
            "norelaying",
            RELAY,
            &[
                ("recipient", Some("info@example.org")),
                ("remote_host", None),
            ],
        )],
    ),
    // Nothing but the code: the overview article, and the reason RFC 3463's
    // 5.7.1 means in Sisimai's status table.
    one(
        "bare-554-5-7-1.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "securityerror",
            OVERVIEW,
            &[("recipient", None)],
        )],
    ),
    // ---- Several failures in one input
    Row {
        file: "two-bounces.mbox",
        count: 2,
        expect: &[
            mail(
                Some(554),
                "5.7.1",
                "blocked",
                DNSBL,
                &[
                    ("recipient", Some("handlowy@example.com")),
                    ("remote_host", Some("mx.example.com")),
                    ("remote_ip", Some("198.51.100.120")),
                    ("client_ip", Some("203.0.113.45")),
                    ("blocklist", Some("Barracuda")),
                    ("smtp_command", Some("RCPT")),
                ],
            ),
            mail(
                Some(554),
                "5.7.1",
                "norelaying",
                RELAY,
                &[
                    ("recipient", Some("kontakt@example.net")),
                    ("remote_host", Some("old-mx.example.net")),
                    ("remote_ip", Some("203.0.113.200")),
                    ("smtp_command", Some("RCPT")),
                ],
            ),
        ],
    },
    // A recipient still being tried, whose line has no reply, above one
    // refused with 550: the 550 is the other recipient's, not its.
    Row {
        file: "delayed-next-to-failed-no-diagnostic.eml",
        count: 2,
        expect: &[
            mail(
                Some(550),
                "5.1.1",
                "userunknown",
                None,
                &[("recipient", Some("kasia@example.org"))],
            ),
            mail(
                None,
                "4.0.0",
                "expired",
                None,
                &[
                    ("recipient", Some("piotr@example.net")),
                    ("remote_host", Some("mx.example.net")),
                ],
            ),
        ],
    },
    // "Recipient address rejected: User unknown" is not the recipient
    // article's "Access denied": no article fits a missing mailbox.
    Row {
        file: "three-recipients.eml",
        count: 3,
        expect: &[
            mail(
                Some(550),
                "5.1.1",
                "userunknown",
                None,
                &[
                    ("recipient", Some("p.lewandowski@example.com")),
                    ("remote_host", Some("mx.example.com")),
                    ("remote_ip", Some("198.51.100.7")),
                    ("smtp_command", Some("RCPT")),
                ],
            ),
            mail(
                Some(552),
                "5.2.2",
                "mailboxfull",
                None,
                &[
                    ("recipient", Some("k.zielinska@example.net")),
                    ("remote_host", Some("mail.example.net")),
                    ("remote_ip", Some("198.51.100.90")),
                    ("smtp_command", Some("RCPT")),
                ],
            ),
            // Refused at RCPT: Sisimai 5's UserUnknown wording at that stage.
            mail(
                Some(554),
                "5.7.1",
                "userunknown",
                RECIPIENT,
                &[
                    ("recipient", Some("sekretariat@example.org")),
                    ("remote_host", Some("mx.example.org")),
                    ("remote_ip", Some("203.0.113.60")),
                    ("smtp_command", Some("RCPT")),
                ],
            ),
        ],
    },
    // A forward that a mail client hard-wrapped at 76 columns: the reply
    // breaks before "DNSBL check", in the text and in the unindented
    // Diagnostic-Code field alike.
    one(
        "dnsbl-check-outlook-wrapped.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "blocked",
            DNSBL,
            &[
                ("recipient", Some("zamowienia@hurtownia.example.com")),
                ("remote_host", Some("mx1.hurtownia.example.com")),
                ("blocklist", Some("SpamCop")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    // ---- Other common bounces
    // Postfix's reject_unknown_reverse_client_hostname: the sending server
    // has no reverse DNS, which the client-host-rejected article explains.
    one(
        "client-host-rejected-reverse-hostname.txt",
        &[mail(
            Some(550),
            "5.7.1",
            "requireptr",
            CLIENT_REJECTED,
            &[("client_ip", Some("203.0.113.45"))],
        )],
    ),
    // Gmail in Polish names the recipient only in its sentence ("Twoja
    // wiadomość do a@b nie została dostarczona"), as do Polish clients
    // ("dostarczona do adresu a@b").
    one(
        "client-host-blocked-gmail-pl.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "blocked",
            CLIENT_BLOCKED,
            &[
                ("recipient", Some("kontakt@hotel.example.com")),
                ("client_ip", Some("209.85.128.45")),
                ("blocklist", Some("SpamCop")),
            ],
        )],
    ),
    one(
        "user-unknown-pl-do-adresu.txt",
        &[mail(
            Some(550),
            "5.1.1",
            "userunknown",
            None,
            &[("recipient", Some("anna.nowak@example.com.pl"))],
        )],
    ),
    // A Polish server's reply is ASCII: "pelna" for "pełna", and no
    // enhanced status to fall back on.
    // Polish wrappers with no code, each naming its failure in words: a
    // sender or a sending server on a block list, an inactive mailbox, a
    // message too big, a recipient domain that does not exist.
    // A provider's limit on sending, in Polish and in its reply.
    one(
        "speeding-polish-sending-limit.txt",
        &[mail(Some(550), "5.7.1", "speeding", OVERVIEW, &[])],
    ),
    one(
        "rejected-polish-sender-on-block-list.txt",
        &[unstated(
            None,
            "rejected",
            SENDER,
            &[("recipient", Some("kasia.nowicka@onet.pl"))],
        )],
    ),
    one(
        "blocked-polish-ip-on-block-list.txt",
        &[unstated(
            None,
            "blocked",
            CLIENT_BLOCKED,
            &[("recipient", Some("oferty@tartak-sosna.pl"))],
        )],
    ),
    one(
        "suspend-polish-konto-nieaktywne.txt",
        &[unstated(
            None,
            "suspend",
            None,
            &[("recipient", Some("r.kaczmarek@o2.pl"))],
        )],
    ),
    one(
        "mesgtoobig-polish-zbyt-duza.txt",
        &[unstated(
            None,
            "mesgtoobig",
            None,
            &[("recipient", Some("biuro@drukarnia-offset.pl"))],
        )],
    ),
    one(
        "hostunknown-polish-domena-odbiorcy.txt",
        &[unstated(
            None,
            "hostunknown",
            None,
            &[("recipient", Some("jan@kowalskii.pl"))],
        )],
    ),
    one(
        "mailbox-full-polish-without-marks.txt",
        &[unstated(
            Some(550),
            "mailboxfull",
            None,
            &[
                ("recipient", Some("ola.zielinska@odbiorca-przyklad.pl")),
                ("remote_host", Some("mx.odbiorca-przyklad.pl")),
                ("remote_ip", Some("198.51.100.23")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    // Forwarded from Outlook under a signature: the sender's own address,
    // above the bounce and in its "Do:" line, is not the failed recipient.
    one(
        "user-unknown-forwarded-with-signature.txt",
        &[mail(
            Some(550),
            "5.1.1",
            "userunknown",
            None,
            &[("recipient", Some("biuro@klient.example.com"))],
        )],
    ),
    // A pasted Diagnostic-Code value of Postfix's own type.
    one(
        "user-unknown-x-postfix-line.txt",
        &[mail(
            Some(550),
            "5.1.1",
            "userunknown",
            None,
            &[
                ("recipient", Some("kontakt@sklep.example.com")),
                ("remote_host", Some("mx.sklep.example.com")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    // No server is named, but the reply links QQ Mail's help pages, so
    // Tencent's wording applies.
    one(
        "tencent-dmarc-diagnostic-line.txt",
        &[unstated(Some(550), "authfailure", OVERVIEW, &[])],
    ),
    one(
        "user-unknown-exim.txt",
        &[mail(
            Some(550),
            "5.1.1",
            "userunknown",
            None,
            &[
                ("recipient", Some("jan.kowalsky@example.com")),
                ("remote_host", Some("mx1.example.com")),
                ("remote_ip", Some("198.51.100.7")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    // Office 365 sends 5.1.10 (null MX in RFC 7505) for an address that
    // does not exist; its words decide.
    one(
        "user-unknown-office365-null-mx-status.txt",
        &[mail(
            Some(550),
            "5.1.10",
            "userunknown",
            None,
            &[("recipient", Some("k.mazur@example.com"))],
        )],
    ),
    // Gmail's words without any code, as a client shows them: the heading
    // and the sentence are one failure, for the address the sentence names.
    one(
        "user-unknown-gmail-words-only.txt",
        &[unstated(
            None,
            "userunknown",
            None,
            &[("recipient", Some("marek.zielinski@example.com"))],
        )],
    ),
    one(
        "user-unknown-gmail-words-only-pl.txt",
        &[unstated(
            None,
            "userunknown",
            None,
            &[("recipient", Some("ewa.kaczmarek@example.com"))],
        )],
    ),
    // Gmail's Polish notice for a domain that does not exist: the heading
    // ("Nie znaleziono adresu") and the sentence are one failure, and the
    // sentence says which.
    one(
        "host-unknown-gmail-words-only-pl.txt",
        &[unstated(
            None,
            "hostunknown",
            None,
            &[(
                "recipient",
                Some("jan.lewandowski@biuro-rachunkowe.example"),
            )],
        )],
    ),
    // Apple Mail in Polish puts the address in typographic quotes.
    one(
        "user-unknown-apple-mail-pl.txt",
        &[mail(
            Some(550),
            "5.1.1",
            "userunknown",
            None,
            &[("recipient", Some("kasia.wrobel@example.net"))],
        )],
    ),
    // A multi-line reply ("552-5.2.2 ..." continued, "552 5.2.2" last).
    // Exchange writes the reply with a `#` before the code.
    one(
        "mailbox-full-exchange-hash.txt",
        &[mail(
            Some(550),
            "5.2.2",
            "mailboxfull",
            None,
            &[("recipient", Some("tomasz.nowak@example.com"))],
        )],
    ),
    one(
        "mailbox-full-exim-multiline.txt",
        &[mail(
            Some(552),
            "5.2.2",
            "mailboxfull",
            None,
            &[
                ("recipient", Some("ania.kowalska@example.com")),
                ("remote_host", Some("mx.example.com")),
                ("remote_ip", Some("198.51.100.101")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    one(
        "expired-exchange-4-4-7.txt",
        &[mail(
            Some(550),
            "4.4.7",
            "expired",
            None,
            &[("recipient", Some("tomasz.zielinski@example.org"))],
        )],
    ),
    // Office 365 gives up after two days: "500 5.4.300 Message expired"
    // (Sisimai's Exchange Online table) is expiry, not the syntax error a
    // bare reply code 500 would mean.
    one(
        "expired-office365-5-4-300.txt",
        &[mail(
            Some(500),
            "5.4.300",
            "expired",
            None,
            &[("recipient", Some("magazyn@dostawca-czesci.pl"))],
        )],
    ),
    // Only an enhanced status, so no reply code; no remote server was
    // reached, so none is named (the report's "at host ..." is our own).
    one(
        "host-unknown-postfix-dsn.eml",
        &[mail(
            None,
            "5.1.2",
            "hostunknown",
            None,
            &[
                ("recipient", Some("info@rachunkowosc.example.net")),
                ("remote_host", None),
            ],
        )],
    ),
    // Postfix's delay warning: no code and no status, only the connection
    // that broke, and the server it broke with.
    one(
        "network-lost-connection-postfix-delay.txt",
        &[unstated(
            None,
            "networkerror",
            None,
            &[
                ("recipient", Some("hurtownia@papier-kowalczyk.example.com")),
                ("remote_host", Some("mx.papier-kowalczyk.example.com")),
                ("remote_ip", Some("198.51.100.73")),
            ],
        )],
    ),
    // A Gmail report's body pasted with its status part as text: the
    // fields are read as a DSN, and the diagnostic, not "Status: 4.0.0",
    // is the excerpt.
    one(
        "network-error-gmail-body-with-dsn-fields.txt",
        &[mail(
            None,
            "4.0.0",
            "networkerror",
            None,
            &[("recipient", Some("kontakt@kwiaciarnia-roza.example"))],
        )],
    ),
    // Sendmail's status field says 5.1.1 (its own reading of any refusal
    // at RCPT); the remote server's reply says 5.7.1, and that is the one.
    one(
        "client-host-rejected-sendmail-dsn-status-differs.eml",
        &[mail(
            Some(550),
            "5.7.1",
            "blocked",
            CLIENT_REJECTED,
            &[
                (
                    "recipient",
                    Some("zaopatrzenie@restauracja-przyklad.example.com"),
                ),
                ("remote_host", Some("mx.restauracja-przyklad.example.com")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    // "The following address failed:", the address, and why on the line
    // below it, with no code at all.
    one(
        "host-unknown-no-valid-mx-pasted.txt",
        &[unstated(
            None,
            "hostunknown",
            None,
            &[(
                "recipient",
                Some("zarzad@spolka-przyklad.example.onmicrosoft.com"),
            )],
        )],
    ),
    // A customer's own sentence names the address after "mail do".
    one(
        "recipient-rejected-customer-sentence-pl.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "filtered",
            RECIPIENT,
            &[("recipient", Some("ksiegowosc@biuro-podatkowe.example.pl"))],
        )],
    ),
    // A gateway's status part gives only its own vague words; the report
    // above it quotes the next server's 5.7.1, which is the answer.
    one(
        "relay-denied-gateway-dsn-vague-diagnostic.eml",
        &[mail(
            None,
            "5.7.1",
            "norelaying",
            RELAY,
            &[("recipient", Some("marketing@agencja-przyklad.example.com"))],
        )],
    ),
    // A transcript where the refusal of the recipient is followed by the
    // server's "503 need RCPT command" for the DATA sent after it: the 503
    // is a consequence, not the cause.
    one(
        "user-unknown-sendmail-transcript-then-503.txt",
        &[mail(
            Some(550),
            "5.1.1",
            "userunknown",
            None,
            &[
                ("recipient", Some("m.lis@biuro-rachunkowe.example.pl")),
                ("remote_host", Some("mx.biuro-rachunkowe.example.pl")),
            ],
        )],
    ),
    // CommuniGate Pro names the failed address in quotes and brackets and
    // writes why on the next line; its status part has no diagnostic.
    one(
        "failed-communigate-dsn-without-diagnostic.eml",
        &[mail(
            None,
            "5.0.0",
            "onhold",
            None,
            &[("recipient", Some("dziekanat@przyklad-uczelnia.example.pl"))],
        )],
    ),
    one(
        "failed-communigate-pasted.txt",
        &[unstated(
            None,
            "onhold",
            None,
            &[("recipient", Some("biblioteka@przyklad-uczelnia.example.pl"))],
        )],
    ),
    // Exchange's notice pasted without its status part says only that
    // delivery failed: a finding for the recipient, its cause unknown.
    one(
        "failed-exchange-recipient-only.txt",
        &[unstated(
            None,
            "onhold",
            None,
            &[(
                "recipient",
                Some("magazyn@hurtownia-elektryczna.example.pl"),
            )],
        )],
    ),
    // Postfix's list under its one failure sentence, with wording that
    // names no cause: a finding for the address, its cause unknown.
    one(
        "onhold-postfix-no-reason.txt",
        &[unstated(
            None,
            "onhold",
            None,
            &[("recipient", Some("magazyn@example.pl"))],
        )],
    ),
    // Exim's words for a domain that publishes a null MX (RFC 7505): no
    // code, no status, and still a domain that takes no mail.
    one(
        "null-mx-exim.txt",
        &[unstated(
            None,
            "notaccept",
            None,
            &[
                ("recipient", Some("zamowienia@stara-domena.example.pl")),
                ("remote_host", None),
            ],
        )],
    ),
    // Greylisting, from Postfix's own log and from an Exim delay warning
    // quoted in a Polish question: a temporary refusal the overview
    // explains (its case for greylisting; see the test below).
    one(
        "greylisted-postfix-deferred-log.log",
        &[mail(
            Some(450),
            "4.7.1",
            "blocked",
            OVERVIEW,
            &[
                ("recipient", Some("ola@klient.pl")),
                ("remote_host", Some("mx.klient.pl")),
                ("remote_ip", Some("203.0.113.7")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    one(
        "greylisted-exim-delay-warning-pl.txt",
        &[mail(
            Some(451),
            "4.7.1",
            "blocked",
            OVERVIEW,
            &[
                ("recipient", Some("ksiegowosc@biuro-rachunkowe.example.com")),
                ("remote_host", Some("mx.biuro-rachunkowe.example.com")),
                ("remote_ip", Some("198.51.100.77")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    // 5.7.1 with no variant's wording: the reason's own article (spam
    // rejection) is a better answer than the 554 5.7.1 overview.
    one(
        "spam-detected-gmail-status-only.txt",
        &[mail(
            Some(550),
            "5.7.1",
            "spamdetected",
            SPAM,
            &[
                ("recipient", Some("jan.kowalski@gmail.com")),
                ("remote_host", Some("gmail-smtp-in.l.google.com")),
                ("smtp_command", Some("DATA")),
            ],
        )],
    ),
    // ---- Providers' own codes and wording (tables/reasons-rules.toml,
    // [[vendor]]): each says something its reply code and words alone do not.
    // Cox's "AUP#CXDNS": the sending server's reverse DNS fails.
    one(
        "provider-cox-code.txt",
        &[mail(
            Some(550),
            "5.1.0",
            "requireptr",
            CLIENT_REJECTED,
            &[
                ("recipient", Some("m.wisniewska@cox.net")),
                ("remote_host", Some("cxr.mx.a.cloudfilter.net")),
                ("smtp_command", Some("MAIL")),
            ],
        )],
    ),
    // Spectrum documents its codes in ranges: 1100-1150 is reverse DNS.
    one(
        "provider-spectrum-range.txt",
        &[mail(
            Some(550),
            "5.1.0",
            "requireptr",
            CLIENT_REJECTED,
            &[
                ("recipient", Some("p.lewandowski@charter.net")),
                ("remote_host", Some("mx1.charter.net")),
                ("smtp_command", Some("MAIL")),
            ],
        )],
    ),
    one(
        "provider-tencent-dmarc.txt",
        &[unstated(
            Some(550),
            "authfailure",
            OVERVIEW,
            &[
                ("recipient", Some("wang.li@qq.com")),
                ("remote_host", Some("mx1.qq.com")),
                ("smtp_command", Some("DATA")),
            ],
        )],
    ),
    // Facebook's "RCP-P3": the recipient's privacy settings, not a missing
    // address, whatever 5.1.1 says.
    one(
        "provider-facebook-code.txt",
        &[mail(
            Some(550),
            "5.1.1",
            "filtered",
            None,
            &[
                ("recipient", Some("ola.nowak@facebook.com")),
                ("remote_host", Some("msgin.vvv.facebook.com")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    // Yahoo: "is no longer valid" is an address that was closed.
    one(
        "provider-yahoo-wording.txt",
        &[unstated(
            Some(554),
            "suspend",
            None,
            &[
                ("recipient", Some("marta.kowal@yahoo.com")),
                ("remote_host", Some("mta5.am0.yahoodns.net")),
                ("smtp_command", Some("DATA")),
            ],
        )],
    ),
    // Yahoo names the stage after the reply ("[RCPT_TO]"): a recipient
    // refused at RCPT as "not a valid recipient" is unknown (Sisimai's
    // UserUnknown wording), not filtered.
    one(
        "user-unknown-yahoo-rcpt-to-stage.txt",
        &[unstated(
            Some(554),
            "userunknown",
            None,
            &[
                ("recipient", Some("nieaktywny.klient@yahoo.com")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    // Email Security.cloud's reputation refusal: the sending server's
    // address has a poor reputation, which the "not allowed to connect"
    // article explains.
    one(
        "provider-messagelabs-policy.txt",
        &[unstated(
            Some(501),
            "badreputation",
            NOT_ALLOWED,
            &[
                ("recipient", Some("zamowienia@example.co.uk")),
                ("remote_host", Some("cluster7.eu.messagelabs.com")),
                ("smtp_command", Some("CONN")),
            ],
        )],
    ),
    // The same provider known only from the address it gives, written
    // without "https://".
    one(
        "provider-messagelabs-www-link.txt",
        &[mail(
            Some(550),
            "5.7.1",
            "badreputation",
            NOT_ALLOWED,
            &[("recipient", None)],
        )],
    ),
    // Microsoft's 5.7.511 bans the sending server's address, not the
    // sender's: the client-host-blocked article, not the sender one.
    one(
        "provider-microsoft-banned-sender.txt",
        &[mail(
            Some(550),
            "5.7.511",
            "blocked",
            CLIENT_BLOCKED,
            &[
                ("recipient", Some("a.dabrowska@example.com")),
                (
                    "remote_host",
                    Some("example-com.mail.protection.outlook.com"),
                ),
                ("client_ip", Some("203.0.113.45")),
                ("smtp_command", Some("MAIL")),
            ],
        )],
    ),
    // Gmail refusing a message without a usable From: header: a message
    // format problem, not a security one, whatever 5.7.1 says.
    one(
        "provider-google-from-header.txt",
        &[mail(
            Some(550),
            "5.7.1",
            "notcompliantrfc",
            OVERVIEW,
            &[
                ("recipient", Some("piotr.wojcik@gmail.com")),
                ("remote_host", Some("gmail-smtp-in.l.google.com")),
                ("client_ip", None),
            ],
        )],
    ),
    // Mimecast's geographic restriction policy.
    one(
        "provider-mimecast-policy.txt",
        &[unstated(
            Some(554),
            "policyviolation",
            None,
            &[
                ("recipient", Some("biuro@example.co.uk")),
                ("remote_host", Some("eu-smtp-inbound-1.mimecast.com")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    // Apple iCloud: a message failing both SPF and DKIM is an
    // authentication failure, not the generic 5.7.1 security error.
    one(
        "provider-apple-auth.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "authfailure",
            OVERVIEW,
            &[
                ("recipient", Some("ola.mazur@icloud.com")),
                ("remote_host", Some("mx02.mail.icloud.com")),
                ("smtp_command", Some("DATA")),
            ],
        )],
    ),
    // i.ua names the reason by the number in its help link (err/9: the
    // sending address is on a blocklist), in a Postfix log line.
    one(
        "provider-iua-code.txt",
        &[mail(
            Some(550),
            "5.7.1",
            "blocked",
            CLIENT_BLOCKED,
            &[
                ("recipient", Some("oksana.kowal@i.ua")),
                ("remote_host", Some("mx.i.ua")),
                ("remote_ip", Some("203.0.113.140")),
            ],
        )],
    ),
    // AOL's own relay reports a DNS failure in its words: no remote server
    // was reached, so the reporting server's rules apply.
    one(
        "provider-aol-reporting-mta.eml",
        &[mail(
            None,
            "5.4.4",
            "notaccept",
            None,
            &[
                ("recipient", Some("sklep@ogrody-wisniewski.example.pl")),
                ("remote_host", None),
            ],
        )],
    ),
    // ---- HTTP
    one("http-401-cpanel-invalid-token.txt", &[web(401, "http-401")]),
    one(
        "http-401-cpanel-token-missing-one-line.txt",
        &[web(401, "http-401")],
    ),
    // cPanel's own access log: the request line has no status, the
    // deferred login names the token.
    one("http-401-cpanel-access-log.log", &[web(401, "http-401")]),
    one("http-403-apache.txt", &[web(403, "http-403")]),
    one("http-403-curl-head.txt", &[web(403, "http-403")]),
    // .NET's exception text, as a shop's integration logs it: the code in
    // brackets before its reason phrase.
    one("http-404-dotnet-webexception.txt", &[web(404, "http-404")]),
    one("http-404-nginx.txt", &[web(404, "http-404")]),
    // nginx's page for an upload over its limit, under the status's older
    // name, inside a Polish question: HTTP, though 413 could be an SMTP
    // reply; no article covers it.
    one(
        "http-413-nginx-request-entity-too-large.txt",
        &[web_unlinked(413)],
    ),
    // Laravel's error page: the code and its name around a bar.
    one("http-419-laravel-page-expired.txt", &[web_unlinked(419)]),
    // ModSecurity's block as Apache's 406 page, with no number on it: the
    // 403 article explains web firewalls and that they may send a 406.
    one(
        "http-406-modsecurity-not-acceptable.txt",
        &[web(406, "http-403")],
    ),
    // Apache's log line for a script that ended before its headers.
    one("http-500-apache-premature-end.log", &[web(500, "http-500")]),
    // Server error logs, each for a status it does not write: nginx's
    // missing file (404), Apache's redirect loop (500) and its unreadable
    // .htaccess (403).
    one("http-404-nginx-error-log.log", &[web(404, "http-404")]),
    one("http-500-apache-redirect-loop.log", &[web(500, "http-500")]),
    one(
        "http-403-apache-htaccess-unreadable.log",
        &[web(403, "http-403")],
    ),
    // WordPress's own refusal of a screen (a 403 it sends itself).
    one(
        "http-403-wordpress-not-allowed.txt",
        &[web(403, "http-403")],
    ),
    // LiteSpeed out of PHP processes, and Apache's log when PHP-FPM finds
    // no script: each named only in words.
    one("http-503-litespeed-busy.txt", &[web(503, "http-503")]),
    one(
        "http-404-php-fpm-primary-script.log",
        &[web(404, "http-404")],
    ),
    // "Błąd 500" in a customer's sentence is the web page's; "błąd 550"
    // only a mail server's (HTTP has no such status).
    one(
        "http-500-polish-blad-in-sentence.txt",
        &[web(500, "http-500")],
    ),
    one(
        "onhold-polish-blad-550.txt",
        &[unstated(Some(550), "onhold", None, &[])],
    ),
    // A status as people type it: "HTTP 403" in a sentence, or a bare
    // number that only the web uses that way.
    one("http-403-typed-pl.txt", &[web(403, "http-403")]),
    one("http-500-bare-number.txt", &[web(500, "http-500")]),
    // Statuses under their Polish names, as Polish editions of servers and
    // applications print them.
    one("http-500-polish-name.txt", &[web(500, "http-500")]),
    one("http-504-polish-name.txt", &[web(504, "http-502")]),
    // Cloudflare's error 1016: a 530 that the 502 article explains.
    one(
        "http-530-cloudflare-origin-dns.txt",
        &[web(530, "http-502")],
    ),
    one("http-500-chrome-en.txt", &[web(500, "http-500")]),
    one("http-500-chrome-pl.txt", &[web(500, "http-500")]),
    one("http-500-curl-fail.txt", &[web(500, "http-500")]),
    // What developers paste: Python's requests raising for a status, and
    // a failed request in the browser's console.
    one(
        "http-503-python-requests-traceback.txt",
        &[web(503, "http-503")],
    ),
    one("http-401-chrome-console.txt", &[web(401, "http-401")]),
    // WordPress's critical error in Polish, and Apache's log line for a
    // directive .htaccess may not use: no status written, still a 500.
    one(
        "http-500-wordpress-critical-pl.txt",
        &[web(500, "http-500")],
    ),
    // WordPress in Polish when the database does not answer.
    one(
        "http-500-wordpress-database-pl.txt",
        &[web(500, "http-500")],
    ),
    // PHP's own error shown in the page: a broken theme file.
    one("http-500-php-parse-error.txt", &[web(500, "http-500")]),
    // Laravel's database exception: the page it is on is a 500, and its
    // "Connection refused ... limit 1" is not mail's "connection *limit".
    one("http-500-laravel-sqlstate.txt", &[web(500, "http-500")]),
    // mysqli's warning that the database refused the user, under a Polish
    // line from the site's own code: the 500 article explains the codes.
    one(
        "http-500-mysqli-access-denied-pl.txt",
        &[web(500, "http-500")],
    ),
    // Polish words only: a proxy's bad gateway, WordPress's refusal of a
    // screen, and cPanel's security token in another translation.
    one("http-502-polish-blad-bramy.txt", &[web(502, "http-502")]),
    one(
        "http-403-wordpress-not-allowed-pl.txt",
        &[web(403, "http-403")],
    ),
    one(
        "http-401-cpanel-token-polish-variant.txt",
        &[web(401, "http-401")],
    ),
    // Frameworks' and servers' own pages: Go's net/http, IIS, Django,
    // Spring Boot, Express (no number at all), Rails, Envoy, Apache's 400.
    // SMTP has no 404, and "404 page not found" is no mail reply.
    one("http-404-go-net-http.txt", &[web(404, "http-404")]),
    one(
        "http-404-iis-file-or-directory.txt",
        &[web(404, "http-404")],
    ),
    one("http-500-django-server-error.txt", &[web(500, "http-500")]),
    one("http-404-spring-whitelabel.txt", &[web(404, "http-404")]),
    one("http-404-express-cannot-get.txt", &[web(404, "http-404")]),
    one("http-404-rails-page-missing.txt", &[web(404, "http-404")]),
    one(
        "http-503-envoy-no-healthy-upstream.txt",
        &[web(503, "http-503")],
    ),
    one(
        "http-400-apache-plain-http-to-https-port.txt",
        &[web_unlinked(400)],
    ),
    // Cloudflare's older page: "Error 521 Ray ID: ..." is the web's, though
    // a mail server may reply 521 too.
    one(
        "http-521-cloudflare-older-ray-id.txt",
        &[web(521, "http-502")],
    ),
    // Passenger's page for a Node.js or Python application that did not start.
    one(
        "http-500-passenger-app-not-started.txt",
        &[web(500, "http-500")],
    ),
    // Imunify360's refusal of a client it takes for a bot, and nginx's
    // default error page, which names no code at all.
    one(
        "http-403-imunify360-bot-protection.txt",
        &[web(403, "http-403")],
    ),
    one(
        "http-502-nginx-default-50x-page.txt",
        &[web(502, "http-502")],
    ),
    // 404 pages in words only: Google's in Polish, and a WordPress theme's
    // in English and in its Polish translation.
    one("http-404-google-polish.txt", &[web(404, "http-404")]),
    one("http-404-wordpress-theme-oops.txt", &[web(404, "http-404")]),
    one(
        "http-404-wordpress-theme-ups-pl.txt",
        &[web(404, "http-404")],
    ),
    // Cloudflare's firewall page, a shop's own Polish 404 page and a Polish
    // maintenance notice: each names its error only in words.
    one("http-403-cloudflare-1020.txt", &[web(403, "http-403")]),
    one(
        "http-403-cloudflare-1020-older-page.txt",
        &[web(403, "http-403")],
    ),
    one("http-404-polish-page.txt", &[web(404, "http-404")]),
    one("http-503-polish-maintenance.txt", &[web(503, "http-503")]),
    one(
        "http-500-htaccess-invalid-command.txt",
        &[web(500, "http-500")],
    ),
    one("http-500-apache-access-log.log", &[web(500, "http-500")]),
    // Varnish's 503: "Error 503" alone could be an SMTP reply, but the
    // page's wording is a web server's.
    one(
        "http-503-varnish-backend-fetch-failed.txt",
        &[web(503, "http-503")],
    ),
    // A 504 has no article of its own: the 502 article explains it.
    one(
        "http-504-nginx-upstream-timed-out.log",
        &[web(504, "http-502")],
    ),
    one("http-502-nginx.txt", &[web(502, "http-502")]),
    one("http-502-cloudflare.txt", &[web(502, "http-502")]),
    one("http-502-nginx-error-log.log", &[web(502, "http-502")]),
    // Cloudflare's origin errors (52x) belong to the 502 article, which
    // explains them.
    one(
        "http-521-cloudflare-origin-down.txt",
        &[web(521, "http-502")],
    ),
    // No number on the page: the wording alone says 503.
    one("http-503-apache.txt", &[web(503, "http-503")]),
    one(
        "http-503-wordpress-maintenance.txt",
        &[web(503, "http-503")],
    ),
    // CloudLinux's limit page: its name and its sentence are one 508, not
    // a 508 and a 503 (the sentence's wording is the 503 article's).
    one("http-508-resource-limit.txt", &[web(508, "http-503")]),
    // WordPress after an upload over PHP's post_max_size: its refusal is
    // a 403, whatever the wording says about links.
    one(
        "http-403-wordpress-link-expired.txt",
        &[web(403, "http-403")],
    ),
    // Apache's error log when a directory on the path is not searchable.
    one(
        "http-403-apache-search-permissions.log",
        &[web(403, "http-403")],
    ),
    // Cloudflare's blocks set by the site's owner (1005 to 1010) are 403s;
    // its rate limit (1015) is a 429, which no article covers.
    one("http-403-cloudflare-1006.txt", &[web(403, "http-403")]),
    one("http-429-cloudflare-1015.txt", &[web_unlinked(429)]),
    // WordPress stuck in maintenance mode, in a customer's words.
    one(
        "http-503-polish-maintenance-sentence.txt",
        &[web(503, "http-503")],
    ),
    // Other applications' own error pages, with no number on them.
    one("http-500-joomla-mysql.txt", &[web(500, "http-500")]),
    one(
        "http-500-database-connection-pl-words.txt",
        &[web(500, "http-500")],
    ),
    one(
        "http-500-drupal-unexpected-error.txt",
        &[web(500, "http-500")],
    ),
    // A customer's sentence: a number after a verb of showing, on a page.
    one("http-404-polish-sentence.txt", &[web(404, "http-404")]),
    // A customer's own words for CloudLinux's limit page.
    one(
        "http-503-polish-resource-limit.txt",
        &[web(503, "http-503")],
    ),
    // A multi-line reply after the words that introduce it, in a Polish
    // wrapper: its continuation lines name the list.
    one(
        "dnsbl-check-polish-wrapper-multiline.txt",
        &[mail(
            Some(550),
            "5.7.1",
            "blocked",
            DNSBL,
            &[
                ("recipient", Some("jan@urzad-przyklad.gov.pl")),
                ("client_ip", Some("198.51.100.14")),
                ("blocklist", Some("SpamCop")),
                ("smtp_command", Some("CONN")),
            ],
        )],
    ),
    // A Polish provider's words with no code, the address in brackets.
    one(
        "user-unknown-polish-odbiorca-nie-istnieje.txt",
        &[unstated(
            None,
            "userunknown",
            None,
            &[("recipient", Some("jan.kowalsky@interia.example"))],
        )],
    ),
    // Outlook's error number alone, as customers write it: its refusal of
    // a recipient is a relay denial.
    one(
        "relay-access-denied-outlook-error-number-only.txt",
        &[unstated(None, "norelaying", RELAY, &[])],
    ),
    // PHPMailer (WordPress's SMTP plugins): the wording with no code, and
    // the one address on its line is the recipient.
    one(
        "relay-access-denied-phpmailer-recipients-failed.txt",
        &[unstated(
            None,
            "norelaying",
            RELAY,
            &[("recipient", Some("zamowienia@kontrahent.example"))],
        )],
    ),
    // PHPMailer's login refused: a wrong password, not a local mailer's
    // failed command, whatever "command failed" says.
    one(
        "security-error-phpmailer-password.txt",
        &[unstated(Some(535), "securityerror", None, &[])],
    ),
    // Microsoft 365's newer report, Polish edition: "Adres nadawcy:" in
    // its details names the sender, not a second recipient.
    one(
        "client-blocked-office365-new-report-pl.txt",
        &[mail(
            Some(550),
            "5.7.1",
            "blocked",
            CLIENT_BLOCKED,
            &[
                ("recipient", Some("jan@kontrahent-przyklad.pl")),
                ("client_ip", Some("198.51.100.22")),
                ("blocklist", Some("Spamhaus")),
            ],
        )],
    ),
    // The address to write to for help is not the recipient; the paste
    // names none.
    one(
        "policy-reply-names-helpdesk.txt",
        &[mail(
            Some(550),
            "5.7.1",
            "securityerror",
            OVERVIEW,
            &[("recipient", None)],
        )],
    ),
    // Exchange's report copied with the original's headers: their one `To`
    // is the recipient.
    one(
        "delivery-not-authorized-original-headers-pasted.txt",
        &[mail(
            Some(550),
            "5.7.1",
            "filtered",
            NOT_AUTHORIZED,
            &[("recipient", Some("zamowienia@duza-firma.example"))],
        )],
    ),
    // ---- Bounce events of mail services, pasted as JSON from a dashboard,
    // a log or a webhook: the event's fields are read like a report's lines.
    // Amazon SES, one line: the sender ("source") is not a recipient.
    one(
        "json-ses-bounce-event.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "filtered",
            RECIPIENT,
            &[("recipient", Some("anna.nowak@firma-przyklad.pl"))],
        )],
    ),
    // SendGrid: an array of events, one per recipient.
    Row {
        file: "json-sendgrid-events.txt",
        count: 2,
        expect: &[
            mail(
                Some(550),
                "5.1.1",
                "userunknown",
                None,
                &[("recipient", Some("piotr@nieistniejaca-firma.example"))],
            ),
            mail(
                Some(452),
                "4.2.2",
                "mailboxfull",
                None,
                &[("recipient", Some("ewa@skrzynka-pelna.example"))],
            ),
        ],
    },
    // Mailgun: the reply code and the message are separate fields.
    one(
        "json-mailgun-failed.txt",
        &[mail(
            Some(554),
            "5.7.1",
            "blocked",
            CLIENT_BLOCKED,
            &[
                ("recipient", Some("tomasz@odbiorca-przyklad.pl")),
                ("client_ip", Some("198.51.100.33")),
                ("blocklist", Some("Spamhaus")),
            ],
        )],
    ),
    // Postmark: its own description of a hard bounce is not the reason.
    one(
        "json-postmark-bounce.txt",
        &[mail(
            Some(550),
            "5.7.1",
            "norelaying",
            RELAY,
            &[("recipient", Some("biuro@zamknieta-domena.example"))],
        )],
    ),
    // ---- No error in them
    // A proxy's error page and cPanel's page for a suspended account: the
    // general wording of a mail failure ("does not exist", "has been
    // suspended") in a text that says nothing of mail is none.
    none("negative-squid-dns-error-page.txt"),
    none("negative-cpanel-account-suspended-page.txt"),
    none("negative-business-email-pl.eml"),
    none("negative-numbers-paragraph.txt"),
    // An order confirmation: "Kwota: 401,00 zł" is an amount after a colon.
    none("negative-order-amounts-pl.txt"),
    // Versions that look like enhanced status codes ("wersji 5.2.1",
    // "PHP 5.6.40") in a customer's own question.
    none("negative-version-numbers-pl.txt"),
    none("negative-out-of-office.eml"),
    // Words about DMARC are not a refusal by it.
    none("negative-dmarc-report-pl.txt"),
    // JSON that is not a bounce event.
    none("negative-json-config.txt"),
    // ---- Old and rare report formats with no reply code
    Row {
        file: "expired-reason-above-recipient-list.eml",
        count: 2,
        expect: &[
            unstated(
                None,
                "expired",
                None,
                &[
                    ("recipient", Some("jan.kowalski@example.com")),
                    ("remote_host", Some("wiadomosci.example.com")),
                ],
            ),
            unstated(
                None,
                "expired",
                None,
                &[("recipient", Some("biuro@example.com"))],
            ),
        ],
    },
    one(
        "expired-exim-delay-warning-no-reason.eml",
        &[unstated(
            None,
            "expired",
            None,
            &[("recipient", Some("zamowienia@hurtownia-example.com"))],
        )],
    ),
    one(
        "qmail-permanent-error-no-reason.eml",
        &[unstated(
            None,
            "onhold",
            None,
            &[("recipient", Some("marta.zielinska@example.net"))],
        )],
    ),
    one(
        "failed-bilingual-report-address-twice.eml",
        &[unstated(
            None,
            "onhold",
            None,
            &[("recipient", Some("einkauf@example.de"))],
        )],
    ),
    one(
        "failed-smtp32-undeliverable-double-space.eml",
        &[unstated(
            None,
            "onhold",
            None,
            &[("recipient", Some("t.kaminski@example.com"))],
        )],
    ),
    one(
        "userunknown-exchange-55-x400-address.eml",
        &[unstated(
            None,
            "userunknown",
            None,
            &[("recipient", Some("p.lewandowski@corp.example.com"))],
        )],
    ),
    one(
        "userunknown-originally-addressed-to.eml",
        &[unstated(
            None,
            "userunknown",
            None,
            &[("recipient", Some("acquisti@example.it"))],
        )],
    ),
    one(
        "hostunknown-smail-failed-addresses-banner.eml",
        &[unstated(
            None,
            "hostunknown",
            None,
            &[("recipient", Some("wolontariat@stara-domena.example"))],
        )],
    ),
    one(
        "hostunknown-exim-unrouteable-html-copy.eml",
        &[unstated(
            None,
            "hostunknown",
            None,
            &[("recipient", Some("ola.michalska@gmial.example"))],
        )],
    ),
    one(
        "mesgtoobig-dsn-status-holds-reply.eml",
        &[unstated(
            Some(553),
            "mesgtoobig",
            None,
            &[("recipient", Some("studio@example.be"))],
        )],
    ),
    one(
        "userunknown-old-postfix-x-postfix-type.eml",
        &[mail(
            Some(550),
            "5.0.0",
            "userunknown",
            None,
            &[
                ("recipient", Some("ksiegowosc@example.com")),
                ("remote_ip", Some("198.51.100.25")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    one(
        "userunknown-old-exim-after-rcpt-command.eml",
        &[unstated(
            Some(550),
            "userunknown",
            None,
            &[
                ("recipient", Some("czlonek.zarzadu@example.de")),
                ("remote_ip", Some("192.0.2.77")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    one(
        "userunknown-gmail-old-state-14-doubled-code.eml",
        &[unstated(
            Some(550),
            "userunknown",
            None,
            &[
                ("recipient", Some("rezerwacje@pensjonat-example.at")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    one(
        "expired-not-collected-addressed-to-quoted.eml",
        &[unstated(
            None,
            "expired",
            None,
            &[("recipient", Some("skarbnik@example.net"))],
        )],
    ),
    one(
        "userunknown-smtp32-rcpt-to-generated.eml",
        &[mail(
            Some(553),
            "5.3.0",
            "userunknown",
            None,
            &[
                ("recipient", Some("p.nowicki@example.net")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    one(
        "failed-mailenable-smtp-bracketed-recipient.eml",
        &[unstated(
            Some(550),
            "filtered",
            None,
            &[("recipient", Some("direktors@example.lv"))],
        )],
    ),
    one(
        "expired-interscan-maximum-delivery-attempts.eml",
        &[unstated(
            None,
            "expired",
            None,
            &[("recipient", Some("rezerwacje@hotel-example.com"))],
        )],
    ),
    one(
        "userunknown-null-sender-no-subject.eml",
        &[unstated(
            None,
            "userunknown",
            None,
            &[("recipient", Some("m.grabowska@example.coop"))],
        )],
    ),
    one(
        "spamdetected-xwall-reason-above-dsn.eml",
        &[unstated(
            None,
            "spamdetected",
            SPAM,
            &[("recipient", Some("p.kubiak@example.net"))],
        )],
    ),
    one(
        "hostunknown-postfix-name-or-service-not-known.eml",
        &[mail(
            None,
            "5.0.0",
            "hostunknown",
            None,
            &[("recipient", Some("kandydat@literowka-example.pl"))],
        )],
    ),
    one(
        "userunknown-postfix-starred-reply.eml",
        &[mail(
            Some(550),
            "5.0.0",
            "userunknown",
            None,
            &[
                ("recipient", Some("student.k@example.ac.uk")),
                ("smtp_command", Some("RCPT")),
            ],
        )],
    ),
    one(
        "spamdetected-content-status-spam-words.txt",
        &[mail(
            Some(554),
            "5.6.0",
            "spamdetected",
            SPAM,
            &[
                ("recipient", Some("kontakt@example.co.uk")),
                ("smtp_command", Some("DATA")),
            ],
        )],
    ),
];

/// Compares one finding with what the row expects; returns the differences.
fn differences(f: &Finding, e: &Expect) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |what: &str, want: String, got: String| {
        if want != got {
            out.push(format!("{what}: expected {want}, got {got}"));
        }
    };
    check("kind", format!("{:?}", e.kind), format!("{:?}", f.kind));
    check("code", format!("{:?}", e.code), format!("{:?}", f.code));
    check(
        "status",
        format!("{:?}", e.status),
        format!("{:?}", f.status.as_deref()),
    );
    check(
        "reason",
        format!("{:?}", e.reason),
        format!("{:?}", f.reason),
    );
    check(
        "article",
        format!("{:?}", e.article),
        format!("{:?}", f.article.as_ref().map(|a| a.slug.as_str())),
    );
    let facts = serde_json::to_value(&f.facts).expect("facts serialise");
    for (name, want) in e.facts {
        let got = facts.get(*name).and_then(|v| v.as_str());
        check(
            &format!("facts.{name}"),
            format!("{want:?}"),
            format!("{got:?}"),
        );
    }
    out
}

/// Checks one row; returns what is wrong with it, if anything.
fn check_row(row: &Row) -> Option<String> {
    let path = fixtures().join(row.file);
    let input =
        std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let findings = CLASSIFIER.classify(&input);
    let mut problems = Vec::new();
    if findings.len() != row.count {
        problems.push(format!(
            "expected {} finding(s), got {}",
            row.count,
            findings.len()
        ));
    }
    if let [e] = row.expect {
        match findings.first() {
            Some(f) => problems.extend(differences(f, e)),
            None => problems.push("no finding to compare".into()),
        }
    } else {
        for e in row.expect {
            let recipient = e
                .facts
                .iter()
                .find(|(name, _)| *name == "recipient")
                .and_then(|(_, r)| *r)
                .expect("rows with several findings name each recipient");
            match findings
                .iter()
                .find(|f| f.facts.recipient.as_deref() == Some(recipient))
            {
                Some(f) => problems.extend(
                    differences(f, e)
                        .into_iter()
                        .map(|d| format!("[{recipient}] {d}")),
                ),
                None => problems.push(format!("no finding for recipient {recipient}")),
            }
        }
    }
    (!problems.is_empty()).then(|| {
        format!(
            "{}:\n  {}\n  findings: {}",
            row.file,
            problems.join("\n  "),
            serde_json::to_string_pretty(&findings)
                .expect("findings serialise")
                .replace('\n', "\n  ")
        )
    })
}

#[test]
fn fixtures_give_the_expected_findings() {
    let failures: Vec<String> = ROWS.iter().filter_map(check_row).collect();
    assert!(
        failures.is_empty(),
        "{} of {} fixture(s) classified wrongly:\n\n{}",
        failures.len(),
        ROWS.len(),
        failures.join("\n\n")
    );
}

/// Classifies a fixture that holds one error and returns its finding.
fn only_finding(file: &str) -> Finding {
    let text = std::fs::read(fixtures().join(file)).expect("fixture");
    let mut findings = CLASSIFIER.classify(&text);
    assert_eq!(findings.len(), 1, "{file}: {findings:?}");
    findings.remove(0)
}

/// Asserts that a fixture's one finding names this actor and links this
/// section of its article, and returns the finding.
fn assert_opens(file: &str, actor: Actor, section: &str) -> Finding {
    let f = only_finding(file);
    assert_eq!(f.actor, actor, "{file}: {f:?}");
    let article = f.article.as_ref().expect("an article");
    assert_eq!(article.section.as_deref(), Some(section), "{file}");
    f
}

/// Sending too fast is the sender's to fix: a discarded message is not
/// retried by anyone.
#[test]
fn the_sender_acts_on_an_hourly_limit() {
    for file in [
        "speeding-cpanel-hourly-limit.txt",
        "speeding-cpanel-defers-limit.txt",
    ] {
        let f = only_finding(file);
        assert_eq!(f.actor, Actor::Sender, "{file}: {f:?}");
    }
}

/// Greylisting is an article's case: nobody has to act, the result opens
/// the overview's section on temporary refusals, and its summary says so
/// instead of the reason's sentence about blocked servers.
#[test]
fn nobody_acts_on_greylisting() {
    let lib = diagnoza::content::Library::from_files(&diagnoza::content::embedded_files())
        .unwrap_or_else(|p| panic!("the embedded content has problems:\n{p}"));
    for file in [
        "greylisted-postfix-deferred-log.log",
        "greylisted-exim-delay-warning-pl.txt",
    ] {
        let f = assert_opens(file, Actor::Nobody, "temporary");
        for lang in [diagnoza::lang::Lang::Pl, diagnoza::lang::Lang::En] {
            let answer = diagnoza::answer::answer(vec![f.clone()], &lib, lang).findings;
            assert!(
                answer[0].summary.to_lowercase().contains("greylisting"),
                "{file} {lang:?}: {}",
                answer[0].summary
            );
        }
    }
}

/// A refused HELO name is fixed where the mail leaves from: the sender
/// acts, and the result opens the section that says how.
#[test]
fn the_sender_fixes_a_refused_helo() {
    assert_opens("helo-rejected-scanner-pl.txt", Actor::Sender, "helo");
}

/// Microsoft's own block list is removed through Microsoft, not a public
/// list's site: the result opens the section that says how, and we act.
#[test]
fn microsoft_blocks_open_their_section() {
    for file in [
        "client-blocked-microsoft-traffic-not-accepted.txt",
        "client-blocked-outlook-com-s3150.txt",
        "provider-microsoft-banned-sender.txt",
    ] {
        assert_opens(file, Actor::Provider, "microsoft");
    }
}

/// Failed SPF, DKIM or DMARC is fixed in the sending domain's DNS: the
/// overview's section on authentication, the sender acting, whether the
/// wording or only the reason led there.
#[test]
fn authentication_failures_open_their_section() {
    for file in [
        "authfailure-gmail-5-7-26.txt",
        "authfailure-microsoft-spf.txt",
        "authfailure-spf-policy-violation-pl.txt",
    ] {
        assert_opens(file, Actor::Sender, "authentication");
    }
    // No phrase of the case in it: the reason alone leads there.
    let f = CLASSIFIER
        .classify(b"550 5.7.1 SPF: 203.0.113.9 is not allowed to send mail from example.pl")
        .remove(0);
    assert_eq!(f.reason, Some("authfailure"), "{f:?}");
    let article = f.article.as_ref().expect("an article");
    assert_eq!(article.section.as_deref(), Some("authentication"));
}

/// An iPhone's "was rejected by the server" is fixed in the phone's
/// settings: the relay article's section on phones, the sender acting.
#[test]
fn iphone_refusals_open_the_phone_section() {
    assert_opens("relay-iphone-cannot-send.txt", Actor::Sender, "phone");
    assert_opens("relay-iphone-cannot-send-pl.txt", Actor::Sender, "phone");
}

/// A 504 is the 502 article's case: the result opens its section on
/// answers that came too late, whether the number, nginx's log wording or
/// the Polish name led there, and so does Cloudflare's 524 by its code.
#[test]
fn gateway_timeouts_open_the_timeout_section() {
    for file in [
        "http-504-nginx-upstream-timed-out.log",
        "http-504-polish-name.txt",
    ] {
        assert_opens(file, Actor::SiteOwner, "timeout");
    }
    let f = CLASSIFIER
        .classify(b"A timeout occurred\nError code 524\nVisit cloudflare.com for more information.")
        .remove(0);
    assert_eq!(f.code, Some(524), "{f:?}");
    let article = f.article.as_ref().expect("an article");
    assert_eq!(
        (article.slug.as_str(), article.section.as_deref()),
        ("http-502", Some("timeout"))
    );
}

/// A fixture without a row would never be checked; a row without a fixture
/// is a typo.
#[test]
fn every_fixture_has_one_row() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(fixtures())
        .expect("tests/fixtures/identify exists")
        .map(|e| {
            e.expect("directory entry")
                .file_name()
                .into_string()
                .expect("UTF-8 file name")
        })
        .collect();
    let mut in_table = BTreeSet::new();
    for row in ROWS {
        assert!(
            in_table.insert(row.file.to_string()),
            "{} has two rows",
            row.file
        );
    }
    let missing: Vec<_> = on_disk.difference(&in_table).collect();
    let stray: Vec<_> = in_table.difference(&on_disk).collect();
    assert!(missing.is_empty(), "fixtures without a row: {missing:?}");
    assert!(stray.is_empty(), "rows without a fixture: {stray:?}");
}

/// Every phrase an article lists in its `[identify]` table, pasted alone,
/// leads to that article: the article's wording is the whole rule, for web
/// errors as for mail.
#[test]
fn every_article_phrase_leads_to_its_article() {
    let lib = diagnoza::content::Library::from_files(&diagnoza::content::embedded_files())
        .unwrap_or_else(|p| panic!("the embedded content has problems:\n{p}"));
    let mut wrong = Vec::new();
    for rule in lib.rules() {
        for phrase in &rule.phrases {
            let findings = CLASSIFIER.classify(phrase.as_bytes());
            let first = findings.first();
            let ok = first.is_some_and(|f| {
                f.kind == rule.kind && f.article.as_ref().is_some_and(|a| a.slug == rule.slug)
            });
            if !ok {
                wrong.push(format!(
                    "{:?} ({}) gave {:?}",
                    phrase,
                    rule.slug,
                    first.map(|f| (f.kind, f.code, f.article.as_ref().map(|a| &a.slug)))
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "phrases that miss their article:\n{}",
        wrong.join("\n")
    );
}

/// Every error an article quotes as an example (its ```text blocks, in both
/// languages), pasted alone, leads back to that article. Two articles are
/// left out, and why: the overview quotes its variants, and the relay
/// denial for one domain quotes the same wording as the relay denial,
/// because only the situation (one domain fails, others work) tells them
/// apart.
#[test]
fn every_article_example_leads_to_its_article() {
    const NOT_BY_WORDING: [&str; 2] = ["554-5-7-1", "554-5-7-1-relay-denied-one-domain"];
    let mut wrong = Vec::new();
    let mut examples = 0;
    for file in diagnoza::content::embedded_files() {
        let Some(slug) = file
            .path
            .rsplit('/')
            .next()
            .and_then(|name| name.strip_suffix(".md"))
        else {
            continue;
        };
        if NOT_BY_WORDING.contains(&slug) {
            continue;
        }
        for block in file.text.split("```text\n").skip(1) {
            let example = block.split("```").next().unwrap_or_default();
            examples += 1;
            let findings = CLASSIFIER.classify(example.as_bytes());
            let first = findings.first();
            let leads_back =
                first.is_some_and(|f| f.article.as_ref().is_some_and(|a| a.slug == slug));
            if !leads_back {
                wrong.push(format!(
                    "{}: {:?} gave {:?}",
                    file.path,
                    example.lines().next().unwrap_or_default(),
                    first.map(|f| (f.kind, f.code, f.article.as_ref().map(|a| &a.slug)))
                ));
            }
        }
    }
    assert!(examples > 50, "only {examples} examples found");
    assert!(
        wrong.is_empty(),
        "examples that miss their article:\n{}",
        wrong.join("\n")
    );
}

/// When nothing says why in a code or a known wording, the excerpt is the
/// report's own words about the recipient, not the status part's fields:
/// they are what a person can act on.
#[test]
fn a_failure_without_a_diagnostic_quotes_the_reports_words() {
    for file in [
        "failed-communigate-dsn-without-diagnostic.eml",
        "failed-communigate-pasted.txt",
    ] {
        let input = std::fs::read(fixtures().join(file)).expect("fixture reads");
        let findings = CLASSIFIER.classify(&input);
        let excerpt = findings.first().map(|f| f.excerpt.as_str());
        assert!(
            excerpt.is_some_and(|e| e.contains("Failed to deliver to")
                && e.ends_with("Messages without a Date: field are refused by this server")),
            "{file}: {excerpt:?}"
        );
    }
}

/// Of two lines that name the same status by wording alone, the excerpt is
/// the one an article words: Passenger's own sentence, not the Rails
/// apology printed above it.
#[test]
fn a_page_is_quoted_by_its_most_telling_line() {
    let input = std::fs::read(fixtures().join("http-500-passenger-app-not-started.txt"))
        .expect("fixture reads");
    let findings = CLASSIFIER.classify(&input);
    let excerpt = findings.first().map(|f| f.excerpt.as_str());
    assert!(
        excerpt.is_some_and(|e| e.starts_with("Web application could not be started")),
        "{excerpt:?}"
    );
}
