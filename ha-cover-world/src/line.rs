//! Reading the socket server's line protocol.

use std::io::{self, Read};

/// Reads one `\n`-terminated line, without the `\n`, a byte at a time: a
/// `BufReader` would read past the line into bytes the test has not asked
/// for yet, which a cover counts (its offset, its unanswered bytes) and a
/// recovery may resend or resume from.
pub fn read_line(reader: &mut impl Read) -> io::Result<String> {
    let mut line = Vec::new();
    let mut byte = [0];
    loop {
        match reader.read(&mut byte)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            _ if byte[0] == b'\n' => {
                return String::from_utf8(line)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e));
            }
            _ => line.push(byte[0]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_up_to_the_newline_and_no_further() {
        let mut input: &[u8] = b"one\ntwo\nrest";
        assert_eq!(read_line(&mut input).unwrap(), "one");
        assert_eq!(read_line(&mut input).unwrap(), "two");
        assert_eq!(input, b"rest");
        let err = read_line(&mut input).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }
}
