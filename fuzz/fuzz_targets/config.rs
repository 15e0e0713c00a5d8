//! `ballast.json` (and the Lighthouse / size-limit formats): any text is a `Config` or positioned errors.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = ballast_budget::parse_config(text, "ballast.json");
    let _ = ballast_budget::parse_lighthouse(text, "budget.json");
    let _ = ballast_budget::parse_size_limit(text, ".size-limit.json");
});
