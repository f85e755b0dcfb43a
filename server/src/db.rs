//! The database: one SQLite file in the data directory, created and migrated at start.
//! (PostgreSQL for many users arrives with accounts; the queries stay behind this module.)

use crate::error::StartupError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::SqlitePool;
use std::path::Path;
use std::time::Duration;

pub const DATABASE_FILE: &str = "tillit.sqlite3";

#[derive(Clone, Debug)]
pub struct Db {
    pool: SqlitePool,
}

impl Db {
    /// Creates the data directory if needed, opens (or creates) the database and migrates it.
    pub async fn open(data_dir: &Path) -> Result<Db, StartupError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StartupError::DataDir {
            path: data_dir.to_owned(),
            source,
        })?;
        let path = data_dir.join(DATABASE_FILE);
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .map_err(|source| StartupError::Database {
                path: path.clone(),
                source,
            })?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|source| StartupError::Migrate { path, source })?;
        Ok(Db { pool })
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
