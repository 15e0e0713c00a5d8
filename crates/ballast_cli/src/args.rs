use ballast_common::{Bundler, MinifierChoice};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "ballast",
    version,
    about = "Find the weight in a JavaScript/TypeScript front end, say where to split it, keep it under budget"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Worker threads (default: one per core).
    #[arg(long, global = true)]
    pub threads: Option<usize>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Analyse a project: modules, packages, chunks and their sizes.
    Analyze(ProjectArgs),
    /// Analyse and evaluate budgets and the baseline (exit 1 when one fails).
    Check(ProjectArgs),
    /// Compare two JSON reports: per chunk, package and total deltas.
    Diff(DiffArgs),
    /// Why is a module or package included: the shortest import chain from each entry, and every import site.
    Why(WhyArgs),
    /// Write a ballast.json with budgets at today's sizes plus headroom.
    Init(InitArgs),
    /// Print the JSON schema of ballast.json.
    Schema,
    /// What a finding or diagnostic code means, why it matters and what to do (e.g. `ballast explain split-point`).
    Explain {
        /// The code, as printed in brackets: `split-point`, `unresolved-import`, …
        code: String,
    },
}

#[derive(Args, Clone)]
pub struct ProjectArgs {
    /// Project directory, or entry files (default: the current directory). Several directories (`apps/*`), or a
    /// workspace root (`workspaces` in ballast.json or package.json, pnpm-workspace.yaml): one analysis per app.
    pub paths: Vec<PathBuf>,
    /// Config file: ballast.json, a Lighthouse budget.json or .size-limit.json (default: ./ballast.json if present).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Build mode: the Vite plugin's bundle JSON, an esbuild metafile, webpack stats.json or a dist/ folder with sourcemaps.
    #[arg(long)]
    pub stats: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    pub md: Option<PathBuf>,
    /// An earlier `--json` report of this project: the HTML report gets a compare view against it (growth and
    /// shrinkage coloured on the treemap, added and removed modules).
    #[arg(long, value_name = "FILE", requires = "html")]
    pub baseline: Option<PathBuf>,
    /// What to print on stdout (default: text; github when GITHUB_ACTIONS=true).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// auto follows the target: the project's esbuild for Vite ≤ 7 and esbuild (oxc when it is not
    /// installed), oxc for Vite 8/Rolldown, swc for webpack/Rspack/Next.
    #[arg(long, value_enum, default_value_t = MinifierChoice::Auto)]
    pub minifier: MinifierChoice,
    /// Bundler semantics (default: detected from the project).
    #[arg(long, value_enum)]
    pub target: Option<Bundler>,
    /// gzip, brotli, gzip,brotli or none.
    #[arg(long)]
    pub compression: Option<String>,
    /// Cache folder (default: node_modules/.cache/ballast).
    #[arg(long)]
    pub cache_dir: Option<PathBuf>,
    #[arg(long)]
    pub no_cache: bool,
    /// List every diagnostic (by default those from node_modules are one line per package).
    #[arg(long, short)]
    pub verbose: bool,
    /// analyze, check: keep running; on a change to a file the analysis read, run again and rewrite the reports.
    #[arg(long)]
    pub watch: bool,
    /// With --watch: serve the HTML report on 127.0.0.1 (this port; a free one when omitted); the page reloads
    /// itself after each run.
    #[arg(long, value_name = "PORT", num_args = 0..=1, default_missing_value = "0", requires = "watch")]
    pub serve: Option<u16>,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Md,
    Github,
}

#[derive(Args)]
pub struct DiffArgs {
    pub base: PathBuf,
    pub head: PathBuf,
    /// Fail (exit 1) when the total gzip size grew by more than this: a percent (`10%`, or a bare number: `10`
    /// means 10%, as `maxIncrease` in ballast.json) or a size (`5 kB`).
    #[arg(long)]
    pub max_increase: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub md: Option<PathBuf>,
    /// What to print on stdout: text (default) or md (default when GITHUB_ACTIONS=true).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

#[derive(Args)]
pub struct WhyArgs {
    /// A module path (or a unique part of one) or a package name.
    pub query: String,
    #[command(flatten)]
    pub project: ProjectArgs,
}

#[derive(Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Headroom over today's sizes, in percent.
    #[arg(long, default_value_t = 10.0)]
    pub headroom: f64,
}
