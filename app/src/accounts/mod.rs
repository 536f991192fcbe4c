//! Coordinators' accounts: sign-in and sign-out, password reset, invitations, changes of
//! password and e-mail address. Pages are in `pages`; the server functions are here.

mod pages;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod session;

pub use pages::*;

use crate::AppError;
#[cfg(feature = "ssr")]
use crate::{Invalid, Problem};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in person as pages show them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub email: String,
    pub name: String,
    pub admin: bool,
}

#[cfg(feature = "ssr")]
pub(crate) mod ops {
    use super::session::{self, AuthSession, SessionUser};
    use crate::i18n::Locale;
    use crate::mail::Letter;
    use crate::{AppError, Invalid, Problem};
    use chrono::{DateTime, Duration, Utc};
    use db::accounts::TokenPurpose;
    use db::{Db, Tx};
    use domain::{Email, ParseError, Password};
    use leptos_i18n::Locale as _;

    pub const RESET_VALID: Duration = Duration::hours(1);
    pub const MAX_RESETS_PER_HOUR: i64 = 3;
    pub const INVITATION_VALID: Duration = Duration::days(7);
    pub const EMAIL_CHANGE_VALID: Duration = Duration::hours(24);

    pub fn internal(e: impl std::fmt::Display) -> AppError {
        tracing::error!(error = %e, "session store");
        AppError::Internal
    }

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
        if !session::attempt(&db, &me.user.email, &client_addr()).await? {
            return Err(AppError::TooManyRequests);
        }
        let stored = me.user.password_hash.clone().unwrap_or_default();
        let ok = session::passwords()?.verify(given, stored).await;
        if ok {
            session::succeeded(&db, &me.user.email).await?;
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
}

/// Issues an invitation link (voiding any earlier one) and writes the mail in `tx`.
#[cfg(feature = "ssr")]
pub(crate) async fn send_invitation(
    tx: &mut db::Tx,
    site: &crate::SiteInfo,
    admin: &session::SessionUser,
    user_id: i64,
    email: &domain::Email,
    name: &str,
    locale: &str,
) -> Result<(), AppError> {
    use ops::*;
    let locale = crate::locale_of(locale);
    let now = chrono::Utc::now();
    let token = db::accounts::issue_token(
        tx,
        user_id,
        db::accounts::TokenPurpose::Invite,
        None,
        now,
        now + INVITATION_VALID,
    )
    .await?;
    let inviter = if admin.user.name.trim().is_empty() {
        admin.user.email.clone()
    } else {
        admin.user.name.clone()
    };
    let letter = crate::mail::Letter {
        locale,
        subject: leptos_i18n::td_string!(locale, mail_invite_subject).to_string(),
        greeting: greeting(locale, name),
        paragraphs: vec![
            leptos_i18n::td_string!(locale, mail_invite_body, inviter = inviter).to_string(),
        ],
        action: Some((
            leptos_i18n::td_string!(locale, mail_invite_action).to_string(),
            link(site, locale, "account/invitation", &token.secret),
        )),
        note: Some(expires(locale, now + INVITATION_VALID)),
        attachments: Vec::new(),
    };
    crate::mail::enqueue(tx, &site.mail_from, email, name, letter).await
}

#[server(endpoint = "me")]
pub async fn current_user() -> Result<Option<Me>, AppError> {
    crate::respond(session::current_user().map(|user| {
        user.map(|u| Me {
            admin: u.roles.is_admin(),
            email: u.user.email,
            name: u.user.name,
        })
    }))
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(lang: String, email: String, password: String) -> Result<(), AppError> {
    use ops::*;
    crate::respond(
        async {
            let mut invalid = Invalid::default();
            invalid.keep("email", &email);
            let address = domain::Email::parse(&email)
                .map_err(|_| invalid.add("email", Problem::Email))
                .ok();
            if password.is_empty() {
                invalid.add("password", Problem::Required);
            }
            let Some(address) = address else {
                return Err(AppError::Invalid(invalid));
            };
            invalid.clone().into_result()?;
            let db = crate::db()?;
            if !attempt(&db, address.as_str(), &client_addr()).await? {
                return Err(AppError::TooManyRequests);
            }
            let mut auth = auth_session()?;
            let user = auth
                .authenticate(Credentials {
                    email: address.clone(),
                    password,
                })
                .await
                .map_err(internal)?;
            let Some(user) = user else {
                invalid.add(Invalid::FORM, Problem::Credentials);
                return Err(AppError::Invalid(invalid));
            };
            session::succeeded(&db, address.as_str()).await?;
            session::log_in(&mut auth, &user).await?;
            crate::redirect_to(&lang, "coordinate");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "sign_out")]
pub async fn sign_out(lang: String) -> Result<(), AppError> {
    use ops::*;
    crate::respond(
        async {
            let mut auth = auth_session()?;
            auth.logout().await.map_err(internal)?;
            crate::redirect_to(&lang, "account/sign-in?done=signed-out");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "request_reset")]
pub async fn request_reset(lang: String, email: String) -> Result<(), AppError> {
    use ops::*;
    crate::respond(
        async {
            let Ok(address) = domain::Email::parse(&email) else {
                let mut invalid = Invalid::default();
                invalid.keep("email", &email);
                invalid.add("email", Problem::Email);
                return Err(AppError::Invalid(invalid));
            };
            let (db, site) = (crate::db()?, crate::site()?);
            // The answer must not depend on whether the address has an account, in words or
            // in time: the lookup and the mail happen after the response.
            tokio::spawn(async move {
                if let Err(e) = send_reset(db, site, address).await {
                    tracing::error!(error = %e, "cannot send a reset link");
                }
            });
            crate::redirect_to(&lang, "account/reset?sent=1");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "reset_password")]
pub async fn reset_password(
    lang: String,
    token: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::audit::{record, Action, Actor, Scope, Target};
    use ops::*;
    crate::respond(
        async {
            let mut invalid = Invalid::default();
            let new = new_password(&mut invalid, &password, &confirm);
            invalid.into_result()?;
            let db = crate::db()?;
            usable(&db, &token, db::accounts::TokenPurpose::Reset).await?;
            let hash = hash(new.ok_or(AppError::Internal)?).await?;
            let mut tx = db.begin_write().await?;
            let redeemed = redeem(&mut tx, &token, db::accounts::TokenPurpose::Reset).await?;
            let now = chrono::Utc::now();
            db::accounts::set_password(&mut tx, redeemed.user_id, &hash, now).await?;
            let target = Target::new(redeemed.user_id, Scope::NETWORK);
            record(
                &mut tx,
                Actor::Link,
                Action::UserPasswordReset,
                target,
                None,
                None,
                now,
            )
            .await?;
            tx.commit().await?;
            crate::redirect_to(&lang, "account/sign-in?done=reset");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "accept_invitation")]
pub async fn accept_invitation(
    lang: String,
    token: String,
    name: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::audit::{record, Action, Actor, Scope, Target};
    use ops::*;
    crate::respond(
        async {
            let mut invalid = Invalid::default();
            invalid.keep("name", &name);
            let name = account_name(&mut invalid, &name, true);
            let new = new_password(&mut invalid, &password, &confirm);
            invalid.into_result()?;
            let db = crate::db()?;
            usable(&db, &token, db::accounts::TokenPurpose::Invite).await?;
            let hash = hash(new.ok_or(AppError::Internal)?).await?;
            let mut tx = db.begin_write().await?;
            let redeemed = redeem(&mut tx, &token, db::accounts::TokenPurpose::Invite).await?;
            let now = chrono::Utc::now();
            db::accounts::set_password(&mut tx, redeemed.user_id, &hash, now).await?;
            db::accounts::set_name(&mut tx, redeemed.user_id, &name, now).await?;
            record(
                &mut tx,
                Actor::Link,
                Action::UserAcceptInvitation,
                Target::new(redeemed.user_id, Scope::NETWORK),
                None,
                Some(serde_json::json!({ "name": name })),
                now,
            )
            .await?;
            tx.commit().await?;
            let mut auth = auth_session()?;
            sign_in_as(&mut auth, redeemed.user_id).await?;
            crate::redirect_to(&lang, "coordinate");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "change_password")]
pub async fn change_password(
    lang: String,
    current: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::audit::{record, Action, Scope, Target};
    use ops::*;
    crate::respond(
        async {
            let me = require_user()?;
            let mut invalid = Invalid::default();
            let new = new_password(&mut invalid, &password, &confirm);
            if !current_password(&me, current).await? {
                invalid.add("current", Problem::CurrentPassword);
            }
            invalid.into_result()?;
            let hash = hash(new.ok_or(AppError::Internal)?).await?;
            let db = crate::db()?;
            let now = chrono::Utc::now();
            let mut tx = db.begin_write().await?;
            db::accounts::set_password(&mut tx, me.user.id, &hash, now).await?;
            let target = Target::new(me.user.id, Scope::NETWORK);
            let change = Action::UserPasswordChange;
            record(&mut tx, me.actor(), change, target, None, None, now).await?;
            tx.commit().await?;
            // Other sessions of this account end (their fingerprint no longer matches); this
            // one continues under the new one.
            let mut auth = auth_session()?;
            sign_in_as(&mut auth, me.user.id).await?;
            crate::redirect_to(&lang, "account?done=password");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "change_email")]
pub async fn change_email(lang: String, current: String, email: String) -> Result<(), AppError> {
    use ops::*;
    crate::respond(
        async {
            let me = require_user()?;
            let mut invalid = Invalid::default();
            invalid.keep("email", &email);
            let address = domain::Email::parse(&email)
                .map_err(|_| invalid.add("email", Problem::Email))
                .ok();
            if !current_password(&me, current).await? {
                invalid.add("current", Problem::CurrentPassword);
            }
            invalid.into_result()?;
            let address = address.ok_or(AppError::Internal)?;
            let (db, site) = (crate::db()?, crate::site()?);
            let locale = crate::locale_of(&me.user.locale);
            let now = chrono::Utc::now();
            let mut tx = db.begin_write().await?;
            let token = db::accounts::issue_token(
                &mut tx,
                me.user.id,
                db::accounts::TokenPurpose::Email,
                Some(&address),
                now,
                now + EMAIL_CHANGE_VALID,
            )
            .await?;
            let letter = crate::mail::Letter {
                locale,
                subject: leptos_i18n::td_string!(locale, mail_email_subject).to_string(),
                greeting: greeting(locale, &me.user.name),
                paragraphs: vec![leptos_i18n::td_string!(locale, mail_email_body).to_string()],
                action: Some((
                    leptos_i18n::td_string!(locale, mail_email_action).to_string(),
                    link(&site, locale, "account/email", &token.secret),
                )),
                note: Some(format!(
                    "{} {}",
                    expires(locale, now + EMAIL_CHANGE_VALID),
                    leptos_i18n::td_string!(locale, mail_ignore)
                )),
                attachments: Vec::new(),
            };
            // The link goes to the new address: following it proves the person reads it.
            crate::mail::enqueue(&mut tx, &site.mail_from, &address, &me.user.name, letter).await?;
            tx.commit().await?;
            crate::redirect_to(&lang, "account?done=email-sent");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "confirm_email")]
pub async fn confirm_email(lang: String, token: String) -> Result<(), AppError> {
    use crate::audit::{record, Action, Actor, Scope, Target};
    use ops::*;
    crate::respond(
        async {
            let db = crate::db()?;
            let now = chrono::Utc::now();
            let mut tx = db.begin_write().await?;
            let redeemed = redeem(&mut tx, &token, db::accounts::TokenPurpose::Email).await?;
            let new = redeemed
                .new_email
                .as_deref()
                .and_then(|e| domain::Email::parse(e).ok())
                .ok_or_else(|| Invalid::only(Invalid::FORM, Problem::Link))?;
            let before = db
                .user_by_id(redeemed.user_id)
                .await?
                .ok_or(AppError::NotFound)?;
            match db::accounts::set_email(&mut tx, redeemed.user_id, &new, now).await {
                Err(db::DbError::Conflict { .. }) => {
                    return Err(Invalid::only(Invalid::FORM, Problem::EmailTaken));
                }
                other => other?,
            }
            record(
                &mut tx,
                Actor::Link,
                Action::UserEmailChange,
                Target::new(redeemed.user_id, Scope::NETWORK),
                Some(serde_json::json!({ "email": before.email })),
                Some(serde_json::json!({ "email": new.as_str() })),
                now,
            )
            .await?;
            tx.commit().await?;
            crate::redirect_to(&lang, "account/sign-in?done=email");
            Ok(())
        }
        .await,
    )
}

/// Whether a one-time link can still be used, to show its form or say it cannot.
#[server(endpoint = "link_valid")]
pub async fn link_valid(token: String, purpose: String) -> Result<bool, AppError> {
    use db::accounts::TokenPurpose;
    let purpose = match purpose.as_str() {
        "invite" => TokenPurpose::Invite,
        "reset" => TokenPurpose::Reset,
        "email" => TokenPurpose::Email,
        _ => return Err(AppError::NotFound),
    };
    Ok(crate::db()?
        .peek_token(&token, purpose, chrono::Utc::now())
        .await?
        .is_some())
}
