//! Calendar feeds: iCalendar (RFC 5545) for calendar programs and JSON for other sites. Both
//! take the calendar page's query, so any filtered calendar can be subscribed to. Public feeds
//! never carry a meeting's online link; only a confirmed registrant's own entry does.

use super::ops::{self, filter_of, instant as utc, summary};
use crate::i18n::Locale;
use crate::{AppError, SiteInfo};
use chrono::{DateTime, Duration, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use db::meetings::{self, MeetingRow, OccurrenceRow, Override};
use db::Db;
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike, EventStatus};
use leptos_i18n::Locale as _;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

/// Most meetings one feed carries: a year of a busy network.
const FEED_LIMIT: i64 = 2000;
/// How far back a feed reaches, so that subscribers keep recent history.
const FEED_HISTORY_DAYS: i64 = 90;

fn local(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").ok()
}

fn zoned(t: NaiveDateTime, tz: &str) -> CalendarDateTime {
    CalendarDateTime::WithTimezone {
        date_time: t,
        tzid: tz.to_owned(),
    }
}

fn page_url(site: &SiteInfo, locale: Locale, occurrence_id: i64) -> String {
    format!(
        "{}/{}/meetings/{occurrence_id}",
        site.public_url,
        locale.as_str()
    )
}

fn location(m: &MeetingRow, locale: Locale) -> String {
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
fn plain(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// A TEXT value for a property icalendar-rs writes unescaped (it does not know NAME's type).
fn escaped(text: &str) -> String {
    plain(text)
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// The properties every entry of a meeting shares. `online` leads the location where a
/// registrant's own entry has the conference link: calendar programs show a link from
/// LOCATION most reliably.
fn describe(
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
        .unwrap_or_else(|| ops::plain_text(&m.description));
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

/// The calendar of a query, as a subscription delivers it. Its entries are each meeting's text
/// as kept by [`kept_texts`]: a feed of a thousand meetings, most unchanged since the last time,
/// reads a small row of each and whole meetings only for the texts it lacks, and is then
/// mostly concatenation.
pub async fn calendar_ics(
    db: &Db,
    site: &SiteInfo,
    raw_query: &str,
    lang: &str,
) -> Result<String, AppError> {
    let locale = crate::locale_of(lang);
    let query = domain::CalendarQuery::parse(raw_query);
    let from = Utc::now().date_naive() - Duration::days(FEED_HISTORY_DAYS);
    let filter = filter_of(&query, from, None);
    let (entries, overrides) = db.feed(&filter, FEED_LIMIT).await?;
    let name = match (&query.city, &query.cluster) {
        (Some(city), _) => format!("Learning City · {city}"),
        (None, Some(cluster)) => format!("Learning City · {cluster}"),
        _ => "Learning City".to_owned(),
    };
    let mut by_meeting: HashMap<i64, Vec<Override>> = HashMap::new();
    for o in overrides {
        by_meeting.entry(o.meeting_id).or_default().push(o);
    }
    let keys: Vec<EntryKey> = entries
        .iter()
        .map(|e| {
            let own = by_meeting.get(&e.id).map(Vec::as_slice).unwrap_or_default();
            EntryKey::of(site, locale, e.id, e.updated_at, e.sequence, own)
        })
        .collect();
    // Taken now, so that none can leave the cache before the feed is assembled.
    let mut texts: Vec<Option<Arc<str>>> = keys.iter().map(|k| kept_texts().get(k)).collect();
    let missing: Vec<i64> = keys
        .iter()
        .zip(&texts)
        .filter(|(_, text)| text.is_none())
        .map(|(k, _)| k.meeting)
        .collect();
    let mut rows: HashMap<i64, MeetingRow> = if missing.is_empty() {
        HashMap::new()
    } else {
        db.meetings_by_id(&missing)
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect()
    };
    let site = site.clone();
    // Milliseconds of string work for a big feed: off the async workers.
    tokio::task::spawn_blocking(move || {
        let mut spans: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        let mut events = String::new();
        for (e, text) in entries.iter().zip(texts.iter_mut()) {
            let text = match text.take() {
                Some(text) => text,
                // Deleted since the first query: the feed leaves it out.
                None => match rows.remove(&e.id) {
                    Some(m) => {
                        let own = by_meeting.get(&m.id).map(Vec::as_slice).unwrap_or_default();
                        meeting_text(&site, locale, &m, own)
                    }
                    None => continue,
                },
            };
            let span = spans
                .entry(e.timezone.clone())
                .or_insert((e.first_start, e.last_end));
            span.0 = span.0.min(e.first_start);
            span.1 = span.1.max(e.last_end);
            events.push_str(&text);
        }
        assemble(&name, &spans, &events)
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "rendering a feed failed");
        AppError::Internal
    })
}

/// What one meeting's entries depend on: the meeting as last saved, its dates that differ from
/// its rule, the language and the site's address.
#[derive(Clone, PartialEq, Eq, Hash)]
struct EntryKey {
    meeting: i64,
    updated_at: i64,
    sequence: i32,
    dates: u64,
    lang: &'static str,
    site: String,
}

impl EntryKey {
    fn of(
        site: &SiteInfo,
        locale: Locale,
        meeting: i64,
        updated_at: i64,
        sequence: i32,
        own: &[Override],
    ) -> EntryKey {
        use std::hash::{Hash, Hasher};
        let mut dates = std::collections::hash_map::DefaultHasher::new();
        for o in own {
            (
                o.id,
                o.starts_at,
                o.ends_at,
                o.moved,
                o.cancelled,
                o.sequence,
                o.in_rule,
            )
                .hash(&mut dates);
            o.original_local.hash(&mut dates);
        }
        EntryKey {
            meeting,
            updated_at,
            sequence,
            dates: dates.finish(),
            lang: locale.as_str(),
            site: site.public_url.clone(),
        }
    }
}

/// Each meeting's entries as iCalendar text, kept per language while the meeting and its dates
/// are unchanged (a bounded number of them: the newest stay).
fn kept_texts() -> &'static moka::sync::Cache<EntryKey, Arc<str>> {
    static KEPT: OnceLock<moka::sync::Cache<EntryKey, Arc<str>>> = OnceLock::new();
    KEPT.get_or_init(|| moka::sync::Cache::new(20_000))
}

/// One meeting's entries as iCalendar text, from [`kept_texts`] or written and kept there.
fn meeting_text(site: &SiteInfo, locale: Locale, m: &MeetingRow, own: &[Override]) -> Arc<str> {
    let key = EntryKey::of(site, locale, m.id, m.updated_at, m.sequence, own);
    kept_texts().get_with(key, || {
        meeting_events(site, locale, m, own)
            .iter()
            .map(Component::to_string)
            .collect::<String>()
            .into()
    })
}

/// A calendar named `name` around `events`, with a VTIMEZONE for every zone its entries use
/// before them. icalendar-rs has no way to build those components, so they are written here
/// from the time-zone database.
fn assemble(name: &str, spans: &BTreeMap<String, (i64, i64)>, events: &str) -> String {
    let mut cal = new_calendar(name, "PUBLISH");
    let empty = cal.done().to_string();
    let head = empty.strip_suffix("END:VCALENDAR\r\n").unwrap_or(&empty);
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
    format!("{head}{zones}{events}END:VCALENDAR\r\n")
}

/// The entries of one meeting: a single event, or a series' master with its exceptions.
fn meeting_events(site: &SiteInfo, locale: Locale, m: &MeetingRow, own: &[Override]) -> Vec<Event> {
    let mut out = Vec::new();
    let first_id = own.first().map(|o| o.id);
    match &m.rrule {
        None => {
            for o in own {
                let url = page_url(site, locale, o.id);
                let zone = meetings::zone_of(&m.timezone);
                let mut e = Event::new();
                e.uid(&m.uid)
                    .sequence((m.sequence + o.sequence).max(0) as u32)
                    .starts(zoned(zone.local(utc(o.starts_at)), &m.timezone))
                    .ends(zoned(zone.local(utc(o.ends_at)), &m.timezone))
                    .status(status(o.cancelled));
                describe(&mut e, m, locale, &url, "", None);
                out.push(e.done());
            }
        }
        Some(rule) => {
            let (Some(start), Some(end)) = (local(&m.starts_local), local(&m.ends_local)) else {
                return out;
            };
            let url = match first_id {
                Some(id) => page_url(site, locale, id),
                None => format!("{}/{}/calendar", site.public_url, locale.as_str()),
            };
            let mut master = Event::new();
            master
                .uid(&m.uid)
                .sequence(m.sequence.max(0) as u32)
                .starts(zoned(start, &m.timezone))
                .ends(zoned(end, &m.timezone))
                .add_property("RRULE", rule)
                .status(status(m.cancelled));
            for ex in m.exdate_list() {
                if let Some(t) = local(&ex) {
                    master.exdate(zoned(t, &m.timezone));
                }
            }
            describe(&mut master, m, locale, &url, "", None);
            out.push(master.done());
            let zone = meetings::zone_of(&m.timezone);
            // A date an edited rule no longer has is left out: subscribers' programs drop it
            // with the rule, and its registrants were told by mail.
            for o in own.iter().filter(|o| o.in_rule && (o.moved || o.cancelled)) {
                let Some(original) = local(&o.original_local) else {
                    continue;
                };
                let mut e = Event::new();
                e.uid(&m.uid)
                    .recurrence_id(zoned(original, &m.timezone))
                    .sequence((m.sequence + o.sequence).max(0) as u32)
                    .starts(zoned(zone.local(utc(o.starts_at)), &m.timezone))
                    .ends(zoned(zone.local(utc(o.ends_at)), &m.timezone))
                    .status(status(o.cancelled));
                describe(&mut e, m, locale, &page_url(site, locale, o.id), "", None);
                out.push(e.done());
            }
        }
    }
    out
}

fn new_calendar(name: &str, method: &str) -> Calendar {
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

fn status(cancelled: bool) -> EventStatus {
    if cancelled {
        EventStatus::Cancelled
    } else {
        EventStatus::Confirmed
    }
}

/// Serialises the calendar with a VTIMEZONE for every zone its entries use. icalendar-rs has no
/// way to build those components, so they are written here from the time-zone database and
/// placed before the first event.
fn finish(mut cal: Calendar, spans: &BTreeMap<String, (i64, i64)>) -> String {
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
fn offset_at(tz: Tz, t: DateTime<Utc>) -> (i32, bool, String) {
    let o = tz.offset_from_utc_datetime(&t.naive_utc());
    (
        o.fix().local_minus_utc(),
        !o.dst_offset().is_zero(),
        o.abbreviation().unwrap_or("").to_owned(),
    )
}

fn utc_offset(seconds: i32) -> String {
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

/// One occurrence as an "add to calendar" download: public details only.
pub async fn occurrence_ics(
    db: &Db,
    site: &SiteInfo,
    occurrence_id: i64,
    lang: &str,
) -> Result<String, AppError> {
    let locale = crate::locale_of(lang);
    let o = db.occurrence(occurrence_id).await?;
    let m = db.meeting(o.meeting_id).await?;
    let url = page_url(site, locale, o.id);
    Ok(single(
        site,
        &m,
        &o,
        (&url, ""),
        None,
        locale,
        &format!("{}-{}", o.id, m.uid),
        Entry::Published,
    ))
}

/// The entry a confirmed registrant downloads from their personal page.
pub async fn registration_ics(db: &Db, site: &SiteInfo, token: &str) -> Result<String, AppError> {
    let row = db
        .registration_by_token(&db::accounts::OneTimeToken::hash_of(token.trim()))
        .await?;
    if row.status() != domain::RegistrationStatus::Confirmed {
        return Err(AppError::NotFound);
    }
    let locale = crate::locale_of(&row.locale);
    let o = db.occurrence(row.occurrence_id).await?;
    let m = db.meeting(o.meeting_id).await?;
    let online = db.online_link(o.id).await?;
    let personal = format!(
        "{}/{}/registration?token={}",
        site.public_url,
        locale.as_str(),
        token.trim()
    );
    Ok(personal_ics(
        site,
        &m,
        &o,
        online.as_deref(),
        &personal,
        locale,
    ))
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
fn personal_uid(m: &MeetingRow, o: &OccurrenceRow) -> String {
    format!("registration-{}-{}", o.id, m.uid)
}

/// What takes a registrant's own entry ([`personal_ics`]) out of their calendar once they
/// have cancelled: the same UID, one SEQUENCE later, cancelled, under METHOD:CANCEL. It names
/// neither the online link nor their personal link, which no longer lead them anywhere.
pub fn cancelled_ics(site: &SiteInfo, m: &MeetingRow, o: &OccurrenceRow, locale: Locale) -> String {
    let url = page_url(site, locale, o.id);
    single(
        site,
        m,
        o,
        (&url, ""),
        None,
        locale,
        &personal_uid(m, o),
        Entry::Cancelled,
    )
}

/// Whether an entry is offered to a calendar or taken out of it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Entry {
    Published,
    Cancelled,
}

/// The entry's link and the text put before its description come as one pair.
#[allow(clippy::too_many_arguments)]
fn single(
    _site: &SiteInfo,
    m: &MeetingRow,
    o: &OccurrenceRow,
    (url, extra): (&str, &str),
    online: Option<&str>,
    locale: Locale,
    uid: &str,
    entry: Entry,
) -> String {
    let zone = meetings::zone_of(&m.timezone);
    let sequence = (m.sequence + o.sequence).max(0) as u32;
    // A calendar program applies a cancellation only over the version it holds.
    let (sequence, cancelled, method) = match entry {
        Entry::Published => (sequence, o.cancelled, "PUBLISH"),
        Entry::Cancelled => (sequence + 1, true, "CANCEL"),
    };
    let mut e = Event::new();
    e.uid(uid)
        .sequence(sequence)
        .starts(zoned(zone.local(utc(o.starts_at)), &m.timezone))
        .ends(zoned(zone.local(utc(o.ends_at)), &m.timezone))
        .status(status(cancelled));
    describe(&mut e, m, locale, url, extra, online);
    let mut cal = new_calendar(&m.title, method);
    cal.push(e.done());
    let mut spans = BTreeMap::new();
    spans.insert(m.timezone.clone(), (o.starts_at, o.ends_at));
    finish(cal, &spans)
}

/// Upcoming occurrences matching a query, for other sites: times with their offsets and zone,
/// places, organisers and seats. Documented in the README.
pub async fn calendar_json(
    db: &Db,
    site: &SiteInfo,
    raw_query: &str,
    lang: &str,
) -> Result<serde_json::Value, AppError> {
    let locale = crate::locale_of(lang);
    let query = domain::CalendarQuery::parse(raw_query);
    let today = Utc::now().date_naive();
    let (first, last) = query.range(today);
    let filter = filter_of(&query, first, last);
    let rows = db.occurrences(&filter, meetings::MAX_LIMIT, 0).await?;
    let items: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|r| {
            let s = summary(locale, r);
            let zone = meetings::zone_of(&s.timezone);
            let rfc = |epoch: i64| utc(epoch).with_timezone(&zone.tz()).to_rfc3339();
            serde_json::json!({
                "id": s.id,
                "url": page_url(site, locale, s.id),
                "title": s.title,
                "start": rfc(s.starts.epoch),
                "end": rfc(s.ends.epoch),
                "timezone": s.timezone,
                "mode": s.mode.as_str(),
                "place": s.place,
                "language": s.language,
                "audience": s.audience.as_str(),
                "organiser": s.organiser.name(locale.as_str()),
                "city": match &s.organiser { domain::Organiser::City(c) => Some(c.slug.clone()), _ => None },
                "cluster": match &s.organiser { domain::Organiser::Cluster { slug, .. } => Some(slug.clone()), _ => None },
                "sector": s.sector.as_ref().map(|x| x.slug.clone()),
                "capacity": s.capacity,
                "seats_left": s.seats_left(),
                "cancelled": s.cancelled,
                "recurring": s.recurring,
                "ics": format!("{}/feeds/meetings/{}.ics?lang={}", site.public_url, s.id, locale.as_str()),
            })
        })
        .collect();
    let filters = query.filters_query_string();
    Ok(serde_json::json!({
        "format": "learning-city-meetings/1",
        "title": "Learning City",
        "home_page_url": format!("{}/{}/calendar{}", site.public_url, locale.as_str(), if filters.is_empty() { String::new() } else { format!("?{filters}") }),
        "language": locale.as_str(),
        "items": items,
    }))
}
