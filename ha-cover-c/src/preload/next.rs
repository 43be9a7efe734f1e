//! The definitions the preload mode's symbols stand in front of: glibc's
//! `open`, `fstat`, `fopen`... found with `dlsym(RTLD_NEXT)`, as
//! [`crate::glibc`] does for the data path.
//!
//! Where no next definition exists (a program that put libc before this
//! library), `RTLD_DEFAULT` finds glibc's, which then comes first; a symbol
//! glibc does not have at all fails with `ENOSYS` (or a null pointer).

use std::ffi::CStr;
use std::sync::atomic::{AtomicPtr, Ordering};

use libc::{c_char, c_int, c_uint, c_ulong, c_void, mode_t, off_t};

/// One symbol's next definition, resolved on first use.
pub(crate) struct Next {
    name: &'static CStr,
    address: AtomicPtr<c_void>,
}

impl Next {
    pub(crate) const fn new(name: &'static CStr) -> Self {
        Self {
            name,
            address: AtomicPtr::new(std::ptr::null_mut()),
        }
    }

    /// The address, or null when glibc has no such symbol.
    #[inline(always)]
    pub(crate) fn get(&self, ours: *mut c_void) -> *mut c_void {
        let address = self.address.load(Ordering::Relaxed);
        if !address.is_null() {
            return address;
        }
        self.resolve(ours)
    }

    #[cold]
    fn resolve(&self, ours: *mut c_void) -> *mut c_void {
        // SAFETY: `name` is NUL-terminated; RTLD_NEXT asks for the definition
        // after this library's.
        let mut address = unsafe { libc::dlsym(libc::RTLD_NEXT, self.name.as_ptr()) };
        if address.is_null() {
            // SAFETY: as above.
            address = unsafe { libc::dlsym(libc::RTLD_DEFAULT, self.name.as_ptr()) };
            if address == ours {
                address = std::ptr::null_mut();
            }
        }
        self.address.store(address, Ordering::Relaxed);
        address
    }
}

/// Defines `pub(crate) unsafe fn $name` calling the next definition of
/// `$symbol` with the given C type, or returning `$missing` with `errno`
/// `ENOSYS` when there is none. `$ours` is this library's own definition,
/// which `RTLD_DEFAULT` must not return.
macro_rules! next {
    ($(fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty = $symbol:literal as $cty:ty, ours $ours:path, missing $missing:expr;)*) => {$(
        /// The next definition of the symbol of the same name.
        ///
        /// # Safety
        /// The caller's arguments are passed on unchanged: the C function's own
        /// requirements apply.
        #[inline(always)]
        #[allow(clippy::unused_unit)] // `closefrom` returns nothing.
        pub(crate) unsafe fn $name($($arg: $ty),*) -> $ret {
            static NEXT: Next = Next::new($symbol);
            let address = NEXT.get($ours as *const () as *mut c_void);
            if address.is_null() {
                crate::errno::set(libc::ENOSYS);
                return $missing;
            }
            // SAFETY: dlsym found glibc's definition of this symbol, whose C
            // type is this one.
            let next = unsafe { std::mem::transmute::<*mut c_void, $cty>(address) };
            // SAFETY: see the function's contract.
            unsafe { next($($arg),*) }
        }
    )*};
}

type Stat = *mut libc::stat;
type Dir = *mut libc::DIR;
type File = *mut libc::FILE;
type Path = *const c_char;

use super::{cwd, dir, fd_calls, open, path_calls, stdio};

