//! Who is asking: the signed-in coordinator of this request (axum-login over a session kept in
//! the database, so every app instance sees it), sign-in checks with throttling, and the role
//! checks every writing server function starts with.

use crate::accounts::password::{self, Passwords};
use crate::AppError;
use chrono::{Duration, Utc};
use db::accounts::User;
use db::Db;
use domain::{Email, Roles};
use leptos::prelude::use_context;
use std::net::IpAddr;
use std::sync::OnceLock;

/// Failed sign-ins counted per address and per client over this window.
pub const THROTTLE_WINDOW: Duration = Duration::minutes(15);
/// Failures for one e-mail address (whether or not it has an account) before it is refused.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failures from one client before it is refused, whatever addresses it tries.
pub const MAX_FAILURES_PER_CLIENT: i64 = 20;

/// The account behind a session, with its roles read fresh on every request: a revoked role
/// stops working at once.
#[derive(Clone, Debug)]
pub struct SessionUser {
    pub user: User,
    pub roles: Roles,
    fingerprint: Vec<u8>,
}

impl SessionUser {
    /// This person as the author of an audit entry.
    pub fn actor(&self) -> crate::audit::Actor<'_> {
        crate::audit::Actor::User {
            id: self.user.id,
            email: self.user.email.as_str(),
        }
    }
}

impl axum_login::AuthUser for SessionUser {
    type Id = i64;

    fn id(&self) -> i64 {
        self.user.id
    }

    fn session_auth_hash(&self) -> &[u8] {
        &self.fingerprint
    }
}

/// The client as limits and throttling count it, put into each request's extensions: its
/// address, or for IPv6 its /64 network, since one subscriber usually holds a whole /64 and
/// could otherwise take a fresh address for every try.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    pub fn of(ip: IpAddr) -> Self {
        match ip.to_canonical() {
            IpAddr::V6(v6) => {
                let network = u128::from(v6) & !((1u128 << 64) - 1);
                Self(IpAddr::V6(network.into()))
            }
            v4 => Self(v4),
        }
    }
}

/// Marks a response to a signed-in request, for the layers outside the session's that treat a
/// coordinator's forms differently from anyone's.
#[derive(Clone, Copy, Debug)]
pub struct SignedIn;

#[derive(Clone, Debug)]
pub struct Backend {
    db: Db,
    passwords: Passwords,
}

impl Backend {
    pub fn new(db: Db, passwords: Passwords) -> Self {
        Self { db, passwords }
    }
}

pub struct Credentials {
    pub email: Email,
    pub password: String,
}

impl axum_login::AuthnBackend for Backend {
    type User = SessionUser;
    type Credentials = Credentials;
    type Error = db::DbError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<SessionUser>, db::DbError> {
        let user = self.db.user_by_email(&creds.email).await?;
        // An unknown address (or an invitation not yet accepted) costs the same Argon2 work as
        // a known one, so response times do not tell which addresses have accounts.
        let stored = user
            .as_ref()
            .and_then(|u| u.password_hash.clone())
            .unwrap_or_else(|| dummy_hash().to_owned());
        let matches = self.passwords.verify(creds.password, stored).await;
        match user {
            Some(user) if matches && user.password_hash.is_some() => {
                let roles = self.db.roles(user.id).await?;
                Ok(Some(SessionUser::new(user, roles)))
            }
            _ => Ok(None),
        }
    }

    async fn get_user(&self, id: &i64) -> Result<Option<SessionUser>, db::DbError> {
        let Some(user) = self.db.user_by_id(*id).await? else {
            return Ok(None);
        };
        let roles = self.db.roles(user.id).await?;
        Ok(Some(SessionUser::new(user, roles)))
    }
}

impl SessionUser {
    pub fn new(user: User, roles: Roles) -> Self {
        Self {
            fingerprint: user.session_fingerprint(),
            user,
            roles,
        }
    }
}

pub type AuthSession = axum_login::AuthSession<Backend>;

fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        let p = domain::Password::parse("no account has this password").expect("long enough");
        password::hash(&p)
    })
}

/// The session of this request; the server's auth layer always provides one.
pub fn auth_session() -> Result<AuthSession, AppError> {
    use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<AuthSession>().cloned())
        .ok_or_else(|| {
            tracing::error!("no session layer in front of the app");
            AppError::Internal
        })
}

