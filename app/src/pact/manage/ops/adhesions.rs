//! The queue of adhesions and what coordinators decide and change, with its spreadsheet.

use super::*;

pub async fn queue(lang: &str, slug: &str, raw: &str) -> Result<Queue, AppError> {
    let db = crate::db()?;
    let _ = crate::locale_of(lang);
    let (_, ctx) = managed_pact(&db, slug).await?;
    let (mut status, mut sector, mut q, mut page) =
        (String::new(), String::new(), String::new(), 1u32);
    for (k, v) in url_pairs(raw) {
        match k.as_str() {
            "status" => status = v,
            "sector" => sector = v,
            "q" => q = v.chars().take(100).collect(),
            "page" => page = v.parse().unwrap_or(1).clamp(1, 10_000),
            _ => {}
        }
    }
    let statuses: Vec<AdhesionStatus> = match AdhesionStatus::parse(&status) {
        Some(s) => vec![s],
        None if status == "all" => Vec::new(),
        None => {
            status.clear();
            vec![AdhesionStatus::Pending]
        }
    };
    let sector_id = ctx.sectors.iter().find(|s| s.slug == sector).map(|s| s.id);
    let filter = AdhesionFilter {
        statuses: &statuses,
        sector_id,
        search: (!q.is_empty()).then_some(q.as_str()),
        listed_only: false,
    };
    let offset = i64::from(page - 1) * QUEUE_PAGE;
    let (rows, total) = db
        .adhesions(ctx.pact.id, &filter, QUEUE_PAGE, offset)
        .await?;
    let counts = status_counts(&db, &ctx).await?;
    let more = offset + (rows.len() as i64) < total;
    let items = rows
        .into_iter()
        .map(|r| {
            Ok(QueueItem {
                id: r.id,
                status: r.status,
                sector: ctx.sector_name(r.sector_id),
                submitted: ctx.date(r.created_at)?,
                contact_name: r.contact_name,
                email: r.email,
                organisation: r.organisation,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(Queue {
        city: ctx.city.to_ref(),
        title: ctx.title(),
        counts,
        status,
        sector,
        q,
        page,
        more,
        total,
        items,
        sectors: ctx.sector_options(),
    })
}

/// How many adhesions of the pact are in each state.
async fn status_counts(db: &Db, ctx: &PactContext) -> Result<Vec<StatusCount>, AppError> {
    let mut counts = Vec::new();
    for status in AdhesionStatus::ALL {
        let (_, count) = db
            .adhesions(
                ctx.pact.id,
                &AdhesionFilter {
                    statuses: &[status],
                    ..Default::default()
                },
                1,
                0,
            )
            .await?;
        counts.push(StatusCount { status, count });
    }
    Ok(counts)
}

pub async fn adhesion(lang: &str, id: i64) -> Result<AdhesionAdmin, AppError> {
    let db = crate::db()?;
    let locale = crate::locale_of(lang);
    let (_, row, ctx) = managed_adhesion(&db, id).await?;
    let commitments = db.adhesion_commitments(row.id).await?;
    let mut history = Vec::new();
    for (event, at) in [
        (AdhesionEvent::Submitted, Some(row.created_at)),
        (AdhesionEvent::Confirmed, row.confirmed_at),
        (AdhesionEvent::Decided, row.decided_at),
        (AdhesionEvent::Withdrawn, row.withdrawn_at),
        (AdhesionEvent::Anonymised, row.anonymised_at),
    ] {
        if let Some(t) = at {
            history.push(Milestone {
                event,
                on: ctx.date(t)?,
            });
        }
    }
    let invitations = db
        .pact_invitations(ctx.pact.id)
        .await?
        .into_iter()
        .filter(|i| i.adhesion_id == row.id)
        .map(|i| {
            Ok(AdhesionInvitation {
                meeting: i.meeting_title,
                sent: ctx.date(i.created_at)?,
                accepted: i.accepted_at.is_some(),
            })
        })
        .collect::<Result<_, AppError>>()?;
    let _ = locale;
    Ok(AdhesionAdmin {
        id: row.id,
        city: ctx.city.to_ref(),
        title: ctx.title(),
        status: row.status,
        reason: row.reason.clone(),
        version: row.version_number,
        draft: draft_of(&row, &ctx, commitments),
        form: ctx.join_form(),
        has_logo: row.has_logo(),
        listed: row.listed,
        anonymised: row.anonymised_at.is_some(),
        history,
        invitations,
    })
}

pub(super) const MAX_REASON: usize = 1000;

pub async fn decide(lang: &str, id: i64, decision: Decision, reason: &str) -> Result<(), AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let (me, row, ctx) = managed_adhesion(&db, id).await?;
    let mut invalid = Invalid::default();
    invalid.keep("reason", reason);
    let to = match decision {
        Decision::Approve => AdhesionStatus::Approved,
        Decision::Reject => AdhesionStatus::Rejected,
    };
    let reason = optional_text(&mut invalid, "reason", reason, MAX_REASON);
    if to == AdhesionStatus::Rejected && reason.is_empty() {
        invalid.add("reason", Problem::Required);
    }
    invalid.clone().into_result()?;
    let now = Utc::now().timestamp();
    let mut tx = db.begin_write().await?;
    let commitments = pacts::commitments_in(&mut tx, row.id).await?;
    let Some(decided) = pacts::decide(&mut tx, row.id, to, &reason, Some(me.user.id), now).await?
    else {
        // Already decided this way, withdrawn, or not confirmed yet.
        invalid.add(Invalid::FORM, Problem::Choice);
        return Err(AppError::Invalid(invalid));
    };
    let action = match decision {
        Decision::Approve => Action::AdhesionApprove,
        Decision::Reject => Action::AdhesionReject,
    };
    audit::record(
        &mut tx,
        me.actor(),
        action,
        adhesion_target(&row),
        Some(audit_view(&row, &commitments)),
        Some(audit_view(&decided, &commitments)),
        Utc::now(),
    )
    .await?;
    let email = Email::parse(&decided.email).map_err(|_| AppError::Internal)?;
    let letter = match decision {
        Decision::Approve => {
            // The personal link travels with the good news: the same one the organisation was
            // told to keep.
            let token = pacts::manage_link(&mut tx, row.id, &crate::link_key()?).await?;
            personal_letter(&site, &ctx, &decided, &token.secret, Why::Approved)
        }
        Decision::Reject => rejection_letter(&ctx, &decided, &reason),
    };
    crate::mail::enqueue(
        &mut tx,
        &site.mail_from,
        &email,
        &decided.contact_name,
        letter,
    )
    .await?;
    tx.commit().await?;
    crate::redirect_to(lang, &format!("coordinate/adhesions/{id}?done=decided"));
    Ok(())
}

/// The letter telling an organisation its adhesion was rejected, and why.
fn rejection_letter(ctx: &PactContext, decided: &AdhesionRow, reason: &str) -> Letter {
    let locale = crate::locale_of(&decided.locale);
    Letter {
        locale,
        subject: leptos_i18n::td_string!(
            locale,
            mail_pact_rejected_subject,
            organisation = decided.organisation.clone()
        )
        .to_string(),
        greeting: greeting(locale, &decided.contact_name),
        paragraphs: vec![
            leptos_i18n::td_string!(
                locale,
                mail_pact_rejected_body,
                organisation = decided.organisation.clone(),
                title = ctx.title().get(locale.as_str()).to_owned()
            )
            .to_string(),
            reason.to_owned(),
        ],
        action: None,
        note: Some(leptos_i18n::td_string!(locale, mail_pact_rejected_note).to_string()),
        attachments: Vec::new(),
    }
}

pub async fn edit(data: leptos::server_fn::codec::MultipartData) -> Result<(), AppError> {
    let received = upload::receive(data).await;
    if received.invalid.problem(Invalid::FORM).is_some() {
        return Err(AppError::Invalid(received.invalid));
    }
    let lang = received.text("lang");
    let id: i64 = received
        .text("id")
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound)?;
    let db = crate::db()?;
    let (me, row, ctx) = managed_adhesion(&db, id).await?;
    if row.anonymised_at.is_some() {
        return Err(Invalid::only(Invalid::FORM, Problem::Choice));
    }
    let (parsed, logo, invalid) = parse_edit(&received, &ctx).await?;
    let now = Utc::now().timestamp();
    let mut tx = db.begin_write().await?;
    let before = audit_view(&row, &pacts::commitments_in(&mut tx, row.id).await?);
    let updated = crate::pact::ops::apply_details(
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
        me.actor(),
        Action::AdhesionUpdate,
        adhesion_target(&row),
        Some(before),
        Some(audit_view(&updated, &parsed.commitments)),
        Utc::now(),
    )
    .await?;
    tx.commit().await?;
    crate::redirect_to(&lang, &format!("coordinate/adhesions/{id}?done=saved"));
    Ok(())
}

/// Every adhesion of a pact as CSV, for its coordinators: contacts included.
pub async fn adhesions_csv(
    db: &Db,
    me: &SessionUser,
    slug: &str,
) -> Result<(String, String), AppError> {
    let city = db.city_brief(slug).await?;
    if !me.roles.can_manage_city(city.id) {
        return Err(AppError::Forbidden);
    }
    let ctx = context_of(db, city).await?;
    let rows = all_adhesions(db, &ctx).await?;
    let chosen = db.pact_adhesion_commitments(ctx.pact.id).await?;
    let io = |e: csv::Error| {
        tracing::error!(error = %e, "writing CSV");
        AppError::Internal
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(CSV_HEADER).map_err(io)?;
    for r in &rows {
        out.write_record(csv_record(&ctx, &chosen, r)?)
            .map_err(io)?;
    }
    let bytes = out.into_inner().map_err(|e| io(e.into_error().into()))?;
    // A byte-order mark, so that spreadsheet programs read accents right.
    let body = format!(
        "\u{feff}{}",
        String::from_utf8(bytes).map_err(|_| AppError::Internal)?
    );
    Ok((body, format!("{slug}-adhesions.csv")))
}

/// Every adhesion of the pact, in pages of the storage's largest.
async fn all_adhesions(db: &Db, ctx: &PactContext) -> Result<Vec<AdhesionRow>, AppError> {
    let mut rows = Vec::new();
    let mut offset = 0;
    loop {
        let (page, total) = db
            .adhesions(
                ctx.pact.id,
                &AdhesionFilter::default(),
                pacts::MAX_LIMIT,
                offset,
            )
            .await?;
        offset += page.len() as i64;
        let done = page.is_empty() || offset >= total;
        rows.extend(page);
        if done {
            return Ok(rows);
        }
    }
}

const CSV_HEADER: [&str; 22] = [
    "id",
    "status",
    "organisation",
    "legal_form",
    "sector",
    "tax_code",
    "address",
    "latitude",
    "longitude",
    "website",
    "contact_name",
    "email",
    "phone",
    "legal_representative",
    "listed",
    "commitments",
    "version",
    "submitted",
    "confirmed",
    "decided",
    "reason",
    "withdrawn",
];

/// One adhesion's line of the spreadsheet: what people typed is made safe for formulas, and a
/// date not reached yet is an empty cell.
fn csv_record(
    ctx: &PactContext,
    chosen: &[(i64, i64)],
    r: &AdhesionRow,
) -> Result<[String; 22], AppError> {
    let cell = crate::export::spreadsheet_safe;
    let date = |t: Option<i64>| -> Result<String, AppError> {
        Ok(match t {
            Some(t) => ctx.date(t)?.to_string(),
            None => String::new(),
        })
    };
    let commitments: Vec<String> = ctx
        .commitments
        .iter()
        .filter(|c| chosen.contains(&(r.id, c.id)))
        .map(|c| c.slug.clone())
        .collect();
    Ok([
        r.id.to_string(),
        r.status.as_str().to_owned(),
        cell(&r.organisation),
        r.legal_form.clone(),
        ctx.sector_slug(r.sector_id),
        cell(r.tax_code.as_deref().unwrap_or_default()),
        cell(&r.address),
        r.latitude.map(|v| v.to_string()).unwrap_or_default(),
        r.longitude.map(|v| v.to_string()).unwrap_or_default(),
        cell(r.website.as_deref().unwrap_or_default()),
        cell(&r.contact_name),
        cell(&r.email),
        cell(&r.phone),
        cell(&r.representative),
        r.listed.to_string(),
        commitments.join(";"),
        r.version_number.to_string(),
        date(Some(r.created_at))?,
        date(r.confirmed_at)?,
        date(r.decided_at)?,
        cell(&r.reason),
        date(r.withdrawn_at)?,
    ])
}
