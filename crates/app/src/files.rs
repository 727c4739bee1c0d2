//! Where attachments' bytes are kept: one interface, [`FileStore`], with a
//! directory on the server's disk ([`DirStore`], the default:
//! `<data_dir>/files`) here, and an S3-compatible bucket in the
//! `iurhub-files` crate (its HTTP client stays out of the application
//! layer). Objects are named by random keys the application makes
//! ([`new_key`]), never by a user's file name; [`checked`] refuses any
//! other key.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use rand::Rng;

/// A failure of the file store (the application reports it as an internal
/// error; the cause is logged).
#[derive(Debug, thiserror::Error)]
#[error("file store: {0}")]
pub struct FileError(String);

impl FileError {
    pub fn of(e: impl std::fmt::Display) -> FileError {
        FileError(e.to_string())
    }
}

/// Bytes under keys: what attachments need of a storage.
#[async_trait::async_trait]
pub trait FileStore: Send + Sync + std::fmt::Debug {
    /// Stores `bytes` under `key`, replacing what was there.
    async fn put(&self, key: &str, bytes: Bytes) -> Result<(), FileError>;
    /// The bytes under `key`; `None` when there are none.
    async fn get(&self, key: &str) -> Result<Option<Bytes>, FileError>;
    /// Removes `key`; removing a missing key is no error.
    async fn delete(&self, key: &str) -> Result<(), FileError>;
}

/// A new random key: 32 hex digits (128 bits).
pub fn new_key() -> String {
    let n: u128 = rand::rng().random();
    format!("{n:032x}")
}

/// `key`, if it is one [`new_key`] makes (nothing else is ever a path).
pub fn checked(key: &str) -> Result<&str, FileError> {
    if key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(key)
    } else {
        Err(FileError(format!("not a storage key: {key:?}")))
    }
}

/// Files in a directory of the server: `<dir>/<first two digits>/<key>`,
/// written to a temporary file and renamed, so a reader never sees half a
/// file.
#[derive(Debug, Clone)]
pub struct DirStore {
    dir: PathBuf,
}

impl DirStore {
    pub fn new(dir: impl AsRef<Path>) -> DirStore {
        DirStore {
            dir: dir.as_ref().to_path_buf(),
        }
    }

    fn path(&self, key: &str) -> Result<PathBuf, FileError> {
        let key = checked(key)?;
        Ok(self.dir.join(&key[..2]).join(key))
    }
}

#[async_trait::async_trait]
impl FileStore for DirStore {
    async fn put(&self, key: &str, bytes: Bytes) -> Result<(), FileError> {
        let path = self.path(key)?;
        let parent = path.parent().unwrap_or(&self.dir).to_path_buf();
        tokio::fs::create_dir_all(&parent)
            .await
            .map_err(FileError::of)?;
        let partial = parent.join(format!(".{key}.{}", new_key()));
        tokio::fs::write(&partial, &bytes)
            .await
            .map_err(FileError::of)?;
        if let Err(e) = tokio::fs::rename(&partial, &path).await {
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(FileError::of(e));
        }
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<Bytes>, FileError> {
        match tokio::fs::read(self.path(key)?).await {
            Ok(data) => Ok(Some(Bytes::from(data))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(FileError::of(e)),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), FileError> {
        match tokio::fs::remove_file(self.path(key)?).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(FileError::of(e)),
        }
    }
}

/// The storage test suite both implementations pass (the S3 one against a
/// real S3-compatible server, see `tests/api/threads.rs`).
#[doc(hidden)]
pub mod suite {
    use super::*;

    /// Put, get, replace, delete, missing and a large object through
    /// `store`; panics on the first failure.
    pub async fn run(store: &dyn FileStore) {
        let key = new_key();
        assert_eq!(store.get(&key).await.expect("get missing"), None);
        store
            .put(&key, Bytes::from_static(b"first"))
            .await
            .expect("put");
        assert_eq!(
            store.get(&key).await.expect("get").as_deref(),
            Some(&b"first"[..])
        );
        store
            .put(&key, Bytes::from_static("第二".as_bytes()))
            .await
            .expect("replace");
        assert_eq!(
            store.get(&key).await.expect("get replaced").as_deref(),
            Some("第二".as_bytes())
        );
        store.delete(&key).await.expect("delete");
        assert_eq!(store.get(&key).await.expect("get deleted"), None);
        store.delete(&key).await.expect("delete missing");
        let large: Vec<u8> = (0..9 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
        let big = new_key();
        store
            .put(&big, Bytes::from(large.clone()))
            .await
            .expect("put large");
        let back = store.get(&big).await.expect("get large").expect("large");
        assert!(back.as_ref() == large.as_slice(), "large object changed");
        store.delete(&big).await.expect("delete large");
        assert!(store.put("../escape", Bytes::new()).await.is_err());
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn the_directory_store_passes_the_suite() {
        let dir = std::env::temp_dir().join(format!("iurhub-files-{}", super::new_key()));
        super::suite::run(&super::DirStore::new(&dir)).await;
        let _ = std::fs::remove_dir_all(dir);
    }
}
