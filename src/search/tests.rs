use std::sync::LazyLock;

use super::*;
use crate::content::{self, Library};

static LIBRARY: LazyLock<Library> = LazyLock::new(|| {
    Library::from_files(&content::embedded_files()).expect("the embedded content is valid")
});
static INDEX: LazyLock<Index> =
    LazyLock::new(|| Index::new(&LIBRARY).expect("the index builds from the embedded content"));

fn slugs(query: &str, lang: Lang, limit: usize) -> Vec<String> {
    INDEX
        .search(query, lang, limit)
        .into_iter()
        .map(|h| h.slug)
        .collect()
}

/// What customers and support staff type, each with the one article that
/// answers it. The expected article holds the words in its title or code
/// unless noted, so the expectation does not hang on ranking details.
const QUERIES: &[(Lang, &str, &str)] = &[
    // Codes, in the forms people write them.
    (Lang::En, "5.7.1", "554-5-7-1"),
    (Lang::Pl, "5.7.1", "554-5-7-1"),
    (Lang::Pl, "554 5.7.1", "554-5-7-1"),
    (Lang::En, "554", "554-5-7-1"),
    (Lang::En, "HTTP 403", "http-403"),
    (Lang::Pl, "HTTP 404", "http-404"),
    (Lang::En, "502", "http-502"),
    (Lang::Pl, "401", "http-401"),
    (Lang::En, "http-503", "http-503"),
    // Polish without its letters, and with them.
    (Lang::Pl, "blad 403", "http-403"),
    (Lang::Pl, "błąd 403", "http-403"),
    // "uprawnień" only in the summary and body: "złe uprawnienia plików".
    (Lang::Pl, "uprawnien", "http-403"),
    (Lang::Pl, "brak dostepu", "http-403"),
    (Lang::Pl, "nieprawidlowy token", "http-401"),
    (Lang::Pl, "strona nie znaleziona", "http-404"),
    (Lang::Pl, "nie znaleziono", "http-404"),
    (Lang::Pl, "wewnetrzny blad serwera", "http-500"),
    (Lang::Pl, "usluga niedostepna", "http-503"),
    // "na czarnej liście": another ending of both words.
    (Lang::Pl, "czarna lista", "554-5-7-1-dnsbl-check"),
    (Lang::Pl, "dnsbl", "554-5-7-1-dnsbl-check"),
    // Recipient address rejected: "skrzynka" only in the body.
    (
        Lang::Pl,
        "skrzynka odbiorcy",
        "554-5-7-1-recipient-address-rejected",
    ),
    (Lang::Pl, "filtr antyspamowy", "554-5-7-1-spam-rejection"),
    (Lang::Pl, "zakazane slowo", "554-5-7-1-dictionary-check"),
    (Lang::Pl, "token cpanel", "http-401"),
    (Lang::Pl, "bad gateway", "http-502"),
    // Typos.
    (
        Lang::En,
        "relay acess denid",
        "554-5-7-1-relay-access-denied",
    ),
    (Lang::En, "internal server eror", "http-500"),
    (Lang::En, "bad gatway", "http-502"),
    (
        Lang::En,
        "recipient adress rejected",
        "554-5-7-1-recipient-address-rejected",
    ),
    (
        Lang::En,
        "sender adress rejected",
        "554-5-7-1-sender-address-rejected",
    ),
    (
        Lang::En,
        "delivery not authorised",
        "554-5-7-1-delivery-not-authorized",
    ),
    // English names of the errors.
    (Lang::En, "service unavailable", "http-503"),
    (
        Lang::En,
        "not allowed to connect",
        "554-5-7-1-not-allowed-to-connect",
    ),
    (
        Lang::En,
        "client host blocked",
        "554-5-7-1-client-host-blocked",
    ),
    (Lang::En, "page not found", "http-404"),
    (Lang::En, "invalid security token", "http-401"),
    (Lang::En, "dictionary check", "554-5-7-1-dictionary-check"),
    // Only in summaries and bodies: "a public blocklist (DNSBL) such as Spamhaus".
    (Lang::En, "spamhaus", "554-5-7-1-client-host-blocked"),
    (Lang::En, "token cpanel", "http-401"),
];

