//! Facts in a diagnostic: the remote server, the blocked client address,
//! the blocklist that listed it, and the SMTP stage.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

/// A DNS blocklist (or reputation service) a rejection can name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Blocklist {
    /// The name people know it by.
    pub name: String,
    /// Lower-case words or zone names that identify it in a rejection.
    pub patterns: Vec<String>,
    /// Where to look an address up or ask for removal.
    pub lookup: String,
}

#[derive(Deserialize)]
struct BlocklistFile {
    list: Vec<Blocklist>,
}

static BLOCKLISTS: LazyLock<Vec<Blocklist>> = LazyLock::new(|| {
    toml::from_str::<BlocklistFile>(include_str!("tables/blocklists.toml"))
        .expect("tables/blocklists.toml parses")
        .list
});

/// Returns the blocklist a folded diagnostic names, if any.
pub fn blocklist(folded: &str) -> Option<&'static Blocklist> {
    BLOCKLISTS
        .iter()
        .find(|b| b.patterns.iter().any(|p| folded.contains(p.as_str())))
}

/// Finds a blocklist by the name it is reported under.
pub fn blocklist_named(name: &str) -> Option<&'static Blocklist> {
    BLOCKLISTS.iter().find(|b| b.name == name)
}

static HOST_IP: LazyLock<Regex> = LazyLock::new(|| {
    // Postfix "host mx.example.jp[192.0.2.1] said", Exim "host mx.example.jp
    // [192.0.2.1]:", log lines "relay=mx[192.0.2.1]:25" and "H=mx [192.0.2.1]",
    // Gmail "by mx.example.jp. [192.0.2.1]", "connect to mx[192.0.2.1]:25".
    Regex::new(
        r"(?i)(?:\bhost|relay=|\bH=|\bby|connect to|talking to|connection to|from|\bremote host)\s*([a-z0-9][a-z0-9.\-]*[a-z0-9])\.?\s*\[([0-9a-f:.]+)\]",
    )
    .expect("valid regex")
});

static HOST_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:while talking to|generating server:|remote host|host|relay=|reported by|server for the recipient domain \S+ by)\s+([a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)+)\.?(?:[\s:,)]|$)",
    )
    .expect("valid regex")
});

static IPV4: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9.])((?:25[0-5]|2[0-4][0-9]|1?[0-9]{1,2})(?:\.(?:25[0-5]|2[0-4][0-9]|1?[0-9]{1,2})){3})(?:[^0-9.]|\.(?:[^0-9]|$)|$)")
        .expect("valid regex")
});

/// Finds the remote server (host name and IP address) in a text.
pub fn remote_server(text: &str) -> (Option<String>, Option<String>) {
    if let Some(c) = HOST_IP.captures(text) {
        let host = c[1].trim_end_matches('.').to_ascii_lowercase();
        let ip = c[2].to_string();
        let host = (!is_ip(&host) && host.contains('.')).then_some(host);
        let ip = is_ip(&ip).then_some(ip);
        if host.is_some() || ip.is_some() {
            return (host, ip);
        }
    }
    if let Some(c) = HOST_ONLY.captures(text) {
        let host = c[1].trim_end_matches('.').to_ascii_lowercase();
        if is_ip(&host) {
            return (None, Some(host));
        }
        if host.chars().any(|c| c.is_ascii_alphabetic()) && !host.contains('@') {
            return (Some(host), None);
        }
    }
    (None, None)
}

/// Splits a DSN `Remote-MTA` value such as `mx.example.jp [192.0.2.1]`.
pub fn remote_mta(value: &str) -> (Option<String>, Option<String>) {
    let value = value.trim();
    let (host, ip) = match value.split_once('[') {
        Some((h, rest)) => (h.trim(), rest.split(']').next().map(str::trim)),
        None => match value.split_once(char::is_whitespace) {
            Some((h, rest)) => (h.trim(), Some(rest.trim().trim_matches(|c| c == '(' || c == ')'))),
            None => (value, None),
        },
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let ip = ip.filter(|ip| is_ip(ip)).map(str::to_string);
    if is_ip(&host) {
        return (None, Some(host));
    }
    ((!host.is_empty() && host.contains('.')).then_some(host), ip)
}

/// Returns the IP addresses written in a text, in order.
pub fn ips(text: &str) -> Vec<String> {
    let mut out: Vec<String> = IPV4
        .captures_iter(text)
        .map(|c| c[1].to_string())
        .filter(|ip| ip.parse::<Ipv4Addr>().is_ok())
        .collect();
    for token in text.split(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | '(' | ')' | ',' | ';' | '<' | '>')) {
        let t = token.trim_matches(|c: char| c == '.' || c == '\'' || c == '"');
        if t.contains(':') && t.parse::<std::net::Ipv6Addr>().is_ok() && t.len() > 4 {
            out.push(t.to_string());
        }
    }
    out.dedup();
    out
}

