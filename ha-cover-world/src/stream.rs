//! The deterministic byte stream `ha-socket-server stream` sends.
//!
//! Byte `n` of the stream for `seed` depends only on `(seed, n)`, so a client
//! that reconnects and asks `FROM n` can check it got exactly the bytes it
//! would have read without the failure.

use crate::rng::{GAMMA, splitmix64};

/// Byte `n` of the stream for `seed`.
pub fn byte_at(seed: u64, n: u64) -> u8 {
    word(seed, n / 8)[(n % 8) as usize]
}

/// Fills `buf` with the stream for `seed` starting at byte `from`.
pub fn fill(seed: u64, from: u64, buf: &mut [u8]) {
    let mut pos = from;
    let mut i = 0;
    while i < buf.len() {
        let w = word(seed, pos / 8);
        let start = (pos % 8) as usize;
        let take = (8 - start).min(buf.len() - i);
        buf[i..i + take].copy_from_slice(&w[start..start + take]);
        i += take;
        pos += take as u64;
    }
}

/// `len` bytes of the stream for `seed` starting at byte `from`.
pub fn bytes(seed: u64, from: u64, len: usize) -> Vec<u8> {
    let mut buf = vec![0; len];
    fill(seed, from, &mut buf);
    buf
}

fn word(seed: u64, index: u64) -> [u8; 8] {
    splitmix64(seed.wrapping_add(index.wrapping_mul(GAMMA))).to_le_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_window_matches_byte_at() {
        let whole = bytes(7, 0, 100);
        for from in 0..40 {
            for len in [0, 1, 7, 8, 9, 33] {
                let part = bytes(7, from, len);
                assert_eq!(part, whole[from as usize..from as usize + len]);
            }
        }
        assert_eq!(byte_at(7, 13), whole[13]);
        assert_ne!(bytes(8, 0, 16), whole[..16]);
    }
}
