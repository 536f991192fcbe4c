//! The letters of registering: a new registration, one already there, a cancellation, and a
//! seat or a place on the waitlist.

use crate::accounts::ops::{greeting, link};
use crate::calendar::read::*;
use crate::i18n::Locale;
use crate::mail::Letter;
use db::meetings::{MeetingRow, OccurrenceRow, RegistrationRow};
use domain::{Email, MeetingSummary, RegistrationStatus};

/// A new registration's letter: the link that confirms it.
pub(super) fn check_mail_letter(
    locale: Locale,
    name: &str,
    summary: &MeetingSummary,
    personal: String,
) -> Letter {
    Letter {
        locale,
        subject: leptos_i18n::td_string!(
            locale,
            mail_register_subject,
            title = summary.title.clone()
        )
        .to_string(),
        greeting: greeting(locale, name),
        paragraphs: vec![leptos_i18n::td_string!(
            locale,
            mail_register_body,
            title = summary.title.clone(),
            when = when(summary)
        )
        .to_string()],
        action: Some((
            leptos_i18n::td_string!(locale, mail_register_action).to_string(),
            personal,
        )),
        note: Some(leptos_i18n::td_string!(locale, mail_register_note).to_string()),
        attachments: Vec::new(),
    }
}

/// The letter to an address registered already: where it stands, and its personal link.
pub(super) fn again_letter(
    locale: Locale,
    stored_name: &str,
    status: RegistrationStatus,
    summary: &MeetingSummary,
    personal: String,
) -> Letter {
    Letter {
        locale,
        subject: leptos_i18n::td_string!(locale, mail_again_subject, title = summary.title.clone())
            .to_string(),
        greeting: greeting(locale, stored_name),
        paragraphs: vec![status_sentence(locale, status, summary)],
        action: Some((
            leptos_i18n::td_string!(locale, mail_personal_action).to_string(),
            personal,
        )),
        note: None,
        attachments: Vec::new(),
    }
}

/// "Tuesday 19 January 2021, 17:30–19:00 (Europe/Rome)".
pub fn when(s: &MeetingSummary) -> String {
    format!(
        "{}, {}–{} ({})",
        s.starts.date, s.starts.time, s.ends.time, s.timezone
    )
}

fn status_sentence(locale: Locale, status: RegistrationStatus, s: &MeetingSummary) -> String {
    let title = s.title.clone();
    match status {
        RegistrationStatus::Pending => {
            leptos_i18n::td_string!(locale, mail_again_pending, title = title).to_string()
        }
        RegistrationStatus::Confirmed => {
            leptos_i18n::td_string!(locale, mail_again_confirmed, title = title).to_string()
        }
        RegistrationStatus::Waiting => {
            leptos_i18n::td_string!(locale, mail_again_waiting, title = title).to_string()
        }
        RegistrationStatus::Cancelled => String::new(),
    }
}

/// The receipt of someone's own cancellation. Only a confirmed registrant was ever sent a
/// calendar entry (a pending or waiting one has none to download), so only theirs comes with
/// the entry that takes it out again.
pub(super) fn cancelled_letter(
    site: &crate::SiteInfo,
    (m, occurrence): (&MeetingRow, &OccurrenceRow),
    before: &RegistrationRow,
    to: &Email,
) -> Letter {
    let locale = crate::locale_of(&before.locale);
    let s = summary(locale, occurrence.clone());
    let title = s.title.clone();
    let mut paragraphs = vec![
        leptos_i18n::td_string!(locale, mail_you_cancelled_body, title = title.clone()).to_string(),
        when(&s),
    ];
    let mut attachments = Vec::new();
    if before.status == RegistrationStatus::Confirmed {
        paragraphs.push(leptos_i18n::td_string!(locale, mail_you_cancelled_calendar).to_string());
        let ics = crate::calendar::ics::cancelled_ics(site, m, occurrence, locale, to);
        attachments.push((
            "cancel.ics".to_owned(),
            "text/calendar; charset=utf-8; method=CANCEL".to_owned(),
            ics.into_bytes(),
        ));
    }
    Letter {
        locale,
        subject: leptos_i18n::td_string!(locale, mail_you_cancelled_subject, title = title)
            .to_string(),
        greeting: greeting(locale, &before.name),
        paragraphs,
        // The meeting's page, where registering again is possible while seats are left.
        action: Some((
            leptos_i18n::td_string!(locale, mail_meeting_action).to_string(),
            meeting_url(site, locale, occurrence.id),
        )),
        note: None,
        attachments,
    }
}

/// Why someone is told where they stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// They confirmed their registration.
    Confirmed,
    /// A seat freed up and they were first on the waitlist.
    Promoted,
    /// The organisers gave them a seat or moved them to this date.
    ByOrganisers,
}

/// The letter telling someone where they stand after confirming or being promoted: with a
/// seat, it carries the online link and the calendar entry.
pub fn placed_letter(
    site: &crate::SiteInfo,
    (m, occurrence, online): (&MeetingRow, &OccurrenceRow, Option<&str>),
    row: &RegistrationRow,
    status: RegistrationStatus,
    secret: &str,
    why: Placement,
) -> Letter {
    let locale = crate::locale_of(&row.locale);
    let s = summary(locale, occurrence.clone());
    let personal = link(site, locale, "registration", secret);
    let title = s.title.clone();
    let mut paragraphs = Vec::new();
    let mut attachments = Vec::new();
    match status {
        RegistrationStatus::Confirmed => {
            paragraphs.push(match why {
                Placement::Promoted => {
                    leptos_i18n::td_string!(locale, mail_promoted_body, title = title.clone())
                        .to_string()
                }
                Placement::ByOrganisers => {
                    leptos_i18n::td_string!(locale, mail_placed_body, title = title.clone())
                        .to_string()
                }
                Placement::Confirmed => {
                    leptos_i18n::td_string!(locale, mail_confirmed_body, title = title.clone())
                        .to_string()
                }
            });
            paragraphs.push(when(&s));
            if let Some(url) = online {
                paragraphs.push(
                    leptos_i18n::td_string!(locale, mail_online_link, url = url.to_owned())
                        .to_string(),
                );
            }
            let place = m.place_line();
            if !place.is_empty() {
                paragraphs
                    .push(leptos_i18n::td_string!(locale, mail_place, place = place).to_string());
            }
            let ics =
                crate::calendar::ics::personal_ics(site, m, occurrence, online, &personal, locale);
            attachments.push((
                "invite.ics".to_owned(),
                "text/calendar; charset=utf-8; method=PUBLISH".to_owned(),
                ics.into_bytes(),
            ));
        }
        _ => {
            if why == Placement::ByOrganisers {
                paragraphs.push(
                    leptos_i18n::td_string!(locale, mail_moved_body, when = when(&s)).to_string(),
                );
            }
            paragraphs.push(
                leptos_i18n::td_string!(locale, mail_waiting_body, title = title.clone())
                    .to_string(),
            )
        }
    }
    Letter {
        locale,
        subject: match status {
            RegistrationStatus::Confirmed => {
                leptos_i18n::td_string!(locale, mail_confirmed_subject, title = title).to_string()
            }
            _ => leptos_i18n::td_string!(locale, mail_waiting_subject, title = title).to_string(),
        },
        greeting: greeting(locale, &row.name),
        paragraphs,
        action: Some((
            leptos_i18n::td_string!(locale, mail_personal_action).to_string(),
            personal,
        )),
        note: None,
        attachments,
    }
}
