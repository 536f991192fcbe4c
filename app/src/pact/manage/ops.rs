//! The server side of the coordinators' pact pages: role checks on the pact's own city,
//! moderation with the letters it sends, the pact's administration, exports and invitations.
//! Every write is audited with the record before and after (the organisation's public face,
//! never its people's data).

use super::{
    AdhesionAdmin, CommitmentAdmin, PactAdmin, PartnerAdmin, Queue, QueueItem, SectorAdmin, Table,
    TableInvitation, QUEUE_PAGE,
};
use crate::accounts::ops::{greeting, link};
use crate::accounts::session::{require_city, require_user, SessionUser};
use crate::forms::input::{name_field, optional_text, problem_of, web_address};
use crate::mail::Letter;
use crate::pact::ops::{
    audit_view, context, context_of, context_of_pact, date_in, draft_of, parse_edit,
    personal_letter, PactContext, Why,
};
use crate::pact::upload;
use crate::pact::{url_pairs, VersionRef};
use crate::{AppError, Invalid, Problem};
use chrono::Utc;
use db::accounts::OneTimeToken;
use db::audit::NewEntry;
use db::pacts::{self, AdhesionFilter, AdhesionRow};
use db::{Db, Tx};
use domain::{AdhesionStatus, Email, Slug};
use leptos_i18n::Locale as _;

/// The adhesion with its pact, if the caller may manage the pact's city.
async fn managed_adhesion(
    db: &Db,
    id: i64,
) -> Result<(SessionUser, AdhesionRow, PactContext), AppError> {
    let me = require_user()?;
    let row = db.adhesion(id).await?;
    if !me.roles.can_manage_city(row.city_id) {
        return Err(AppError::Forbidden);
    }
    let ctx = context_of_pact(db, row.pact_id).await?;
    Ok((me, row, ctx))
}

/// The pact of a city the caller may manage.
async fn managed_pact(db: &Db, slug: &str) -> Result<(SessionUser, PactContext), AppError> {
    let (me, _) = require_city(db, slug).await?;
    let ctx = context(db, slug).await?;
    Ok((me, ctx))
}

fn entry<'a>(
    me: &'a SessionUser,
    action: &'a str,
    entity: &'a str,
    entity_id: String,
    city_id: i64,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
) -> NewEntry<'a> {
    NewEntry {
        actor_id: Some(me.user.id),
        actor_email: &me.user.email,
        action,
        entity,
        entity_id,
        city_id: Some(city_id),
        cluster_id: None,
        before,
        after: Some(after),
    }
}

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
    let mut counts = Vec::new();
    for s in AdhesionStatus::ALL {
        let (_, n) = db
            .adhesions(
                ctx.pact.id,
                &AdhesionFilter {
                    statuses: &[s],
                    ..Default::default()
                },
                1,
                0,
            )
            .await?;
        counts.push((s, n));
    }
    Ok(Queue {
        city: ctx.city.to_ref(),
        title: ctx.title(),
        counts,
        status,
        sector,
        q,
        page,
        more: offset + (rows.len() as i64) < total,
        total,
        items: rows
            .into_iter()
            .map(|r| QueueItem {
                id: r.id,
                status: r.status(),
                sector: ctx.sector_name(r.sector_id),
                submitted: ctx.date(r.created_at),
                contact_name: r.contact_name,
                email: r.email,
                organisation: r.organisation,
            })
            .collect(),
        sectors: ctx.sector_options(),
    })
}

