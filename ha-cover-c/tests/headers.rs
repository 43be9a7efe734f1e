//! A program written against QNX's `<ha/cover.h>`, using every declaration
//! it has, compiles unmodified with `-I ha-cover-c/include -lha_cover` (as C99
//! with every warning an error, and as C++), links against the shared and the
//! static library, and runs.

mod common;

use std::process::Command;

use common::{Program, build, compile, source};

fn runs(exe: &std::path::Path) {
    let dir = tempfile_dir();
    let file = dir.join("file");
    let mut program = Program::start(exe, &[file.to_str().unwrap()], &[]);
    program.expect("ok recoveries 0");
    program.succeeds();
    let _ = std::fs::remove_dir_all(dir);
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = build().out.join(format!(
        "run-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn qnx_program_compiles_unmodified_as_c99_and_runs() {
    let exe = compile(
        "qnx_header",
        "-c99",
        &[
            "-std=c99",
            "-D_POSIX_C_SOURCE=200809L",
            "-Wextra",
            "-pedantic",
        ],
    );
    runs(&exe);
}

#[test]
fn qnx_program_compiles_as_cpp() {
    let build = build();
    let exe = build.out.join("qnx_header-cpp");
    let output = Command::new("c++")
        .args(["-x", "c++", "-Wall", "-Wextra", "-Werror", "-I"])
        .arg(&build.include)
        .arg(source("qnx_header"))
        .args(["-x", "none", "-o"])
        .arg(&exe)
        .arg("-L")
        .arg(&build.lib_dir)
        .arg(format!("-Wl,-rpath,{}", build.lib_dir.display()))
        .arg("-lha_cover")
        .output()
        .expect("c++ runs (install g++)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    runs(&exe);
}

#[test]
fn qnx_program_links_the_static_library() {
    let build = build();
    let exe = build.out.join("qnx_header-static");
    let output = Command::new("cc")
        .args(["-Wall", "-Werror", "-I"])
        .arg(&build.include)
        .arg(source("qnx_header"))
        .arg("-o")
        .arg(&exe)
        .arg(build.lib_dir.join("libha_cover.a"))
        .args([
            "-lgcc_s",
            "-lutil",
            "-lrt",
            "-lpthread",
            "-lm",
            "-ldl",
            "-lc",
        ])
        .output()
        .expect("cc runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    runs(&exe);
}
