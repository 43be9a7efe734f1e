enum TestFile {
    A,
    B,
}
::core::compile_error! {
    "`#[ha_connection]` declares a connection type and goes on a unit struct, not on an enum: write `#[ha_connection(file, mode = read_only)] struct TestFile;`"
}
