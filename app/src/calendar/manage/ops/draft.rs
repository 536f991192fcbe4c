//! The meeting form: a meeting as a draft, and saving it (its rules are in `rules`).

use super::*;

/// The sectors a meeting of this owner may belong to: its city's (clusters have none).
pub(super) async fn sectors_of(db: &Db, owner: &OwnerOption) -> Result<Vec<Named>, AppError> {
    match owner.value.strip_prefix("city:") {
        Some(slug) => Ok(db
            .city(slug)
            .await?
            .sectors
            .into_iter()
            .map(|s| Named {
                slug: s.slug,
                name: s.name,
            })
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

/// The form's texts, checked.
struct Texts {
    title: String,
    description: String,
    place: String,
    address: String,
}

fn texts(invalid: &mut Invalid, d: &Draft) -> Texts {
    let title = required_text(invalid, "title", &d.title, MAX_TITLE);
    // A title is one line wherever it goes: a mail's subject, a calendar's SUMMARY and NAME.
    if title.contains('\n') && invalid.problem("title").is_none() {
        invalid.add("title", Problem::Characters);
    }
    Texts {
        title,
        description: optional_text(invalid, "description", &d.description, MAX_DESCRIPTION),
        place: optional_text(invalid, "place", &d.place, MAX_PLACE),
        address: optional_text(invalid, "address", &d.address, MAX_PLACE),
    }
}

/// A lower capacity still has a seat for everyone already seated on each date ahead.
async fn check_capacity(
    db: &Db,
    before: &MeetingRow,
    capacity: i32,
    invalid: &mut Invalid,
) -> Result<(), AppError> {
    let now = Utc::now().timestamp();
    let most = db
        .managed_occurrences(before.id)
        .await?
        .iter()
        .filter(|o| o.ends_at > now)
        .map(|o| o.taken)
        .max()
        .unwrap_or(0);
    if capacity < most {
        invalid.add("capacity", Problem::CapacityBelowTaken);
    }
    Ok(())
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
    let t = texts(&mut invalid, &d);
    let position = venue_position(&db, owner, &d, &mut invalid).await?;
    let parsed = parse_draft(&db, owner, &d, &mut invalid).await?;
    if let (Some(m), Some(capacity)) = (&before, parsed.as_ref().and_then(|p| p.capacity)) {
        check_capacity(&db, m, capacity, &mut invalid).await?;
    }
    invalid.clone().into_result()?;
    let Some(p) = parsed else {
        return Err(AppError::Invalid(invalid));
    };
    let uid = format!("{}@learning-city", uuid::Uuid::new_v4());
    let meeting = NewMeeting {
        uid: &uid,
        owner,
        sector_id: p.sector_id,
        title: &t.title,
        description: &t.description,
        language: d.language.trim(),
        audience: p.audience,
        mode: p.mode,
        place: &t.place,
        address: &t.address,
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
        None => create(&mut tx, &me, &meeting, &t.description).await?,
        Some(old) => update(&mut tx, &site, &me, old, &meeting, &t.description).await?,
    };
    tx.commit().await?;
    crate::redirect_to(lang, &format!("coordinate/meetings/{id}?done=saved"));
    Ok(())
}

async fn create(
    tx: &mut Tx,
    me: &SessionUser,
    meeting: &NewMeeting<'_>,
    description: &str,
) -> Result<i64, AppError> {
    let id = meetings::create(tx, meeting, Utc::now().timestamp()).await?;
    render_description(tx, id, description).await?;
    let after = meetings::meeting_in(tx, id).await?;
    audit::record(
        tx,
        me.actor(),
        Action::MeetingCreate,
        Target::new(id, meeting.owner),
        None,
        Some(audit_json(&after)),
        Utc::now(),
    )
    .await?;
    Ok(id)
}

/// Changes a meeting, telling the people registered for the dates it moves or drops.
async fn update(
    tx: &mut Tx,
    site: &SiteInfo,
    me: &SessionUser,
    old: &MeetingRow,
    meeting: &NewMeeting<'_>,
    description: &str,
) -> Result<i64, AppError> {
    let now = Utc::now().timestamp();
    let done = meetings::update(tx, old.id, meeting, now).await?;
    render_description(tx, old.id, description).await?;
    for oid in &done.changed {
        tell_everyone(tx, site, *oid, Change::Moved).await?;
    }
    for oid in &done.cancelled {
        tell_everyone(tx, site, *oid, Change::Cancelled).await?;
    }
    // Seats a higher capacity frees go to the waitlist last, so that the promoted hear
    // of their seat after (not before) any change of time.
    let promoted = meetings::fill_seats(tx, old.id, now).await?;
    for row in promoted {
        tell_placed(tx, site, &row, Placement::Promoted).await?;
    }
    let after = meetings::meeting_in(tx, old.id).await?;
    audit::record(
        tx,
        me.actor(),
        Action::MeetingUpdate,
        Target::new(old.id, meeting.owner),
        Some(audit_json(old)),
        Some(audit_json(&after)),
        Utc::now(),
    )
    .await?;
    Ok(old.id)
}
