use crate::args::ProjectArgs;
use crate::{Failure, Outcome, output, project};

pub fn run(args: ProjectArgs) -> Result<Outcome, Failure> {
    if let Some(ws) = crate::workspace::detect(&args)? {
        return crate::workspace::run(&ws, &args, false);
    }
    let project = project::load(&args)?;
    let report = project::analyze(&project)?;
    output::emit(&report, &args, &project.options.root)?;
    Ok(Outcome::Ok)
}
