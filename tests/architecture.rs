//! The module graph stays one-directional: no module of `src/` reaches back, through `crate::`
//! paths, to a module that depends on it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module → the top-level modules its code names with `crate::` (tests left out).
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for e in walkdir::WalkDir::new(&src) {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let rel = e.path().strip_prefix(&src).unwrap().with_extension("");
        let module = rel.iter().next().unwrap().to_string_lossy().to_string();
        if module == "main" || module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        let deps = graph.entry(module.clone()).or_default();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for (i, _) in line.match_indices("crate::") {
                let name: String = line[i + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module {
                    deps.insert(name);
                }
            }
        }
    }
    graph
}

#[test]
fn no_module_depends_on_itself_through_others() {
    let graph = module_graph();
    assert!(graph.len() > 20, "{:?}", graph.keys());
    // Depth-first search for a path back to the start.
    let mut cycles = Vec::new();
    for start in graph.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                if next == start {
                    cycles.push(format!("{} -> {start}", path.join(" -> ")));
                } else if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_stages_do_not_know_their_drivers() {
    let graph = module_graph();
    for stage in [
        "config",
        "content",
        "frontmatter",
        "model",
        "site",
        "audit",
        "fragments",
        "render",
        "views",
        "search",
        "output",
        "pipeline",
    ] {
        for driver in ["build", "check", "bundle", "serve"] {
            assert!(
                !graph[stage].contains(driver),
                "`{stage}` uses the `{driver}` driver"
            );
        }
    }
}
