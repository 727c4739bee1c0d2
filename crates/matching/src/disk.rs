//! The directory an index kept on disk is written through: like tantivy's
//! [`MmapDirectory`], but a commit does not force its files to stable
//! storage. Every write still reaches the operating system before the
//! commit returns (a crashed process loses nothing), and a new `meta.json`
//! still replaces the old one by a rename (a reader never sees half of
//! it). What a machine crash could lose is made durable by [`sync_tree`],
//! which the owner of the index calls before it records how far the index
//! is complete (`iurhub-app`'s `index_dir`, once a minute and at a clean
//! stop).
//!
//! Without this every write to the index (one per created or edited need,
//! capability or talent) waited for several `fsync`s, which on a busy disk
//! took longer than the database write itself.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    AntiCallToken, Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, TerminatingWrite,
    WatchCallback, WatchHandle, WritePtr,
};

/// The suffix of the temporary files [`Directory::atomic_write`] renames
/// into place; one left by a crash is removed when the directory is opened.
const TEMPORARY: &str = ".iurhub-tmp";

/// Tells temporary files of one process apart.
static NEXT_TEMPORARY: AtomicU64 = AtomicU64::new(0);

/// [`MmapDirectory`] without `fsync` on commit (see the module
/// documentation).
#[derive(Clone, Debug)]
pub(crate) struct LazySync {
    inner: MmapDirectory,
    root: PathBuf,
}

impl LazySync {
    /// The directory `root` (which must exist).
    pub(crate) fn open(root: &Path) -> io::Result<LazySync> {
        for entry in std::fs::read_dir(root)? {
            let entry = entry?;
            if entry.file_name().to_string_lossy().ends_with(TEMPORARY) {
                std::fs::remove_file(entry.path())?;
            }
        }
        let inner = MmapDirectory::open(root).map_err(io::Error::other)?;
        Ok(LazySync {
            inner,
            root: root.to_owned(),
        })
    }
}

/// A file written without `fsync` at its end.
struct Unsynced(File);

impl Write for Unsynced {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl TerminatingWrite for Unsynced {
    fn terminate_ref(&mut self, _: AntiCallToken) -> io::Result<()> {
        self.0.flush()
    }
}

impl Directory for LazySync {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(self.root.join(path))
            .map_err(|err| {
                if err.kind() == io::ErrorKind::AlreadyExists {
                    OpenWriteError::FileAlreadyExists(path.to_owned())
                } else {
                    OpenWriteError::wrap_io_error(err, path.to_owned())
                }
            })?;
        Ok(BufWriter::new(Box::new(Unsynced(file))))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        let target = self.root.join(path);
        let name = target
            .file_name()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name"))?
            .to_string_lossy()
            .into_owned();
        let temporary = target.with_file_name(format!(
            ".{name}.{}.{}{TEMPORARY}",
            std::process::id(),
            NEXT_TEMPORARY.fetch_add(1, Ordering::Relaxed)
        ));
        let written =
            std::fs::write(&temporary, data).and_then(|()| std::fs::rename(&temporary, &target));
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        written
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(callback)
    }
}

/// Forces every file under `root`, and the directories naming them, to
/// stable storage. A file deleted meanwhile is skipped.
pub(crate) fn sync_tree(root: &Path) -> io::Result<()> {
    let mut entries = match std::fs::read_dir(root) {
        Ok(entries) => entries.collect::<io::Result<Vec<_>>>()?,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(err) => return Err(err),
    };
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            sync_tree(&path)?;
            continue;
        }
        match File::open(&path) {
            Ok(file) => file.sync_all()?,
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => return Err(err),
        }
    }
    sync_dir(root)
}

#[cfg(unix)]
fn sync_dir(path: &Path) -> io::Result<()> {
    File::open(path)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_: &Path) -> io::Result<()> {
    Ok(())
}
