//! Writing what the user asked for: files (atomically) and stdout in the chosen format; in GitHub Actions,
//! annotations and the step summary too.

use std::io::Write;
use std::path::Path;

use ballast_report::{Report, render};

use crate::Failure;
use crate::args::{Format, ProjectArgs};

pub fn in_github_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

pub fn write_file(path: &Path, contents: &str) -> Result<(), Failure> {
    ballast_size::write_atomic(path, contents.as_bytes())
        .map_err(|e| Failure(format!("cannot write {}: {e}", path.display())))
}

pub fn emit(report: &Report, args: &ProjectArgs) -> Result<(), Failure> {
    if let Some(path) = &args.json {
        write_file(path, &render::json::render(report))?;
    }
    if let Some(path) = &args.html {
        write_file(path, &render::html::render(report))?;
    }
    if let Some(path) = &args.md {
        write_file(path, &render::markdown::render(report))?;
    }
    let github = in_github_actions();
    let format = args.format.unwrap_or(if github { Format::Github } else { Format::Text });
    let text = render::text::TextOptions { verbose: args.verbose };
    let stdout = match format {
        Format::Text => render::text::render_with(report, text),
        Format::Json => render::json::render(report),
        Format::Md => render::markdown::render(report),
        Format::Github => {
            let mut s = render::text::render_with(report, text);
            for line in render::github::annotations(report) {
                s.push_str(&line);
                s.push('\n');
            }
            s
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(stdout.as_bytes());
    if github && let Ok(summary) = std::env::var("GITHUB_STEP_SUMMARY") {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&summary)
            .map_err(|e| Failure(format!("cannot append to GITHUB_STEP_SUMMARY ({summary}): {e}")))?;
        let _ = file.write_all(render::markdown::render(report).as_bytes());
    }
    Ok(())
}
