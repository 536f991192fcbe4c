//! What the calendar pages read: a filtered calendar, a meeting date with its links and
//! structured data, and the pieces every page and mail shares (the organiser, moments in a
//! zone, a date's summary and address).

use super::{CalendarData, FilterOptions, Named};
use crate::i18n::Locale;
use crate::markdown::{plain_text, render_markdown};
use crate::AppError;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use db::meetings::{self, Filter, MeetingRow, OccurrenceRow};
use domain::schedule::Zone;
use domain::{
    Audience, CalendarQuery, CalendarView, CityRef, Localized, MeetingDetail, MeetingSummary, Mode,
    Moment, Organiser, RegistrationWindow, Sector,
};
use leptos_i18n::Locale as _;

/// The longest an agenda page is; week and month views show everything in their range.
pub(super) const RANGE_LIMIT: i64 = 400;

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
        first,
        last,
        today,
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

pub(super) async fn filter_options() -> Result<FilterOptions, AppError> {
    let reference = crate::catalog::reference().await?;
    let named = |slug: &String, name: &Localized| Named {
        slug: slug.clone(),
        name: name.clone(),
    };
    let cities = reference
        .cities
        .iter()
        .map(|c| named(&c.slug, &c.name))
        .collect();
    let clusters = reference
        .clusters
        .iter()
        .map(|c| named(&c.slug, &c.name))
        .collect();
    let sectors = reference
        .sectors
        .iter()
        .map(|(slug, en, it)| Named {
            slug: slug.clone(),
            name: Localized::new(en.clone(), it.clone()),
        })
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

pub(super) fn organiser(r: &OccurrenceRow) -> Organiser {
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

pub(super) fn calendar_links(
    o: &OccurrenceRow,
    title: &str,
    details: &str,
    place: &str,
) -> (String, String) {
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
pub(super) fn json_ld(
    o: &OccurrenceRow,
    m: &MeetingRow,
    page: &str,
    text: &str,
    locale: Locale,
) -> String {
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
