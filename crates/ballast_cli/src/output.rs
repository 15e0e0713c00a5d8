//! Writing what the user asked for: files (atomically; symlinks followed, devices and FIFOs written in place)
//! and stdout in the chosen format; in GitHub Actions, annotations and the step summary too. Every write is
//! checked: a closed pipe or a full disk is exit 2 with a message, never a silent success.

use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Prints to stdout and flushes, so a closed pipe or a full disk is an error here and not lost.
pub fn print_stdout(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Failure(format!("cannot write to stdout: {e}")))
}

/// Identity of an existing file (device, inode), following symlinks.
#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().filter(|m| m.is_file()).map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// Refuses an output path that is one of the run's inputs (a module source, the config, the stats file, a
/// report being compared): writing it would destroy what the run was measured from.
pub fn refuse_inputs_as_outputs<'a>(
    outputs: impl IntoIterator<Item = &'a PathBuf>,
    inputs: impl IntoIterator<Item = PathBuf>,
) -> Result<(), Failure> {
    let outputs: Vec<(&PathBuf, _)> =
        outputs.into_iter().filter_map(|p| identity(p).map(|id| (p, id))).collect();
    if outputs.is_empty() {
        return Ok(());
    }
    for input in inputs {
        let Some(id) = identity(&input) else { continue };
        if let Some((out, _)) = outputs.iter().find(|(_, o)| *o == id) {
            return Err(Failure(format!(
                "the output {} is an input of this run ({}); refusing to overwrite it\n  help: write the report \
                 to another path",
                out.display(),
                input.display()
            )));
        }
    }
    Ok(())
}

fn outputs(args: &ProjectArgs) -> Vec<&PathBuf> {
    [&args.json, &args.html, &args.md].into_iter().flatten().collect()
}

/// Before the analysis: the config and stats file (and the baseline) are known already.
pub fn check_outputs_before(
    args: &ProjectArgs,
    config: Option<&Path>,
    extra: &[PathBuf],
) -> Result<(), Failure> {
    let inputs =
        config.map(Path::to_path_buf).into_iter().chain(args.stats.clone()).chain(extra.iter().cloned());
    refuse_inputs_as_outputs(outputs(args), inputs)
}

/// After the analysis: every module it read, by path under the project root.
fn check_outputs_after(report: &Report, args: &ProjectArgs, root: &Path) -> Result<(), Failure> {
    let inputs = report.modules.iter().map(|m| root.join(&m.path));
    refuse_inputs_as_outputs(outputs(args), inputs)
}

/// The `--baseline` report, read back and checked against `report`: same schema, same target and compression.
pub fn read_baseline(path: &Path, report: &Report) -> Result<Report, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure(format!("cannot read the baseline {}: {e}", path.display())))?;
    let base = ballast_report::read_report(&text)
        .map_err(|e| Failure(format!("the baseline {}: {e}", path.display())))?;
    if let Some(why) = ballast_report::measured(&base).incomparable(&ballast_report::measured(report)) {
        return Err(Failure(format!(
            "the baseline {} was measured differently ({why}); its sizes do not compare\n  help: regenerate it \
             with the same --target and --compression (`ballast analyze --json FILE`)",
            path.display()
        )));
    }
    Ok(base)
}

/// The reports asked for, then stdout. `reload`: a watch wrote them; its HTML report reloads itself (and is
/// served with `--serve`).
pub fn emit_with(
    report: &Report,
    args: &ProjectArgs,
    root: &Path,
    reload: Option<&crate::commands::watch::HtmlReload>,
) -> Result<(), Failure> {
    write_reports_with(report, args, root, reload)?;
    print_report(report, args)
}

/// The report files asked for (`--json`, `--html` with its `--baseline`, `--md`), none of them an input.
pub fn write_reports(report: &Report, args: &ProjectArgs, root: &Path) -> Result<(), Failure> {
    write_reports_with(report, args, root, None)
}

fn write_reports_with(
    report: &Report,
    args: &ProjectArgs,
    root: &Path,
    reload: Option<&crate::commands::watch::HtmlReload>,
) -> Result<(), Failure> {
    check_outputs_after(report, args, root)?;
    // Read before anything is written: a baseline that does not compare writes nothing.
    let baseline = match &args.baseline {
        Some(path) => Some(read_baseline(path, report)?),
        None => None,
    };
    if let Some(path) = &args.json {
        write_file(path, &render::json::render(report))?;
    }
    let html = || render::html::render_with(report, baseline.as_ref());
    match (reload, &args.html) {
        (None, Some(path)) => write_file(path, &html())?,
        (Some(reload), path) if path.is_some() || reload.serves() => {
            let page = reload.apply(html());
            if let Some(path) = path {
                write_file(path, &page)?;
            }
            reload.publish(page);
        }
        _ => {}
    }
    if let Some(path) = &args.md {
        write_file(path, &render::markdown::render(report))?;
    }
    Ok(())
}

/// The report on stdout in the chosen format; under GitHub Actions the annotations and the step summary too.
fn print_report(report: &Report, args: &ProjectArgs) -> Result<(), Failure> {
    let github = in_github_actions();
    let format = args.format.unwrap_or(if github { Format::Github } else { Format::Text });
    let text = render::text::TextOptions { verbose: args.verbose };
    let stdout = match format {
        Format::Text => render::text::render_with(report, text),
        Format::Json => render::json::render(report),
        Format::Md => render::markdown::render(report),
        Format::Github => {
            // The annotations are Ballast's own workflow commands (their data escaped as the spec says); only
            // the text before them is neutralized.
            let mut s = render::escape::neutralize_commands(&render::text::render_with(report, text));
            for line in render::github::annotations(report) {
                s.push_str(&line);
                s.push('\n');
            }
            s
        }
    };
    // Under Actions, no line printed from user data may start a workflow command.
    let stdout = if github && format != Format::Github {
        render::escape::neutralize_commands(&stdout)
    } else {
        stdout
    };
    print_stdout(&stdout)?;
    if github && let Ok(summary) = std::env::var("GITHUB_STEP_SUMMARY") {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&summary)
            .map_err(|e| Failure(format!("cannot append to GITHUB_STEP_SUMMARY ({summary}): {e}")))?;
        file.write_all(render::markdown::render(report).as_bytes())
            .map_err(|e| Failure(format!("cannot append to GITHUB_STEP_SUMMARY ({summary}): {e}")))?;
    }
    Ok(())
}
