//! The report writes kinds and formats with `as_str`; serde (the cache, the link facts) with its own names.
//! They must be the same words.

use ballast_graph::{ModuleFormat, ModuleKind};

#[test]
fn names_are_the_serde_names() {
    for k in [
        ModuleKind::Js,
        ModuleKind::Ts,
        ModuleKind::Jsx,
        ModuleKind::Tsx,
        ModuleKind::Css,
        ModuleKind::Json,
        ModuleKind::Asset,
        ModuleKind::Wasm,
        ModuleKind::Text,
    ] {
        assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.as_str()));
    }
    for f in [ModuleFormat::Esm, ModuleFormat::Cjs, ModuleFormat::Mixed, ModuleFormat::None] {
        assert_eq!(serde_json::to_string(&f).unwrap(), format!("\"{}\"", f.as_str()));
    }
}
