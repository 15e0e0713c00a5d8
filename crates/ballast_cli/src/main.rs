//! `ballast`: find the weight in a front end, say where to split it, keep it under budget.
//! Exit status: 0 ok (warnings allowed), 1 a budget or regression failed, 2 usage, config or input error.

mod args;
mod commands;
mod output;
mod progress;
mod project;
mod workspace;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

/// What a command ends with; `main` turns it into the exit status.
pub enum Outcome {
    Ok,
    BudgetFailed,
}

/// A problem that stops the command: usage, config or input. Printed with its location; exit 2.
#[derive(Debug)]
pub struct Failure(pub String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

/// Stack for the command thread and rayon's workers: deeply nested sources recurse deeply in the parser and
/// the minifiers.
const STACK_SIZE: usize = 256 * 1024 * 1024;

fn main() -> ExitCode {
    // Not on the main thread (8 MB): rayon runs a one-item parallel job on the calling thread, so a deeply
    // nested entry module is parsed and minified here.
    let command = std::thread::Builder::new().name("ballast".into()).stack_size(STACK_SIZE).spawn(run);
    match command.map(std::thread::JoinHandle::join) {
        Ok(Ok(code)) => code,
        // The panic message is already printed; 101 as for a panic on the main thread.
        Ok(Err(_)) => ExitCode::from(101),
        Err(e) => {
            eprintln!("error: cannot start the command thread: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    if let Err(e) = init_threads(cli.threads) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    let result = match cli.command {
        Command::Analyze(a) if a.watch => commands::watch::run(a, false),
        Command::Check(a) if a.watch => commands::watch::run(a, true),
        Command::Analyze(a) => commands::analyze::run(a),
        Command::Check(a) => commands::check::run(a),
        Command::Why(a) if a.project.watch => {
            Err(Failure("--watch works with analyze and check".to_string()))
        }
        Command::Init(a) if a.project.watch => {
            Err(Failure("--watch works with analyze and check".to_string()))
        }
        Command::Diff(a) => commands::diff::run(a),
        Command::Why(a) => commands::why::run(a),
        Command::Init(a) => commands::init::run(a),
        Command::Schema => commands::schema::run(),
        Command::Explain { code } => commands::explain::run(&code),
    };
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::BudgetFailed) => ExitCode::from(1),
        Err(Failure(message)) => {
            eprint_error(&message);
            ExitCode::from(2)
        }
    }
}

/// `error: …` on stderr: control characters in the message (paths, specifiers) escaped, and under GitHub Actions
/// no line of it can start a workflow command.
pub(crate) fn eprint_error(message: &str) {
    use std::io::Write;
    let mut text = format!("error: {}\n", ballast_report::render::escape::visible_lines(message));
    if output::in_github_actions() {
        text = ballast_report::render::escape::neutralize_commands(&text);
    }
    // Nothing more to do when stderr is gone too; the exit status still says it.
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// More threads than a few per core only cost memory (each has a 256 MB stack reservation) and start-up time:
/// `--threads` is capped at 4× the available cores, with a warning.
fn cap_threads(asked: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let cap = cores.saturating_mul(MAX_THREADS_PER_CORE);
    if asked > cap {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "warning: --threads {asked} is more than {MAX_THREADS_PER_CORE}× the {cores} available core(s); using {cap}"
        );
        return cap;
    }
    asked.max(1)
}

const MAX_THREADS_PER_CORE: usize = 4;

/// Deeply nested sources recurse deeply in the parser: give worker threads room.
fn init_threads(threads: Option<usize>) -> Result<(), String> {
    let mut builder = rayon::ThreadPoolBuilder::new().stack_size(STACK_SIZE);
    if let Some(n) = threads {
        builder = builder.num_threads(cap_threads(n));
    }
    builder.build_global().map_err(|e| e.to_string())
}
