//! Full-text search over the articles: an in-memory tantivy index, a folding
//! analyzer, fuzzy queries, and snippets that highlight what matched.
//!
//! The index is filled once at start-up from the [`Library`] (one document
//! per article and language) and then only read. What a result shows besides
//! its rank (title, URL, and the texts a snippet is cut from, already split
//! into tokens) is kept beside the index, so a search is one tantivy query
//! plus a little work on the few hits.
//!
//! # Module map
//!
//! | module | what lives there |
//! |---|---|
//! | this one | [`Index`]: the schema, building, query building, [`Hit`]s |
//! | `analyze` | the analyzer (codes kept whole, lower case, diacritics folded) and how far a query word may stray |
//! | `snippet` | cutting and highlighting snippets |
//! | `paste` | [`looks_like_paste`] |
//!
//! # How a query is built
//!
//! Each distinct word of the query (folded by the same analyzer) becomes a
//! disjunction, over the title, code, summary and body with their boosts, of
//! the exact term (boosted), a fuzzy term (one or two edits, by length, a
//! transposition counting as one) and, for long words, a prefix of its stem
//! (for Polish endings). The words' disjunctions are should-clauses, so each
//! matched word adds to the score and one misspelt word still finds its
//! article. The language filters without scoring.
//!
//! # Memory
//!
//! The index lives in a `RamDirectory`, written by one thread with tantivy's
//! smallest budget; the writer is dropped after its one commit, and the
//! reader neither watches for changes nor caches documents. With 19 articles
//! in two languages the index and the texts beside it take about 1 MB.

mod analyze;
mod paste;
mod snippet;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fmt;

use tantivy::collector::TopDocs;
use tantivy::merge_policy::NoMergePolicy;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term};

pub use paste::looks_like_paste;

use crate::content::Library;
use crate::lang::Lang;
use snippet::{Matches, Text};

/// Queries longer than this many characters are cut to their beginning.
pub const MAX_QUERY_CHARS: usize = 200;
/// The most distinct words of a query that take part: a query of 200
/// characters has about 30, and each word walks the term dictionaries with
/// up to ten automata (a pasted line is better served by the paste box).
const MAX_WORDS: usize = 16;
/// The name the analyzer is registered under.
const ANALYZER: &str = "diagnoza";
/// tantivy's smallest writer budget (its `MEMORY_BUDGET_NUM_BYTES_MIN`, not
/// exported). The arena grows page by page as documents come, so this is a
/// ceiling that the few dozen articles never approach.
const WRITER_BUDGET: usize = 15_000_000;

/// How much a match in each field weighs: a match in the title or the code
/// must outrank one in the body.
const TITLE_BOOST: f32 = 3.0;
const CODE_BOOST: f32 = 4.0;
const SUMMARY_BOOST: f32 = 1.5;
const BODY_BOOST: f32 = 1.0;
/// How much more the exact word counts than its BM25 score alone.
const EXACT_BOOST: f32 = 2.0;
/// Fuzzy and prefix matches score a constant per field (tantivy's automaton
/// queries have no BM25); these put it below an exact match of a rare word.
const FUZZY_WEIGHT: f32 = 0.5;
const PREFIX_WEIGHT: f32 = 0.3;
/// A slug typed or pasted from an address finds its article outright.
const SLUG_BOOST: f32 = 20.0;

/// One search result.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Hit {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub code: String,
    /// A plain-text snippet of the article around the matched words.
    pub snippet: String,
    /// The same snippet as HTML: escaped, with matched words in `<mark>`.
    #[serde(skip)]
    pub snippet_html: String,
}

/// Why the index could not be built.
#[derive(Debug)]
pub struct Error(tantivy::TantivyError);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tantivy: {}", self.0)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        Error(e)
    }
}

/// The search index, built in memory at start-up.
pub struct Index {
    searcher: Searcher,
    analyzer: TextAnalyzer,
    fields: Fields,
    /// What each document shows, by the value of its `ord` fast field.
    docs: Vec<Doc>,
    /// Every folded word of the summaries and bodies, numbered, so that the
    /// snippet code compares integers.
    vocabulary: HashMap<Box<str>, u32>,
}

#[derive(Clone, Copy)]
struct Fields {
    slug: Field,
    lang: Field,
    title: Field,
    code: Field,
    summary: Field,
    body: Field,
    ord: Field,
}

/// What a result shows. Kept here rather than in tantivy's document store:
/// snippets are cut by us from these texts and their tokens in any case.
struct Doc {
    hit: Hit,
    summary: Text,
    body: Text,
}

