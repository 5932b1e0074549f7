//! The rules every article must follow, checked all at once.
//!
//! Each rule reports the file, the line where it can, and the fix, and the
//! checks go on after a problem so that `diagnoza check` lists everything.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::front_matter::{self, FrontMatter, Group};
use super::markdown;
use super::{Article, Problem, Problems, SourceFile, Translation};
use crate::identify;
use crate::lang::Lang;

/// The fewest words an article may have in each language.
pub const MIN_WORDS: usize = 300;
/// The longest summary, in characters (it is also the meta description).
pub const MAX_SUMMARY: usize = 300;
/// Slugs taken by the site's own pages.
const RESERVED: [&str; 6] = ["identify", "search", "contact", "static", "api", "healthz"];

/// The section ids every article has, so links to them work in both languages.
fn required_sections(group: Group) -> [&'static str; 5] {
    match group {
        Group::Mail => ["example", "causes", "sender", "admin", "support"],
        Group::Web => ["example", "causes", "visitor", "admin", "support"],
    }
}

struct Parsed {
    lang: Lang,
    slug: String,
    file: String,
    source: String,
    front: FrontMatter,
    body_line: usize,
    rendered: markdown::Rendered,
}

impl Parsed {
    /// Returns the line of a front-matter key, for problems about its value.
    fn key_line(&self, key: &str) -> Option<usize> {
        self.source
            .lines()
            .position(|l| {
                l.trim_start().strip_prefix(key).is_some_and(|rest| {
                    rest.trim_start().starts_with('=') || rest.trim_start().starts_with(']')
                })
            })
            .map(|i| i + 1)
    }

    /// The line of the `n`th `[[identify.case]]` table.
    fn case_line(&self, n: usize) -> Option<usize> {
        self.source
            .lines()
            .enumerate()
            .filter(|(_, l)| l.trim_start().starts_with("[[identify.case"))
            .nth(n)
            .map(|(i, _)| i + 1)
    }

    fn problem(&self, key: &str, message: impl Into<String>, fix: impl Into<String>) -> Problem {
        self.problem_on(self.key_line(key), message, fix)
    }

    fn problem_on(
        &self,
        line: Option<usize>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Problem {
        Problem {
            file: self.file.clone(),
            line,
            message: message.into(),
            fix: fix.into(),
        }
    }
}

/// How much of the content to read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Front matter and Markdown, with every check: for the site and `check`.
    Full,
    /// Front matter only, unchecked beyond its syntax: for `identify`, which
    /// needs titles and recognition rules and must start in a millisecond.
    FrontMatter,
}

