//! A program written against QNX's `<ha/cover.h>`, using every declaration
//! it has, compiles unmodified with `-I ha-cover-c/include -lha_cover` (as C99
//! with every warning an error, and as C++), links against the shared and the
//! static library, and runs; so does it with the README's own `cc` lines.

mod common;

use std::path::Path;
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

/// The `cc` lines of the README's C section, joined where they continue.
fn readme_cc_lines() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("From C"))
        .expect("README's C section");
    section
        .split("```sh\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .flat_map(|block| {
            block
                .replace("\\\n", " ")
                .lines()
                .filter(|line| line.starts_with("cc "))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_readme_cc_lines_build_programs_that_run() {
    let lines = readme_cc_lines();
    // The shared library's line and the static library's.
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(lines.iter().any(|l| l.contains("-lha_cover")), "{lines:#?}");
    assert!(
        lines.iter().any(|l| l.contains("libha_cover.a")),
        "{lines:#?}"
    );
    let build = build();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace");
    for (n, line) in lines.iter().enumerate() {
        // As written, run from the workspace's root, but with this build's
        // library for target/release's and the test program for client.c.
        let exe = build.out.join(format!("readme-{n}"));
        let lib_dir = build.lib_dir.to_str().expect("a UTF-8 path");
        let command = line
            .replace("\"$PWD/target/release\"", lib_dir)
            .replace("target/release", lib_dir)
            .replace("client.c", source("qnx_header").to_str().expect("UTF-8"))
            .replace("-o client", &format!("-o {}", exe.display()));
        let output = Command::new("sh")
            .args(["-c", &command])
            .current_dir(root)
            .output()
            .expect("sh runs");
        assert!(
            output.status.success(),
            "{line}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        runs(&exe);
    }
}
