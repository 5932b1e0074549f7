//! Settings shared by the command line and the server.
//!
//! Every setting is a command-line flag and an environment variable
//! (`DIAGNOZA_...`), declared here once with clap so the two cannot drift.
//! [`Config::default`] gives the same values as an empty command line, for
//! tests and for code that builds a site without one.

use std::time::Duration;

/// The settings of a site: contact details, public address, limits, security.
#[derive(Clone, Debug, clap::Args)]
pub struct Config {
    /// Public address of the site, used for canonical links, hreflang and the sitemap.
    #[arg(long, env = "DIAGNOZA_BASE_URL", default_value = defaults::BASE_URL, value_parser = parse_base_url)]
    pub base_url: String,

    /// Web form where support requests go (shown on the contact page).
    #[arg(long, env = "DIAGNOZA_CONTACT_FORM_URL", default_value = defaults::CONTACT_FORM_URL)]
    pub contact_form_url: String,

    /// E-mail address of support (shown on the contact page).
    #[arg(long, env = "DIAGNOZA_CONTACT_EMAIL", default_value = defaults::CONTACT_EMAIL)]
    pub contact_email: String,

    /// Phone number of support (shown on the contact page).
    #[arg(long, env = "DIAGNOZA_CONTACT_PHONE", default_value = defaults::CONTACT_PHONE)]
    pub contact_phone: String,

    /// Support's opening hours, as shown on the Polish pages.
    #[arg(long, env = "DIAGNOZA_CONTACT_HOURS_PL", default_value = defaults::CONTACT_HOURS_PL)]
    pub contact_hours_pl: String,

    /// Support's opening hours, as shown on the English pages.
    #[arg(long, env = "DIAGNOZA_CONTACT_HOURS_EN", default_value = defaults::CONTACT_HOURS_EN)]
    pub contact_hours_en: String,

    /// Sends Strict-Transport-Security; turn on only when the site is served over TLS.
    #[arg(long, env = "DIAGNOZA_HSTS", default_value_t = false, num_args = 0..=1, default_missing_value = "true", action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub hsts: bool,

    /// Takes the client address from X-Forwarded-For; turn on only behind a proxy that sets it.
    #[arg(long, env = "DIAGNOZA_TRUST_FORWARDED_FOR", default_value_t = false, num_args = 0..=1, default_missing_value = "true", action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub trust_forwarded_for: bool,

    /// Requests to the identify or the search endpoints one client may send at once.
    #[arg(long, env = "DIAGNOZA_RATE_LIMIT_BURST", default_value_t = defaults::RATE_LIMIT_BURST, value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_limit_burst: u32,

    /// Requests per minute a client gets back after a burst, for each of identify and search.
    #[arg(long, env = "DIAGNOZA_RATE_LIMIT_PER_MINUTE", default_value_t = defaults::RATE_LIMIT_PER_MINUTE, value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_limit_per_minute: u32,

    /// Largest text the paste box accepts, in bytes.
    #[arg(long, env = "DIAGNOZA_PASTE_LIMIT", default_value_t = defaults::PASTE_LIMIT)]
    pub paste_limit: usize,

    /// Largest request body read at all, in bytes; larger bodies are refused unread.
    ///
    /// Bodies between the paste limit and this one are still read, so the
    /// form can give the text back with its 413 page.
    #[arg(long, env = "DIAGNOZA_BODY_LIMIT", default_value_t = defaults::BODY_LIMIT)]
    pub body_limit: usize,

    /// Seconds a client may take to send a request's head, and an identify or
    /// search request to be answered (408 beyond); also how long an idle
    /// connection is kept open.
    #[arg(long, env = "DIAGNOZA_REQUEST_TIMEOUT", default_value_t = defaults::REQUEST_TIMEOUT_SECS, value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout: u64,

    /// Identify and search requests handled at once; more are refused with 503
    /// rather than queued (pages are not counted).
    #[arg(long, env = "DIAGNOZA_MAX_CONCURRENT", default_value_t = defaults::MAX_CONCURRENT, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_concurrent: u32,
}

/// The default value of every setting.
pub mod defaults {
    pub const BASE_URL: &str = "http://127.0.0.1:3000";
    pub const CONTACT_FORM_URL: &str = "https://www.example.pl/pomoc/zgloszenie";
    pub const CONTACT_EMAIL: &str = "pomoc@example.pl";
    pub const CONTACT_PHONE: &str = "+48 22 000 00 00";
    pub const CONTACT_HOURS_PL: &str = "pon.–pt. 8:00–20:00";
    pub const CONTACT_HOURS_EN: &str = "Mon–Fri 8:00–20:00 (Polish time)";
    /// A burst of 50 pastes from one person or support tool must pass; 60
    /// leaves room for a few searches in between.
    pub const RATE_LIMIT_BURST: u32 = 60;
    pub const RATE_LIMIT_PER_MINUTE: u32 = 60;
    pub const PASTE_LIMIT: usize = 1024 * 1024;
    pub const BODY_LIMIT: usize = 4 * 1024 * 1024;
    pub const REQUEST_TIMEOUT_SECS: u64 = 10;
    pub const MAX_CONCURRENT: u32 = 512;
}

