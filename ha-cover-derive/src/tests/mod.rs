//! Expansion snapshots: what the derive writes for each kind of input, so every
//! change to the generated code is reviewed as a diff of `snapshots/*.rs`
//! (`#[ha_connection]`'s are in `connection.rs` and `snapshots/connection/`).
//!
//! After a deliberate change, regenerate them with
//! `UPDATE_EXPECT=1 cargo test -p ha-cover-derive` and review the diff. The
//! published package does not carry them.

mod connection;

use expect_test::{ExpectFile, expect_file};

/// The derive's output for `input`, formatted.
fn expand(input: &str) -> String {
    let input: syn::DeriveInput = syn::parse_str(input).expect("the test input is Rust");
    let output = crate::recoverable::derive(&input);
    let file: syn::File = syn::parse2(output).expect("the derive writes items");
    unparse(file)
}

/// `file` formatted, including the items the macros gate behind ha-cover's
/// `tokio` feature (`if_tokio! { ... }`, at the top level or in a `const _`
/// block), which prettyplease would print as one line of tokens.
fn unparse(mut file: syn::File) -> String {
    let mut gated = Vec::new();
    for item in &mut file.items {
        match item {
            syn::Item::Macro(mac) => {
                if let Some(placeholder) = lift(&mac.mac, &mut gated) {
                    mac.mac = placeholder;
                    mac.semi_token = Some(Default::default());
                }
            }
            syn::Item::Const(konst) => {
                let syn::Expr::Block(block) = &mut *konst.expr else {
                    continue;
                };
                for stmt in &mut block.block.stmts {
                    let syn::Stmt::Macro(mac) = stmt else {
                        continue;
                    };
                    if let Some(placeholder) = lift(&mac.mac, &mut gated) {
                        mac.mac = placeholder;
                        mac.semi_token = Some(Default::default());
                    }
                }
            }
            _ => {}
        }
    }
    let mut text = prettyplease::unparse(&file);
    for (placeholder, path, inner) in gated {
        let at = text
            .find(&format!("{placeholder}!();\n"))
            .unwrap_or_else(|| panic!("{placeholder} in\n{text}"));
        let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        let indent = text[line_start..at].to_owned();
        let body: String = unparse(inner)
            .lines()
            .map(|line| match line {
                "" => "\n".to_owned(),
                line => format!("{indent}    {line}\n"),
            })
            .collect();
        let end = at + placeholder.len() + "!();\n".len();
        text.replace_range(
            line_start..end,
            &format!("{indent}{path}! {{\n{body}{indent}}}\n"),
        );
    }
    text
}

