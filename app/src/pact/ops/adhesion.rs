//! An adhesion through its organisation's personal link: what it sees, changes, withdraws and
//! downloads.

use super::*;

pub fn draft_of(row: &AdhesionRow, ctx: &PactContext, commitments: Vec<i64>) -> Draft {
    Draft {
        organisation: row.organisation.clone(),
        legal_form: row.legal_form.clone(),
        sector: ctx.sector_slug(row.sector_id),
        tax_code: row.tax_code.clone().unwrap_or_default(),
        address: row.address.clone(),
        latitude: row.latitude.map(|v| v.to_string()).unwrap_or_default(),
        longitude: row.longitude.map(|v| v.to_string()).unwrap_or_default(),
        website: row.website.clone().unwrap_or_default(),
        contact_name: row.contact_name.clone(),
        email: row.email.clone(),
        phone: row.phone.clone(),
        representative: row.representative.clone(),
        listed: row.listed,
        commitments,
    }
}

pub async fn adhesion(_lang: &str, token: &str) -> Result<AdhesionView, AppError> {
    let db = crate::db()?;
    let row = adhesion_of(&db, token).await?;
    let ctx = context_of_pact(&db, row.pact_id).await?;
    let commitments = db.adhesion_commitments(row.id).await?;
    Ok(AdhesionView {
        id: row.id,
        city: ctx.city.to_ref(),
        title: ctx.title(),
        status: row.status,
        reason: row.reason.clone(),
        version: row.version_number,
        draft: draft_of(&row, &ctx, commitments),
        has_logo: row.has_logo(),
        form: ctx.join_form(),
        submitted: ctx.date(row.created_at)?,
        confirmed: row.confirmed_at.map(|t| ctx.date(t)).transpose()?,
        decided: row.decided_at.map(|t| ctx.date(t)).transpose()?,
    })
}

/// Applies an edited details form to an adhesion, its logo included (a new file, or removal
/// when `remove_logo` is ticked). Shared by the organisation's own page and the coordinators'.
pub async fn apply_details(
    tx: &mut Tx,
    row: &AdhesionRow,
    parsed: &Parsed,
    logo: Option<Vec<u8>>,
    remove_logo: bool,
    invalid: Invalid,
    now: i64,
) -> Result<AdhesionRow, AppError> {
    let details = parsed.details();
    let updated = match pacts::update_details(
        tx,
        row.id,
        &details,
        Some((&parsed.contact_name, &parsed.representative)),
        now,
    )
    .await?
    {
        Ok(r) => r,
        Err(which) => return Err(duplicate(invalid, which)),
    };
    match logo {
        Some(png) => pacts::set_logo(tx, row.id, "image/png", &png, now).await?,
        None if remove_logo => pacts::remove_logo(tx, row.id).await?,
        None => {}
    }
    Ok(updated)
}

/// Parses a details form received for an existing adhesion, logo included.
pub async fn parse_edit(
    received: &Received,
    ctx: &PactContext,
) -> Result<(Parsed, Option<Vec<u8>>, Invalid), AppError> {
    let mut invalid = received.invalid.clone();
    keep_values(received, &mut invalid);
    let parsed = parse_details(received, ctx, Filler::Known, &mut invalid);
    let logo = logo_of(received, &mut invalid).await;
    invalid.clone().into_result()?;
    let parsed = parsed.ok_or_else(|| AppError::Invalid(invalid.clone()))?;
    Ok((parsed, logo, invalid))
}

pub async fn update(data: leptos::server_fn::codec::MultipartData) -> Result<(), AppError> {
    let received = upload::receive(data).await;
    if received.invalid.problem(Invalid::FORM).is_some() {
        return Err(AppError::Invalid(received.invalid));
    }
    let lang = received.text("lang");
    let token = received.text("token");
    let db = crate::db()?;
    let row = adhesion_of(&db, &token).await?;
    if !row.status.is_live() {
        return Err(Invalid::only(Invalid::FORM, Problem::Link));
    }
    let ctx = context_of_pact(&db, row.pact_id).await?;
    let (parsed, logo, invalid) = parse_edit(&received, &ctx).await?;
    let now = Utc::now().timestamp();
    let mut tx = db.begin_write().await?;
    let before = audit_view(&row, &commitments_in(&mut tx, row.id).await?);
    let updated = apply_details(
        &mut tx,
        &row,
        &parsed,
        logo,
        received.ticked("remove_logo"),
        invalid,
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        Actor::Adhesion(row.id),
        Action::AdhesionUpdate,
        adhesion_target(&updated),
        Some(before),
        Some(audit_view(&updated, &parsed.commitments)),
        Utc::now(),
    )
    .await?;
    tx.commit().await?;
    crate::redirect_to(
        &lang,
        &format!("pact/adhesion?token={}&done=saved", token.trim()),
    );
    Ok(())
}

