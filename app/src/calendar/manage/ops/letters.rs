//! The letters that tell registrants what changed.

use super::*;

/// What happened to a date, for the letter that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Change {
    Moved,
    Cancelled,
    Reinstated,
}

/// Tells everyone registered for a date what changed; people with a seat get the updated
/// calendar entry (same UID, higher SEQUENCE) so that their calendar program replaces it.
pub(super) async fn tell_everyone(
    tx: &mut Tx,
    site: &SiteInfo,
    occurrence_id: i64,
    change: Change,
) -> Result<(), AppError> {
    let o = meetings::occurrence_in(tx, occurrence_id).await?;
    let m = meetings::meeting_in(tx, o.meeting_id).await?;
    let online = meetings::online_link_in(tx, m.id).await?;
    let key = crate::link_key()?;
    for person in meetings::live_registrants(tx, occurrence_id).await? {
        let fresh = meetings::personal_link(tx, person.id, &key).await?;
        let letter = change_letter(
            site,
            (&m, &o, online.as_deref()),
            &person,
            &fresh.secret,
            change,
            true,
        );
        send(tx, site, &person, letter).await?;
    }
    Ok(())
}

pub(super) async fn send(
    tx: &mut Tx,
    site: &SiteInfo,
    person: &RegistrationRow,
    letter: Letter,
) -> Result<(), AppError> {
    // Addresses were parsed when people registered; one that no longer parses is skipped
    // rather than failing the coordinator's change.
    let Ok(email) = Email::parse(&person.email) else {
        return Ok(());
    };
    crate::mail::enqueue(tx, &site.mail_from, &email, &person.name, letter).await
}

pub(super) fn change_letter(
    site: &SiteInfo,
    (m, o, online): (&MeetingRow, &OccurrenceRow, Option<&str>),
    person: &RegistrationRow,
    secret: &str,
    change: Change,
    with_action: bool,
) -> Letter {
    let locale = crate::locale_of(&person.locale);
    let s = summary(locale, o.clone());
    let title = s.title.clone();
    let seat = person.status == RegistrationStatus::Confirmed;
    let personal = link(site, locale, "registration", secret);
    let mut paragraphs = vec![match change {
        Change::Moved => leptos_i18n::td_string!(
            locale,
            mail_changed_body,
            title = title.clone(),
            when = when(&s)
        )
        .to_string(),
        Change::Cancelled => leptos_i18n::td_string!(
            locale,
            mail_cancelled_body,
            title = title.clone(),
            when = when(&s)
        )
        .to_string(),
        Change::Reinstated => leptos_i18n::td_string!(
            locale,
            mail_reinstated_body,
            title = title.clone(),
            when = when(&s)
        )
        .to_string(),
    }];
    let mut attachments = Vec::new();
    if seat {
        if change != Change::Cancelled {
            if let Some(url) = online {
                paragraphs.push(
                    leptos_i18n::td_string!(locale, mail_online_link, url = url.to_owned())
                        .to_string(),
                );
            }
        }
        let ics = crate::calendar::ics::personal_ics(site, m, o, online, &personal, locale);
        attachments.push((
            "invite.ics".to_owned(),
            "text/calendar; charset=utf-8; method=PUBLISH".to_owned(),
            ics.into_bytes(),
        ));
    }
    Letter {
        locale,
        subject: match change {
            Change::Moved => {
                leptos_i18n::td_string!(locale, mail_changed_subject, title = title).to_string()
            }
            Change::Cancelled => {
                leptos_i18n::td_string!(locale, mail_cancelled_subject, title = title).to_string()
            }
            Change::Reinstated => {
                leptos_i18n::td_string!(locale, mail_reinstated_subject, title = title).to_string()
            }
        },
        greeting: greeting(locale, &person.name),
        paragraphs,
        action: with_action.then(|| {
            (
                leptos_i18n::td_string!(locale, mail_personal_action).to_string(),
                personal,
            )
        }),
        note: None,
        attachments,
    }
}

/// Tells someone the organisers (or the waitlist) gave them a seat or a new place.
pub(super) async fn tell_placed(
    tx: &mut Tx,
    site: &SiteInfo,
    row: &RegistrationRow,
    why: Placement,
) -> Result<(), AppError> {
    let o = meetings::occurrence_in(tx, row.occurrence_id).await?;
    let m = meetings::meeting_in(tx, o.meeting_id).await?;
    let online = meetings::online_link_in(tx, m.id).await?;
    let fresh = meetings::personal_link(tx, row.id, &crate::link_key()?).await?;
    let letter = placed_letter(
        site,
        (&m, &o, online.as_deref()),
        row,
        row.status,
        &fresh.secret,
        why,
    );
    send(tx, site, row, letter).await
}

pub(super) fn removed_letter(
    site: &SiteInfo,
    o: &OccurrenceRow,
    person: &RegistrationRow,
) -> Letter {
    let locale = crate::locale_of(&person.locale);
    let s = summary(locale, o.clone());
    Letter {
        locale,
        subject: leptos_i18n::td_string!(locale, mail_removed_subject, title = s.title.clone())
            .to_string(),
        greeting: greeting(locale, &person.name),
        paragraphs: vec![leptos_i18n::td_string!(
            locale,
            mail_removed_body,
            title = s.title.clone(),
            when = when(&s)
        )
        .to_string()],
        action: Some((
            leptos_i18n::td_string!(locale, mail_meeting_action).to_string(),
            crate::calendar::read::meeting_url(site, locale, o.id),
        )),
        note: None,
        attachments: Vec::new(),
    }
}
