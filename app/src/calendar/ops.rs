//! The server side of the calendar: queries, registration rules and the mail they send.

use super::{CalendarData, FilterOptions, Registration};
use crate::accounts::ops::{greeting, link};
use crate::forms::input::{email_field, name_field, optional_text};
use crate::i18n::Locale;
use crate::mail::Letter;
pub use crate::markdown::{plain_text, render_markdown};
use crate::{AppError, Invalid, Problem};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use db::meetings::{self, Filter, MeetingRow, OccurrenceRow, Registered, RegistrationRow};
use db::Db;
use domain::schedule::Zone;
use domain::{
    Audience, CalendarQuery, CalendarView, CityRef, Email, Localized, MeetingDetail,
    MeetingSummary, Mode, Moment, Organiser, RegistrationStatus, RegistrationView,
    RegistrationWindow, Sector,
};
use leptos_i18n::Locale as _;

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

/// The longest an agenda page is; week and month views show everything in their range.
const RANGE_LIMIT: i64 = 400;

// Context is read before the first await: a resource nested in another page's Suspense runs
// its server function on the server with the reactive owner of its first poll only.
pub async fn calendar(lang: &str, raw_query: &str) -> Result<CalendarData, AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let locale = crate::locale_of(lang);
    let query = CalendarQuery::parse(raw_query);
    let today = Utc::now().date_naive();
    let (first, last) = query.range(today);
    let filter = filter_of(&query, first, last);
    let (limit, offset) = match query.view {
        CalendarView::Agenda => {
            let size = i64::from(CalendarQuery::PAGE_SIZE);
            (size + 1, size * i64::from(query.page.saturating_sub(1)))
        }
        _ => (RANGE_LIMIT, 0),
    };
    let rows = db.occurrences(&filter, limit, offset).await?;
    let more = query.view == CalendarView::Agenda && rows.len() as i64 > limit - 1;
    let meetings = rows
        .into_iter()
        .take((limit - i64::from(more)) as usize)
        .map(|r| summary(locale, r))
        .collect();
    Ok(CalendarData {
        options: filter_options().await?,
        query,
        meetings,
        more,
        first: first.to_string(),
        last: last.map(|d| d.to_string()),
        today: today.to_string(),
        public_url: site.public_url,
    })
}

/// Days are UTC days: a network calendar spans every zone, and a meeting near midnight in its
/// own zone appears under its local day in the list either way.
pub fn filter_of(q: &CalendarQuery, first: NaiveDate, last: Option<NaiveDate>) -> Filter {
    let start = |d: NaiveDate| Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default());
    Filter {
        from: start(first).timestamp(),
        until: last
            .and_then(|d| d.succ_opt())
            .map(|d| start(d).timestamp()),
        city: q.city.clone(),
        cluster: q.cluster.clone(),
        sector: q.sector.clone(),
        audience: q.audience,
        mode: q.mode,
        language: q.language.clone(),
    }
}

async fn filter_options() -> Result<FilterOptions, AppError> {
    let reference = crate::catalog::reference().await?;
    let cities = reference
        .cities
        .iter()
        .map(|c| (c.slug.clone(), c.name.clone()))
        .collect();
    let clusters = reference
        .clusters
        .iter()
        .map(|c| (c.slug.clone(), c.name.clone()))
        .collect();
    let sectors = reference
        .sectors
        .iter()
        .map(|(slug, en, it)| (slug.clone(), Localized::new(en.clone(), it.clone())))
        .collect();
    Ok(FilterOptions {
        cities,
        clusters,
        sectors,
    })
}

pub fn chrono_locale(locale: Locale) -> chrono::Locale {
    match locale.as_str() {
        "it" => chrono::Locale::it_IT,
        _ => chrono::Locale::en_GB,
    }
}

/// The instant of stored epoch seconds (which the database only holds for valid instants).
pub fn instant(epoch: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(epoch, 0).unwrap_or_default()
}

/// An instant as the page shows it, in `zone`.
pub fn moment(locale: Locale, zone: Zone, epoch: i64) -> Moment {
    let local = instant(epoch).with_timezone(&zone.tz());
    Moment {
        epoch,
        local: local.format("%Y-%m-%dT%H:%M").to_string(),
        offset: local.format("%:z").to_string(),
        date: local
            .format_localized("%A %-d %B %Y", chrono_locale(locale))
            .to_string(),
        time: local.format("%H:%M").to_string(),
    }
}

