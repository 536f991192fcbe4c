//! The pact's settings: its text and date, partners, commitments and sectors.

use super::*;

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
            signed_on: None,
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
        signed_on: pact.signed_on,
        text_en: current
            .as_ref()
            .map(|v| v.text_en.clone())
            .unwrap_or_default(),
        text_it: current
            .as_ref()
            .map(|v| v.text_it.clone())
            .unwrap_or_default(),
        versions: version_refs(&city.timezone, &versions)?,
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

pub(super) const MAX_TITLE: usize = 200;
pub(super) const MAX_TEXT: usize = 50_000;

/// The pact's form as posted.
pub struct PactForm<'a> {
    pub title_en: &'a str,
    pub title_it: &'a str,
    /// ISO date, or empty.
    pub signed_on: &'a str,
    pub text_en: &'a str,
    pub text_it: &'a str,
}

/// A promoting partner's form as posted.
pub struct PartnerForm<'a> {
    pub name: &'a str,
    pub role_en: &'a str,
    pub role_it: &'a str,
    pub website: &'a str,
}

/// The form of a record named by a short key and a name in each language (a commitment, a
/// sector), as posted.
pub struct KeyedForm<'a> {
    pub key: &'a str,
    pub en: &'a str,
    pub it: &'a str,
}

pub async fn save_pact(lang: &str, slug: &str, form: PactForm<'_>) -> Result<(), AppError> {
    let PactForm {
        title_en,
        title_it,
        signed_on,
        text_en,
        text_it,
    } = form;
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
    let (pact_id, created) = pacts::pact_for_city(&mut tx, city_id, &title_en, &title_it).await?;
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
    audit::record(
        &mut tx,
        me.actor(),
        if created { Action::PactCreate } else { Action::PactUpdate },
        Target::new(pact_id, Scope::city(city_id)),
        current.as_ref().map(|v| serde_json::json!({"version": v.number})),
        Some(serde_json::json!({"title_en": title_en, "title_it": title_it, "signed_on": signed.map(|d| d.to_string()), "new_version": version})),
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
pub(super) struct Keyed {
    key: Slug,
    en: String,
    it: String,
}

pub(super) fn parse_keyed(
    invalid: &mut Invalid,
    KeyedForm { key, en, it }: KeyedForm<'_>,
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
/// another row of the same pact or city already has (`unique` names which).
pub(super) fn saved(
    result: Result<i64, db::DbError>,
    mut invalid: Invalid,
    field: &str,
    unique: db::Constraint,
) -> Result<i64, AppError> {
    match result {
        Ok(id) => Ok(id),
        Err(db::DbError::Conflict {
            constraint: Some(c),
            ..
        }) if c == unique => {
            invalid.add(field, Problem::Duplicate);
            Err(AppError::Invalid(invalid))
        }
        Err(e) => Err(e.into()),
    }
}

/// A row's form starts its kept values with the row's id, so that a refusal shows on it.
pub(super) fn row_form(id: Option<i64>) -> Invalid {
    let mut invalid = Invalid::default();
    invalid.keep("id", &id.map(|i| i.to_string()).unwrap_or_default());
    invalid
}

pub async fn save_partner(
    lang: &str,
    slug: &str,
    id: Option<i64>,
    form: PartnerForm<'_>,
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
        audit::record(
            &mut tx,
            me.actor(),
            Action::PactPartnerDelete,
            Target::new(id, Scope::city(city_id)),
            None,
            Some(serde_json::json!({})),
            Utc::now(),
        )
        .await?;
    } else {
        store_partner(&mut tx, &me, city_id, pact.id, id, form).await?;
    }
    tx.commit().await?;
    crate::redirect_to(
        lang,
        &format!("coordinate/pacts/{slug}/settings?done=saved#partners-heading"),
    );
    Ok(())
}

/// Checks and stores a promoting partner's row, new or changed.
async fn store_partner(
    tx: &mut Tx,
    me: &SessionUser,
    city_id: i64,
    pact_id: i64,
    id: Option<i64>,
    form: PartnerForm<'_>,
) -> Result<(), AppError> {
    let PartnerForm {
        name,
        role_en,
        role_it,
        website,
    } = form;
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
            tx,
            pact_id,
            id,
            &name,
            &role_en,
            &role_it,
            website.as_deref(),
        )
        .await,
        invalid,
        "name",
        db::Constraint::PartnerName,
    )?;
    audit::record(
        tx,
        me.actor(),
        Action::PactPartnerSave,
        Target::new(saved, Scope::city(city_id)),
        None,
        Some(serde_json::json!({"name": name, "role_en": role_en, "role_it": role_it, "website": website})),
        Utc::now(),
    )
    .await?;
    Ok(())
}

pub async fn save_commitment(
    lang: &str,
    slug: &str,
    id: Option<i64>,
    form: KeyedForm<'_>,
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
    } = parse_keyed(&mut invalid, form, ["label_en", "label_it"])?;
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
        db::Constraint::CommitmentKey,
    )?;
    audit::record(
        &mut tx,
        me.actor(),
        Action::PactCommitmentSave,
        Target::new(saved, Scope::city(city_id)),
        None,
        Some(serde_json::json!({"key": key.as_str(), "label_en": label_en, "label_it": label_it, "retired": retired})),
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
    form: KeyedForm<'_>,
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
        audit::record(
            &mut tx,
            me.actor(),
            Action::SectorDelete,
            Target::new(id, Scope::city(city_id)),
            None,
            Some(serde_json::json!({})),
            Utc::now(),
        )
        .await?;
    } else {
        let Keyed {
            key,
            en: name_en,
            it: name_it,
        } = parse_keyed(&mut invalid, form, ["name_en", "name_it"])?;
        let saved = saved(
            db::network::save_sector(&mut tx, city_id, id, key.as_str(), &name_en, &name_it).await,
            invalid,
            "key",
            db::Constraint::SectorKey,
        )?;
        audit::record(
            &mut tx,
            me.actor(),
            Action::SectorSave,
            Target::new(saved, Scope::city(city_id)),
            None,
            Some(serde_json::json!({"key": key.as_str(), "name_en": name_en, "name_it": name_it})),
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
