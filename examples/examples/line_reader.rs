//! State reconstruction by a custom recovery function: a reader of a journal
//! that resumes at the last complete line.
//!
//! A journal service writes lines; it crashes in the middle of a line, and on
//! restart it repairs its file (the torn line is cut off) and goes on writing.
//! A reader that had already read the torn half must not keep it: its recovery
//! function reopens the journal at the end of the last complete line it saw,
//! and tells the reader to drop the half line it holds. Reopening at the byte
//! where it stopped would glue the torn half to the repaired line.
//!
//! `cargo run --example line_reader` (needs FUSE: root and /dev/fuse).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::process::ExitCode;

use ha_cover::{AttemptError, Cover, Failure, Recoverable, Transfer};
use ha_cover_world::{self as world, Component, FuseServer};

/// What the reader knows about the journal: where the last complete line
/// ends, and whether a recovery went back there.
#[derive(Default)]
struct Journal {
    position: u64,
    complete: u64,
    went_back: bool,
}

impl Recoverable for Journal {
    fn on_transfer(&mut self, transfer: Transfer<'_>) {
        if let Transfer::Read(bytes) = transfer {
            if let Some(last_newline) = bytes.iter().rposition(|&b| b == b'\n') {
                self.complete = self.position + last_newline as u64 + 1;
            }
            self.position += bytes.len() as u64;
        }
    }
}

fn back_to_last_complete_line(
    failure: &Failure<'_, File>,
    journal: &mut Journal,
) -> Result<File, AttemptError> {
    let mut file = failure.reopen()?;
    file.seek(SeekFrom::Start(journal.complete))?;
    journal.position = journal.complete;
    journal.went_back = true;
    Ok(file)
}

/// Splits what it reads into lines, keeping a torn last line until it is
/// completed, or dropped when the recovery went back before it.
struct LineReader {
    cover: Cover<File, Journal>,
    partial: Vec<u8>,
}

impl LineReader {
    /// The complete lines available now.
    fn read_lines(&mut self) -> io::Result<Vec<String>> {
        let mut lines = Vec::new();
        let mut buf = [0; 64];
        loop {
            let n = self.cover.read(&mut buf)?;
            if self.cover.with_handle(|h| std::mem::take(&mut h.went_back)) {
                println!(
                    "  recovered: dropping the torn half line {:?}",
                    String::from_utf8_lossy(&self.partial)
                );
                self.partial.clear();
            }
            if n == 0 {
                return Ok(lines);
            }
            self.partial.extend_from_slice(&buf[..n]);
            while let Some(end) = self.partial.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.partial.drain(..=end).collect();
                lines.push(String::from_utf8_lossy(&line[..end]).into_owned());
            }
        }
    }
}

fn main() -> ExitCode {
    world::serve_if_asked();
    if let Some(why) = world::missing(Component::Fuse) {
        eprintln!(
            "line_reader: cannot mount FUSE here: {why} (`{}`)",
            world::INSTALL_HINT
        );
        return ExitCode::FAILURE;
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("line_reader: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> io::Result<()> {
    let server = FuseServer::fuser()?;
    let journal = server.backing("journal");
    let mut lines: String = (1..=5).map(|i| format!("entry {i}: ok\n")).collect();
    lines.push_str("entry 6: to"); // the service died while writing this line
    std::fs::write(&journal, &lines)?;

    let cover = Cover::open(
        server.path("journal"),
        back_to_last_complete_line,
        Journal::default(),
    )?;
    let mut reader = LineReader {
        cover,
        partial: Vec::new(),
    };
    let first = reader.read_lines()?;
    println!(
        "read {} complete lines; holding the torn half {:?}",
        first.len(),
        String::from_utf8_lossy(&reader.partial)
    );

    println!(
        "the journal service dies; its file server is killed; on restart it repairs the journal"
    );
    server.supervisor().set_auto_restart(false);
    let deaths = server.supervisor().deaths();
    server.supervisor().kill();
    server
        .supervisor()
        .wait_deaths(deaths + 1, std::time::Duration::from_secs(10))?;
    let complete = lines.rfind('\n').map_or(0, |i| i + 1);
    let mut file = std::fs::OpenOptions::new().write(true).open(&journal)?;
    file.set_len(complete as u64)?;
    file.seek(SeekFrom::End(0))?;
    for i in 6..=8 {
        writeln!(file, "entry {i}: ok")?;
    }
    drop(file);
    server.supervisor().restart();

    let rest = reader.read_lines()?;
    for line in &rest {
        println!("read {line:?}");
    }
    let all: Vec<String> = first.into_iter().chain(rest).collect();
    let expected: Vec<String> = (1..=8).map(|i| format!("entry {i}: ok")).collect();
    if all != expected {
        return Err(io::Error::other(format!(
            "the lines read are not the journal's: {all:?}"
        )));
    }
    println!("all {} lines read once, none torn", all.len());
    Ok(())
}
