//! Throwaway databases for the storage and server suites: a SQLite file in a temp dir, and a
//! fresh PostgreSQL database (dropped afterwards, even when the test fails). Both backends are
//! supported, so both are tested: without a PostgreSQL server the suite fails rather than
//! passing on half of what it promises. A crate of its own because `db` and `server` tests both
//! need it, and a `testing` feature of `db` would rebuild `db` (and `app` above it) for tests.

use db::Db;
use sqlx::Connection;

/// Where to create test databases; `TEST_POSTGRES_URL` overrides the machine's default server.
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

pub struct TestDb {
    pub db: Db,
    pub name: &'static str,
    /// For opening a second pool on the same database (another app instance).
    pub url: String,
    _guard: Guard,
}

enum Guard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, database: String },
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Guard::Postgres {
            admin_url,
            database,
        } = self
        {
            let (admin_url, database) = (admin_url.clone(), database.clone());
            // Drop runs outside any async context we could use, so a short-lived runtime on its
            // own thread removes the database.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    if let Ok(mut conn) = sqlx::PgConnection::connect(&admin_url).await {
                        let _ = sqlx::query(&format!(
                            "DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"
                        ))
                        .execute(&mut conn)
                        .await;
                    }
                });
            })
            .join();
        }
    }
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite:{}", dir.path().join("test.db").display());
    let db = Db::connect(&url).await.expect("open sqlite");
    db.migrate().await.expect("migrate sqlite");
    TestDb {
        db,
        name: "sqlite",
        url,
        _guard: Guard::Sqlite(dir),
    }
}

/// A fresh PostgreSQL database. Panics, saying how to start one, when no server answers.
pub async fn postgres() -> TestDb {
    let admin_url = postgres_admin_url();
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| {
            panic!(
                "the storage tests need PostgreSQL and cannot reach {admin_url} ({e}); start it \
                 (pg_ctlcluster --skip-systemctl-redirect 15 main start) or point \
                 TEST_POSTGRES_URL at one"
            )
        });
    let database = format!("lc_test_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE \"{database}\""))
        .execute(&mut admin)
        .await
        .expect("create test database");
    let guard = Guard::Postgres {
        admin_url: admin_url.clone(),
        database: database.clone(),
    };
    let mut url = url::Url::parse(&admin_url).expect("TEST_POSTGRES_URL is a URL");
    url.set_path(&database);
    let db = Db::connect(url.as_str()).await.expect("open postgres");
    db.migrate().await.expect("migrate postgres");
    TestDb {
        db,
        name: "postgres",
        url: url.to_string(),
        _guard: guard,
    }
}

/// Both backends: SQLite and PostgreSQL.
pub async fn backends() -> Vec<TestDb> {
    vec![sqlite().await, postgres().await]
}
