//! A fetched body: in memory while small, spilled to a temporary file when large, or a local
//! file read in place. It can be read several times (record splitting reads twice).

use std::fs::File;
use std::io::{BufReader, Cursor, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

/// Bodies larger than this go to a temporary file.
pub const SPILL_AT_BYTES: usize = 16 * 1024 * 1024;

/// The bytes of one page.
#[derive(Debug, Clone)]
pub enum PageBody {
    /// Small bodies.
    Memory(Arc<Vec<u8>>),
    /// Large bodies, in a temporary file removed when the last clone is dropped.
    Spilled(Arc<tempfile::NamedTempFile>),
    /// A local (`file:`) document, read where it is.
    Local(PathBuf),
}

impl PageBody {
    /// A reader over the whole body, from its start.
    pub fn open(&self) -> std::io::Result<Box<dyn Read + Send>> {
        Ok(match self {
            PageBody::Memory(bytes) => Box::new(Cursor::new(SharedBytes(bytes.clone()))),
            PageBody::Spilled(file) => Box::new(BufReader::with_capacity(
                256 * 1024,
                File::open(file.path())?,
            )),
            PageBody::Local(path) => {
                Box::new(BufReader::with_capacity(256 * 1024, File::open(path)?))
            }
        })
    }

    /// The SHA-256 of the body, in lower-case hex.
    pub fn sha256_hex(&self) -> std::io::Result<String> {
        use sha2::Digest as _;
        let mut hasher = sha2::Sha256::new();
        std::io::copy(&mut self.open()?, &mut hasher)?;
        Ok(hasher
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect())
    }

    /// The first `n` bytes (fewer if the body is shorter).
    pub fn head(&self, n: usize) -> Vec<u8> {
        let mut head = vec![0; n];
        let mut filled = 0;
        if let Ok(mut reader) = self.open() {
            while filled < n {
                match reader.read(&mut head[filled..]) {
                    Ok(0) | Err(_) => break,
                    Ok(read) => filled += read,
                }
            }
        }
        head.truncate(filled);
        head
    }
}

struct SharedBytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

/// Collects a body chunk by chunk, spilling to a temporary file past [`SPILL_AT_BYTES`].
#[derive(Default)]
pub struct BodyCollector {
    memory: Vec<u8>,
    file: Option<tempfile::NamedTempFile>,
    bytes: u64,
}

impl BodyCollector {
    /// Bytes collected so far.
    pub fn len(&self) -> u64 {
        self.bytes
    }

    /// Whether nothing was collected.
    pub fn is_empty(&self) -> bool {
        self.bytes == 0
    }

    /// Appends a chunk (blocking only briefly: writes go to the page cache).
    pub fn push(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        self.bytes += chunk.len() as u64;
        if let Some(file) = &mut self.file {
            return file.write_all(chunk);
        }
        self.memory.extend_from_slice(chunk);
        if self.memory.len() > SPILL_AT_BYTES {
            let mut file = tempfile::NamedTempFile::new()?;
            file.write_all(&self.memory)?;
            self.memory = Vec::new();
            self.file = Some(file);
        }
        Ok(())
    }

    /// The finished body.
    pub fn finish(self) -> std::io::Result<PageBody> {
        match self.file {
            Some(mut file) => {
                file.flush()?;
                Ok(PageBody::Spilled(Arc::new(file)))
            }
            None => Ok(PageBody::Memory(Arc::new(self.memory))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_bodies_spill_and_read_back_whole() {
        let mut collector = BodyCollector::default();
        let chunk = vec![b'x'; 1024 * 1024];
        for _ in 0..17 {
            collector.push(&chunk).expect("push");
        }
        assert_eq!(collector.len(), 17 * 1024 * 1024);
        let body = collector.finish().expect("finish");
        assert!(matches!(body, PageBody::Spilled(_)));
        let mut all = Vec::new();
        body.open()
            .expect("open")
            .read_to_end(&mut all)
            .expect("read");
        assert_eq!(all.len(), 17 * 1024 * 1024);
        assert_eq!(body.head(3), b"xxx");
    }
}