pub fn client_addr() -> String {
    use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<ClientAddr>().copied())
        .map(|a| a.0.to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The longest a sign-in lasts, however busy: past it, the next request is signed out.
pub const SESSION_LIFETIME: Duration = Duration::days(7);
/// Where a session keeps when it was signed in.
const SIGNED_IN_AT: &str = "signed_in_at";

/// A failure of the session store (or of hashing a password): logged, and an internal error.
pub fn internal(e: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %e, "session store");
    AppError::Internal
}

/// Signs `user` in on this session, from now.
pub async fn log_in(auth: &mut AuthSession, user: &SessionUser) -> Result<(), AppError> {
    auth.login(user).await.map_err(internal)?;
    auth.session
        .insert(SIGNED_IN_AT, Utc::now().timestamp())
        .await
        .map_err(internal)
}

/// Whether this signed-in session is past [`SESSION_LIFETIME`] (or from before sign-ins kept
/// their time).
pub async fn expired(auth: &AuthSession) -> bool {
    let since: Option<i64> = auth.session.get(SIGNED_IN_AT).await.ok().flatten();
    since.is_none_or(|t| Utc::now().timestamp() - t > SESSION_LIFETIME.num_seconds())
}

/// The server's Argon2 work, which every hash and verification goes through.
pub fn passwords() -> Result<Passwords, AppError> {
    Ok(auth_session()?.backend.passwords)
}

/// The signed-in user, if any.
pub fn current_user() -> Result<Option<SessionUser>, AppError> {
    Ok(auth_session()?.user)
}

/// The signed-in user, or 401.
pub fn require_user() -> Result<SessionUser, AppError> {
    current_user()?.ok_or(AppError::Unauthorized)
}

/// A network administrator, or 401/403.
pub fn require_admin() -> Result<SessionUser, AppError> {
    let user = require_user()?;
    if user.roles.is_admin() {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Someone who may manage the city `slug`, and the city's id; 401, 404 or 403 otherwise.
pub async fn require_city(db: &Db, slug: &str) -> Result<(SessionUser, i64), AppError> {
    let user = require_user()?;
    let id = db.city_id(slug).await?;
    if user.roles.can_manage_city(id) {
        Ok((user, id))
    } else {
        Err(AppError::Forbidden)
    }
}

/// Someone who may manage the cluster `slug`, and the cluster's id; 401, 404 or 403 otherwise.
pub async fn require_cluster(db: &Db, slug: &str) -> Result<(SessionUser, i64), AppError> {
    let user = require_user()?;
    let id = db.cluster_id(slug).await?;
    if user.roles.can_manage_cluster(id) {
        Ok((user, id))
    } else {
        Err(AppError::Forbidden)
    }
}

/// Forgets `email`'s attempts once its password was right.
pub async fn succeeded(db: &Db, email: &str) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    db::accounts::clear_sign_in_failures(&mut tx, email).await?;
    tx.commit().await?;
    Ok(())
}

/// Counts an attempt at `email`'s password from `client`, then says whether it may be checked:
/// not when this address or this client has failed too often lately. The attempt is written
/// before it is counted, each in its own statement, so parallel guesses cannot all read the
/// count from before any of them: the sixth to be written sees at least six. A success clears
/// the address's attempts ([`succeeded`]).
pub async fn attempt(db: &Db, email: &str, client: &str) -> Result<bool, AppError> {
    let now = Utc::now();
    db.record_sign_in_failure(email, client, now).await?;
    let (per_account, per_client) = db
        .sign_in_failures(email, client, now - THROTTLE_WINDOW)
        .await?;
    Ok(per_account <= MAX_FAILURES_PER_ACCOUNT && per_client <= MAX_FAILURES_PER_CLIENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_client_is_counted_by_its_64_network() {
        let a = ClientAddr::of("2001:db8:1:2:aaaa::1".parse().unwrap());
        let b = ClientAddr::of("2001:db8:1:2:ffff:1:2:3".parse().unwrap());
        let other = ClientAddr::of("2001:db8:1:3::1".parse().unwrap());
        assert_eq!(a, b);
        assert_eq!(a.0.to_string(), "2001:db8:1:2::");
        assert_ne!(a, other);
        let v4: IpAddr = "192.0.2.7".parse().unwrap();
        assert_eq!(ClientAddr::of(v4).0, v4);
        assert_eq!(ClientAddr::of("::ffff:192.0.2.7".parse().unwrap()).0, v4);
    }
}
