//! The coordination table: its signatories and the invitations to its meetings.

use super::*;

pub async fn table(lang: &str, slug: &str) -> Result<Table, AppError> {
    let db = crate::db()?;
    let locale = crate::locale_of(lang);
    let (_, ctx) = managed_pact(&db, slug).await?;
    let now = Utc::now().timestamp();
    let scope = db::meetings::ManagedScope::Owners {
        cities: vec![ctx.city.id],
        clusters: Vec::new(),
    };
    let meetings = db
        .managed_meetings(&scope, now, false, 100, 0)
        .await?
        .into_iter()
        .filter(|m| !m.cancelled)
        .map(|m| {
            let next = m
                .starts_at
                .map(|t| {
                    crate::calendar::read::moment(locale, db::meetings::zone_of(&m.timezone), t)
                })
                .map(|mo| format!("{}, {}", mo.date, mo.time))
                .unwrap_or_default();
            TableMeeting {
                id: m.id,
                title: m.title,
                next,
            }
        })
        .collect();
    let approved = db.approved_in_sectors(ctx.pact.id, &[]).await?.len() as i64;
    let invitations = db
        .pact_invitations(ctx.pact.id)
        .await?
        .into_iter()
        .map(|i| {
            Ok(TableInvitation {
                organisation: i.organisation,
                meeting: i.meeting_title,
                sent: ctx.date(i.created_at)?,
                accepted: i.accepted_at.map(|t| ctx.date(t)).transpose()?,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(Table {
        city: ctx.city.to_ref(),
        meetings,
        sectors: ctx.sector_options(),
        approved,
        invitations,
    })
}

pub async fn invite(
    lang: &str,
    slug: &str,
    meeting: Option<i64>,
    sectors: &[String],
) -> Result<(), AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let (me, ctx) = managed_pact(&db, slug).await?;
    let Some(meeting_id) = meeting else {
        return Err(Invalid::only("meeting", Problem::Required));
    };
    let m = city_meeting(&db, &ctx, meeting_id).await?;
    let sector_ids = sector_ids(&ctx, sectors)?;
    let now = Utc::now().timestamp();
    let next = db.next_occurrences(meeting_id, now, 1).await?;
    let Some((first, _)) = next.first().copied() else {
        return Err(Invalid::only("meeting", Problem::RegistrationClosed));
    };
    let when = crate::calendar::ops::when(&crate::calendar::read::summary(
        crate::locale_of(lang),
        db.occurrence(first).await?,
    ));
    let adherents = db.approved_in_sectors(ctx.pact.id, &sector_ids).await?;
    let mut tx = db.begin_write().await?;
    let mut sent = 0;
    for a in &adherents {
        let token = OneTimeToken::generate();
        if !pacts::invite(
            &mut tx,
            a.id,
            meeting_id,
            &token.hash,
            Some(me.user.id),
            now,
        )
        .await?
        {
            continue;
        }
        let Ok(email) = Email::parse(&a.email) else {
            continue;
        };
        let letter = invitation_letter(&site, &ctx, &m.title, a, &when, &token.secret);
        crate::mail::enqueue(&mut tx, &site.mail_from, &email, &a.contact_name, letter).await?;
        sent += 1;
    }
    audit::record(
        &mut tx,
        me.actor(),
        Action::PactInvite,
        Target::new(meeting_id, Scope::city(ctx.city.id)),
        None,
        Some(serde_json::json!({"sectors": sectors, "invited": sent})),
        Utc::now(),
    )
    .await?;
    tx.commit().await?;
    crate::redirect_to(
        lang,
        &format!("coordinate/pacts/{slug}/table?done=invited&count={sent}"),
    );
    Ok(())
}

/// A meeting of the pact's own city; any other is the form's mistake, while a database that
/// fails is not.
async fn city_meeting(
    db: &Db,
    ctx: &PactContext,
    meeting_id: i64,
) -> Result<db::meetings::MeetingRow, AppError> {
    let m = db.meeting(meeting_id).await.map_err(|e| match e {
        db::DbError::NotFound => Invalid::only("meeting", Problem::Choice),
        other => other.into(),
    })?;
    if m.city_id != Some(ctx.city.id) {
        return Err(Invalid::only("meeting", Problem::Choice));
    }
    Ok(m)
}

/// The ids of the chosen sectors of the pact's city; an unknown one refuses the form.
fn sector_ids(ctx: &PactContext, sectors: &[String]) -> Result<Vec<i64>, AppError> {
    sectors
        .iter()
        .map(|s| {
            ctx.sectors
                .iter()
                .find(|x| &x.slug == s)
                .map(|x| x.id)
                .ok_or_else(|| Invalid::only("sectors", Problem::Choice))
        })
        .collect()
}

/// The invitation an adherent's contact receives, with its one-click link.
fn invitation_letter(
    site: &SiteInfo,
    ctx: &PactContext,
    title: &str,
    a: &AdhesionRow,
    when: &str,
    secret: &str,
) -> Letter {
    let locale = crate::locale_of(&a.locale);
    Letter {
        locale,
        subject: leptos_i18n::td_string!(locale, mail_table_subject, title = title.to_owned())
            .to_string(),
        greeting: greeting(locale, &a.contact_name),
        paragraphs: vec![leptos_i18n::td_string!(
            locale,
            mail_table_body,
            organisation = a.organisation.clone(),
            title = title.to_owned(),
            pact = ctx.title().get(locale.as_str()).to_owned(),
            when = when.to_owned()
        )
        .to_string()],
        action: Some((
            leptos_i18n::td_string!(locale, mail_table_action).to_string(),
            link(site, locale, "pact/invitation", secret),
        )),
        note: Some(leptos_i18n::td_string!(locale, mail_table_note).to_string()),
        attachments: Vec::new(),
    }
}
