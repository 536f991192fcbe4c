//! The meetings aggregate: meetings, their occurrences, registrations and sent reminders.
//!
//! Seats are counted in `occurrences.taken` and taken by one conditional UPDATE, which both
//! backends run atomically: SQLite because a write transaction holds the database's write lock,
//! PostgreSQL because a concurrent UPDATE waits for the row and re-checks its condition. Every
//! transaction that touches seats locks the registration first and the occurrence second, so
//! two of them never wait for each other in a cycle.

mod coordinate;
mod retention;

pub use coordinate::*;
pub use create::*;
pub use descriptions::*;
pub use feed::*;
pub use registrations::*;
pub use retention::*;
pub use venues::*;

use crate::{on_pool, on_tx, Db, DbError, Tx};
use domain::schedule::{Schedule, Zone};
use domain::{Audience, Mode, RegistrationStatus};

/// The page size limit for any list, so that no query returns an unbounded result.
pub const MAX_LIMIT: i64 = 500;

/// Who publishes a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    City(i64),
    Cluster(i64),
}

/// A meeting to create, already validated.
#[derive(Debug, Clone)]
pub struct NewMeeting<'a> {
    pub uid: &'a str,
    pub owner: Owner,
    pub sector_id: Option<i64>,
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub audience: Audience,
    pub mode: Mode,
    pub place: &'a str,
    pub address: &'a str,
    /// The venue's latitude and longitude, for the city's map.
    pub position: Option<(f64, f64)>,
    pub online_link: Option<&'a str>,
    pub schedule: &'a Schedule,
    pub capacity: Option<i32>,
    pub takes_registrations: bool,
    pub registration_opens_at: Option<i64>,
    pub registration_closes_at: Option<i64>,
    pub reminders: &'a [i32],
    pub created_by: Option<i64>,
}

/// One occurrence with what the calendar shows of its meeting (never the online link).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OccurrenceRow {
    pub id: i64,
    pub meeting_id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub cancelled: bool,
    pub taken: i32,
    /// Bumped with every change of this date alone (added to its meeting's SEQUENCE).
    pub sequence: i32,
    pub title: String,
    pub timezone: String,
    pub mode: String,
    pub audience: String,
    pub language: String,
    pub place: String,
    pub capacity: Option<i32>,
    pub recurring: bool,
    pub city_slug: Option<String>,
    pub city_name_en: Option<String>,
    pub city_name_it: Option<String>,
    pub city_country: Option<String>,
    pub cluster_slug: Option<String>,
    pub cluster_name_en: Option<String>,
    pub cluster_name_it: Option<String>,
    pub sector_slug: Option<String>,
    pub sector_name_en: Option<String>,
    pub sector_name_it: Option<String>,
}

macro_rules! occurrence_columns {
    () => {
        "o.id, o.meeting_id, o.starts_at, o.ends_at, o.cancelled, \
     o.taken, o.sequence, m.title, m.timezone, m.mode, m.audience, m.language, m.place, m.capacity, \
     (m.rrule IS NOT NULL) AS recurring, \
     ci.slug AS city_slug, ci.name_en AS city_name_en, ci.name_it AS city_name_it, \
     ci.country AS city_country, \
     cl.slug AS cluster_slug, cl.name_en AS cluster_name_en, cl.name_it AS cluster_name_it, \
     se.slug AS sector_slug, se.name_en AS sector_name_en, se.name_it AS sector_name_it"
    };
}
pub(crate) use occurrence_columns;

macro_rules! occurrence_joins {
    () => {
        "FROM occurrences o JOIN meetings m ON m.id = o.meeting_id \
     LEFT JOIN cities ci ON ci.id = m.city_id \
     LEFT JOIN clusters cl ON cl.id = m.cluster_id \
     LEFT JOIN sectors se ON se.id = m.sector_id"
    };
}
pub(crate) use occurrence_joins;

/// The meeting behind an occurrence: what its page shows beyond the summary.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeetingRow {
    pub id: i64,
    pub uid: String,
    pub city_id: Option<i64>,
    pub cluster_id: Option<i64>,
    pub sector_id: Option<i64>,
    pub title: String,
    pub description: String,
    /// The description rendered (sanitised HTML) and as plain text when the meeting was
    /// saved; `None` until then.
    pub description_html: Option<String>,
    pub description_text: Option<String>,
    pub language: String,
    pub audience: String,
    pub mode: String,
    pub place: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub timezone: String,
    pub starts_local: String,
    pub ends_local: String,
    pub rrule: Option<String>,
    pub exdates: String,
    pub capacity: Option<i32>,
    pub takes_registrations: bool,
    pub registration_opens_at: Option<i64>,
    pub registration_closes_at: Option<i64>,
    pub reminders: String,
    pub sequence: i32,
    pub updated_at: i64,
    /// The whole meeting (every date of a series) is called off.
    pub cancelled: bool,
    /// Start of the first occurrence and end of the last: the span a feed's time-zone
    /// definitions must cover.
    pub first_start: i64,
    pub last_end: i64,
}

