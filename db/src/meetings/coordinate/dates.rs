//! A meeting's schedule as its coordinators change it: an edit that derives a series' dates
//! again, cancelling, deleting, and moving or reinstating one date.

use super::super::{exdates_text, insert_slot, local_text, minutes_text, promote};
use super::*;
use std::collections::HashSet;

/// Changes a meeting's details and schedule (its UID, owner and author stay). A series' dates
/// are derived again: an occurrence keeps its identity, registrations included, when the new
/// rule still has a date at the same original time or, failing that, on the same local day;
/// dates that have ended are left as they were; dates the rule lost are deleted, or kept
/// cancelled when people registered for them.
pub async fn update(
    tx: &mut Tx,
    id: i64,
    m: &NewMeeting<'_>,
    now: i64,
) -> Result<Reconciled, DbError> {
    let done: u64 = on_tx!(tx, |conn| {
        crate::meetings::bind_details!(sqlx::query(crate::meetings::update_meeting_sql!()), m)
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    if done == 0 {
        return Err(DbError::NotFound);
    }
    let existing = stored_dates(tx, id).await?;
    let slots = m.schedule.slots();
    let plan = Plan::new(existing, &slots, m.schedule.rule().is_none(), now);
    let mut out = Reconciled::default();
    // Originals are unique per meeting: park the matched ones first so that shifting dates
    // past each other never collides midway.
    for (stored, _) in &plan.matched {
        park(tx, stored.id).await?;
    }
    for lost in &plan.lost {
        retire(tx, lost, &mut out).await?;
    }
    for (stored, slot) in &plan.matched {
        if retime(tx, stored, slot).await? && stored.live > 0 {
            out.changed.push(stored.id);
        }
    }
    for slot in plan.new {
        insert_slot(tx, id, slot).await?;
        out.added += 1;
    }
    Ok(out)
}

/// A date of the meeting as stored, with how many people hold a live registration for it.
#[derive(sqlx::FromRow)]
struct StoredDate {
    id: i64,
    original_local: String,
    starts_at: i64,
    ends_at: i64,
    moved: bool,
    cancelled: bool,
    live: i64,
}

async fn stored_dates(tx: &mut Tx, meeting_id: i64) -> Result<Vec<StoredDate>, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query_as(
            "SELECT o.id, o.original_local, o.starts_at, o.ends_at, o.moved, o.cancelled, \
                (SELECT COUNT(*) FROM registrations r \
                 WHERE r.occurrence_id = o.id AND r.status <> 'cancelled') AS live \
             FROM occurrences o WHERE o.meeting_id = $1 ORDER BY o.starts_at",
        )
        .bind(meeting_id)
        .fetch_all(&mut *conn)
        .await?
    }))
}

/// How the new schedule's dates meet the stored ones.
struct Plan<'s> {
    /// A stored date that goes on as this slot.
    matched: Vec<(StoredDate, &'s domain::schedule::Slot)>,
    /// Stored dates still to come that the schedule no longer has.
    lost: Vec<StoredDate>,
    /// Slots no stored date goes on as.
    new: Vec<&'s domain::schedule::Slot>,
}

impl<'s> Plan<'s> {
    fn new(
        existing: Vec<StoredDate>,
        slots: &'s [domain::schedule::Slot],
        single: bool,
        now: i64,
    ) -> Self {
        // Past dates are history: untouched, and no new slot is matched to them or created
        // before now.
        let (past, mut open): (Vec<_>, Vec<_>) =
            existing.into_iter().partition(|o| o.ends_at <= now);
        let taken: HashSet<String> = past.into_iter().map(|o| o.original_local).collect();
        let mut plan = Plan {
            matched: Vec::new(),
            lost: Vec::new(),
            new: Vec::new(),
        };
        for slot in slots.iter().filter(|sl| sl.ends_at.timestamp() > now) {
            let original = local_text(slot.original);
            if taken.contains(&original) {
                continue;
            }
            let exact = open.iter().position(|o| o.original_local == original);
            let same_day = || {
                open.iter().position(|o| {
                    NaiveDateTime::parse_from_str(&o.original_local, "%Y-%m-%dT%H:%M")
                        .is_ok_and(|t| t.date() == slot.original.date())
                })
            };
            let pick = exact
                .or_else(same_day)
                .or_else(|| (single && open.len() == 1).then_some(0));
            match pick {
                Some(i) => plan.matched.push((open.remove(i), slot)),
                None => plan.new.push(slot),
            }
        }
        plan.lost = open;
        plan
    }
}

