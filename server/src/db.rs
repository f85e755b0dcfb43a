//! The database: **SQLite** by default (one file in the data directory, nothing to install),
//! **PostgreSQL** when `DATABASE_URL=postgres://…` is set. Created (SQLite) and migrated at
//! start.
//!
//! Both go through sqlx's `Any` driver, so every query is written once. The queries keep to
//! what both understand: `$1, $2, …` parameters in order, `BIGINT` for numbers and times
//! (Unix milliseconds), `TEXT` for the rest, no booleans. Each database has its own migration
//! directory (`migrations/sqlite`, `migrations/postgres`), because DDL differs.
//!
//! Nothing about a user is kept in memory between requests (sessions and login counts are
//! rows), so several server processes can share one PostgreSQL.

mod group_commit;

use crate::error::StartupError;
pub use group_commit::BoxFuture;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyConnection, AnyPool};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, MutexGuard};

pub const DATABASE_FILE: &str = "tillit.sqlite3";

/// Which database is behind the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// SQLite lets one connection write at a time; the others get `SQLITE_BUSY` and sleep in
    /// SQLite's busy handler (1, 2, 5 … 100 ms steps), which under many concurrent pushes
    /// made the slowest answers hundreds of milliseconds. Writers queue here instead, in
    /// order, and wake as soon as the one before commits. Unused on PostgreSQL.
    write_turn: Arc<Mutex<()>>,
    /// Small writes waiting for the next group commit ([`Db::write`]). Unused on PostgreSQL.
    queued: Arc<group_commit::Queue>,
}

/// Where the database is, for error messages: the SQLite file, or the PostgreSQL server
/// without its password.
fn describe(url: &str) -> String {
    match url.split_once('@') {
        Some((_, rest)) => format!("postgres://…@{rest}"),
        None => url.to_owned(),
    }
}

impl Db {
    /// Opens the database `database_url` names, or the SQLite file in `data_dir` (creating
    /// the directory and the file if needed), and migrates it.
    pub async fn open(data_dir: &Path, database_url: Option<&str>) -> Result<Db, StartupError> {
        sqlx::any::install_default_drivers();
        let (url, backend, max) = match database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                (url.to_owned(), Backend::Postgres, 20)
            }
            Some(url) => {
                return Err(StartupError::Config(format!(
                    "DATABASE_URL must start with postgres:// (got {}); leave it unset for SQLite",
                    describe(url)
                )))
            }
            None => {
                std::fs::create_dir_all(data_dir).map_err(|source| StartupError::DataDir {
                    path: data_dir.to_owned(),
                    source,
                })?;
                // Absolute: a relative path in a URL would be read as a host name.
                let file = std::path::absolute(data_dir.join(DATABASE_FILE)).map_err(|source| {
                    StartupError::DataDir {
                        path: data_dir.to_owned(),
                        source,
                    }
                })?;
                (
                    format!("sqlite://{}?mode=rwc", file.display()),
                    Backend::Sqlite,
                    8,
                )
            }
        };
        let target = describe(&url);
        let sqlite = backend == Backend::Sqlite;
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            // SQLite: a deleted row's text is overwritten with zeros, not left in free pages
            // of the file (a deleted account must be gone from the disk, not just unlinked).
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        sqlx::query("PRAGMA secure_delete = ON").execute(conn).await?;
                    }
                    Ok(())
                })
            })
            .acquire_timeout(Duration::from_secs(5))
            .connect(&url)
            .await
            .map_err(|source| StartupError::Database {
                target: target.clone(),
                source,
            })?;
        if backend == Backend::Sqlite {
            // Readers never wait for the writer; persistent in the file once set.
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await
                .map_err(|source| StartupError::Database {
                    target: target.clone(),
                    source,
                })?;
        }
        let migrator = match backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        migrator
            .run(&pool)
            .await
            .map_err(|source| StartupError::Migrate { target, source })?;
        Ok(Db {
            pool,
            backend,
            write_turn: Arc::new(Mutex::new(())),
            queued: Arc::default(),
        })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Waits for this process's turn to write (SQLite; see `write_turn`). Hold the guard
    /// until the transaction is committed or dropped. On PostgreSQL, `None` at once: its
    /// row locks already order the writers that touch the same rows.
    pub async fn write_turn(&self) -> Option<MutexGuard<'_, ()>> {
        match self.backend {
            Backend::Sqlite => Some(self.write_turn.lock().await),
            Backend::Postgres => None,
        }
    }

    /// Runs a small write in a transaction and returns once it is committed; on SQLite it
    /// shares the transaction, and so the flush, with the writes of other requests queued
    /// at the same moment (`group_commit`), each in its own savepoint: an `Err` from `write`
    /// rolls back only its own changes. `write` gets the connection and must not wait for
    /// anything else of the database (no [`Db::write_turn`], no pool): it runs holding the
    /// turn. Keep it short: the others in its batch wait for it.
    pub async fn write<T, E, F>(&self, write: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<sqlx::Error> + Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<T, E>> + Send + 'static,
    {
        match self.backend {
            Backend::Sqlite => group_commit::write(&self.pool, &self.write_turn, &self.queued, write).await,
            // Its own transaction: PostgreSQL commits concurrent transactions side by side
            // and shares their flushes itself.
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                let value = write(&mut tx).await?;
                tx.commit().await?;
                Ok(value)
            }
        }
    }

    /// After a deletion: on SQLite, copies the write-ahead log into the file and empties it,
    /// so the deleted text is not left in old log frames either. Best effort (a reader in
    /// the middle of a long read can keep old frames a little longer); PostgreSQL: nothing.
    pub async fn forget_deleted(&self) {
        if self.backend == Backend::Sqlite {
            let _turn = self.write_turn().await;
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await
            {
                tracing::warn!(error = %e, "checkpoint after a deletion failed");
            }
        }
    }

    /// True when the database answers and holds a migrated schema.
    pub async fn is_healthy(&self) -> Result<(), sqlx::Error> {
        sqlx::query_scalar::<_, i64>("SELECT id FROM instance WHERE id = 1")
            .fetch_one(&self.pool)
            .await
            .map(|_| ())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
