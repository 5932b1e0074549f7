//! The classifier on arbitrary bytes, as pasted or posted to the API.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| diagnoza_fuzz::identify(data));
