//! Checks that look at more than one key, each saying why it exists.
//!
//! They read the parsed options only, not what the expansion will write, so an
//! async expansion of the same declaration gets the same checks.

use proc_macro2::Span;

use super::ast::Container;
use super::attr::KINDS;
use super::duration;
use super::value::{Backoff, Builtin, Deadline, KindAttr, Mode, Recovery};
use crate::ctxt::Ctxt;
use crate::symbol::{BACKOFF, MODE, WRITE_ONLY, WRITE_POLICY};

/// The first wait of the runtime's default backoff, `Backoff::default()`.
const DEFAULT_FIRST_STEP_NANOS: u128 = 1_000_000;

pub fn check(cx: &Ctxt, container: &Container) {
    one_kind(cx, container);
    a_mode(cx, container);
    append_is_for_files(cx, container);
    recovery_fits_the_connection(cx, container);
    socket_writes_say_how_to_retransmit(cx, container);
    eof_is_for_sockets(cx, container);
    limits_allow_a_recovery(cx, container);
    backoff_grows_to_its_cap(cx, container);
    deadline_leaves_time_to_recover(cx, container);
    triggers_are_not_empty(cx, container);
    handle_is_owned(cx, container);
}

/// The cover owns its handle: it keeps it as long as the connection lives and
/// moves it to the thread that recovers. A reference would be the handle's
/// type, with a lifetime the declaration cannot name.
fn handle_is_owned(cx: &Ctxt, container: &Container) {
    let Some(syn::Type::Reference(reference)) = container.options.handle.get() else {
        return;
    };
    let inner = &reference.elem;
    cx.error_spanned_by(
        reference.and_token,
        format!(
            "the cover owns its handle, for as long as the connection lives: write `handle = {}`, and give the handle to the constructor by value",
            quote::ToTokens::to_token_stream(inner)
        ),
    );
}

fn name(container: &Container) -> String {
    container.item.ident.to_string()
}

/// The kind, when there is exactly one: checks that depend on it say nothing
/// about a declaration whose kind is missing or ambiguous (reported by
/// `one_kind`).
fn the_kind(container: &Container) -> Option<&KindAttr> {
    match container.options.kinds.as_slice() {
        [kind] => Some(kind),
        _ => None,
    }
}

/// The kind decides the connection type, the constructors and what the cover can
/// do; two kinds would make every one of those ambiguous.
fn one_kind(cx: &Ctxt, container: &Container) {
    let options = &container.options;
    let Some(first) = options.kinds.first() else {
        if missing_kind_and_mode(container) {
            // A bare `#[ha_connection]`: one error with the whole form, not
            // one per missing key.
            cx.syn_error(syn::Error::new(
                Span::call_site(),
                format!(
                    "`#[ha_connection]` needs the kind of connection `{}` is and its access mode, as in `#[ha_connection(file, mode = read_only)]`: a kind is `file`, `unix` or `tcp` (or `file = Type`, `socket = Type` for a connection type of your own), a mode `read_only`, `write_only`, `read_write` or, for a file, `append`",
                    name(container)
                ),
            ));
        } else if !options.unread.may_include(KINDS) {
            cx.syn_error(syn::Error::new(
                Span::call_site(),
                format!(
                    "`#[ha_connection]` needs the kind of connection `{}` is: add `file`, `unix` or `tcp` (or `file = Type`, `socket = Type` for a connection type of your own)",
                    name(container)
                ),
            ));
        }
        return;
    };
    for again in &options.kinds[1..] {
        cx.error_spanned_by(
            &again.word,
            format!(
                "a connection has one kind, and `{}` is already declared `{}`; keep one of `{}` and `{}`",
                name(container),
                first.word,
                first.word,
                again.word
            ),
        );
    }
}

/// The mode decides which I/O compiles: a default would hide the one decision the
/// type exists to check.
fn a_mode(cx: &Ctxt, container: &Container) {
    let options = &container.options;
    if missing_kind_and_mode(container) {
        return; // reported by `one_kind`
    }
    if options.mode.get().is_none() && !options.unread.may_include(&[MODE]) {
        cx.syn_error(syn::Error::new(
            Span::call_site(),
            format!(
                "`#[ha_connection]` needs the access mode of `{}`: add `mode = read_only`, `mode = write_only`, `mode = read_write` or, for a file, `mode = append`",
                name(container)
            ),
        ));
    }
}

