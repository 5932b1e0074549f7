//! End-to-end tests in headless Chromium, driven over WebDriver.
//!
//! Each test starts diagnoza (in-process, on a free port), chromedriver (on
//! another) and a fresh Chromium; see [`harness`]. Without Chromium,
//! chromedriver or, for the accessibility checks, axe-core, each test prints
//! `skipped: ...` and passes, unless `DIAGNOZA_BROWSER_TESTS=require` (as in
//! CI) makes that a failure.
//!
//! | module | what it proves |
//! |---|---|
//! | [`paste`] | the paste box finds the error and links the article, with and without JavaScript; too-large pastes |
//! | [`copy_link`] | copy-link buttons put the absolute URL with its anchor on the clipboard |
//! | [`language`] | the language switcher keeps the article and the section |
//! | [`search`] | instant search, and the search form without JavaScript |
//! | [`keyboard`] | skip link, focus order, visible focus, labels, the live region |
//! | [`layout`] | no sideways scrolling at 375 px, dark mode, the print stylesheet |
//! | [`axe`] | axe-core finds no serious or critical violation on any kind of page |
//! | [`screenshots`] | (ignored; `scripts/screenshots`) the README's screenshots |

mod axe;
mod copy_link;
mod harness;
mod keyboard;
mod language;
mod layout;
mod paste;
mod screenshots;
mod search;
