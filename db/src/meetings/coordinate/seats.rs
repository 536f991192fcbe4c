//! Who holds a seat, as coordinators manage it: giving one, moving someone to another date,
//! recording attendance.

use super::super::take_seat;
use super::*;

/// Everyone still registered for a date (confirmed, waiting or not yet confirmed): the people
/// a change of it concerns.
pub async fn live_registrants(
    tx: &mut Tx,
    occurrence_id: i64,
) -> Result<Vec<RegistrationRow>, DbError> {
    let sql = concat!(
        "SELECT ",
        registration_columns!(),
        " FROM registrations r \
         WHERE r.occurrence_id = $1 AND r.status <> 'cancelled' ORDER BY r.id"
    );
    Ok(on_tx!(tx, |conn| {
        sqlx::query_as(sql)
            .bind(occurrence_id)
            .fetch_all(&mut *conn)
            .await?
    }))
}

/// Gives a waiting person a seat out of turn. `None` when they are not waiting or no seat is
/// free (the caller rolls back).
pub async fn give_seat(
    tx: &mut Tx,
    registration_id: i64,
    now: i64,
) -> Result<Option<RegistrationRow>, DbError> {
    let sql = concat!(
        "UPDATE registrations SET status = 'confirmed', confirmed_at = $2, queued_at = NULL \
         WHERE id = $1 AND status = 'waiting' RETURNING ",
        registration_returning!()
    );
    let row: Option<RegistrationRow> = on_tx!(tx, |conn| {
        sqlx::query_as(sql)
            .bind(registration_id)
            .bind(now)
            .fetch_optional(&mut *conn)
            .await?
    });
    let Some(row) = row else {
        return Ok(None);
    };
    if take_seat(tx, row.occurrence_id).await? {
        Ok(Some(row))
    } else {
        Ok(None)
    }
}

/// Moves a live registration to another date of the same meeting: it is cancelled here (its
/// seat going to the first in line) and made anew there, with a seat if one is free.
pub async fn move_registration(
    tx: &mut Tx,
    registration_id: i64,
    target_occurrence: i64,
    link: &crate::links::PersonalLink,
    now: i64,
) -> Result<Moved, DbError> {
    let source = match live_registration(tx, registration_id).await? {
        Some(r) if r.occurrence_id != target_occurrence => r,
        _ => return Ok(Moved::Refused),
    };
    let same_meeting: Option<i64> = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT t.id FROM occurrences t, occurrences s \
             WHERE t.id = $1 AND s.id = $2 AND t.meeting_id = s.meeting_id \
               AND NOT t.cancelled AND t.ends_at > $3",
        )
        .bind(target_occurrence)
        .bind(source.occurrence_id)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?
    });
    if same_meeting.is_none() {
        return Ok(Moved::Refused);
    }
    let new_id: Option<i64> = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO registrations (occurrence_id, email, name, organisation, needs, locale, \
                status, token_hash, link_nonce, consented_at, created_at, confirmed_at) \
             SELECT $2, email, name, organisation, needs, locale, 'waiting', $3, $5, \
                consented_at, $4, $4 FROM registrations WHERE id = $1 \
             ON CONFLICT (occurrence_id, email) WHERE status <> 'cancelled' DO NOTHING \
             RETURNING id",
        )
        .bind(registration_id)
        .bind(target_occurrence)
        .bind(&link.token.hash)
        .bind(now)
        .bind(&link.nonce)
        .fetch_optional(&mut *conn)
        .await?
    });
    let Some(new_id) = new_id else {
        return Ok(Moved::AlreadyThere);
    };
    let cancelled = super::super::cancel(tx, registration_id, now).await?;
    let confirmed = take_seat(tx, target_occurrence).await?;
    let sql = concat!(
        "UPDATE registrations SET status = $2, queued_at = CASE WHEN $2 = 'waiting' THEN $3 END \
         WHERE id = $1 RETURNING ",
        registration_returning!()
    );
    let row: RegistrationRow = on_tx!(tx, |conn| {
        sqlx::query_as(sql)
            .bind(new_id)
            .bind(if confirmed { "confirmed" } else { "waiting" })
            .bind(now)
            .fetch_one(&mut *conn)
            .await?
    });
    Ok(Moved::Done {
        row: Box::new(row),
        confirmed,
        promoted: cancelled.and_then(|c| c.promoted).map(Box::new),
    })
}

/// A registration that holds a seat or waits for one.
async fn live_registration(
    tx: &mut Tx,
    registration_id: i64,
) -> Result<Option<RegistrationRow>, DbError> {
    let sql = concat!(
        "SELECT ",
        registration_columns!(),
        " FROM registrations r WHERE r.id = $1 AND r.status IN ('confirmed', 'waiting')"
    );
    Ok(on_tx!(tx, |conn| {
        sqlx::query_as(sql)
            .bind(registration_id)
            .fetch_optional(&mut *conn)
            .await?
    }))
}

/// Records whether a confirmed registrant came; `false` if the registration is not confirmed.
pub async fn set_attended(
    tx: &mut Tx,
    registration_id: i64,
    attended: Option<bool>,
) -> Result<bool, DbError> {
    let done: u64 = on_tx!(tx, |conn| {
        sqlx::query("UPDATE registrations SET attended = $2 WHERE id = $1 AND status = 'confirmed'")
            .bind(registration_id)
            .bind(attended)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    Ok(done == 1)
}
