//! The server side of meeting management: role checks per meeting, the meeting form's rules,
//! and the letters that tell registrants what changed.

use super::{
    Attendee, Attendees, DateAdmin, Draft, DraftPage, ManagedItem, ManagedList, OwnerOption,
};
use crate::accounts::ops::{greeting, link};
use crate::accounts::session::{require_user, SessionUser};
use crate::calendar::ops::{moment, placed_letter, summary, when, Placement};
use crate::forms::input::{optional_text, problem_of};
use crate::i18n::Locale;
use crate::mail::Letter;
use crate::{AppError, Invalid, Problem, SiteInfo};
use chrono::{NaiveDate, NaiveDateTime, Utc};
use db::meetings::{
    self, ManagedScope, MeetingRow, Moved, NewMeeting, OccurrenceRow, Owner, RegistrationRow,
};
use db::{Db, Tx};
use domain::schedule::{parse_local, Part, Repeat, Schedule, Zone};
use domain::{
    format_reminders, parse_reminders, Audience, CityRef, Email, Localized, Mode, Organiser,
    RegistrationStatus, MEETING_LANGUAGES,
};

pub const MAX_TITLE: usize = 200;
pub const MAX_DESCRIPTION: usize = 10_000;
pub const MAX_PLACE: usize = 200;
pub const MAX_LINK: usize = 500;
pub const MAX_CAPACITY: i32 = 100_000;
pub const MAX_SUBJECT: usize = 200;
pub const MAX_MESSAGE: usize = 5_000;
const LIST_PAGE: i64 = 30;

fn may_manage(me: &SessionUser, m: &MeetingRow) -> bool {
    match (m.city_id, m.cluster_id) {
        (Some(city), _) => me.roles.can_manage_city(city),
        (None, Some(cluster)) => me.roles.can_manage_cluster(cluster),
        (None, None) => me.roles.is_admin(),
    }
}

/// The caller and the meeting, if the caller may manage it: 401, 404 or 403 otherwise.
async fn require_meeting(db: &Db, id: i64) -> Result<(SessionUser, MeetingRow), AppError> {
    let me = require_user()?;
    let m = db.meeting(id).await?;
    if may_manage(&me, &m) {
        Ok((me, m))
    } else {
        Err(AppError::Forbidden)
    }
}

async fn require_occurrence(
    db: &Db,
    id: i64,
) -> Result<(SessionUser, MeetingRow, OccurrenceRow), AppError> {
    let me = require_user()?;
    let o = db.occurrence(id).await?;
    let m = db.meeting(o.meeting_id).await?;
    if may_manage(&me, &m) {
        Ok((me, m, o))
    } else {
        Err(AppError::Forbidden)
    }
}

fn scope_of(me: &SessionUser) -> ManagedScope {
    use domain::Role;
    if me.roles.is_admin() {
        return ManagedScope::All;
    }
    let (mut cities, mut clusters) = (Vec::new(), Vec::new());
    for role in me.roles.iter() {
        match role {
            Role::City(id) => cities.push(*id),
            Role::Cluster(id) => clusters.push(*id),
            Role::Admin => {}
        }
    }
    ManagedScope::Owners { cities, clusters }
}

async fn owner_options(db: &Db, me: &SessionUser) -> Result<Vec<OwnerOption>, AppError> {
    use domain::Role;
    let mut out = Vec::new();
    if me.roles.is_admin() {
        for c in db.cities(None).await? {
            out.push(OwnerOption {
                value: format!("city:{}", c.slug),
                name: c.name,
            });
        }
        for c in db.clusters().await? {
            out.push(OwnerOption {
                value: format!("cluster:{}", c.slug),
                name: c.name,
            });
        }
        return Ok(out);
    }
    for role in me.roles.iter() {
        let (table, prefix, id) = match role {
            Role::City(id) => (db::network::Record::City, "city", *id),
            Role::Cluster(id) => (db::network::Record::Cluster, "cluster", *id),
            Role::Admin => continue,
        };
        let (slug, name) = db.slug_and_name(table, id).await?;
        out.push(OwnerOption {
            value: format!("{prefix}:{slug}"),
            name,
        });
    }
    Ok(out)
}

fn organiser_of(r: &meetings::ManagedRow) -> Organiser {
    match &r.city_slug {
        Some(slug) => Organiser::City(CityRef {
            slug: slug.clone(),
            name: Localized::new(
                r.city_name_en.clone().unwrap_or_default(),
                r.city_name_it.clone().unwrap_or_default(),
            ),
            country: String::new(),
        }),
        None => Organiser::Cluster {
            slug: r.cluster_slug.clone().unwrap_or_default(),
            name: Localized::new(
                r.cluster_name_en.clone().unwrap_or_default(),
                r.cluster_name_it.clone().unwrap_or_default(),
            ),
        },
    }
}

