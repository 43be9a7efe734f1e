//! The definitions this library's interposed symbols stand in front of:
//! glibc's `read`, `write`, `close`... found with `dlsym(RTLD_NEXT)`.
//!
//! Descriptors that are not HA-aware go to them unchanged, so everything glibc
//! does stays as it was: cancellation points, `errno`, fortify checks. Each is
//! looked up once, on first use; when none can be found (a program linked in an
//! order that puts libc first), the raw system call stands in.

use std::ffi::CStr;
use std::sync::atomic::{AtomicPtr, Ordering};

use libc::{c_int, c_void, off_t, size_t, ssize_t};

use crate::syscall;

/// One symbol's next definition, resolved on first use.
struct Next {
    name: &'static CStr,
    address: AtomicPtr<c_void>,
}

impl Next {
    const fn new(name: &'static CStr) -> Self {
        Self {
            name,
            address: AtomicPtr::new(std::ptr::null_mut()),
        }
    }

    /// The address once resolved; null before, or when there is none.
    #[inline(always)]
    fn cached(&self) -> *mut c_void {
        self.address.load(Ordering::Relaxed)
    }

    fn resolve(&self) -> *mut c_void {
        // SAFETY: `name` is NUL-terminated; RTLD_NEXT asks for the definition
        // after the object this code is in, never this library's own.
        let address = unsafe { libc::dlsym(libc::RTLD_NEXT, self.name.as_ptr()) };
        // Racing threads store the same address.
        self.address.store(address, Ordering::Relaxed);
        address
    }
}

unsafe extern "C" {
    /// glibc's report of a fortify check that failed: a message on stderr,
    /// then `abort()`.
    fn __chk_fail() -> !;
}

/// `count`, for a `_chk` function with no next definition to call: the check
/// glibc's would make, with the same end when a call would overflow its buffer.
fn checked(count: size_t, size: size_t) -> size_t {
    if count > size {
        // SAFETY: takes nothing and does not return.
        unsafe { __chk_fail() }
    }
    count
}

fn from_raw<T: TryFrom<i64> + From<i8>>(result: Result<i64, c_int>) -> T {
    crate::errno::ret(result.map(|n| T::try_from(n).unwrap_or(T::from(-1))))
}

/// Defines `pub(crate) unsafe fn $name` calling the next definition of
/// `$symbol` with `extern "C-unwind"` (a thread cancelled inside it unwinds
/// through the caller's frames as it would without this library), or
/// `$fallback` when there is none. Both branches are calls in tail position,
/// so the interposed function compiles to a jump, with no frame of its own.
macro_rules! next {
    ($(fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty = $symbol:literal, else $fallback:expr;)*) => {$(
        /// The next definition of the symbol of the same name.
        ///
        /// # Safety
        /// The caller's arguments are passed on unchanged: the C function's own
        /// requirements apply.
        #[inline(always)]
        pub(crate) unsafe fn $name($($arg: $ty),*) -> $ret {
            type Next = unsafe extern "C-unwind" fn($($ty),*) -> $ret;
            static NEXT: self::Next = self::Next::new($symbol);

            /// First use: look the symbol up, then call it or the fallback.
            #[cold]
            #[inline(never)]
            unsafe extern "C-unwind" fn first($($arg: $ty),*) -> $ret {
                let address = NEXT.resolve();
                if address.is_null() {
                    return $fallback;
                }
                // SAFETY: dlsym found glibc's definition of this symbol,
                // whose C type is this one.
                let next = unsafe { std::mem::transmute::<*mut c_void, Next>(address) };
                // SAFETY: see the function's contract.
                unsafe { next($($arg),*) }
            }

            let address = NEXT.cached();
            if address.is_null() {
                // SAFETY: see the function's contract.
                return unsafe { first($($arg),*) };
            }
            // SAFETY: as in `first`: a resolved address is glibc's definition.
            let next = unsafe { std::mem::transmute::<*mut c_void, Next>(address) };
            // SAFETY: see the function's contract.
            unsafe { next($($arg),*) }
        }
    )*};
}

