//! Transactions that span aggregates: a coordinator's change, its audit entry and the mail it
//! causes commit together or not at all.

use crate::{BeginWrite, Db, DbError};

/// An open write transaction on either backend. Dropping it without [`Tx::commit`] rolls back.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    /// With the count of this database's commits in this process ([`crate::DataVersion`]).
    Postgres(
        sqlx::Transaction<'static, sqlx::Postgres>,
        std::sync::Arc<std::sync::atomic::AtomicU64>,
    ),
}

/// Runs the same query code against whichever connection the transaction holds.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {{
        let _timer = $crate::timing::Timer::start();
        match $tx {
            $crate::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::Tx::Postgres(t, _) => {
                let $conn = &mut **t;
                $body
            }
        }
    }};
}

impl Db {
    /// Opens a transaction that will write (on SQLite it takes the write lock at once).
    pub async fn begin_write(&self) -> Result<Tx, DbError> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin_write().await?),
            Db::Postgres(pool) => Tx::Postgres(
                pool.begin_write().await?,
                crate::version::local_commits(pool),
            ),
        })
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), DbError> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t, commits) => {
                t.commit().await?;
                commits.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        }
        Ok(())
    }
}