impl Index {
    /// Builds the index from every article in both languages.
    ///
    /// # Errors
    ///
    /// Fails only if tantivy does, which for an index in memory means a bug
    /// or no memory left.
    pub fn new(library: &Library) -> Result<Index, Error> {
        let mut schema = Schema::builder();
        // Frequencies feed BM25; positions would only serve phrase queries,
        // which are not run, so they are not kept.
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let fields = Fields {
            slug: schema.add_text_field("slug", STRING),
            lang: schema.add_text_field("lang", STRING),
            title: schema.add_text_field("title", text.clone()),
            code: schema.add_text_field("code", text.clone()),
            summary: schema.add_text_field("summary", text.clone()),
            body: schema.add_text_field("body", text),
            ord: schema.add_u64_field("ord", NumericOptions::default().set_fast()),
        };
        let index = tantivy::Index::create_in_ram(schema.build());
        index.tokenizers().register(ANALYZER, analyze::analyzer());

        let mut analyzer = analyze::analyzer();
        let mut vocabulary = HashMap::new();
        let mut docs = Vec::new();
        // One thread and the smallest budget: a few dozen documents need no
        // more, and every extra thread or arena page is resident memory.
        let mut writer: IndexWriter = index.writer_with_num_threads(1, WRITER_BUDGET)?;
        writer.set_merge_policy(Box::new(NoMergePolicy));
        for article in library.articles() {
            for lang in Lang::ALL {
                let t = article.in_lang(lang);
                let summary = Text::new(&t.summary, &mut analyzer, &mut vocabulary);
                let body = Text::new(&t.text, &mut analyzer, &mut vocabulary);
                let mut doc = TantivyDocument::default();
                doc.add_text(fields.slug, &article.slug);
                doc.add_text(fields.lang, lang.code());
                doc.add_text(fields.title, &t.title);
                doc.add_text(fields.code, &article.code);
                doc.add_text(fields.summary, summary.as_str());
                doc.add_text(fields.body, body.as_str());
                doc.add_u64(fields.ord, docs.len() as u64);
                writer.add_document(doc)?;
                docs.push(Doc {
                    hit: Hit {
                        slug: article.slug.clone(),
                        url: article.url(lang),
                        title: t.title.clone(),
                        code: article.code.clone(),
                        snippet: String::new(),
                        snippet_html: String::new(),
                    },
                    summary,
                    body,
                });
            }
        }
        writer.commit()?;
        // Its arena and threads are of no more use: the one segment is written.
        drop(writer);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(0)
            .try_into()?;
        // The first automaton of each distance builds tantivy's shared table
        // for it (milliseconds for two edits); pay that now, not on a visit.
        for word in ["warm", "warming"] {
            for query in Matcher::new(word.to_string())
                .fuzzy(fields.body)
                .iter()
                .flatten()
            {
                let _ = query.automaton();
            }
        }
        Ok(Index {
            searcher: reader.searcher(),
            analyzer,
            fields,
            docs,
            vocabulary,
        })
    }

    /// Returns up to `limit` articles in `lang` matching `query`, best first.
    ///
    /// Never fails: an empty query, or one with nothing searchable in it,
    /// finds nothing, and only the first [`MAX_QUERY_CHARS`] characters of a
    /// longer one are used.
    pub fn search(&self, query: &str, lang: Lang, limit: usize) -> Vec<Hit> {
        let query = analyze::clip(query, MAX_QUERY_CHARS);
        let limit = limit.min(self.docs.len());
        let matchers = self.matchers(query);
        if matchers.is_empty() || limit == 0 {
            return Vec::new();
        }
        let top = self.searcher.search(
            &self.query(query, &matchers, lang),
            &TopDocs::with_limit(limit).order_by_score(),
        );
        // Only a bug in the query built above could fail here, not the input;
        // an empty list is an answer the page can live with.
        let Ok(top) = top else {
            return Vec::new();
        };
        let matches = self.matches(&matchers);
        top.into_iter()
            .filter_map(|(_, address)| self.doc(address))
            .map(|doc| {
                let mut hit = doc.hit.clone();
                (hit.snippet, hit.snippet_html) = snippet::cut(&doc.summary, &doc.body, &matches);
                hit
            })
            .collect()
    }

    /// Returns a matcher for each distinct folded word of a query, in order.
    fn matchers(&self, query: &str) -> Vec<Matcher> {
        let mut analyzer = self.analyzer.clone();
        let mut words: Vec<String> = Vec::new();
        for (_, _, word) in analyze::tokens(&mut analyzer, query) {
            if !words.contains(&word) {
                words.push(word);
            }
        }
        words.truncate(MAX_WORDS);
        words.into_iter().map(Matcher::new).collect()
    }

