//! The audit log: every coordinator write, appended in the transaction of the write itself.
//! The table refuses UPDATE and DELETE (triggers in both dialects), so history cannot be edited
//! through the app or by a mistaken query.

use crate::{on_pool, on_tx, Db, DbError, Tx};
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::types::Json;

/// Who did what to which record, and the record before and after.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub actor_id: Option<i64>,
    pub actor_email: &'a str,
    /// A stable verb such as `role.grant` or `city.update`.
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    /// The city the record belongs to, so that its coordinators can read the entry.
    pub city_id: Option<i64>,
    pub cluster_id: Option<i64>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_email: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub city_id: Option<i64>,
    pub cluster_id: Option<i64>,
    pub before: Option<Json<Value>>,
    pub after: Option<Json<Value>>,
}

/// Which entries a reader may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    /// Entries about these cities (a city coordinator's own).
    Cities(Vec<i64>),
}

pub async fn append(tx: &mut Tx, entry: &NewEntry<'_>, now: DateTime<Utc>) -> Result<i64, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO audit_log \
               (at, actor_id, actor_email, action, entity, entity_id, city_id, cluster_id, \
                before, after) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(now)
        .bind(entry.actor_id)
        .bind(entry.actor_email)
        .bind(entry.action)
        .bind(entry.entity)
        .bind(&entry.entity_id)
        .bind(entry.city_id)
        .bind(entry.cluster_id)
        .bind(entry.before.clone().map(Json))
        .bind(entry.after.clone().map(Json))
        .fetch_one(conn)
        .await?
    }))
}

impl Db {
    /// The newest entries first, `limit` of them, older than `before_id` when paging.
    pub async fn audit_entries(
        &self,
        scope: &Scope,
        before_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Entry>, DbError> {
        let mut sql = String::from(
            "SELECT id, at, actor_email, action, entity, entity_id, city_id, cluster_id, \
             before, after FROM audit_log WHERE ($1 IS NULL OR id < $1)",
        );
        let cities = match scope {
            Scope::All => None,
            Scope::Cities(ids) if ids.is_empty() => return Ok(Vec::new()),
            Scope::Cities(ids) => Some(ids),
        };
        if let Some(ids) = cities {
            // Ids are integers from the database, so writing them into the SQL is safe and
            // avoids dialect-specific array binding.
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            sql.push_str(&format!(" AND city_id IN ({})", list.join(", ")));
        }
        sql.push_str(" ORDER BY id DESC LIMIT $2");
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(before_id)
                .bind(limit)
                .fetch_all(pool)
                .await?
        }))
    }
}
