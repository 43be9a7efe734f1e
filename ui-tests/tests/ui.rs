//! Compile-fail and compile-pass cases for the ha-cover macros, one file per case.
//!
//! Each `tests/ui/<macro>/<topic>/<case>.rs` that must not compile has the error
//! rustc prints beside it in `<case>.stderr`. After a deliberate change to a
//! message (or a new rustc), regenerate the expectations with
//!
//! ```text
//! TRYBUILD=overwrite cargo test -p ha-cover-ui-tests
//! ```
//!
//! and review the diff of the `.stderr` files like any other change.

#[test]
fn derive_recoverable() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/derive/pass/*.rs");
    for topic in [
        "conflict",
        "duplicate",
        "malformed",
        "missing",
        "not-a-struct",
        "unknown",
        "wrong-connection",
        "wrong-signature",
        "wrong-type",
        "several",
    ] {
        t.compile_fail(format!("tests/ui/derive/{topic}/*.rs"));
    }
}

#[test]
fn ha_connection() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/connection/pass/*.rs");
    for topic in [
        "not-a-struct",
        "unknown",
        "duplicate",
        "kind",
        "missing",
        "conflict",
        "limits",
        "duration",
        "triggers",
        "misuse",
        "handle",
        "policy",
        "name",
        "several",
    ] {
        t.compile_fail(format!("tests/ui/connection/{topic}/*.rs"));
    }
}