macro_rules! meeting_columns {
    () => {
        "m.id, m.uid, m.city_id, m.cluster_id, m.sector_id, m.title, \
     m.description, m.description_html, m.description_text, m.language, m.audience, m.mode, m.place, m.address, m.latitude, \
     m.longitude, m.timezone, \
     m.starts_local, m.ends_local, m.rrule, m.exdates, m.capacity, m.takes_registrations, \
     m.registration_opens_at, m.registration_closes_at, m.reminders, m.sequence, m.updated_at, \
     m.cancelled, \
     (SELECT MIN(f.starts_at) FROM occurrences f WHERE f.meeting_id = m.id) AS first_start, \
     (SELECT MAX(l.ends_at) FROM occurrences l WHERE l.meeting_id = m.id) AS last_end"
    };
}
pub(crate) use meeting_columns;

impl MeetingRow {
    /// Whose meeting it is. The schema holds exactly one of the two; a row with neither is
    /// reported, not read as somebody's.
    pub fn owner(&self) -> Result<Owner, DbError> {
        match (self.city_id, self.cluster_id) {
            (Some(id), None) => Ok(Owner::City(id)),
            (None, Some(id)) => Ok(Owner::Cluster(id)),
            _ => Err(DbError::decode(format!(
                "meeting {} has no single owner",
                self.id
            ))),
        }
    }

    pub fn reminder_minutes(&self) -> Vec<i32> {
        parse_minutes(&self.reminders)
    }

    /// Venue and address as one line ("Palazzo Orsetti, Via Santa Giustina 6"), empty if neither.
    pub fn place_line(&self) -> String {
        [self.place.as_str(), self.address.as_str()]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn exdate_list(&self) -> Vec<String> {
        self.exdates
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

pub fn parse_minutes(s: &str) -> Vec<i32> {
    s.split(',').filter_map(|m| m.trim().parse().ok()).collect()
}

/// An occurrence that differs from what its series' rule says: moved or cancelled.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Override {
    pub id: i64,
    pub meeting_id: i64,
    pub original_local: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub moved: bool,
    pub cancelled: bool,
    pub sequence: i32,
    /// False for a date an edited rule no longer yields, kept (cancelled) for its registrants.
    pub in_rule: bool,
}

/// What the calendar asks for. Instants are epoch seconds.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Occurrences still going on at this instant or later.
    pub from: i64,
    /// Occurrences that start before this instant.
    pub until: Option<i64>,
    pub city: Option<String>,
    pub cluster: Option<String>,
    pub sector: Option<String>,
    pub audience: Option<Audience>,
    pub mode: Option<Mode>,
    pub language: Option<String>,
}

/// No date lasts longer (a meeting is at most a week long; a day more for a change of clock):
/// a date still going on at an instant started at most this long before it.
pub(crate) const LONGEST_OCCURRENCE: i64 =
    (domain::schedule::Schedule::MAX_LENGTH_DAYS + 1) * 86_400;

/// The WHERE clause of a filter, with only the conditions it sets: a clause of the form
/// `($n IS NULL OR column = $n)` for every optional filter is one plan for all queries, which
/// cannot use an index for the filters actually set. Cities, clusters and sectors are compared
/// by id (looked up once by their slug), and the start has a lower bound as well as the end, so
/// that the index on `starts_at` serves the time range and the ordering.
macro_rules! push_filter {
    ($qb:expr, $f:expr) => {{
        let f: &Filter = $f;
        $qb.push(" WHERE o.starts_at > ")
            .push_bind(f.from - $crate::meetings::LONGEST_OCCURRENCE)
            .push(" AND o.ends_at > ")
            .push_bind(f.from);
        if let Some(until) = f.until {
            $qb.push(" AND o.starts_at < ").push_bind(until);
        }
        if let Some(city) = &f.city {
            $qb.push(" AND m.city_id = (SELECT id FROM cities WHERE slug = ")
                .push_bind(city.clone())
                .push(")");
        }
        if let Some(cluster) = &f.cluster {
            $qb.push(" AND m.cluster_id = (SELECT id FROM clusters WHERE slug = ")
                .push_bind(cluster.clone())
                .push(")");
        }
        if let Some(sector) = &f.sector {
            $qb.push(" AND m.sector_id IN (SELECT id FROM sectors WHERE slug = ")
                .push_bind(sector.clone())
                .push(")");
        }
        if let Some(audience) = f.audience {
            $qb.push(" AND m.audience = ").push_bind(audience.as_str());
        }
        if let Some(mode) = f.mode {
            $qb.push(" AND m.mode = ").push_bind(mode.as_str());
        }
        if let Some(language) = &f.language {
            $qb.push(" AND m.language = ").push_bind(language.clone());
        }
    }};
}

/// `SELECT o.meeting_id …` of the occurrences a filter matches, for a subquery.
macro_rules! push_filtered_meetings {
    ($qb:expr, $f:expr) => {{
        $qb.push("SELECT o.meeting_id FROM occurrences o JOIN meetings m ON m.id = o.meeting_id");
        push_filter!($qb, $f);
    }};
}

// After the macros they use: `macro_rules!` are seen only below their definition.
mod create;
mod descriptions;
mod feed;
mod registrations;
mod venues;

/// A registration as its owner and the organisers see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RegistrationRow {
    pub id: i64,
    pub occurrence_id: i64,
    pub email: String,
    pub name: String,
    pub organisation: String,
    pub needs: String,
    pub locale: String,
    #[sqlx(try_from = "String")]
    pub status: RegistrationStatus,
    pub created_at: i64,
    pub queued_at: Option<i64>,
    pub attended: Option<bool>,
}