    fn query(&self, query: &str, matchers: &[Matcher], lang: Lang) -> BooleanQuery {
        let f = self.fields;
        let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for m in matchers {
            for (field, boost) in [
                (f.title, TITLE_BOOST),
                (f.code, CODE_BOOST),
                (f.summary, SUMMARY_BOOST),
                (f.body, BODY_BOOST),
            ] {
                let exact = TermQuery::new(
                    Term::from_field_text(field, &m.word),
                    IndexRecordOption::WithFreqs,
                );
                any.push(should(exact, boost * EXACT_BOOST));
                let [fuzzy, stem] = m.fuzzy(field);
                if let Some(fuzzy) = fuzzy {
                    any.push(should(fuzzy, boost * FUZZY_WEIGHT));
                }
                if let Some(stem) = stem {
                    any.push(should(stem, boost * PREFIX_WEIGHT));
                }
            }
        }
        // An article's address, or its slug alone, as support staff paste it.
        let slug = query
            .trim()
            .trim_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default();
        if slug.len() > 3
            && slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            let term = Term::from_field_text(f.slug, slug);
            any.push(should(
                TermQuery::new(term, IndexRecordOption::Basic),
                SLUG_BOOST,
            ));
        }
        let lang = Term::from_field_text(f.lang, lang.code());
        let lang = TermQuery::new(lang, IndexRecordOption::Basic);
        BooleanQuery::new(vec![
            // The language filters only: scoring it could not change the order.
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(lang), 0.0)),
            ),
            (Occur::Must, Box::new(BooleanQuery::new(any))),
        ])
    }

    fn doc(&self, address: DocAddress) -> Option<&Doc> {
        let segment = self.searcher.segment_reader(address.segment_ord);
        let ord = segment
            .fast_fields()
            .u64("ord")
            .ok()?
            .first(address.doc_id)?;
        self.docs.get(usize::try_from(ord).ok()?)
    }

    /// Finds every word of the summaries and bodies that a query word matched
    /// (exactly, within its edits, or by its stem), with the bit mask of the
    /// query words it matched.
    ///
    /// Runs the query's own automata over the term dictionaries, so what is
    /// highlighted is exactly what was found.
    fn matches(&self, matchers: &[Matcher]) -> Matches {
        let mut matches = Matches::new(self.vocabulary.len());
        let mut note = |key: &[u8], bit: u32| {
            let word = std::str::from_utf8(key).ok();
            if let Some(&id) = word.and_then(|w| self.vocabulary.get(w)) {
                matches.add(id, bit);
            }
        };
        for (i, m) in matchers.iter().enumerate() {
            let bit = 1 << i;
            note(m.word.as_bytes(), bit);
            let automata = m.fuzzy(self.fields.body).into_iter().flatten();
            for automaton in automata.filter_map(|q| q.automaton().ok()) {
                for segment in self.searcher.segment_readers() {
                    for field in [self.fields.summary, self.fields.body] {
                        let Ok(index) = segment.inverted_index(field) else {
                            continue;
                        };
                        let Ok(mut terms) = index.terms().search(&automaton).into_stream() else {
                            continue;
                        };
                        while terms.advance() {
                            note(terms.key(), bit);
                        }
                    }
                }
            }
        }
        matches
    }
}

fn should(query: impl Query, boost: f32) -> (Occur, Box<dyn Query>) {
    (
        Occur::Should,
        Box::new(BoostQuery::new(Box::new(query), boost)),
    )
}

/// A folded query word and how far it may stray.
struct Matcher {
    word: String,
    /// Its edit distance, zero for none.
    distance: u8,
    /// The prefix standing for its stem, when it is long enough to have one.
    stem: Option<String>,
}

impl Matcher {
    fn new(word: String) -> Matcher {
        Matcher {
            distance: analyze::fuzzy_distance(&word),
            stem: analyze::stem_prefix(&word).map(str::to_string),
            word,
        }
    }

    /// Returns the fuzzy queries of the word on a field: within its edit
    /// distance (a transposition counting as one edit), and by its stem.
    fn fuzzy(&self, field: Field) -> [Option<FuzzyTermQuery>; 2] {
        [
            (self.distance > 0).then(|| {
                FuzzyTermQuery::new(
                    Term::from_field_text(field, &self.word),
                    self.distance,
                    true,
                )
            }),
            self.stem.as_ref().map(|stem| {
                FuzzyTermQuery::new_prefix(Term::from_field_text(field, stem), 0, true)
            }),
        ]
    }
}
