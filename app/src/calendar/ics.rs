//! iCalendar (RFC 5545) entries: building one event or a whole calendar with the time zones it
//! uses, a registrant's own entry and the cancellation that takes it out again.

use super::read::instant as utc;
use crate::i18n::Locale;
use crate::SiteInfo;
use chrono::{DateTime, Duration, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use db::meetings::{self, MeetingRow, OccurrenceRow};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike, EventStatus};
use leptos_i18n::Locale as _;
use std::collections::BTreeMap;

pub(super) fn local(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").ok()
}

pub(super) fn zoned(t: NaiveDateTime, tz: &str) -> CalendarDateTime {
    CalendarDateTime::WithTimezone {
        date_time: t,
        tzid: tz.to_owned(),
    }
}

pub(super) fn page_url(site: &SiteInfo, locale: Locale, occurrence_id: i64) -> String {
    format!(
        "{}/{}/meetings/{occurrence_id}",
        site.public_url,
        locale.as_str()
    )
}

pub(super) fn location(m: &MeetingRow, locale: Locale) -> String {
    let place = m.place_line();
    if place.is_empty() && m.mode == "online" {
        leptos_i18n::td_string!(locale, mode_online).to_string()
    } else {
        place
    }
}

/// Text as a TEXT value may hold it before escaping: line ends as LF (which icalendar-rs
/// escapes as `\n`), no other control character. A lone CR would otherwise end the content
/// line for some readers and start a property of the writer's choosing.
pub(super) fn plain(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// A TEXT value for a property icalendar-rs writes unescaped (it does not know NAME's type).
pub(super) fn escaped(text: &str) -> String {
    plain(text)
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// The properties every entry of a meeting shares. `online` leads the location where a
/// registrant's own entry has the conference link: calendar programs show a link from
/// LOCATION most reliably.
pub(super) fn describe(
    event: &mut Event,
    m: &MeetingRow,
    locale: Locale,
    url: &str,
    extra: &str,
    online: Option<&str>,
) {
    let mut text = m
        .description_text
        .clone()
        .unwrap_or_else(|| crate::markdown::plain_text(&m.description));
    if !extra.is_empty() {
        text = format!("{extra}\n\n{text}");
    }
    text = format!("{}\n\n{url}", text.trim());
    let place = location(m, locale);
    let place = match online {
        Some(link) => format!("{link} {place}").trim().to_owned(),
        None => place,
    };
    event
        .summary(&plain(&m.title))
        .description(plain(&text).trim())
        .url(url)
        .location(&plain(&place))
        .last_modified(utc(m.updated_at));
    if m.mode != "in-person" {
        event.add_property("X-LEARNING-CITY-MODE", &m.mode);
    }
}

pub(super) fn new_calendar(name: &str, method: &str) -> Calendar {
    let mut cal = Calendar::empty();
    cal.append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//Learning City//Meeting calendars//EN"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", method));
    let name = escaped(name);
    cal.append_property(("NAME", name.as_str()))
        .append_property(("X-WR-CALNAME", name.as_str()));
    cal
}

pub(super) fn status(cancelled: bool) -> EventStatus {
    if cancelled {
        EventStatus::Cancelled
    } else {
        EventStatus::Confirmed
    }
}

/// Serialises the calendar with a VTIMEZONE for every zone its entries use. icalendar-rs has no
/// way to build those components, so they are written here from the time-zone database and
/// placed before the first event.
pub(super) fn finish(mut cal: Calendar, spans: &BTreeMap<String, (i64, i64)>) -> String {
    let text = cal.done().to_string();
    let zones: String = spans
        .iter()
        .filter_map(|(name, (from, to))| {
            let tz: Tz = name.parse().ok()?;
            Some(vtimezone(
                tz,
                utc(*from) - Duration::days(1),
                utc(*to) + Duration::days(1),
            ))
        })
        .collect();
    match text.find("BEGIN:VEVENT") {
        Some(at) => format!("{}{zones}{}", &text[..at], &text[at..]),
        None => text.replacen("END:VCALENDAR", &format!("{zones}END:VCALENDAR"), 1),
    }
}

/// Offset, daylight-saving flag and abbreviation of a zone at an instant.
pub(super) fn offset_at(tz: Tz, t: DateTime<Utc>) -> (i32, bool, String) {
    let o = tz.offset_from_utc_datetime(&t.naive_utc());
    (
        o.fix().local_minus_utc(),
        !o.dst_offset().is_zero(),
        o.abbreviation().unwrap_or("").to_owned(),
    )
}

pub(super) fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}{:02}", s / 3600, (s % 3600) / 60)
}

