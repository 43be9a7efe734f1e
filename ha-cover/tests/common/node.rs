//! A TCP line server standing in for one node of a replicated service: it
//! answers `ROLE` with its role and any other line with `<name> <line>`, and
//! can be killed (its port then refuses connections) and promoted.

use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

pub struct Node {
    pub name: &'static str,
    pub addr: SocketAddr,
    primary: Arc<AtomicBool>,
    dead: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<TcpStream>>>,
}

impl Node {
    pub fn start(name: &'static str, primary: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let node = Node {
            name,
            addr,
            primary: Arc::new(AtomicBool::new(primary)),
            dead: Arc::new(AtomicBool::new(false)),
            connections: Arc::new(Mutex::new(Vec::new())),
        };
        let (role, dead, connections) = (
            Arc::clone(&node.primary),
            Arc::clone(&node.dead),
            Arc::clone(&node.connections),
        );
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if dead.load(Ordering::SeqCst) {
                    return; // dropping the listener closes the port
                }
                let Ok(stream) = stream else { return };
                // Checked again under the lock `kill` drains: a connection
                // accepted just before a kill and registered after its drain
                // stayed open, and a test reading it waited for ever.
                let mut open = connections.lock().unwrap();
                if dead.load(Ordering::SeqCst) {
                    let _ = stream.shutdown(Shutdown::Both);
                    return;
                }
                open.push(stream.try_clone().unwrap());
                drop(open);
                let role = Arc::clone(&role);
                std::thread::spawn(move || serve(name, stream, &role));
            }
        });
        node
    }

    pub fn promote(&self) {
        self.primary.store(true, Ordering::SeqCst);
    }

    /// Closes every connection and the port, as a SIGKILL would.
    pub fn kill(&self) {
        self.dead.store(true, Ordering::SeqCst);
        for stream in self.connections.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
        // Wakes the accept loop, which sees the flag and drops the listener.
        let _ = TcpStream::connect(self.addr);
        for _ in 0..200 {
            if TcpStream::connect(self.addr).is_err() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        panic!("{} still accepts connections", self.name);
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        if !self.dead.load(Ordering::SeqCst) {
            self.kill();
        }
    }
}

fn serve(name: &str, mut stream: TcpStream, primary: &AtomicBool) {
    let reader = BufReader::new(stream.try_clone().unwrap());
    for line in reader.lines() {
        let Ok(line) = line else { return };
        let answer = match line.as_str() {
            "ROLE" if primary.load(Ordering::SeqCst) => "primary".to_owned(),
            "ROLE" => "replica".to_owned(),
            _ => format!("{name} {line}"),
        };
        if stream.write_all(format!("{answer}\n").as_bytes()).is_err() {
            return;
        }
    }
}
