//! The `ha-socket-server` program:
//! `ha-socket-server MODE (--unix PATH | --tcp ADDR) [--seed S] [--len L] [--state FILE]`.
//!
//! MODE is `echo`, `stream` or `counter`; see
//! [`crate::socket_service`] for the protocols. Runs in
//! the foreground until killed.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::socket_service::{self, Listen, Service};

const USAGE: &str = "usage: ha-socket-server echo|hangup|stream|counter (--unix PATH | --tcp ADDR) \
                     [--seed S] [--len L] [--state FILE]";

/// Runs the server with `args` (without the program name) until killed.
pub fn main(args: Vec<String>) -> ExitCode {
    let (listen, service) = match parse(args) {
        Ok(parsed) => parsed,
        Err(msg) => {
            eprintln!("ha-socket-server: {msg}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match socket_service::run(&listen, service) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ha-socket-server: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: Vec<String>) -> Result<(Listen, Service), String> {
    let mut args = args.into_iter();
    let mode = args.next().ok_or("missing MODE")?;
    let (mut listen, mut seed, mut len, mut state) = (None, 0, None, None);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--unix" => listen = Some(Listen::Unix(PathBuf::from(value))),
            "--tcp" => {
                listen = Some(Listen::Tcp(
                    value.parse().map_err(|e| format!("--tcp {value}: {e}"))?,
                ))
            }
            "--seed" => seed = value.parse().map_err(|e| format!("--seed {value}: {e}"))?,
            "--len" => len = Some(value.parse().map_err(|e| format!("--len {value}: {e}"))?),
            "--state" => state = Some(PathBuf::from(value)),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    let service = match mode.as_str() {
        "echo" => Service::Echo,
        "hangup" => Service::Hangup,
        "stream" => Service::Stream { seed, len },
        "counter" => Service::Counter {
            state: state.ok_or("counter needs --state FILE")?,
        },
        _ => return Err(format!("unknown mode {mode}")),
    };
    Ok((listen.ok_or("need --unix PATH or --tcp ADDR")?, service))
}
