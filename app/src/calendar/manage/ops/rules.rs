//! The meeting form's rules: each section of the form checked, every problem noted beside its
//! field, in the order the form shows them.

use super::*;

/// A meeting form that passed every rule.
pub(super) struct Parsed {
    pub(super) schedule: Schedule,
    pub(super) sector_id: Option<i64>,
    pub(super) audience: Audience,
    pub(super) mode: Mode,
    pub(super) online_link: Option<String>,
    pub(super) capacity: Option<i32>,
    pub(super) opens: Option<i64>,
    pub(super) closes: Option<i64>,
    pub(super) reminders: Vec<i32>,
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
    let (audience, mode) = kinds(d, invalid);
    let sector_id = sector_of(db, owner, d, invalid).await?;
    let online_link = online_link_of(d, mode, invalid);
    let zone = Zone::parse(&d.timezone)
        .map_err(|e| invalid.add("timezone", problem_of(e)))
        .ok();
    let capacity = capacity_of(d, invalid);
    let reminders = parse_reminders(&d.reminders)
        .map_err(|e| invalid.add("reminders", problem_of(e)))
        .unwrap_or_default();
    let recurrence = recurrence_of(d, invalid);
    let Some(zone) = zone else {
        return Ok(None);
    };
    let schedule = schedule_of(zone, d, &recurrence, invalid);
    let (opens, closes) = window_of(zone, d, invalid);
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

/// The meeting's language, audience and mode.
fn kinds(d: &Draft, invalid: &mut Invalid) -> (Option<Audience>, Option<Mode>) {
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
    (audience, mode)
}

/// One of the owner's city's sectors, or none.
async fn sector_of(
    db: &Db,
    owner: Owner,
    d: &Draft,
    invalid: &mut Invalid,
) -> Result<Option<i64>, AppError> {
    Ok(match (owner, d.sector.trim()) {
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
    })
}

/// A web address, required when the meeting is (also) online.
fn online_link_of(d: &Draft, mode: Option<Mode>, invalid: &mut Invalid) -> Option<String> {
    match d.online_link.trim() {
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
    }
}

fn capacity_of(d: &Draft, invalid: &mut Invalid) -> Option<i32> {
    match d.capacity.trim() {
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
    }
}

/// How a meeting repeats, before its zone and first date make it a schedule.
struct Recurrence {
    repeat: Repeat,
    count: Option<u16>,
    until: Option<NaiveDate>,
    /// Days left out.
    exdays: Vec<NaiveDate>,
}

fn recurrence_of(d: &Draft, invalid: &mut Invalid) -> Recurrence {
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
    Recurrence {
        repeat,
        count,
        until,
        exdays,
    }
}

/// The first date, its end and how it repeats, in the meeting's zone.
fn schedule_of(zone: Zone, d: &Draft, r: &Recurrence, invalid: &mut Invalid) -> Option<Schedule> {
    let repeat = r.repeat;
    let start = parse_local(&d.start).ok();
    let rule = match start {
        Some(start) => repeat
            .rule(zone, start, &d.rrule, r.count, r.until)
            .map_err(|(part, e)| invalid.add(schedule_field(part, repeat), problem_of(e)))
            .unwrap_or_default(),
        None => String::new(),
    };
    let exdates: Vec<NaiveDateTime> = match start {
        Some(start) => r.exdays.iter().map(|d| d.and_time(start.time())).collect(),
        None => Vec::new(),
    };
    match Schedule::parse(zone, &d.start, &d.end, &rule, &exdates) {
        Ok(s) => Some(s),
        Err(problems) => {
            for (part, e) in problems {
                invalid.add(schedule_field(part, repeat), problem_of(e));
            }
            None
        }
    }
}

/// When registration opens and closes, as instants.
fn window_of(zone: Zone, d: &Draft, invalid: &mut Invalid) -> (Option<i64>, Option<i64>) {
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
    (opens, closes)
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
