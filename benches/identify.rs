//! The classifier, in process.
//!
//! - `corpus`: every message of the shared corpus (`../shared/corpus`, or
//!   `DIAGNOZA_CORPUS`), one pass; the figure to compare with Sisimai's
//!   messages per second (`bench/run` prints both side by side).
//! - `mime`: the same files through `mailparse::parse_mail` alone: what
//!   parsing whole files as MIME costs, before any classifying.
//! - `paste`: one ordinary bounce, as pasted into the site.
//! - `scaling`: the same hostile input at 64 KiB, 256 KiB and 1 MiB; time per
//!   byte stays flat when the work is linear.
//!
//! Run with `cargo bench --bench identify`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use diagnoza::content::{Library, embedded_files};
use diagnoza::identify::Classifier;

// The same allocator as the binary, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn classifier() -> Classifier {
    let library = Library::from_files(&embedded_files()).expect("the embedded content is valid");
    Classifier::new(&library.rules())
}

/// Returns every file of the corpus's mail folders, read into memory.
fn corpus() -> Option<Vec<Vec<u8>>> {
    let root = std::env::var_os("DIAGNOZA_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let mut files = Vec::new();
    collect(&root.join("sisimai"), &mut files);
    (!files.is_empty()).then_some(files)
}

fn collect(dir: &Path, out: &mut Vec<Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect(&p, out);
        } else if p
            .file_name()
            .is_some_and(|n| n != "README.md" && n != "LICENSE")
        {
            out.push(std::fs::read(&p).expect("a corpus file reads"));
        }
    }
}

const BOUNCE: &str = include_str!("../tests/fixtures/bench/postfix-relay.eml");

fn benches(c: &mut Criterion) {
    let classifier = classifier();

    match corpus() {
        Some(files) => {
            let mut group = c.benchmark_group("corpus");
            group.throughput(Throughput::Elements(files.len() as u64));
            group
                .sample_size(20)
                .measurement_time(Duration::from_secs(10));
            group.bench_function("all files", |b| {
                b.iter(|| {
                    files
                        .iter()
                        .map(|f| classifier.classify(f).len())
                        .sum::<usize>()
                })
            });
            group.finish();

            // The MIME parser alone, on every whole file, decoding nothing.
            // (The classifier gives it less: it cuts the returned message.)
            let mut group = c.benchmark_group("mime");
            group.throughput(Throughput::Elements(files.len() as u64));
            group
                .sample_size(20)
                .measurement_time(Duration::from_secs(10));
            group.bench_function("mailparse only", |b| {
                b.iter(|| {
                    files
                        .iter()
                        .filter_map(|f| mailparse::parse_mail(f).ok())
                        .map(|m| m.subparts.len())
                        .sum::<usize>()
                })
            });
            group.finish();
        }
        None => eprintln!("corpus: skipped, no ../shared/corpus (set DIAGNOZA_CORPUS)"),
    }

    let mut group = c.benchmark_group("paste");
    group.throughput(Throughput::Bytes(BOUNCE.len() as u64));
    group.bench_function("postfix bounce", |b| {
        b.iter(|| classifier.classify(BOUNCE.as_bytes()))
    });
    group.finish();

    let mut group = c.benchmark_group("scaling");
    group.sample_size(10);
    let unit = "<jan@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 unknown user\n> over the quota 554 5.7.1 Relay access denied \n";
    for kib in [64usize, 256, 1024] {
        let input = unit.repeat(kib * 1024 / unit.len());
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{kib} KiB")),
            &input,
            |b, input| b.iter(|| classifier.classify(input.as_bytes())),
        );
    }
    group.finish();
}

criterion_group!(identify, benches);
criterion_main!(identify);
