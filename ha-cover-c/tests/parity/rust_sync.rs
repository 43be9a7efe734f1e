//! The sync cover (`ha_cover::Cover`).

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex};

use ha_cover_rt::{AttemptError, Cover, Failure};

use crate::rust_common::{builder, counts, outcome_of, read_outcome};
use crate::scenario::{Act, Counts, Ctrl, Ev, Op, Open, Outcome, Scenario, Target, next_act};
use crate::servers::Server;

enum Member {
    File(Cover<File>),
    Socket(Cover<UnixStream>),
}

#[derive(Default)]
pub struct Sync {
    members: Vec<Member>,
    events: Arc<Mutex<Vec<Ev>>>,
}

fn recover_file(failure: &Failure<'_, File>, _: &mut ()) -> Result<File, AttemptError> {
    act_file(failure, next_act(false))
}

fn recover_file_replaced(failure: &Failure<'_, File>, _: &mut ()) -> Result<File, AttemptError> {
    act_file(failure, next_act(true))
}

fn act_file(failure: &Failure<'_, File>, act: Act) -> Result<File, AttemptError> {
    match act {
        Act::ReopenSeek => failure.reopen_seek(),
        Act::Unchanged => Ok(failure.dead().try_clone()?),
        other => act_common(other),
    }
}

fn recover_socket(
    failure: &Failure<'_, UnixStream>,
    _: &mut (),
) -> Result<UnixStream, AttemptError> {
    act_socket(failure, next_act(false))
}

fn recover_socket_replaced(
    failure: &Failure<'_, UnixStream>,
    _: &mut (),
) -> Result<UnixStream, AttemptError> {
    act_socket(failure, next_act(true))
}

fn act_socket(failure: &Failure<'_, UnixStream>, act: Act) -> Result<UnixStream, AttemptError> {
    match act {
        Act::Reconnect => failure.reconnect(),
        Act::Unchanged => Ok(failure.dead().try_clone()?),
        other => act_common(other),
    }
}

fn act_common<C>(act: Act) -> Result<C, AttemptError> {
    match act {
        Act::GiveUp(e) => Err(AttemptError::give_up(io::Error::from_raw_os_error(e))),
        Act::Retry(e) => Err(AttemptError::retry(io::Error::from_raw_os_error(e))),
        Act::Panic => panic!("the recovery function panics, on purpose"),
        other => unreachable!("{other:?} does not fit this connection"),
    }
}

fn file_op(cover: &mut Cover<File>, op: &Op) -> Outcome {
    match op {
        Op::Read(len) => {
            let mut buf = vec![0; *len];
            read_outcome(cover.read(&mut buf), &buf)
        }
        Op::Write(bytes) => cover.write(bytes).map_or_else(outcome_of, Outcome::Written),
        Op::ReadAt(at, len) => {
            let mut buf = vec![0; *len];
            read_outcome(cover.read_at(&mut buf, *at), &buf)
        }
        Op::WriteAt(at, bytes) => cover
            .write_at(bytes, *at)
            .map_or_else(outcome_of, Outcome::Written),
        Op::Seek(to) => cover
            .seek(SeekFrom::Start(*to))
            .map_or_else(outcome_of, Outcome::Position),
        Op::Sync => cover.sync_all().map_or_else(outcome_of, |()| Outcome::Done),
    }
}

fn socket_op(cover: &mut Cover<UnixStream>, op: &Op) -> Outcome {
    match op {
        Op::Read(len) => {
            let mut buf = vec![0; *len];
            read_outcome(cover.read(&mut buf), &buf)
        }
        Op::Write(bytes) => cover.write(bytes).map_or_else(outcome_of, Outcome::Written),
        other => unreachable!("{other:?} on a socket"),
    }
}

impl crate::front::FrontEnd for Sync {
    fn open(&mut self, scenario: &Scenario, server: &Server) {
        let builder = builder(ha_cover_rt::Builder::new(), scenario, &self.events);
        let member = match &scenario.target {
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
                        .open_with(server.path(), &options, recover_file, ())
                        .unwrap(),
                )
            }
            Target::Socket { .. } => Member::Socket(
                builder
                    .connect_unix(server.path(), recover_socket, ())
                    .unwrap(),
            ),
        };
        self.members = vec![member];
    }

    fn dup(&mut self, n: usize) {
        let dup = match &mut self.members[n] {
            Member::File(cover) => Member::File(cover.dup().unwrap()),
            Member::Socket(cover) => Member::Socket(cover.dup().unwrap()),
        };
        self.members.push(dup);
    }

    fn op(&mut self, n: usize, op: &Op) -> Outcome {
        match &mut self.members[n] {
            Member::File(cover) => file_op(cover, op),
            Member::Socket(cover) => socket_op(cover, op),
        }
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
        match &mut self.members[n] {
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