pub async fn managed(lang: &str, past: bool, page: u32) -> Result<ManagedList, AppError> {
    let me = require_user()?;
    let db = crate::db()?;
    let locale = crate::locale_of(lang);
    let page = page.max(1);
    let rows = db
        .managed_meetings(
            &scope_of(&me),
            Utc::now().timestamp(),
            past,
            LIST_PAGE + 1,
            LIST_PAGE * i64::from(page - 1),
        )
        .await?;
    let more = rows.len() as i64 > LIST_PAGE;
    let items = rows
        .into_iter()
        .take(LIST_PAGE as usize)
        .map(|r| {
            let zone = meetings::zone_of(&r.timezone);
            ManagedItem {
                id: r.id,
                organiser: organiser_of(&r),
                date: r
                    .occurrence_id
                    .zip(r.starts_at)
                    .map(|(id, at)| (id, moment(locale, zone, at))),
                recurring: r.recurring,
                cancelled: r.cancelled,
                dates: r.occurrences,
                confirmed: r.confirmed,
                waiting: r.waiting,
                title: r.title,
            }
        })
        .collect();
    Ok(ManagedList {
        past,
        page,
        more,
        items,
        owners: owner_options(&db, &me).await?,
    })
}

/// An owner named by the form (`city:lucca`, `cluster:entrepreneurship`), if the caller may
/// publish for it.
async fn require_owner(db: &Db, raw: &str) -> Result<(SessionUser, Owner, OwnerOption), AppError> {
    let (kind, slug) = raw.trim().split_once(':').unwrap_or(("", ""));
    let (me, owner, table) = match kind {
        "city" => {
            let (me, id) = crate::accounts::session::require_city(db, slug).await?;
            (me, Owner::City(id), db::network::Record::City)
        }
        "cluster" => {
            let (me, id) = crate::accounts::session::require_cluster(db, slug).await?;
            (me, Owner::Cluster(id), db::network::Record::Cluster)
        }
        _ => return Err(AppError::NotFound),
    };
    let id = match owner {
        Owner::City(id) | Owner::Cluster(id) => id,
    };
    let (slug, name) = db.slug_and_name(table, id).await?;
    Ok((
        me,
        owner,
        OwnerOption {
            value: format!("{kind}:{slug}"),
            name,
        },
    ))
}

async fn owner_of_meeting(db: &Db, m: &MeetingRow) -> Result<(Owner, OwnerOption), AppError> {
    let (owner, table, kind, id) = match (m.city_id, m.cluster_id) {
        (Some(id), _) => (Owner::City(id), db::network::Record::City, "city", id),
        (None, Some(id)) => (
            Owner::Cluster(id),
            db::network::Record::Cluster,
            "cluster",
            id,
        ),
        (None, None) => return Err(AppError::Internal),
    };
    let (slug, name) = db.slug_and_name(table, id).await?;
    Ok((
        owner,
        OwnerOption {
            value: format!("{kind}:{slug}"),
            name,
        },
    ))
}

/// The sectors a meeting of this owner may belong to: its city's (clusters have none).
async fn sectors_of(db: &Db, owner: &OwnerOption) -> Result<Vec<(String, Localized)>, AppError> {
    match owner.value.strip_prefix("city:") {
        Some(slug) => Ok(db
            .city(slug)
            .await?
            .sectors
            .into_iter()
            .map(|s| (s.slug, s.name))
            .collect()),
        None => Ok(Vec::new()),
    }
}

/// Datetimes in a form are wall-clock times in the meeting's zone.
fn local_of(zone: Zone, epoch: Option<i64>) -> String {
    epoch
        .map(|e| meetings::local_text(zone.local(crate::calendar::ops::instant(e))))
        .unwrap_or_default()
}

async fn draft_of(db: &Db, m: &MeetingRow) -> Result<Draft, AppError> {
    let zone = meetings::zone_of(&m.timezone);
    let sector = match m.sector_id {
        Some(id) => db.sector(id).await.map(|s| s.slug).unwrap_or_default(),
        None => String::new(),
    };
    Ok(Draft {
        title: m.title.clone(),
        description: m.description.clone(),
        sector,
        language: m.language.clone(),
        audience: m.audience.clone(),
        mode: m.mode.clone(),
        place: m.place.clone(),
        address: m.address.clone(),
        latitude: m.latitude.map(|v| v.to_string()).unwrap_or_default(),
        longitude: m.longitude.map(|v| v.to_string()).unwrap_or_default(),
        online_link: db.meeting_online_link(m.id).await?.unwrap_or_default(),
        timezone: m.timezone.clone(),
        start: m.starts_local.clone(),
        end: m.ends_local.clone(),
        repeat: if m.rrule.is_some() {
            Repeat::Custom
        } else {
            Repeat::Never
        }
        .as_str()
        .to_owned(),
        rrule: m.rrule.clone().unwrap_or_default(),
        count: String::new(),
        until: String::new(),
        exceptions: m
            .exdate_list()
            .iter()
            .map(|d| d.get(..10).unwrap_or(d).to_owned())
            .collect::<Vec<_>>()
            .join("\n"),
        capacity: m.capacity.map(|c| c.to_string()).unwrap_or_default(),
        registration: m.takes_registrations,
        opens: local_of(zone, m.registration_opens_at),
        closes: local_of(zone, m.registration_closes_at),
        reminders: format_reminders(&m.reminder_minutes()),
    })
}

