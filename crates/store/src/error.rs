use iurhub_domain::{DomainError, Locale, Message};
use sea_orm::sqlx::{self, error::DatabaseError, sqlite::SqliteError};
use sea_orm::{DbErr, RuntimeErr, SqlErr};

/// Errors of the persistence layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The object does not exist (or the caller may not know it exists).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A unique constraint or an optimistic-concurrency check failed.
    #[error("{}", .text.render(Locale::En))]
    Conflict {
        field: Option<&'static str>,
        text: Message,
    },
    /// The input broke a domain rule.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// Anything else the database reported; never shown to clients.
    #[error("database error")]
    Database(#[source] DbErr),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    /// A CONFLICT about the value of `field`.
    pub fn conflict(field: &'static str, text: Message) -> Self {
        Self::Conflict {
            field: Some(field),
            text,
        }
    }

    /// Whether the database itself is unreachable (connection or pool
    /// failure), or SQLite's write lock stayed taken for the whole busy
    /// timeout: the client may try again shortly (503).
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Database(DbErr::ConnectionAcquire(_) | DbErr::Conn(_)) => true,
            StoreError::Database(err) => is_sqlite_busy(err),
            _ => false,
        }
    }
}

impl From<DbErr> for StoreError {
    fn from(err: DbErr) -> Self {
        if is_foreign_key_violation(&err) {
            return StoreError::Domain(DomainError::keyed(
                "input",
                Message::new("reference.missing"),
            ));
        }
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict {
                field: None,
                text: Message::new("conflict.duplicate"),
            },
            _ => StoreError::Database(err),
        }
    }
}

/// Whether `err` is a foreign-key violation: a child row naming a missing
/// parent, or a parent row removed while a `RESTRICT` child names it. On
/// SQLite the latter is `SQLITE_CONSTRAINT_TRIGGER` (1811), not
/// `SQLITE_CONSTRAINT_FOREIGNKEY` (787) — `DbErr::sql_err` knows only the
/// second.
pub(crate) fn is_foreign_key_violation(err: &DbErr) -> bool {
    const SQLITE_CONSTRAINT_TRIGGER: &str = "1811";
    if matches!(
        err.sql_err(),
        Some(SqlErr::ForeignKeyConstraintViolation(_))
    ) {
        return true;
    }
    sqlite_error(err).is_some_and(|e| {
        e.code().as_deref() == Some(SQLITE_CONSTRAINT_TRIGGER)
            && e.message().starts_with("FOREIGN KEY constraint failed")
    })
}

/// Maps a unique-constraint violation to a conflict naming `field`.
pub(crate) fn unique_as(field: &'static str, key: &'static str) -> impl Fn(DbErr) -> StoreError {
    move |err| match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            StoreError::conflict(field, Message::new(key))
        }
        _ => StoreError::from(err),
    }
}

/// `SQLITE_BUSY` or one of its extended codes ("database is locked").
fn is_sqlite_busy(err: &DbErr) -> bool {
    const SQLITE_BUSY: i32 = 5;
    sqlite_error(err)
        .and_then(DatabaseError::code)
        .and_then(|code| code.parse::<i32>().ok())
        .is_some_and(|code| code & 0xff == SQLITE_BUSY)
}

/// The SQLite error a statement failed with, if it did on SQLite.
fn sqlite_error(err: &DbErr) -> Option<&SqliteError> {
    let (DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) = err
    else {
        return None;
    };
    let sqlx::Error::Database(db) = e.as_ref() else {
        return None;
    };
    db.try_downcast_ref::<SqliteError>()
}
