//! Sessions kept in the app's own database, so that every instance behind a load balancer sees
//! the same ones: tower-sessions' SQLx stores, one per backend, behind one type.

use async_trait::async_trait;
use db::Db;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// The session cookie: a request carrying it may be signed in, and its pages are never kept.
pub(crate) const SESSION_COOKIE: &str = "lc_session";

#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

macro_rules! on_store {
    ($store:expr, |$s:ident| $body:expr) => {
        match $store {
            Store::Sqlite($s) => $body,
            Store::Postgres($s) => $body,
        }
    };
}

impl Store {
    /// The store over `db`'s pool, its table created if missing.
    pub async fn open(db: &Db) -> anyhow::Result<Self> {
        let store = match db {
            Db::Sqlite(pool) => Store::Sqlite(SqliteStore::new(pool.clone())),
            Db::Postgres(pool) => Store::Postgres(PostgresStore::new(pool.clone())),
        };
        on_store!(&store, |s| s.migrate().await)?;
        Ok(store)
    }
}

#[async_trait]
impl SessionStore for Store {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        on_store!(self, |s| s.create(record).await)
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        on_store!(self, |s| s.save(record).await)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        on_store!(self, |s| s.load(id).await)
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        on_store!(self, |s| s.delete(id).await)
    }
}

#[async_trait]
impl ExpiredDeletion for Store {
    async fn delete_expired(&self) -> session_store::Result<()> {
        on_store!(self, |s| s.delete_expired().await)
    }
}
