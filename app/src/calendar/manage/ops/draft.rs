//! The meeting form: a meeting as a draft, the form's rules, and saving it.

use super::*;

/// The sectors a meeting of this owner may belong to: its city's (clusters have none).
pub(super) async fn sectors_of(
    db: &Db,
    owner: &OwnerOption,
) -> Result<Vec<(String, Localized)>, AppError> {
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
pub(super) fn local_of(zone: Zone, epoch: Option<i64>) -> String {
    epoch
        .map(|e| meetings::local_text(zone.local(crate::calendar::read::instant(e))))
        .unwrap_or_default()
}

pub(super) async fn draft_of(db: &Db, m: &MeetingRow) -> Result<Draft, AppError> {
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

pub(super) async fn dates_of(
    db: &Db,
    locale: Locale,
    m: &MeetingRow,
) -> Result<Vec<DateAdmin>, AppError> {
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
pub(super) struct Parsed {
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

pub(super) fn required_text(invalid: &mut Invalid, field: &str, raw: &str, max: usize) -> String {
    let text = optional_text(invalid, field, raw, max);
    if text.is_empty() {
        invalid.add(field, Problem::Required);
    }
    text
}

pub(super) fn schedule_field(part: Part, repeat: Repeat) -> &'static str {
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
pub(super) async fn parse_draft(
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

pub(super) fn keep_draft(invalid: &mut Invalid, d: &Draft) {
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
pub(super) async fn venue_position(
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

pub(super) fn audit_json(m: &MeetingRow) -> serde_json::Value {
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

/// Renders a meeting's Markdown once, as it is saved: its pages and feeds show the result.
pub(super) async fn render_description(
    tx: &mut db::Tx,
    id: i64,
    description: &str,
) -> Result<(), AppError> {
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
            (me, m.owner()?, Some(m))
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
            audit::record(
                &mut tx,
                me.actor(),
                Action::MeetingCreate,
                Target::new(id, owner),
                None,
                Some(audit_json(&after)),
                Utc::now(),
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
            audit::record(
                &mut tx,
                me.actor(),
                Action::MeetingUpdate,
                Target::new(old.id, owner),
                Some(audit_json(old)),
                Some(audit_json(&after)),
                Utc::now(),
            )
            .await?;
            old.id
        }
    };
    tx.commit().await?;
    crate::redirect_to(lang, &format!("coordinate/meetings/{id}?done=saved"));
    Ok(())
}
