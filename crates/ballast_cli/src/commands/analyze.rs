use std::path::Path;

use ballast_report::Report;

use crate::args::ProjectArgs;
use crate::commands::watch::{HtmlReload, Ran};
use crate::{Failure, Outcome, output, project};

pub fn run(args: ProjectArgs) -> Result<Outcome, Failure> {
    if let Some(ws) = crate::workspace::detect(&args)? {
        return crate::workspace::run(&ws, &args, false);
    }
    run_once(&args, None, &mut |_, _| {}).map(|ran| ran.outcome)
}

/// One analysis and its outputs. `reload`: the HTML report is a watch's (see `watch.rs`); `before_outputs` sees
/// the report before anything is written.
pub fn run_once(
    args: &ProjectArgs,
    reload: Option<&HtmlReload>,
    before_outputs: &mut dyn FnMut(&Report, &Path),
) -> Result<Ran, Failure> {
    let mut project = project::load(args)?;
    project.options.no_snapshot = reload.is_some_and(HtmlReload::is_rerun);
    project.options.scan_memo = reload.map(HtmlReload::scan_memo);
    let report = project::analyze(&project)?;
    before_outputs(&report, &project.options.root);
    output::emit_with(&report, args, &project.options.root, reload)?;
    Ok(Ran { report, outcome: Outcome::Ok })
}
