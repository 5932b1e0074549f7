//! The MIME handling: arbitrary bytes as the body of a bounce whose headers
//! announce a multipart/report, so that every input reaches the MIME parser
//! and the delivery-status reader rather than the plain-text path.
#![no_main]

use libfuzzer_sys::fuzz_target;

const HEAD: &[u8] = b"From: MAILER-DAEMON@mail.example.org (Mail Delivery System)\r\n\
To: anna@example.org\r\n\
Subject: Undelivered Mail Returned to Sender\r\n\
Date: Sat, 28 Nov 2026 10:15:02 +0100 (CET)\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status;\r\n\
\tboundary=\"FUZZ.BOUNDARY/mail.example.org\"\r\n\
\r\n\
This is a MIME-encapsulated message.\r\n\
\r\n\
--FUZZ.BOUNDARY/mail.example.org\r\n";

fuzz_target!(|data: &[u8]| {
    let mut message = Vec::with_capacity(HEAD.len() + data.len());
    message.extend_from_slice(HEAD);
    message.extend_from_slice(data);
    diagnoza_fuzz::identify(&message);
});
