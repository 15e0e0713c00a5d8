use crate::{Failure, Outcome};

pub fn run() -> Result<Outcome, Failure> {
    print!("{}", ballast_budget::schema());
    Ok(Outcome::Ok)
}