fn organiser(r: &OccurrenceRow) -> Organiser {
    match (&r.city_slug, &r.cluster_slug) {
        (Some(slug), _) => Organiser::City(CityRef {
            slug: slug.clone(),
            name: Localized::new(
                r.city_name_en.clone().unwrap_or_default(),
                r.city_name_it.clone().unwrap_or_default(),
            ),
            country: r.city_country.clone().unwrap_or_default(),
        }),
        (None, cluster) => Organiser::Cluster {
            slug: cluster.clone().unwrap_or_default(),
            name: Localized::new(
                r.cluster_name_en.clone().unwrap_or_default(),
                r.cluster_name_it.clone().unwrap_or_default(),
            ),
        },
    }
}

/// The public page of date `occurrence`, in `locale`, as mails link to it.
pub fn meeting_url(site: &crate::SiteInfo, locale: Locale, occurrence: i64) -> String {
    format!(
        "{}/{}/meetings/{occurrence}",
        site.public_url,
        locale.as_str()
    )
}

pub fn summary(locale: Locale, r: OccurrenceRow) -> MeetingSummary {
    let zone = meetings::zone_of(&r.timezone);
    MeetingSummary {
        id: r.id,
        starts: moment(locale, zone, r.starts_at),
        ends: moment(locale, zone, r.ends_at),
        timezone: r.timezone.clone(),
        mode: Mode::parse(&r.mode).unwrap_or(Mode::InPerson),
        audience: Audience::parse(&r.audience).unwrap_or(Audience::Everyone),
        language: r.language.clone(),
        place: r.place.clone(),
        organiser: organiser(&r),
        sector: r.sector_slug.clone().map(|slug| Sector {
            slug,
            name: Localized::new(
                r.sector_name_en.clone().unwrap_or_default(),
                r.sector_name_it.clone().unwrap_or_default(),
            ),
        }),
        capacity: r.capacity,
        taken: r.taken,
        cancelled: r.cancelled,
        recurring: r.recurring,
        title: r.title,
    }
}

pub fn window(m: &MeetingRow, o: &OccurrenceRow, now: i64) -> RegistrationWindow {
    if o.cancelled {
        return RegistrationWindow::Cancelled;
    }
    if !m.takes_registrations {
        return RegistrationWindow::None;
    }
    let closes = m
        .registration_closes_at
        .map_or(o.starts_at, |c| c.min(o.starts_at));
    if now >= closes {
        RegistrationWindow::Closed
    } else if m.registration_opens_at.is_some_and(|at| now < at) {
        RegistrationWindow::NotYet
    } else if m.capacity.is_some_and(|c| o.taken >= c) {
        RegistrationWindow::Waitlist
    } else {
        RegistrationWindow::Open
    }
}

pub async fn meeting(lang: &str, id: i64) -> Result<MeetingDetail, AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let locale = crate::locale_of(lang);
    let occurrence = db.occurrence(id).await?;
    let m = db.meeting(occurrence.meeting_id).await?;
    let zone = meetings::zone_of(&m.timezone);
    let now = Utc::now().timestamp();
    let next = if m.rrule.is_some() {
        db.next_occurrences(m.id, occurrence.starts_at, 5)
            .await?
            .into_iter()
            .map(|(id, at)| (id, moment(locale, zone, at)))
            .collect()
    } else {
        Vec::new()
    };
    let elsewhere = match &occurrence.cluster_slug {
        Some(cluster) => {
            let mut zones: Vec<(String, Moment)> = Vec::new();
            for city in db.cities(Some(cluster)).await? {
                let lead = city.clusters.iter().any(|c| &c.slug == cluster && c.lead);
                if lead && city.timezone != m.timezone {
                    let z = meetings::zone_of(&city.timezone);
                    zones.push((
                        city.name.get(locale.as_str()).to_owned(),
                        moment(locale, z, occurrence.starts_at),
                    ));
                }
            }
            zones
        }
        None => Vec::new(),
    };
    let page = format!("{}/{}/meetings/{id}", site.public_url, locale.as_str());
    let text = m
        .description_text
        .clone()
        .unwrap_or_else(|| plain_text(&m.description));
    let place = m.place_line();
    let (google, outlook) =
        calendar_links(&occurrence, &m.title, &format!("{text}\n\n{page}"), &place);
    let json_ld = json_ld(&occurrence, &m, &page, &text, locale);
    Ok(MeetingDetail {
        google,
        outlook,
        json_ld,
        window: window(&m, &occurrence, now),
        opens: m.registration_opens_at.map(|at| moment(locale, zone, at)),
        closes: m
            .registration_closes_at
            .map(|at| moment(locale, zone, at.min(occurrence.starts_at))),
        waiting: db.waiting_count(id).await? as i32,
        description_html: m
            .description_html
            .clone()
            .unwrap_or_else(|| render_markdown(&m.description)),
        description_text: text.clone(),
        address: m.address.clone(),
        rule: m.rrule.clone(),
        reminders: m.reminder_minutes(),
        next,
        elsewhere,
        summary: summary(locale, occurrence),
    })
}

