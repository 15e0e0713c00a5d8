use std::path::{Component, Path};

/// A stable, `/`-separated path of `path` relative to `root`; `../` segments where it lies outside.
pub fn relative_path(root: &Path, path: &Path) -> String {
    let root: Vec<Component> = root.components().collect();
    let path_components: Vec<Component> = path.components().collect();
    let common = root.iter().zip(&path_components).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..root.len() {
        parts.push("..".to_string());
    }
    for component in &path_components[common..] {
        parts.push(component.as_os_str().to_string_lossy().into_owned());
    }
    if parts.is_empty() { ".".to_string() } else { parts.join("/") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_and_outside_root() {
        let root = Path::new("/p/app");
        assert_eq!(relative_path(root, Path::new("/p/app/src/a.ts")), "src/a.ts");
        assert_eq!(relative_path(root, Path::new("/p/lib/x.js")), "../lib/x.js");
        assert_eq!(relative_path(root, Path::new("/p/app")), ".");
    }
}
