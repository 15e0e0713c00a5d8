//! A spinner on an interactive terminal; nothing when piped or in CI.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

pub fn spinner(message: &str) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
        return None;
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(message.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(80));
    Some(bar)
}
