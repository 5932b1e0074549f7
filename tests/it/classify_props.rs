//! The classifier never panics, whatever it is given: property tests over
//! arbitrary bytes and over inputs built from bounce fragments, plus the
//! hostile inputs of issue 7 (1 MiB of one character, deeply nested MIME,
//! ten thousand recipients, invalid encodings).
//!
//! Linear time is shown by the `scaling` group of `cargo bench --bench
//! identify`, not here: tests do not time things.

use proptest::prelude::*;

use crate::common::build_ref;

fn classify(input: &[u8]) -> usize {
    build_ref().classifier.classify(input).len()
}

/// Pieces of real bounces, to build inputs that reach deep into the parser.
const FRAGMENTS: &[&str] = &[
    "From: MAILER-DAEMON@example.org\n",
    "Subject: Undelivered Mail Returned to Sender\n",
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n",
    "Content-Type: message/delivery-status\n",
    "Content-Type: message/rfc822\n",
    "Content-Transfer-Encoding: base64\n",
    "Content-Transfer-Encoding: quoted-printable\n",
    "\n--b\n",
    "\n--b--\n",
    "Final-Recipient: rfc822; jan@example.com\n",
    "Action: failed\n",
    "Status: 5.7.1\n",
    "Diagnostic-Code: smtp; 554 5.7.1 <jan@example.com>: Relay access denied\n",
    "Remote-MTA: dns; mx.example.com [192.0.2.1]\n",
    "<jan@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1\n",
    "    (in reply to RCPT TO command)\n",
    ">>> RCPT To:<jan@example.com>\n",
    "<<< 550-5.7.1 first\n<<< 550 5.7.1 second\n",
    "> ",
    ">> ",
    "From jan@example.com Sat Nov 28 10:00:00 2026\n",
    "=C5=82=\n",
    "5.7.",
    "554",
    "HTTP/1.1 503 Service Unavailable\n",
    "błąd HTTP 500\n",
    "\r\n",
    "\r",
    "\u{feff}",
    "\u{0}",
    "<script>alert(1)</script>",
    "Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org\n",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        classify(&bytes);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,2000}") {
        classify(text.as_bytes());
    }

    #[test]
    fn bounce_fragments_never_panic(parts in proptest::collection::vec(0..FRAGMENTS.len(), 0..80), noise in "[ -~]{0,20}") {
        let mut input = String::new();
        for (i, p) in parts.iter().enumerate() {
            input.push_str(FRAGMENTS[*p]);
            if i % 7 == 3 {
                input.push_str(&noise);
            }
        }
        classify(input.as_bytes());
    }
}

#[test]
fn one_mebibyte_of_one_character() {
    for c in [
        b'a', b'5', b'>', b'<', b'\n', b'\r', b' ', b'.', b'@', b'-', b'=', 0xff,
    ] {
        classify(&vec![c; 1 << 20]);
    }
}

#[test]
fn deeply_nested_mime() {
    let depth = 2000;
    let mut m = String::from(
        "From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail\nMIME-Version: 1.0\n",
    );
    for i in 0..depth {
        m.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"b{i}\"\n\n--b{i}\n"
        ));
    }
    m.push_str("Content-Type: text/plain\n\n550 5.1.1 <jan@example.com>: User unknown\n");
    for i in (0..depth).rev() {
        m.push_str(&format!("\n--b{i}--\n"));
    }
    classify(m.as_bytes());
    let mut nested = String::new();
    for _ in 0..500 {
        nested.push_str("Content-Type: message/rfc822\n\nFrom: a@example.org\nSubject: x\n");
    }
    classify(nested.as_bytes());
    // Reports attached in reports: read at most two levels down.
    let mut reports = String::new();
    for i in 0..500 {
        reports.push_str(&format!(
            "From: MAILER-DAEMON@example.org\nContent-Type: multipart/mixed; boundary=\"r{i}\"\n\n--r{i}\nContent-Type: message/rfc822\n\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"s{i}\"\n\n--s{i}\nContent-Type: message/rfc822\n\n"
        ));
    }
    classify(reports.as_bytes());
}

