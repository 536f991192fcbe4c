//! Calendar feeds: iCalendar (RFC 5545) for calendar programs and JSON for other sites. Both
//! take the calendar page's query, so any filtered calendar can be subscribed to. Public feeds
//! never carry a meeting's online link; only a confirmed registrant's own entry does.

use super::ics::*;
use super::read::{filter_of, instant as utc, summary};
use crate::i18n::Locale;
use crate::{AppError, SiteInfo};
use chrono::{Duration, Utc};
use chrono_tz::Tz;
use db::meetings::{self, MeetingRow, Override};
use db::Db;
use icalendar::{Component, Event, EventLike};
use leptos_i18n::Locale as _;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

/// Most meetings one feed carries: a year of a busy network.
const FEED_LIMIT: i64 = 2000;
/// How far back a feed reaches, so that subscribers keep recent history.
const FEED_HISTORY_DAYS: i64 = 90;

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
    if row.status != domain::RegistrationStatus::Confirmed {
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
