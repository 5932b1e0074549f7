//! The `diagnoza` binary: parses the command line, sets up logging, and
//! calls into the library.

use std::io::{IsTerminal, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use arc_swap::ArcSwap;
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::Serialize;

use diagnoza::config::Config;
use diagnoza::content::{self, Library, Problems};
use diagnoza::identify::{Classifier, tables};
use diagnoza::lang::Lang;
use diagnoza::web::serve;
use diagnoza::{Build, Shared, answer, reload, site};

// The classifier and the server make many small strings; mimalloc serves
// them faster than the system allocator (see BENCHMARKS.md, "Allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A help centre for bounced mail and website errors.
///
/// Without a subcommand, serves the site on 127.0.0.1:3000.
#[derive(Parser)]
#[command(name = "diagnoza", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// How log lines are written to standard error.
    #[arg(long, env = "DIAGNOZA_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    log_format: LogFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Serves the site (the default).
    Serve(ServeArgs),
    /// Checks every article and lists each problem with its file, line and fix.
    Check {
        #[command(flatten)]
        content: ContentArg,
    },
    /// Names the errors in a bounce or error page (standard input, or files) as JSON.
    Identify {
        /// Files to read; standard input when none. Several files give one JSON object per line.
        files: Vec<PathBuf>,
        /// Language of the article titles, URLs and sentences.
        #[arg(long, value_enum, default_value_t = LangArg::Pl)]
        lang: LangArg,
        #[command(flatten)]
        content: ContentArg,
    },
    /// Writes every page, asset, sitemap.xml and robots.txt to a folder for nginx or a CDN.
    Export {
        /// The folder to write; created if missing.
        dir: PathBuf,
        #[command(flatten)]
        content: ContentArg,
        #[command(flatten)]
        config: Config,
    },
}

#[derive(Args)]
struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "DIAGNOZA_ADDR", default_value = "127.0.0.1:3000")]
    addr: SocketAddr,
    #[command(flatten)]
    content: ContentArg,
    #[command(flatten)]
    config: Config,
}

#[derive(Args)]
struct ContentArg {
    /// Content folder (with pl/ and en/) to use instead of the embedded articles;
    /// `serve` re-reads it when a file changes.
    #[arg(long, env = "DIAGNOZA_CONTENT")]
    content: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Pl,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Pl => Lang::Pl,
            LangArg::En => Lang::En,
        }
    }
}

fn main() -> ExitCode {
    let started = Instant::now();
    let cli = Cli::parse();
    let command = match cli.command {
        Some(command) => command,
        // `diagnoza` alone is `diagnoza serve`, with its settings from the environment.
        None => match Cli::parse_from(["diagnoza", "serve"]).command {
            Some(command) => command,
            None => return ExitCode::FAILURE,
        },
    };
    let default_level = if matches!(command, Command::Serve(_)) {
        "info"
    } else {
        "warn"
    };
    init_tracing(cli.log_format, default_level);
    match command {
        Command::Serve(args) => serve(args, started),
        Command::Check { content } => check(content.content.as_deref()),
        Command::Identify {
            files,
            lang,
            content,
        } => identify(&files, lang.into(), content.content.as_deref()),
        Command::Export {
            dir,
            content,
            config,
        } => export(&dir, content.content.as_deref(), &config),
    }
}

fn init_tracing(format: LogFormat, default_level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

/// Prints content problems, one per entry, with a count.
fn report(problems: &Problems) {
    for p in &problems.0 {
        eprintln!("{p}");
    }
    let n = problems.0.len();
    eprintln!("{n} problem{}", if n == 1 { "" } else { "s" });
}

/// Reads the source files: the folder given, or the embedded content.
fn files(dir: Option<&Path>) -> Result<Vec<content::SourceFile>, Problems> {
    match dir {
        Some(dir) => content::read_dir(dir),
        None => Ok(content::embedded_files()),
    }
}

fn serve(args: ServeArgs, started: Instant) -> ExitCode {
    tables::load();
    let config = args.config;
    let build = match files(args.content.content.as_deref()).and_then(|f| Build::new(&f, &config)) {
        Ok(build) => build,
        Err(problems) => {
            report(&problems);
            eprintln!(
                "diagnoza: not starting: fix the content first (`diagnoza check` lists the same problems)"
            );
            return ExitCode::FAILURE;
        }
    };
    let articles = build.library.articles().len();
    let shared: Shared = Arc::new(ArcSwap::from_pointee(build));
    // Kept alive for as long as the server runs.
    let _reloader = match &args.content.content {
        Some(dir) => match reload::watch(dir.clone(), config.clone(), shared.clone()) {
            Ok(r) => Some(r),
            Err(e) => {
                tracing::error!(error = %e, dir = %dir.display(), "cannot watch the content folder; changes will need a restart");
                None
            }
        },
        None => None,
    };
    // The main thread serves too, on the first listener, and handles the
    // signals (web::serve explains the threads).
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("diagnoza: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let result = serve::bind(args.addr, threads).and_then(|listeners| {
        let addr = listeners[0].local_addr()?;
        let shutdown = {
            let _entered = runtime.enter();
            shutdown_signal()
        };
        tracing::info!(
            %addr,
            articles,
            threads,
            startup_ms = started.elapsed().as_millis() as u64,
            "listening"
        );
        let app = diagnoza::app(shared, &config);
        serve::log_panics_without_messages();
        let stopped = serve::serve_on_threads(
            &runtime,
            listeners,
            app,
            config.request_timeout(),
            serve::SHUTDOWN_GRACE,
            shutdown,
        )?;
        if stopped == serve::Stopped::GraceExpired {
            tracing::warn!("requests still open after the shutdown grace period; stopping anyway");
        }
        Ok(())
    });
    match result {
        Ok(()) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("diagnoza: cannot serve on {}: {e}", args.addr);
            ExitCode::FAILURE
        }
    }
}

