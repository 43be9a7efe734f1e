//! The passthrough file system `ha-fuse-server` serves.
//!
//! It mirrors a source directory. Three choices make it useful for testing
//! recovery:
//! - every open returns `FOPEN_DIRECT_IO`, so each `read`/`write` is a request
//!   to this process and fails once it is dead (no page cache answers);
//! - attributes and entries are never cached (TTL 0), so sizes are the
//!   backing file's, also after it was changed behind the mount's back;
//! - inode numbers are the backing files' `st_ino` (the root is 1, as FUSE
//!   demands), so they are the same after a restart and a client can check it
//!   reopened the same file.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs::{self, File, FileTimes, Metadata, OpenOptions};
use std::io;
use std::os::unix::fs::{
    DirBuilderExt, DirEntryExt, FileExt, MetadataExt, OpenOptionsExt, PermissionsExt,
};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fuser::{
    Errno, FileAttr, FileHandle, FileType, Filesystem, FopenFlags, Generation, INodeNo, LockOwner,
    OpenFlags, RenameFlags, ReplyAttr, ReplyCreate, ReplyData, ReplyDirectory, ReplyEmpty,
    ReplyEntry, ReplyOpen, ReplyWrite, Request, TimeOrNow, WriteFlags,
};

const TTL: Duration = Duration::ZERO;

/// Flags of the client's open that the backing open must share for the
/// semantics to hold (appends land at the end, synchronous writes are).
const PASSED_FLAGS: i32 = libc::O_APPEND | libc::O_SYNC | libc::O_DSYNC;

/// A passthrough of `root`. See the module documentation.
#[derive(Debug)]
pub struct PassthroughFs {
    root: PathBuf,
    inner: Mutex<Inner>,
    kill_switch: Option<PathBuf>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Where each inode the kernel knows lives in the source directory.
    paths: HashMap<u64, PathBuf>,
    files: HashMap<u64, Arc<File>>,
    next_fh: u64,
}

type Result<T> = std::result::Result<T, Errno>;