pub async fn withdraw(lang: &str, token: &str, confirmed: bool) -> Result<(), AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let row = adhesion_of(&db, token).await?;
    if !confirmed {
        return Err(Invalid::only("confirm", Problem::Confirm));
    }
    let ctx = context_of_pact(&db, row.pact_id).await?;
    let now = Utc::now().timestamp();
    let mut tx = db.begin_write().await?;
    if let Some(gone) = pacts::withdraw(&mut tx, row.id, now).await? {
        let commitments = commitments_in(&mut tx, row.id).await?;
        audit::record(
            &mut tx,
            Actor::Adhesion(row.id),
            Action::AdhesionWithdraw,
            adhesion_target(&gone),
            Some(audit_view(&row, &commitments)),
            Some(audit_view(&gone, &commitments)),
            Utc::now(),
        )
        .await?;
        let locale = crate::locale_of(&gone.locale);
        let letter = Letter {
            locale,
            subject: leptos_i18n::td_string!(
                locale,
                mail_pact_withdrawn_subject,
                organisation = gone.organisation.clone()
            )
            .to_string(),
            greeting: greeting(locale, &gone.contact_name),
            paragraphs: vec![leptos_i18n::td_string!(
                locale,
                mail_pact_withdrawn_body,
                organisation = gone.organisation.clone(),
                title = title_in(locale, &ctx.title())
            )
            .to_string()],
            action: None,
            note: None,
            attachments: Vec::new(),
        };
        let email = Email::parse(&gone.email).map_err(|_| AppError::Internal)?;
        crate::mail::enqueue(&mut tx, &site.mail_from, &email, &gone.contact_name, letter).await?;
    }
    tx.commit().await?;
    crate::redirect_to(
        lang,
        &format!("pact/adhesion?token={}&done=withdrawn", token.trim()),
    );
    Ok(())
}

/// A new personal link for the adhesion behind `token`, mailed to its contact address only:
/// whoever holds the old link (the reason to replace it) does not learn the new one.
pub async fn replace_link(lang: &str, token: &str) -> Result<(), AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let row = adhesion_of(&db, token).await?;
    let ctx = context_of_pact(&db, row.pact_id).await?;
    let mut tx = db.begin_write().await?;
    let fresh = pacts::replace_manage_link(&mut tx, row.id, &crate::link_key()?).await?;
    let letter = personal_letter(&site, &ctx, &row, &fresh.secret, Why::Replaced);
    let email = Email::parse(&row.email).map_err(|_| AppError::Internal)?;
    crate::mail::enqueue(&mut tx, &site.mail_from, &email, &row.contact_name, letter).await?;
    tx.commit().await?;
    crate::redirect_to(
        lang,
        &format!("cities/{}/pact/resend?done=link-replaced", ctx.city.slug),
    );
    Ok(())
}

/// Everything stored about an adhesion, for its organisation (personal link).
pub async fn personal_data(db: &Db, token: &str) -> Result<serde_json::Value, AppError> {
    let row = db
        .adhesion_by_manage_hash(&db::accounts::OneTimeToken::hash_of(token))
        .await?;
    let ctx = context_of_pact(db, row.pact_id).await?;
    let chosen = db.adhesion_commitments(row.id).await?;
    let commitments: Vec<_> = ctx
        .commitments
        .iter()
        .filter(|c| chosen.contains(&c.id))
        .map(|c| serde_json::json!({"en": c.label_en, "it": c.label_it}))
        .collect();
    let instant = |t: Option<i64>| {
        t.and_then(|t| Utc.timestamp_opt(t, 0).single())
            .map(|d| d.to_rfc3339())
    };
    Ok(serde_json::json!({
        "format": "learning-city-adhesion/1",
        "pact": {
            "city": ctx.city.slug,
            "title": {"en": ctx.pact.title_en, "it": ctx.pact.title_it},
            "version_signed": row.version_number,
        },
        "status": row.status.as_str(),
        "reason": row.reason,
        "organisation": row.organisation,
        "legal_form": row.legal_form,
        "sector": ctx.sector_slug(row.sector_id),
        "tax_code": row.tax_code,
        "address": row.address,
        "latitude": row.latitude,
        "longitude": row.longitude,
        "website": row.website,
        "contact_name": row.contact_name,
        "email": row.email,
        "phone": row.phone,
        "legal_representative": row.representative,
        "listed_publicly": row.listed,
        "language": row.locale,
        "commitments": commitments,
        "has_logo": row.has_logo(),
        "submitted_at": instant(Some(row.created_at)),
        "confirmed_at": instant(row.confirmed_at),
        "decided_at": instant(row.decided_at),
        "withdrawn_at": instant(row.withdrawn_at),
        "updated_at": instant(Some(row.updated_at)),
    }))
}
