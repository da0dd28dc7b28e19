//! The library's layering: each folder of `src/` may use only the folders below it, so that the
//! pipeline reads one way (text <- ingest <- index <- search <- analysis <- quickwit <- output) and no cycle can
//! come back in. `error.rs` is the root every layer shares and uses none of them.

use std::path::{Path, PathBuf};

/// The library's folders, lowest first.
const LAYERS: [&str; 7] = [
    "text", "ingest", "index", "search", "analysis", "quickwit", "output",
];

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read src folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The top-level modules a source file names as `crate::NAME`, outside comments, with line numbers.
fn crate_paths(source: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (i, line) in source.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let consumed = name.len();
            // `crate::{a, b}` names several at once.
            if let Some(group) = after.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                for part in inner.split(',') {
                    let n: String = part
                        .trim()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !n.is_empty() {
                        found.push((i + 1, n));
                    }
                }
            } else if !name.is_empty() {
                found.push((i + 1, name));
            }
            rest = &after[consumed..];
        }
    }
    found
}

/// Every use of another layer that points up (or at a module the rule does not know), as messages.
fn violations(src: &Path) -> Vec<String> {
    let mut bad = Vec::new();
    for (rank, layer) in LAYERS.iter().enumerate() {
        let dir = src.join(layer);
        assert!(dir.is_dir(), "src/{layer}/ is missing");
        for file in rust_files(&dir) {
            let source = std::fs::read_to_string(&file).expect("read source");
            for (line, name) in crate_paths(&source) {
                let allowed = match LAYERS.iter().position(|l| *l == name) {
                    Some(used) => used <= rank,
                    None => name == "error",
                };
                if !allowed {
                    bad.push(format!(
                        "{}:{line}: the {layer} layer uses crate::{name}",
                        file.display()
                    ));
                }
            }
        }
    }
    let error = std::fs::read_to_string(src.join("error.rs")).expect("read error.rs");
    for (line, name) in crate_paths(&error) {
        bad.push(format!(
            "src/error.rs:{line}: the error root uses crate::{name}"
        ));
    }
    bad
}

#[test]
fn library_layers_only_use_the_layers_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let bad = violations(&src);
    assert!(
        bad.is_empty(),
        "uses against the layering:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_layering_check_sees_an_upward_use() {
    let root = tempfile::tempdir().expect("tmp");
    let src = root.path();
    for layer in LAYERS {
        std::fs::create_dir_all(src.join(layer)).expect("mkdir");
    }
    std::fs::write(src.join("error.rs"), "use std::fmt;\n").expect("write");
    std::fs::write(
        src.join("index/a.rs"),
        "use crate::text::dates;\nuse crate::{error, ingest};\n// crate::search in a comment\n",
    )
    .expect("write");
    assert!(violations(src).is_empty());
    std::fs::write(
        src.join("ingest/b.rs"),
        "fn f() { let _ = crate::search::parse::parse(\"x\"); }\n",
    )
    .expect("write");
    std::fs::write(src.join("error.rs"), "use crate::text::dates::DateBound;\n").expect("write");
    let bad = violations(src);
    assert_eq!(bad.len(), 2, "{bad:?}");
    assert!(
        bad[0].contains("the ingest layer uses crate::search"),
        "{bad:?}"
    );
    assert!(
        bad[1].contains("the error root uses crate::text"),
        "{bad:?}"
    );
}
