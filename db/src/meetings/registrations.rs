//! Registrations: a seat or a place on the waiting list, the personal link, confirming and
//! cancelling, promotion from the waiting list, reminders.

use super::*;

/// Records a registration awaiting confirmation, or finds the live one this address holds.
pub async fn register(
    tx: &mut Tx,
    r: &NewRegistration<'_>,
    now: i64,
) -> Result<Registered, DbError> {
    let created: Option<i64> = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO registrations (occurrence_id, email, name, organisation, needs, locale, \
                status, token_hash, link_nonce, consented_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $9, $8, $8) \
             ON CONFLICT (occurrence_id, email) WHERE status <> 'cancelled' DO NOTHING \
             RETURNING id",
        )
        .bind(r.occurrence_id)
        .bind(r.email)
        .bind(r.name)
        .bind(r.organisation)
        .bind(r.needs)
        .bind(r.locale)
        .bind(&r.link.token.hash)
        .bind(now)
        .bind(&r.link.nonce)
        .fetch_optional(&mut *conn)
        .await?
    });
    if let Some(id) = created {
        return Ok(Registered::Created(id));
    }
    let (id, status, name): (i64, String, String) = on_tx!(tx, |conn| {
        sqlx::query_as(
            "SELECT id, status, name FROM registrations \
             WHERE occurrence_id = $1 AND email = $2 AND status <> 'cancelled'",
        )
        .bind(r.occurrence_id)
        .bind(r.email)
        .fetch_one(&mut *conn)
        .await?
    });
    let status = RegistrationStatus::try_from(status).map_err(DbError::decode)?;
    Ok(Registered::Existing(id, status, name))
}

/// The personal link of registration `id`, for a mail that must carry it again. A
/// registration made before links were derived gets its first derived one now (the link in
/// its earlier mail stops working, this once).
pub async fn personal_link(
    tx: &mut Tx,
    id: i64,
    key: &crate::links::LinkKey,
) -> Result<crate::accounts::OneTimeToken, DbError> {
    let nonce: Option<String> = on_tx!(tx, |conn| {
        sqlx::query_scalar("SELECT link_nonce FROM registrations WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?
    });
    match nonce {
        Some(nonce) => Ok(key.link(&nonce)),
        None => replace_link(tx, id, key).await,
    }
}

/// Gives registration `id` a new personal link; the old one stops working.
pub async fn replace_link(
    tx: &mut Tx,
    id: i64,
    key: &crate::links::LinkKey,
) -> Result<crate::accounts::OneTimeToken, DbError> {
    let link = key.fresh();
    on_tx!(tx, |conn| {
        sqlx::query("UPDATE registrations SET token_hash = $2, link_nonce = $3 WHERE id = $1")
            .bind(id)
            .bind(&link.token.hash)
            .bind(&link.nonce)
            .execute(&mut *conn)
            .await?;
    });
    Ok(link.token)
}

/// Confirms a pending registration: a seat if one is free, else the end of the waitlist.
/// `None` when the link is unknown or the registration is no longer pending.
pub async fn confirm(
    tx: &mut Tx,
    token_hash: &str,
    now: i64,
) -> Result<Option<(RegistrationRow, RegistrationStatus)>, DbError> {
    // Claiming the row first serialises two clicks on the same link.
    let sql = concat!(
        "UPDATE registrations SET confirmed_at = $2 \
         WHERE token_hash = $1 AND status = 'pending' RETURNING ",
        registration_returning!()
    );
    let row: Option<RegistrationRow> = on_tx!(tx, |conn| {
        sqlx::query_as(sql)
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&mut *conn)
            .await?
    });
    let Some(row) = row else {
        return Ok(None);
    };
    let status = if take_seat(tx, row.occurrence_id).await? {
        RegistrationStatus::Confirmed
    } else {
        RegistrationStatus::Waiting
    };
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE registrations SET status = $2, \
                queued_at = CASE WHEN $2 = 'waiting' THEN $3 END \
             WHERE id = $1",
        )
        .bind(row.id)
        .bind(status.as_str())
        .bind(now)
        .execute(&mut *conn)
        .await?;
    });
    Ok(Some((row, status)))
}

/// Takes a seat of an occurrence if one is free.
pub(crate) async fn take_seat(tx: &mut Tx, occurrence_id: i64) -> Result<bool, DbError> {
    let taken: Option<i64> = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "UPDATE occurrences SET taken = taken + 1 \
             WHERE id = $1 AND taken < COALESCE( \
                 (SELECT capacity FROM meetings m WHERE m.id = occurrences.meeting_id), 2147483647) \
             RETURNING id",
        )
        .bind(occurrence_id)
        .fetch_optional(&mut *conn)
        .await?
    });
    Ok(taken.is_some())
}

