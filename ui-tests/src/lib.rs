//! Compile-fail and compile-pass cases for the ha-cover macros live in `tests/`.