/// Returns a future that resolves on SIGTERM or SIGINT (Ctrl-C).
///
/// The handlers are installed here, before the server says it is
/// listening, so a signal sent as soon as it is up is never lost to the
/// default action (which would stop the process on the spot).
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{SignalKind, signal};
        [SignalKind::terminate(), SignalKind::interrupt()].map(|kind| signal(kind).ok())
    };
    async move {
        #[cfg(unix)]
        {
            let [term, int] = signals;
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = wait(term) => {},
                () = wait(int) => {},
            }
        }
        #[cfg(not(unix))]
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        tracing::info!("shutting down: finishing the requests in flight");
    }
}

fn check(dir: Option<&Path>) -> ExitCode {
    match files(dir).and_then(|f| Build::new(&f, &Config::default())) {
        Ok(build) => {
            let articles = build.library.articles();
            let words: usize = articles
                .iter()
                .flat_map(|a| a.translations.iter().map(|t| t.words))
                .sum();
            println!(
                "ok: {} articles in {} languages, {words} words, no problems",
                articles.len(),
                Lang::ALL.len()
            );
            ExitCode::SUCCESS
        }
        Err(problems) => {
            report(&problems);
            ExitCode::FAILURE
        }
    }
}

/// One line of `diagnoza identify FILE...`.
#[derive(Serialize)]
struct FileAnswer<'a> {
    file: &'a str,
    findings: &'a [answer::Explained],
}

fn identify(paths: &[PathBuf], lang: Lang, dir: Option<&Path>) -> ExitCode {
    // Only what identifying needs: no pages, no search index.
    let library = match files(dir).and_then(|f| Library::front_matter_only(&f)) {
        Ok(library) => library,
        Err(problems) => {
            report(&problems);
            return ExitCode::FAILURE;
        }
    };
    let classifier = Classifier::new(&library.rules());
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = false;
    let result = (|| -> std::io::Result<()> {
        match paths {
            [] => {
                let mut input = Vec::new();
                std::io::stdin().lock().read_to_end(&mut input)?;
                let a = answer::answer(classifier.classify(&input), &library, lang);
                emit(&a, &mut out)?;
            }
            [path] => match std::fs::read(path) {
                Ok(input) => {
                    let a = answer::answer(classifier.classify(&input), &library, lang);
                    emit(&a, &mut out)?;
                }
                Err(e) => {
                    eprintln!("diagnoza: cannot read {}: {e}", path.display());
                    failed = true;
                }
            },
            many => {
                // Files are read and classified on every core, a batch at a
                // time, and printed in the order given.
                let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
                for batch in many.chunks(1024) {
                    let lines = classify_batch(batch, &classifier, &library, lang, workers);
                    for (path, line) in batch.iter().zip(lines) {
                        match line {
                            Ok(line) => out.write_all(&line)?,
                            Err(e) => {
                                eprintln!("diagnoza: cannot read {}: {e}", path.display());
                                failed = true;
                            }
                        }
                    }
                }
            }
        }
        out.flush()
    })();
    match result {
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("diagnoza: {e}");
            ExitCode::FAILURE
        }
        _ if failed => ExitCode::FAILURE,
        _ => ExitCode::SUCCESS,
    }
}

/// Reads and classifies a batch of files on `workers` threads, returning one
/// JSON line (or the read error) per file, in order.
fn classify_batch(
    paths: &[PathBuf],
    classifier: &Classifier,
    library: &Library,
    lang: Lang,
    workers: usize,
) -> Vec<std::io::Result<Vec<u8>>> {
    let one = |path: &PathBuf| -> std::io::Result<Vec<u8>> {
        let input = std::fs::read(path)?;
        let a = answer::answer(classifier.classify(&input), library, lang);
        let mut line = Vec::new();
        emit(
            &FileAnswer {
                file: &path.to_string_lossy(),
                findings: &a.findings,
            },
            &mut line,
        )?;
        Ok(line)
    };
    if workers < 2 || paths.len() < 2 {
        return paths.iter().map(one).collect();
    }
    // Each worker takes the next file as it finishes one, so one big file
    // does not leave the other cores idle; the lines are put back in order.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut lines: Vec<(usize, std::io::Result<Vec<u8>>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers.min(paths.len()))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(path) = paths.get(i) else {
                            return done;
                        };
                        done.push((i, one(path)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    lines.sort_unstable_by_key(|(i, _)| *i);
    lines.into_iter().map(|(_, line)| line).collect()
}

/// Writes one value as a line of JSON.
fn emit<T: Serialize>(value: &T, out: &mut impl Write) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}

fn export(dir: &Path, content_dir: Option<&Path>, config: &Config) -> ExitCode {
    let library = match files(content_dir).and_then(|f| Library::from_files(&f)) {
        Ok(library) => library,
        Err(problems) => {
            report(&problems);
            return ExitCode::FAILURE;
        }
    };
    let site = match site::Site::render(&library, config) {
        Ok(site) => site,
        Err(e) => {
            eprintln!("diagnoza: cannot render the site: {e}");
            return ExitCode::FAILURE;
        }
    };
    match site::export::export(&site, dir) {
        Ok(summary) => {
            println!(
                "exported {} pages ({} files with .br and .gz, {} bytes) to {}",
                summary.pages,
                summary.files,
                summary.bytes,
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("diagnoza: cannot write {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}
