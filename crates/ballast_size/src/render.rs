//! A module as its bundler prints it before minifying: the statements the link stage keeps, in source order,
//! with its import declarations (so the minifier knows imported names) and one export list of what is used.

use std::borrow::Cow;

use ballast_graph::{Module, StatementKind};
use ballast_link::Linked;

/// The code to minify for module `m`; `None` when nothing of it is kept.
pub fn render_module<'m>(module: &'m Module, linked: &Linked, m: usize) -> Option<Cow<'m, str>> {
    let source = module.source.as_deref()?;
    let Some(link) = module.link.as_ref().filter(|_| !linked.whole[m]) else {
        return Some(Cow::Borrowed(source));
    };
    let kept = &linked.kept_statements[m];
    let mut out = String::with_capacity(source.len() / 2);
    let mut next = kept.iter().peekable();
    for (s, statement) in link.statements.iter().enumerate() {
        let is_kept = next.peek().is_some_and(|&&k| k as usize == s);
        if is_kept {
            next.next();
        }
        let Some(text) = source.get(statement.start as usize..statement.end as usize) else { continue };
        let printed = match statement.kind {
            StatementKind::Import => true,
            StatementKind::ExportList => false,
            StatementKind::Code => is_kept,
        };
        if !printed {
            continue;
        }
        out.push_str(text);
        out.push_str(if text.ends_with(';') { "\n" } else { ";\n" });
    }
    let used = linked.used_exports[m].as_ref();
    // Rollup binds `export default name` to `name`: the kept `name` is what is exported.
    let alias = link
        .default_alias
        .as_ref()
        .filter(|_| used.is_some_and(|u| u.contains("default")))
        .filter(|_| {
            !link
                .statements
                .iter()
                .enumerate()
                .any(|(s, st)| st.declares == ["default"] && kept.contains(&(s as u32)))
        })
        .map(|a| ("default".to_string(), a.clone()));
    let exports: Vec<String> = link
        .listed_exports
        .iter()
        .chain(alias.as_ref())
        .filter(|(exported, local)| {
            used.is_none_or(|u| u.contains(exported)) && link.import_binding(local).is_none()
        })
        .map(
            |(exported, local)| {
                if exported == local { local.clone() } else { format!("{local} as {exported}") }
            },
        )
        .collect();
    if !exports.is_empty() {
        out.push_str("export { ");
        out.push_str(&exports.join(", "));
        out.push_str(" };\n");
    }
    Some(Cow::Owned(out))
}
