//! Compile-time checks of a declaration that no single trait bound can express,
//! and bounds worded as a sentence where rustc would print a bare "the trait
//! bound is not satisfied". Hidden: only the code `#[ha_connection]` writes
//! uses them.

use std::io::{self, Read, Seek, SeekFrom};
use std::marker::PhantomData;
use std::os::fd::BorrowedFd;
use std::path::Path;

use crate::connection::{Connection, FileConnection, Kind, WriteConnection};
use crate::recovery::Failure;
use crate::strategy::{Recovers, ReopenSeekTarget, ReopenTarget};
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
impl<H: Recovers<AnyAppendOnlyFile>> ProbeFine for &&StrategyProbe<H> {}

/// Second: it recovers any seekable file, but not one that only appends.
pub trait ProbeSeeksBack {
    /// The verdict this impl gives.
    fn verdict(&self) -> SeeksBack {
        SeeksBack
    }
}
impl<H: Recovers<AnySeekableFile>> ProbeSeeksBack for &StrategyProbe<H> {}

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
#[diagnostic::on_unimplemented(
    message = "`{C}` is a socket connection (its `KIND` is `Kind::Socket`), and it is declared `file = {C}`",
    label = "declared a file",
    note = "declare it `socket = {C}`, or give it `const KIND: Kind = Kind::File` if it is a file"
)]
pub trait DeclaredFile<C> {}
#[diagnostic::do_not_recommend]
impl<C> DeclaredFile<C> for KindIs<true> {}

/// `socket = C` names a connection whose `KIND` is `Socket`.
#[diagnostic::on_unimplemented(
    message = "`{C}` is a file connection (its `KIND` is `Kind::File`), and it is declared `socket = {C}`",
    label = "declared a socket",
    note = "declare it `file = {C}`, or give it `const KIND: Kind = Kind::Socket` if it is a socket"
)]
pub trait DeclaredSocket<C> {}
#[diagnostic::do_not_recommend]
impl<C> DeclaredSocket<C> for KindIs<false> {}

/// Fails to compile when `K`, `C`'s kind, is not a file.
pub const fn check_file_kind<C, K: DeclaredFile<C>>() {}

/// Fails to compile when `K`, `C`'s kind, is not a socket.
pub const fn check_socket_kind<C, K: DeclaredSocket<C>>() {}

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

/// A `file = T` or `socket = T` declaration that reads names a connection that
/// reads.
pub const fn check_reads<C: Readable>() {}

/// One that writes names a connection that writes (`WriteConnection` says
/// how, in its own message).
pub const fn check_writes<C: WriteConnection>() {}

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

/// `file = T` names a connection with a position, unless it only appends.
/// Written only when the recovery does not require `Seek` already, so a missing
/// `Seek` is one error.
pub const fn check_seekable<C: Seekable>() {}

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
