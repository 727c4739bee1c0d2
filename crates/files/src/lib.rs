//! File stores of attachments beyond the server's disk: an S3-compatible
//! bucket (AWS S3, MinIO, Ceph, COS/OSS in S3 mode) through the
//! `object_store` crate, behind the application's
//! [`FileStore`](iurhub_app::files::FileStore) interface. Kept out of the
//! application layer, which depends on no HTTP stack.

use std::sync::Arc;

use bytes::Bytes;
use iurhub_app::files::{FileError, FileStore, checked};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::{ObjectStoreExt, PutPayload};

/// Where an S3-compatible bucket is and how to sign in to it.
#[derive(Debug, Clone, Default)]
pub struct S3Config {
    /// `https://…` (or `http://…` for a server on a private network);
    /// `None`: AWS itself, from the region.
    pub endpoint: Option<String>,
    pub bucket: String,
    pub region: String,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    /// Address the bucket in the path (`endpoint/bucket/key`), as MinIO and
    /// most self-hosted servers want; `false`: as a host name
    /// (`bucket.endpoint/key`).
    pub path_style: bool,
    /// Objects are kept under this prefix (`attachments/` say); empty: at
    /// the bucket's root.
    pub prefix: String,
}

/// Files in an S3-compatible bucket (AWS S3, MinIO, Ceph, OSS/COS in S3
/// mode), through the `object_store` crate.
#[derive(Debug, Clone)]
pub struct S3Store {
    store: Arc<AmazonS3>,
    prefix: String,
}

impl S3Store {
    /// A client of the bucket (nothing is contacted yet).
    pub fn new(config: &S3Config) -> Result<S3Store, FileError> {
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&config.bucket)
            .with_region(&config.region)
            .with_virtual_hosted_style_request(!config.path_style);
        if let Some(endpoint) = &config.endpoint {
            builder = builder
                .with_allow_http(endpoint.starts_with("http://"))
                .with_endpoint(endpoint);
        }
        if let Some(key) = &config.access_key_id {
            builder = builder.with_access_key_id(key);
        }
        if let Some(secret) = &config.secret_access_key {
            builder = builder.with_secret_access_key(secret);
        }
        Ok(S3Store {
            store: Arc::new(builder.build().map_err(FileError::of)?),
            prefix: config.prefix.trim_matches('/').to_owned(),
        })
    }

    fn path(&self, key: &str) -> Result<object_store::path::Path, FileError> {
        let key = checked(key)?;
        Ok(if self.prefix.is_empty() {
            object_store::path::Path::from(key)
        } else {
            object_store::path::Path::from(format!("{}/{key}", self.prefix))
        })
    }
}

#[async_trait::async_trait]
impl FileStore for S3Store {
    async fn put(&self, key: &str, bytes: Bytes) -> Result<(), FileError> {
        self.store
            .put(&self.path(key)?, PutPayload::from_bytes(bytes))
            .await
            .map_err(FileError::of)?;
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<Bytes>, FileError> {
        match self.store.get(&self.path(key)?).await {
            Ok(found) => Ok(Some(found.bytes().await.map_err(FileError::of)?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(FileError::of(e)),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), FileError> {
        match self.store.delete(&self.path(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(FileError::of(e)),
        }
    }
}
