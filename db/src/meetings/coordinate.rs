//! What coordinators do to meetings: list, edit (re-deriving a series' dates), cancel, delete,
//! move one date, and manage who holds a seat. Each write returns what changed so that the
//! caller can tell the people concerned in the same transaction.

use super::{
    exdates_text, insert_slot, local_text, minutes_text, promote, take_seat, MeetingRow,
    NewMeeting, RegistrationRow, MEETING_COLUMNS, REGISTRATION_COLUMNS, REGISTRATION_RETURNING,
};
use crate::{on_pool, on_tx, Db, DbError, Tx};
use chrono::NaiveDateTime;
use std::collections::HashSet;

/// Whose meetings a coordinator sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManagedScope {
    All,
    Owners {
        cities: Vec<i64>,
        clusters: Vec<i64>,
    },
}

impl ManagedScope {
    /// A WHERE condition on `m`; ids are integers from the session's roles, safe to inline.
    fn condition(&self) -> String {
        let list = |ids: &[i64]| {
            if ids.is_empty() {
                "NULL".to_owned()
            } else {
                ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
            }
        };
        match self {
            ManagedScope::All => "TRUE".to_owned(),
            ManagedScope::Owners { cities, clusters } => format!(
                "(m.city_id IN ({}) OR m.cluster_id IN ({}))",
                list(cities),
                list(clusters)
            ),
        }
    }
}

/// A meeting in the coordinator's list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ManagedRow {
    pub id: i64,
    pub title: String,
    pub timezone: String,
    pub recurring: bool,
    pub cancelled: bool,
    pub city_slug: Option<String>,
    pub city_name_en: Option<String>,
    pub city_name_it: Option<String>,
    pub cluster_slug: Option<String>,
    pub cluster_name_en: Option<String>,
    pub cluster_name_it: Option<String>,
    /// The next (or, for a past meeting, the last) occurrence.
    pub occurrence_id: Option<i64>,
    pub starts_at: Option<i64>,
    pub occurrences: i64,
    /// Confirmed seats and waitlist over every date.
    pub confirmed: i64,
    pub waiting: i64,
}

/// An occurrence as the coordinator manages it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ManagedOccurrence {
    pub id: i64,
    pub original_local: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub moved: bool,
    pub cancelled: bool,
    pub in_rule: bool,
    pub taken: i32,
    pub waiting: i64,
    pub pending: i64,
}

/// What an edit did to a meeting's dates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reconciled {
    /// Occurrences whose time changed and that people are registered for.
    pub changed: Vec<i64>,
    /// Occurrences the new schedule no longer has, cancelled because people had registered.
    pub cancelled: Vec<i64>,
    pub added: usize,
    pub removed: usize,
}

/// Where a person was moved.
#[derive(Debug, Clone)]
pub enum Moved {
    /// Registered for the other date (`confirmed` when a seat was free, else waiting); the
    /// seat they left went to `promoted`, if anyone waited.
    Done {
        row: Box<RegistrationRow>,
        confirmed: bool,
        promoted: Option<Box<RegistrationRow>>,
    },
    /// They already hold a registration for that date.
    AlreadyThere,
    /// The registration is not live, or the date belongs to another meeting.
    Refused,
}