pub async fn draft_page(
    lang: &str,
    id: Option<i64>,
    owner: Option<String>,
    copy: Option<i64>,
) -> Result<DraftPage, AppError> {
    let db = crate::db()?;
    let locale = crate::locale_of(lang);
    let (meeting_id, owner, draft, cancelled, dates) = if let Some(source) = id.or(copy) {
        let (_, m) = require_meeting(&db, source).await?;
        let (_, option) = owner_of_meeting(&db, &m).await?;
        let draft = draft_of(&db, &m).await?;
        if id.is_some() {
            let dates = dates_of(&db, locale, &m).await?;
            (Some(source), option, draft, m.cancelled, dates)
        } else {
            (None, option, draft, false, Vec::new())
        }
    } else {
        let (_, _, option) = require_owner(&db, owner.as_deref().unwrap_or_default()).await?;
        // A city's meetings are in its own zone; a cluster's in that of its first lead city.
        let zone = match option.value.split_once(':') {
            Some(("city", slug)) => db.city(slug).await?.city.timezone,
            Some((_, slug)) => db
                .cities(Some(slug))
                .await?
                .into_iter()
                .find(|c| c.clusters.iter().any(|r| r.slug == slug && r.lead))
                .map(|c| c.timezone)
                .unwrap_or_else(|| "UTC".to_owned()),
            None => "UTC".to_owned(),
        };
        let draft = Draft {
            language: if lang == "it" { "it" } else { "en" }.to_owned(),
            audience: Audience::Everyone.as_str().to_owned(),
            mode: Mode::InPerson.as_str().to_owned(),
            timezone: zone,
            repeat: Repeat::Never.as_str().to_owned(),
            registration: true,
            reminders: format_reminders(&[1440, 60]),
            ..Draft::default()
        };
        (None, option, draft, false, Vec::new())
    };
    let mut zones = db.city_timezones().await?;
    if !zones.contains(&draft.timezone) {
        zones.push(draft.timezone.clone());
        zones.sort();
    }
    Ok(DraftPage {
        meeting_id,
        sectors: sectors_of(&db, &owner).await?,
        owner,
        draft,
        zones,
        cancelled,
        dates,
    })
}

async fn dates_of(db: &Db, locale: Locale, m: &MeetingRow) -> Result<Vec<DateAdmin>, AppError> {
    let zone = meetings::zone_of(&m.timezone);
    let now = Utc::now().timestamp();
    Ok(db
        .managed_occurrences(m.id)
        .await?
        .into_iter()
        .map(|o| DateAdmin {
            id: o.id,
            starts: moment(locale, zone, o.starts_at),
            ends: moment(locale, zone, o.ends_at),
            moved: o.moved,
            cancelled: o.cancelled,
            in_rule: o.in_rule,
            past: o.ends_at <= now,
            taken: o.taken,
            waiting: o.waiting,
            pending: o.pending,
        })
        .collect())
}

/// A meeting form that passed every rule.
struct Parsed {
    schedule: Schedule,
    sector_id: Option<i64>,
    audience: Audience,
    mode: Mode,
    online_link: Option<String>,
    capacity: Option<i32>,
    opens: Option<i64>,
    closes: Option<i64>,
    reminders: Vec<i32>,
}

fn required_text(invalid: &mut Invalid, field: &str, raw: &str, max: usize) -> String {
    let text = optional_text(invalid, field, raw, max);
    if text.is_empty() {
        invalid.add(field, Problem::Required);
    }
    text
}

fn schedule_field(part: Part, repeat: Repeat) -> &'static str {
    match part {
        Part::Start => "start",
        Part::End => "end",
        Part::Rule if repeat == Repeat::Custom => "rrule",
        Part::Rule => "repeat",
        Part::Count => "count",
        Part::Until => "until",
    }
}

