//! A new meeting and its dates.

use super::*;

/// Creates a meeting and all its occurrences.
pub async fn create(tx: &mut Tx, m: &NewMeeting<'_>, now: i64) -> Result<i64, DbError> {
    let (city_id, cluster_id) = match m.owner {
        Owner::City(id) => (Some(id), None),
        Owner::Cluster(id) => (None, Some(id)),
    };
    let n = DETAIL_COLUMNS.len();
    let sql =
        format!(
        "INSERT INTO meetings ({}, uid, city_id, cluster_id, created_by, created_at, updated_at) \
         VALUES ({}, ${}, ${}, ${}, ${}, ${}, ${}) RETURNING id",
        DETAIL_COLUMNS.join(", "),
        (1..=n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", "),
        n + 1,
        n + 2,
        n + 3,
        n + 4,
        n + 5,
        n + 5,
    );
    let id: i64 = on_tx!(tx, |conn| {
        bind_details!(sqlx::query_scalar(&sql), m)
            .bind(m.uid)
            .bind(city_id)
            .bind(cluster_id)
            .bind(m.created_by)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?
    });
    for slot in m.schedule.slots() {
        insert_slot(tx, id, &slot).await?;
    }
    Ok(id)
}

pub(crate) async fn insert_slot(
    tx: &mut Tx,
    meeting_id: i64,
    slot: &domain::schedule::Slot,
) -> Result<i64, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO occurrences (meeting_id, original_local, starts_at, ends_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(meeting_id)
        .bind(local_text(slot.original))
        .bind(slot.starts_at.timestamp())
        .bind(slot.ends_at.timestamp())
        .fetch_one(&mut *conn)
        .await?
    }))
}

/// The stored forms of a schedule's exceptions and of reminder minutes.
pub(crate) fn exdates_text(s: &Schedule) -> String {
    s.exdates()
        .iter()
        .map(|d| local_text(*d))
        .collect::<Vec<_>>()
        .join(",")
}

pub(crate) fn minutes_text(minutes: &[i32]) -> String {
    minutes
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The wall-clock form stored and shown in forms ("2021-01-19T17:30").
pub fn local_text(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}
