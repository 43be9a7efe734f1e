//! The connection kinds a declaration can name, as types: the words of
//! `#[ha_connection(file | unix | tcp | file = T | socket = T, ...)]`.
//!
//! They are lowercase so that an error about one reads as the declaration was
//! written: "`Echo` is declared `unix`: ...".
#![allow(non_camel_case_types)]

use crate::connection::Kind;

/// A connection kind of a declaration. Sealed: the kinds are the ones below.
pub trait ConnectionKind: sealed::Sealed + 'static {
    /// The word the declaration uses.
    const WORD: &'static str;
    /// Files or sockets.
    const KIND: Kind;
}

/// `file`: `std::fs::File`, or `file = T` for a file connection of your own.
#[derive(Debug)]
pub enum file {}

/// `unix`: `std::os::unix::net::UnixStream`.
#[derive(Debug)]
pub enum unix {}

/// `tcp`: `std::net::TcpStream`.
#[derive(Debug)]
pub enum tcp {}

/// `socket = T`: a socket connection of your own.
#[derive(Debug)]
pub enum socket {}

impl ConnectionKind for file {
    const WORD: &'static str = "file";
    const KIND: Kind = Kind::File;
}

impl ConnectionKind for unix {
    const WORD: &'static str = "unix";
    const KIND: Kind = Kind::Socket;
}

impl ConnectionKind for tcp {
    const WORD: &'static str = "tcp";
    const KIND: Kind = Kind::Socket;
}

impl ConnectionKind for socket {
    const WORD: &'static str = "socket";
    const KIND: Kind = Kind::Socket;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::file {}
    impl Sealed for super::unix {}
    impl Sealed for super::tcp {}
    impl Sealed for super::socket {}
}
