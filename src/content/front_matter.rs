//! Front matter: the TOML block between `+++` lines at the top of an article.
//!
//! Parsing is from `&str` only; reading files is the caller's business. The
//! typed struct rejects unknown keys, so a misspelt key is reported instead of
//! silently ignored; cross-file rules live in [`super::validate`].

use serde::Deserialize;

use super::Problem;
use crate::identify::{Actor, Summary};

/// Where an article is listed on the home page.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Mail,
    Web,
}

/// The front matter of one article file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    pub summary: String,
    pub code: String,
    pub group: Group,
    pub order: i64,
    pub updated: toml::value::Datetime,
    #[serde(default)]
    pub related: Vec<String>,
    pub identify: Option<IdentifyRules>,
}

/// How the paste box recognises an article's error (the `[identify]` table).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentifyRules {
    /// Wording that names this error, lower case.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Enhanced status codes that lead here when no phrase matched.
    #[serde(default)]
    pub statuses: Vec<String>,
    /// HTTP statuses that lead here.
    #[serde(default)]
    pub http: Vec<u16>,
    /// Bounce reasons whose closest article this is.
    #[serde(default)]
    pub reasons: Vec<String>,
    /// The section a result links to.
    pub section: Option<String>,
    /// Who usually has to act.
    pub actor: Option<Actor>,
    /// Narrower wordings within the article's error that call for another
    /// section, another actor or their own summary (`[[identify.case]]`).
    #[serde(default)]
    pub case: Vec<Case>,
}

/// One `[[identify.case]]`: wording for a particular situation the article
/// explains in one of its sections, such as greylisting in the overview.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Wording that names the situation, lower case; matched like the
    /// article's own phrases.
    pub phrases: Vec<String>,
    /// Bounce reasons (Sisimai's names) that lead to this situation when no
    /// phrase matched, as an article's own `reasons` do.
    #[serde(default)]
    pub reasons: Vec<String>,
    /// HTTP statuses that are this situation (504 in the 502 article's
    /// section on timeouts); each listed in one place, the case or the
    /// article.
    #[serde(default)]
    pub http: Vec<u16>,
    /// The section a result links to; the article's when not given.
    pub section: Option<String>,
    /// Who has to act; the article's when not given.
    pub actor: Option<Actor>,
    /// The result's one-sentence summary, in both languages; the bounce
    /// reason's sentence when not given.
    pub summary: Option<Summary>,
}

/// An article file split into its parts.
#[derive(Debug)]
pub struct Parsed<'a> {
    pub front: FrontMatter,
    pub body: &'a str,
    /// The 1-based line of the file on which the body starts.
    pub body_line: usize,
}

const FENCE: &str = "+++";

/// Splits a file into front matter and body and parses the front matter.
///
/// `file` is only used to name the file in problems.
pub fn parse<'a>(file: &str, text: &'a str) -> Result<Parsed<'a>, Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != FENCE {
        let hint = if first.trim_end() == "---" {
            "front matter is TOML between `+++` lines; replace the `---` lines with `+++` and write the keys as TOML"
        } else {
            "start the file with a line `+++`, then the TOML keys (title, summary, code, group, order, updated, related), then another `+++`"
        };
        return Err(Problem::at(file, 1, "the file has no front matter", hint));
    }
    let front_start = first.len();
    let mut offset = front_start;
    let mut line = 1;
    for l in lines {
        line += 1;
        if l.trim_end() == FENCE {
            let toml_text = &text[front_start..offset];
            let body = &text[offset + l.len()..];
            let front = toml::from_str::<FrontMatter>(toml_text)
                .map_err(|e| toml_problem(file, toml_text, &e))?;
            return Ok(Parsed {
                front,
                body,
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(Problem::at(
        file,
        1,
        "the front matter is never closed",
        "add a line `+++` after the last TOML key; did you forget the closing `+++`?",
    ))
}

fn toml_problem(file: &str, toml_text: &str, err: &toml::de::Error) -> Problem {
    // The TOML starts on the second line of the file.
    let line = err.span().map(|span| {
        2 + toml_text[..span.start.min(toml_text.len())]
            .matches('\n')
            .count()
    });
    let message = err.message().trim().to_string();
    let fix = if message.contains("missing field") {
        "add the missing key; every article needs title, summary, code, group, order and updated"
    } else if message.contains("unknown field") {
        "remove or rename the key; the keys are title, summary, code, group, order, updated, related and the [identify] table"
    } else if message.contains("unknown variant") {
        "use one of the values the message lists"
    } else {
        "fix the TOML syntax: strings in double quotes, dates as 2026-11-28, lists in [ ]"
    };
    Problem {
        file: file.to_string(),
        line,
        message: format!("invalid front matter: {message}"),
        fix: fix.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "+++\ntitle = \"HTTP 403\"\nsummary = \"s\"\ncode = \"HTTP 403\"\ngroup = \"web\"\norder = 1\nupdated = 2026-11-28\n+++\n## Body\n";

    #[test]
    fn parses_a_good_file() {
        let p = parse("content/pl/http-403.md", GOOD).unwrap();
        assert_eq!(p.front.title, "HTTP 403");
        assert_eq!(p.front.group, Group::Web);
        assert_eq!(p.body, "## Body\n");
        assert_eq!(p.body_line, 9);
    }

    #[test]
    fn missing_front_matter_names_file_and_fix() {
        let e = parse("content/pl/x.md", "# Title\n").unwrap_err();
        let shown = e.to_string();
        assert!(
            shown.starts_with("content/pl/x.md:1: the file has no front matter"),
            "{shown}"
        );
        assert!(
            shown.contains("start the file with a line `+++`"),
            "{shown}"
        );
    }

    #[test]
    fn yaml_front_matter_gets_a_hint() {
        let e = parse("content/pl/x.md", "---\ntitle: x\n---\n").unwrap_err();
        assert!(e.fix.contains("replace the `---` lines"), "{e}");
    }

    #[test]
    fn unclosed_front_matter_is_reported() {
        let e = parse("content/en/x.md", "+++\ntitle = \"x\"\n").unwrap_err();
        assert!(e.to_string().contains("never closed"), "{e}");
        assert!(e.fix.contains("did you forget the closing `+++`"), "{e}");
    }

    #[test]
    fn missing_key_names_the_key() {
        let text = GOOD.replace("summary = \"s\"\n", "");
        let e = parse("content/pl/x.md", &text).unwrap_err();
        assert!(e.message.contains("summary"), "{e}");
        assert!(e.fix.contains("add the missing key"), "{e}");
    }

    #[test]
    fn unknown_key_is_reported_with_its_line() {
        let text = GOOD.replace("order = 1\n", "order = 1\ntitel = \"x\"\n");
        let e = parse("content/pl/x.md", &text).unwrap_err();
        assert!(e.message.contains("titel"), "{e}");
        assert_eq!(e.line, Some(7), "{e}");
    }

    #[test]
    fn bad_group_lists_the_choices() {
        let text = GOOD.replace("\"web\"", "\"www\"");
        let e = parse("content/pl/x.md", &text).unwrap_err();
        assert!(e.message.contains("mail"), "{e}");
        assert_eq!(e.line, Some(5), "{e}");
    }

    #[test]
    fn syntax_error_has_a_line() {
        let text = GOOD.replace("order = 1", "order = one");
        let e = parse("content/pl/x.md", &text).unwrap_err();
        assert_eq!(e.line, Some(6), "{e}");
    }
}