fn calendar_links(o: &OccurrenceRow, title: &str, details: &str, place: &str) -> (String, String) {
    let utc = instant;
    let google = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("action", "TEMPLATE")
        .append_pair("text", title)
        .append_pair(
            "dates",
            &format!(
                "{}/{}",
                utc(o.starts_at).format("%Y%m%dT%H%M%SZ"),
                utc(o.ends_at).format("%Y%m%dT%H%M%SZ")
            ),
        )
        .append_pair("details", details)
        .append_pair("location", place)
        .finish();
    let outlook = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("path", "/calendar/action/compose")
        .append_pair("rru", "addevent")
        .append_pair("subject", title)
        .append_pair("startdt", &utc(o.starts_at).to_rfc3339())
        .append_pair("enddt", &utc(o.ends_at).to_rfc3339())
        .append_pair("body", details)
        .append_pair("location", place)
        .finish();
    (
        format!("https://calendar.google.com/calendar/render?{google}"),
        format!("https://outlook.live.com/calendar/0/deeplink/compose?{outlook}"),
    )
}

/// schema.org Event for search engines. `<`, `>` and `&` are escaped so that no text can close
/// the script element it is placed in.
fn json_ld(o: &OccurrenceRow, m: &MeetingRow, page: &str, text: &str, locale: Locale) -> String {
    let zone = meetings::zone_of(&m.timezone);
    let at = |epoch: i64| instant(epoch).with_timezone(&zone.tz()).to_rfc3339();
    let mode = match Mode::parse(&m.mode) {
        Some(Mode::Online) => "https://schema.org/OnlineEventAttendanceMode",
        Some(Mode::Hybrid) => "https://schema.org/MixedEventAttendanceMode",
        _ => "https://schema.org/OfflineEventAttendanceMode",
    };
    let mut location = Vec::new();
    if m.mode != "in-person" {
        location.push(serde_json::json!({"@type": "VirtualLocation", "url": page}));
    }
    if m.mode != "online" {
        location.push(serde_json::json!({
            "@type": "Place", "name": m.place, "address": m.address
        }));
    }
    let organiser = organiser(o).name(locale.as_str());
    let value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": m.title,
        "description": text,
        "startDate": at(o.starts_at),
        "endDate": at(o.ends_at),
        "eventStatus": if o.cancelled { "https://schema.org/EventCancelled" } else { "https://schema.org/EventScheduled" },
        "eventAttendanceMode": mode,
        "location": location,
        "inLanguage": m.language,
        "url": page,
        "organizer": {"@type": "Organization", "name": organiser},
        "maximumAttendeeCapacity": m.capacity,
    });
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
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