pub async fn adhesion(lang: &str, id: i64) -> Result<AdhesionAdmin, AppError> {
    let db = crate::db()?;
    let locale = crate::locale_of(lang);
    let (_, row, ctx) = managed_adhesion(&db, id).await?;
    let commitments = db.adhesion_commitments(row.id).await?;
    let mut history = vec![("submitted".to_owned(), ctx.date(row.created_at))];
    for (what, at) in [
        ("confirmed", row.confirmed_at),
        ("decided", row.decided_at),
        ("withdrawn", row.withdrawn_at),
        ("anonymised", row.anonymised_at),
    ] {
        if let Some(t) = at {
            history.push((what.to_owned(), ctx.date(t)));
        }
    }
    let invitations = db
        .pact_invitations(ctx.pact.id)
        .await?
        .into_iter()
        .filter(|i| i.adhesion_id == row.id)
        .map(|i| {
            (
                i.meeting_title,
                ctx.date(i.created_at),
                i.accepted_at.is_some(),
            )
        })
        .collect();
    let _ = locale;
    Ok(AdhesionAdmin {
        id: row.id,
        city: ctx.city.to_ref(),
        title: ctx.title(),
        status: row.status(),
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

const MAX_REASON: usize = 1000;

pub async fn decide(lang: &str, id: i64, decision: &str, reason: &str) -> Result<(), AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let (me, row, ctx) = managed_adhesion(&db, id).await?;
    let mut invalid = Invalid::default();
    invalid.keep("reason", reason);
    let to = match decision {
        "approve" => AdhesionStatus::Approved,
        "reject" => AdhesionStatus::Rejected,
        _ => {
            invalid.add(Invalid::FORM, Problem::Choice);
            return Err(AppError::Invalid(invalid));
        }
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
    let action = if to == AdhesionStatus::Approved {
        "adhesion.approve"
    } else {
        "adhesion.reject"
    };
    db::audit::append(
        &mut tx,
        &entry(
            &me,
            action,
            "adhesion",
            row.id.to_string(),
            row.city_id,
            Some(audit_view(&row, &commitments)),
            audit_view(&decided, &commitments),
        ),
        Utc::now(),
    )
    .await?;
    let email = Email::parse(&decided.email).map_err(|_| AppError::Internal)?;
    let letter = if to == AdhesionStatus::Approved {
        // The personal link travels with the good news: the same one the organisation was
        // told to keep.
        let token = pacts::manage_link(&mut tx, row.id, &crate::link_key()?).await?;
        personal_letter(&site, &ctx, &decided, &token.secret, Why::Approved)
    } else {
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
                reason.clone(),
            ],
            action: None,
            note: Some(leptos_i18n::td_string!(locale, mail_pact_rejected_note).to_string()),
            attachments: Vec::new(),
        }
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
    db::audit::append(
        &mut tx,
        &entry(
            &me,
            "adhesion.update",
            "adhesion",
            row.id.to_string(),
            row.city_id,
            Some(before),
            audit_view(&updated, &parsed.commitments),
        ),
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
            break;
        }
    }
    let chosen = db.pact_adhesion_commitments(ctx.pact.id).await?;
    let cell = crate::export::spreadsheet_safe;
    let io = |e: csv::Error| {
        tracing::error!(error = %e, "writing CSV");
        AppError::Internal
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
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
    ])
    .map_err(io)?;
    let date = |t: Option<i64>| {
        t.map(|t| date_in(&ctx.city.timezone, t))
            .unwrap_or_default()
    };
    for r in &rows {
        let commitments: Vec<String> = ctx
            .commitments
            .iter()
            .filter(|c| chosen.contains(&(r.id, c.id)))
            .map(|c| c.slug.clone())
            .collect();
        out.write_record([
            r.id.to_string(),
            r.status.clone(),
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
            date(Some(r.created_at)),
            date(r.confirmed_at),
            date(r.decided_at),
            cell(&r.reason),
            date(r.withdrawn_at),
        ])
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

pub async fn pact_admin(_lang: &str, slug: &str) -> Result<PactAdmin, AppError> {
    let db = crate::db()?;
    let (_, city_id) = require_city(&db, slug).await?;
    let city = db.city_brief_by_id(city_id).await?;
    let sectors = db
        .sectors_of(city_id)
        .await?
        .into_iter()
        .map(|s| SectorAdmin {
            id: s.id,
            slug: s.slug,
            name_en: s.name_en,
            name_it: s.name_it,
        })
        .collect();
    let Some(pact) = db.pact_of_city(city_id).await? else {
        // No pact yet: the form creates one.
        return Ok(PactAdmin {
            city: city.to_ref(),
            title_en: String::new(),
            title_it: String::new(),
            signed_on: String::new(),
            text_en: String::new(),
            text_it: String::new(),
            versions: Vec::new(),
            partners: Vec::new(),
            commitments: Vec::new(),
            sectors,
        });
    };
    let versions = db.pact_versions(pact.id).await?;
    let current = versions.first().cloned();
    Ok(PactAdmin {
        title_en: pact.title_en.clone(),
        title_it: pact.title_it.clone(),
        signed_on: pact.signed_on.map(|d| d.to_string()).unwrap_or_default(),
        text_en: current
            .as_ref()
            .map(|v| v.text_en.clone())
            .unwrap_or_default(),
        text_it: current
            .as_ref()
            .map(|v| v.text_it.clone())
            .unwrap_or_default(),
        versions: versions
            .iter()
            .map(|v| VersionRef {
                number: v.number,
                published: date_in(&city.timezone, v.published_at),
            })
            .collect(),
        partners: db
            .pact_partners(pact.id)
            .await?
            .into_iter()
            .map(|p| PartnerAdmin {
                id: p.id,
                name: p.name,
                role_en: p.role_en,
                role_it: p.role_it,
                website: p.website.unwrap_or_default(),
            })
            .collect(),
        commitments: db
            .pact_commitments(pact.id)
            .await?
            .into_iter()
            .map(|c| CommitmentAdmin {
                id: c.id,
                slug: c.slug,
                label_en: c.label_en,
                label_it: c.label_it,
                retired: c.retired,
            })
            .collect(),
        sectors,
        city: city.to_ref(),
    })
}

const MAX_TITLE: usize = 200;
const MAX_TEXT: usize = 50_000;

fn required_text(invalid: &mut Invalid, field: &str, raw: &str, max: usize) -> String {
    let text = optional_text(invalid, field, raw, max);
    if text.is_empty() && invalid.problem(field).is_none() {
        invalid.add(field, Problem::Required);
    }
    text
}

/// The pact of a city, created on its first save.
async fn pact_for_write(
    tx: &mut Tx,
    db: &Db,
    city_id: i64,
    titles: (&str, &str),
) -> Result<(i64, bool), AppError> {
    match db.pact_of_city(city_id).await? {
        Some(p) => Ok((p.id, false)),
        None => Ok((
            pacts::create_pact(tx, city_id, titles.0, titles.1).await?,
            true,
        )),
    }
}

pub async fn save_pact(
    lang: &str,
    slug: &str,
    [title_en, title_it, signed_on, text_en, text_it]: [&str; 5],
) -> Result<(), AppError> {
    let db = crate::db()?;
    let (me, city_id) = require_city(&db, slug).await?;
    let mut invalid = Invalid::default();
    for (k, v) in [
        ("title_en", title_en),
        ("title_it", title_it),
        ("signed_on", signed_on),
        ("text_en", text_en),
        ("text_it", text_it),
    ] {
        invalid.keep(k, v);
    }
    let title_en = required_text(&mut invalid, "title_en", title_en, MAX_TITLE);
    let title_it = required_text(&mut invalid, "title_it", title_it, MAX_TITLE);
    let signed = match signed_on.trim() {
        "" => None,
        raw => match chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                invalid.add("signed_on", Problem::Format);
                None
            }
        },
    };
    let text_en = optional_text(&mut invalid, "text_en", text_en, MAX_TEXT);
    let text_it = optional_text(&mut invalid, "text_it", text_it, MAX_TEXT);
    if text_en.is_empty() && text_it.is_empty() {
        invalid.add("text_it", Problem::Required);
    }
    invalid.clone().into_result()?;
    let now = Utc::now().timestamp();
    let current = match db.pact_of_city(city_id).await? {
        Some(p) => db.pact_versions(p.id).await?.into_iter().next(),
        None => None,
    };
    let mut tx = db.begin_write().await?;
    let (pact_id, created) = pact_for_write(&mut tx, &db, city_id, (&title_en, &title_it)).await?;
    pacts::update_pact(&mut tx, pact_id, &title_en, &title_it, signed).await?;
    let changed = current
        .as_ref()
        .is_none_or(|v| v.text_en.trim() != text_en.trim() || v.text_it.trim() != text_it.trim());
    let version = if changed {
        Some(
            pacts::publish_version(&mut tx, pact_id, &text_en, &text_it, Some(me.user.id), now)
                .await?,
        )
    } else {
        None
    };
    db::audit::append(
        &mut tx,
        &entry(
            &me,
            if created { "pact.create" } else { "pact.update" },
            "pact",
            pact_id.to_string(),
            city_id,
            current.as_ref().map(|v| serde_json::json!({"version": v.number})),
            serde_json::json!({"title_en": title_en, "title_it": title_it, "signed_on": signed.map(|d| d.to_string()), "new_version": version}),
        ),
        Utc::now(),
    )
    .await?;
    tx.commit().await?;
    crate::redirect_to(
        lang,
        &format!("coordinate/pacts/{slug}/settings?done=saved"),
    );
    Ok(())
}

