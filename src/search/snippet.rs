//! Snippets: the stretch of an article that best shows why it was found,
//! as plain text and as HTML with the matched words marked.
//!
//! tantivy's `SnippetGenerator` only highlights the exact terms of a query,
//! so a typo'd search would show no marks; here every word the query's
//! automata accepted is marked, at its place in the original text.

use std::collections::HashMap;

use tantivy::tokenizer::TextAnalyzer;

use super::analyze;
use crate::content::markdown::escape;

/// The length of a snippet, in bytes of text (about as many characters:
/// most Polish letters are ASCII), before the ellipses.
const SNIPPET_LEN: usize = 160;

/// For each numbered folded word of the texts, the bit mask of the query
/// words that matched it (zero for none).
pub(super) struct Matches(Vec<u32>);

impl Matches {
    /// Returns an empty set for a vocabulary of `words` words.
    pub(super) fn new(words: usize) -> Matches {
        Matches(vec![0; words])
    }

    /// Notes that query word `bit` matched word `word`.
    pub(super) fn add(&mut self, word: u32, bit: u32) {
        if let Some(mask) = self.0.get_mut(word as usize) {
            *mask |= bit;
        }
    }

    fn get(&self, word: u32) -> u32 {
        self.0.get(word as usize).copied().unwrap_or(0)
    }
}

/// A text with whitespace folded, and its tokens.
pub(super) struct Text {
    text: String,
    tokens: Vec<Tok>,
}

/// A token of a text: where it is, and which folded word it is.
#[derive(Clone, Copy)]
struct Tok {
    start: u32,
    end: u32,
    word: u32,
}

impl Text {
    /// Folds the whitespace of a text and splits it into tokens, numbering
    /// their folded words in `vocabulary`.
    pub(super) fn new(
        text: &str,
        analyzer: &mut TextAnalyzer,
        vocabulary: &mut HashMap<Box<str>, u32>,
    ) -> Text {
        // One line, so a snippet never carries the line breaks of a code block.
        let text = crate::identify::squeeze(text);
        let tokens = analyze::tokens(analyzer, &text)
            .into_iter()
            .map(|(start, end, folded)| {
                let next = u32::try_from(vocabulary.len()).unwrap_or(u32::MAX);
                Tok {
                    // Article texts are far below 4 GiB.
                    start: start as u32,
                    end: end as u32,
                    word: *vocabulary.entry(folded.into()).or_insert(next),
                }
            })
            .collect();
        Text { text, tokens }
    }

    /// Returns the folded text, as indexed.
    pub(super) fn as_str(&self) -> &str {
        &self.text
    }
}

/// Cuts the snippet of a hit from its summary or body: the stretch with the
/// most distinct query words, or the start of the summary when neither
/// holds any (the match was in the title or the code).
pub(super) fn cut(summary: &Text, body: &Text, matches: &Matches) -> (String, String) {
    let mut best: Option<(&Text, Window)> = None;
    // The summary goes first and keeps a tie: it is written to be read alone.
    for text in [summary, body] {
        if let Some(w) = best_window(text, matches)
            && best.is_none_or(|(_, b)| w.rank() > b.rank())
        {
            best = Some((text, w));
        }
    }
    match best {
        Some((text, w)) => render(text, w.first, w.last, matches),
        None => render(summary, 0, 0, matches),
    }
}

#[derive(Clone, Copy)]
struct Window {
    /// How many different query words it holds, and how many matches in all.
    distinct: u32,
    count: usize,
    /// Its first and last matched tokens.
    first: usize,
    last: usize,
}

impl Window {
    fn rank(self) -> (u32, usize) {
        (self.distinct, self.count)
    }
}

/// Finds the run of matched tokens that fits in a snippet and holds the most
/// different query words, then the most matches.
fn best_window(text: &Text, matches: &Matches) -> Option<Window> {
    let hits: Vec<(usize, u32)> = text
        .tokens
        .iter()
        .enumerate()
        .map(|(i, t)| (i, matches.get(t.word)))
        .filter(|&(_, mask)| mask != 0)
        .collect();
    let mut best: Option<Window> = None;
    let mut right = 0;
    for left in 0..hits.len() {
        let start = text.tokens[hits[left].0].start;
        right = right.max(left);
        while right + 1 < hits.len()
            && (text.tokens[hits[right + 1].0].end - start) as usize <= SNIPPET_LEN
        {
            right += 1;
        }
        let mask = hits[left..=right].iter().fold(0, |m, &(_, bits)| m | bits);
        let w = Window {
            distinct: mask.count_ones(),
            count: right - left + 1,
            first: hits[left].0,
            last: hits[right].0,
        };
        if best.is_none_or(|b| w.rank() > b.rank()) {
            best = Some(w);
        }
    }
    best
}

/// Renders the stretch of a text around its tokens `first..=last`, widened to
/// about [`SNIPPET_LEN`] at word boundaries, as plain text and as HTML.
fn render(text: &Text, first: usize, last: usize, matches: &Matches) -> (String, String) {
    let (s, tokens) = (text.text.as_str(), text.tokens.as_slice());
    if tokens.is_empty() {
        let plain = analyze::clip(s, SNIPPET_LEN);
        let more = if plain.len() < s.len() { "…" } else { "" };
        return (format!("{plain}{more}"), format!("{}{more}", escape(plain)));
    }
    let width = |from: usize, to: usize| (tokens[to].end - tokens[from].start) as usize;
    // A little context before the first match, the rest after the last one.
    let lead = SNIPPET_LEN.saturating_sub(width(first, last)) / 4;
    let mut from = first;
    while from > 0 && width(from - 1, last) <= width(first, last) + lead {
        from -= 1;
    }
    let mut to = last;
    while to + 1 < tokens.len() && width(from, to + 1) <= SNIPPET_LEN {
        to += 1;
    }
    let start = if from == 0 {
        0
    } else {
        tokens[from].start as usize
    };
    let end = if to + 1 == tokens.len() {
        s.len()
    } else {
        // Keep what closes the last word: "denied.", "(DNSBL)".
        let end = tokens[to].end as usize;
        end + s[end..].find(' ').unwrap_or(s.len() - end)
    };
    let before = if start > 0 { "…" } else { "" };
    let after = if end < s.len() { "…" } else { "" };

    let plain = format!("{before}{}{after}", &s[start..end]);
    let mut html = String::with_capacity(plain.len() + 64);
    html.push_str(before);
    let mut at = start;
    let mut open = false;
    for t in tokens[from..=to]
        .iter()
        .filter(|t| matches.get(t.word) != 0)
    {
        let (t_start, t_end) = (t.start as usize, t.end as usize);
        let gap = &s[at..t_start];
        // Neighbouring matches share one mark: "<mark>relay access denied</mark>".
        if open && !gap.trim().is_empty() {
            html.push_str("</mark>");
            open = false;
        }
        html.push_str(&escape(gap));
        if !open {
            html.push_str("<mark>");
            open = true;
        }
        html.push_str(&escape(&s[t_start..t_end]));
        at = t_end;
    }
    if open {
        html.push_str("</mark>");
    }
    html.push_str(&escape(&s[at..end]));
    html.push_str(after);
    (plain, html)
}
