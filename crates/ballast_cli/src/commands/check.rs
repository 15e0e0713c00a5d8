//! Analyse, evaluate budgets and the baseline, and exit 1 when one fails.

use ballast_budget::Config;
use ballast_report::{BudgetReport, Report};

use std::path::Path;

use crate::args::ProjectArgs;
use crate::commands::watch::{HtmlReload, Ran};
use crate::{Failure, Outcome, output, project};

pub fn run(args: ProjectArgs) -> Result<Outcome, Failure> {
    if let Some(ws) = crate::workspace::detect(&args)? {
        return crate::workspace::run(&ws, &args, true);
    }
    run_once(&args, None, &mut |_, _| {}).map(|ran| ran.outcome)
}

/// One check and its outputs (see `analyze::run_once`).
pub fn run_once(
    args: &ProjectArgs,
    reload: Option<&HtmlReload>,
    before_outputs: &mut dyn FnMut(&Report, &Path),
) -> Result<Ran, Failure> {
    let mut project = project::load(args)?;
    project.options.no_snapshot = reload.is_some_and(HtmlReload::is_rerun);
    project.options.scan_memo = reload.map(HtmlReload::scan_memo);
    let Some(config) = &project.config else {
        return Err(Failure(
            "no budget file: add a ballast.json (`ballast init` writes one) or pass --config FILE"
                .to_string(),
        ));
    };
    let mut report = project::analyze(&project)?;
    before_outputs(&report, &project.options.root);
    // Budgets on a result that misses part of the project would pass or fail for the wrong reason.
    if let Some(message) = report.coverage.as_ref().and_then(|c| c.message.clone()) {
        output::emit_with(&report, args, &project.options.root, reload)?;
        return Err(Failure(format!(
            "{message}\n  help: the coverage section of the report lists what was not read; budgets were not checked"
        )));
    }
    let budgets = evaluate(&report, config, &project.options.root)?;
    let failed = budgets.exit_code() != 0;
    report.budgets = Some(budgets);
    output::emit_with(&report, args, &project.options.root, reload)?;
    Ok(Ran { report, outcome: if failed { Outcome::BudgetFailed } else { Outcome::Ok } })
}

pub(crate) fn evaluate(
    report: &Report,
    config: &Config,
    root: &std::path::Path,
) -> Result<BudgetReport, Failure> {
    let measured = ballast_report::measured(report);
    let baseline = match &config.baseline {
        Some(b) => {
            let path = root.join(&b.file);
            let text = std::fs::read_to_string(&path).map_err(|e| {
                Failure(format!(
                    "{}:{}:{}: cannot read the baseline {}: {e}\n  help: write one with `ballast analyze --json {}`",
                    config.file, b.position.line, b.position.column, path.display(), b.file
                ))
            })?;
            let baseline = ballast_report::read_report(&text)
                .map(|r| ballast_report::measured(&r))
                .map_err(|e| Failure(format!("{}: {e}", path.display())))?;
            if let Some(why) = baseline.incomparable(&measured) {
                return Err(Failure(format!(
                    "{}:{}:{}: the baseline {} was measured differently ({why}); its sizes do not compare\n  \
                     help: regenerate it with the same target and compression (`ballast analyze --json {}`)",
                    config.file,
                    b.position.line,
                    b.position.column,
                    path.display(),
                    b.file
                )));
            }
            Some(baseline)
        }
        None => None,
    };
    Ok(ballast_budget::evaluate(config, &measured, baseline.as_ref()))
}
