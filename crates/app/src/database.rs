//! The database as the operators see it: reachable or not, the pool's
//! figures, closing at shutdown.

use std::time::Duration;

pub use iurhub_store::db::Health;
use iurhub_store::db::{self, Probe};

use crate::App;

/// Answers `SELECT 1`.
pub async fn ping(app: &App) -> bool {
    db::ping(app.store.connection()).await.is_ok()
}

/// Connections of the pool: (open, idle, most).
pub fn pool(app: &App) -> (u32, usize, u32) {
    let conn = app.store.connection();
    if db::is_postgres(conn) {
        let pool = conn.get_postgres_connection_pool();
        (
            pool.size(),
            pool.num_idle(),
            pool.options().get_max_connections(),
        )
    } else {
        let pool = conn.get_sqlite_connection_pool();
        (
            pool.size(),
            pool.num_idle(),
            pool.options().get_max_connections(),
        )
    }
}

/// Watches a PostgreSQL server on a connection of its own (see
/// [`iurhub_store::db::Probe`]); `None` on SQLite.
pub struct Watch(Probe);

impl Watch {
    pub fn new(app: &App) -> Option<Watch> {
        Probe::new(app.store.connection()).map(Watch)
    }

    /// Whether the server answers within `limit`.
    pub async fn check(&mut self, limit: Duration) -> Health {
        self.0.check(limit).await
    }
}

/// Closes the pool, waiting for connections still checked out.
pub async fn close(app: &App) -> anyhow::Result<()> {
    Ok(app.store.connection().close_by_ref().await?)
}
