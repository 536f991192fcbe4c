//! The coordination table's invitations: an adherent's one-click registration for a meeting.

use super::*;

/// The next dates an invitation may register for.
pub(super) const INVITATION_DATES: i64 = 12;

pub async fn invitation(lang: &str, token: &str) -> Result<InvitationView, AppError> {
    let db = crate::db()?;
    let locale = crate::locale_of(lang);
    let inv = db
        .invitation_by_hash(&db::accounts::OneTimeToken::hash_of(token))
        .await
        .map_err(crate::error::link_gone)?;
    let now = Utc::now().timestamp();
    let mut dates = Vec::new();
    for (id, _) in db
        .next_occurrences(inv.meeting_id, now, INVITATION_DATES)
        .await?
    {
        let s = crate::calendar::read::summary(locale, db.occurrence(id).await?);
        dates.push(InvitationDate {
            occurrence: id,
            when: crate::calendar::ops::when(&s),
        });
    }
    Ok(InvitationView {
        organisation: inv.organisation,
        contact_name: inv.contact_name,
        meeting_id: inv.meeting_id,
        title: inv.meeting_title,
        dates,
        accepted: inv.accepted_at.is_some(),
    })
}

/// Registers an invited adherent's contact for every upcoming date of the meeting at once:
/// the invitation came to their address, so it needs no further confirmation. Seats and the
/// waitlist work as for anyone; dates they already hold a registration for are left alone.
pub async fn accept(lang: &str, token: &str) -> Result<(), AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let inv = db
        .invitation_by_hash(&db::accounts::OneTimeToken::hash_of(token))
        .await
        .map_err(crate::error::link_gone)?;
    if inv.status != AdhesionStatus::Approved.as_str() {
        return Err(Invalid::only(Invalid::FORM, Problem::Link));
    }
    let email = Email::parse(&inv.email).map_err(|_| AppError::Internal)?;
    let now = Utc::now().timestamp();
    let m = db.meeting(inv.meeting_id).await?;
    let online = db.meeting_online_link(inv.meeting_id).await?;
    let mut dates = Vec::new();
    for (id, _) in db
        .next_occurrences(inv.meeting_id, now, INVITATION_DATES)
        .await?
    {
        dates.push(db.occurrence(id).await?);
    }
    let key = crate::link_key()?;
    let mut tx = db.begin_write().await?;
    for occurrence in &dates {
        let fresh = key.fresh();
        let personal = &fresh.token;
        let registered = db::meetings::register(
            &mut tx,
            &db::meetings::NewRegistration {
                occurrence_id: occurrence.id,
                email: email.as_str(),
                name: &inv.contact_name,
                organisation: &inv.organisation,
                needs: "",
                locale: &inv.locale,
                link: &fresh,
            },
            now,
        )
        .await?;
        if !matches!(registered, db::meetings::Registered::Created(_)) {
            continue;
        }
        if let Some((row, status)) = db::meetings::confirm(&mut tx, &personal.hash, now).await? {
            let letter = crate::calendar::ops::placed_letter(
                &site,
                (&m, occurrence, online.as_deref()),
                &row,
                status,
                &personal.secret,
                crate::calendar::ops::Placement::Confirmed,
            );
            crate::mail::enqueue(&mut tx, &site.mail_from, &email, &row.name, letter).await?;
        }
    }
    pacts::accept_invitation(&mut tx, inv.id, now).await?;
    tx.commit().await?;
    crate::redirect_to(
        lang,
        &format!("pact/invitation?token={}&done=accepted", token.trim()),
    );
    Ok(())
}
