//! The Node helper's answer as the Rust side reads it: any text on its stdout is a `Response` or an error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = ballast_scan::helper::parse_response(&String::from_utf8_lossy(data));
});