pub async fn register(
    lang: &str,
    occurrence_id: i64,
    form: Form,
) -> Result<Registration, AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let locale = crate::locale_of(lang);
    let mut invalid = Invalid::default();
    invalid.keep("name", &form.name);
    invalid.keep("email", &form.email);
    invalid.keep("organisation", &form.organisation);
    invalid.keep("needs", &form.needs);
    // A ticked box comes back ticked whatever else was refused.
    invalid.keep("consent", if form.consent { "yes" } else { "" });
    let name = name_field(&mut invalid, "name", &form.name);
    let email = email_field(&mut invalid, "email", &form.email);
    let organisation = optional_text(
        &mut invalid,
        "organisation",
        &form.organisation,
        MAX_ORGANISATION,
    );
    let needs = optional_text(&mut invalid, "needs", &form.needs, MAX_NEEDS);
    if !form.consent {
        invalid.add("consent", Problem::Consent);
    }
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
    let (Some(name), Some(email)) = (name, email) else {
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
            organisation: &organisation,
            needs: &needs,
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
            let letter = Letter {
                locale,
                subject: leptos_i18n::td_string!(
                    locale,
                    mail_register_subject,
                    title = summary.title.clone()
                )
                .to_string(),
                greeting: greeting(locale, name.as_str()),
                paragraphs: vec![leptos_i18n::td_string!(
                    locale,
                    mail_register_body,
                    title = summary.title.clone(),
                    when = when(&summary)
                )
                .to_string()],
                action: Some((
                    leptos_i18n::td_string!(locale, mail_register_action).to_string(),
                    personal,
                )),
                note: Some(leptos_i18n::td_string!(locale, mail_register_note).to_string()),
                attachments: Vec::new(),
            };
            crate::mail::enqueue(&mut tx, &site.mail_from, &email, name.as_str(), letter).await?;
            Registration::CheckMail
        }
        // Whoever typed this address, its owner gets the link they already have (it keeps
        // working), greeted by the name they registered under.
        Registered::Existing(id, status, stored_name) => {
            let token = meetings::personal_link(&mut tx, id, &key).await?;
            let personal = link(&site, locale, "registration", &token.secret);
            let letter = Letter {
                locale,
                subject: leptos_i18n::td_string!(
                    locale,
                    mail_again_subject,
                    title = summary.title.clone()
                )
                .to_string(),
                greeting: greeting(locale, &stored_name),
                paragraphs: vec![status_sentence(locale, status, &summary)],
                action: Some((
                    leptos_i18n::td_string!(locale, mail_personal_action).to_string(),
                    personal,
                )),
                note: None,
                attachments: Vec::new(),
            };
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

pub(crate) fn token_hash(token: &str) -> String {
    db::accounts::OneTimeToken::hash_of(token.trim())
}

/// The registration a personal link opens; an unknown one is a link that no longer works.
async fn registration_of(db: &Db, token: &str) -> Result<RegistrationRow, AppError> {
    db.registration_by_token(&token_hash(token))
        .await
        .map_err(crate::error::link_gone)
}

pub async fn registration(lang: &str, token: &str) -> Result<RegistrationView, AppError> {
    let db = crate::db()?;
    let locale = crate::locale_of(lang);
    let row = registration_of(&db, token).await?;
    let occurrence = db.occurrence(row.occurrence_id).await?;
    let m = db.meeting(occurrence.meeting_id).await?;
    let status = row.status();
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
    let hash = token_hash(token);
    let existing = db
        .registration_by_token(&hash)
        .await
        .map_err(crate::error::link_gone)?;
    let occurrence = db.occurrence(existing.occurrence_id).await?;
    let m = db.meeting(occurrence.meeting_id).await?;
    let now = Utc::now().timestamp();
    if existing.status() == RegistrationStatus::Pending
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
    let mut placed = existing.status();
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
        let letter = cancelled_letter(&site, (&m, &occurrence), &cancelled.row);
        let email = Email::parse(&cancelled.row.email).map_err(|_| AppError::Internal)?;
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

/// The receipt of someone's own cancellation. Only a confirmed registrant was ever sent a
/// calendar entry (a pending or waiting one has none to download), so only theirs comes with
/// the entry that takes it out again.
fn cancelled_letter(
    site: &crate::SiteInfo,
    (m, occurrence): (&MeetingRow, &OccurrenceRow),
    before: &RegistrationRow,
) -> Letter {
    let locale = crate::locale_of(&before.locale);
    let s = summary(locale, occurrence.clone());
    let title = s.title.clone();
    let mut paragraphs = vec![
        leptos_i18n::td_string!(locale, mail_you_cancelled_body, title = title.clone()).to_string(),
        when(&s),
    ];
    let mut attachments = Vec::new();
    if before.status() == RegistrationStatus::Confirmed {
        paragraphs.push(leptos_i18n::td_string!(locale, mail_you_cancelled_calendar).to_string());
        let ics = super::feeds::cancelled_ics(site, m, occurrence, locale);
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
            let ics = super::feeds::personal_ics(site, m, occurrence, online, &personal, locale);
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
