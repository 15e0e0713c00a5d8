//! `ballast init`: a ballast.json from today's sizes plus headroom. Never overwrites.

use crate::args::InitArgs;
use crate::{Failure, Outcome, output, project};

pub fn run(args: InitArgs) -> Result<Outcome, Failure> {
    if let Some(ws) = crate::workspace::detect(&args.project)? {
        let apps: Vec<String> =
            ws.apps.iter().map(|a| ballast_common::relative_path(&ws.root, &a.dir)).collect();
        return Err(Failure(format!(
            "this is a workspace of {} apps ({}); budgets are per app\n  help: run `ballast init` in each app's \
             folder, or write budgets for all of them in a ballast.json here",
            apps.len(),
            apps.join(", ")
        )));
    }
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
