//! The front-matter parser, then a whole library of one article in two
//! languages: the input is the Polish file, or the Polish and the English
//! file separated by a line `%%`.
#![no_main]

use diagnoza::content::{Library, SourceFile, front_matter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Article files are UTF-8; `diagnoza check` refuses anything else
    // before parsing.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(problem) = front_matter::parse("pl/fuzz.md", text) {
        let _ = problem.to_string();
    }
    let (pl, en) = text.split_once("\n%%\n").unwrap_or((text, text));
    let files = [
        SourceFile {
            path: "pl/fuzz.md".into(),
            text: pl.into(),
        },
        SourceFile {
            path: "en/fuzz.md".into(),
            text: en.into(),
        },
    ];
    if let Err(problems) = Library::from_files(&files) {
        let _ = problems.to_string();
    }
});