fn missing_kind_and_mode(container: &Container) -> bool {
    let options = &container.options;
    options.kinds.is_empty()
        && !options.unread.may_include(KINDS)
        && options.mode.get().is_none()
        && !options.unread.may_include(&[MODE])
}

/// `O_APPEND` is a file's flag; a stream has no end to write at.
fn append_is_for_files(cx: &Ctxt, container: &Container) {
    let options = &container.options;
    let (Some(kind), Some(mode)) = (the_kind(container), options.mode.get()) else {
        return;
    };
    if mode.value == Mode::Append && !kind.kind.is_file() {
        cx.error_spanned_by(
            &mode.word,
            format!(
                "`mode = append` is for files, and `{}` is declared `{}`: a socket's writes always go to its end; use `mode = write_only` or `mode = read_write`",
                name(container),
                kind.word
            ),
        );
    }
}

/// A built-in recovery names what it does to the connection; reopening a socket,
/// reconnecting a file and seeking in an append-only file cannot be done, and
/// reopening a sequential writer without seeking back loses its data.
fn recovery_fits_the_connection(cx: &Ctxt, container: &Container) {
    let options = &container.options;
    let Some(Recovery::Builtin(builtin)) = options.recovery.get() else {
        return;
    };
    let Some(kind) = the_kind(container) else {
        return;
    };
    let word = &builtin.word;
    let message = match (builtin.value, kind.kind.is_file()) {
        (Builtin::Reconnect, true) => format!(
            "`recovery = reconnect` connects a socket again, and `{}` is declared `{}`: recover a file with `recovery = reopen_seek` or `recovery = reopen`",
            name(container),
            kind.word
        ),
        (Builtin::Reopen | Builtin::ReopenSeek, false) => format!(
            "`recovery = {word}` opens a file's path again, and `{}` is declared `{}`, a socket: recover it with `recovery = reconnect`",
            name(container),
            kind.word
        ),
        (Builtin::ReopenSeek, true) if options.mode() == Some(Mode::Append) => format!(
            "`recovery = reopen_seek` seeks back to where the file was, and `{}` is declared `mode = append`: an append goes to the end wherever the position is; use `recovery = reopen`",
            name(container)
        ),
        // Reopening puts the new connection at offset 0: a writer that goes on
        // from its position would overwrite the start of the file, silently.
        (Builtin::Reopen, true)
            if matches!(options.mode(), Some(Mode::WriteOnly | Mode::ReadWrite)) =>
        {
            format!(
                "`recovery = reopen` reopens the file at offset 0, and `{}` is declared `mode = {}`: after a recovery its next write would overwrite the start of the file; use `recovery = reopen_seek` (the default), which seeks back to where it was, or declare `mode = append`",
                name(container),
                options.mode.get().map_or(WRITE_ONLY, |m| m.value.symbol())
            )
        }
        _ => return,
    };
    cx.error_spanned_by(word, message);
}

/// Bytes a socket accepted may or may not have reached a server that died: only
/// the client knows whether sending them again is safe, so it must say. Files
/// have their own rule (resend only what is idempotent), and a cover that never
/// writes has nothing to resend.
fn socket_writes_say_how_to_retransmit(cx: &Ctxt, container: &Container) {
    let options = &container.options;
    let (Some(kind), Some(mode)) = (the_kind(container), options.mode.get()) else {
        return;
    };
    let policy = options.write_policy.key();
    match (kind.kind.is_file(), mode.value.writes(), policy) {
        (true, _, Some(key)) => cx.error_spanned_by(
            key,
            format!(
                "`write_policy` is for sockets, and `{}` is declared `{}`: a file write is sent again only where that is idempotent (at the same position, or an append the file size shows did not land); remove `write_policy`",
                name(container),
                kind.word
            ),
        ),
        (false, false, Some(key)) => cx.error_spanned_by(
            key,
            format!(
                "`{}` is declared `mode = {}` and never writes, so it has no writes to retransmit; remove `write_policy`",
                name(container),
                mode.word
            ),
        ),
        // `mode = append` on a socket is reported by `append_is_for_files`, at
        // the same token; the mode it is replaced by decides about the policy.
        (false, true, None)
            if mode.value != Mode::Append && !options.unread.may_include(&[WRITE_POLICY]) =>
        {
            cx.error_spanned_by(
                &mode.word,
                format!(
                    "`{}` writes to a socket, and a write the server may have received before it died cannot be taken back: say what recovery sends again with `write_policy = never` (nothing; the caller is told it is indeterminate), `write_policy = always` (the failed write: the protocol is idempotent) or `write_policy = replay` (everything the server has not answered)",
                    name(container)
                ),
            )
        }
        _ => {}
    }
}

