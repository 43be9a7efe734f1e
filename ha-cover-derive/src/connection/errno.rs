//! The errno names `recover_on = [...]` accepts: Linux's, so a misspelled one is
//! a compile error with the nearest name, and the two that can never mean a dead
//! server are refused with the reason.

use syn::Ident;

use crate::suggest;

/// Every errno name of Linux, as `libc` spells them.
#[rustfmt::skip]
const NAMES: &[&str] = &[
    "E2BIG", "EACCES", "EADDRINUSE", "EADDRNOTAVAIL", "EADV", "EAFNOSUPPORT", "EAGAIN",
    "EALREADY", "EBADE", "EBADF", "EBADFD", "EBADMSG", "EBADR", "EBADRQC", "EBADSLT", "EBFONT",
    "EBUSY", "ECANCELED", "ECHILD", "ECHRNG", "ECOMM", "ECONNABORTED", "ECONNREFUSED",
    "ECONNRESET", "EDEADLK", "EDEADLOCK", "EDESTADDRREQ", "EDOM", "EDOTDOT", "EDQUOT", "EEXIST",
    "EFAULT", "EFBIG", "EHOSTDOWN", "EHOSTUNREACH", "EIDRM", "EILSEQ", "EINPROGRESS", "EINTR",
    "EINVAL", "EIO", "EISCONN", "EISDIR", "EISNAM", "EKEYEXPIRED", "EKEYREJECTED", "EKEYREVOKED",
    "EL2HLT", "EL2NSYNC", "EL3HLT", "EL3RST", "ELIBACC", "ELIBBAD", "ELIBEXEC", "ELIBMAX",
    "ELIBSCN", "ELNRNG", "ELOOP", "EMEDIUMTYPE", "EMFILE", "EMLINK", "EMSGSIZE", "EMULTIHOP",
    "ENAMETOOLONG", "ENAVAIL", "ENETDOWN", "ENETRESET", "ENETUNREACH", "ENFILE", "ENOANO",
    "ENOBUFS", "ENOCSI", "ENODATA", "ENODEV", "ENOENT", "ENOEXEC", "ENOKEY", "ENOLCK", "ENOLINK",
    "ENOMEDIUM", "ENOMEM", "ENOMSG", "ENONET", "ENOPKG", "ENOPROTOOPT", "ENOSPC", "ENOSR",
    "ENOSTR", "ENOSYS", "ENOTBLK", "ENOTCONN", "ENOTDIR", "ENOTEMPTY", "ENOTNAM",
    "ENOTRECOVERABLE", "ENOTSOCK", "ENOTSUP", "ENOTTY", "ENOTUNIQ", "ENXIO", "EOPNOTSUPP",
    "EOVERFLOW", "EOWNERDEAD", "EPERM", "EPFNOSUPPORT", "EPIPE", "EPROTO", "EPROTONOSUPPORT",
    "EPROTOTYPE", "ERANGE", "EREMCHG", "EREMOTE", "EREMOTEIO", "ERESTART", "ERFKILL", "EROFS",
    "ESHUTDOWN", "ESOCKTNOSUPPORT", "ESPIPE", "ESRCH", "ESRMNT", "ESTALE", "ESTRPIPE", "ETIME",
    "ETIMEDOUT", "ETOOMANYREFS", "ETXTBSY", "EUCLEAN", "EUNATCH", "EUSERS", "EWOULDBLOCK",
    "EXDEV", "EXFULL",
];

/// Whether `name` may be in a trigger set; the error message if not.
pub fn check(name: &Ident) -> Result<(), String> {
    let found = name.to_string();
    match found.as_str() {
        // The runtime retries these in place: recovering would replace a
        // healthy connection.
        "EINTR" => {
            return Err(
                "`EINTR` cannot trigger recovery: an interrupted call is retried in place, the connection is fine; remove it"
                    .to_owned(),
            );
        }
        "EAGAIN" | "EWOULDBLOCK" => {
            return Err(format!(
                "`{found}` cannot trigger recovery: it means a non-blocking call would block, not that the server died; remove it"
            ));
        }
        _ => {}
    }
    if NAMES.contains(&found.as_str()) {
        return Ok(());
    }
    let upper = found.to_uppercase();
    Err(match suggest::nearest(&upper, NAMES.iter().copied()) {
        Some(near) => format!("unknown errno name `{found}`; did you mean `{near}`?"),
        None => format!(
            "unknown errno name `{found}`: not an error number of Linux (see `errno(3)`), such as `ESTALE` or `ENOTCONN`"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_str(name: &str) -> Result<(), String> {
        check(&Ident::new(name, proc_macro2::Span::call_site()))
    }

    #[test]
    fn names_of_the_table_pass() {
        for name in ["ESTALE", "ENOTCONN", "EIO", "ECONNRESET", "EOPNOTSUPP"] {
            assert_eq!(check_str(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn typos_find_the_name() {
        let message = check_str("ESTAEL").unwrap_err();
        assert!(message.contains("did you mean `ESTALE`?"), "{message}");
        let message = check_str("enotconn").unwrap_err();
        assert!(message.contains("did you mean `ENOTCONN`?"), "{message}");
    }

    #[test]
    fn interrupted_and_would_block_are_refused() {
        for name in ["EINTR", "EAGAIN", "EWOULDBLOCK"] {
            assert!(
                check_str(name)
                    .unwrap_err()
                    .contains("cannot trigger recovery")
            );
        }
    }

    #[test]
    fn the_table_is_sorted_and_unique() {
        assert!(NAMES.windows(2).all(|w| w[0] < w[1]));
    }
}