/// A record named by a short key and a name in each language (a commitment, a sector), as
/// its row's form sends it; what was typed is kept under the form's field names.
struct Keyed {
    key: Slug,
    en: String,
    it: String,
}

fn parse_keyed(
    invalid: &mut Invalid,
    [key, en, it]: [&str; 3],
    [en_field, it_field]: [&str; 2],
) -> Result<Keyed, AppError> {
    for (k, v) in [("key", key), (en_field, en), (it_field, it)] {
        invalid.keep(k, v);
    }
    let key = Slug::parse(key)
        .map_err(|e| invalid.add("key", problem_of(e)))
        .ok();
    let en = required_text(invalid, en_field, en, MAX_TITLE);
    let it = required_text(invalid, it_field, it, MAX_TITLE);
    invalid.clone().into_result()?;
    let key = key.ok_or_else(|| AppError::Invalid(invalid.clone()))?;
    Ok(Keyed { key, en, it })
}

/// The id a row's save returned, or the refusal to show on its form: a name or key that
/// another row of the same pact or city already has, or a row that is not theirs.
fn saved(
    result: Result<i64, db::DbError>,
    mut invalid: Invalid,
    field: &str,
) -> Result<i64, AppError> {
    match result {
        Ok(id) => Ok(id),
        Err(db::DbError::Conflict { .. }) => {
            invalid.add(field, Problem::Duplicate);
            Err(AppError::Invalid(invalid))
        }
        Err(e) => Err(e.into()),
    }
}