impl Default for Config {
    fn default() -> Self {
        Config {
            base_url: defaults::BASE_URL.to_string(),
            contact_form_url: defaults::CONTACT_FORM_URL.to_string(),
            contact_email: defaults::CONTACT_EMAIL.to_string(),
            contact_phone: defaults::CONTACT_PHONE.to_string(),
            contact_hours_pl: defaults::CONTACT_HOURS_PL.to_string(),
            contact_hours_en: defaults::CONTACT_HOURS_EN.to_string(),
            hsts: false,
            trust_forwarded_for: false,
            rate_limit_burst: defaults::RATE_LIMIT_BURST,
            rate_limit_per_minute: defaults::RATE_LIMIT_PER_MINUTE,
            paste_limit: defaults::PASTE_LIMIT,
            body_limit: defaults::BODY_LIMIT,
            request_timeout: defaults::REQUEST_TIMEOUT_SECS,
            max_concurrent: defaults::MAX_CONCURRENT,
        }
    }
}

impl Config {
    /// Returns the opening hours as written for one language.
    pub fn contact_hours(&self, lang: crate::lang::Lang) -> &str {
        match lang {
            crate::lang::Lang::Pl => &self.contact_hours_pl,
            crate::lang::Lang::En => &self.contact_hours_en,
        }
    }

    /// Returns the request timeout.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout)
    }

    /// Returns the largest body read, never below the paste limit.
    ///
    /// A body limit under the paste limit would turn the form's "too large,
    /// here is your text back" page into a bare refusal.
    pub fn body_limit(&self) -> usize {
        self.body_limit.max(self.paste_limit)
    }

    /// Returns the absolute URL of a path of the site (`/pl/` → `https://host/pl/`).
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

/// Checks a base URL and drops its trailing slash.
pub fn parse_base_url(value: &str) -> Result<String, String> {
    let trimmed = value.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .ok_or_else(|| format!("\"{value}\" does not start with http:// or https://"))?;
    // The pages link to each other from the root (`/pl/...`), so the site
    // must live at the root of its host.
    if rest.is_empty() || rest.contains(['/', '?', '#', ' ', '"', '<', '>', '\\']) {
        return Err(format!(
            "\"{value}\" is not a plain site address; write it as https://pomoc.example.pl, without a path or query"
        ));
    }
    Ok(trimmed.to_string())
}

/// Formats a size in bytes as people read it ("1 MiB", "512 KiB").
pub fn human_size(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else if bytes >= KIB {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked_and_trimmed() {
        assert_eq!(
            parse_base_url("https://pomoc.example.pl/").unwrap(),
            "https://pomoc.example.pl"
        );
        assert_eq!(
            parse_base_url("http://127.0.0.1:3000").unwrap(),
            "http://127.0.0.1:3000"
        );
        assert!(parse_base_url("https://example.pl/pomoc/").is_err());
        assert!(parse_base_url("example.pl").is_err());
        assert!(parse_base_url("https://").is_err());
        assert!(parse_base_url("https://x.pl/?a=1").is_err());
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_size(1024 * 1024), "1 MiB");
        assert_eq!(human_size(1536 * 1024), "1.5 MiB");
        assert_eq!(human_size(512 * 1024), "512 KiB");
        assert_eq!(human_size(10), "10 B");
    }

    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        config: Config,
    }

    #[test]
    fn limits_are_flags_and_environment_variables() {
        use clap::{CommandFactory, Parser};
        let cli = Cli::try_parse_from([
            "diagnoza",
            "--rate-limit-burst",
            "500",
            "--rate-limit-per-minute",
            "6000",
            "--paste-limit",
            "10",
            "--body-limit",
            "20",
            "--request-timeout",
            "3",
            "--max-concurrent",
            "7",
            "--hsts",
            "--trust-forwarded-for=yes",
        ])
        .unwrap();
        let c = cli.config;
        assert_eq!((c.rate_limit_burst, c.rate_limit_per_minute), (500, 6000));
        assert_eq!((c.paste_limit, c.body_limit), (10, 20));
        assert_eq!((c.request_timeout, c.max_concurrent), (3, 7));
        assert!(c.hsts && c.trust_forwarded_for);
        // SECURITY.md and the README name these variables.
        let command = Cli::command();
        for (id, env) in [
            ("hsts", "DIAGNOZA_HSTS"),
            ("trust_forwarded_for", "DIAGNOZA_TRUST_FORWARDED_FOR"),
            ("rate_limit_burst", "DIAGNOZA_RATE_LIMIT_BURST"),
            ("rate_limit_per_minute", "DIAGNOZA_RATE_LIMIT_PER_MINUTE"),
            ("paste_limit", "DIAGNOZA_PASTE_LIMIT"),
            ("body_limit", "DIAGNOZA_BODY_LIMIT"),
            ("request_timeout", "DIAGNOZA_REQUEST_TIMEOUT"),
            ("max_concurrent", "DIAGNOZA_MAX_CONCURRENT"),
            ("contact_email", "DIAGNOZA_CONTACT_EMAIL"),
        ] {
            let arg = command
                .get_arguments()
                .find(|a| a.get_id() == id)
                .unwrap_or_else(|| panic!("no setting {id}"));
            assert_eq!(arg.get_env(), Some(std::ffi::OsStr::new(env)), "{id}");
        }
        // Limits of zero would refuse everyone.
        for flag in [
            "--rate-limit-burst",
            "--rate-limit-per-minute",
            "--request-timeout",
            "--max-concurrent",
        ] {
            assert!(
                Cli::try_parse_from(["diagnoza", flag, "0"]).is_err(),
                "{flag}"
            );
        }
    }

    #[test]
    fn the_body_limit_never_undercuts_the_paste_limit() {
        let config = Config {
            body_limit: 10,
            ..Config::default()
        };
        assert_eq!(config.body_limit(), config.paste_limit);
    }
}
