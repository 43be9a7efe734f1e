//! Compile-time checks of a declaration that no single trait bound can express,
//! and bounds worded as a sentence where rustc would print a bare "the trait
//! bound is not satisfied". Hidden: only the code `#[ha_connection]` writes
//! uses them.

use std::io::{self, Read, Seek, SeekFrom};
use std::marker::PhantomData;
use std::os::fd::BorrowedFd;
use std::path::Path;

use crate::connection::{Connection, FileConnection, Kind, SocketConnection, WriteConnection};
use crate::recovery::Failure;
use crate::strategy::{HandleRecovery, ReopenSeekTarget, ReopenTarget};

use super::mode::{append, read_only, read_write, write_only};
use ha_cover_engine::AttemptError;

/// A stand-in for every seekable file connection: a handle that recovers it
/// recovers any file by seeking back.
#[derive(Debug)]
pub enum AnySeekableFile {}

/// A stand-in for a file that only appends: it can be reopened but has no
/// position to seek back to.
#[derive(Debug)]
pub enum AnyAppendOnlyFile {}

macro_rules! stand_in {
    ($ty:ty) => {
        // Not recommended: an error about a connection that is not a file
        // must not list these stand-ins as files.
        #[diagnostic::do_not_recommend]
        impl Connection for $ty {
            const KIND: Kind = Kind::File;
            fn try_dup(&self) -> io::Result<Self> {
                match *self {}
            }
            fn descriptor(&self) -> Option<BorrowedFd<'_>> {
                match *self {}
            }
        }

        #[diagnostic::do_not_recommend]
        impl FileConnection for $ty {
            fn reopen(dead: &Self, _: &Path, _: libc::c_int) -> io::Result<Self> {
                match *dead {}
            }
        }

        #[diagnostic::do_not_recommend]
        impl ReopenTarget for $ty {}
    };
}

stand_in!(AnySeekableFile);
stand_in!(AnyAppendOnlyFile);

#[diagnostic::do_not_recommend]
impl Seek for AnySeekableFile {
    fn seek(&mut self, _: SeekFrom) -> io::Result<u64> {
        match *self {}
    }
}

#[diagnostic::do_not_recommend]
impl ReopenSeekTarget for AnySeekableFile {}

/// Asks, by autoref specialization, how a handle recovers files: the method
/// `verdict` resolves to the first of the impls below that applies, tried in
/// the order of the number of references the receiver loses.
#[derive(Debug)]
pub struct StrategyProbe<H>(PhantomData<H>);

impl<H> StrategyProbe<H> {
    /// The probe of the handle `H`.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self(PhantomData)
    }
}

/// The handle's verdict: nothing against appending.
#[derive(Debug)]
pub struct Fine;

/// The handle recovers seekable files and not append-only ones: its recovery
/// seeks back (`strategy = reopen_seek`).
#[derive(Debug)]
pub struct SeeksBack;

/// The handle recovers a file that only appends, so its recovery does not
/// seek back (`strategy = reopen`): right for appending and positioned I/O,
/// wrong for a sequential writer.
#[derive(Debug)]
pub struct Reopens;

/// First choice: the handle recovers a file that only appends.
pub trait ProbeFine {
    /// The verdict this impl gives.
    fn verdict(&self) -> Reopens {
        Reopens
    }
}
impl<H: HandleRecovery<AnyAppendOnlyFile>> ProbeFine for &&StrategyProbe<H> {}

/// Second: it recovers any seekable file, but not one that only appends.
pub trait ProbeSeeksBack {
    /// The verdict this impl gives.
    fn verdict(&self) -> SeeksBack {
        SeeksBack
    }
}
impl<H: HandleRecovery<AnySeekableFile>> ProbeSeeksBack for &StrategyProbe<H> {}

/// Otherwise it recovers particular connection types only, which the
/// declaration's own check of the handle covers.
pub trait ProbeGeneric {
    /// The verdict this impl gives.
    fn verdict(&self) -> Fine {
        Fine
    }
}
impl<H> ProbeGeneric for StrategyProbe<H> {}