/// Parses, renders and checks every article file.
pub fn articles(files: &[SourceFile], depth: Depth) -> Result<Vec<Article>, Problems> {
    let mut problems = Vec::new();
    let mut parsed: BTreeMap<String, [Option<Parsed>; 2]> = BTreeMap::new();

    for f in files {
        let file = format!("content/{}", f.path);
        let Some((lang, slug)) = split_path(&f.path) else {
            problems.push(Problem::in_file(
                &file,
                "not an article path",
                "articles live in content/pl/<slug>.md and content/en/<slug>.md",
            ));
            continue;
        };
        if !valid_slug(slug) {
            problems.push(Problem::in_file(
                &file,
                format!("the file name \"{slug}\" is not a valid slug"),
                "use lower-case letters, digits and hyphens only, as in 554-5-7-1-relay-access-denied.md",
            ));
            continue;
        }
        if RESERVED.contains(&slug) {
            problems.push(Problem::in_file(
                &file,
                format!("the slug \"{slug}\" is taken by a page of the site"),
                "rename the file",
            ));
            continue;
        }
        match front_matter::parse(&file, &f.text) {
            Ok(p) => {
                let rendered = match depth {
                    Depth::Full => markdown::render(p.body, lang),
                    Depth::FrontMatter => markdown::Rendered::default(),
                };
                let entry = parsed.entry(slug.to_string()).or_default();
                entry[lang.index()] = Some(Parsed {
                    lang,
                    slug: slug.to_string(),
                    file,
                    source: f.text.clone(),
                    front: p.front,
                    body_line: p.body_line,
                    rendered,
                });
            }
            Err(p) => {
                problems.push(p);
                // Still note that the slug exists, so the other language is not
                // also reported as missing its twin.
                parsed.entry(slug.to_string()).or_default();
            }
        }
    }

    let slugs: HashSet<&str> = parsed.keys().map(String::as_str).collect();
    // Headings of every translation, for checking links to sections.
    let headings: HashMap<(&str, Lang), HashSet<&str>> = parsed
        .iter()
        .flat_map(|(slug, pair)| {
            pair.iter().flatten().map(move |p| {
                (
                    (slug.as_str(), p.lang),
                    p.rendered.headings.iter().map(|h| h.id.as_str()).collect(),
                )
            })
        })
        .collect();
    let mut phrase_owner: HashMap<String, String> = HashMap::new();

    for (slug, pair) in &parsed {
        let full = depth == Depth::Full;
        for p in pair.iter().flatten().filter(|_| full) {
            check_translation(p, &slugs, &headings, &mut problems);
        }
        match pair {
            [Some(_), Some(_)] if !full => {}
            [Some(pl), Some(en)] => {
                check_pair(pl, en, &mut problems);
                if let Some(rules) = &pl.front.identify {
                    check_identify(pl, rules, &headings, &mut phrase_owner, &mut problems);
                }
            }
            [Some(only), None] | [None, Some(only)] => {
                let missing = only.lang.other();
                problems.push(Problem::in_file(
                    &only.file,
                    format!(
                        "the article \"{slug}\" has no {} version",
                        missing.ui().language_name
                    ),
                    format!(
                        "write content/{missing}/{slug}.md: every article exists in both languages"
                    ),
                ));
            }
            [None, None] => {}
        }
    }

    if !problems.is_empty() {
        return Err(Problems(problems));
    }

    let mut articles: Vec<Article> = parsed
        .into_values()
        .filter_map(|[pl, en]| Some(into_article(pl?, en?)))
        .collect();
    if articles.is_empty() {
        return Err(Problems::one(Problem::general(
            "there are no articles; add content/pl/<slug>.md and content/en/<slug>.md",
        )));
    }
    articles.sort_by(|a, b| {
        (a.group != Group::Mail, a.order, &a.slug).cmp(&(b.group != Group::Mail, b.order, &b.slug))
    });
    Ok(articles)
}

fn split_path(path: &str) -> Option<(Lang, &str)> {
    let (dir, name) = path.split_once('/')?;
    Some((Lang::from_code(dir)?, name.strip_suffix(".md")?))
}

fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn check_translation(
    p: &Parsed,
    slugs: &HashSet<&str>,
    headings: &HashMap<(&str, Lang), HashSet<&str>>,
    problems: &mut Vec<Problem>,
) {
    let fm = &p.front;
    if fm.title.trim().is_empty() {
        problems.push(p.problem(
            "title",
            "the title is empty",
            "write the title with the code and the message people see",
        ));
    }
    let digits: String = fm.code.chars().filter(|c| c.is_ascii_digit()).collect();
    let title_digits: String = fm.title.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        problems.push(p.problem(
            "code",
            "the code has no digits",
            "write the code as people see it, such as \"554 5.7.1\" or \"HTTP 403\"",
        ));
    } else if !title_digits.contains(&digits) {
        problems.push(p.problem(
            "title",
            format!("the title does not contain the code {}", fm.code),
            "put the code in the title, as people search for it",
        ));
    }
    let summary = fm.summary.trim();
    if summary.is_empty() {
        problems.push(p.problem(
            "summary",
            "the summary is empty",
            "write one paragraph that says what the error means",
        ));
    } else if summary.chars().count() > MAX_SUMMARY {
        problems.push(p.problem(
            "summary",
            format!("the summary has {} characters, more than {MAX_SUMMARY}", summary.chars().count()),
            "shorten it: it is shown under the title and as the page's description in search engines",
        ));
    } else if summary.contains('\n') {
        problems.push(p.problem(
            "summary",
            "the summary has more than one paragraph",
            "write it as one paragraph",
        ));
    }
    if date_of(&fm.updated).is_none() {
        problems.push(p.problem(
            "updated",
            "the updated date is not a plain date",
            "write it as YYYY-MM-DD, such as 2026-11-28",
        ));
    }
    if p.lang == Lang::En && fm.identify.is_some() {
        problems.push(p.problem(
            "[identify",
            "recognition rules are in the English file",
            format!("move the [identify] table to content/pl/{}.md: the rules are kept once, in the Polish file", p.slug),
        ));
    }

    let ids: HashSet<&str> = p.rendered.headings.iter().map(|h| h.id.as_str()).collect();
    for id in required_sections(fm.group) {
        if !ids.contains(id) {
            problems.push(Problem::in_file(
                &p.file,
                format!("the section with id \"{id}\" is missing"),
                format!(
                    "add a heading ending in {{#{id}}}; every {} article has the sections {}",
                    group_name(fm.group),
                    required_sections(fm.group).join(", ")
                ),
            ));
        }
    }
    let words = count_words(&p.rendered.text);
    if words < MIN_WORDS {
        problems.push(Problem::in_file(
            &p.file,
            format!("the article has {words} words, fewer than {MIN_WORDS}"),
            "write more: causes, what the reader can do, what an administrator can do, when to contact support",
        ));
    }

    let mut seen = HashSet::new();
    for r in &fm.related {
        let problem = if r == &p.slug {
            Some((
                "an article cannot be related to itself".to_string(),
                "remove it from related".to_string(),
            ))
        } else if !slugs.contains(r.as_str()) {
            Some((
                format!("unknown related article \"{r}\""),
                format!(
                    "use the slug of an existing article (a file name in content/{} without .md)",
                    p.lang
                ),
            ))
        } else if !seen.insert(r) {
            Some((
                format!("\"{r}\" is listed twice in related"),
                "list each related article once".to_string(),
            ))
        } else {
            None
        };
        if let Some((message, fix)) = problem {
            problems.push(p.problem("related", message, fix));
        }
    }
    if fm.related.is_empty() || fm.related.len() > 6 {
        problems.push(p.problem(
            "related",
            format!("related lists {} articles", fm.related.len()),
            "list 1 to 6 related articles, the ones a reader of this one needs next",
        ));
    }

    for link in &p.rendered.links {
        let line = p.body_line + link.line - 1;
        let target = link.slug.as_deref().unwrap_or(&p.slug);
        if link.slug.is_some() && !slugs.contains(target) && target != "contact" {
            problems.push(Problem::at(
                &p.file,
                line,
                format!("link to an unknown article \"{target}\""),
                "link articles by their slug, like [HTTP 403](http-403), or the contact page as (contact)",
            ));
            continue;
        }
        if let Some(anchor) = &link.anchor {
            let known = headings
                .get(&(target, p.lang))
                .is_some_and(|ids| ids.contains(anchor.as_str()));
            if !known && target != "contact" {
                problems.push(Problem::at(
                    &p.file,
                    line,
                    format!("link to a missing section \"{target}#{anchor}\""),
                    "use the id of a heading in that article (such as causes, admin or support)",
                ));
            }
        }
    }
}

fn check_pair(pl: &Parsed, en: &Parsed, problems: &mut Vec<Problem>) {
    let (a, b) = (&pl.front, &en.front);
    let mut differs = |key: &str, same: bool| {
        if !same {
            problems.push(en.problem(
                key,
                format!("{key} differs from the Polish file"),
                format!(
                    "{key} is the same in both languages; copy it from content/pl/{}.md",
                    pl.slug
                ),
            ));
        }
    };
    differs("code", a.code == b.code);
    differs("group", a.group == b.group);
    differs("order", a.order == b.order);
    differs("related", a.related == b.related);
}

fn check_identify(
    pl: &Parsed,
    rules: &front_matter::IdentifyRules,
    headings: &HashMap<(&str, Lang), HashSet<&str>>,
    phrase_owner: &mut HashMap<String, String>,
    problems: &mut Vec<Problem>,
) {
    check_phrases(
        pl,
        &rules.phrases,
        pl.key_line("phrases"),
        phrase_owner,
        problems,
    );
    for (n, case) in rules.case.iter().enumerate() {
        let line = pl.case_line(n);
        if case.phrases.is_empty() {
            problems.push(pl.problem_on(
                line,
                "a case without phrases",
                "give the case the phrases that name its situation, or remove it",
            ));
        }
        check_phrases(pl, &case.phrases, line, phrase_owner, problems);
        check_reasons(pl, &case.reasons, line, problems);
        if let Some(section) = &case.section {
            check_section(pl, section, line, headings, problems);
        }
        if let Some(s) = &case.summary
            && (s.pl.trim().is_empty() || s.en.trim().is_empty())
        {
            problems.push(pl.problem_on(
                line,
                "a case's summary is empty in one language",
                "write the sentence in both pl and en, or leave the summary out",
            ));
        }
    }
    for status in &rules.statuses {
        if !identify::is_enhanced_status(status) {
            problems.push(pl.problem(
                "statuses",
                format!("\"{status}\" is not an enhanced status code"),
                "write it as class.subject.detail, such as 5.7.1",
            ));
        }
    }
    let case_codes = rules.case.iter().flat_map(|c| &c.http);
    for code in rules.http.iter().chain(case_codes) {
        if !(100..=599).contains(code) {
            problems.push(pl.problem(
                "http",
                format!("{code} is not an HTTP status"),
                "use a number from 100 to 599",
            ));
        }
    }
    check_reasons(pl, &rules.reasons, pl.key_line("reasons"), problems);
    if let Some(section) = &rules.section {
        check_section(pl, section, pl.key_line("section"), headings, problems);
    }
}

