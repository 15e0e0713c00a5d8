//! Compressed sizes of a chunk, and each module's marginal share of them.
//!
//! gzip: one deflate stream over the chunk with a sync flush after each module gives each module's marginal
//! bytes; a plain stream gives the chunk's real size; shares are scaled to add up to it exactly.
//! brotli-11 is by far the slowest step, so it runs once per chunk (plain) and its total is split in the
//! proportions gzip measured.

use std::io::Write;

use flate2::Compression as Level;
use flate2::write::DeflateEncoder;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChunkCompression {
    pub gzip: Option<u64>,
    pub brotli: Option<u64>,
    /// Per part, in input order; each list adds up to its total.
    pub gzip_parts: Vec<u64>,
    pub brotli_parts: Vec<u64>,
}

/// gzip framing around a deflate stream: 10-byte header, 8-byte trailer.
const GZIP_FRAMING: u64 = 18;

pub fn compress_chunk(parts: &[&str], gzip: bool, brotli: bool) -> ChunkCompression {
    let whole: String = parts.concat();
    // The three passes are independent; a chunk that dwarfs the others (three.js) would otherwise leave the
    // second core idle while it compresses.
    let ((shares, gzip_total), brotli_total) = rayon::join(
        || {
            rayon::join(
                || match parts {
                    [_] => vec![1],
                    _ if gzip || brotli => flushed_deflate_shares(parts),
                    _ => Vec::new(),
                },
                || gzip.then(|| deflate_len(whole.as_bytes()) + GZIP_FRAMING),
            )
        },
        || brotli.then(|| brotli_len(whole.as_bytes())),
    );
    ChunkCompression {
        gzip: gzip_total,
        brotli: brotli_total,
        gzip_parts: gzip_total.map(|t| apportion(t, &shares)).unwrap_or_default(),
        brotli_parts: brotli_total.map(|t| apportion(t, &shares)).unwrap_or_default(),
    }
}

fn deflate_len(bytes: &[u8]) -> u64 {
    let mut encoder = DeflateEncoder::new(CountingWriter(0), Level::best());
    let _ = encoder.write_all(bytes);
    encoder.finish().map(|w| w.0).unwrap_or(0)
}

fn brotli_len(bytes: &[u8]) -> u64 {
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    let mut input = bytes;
    let mut out = CountingWriter(0);
    let _ = brotli::BrotliCompress(&mut input, &mut out, &params);
    out.0
}

/// Bytes each part adds to one deflate stream, flushing after each part.
fn flushed_deflate_shares(parts: &[&str]) -> Vec<u64> {
    let mut encoder = DeflateEncoder::new(CountingWriter(0), Level::best());
    let mut shares = Vec::with_capacity(parts.len());
    let mut before = 0;
    for part in parts {
        if part.is_empty() {
            shares.push(0);
            continue;
        }
        let _ = encoder.write_all(part.as_bytes());
        let _ = encoder.flush();
        let now = encoder.get_ref().0;
        shares.push(now - before);
        before = now;
    }
    shares
}

/// Splits `total` in proportion to `weights` (`ballast_common::apportion`); with no weight at all, the first
/// part takes it all, so a chunk's bytes are never lost.
pub fn apportion(total: u64, weights: &[u64]) -> Vec<u64> {
    ballast_common::apportion(total, weights).unwrap_or_else(|| {
        let mut out = vec![0; weights.len()];
        if let Some(first) = out.first_mut() {
            *first = total;
        }
        out
    })
}

struct CountingWriter(u64);

impl Write for CountingWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_add_up_to_the_chunk() {
        let a = "function a(){return 1}".repeat(50);
        let b = "const b=[1,2,3].map(x=>x*2);".repeat(80);
        let c = "";
        let result = compress_chunk(&[&a, &b, c], true, true);
        assert_eq!(result.gzip_parts.iter().sum::<u64>(), result.gzip.unwrap());
        assert_eq!(result.brotli_parts.iter().sum::<u64>(), result.brotli.unwrap());
        assert_eq!(result.gzip_parts[2], 0);
        assert!(result.brotli.unwrap() < result.gzip.unwrap());
    }

    #[test]
    fn gzip_total_matches_a_real_gzip_file() {
        let text = "hello world, hello world. ".repeat(100);
        let mut real = flate2::write::GzEncoder::new(Vec::new(), Level::best());
        real.write_all(text.as_bytes()).unwrap();
        let real = real.finish().unwrap();
        assert_eq!(compress_chunk(&[&text], true, false).gzip.unwrap(), real.len() as u64);
    }

    #[test]
    fn apportion_is_exact() {
        assert_eq!(apportion(10, &[1, 1, 1]).iter().sum::<u64>(), 10);
        assert_eq!(apportion(7, &[0, 0]), vec![7, 0]);
        assert_eq!(apportion(100, &[50, 25, 25]), vec![50, 25, 25]);
    }
}
