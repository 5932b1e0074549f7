//! The analyzer shared by the index and the queries, and the rules for how
//! far a query word may stray.

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// Tokens this long or longer (in bytes) are dropped: no real word is, and
/// tantivy limits the length of a term.
const MAX_TOKEN_BYTES: usize = 64;

/// Returns the analyzer used for the index and for queries: words and codes
/// as tokens, lower-cased, with diacritics folded (`ł` included).
pub(super) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(CodeTokenizer)
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Returns the folded tokens of a text with their byte ranges in it.
pub(super) fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push((token.offset_from, token.offset_to, token.text.clone()));
    }
    out
}

/// Returns how many edits a query word may be off by: none for short words
/// and codes (a typo there makes another word or another code), one for
/// words of four to six letters, two for longer ones.
pub(super) fn fuzzy_distance(word: &str) -> u8 {
    if is_code(word) {
        return 0;
    }
    match word.chars().count() {
        0..=3 => 0,
        4..=6 => 1,
        _ => 2,
    }
}

/// Returns the prefix that stands for a long word's stem, so that its other
/// endings match too: Polish inflects (`czarna`, `czarnej`, `czarnych`) and
/// English derives (`rejected`, `rejection`) mostly at the end, and the
/// fuzzy match alone stops at two edits.
pub(super) fn stem_prefix(word: &str) -> Option<&str> {
    let chars = word.chars().count();
    if chars < 6 || is_code(word) {
        return None;
    }
    let keep = (chars - 2).max(5);
    word.char_indices().nth(keep).map(|(i, _)| &word[..i])
}

/// Tells whether a token is a code or holds digits (`403`, `5.7.1`, `mx1`),
/// where one character off means something else.
fn is_code(word: &str) -> bool {
    word.bytes().any(|b| b.is_ascii_digit())
}

/// Returns the beginning of a text, at most `max` characters long.
pub(super) fn clip(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// Splits text into runs of letters and digits, keeping a dotted run of
/// digits (`5.7.1`, `192.0.2.1`) as one token so that codes are searchable
/// whole; any other character, a dot after a word included, separates.
#[derive(Clone, Copy, Default)]
pub(super) struct CodeTokenizer;

pub(super) struct CodeTokenStream<'a> {
    text: &'a str,
    at: usize,
    token: Token,
}

impl Tokenizer for CodeTokenizer {
    type TokenStream<'a> = CodeTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CodeTokenStream<'a> {
        CodeTokenStream {
            text,
            at: 0,
            token: Token::default(),
        }
    }
}

impl TokenStream for CodeTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(skip) = self.text[self.at..].find(char::is_alphanumeric) else {
            self.at = self.text.len();
            return false;
        };
        let start = self.at + skip;
        let mut end = start;
        let mut digits_only = true;
        let mut chars = self.text[start..].char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c.is_alphanumeric() {
                digits_only &= c.is_ascii_digit();
                end = start + i + c.len_utf8();
            } else if c == '.'
                && digits_only
                && chars.peek().is_some_and(|&(_, next)| next.is_ascii_digit())
            {
                // A dot between digits belongs to the code.
            } else {
                break;
            }
        }
        self.at = end;
        self.token.text.clear();
        self.token.text.push_str(&self.text[start..end]);
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.position = self.token.position.wrapping_add(1);
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}
