//! The server side of registering: the rules, the personal link, cancelling, and the mail
//! they send, reminders included. What pages read is in `read`, calendar entries in `ics`.

use super::read::*;
use super::Registration;
use crate::accounts::ops::{greeting, link};
use crate::forms::input::{email_field, name_field, optional_text};
use crate::mail::Letter;
pub use crate::markdown::{plain_text, render_markdown};
use crate::{AppError, Invalid, Problem};
use chrono::Utc;
use db::meetings::{self, Registered, RegistrationRow};
use db::Db;
use domain::{Email, RegistrationStatus, RegistrationView, RegistrationWindow};
use leptos_i18n::Locale as _;

mod letters;

pub use letters::*;

/// Renders the descriptions of meetings saved before descriptions were rendered at saving
/// (and of demo and seed data), so that no page has to: run at start.
pub async fn render_descriptions(db: &Db) -> Result<usize, AppError> {
    let mut done = 0;
    loop {
        let batch = db.unrendered_descriptions(200).await?;
        if batch.is_empty() {
            return Ok(done);
        }
        let mut tx = db.begin_write().await?;
        for (id, description) in &batch {
            let html = render_markdown(description);
            let text = plain_text(description);
            meetings::set_rendered_description(&mut tx, *id, &html, &text).await?;
        }
        tx.commit().await?;
        done += batch.len();
    }
}

pub struct Form {
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub needs: String,
    pub consent: bool,
    pub honeypot: String,
}

pub const MAX_ORGANISATION: usize = 200;
pub const MAX_NEEDS: usize = 1000;

/// The form's fields once checked: `None` where a field was refused.
struct Checked {
    name: Option<domain::Name>,
    email: Option<Email>,
    organisation: String,
    needs: String,
}

/// Checks every field of the form, noting each problem (and keeping what was typed).
fn check(invalid: &mut Invalid, form: &Form) -> Checked {
    invalid.keep("name", &form.name);
    invalid.keep("email", &form.email);
    invalid.keep("organisation", &form.organisation);
    invalid.keep("needs", &form.needs);
    // A ticked box comes back ticked whatever else was refused.
    invalid.keep("consent", if form.consent { "yes" } else { "" });
    let checked = Checked {
        name: name_field(invalid, "name", &form.name),
        email: email_field(invalid, "email", &form.email),
        organisation: optional_text(
            invalid,
            "organisation",
            &form.organisation,
            MAX_ORGANISATION,
        ),
        needs: optional_text(invalid, "needs", &form.needs, MAX_NEEDS),
    };
    if !form.consent {
        invalid.add("consent", Problem::Consent);
    }
    checked
}

pub async fn register(
    lang: &str,
    occurrence_id: i64,
    form: Form,
) -> Result<Registration, AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let locale = crate::locale_of(lang);
    let mut invalid = Invalid::default();
    let checked = check(&mut invalid, &form);
    let occurrence = db.occurrence(occurrence_id).await?;
    let m = db.meeting(occurrence.meeting_id).await?;
    let now = Utc::now();
    if !matches!(
        window(&m, &occurrence, now.timestamp()),
        RegistrationWindow::Open | RegistrationWindow::Waitlist
    ) {
        invalid.add(Invalid::FORM, Problem::RegistrationClosed);
    }
    invalid.clone().into_result()?;
    let (Some(name), Some(email)) = (checked.name, checked.email) else {
        return Err(AppError::Invalid(invalid));
    };
    // A bot that filled in the hidden field is told what a person would be told, and nothing
    // is stored or sent.
    if !form.honeypot.trim().is_empty() {
        crate::redirect_to(lang, &format!("meetings/{occurrence_id}?done=check-mail"));
        return Ok(Registration::CheckMail);
    }
    let key = crate::link_key()?;
    let fresh = key.fresh();
    let mut tx = db.begin_write().await?;
    let registered = meetings::register(
        &mut tx,
        &meetings::NewRegistration {
            occurrence_id,
            email: email.as_str(),
            name: name.as_str(),
            organisation: &checked.organisation,
            needs: &checked.needs,
            locale: locale.as_str(),
            link: &fresh,
        },
        now.timestamp(),
    )
    .await?;
    let summary = summary(locale, occurrence);
    let outcome = match registered {
        Registered::Created(_) => {
            let personal = link(&site, locale, "registration", &fresh.token.secret);
            let letter = check_mail_letter(locale, name.as_str(), &summary, personal);
            crate::mail::enqueue(&mut tx, &site.mail_from, &email, name.as_str(), letter).await?;
            Registration::CheckMail
        }
        // Whoever typed this address, its owner gets the link they already have (it keeps
        // working), greeted by the name they registered under.
        Registered::Existing(id, status, stored_name) => {
            let token = meetings::personal_link(&mut tx, id, &key).await?;
            let personal = link(&site, locale, "registration", &token.secret);
            let letter = again_letter(locale, &stored_name, status, &summary, personal);
            crate::mail::enqueue(&mut tx, &site.mail_from, &email, &stored_name, letter).await?;
            Registration::Already
        }
    };
    tx.commit().await?;
    let done = match outcome {
        Registration::CheckMail => "check-mail",
        Registration::Already => "already",
    };
    crate::redirect_to(lang, &format!("meetings/{occurrence_id}?done={done}"));
    Ok(outcome)
}

