//! The origins allowed to frame a city's form widgets: the one place their SQL lives.

use crate::{on_pool, on_tx, Db, DbError, Tx};

/// An allowed origin; without a city, the network's (allowed for every city).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct FrameOrigin {
    pub id: i64,
    pub city_id: Option<i64>,
    pub origin: String,
    pub added_at: i64,
}

impl Db {
    /// The origins that may frame a widget of `city` (the network's among them), or, without
    /// a city, the network's alone; the network's first, then by address.
    pub async fn frame_origins(&self, city: Option<i64>) -> Result<Vec<FrameOrigin>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, city_id, origin, added_at FROM frame_origins \
                 WHERE city_id IS NULL OR city_id = $1 \
                 ORDER BY city_id IS NOT NULL, origin",
            )
            .bind(city)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn frame_origin(&self, id: i64) -> Result<FrameOrigin, DbError> {
        on_pool!(self, |pool| {
            sqlx::query_as("SELECT id, city_id, origin, added_at FROM frame_origins WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
        })
        .ok_or(DbError::NotFound)
    }

    /// The city whose widget shows a meeting's date (none for a cluster's meeting).
    pub async fn occurrence_city(&self, occurrence_id: i64) -> Result<Option<i64>, DbError> {
        let row: Option<(Option<i64>,)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT m.city_id FROM occurrences o JOIN meetings m ON m.id = o.meeting_id \
                 WHERE o.id = $1",
            )
            .bind(occurrence_id)
            .fetch_optional(pool)
            .await?
        });
        row.map(|(city,)| city).ok_or(DbError::NotFound)
    }
}

/// Allows `origin` for `city` (the network, without one); a second time is a conflict.
pub async fn add_frame_origin(
    tx: &mut Tx,
    city: Option<i64>,
    origin: &str,
    now: i64,
) -> Result<i64, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO frame_origins (city_id, origin, added_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(city)
        .bind(origin)
        .bind(now)
        .fetch_one(conn)
        .await?
    }))
}

/// Removes an allowed origin, returning what it was.
pub async fn remove_frame_origin(tx: &mut Tx, id: i64) -> Result<FrameOrigin, DbError> {
    on_tx!(tx, |conn| {
        sqlx::query_as(
            "DELETE FROM frame_origins WHERE id = $1 RETURNING id, city_id, origin, added_at",
        )
        .bind(id)
        .fetch_optional(conn)
        .await?
    })
    .ok_or(DbError::NotFound)
}
