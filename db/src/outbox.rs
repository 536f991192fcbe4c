//! Mail waiting to be sent. A message is written in the transaction of the change that causes
//! it, already rendered, so that it exists exactly when the change does and a retry sends the
//! very same bytes (and Message-ID). Workers lease messages, so several instances sharing one
//! PostgreSQL database never send the same message twice while it is being handled.

use crate::{on_pool, on_tx, Db, DbError, Tx};
use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    pub sender: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub locale: &'a str,
    /// The whole RFC 5322 message.
    pub message: &'a [u8],
}

/// A message a worker has leased and must now send.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub sender: String,
    pub recipient: String,
    pub message: Vec<u8>,
    pub attempts: i32,
}

/// A message as the administrators' outbox page lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listed {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub recipient: String,
    pub subject: String,
    pub locale: String,
    pub attempts: i32,
    pub sent_at: Option<DateTime<Utc>>,
    pub gave_up_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

pub async fn enqueue(tx: &mut Tx, m: &NewMessage<'_>, now: DateTime<Utc>) -> Result<i64, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO outbox \
               (created_at, sender, recipient, subject, locale, message, next_attempt_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $1) RETURNING id",
        )
        .bind(now)
        .bind(m.sender)
        .bind(m.recipient)
        .bind(m.subject)
        .bind(m.locale)
        .bind(m.message)
        .fetch_one(conn)
        .await?
    }))
}

impl Db {
    /// Leases up to `limit` due messages until `now + lease`. A message whose worker died comes
    /// due again when its lease runs out.
    pub async fn claim_due(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: i64,
    ) -> Result<Vec<Claimed>, DbError> {
        macro_rules! claim_sql {
            ($lock:literal) => {
                concat!(
                    "UPDATE outbox SET locked_until = $2, attempts = attempts + 1 \
                     WHERE id IN (SELECT id FROM outbox \
                                  WHERE sent_at IS NULL AND gave_up_at IS NULL \
                                    AND next_attempt_at <= $1 \
                                    AND (locked_until IS NULL OR locked_until < $1) \
                                  ORDER BY id LIMIT $3",
                    $lock,
                    ") RETURNING id, sender, recipient, message, attempts"
                )
            };
        }
        let sql = match self {
            // SKIP LOCKED lets each instance take different rows instead of queueing behind
            // one another; the lease column keeps a row taken after the statement commits.
            Db::Postgres(_) => claim_sql!(" FOR UPDATE SKIP LOCKED"),
            // SQLite has one writer at a time, so a plain UPDATE is already exclusive.
            Db::Sqlite(_) => claim_sql!(""),
        };
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(sql)
                .bind(now)
                .bind(now + lease)
                .bind(limit)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Ends every lease on messages still to send, so that they are due at once; returns how
    /// many. Only for a caller that knows no live worker holds one: on SQLite, at start-up of
    /// the one process that owns the file, a lease is what a killed worker left behind. On
    /// PostgreSQL other live instances hold leases, and theirs simply run out.
    pub async fn release_leases(&self) -> Result<u64, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE outbox SET locked_until = NULL \
                 WHERE locked_until IS NOT NULL AND sent_at IS NULL AND gave_up_at IS NULL",
            )
            .execute(pool)
            .await?
            .rows_affected()
        }))
    }

    /// Deletes messages sent, or given up on, before `before`: their bodies hold personal links
    /// and the outbox page only needs the recent ones. Messages still to send are kept
    /// whatever their age.
    pub async fn prune_outbox(&self, before: DateTime<Utc>) -> Result<u64, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query(
                "DELETE FROM outbox WHERE (sent_at IS NOT NULL AND sent_at < $1) \
                    OR (gave_up_at IS NOT NULL AND gave_up_at < $1)",
            )
            .bind(before)
            .execute(pool)
            .await?
            .rows_affected()
        }))
    }

    /// Records a delivery; `false` if the message was already marked sent.
    pub async fn mark_sent(&self, id: i64, now: DateTime<Utc>) -> Result<bool, DbError> {
        let n = on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE outbox SET sent_at = $2, locked_until = NULL, last_error = NULL \
                 WHERE id = $1 AND sent_at IS NULL",
            )
            .bind(id)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(n == 1)
    }

    /// Records a failed attempt: retry at `retry_at`, or give up when it is `None`.
    pub async fn mark_failed(
        &self,
        id: i64,
        error: &str,
        now: DateTime<Utc>,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<(), DbError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE outbox SET locked_until = NULL, last_error = $2, \
                   next_attempt_at = COALESCE($4, next_attempt_at), \
                   gave_up_at = CASE WHEN $4 IS NULL THEN $3 ELSE NULL END \
                 WHERE id = $1 AND sent_at IS NULL",
            )
            .bind(id)
            .bind(error)
            .bind(now)
            .bind(retry_at)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(())
    }

    /// The newest messages first.
    pub async fn outbox(&self, limit: i64) -> Result<Vec<Listed>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, created_at, recipient, subject, locale, attempts, sent_at, \
                   gave_up_at, last_error FROM outbox ORDER BY id DESC LIMIT $1",
            )
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The raw message, for the administrators' outbox page.
    pub async fn outbox_message(&self, id: i64) -> Result<Vec<u8>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT message FROM outbox WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(DbError::NotFound)?
        }))
    }

    /// How many messages wait to be sent (the readiness of the mail pipeline, at a glance).
    pub async fn outbox_pending(&self) -> Result<i64, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND gave_up_at IS NULL",
            )
            .fetch_one(pool)
            .await?
        }))
    }
}
