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
pub use domain::TokenPurpose;
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
pub(crate) mod ops;

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
        TokenPurpose::Invite,
        None,
        now,
        now + INVITATION_VALID,
    )
    .await?;
    let inviter = if admin.user.name.trim().is_empty() {
        admin.user.email.to_string()
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
    session::current_user().map(|user| {
        user.map(|u| Me {
            admin: u.roles.is_admin(),
            email: u.user.email.into(),
            name: u.user.name,
        })
    })
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(lang: String, email: String, password: String) -> Result<(), AppError> {
    use ops::*;
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

#[server(endpoint = "sign_out")]
pub async fn sign_out(lang: String) -> Result<(), AppError> {
    use ops::*;
    let mut auth = auth_session()?;
    auth.logout().await.map_err(internal)?;
    crate::redirect_to(&lang, "account/sign-in?done=signed-out");
    Ok(())
}

#[server(endpoint = "request_reset")]
pub async fn request_reset(lang: String, email: String) -> Result<(), AppError> {
    use ops::*;
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

#[server(endpoint = "reset_password")]
pub async fn reset_password(
    lang: String,
    token: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::audit::{record, Action, Actor, Scope, Target};
    use ops::*;
    let mut invalid = Invalid::default();
    let new = new_password(&mut invalid, &password, &confirm);
    invalid.into_result()?;
    let db = crate::db()?;
    usable(&db, &token, TokenPurpose::Reset).await?;
    let hash = hash(new.ok_or(AppError::Internal)?).await?;
    let mut tx = db.begin_write().await?;
    let redeemed = redeem(&mut tx, &token, TokenPurpose::Reset).await?;
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
    let mut invalid = Invalid::default();
    invalid.keep("name", &name);
    let name = account_name(&mut invalid, &name, true);
    let new = new_password(&mut invalid, &password, &confirm);
    invalid.into_result()?;
    let db = crate::db()?;
    usable(&db, &token, TokenPurpose::Invite).await?;
    let hash = hash(new.ok_or(AppError::Internal)?).await?;
    let mut tx = db.begin_write().await?;
    let redeemed = redeem(&mut tx, &token, TokenPurpose::Invite).await?;
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

#[server(endpoint = "change_password")]
pub async fn change_password(
    lang: String,
    current: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::audit::{record, Action, Scope, Target};
    use ops::*;
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

#[server(endpoint = "change_email")]
pub async fn change_email(lang: String, current: String, email: String) -> Result<(), AppError> {
    use ops::*;
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
        TokenPurpose::Email,
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

#[server(endpoint = "confirm_email")]
pub async fn confirm_email(lang: String, token: String) -> Result<(), AppError> {
    use crate::audit::{record, Action, Actor, Scope, Target};
    use ops::*;
    let db = crate::db()?;
    let now = chrono::Utc::now();
    let mut tx = db.begin_write().await?;
    let redeemed = redeem(&mut tx, &token, TokenPurpose::Email).await?;
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
        Err(db::DbError::Conflict {
            constraint: Some(db::Constraint::UserEmail),
            ..
        }) => {
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

/// Whether a one-time link can still be used, to show its form or say it cannot.
#[server(endpoint = "link_valid")]
pub async fn link_valid(token: String, purpose: TokenPurpose) -> Result<bool, AppError> {
    Ok(crate::db()?
        .peek_token(&token, purpose, chrono::Utc::now())
        .await?
        .is_some())
}
