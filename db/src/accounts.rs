//! Coordinators' accounts: users, their roles, one-time links and sign-in throttling.
//! Password hashing happens above this layer; only PHC strings are stored here.

use crate::{on_pool, on_tx, Db, DbError, Tx};
use base64::Engine;
use chrono::{DateTime, Utc};
use domain::{Email, Role, Roles};
use rand::RngCore;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub email: Email,
    pub name: String,
    pub locale: String,
    /// `None` until the person has chosen a password through their invitation.
    pub password_hash: Option<String>,
}

pub use domain::TokenPurpose;

/// A secret for a link sent by mail: 256 random bits for the URL, and its SHA-256 for the
/// database. A fast hash is right here (unlike for passwords) because the secret is random.
pub struct OneTimeToken {
    pub secret: String,
    pub hash: String,
}

impl OneTimeToken {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let hash = Self::hash_of(&secret);
        Self { secret, hash }
    }

    /// The stored form of a secret. A link copied from a mail may bring spaces or a line break
    /// with it, so the secret is trimmed first.
    pub fn hash_of(secret: &str) -> String {
        let digest = Sha256::digest(secret.trim().as_bytes());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
    }
}

/// A redeemed link: whose it was, and the new address for an e-mail change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedeemedToken {
    pub user_id: i64,
    pub new_email: Option<String>,
}

impl User {
    /// Changes whenever the password or the address does, so that sessions opened before end:
    /// a digest, because session records must not carry the password hash itself.
    pub fn session_fingerprint(&self) -> Vec<u8> {
        // The address too: after a change of address (someone may have taken over the old
        // mailbox) every session opened before it ends.
        let mut digest = Sha256::new();
        digest.update(self.password_hash.as_deref().unwrap_or("").as_bytes());
        digest.update([0]);
        digest.update(self.email.as_str().as_bytes());
        digest.finalize().to_vec()
    }
}

macro_rules! user_columns {
    () => {
        "id, email, name, locale, password_hash"
    };
}

impl Db {
    pub async fn user_by_email(&self, email: &Email) -> Result<Option<User>, DbError> {
        let sql = concat!("SELECT ", user_columns!(), " FROM users WHERE email = $1");
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(sql)
                .bind(email.as_str())
                .fetch_optional(pool)
                .await?
        }))
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>, DbError> {
        let sql = concat!("SELECT ", user_columns!(), " FROM users WHERE id = $1");
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(sql).bind(id).fetch_optional(pool).await?
        }))
    }

    pub async fn users(&self) -> Result<Vec<User>, DbError> {
        let sql = concat!("SELECT ", user_columns!(), " FROM users ORDER BY email");
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(sql).fetch_all(pool).await?
        }))
    }

    pub async fn roles(&self, user_id: i64) -> Result<Roles, DbError> {
        let rows: Vec<(String, Option<i64>, Option<i64>)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT kind, city_id, cluster_id FROM grants WHERE user_id = $1 ORDER BY id",
            )
            .bind(user_id)
            .fetch_all(pool)
            .await?
        });
        Ok(Roles::new(rows.into_iter().filter_map(|row| match row {
            (kind, None, None) if kind == "admin" => Some(Role::Admin),
            (kind, Some(city), None) if kind == "city" => Some(Role::City(city)),
            (kind, None, Some(cluster)) if kind == "cluster" => Some(Role::Cluster(cluster)),
            _ => None,
        })))
    }

    /// The link's owner, if the link is valid now, without using it up (to show its form).
    pub async fn peek_token(
        &self,
        secret: &str,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<Option<RedeemedToken>, DbError> {
        let row: Option<(i64, Option<String>)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT user_id, new_email FROM account_tokens \
                 WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
            )
            .bind(OneTimeToken::hash_of(secret))
            .bind(purpose.as_str())
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|(user_id, new_email)| RedeemedToken { user_id, new_email }))
    }

    /// Links of `purpose` issued to `user_id` since `since`, used or not.
    pub async fn tokens_issued_since(
        &self,
        user_id: i64,
        purpose: TokenPurpose,
        since: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM account_tokens \
                 WHERE user_id = $1 AND purpose = $2 AND created_at > $3",
            )
            .bind(user_id)
            .bind(purpose.as_str())
            .bind(since)
            .fetch_one(pool)
            .await?
        }))
    }

    /// Failed sign-ins since `since` for this address and for this client.
    pub async fn sign_in_failures(
        &self,
        email: &str,
        ip: &str,
        since: DateTime<Utc>,
    ) -> Result<(i64, i64), DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT \
                   (SELECT COUNT(*) FROM sign_in_failures WHERE email = $1 AND at > $3), \
                   (SELECT COUNT(*) FROM sign_in_failures WHERE ip = $2 AND at > $3)",
            )
            .bind(email)
            .bind(ip)
            .bind(since)
            .fetch_one(pool)
            .await?
        }))
    }

    pub async fn record_sign_in_failure(
        &self,
        email: &str,
        ip: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        on_pool!(self, |pool| {
            sqlx::query("INSERT INTO sign_in_failures (email, ip, at) VALUES ($1, $2, $3)")
                .bind(email)
                .bind(ip)
                .bind(now)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(())
    }

    /// Forgets failures older than the throttling window; called by the background worker.
    pub async fn prune_sign_in_failures(&self, before: DateTime<Utc>) -> Result<u64, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query("DELETE FROM sign_in_failures WHERE at < $1")
                .bind(before)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }
}

/// The account of an address, read inside a write transaction (never through the pool, whose
/// connections may all be waiting for this transaction's lock).
pub async fn user_by_email(tx: &mut Tx, email: &Email) -> Result<Option<User>, DbError> {
    let sql = concat!("SELECT ", user_columns!(), " FROM users WHERE email = $1");
    Ok(on_tx!(tx, |conn| {
        sqlx::query_as(sql)
            .bind(email.as_str())
            .fetch_optional(conn)
            .await?
    }))
}

