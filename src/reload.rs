//! `--content DIR`: rebuilding everything when a file changes.
//!
//! A watcher thread waits for changes in the folder, lets a burst of them
//! settle (editors write a file in several steps), then builds a whole new
//! [`Build`] from the folder. On success it is swapped in at once, so pages,
//! search and the classifier always come from the same files; on failure
//! the problems are logged and the last good build keeps serving.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::config::Config;
use crate::{Build, Shared, content};

/// How long the folder must stay quiet before it is read again.
const SETTLE: Duration = Duration::from_millis(250);

/// Reads a content folder and builds everything from it.
pub fn build_from_dir(dir: &Path, config: &Config) -> Result<Build, content::Problems> {
    let files = content::read_dir(dir)?;
    Build::new(&files, config)
}

/// Keeps the watcher alive; dropping it stops watching.
pub struct Reloader {
    _watcher: notify::RecommendedWatcher,
}

/// Watches `dir` and swaps a rebuilt site into `shared` after each change.
pub fn watch(dir: PathBuf, config: Config, shared: Shared) -> notify::Result<Reloader> {
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx)?;
    watcher.watch(&dir, RecursiveMode::Recursive)?;
    std::thread::Builder::new()
        .name("content-reload".into())
        .spawn(move || reload_loop(&dir, &config, &shared, &rx))
        .map_err(notify::Error::io)?;
    Ok(Reloader { _watcher: watcher })
}

fn reload_loop(
    dir: &Path,
    config: &Config,
    shared: &Shared,
    rx: &mpsc::Receiver<notify::Result<notify::Event>>,
) {
    // Ends when the watcher, and with it the sender, is dropped.
    while let Ok(first) = rx.recv() {
        let mut relevant = is_relevant(&first);
        loop {
            match rx.recv_timeout(SETTLE) {
                Ok(event) => relevant |= is_relevant(&event),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if relevant {
            rebuild(dir, config, shared);
        }
    }
}

/// Tells whether an event may change the content (not a mere read).
fn is_relevant(event: &notify::Result<notify::Event>) -> bool {
    match event {
        Ok(e) => !matches!(e.kind, notify::EventKind::Access(_)),
        Err(e) => {
            tracing::warn!(error = %e, "watching the content folder");
            false
        }
    }
}

/// Rebuilds from the folder and swaps the result in, or keeps the old build.
pub fn rebuild(dir: &Path, config: &Config, shared: &Shared) {
    let started = std::time::Instant::now();
    match build_from_dir(dir, config) {
        Ok(build) => {
            let articles = build.library.articles().len();
            shared.store(Arc::new(build));
            tracing::info!(
                articles,
                ms = started.elapsed().as_millis() as u64,
                "content changed; the site was rebuilt"
            );
        }
        Err(problems) => {
            for p in &problems.0 {
                tracing::error!(problem = %p, "content problem");
            }
            tracing::error!(
                problems = problems.0.len(),
                "content changed but has problems; still serving the last good version"
            );
        }
    }
}
