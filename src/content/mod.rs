//! Articles: reading `content/`, checking them, and rendering them to HTML.
//!
//! All of it happens at start-up (or when `--content DIR` changes). The
//! result, a [`Library`], is immutable; pages, search and the classifier are
//! built from it.
//!
//! Layout: `content/pl/<slug>.md` and `content/en/<slug>.md`, TOML front
//! matter between `+++` lines, then Markdown (see `content/FORMAT.md`).

pub mod front_matter;
pub mod markdown;
mod validate;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use include_dir::{Dir, include_dir};

pub use front_matter::{Group, IdentifyRules};
pub use markdown::Heading;

use crate::identify::{Actor, ArticleRule, Kind, Summary};
use crate::lang::Lang;

static EMBEDDED: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/content");

/// One file of content: its path relative to the content folder, and its text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// Returns the content embedded in the binary at build time.
pub fn embedded_files() -> Vec<SourceFile> {
    let mut files = Vec::new();
    for lang in Lang::ALL {
        let Some(dir) = EMBEDDED.get_dir(lang.code()) else {
            continue;
        };
        for file in dir.files() {
            files.push(SourceFile {
                path: file.path().to_string_lossy().replace('\\', "/"),
                text: match std::str::from_utf8(file.contents()) {
                    Ok(text) => text.to_string(),
                    Err(_) => String::from_utf8_lossy(file.contents()).into_owned(),
                },
            });
        }
    }
    files
}

/// Reads the article files of a content folder (`DIR/pl/*.md`, `DIR/en/*.md`).
pub fn read_dir(dir: &Path) -> Result<Vec<SourceFile>, Problems> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut found_any = false;
    for lang in Lang::ALL {
        let sub = dir.join(lang.code());
        let entries = match std::fs::read_dir(&sub) {
            Ok(entries) => entries,
            Err(e) => {
                problems.push(Problem::general(format!(
                    "cannot read {}: {e}; a content folder holds the folders pl/ and en/",
                    sub.display()
                )));
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("md") {
                continue;
            }
            found_any = true;
            let name = format!(
                "{}/{}",
                lang.code(),
                path.file_name().unwrap_or_default().to_string_lossy()
            );
            match std::fs::read(&path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => files.push(SourceFile { path: name, text }),
                    Err(_) => problems.push(Problem {
                        file: name,
                        line: None,
                        message: "the file is not valid UTF-8".into(),
                        fix: "save the file as UTF-8".into(),
                    }),
                },
                Err(e) => problems.push(Problem::general(format!(
                    "cannot read {}: {e}",
                    path.display()
                ))),
            }
        }
    }
    if !found_any && problems.is_empty() {
        problems.push(Problem::general(format!(
            "{} holds no articles; put them in pl/<slug>.md and en/<slug>.md",
            dir.display()
        )));
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(Problems(problems))
    }
}

/// One problem with the content, with where it is and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
    pub fix: String,
}

impl Problem {
    /// A problem at a line of a file.
    pub fn at(file: &str, line: usize, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Problem {
            file: file.to_string(),
            line: Some(line),
            message: message.into(),
            fix: fix.into(),
        }
    }

    /// A problem with a whole file.
    pub fn in_file(file: &str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Problem {
            file: file.to_string(),
            line: None,
            message: message.into(),
            fix: fix.into(),
        }
    }

    /// A problem not tied to one file.
    pub fn general(message: impl Into<String>) -> Self {
        Problem {
            file: String::new(),
            line: None,
            message: message.into(),
            fix: String::new(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.file.is_empty(), self.line) {
            (true, _) => {}
            (false, Some(line)) => write!(f, "{}:{line}: ", self.file)?,
            (false, None) => write!(f, "{}: ", self.file)?,
        }
        f.write_str(&self.message)?;
        if !self.fix.is_empty() {
            write!(f, "\n    fix: {}", self.fix)?;
        }
        Ok(())
    }
}

/// Every problem found in a set of content files.
#[derive(Clone, Debug)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn one(problem: Problem) -> Self {
        Problems(vec![problem])
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// One error explained in both languages.
#[derive(Clone, Debug)]
pub struct Article {
    pub slug: String,
    pub code: String,
    pub group: Group,
    pub order: i64,
    pub related: Vec<String>,
    pub identify: IdentifyRules,
    /// The text in each language, indexed by [`Lang::index`].
    pub translations: [Translation; 2],
}

impl Article {
    /// Returns the article's text in one language.
    pub fn in_lang(&self, lang: Lang) -> &Translation {
        &self.translations[lang.index()]
    }

