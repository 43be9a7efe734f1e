//! A line echo server on a Unix socket, in a thread: it greets each connection
//! with `HELLO <n>` and answers every line with the same line, recording what each
//! connection received.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixListener;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub struct EchoServer {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
    received: Arc<Mutex<Vec<(usize, String)>>>,
}

impl EchoServer {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("echo.sock");
        let listener = UnixListener::bind(&path).unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        std::thread::spawn(move || {
            for (n, stream) in listener.incoming().enumerate() {
                let Ok(mut stream) = stream else { return };
                let log = Arc::clone(&log);
                std::thread::spawn(move || {
                    if stream.write_all(format!("HELLO {n}\n").as_bytes()).is_err() {
                        return;
                    }
                    let reader = BufReader::new(stream.try_clone().unwrap());
                    for line in reader.lines() {
                        let Ok(line) = line else { return };
                        log.lock().unwrap().push((n, line.clone()));
                        if stream.write_all(format!("{line}\n").as_bytes()).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Self {
            dir,
            path,
            received,
        }
    }

    /// Every line received, with the number of the connection it came on.
    pub fn received(&self) -> Vec<(usize, String)> {
        self.received.lock().unwrap().clone()
    }

    /// Waits (briefly) until `count` lines have been received.
    pub fn wait_for(&self, count: usize) -> Vec<(usize, String)> {
        for _ in 0..200 {
            let got = self.received();
            if got.len() >= count {
                return got;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        self.received()
    }
}

/// Reads one line, a byte at a time, from anything `Read`.
pub fn read_line(reader: &mut impl std::io::Read) -> std::io::Result<String> {
    let mut line = Vec::new();
    let mut byte = [0];
    loop {
        match reader.read(&mut byte)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            _ if byte[0] == b'\n' => return Ok(String::from_utf8(line).unwrap()),
            _ => line.push(byte[0]),
        }
    }
}
