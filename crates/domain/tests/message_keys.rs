//! Every message key the code names is in the table, in English and Chinese.
//!
//! The workspace's sources are scanned for the literal keys of
//! `Message::new("…")`, `Message::detail("…", …)` and the keys of
//! UNAUTHENTICATED errors: a key missing from
//! the table would be shown to users as its bare `{detail}` or not at all.

use std::path::{Path, PathBuf};

use iurhub_domain::messages;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if !path.ends_with("target") {
                sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The literal keys after `pattern` (whitespace allowed before the quote).
fn keys_after<'a>(text: &'a str, pattern: &str) -> Vec<&'a str> {
    let mut keys = Vec::new();
    for (at, _) in text.match_indices(pattern) {
        let rest = text[at + pattern.len()..].trim_start();
        if let Some(rest) = rest.strip_prefix('"')
            && let Some(end) = rest.find('"')
        {
            keys.push(&rest[..end]);
        }
    }
    keys
}

#[test]
fn every_key_the_code_names_is_in_the_table() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = Vec::new();
    sources(crates, &mut files);
    assert!(files.len() > 50, "the scan found the workspace's sources");
    let mut missing = Vec::new();
    for file in &files {
        if file.ends_with("tests/message_keys.rs") {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        for pattern in ["Message::new(", "Message::detail(", "nauthenticated("] {
            for key in keys_after(&text, pattern) {
                if !messages::is_known(key) {
                    missing.push(format!("{}: {key}", file.display()));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keys not in the table:\n{}",
        missing.join("\n")
    );
}