/// A row's form starts its kept values with the row's id, so that a refusal shows on it.
fn row_form(id: Option<i64>) -> Invalid {
    let mut invalid = Invalid::default();
    invalid.keep("id", &id.map(|i| i.to_string()).unwrap_or_default());
    invalid
}

pub async fn save_partner(
    lang: &str,
    slug: &str,
    id: Option<i64>,
    [name, role_en, role_it, website]: [&str; 4],
    remove: bool,
) -> Result<(), AppError> {
    let db = crate::db()?;
    let (me, city_id) = require_city(&db, slug).await?;
    let pact = db.pact_of_city(city_id).await?.ok_or(AppError::NotFound)?;
    let mut tx = db.begin_write().await?;
    if remove {
        let id = id.ok_or(AppError::NotFound)?;
        if !pacts::delete_partner(&mut tx, pact.id, id).await? {
            return Err(AppError::NotFound);
        }
        db::audit::append(
            &mut tx,
            &entry(
                &me,
                "pact.partner.delete",
                "pact_partner",
                id.to_string(),
                city_id,
                None,
                serde_json::json!({}),
            ),
            Utc::now(),
        )
        .await?;
    } else {
        let mut invalid = row_form(id);
        for (k, v) in [
            ("name", name),
            ("role_en", role_en),
            ("role_it", role_it),
            ("website", website),
        ] {
            invalid.keep(k, v);
        }
        let name = name_field(&mut invalid, "name", name)
            .map(|n| n.as_str().to_owned())
            .unwrap_or_default();
        let role_en = optional_text(&mut invalid, "role_en", role_en, MAX_TITLE);
        let role_it = optional_text(&mut invalid, "role_it", role_it, MAX_TITLE);
        let website = web_address(&mut invalid, "website", website);
        invalid.clone().into_result()?;
        let saved = saved(
            pacts::save_partner(
                &mut tx,
                pact.id,
                id,
                &name,
                &role_en,
                &role_it,
                website.as_deref(),
            )
            .await,
            invalid,
            "name",
        )?;
        db::audit::append(
            &mut tx,
            &entry(&me, "pact.partner.save", "pact_partner", saved.to_string(), city_id, None, serde_json::json!({"name": name, "role_en": role_en, "role_it": role_it, "website": website})),
            Utc::now(),
        )
        .await?;
    }
    tx.commit().await?;
    crate::redirect_to(
        lang,
        &format!("coordinate/pacts/{slug}/settings?done=saved#partners-heading"),
    );
    Ok(())
}

pub async fn save_commitment(
    lang: &str,
    slug: &str,
    id: Option<i64>,
    [key, label_en, label_it]: [&str; 3],
    retired: bool,
) -> Result<(), AppError> {
    let db = crate::db()?;
    let (me, city_id) = require_city(&db, slug).await?;
    let pact = db.pact_of_city(city_id).await?.ok_or(AppError::NotFound)?;
    let mut invalid = row_form(id);
    let Keyed {
        key,
        en: label_en,
        it: label_it,
    } = parse_keyed(
        &mut invalid,
        [key, label_en, label_it],
        ["label_en", "label_it"],
    )?;
    let mut tx = db.begin_write().await?;
    let saved = saved(
        pacts::save_commitment(
            &mut tx,
            pact.id,
            id,
            key.as_str(),
            &label_en,
            &label_it,
            retired,
        )
        .await,
        invalid,
        "key",
    )?;
    db::audit::append(
        &mut tx,
        &entry(&me, "pact.commitment.save", "pact_commitment", saved.to_string(), city_id, None, serde_json::json!({"key": key.as_str(), "label_en": label_en, "label_it": label_it, "retired": retired})),
        Utc::now(),
    )
    .await?;
    tx.commit().await?;
    crate::redirect_to(
        lang,
        &format!("coordinate/pacts/{slug}/settings?done=saved#commitments-heading"),
    );
    Ok(())
}