/// Gives a date a placeholder original, unique because it names the row.
async fn park(tx: &mut Tx, occurrence_id: i64) -> Result<(), DbError> {
    on_tx!(tx, |conn| {
        sqlx::query("UPDATE occurrences SET original_local = $2 WHERE id = $1")
            .bind(occurrence_id)
            .bind(format!("~{occurrence_id}"))
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// A date the schedule lost: kept cancelled when people registered for it, else deleted.
async fn retire(tx: &mut Tx, lost: &StoredDate, out: &mut Reconciled) -> Result<(), DbError> {
    let oid = lost.id;
    if lost.live > 0 {
        on_tx!(tx, |conn| {
            sqlx::query(
                "UPDATE occurrences SET in_rule = FALSE, original_local = $2, \
                    cancelled = TRUE, sequence = sequence + CASE WHEN cancelled THEN 0 ELSE 1 END \
                 WHERE id = $1",
            )
            .bind(oid)
            .bind(format!("~{oid}"))
            .execute(&mut *conn)
            .await?;
        });
        if !lost.cancelled {
            out.cancelled.push(oid);
        }
    } else {
        on_tx!(tx, |conn| {
            sqlx::query("DELETE FROM occurrences WHERE id = $1")
                .bind(oid)
                .execute(&mut *conn)
                .await?;
        });
        out.removed += 1;
    }
    Ok(())
}

/// Renames a matched date after its slot and, unless it was moved by hand (it then keeps its
/// time), gives it the slot's time; whether its time changed.
async fn retime(
    tx: &mut Tx,
    stored: &StoredDate,
    slot: &domain::schedule::Slot,
) -> Result<bool, DbError> {
    let (new_start, new_end) = (slot.starts_at.timestamp(), slot.ends_at.timestamp());
    let retime = !stored.moved && (new_start != stored.starts_at || new_end != stored.ends_at);
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE occurrences SET original_local = $2, in_rule = TRUE, \
                starts_at = CASE WHEN $3 THEN $4 ELSE starts_at END, \
                ends_at = CASE WHEN $3 THEN $5 ELSE ends_at END, \
                sequence = sequence + CASE WHEN $3 THEN 1 ELSE 0 END \
             WHERE id = $1",
        )
        .bind(stored.id)
        .bind(local_text(slot.original))
        .bind(retime)
        .bind(new_start)
        .bind(new_end)
        .execute(&mut *conn)
        .await?;
    });
    Ok(retime)
}

/// Gives free seats (after a capacity rise) to the waitlist of every upcoming date; returns
/// those promoted.
pub async fn fill_seats(
    tx: &mut Tx,
    meeting_id: i64,
    now: i64,
) -> Result<Vec<RegistrationRow>, DbError> {
    let ids: Vec<i64> = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT o.id FROM occurrences o WHERE o.meeting_id = $1 AND o.ends_at > $2 \
               AND NOT o.cancelled \
               AND EXISTS (SELECT 1 FROM registrations r \
                           WHERE r.occurrence_id = o.id AND r.status = 'waiting') \
             ORDER BY o.starts_at",
        )
        .bind(meeting_id)
        .bind(now)
        .fetch_all(&mut *conn)
        .await?
    });
    let mut promoted = Vec::new();
    for oid in ids {
        while let Some(row) = promote(tx, oid, now).await? {
            promoted.push(row);
        }
    }
    Ok(promoted)
}

/// Calls off a whole meeting: every date still ahead is cancelled (SEQUENCE up) and the
/// meeting is marked so that a series' master is published as cancelled. Returns the dates
/// newly cancelled.
pub async fn cancel_meeting(tx: &mut Tx, id: i64, now: i64) -> Result<Vec<i64>, DbError> {
    let done: u64 = on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE meetings SET cancelled = TRUE, sequence = sequence + 1, updated_at = $2 \
             WHERE id = $1 AND NOT cancelled",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    if done == 0 {
        return Ok(Vec::new());
    }
    Ok(on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "UPDATE occurrences SET cancelled = TRUE, sequence = sequence + 1 \
             WHERE meeting_id = $1 AND ends_at > $2 AND NOT cancelled RETURNING id",
        )
        .bind(id)
        .bind(now)
        .fetch_all(&mut *conn)
        .await?
    }))
}

/// Deletes a meeting with its dates and registrations; `false` if it did not exist.
pub async fn delete(tx: &mut Tx, id: i64) -> Result<bool, DbError> {
    // SQLite enforces ON DELETE CASCADE only per connection setting; deleting the children
    // explicitly makes both backends do the same thing whatever that setting.
    on_tx!(tx, |conn| {
        sqlx::query(
            "DELETE FROM reminders_sent WHERE occurrence_id IN \
               (SELECT id FROM occurrences WHERE meeting_id = $1)",
        )
        .bind(id)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "DELETE FROM registrations WHERE occurrence_id IN \
               (SELECT id FROM occurrences WHERE meeting_id = $1)",
        )
        .bind(id)
        .execute(&mut *conn)
        .await?;
        sqlx::query("DELETE FROM occurrences WHERE meeting_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    });
    let done: u64 = on_tx!(tx, |conn| {
        sqlx::query("DELETE FROM meetings WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    Ok(done == 1)
}

/// Gives one date its own time; `false` if nothing changed.
pub async fn move_occurrence(
    tx: &mut Tx,
    occurrence_id: i64,
    starts_at: i64,
    ends_at: i64,
    now: i64,
) -> Result<bool, DbError> {
    let done: u64 = on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE occurrences SET starts_at = $2, ends_at = $3, moved = TRUE, \
                sequence = sequence + 1 \
             WHERE id = $1 AND (starts_at <> $2 OR ends_at <> $3)",
        )
        .bind(occurrence_id)
        .bind(starts_at)
        .bind(ends_at)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    touch_meeting_of(tx, occurrence_id, now).await?;
    Ok(done == 1)
}

/// Puts a cancelled date back on; `false` if it was not cancelled, or the whole meeting is.
pub async fn reinstate_occurrence(
    tx: &mut Tx,
    occurrence_id: i64,
    now: i64,
) -> Result<bool, DbError> {
    let done: u64 = on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE occurrences SET cancelled = FALSE, sequence = sequence + 1 \
             WHERE id = $1 AND cancelled AND in_rule AND ends_at > $2 \
               AND NOT (SELECT m.cancelled FROM meetings m WHERE m.id = occurrences.meeting_id)",
        )
        .bind(occurrence_id)
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    touch_meeting_of(tx, occurrence_id, now).await?;
    Ok(done == 1)
}

async fn touch_meeting_of(tx: &mut Tx, occurrence_id: i64, now: i64) -> Result<(), DbError> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE meetings SET updated_at = $2 \
             WHERE id = (SELECT meeting_id FROM occurrences WHERE id = $1)",
        )
        .bind(occurrence_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}