/// The registration a personal link opens; an unknown one is a link that no longer works.
async fn registration_of(db: &Db, token: &str) -> Result<RegistrationRow, AppError> {
    db.registration_by_token(&db::accounts::OneTimeToken::hash_of(token))
        .await
        .map_err(crate::error::link_gone)
}

pub async fn registration(lang: &str, token: &str) -> Result<RegistrationView, AppError> {
    let db = crate::db()?;
    let locale = crate::locale_of(lang);
    let row = registration_of(&db, token).await?;
    let occurrence = db.occurrence(row.occurrence_id).await?;
    let m = db.meeting(occurrence.meeting_id).await?;
    let status = row.status;
    let position = match status {
        RegistrationStatus::Waiting => Some(db.waitlist_position(row.id).await?),
        _ => None,
    };
    let online_link = match status {
        RegistrationStatus::Confirmed if !occurrence.cancelled => {
            db.online_link(occurrence.id).await?
        }
        _ => None,
    };
    Ok(RegistrationView {
        meeting: summary(locale, occurrence),
        name: row.name,
        email: row.email,
        organisation: row.organisation,
        status,
        position,
        online_link,
        address: m.address,
    })
}

pub async fn confirm(lang: &str, token: &str) -> Result<(), AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let hash = db::accounts::OneTimeToken::hash_of(token);
    let existing = db
        .registration_by_token(&hash)
        .await
        .map_err(crate::error::link_gone)?;
    let occurrence = db.occurrence(existing.occurrence_id).await?;
    let m = db.meeting(occurrence.meeting_id).await?;
    let now = Utc::now().timestamp();
    if existing.status == RegistrationStatus::Pending
        && !matches!(
            window(&m, &occurrence, now),
            RegistrationWindow::Open | RegistrationWindow::Waitlist
        )
    {
        return Err(Invalid::only(Invalid::FORM, Problem::RegistrationClosed));
    }
    // Everything the letters need is read before the write transaction: on SQLite a read
    // through the pool while holding the write lock can wait for a connection that every
    // queued writer holds.
    let online = db.online_link(occurrence.id).await?;
    let meeting = (&m, &occurrence, online.as_deref());
    let mut tx = db.begin_write().await?;
    // What the page then says: a seat, or a place on the waiting list (a full meeting, or
    // a second click on the link of someone already waiting).
    let mut placed = existing.status;
    if let Some((row, status)) = meetings::confirm(&mut tx, &hash, now).await? {
        placed = status;
        let letter = placed_letter(&site, meeting, &row, status, token, Placement::Confirmed);
        let email = Email::parse(&row.email).map_err(|_| AppError::Internal)?;
        crate::mail::enqueue(&mut tx, &site.mail_from, &email, &row.name, letter).await?;
    }
    tx.commit().await?;
    let done = if placed == RegistrationStatus::Waiting {
        "waiting"
    } else {
        "confirmed"
    };
    crate::redirect_to(
        lang,
        &format!("registration?token={}&done={done}", token.trim()),
    );
    Ok(())
}

pub async fn cancel(lang: &str, token: &str) -> Result<(), AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let row = registration_of(&db, token).await?;
    let now = Utc::now().timestamp();
    let occurrence = db.occurrence(row.occurrence_id).await?;
    let m = db.meeting(occurrence.meeting_id).await?;
    let online = db.online_link(occurrence.id).await?;
    let meeting = (&m, &occurrence, online.as_deref());
    let mut tx = db.begin_write().await?;
    if let Some(cancelled) = meetings::cancel(&mut tx, row.id, now).await? {
        let email = Email::parse(&cancelled.row.email).map_err(|_| AppError::Internal)?;
        let letter = cancelled_letter(&site, (&m, &occurrence), &cancelled.row, &email);
        crate::mail::enqueue(
            &mut tx,
            &site.mail_from,
            &email,
            &cancelled.row.name,
            letter,
        )
        .await?;
        if let Some(promoted) = cancelled.promoted {
            let fresh = meetings::personal_link(&mut tx, promoted.id, &crate::link_key()?).await?;
            let letter = placed_letter(
                &site,
                meeting,
                &promoted,
                RegistrationStatus::Confirmed,
                &fresh.secret,
                Placement::Promoted,
            );
            let email = Email::parse(&promoted.email).map_err(|_| AppError::Internal)?;
            crate::mail::enqueue(&mut tx, &site.mail_from, &email, &promoted.name, letter).await?;
        }
    }
    tx.commit().await?;
    crate::redirect_to(
        lang,
        &format!("registration?token={}&done=cancelled", token.trim()),
    );
    Ok(())
}