fn check_reasons(
    pl: &Parsed,
    reasons: &[String],
    line: Option<usize>,
    problems: &mut Vec<Problem>,
) {
    for reason in reasons {
        if !identify::REASONS.contains(&reason.as_str()) {
            problems.push(pl.problem_on(
                line,
                format!("unknown bounce reason \"{reason}\""),
                format!("use one of: {}", identify::REASONS.join(", ")),
            ));
        }
    }
}

fn check_phrases(
    pl: &Parsed,
    phrases: &[String],
    line: Option<usize>,
    phrase_owner: &mut HashMap<String, String>,
    problems: &mut Vec<Problem>,
) {
    for phrase in phrases {
        // Written in lower case with single spaces; matched with Polish
        // letters folded too, so "błąd" and "blad" are one phrase.
        let written = phrase
            .split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" ");
        let folded = identify::fold_phrase(phrase);
        if folded.is_empty() {
            problems.push(pl.problem_on(line, "an empty phrase", "remove it"));
        } else if written != *phrase {
            problems.push(pl.problem_on(
                line,
                format!("the phrase \"{phrase}\" is not in its matching form"),
                format!("write it as \"{written}\": lower case, single spaces"),
            ));
        } else if let Some(owner) = phrase_owner.insert(folded, pl.slug.clone()) {
            problems.push(pl.problem_on(
                line,
                format!("the phrase \"{phrase}\" is also claimed by {owner}"),
                "a phrase leads to one article; keep it in the one it fits best",
            ));
        }
    }
}

fn check_section(
    pl: &Parsed,
    section: &str,
    line: Option<usize>,
    headings: &HashMap<(&str, Lang), HashSet<&str>>,
    problems: &mut Vec<Problem>,
) {
    for lang in Lang::ALL {
        if !headings
            .get(&(pl.slug.as_str(), lang))
            .is_some_and(|ids| ids.contains(section))
        {
            problems.push(pl.problem_on(
                line,
                format!(
                    "the section \"{section}\" does not exist in the {} file",
                    lang.ui().language_name
                ),
                "name the id of a heading present in both languages, such as causes or sender",
            ));
        }
    }
}

fn into_article(pl: Parsed, en: Parsed) -> Article {
    let identify = pl.front.identify.clone().unwrap_or_default();
    let translation = |p: Parsed| Translation {
        lang: p.lang,
        file: p.file,
        title: p.front.title.trim().to_string(),
        summary: p.front.summary.trim().to_string(),
        updated: date_of(&p.front.updated).unwrap_or((1970, 1, 1)),
        words: count_words(&p.rendered.text),
        html: p.rendered.html,
        headings: p.rendered.headings,
        text: p.rendered.text,
    };
    Article {
        slug: pl.slug.clone(),
        code: pl.front.code.clone(),
        group: pl.front.group,
        order: pl.front.order,
        related: pl.front.related.clone(),
        identify,
        translations: [translation(pl), translation(en)],
    }
}

fn date_of(d: &toml::value::Datetime) -> Option<(u16, u8, u8)> {
    match (d.date, d.time, d.offset) {
        (Some(date), None, None) => Some((date.year, date.month, date.day)),
        _ => None,
    }
}

fn group_name(group: Group) -> &'static str {
    match group {
        Group::Mail => "mail",
        Group::Web => "web",
    }
}

