use crate::args::ProjectArgs;
use crate::{Failure, Outcome, output, project};

pub fn run(args: ProjectArgs) -> Result<Outcome, Failure> {
    let project = project::load(&args)?;
    let report = project::analyze(&project)?;
    output::emit(&report, &args, &project.options.root)?;
    Ok(Outcome::Ok)
}