impl PassthroughFs {
    /// A file system mirroring the directory `root`.
    pub fn new(root: impl Into<PathBuf>) -> io::Result<Self> {
        let root = fs::canonicalize(root.into())?;
        if !root.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                format!("{} is not a directory", root.display()),
            ));
        }
        let mut inner = Inner::default();
        inner.paths.insert(INodeNo::ROOT.0, root.clone());
        Ok(PassthroughFs {
            root,
            inner: Mutex::new(inner),
            kill_switch: None,
        })
    }

    /// Dies by SIGKILL at the first write request that reaches the file offset
    /// written (in decimal) in the file at `switch`, removing the file first so
    /// that the next incarnation lives on. A test arms it to make a death land
    /// at an exact point of a long write: the requests before it are written,
    /// the one that reaches it is not.
    pub fn with_kill_switch(mut self, switch: PathBuf) -> Self {
        self.kill_switch = Some(switch);
        self
    }

    fn die_if_switched(&self, offset: u64, len: usize) {
        let Some(switch) = &self.kill_switch else {
            return;
        };
        let Some(mark) = fs::read_to_string(switch)
            .ok()
            .and_then(|text| text.trim().parse::<u64>().ok())
        else {
            return;
        };
        if offset + len as u64 > mark && fs::remove_file(switch).is_ok() {
            // SAFETY: kill(2) on this very process; SIGKILL cannot be caught,
            // so nothing of this process runs after it.
            unsafe { libc::kill(libc::getpid(), libc::SIGKILL) };
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn path(&self, ino: INodeNo) -> Result<PathBuf> {
        self.lock().paths.get(&ino.0).cloned().ok_or(Errno::ENOENT)
    }

    fn child(&self, parent: INodeNo, name: &OsStr) -> Result<PathBuf> {
        Ok(self.path(parent)?.join(name))
    }

    fn file(&self, fh: FileHandle) -> Result<Arc<File>> {
        self.lock().files.get(&fh.0).cloned().ok_or(Errno::EBADF)
    }

    fn ino_of(&self, path: &Path, meta: &Metadata) -> u64 {
        if path == self.root {
            INodeNo::ROOT.0
        } else {
            meta.ino()
        }
    }

    /// Attributes of `path`, remembering where its inode lives.
    fn remember(&self, path: PathBuf) -> Result<FileAttr> {
        let meta = fs::symlink_metadata(&path).map_err(Errno::from)?;
        let attr = attr(self.ino_of(&path, &meta), &meta);
        self.lock().paths.insert(attr.ino.0, path);
        Ok(attr)
    }

    fn add_file(&self, file: File) -> FileHandle {
        let mut inner = self.lock();
        inner.next_fh += 1;
        let fh = inner.next_fh;
        inner.files.insert(fh, Arc::new(file));
        FileHandle(fh)
    }

    fn getattr_inner(&self, ino: INodeNo, fh: Option<FileHandle>) -> Result<FileAttr> {
        // Through the handle when there is one: the file may be unlinked.
        if let Some(file) = fh.and_then(|fh| self.file(fh).ok()) {
            let meta = file.metadata().map_err(Errno::from)?;
            return Ok(attr(ino.0, &meta));
        }
        self.remember(self.path(ino)?)
    }

    #[allow(clippy::too_many_arguments)]
    fn setattr_inner(
        &self,
        ino: INodeNo,
        mode: Option<u32>,
        uid: Option<u32>,
        gid: Option<u32>,
        size: Option<u64>,
        atime: Option<TimeOrNow>,
        mtime: Option<TimeOrNow>,
        fh: Option<FileHandle>,
    ) -> Result<FileAttr> {
        let path = self.path(ino)?;
        if let Some(mode) = mode {
            fs::set_permissions(&path, fs::Permissions::from_mode(mode & 0o7777))
                .map_err(Errno::from)?;
        }
        if uid.is_some() || gid.is_some() {
            std::os::unix::fs::lchown(&path, uid, gid).map_err(Errno::from)?;
        }
        if let Some(size) = size {
            match fh.and_then(|fh| self.file(fh).ok()) {
                Some(file) => file.set_len(size),
                None => OpenOptions::new()
                    .write(true)
                    .open(&path)
                    .and_then(|f| f.set_len(size)),
            }
            .map_err(Errno::from)?;
        }
        if atime.is_some() || mtime.is_some() {
            let mut times = FileTimes::new();
            if let Some(t) = atime {
                times = times.set_accessed(system_time(t));
            }
            if let Some(t) = mtime {
                times = times.set_modified(system_time(t));
            }
            File::open(&path)
                .and_then(|f| f.set_times(times))
                .map_err(Errno::from)?;
        }
        self.getattr_inner(ino, fh)
    }

    fn open_inner(&self, ino: INodeNo, flags: i32) -> Result<FileHandle> {
        let path = self.path(ino)?;
        let acc = flags & libc::O_ACCMODE;
        let file = OpenOptions::new()
            .read(acc != libc::O_WRONLY)
            .write(acc != libc::O_RDONLY)
            .truncate(acc != libc::O_RDONLY && flags & libc::O_TRUNC != 0)
            .custom_flags(flags & PASSED_FLAGS)
            .open(path)
            .map_err(Errno::from)?;
        Ok(self.add_file(file))
    }

    fn create_inner(
        &self,
        parent: INodeNo,
        name: &OsStr,
        mode: u32,
        umask: u32,
        flags: i32,
    ) -> Result<(FileAttr, FileHandle)> {
        let path = self.child(parent, name)?;
        let acc = flags & libc::O_ACCMODE;
        let mut options = OpenOptions::new();
        // std refuses to create without write access; the server may write
        // even if this client may not, the client's descriptor still can't.
        options
            .read(acc != libc::O_WRONLY)
            .write(true)
            .mode(mode & !umask & 0o7777)
            .custom_flags(flags & PASSED_FLAGS);
        if flags & libc::O_EXCL != 0 {
            options.create_new(true);
        } else {
            options.create(true).truncate(flags & libc::O_TRUNC != 0);
        }
        let file = options.open(&path).map_err(Errno::from)?;
        let attr = self.remember(path)?;
        Ok((attr, self.add_file(file)))
    }

    fn read_inner(&self, fh: FileHandle, offset: u64, size: u32) -> Result<Vec<u8>> {
        let file = self.file(fh)?;
        let mut buf = vec![0; size as usize];
        let mut done = 0;
        while done < buf.len() {
            match file.read_at(&mut buf[done..], offset + done as u64) {
                Ok(0) => break,
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
        buf.truncate(done);
        Ok(buf)
    }

    fn readdir_inner(&self, ino: INodeNo, offset: u64, reply: &mut ReplyDirectory) -> Result<()> {
        let path = self.path(ino)?;
        let meta = fs::metadata(&path).map_err(Errno::from)?;
        let mut entries = vec![
            (self.ino_of(&path, &meta), FileType::Directory, ".".into()),
            (self.ino_of(&path, &meta), FileType::Directory, "..".into()),
        ];
        let mut children = Vec::new();
        for entry in fs::read_dir(&path).map_err(Errno::from)? {
            let entry = entry.map_err(Errno::from)?;
            let kind = entry
                .file_type()
                .ok()
                .and_then(FileType::from_std)
                .unwrap_or(FileType::RegularFile);
            children.push((entry.ino(), kind, entry.file_name()));
        }
        // Offsets index this listing, so it must come out the same each call.
        children.sort_by(|a, b| a.2.cmp(&b.2));
        entries.extend(children);
        for (i, (ino, kind, name)) in entries.into_iter().enumerate().skip(offset as usize) {
            if reply.add(INodeNo(ino), i as u64 + 1, kind, name) {
                break;
            }
        }
        Ok(())
    }

    fn rename_inner(
        &self,
        parent: INodeNo,
        name: &OsStr,
        newparent: INodeNo,
        newname: &OsStr,
        flags: RenameFlags,
    ) -> Result<()> {
        if flags.bits() != 0 {
            return Err(Errno::EINVAL);
        }
        let from = self.child(parent, name)?;
        let to = self.child(newparent, newname)?;
        fs::rename(&from, &to).map_err(Errno::from)?;
        let mut inner = self.lock();
        // The replaced target is gone; everything under the moved path moved.
        inner.paths.retain(|_, p| !p.starts_with(&to));
        for p in inner.paths.values_mut() {
            if let Ok(rest) = p.strip_prefix(&from) {
                *p = to.join(rest);
            }
        }
        Ok(())
    }

    fn forget_path(&self, path: &Path) {
        self.lock().paths.retain(|_, p| p != path);
    }
}

impl Filesystem for PassthroughFs {
    fn lookup(&self, _req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEntry) {
        match self.child(parent, name).and_then(|p| self.remember(p)) {
            Ok(attr) => reply.entry(&TTL, &attr, Generation(0)),
            Err(e) => reply.error(e),
        }
    }

    fn getattr(&self, _req: &Request, ino: INodeNo, fh: Option<FileHandle>, reply: ReplyAttr) {
        match self.getattr_inner(ino, fh) {
            Ok(attr) => reply.attr(&TTL, &attr),
            Err(e) => reply.error(e),
        }
    }

    fn setattr(
        &self,
        _req: &Request,
        ino: INodeNo,
        mode: Option<u32>,
        uid: Option<u32>,
        gid: Option<u32>,
        size: Option<u64>,
        atime: Option<TimeOrNow>,
        mtime: Option<TimeOrNow>,
        _ctime: Option<SystemTime>,
        fh: Option<FileHandle>,
        _crtime: Option<SystemTime>,
        _chgtime: Option<SystemTime>,
        _bkuptime: Option<SystemTime>,
        _flags: Option<fuser::BsdFileFlags>,
        reply: ReplyAttr,
    ) {
        match self.setattr_inner(ino, mode, uid, gid, size, atime, mtime, fh) {
            Ok(attr) => reply.attr(&TTL, &attr),
            Err(e) => reply.error(e),
        }
    }

    fn mkdir(
        &self,
        _req: &Request,
        parent: INodeNo,
        name: &OsStr,
        mode: u32,
        umask: u32,
        reply: ReplyEntry,
    ) {
        let made = self.child(parent, name).and_then(|path| {
            fs::DirBuilder::new()
                .mode(mode & !umask & 0o7777)
                .create(&path)
                .map_err(Errno::from)?;
            self.remember(path)
        });
        match made {
            Ok(attr) => reply.entry(&TTL, &attr, Generation(0)),
            Err(e) => reply.error(e),
        }
    }

    fn unlink(&self, _req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEmpty) {
        let removed = self.child(parent, name).and_then(|path| {
            fs::remove_file(&path).map_err(Errno::from)?;
            self.forget_path(&path);
            Ok(())
        });
        match removed {
            Ok(()) => reply.ok(),
            Err(e) => reply.error(e),
        }
    }

    fn rmdir(&self, _req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEmpty) {
        let removed = self.child(parent, name).and_then(|path| {
            fs::remove_dir(&path).map_err(Errno::from)?;
            self.forget_path(&path);
            Ok(())
        });
        match removed {
            Ok(()) => reply.ok(),
            Err(e) => reply.error(e),
        }
    }

    fn rename(
        &self,
        _req: &Request,
        parent: INodeNo,
        name: &OsStr,
        newparent: INodeNo,
        newname: &OsStr,
        flags: RenameFlags,
        reply: ReplyEmpty,
    ) {
        match self.rename_inner(parent, name, newparent, newname, flags) {
            Ok(()) => reply.ok(),
            Err(e) => reply.error(e),
        }
    }

    fn open(&self, _req: &Request, ino: INodeNo, flags: OpenFlags, reply: ReplyOpen) {
        match self.open_inner(ino, flags.0) {
            Ok(fh) => reply.opened(fh, FopenFlags::FOPEN_DIRECT_IO),
            Err(e) => reply.error(e),
        }
    }

    fn create(
        &self,
        _req: &Request,
        parent: INodeNo,
        name: &OsStr,
        mode: u32,
        umask: u32,
        flags: i32,
        reply: ReplyCreate,
    ) {
        match self.create_inner(parent, name, mode, umask, flags) {
            Ok((attr, fh)) => {
                reply.created(&TTL, &attr, Generation(0), fh, FopenFlags::FOPEN_DIRECT_IO)
            }
            Err(e) => reply.error(e),
        }
    }

    fn read(
        &self,
        _req: &Request,
        _ino: INodeNo,
        fh: FileHandle,
        offset: u64,
        size: u32,
        _flags: OpenFlags,
        _lock_owner: Option<LockOwner>,
        reply: ReplyData,
    ) {
        match self.read_inner(fh, offset, size) {
            Ok(data) => reply.data(&data),
            Err(e) => reply.error(e),
        }
    }

    fn write(
        &self,
        _req: &Request,
        _ino: INodeNo,
        fh: FileHandle,
        offset: u64,
        data: &[u8],
        _write_flags: WriteFlags,
        _flags: OpenFlags,
        _lock_owner: Option<LockOwner>,
        reply: ReplyWrite,
    ) {
        self.die_if_switched(offset, data.len());
        // With O_APPEND on the backing file, Linux's pwrite appends whatever
        // the offset: the same as the client's own append.
        let written = self
            .file(fh)
            .and_then(|f| f.write_all_at(data, offset).map_err(Errno::from));
        match written {
            Ok(()) => reply.written(data.len() as u32),
            Err(e) => reply.error(e),
        }
    }

    fn flush(
        &self,
        _req: &Request,
        _ino: INodeNo,
        fh: FileHandle,
        _lock_owner: LockOwner,
        reply: ReplyEmpty,
    ) {
        // Writes went straight to the backing file; nothing is buffered here.
        match self.file(fh) {
            Ok(_) => reply.ok(),
            Err(e) => reply.error(e),
        }
    }

    fn release(
        &self,
        _req: &Request,
        _ino: INodeNo,
        fh: FileHandle,
        _flags: OpenFlags,
        _lock_owner: Option<LockOwner>,
        _flush: bool,
        reply: ReplyEmpty,
    ) {
        self.lock().files.remove(&fh.0);
        reply.ok();
    }

    fn fsync(
        &self,
        _req: &Request,
        _ino: INodeNo,
        fh: FileHandle,
        datasync: bool,
        reply: ReplyEmpty,
    ) {
        let synced = self.file(fh).and_then(|f| {
            if datasync {
                f.sync_data()
            } else {
                f.sync_all()
            }
            .map_err(Errno::from)
        });
        match synced {
            Ok(()) => reply.ok(),
            Err(e) => reply.error(e),
        }
    }

    fn readdir(
        &self,
        _req: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        offset: u64,
        mut reply: ReplyDirectory,
    ) {
        match self.readdir_inner(ino, offset, &mut reply) {
            Ok(()) => reply.ok(),
            Err(e) => reply.error(e),
        }
    }
}

fn attr(ino: u64, meta: &Metadata) -> FileAttr {
    FileAttr {
        ino: INodeNo(ino),
        size: meta.size(),
        blocks: meta.blocks(),
        atime: meta.accessed().unwrap_or(UNIX_EPOCH),
        mtime: meta.modified().unwrap_or(UNIX_EPOCH),
        ctime: since_epoch(meta.ctime(), meta.ctime_nsec()),
        crtime: UNIX_EPOCH,
        kind: FileType::from_std(meta.file_type()).unwrap_or(FileType::RegularFile),
        perm: (meta.mode() & 0o7777) as u16,
        nlink: meta.nlink() as u32,
        uid: meta.uid(),
        gid: meta.gid(),
        rdev: meta.rdev() as u32,
        blksize: meta.blksize() as u32,
        flags: 0,
    }
}

fn since_epoch(secs: i64, nsecs: i64) -> SystemTime {
    match (u64::try_from(secs), u32::try_from(nsecs)) {
        (Ok(s), Ok(n)) => UNIX_EPOCH + Duration::new(s, n),
        _ => UNIX_EPOCH,
    }
}

fn system_time(t: TimeOrNow) -> SystemTime {
    match t {
        TimeOrNow::SpecificTime(t) => t,
        TimeOrNow::Now => SystemTime::now(),
    }
}