/// Checks every field of the form, noting each problem beside its field.
async fn parse_draft(
    db: &Db,
    owner: Owner,
    d: &Draft,
    invalid: &mut Invalid,
) -> Result<Option<Parsed>, AppError> {
    if !MEETING_LANGUAGES.contains(&d.language.as_str()) {
        invalid.add("language", Problem::Required);
    }
    let audience = Audience::parse(&d.audience);
    if audience.is_none() {
        invalid.add("audience", Problem::Required);
    }
    let mode = Mode::parse(&d.mode);
    if mode.is_none() {
        invalid.add("mode", Problem::Required);
    }
    let sector_id = match (owner, d.sector.trim()) {
        (_, "") => None,
        (Owner::City(city), slug) => match db.sector_id(city, slug).await {
            Ok(id) => Some(id),
            Err(db::DbError::NotFound) => {
                invalid.add("sector", Problem::UnknownRecord);
                None
            }
            Err(e) => return Err(e.into()),
        },
        (Owner::Cluster(_), _) => {
            invalid.add("sector", Problem::UnknownRecord);
            None
        }
    };
    let online_link = match d.online_link.trim() {
        "" => {
            if mode.is_some_and(Mode::has_link) {
                invalid.add("online_link", Problem::Required);
            }
            None
        }
        raw if raw.chars().count() > MAX_LINK => {
            invalid.add("online_link", Problem::TooLong);
            None
        }
        raw => match url::Url::parse(raw) {
            Ok(u) if matches!(u.scheme(), "https" | "http") && u.host_str().is_some() => {
                Some(u.to_string())
            }
            _ => {
                invalid.add("online_link", Problem::Url);
                None
            }
        },
    };
    let zone = Zone::parse(&d.timezone)
        .map_err(|e| invalid.add("timezone", problem_of(e)))
        .ok();
    let capacity = match d.capacity.trim() {
        "" => None,
        raw => match raw.parse::<i32>() {
            Ok(n) if (1..=MAX_CAPACITY).contains(&n) => Some(n),
            Ok(_) => {
                invalid.add("capacity", Problem::OutOfRange);
                None
            }
            Err(_) => {
                invalid.add("capacity", Problem::Number);
                None
            }
        },
    };
    let reminders = parse_reminders(&d.reminders)
        .map_err(|e| invalid.add("reminders", problem_of(e)))
        .unwrap_or_default();
    let repeat = Repeat::parse(&d.repeat).unwrap_or(Repeat::Never);
    let count = match d.count.trim() {
        "" => None,
        raw => raw
            .parse::<u16>()
            .map_err(|_| invalid.add("count", Problem::Number))
            .ok(),
    };
    let until = match d.until.trim() {
        "" => None,
        raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .map_err(|_| invalid.add("until", Problem::Format))
            .ok(),
    };
    let mut exdays = Vec::new();
    for item in d
        .exceptions
        .split([',', ';', '\n', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match NaiveDate::parse_from_str(item, "%Y-%m-%d") {
            Ok(day) => exdays.push(day),
            Err(_) => {
                invalid.add("exceptions", Problem::Format);
                break;
            }
        }
    }
    if exdays.len() > usize::from(Schedule::MAX_OCCURRENCES) {
        invalid.add("exceptions", Problem::TooLong);
    }
    let Some(zone) = zone else {
        return Ok(None);
    };
    let start = parse_local(&d.start).ok();
    let rule = match start {
        Some(start) => repeat
            .rule(zone, start, &d.rrule, count, until)
            .map_err(|(part, e)| invalid.add(schedule_field(part, repeat), problem_of(e)))
            .unwrap_or_default(),
        None => String::new(),
    };
    let exdates: Vec<NaiveDateTime> = match start {
        Some(start) => exdays.iter().map(|d| d.and_time(start.time())).collect(),
        None => Vec::new(),
    };
    let schedule = match Schedule::parse(zone, &d.start, &d.end, &rule, &exdates) {
        Ok(s) => Some(s),
        Err(problems) => {
            for (part, e) in problems {
                invalid.add(schedule_field(part, repeat), problem_of(e));
            }
            None
        }
    };
    let window_time = |field: &str, raw: &str, invalid: &mut Invalid| -> Option<i64> {
        if raw.trim().is_empty() {
            return None;
        }
        parse_local(raw)
            .and_then(|t| zone.instant(t))
            .map(|t| t.timestamp())
            .map_err(|e| invalid.add(field, problem_of(e)))
            .ok()
    };
    let opens = window_time("opens", &d.opens, invalid);
    let closes = window_time("closes", &d.closes, invalid);
    if let (Some(o), Some(c)) = (opens, closes) {
        if c <= o {
            invalid.add("closes", Problem::EndBeforeStart);
        }
    }
    let (Some(schedule), Some(audience), Some(mode)) = (schedule, audience, mode) else {
        return Ok(None);
    };
    Ok(Some(Parsed {
        schedule,
        sector_id,
        audience,
        mode,
        online_link,
        capacity,
        opens,
        closes,
        reminders,
    }))
}

fn keep_draft(invalid: &mut Invalid, d: &Draft) {
    for (k, v) in [
        ("title", &d.title),
        ("description", &d.description),
        ("sector", &d.sector),
        ("language", &d.language),
        ("audience", &d.audience),
        ("mode", &d.mode),
        ("place", &d.place),
        ("address", &d.address),
        ("latitude", &d.latitude),
        ("longitude", &d.longitude),
        ("online_link", &d.online_link),
        ("timezone", &d.timezone),
        ("start", &d.start),
        ("end", &d.end),
        ("repeat", &d.repeat),
        ("rrule", &d.rrule),
        ("count", &d.count),
        ("until", &d.until),
        ("exceptions", &d.exceptions),
        ("capacity", &d.capacity),
        ("opens", &d.opens),
        ("closes", &d.closes),
        ("reminders", &d.reminders),
    ] {
        invalid.keep(k, v);
    }
    invalid.keep("registration", if d.registration { "yes" } else { "" });
}

/// The venue's position: both coordinates or neither, and for a city's meeting within reach of
/// the city, so that it lands on the city's map.
async fn venue_position(
    db: &db::Db,
    owner: Owner,
    d: &Draft,
    invalid: &mut Invalid,
) -> Result<Option<(f64, f64)>, AppError> {
    let near = match owner {
        Owner::City(id) => {
            let city = db.city_brief_by_id(id).await?;
            Some((city.latitude, city.longitude))
        }
        Owner::Cluster(_) => None,
    };
    Ok(crate::forms::input::position(
        invalid,
        &d.latitude,
        &d.longitude,
        near,
        false,
    ))
}

fn owner_ids(owner: Owner) -> (Option<i64>, Option<i64>) {
    match owner {
        Owner::City(id) => (Some(id), None),
        Owner::Cluster(id) => (None, Some(id)),
    }
}

fn audit_json(m: &MeetingRow) -> serde_json::Value {
    serde_json::json!({
        "title": m.title,
        "timezone": m.timezone,
        "start": m.starts_local,
        "end": m.ends_local,
        "rrule": m.rrule,
        "exdates": m.exdates,
        "mode": m.mode,
        "place": m.place,
        "position": m.latitude.zip(m.longitude),
        "capacity": m.capacity,
        "registration": m.takes_registrations,
        "cancelled": m.cancelled,
        "sequence": m.sequence,
    })
}

#[allow(clippy::too_many_arguments)]
async fn audit(
    tx: &mut Tx,
    me: &SessionUser,
    action: &str,
    entity: &str,
    entity_id: i64,
    owner: Owner,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<(), AppError> {
    let (city_id, cluster_id) = owner_ids(owner);
    let entry = db::audit::NewEntry {
        actor_id: Some(me.user.id),
        actor_email: &me.user.email,
        action,
        entity,
        entity_id: entity_id.to_string(),
        city_id,
        cluster_id,
        before,
        after,
    };
    db::audit::append(tx, &entry, Utc::now()).await?;
    Ok(())
}

fn owner_of_row(m: &MeetingRow) -> Owner {
    match (m.city_id, m.cluster_id) {
        (Some(id), _) => Owner::City(id),
        (None, id) => Owner::Cluster(id.unwrap_or_default()),
    }
}

/// Renders a meeting's Markdown once, as it is saved: its pages and feeds show the result.
async fn render_description(tx: &mut db::Tx, id: i64, description: &str) -> Result<(), AppError> {
    let html = crate::markdown::render_markdown(description);
    let text = crate::markdown::plain_text(description);
    Ok(meetings::set_rendered_description(tx, id, &html, &text).await?)
}

pub async fn save(lang: &str, id: Option<i64>, owner_raw: &str, d: Draft) -> Result<(), AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let (me, owner, before) = match id {
        Some(id) => {
            let (me, m) = require_meeting(&db, id).await?;
            (me, owner_of_row(&m), Some(m))
        }
        None => {
            let (me, owner, _) = require_owner(&db, owner_raw).await?;
            (me, owner, None)
        }
    };
    let mut invalid = Invalid::default();
    keep_draft(&mut invalid, &d);
    let title = required_text(&mut invalid, "title", &d.title, MAX_TITLE);
    // A title is one line wherever it goes: a mail's subject, a calendar's SUMMARY and NAME.
    if title.contains('\n') && invalid.problem("title").is_none() {
        invalid.add("title", Problem::Characters);
    }
    let description = optional_text(&mut invalid, "description", &d.description, MAX_DESCRIPTION);
    let place = optional_text(&mut invalid, "place", &d.place, MAX_PLACE);
    let address = optional_text(&mut invalid, "address", &d.address, MAX_PLACE);
    let position = venue_position(&db, owner, &d, &mut invalid).await?;
    let parsed = parse_draft(&db, owner, &d, &mut invalid).await?;
    if let (Some(m), Some(p)) = (&before, &parsed) {
        if let Some(capacity) = p.capacity {
            let now = Utc::now().timestamp();
            let most = db
                .managed_occurrences(m.id)
                .await?
                .iter()
                .filter(|o| o.ends_at > now)
                .map(|o| o.taken)
                .max()
                .unwrap_or(0);
            if capacity < most {
                invalid.add("capacity", Problem::CapacityBelowTaken);
            }
        }
    }
    invalid.clone().into_result()?;
    let Some(p) = parsed else {
        return Err(AppError::Invalid(invalid));
    };
    let now = Utc::now();
    let uid = format!("{}@learning-city", uuid::Uuid::new_v4());
    let meeting = NewMeeting {
        uid: &uid,
        owner,
        sector_id: p.sector_id,
        title: &title,
        description: &description,
        language: d.language.trim(),
        audience: p.audience,
        mode: p.mode,
        place: &place,
        address: &address,
        position,
        online_link: p.online_link.as_deref(),
        schedule: &p.schedule,
        capacity: p.capacity,
        takes_registrations: d.registration,
        registration_opens_at: p.opens,
        registration_closes_at: p.closes,
        reminders: &p.reminders,
        created_by: Some(me.user.id),
    };
    let mut tx = db.begin_write().await?;
    let id = match &before {
        None => {
            let id = meetings::create(&mut tx, &meeting, now.timestamp()).await?;
            render_description(&mut tx, id, &description).await?;
            let after = meetings::meeting_in(&mut tx, id).await?;
            audit(
                &mut tx,
                &me,
                "meeting.create",
                "meeting",
                id,
                owner,
                None,
                Some(audit_json(&after)),
            )
            .await?;
            id
        }
        Some(old) => {
            let done = meetings::update(&mut tx, old.id, &meeting, now.timestamp()).await?;
            render_description(&mut tx, old.id, &description).await?;
            for oid in &done.changed {
                tell_everyone(&mut tx, &site, *oid, Change::Moved).await?;
            }
            for oid in &done.cancelled {
                tell_everyone(&mut tx, &site, *oid, Change::Cancelled).await?;
            }
            // Seats a higher capacity frees go to the waitlist last, so that the promoted hear
            // of their seat after (not before) any change of time.
            let promoted = meetings::fill_seats(&mut tx, old.id, now.timestamp()).await?;
            for row in promoted {
                tell_placed(&mut tx, &site, &row, Placement::Promoted).await?;
            }
            let after = meetings::meeting_in(&mut tx, old.id).await?;
            audit(
                &mut tx,
                &me,
                "meeting.update",
                "meeting",
                old.id,
                owner,
                Some(audit_json(old)),
                Some(audit_json(&after)),
            )
            .await?;
            old.id
        }
    };
    tx.commit().await?;
    crate::redirect_to(lang, &format!("coordinate/meetings/{id}?done=saved"));
    Ok(())
}

/// What happened to a date, for the letter that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Moved,
    Cancelled,
    Reinstated,
}

