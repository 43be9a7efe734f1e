//! Compile-fail and compile-pass cases for the ha-cover macros live in `tests/`;
//! see `tests/ui.rs` for how to run and update them.

/// A crate that re-exports ha-cover under another path, for the
/// `#[recoverable(crate = ...)]` case.
pub mod reexport {
    pub use ha_cover as ha;
}
