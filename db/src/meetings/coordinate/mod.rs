//! What coordinators do to meetings: list, edit (re-deriving a series' dates), cancel, delete,
//! move one date, and manage who holds a seat. Each write returns what changed so that the
//! caller can tell the people concerned in the same transaction.

use super::{
    meeting_columns, registration_columns, registration_returning, MeetingRow, NewMeeting,
    RegistrationRow,
};
use crate::{on_pool, on_tx, Db, DbError, Tx};

mod dates;
mod seats;
use chrono::NaiveDateTime;
pub use dates::*;
pub use seats::*;

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
    /// Closes a WHERE clause on `m` with this scope, every id bound.
    fn push_condition<'args, DB>(&self, qb: &mut sqlx::QueryBuilder<'args, DB>)
    where
        DB: sqlx::Database,
        i64: 'args + sqlx::Encode<'args, DB> + sqlx::Type<DB>,
    {
        let ids = |qb: &mut sqlx::QueryBuilder<'args, DB>, ids: &[i64]| {
            if ids.is_empty() {
                qb.push("NULL)");
            } else {
                crate::push_ids(qb, ids);
            }
        };
        match self {
            ManagedScope::All => {
                qb.push("TRUE");
            }
            ManagedScope::Owners { cities, clusters } => {
                qb.push("(m.city_id IN (");
                ids(qb, cities);
                qb.push(" OR m.cluster_id IN (");
                ids(qb, clusters);
                qb.push(")");
            }
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
        Ok(on_pool!(self, |pool| {
            // The date a meeting is listed by: its next one, or for a past meeting its last.
            let pick = |qb: &mut sqlx::QueryBuilder<'_, _>| {
                if past {
                    qb.push("SELECT MAX(p.starts_at) FROM occurrences p WHERE p.meeting_id = m.id");
                } else {
                    qb.push(
                        "SELECT MIN(n.starts_at) FROM occurrences n \
                         WHERE n.meeting_id = m.id AND n.ends_at > ",
                    )
                    .push_bind(now);
                }
            };
            let mut qb = sqlx::QueryBuilder::new(
                "SELECT * FROM (SELECT m.id, m.title, m.timezone, (m.rrule IS NOT NULL) AS recurring, \
                    m.cancelled, ci.slug AS city_slug, ci.name_en AS city_name_en, \
                    ci.name_it AS city_name_it, cl.slug AS cluster_slug, \
                    cl.name_en AS cluster_name_en, cl.name_it AS cluster_name_it, (",
            );
            pick(&mut qb);
            qb.push(
                ") AS starts_at, (SELECT o.id FROM occurrences o \
                 WHERE o.meeting_id = m.id AND o.starts_at = (",
            );
            pick(&mut qb);
            qb.push(
                ") ORDER BY o.id LIMIT 1) AS occurrence_id, \
                    (SELECT COUNT(*) FROM occurrences c WHERE c.meeting_id = m.id) AS occurrences, \
                    (SELECT COUNT(*) FROM registrations r JOIN occurrences ro ON ro.id = r.occurrence_id \
                     WHERE ro.meeting_id = m.id AND r.status = 'confirmed') AS confirmed, \
                    (SELECT COUNT(*) FROM registrations r JOIN occurrences ro ON ro.id = r.occurrence_id \
                     WHERE ro.meeting_id = m.id AND r.status = 'waiting') AS waiting \
                 FROM meetings m \
                 LEFT JOIN cities ci ON ci.id = m.city_id \
                 LEFT JOIN clusters cl ON cl.id = m.cluster_id \
                 WHERE ",
            );
            scope.push_condition(&mut qb);
            qb.push(if past {
                " AND NOT EXISTS"
            } else {
                " AND EXISTS"
            })
            .push(" (SELECT 1 FROM occurrences f WHERE f.meeting_id = m.id AND f.ends_at > ")
            .push_bind(now)
            .push(")) AS listed ORDER BY ")
            .push(if past { "starts_at DESC" } else { "starts_at" })
            .push(", id LIMIT ")
            .push_bind(limit.clamp(1, super::MAX_LIMIT))
            .push(" OFFSET ")
            .push_bind(offset.max(0));
            qb.build_query_as().fetch_all(pool).await?
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
        let sql = concat!(
            "SELECT ",
            registration_columns!(),
            " FROM registrations r WHERE r.id = $1"
        );
        on_pool!(self, |pool| {
            sqlx::query_as(sql).bind(id).fetch_optional(pool).await?
        })
        .ok_or(DbError::NotFound)
    }
}

/// An occurrence read inside a write transaction (on SQLite a read through the pool while
/// holding the write lock could wait for a connection that a queued writer holds).
pub async fn occurrence_in(tx: &mut Tx, id: i64) -> Result<super::OccurrenceRow, DbError> {
    let sql = concat!(
        "SELECT ",
        super::occurrence_columns!(),
        " ",
        super::occurrence_joins!(),
        " WHERE o.id = $1"
    );
    on_tx!(tx, |conn| {
        sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(DbError::NotFound)
    })
}

/// A meeting read inside a write transaction.
pub async fn meeting_in(tx: &mut Tx, id: i64) -> Result<MeetingRow, DbError> {
    let sql = concat!(
        "SELECT ",
        meeting_columns!(),
        " FROM meetings m WHERE m.id = $1"
    );
    on_tx!(tx, |conn| {
        sqlx::query_as(sql)
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
