//! Storage for Learning City: one handle over SQLite (the embedded default) or PostgreSQL (for
//! several app instances sharing one database), one module per aggregate holding its SQL.
//!
//! Queries are written once in SQL both dialects accept (`$1` placeholders work in SQLite too);
//! where the dialects differ, the module matches on [`Db`] and says why.

mod error;
mod tx;
mod version;

pub mod accounts;
pub mod audit;
pub mod demo;
mod flash;
pub mod frames;
pub mod links;
pub mod meetings;
pub mod network;
pub mod outbox;
pub mod pacts;
pub mod practices;
pub mod roster;
pub mod timing;

pub use error::{Constraint, DbError};
pub use tx::Tx;
pub use version::DataVersion;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// The database behind the app. Server functions are not generic over a backend, so the handle
/// is one concrete enum that each query dispatches on.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs the same query code against whichever pool the handle holds. The body is compiled once
/// per backend, so it may only use SQL and types both accept.
#[macro_export]
macro_rules! on_pool {
    ($db:expr, |$pool:ident| $body:expr) => {{
        let _timer = $crate::timing::Timer::start();
        match $db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    }};
}

/// Most ids bound in one query: well under both backends' limits on bound values.
pub(crate) const IDS_PER_QUERY: usize = 500;

/// Closes an `IN (` the caller has written with `ids`, each bound: SQL text is never built from
/// an id list.
pub(crate) fn push_ids<'args, DB>(qb: &mut sqlx::QueryBuilder<'args, DB>, ids: &[i64])
where
    DB: sqlx::Database,
    i64: 'args + sqlx::Encode<'args, DB> + sqlx::Type<DB>,
{
    let mut list = qb.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    qb.push(")");
}

/// Which backend a `DATABASE_URL` names, judged by its scheme alone.
pub fn backend_of(url: &str) -> Option<Backend> {
    if url.starts_with("sqlite:") {
        Some(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Some(Backend::Postgres)
    } else {
        None
    }
}

impl Db {
    /// Opens a pool for `url`. SQLite files (and their folder) are created when missing so that
    /// the first run of a fresh clone needs no setup.
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        match backend_of(url) {
            Some(Backend::Sqlite) => {
                let options = SqliteConnectOptions::from_str(url)
                    .map_err(|e| DbError::Config(e.to_string()))?
                    .create_if_missing(true)
                    // WAL lets readers (every page view) proceed while one writer commits.
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    // Writers queue instead of failing with SQLITE_BUSY under concurrent sign-ups.
                    .busy_timeout(Duration::from_secs(10))
                    // Sorts of wide rows (a feed's meetings) in memory rather than in temporary
                    // files written and read back on every request.
                    .pragma("temp_store", "memory")
                    // Pages read from the file's mapping instead of a read() call each: a
                    // feed of a thousand meetings reads thousands of them.
                    .pragma("mmap_size", "268435456")
                    .foreign_keys(true);
                if let Some(dir) = options.get_filename().parent() {
                    if !dir.as_os_str().is_empty() {
                        std::fs::create_dir_all(dir)
                            .map_err(|e| DbError::Config(format!("{}: {e}", dir.display())))?;
                    }
                }
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await?;
                Ok(Db::Sqlite(pool))
            }
            Some(Backend::Postgres) => {
                // Lists and feeds filter with `($n IS NULL OR column = $n)`. After five runs of
                // a prepared statement PostgreSQL may switch to a generic plan, which cannot know
                // which filters are set and scans every meeting: Lucca's feed over 5,000 meetings
                // took 61 ms that way against 7 ms with a plan for the actual values.
                let options = PgConnectOptions::from_str(url)
                    .map_err(|e| DbError::Config(e.to_string()))?
                    .options([("plan_cache_mode", "force_custom_plan")]);
                // Several instances share one server: keep each instance's share modest.
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await?;
                Ok(Db::Postgres(pool))
            }
            None => Err(DbError::Config(
                "DATABASE_URL must start with sqlite: or postgres://".into(),
            )),
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies the migrations of this backend. Several instances may start at once on
    /// PostgreSQL; sqlx takes an advisory lock so only one applies them.
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self {
            Db::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// A round trip to the database, for readiness probes.
    pub async fn ping(&self) -> Result<(), DbError> {
        on_pool!(self, |pool| {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Lets SQLite refresh the statistics its query planner reads, for every table whose
    /// contents changed enough since (`PRAGMA optimize`, with the flag that looks at tables
    /// this connection has not used). Cheap when nothing changed; run at start and hourly.
    /// PostgreSQL's autovacuum keeps its own statistics.
    pub async fn optimize(&self) -> Result<(), DbError> {
        if let Db::Sqlite(pool) = self {
            sqlx::query("PRAGMA optimize=0x10002").execute(pool).await?;
        }
        Ok(())
    }

    pub async fn close(&self) {
        on_pool!(self, |pool| pool.close().await)
    }
}

/// Opens a transaction that will write. SQLite must take its write lock up front: a deferred
/// transaction that reads first and then writes fails at once with "database is locked" when
/// another writer got there in between, whatever the busy timeout.
pub(crate) trait BeginWrite {
    type Database: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<
        Output = Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>,
    > + Send;
}

impl BeginWrite for SqlitePool {
    type Database = sqlx::Sqlite;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Database = sqlx::Postgres;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin().await
    }
}
