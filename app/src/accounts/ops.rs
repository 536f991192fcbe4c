//! The server side of accounts: password hashing for requests, the links mailed to people and
//! their mail.

pub use super::session::internal;
use super::session::{self, AuthSession, SessionUser};
use crate::i18n::Locale;
use crate::mail::Letter;
use crate::{AppError, Invalid, Problem};
use chrono::{DateTime, Duration, Utc};
use db::{Db, Tx};
use domain::TokenPurpose;
use domain::{Email, ParseError, Password};
use leptos_i18n::Locale as _;

pub const RESET_VALID: Duration = Duration::hours(1);
pub const MAX_RESETS_PER_HOUR: i64 = 3;
pub const INVITATION_VALID: Duration = Duration::days(7);
pub const EMAIL_CHANGE_VALID: Duration = Duration::hours(24);

pub fn password_problem(e: ParseError) -> Problem {
    match e {
        ParseError::Empty => Problem::Required,
        ParseError::TooLong => Problem::PasswordTooLong,
        _ => Problem::PasswordTooShort,
    }
}

/// The most characters of a name on an account.
pub const MAX_NAME: usize = 100;

/// A person's name on their account, trimmed: what [`domain::Name`] admits (no control
/// characters), up to [`MAX_NAME`] characters; an empty one is a problem only when
/// `required`. Problems are noted under `name`.
pub fn account_name(invalid: &mut Invalid, raw: &str, required: bool) -> String {
    let name = raw.trim();
    match domain::Name::parse(name) {
        Err(ParseError::Empty) if !required => {}
        Err(e) => invalid.add("name", crate::forms::problem_of(e)),
        Ok(_) if name.chars().count() > MAX_NAME => invalid.add("name", Problem::TooLong),
        Ok(_) => {}
    }
    name.to_owned()
}

/// Checks a new password and its repetition, noting problems under `password`/`confirm`.
pub fn new_password(invalid: &mut Invalid, password: &str, confirm: &str) -> Option<Password> {
    let parsed = Password::parse(password)
        .map_err(|e| invalid.add("password", password_problem(e)))
        .ok();
    if parsed.is_some() && password != confirm {
        invalid.add("confirm", Problem::PasswordsDiffer);
    }
    parsed
}

pub async fn hash(password: Password) -> Result<String, AppError> {
    session::passwords()?
        .hash(password)
        .await
        .ok_or_else(|| internal("the password could not be hashed"))
}

/// Whether `given` is the signed-in person's password. Guesses count as sign-in attempts
/// on their address, so a left-open session cannot be used to try passwords faster than
/// the sign-in form allows.
pub async fn current_password(me: &SessionUser, given: String) -> Result<bool, AppError> {
    let db = crate::db()?;
    if !session::attempt(&db, me.user.email.as_str(), &client_addr()).await? {
        return Err(AppError::TooManyRequests);
    }
    let stored = me.user.password_hash.clone().unwrap_or_default();
    let ok = session::passwords()?.verify(given, stored).await;
    if ok {
        session::succeeded(&db, me.user.email.as_str()).await?;
    }
    Ok(ok)
}

/// Refuses a link of `purpose` that cannot be used before any work is spent on the form
/// that came with it (a new password costs an Argon2 hash).
pub async fn usable(db: &Db, token: &str, purpose: TokenPurpose) -> Result<(), AppError> {
    match db.peek_token(token, purpose, Utc::now()).await? {
        Some(_) => Ok(()),
        None => Err(Invalid::only(Invalid::FORM, Problem::Link)),
    }
}

/// A link into the site for a mail, absolute, in the recipient's language.
pub fn link(site: &crate::SiteInfo, locale: Locale, path: &str, token: &str) -> String {
    format!(
        "{}/{}/{path}?token={token}",
        site.public_url,
        locale.as_str()
    )
}

pub fn expires(locale: Locale, at: DateTime<Utc>) -> String {
    let at = at.format("%Y-%m-%d %H:%M UTC").to_string();
    leptos_i18n::td_string!(locale, mail_expires, at = at).to_string()
}

/// Sends the reset link if the address has an account. Runs detached from the request so
/// that the response takes the same time either way.
pub async fn send_reset(db: Db, site: crate::SiteInfo, email: Email) -> Result<(), AppError> {
    let Some(user) = db.user_by_email(&email).await? else {
        return Ok(());
    };
    let locale = crate::locale_of(&user.locale);
    let now = Utc::now();
    // Anyone may ask for a link for any address: a few per hour reach the inbox, the rest
    // are dropped silently (the answer must not differ).
    let recent = db
        .tokens_issued_since(user.id, TokenPurpose::Reset, now - Duration::hours(1))
        .await?;
    if recent >= MAX_RESETS_PER_HOUR {
        tracing::info!(user = user.id, "reset link not sent: too many this hour");
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    let token = db::accounts::issue_token(
        &mut tx,
        user.id,
        TokenPurpose::Reset,
        None,
        now,
        now + RESET_VALID,
    )
    .await?;
    let letter = Letter {
        locale,
        subject: leptos_i18n::td_string!(locale, mail_reset_subject).to_string(),
        greeting: greeting(locale, &user.name),
        paragraphs: vec![leptos_i18n::td_string!(locale, mail_reset_body).to_string()],
        action: Some((
            leptos_i18n::td_string!(locale, mail_reset_action).to_string(),
            link(&site, locale, "account/new-password", &token.secret),
        )),
        note: Some(format!(
            "{} {}",
            expires(locale, now + RESET_VALID),
            leptos_i18n::td_string!(locale, mail_ignore)
        )),
        attachments: Vec::new(),
    };
    crate::mail::enqueue(&mut tx, &site.mail_from, &email, &user.name, letter).await?;
    tx.commit().await?;
    Ok(())
}

pub fn greeting(locale: Locale, name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        leptos_i18n::td_string!(locale, mail_greeting_anonymous).to_string()
    } else {
        leptos_i18n::td_string!(locale, mail_greeting, name = name).to_string()
    }
}

/// Signs `user_id` in afresh (after a password was set, the old session hash is stale).
pub async fn sign_in_as(auth: &mut AuthSession, user_id: i64) -> Result<(), AppError> {
    use axum_login::AuthnBackend;
    let user = auth
        .backend
        .get_user(&user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    session::log_in(auth, &user).await
}

/// Redeems a link of `purpose` inside `tx`, or reports it as unusable on the form.
pub async fn redeem(
    tx: &mut Tx,
    token: &str,
    purpose: TokenPurpose,
) -> Result<db::accounts::RedeemedToken, AppError> {
    db::accounts::redeem_token(tx, token, purpose, Utc::now())
        .await?
        .ok_or_else(|| Invalid::only(Invalid::FORM, Problem::Link))
}

pub use session::{attempt, auth_session, client_addr, require_user, Credentials};
