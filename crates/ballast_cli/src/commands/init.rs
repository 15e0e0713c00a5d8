//! `ballast init`: a ballast.json from today's sizes plus headroom. Never overwrites.

use crate::args::InitArgs;
use crate::{Failure, Outcome, output, project};

pub fn run(args: InitArgs) -> Result<Outcome, Failure> {
    let project = project::load(&args.project)?;
    let path = project.options.root.join("ballast.json");
    if path.exists() {
        return Err(Failure(format!(
            "{} already exists; edit it, or delete it to start again",
            path.display()
        )));
    }
    let report = project::analyze(&project)?;
    let measured = ballast_report::measured(&report);
    let text = ballast_budget::init_config(&measured, args.headroom / 100.0);
    output::write_file(&path, &text)?;
    output::print_stdout(&format!("wrote {}\n", path.display()))?;
    Ok(Outcome::Ok)
}