/// Verdicts an `append` declaration accepts.
#[diagnostic::on_unimplemented(
    message = "the handle `{H}` recovers by seeking back to an offset, and `{D}` is declared `mode = append`",
    label = "this handle's recovery seeks",
    note = "an append goes to the end of the file wherever the position is, and the cover puts a recovered file there itself",
    note = "recover it with `#[recoverable(strategy = reopen)]` on `{H}`, which reopens without seeking"
)]
pub trait AppendRecovery<D, H> {}

#[diagnostic::do_not_recommend]
impl<D, H> AppendRecovery<D, H> for Fine {}
#[diagnostic::do_not_recommend]
impl<D, H> AppendRecovery<D, H> for Reopens {}

/// Fails to compile when `verdict` is [`SeeksBack`].
pub fn check_append<D, H, V: AppendRecovery<D, H>>(verdict: V) {
    let _ = verdict;
}

/// Verdicts a sequential writer (`mode = write_only` or `read_write` on a
/// file) accepts: a recovery that reopens without seeking back puts the new
/// connection at offset 0, where the next write overwrites the file's start.
#[diagnostic::on_unimplemented(
    message = "the handle `{H}` recovers by reopening without seeking back, and `{D}` writes sequentially: after a recovery its next write would overwrite the start of the file",
    label = "this handle's recovery reopens at offset 0",
    note = "give `{H}` `#[recoverable(strategy = reopen_seek)]` and an `#[ha(offset)]` field, so recovery seeks back to where the writer was",
    note = "or declare `{D}` `mode = append`, whose writes go to the end of the file wherever the position is"
)]
pub trait WriterRecovery<D, H> {}

#[diagnostic::do_not_recommend]
impl<D, H> WriterRecovery<D, H> for Fine {}
#[diagnostic::do_not_recommend]
impl<D, H> WriterRecovery<D, H> for SeeksBack {}

/// Fails to compile when `verdict` is [`Reopens`].
pub fn check_writer<D, H, V: WriterRecovery<D, H>>(verdict: V) {
    let _ = verdict;
}

/// A connection type's `KIND`, as a type: `KindIs<true>` for files. The
/// declaration's check of the word `file` or `socket` against it is then a
/// trait bound, with a sentence, rather than a panic in constant evaluation.
#[derive(Debug)]
pub struct KindIs<const FILE: bool>;

/// Whether `C::KIND` is `Kind::File`, for [`KindIs`].
pub const fn is_file<C: Connection>() -> bool {
    matches!(C::KIND, Kind::File)
}

