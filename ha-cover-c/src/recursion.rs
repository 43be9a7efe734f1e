//! Whether this thread is running a recovery function: a failure then is not
//! recovered again (QNX: no recursion from inside a recovery), and the
//! recovery function gets the error.

use std::cell::Cell;

thread_local! {
    static RECOVERING: Cell<bool> = const { Cell::new(false) };
}

/// Whether the calling thread is inside a recovery function.
pub(crate) fn inside() -> bool {
    RECOVERING.with(Cell::get)
}

/// Runs `f` marked as inside a recovery function.
pub(crate) fn run<T>(f: impl FnOnce() -> T) -> T {
    let outer = RECOVERING.with(|r| r.replace(true));
    let result = f();
    RECOVERING.with(|r| r.set(outer));
    result
}