/// Creates a user; a second account for the same address is a `Conflict`.
pub async fn create_user(
    tx: &mut Tx,
    email: &Email,
    name: &str,
    locale: &str,
    password_hash: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO users (email, name, locale, password_hash, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(email.as_str())
        .bind(name)
        .bind(locale)
        .bind(password_hash)
        .bind(now)
        .fetch_one(conn)
        .await?
    }))
}

pub async fn set_password(
    tx: &mut Tx,
    user_id: i64,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    update_user(tx, user_id, UserField::PasswordHash, password_hash, now).await
}

pub async fn set_email(
    tx: &mut Tx,
    user_id: i64,
    email: &Email,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    update_user(tx, user_id, UserField::Email, email.as_str(), now).await?;
    // A reset link sent to the old address must not open the account any more.
    on_tx!(tx, |conn| {
        sqlx::query(
            "DELETE FROM account_tokens WHERE user_id = $1 AND purpose = 'reset' AND used_at IS NULL",
        )
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

pub async fn set_name(
    tx: &mut Tx,
    user_id: i64,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    update_user(tx, user_id, UserField::Name, name, now).await
}

/// The text columns of a user that change one at a time.
#[derive(Clone, Copy)]
enum UserField {
    PasswordHash,
    Email,
    Name,
}

impl UserField {
    fn update_sql(self) -> &'static str {
        match self {
            UserField::PasswordHash => {
                "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1"
            }
            UserField::Email => "UPDATE users SET email = $2, updated_at = $3 WHERE id = $1",
            UserField::Name => "UPDATE users SET name = $2, updated_at = $3 WHERE id = $1",
        }
    }
}

async fn update_user(
    tx: &mut Tx,
    user_id: i64,
    field: UserField,
    value: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let n = on_tx!(tx, |conn| {
        sqlx::query(field.update_sql())
            .bind(user_id)
            .bind(value)
            .bind(now)
            .execute(conn)
            .await?
            .rows_affected()
    });
    if n == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

fn role_columns(role: Role) -> (&'static str, Option<i64>, Option<i64>) {
    match role {
        Role::Admin => ("admin", None, None),
        Role::City(id) => ("city", Some(id), None),
        Role::Cluster(id) => ("cluster", None, Some(id)),
    }
}

/// Grants a role; `false` if the user already held it. An unknown city or cluster is a
/// `Conflict` (foreign key).
pub async fn add_role(
    tx: &mut Tx,
    user_id: i64,
    role: Role,
    granted_by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let (kind, city, cluster) = role_columns(role);
    // The partial unique indexes make a repeated grant a no-op instead of a duplicate row.
    let n = on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO grants (user_id, kind, city_id, cluster_id, granted_by, granted_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(user_id)
        .bind(kind)
        .bind(city)
        .bind(cluster)
        .bind(granted_by)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected()
    });
    Ok(n == 1)
}

/// Revokes a role; `false` if the user did not hold it.
pub async fn remove_role(tx: &mut Tx, user_id: i64, role: Role) -> Result<bool, DbError> {
    let (kind, city, cluster) = role_columns(role);
    let n = on_tx!(tx, |conn| {
        sqlx::query(
            "DELETE FROM grants WHERE user_id = $1 AND kind = $2 \
             AND city_id IS NOT DISTINCT FROM $3 AND cluster_id IS NOT DISTINCT FROM $4",
        )
        .bind(user_id)
        .bind(kind)
        .bind(city)
        .bind(cluster)
        .execute(conn)
        .await?
        .rows_affected()
    });
    Ok(n > 0)
}

/// Stores a new link for `user_id`, voiding any earlier unused link of the same purpose so that
/// only the latest mail works.
pub async fn issue_token(
    tx: &mut Tx,
    user_id: i64,
    purpose: TokenPurpose,
    new_email: Option<&Email>,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<OneTimeToken, DbError> {
    let token = OneTimeToken::generate();
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE account_tokens SET used_at = $3 \
             WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL",
        )
        .bind(user_id)
        .bind(purpose.as_str())
        .bind(now)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO account_tokens \
               (user_id, purpose, token_hash, new_email, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(user_id)
        .bind(purpose.as_str())
        .bind(&token.hash)
        .bind(new_email.map(Email::as_str))
        .bind(now)
        .bind(expires_at)
        .execute(conn)
        .await?
        .rows_affected()
    });
    Ok(token)
}

/// Uses up a link: succeeds once, for an unexpired link of this purpose, and never again.
pub async fn redeem_token(
    tx: &mut Tx,
    secret: &str,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> Result<Option<RedeemedToken>, DbError> {
    // One UPDATE decides: two requests racing with the same link cannot both see it unused.
    let row: Option<(i64, Option<String>)> = on_tx!(tx, |conn| {
        sqlx::query_as(
            "UPDATE account_tokens SET used_at = $3 \
             WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 \
             RETURNING user_id, new_email",
        )
        .bind(OneTimeToken::hash_of(secret))
        .bind(purpose.as_str())
        .bind(now)
        .fetch_optional(conn)
        .await?
    });
    Ok(row.map(|(user_id, new_email)| RedeemedToken { user_id, new_email }))
}

/// Forgets the failed sign-ins of an address after it signed in successfully.
pub async fn clear_sign_in_failures(tx: &mut Tx, email: &str) -> Result<(), DbError> {
    on_tx!(tx, |conn| {
        sqlx::query("DELETE FROM sign_in_failures WHERE email = $1")
            .bind(email)
            .execute(conn)
            .await?
            .rows_affected()
    });
    Ok(())
}