/// Tells everyone registered for a date what changed; people with a seat get the updated
/// calendar entry (same UID, higher SEQUENCE) so that their calendar program replaces it.
async fn tell_everyone(
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

async fn send(
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

fn change_letter(
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
    let seat = person.status() == RegistrationStatus::Confirmed;
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
        let ics = crate::calendar::feeds::personal_ics(site, m, o, online, &personal, locale);
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
async fn tell_placed(
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
        row.status(),
        &fresh.secret,
        why,
    );
    send(tx, site, row, letter).await
}

pub async fn cancel_meeting(lang: &str, id: i64) -> Result<(), AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let (me, m) = require_meeting(&db, id).await?;
    let mut tx = db.begin_write().await?;
    let cancelled = meetings::cancel_meeting(&mut tx, id, Utc::now().timestamp()).await?;
    for oid in &cancelled {
        tell_everyone(&mut tx, &site, *oid, Change::Cancelled).await?;
    }
    if !cancelled.is_empty() || !m.cancelled {
        let after = meetings::meeting_in(&mut tx, id).await?;
        audit(
            &mut tx,
            &me,
            "meeting.cancel",
            "meeting",
            id,
            owner_of_row(&m),
            Some(audit_json(&m)),
            Some(audit_json(&after)),
        )
        .await?;
    }
    tx.commit().await?;
    crate::redirect_to(lang, &format!("coordinate/meetings/{id}?done=cancelled"));
    Ok(())
}

pub async fn delete_meeting(lang: &str, id: i64, confirmed: bool) -> Result<(), AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let (me, m) = require_meeting(&db, id).await?;
    if !confirmed {
        return Err(Invalid::only("confirm", Problem::Confirm));
    }
    let now = Utc::now().timestamp();
    let mut tx = db.begin_write().await?;
    // Registrants of dates still ahead hear that theirs is off before the record goes; the
    // letter carries no link, since the meeting's page goes with it.
    let online = meetings::online_link_in(&mut tx, id).await?;
    for oid in meetings::upcoming_dates_in(&mut tx, id, now).await? {
        let mut o = meetings::occurrence_in(&mut tx, oid).await?;
        o.cancelled = true;
        o.sequence += 1;
        for person in meetings::live_registrants(&mut tx, oid).await? {
            let letter = change_letter(
                &site,
                (&m, &o, online.as_deref()),
                &person,
                "",
                Change::Cancelled,
                false,
            );
            send(&mut tx, &site, &person, letter).await?;
        }
    }
    if meetings::delete(&mut tx, id).await? {
        audit(
            &mut tx,
            &me,
            "meeting.delete",
            "meeting",
            id,
            owner_of_row(&m),
            Some(audit_json(&m)),
            None,
        )
        .await?;
    }
    tx.commit().await?;
    crate::redirect_to(lang, "coordinate/meetings?done=deleted");
    Ok(())
}