pub async fn save_sector(
    lang: &str,
    slug: &str,
    id: Option<i64>,
    [key, name_en, name_it]: [&str; 3],
    remove: bool,
) -> Result<(), AppError> {
    let db = crate::db()?;
    let (me, city_id) = require_city(&db, slug).await?;
    let mut invalid = row_form(id);
    let mut tx = db.begin_write().await?;
    if remove {
        let id = id.ok_or(AppError::NotFound)?;
        if !db::network::delete_unused_sector(&mut tx, city_id, id).await? {
            invalid.add(Invalid::FORM, Problem::InUse);
            return Err(AppError::Invalid(invalid));
        }
        db::audit::append(
            &mut tx,
            &entry(
                &me,
                "sector.delete",
                "sector",
                id.to_string(),
                city_id,
                None,
                serde_json::json!({}),
            ),
            Utc::now(),
        )
        .await?;
    } else {
        let Keyed {
            key,
            en: name_en,
            it: name_it,
        } = parse_keyed(
            &mut invalid,
            [key, name_en, name_it],
            ["name_en", "name_it"],
        )?;
        let saved = saved(
            db::network::save_sector(&mut tx, city_id, id, key.as_str(), &name_en, &name_it).await,
            invalid,
            "key",
        )?;
        db::audit::append(
            &mut tx,
            &entry(
                &me,
                "sector.save",
                "sector",
                saved.to_string(),
                city_id,
                None,
                serde_json::json!({"key": key.as_str(), "name_en": name_en, "name_it": name_it}),
            ),
            Utc::now(),
        )
        .await?;
    }
    tx.commit().await?;
    crate::redirect_to(
        lang,
        &format!("coordinate/pacts/{slug}/settings?done=saved#sectors-heading"),
    );
    Ok(())
}

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
                    crate::calendar::ops::moment(locale, db::meetings::zone_of(&m.timezone), t)
                })
                .map(|mo| format!("{}, {}", mo.date, mo.time))
                .unwrap_or_default();
            (m.id, m.title, next)
        })
        .collect();
    let approved = db.approved_in_sectors(ctx.pact.id, &[]).await?.len() as i64;
    let invitations = db
        .pact_invitations(ctx.pact.id)
        .await?
        .into_iter()
        .map(|i| TableInvitation {
            organisation: i.organisation,
            meeting: i.meeting_title,
            sent: ctx.date(i.created_at),
            accepted: i.accepted_at.map(|t| ctx.date(t)),
        })
        .collect();
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
    let m = db
        .meeting(meeting_id)
        .await
        .map_err(|_| Invalid::only("meeting", Problem::Choice))?;
    if m.city_id != Some(ctx.city.id) {
        return Err(Invalid::only("meeting", Problem::Choice));
    }
    let mut sector_ids = Vec::new();
    for s in sectors {
        match ctx.sectors.iter().find(|x| &x.slug == s) {
            Some(x) => sector_ids.push(x.id),
            None => return Err(Invalid::only("sectors", Problem::Choice)),
        }
    }
    let now = Utc::now().timestamp();
    let next = db.next_occurrences(meeting_id, now, 1).await?;
    let Some((first, _)) = next.first().copied() else {
        return Err(Invalid::only("meeting", Problem::RegistrationClosed));
    };
    let when = crate::calendar::ops::when(&crate::calendar::ops::summary(
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
        let locale = crate::locale_of(&a.locale);
        let letter = Letter {
            locale,
            subject: leptos_i18n::td_string!(locale, mail_table_subject, title = m.title.clone())
                .to_string(),
            greeting: greeting(locale, &a.contact_name),
            paragraphs: vec![leptos_i18n::td_string!(
                locale,
                mail_table_body,
                organisation = a.organisation.clone(),
                title = m.title.clone(),
                pact = ctx.title().get(locale.as_str()).to_owned(),
                when = when.clone()
            )
            .to_string()],
            action: Some((
                leptos_i18n::td_string!(locale, mail_table_action).to_string(),
                link(&site, locale, "pact/invitation", &token.secret),
            )),
            note: Some(leptos_i18n::td_string!(locale, mail_table_note).to_string()),
            attachments: Vec::new(),
        };
        crate::mail::enqueue(&mut tx, &site.mail_from, &email, &a.contact_name, letter).await?;
        sent += 1;
    }
    db::audit::append(
        &mut tx,
        &entry(
            &me,
            "pact.invite",
            "meeting",
            meeting_id.to_string(),
            ctx.city.id,
            None,
            serde_json::json!({"sectors": sectors, "invited": sent}),
        ),
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
