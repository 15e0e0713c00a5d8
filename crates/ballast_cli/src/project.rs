//! From command-line arguments and the config file to `ballast::Options`, then one analysis.

use std::path::{Path, PathBuf};

use ballast::{MinifierChoice, Options};
use ballast_budget::Config;
use ballast_common::{Compression, Diagnostic};
use ballast_report::Report;
use ballast_report::render::escape::visible;

use crate::Failure;
use crate::args::ProjectArgs;

pub struct Project {
    pub options: Options,
    pub config: Option<Config>,
}

pub fn load(args: &ProjectArgs) -> Result<Project, Failure> {
    let cwd = std::env::current_dir()?;
    let (root, explicit) = match args.paths.as_slice() {
        [] => (cwd.clone(), Vec::new()),
        [one] if one.is_dir() => (cwd.join(one), Vec::new()),
        files => {
            for f in files {
                // Entries travel as UTF-8 text (config, report paths); a lossy name would not be found again.
                if f.to_str().is_none() {
                    return Err(Failure(format!(
                        "{}: the file name is not valid UTF-8; rename the file or pass its folder instead",
                        f.display()
                    )));
                }
                if f.is_dir() {
                    return Err(Failure(format!(
                        "{} is a directory, not an entry file\n  help: pass it alone as the project folder \
                         (`ballast analyze {}`), or name its entry files",
                        f.display(),
                        f.display()
                    )));
                }
                if !f.exists() {
                    return Err(Failure(format!(
                        "{} does not exist: pass a project folder or entry files",
                        f.display()
                    )));
                }
            }
            let entries = files.iter().map(|f| relative_to(&cwd, &cwd.join(f))).collect();
            (cwd.clone(), entries)
        }
    };
    let root = std::fs::canonicalize(&root)
        .map_err(|e| Failure(format!("cannot open the project folder {}: {e}", root.display())))?;
    let config_path = args.config.clone().or_else(|| Some(root.join("ballast.json")).filter(|p| p.is_file()));
    let cwd = std::fs::canonicalize(&cwd).unwrap_or(cwd);
    let config = match &config_path {
        // Relative to the working directory, so messages and GitHub annotations name it as the repo does.
        Some(path) => {
            let shown = path.strip_prefix(&cwd).map(Path::to_path_buf).unwrap_or_else(|_| path.clone());
            Some(ballast_budget::load_config(&shown).map_err(|e| Failure(e.to_string()))?)
        }
        None => None,
    };
    let baseline: Vec<PathBuf> = config
        .iter()
        .filter_map(|c| c.baseline.as_ref())
        .map(|b| root.join(&b.file))
        .chain(args.baseline.clone())
        .collect();
    crate::output::check_outputs_before(args, config_path.as_deref(), &baseline)?;

    let mut options = Options::new(root.clone());
    options.entries = explicit;
    options.aliases = config.as_ref().map(|c| c.aliases.clone()).unwrap_or_default();
    if options.entries.is_empty()
        && let Some(c) = &config
    {
        options.entries = c.entries.clone();
    }
    options.target = args.target.or_else(|| config.as_ref().and_then(|c| c.target));
    options.minifier = match args.minifier {
        MinifierChoice::Auto => config.as_ref().and_then(|c| c.minifier).unwrap_or_default(),
        chosen => chosen,
    };
    options.compression = match &args.compression {
        Some(text) => Compression::parse(text).map_err(Failure)?,
        None => match &config {
            Some(c) => c.compression.unwrap_or(Compression { gzip: true, brotli: c.needs_brotli() }),
            None => Compression::default(),
        },
    };
    if let Some(heavy) = config.as_ref().and_then(|c| c.heavy.as_ref()) {
        if let Some(min) = heavy.min {
            options.heavy_min_bytes = min;
        }
        if let Some(share) = heavy.share {
            options.heavy_share = share / 100.0;
        }
    }
    options.stats = args.stats.clone();
    if !args.no_cache {
        options.cache_dir = args.cache_dir.clone().or_else(|| {
            let nm = root.join("node_modules");
            nm.is_dir().then(|| nm.join(".cache").join("ballast"))
        });
        if let Some(dir) = &options.cache_dir
            && let Err(e) = probe_cache_dir(dir)
        {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "warning: the cache folder {} is not usable ({e}); running without a cache",
                visible(&dir.display().to_string())
            );
            options.cache_dir = None;
        }
    }
    Ok(Project { options, config })
}

pub fn analyze(project: &Project) -> Result<Report, Failure> {
    let spinner = crate::progress::spinner("analysing");
    let result = analyze_quietly(project);
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    result
}

/// The analysis with no spinner (a monorepo's apps run in parallel under one).
pub fn analyze_quietly(project: &Project) -> Result<Report, Failure> {
    let mut report = ballast::analyze(&project.options)
        .map_err(|ballast::AnalyzeError::Input(diagnostics)| Failure(describe(&diagnostics)))?;
    if let Some(config) = &project.config {
        report.diagnostics.extend(config.warnings.iter().cloned());
    }
    Ok(report)
}

/// Diagnostics as `file:line:column: message` with their help, one block each.
pub fn describe(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            let mut s = match d.location() {
                Some(at) => format!("{}: {}", visible(&at), visible(&d.message)),
                None => visible(&d.message).into_owned(),
            };
            if let Some(help) = &d.help {
                s.push_str(&format!("\n  help: {}", visible(help)));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether a cache entry can be written under `dir`: the folder is created and a probe file written and removed.
fn probe_cache_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let probe = dir.join(format!(".probe-{}", std::process::id()));
    std::fs::write(&probe, b"")?;
    std::fs::remove_file(&probe)
}

fn relative_to(root: &Path, path: &Path) -> String {
    let clean: PathBuf = path.components().collect();
    ballast_common::relative_path(root, &clean)
}
