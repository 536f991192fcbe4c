//! Form flashes: the values of a rejected no-JavaScript form post, kept for a short while under
//! the hash of a random key that travels in the redirect instead of the values themselves.

use crate::{on_pool, Db, DbError};

impl Db {
    pub async fn put_flash(
        &self,
        key_hash: &str,
        body: &str,
        expires_at: i64,
    ) -> Result<(), DbError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO form_flashes (key_hash, body, expires_at) VALUES ($1, $2, $3)",
            )
            .bind(key_hash)
            .bind(body)
            .bind(expires_at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// The flash under a key, if it has not expired. It may be read again (a reload of the
    /// form shows the same values) until it expires.
    pub async fn flash(&self, key_hash: &str, now: i64) -> Result<Option<String>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT body FROM form_flashes WHERE key_hash = $1 AND expires_at > $2",
            )
            .bind(key_hash)
            .bind(now)
            .fetch_optional(pool)
            .await?
        }))
    }

    pub async fn prune_flashes(&self, now: i64) -> Result<u64, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query("DELETE FROM form_flashes WHERE expires_at <= $1")
                .bind(now)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }
}
