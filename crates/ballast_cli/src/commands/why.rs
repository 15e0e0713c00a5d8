//! `ballast why MODULE|PACKAGE`: the shortest import chain from each entry, and every import site.

use crate::args::WhyArgs;
use crate::{Failure, Outcome, project};

pub fn run(args: WhyArgs) -> Result<Outcome, Failure> {
    let project = project::load(&args.project)?;
    let report = project::analyze(&project)?;
    let answer = ballast::why(&report, &args.query).map_err(Failure)?;
    crate::output::print_stdout(&answer)?;
    Ok(Outcome::Ok)
}
