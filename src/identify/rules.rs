//! The articles' recognition rules, compiled: which article a finding leads to.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::{ArticleMatch, ArticleRule, Kind};

/// The articles' phrases in one automaton, plus the code and reason maps.
pub struct Rules {
    rules: Vec<ArticleRule>,
    phrases: Option<AhoCorasick>,
    /// For each phrase, the index of its rule.
    owner: Vec<usize>,
}

/// An article chosen for a finding, and how.
pub struct Choice<'a> {
    pub rule: &'a ArticleRule,
    /// A phrase named it (rather than a code or a reason).
    pub by_phrase: bool,
}

impl Choice<'_> {
    pub fn to_match(&self) -> ArticleMatch {
        ArticleMatch {
            slug: self.rule.slug.clone(),
            section: self.rule.section.clone(),
            summary: self.rule.summary.clone(),
        }
    }
}

impl Rules {
    pub fn new(rules: &[ArticleRule]) -> Rules {
        let mut patterns = Vec::new();
        let mut owner = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            for phrase in &rule.phrases {
                let folded = super::fold_phrase(phrase);
                if !folded.is_empty() {
                    patterns.push(folded);
                    owner.push(i);
                }
            }
        }
        let phrases = (!patterns.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .expect("phrases compile")
        });
        Rules {
            rules: rules.to_vec(),
            phrases,
            owner,
        }
    }

    /// Finds the rule whose phrase appears in a folded text: the longest.
    pub fn by_phrase(&self, kind: Kind, folded: &str) -> Option<Choice<'_>> {
        let ac = self.phrases.as_ref()?;
        ac.find_iter(folded)
            .map(|m| (m.len(), self.owner[m.pattern().as_usize()], m.range()))
            .filter(|(_, i, _)| self.rules[*i].kind == kind)
            .max_by_key(|(len, _, range)| (*len, std::cmp::Reverse(range.start)))
            .map(|(_, i, _)| Choice {
                rule: &self.rules[i],
                by_phrase: true,
            })
    }

    /// Finds the rule for an enhanced status code.
    pub fn by_status(&self, status: &str) -> Option<Choice<'_>> {
        self.find(|r| r.statuses.iter().any(|s| s == status))
    }

    /// Finds the rule for a bounce reason.
    pub fn by_reason(&self, reason: &str) -> Option<Choice<'_>> {
        self.find(|r| r.reasons.iter().any(|s| s == reason))
    }

    /// Finds the rule for an HTTP status.
    pub fn by_http(&self, code: u16) -> Option<Choice<'_>> {
        self.find(|r| r.http.contains(&code))
    }

    fn find(&self, pred: impl Fn(&ArticleRule) -> bool) -> Option<Choice<'_>> {
        self.rules.iter().find(|r| pred(r)).map(|rule| Choice {
            rule,
            by_phrase: false,
        })
    }
}