/// Cancels a live registration. When it held a seat, the seat goes to the first person on the
/// waitlist, whose registration is returned so that they can be told.
pub async fn cancel(
    tx: &mut Tx,
    registration_id: i64,
    now: i64,
) -> Result<Option<Cancelled>, DbError> {
    // RETURNING gives the status before this statement, which leaves it unchanged.
    let sql = concat!(
        "UPDATE registrations SET cancelled_at = $2 \
         WHERE id = $1 AND status <> 'cancelled' RETURNING ",
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
    on_tx!(tx, |conn| {
        sqlx::query("UPDATE registrations SET status = 'cancelled' WHERE id = $1")
            .bind(row.id)
            .execute(&mut *conn)
            .await?;
    });
    let promoted = if row.status == RegistrationStatus::Confirmed {
        release_seat(tx, row.occurrence_id, now).await?
    } else {
        None
    };
    Ok(Some(Cancelled { row, promoted }))
}

#[derive(Debug, Clone)]
pub struct Cancelled {
    pub row: RegistrationRow,
    pub promoted: Option<RegistrationRow>,
}

/// Frees a seat and gives it to the first on the waitlist, if anyone waits.
pub(super) async fn release_seat(
    tx: &mut Tx,
    occurrence_id: i64,
    now: i64,
) -> Result<Option<RegistrationRow>, DbError> {
    // Locks the occurrence before looking at the waitlist, so that nobody confirming at the
    // same moment joins the waitlist while this seat is free.
    on_tx!(tx, |conn| {
        sqlx::query("UPDATE occurrences SET taken = taken - 1 WHERE id = $1 AND taken > 0")
            .bind(occurrence_id)
            .execute(&mut *conn)
            .await?;
    });
    promote(tx, occurrence_id, now).await
}

/// Moves waiting people to free seats, first come first served; returns the first promoted.
pub(crate) async fn promote(
    tx: &mut Tx,
    occurrence_id: i64,
    now: i64,
) -> Result<Option<RegistrationRow>, DbError> {
    let sql = concat!(
        "UPDATE registrations SET status = 'confirmed', confirmed_at = $3, queued_at = NULL \
         WHERE id = $2 AND status = 'waiting' AND occurrence_id = $1 \
         RETURNING ",
        registration_returning!()
    );
    // The candidate may cancel between our SELECT and UPDATE (PostgreSQL): then try the next.
    for _ in 0..16 {
        let candidate: Option<i64> = on_tx!(tx, |conn| {
            sqlx::query_scalar(
                "SELECT id FROM registrations WHERE occurrence_id = $1 AND status = 'waiting' \
                 ORDER BY queued_at, id LIMIT 1",
            )
            .bind(occurrence_id)
            .fetch_optional(&mut *conn)
            .await?
        });
        let Some(candidate) = candidate else {
            return Ok(None);
        };
        if !take_seat(tx, occurrence_id).await? {
            return Ok(None);
        }
        let promoted: Option<RegistrationRow> = on_tx!(tx, |conn| {
            sqlx::query_as(sql)
                .bind(occurrence_id)
                .bind(candidate)
                .bind(now)
                .fetch_optional(&mut *conn)
                .await?
        });
        if promoted.is_some() {
            return Ok(promoted);
        }
        on_tx!(tx, |conn| {
            sqlx::query("UPDATE occurrences SET taken = taken - 1 WHERE id = $1 AND taken > 0")
                .bind(occurrence_id)
                .execute(&mut *conn)
                .await?;
        });
    }
    Ok(None)
}

/// Marks a reminder as sent; `false` when another instance already did.
pub async fn mark_reminder(
    tx: &mut Tx,
    occurrence_id: i64,
    minutes: i32,
    now: i64,
) -> Result<bool, DbError> {
    let inserted: Option<i64> = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO reminders_sent (occurrence_id, minutes, sent_at) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING RETURNING occurrence_id",
        )
        .bind(occurrence_id)
        .bind(minutes)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?
    });
    Ok(inserted.is_some())
}

/// The confirmed registrants of an occurrence, to remind or notify.
pub async fn confirmed(tx: &mut Tx, occurrence_id: i64) -> Result<Vec<RegistrationRow>, DbError> {
    let sql = concat!(
        "SELECT ",
        registration_columns!(),
        " FROM registrations r \
         WHERE r.occurrence_id = $1 AND r.status = 'confirmed' ORDER BY r.id"
    );
    Ok(on_tx!(tx, |conn| {
        sqlx::query_as(sql)
            .bind(occurrence_id)
            .fetch_all(&mut *conn)
            .await?
    }))
}