/// `file = C` names a connection whose `KIND` is `File`: the runtime decides
/// triggers and retransmission by it, the declaration's checks by the word.
///
/// The sync form asks it with the mode `M` and the recovery `R` too, so that
/// the kind, what the recovery needs and what the mode needs are one bound,
/// at the connection's type: a kind that is wrong is this sentence alone, not
/// besides every capability the wrong kind lacks; with the right kind, each
/// capability the type lacks is its own sentence (the impls' where-clauses).
#[diagnostic::on_unimplemented(
    message = "`{C}` is a socket connection (its `KIND` is `Kind::Socket`), and it is declared `file = {C}`",
    label = "declared a file",
    note = "declare it `socket = {C}`, or give it `const KIND: Kind = Kind::File` if it is a file"
)]
pub trait DeclaredFile<C, M = Unchecked, R = Unchecked> {
    /// The built-in recovery `R`.
    fn recover<H>(failure: &Failure<'_, C>, handle: &mut H) -> Result<C, AttemptError>;
}

/// `socket = C` names a connection whose `KIND` is `Socket`; as
/// [`DeclaredFile`].
#[diagnostic::on_unimplemented(
    message = "`{C}` is a file connection (its `KIND` is `Kind::File`), and it is declared `socket = {C}`",
    label = "declared a socket",
    note = "declare it `file = {C}`, or give it `const KIND: Kind = Kind::Socket` if it is a socket"
)]
pub trait DeclaredSocket<C, M = Unchecked, R = Unchecked> {
    /// The built-in recovery `R`.
    fn recover<H>(failure: &Failure<'_, C>, handle: &mut H) -> Result<C, AttemptError>;
}

/// The recovery and mode that [`DeclaredFile`] and [`DeclaredSocket`] leave
/// unchecked (the async form checks them apart).
#[derive(Debug)]
pub enum Unchecked {}

/// `recovery = reopen_seek` (the default for files), as a type.
#[derive(Debug)]
pub enum BuiltinReopenSeek {}

/// `recovery = reopen`, as a type.
#[derive(Debug)]
pub enum BuiltinReopen {}

/// `recovery = reconnect` (the default for sockets), as a type.
#[derive(Debug)]
pub enum BuiltinReconnect {}

/// A recovery of the user's (a handle's, or a function): nothing to check.
#[derive(Debug)]
pub enum OwnRecovery {}

/// What a mode needs of a stream: `Read`, `Write` or both.
pub trait StreamNeeds<C> {}
impl<C: Readable> StreamNeeds<C> for read_only {}
impl<C: WriteConnection> StreamNeeds<C> for write_only {}
impl<C: Readable + WriteConnection> StreamNeeds<C> for read_write {}
impl<C: WriteConnection> StreamNeeds<C> for append {}

/// What a mode needs of a file whose recovery does not seek: also a position,
/// unless it only appends.
pub trait FileNeeds<C> {}
impl<C: Readable + Seekable> FileNeeds<C> for read_only {}
impl<C: WriteConnection + Seekable> FileNeeds<C> for write_only {}
impl<C: Readable + WriteConnection + Seekable> FileNeeds<C> for read_write {}
impl<C: WriteConnection> FileNeeds<C> for append {}

fn unreachable_recovery<C>() -> Result<C, AttemptError> {
    unreachable!("only a built-in recovery is run through its declaration check")
}

impl<C> DeclaredFile<C> for KindIs<true> {
    fn recover<H>(_: &Failure<'_, C>, _: &mut H) -> Result<C, AttemptError> {
        unreachable_recovery()
    }
}

impl<C, M: FileNeeds<C>> DeclaredFile<C, M, OwnRecovery> for KindIs<true> {
    fn recover<H>(_: &Failure<'_, C>, _: &mut H) -> Result<C, AttemptError> {
        unreachable_recovery()
    }
}

impl<C: ReopenSeekFile, M: StreamNeeds<C>> DeclaredFile<C, M, BuiltinReopenSeek> for KindIs<true> {
    fn recover<H>(failure: &Failure<'_, C>, handle: &mut H) -> Result<C, AttemptError> {
        crate::recovery::reopen_seek(failure, handle)
    }
}

impl<C: FileConnection, M: FileNeeds<C>> DeclaredFile<C, M, BuiltinReopen> for KindIs<true> {
    fn recover<H>(failure: &Failure<'_, C>, handle: &mut H) -> Result<C, AttemptError> {
        crate::recovery::reopen(failure, handle)
    }
}

impl<C> DeclaredSocket<C> for KindIs<false> {
    fn recover<H>(_: &Failure<'_, C>, _: &mut H) -> Result<C, AttemptError> {
        unreachable_recovery()
    }
}

impl<C, M: StreamNeeds<C>> DeclaredSocket<C, M, OwnRecovery> for KindIs<false> {
    fn recover<H>(_: &Failure<'_, C>, _: &mut H) -> Result<C, AttemptError> {
        unreachable_recovery()
    }
}

impl<C: SocketConnection, M: StreamNeeds<C>> DeclaredSocket<C, M, BuiltinReconnect>
    for KindIs<false>
{
    fn recover<H>(failure: &Failure<'_, C>, handle: &mut H) -> Result<C, AttemptError> {
        crate::recovery::reconnect(failure, handle)
    }
}

/// Fails to compile when `K`, `C`'s kind, is not a file.
pub const fn check_file_kind<C, K: DeclaredFile<C>>() {}

/// Fails to compile when `K`, `C`'s kind, is not a socket.
pub const fn check_socket_kind<C, K: DeclaredSocket<C>>() {}

/// A connection type of the user's declared `file = C` with mode `M` and a
/// recovery of the user's: its kind and what the mode needs, in one bound.
pub fn check_file<C, M, K: DeclaredFile<C, M, OwnRecovery>>() {}

/// The same for `socket = C`.
pub fn check_socket<C, M, K: DeclaredSocket<C, M, OwnRecovery>>() {}

/// A connection type of the user's declared `file = C`, recovered by the
/// built-in recovery `R`: its kind, the recovery's needs and the mode's, in
/// one bound, then the recovery.
pub fn recover_file<C, M, R, K: DeclaredFile<C, M, R>, H>(
    failure: &Failure<'_, C>,
    handle: &mut H,
) -> Result<C, AttemptError> {
    K::recover(failure, handle)
}

/// The same for `socket = C`.
pub fn recover_socket<C, M, R, K: DeclaredSocket<C, M, R>, H>(
    failure: &Failure<'_, C>,
    handle: &mut H,
) -> Result<C, AttemptError> {
    K::recover(failure, handle)
}

/// Connections that read: every `Read` type. `Read` is std's, so its unmet
/// bound would read "the trait bound `T: Read` is not satisfied"; this one says
/// what the declaration needs. The impl is not recommended, so rustc reports
/// this trait rather than `Read` behind it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read, and the declaration's mode reads",
    label = "`{Self}` is not `std::io::Read`",
    note = "a connection type of your own implements `std::io::Read`; one that only writes is declared `mode = write_only`"
)]
pub trait Readable: Read {}

