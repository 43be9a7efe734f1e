//! Checks that look at more than one option or field, each saying why it exists.

use quote::ToTokens;

use super::ast::Container;
use super::attr::Strategy;
use crate::ctxt::Ctxt;
use crate::symbol::{
    ADDR, DISCOVER, DISCOVER_ASYNC, OFFSET, PATH, RECOVERIES, Symbol, WITH, WITH_ASYNC,
};

pub fn check(cx: &Ctxt, container: &Container<'_>) {
    one_field_per_role(cx, container);
    one_way_to_recover(cx, container);
    reopen_seek_has_an_offset(cx, container);
    with_names_its_connection(cx, container);
    options_need_a_recovery(cx, container);
    hooks_match_the_recovery(cx, container);
    discovery_needs_reconnect(cx, container);
    roles_match_the_strategy(cx, container);
}

/// The cover keeps one offset and one counter per handle; two fields would
/// silently diverge from each other the first time one of them is written by hand.
fn one_field_per_role(cx: &Ctxt, container: &Container<'_>) {
    for role in [OFFSET, RECOVERIES, PATH, ADDR] {
        let mut with_role = container
            .fields
            .iter()
            .filter_map(|field| Some((field, field.role().filter(|r| r.role == role)?)));
        let Some((first, _)) = with_role.next() else {
            continue;
        };
        let first = first.member.to_token_stream();
        for (_, again) in with_role {
            cx.error_spanned_by(
                &again.word,
                format!(
                    "a handle has one `#[ha({role})]` field, and `{first}` is already it; remove this `#[ha({role})]`"
                ),
            );
        }
    }
}

/// A strategy and a function of the user's own would both claim the recovery;
/// so would a sync and an async function, which moreover recover different
/// connection types that one `connection = ...` cannot both name.
fn one_way_to_recover(cx: &Ctxt, container: &Container<'_>) {
    let attrs = &container.attrs;
    if let Some(strategy) = attrs.strategy.get() {
        for (key, name) in [
            (attrs.with.key(), "with"),
            (attrs.with_async.key(), "with_async"),
        ] {
            if let Some(key) = key {
                cx.error_spanned_by(
                    key,
                    format!(
                        "`{name}` and `strategy` both say how to recover; keep `strategy = {}` for the built-in recovery, or `{name} = ...` for your own function, not both",
                        strategy.word
                    ),
                );
            }
        }
    }
    if let (Some(_), Some(with_async)) = (attrs.with.key(), attrs.with_async.key()) {
        cx.error_spanned_by(
            with_async,
            "`with` and `with_async` both say how to recover, and a handle has one recovery function: `with` for sync covers, `with_async` for async ones; declare a handle for each",
        );
    }
}

/// `reopen_seek` seeks to the handle's offset, so the handle needs one.
fn reopen_seek_has_an_offset(cx: &Ctxt, container: &Container<'_>) {
    let Some(strategy) = container.attrs.strategy.get() else {
        return;
    };
    // A role that could not be read may be the offset.
    let unread_role = container.fields.iter().any(|f| f.attrs.incomplete);
    if strategy.strategy == Strategy::ReopenSeek
        && container.field_with(OFFSET).is_none()
        && !unread_role
    {
        cx.error_spanned_by(
            &strategy.word,
            "`reopen_seek` seeks back to the handle's `#[ha(offset)]` field, and this struct has none; add `#[ha(offset)] offset: u64`, or use `strategy = reopen` to reopen without seeking",
        );
    }
}

/// A `with` function fixes the connection type it recovers, and the derive cannot
/// see the function's signature: it must be told which impl to write.
fn with_names_its_connection(cx: &Ctxt, container: &Container<'_>) {
    let attrs = &container.attrs;
    if attrs.incomplete || attrs.connection.get().is_some() {
        return;
    }
    for (with, key, bounds) in [
        (&attrs.with, WITH, "ha_cover::ReconnectTarget"),
        (
            &attrs.with_async,
            WITH_ASYNC,
            "ha_cover::asynchronous::AsyncReconnectTarget",
        ),
    ] {
        if let Some(function) = with.get() {
            let name = function.to_token_stream().to_string().replace(' ', "");
            let example = if key == WITH {
                "std::fs::File"
            } else {
                "tokio::net::UnixStream"
            };
            cx.error_spanned_by(
                with.key(),
                format!(
                    "`{key}` needs the connection type `{name}` recovers: add `connection = {example}` (or the type it takes), or `connection = impl {bounds}` if it is generic"
                ),
            );
        }
    }
}

/// `after` and `connection` qualify a recovery; alone they would do nothing.
///
/// This and the checks below rely on a key being absent, so they are skipped
/// when a key could not be read: it may be the misspelled strategy.
fn options_need_a_recovery(cx: &Ctxt, container: &Container<'_>) {
    let attrs = &container.attrs;
    if attrs.strategy.get().is_some()
        || attrs.with.get().is_some()
        || attrs.with_async.get().is_some()
        || attrs.incomplete
    {
        return;
    }
    for (key, what) in [
        (attrs.after.key(), "`after` runs after a recovery"),
        (
            attrs.after_async.key(),
            "`after_async` runs after a recovery",
        ),
        (
            attrs.connection.key(),
            "`connection` says what the recovery recovers",
        ),
    ] {
        if let Some(key) = key {
            cx.error_spanned_by(
                key,
                format!(
                    "{what}, and this struct declares none; add `strategy = reopen_seek`, `strategy = reconnect` or `with = path::to::recover_fn`"
                ),
            );
        }
    }
}