/// A placeholder for `mac` if it is `if_tokio! { ... }`, keeping its items.
fn lift(mac: &syn::Macro, gated: &mut Vec<(String, String, syn::File)>) -> Option<syn::Macro> {
    if mac
        .path
        .segments
        .last()
        .is_none_or(|s| s.ident != "if_tokio")
    {
        return None;
    }
    let inner: syn::File = syn::parse2(mac.tokens.clone()).expect("gated items");
    let path = quote::ToTokens::to_token_stream(&mac.path).to_string();
    let placeholder = quote::format_ident!("__gated_{}", gated.len());
    gated.push((placeholder.to_string(), path.replace(' ', ""), inner));
    Some(syn::parse_quote!(#placeholder!()))
}

fn check(input: &str, expected: ExpectFile) {
    compare(&expand(input), expected);
}

/// Compares an expansion with its snapshot. The published package leaves the
/// snapshots out (they are reviewed in the repository): there the expansion
/// is still written and parsed, and the comparison is skipped, saying so.
fn compare(expanded: &str, expected: ExpectFile) {
    let snapshots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tests/snapshots");
    if !snapshots.is_dir() {
        println!("SKIPPED comparing with the snapshot: the package has no {snapshots:?}");
        return;
    }
    expected.assert_eq(expanded);
}

#[test]
fn reopen_seek_with_offset_and_recoveries() {
    check(
        r#"
        #[recoverable(strategy = reopen_seek)]
        struct Handle {
            #[ha(offset)] curr_offset: u64,
            #[ha(recoveries)] nr: u32,
            label: String,
        }
        "#,
        expect_file!["snapshots/reopen_seek.rs"],
    );
}

#[test]
fn reopen_to_a_replica_path() {
    check(
        r#"
        #[recoverable(strategy = reopen)]
        struct Failover(#[ha(path)] Option<PathBuf>, #[ha(recoveries)] u64);
        "#,
        expect_file!["snapshots/reopen_path.rs"],
    );
}

#[test]
fn reconnect_to_an_address_with_an_after_hook() {
    check(
        r#"
        #[recoverable(strategy = reconnect, after = protocol::resume)]
        struct Resume {
            #[ha(offset)] received: u64,
            #[ha(addr)] replica: Option<SocketAddr>,
        }
        "#,
        expect_file!["snapshots/reconnect_after.rs"],
    );
}

#[test]
fn a_handshake_on_the_first_connection_too() {
    check(
        r#"
        #[recoverable(strategy = reconnect, after = login, on_connect, connection = UnixStream)]
        struct Session {
            db: u32,
        }
        "#,
        expect_file!["snapshots/reconnect_on_connect.rs"],
    );
}

#[test]
fn reconnect_where_a_discovery_says_with_hooks() {
    check(
        r#"
        #[recoverable(
            strategy = reconnect,
            discover = sentinel::primary,
            discover_async = sentinel::primary_async,
            after = handshake,
            after_async = handshake_async,
        )]
        struct Session {
            #[ha(addr)] primary: Option<SocketAddr>,
            #[ha(recoveries)] failovers: u64,
        }
        "#,
        expect_file!["snapshots/reconnect_discover.rs"],
    );
}

#[test]
fn reconnect_where_a_discovery_says_without_a_field() {
    check(
        r#"
        #[recoverable(strategy = reconnect, discover_async = srv::lookup)]
        struct Session;
        "#,
        expect_file!["snapshots/reconnect_discover_async.rs"],
    );
}

#[test]
fn with_a_named_connection() {
    check(
        r#"
        #[recoverable(with = recover_conn, connection = std::fs::File)]
        struct Handle { #[ha(offset)] curr_offset: u64 }
        "#,
        expect_file!["snapshots/with_named.rs"],
    );
}

#[test]
fn with_any_connection_with_bounds() {
    check(
        r#"
        #[recoverable(with = recover, connection = impl ReopenTarget + Send, after = check)]
        struct Handle;
        "#,
        expect_file!["snapshots/with_impl.rs"],
    );
}

#[test]
fn generic_handle() {
    check(
        r#"
        #[recoverable(strategy = reopen_seek)]
        struct Handle<'a, C: Clone, O = u64> where O: Copy {
            #[ha(offset)] offset: O,
            user: &'a C,
        }
        "#,
        expect_file!["snapshots/generic.rs"],
    );
}

#[test]
fn crate_path() {
    check(
        r#"
        #[recoverable(crate = my_runtime::ha, strategy = reconnect)]
        struct Session;
        "#,
        expect_file!["snapshots/crate_path.rs"],
    );
}

#[test]
fn state_capture_only() {
    check(
        r#"
        struct Handle { #[ha(offset)] offset: u64 }
        "#,
        expect_file!["snapshots/state_only.rs"],
    );
}

#[test]
fn errors_come_with_the_fallback() {
    check(
        r#"
        #[recoverable(strategy = reopen_seek, atfer = hook)]
        struct Handle<T> {
            #[ha(ofset)] offset: u64,
            #[ha(recoveries)] nr: u32,
            #[ha(recoveries)] again: u32,
            user: T,
        }
        "#,
        expect_file!["snapshots/errors.rs"],
    );
}

#[test]
fn an_enum_gets_the_fallback() {
    check(
        r#"
        #[recoverable(strategy = reopen)]
        enum Handle { A, B }
        "#,
        expect_file!["snapshots/enum.rs"],
    );
}
