//! The library the C tests run is the one users build with
//! `cargo build -p ha-cover-c`: ha-cover without its `tokio` and
//! `fault-injection` features, which other crates of the workspace turn on
//! and which cargo would unify into a library built beside them.
//!
//! The linker drops the code nothing exported reaches, so a library built
//! with those features has no tokio function in its symbol table either way;
//! what shows the features is what it was built from (cargo's dep-info beside
//! it lists every source file of the workspace that went in) and its debug
//! information, which names tokio's types and files in such a build.

mod common;

use std::path::Path;

use common::build;

/// The workspace's source files the tested library was compiled from.
fn sources() -> Vec<String> {
    let dep_info = build().lib_dir.join("libha_cover.d");
    let text = std::fs::read_to_string(&dep_info)
        .unwrap_or_else(|e| panic!("cargo's dep-info {dep_info:?}: {e}"));
    let (_, inputs) = text.split_once(": ").expect("`<output>: <inputs>`");
    inputs.split_whitespace().map(str::to_owned).collect()
}

#[test]
fn the_tested_library_is_built_without_tokio_and_fault_injection() {
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .join("ha-cover/src");
    let sources = sources();
    assert!(
        sources
            .iter()
            .any(|s| Path::new(s) == runtime.join("cover.rs")),
        "ha-cover's own sources are not in the dep-info: {sources:#?}"
    );
    let gated: Vec<&String> = sources
        .iter()
        .filter(|s| {
            Path::new(s).starts_with(runtime.join("tokio"))
                || Path::new(s).starts_with(runtime.join("fault"))
                || Path::new(s) == runtime.join("fault.rs")
        })
        .collect();
    assert!(
        gated.is_empty(),
        "the tested libha_cover.so was built with ha-cover's tokio or \
         fault-injection feature, which `cargo build -p ha-cover-c` leaves \
         out: {gated:#?}"
    );
}

#[test]
fn the_tested_library_names_nothing_of_tokio() {
    let lib = build().lib_dir.join("libha_cover.so");
    let bytes = std::fs::read(&lib).unwrap_or_else(|e| panic!("{lib:?}: {e}"));
    let mentions = bytes.windows(5).filter(|w| w == b"tokio").count();
    assert_eq!(
        mentions, 0,
        "{lib:?} mentions tokio {mentions} times (its symbols or debug \
         information): it was built with ha-cover's tokio feature"
    );
}