/// A hook runs after a recovery of its own kind: a sync hook cannot do I/O on
/// the connection an async function made (a tokio socket), and an async hook
/// cannot run inside a sync recovery. A strategy has both forms, so it takes
/// either hook, or both.
fn hooks_match_the_recovery(cx: &Ctxt, container: &Container<'_>) {
    let attrs = &container.attrs;
    if let (Some(after), Some(_), None) =
        (attrs.after.key(), attrs.with_async.get(), attrs.with.get())
    {
        cx.error_spanned_by(
            after,
            "`after` is a sync hook, and `with_async` recovers async covers: run the hook after it with `after_async = ...`, an `async fn(&mut C, &mut Handle) -> Result<(), E>`",
        );
    }
    if let (Some(after_async), Some(_), None) = (
        attrs.after_async.key(),
        attrs.with.get(),
        attrs.with_async.get(),
    ) {
        cx.error_spanned_by(
            after_async,
            "`after_async` is an async hook, and `with` recovers sync covers: run a sync hook after it with `after = ...`, or recover async covers with `with_async = ...`",
        );
    }
}

/// A discovery says where `strategy = reconnect` connects; a file strategy
/// opens a path, and a function of the user's own decides for itself.
fn discovery_needs_reconnect(cx: &Ctxt, container: &Container<'_>) {
    let attrs = &container.attrs;
    if attrs.incomplete {
        return;
    }
    let strategy = attrs.strategy.get();
    for (key, word) in [
        (attrs.discover.key(), DISCOVER),
        (attrs.discover_async.key(), DISCOVER_ASYNC),
    ] {
        let Some(key) = key else { continue };
        let message = match strategy {
            Some(s) if s.strategy == Strategy::Reconnect => continue,
            Some(s) => format!(
                "`{word}` finds where a socket reconnects, and `strategy = {}` reopens a file; use `strategy = reconnect`, or `#[ha(path)]` to reopen elsewhere",
                s.word
            ),
            None if attrs.with.get().is_some() || attrs.with_async.get().is_some() => format!(
                "`{word}` finds where `strategy = reconnect` connects, and your recovery function decides that itself; ask the discovery from the function, or use `strategy = reconnect, {word} = ...`"
            ),
            None => format!(
                "`{word}` finds where `strategy = reconnect` connects, and this struct declares no strategy; add `strategy = reconnect`"
            ),
        };
        cx.error_spanned_by(key, message);
    }
}

/// `#[ha(path)]` and `#[ha(addr)]` are read only by the strategy that reopens or
/// reconnects; anywhere else the field would look meaningful and be ignored.
fn roles_match_the_strategy(cx: &Ctxt, container: &Container<'_>) {
    let attrs = &container.attrs;
    if attrs.incomplete {
        return;
    }
    let strategy = attrs.strategy.get().map(|s| s.strategy);
    for field in &container.fields {
        let Some(role) = field.role() else { continue };
        let needed: &[Strategy] = match role.role {
            r if r == PATH => &[Strategy::Reopen, Strategy::ReopenSeek],
            r if r == ADDR => &[Strategy::Reconnect],
            _ => continue,
        };
        if strategy.is_some_and(|s| needed.contains(&s)) {
            continue;
        }
        let message = match (role.role, strategy) {
            (_, _) if attrs.with.get().is_some() || attrs.with_async.get().is_some() => format!(
                "`{}` recovers through your function, which reads this field itself; remove `#[ha({})]`",
                if attrs.with.get().is_some() { WITH } else { WITH_ASYNC },
                role.role
            ),
            (r, Some(Strategy::Reconnect)) if r == PATH => "`#[ha(path)]` is where a file is reopened, and `strategy = reconnect` reconnects a socket: mark where to reconnect with `#[ha(addr)]` (a Unix socket's path is one)".to_owned(),
            (r, Some(s)) if r == ADDR => format!(
                "`#[ha(addr)]` is where a socket reconnects, and `strategy = {}` reopens a file: mark where to reopen with `#[ha(path)]`",
                strategy_word(s)
            ),
            (r, _) => format!(
                "`#[ha({r})]` is read by `strategy = {}`, and this struct declares no strategy; add `#[recoverable(strategy = {})]` or remove the role",
                strategy_word(needed[needed.len() - 1]),
                strategy_word(needed[needed.len() - 1]),
            ),
        };
        cx.error_spanned_by(&role.word, message);
    }
}

fn strategy_word(strategy: Strategy) -> Symbol {
    use crate::symbol::{RECONNECT, REOPEN, REOPEN_SEEK};
    match strategy {
        Strategy::Reopen => REOPEN,
        Strategy::ReopenSeek => REOPEN_SEEK,
        Strategy::Reconnect => RECONNECT,
    }
}
