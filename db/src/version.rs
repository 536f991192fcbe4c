//! The version of what pages show: it changes with every change to the network, its meetings,
//! pacts and practices (triggers, migration 0011), from this process or any other, so that a
//! page kept by the page cache is served only while nothing it shows has changed.
//!
//! SQLite keeps the number in a row, read on each question (one process writes, and a command
//! line import may write beside it). PostgreSQL tells every instance through LISTEN/NOTIFY; each
//! instance counts the notifications it received. Commits through [`crate::Tx`] in this process
//! count at once, before their notification arrives, so the next request already sees them.

use crate::{Db, DbError};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Commits of write transactions in this process, per PostgreSQL database (host, port and
/// name): two handles on one database (two instances in one test) share their count.
pub(crate) fn local_commits(pool: &sqlx::PgPool) -> Arc<AtomicU64> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static COUNTS: OnceLock<Mutex<HashMap<String, Arc<AtomicU64>>>> = OnceLock::new();
    let options = pool.connect_options();
    let key = format!(
        "{}:{}/{}",
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or_default()
    );
    let mut counts = COUNTS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    counts.entry(key).or_default().clone()
}

/// Asks for the current data version.
#[derive(Clone)]
pub struct DataVersion {
    db: Db,
    /// PostgreSQL: notifications received, and whether the listener is connected (while it is
    /// not, changes from other instances could go unseen, so there is no version to trust).
    notified: Arc<AtomicU64>,
    listening: Arc<AtomicBool>,
    /// PostgreSQL: this process's own commits, counted at commit.
    local: Arc<AtomicU64>,
}

impl DataVersion {
    /// The version of `db`, listening for other instances' changes on PostgreSQL (a task that
    /// reconnects when its connection drops).
    pub fn watch(db: &Db) -> Self {
        let version = DataVersion {
            db: db.clone(),
            notified: Arc::new(AtomicU64::new(0)),
            listening: Arc::new(AtomicBool::new(false)),
            local: match db {
                Db::Postgres(pool) => local_commits(pool),
                Db::Sqlite(_) => Arc::default(),
            },
        };
        if let Db::Postgres(pool) = db {
            tokio::spawn(listen(
                pool.clone(),
                version.notified.clone(),
                version.listening.clone(),
            ));
        }
        version
    }

    /// The current version, or `None` when it cannot be known (the database does not answer,
    /// or the listener is reconnecting): then nothing kept may be trusted.
    pub async fn current(&self) -> Option<u64> {
        match &self.db {
            Db::Sqlite(pool) => {
                let row: Result<(i64,), _> =
                    sqlx::query_as("SELECT version FROM data_version WHERE id = 1")
                        .fetch_one(pool)
                        .await;
                match row {
                    Ok((v,)) => Some(v as u64),
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot read the data version");
                        None
                    }
                }
            }
            Db::Postgres(_) => self.listening.load(Ordering::SeqCst).then(|| {
                let local = self.local.load(Ordering::SeqCst);
                self.notified.load(Ordering::SeqCst).wrapping_add(local)
            }),
        }
    }
}

async fn listen(pool: sqlx::PgPool, notified: Arc<AtomicU64>, listening: Arc<AtomicBool>) {
    loop {
        match listen_once(&pool, &notified, &listening).await {
            Ok(()) => return,
            Err(e) => {
                listening.store(false, Ordering::SeqCst);
                if pool.is_closed() {
                    return;
                }
                tracing::warn!(error = %e, "data version listener lost its connection");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

async fn listen_once(
    pool: &sqlx::PgPool,
    notified: &AtomicU64,
    listening: &AtomicBool,
) -> Result<(), DbError> {
    let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
    listener.listen("data_version").await?;
    // Changes made before we listened are unknown: count one, so that nothing kept from
    // before is trusted.
    notified.fetch_add(1, Ordering::SeqCst);
    listening.store(true, Ordering::SeqCst);
    loop {
        match listener.try_recv().await? {
            Some(_) => {
                notified.fetch_add(1, Ordering::SeqCst);
            }
            // The connection was lost, and with it whatever was notified until we listen again:
            // stop vouching for the version and start over on a new connection.
            None => {
                listening.store(false, Ordering::SeqCst);
                if pool.is_closed() {
                    return Ok(());
                }
                return Err(DbError::Config("data version listener disconnected".into()));
            }
        }
    }
}

impl Db {
    /// Watches the data version of this database (see [`DataVersion`]).
    pub fn data_version(&self) -> DataVersion {
        DataVersion::watch(self)
    }
}
