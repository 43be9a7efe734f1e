// Names the derive's generated code introduces (a connection type parameter,
// the lifetime of an async recovery) are none of the user's: a handle named
// `C`, a role field of the user's `type C`, type parameters and lifetimes
// named like the generated ones, all still mean the user's.
#![allow(dead_code)]

use ha_cover::asynchronous::AsyncCover;
use ha_cover::{Cover, ReconnectTarget, Recoverable};

// The handle is `C`.
#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct C {
    #[ha(offset)]
    offset: u64,
}

// A role field of the user's type `C`, and one of the user's `Conn`.
type Conn = u32;

mod aliases {
    pub type C = u64;
}
use aliases::C as Offset;

#[derive(Recoverable, Default)]
#[recoverable(strategy = reopen_seek)]
struct Aliased {
    #[ha(offset)]
    offset: aliases::C,
    #[ha(recoveries)]
    recoveries: Conn,
    also: Offset,
}

// Type parameters and a lifetime named like the generated ones.
#[derive(Recoverable)]
#[recoverable(strategy = reconnect, after = hello)]
struct Generic<'a, Connection: Send + 'static, HaConnection = u8> {
    name: &'a str,
    user: Connection,
    other: HaConnection,
}

fn hello<T: ReconnectTarget, Connection: Send + 'static, HaConnection>(
    _: &mut T,
    _: &mut Generic<'static, Connection, HaConnection>,
) -> std::io::Result<()> {
    Ok(())
}

async fn recovers_async() {
    let _ = AsyncCover::open("/tmp/x", ha_cover::asynchronous::by_handle, C::default()).await;
}

fn main() {
    let _ = Cover::open("/tmp/x", ha_cover::by_handle, C::default());
    let _ = Cover::open("/tmp/x", ha_cover::by_handle, Aliased::default());
    let _ = Cover::connect_unix(
        "/run/x.sock",
        ha_cover::by_handle,
        Generic::<'static, String> {
            name: "x",
            user: String::new(),
            other: 0,
        },
    );
    let _ = recovers_async();
}
