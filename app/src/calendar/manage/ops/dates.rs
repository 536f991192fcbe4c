//! A meeting or one of its dates called off, deleted or moved.

use super::*;

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
        audit::record(
            &mut tx,
            me.actor(),
            Action::MeetingCancel,
            Target::new(id, m.owner()?),
            Some(audit_json(&m)),
            Some(audit_json(&after)),
            Utc::now(),
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
        audit::record(
            &mut tx,
            me.actor(),
            Action::MeetingDelete,
            Target::new(id, m.owner()?),
            Some(audit_json(&m)),
            None,
            Utc::now(),
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
        audit::record(
            &mut tx,
            me.actor(),
            Action::OccurrenceMove,
            Target::new(occurrence, m.owner()?),
            Some(serde_json::json!({ "starts_at": o.starts_at, "ends_at": o.ends_at })),
            Some(serde_json::json!({ "starts_at": starts, "ends_at": ends })),
            Utc::now(),
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
            (Change::Cancelled, Action::OccurrenceCancel)
        } else {
            (Change::Reinstated, Action::OccurrenceReinstate)
        };
        tell_everyone(&mut tx, &site, occurrence, change).await?;
        audit::record(
            &mut tx,
            me.actor(),
            action,
            Target::new(occurrence, m.owner()?),
            Some(serde_json::json!({ "cancelled": !off })),
            Some(serde_json::json!({ "cancelled": off })),
            Utc::now(),
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