    /// Returns the article's URL path in one language.
    pub fn url(&self, lang: Lang) -> String {
        format!("/{lang}/{}", self.slug)
    }
}

/// An article in one language.
#[derive(Clone, Debug)]
pub struct Translation {
    pub lang: Lang,
    /// The file it came from, relative to the content folder.
    pub file: String,
    pub title: String,
    pub summary: String,
    /// The last-updated date: year, month, day.
    pub updated: (u16, u8, u8),
    pub html: String,
    pub headings: Vec<Heading>,
    /// The body as plain text, for search.
    pub text: String,
    pub words: usize,
}

impl Translation {
    /// Returns the date of the last update as `YYYY-MM-DD`.
    pub fn updated_iso(&self) -> String {
        let (y, m, d) = self.updated;
        format!("{y:04}-{m:02}-{d:02}")
    }
}

/// Every article, validated and rendered.
#[derive(Clone, Debug)]
pub struct Library {
    articles: Vec<Article>,
    by_slug: HashMap<String, usize>,
}

impl Library {
    /// Parses, renders and validates a set of content files.
    ///
    /// Returns every problem at once, so `diagnoza check` can list them all.
    pub fn from_files(files: &[SourceFile]) -> Result<Library, Problems> {
        Self::build(validate::articles(files, validate::Depth::Full)?)
    }

    /// Reads only the articles' front matter: titles, codes and recognition
    /// rules, without rendering or checking the Markdown. For `diagnoza
    /// identify`, which starts once per command; `diagnoza check` and the
    /// server read everything.
    pub fn front_matter_only(files: &[SourceFile]) -> Result<Library, Problems> {
        Self::build(validate::articles(files, validate::Depth::FrontMatter)?)
    }

    fn build(articles: Vec<Article>) -> Result<Library, Problems> {
        let by_slug = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.slug.clone(), i))
            .collect();
        Ok(Library { articles, by_slug })
    }

    /// Returns every article, mail first, each group in its order.
    pub fn articles(&self) -> &[Article] {
        &self.articles
    }

    /// Returns the articles of one group, in order.
    pub fn group(&self, group: Group) -> impl Iterator<Item = &Article> {
        self.articles.iter().filter(move |a| a.group == group)
    }

    /// Finds an article by slug.
    pub fn get(&self, slug: &str) -> Option<&Article> {
        self.by_slug.get(slug).map(|&i| &self.articles[i])
    }

    /// Returns the recognition rules of every article, for the classifier:
    /// one for its `[identify]` table and one for each of its cases.
    pub fn rules(&self) -> Vec<ArticleRule> {
        let mut rules = Vec::new();
        for a in &self.articles {
            let id = &a.identify;
            let article = ArticleRule {
                slug: a.slug.clone(),
                kind: match a.group {
                    Group::Mail => Kind::Smtp,
                    Group::Web => Kind::Http,
                },
                phrases: id.phrases.clone(),
                statuses: id.statuses.clone(),
                http: id.http.clone(),
                reasons: id.reasons.clone(),
                section: id.section.clone(),
                actor: id.actor.unwrap_or(match a.group {
                    Group::Mail => Actor::Sender,
                    Group::Web => Actor::SiteOwner,
                }),
                summary: None,
            };
            // A case is reached by its phrases, by the reasons it names, or
            // by the HTTP statuses it lists; it has no enhanced statuses.
            let cases: Vec<ArticleRule> = id
                .case
                .iter()
                .map(|c| ArticleRule {
                    slug: article.slug.clone(),
                    kind: article.kind,
                    phrases: c.phrases.clone(),
                    statuses: Vec::new(),
                    http: c.http.clone(),
                    reasons: c.reasons.clone(),
                    section: c.section.clone().or_else(|| article.section.clone()),
                    actor: c.actor.unwrap_or(article.actor),
                    summary: c.summary.as_ref().map(|s| Summary {
                        pl: s.pl.trim().to_string(),
                        en: s.en.trim().to_string(),
                    }),
                })
                .collect();
            rules.push(article);
            rules.extend(cases);
        }
        rules
    }
}