pub async fn move_date(
    lang: &str,
    occurrence: i64,
    start: &str,
    end: &str,
) -> Result<(), AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let (me, m, o) = require_occurrence(&db, occurrence).await?;
    let mut invalid = Invalid::default();
    invalid.keep("start", start);
    invalid.keep("end", end);
    let now = Utc::now().timestamp();
    if o.ends_at <= now {
        invalid.add(Invalid::FORM, Problem::OutOfRange);
    }
    let zone = meetings::zone_of(&m.timezone);
    let slot = match Schedule::parse(zone, start, end, "", &[]) {
        Ok(s) => s.slots().into_iter().next(),
        Err(problems) => {
            for (part, e) in problems {
                invalid.add(schedule_field(part, Repeat::Never), problem_of(e));
            }
            None
        }
    };
    invalid.clone().into_result()?;
    let Some(slot) = slot else {
        return Err(AppError::Invalid(invalid));
    };
    let mut tx = db.begin_write().await?;
    let (starts, ends) = (slot.starts_at.timestamp(), slot.ends_at.timestamp());
    if meetings::move_occurrence(&mut tx, occurrence, starts, ends, now).await? {
        tell_everyone(&mut tx, &site, occurrence, Change::Moved).await?;
        audit(
            &mut tx,
            &me,
            "occurrence.move",
            "occurrence",
            occurrence,
            owner_of_row(&m),
            Some(serde_json::json!({ "starts_at": o.starts_at, "ends_at": o.ends_at })),
            Some(serde_json::json!({ "starts_at": starts, "ends_at": ends })),
        )
        .await?;
    }
    tx.commit().await?;
    crate::redirect_to(
        lang,
        &format!("coordinate/occurrences/{occurrence}?done=moved"),
    );
    Ok(())
}

/// Calls one date off (`off`) or puts it back on; everyone registered for it is told.
pub async fn switch_date(lang: &str, occurrence: i64, off: bool) -> Result<(), AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let (me, m, _) = require_occurrence(&db, occurrence).await?;
    let now = Utc::now().timestamp();
    let mut tx = db.begin_write().await?;
    let changed = if off {
        meetings::cancel_occurrence(&mut tx, occurrence, now).await?
    } else {
        meetings::reinstate_occurrence(&mut tx, occurrence, now).await?
    };
    // A date already off is left as it is; one that cannot come back (past, dropped from the
    // series, or its meeting called off) is refused.
    if !off && !changed {
        return Err(Invalid::only(Invalid::FORM, Problem::OutOfRange));
    }
    if changed {
        let (change, action) = if off {
            (Change::Cancelled, "occurrence.cancel")
        } else {
            (Change::Reinstated, "occurrence.reinstate")
        };
        tell_everyone(&mut tx, &site, occurrence, change).await?;
        audit(
            &mut tx,
            &me,
            action,
            "occurrence",
            occurrence,
            owner_of_row(&m),
            Some(serde_json::json!({ "cancelled": !off })),
            Some(serde_json::json!({ "cancelled": off })),
        )
        .await?;
    }
    tx.commit().await?;
    let done = if off { "cancelled" } else { "reinstated" };
    crate::redirect_to(
        lang,
        &format!("coordinate/occurrences/{occurrence}?done={done}"),
    );
    Ok(())
}