#[test]
fn ten_thousand_recipients() {
    let mut m = String::from(
        "From: MAILER-DAEMON@example.org\nTo: anna@example.org\nSubject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n",
    );
    for i in 0..10_000 {
        m.push_str(&format!("<u{i}@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 unknown user (in reply to RCPT TO command)\n"));
    }
    m.push_str(
        "\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mail.example.org\n\n",
    );
    for i in 0..10_000 {
        m.push_str(&format!("Final-Recipient: rfc822; u{i}@example.com\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 unknown user\n\n"));
    }
    m.push_str("--b--\n");
    assert_eq!(
        classify(m.as_bytes()),
        10_000,
        "one finding per failed recipient"
    );
}

/// Thousands of recipients the text never names, next to a transcript
/// whose lines run together into one: every finding quotes at most a
/// bounded piece of it, so the work stays proportional to the input.
#[test]
fn one_long_transcript_for_many_recipients() {
    let mut m = String::from(
        "From: MAILER-DAEMON@example.org\nTo: anna@example.org\nSubject: Undelivered\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n",
    );
    for i in 0..2_000 {
        m.push_str(&format!(
            "<<< 550-5.7.1 [203.0.113.9] Our filters gave message {i:05} too many points\n<<< 550 5.7.1 and it was rejected as spam.\n"
        ));
    }
    m.push_str(
        "\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mail.example.org\n\n",
    );
    for i in 0..2_000 {
        m.push_str(&format!("Final-Recipient: rfc822; u{i}@example.com\nAction: failed\nStatus: 5.7.1\nDiagnostic-Code: smtp; 550-5.7.1 [203.0.113.9] Our filters gave message {i:05} too many points\n\n"));
    }
    m.push_str("--b--\n");
    let findings = build_ref().classifier.classify(m.as_bytes());
    assert_eq!(findings.len(), 2_000, "one finding per failed recipient");
    let longest = findings.iter().map(|f| f.excerpt.len()).max();
    assert!(longest.is_some_and(|l| l <= 2 * 1024), "{longest:?}");
}

#[test]
fn invalid_encodings() {
    let cases: [&[u8]; 5] = [
        b"Subject: =?utf-8?B?####?=\nContent-Transfer-Encoding: base64\n\n!!!not base64!!!\n550 5.1.1 unknown\n",
        b"Content-Type: text/plain; charset=nonexistent-charset\n\n\xff\xfe\xfd 550 5.1.1 x\n",
        b"Content-Transfer-Encoding: quoted-printable\n\n=ZZ=\n=\n=C5\n554 5.7.1 Relay access denied\n",
        b"\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc 554 5.7.1 x\n",
        b"Content-Type: text/plain; charset=iso-2022-jp\n\n\x1b$B%f!<%6\x1b(B 550 5.1.1\n",
    ];
    for case in cases {
        classify(case);
    }
}

/// Found by fuzzing: a multi-byte character just before a server anchor
/// (`host `) made `remote_server` slice inside the character. The same
/// kind of text before an HTML entity checks the HTML-to-text reader.
#[test]
fn multibyte_characters_next_to_anchors() {
    let line = "zzzżaaaaa host mx.example.com[192.0.2.1] said: 554 5.7.1 <jan@example.com>: Relay access denied";
    let findings = build_ref().classifier.classify(line.as_bytes());
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].reason, Some("norelaying"));
    for prefix in ["ż", "żż", "aż", "ąę", "€", "a€", "😀", "a😀"] {
        let text = format!(
            "{prefix} host mx.example.com[192.0.2.1] said: 554 5.7.1 x\n{prefix}by mx.example.com\n"
        );
        classify(text.as_bytes());
        let html = format!(
            "Content-Type: text/html\n\n<p>554 5.7.1 &{prefix}amp;&ż&€x; {prefix}&nbsp;</p>\n"
        );
        classify(html.as_bytes());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    /// Polish and other multi-byte letters glued to the fragments, where
    /// byte offsets are most likely to fall inside a character.
    #[test]
    fn fragments_with_multibyte_letters_never_panic(
        parts in proptest::collection::vec((0..FRAGMENTS.len(), "[ąćęłńóśźż€😀a ]{0,3}"), 0..40),
    ) {
        let mut input = String::new();
        for (p, glue) in &parts {
            input.push_str(glue);
            input.push_str(FRAGMENTS[*p]);
        }
        classify(input.as_bytes());
    }
}
