//! Generated code for async covers, kept or dropped by ha-cover's `tokio`
//! feature.
//!
//! A proc macro cannot see the features of the crate whose code it writes, and
//! a `#[cfg(feature = "tokio")]` it wrote would test the user's crate. So the
//! async half of its output goes through these macros, defined one way or the
//! other here, where the feature is known.

/// The tokens as they are with the `tokio` feature, nothing without it.
#[cfg(all(feature = "tokio", not(loom)))]
#[doc(hidden)]
#[macro_export]
macro_rules! __ha_cover_if_tokio {
    ($($tokens:tt)*) => {
        $($tokens)*
    };
}

/// The tokens as they are with the `tokio` feature, nothing without it.
#[cfg(not(all(feature = "tokio", not(loom))))]
#[doc(hidden)]
#[macro_export]
macro_rules! __ha_cover_if_tokio {
    ($($tokens:tt)*) => {};
}

/// Nothing with the `tokio` feature; without it, an error at the invocation,
/// which the macros span at the key that asked for an async form.
#[cfg(all(feature = "tokio", not(loom)))]
#[doc(hidden)]
#[macro_export]
macro_rules! __ha_cover_require_tokio {
    ($key:literal) => {};
}

/// Nothing with the `tokio` feature; without it, an error at the invocation,
/// which the macros span at the key that asked for an async form.
#[cfg(not(all(feature = "tokio", not(loom))))]
#[doc(hidden)]
#[macro_export]
macro_rules! __ha_cover_require_tokio {
    ($key:literal) => {
        ::core::compile_error!(::core::concat!(
            "`",
            $key,
            "` makes async covers, which need ha-cover's `tokio` feature: `ha-cover = { version = \"0.1\", features = [\"tokio\"] }`"
        ));
    };
}

pub use crate::__ha_cover_if_tokio as if_tokio;
pub use crate::__ha_cover_require_tokio as require_tokio;