pub async fn attendees(lang: &str, occurrence: i64) -> Result<Attendees, AppError> {
    let db = crate::db()?;
    let locale = crate::locale_of(lang);
    let (_, m, o) = require_occurrence(&db, occurrence).await?;
    let zone = meetings::zone_of(&m.timezone);
    let now = Utc::now().timestamp();
    let mut position = 0;
    let people = db
        .registrations(occurrence)
        .await?
        .into_iter()
        .map(|r| {
            let status = r.status();
            let place = (status == RegistrationStatus::Waiting).then(|| {
                position += 1;
                position
            });
            Attendee {
                id: r.id,
                registered: zone
                    .local(crate::calendar::ops::instant(r.created_at))
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
                status,
                position: place,
                attended: r.attended,
                name: r.name,
                email: r.email,
                organisation: r.organisation,
                needs: r.needs,
            }
        })
        .collect();
    let other_dates = db
        .next_occurrences(m.id, now - 1, 50)
        .await?
        .into_iter()
        .filter(|(id, _)| *id != occurrence)
        .map(|(id, at)| (id, moment(locale, zone, at)))
        .collect();
    Ok(Attendees {
        meeting_id: m.id,
        occurrence,
        title: m.title.clone(),
        starts: moment(locale, zone, o.starts_at),
        ends: moment(locale, zone, o.ends_at),
        timezone: m.timezone.clone(),
        capacity: m.capacity,
        taken: o.taken,
        cancelled: o.cancelled,
        past: o.ends_at <= now,
        people,
        other_dates,
    })
}

pub async fn manage_registration(
    lang: &str,
    registration: i64,
    action: &str,
    target: Option<i64>,
) -> Result<(), AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let row = db.registration(registration).await?;
    let (me, m, _) = require_occurrence(&db, row.occurrence_id).await?;
    let owner = owner_of_row(&m);
    let now = Utc::now().timestamp();
    let mut tx = db.begin_write().await?;
    let (done, detail) = match action {
        "seat" => {
            let Some(seated) = meetings::give_seat(&mut tx, registration, now).await? else {
                return Err(Invalid::only(Invalid::FORM, Problem::NoSeat));
            };
            tell_placed(&mut tx, &site, &seated, Placement::ByOrganisers).await?;
            ("seated", serde_json::json!({ "status": "confirmed" }))
        }
        "remove" => {
            let Some(cancelled) = meetings::cancel(&mut tx, registration, now).await? else {
                return Err(Invalid::only(Invalid::FORM, Problem::Link));
            };
            let o = meetings::occurrence_in(&mut tx, row.occurrence_id).await?;
            let letter = removed_letter(&site, &o, &cancelled.row);
            send(&mut tx, &site, &cancelled.row, letter).await?;
            if let Some(promoted) = cancelled.promoted {
                tell_placed(&mut tx, &site, &promoted, Placement::Promoted).await?;
            }
            ("removed", serde_json::json!({ "status": "cancelled" }))
        }
        "present" | "absent" => {
            let came = action == "present";
            if !meetings::set_attended(&mut tx, registration, Some(came)).await? {
                return Err(Invalid::only(Invalid::FORM, Problem::NoSeat));
            }
            ("attendance", serde_json::json!({ "attended": came }))
        }
        "move" => {
            let Some(target) = target else {
                return Err(Invalid::only(Invalid::FORM, Problem::Required));
            };
            // A registration for another date: its own link.
            let fresh = crate::link_key()?.fresh();
            match meetings::move_registration(&mut tx, registration, target, &fresh, now).await? {
                Moved::Done {
                    row: moved,
                    confirmed,
                    promoted,
                } => {
                    let o = meetings::occurrence_in(&mut tx, target).await?;
                    let online = meetings::online_link_in(&mut tx, m.id).await?;
                    let status = if confirmed {
                        RegistrationStatus::Confirmed
                    } else {
                        RegistrationStatus::Waiting
                    };
                    let letter = placed_letter(
                        &site,
                        (&m, &o, online.as_deref()),
                        &moved,
                        status,
                        &fresh.token.secret,
                        Placement::ByOrganisers,
                    );
                    send(&mut tx, &site, &moved, letter).await?;
                    if let Some(promoted) = promoted {
                        tell_placed(&mut tx, &site, &promoted, Placement::Promoted).await?;
                    }
                    (
                        "moved",
                        serde_json::json!({ "occurrence": target, "registration": moved.id }),
                    )
                }
                // The rows' forms have no field of their own to show these beside.
                Moved::AlreadyThere => {
                    return Err(Invalid::only(Invalid::FORM, Problem::AlreadyRegistered))
                }
                Moved::Refused => return Err(Invalid::only(Invalid::FORM, Problem::UnknownRecord)),
            }
        }
        _ => return Err(Invalid::only(Invalid::FORM, Problem::Format)),
    };
    audit(
        &mut tx,
        &me,
        &format!("registration.{done}"),
        "registration",
        registration,
        owner,
        Some(serde_json::json!({ "status": row.status, "attended": row.attended })),
        Some(detail),
    )
    .await?;
    tx.commit().await?;
    crate::redirect_to(
        lang,
        &format!("coordinate/occurrences/{}?done={done}", row.occurrence_id),
    );
    Ok(())
}