next! {
    fn read(fd: c_int, buf: *mut c_void, count: size_t) -> ssize_t = c"read",
        else from_raw(syscall::read(fd, buf, count));
    fn write(fd: c_int, buf: *const c_void, count: size_t) -> ssize_t = c"write",
        else from_raw(syscall::write(fd, buf, count));
    fn readv(fd: c_int, iov: *const libc::iovec, count: c_int) -> ssize_t = c"readv",
        else from_raw(syscall::readv(fd, iov, count));
    fn writev(fd: c_int, iov: *const libc::iovec, count: c_int) -> ssize_t = c"writev",
        else from_raw(syscall::writev(fd, iov, count));
    fn pread(fd: c_int, buf: *mut c_void, count: size_t, offset: off_t) -> ssize_t = c"pread",
        else from_raw(syscall::pread(fd, buf, count, offset));
    fn pread64(fd: c_int, buf: *mut c_void, count: size_t, offset: off_t) -> ssize_t = c"pread64",
        else from_raw(syscall::pread(fd, buf, count, offset));
    fn pwrite(fd: c_int, buf: *const c_void, count: size_t, offset: off_t) -> ssize_t = c"pwrite",
        else from_raw(syscall::pwrite(fd, buf, count, offset));
    fn pwrite64(fd: c_int, buf: *const c_void, count: size_t, offset: off_t) -> ssize_t = c"pwrite64",
        else from_raw(syscall::pwrite(fd, buf, count, offset));
    fn lseek(fd: c_int, offset: off_t, whence: c_int) -> off_t = c"lseek",
        else from_raw(syscall::lseek(fd, offset, whence));
    fn lseek64(fd: c_int, offset: off_t, whence: c_int) -> off_t = c"lseek64",
        else from_raw(syscall::lseek(fd, offset, whence));
    fn fsync(fd: c_int) -> c_int = c"fsync",
        else from_raw(syscall::sync(fd, false));
    fn fdatasync(fd: c_int) -> c_int = c"fdatasync",
        else from_raw(syscall::sync(fd, true));
    fn send(fd: c_int, buf: *const c_void, count: size_t, flags: c_int) -> ssize_t = c"send",
        else from_raw(syscall::send_plain(fd, buf, count, flags));
    fn recv(fd: c_int, buf: *mut c_void, count: size_t, flags: c_int) -> ssize_t = c"recv",
        else from_raw(syscall::recv(fd, buf, count, flags));
    fn read_chk(fd: c_int, buf: *mut c_void, count: size_t, size: size_t) -> ssize_t = c"__read_chk",
        else from_raw(syscall::read(fd, buf, checked(count, size)));
    fn pread_chk(fd: c_int, buf: *mut c_void, count: size_t, offset: off_t, size: size_t) -> ssize_t = c"__pread_chk",
        else from_raw(syscall::pread(fd, buf, checked(count, size), offset));
    fn pread64_chk(fd: c_int, buf: *mut c_void, count: size_t, offset: off_t, size: size_t) -> ssize_t = c"__pread64_chk",
        else from_raw(syscall::pread(fd, buf, checked(count, size), offset));
    fn recv_chk(fd: c_int, buf: *mut c_void, count: size_t, size: size_t, flags: c_int) -> ssize_t = c"__recv_chk",
        else from_raw(syscall::recv(fd, buf, checked(count, size), flags));
    fn close(fd: c_int) -> c_int = c"close",
        else from_raw(syscall::close(fd));
    fn dup2(old: c_int, new: c_int) -> c_int = c"dup2",
        else from_raw(syscall::dup2(old, new));
    fn dup3(old: c_int, new: c_int, flags: c_int) -> c_int = c"dup3",
        else from_raw(syscall::dup3(old, new, flags));
}