next! {
    fn open(path: Path, flags: c_int, mode: c_uint) -> c_int = c"open"
        as unsafe extern "C-unwind" fn(Path, c_int, ...) -> c_int, ours open::open, missing -1;
    fn open64(path: Path, flags: c_int, mode: c_uint) -> c_int = c"open64"
        as unsafe extern "C-unwind" fn(Path, c_int, ...) -> c_int, ours open::open64, missing -1;
    fn openat(dirfd: c_int, path: Path, flags: c_int, mode: c_uint) -> c_int = c"openat"
        as unsafe extern "C-unwind" fn(c_int, Path, c_int, ...) -> c_int, ours open::openat, missing -1;
    fn openat64(dirfd: c_int, path: Path, flags: c_int, mode: c_uint) -> c_int = c"openat64"
        as unsafe extern "C-unwind" fn(c_int, Path, c_int, ...) -> c_int, ours open::openat64, missing -1;
    fn creat(path: Path, mode: mode_t) -> c_int = c"creat"
        as unsafe extern "C-unwind" fn(Path, mode_t) -> c_int, ours open::creat, missing -1;
    fn creat64(path: Path, mode: mode_t) -> c_int = c"creat64"
        as unsafe extern "C-unwind" fn(Path, mode_t) -> c_int, ours open::creat64, missing -1;
    fn open_2(path: Path, flags: c_int) -> c_int = c"__open_2"
        as unsafe extern "C-unwind" fn(Path, c_int) -> c_int, ours open::__open_2, missing -1;
    fn open64_2(path: Path, flags: c_int) -> c_int = c"__open64_2"
        as unsafe extern "C-unwind" fn(Path, c_int) -> c_int, ours open::__open64_2, missing -1;
    fn openat_2(dirfd: c_int, path: Path, flags: c_int) -> c_int = c"__openat_2"
        as unsafe extern "C-unwind" fn(c_int, Path, c_int) -> c_int, ours open::__openat_2, missing -1;
    fn openat64_2(dirfd: c_int, path: Path, flags: c_int) -> c_int = c"__openat64_2"
        as unsafe extern "C-unwind" fn(c_int, Path, c_int) -> c_int, ours open::__openat64_2, missing -1;

    fn fstat(fd: c_int, buf: Stat) -> c_int = c"fstat"
        as unsafe extern "C" fn(c_int, Stat) -> c_int, ours fd_calls::fstat, missing -1;
    fn fstat64(fd: c_int, buf: Stat) -> c_int = c"fstat64"
        as unsafe extern "C" fn(c_int, Stat) -> c_int, ours fd_calls::fstat64, missing -1;
    fn fstatat(dirfd: c_int, path: Path, buf: Stat, flags: c_int) -> c_int = c"fstatat"
        as unsafe extern "C" fn(c_int, Path, Stat, c_int) -> c_int, ours path_calls::fstatat, missing -1;
    fn fstatat64(dirfd: c_int, path: Path, buf: Stat, flags: c_int) -> c_int = c"fstatat64"
        as unsafe extern "C" fn(c_int, Path, Stat, c_int) -> c_int, ours path_calls::fstatat64, missing -1;
    fn statx(dirfd: c_int, path: Path, flags: c_int, mask: c_uint, buf: *mut libc::statx) -> c_int = c"statx"
        as unsafe extern "C" fn(c_int, Path, c_int, c_uint, *mut libc::statx) -> c_int, ours path_calls::statx, missing -1;
    fn stat(path: Path, buf: Stat) -> c_int = c"stat"
        as unsafe extern "C" fn(Path, Stat) -> c_int, ours path_calls::stat, missing -1;
    fn stat64(path: Path, buf: Stat) -> c_int = c"stat64"
        as unsafe extern "C" fn(Path, Stat) -> c_int, ours path_calls::stat64, missing -1;
    fn lstat(path: Path, buf: Stat) -> c_int = c"lstat"
        as unsafe extern "C" fn(Path, Stat) -> c_int, ours path_calls::lstat, missing -1;
    fn lstat64(path: Path, buf: Stat) -> c_int = c"lstat64"
        as unsafe extern "C" fn(Path, Stat) -> c_int, ours path_calls::lstat64, missing -1;
    fn access(path: Path, mode: c_int) -> c_int = c"access"
        as unsafe extern "C" fn(Path, c_int) -> c_int, ours path_calls::access, missing -1;
    fn faccessat(dirfd: c_int, path: Path, mode: c_int, flags: c_int) -> c_int = c"faccessat"
        as unsafe extern "C" fn(c_int, Path, c_int, c_int) -> c_int, ours path_calls::faccessat, missing -1;
    fn euidaccess(path: Path, mode: c_int) -> c_int = c"euidaccess"
        as unsafe extern "C" fn(Path, c_int) -> c_int, ours path_calls::euidaccess, missing -1;
    fn getxattr(path: Path, name: Path, value: *mut c_void, size: usize) -> isize = c"getxattr"
        as unsafe extern "C" fn(Path, Path, *mut c_void, usize) -> isize, ours path_calls::getxattr, missing -1;
    fn lgetxattr(path: Path, name: Path, value: *mut c_void, size: usize) -> isize = c"lgetxattr"
        as unsafe extern "C" fn(Path, Path, *mut c_void, usize) -> isize, ours path_calls::lgetxattr, missing -1;
    fn chdir(path: Path) -> c_int = c"chdir"
        as unsafe extern "C" fn(Path) -> c_int, ours cwd::chdir, missing -1;
    fn fchdir(fd: c_int) -> c_int = c"fchdir"
        as unsafe extern "C" fn(c_int) -> c_int, ours cwd::fchdir, missing -1;

    fn fcntl(fd: c_int, cmd: c_int, arg: c_ulong) -> c_int = c"fcntl"
        as unsafe extern "C-unwind" fn(c_int, c_int, ...) -> c_int, ours fd_calls::fcntl, missing -1;
    fn fcntl64(fd: c_int, cmd: c_int, arg: c_ulong) -> c_int = c"fcntl64"
        as unsafe extern "C-unwind" fn(c_int, c_int, ...) -> c_int, ours fd_calls::fcntl64, missing -1;
    fn fstatfs(fd: c_int, buf: *mut libc::statfs) -> c_int = c"fstatfs"
        as unsafe extern "C" fn(c_int, *mut libc::statfs) -> c_int, ours fd_calls::fstatfs, missing -1;
    fn fstatfs64(fd: c_int, buf: *mut libc::statfs) -> c_int = c"fstatfs64"
        as unsafe extern "C" fn(c_int, *mut libc::statfs) -> c_int, ours fd_calls::fstatfs64, missing -1;
    fn statfs(path: Path, buf: *mut libc::statfs) -> c_int = c"statfs"
        as unsafe extern "C" fn(Path, *mut libc::statfs) -> c_int, ours path_calls::statfs, missing -1;
    fn statfs64(path: Path, buf: *mut libc::statfs) -> c_int = c"statfs64"
        as unsafe extern "C" fn(Path, *mut libc::statfs) -> c_int, ours path_calls::statfs64, missing -1;
    fn ftruncate(fd: c_int, len: off_t) -> c_int = c"ftruncate"
        as unsafe extern "C" fn(c_int, off_t) -> c_int, ours fd_calls::ftruncate, missing -1;
    fn ftruncate64(fd: c_int, len: off_t) -> c_int = c"ftruncate64"
        as unsafe extern "C" fn(c_int, off_t) -> c_int, ours fd_calls::ftruncate64, missing -1;
    fn posix_fadvise(fd: c_int, offset: off_t, len: off_t, advice: c_int) -> c_int = c"posix_fadvise"
        as unsafe extern "C" fn(c_int, off_t, off_t, c_int) -> c_int, ours fd_calls::posix_fadvise, missing libc::ENOSYS;
    fn posix_fadvise64(fd: c_int, offset: off_t, len: off_t, advice: c_int) -> c_int = c"posix_fadvise64"
        as unsafe extern "C" fn(c_int, off_t, off_t, c_int) -> c_int, ours fd_calls::posix_fadvise64, missing libc::ENOSYS;
    fn dup(fd: c_int) -> c_int = c"dup"
        as unsafe extern "C" fn(c_int) -> c_int, ours fd_calls::dup, missing -1;
    fn close_range(first: c_uint, last: c_uint, flags: c_int) -> c_int = c"close_range"
        as unsafe extern "C" fn(c_uint, c_uint, c_int) -> c_int, ours fd_calls::close_range, missing -1;
    fn closefrom(first: c_int) -> () = c"closefrom"
        as unsafe extern "C" fn(c_int), ours fd_calls::closefrom, missing ();

    fn fopen(path: Path, mode: Path) -> File = c"fopen"
        as unsafe extern "C" fn(Path, Path) -> File, ours stdio::fopen, missing std::ptr::null_mut();
    fn fopen64(path: Path, mode: Path) -> File = c"fopen64"
        as unsafe extern "C" fn(Path, Path) -> File, ours stdio::fopen64, missing std::ptr::null_mut();
    fn fdopen(fd: c_int, mode: Path) -> File = c"fdopen"
        as unsafe extern "C" fn(c_int, Path) -> File, ours stdio::fdopen, missing std::ptr::null_mut();

    fn opendir(path: Path) -> Dir = c"opendir"
        as unsafe extern "C" fn(Path) -> Dir, ours dir::opendir, missing std::ptr::null_mut();
    fn fdopendir(fd: c_int) -> Dir = c"fdopendir"
        as unsafe extern "C" fn(c_int) -> Dir, ours dir::fdopendir, missing std::ptr::null_mut();
    fn readdir(dir: Dir) -> *mut libc::dirent = c"readdir"
        as unsafe extern "C" fn(Dir) -> *mut libc::dirent, ours dir::readdir, missing std::ptr::null_mut();
    fn readdir64(dir: Dir) -> *mut libc::dirent64 = c"readdir64"
        as unsafe extern "C" fn(Dir) -> *mut libc::dirent64, ours dir::readdir64, missing std::ptr::null_mut();
    fn closedir(dir: Dir) -> c_int = c"closedir"
        as unsafe extern "C" fn(Dir) -> c_int, ours dir::closedir, missing -1;
}
