//! GitHub Actions workflow commands: `::error`/`::warning` annotations for findings and diagnostics with a
//! location, and for budgets (pointing at the budget in the config file).

use ballast_common::Severity;

use crate::render::tables::budget_label;
use crate::{BudgetReport, Report, ResultKind, Status};

pub fn annotations(report: &Report) -> Vec<String> {
    let mut out = Vec::new();
    for f in &report.findings {
        if f.severity == Severity::Info {
            continue;
        }
        out.push(command(
            f.severity,
            f.file.as_deref(),
            f.line,
            f.column,
            &format!("Ballast {}", f.code),
            &f.message,
        ));
    }
    for d in report.diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        out.push(command(
            d.severity,
            d.file.as_deref(),
            d.line,
            d.column,
            &format!("Ballast {}", d.code.as_str()),
            &d.message,
        ));
    }
    if let Some(budgets) = &report.budgets {
        out.extend(budget_annotations(budgets));
    }
    out
}

/// `::error file=ballast.json,line=L,col=C,title=…::message` for each failed result, `::warning …` for each
/// warning, pointing at the budget in its config file. Passed results give no line.
pub fn budget_annotations(report: &BudgetReport) -> Vec<String> {
    report
        .results
        .iter()
        .filter_map(|r| {
            let (command, title) = match r.status {
                Status::Pass => return None,
                Status::Warn => ("warning", "Budget warning"),
                Status::Fail if r.kind == ResultKind::Baseline => ("error", "Size regression"),
                Status::Fail => ("error", "Budget exceeded"),
            };
            Some(format!(
                "::{command} file={},line={},col={},title={}::{}",
                property(&r.file),
                r.line,
                r.column,
                property(&format!("{title}: {}", budget_label(r))),
                data(&r.message)
            ))
        })
        .collect()
}

fn command(
    severity: Severity,
    file: Option<&str>,
    line: Option<u32>,
    col: Option<u32>,
    title: &str,
    message: &str,
) -> String {
    let level = if severity == Severity::Error { "error" } else { "warning" };
    let mut props = Vec::new();
    if let Some(file) = file {
        props.push(format!("file={}", property(file)));
        if let Some(line) = line {
            props.push(format!("line={line}"));
        }
        if let Some(col) = col {
            props.push(format!("col={col}"));
        }
    }
    props.push(format!("title={}", property(title)));
    format!("::{level} {}::{}", props.join(","), data(message))
}

/// Escaping rules of workflow commands: `%`, CR and LF everywhere, plus `:` and `,` in properties.
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_workflow_commands() {
        let line = command(Severity::Error, Some("a,b.ts"), Some(3), Some(1), "T: x", "50%\nnext");
        assert_eq!(line, "::error file=a%2Cb.ts,line=3,col=1,title=T%3A x::50%25%0Anext");
    }
}