impl Db {
    /// A page of the meetings in scope: upcoming ones by their next date, or past ones, most
    /// recent first.
    pub async fn managed_meetings(
        &self,
        scope: &ManagedScope,
        now: i64,
        past: bool,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ManagedRow>, DbError> {
        let (pick, order) = if past {
            (
                "SELECT MAX(p.starts_at) FROM occurrences p WHERE p.meeting_id = m.id",
                "starts_at DESC",
            )
        } else {
            (
                "SELECT MIN(n.starts_at) FROM occurrences n \
                 WHERE n.meeting_id = m.id AND n.ends_at > $1",
                "starts_at",
            )
        };
        let having = if past {
            "NOT EXISTS (SELECT 1 FROM occurrences f WHERE f.meeting_id = m.id AND f.ends_at > $1)"
        } else {
            "EXISTS (SELECT 1 FROM occurrences f WHERE f.meeting_id = m.id AND f.ends_at > $1)"
        };
        let sql = format!(
            "SELECT * FROM (SELECT m.id, m.title, m.timezone, (m.rrule IS NOT NULL) AS recurring, \
                m.cancelled, ci.slug AS city_slug, ci.name_en AS city_name_en, \
                ci.name_it AS city_name_it, cl.slug AS cluster_slug, \
                cl.name_en AS cluster_name_en, cl.name_it AS cluster_name_it, \
                ({pick}) AS starts_at, \
                (SELECT o.id FROM occurrences o WHERE o.meeting_id = m.id AND o.starts_at = ({pick}) \
                 ORDER BY o.id LIMIT 1) AS occurrence_id, \
                (SELECT COUNT(*) FROM occurrences c WHERE c.meeting_id = m.id) AS occurrences, \
                (SELECT COUNT(*) FROM registrations r JOIN occurrences ro ON ro.id = r.occurrence_id \
                 WHERE ro.meeting_id = m.id AND r.status = 'confirmed') AS confirmed, \
                (SELECT COUNT(*) FROM registrations r JOIN occurrences ro ON ro.id = r.occurrence_id \
                 WHERE ro.meeting_id = m.id AND r.status = 'waiting') AS waiting \
             FROM meetings m \
             LEFT JOIN cities ci ON ci.id = m.city_id \
             LEFT JOIN clusters cl ON cl.id = m.cluster_id \
             WHERE {} AND {having}) AS listed \
             ORDER BY {order}, id LIMIT $2 OFFSET $3",
            scope.condition()
        );
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(now)
                .bind(limit.clamp(1, super::MAX_LIMIT))
                .bind(offset.max(0))
                .fetch_all(pool)
                .await?
        }))
    }

    /// Every date of a meeting with its seats and queues.
    pub async fn managed_occurrences(
        &self,
        meeting_id: i64,
    ) -> Result<Vec<ManagedOccurrence>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT o.id, o.original_local, o.starts_at, o.ends_at, o.moved, o.cancelled, \
                    o.in_rule, o.taken, \
                    (SELECT COUNT(*) FROM registrations w \
                     WHERE w.occurrence_id = o.id AND w.status = 'waiting') AS waiting, \
                    (SELECT COUNT(*) FROM registrations p \
                     WHERE p.occurrence_id = o.id AND p.status = 'pending') AS pending \
                 FROM occurrences o WHERE o.meeting_id = $1 ORDER BY o.starts_at, o.id",
            )
            .bind(meeting_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The online link of a meeting, for its organisers' edit form.
    pub async fn meeting_online_link(&self, meeting_id: i64) -> Result<Option<String>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT online_link FROM meetings WHERE id = $1")
                .bind(meeting_id)
                .fetch_optional(pool)
                .await?
        })
        .flatten())
    }

    pub async fn registration(&self, id: i64) -> Result<RegistrationRow, DbError> {
        let sql = format!("SELECT {REGISTRATION_COLUMNS} FROM registrations r WHERE r.id = $1");
        on_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?
        })
        .ok_or(DbError::NotFound)
    }
}

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
    let s = m.schedule;
    let set = super::DETAIL_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, column)| format!("{column} = ${}", i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let n = super::DETAIL_COLUMNS.len();
    let sql = format!(
        "UPDATE meetings SET {set}, description_html = NULL, description_text = NULL, \
         sequence = sequence + 1, updated_at = ${} WHERE id = ${}",
        n + 1,
        n + 2
    );
    let done: u64 = on_tx!(tx, |conn| {
        super::bind_details!(sqlx::query(&sql), m)
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    if done == 0 {
        return Err(DbError::NotFound);
    }
    let existing: Vec<(i64, String, i64, i64, bool, bool, i64)> = on_tx!(tx, |conn| {
        sqlx::query_as(
            "SELECT o.id, o.original_local, o.starts_at, o.ends_at, o.moved, o.cancelled, \
                (SELECT COUNT(*) FROM registrations r \
                 WHERE r.occurrence_id = o.id AND r.status <> 'cancelled') \
             FROM occurrences o WHERE o.meeting_id = $1 ORDER BY o.starts_at",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
    });
    let slots = s.slots();
    let single = s.rule().is_none();
    let mut out = Reconciled::default();
    // Past dates are history: untouched, and no new slot is matched to them or created before now.
    let (past, mut open): (Vec<_>, Vec<_>) = existing.into_iter().partition(|o| o.3 <= now);
    let taken_originals: HashSet<String> = past.iter().map(|o| o.1.clone()).collect();
    let mut matched: Vec<(i64, &domain::schedule::Slot, bool, i64, i64, i64)> = Vec::new();
    let mut unmatched_slots = Vec::new();
    for slot in slots.iter().filter(|sl| sl.ends_at.timestamp() > now) {
        let original = local_text(slot.original);
        if taken_originals.contains(&original) {
            continue;
        }
        let exact = open.iter().position(|o| o.1 == original);
        let same_day = || {
            open.iter().position(|o| {
                NaiveDateTime::parse_from_str(&o.1, "%Y-%m-%dT%H:%M")
                    .is_ok_and(|t| t.date() == slot.original.date())
            })
        };
        let pick = exact
            .or_else(same_day)
            .or_else(|| (single && open.len() == 1).then_some(0));
        match pick {
            Some(i) => {
                let o = open.remove(i);
                matched.push((o.0, slot, o.4, o.2, o.3, o.6));
            }
            None => unmatched_slots.push(slot),
        }
    }
    // Originals are unique per meeting: park the matched ones first so that shifting dates
    // past each other never collides midway.
    for (oid, ..) in &matched {
        on_tx!(tx, |conn| {
            sqlx::query("UPDATE occurrences SET original_local = $2 WHERE id = $1")
                .bind(*oid)
                .bind(format!("~{oid}"))
                .execute(&mut *conn)
                .await?;
        });
    }
    for o in &open {
        let (oid, live) = (o.0, o.6);
        if live > 0 {
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
            if !o.5 {
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
    }
    for (oid, slot, moved, starts, ends, live) in matched {
        let (new_start, new_end) = (slot.starts_at.timestamp(), slot.ends_at.timestamp());
        // A date moved by hand keeps its time; only its place in the series is renamed.
        let retime = !moved && (new_start != starts || new_end != ends);
        on_tx!(tx, |conn| {
            sqlx::query(
                "UPDATE occurrences SET original_local = $2, in_rule = TRUE, \
                    starts_at = CASE WHEN $3 THEN $4 ELSE starts_at END, \
                    ends_at = CASE WHEN $3 THEN $5 ELSE ends_at END, \
                    sequence = sequence + CASE WHEN $3 THEN 1 ELSE 0 END \
                 WHERE id = $1",
            )
            .bind(oid)
            .bind(local_text(slot.original))
            .bind(retime)
            .bind(new_start)
            .bind(new_end)
            .execute(&mut *conn)
            .await?;
        });
        if retime && live > 0 {
            out.changed.push(oid);
        }
    }
    for slot in unmatched_slots {
        insert_slot(tx, id, slot).await?;
        out.added += 1;
    }
    Ok(out)
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

/// Everyone still registered for a date (confirmed, waiting or not yet confirmed): the people
/// a change of it concerns.
pub async fn live_registrants(
    tx: &mut Tx,
    occurrence_id: i64,
) -> Result<Vec<RegistrationRow>, DbError> {
    let sql = format!(
        "SELECT {REGISTRATION_COLUMNS} FROM registrations r \
         WHERE r.occurrence_id = $1 AND r.status <> 'cancelled' ORDER BY r.id"
    );
    Ok(on_tx!(tx, |conn| {
        sqlx::query_as(&sql)
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
    let sql = format!(
        "UPDATE registrations SET status = 'confirmed', confirmed_at = $2, queued_at = NULL \
         WHERE id = $1 AND status = 'waiting' RETURNING {REGISTRATION_RETURNING}"
    );
    let row: Option<RegistrationRow> = on_tx!(tx, |conn| {
        sqlx::query_as(&sql)
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
    let source = {
        let sql = format!(
            "SELECT {REGISTRATION_COLUMNS} FROM registrations r \
             WHERE r.id = $1 AND r.status IN ('confirmed', 'waiting')"
        );
        let row: Option<RegistrationRow> = on_tx!(tx, |conn| {
            sqlx::query_as(&sql)
                .bind(registration_id)
                .fetch_optional(&mut *conn)
                .await?
        });
        match row {
            Some(r) if r.occurrence_id != target_occurrence => r,
            _ => return Ok(Moved::Refused),
        }
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
    let cancelled = super::cancel(tx, registration_id, now).await?;
    let confirmed = take_seat(tx, target_occurrence).await?;
    let sql = format!(
        "UPDATE registrations SET status = $2, queued_at = CASE WHEN $2 = 'waiting' THEN $3 END \
         WHERE id = $1 RETURNING {REGISTRATION_RETURNING}"
    );
    let row: RegistrationRow = on_tx!(tx, |conn| {
        sqlx::query_as(&sql)
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

/// An occurrence read inside a write transaction (on SQLite a read through the pool while
/// holding the write lock could wait for a connection that a queued writer holds).
pub async fn occurrence_in(tx: &mut Tx, id: i64) -> Result<super::OccurrenceRow, DbError> {
    let sql = format!(
        "SELECT {} {} WHERE o.id = $1",
        super::OCCURRENCE_COLUMNS,
        super::OCCURRENCE_JOINS
    );
    on_tx!(tx, |conn| {
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(DbError::NotFound)
    })
}

/// A meeting read inside a write transaction.
pub async fn meeting_in(tx: &mut Tx, id: i64) -> Result<MeetingRow, DbError> {
    let sql = format!("SELECT {MEETING_COLUMNS} FROM meetings m WHERE m.id = $1");
    on_tx!(tx, |conn| {
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(DbError::NotFound)
    })
}

/// A meeting's online link, read inside a write transaction.
pub async fn online_link_in(tx: &mut Tx, meeting_id: i64) -> Result<Option<String>, DbError> {
    let link: Option<Option<String>> = on_tx!(tx, |conn| {
        sqlx::query_scalar("SELECT online_link FROM meetings WHERE id = $1")
            .bind(meeting_id)
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(link.flatten())
}

/// The upcoming dates of a meeting that are not cancelled, read inside a write transaction.
pub async fn upcoming_dates_in(
    tx: &mut Tx,
    meeting_id: i64,
    now: i64,
) -> Result<Vec<i64>, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT id FROM occurrences WHERE meeting_id = $1 AND ends_at > $2 AND NOT cancelled \
             ORDER BY starts_at",
        )
        .bind(meeting_id)
        .bind(now)
        .fetch_all(&mut *conn)
        .await?
    }))
}
