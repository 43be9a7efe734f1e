//! The tokio cover (`ha_cover::asynchronous::AsyncCover`), on a current-thread
//! runtime: each operation runs to its end before the next step.

use std::fs::OpenOptions;
use std::io::{self, SeekFrom};
use std::sync::{Arc, Mutex};

use ha_cover_rt::AttemptError;
use ha_cover_rt::asynchronous::{AsyncConnection, AsyncCover, AsyncFailure, BoxFuture, File};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
use tokio::net::UnixStream;
use tokio::runtime::Runtime;

use crate::rust_common::{builder, counts, outcome_of, read_outcome};
use crate::scenario::{Act, Counts, Ctrl, Ev, Op, Open, Outcome, Scenario, Target, next_act};
use crate::servers::Server;

enum Member {
    File(AsyncCover<File>),
    Socket(AsyncCover<UnixStream>),
}

pub struct Async {
    runtime: Runtime,
    members: Vec<Member>,
    events: Arc<Mutex<Vec<Ev>>>,
}

impl Default for Async {
    fn default() -> Self {
        Self {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
            members: Vec::new(),
            events: Arc::default(),
        }
    }
}

fn recover_file<'a>(
    failure: &'a AsyncFailure<'a, File>,
    _: &'a mut (),
) -> BoxFuture<'a, Result<File, AttemptError>> {
    act_file(failure, next_act(false))
}

fn recover_file_replaced<'a>(
    failure: &'a AsyncFailure<'a, File>,
    _: &'a mut (),
) -> BoxFuture<'a, Result<File, AttemptError>> {
    act_file(failure, next_act(true))
}

fn act_file<'a>(
    failure: &'a AsyncFailure<'a, File>,
    act: Act,
) -> BoxFuture<'a, Result<File, AttemptError>> {
    Box::pin(async move {
        match act {
            Act::ReopenSeek => failure.reopen_seek().await,
            Act::Unchanged => Ok(failure.dead().try_dup()?),
            other => act_common(other),
        }
    })
}

fn recover_socket<'a>(
    failure: &'a AsyncFailure<'a, UnixStream>,
    _: &'a mut (),
) -> BoxFuture<'a, Result<UnixStream, AttemptError>> {
    act_socket(failure, next_act(false))
}

fn recover_socket_replaced<'a>(
    failure: &'a AsyncFailure<'a, UnixStream>,
    _: &'a mut (),
) -> BoxFuture<'a, Result<UnixStream, AttemptError>> {
    act_socket(failure, next_act(true))
}

fn act_socket<'a>(
    failure: &'a AsyncFailure<'a, UnixStream>,
    act: Act,
) -> BoxFuture<'a, Result<UnixStream, AttemptError>> {
    Box::pin(async move {
        match act {
            Act::Reconnect => failure.reconnect().await,
            Act::Unchanged => Ok(failure.dead().try_dup()?),
            other => act_common(other),
        }
    })
}

fn act_common<C>(act: Act) -> Result<C, AttemptError> {
    match act {
        Act::GiveUp(e) => Err(AttemptError::give_up(io::Error::from_raw_os_error(e))),
        Act::Retry(e) => Err(AttemptError::retry(io::Error::from_raw_os_error(e))),
        Act::Panic => panic!("the recovery function panics, on purpose"),
        other => unreachable!("{other:?} does not fit this connection"),
    }
}

async fn file_op(cover: &mut AsyncCover<File>, op: &Op) -> Outcome {
    match op {
        Op::Read(len) => {
            let mut buf = vec![0; *len];
            let result = cover.read(&mut buf).await;
            read_outcome(result, &buf)
        }
        Op::Write(bytes) => cover
            .write(bytes)
            .await
            .map_or_else(outcome_of, Outcome::Written),
        Op::ReadAt(at, len) => {
            let mut buf = vec![0; *len];
            let result = cover.read_at(&mut buf, *at).await;
            read_outcome(result, &buf)
        }
        Op::WriteAt(at, bytes) => cover
            .write_at(bytes, *at)
            .await
            .map_or_else(outcome_of, Outcome::Written),
        Op::Seek(to) => cover
            .seek(SeekFrom::Start(*to))
            .await
            .map_or_else(outcome_of, Outcome::Position),
        Op::Sync => cover
            .sync_all()
            .await
            .map_or_else(outcome_of, |()| Outcome::Done),
    }
}

async fn socket_op(cover: &mut AsyncCover<UnixStream>, op: &Op) -> Outcome {
    match op {
        Op::Read(len) => {
            let mut buf = vec![0; *len];
            let result = cover.read(&mut buf).await;
            read_outcome(result, &buf)
        }
        Op::Write(bytes) => cover
            .write(bytes)
            .await
            .map_or_else(outcome_of, Outcome::Written),
        other => unreachable!("{other:?} on a socket"),
    }
}

impl crate::front::FrontEnd for Async {
    fn open(&mut self, scenario: &Scenario, server: &Server) {
        let builder = builder(AsyncCover::builder(), scenario, &self.events);
        let path = server.path();
        let member = self.runtime.block_on(async {
            match &scenario.target {
                Target::File { open, .. } => {
                    let mut options = OpenOptions::new();
                    match open {
                        Open::Read => options.read(true),
                        Open::ReadWrite => options.read(true).write(true),
                        Open::Append => options.append(true),
                        Open::ReadAppend => options.read(true).append(true),
                    };
                    Member::File(
                        builder
                            .open_with(path, &options, recover_file, ())
                            .await
                            .unwrap(),
                    )
                }
                Target::Socket { .. } => Member::Socket(
                    builder
                        .connect_unix(path, recover_socket, ())
                        .await
                        .unwrap(),
                ),
            }
        });
        self.members = vec![member];
    }

    fn dup(&mut self, n: usize) {
        let dup = match &self.members[n] {
            Member::File(cover) => Member::File(cover.dup().unwrap()),
            Member::Socket(cover) => Member::Socket(cover.dup().unwrap()),
        };
        self.members.push(dup);
    }

    fn op(&mut self, n: usize, op: &Op) -> Outcome {
        let member = &mut self.members[n];
        self.runtime.block_on(async {
            match member {
                Member::File(cover) => file_op(cover, op).await,
                Member::Socket(cover) => socket_op(cover, op).await,
            }
        })
    }

    fn ctrl(&mut self, n: usize, ctrl: Ctrl) {
        macro_rules! apply {
            ($cover:expr, $replaced:expr) => {
                match ctrl {
                    Ctrl::Suspend => $cover.control().suspend(),
                    Ctrl::Enable => $cover.control().enable(),
                    Ctrl::ResetAttempts => $cover.control().reset_attempts(),
                    Ctrl::ResetTotal => $cover.control().reset_total(),
                    Ctrl::Replace => $cover.set_recovery($replaced),
                }
            };
        }
        match &self.members[n] {
            Member::File(cover) => apply!(cover, recover_file_replaced),
            Member::Socket(cover) => apply!(cover, recover_socket_replaced),
        }
    }

    fn counts(&mut self, n: usize) -> Counts {
        let stats = match &self.members[n] {
            Member::File(cover) => cover.control().stats(),
            Member::Socket(cover) => cover.control().stats(),
        };
        counts(&stats)
    }

    fn events(&mut self) -> Vec<Ev> {
        std::mem::take(&mut self.events.lock().unwrap())
    }

    fn close(&mut self) {
        self.members.clear();
    }
}
