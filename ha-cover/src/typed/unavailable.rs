//! What a declared type does not have, present anyway with a bound that says
//! why: a constructor its kind or mode excludes (`create` on a `read_only`
//! file, `connect` on a file), std's or tokio's I/O traits
//! on the other form, and the methods of `File` a cover is asked for by habit
//! (`clone`, `try_clone`, `metadata`).
//!
//! Without them such a call is rustc's "no function or associated item named
//! `create` found", or "the trait bound `Log: Read` is not satisfied", which
//! say nothing of the declaration. `#[ha_connection]` writes the excluded
//! constructors and trait impls with a where-clause under `for<'x>` (so that
//! rustc checks it at each use, not once at the definition, where it would be
//! an error whatever the program does); the use is then one error with the
//! sentence below. They are hidden from the documentation.

use std::future::Future;
use std::io;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::kind::{tcp, unix};
use super::mode::{append, read_write, write_only};

/// Modes that create a file: `write_only`, `read_write`, `append`.
#[diagnostic::on_unimplemented(
    message = "`{D}` is declared `mode = {Self}`, so it cannot create a file",
    label = "`create` makes the file, or empties it, to write to it",
    note = "to open the existing file, call `{D}::open`; to create one, declare `mode = write_only`, `mode = read_write` or `mode = append` in `{D}`'s `#[ha_connection(...)]`"
)]
pub trait Creates<D> {}

impl<D> Creates<D> for write_only {}
impl<D> Creates<D> for read_write {}
impl<D> Creates<D> for append {}

/// Kinds that are connected: `unix`, `tcp`.
#[diagnostic::on_unimplemented(
    message = "`{D}` is declared `{Self}`: a file is opened, not connected",
    label = "`{D}` has no `connect`",
    note = "call `{D}::open(path)`; a socket is declared `#[ha_connection(unix, ...)]` or `#[ha_connection(tcp, ...)]`"
)]
pub trait Connects<D> {}

impl<D> Connects<D> for unix {}
impl<D> Connects<D> for tcp {}

/// A second cover of the same connection. Implemented by none.
#[diagnostic::on_unimplemented(
    message = "a cover is not cloned: a second `{Self}` on the same connection is made with `dup()`",
    label = "call `.dup()?` instead",
    note = "`dup` (QNX's `ha_dup`) duplicates the descriptor, so it returns an `io::Result`; the two covers share the position, the handle and the recovery, and one recovery serves both"
)]
pub trait Duplicated {}

/// Methods of `File` a cover does not forward. `M` is the method's name, as a
/// type. Implemented by none.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not forward `{M}`: call it on the connection, `.get_ref().{M}(...)`",
    label = "not a method of the cover",
    note = "`get_ref()` is the connection under the cover; what is called on it directly is not covered, and after a recovery it is the new connection"
)]
pub trait Forwarded<M> {}

/// The names of [`Forwarded`]'s methods.
#[allow(non_camel_case_types, missing_docs)]
pub mod method {
    #[derive(Debug)]
    pub enum metadata {}
    #[derive(Debug)]
    pub enum set_len {}
}

/// std's blocking I/O traits on an async declared type. Implemented by none;
/// asked of the declaration's kind, since rustc words an unmet bound of the
/// declared type itself as the std trait's, not as this one.
#[diagnostic::on_unimplemented(
    message = "`{D}` is an async cover (`asynchronous`): it implements tokio's `AsyncRead` and `AsyncWrite`, not std's `Read` and `Write`",
    label = "`{D}` is async",
    note = "use tokio's `BufReader`, `copy` and the methods of `AsyncReadExt` and `AsyncWriteExt` on it, or declare `{D}` without `asynchronous` for blocking I/O"
)]
pub trait Blocking<D> {}

/// tokio's I/O traits on a blocking declared type. Implemented by none, and
/// asked of the kind, as [`Blocking`] is.
#[diagnostic::on_unimplemented(
    message = "`{D}` is a blocking cover: it implements std's `Read` and `Write`, not tokio's `AsyncRead` and `AsyncWrite`",
    label = "`{D}` is not async",
    note = "declare it `#[ha_connection(..., asynchronous)]` for an async cover, whose I/O goes through tokio"
)]
pub trait Asynchronous<D> {}

/// What an excluded async constructor returns: a future that the excluded
/// constructor's unmet bound stops from compiling. A named type, not an
/// `async fn`, whose unmet bound rustc would report three times.
pub struct Excluded<D>(PhantomData<fn() -> D>);

impl<D> Excluded<D> {
    /// The future. Never called: the constructor returning it does not compile.
    pub fn new() -> Self {
        Self(PhantomData)
    }
}

impl<D> Default for Excluded<D> {
    fn default() -> Self {
        Self::new()
    }
}

impl<D> std::fmt::Debug for Excluded<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Excluded")
    }
}

impl<D> Future for Excluded<D> {
    type Output = io::Result<D>;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<D>> {
        unreachable!("an excluded constructor does not compile")
    }
}