/// A VTIMEZONE listing the zone's actual transitions between two instants (found by scanning
/// day by day and bisecting to the second), which is exact for those dates whatever rules
/// the zone had.
pub fn vtimezone(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let mut out = format!("BEGIN:VTIMEZONE\r\nTZID:{}\r\n", tz.name());
    let part = |out: &mut String,
                at: DateTime<Utc>,
                before: &(i32, bool, String),
                after: &(i32, bool, String)| {
        let kind = if after.1 { "DAYLIGHT" } else { "STANDARD" };
        let onset = at.naive_utc() + Duration::seconds(i64::from(before.0));
        out.push_str(&format!(
            "BEGIN:{kind}\r\nDTSTART:{}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\n",
            onset.format("%Y%m%dT%H%M%S"),
            utc_offset(before.0),
            utc_offset(after.0)
        ));
        if !after.2.is_empty()
            && after
                .2
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-')
        {
            out.push_str(&format!("TZNAME:{}\r\n", after.2));
        }
        out.push_str(&format!("END:{kind}\r\n"));
    };
    let mut current = offset_at(tz, from);
    part(&mut out, from, &current, &current);
    let mut t = from;
    while t < to {
        let next = t + Duration::days(1);
        let then = offset_at(tz, next);
        if then.0 != current.0 || then.1 != current.1 {
            let (mut lo, mut hi) = (t, next);
            while hi - lo > Duration::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if offset_at(tz, mid).0 == current.0 && offset_at(tz, mid).1 == current.1 {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let after = offset_at(tz, hi);
            part(&mut out, hi, &current, &after);
            current = after;
        }
        t = next;
    }
    out.push_str("END:VTIMEZONE\r\n");
    out
}

/// A confirmed registrant's own entry: it carries the online link and their personal link.
pub fn personal_ics(
    site: &SiteInfo,
    m: &MeetingRow,
    o: &OccurrenceRow,
    online_link: Option<&str>,
    personal_url: &str,
    locale: Locale,
) -> String {
    let extra = online_link.unwrap_or("");
    single(
        site,
        m,
        o,
        (personal_url, extra),
        online_link.filter(|_| m.mode == "online"),
        locale,
        &personal_uid(m, o),
        Entry::Published,
    )
}

/// The UID of a registrant's own entry: the one their cancellation has to name.
pub(super) fn personal_uid(m: &MeetingRow, o: &OccurrenceRow) -> String {
    format!("registration-{}-{}", o.id, m.uid)
}

/// What takes a registrant's own entry ([`personal_ics`]) out of their calendar once they
/// have cancelled: the same UID, one SEQUENCE later, cancelled, under METHOD:CANCEL, from the
/// site's mailbox as ORGANIZER to the registrant as ATTENDEE (RFC 5546 wants both in a
/// cancellation, and some programs apply none without them). It names neither the online link
/// nor their personal link, which no longer lead them anywhere.
pub fn cancelled_ics(
    site: &SiteInfo,
    m: &MeetingRow,
    o: &OccurrenceRow,
    locale: Locale,
    attendee: &domain::Email,
) -> String {
    let url = page_url(site, locale, o.id);
    single(
        site,
        m,
        o,
        (&url, ""),
        None,
        locale,
        &personal_uid(m, o),
        Entry::Cancelled { attendee },
    )
}

/// Whether an entry is offered to a calendar or taken out of one person's.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Entry<'a> {
    Published,
    Cancelled { attendee: &'a domain::Email },
}

/// `mailto:` and the address of the site's mailbox, when its configured From parses (the
/// mailer refuses to start otherwise).
pub(super) fn organizer(site: &SiteInfo) -> Option<String> {
    let from: lettre::message::Mailbox = site.mail_from.parse().ok()?;
    Some(format!("mailto:{}", from.email))
}

/// The entry's link and the text put before its description come as one pair.
#[allow(clippy::too_many_arguments)]
pub(super) fn single(
    site: &SiteInfo,
    m: &MeetingRow,
    o: &OccurrenceRow,
    (url, extra): (&str, &str),
    online: Option<&str>,
    locale: Locale,
    uid: &str,
    entry: Entry<'_>,
) -> String {
    let zone = meetings::zone_of(&m.timezone);
    let sequence = (m.sequence + o.sequence).max(0) as u32;
    // A calendar program applies a cancellation only over the version it holds.
    let (sequence, cancelled, method) = match entry {
        Entry::Published => (sequence, o.cancelled, "PUBLISH"),
        Entry::Cancelled { .. } => (sequence + 1, true, "CANCEL"),
    };
    let mut e = Event::new();
    e.uid(uid)
        .sequence(sequence)
        .starts(zoned(zone.local(utc(o.starts_at)), &m.timezone))
        .ends(zoned(zone.local(utc(o.ends_at)), &m.timezone))
        .status(status(cancelled));
    if let Entry::Cancelled { attendee } = entry {
        if let Some(organizer) = organizer(site) {
            e.add_property("ORGANIZER", organizer);
        }
        e.add_property("ATTENDEE", format!("mailto:{}", attendee.as_str()));
    }
    describe(&mut e, m, locale, url, extra, online);
    let mut cal = new_calendar(&m.title, method);
    cal.push(e.done());
    let mut spans = BTreeMap::new();
    spans.insert(m.timezone.clone(), (o.starts_at, o.ends_at));
    finish(cal, &spans)
}