/// A new personal link for the registration behind `token`, mailed to its address only: whoever
/// holds the old link (the reason to replace it) does not learn the new one.
pub async fn replace_link(lang: &str, token: &str) -> Result<(), AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let row = registration_of(&db, token).await?;
    let occurrence = db.occurrence(row.occurrence_id).await?;
    let locale = crate::locale_of(&row.locale);
    let s = summary(locale, occurrence);
    let mut tx = db.begin_write().await?;
    let fresh = meetings::replace_link(&mut tx, row.id, &crate::link_key()?).await?;
    let letter = Letter {
        locale,
        subject: leptos_i18n::td_string!(locale, mail_new_link_subject, title = s.title.clone())
            .to_string(),
        greeting: greeting(locale, &row.name),
        paragraphs: vec![leptos_i18n::td_string!(locale, mail_new_link_body).to_string()],
        action: Some((
            leptos_i18n::td_string!(locale, mail_personal_action).to_string(),
            link(&site, locale, "registration", &fresh.secret),
        )),
        note: None,
        attachments: Vec::new(),
    };
    let email = Email::parse(&row.email).map_err(|_| AppError::Internal)?;
    crate::mail::enqueue(&mut tx, &site.mail_from, &email, &row.name, letter).await?;
    tx.commit().await?;
    crate::redirect_to(
        lang,
        &format!("meetings/{}?done=link-replaced", row.occurrence_id),
    );
    Ok(())
}

/// Sends the reminders that are due, each once even with several instances running. When the
/// server was down and several of one occurrence's reminders fell due together, only the last
/// one goes out.
pub async fn send_due_reminders(db: &Db, site: &crate::SiteInfo) -> Result<usize, AppError> {
    let now = Utc::now().timestamp();
    let week = 7 * 24 * 3600;
    let mut sent = 0;
    for (occurrence_id, starts_at, reminders, done) in db.upcoming_for_reminders(now, week).await? {
        let done = meetings::parse_minutes(&done);
        let due: Vec<i32> = meetings::parse_minutes(&reminders)
            .into_iter()
            .filter(|m| *m > 0 && starts_at - i64::from(*m) * 60 <= now && !done.contains(m))
            .collect();
        if due.is_empty() {
            continue;
        }
        let occurrence = db.occurrence(occurrence_id).await?;
        let online = db.online_link(occurrence_id).await?;
        let mut tx = db.begin_write().await?;
        let mut first = true;
        for minutes in &due {
            if !meetings::mark_reminder(&mut tx, occurrence_id, *minutes, now).await? {
                first = false;
            }
        }
        if !first {
            // Another instance got here first.
            continue;
        }
        for person in meetings::confirmed(&mut tx, occurrence_id).await? {
            let locale = crate::locale_of(&person.locale);
            let s = summary(locale, occurrence.clone());
            let Ok(email) = Email::parse(&person.email) else {
                continue;
            };
            let mut paragraphs = vec![leptos_i18n::td_string!(
                locale,
                mail_reminder_body,
                title = s.title.clone(),
                when = when(&s)
            )
            .to_string()];
            if let Some(url) = &online {
                paragraphs.push(
                    leptos_i18n::td_string!(locale, mail_online_link, url = url.clone())
                        .to_string(),
                );
            }
            let letter = Letter {
                locale,
                subject: leptos_i18n::td_string!(
                    locale,
                    mail_reminder_subject,
                    title = s.title.clone()
                )
                .to_string(),
                greeting: greeting(locale, &person.name),
                paragraphs,
                action: Some((
                    leptos_i18n::td_string!(locale, mail_meeting_action).to_string(),
                    meeting_url(site, locale, occurrence_id),
                )),
                note: Some(leptos_i18n::td_string!(locale, mail_reminder_note).to_string()),
                attachments: Vec::new(),
            };
            crate::mail::enqueue(&mut tx, &site.mail_from, &email, &person.name, letter).await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}