#[test]
fn every_query_finds_its_article_in_the_top_three() {
    let mut failures = Vec::new();
    for &(lang, query, expected) in QUERIES {
        assert!(
            LIBRARY.get(expected).is_some(),
            "{expected} is not an article"
        );
        let found = slugs(query, lang, 3);
        if !found.iter().any(|s| s == expected) {
            failures.push(format!(
                "{lang} {query:?}: expected {expected}, got {found:?}"
            ));
        }
    }
    assert!(QUERIES.len() >= 20);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn results_are_in_the_language_asked_for() {
    for lang in Lang::ALL {
        let hits = INDEX.search("554 5.7.1 relay", lang, 100);
        assert!(!hits.is_empty());
        let prefix = format!("/{lang}/");
        assert!(hits.iter().all(|h| h.url.starts_with(&prefix)), "{hits:?}");
        assert!(hits.len() <= LIBRARY.articles().len());
    }
}

#[test]
fn the_index_holds_every_article_in_both_languages() {
    assert_eq!(INDEX.docs.len(), 2 * LIBRARY.articles().len());
    for article in LIBRARY.articles() {
        for lang in Lang::ALL {
            assert!(
                slugs(&article.slug, lang, 1) == [article.slug.clone()],
                "{lang} {}",
                article.slug
            );
        }
    }
}

#[test]
fn empty_queries_find_nothing() {
    for query in ["", " ", "\n\t  \r\n", "!!!", "…", "🙂", "\0", "-- / --"] {
        assert!(INDEX.search(query, Lang::Pl, 10).is_empty(), "{query:?}");
    }
    assert!(INDEX.search("403", Lang::Pl, 0).is_empty());
}

#[test]
fn long_queries_are_cut_to_their_first_200_characters() {
    let long = format!("dnsbl{}http 401 unauthorized", " ".repeat(495));
    assert_eq!(long.chars().count(), 500 + "http 401 unauthorized".len());
    assert_eq!(slugs(&long, Lang::En, 10), slugs("dnsbl", Lang::En, 10));
    // Cut on a character boundary, whatever the characters.
    for unit in ["ł", "🙂", "a", "ą ", "5.7.1 "] {
        let long = unit.repeat(500);
        let _ = INDEX.search(&long, Lang::Pl, 10);
        let _ = INDEX.search(&long, Lang::En, 10);
    }
    // A query of many different words stays a search, with no error.
    let words: String = LIBRARY
        .articles()
        .iter()
        .map(|a| a.in_lang(Lang::En).title.as_str())
        .collect();
    assert!(!INDEX.search(&words, Lang::En, 10).is_empty());
}

#[test]
fn odd_characters_are_words_or_nothing() {
    let long_word = "x".repeat(300);
    let odd = [
        "\"403\"",
        "'403'",
        "title:403",
        "(403)",
        "[403]",
        "{403}",
        "403 AND 404",
        "403 OR",
        "NOT 403",
        "40*",
        "*",
        "?",
        "~403",
        "403~2",
        "403^10",
        "+403 -404",
        "403 && !404",
        "a\0b",
        "\\403",
        "/pl/http-403",
        "http://example.com/pl/http-403",
        "<script>403</script>",
        "🙂 403 🙂",
        "\u{202e}403",
        "b\u{142}a\u{328}d",
        "%00",
        "403\u{feff}",
        "ß",
        "İ",
        "日本語のエラー",
        "5..7..1",
        "5.7.",
        ".5.7.1.",
        "5.7.1.2.3.4.5",
        &long_word,
    ];
    for query in odd {
        for lang in Lang::ALL {
            let _ = INDEX.search(query, lang, 10);
        }
    }
    for query in [
        "\"403\"",
        "title:403",
        "(403)",
        "403~2",
        "+403",
        "<script>403</script>",
    ] {
        assert_eq!(slugs(query, Lang::En, 1), ["http-403"], "{query:?}");
    }
    assert_eq!(slugs("/pl/http-403", Lang::Pl, 1), ["http-403"]);
}

/// Returns the folded words of a text, as the index sees them.
fn folded(text: &str) -> Vec<String> {
    analyze::tokens(&mut analyze::analyzer(), text)
        .into_iter()
        .map(|t| t.2)
        .collect()
}

#[test]
fn a_match_in_the_title_or_code_outranks_one_in_the_body() {
    let mut compared = 0;
    for (lang, word) in [
        (Lang::En, "forbidden"),
        (Lang::En, "gateway"),
        (Lang::En, "unavailable"),
        (Lang::En, "403"),
        (Lang::En, "dictionary"),
        (Lang::En, "relay"),
        (Lang::Pl, "403"),
        (Lang::Pl, "blad"),
        (Lang::Pl, "odbiorcy"),
        (Lang::Pl, "dnsbl"),
    ] {
        let hits = INDEX.search(word, lang, 100);
        let in_head: Vec<bool> = hits
            .iter()
            .map(|h| {
                folded(&h.title).contains(&word.to_string())
                    || folded(&h.code).contains(&word.to_string())
            })
            .collect();
        let heads = in_head.iter().filter(|&&h| h).count();
        assert!(heads > 0, "{lang} {word}: no title holds it");
        assert!(
            in_head[..heads].iter().all(|&h| h),
            "{lang} {word}: a body-only match outranks a title match: {:?}",
            hits.iter()
                .zip(&in_head)
                .map(|(h, t)| (&h.slug, t))
                .collect::<Vec<_>>()
        );
        compared += usize::from(heads < hits.len());
    }
    assert!(
        compared >= 5,
        "too few queries have body-only matches to compare"
    );
}

#[test]
fn more_matched_words_rank_higher() {
    // Both hold "relay" in the title; only the second names one domain.
    let found = slugs("relay one domain", Lang::En, 2);
    assert_eq!(found[0], "554-5-7-1-relay-denied-one-domain");
}

#[test]
fn snippets_mark_what_matched_and_escape_the_rest() {
    let queries = [
        (Lang::En, "relay acess denid"),
        (Lang::En, "recipient address rejected"),
        (Lang::En, "HTTP 403"),
        (Lang::Pl, "blad 403"),
        (Lang::Pl, "uprawnien"),
        (Lang::Pl, "czarna lista"),
        (Lang::En, "<script>"),
        (Lang::En, "example.com"),
    ];
    for (lang, query) in queries {
        for hit in INDEX.search(query, lang, 10) {
            let html = &hit.snippet_html;
            let bare = html.replace("<mark>", "").replace("</mark>", "");
            assert!(
                !bare.contains(['<', '>']),
                "{query:?}: unescaped text in {html}"
            );
            let unescaped = bare
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
            assert_eq!(
                unescaped, hit.snippet,
                "{query:?}: the HTML says something else"
            );
            assert!(
                hit.snippet.chars().count() <= 200,
                "{query:?}: {} is too long",
                hit.snippet
            );
            assert!(!hit.snippet.contains('\n'));
            assert_eq!(
                html.matches("<mark>").count(),
                html.matches("</mark>").count()
            );
        }
    }
    let first = |lang, query| INDEX.search(query, lang, 1).remove(0).snippet_html;
    // Typos mark the words as written in the article.
    let html = first(Lang::En, "relay acess denid").to_lowercase();
    assert!(html.contains("<mark>relay access denied</mark>"), "{html}");
    // So do folded diacritics.
    let html = first(Lang::Pl, "blad 403");
    assert!(
        html.contains("<mark>błąd</mark>") || html.contains("<mark>Błąd</mark>"),
        "{html}"
    );
    assert!(html.contains("<mark>403</mark>"), "{html}");
    let html = first(Lang::Pl, "uprawnien");
    assert!(html.contains("<mark>uprawnie"), "{html}");
}

#[test]
fn without_a_match_in_the_texts_the_summary_begins_the_snippet() {
    // A match in the title or the code alone leaves nothing to mark.
    let mut analyzer = analyze::analyzer();
    let mut vocabulary = HashMap::new();
    let summary = "Pierwsze zdanie <streszczenia>. ".repeat(10);
    let summary = snippet::Text::new(&summary, &mut analyzer, &mut vocabulary);
    let body = snippet::Text::new("Treść & reszta.", &mut analyzer, &mut vocabulary);
    let (plain, html) = snippet::cut(&summary, &body, &Matches::new(vocabulary.len()));
    assert!(
        plain.starts_with("Pierwsze zdanie <streszczenia>. Pierwsze"),
        "{plain}"
    );
    assert!(plain.ends_with('…'), "{plain}");
    assert!(
        html.starts_with("Pierwsze zdanie &lt;streszczenia&gt;."),
        "{html}"
    );
    assert!(!html.contains("<mark>"));
}

#[test]
fn neighbouring_matches_share_a_mark() {
    let mut analyzer = analyze::analyzer();
    let mut vocabulary = HashMap::new();
    let summary = snippet::Text::new(
        "Relay access denied, said <the> server.",
        &mut analyzer,
        &mut vocabulary,
    );
    let body = snippet::Text::new("", &mut analyzer, &mut vocabulary);
    let mut matches = Matches::new(vocabulary.len());
    for (bit, word) in ["relay", "access", "denied", "server"].iter().enumerate() {
        matches.add(vocabulary[*word], 1 << bit);
    }
    let (plain, html) = snippet::cut(&summary, &body, &matches);
    assert_eq!(plain, "Relay access denied, said <the> server.");
    assert_eq!(
        html,
        "<mark>Relay access denied</mark>, said &lt;the&gt; <mark>server</mark>."
    );
}

#[test]
fn the_analyzer_keeps_codes_and_folds_polish() {
    assert_eq!(
        folded("Błąd 554 5.7.1: Relay-access (DNSBL) 192.0.2.1. Uprawnień ŁÓDŹ żółć 5.7.1."),
        [
            "blad",
            "554",
            "5.7.1",
            "relay",
            "access",
            "dnsbl",
            "192.0.2.1",
            "uprawnien",
            "lodz",
            "zolc",
            "5.7.1"
        ]
    );
    assert_eq!(folded("HTTP/1.1 403"), ["http", "1.1", "403"]);
    assert_eq!(folded("x.5 5.x 5..7"), ["x", "5", "5", "x", "5", "7"]);
    assert!(folded(&"a".repeat(100)).is_empty());
}

#[test]
fn longer_words_may_stray_further() {
    assert_eq!(analyze::fuzzy_distance("403"), 0);
    assert_eq!(analyze::fuzzy_distance("5.7.1"), 0);
    assert_eq!(analyze::fuzzy_distance("mx1"), 0);
    assert_eq!(analyze::fuzzy_distance("zły"), 0);
    assert_eq!(analyze::fuzzy_distance("blad"), 1);
    assert_eq!(analyze::fuzzy_distance("acess"), 1);
    assert_eq!(analyze::fuzzy_distance("gatway"), 1);
    assert_eq!(analyze::fuzzy_distance("uprawnien"), 2);
    assert_eq!(analyze::stem_prefix("czarna"), Some("czarn"));
    assert_eq!(analyze::stem_prefix("znaleziona"), Some("znalezio"));
    assert_eq!(analyze::stem_prefix("lista"), None);
    assert_eq!(analyze::stem_prefix("192.0.2.1"), None);
}

#[test]
fn pasted_error_text_is_told_from_search_words() {
    for paste in [
        "550 5.1.1 <a@b.c>: Recipient address rejected",
        "554 5.7.1 <jan@example.com>: Relay access denied",
        "host mx.example.com said: 554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
        "550-5.7.1 The user or domain that you are sending to does not accept mail",
        "Delivery has failed to these recipients:\njan@example.com",
        "line one\nline two",
        "HTTP/1.1 403 Forbidden",
        "Your message to office@example.com couldn't be delivered, the server replied 554 Relay denied",
    ] {
        assert!(looks_like_paste(paste), "{paste:?} should look pasted");
    }
    for words in [
        "",
        "   ",
        "554",
        "554 5.7.1",
        "550 5.1.1",
        "5.7.1 relay",
        "blad 403",
        "HTTP 403",
        "relay access denied",
        "jan@example.com",
        "554 5.7.1 relay denied",
        "error 403 forbidden when I open my site",
        "line one\n\n   ",
    ] {
        assert!(
            !looks_like_paste(words),
            "{words:?} should look like search words"
        );
    }
}
