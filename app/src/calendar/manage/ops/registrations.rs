//! The people registered for a date: the list, what organisers do to a registration, a message
//! to all of them and the spreadsheet.

use super::*;

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
            let status = r.status;
            let place = (status == RegistrationStatus::Waiting).then(|| {
                position += 1;
                position
            });
            Attendee {
                id: r.id,
                registered: zone.local(crate::calendar::read::instant(r.created_at)),
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
        .map(|(id, at)| DateRef {
            occurrence: id,
            starts: moment(locale, zone, at),
        })
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

/// What an organiser's act on a registration did: the page's `done`, and the audit's record.
struct Outcome {
    done: &'static str,
    verb: Action,
    detail: serde_json::Value,
}

pub async fn manage_registration(
    lang: &str,
    registration: i64,
    action: RegistrationAction,
    target: Option<i64>,
) -> Result<(), AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let row = db.registration(registration).await?;
    let (me, m, _) = require_occurrence(&db, row.occurrence_id).await?;
    let owner = m.owner()?;
    let now = Utc::now().timestamp();
    let mut tx = db.begin_write().await?;
    let outcome = match action {
        RegistrationAction::Seat => seat(&mut tx, &site, registration, now).await?,
        RegistrationAction::Remove => remove(&mut tx, &site, &row, now).await?,
        RegistrationAction::Present | RegistrationAction::Absent => {
            let came = action == RegistrationAction::Present;
            if !meetings::set_attended(&mut tx, registration, Some(came)).await? {
                return Err(Invalid::only(Invalid::FORM, Problem::NoSeat));
            }
            Outcome {
                done: "attendance",
                verb: Action::RegistrationAttendance,
                detail: serde_json::json!({ "attended": came }),
            }
        }
        RegistrationAction::Move => {
            let Some(target) = target else {
                return Err(Invalid::only(Invalid::FORM, Problem::Required));
            };
            move_to(&mut tx, &site, &m, registration, target, now).await?
        }
    };
    audit::record(
        &mut tx,
        me.actor(),
        outcome.verb,
        Target::new(registration, owner),
        Some(serde_json::json!({ "status": row.status.as_str(), "attended": row.attended })),
        Some(outcome.detail),
        Utc::now(),
    )
    .await?;
    tx.commit().await?;
    crate::redirect_to(
        lang,
        &format!(
            "coordinate/occurrences/{}?done={}",
            row.occurrence_id, outcome.done
        ),
    );
    Ok(())
}

/// A waiting person gets a free seat out of turn.
async fn seat(
    tx: &mut Tx,
    site: &SiteInfo,
    registration: i64,
    now: i64,
) -> Result<Outcome, AppError> {
    let Some(seated) = meetings::give_seat(tx, registration, now).await? else {
        return Err(Invalid::only(Invalid::FORM, Problem::NoSeat));
    };
    tell_placed(tx, site, &seated, Placement::ByOrganisers).await?;
    Ok(Outcome {
        done: "seated",
        verb: Action::RegistrationSeated,
        detail: serde_json::json!({ "status": "confirmed" }),
    })
}

/// The registration is cancelled, its person told, and the first waiting takes the seat.
async fn remove(
    tx: &mut Tx,
    site: &SiteInfo,
    row: &RegistrationRow,
    now: i64,
) -> Result<Outcome, AppError> {
    let Some(cancelled) = meetings::cancel(tx, row.id, now).await? else {
        return Err(Invalid::only(Invalid::FORM, Problem::Link));
    };
    let o = meetings::occurrence_in(tx, row.occurrence_id).await?;
    let letter = removed_letter(site, &o, &cancelled.row);
    send(tx, site, &cancelled.row, letter).await?;
    if let Some(promoted) = cancelled.promoted {
        tell_placed(tx, site, &promoted, Placement::Promoted).await?;
    }
    Ok(Outcome {
        done: "removed",
        verb: Action::RegistrationRemoved,
        detail: serde_json::json!({ "status": "cancelled" }),
    })
}

/// The registration moves to another date of the same meeting, with a link of its own.
async fn move_to(
    tx: &mut Tx,
    site: &SiteInfo,
    m: &MeetingRow,
    registration: i64,
    target: i64,
    now: i64,
) -> Result<Outcome, AppError> {
    let fresh = crate::link_key()?.fresh();
    let (moved, confirmed, promoted) =
        match meetings::move_registration(tx, registration, target, &fresh, now).await? {
            Moved::Done {
                row,
                confirmed,
                promoted,
            } => (row, confirmed, promoted),
            // The rows' forms have no field of their own to show these beside.
            Moved::AlreadyThere => {
                return Err(Invalid::only(Invalid::FORM, Problem::AlreadyRegistered))
            }
            Moved::Refused => return Err(Invalid::only(Invalid::FORM, Problem::UnknownRecord)),
        };
    let o = meetings::occurrence_in(tx, target).await?;
    let online = meetings::online_link_in(tx, m.id).await?;
    let status = if confirmed {
        RegistrationStatus::Confirmed
    } else {
        RegistrationStatus::Waiting
    };
    let letter = placed_letter(
        site,
        (m, &o, online.as_deref()),
        &moved,
        status,
        &fresh.token.secret,
        Placement::ByOrganisers,
    );
    send(tx, site, &moved, letter).await?;
    if let Some(promoted) = promoted {
        tell_placed(tx, site, &promoted, Placement::Promoted).await?;
    }
    Ok(Outcome {
        done: "moved",
        verb: Action::RegistrationMoved,
        detail: serde_json::json!({ "occurrence": target, "registration": moved.id }),
    })
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
        let status = person.status;
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
    audit::record(
        &mut tx,
        me.actor(),
        Action::MeetingMessage,
        Target::new(occurrence, m.owner()?),
        None,
        Some(serde_json::json!({ "subject": subject, "recipients": sent })),
        Utc::now(),
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
        zone.local(crate::calendar::read::instant(e))
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
        let place = if r.status == RegistrationStatus::Waiting {
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
        .local(crate::calendar::read::instant(o.starts_at))
        .format("%Y-%m-%d");
    Ok((body, format!("registrations-{occurrence}-{day}.csv")))
}
