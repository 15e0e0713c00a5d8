use ballast_common::{ImportIdx, ModuleIdx};
use ballast_graph::*;

/// A graph from `(from, to, kind)` triples over modules named by number.
fn graph(n: usize, edges: &[(usize, usize, ImportKind)]) -> ModuleGraph {
    let mut g = ModuleGraph::default();
    for i in 0..n {
        g.modules.push(Module {
            path: format!("m{i:02}.js"),
            abs_path: format!("/p/m{i:02}.js").into(),
            kind: ModuleKind::Js,
            format: ModuleFormat::Esm,
            package: None,
            source: None,
            raw_size: 10,
            stamp: None,
            side_effects: true,
            pure_commonjs: false,
            local_exports: vec![],
            imports: vec![],
            declarations: vec![],
            rendered_size: None,
            link: None,
        });
    }
    for (i, &(from, to, kind)) in edges.iter().enumerate() {
        g.imports.push(Import {
            from: ModuleIdx::new(from),
            to: Some(ModuleIdx::new(to)),
            specifier: format!("./m{to:02}.js"),
            kind,
            names: ImportedNames::All,
            line: 1,
            column: 1,
        });
        g.modules[from].imports.push(ImportIdx::new(i));
    }
    g
}

const S: ImportKind = ImportKind::Static;
const D: ImportKind = ImportKind::Dynamic;

#[test]
fn reachability_stops_at_dynamic_imports_when_static_only() {
    let g = graph(4, &[(0, 1, S), (1, 2, D), (2, 3, S)]);
    let mask = reachable(&g, &[ModuleIdx(0)], ImportFilter::STATIC);
    assert_eq!(mask, vec![true, true, false, false]);
    let all = reachable(&g, &[ModuleIdx(0)], ImportFilter::ALL);
    assert_eq!(all, vec![true; 4]);
}

#[test]
fn dominators_find_the_single_gateway() {
    // 0 → 1 → {2, 3} → 4: module 1 dominates 4, 2 and 3 do not.
    let g = graph(5, &[(0, 1, S), (1, 2, S), (1, 3, S), (2, 4, S), (3, 4, S)]);
    let idom = dominators_from_entries(&g, &[ModuleIdx(0)], ImportFilter::STATIC);
    assert_eq!(idom[0], None);
    assert_eq!(idom[4], Some(ModuleIdx(1)));
    assert_eq!(idom[2], Some(ModuleIdx(1)));
}

#[test]
fn cycles_are_sorted_components() {
    let g = graph(5, &[(0, 1, S), (1, 2, S), (2, 1, S), (3, 3, S), (3, 4, S)]);
    let cycles = strongly_connected_cycles(&g, ImportFilter::STATIC);
    assert_eq!(cycles, vec![vec![ModuleIdx(1), ModuleIdx(2)], vec![ModuleIdx(3)]]);
}

#[test]
fn excluded_modules_are_invisible() {
    let g = graph(3, &[(0, 1, S), (1, 2, S)]);
    let included = [true, false, true];
    let filter = ImportFilter { static_only: true, included: Some(&included) };
    assert_eq!(reachable(&g, &[ModuleIdx(0)], filter), vec![true, false, false]);
}
