//! Procedural macros for [`ha-cover`](https://docs.rs/ha-cover). Use them through
//! `ha_cover`, which re-exports them; this crate is an implementation detail.