#[diagnostic::do_not_recommend]
impl<C: Read + ?Sized> Readable for C {}

/// Connections with a position: every `Seek` type. `Seek` is std's, so its
/// unmet bound would read "the trait bound `T: Seek` is not satisfied"; this
/// one says what a `file = T` declaration needs. The impl is not recommended,
/// so rustc reports this trait rather than `Seek` behind it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no position, and a connection declared `file = {Self}` must seek",
    label = "`{Self}` is not `std::io::Seek`",
    note = "a socket has no position: declare it `socket = {Self}`",
    note = "a file connection type of your own implements `std::io::Seek`; one that only appends is declared `mode = append`"
)]
pub trait Seekable: Seek {}

#[diagnostic::do_not_recommend]
impl<C: Seek + ?Sized> Seekable for C {}

/// What `recovery = reopen_seek` needs: a path to reopen and a position to seek
/// back to, as one trait whose impl is not recommended, so that a connection
/// type missing either is one error that names the recovery.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a seekable file connection, so `recovery = reopen_seek` cannot recover it",
    label = "`recovery = reopen_seek`, the default for files, reopens the path and seeks back",
    note = "a socket is declared `socket = {Self}` and recovered by reconnecting",
    note = "a file connection type of your own implements `ha_cover::FileConnection` and `std::io::Seek` (see `FileConnection`'s documentation), or names another recovery: `recovery = reopen` or `recovery = path::to::function`"
)]
pub trait ReopenSeekFile: FileConnection + Seek {}

#[diagnostic::do_not_recommend]
impl<C: FileConnection + Seek> ReopenSeekFile for C {}

/// [`reopen_seek`](crate::reopen_seek) with the bound above.
pub fn recover_reopen_seek<C: ReopenSeekFile, H>(
    failure: &Failure<'_, C>,
    handle: &mut H,
) -> Result<C, AttemptError> {
    crate::recovery::reopen_seek(failure, handle)
}
