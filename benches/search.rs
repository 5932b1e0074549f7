//! Server-side search time over realistic queries on the full content.
//!
//! Each query is measured on its own (`search/<lang> <query>`), so the report
//! shows what codes, typos, folded Polish and a pasted line each cost; the
//! median per query is the median of those. `search/all` runs the whole set
//! once (divide by the number of queries for the mean), and `index build`
//! is the start-up cost. Run with `cargo bench --bench search`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use diagnoza::{content, lang::Lang, search};

/// What customers and support staff type, as in the issue, in both languages.
const QUERIES: &[(Lang, &str)] = &[
    (Lang::Pl, "blad 403"),
    (Lang::Pl, "błąd 403"),
    (Lang::En, "relay acess denid"),
    (Lang::Pl, "token cpanel"),
    (Lang::En, "5.7.1"),
    (Lang::Pl, "554 5.7.1"),
    (Lang::En, "HTTP 403"),
    (Lang::En, "502"),
    (Lang::Pl, "uprawnien"),
    (Lang::Pl, "brak dostepu"),
    (Lang::En, "internal server eror"),
    (Lang::En, "bad gatway"),
    (Lang::En, "service unavailable"),
    (Lang::Pl, "czarna lista"),
    (Lang::En, "spamhaus"),
    (Lang::Pl, "nieprawidlowy token"),
    (Lang::Pl, "strona nie znaleziona"),
    (Lang::En, "not allowed to connect"),
    (Lang::En, "client host blocked"),
    (Lang::Pl, "skrzynka odbiorcy"),
    (
        Lang::En,
        "550 5.7.1 <office@example.com>: Recipient address rejected: Access denied; please contact the administrator of the receiving server and ask whether mail from this sender is allowed at all",
    ),
];

fn queries(c: &mut Criterion) {
    let library = content::Library::from_files(&content::embedded_files())
        .expect("the embedded content is valid");
    let index = search::Index::new(&library).expect("the index builds");
    let mut group = c.benchmark_group("search");
    for (lang, query) in QUERIES {
        let name: String = query.chars().take(24).collect();
        group.bench_function(format!("{lang} {name}"), |b| {
            b.iter(|| index.search(black_box(query), *lang, 10))
        });
    }
    group.bench_function("all", |b| {
        b.iter(|| {
            for (lang, query) in QUERIES {
                black_box(index.search(black_box(query), *lang, 10));
            }
        })
    });
    group.finish();
}

fn build(c: &mut Criterion) {
    let library = content::Library::from_files(&content::embedded_files())
        .expect("the embedded content is valid");
    c.bench_function("index build", |b| {
        b.iter(|| search::Index::new(black_box(&library)))
    });
}

/// Shorter runs than criterion's default: a search takes microseconds, so
/// two seconds give thousands of samples, and the machine is shared.
fn config() -> Criterion {
    Criterion::default()
        .sample_size(50)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = config();
    targets = queries, build
}
criterion_main!(benches);
