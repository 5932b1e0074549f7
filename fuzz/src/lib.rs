//! What the fuzz targets share: the classifier and the articles, built once
//! per process from the embedded content, as the server builds them.

use std::sync::LazyLock;

use diagnoza::answer;
use diagnoza::content::{Library, embedded_files};
use diagnoza::identify::Classifier;
use diagnoza::lang::Lang;

static LIBRARY: LazyLock<Library> = LazyLock::new(|| {
    Library::from_files(&embedded_files()).expect("the embedded content is valid")
});

static CLASSIFIER: LazyLock<Classifier> = LazyLock::new(|| Classifier::new(&LIBRARY.rules()));

/// Runs what a paste goes through on the server: the classifier, the
/// explanation in both languages, and the marking of the pasted lines.
pub fn identify(input: &[u8]) {
    let findings = CLASSIFIER.classify(input);
    for lang in Lang::ALL {
        let explained = answer::answer(findings.clone(), &LIBRARY, lang);
        if let Ok(text) = std::str::from_utf8(input) {
            answer::pasted_lines(text, &explained.findings);
        }
    }
}
