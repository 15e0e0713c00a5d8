//! Build stats ingestion: the input is written as a stats file and as a sourcemap next to a chunk, then read
//! with `ballast_stats::load_stats` (the only entry point; it takes a path). Any bytes: a `BuildInput` or an error.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        std::fs::create_dir_all(dir.join("dist")).unwrap();
        std::fs::write(dir.join("dist/a.js"), "console.log(1);import('./b.js');\n//# sourceMappingURL=a.js.map\n")
            .unwrap();
        std::fs::write(dir.join("dist/b.js"), "export const b = 2;\n").unwrap();
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = dir();
    let stats = dir.join("stats.json");
    std::fs::write(&stats, data).unwrap();
    let _ = ballast_stats::load_stats(&stats, dir);
    std::fs::write(dir.join("dist/a.js.map"), data).unwrap();
    let _ = ballast_stats::load_stats(&dir.join("dist"), dir);
});