/// A killed socket server shows as EOF; a file's EOF is the end of its data.
fn eof_is_for_sockets(cx: &Ctxt, container: &Container) {
    let options = &container.options;
    let (Some(kind), Some(key)) = (the_kind(container), options.eof_is_failure.key()) else {
        return;
    };
    if kind.kind.is_file() {
        cx.error_spanned_by(
            key,
            format!(
                "`eof_is_failure` is for sockets, and `{}` is declared `{}`: a file's end is the end of its data, never a dead server; remove `eof_is_failure`",
                name(container),
                kind.word
            ),
        );
    }
}

/// A limit of zero would make the declaration a cover that never recovers, which
/// is a connection without a cover.
fn limits_allow_a_recovery(cx: &Ctxt, container: &Container) {
    let options = &container.options;
    for (count, what) in [
        (options.attempts.get(), "attempts = 0` allows no attempt"),
        (options.total.get(), "total = 0` allows no recovery"),
    ] {
        if let Some(count) = count.filter(|c| c.value == 0) {
            cx.error_spanned_by(
                &count.lit,
                format!(
                    "`{what}, so the cover would never recover; leave it out for no limit, or call `suspend()` on the cover to stop recovering for a while"
                ),
            );
        }
    }
}

/// An exponential backoff doubles its wait up to the cap: a first wait above the
/// cap, or of zero, is a schedule that does not do what it says.
fn backoff_grows_to_its_cap(cx: &Ctxt, container: &Container) {
    let Some(Backoff::Exponential { initial, cap }) = container.options.backoff.get() else {
        return;
    };
    if initial.nanos > cap.nanos {
        cx.syn_error(syn::Error::new(
            initial.span(),
            format!(
                "the backoff starts at `{}`, above its cap `{}`: the first wait must be at most the longest; swap them, as in `exponential({}, {})`",
                initial.text(),
                cap.text(),
                cap.text(),
                initial.text()
            ),
        ));
    } else if initial.is_zero() {
        cx.syn_error(syn::Error::new(
            initial.span(),
            "an exponential backoff from zero stays at zero: start it above zero, as in `exponential(1ms, 1s)`, or write `backoff = none`",
        ));
    }
}

/// The deadline bounds one recovery; one shorter than the first wait ends the
/// recovery before its second attempt, which no one declares on purpose.
fn deadline_leaves_time_to_recover(cx: &Ctxt, container: &Container) {
    let options = &container.options;
    let Some(Deadline::After(deadline)) = options.deadline.get() else {
        return;
    };
    if deadline.is_zero() {
        cx.syn_error(syn::Error::new(
            deadline.span(),
            "a deadline of zero leaves recovery no time; leave `deadline` out for the default of 30s, or write `deadline = none` for no deadline",
        ));
        return;
    }
    let first = match options.backoff.get() {
        Some(Backoff::None(_)) => return,
        Some(Backoff::Fixed(step)) => (
            step.nanos,
            format!("the backoff's first wait `{}`", step.text()),
        ),
        Some(Backoff::Exponential { initial, .. }) => (
            initial.nanos,
            format!("the backoff's first wait `{}`", initial.text()),
        ),
        None if options.backoff.key().is_none() && !options.unread.may_include(&[BACKOFF]) => (
            DEFAULT_FIRST_STEP_NANOS,
            format!(
                "the default backoff's first wait, {}",
                duration::show(DEFAULT_FIRST_STEP_NANOS)
            ),
        ),
        None => return,
    };
    if deadline.nanos < first.0 {
        cx.syn_error(syn::Error::new(
            deadline.span(),
            format!(
                "the deadline `{}` is shorter than {}: recovery would give up before its second attempt; lengthen the deadline or shorten the backoff",
                deadline.text(),
                first.1
            ),
        ));
    }
}

/// An empty set means nothing triggers recovery: a cover that never recovers.
fn triggers_are_not_empty(cx: &Ctxt, container: &Container) {
    let Some(triggers) = container.options.recover_on.get() else {
        return;
    };
    if triggers.default.is_none() && triggers.errnos.is_empty() {
        cx.syn_error(syn::Error::new(
            triggers.list,
            "an empty `recover_on` never recovers: list the errors that mean the server died, as in `[ESTALE, ENOTCONN]`, or leave `recover_on` out for the kind's defaults",
        ));
    }
}
