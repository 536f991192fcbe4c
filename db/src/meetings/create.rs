//! A new meeting and its dates.

use super::*;

/// The columns a coordinator sets, bound as `$1` to `$21` by [`bind_details!`] in this order:
/// creating and editing a meeting write the same fields the same way.
macro_rules! insert_meeting_sql {
    () => {
        "INSERT INTO meetings (sector_id, title, description, language, audience, mode, place, address, \
         online_link, timezone, starts_local, ends_local, rrule, exdates, capacity, \
         takes_registrations, registration_opens_at, registration_closes_at, reminders, \
         latitude, longitude, uid, city_id, cluster_id, created_by, created_at, \
         updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
         $19, $20, $21, $22, $23, $24, $25, $26, $26) RETURNING id"
    };
}

/// The same columns as [`insert_meeting_sql!`], in the same order, for an edit.
macro_rules! update_meeting_sql {
    () => {
        "UPDATE meetings SET sector_id = $1, title = $2, description = $3, language = $4, audience = $5, \
         mode = $6, place = $7, address = $8, online_link = $9, timezone = $10, \
         starts_local = $11, ends_local = $12, rrule = $13, exdates = $14, capacity = $15, \
         takes_registrations = $16, registration_opens_at = $17, \
         registration_closes_at = $18, reminders = $19, latitude = $20, longitude = $21, \
         description_html = NULL, description_text = NULL, sequence = sequence + 1, \
         updated_at = $22 \
         WHERE id = $23"
    };
}
pub(crate) use update_meeting_sql;

macro_rules! bind_details {
    ($query:expr, $m:expr) => {{
        let m: &NewMeeting<'_> = $m;
        let s = m.schedule;
        $query
            .bind(m.sector_id)
            .bind(m.title)
            .bind(m.description)
            .bind(m.language)
            .bind(m.audience.as_str())
            .bind(m.mode.as_str())
            .bind(m.place)
            .bind(m.address)
            .bind(m.online_link)
            .bind(s.zone().name())
            .bind(local_text(s.start()))
            .bind(local_text(s.end()))
            .bind(s.rule())
            .bind(exdates_text(s))
            .bind(m.capacity)
            .bind(m.takes_registrations)
            .bind(m.registration_opens_at)
            .bind(m.registration_closes_at)
            .bind(minutes_text(m.reminders))
            .bind(m.position.map(|p| p.0))
            .bind(m.position.map(|p| p.1))
    }};
}
pub(crate) use bind_details;

/// Creates a meeting and all its occurrences.
pub async fn create(tx: &mut Tx, m: &NewMeeting<'_>, now: i64) -> Result<i64, DbError> {
    let (city_id, cluster_id) = match m.owner {
        Owner::City(id) => (Some(id), None),
        Owner::Cluster(id) => (None, Some(id)),
    };
    let id: i64 = on_tx!(tx, |conn| {
        bind_details!(sqlx::query_scalar(insert_meeting_sql!()), m)
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