macro_rules! registration_columns {
    () => {
        "r.id, r.occurrence_id, r.email, r.name, r.organisation, \
     r.needs, r.locale, r.status, r.created_at, r.queued_at, r.attended"
    };
}
pub(crate) use registration_columns;

/// The same columns for RETURNING, which SQLite only accepts unqualified.
macro_rules! registration_returning {
    () => {
        "id, occurrence_id, email, name, organisation, needs, \
     locale, status, created_at, queued_at, attended"
    };
}
pub(crate) use registration_returning;

#[derive(Debug, Clone)]
pub struct NewRegistration<'a> {
    pub occurrence_id: i64,
    pub email: &'a str,
    pub name: &'a str,
    pub organisation: &'a str,
    pub needs: &'a str,
    pub locale: &'a str,
    /// The personal link the registration gets, if it is new.
    pub link: &'a crate::links::PersonalLink,
}

/// What happened to a registration form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registered {
    Created(i64),
    /// This address already holds a live registration for the occurrence: its id, its status
    /// and the name it was made under.
    Existing(i64, RegistrationStatus, String),
}

impl Db {
    /// A page of occurrences matching the filter, in time order.
    pub async fn occurrences(
        &self,
        f: &Filter,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<OccurrenceRow>, DbError> {
        Ok(on_pool!(self, |pool| {
            let mut qb = sqlx::QueryBuilder::new(concat!(
                "SELECT ",
                occurrence_columns!(),
                " ",
                occurrence_joins!()
            ));
            push_filter!(qb, f);
            qb.push(" ORDER BY o.starts_at, o.id LIMIT ")
                .push_bind(limit.clamp(1, MAX_LIMIT))
                .push(" OFFSET ")
                .push_bind(offset.max(0));
            qb.build_query_as().fetch_all(pool).await?
        }))
    }

    pub async fn occurrence(&self, id: i64) -> Result<OccurrenceRow, DbError> {
        let sql = concat!(
            "SELECT ",
            occurrence_columns!(),
            " ",
            occurrence_joins!(),
            " WHERE o.id = $1"
        );
        on_pool!(self, |pool| {
            sqlx::query_as(sql).bind(id).fetch_optional(pool).await?
        })
        .ok_or(DbError::NotFound)
    }

    pub async fn meeting(&self, id: i64) -> Result<MeetingRow, DbError> {
        let sql = concat!(
            "SELECT ",
            meeting_columns!(),
            " FROM meetings m WHERE m.id = $1"
        );
        on_pool!(self, |pool| {
            sqlx::query_as(sql).bind(id).fetch_optional(pool).await?
        })
        .ok_or(DbError::NotFound)
    }

    /// Every sector name in use, one per slug: what the calendar's sector filter offers.
    pub async fn sector_options(&self) -> Result<Vec<(String, String, String)>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT slug, MIN(name_en), MIN(name_it) FROM sectors GROUP BY slug ORDER BY slug",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// The next occurrences of a series after an instant, not cancelled.
    pub async fn next_occurrences(
        &self,
        meeting_id: i64,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, i64)>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, starts_at FROM occurrences \
                 WHERE meeting_id = $1 AND starts_at > $2 AND NOT cancelled \
                 ORDER BY starts_at LIMIT $3",
            )
            .bind(meeting_id)
            .bind(after)
            .bind(limit.clamp(1, MAX_LIMIT))
            .fetch_all(pool)
            .await?
        }))
    }

    /// The online link of an occurrence's meeting: only for code that has established that its
    /// reader is a confirmed registrant or an organiser.
    pub async fn online_link(&self, occurrence_id: i64) -> Result<Option<String>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT m.online_link FROM occurrences o JOIN meetings m ON m.id = o.meeting_id \
                 WHERE o.id = $1",
            )
            .bind(occurrence_id)
            .fetch_optional(pool)
            .await?
        })
        .flatten())
    }

    pub async fn waiting_count(&self, occurrence_id: i64) -> Result<i64, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM registrations WHERE occurrence_id = $1 AND status = 'waiting'",
            )
            .bind(occurrence_id)
            .fetch_one(pool)
            .await?
        }))
    }

    pub async fn registration_by_token(
        &self,
        token_hash: &str,
    ) -> Result<RegistrationRow, DbError> {
        let sql = concat!(
            "SELECT ",
            registration_columns!(),
            " FROM registrations r WHERE r.token_hash = $1"
        );
        on_pool!(self, |pool| {
            sqlx::query_as(sql)
                .bind(token_hash)
                .fetch_optional(pool)
                .await?
        })
        .ok_or(DbError::NotFound)
    }

    /// 1 for the first person on the waitlist.
    pub async fn waitlist_position(&self, registration_id: i64) -> Result<i64, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM registrations w, registrations r \
                 WHERE r.id = $1 AND w.occurrence_id = r.occurrence_id AND w.status = 'waiting' \
                   AND (w.queued_at < r.queued_at OR (w.queued_at = r.queued_at AND w.id <= r.id))",
            )
            .bind(registration_id)
            .fetch_one(pool)
            .await?
        }))
    }

    /// Everyone registered for an occurrence, confirmed first, then the waitlist in order.
    pub async fn registrations(&self, occurrence_id: i64) -> Result<Vec<RegistrationRow>, DbError> {
        let sql = concat!(
            "SELECT ",
            registration_columns!(),
            " FROM registrations r WHERE r.occurrence_id = $1 \
             ORDER BY CASE r.status WHEN 'confirmed' THEN 0 WHEN 'waiting' THEN 1 \
                                    WHEN 'pending' THEN 2 ELSE 3 END, \
                      r.queued_at, r.created_at, r.id"
        );
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(sql)
                .bind(occurrence_id)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Occurrences that start within `window` seconds after `now`, not cancelled, with their
    /// meetings' reminder settings: the candidates for reminders.
    pub async fn upcoming_for_reminders(
        &self,
        now: i64,
        window: i64,
    ) -> Result<Vec<(i64, i64, String, String)>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT o.id, o.starts_at, m.reminders, \
                        COALESCE((SELECT string_agg(CAST(s.minutes AS TEXT), ',') \
                                  FROM reminders_sent s WHERE s.occurrence_id = o.id), '') \
                 FROM occurrences o JOIN meetings m ON m.id = o.meeting_id \
                 WHERE o.starts_at > $1 AND o.starts_at <= $2 AND NOT o.cancelled \
                   AND EXISTS (SELECT 1 FROM registrations r \
                               WHERE r.occurrence_id = o.id AND r.status = 'confirmed') \
                 ORDER BY o.starts_at",
            )
            .bind(now)
            .bind(now + window)
            .fetch_all(pool)
            .await?
        }))
    }
}

/// Zone of a stored meeting; the migration only admits names that parsed when written.
pub fn zone_of(name: &str) -> Zone {
    Zone::parse(name).unwrap_or_else(|_| Zone::parse("UTC").expect("UTC is a zone"))
}

/// Cancels one occurrence (the rest of a series goes on); its SEQUENCE goes up so that
/// calendar programs replace their copy. Returns whether it was live.
pub async fn cancel_occurrence(tx: &mut Tx, occurrence_id: i64, now: i64) -> Result<bool, DbError> {
    let done: u64 = on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE occurrences SET cancelled = TRUE, sequence = sequence + 1 \
             WHERE id = $1 AND NOT cancelled",
        )
        .bind(occurrence_id)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
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
    Ok(done == 1)
}