/// Counts words: runs of characters holding at least one letter or digit.
pub fn count_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(section_ids: &[&str], words: usize) -> String {
        let mut s = String::new();
        for id in section_ids {
            s.push_str(&format!("## Section {id} {{#{id}}}\n\n"));
        }
        s.push_str(&"słowo ".repeat(words));
        s.push('\n');
        s
    }

    fn file(lang: &str, slug: &str, extra: &str, related: &str, body: &str) -> SourceFile {
        SourceFile {
            path: format!("{lang}/{slug}.md"),
            text: format!(
                "+++\ntitle = \"HTTP 403 {slug}\"\nsummary = \"Short.\"\ncode = \"HTTP 403\"\ngroup = \"web\"\norder = 1\nupdated = 2026-11-28\nrelated = [{related}]\n{extra}+++\n{body}"
            ),
        }
    }

    fn pair(slug: &str, related: &str) -> Vec<SourceFile> {
        let b = body(&["example", "causes", "visitor", "admin", "support"], 310);
        vec![
            file("pl", slug, "", related, &b),
            file("en", slug, "", related, &b),
        ]
    }

    fn problems(files: &[SourceFile]) -> Vec<String> {
        match articles(files, Depth::Full) {
            Ok(_) => vec![],
            Err(p) => p.0.iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn a_good_pair_passes() {
        let mut files = pair("http-403", "\"http-404\"");
        files.extend(pair("http-404", "\"http-403\""));
        let articles = articles(&files, Depth::Full).unwrap();
        assert_eq!(articles.len(), 2);
        assert_eq!(articles[0].translations[1].lang, Lang::En);
    }

    #[test]
    fn unknown_related_slug_is_named_with_its_line() {
        let files = pair("http-403", "\"http-999\"");
        let p = problems(&files);
        assert!(
            p.iter()
                .any(|p| p
                    .starts_with("content/pl/http-403.md:8: unknown related article \"http-999\"")),
            "{p:#?}"
        );
    }

    #[test]
    fn missing_language_is_reported() {
        let mut files = pair("http-403", "\"http-404\"");
        files.extend(pair("http-404", "\"http-403\""));
        files.retain(|f| f.path != "en/http-404.md");
        let p = problems(&files);
        assert!(
            p.iter().any(|p| p.contains(
                "content/pl/http-404.md: the article \"http-404\" has no English version"
            )),
            "{p:#?}"
        );
        assert!(
            p.iter()
                .any(|p| p.contains("fix: write content/en/http-404.md")),
            "{p:#?}"
        );
    }

    #[test]
    fn missing_front_matter_is_reported_and_checking_goes_on() {
        let mut files = pair("http-403", "\"http-404\"");
        files.extend(pair("http-404", "\"http-403\""));
        files[0].text = "# no front matter\n".into();
        files[3].text = files[3]
            .text
            .replace("related = [\"http-403\"]", "related = [\"nope\"]");
        let p = problems(&files);
        assert!(
            p.iter()
                .any(|p| p.starts_with("content/pl/http-403.md:1: the file has no front matter")),
            "{p:#?}"
        );
        assert!(
            p.iter()
                .any(|p| p.contains("unknown related article \"nope\"")),
            "{p:#?}"
        );
        assert!(
            !p.iter().any(|p| p.contains("has no Polish version")),
            "{p:#?}"
        );
    }

    #[test]
    fn short_articles_and_missing_sections_are_reported() {
        let b = body(&["example", "causes"], 20);
        let files = vec![file("pl", "http-403", "", "\"http-404\"", &b)];
        let p = problems(&files).join("\n");
        assert!(
            p.contains("the section with id \"visitor\" is missing"),
            "{p}"
        );
        assert!(p.contains("fewer than 300"), "{p}");
    }

    #[test]
    fn broken_internal_links_are_reported() {
        let mut files = pair("http-403", "\"http-404\"");
        files.extend(pair("http-404", "\"http-403\""));
        files[0]
            .text
            .push_str("\nSee [x](http-404#nowhere) and [y](http-410).\n");
        let p = problems(&files).join("\n");
        assert!(
            p.contains("link to a missing section \"http-404#nowhere\""),
            "{p}"
        );
        assert!(p.contains("link to an unknown article \"http-410\""), "{p}");
    }

    #[test]
    fn identify_rules_belong_in_the_polish_file() {
        let mut files = pair("http-403", "\"http-404\"");
        files.extend(pair("http-404", "\"http-403\""));
        files[1] = file(
            "en",
            "http-403",
            "[identify]\nhttp = [403]\n",
            "\"http-404\"",
            &body(&["example", "causes", "visitor", "admin", "support"], 310),
        );
        let p = problems(&files).join("\n");
        assert!(
            p.contains("recognition rules are in the English file"),
            "{p}"
        );
    }

    #[test]
    fn identify_rules_are_checked() {
        let mut files = pair("http-403", "\"http-404\"");
        files.extend(pair("http-404", "\"http-403\""));
        files[0] = file(
            "pl",
            "http-403",
            "[identify]\nphrases = [\"Forbidden  Page\", \"Błąd  Dostępu\", \"dostęp zabroniony\", \"dostep zabroniony\"]\nstatuses = [\"5.7\"]\nhttp = [999]\nreasons = [\"nosuchreason\"]\nsection = \"nowhere\"\n",
            "\"http-404\"",
            &body(&["example", "causes", "visitor", "admin", "support"], 310),
        );
        let p = problems(&files).join("\n");
        assert!(p.contains("write it as \"forbidden page\""), "{p}");
        // Polish letters stay as written; a phrase that differs from
        // another only by them is the same phrase.
        assert!(p.contains("write it as \"błąd dostępu\""), "{p}");
        assert!(
            p.contains("the phrase \"dostep zabroniony\" is also claimed by http-403"),
            "{p}"
        );
        assert!(p.contains("\"5.7\" is not an enhanced status code"), "{p}");
        assert!(p.contains("999 is not an HTTP status"), "{p}");
        assert!(p.contains("unknown bounce reason \"nosuchreason\""), "{p}");
        assert!(p.contains("the section \"nowhere\" does not exist"), "{p}");
    }

    #[test]
    fn identify_cases_are_checked() {
        let mut files = pair("http-403", "\"http-404\"");
        files.extend(pair("http-404", "\"http-403\""));
        files[0] = file(
            "pl",
            "http-403",
            "[identify]\nphrases = [\"forbidden\"]\n[[identify.case]]\nphrases = []\n[[identify.case]]\nphrases = [\"Forbidden\", \"zablokowane\"]\nreasons = [\"nosuchcase\"]\nhttp = [999]\nsection = \"nowhere\"\nsummary = { pl = \"Zablokowane.\", en = \" \" }\n",
            "\"http-404\"",
            &body(&["example", "causes", "visitor", "admin", "support"], 310),
        );
        let p = problems(&files).join("\n");
        assert!(p.contains("a case without phrases"), "{p}");
        // A case's phrases are checked with the article's own.
        assert!(p.contains("write it as \"forbidden\""), "{p}");
        assert!(p.contains("the section \"nowhere\" does not exist"), "{p}");
        assert!(p.contains("summary is empty in one language"), "{p}");
        assert!(p.contains("999 is not an HTTP status"), "{p}");
        assert!(
            p.contains("content/pl/http-403.md:13: unknown bounce reason \"nosuchcase\""),
            "{p}"
        );
        // The problem points at the case's line.
        assert!(
            p.contains("content/pl/http-403.md:11: a case without phrases"),
            "{p}"
        );
        assert!(
            p.contains("content/pl/http-403.md:13: the phrase \"Forbidden\""),
            "{p}"
        );
    }

    #[test]
    fn shared_fields_must_agree() {
        let mut files = pair("http-403", "\"http-404\"");
        files.extend(pair("http-404", "\"http-403\""));
        files[1].text = files[1].text.replace("order = 1", "order = 2");
        let p = problems(&files).join("\n");
        assert!(
            p.contains("content/en/http-403.md:6: order differs from the Polish file"),
            "{p}"
        );
    }

    #[test]
    fn bad_file_names_are_reported() {
        let mut files = pair("http-403", "\"http-404\"");
        files.push(SourceFile {
            path: "pl/HTTP 403.md".into(),
            text: String::new(),
        });
        files.push(SourceFile {
            path: "pl/search.md".into(),
            text: String::new(),
        });
        let p = problems(&files).join("\n");
        assert!(p.contains("is not a valid slug"), "{p}");
        assert!(p.contains("taken by a page of the site"), "{p}");
    }
}