/// Tells whether a string is an IP address.
pub fn is_ip(s: &str) -> bool {
    s.parse::<IpAddr>().is_ok()
}

/// Names the SMTP stage a diagnostic reports, as the command's verb.
pub fn smtp_command(folded: &str) -> Option<&'static str> {
    const STAGES: &[(&str, &str)] = &[
        ("in reply to rcpt to", "RCPT"),
        ("after rcpt to", "RCPT"),
        (">>> rcpt to", "RCPT"),
        ("rcpt to response", "RCPT"),
        ("our rcpt to", "RCPT"),
        ("smtp:rcpt", "RCPT"),
        ("does not like recipient", "RCPT"),
        ("our mail from", "MAIL"),
        ("smtp:mail", "MAIL"),
        ("does not like sender", "MAIL"),
        ("smtp:data", "DATA"),
        ("rcpt to command", "RCPT"),
        ("in reply to mail from", "MAIL"),
        ("but sender was rejected", "MAIL"),
        ("after mail from", "MAIL"),
        (">>> mail from", "MAIL"),
        ("mail from command", "MAIL"),
        ("in reply to end of data", "DATA"),
        ("after end of data", "DATA"),
        ("in reply to data", "DATA"),
        ("after data", "DATA"),
        (">>> data", "DATA"),
        ("after pipelined data", "DATA"),
        ("data command", "DATA"),
        ("in reply to ehlo", "EHLO"),
        ("after ehlo", "EHLO"),
        (">>> ehlo", "EHLO"),
        ("in reply to helo", "HELO"),
        ("after helo", "HELO"),
        (">>> helo", "HELO"),
        ("after initial connection", "CONN"),
        ("refused to talk to me", "CONN"),
        ("in reply to initial greeting", "CONN"),
        ("in reply to starttls", "STARTTLS"),
        ("after starttls", "STARTTLS"),
        ("in reply to auth", "AUTH"),
        ("after auth", "AUTH"),
        ("in reply to quit", "QUIT"),
    ];
    STAGES
        .iter()
        .filter_map(|(words, verb)| folded.find(words).map(|at| (at, *verb)))
        .min_by_key(|(at, _)| *at)
        .map(|(_, verb)| verb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_servers_in_common_forms() {
        assert_eq!(
            remote_server("host mx.example.jp[192.0.2.1] said: 550"),
            (Some("mx.example.jp".into()), Some("192.0.2.1".into()))
        );
        assert_eq!(
            remote_server("host mx.example.jp [192.0.2.20]: 550 5.7.0"),
            (Some("mx.example.jp".into()), Some("192.0.2.20".into()))
        );
        assert_eq!(
            remote_server("relay=mx.example.com[192.0.2.7]:25, delay=1"),
            (Some("mx.example.com".into()), Some("192.0.2.7".into()))
        );
        assert_eq!(remote_server("... while talking to mx.example.org.:"), (Some("mx.example.org".into()), None));
        assert_eq!(remote_server("remote host 192.0.2.32 said: 550"), (None, Some("192.0.2.32".into())));
    }

    #[test]
    fn remote_mta_values_split() {
        assert_eq!(remote_mta("mx.example.jp"), (Some("mx.example.jp".into()), None));
        assert_eq!(remote_mta("mx.example.jp [192.0.2.1]"), (Some("mx.example.jp".into()), Some("192.0.2.1".into())));
        assert_eq!(remote_mta("192.0.2.1"), (None, Some("192.0.2.1".into())));
    }

    #[test]
    fn ips_are_found() {
        assert_eq!(ips("Client host [192.0.2.10] blocked using zen.spamhaus.org"), ["192.0.2.10"]);
        assert_eq!(ips("version 1.2.3.4.5 and 999.1.1.1"), Vec::<String>::new());
        assert_eq!(ips("from 2001:db8::1 said"), ["2001:db8::1"]);
    }

    #[test]
    fn stages_are_named() {
        assert_eq!(smtp_command("... (in reply to rcpt to command)"), Some("RCPT"));
        assert_eq!(smtp_command("smtp error from remote mail server after initial connection: 554"), Some("CONN"));
        assert_eq!(smtp_command("nothing"), None);
    }

    #[test]
    fn blocklists_are_recognised() {
        assert_eq!(blocklist("blocked using zen.spamhaus.org").map(|b| b.name.as_str()), Some("Spamhaus"));
        assert_eq!(blocklist("listed at bl.spamcop.net").map(|b| b.name.as_str()), Some("SpamCop"));
        assert!(blocklist("user unknown").is_none());
    }
}
