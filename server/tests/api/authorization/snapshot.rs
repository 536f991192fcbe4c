//! A snapshot of every table of the database, to tell which tables a call changed.

use db::Db;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};

/// Each table's rows, hashed.
pub type Tables = BTreeMap<String, u64>;

/// The tables whose hash differs.
pub fn changed(before: &Tables, after: &Tables) -> BTreeSet<String> {
    before
        .keys()
        .chain(after.keys())
        .filter(|t| before.get(*t) != after.get(*t))
        .cloned()
        .collect()
}

/// Reads every table of the database, one query each, written once for its columns.
pub struct Snapshot {
    queries: Vec<(String, String)>,
}

/// The sessions are the caller's own, not a record anyone targets; the migrations never move.
const SKIPPED: [&str; 2] = ["tower_sessions", "_sqlx_migrations"];
/// The mail worker marks messages sent in the background: only which messages exist counts.
const ONLY: [(&str, &str); 1] = [("outbox", "id")];

impl Snapshot {
    pub async fn new(db: &Db) -> Snapshot {
        let mut queries = Vec::new();
        let tables = match db {
            Db::Sqlite(pool) => sqlx::query_scalar::<_, String>(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .fetch_all(pool)
            .await
            .unwrap(),
            Db::Postgres(pool) => sqlx::query_scalar::<_, String>(
                "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'",
            )
            .fetch_all(pool)
            .await
            .unwrap(),
        };
        for table in tables
            .into_iter()
            .filter(|t| !SKIPPED.contains(&t.as_str()))
        {
            let columns: Vec<String> = match ONLY.iter().find(|(t, _)| *t == table) {
                Some((_, column)) => vec![column.to_string()],
                None => match db {
                    Db::Sqlite(pool) => {
                        sqlx::query_scalar("SELECT name FROM pragma_table_info($1)")
                            .bind(&table)
                            .fetch_all(pool)
                            .await
                            .unwrap()
                    }
                    Db::Postgres(pool) => sqlx::query_scalar(
                        "SELECT column_name::text FROM information_schema.columns \
                         WHERE table_schema = 'public' AND table_name = $1",
                    )
                    .bind(&table)
                    .fetch_all(pool)
                    .await
                    .unwrap(),
                },
            };
            let sql = match db {
                Db::Sqlite(_) => {
                    let quoted: Vec<String> =
                        columns.iter().map(|c| format!("quote(\"{c}\")")).collect();
                    format!("SELECT {} FROM \"{table}\"", quoted.join(" || ',' || "))
                }
                Db::Postgres(_) => {
                    let quoted: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
                    format!("SELECT ROW({})::text FROM \"{table}\"", quoted.join(", "))
                }
            };
            queries.push((table, sql));
        }
        Snapshot { queries }
    }

    pub async fn take(&self, db: &Db) -> Tables {
        let mut out = Tables::new();
        for (table, sql) in &self.queries {
            let mut rows: Vec<String> = match db {
                Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
                Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
            };
            // Neither backend promises an order without ORDER BY, and an update may move a row.
            rows.sort_unstable();
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            rows.hash(&mut hasher);
            out.insert(table.clone(), hasher.finish());
        }
        out
    }
}
