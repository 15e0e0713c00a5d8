//! `ballast diff BASE.json HEAD.json`: what changed between two reports.

use ballast_common::Metric;
use ballast_report::Measured;
use ballast_report::render::{json, markdown, text};

use crate::args::{DiffArgs, Format};
use crate::{Failure, Outcome, output};

pub fn run(args: DiffArgs) -> Result<Outcome, Failure> {
    let read = |path: &std::path::Path| -> Result<Measured, Failure> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure(format!("cannot read {}: {e}", path.display())))?;
        ballast_report::read_report(&text)
            .map(|r| ballast_report::measured(&r))
            .map_err(|e| Failure(format!("{}: {e}", path.display())))
    };
    let base = read(&args.base)?;
    let head = read(&args.head)?;
    if let Some(why) = base.incomparable(&head) {
        return Err(Failure(format!(
            "{} and {} were measured differently ({why}); their sizes do not compare\n  help: make both reports \
             with the same --target and --compression",
            args.base.display(),
            args.head.display()
        )));
    }
    let diff = ballast_budget::diff(&base, &head);
    let md = markdown::diff_table(&diff, 20);
    if let Some(path) = &args.md {
        output::refuse_inputs_as_outputs([path], [args.base.clone(), args.head.clone()])?;
    }
    let format = args.format.unwrap_or(if output::in_github_actions() { Format::Md } else { Format::Text });
    match format {
        Format::Md | Format::Github => output::print_stdout(&md)?,
        Format::Json => output::print_stdout(&json::diff(&diff))?,
        Format::Text => output::print_stdout(&text::diff_table(&diff, 20))?,
    }
    if let Some(path) = &args.md {
        output::write_file(path, &md)?;
    }
    let Some(limit) = &args.max_increase else { return Ok(Outcome::Ok) };
    let before = base.total.get(Metric::Gzip).unwrap_or(base.total.min);
    let after = head.total.get(Metric::Gzip).unwrap_or(head.total.min);
    let grew = after.saturating_sub(before);
    let allowed = ballast_budget::parse_increase(limit)
        .map_err(|e| Failure(format!("--max-increase `{limit}`: {e}")))?
        .allowed(before);
    if grew > allowed {
        eprintln!("total gzip grew by {grew} B, more than the allowed {allowed} B");
        return Ok(Outcome::BudgetFailed);
    }
    Ok(Outcome::Ok)
}
