use crate::{Failure, Outcome};

pub fn run() -> Result<Outcome, Failure> {
    crate::output::print_stdout(ballast_budget::schema())?;
    Ok(Outcome::Ok)
}
