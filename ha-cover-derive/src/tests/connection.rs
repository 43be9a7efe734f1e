//! What `#[ha_connection]` writes for each kind of declaration.

use expect_test::{ExpectFile, expect_file};

/// The attribute's output for `args` on `item`, formatted.
fn expand(args: &str, item: &str) -> String {
    let args: proc_macro2::TokenStream = args.parse().expect("the test arguments are tokens");
    let item: proc_macro2::TokenStream = item.parse().expect("the test item is tokens");
    let output = crate::connection::expand(args, item);
    let file: syn::File = syn::parse2(output).expect("the attribute writes items");
    super::unparse(file)
}

fn check(args: &str, item: &str, expected: ExpectFile) {
    super::compare(&expand(args, item), expected);
}

#[test]
fn the_seeds_file_with_a_handle_and_a_policy() {
    check(
        "file, mode = read_only, handle = Handle, attempts = 5, backoff = exponential(10ms, 2s), deadline = 30s, name = \"testfile\"",
        "/// The seed's file.\npub struct TestFile;",
        expect_file!["snapshots/connection/file_read_only.rs"],
    );
}

#[test]
fn an_append_only_file_without_a_handle() {
    check(
        "file, mode = append, total = 3, backoff = fixed(1.5s), deadline = none",
        "struct Journal;",
        expect_file!["snapshots/connection/file_append.rs"],
    );
}

#[test]
fn an_append_only_file_with_a_handle_gets_the_strategy_probe() {
    check(
        "file, mode = append, handle = Log",
        "struct Journal;",
        expect_file!["snapshots/connection/file_append_handle.rs"],
    );
}

#[test]
fn a_sequential_writer_with_a_handle_gets_the_strategy_probe() {
    check(
        "file, mode = write_only, handle = Position",
        "struct Output;",
        expect_file!["snapshots/connection/file_write_only_handle.rs"],
    );
}

#[test]
fn a_unix_socket_with_triggers_and_a_write_policy() {
    check(
        "unix, mode = read_write, handle = Session, write_policy = replay, eof_is_failure = true, recover_on = [default, ECONNREFUSED], name = \"echo\"",
        "pub(crate) struct Echo;",
        expect_file!["snapshots/connection/unix_read_write.rs"],
    );
}

#[test]
fn a_tcp_socket_that_only_reads() {
    check(
        "tcp, mode = read_only, recover_on = [ECONNRESET, ETIMEDOUT], backoff = none",
        "struct Ticker;",
        expect_file!["snapshots/connection/tcp_read_only.rs"],
    );
}

#[test]
fn a_connection_type_of_the_users_with_a_recovery_function() {
    check(
        "socket = my::Framed, mode = write_only, write_policy = always, recovery = my::resume, crate = runtime::ha",
        "struct Shipper;",
        expect_file!["snapshots/connection/custom_socket.rs"],
    );
}

#[test]
fn an_async_file_with_a_handle() {
    check(
        "file, asynchronous, mode = read_only, handle = Handle, attempts = 5",
        "/// The seed's file, for tokio.\npub struct TestFile;",
        expect_file!["snapshots/connection/async_file_read_only.rs"],
    );
}

#[test]
fn an_async_append_only_file_with_a_handle_gets_the_async_probe() {
    check(
        "file, mode = append, asynchronous, handle = Log",
        "struct Journal;",
        expect_file!["snapshots/connection/async_file_append_handle.rs"],
    );
}

#[test]
fn an_async_unix_socket_with_a_recovery_function() {
    check(
        "unix, asynchronous, mode = read_write, write_policy = replay, handle = Session, recovery = session::resume",
        "pub(crate) struct Echo;",
        expect_file!["snapshots/connection/async_unix_read_write.rs"],
    );
}

#[test]
fn an_async_tcp_socket_that_only_writes() {
    check(
        "tcp, asynchronous, mode = write_only, write_policy = never",
        "struct Metrics;",
        expect_file!["snapshots/connection/async_tcp_write_only.rs"],
    );
}

#[test]
fn an_async_connection_type_of_the_users() {
    check(
        "file = my::Counted, asynchronous, mode = read_write",
        "struct Counted;",
        expect_file!["snapshots/connection/async_custom_file.rs"],
    );
}

#[test]
fn async_errors_come_with_the_fallback() {
    check(
        "tcp, asynchronous, mode = read_write, asynchronous",
        "struct Echo;",
        expect_file!["snapshots/connection/async_errors.rs"],
    );
}

#[test]
fn errors_come_with_the_fallback() {
    check(
        "unix, mode = read_write, atempts = 5, backoff = fixed(10), recover_on = [ECONNRESTE]",
        "#[derive(Debug)]\nstruct Echo;",
        expect_file!["snapshots/connection/errors.rs"],
    );
}

#[test]
fn an_enum_is_left_as_it_is() {
    check(
        "file, mode = read_only",
        "enum TestFile { A, B }",
        expect_file!["snapshots/connection/enum.rs"],
    );
}