fn removed_letter(site: &SiteInfo, o: &OccurrenceRow, person: &RegistrationRow) -> Letter {
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
            crate::calendar::ops::meeting_url(site, locale, o.id),
        )),
        note: None,
        attachments: Vec::new(),
    }
}

pub async fn message_registrants(
    lang: &str,
    occurrence: i64,
    subject: &str,
    body: &str,
    waitlist: bool,
) -> Result<(), AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let (me, m, _) = require_occurrence(&db, occurrence).await?;
    let mut invalid = Invalid::default();
    invalid.keep("subject", subject);
    invalid.keep("body", body);
    let subject = required_text(&mut invalid, "subject", subject, MAX_SUBJECT);
    if subject.contains('\n') {
        invalid.add("subject", Problem::Characters);
    }
    let body = required_text(&mut invalid, "body", body, MAX_MESSAGE);
    invalid.into_result()?;
    let key = crate::link_key()?;
    let mut tx = db.begin_write().await?;
    let o = meetings::occurrence_in(&mut tx, occurrence).await?;
    let mut sent = 0;
    for person in meetings::live_registrants(&mut tx, occurrence).await? {
        let status = person.status();
        let wanted = status == RegistrationStatus::Confirmed
            || (waitlist && status == RegistrationStatus::Waiting);
        if !wanted {
            continue;
        }
        let locale = crate::locale_of(&person.locale);
        let s = summary(locale, o.clone());
        let fresh = meetings::personal_link(&mut tx, person.id, &key).await?;
        let mut paragraphs: Vec<String> = body
            .split("\n\n")
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .collect();
        paragraphs.push(
            leptos_i18n::td_string!(
                locale,
                mail_message_about,
                title = s.title.clone(),
                when = when(&s)
            )
            .to_string(),
        );
        let letter = Letter {
            locale,
            subject: subject.clone(),
            greeting: greeting(locale, &person.name),
            paragraphs,
            action: Some((
                leptos_i18n::td_string!(locale, mail_personal_action).to_string(),
                link(&site, locale, "registration", &fresh.secret),
            )),
            note: Some(leptos_i18n::td_string!(locale, mail_message_note).to_string()),
            attachments: Vec::new(),
        };
        send(&mut tx, &site, &person, letter).await?;
        sent += 1;
    }
    audit(
        &mut tx,
        &me,
        "meeting.message",
        "occurrence",
        occurrence,
        owner_of_row(&m),
        None,
        Some(serde_json::json!({ "subject": subject, "recipients": sent })),
    )
    .await?;
    tx.commit().await?;
    crate::redirect_to(
        lang,
        &format!("coordinate/occurrences/{occurrence}?done=sent"),
    );
    Ok(())
}

/// The registrations of a date as CSV for the organisers (UTF-8 with a byte-order mark, so
/// that spreadsheet programs read accents right). Cells that a spreadsheet would run as a
/// formula are prefixed with an apostrophe.
pub async fn registrations_csv(
    db: &Db,
    me: &SessionUser,
    occurrence: i64,
) -> Result<(String, String), AppError> {
    let o = db.occurrence(occurrence).await?;
    let m = db.meeting(o.meeting_id).await?;
    if !may_manage(me, &m) {
        return Err(AppError::Forbidden);
    }
    let zone = meetings::zone_of(&m.timezone);
    let at = |e: i64| {
        zone.local(crate::calendar::ops::instant(e))
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    let cell = crate::export::spreadsheet_safe;
    let io = |e: csv::Error| {
        tracing::error!(error = %e, "writing CSV");
        AppError::Internal
    };
    out.write_record([
        "status",
        "waitlist_position",
        "name",
        "email",
        "organisation",
        "accessibility_needs",
        "language",
        "registered",
        "attended",
    ])
    .map_err(io)?;
    let mut position = 0;
    for r in db.registrations(occurrence).await? {
        let place = if r.status() == RegistrationStatus::Waiting {
            position += 1;
            position.to_string()
        } else {
            String::new()
        };
        out.write_record([
            r.status.as_str(),
            &place,
            &cell(&r.name),
            &cell(&r.email),
            &cell(&r.organisation),
            &cell(&r.needs),
            &r.locale,
            &at(r.created_at),
            match r.attended {
                Some(true) => "yes",
                Some(false) => "no",
                None => "",
            },
        ])
        .map_err(io)?;
    }
    let bytes = out.into_inner().map_err(|_| AppError::Internal)?;
    let body = format!(
        "\u{feff}{}",
        String::from_utf8(bytes).map_err(|_| AppError::Internal)?
    );
    let day = zone
        .local(crate::calendar::ops::instant(o.starts_at))
        .format("%Y-%m-%d");
    Ok((body, format!("registrations-{occurrence}-{day}.csv")))
}
