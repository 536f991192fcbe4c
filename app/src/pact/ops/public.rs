//! What anyone may read of a pact: its page and list of adherents, the places on the city's map,
//! certificates and badges, logos and the open data.

use super::*;

pub async fn pact_page(lang: &str, slug: &str, raw: &str) -> Result<PactView, AppError> {
    let db = crate::db()?;
    let locale = crate::locale_of(lang);
    let query = PactQuery::parse(raw);
    let ctx = context(&db, slug).await?;
    let versions = db.pact_versions(ctx.pact.id).await?;
    let version = shown_version(locale, &ctx, &versions, query.version)?;
    let partners = pact_partners(&db, &ctx).await?;
    let (adherents, matching) = adherents_page(&db, &ctx, &query).await?;
    let counts = sector_counts(&db, &ctx).await?;
    let offset = i64::from(query.page - 1) * PAGE_SIZE;
    Ok(PactView {
        city: ctx.city.to_ref(),
        title: ctx.title(),
        signed_on: ctx.pact.signed_on,
        current: versions.first().map(|v| v.number),
        versions: version_refs(&ctx.city.timezone, &versions)?,
        version,
        partners,
        commitments: ctx.offered(),
        sectors: ctx.sector_options(),
        approved: counts.iter().map(|c| c.count).sum(),
        counts,
        more: offset + (adherents.len() as i64) < matching,
        adherents,
        matching,
        query,
    })
}

/// The version a page asked for (the current one unless another was), with its text in the
/// reader's language; an unknown number is a page that does not exist.
fn shown_version(
    locale: Locale,
    ctx: &PactContext,
    versions: &[pacts::VersionRow],
    asked: Option<i32>,
) -> Result<Option<VersionView>, AppError> {
    let shown = match asked {
        Some(n) => Some(
            versions
                .iter()
                .find(|v| v.number == n)
                .ok_or(AppError::NotFound)?,
        ),
        None => versions.first(),
    };
    let Some(v) = shown else {
        return Ok(None);
    };
    let text = match locale.as_str() {
        "it" if !v.text_it.trim().is_empty() => &v.text_it,
        _ if v.text_en.trim().is_empty() => &v.text_it,
        _ => &v.text_en,
    };
    Ok(Some(VersionView {
        number: v.number,
        published: ctx.date(v.published_at)?,
        html: render_markdown(text),
    }))
}

/// Every published version, newest first, dated in the city's time zone.
pub fn version_refs(
    zone: &str,
    versions: &[pacts::VersionRow],
) -> Result<Vec<VersionRef>, AppError> {
    versions
        .iter()
        .map(|v| {
            Ok(VersionRef {
                number: v.number,
                published: date_in(zone, v.published_at)?,
            })
        })
        .collect()
}

async fn pact_partners(db: &Db, ctx: &PactContext) -> Result<Vec<PactPartner>, AppError> {
    Ok(db
        .pact_partners(ctx.pact.id)
        .await?
        .into_iter()
        .map(|p| PactPartner {
            name: p.name,
            role: Localized::new(p.role_en, p.role_it),
            website: p.website,
        })
        .collect())
}

/// The page of the public list a query asks for, and how many adherents match it.
async fn adherents_page(
    db: &Db,
    ctx: &PactContext,
    query: &PactQuery,
) -> Result<(Vec<AdherentView>, i64), AppError> {
    let sector_id = ctx
        .sectors
        .iter()
        .find(|s| s.slug == query.sector)
        .map(|s| s.id);
    let search = (!query.q.is_empty()).then_some(query.q.as_str());
    let offset = i64::from(query.page - 1) * PAGE_SIZE;
    let (rows, matching) = db
        .public_adherents(ctx.pact.id, sector_id, search, PAGE_SIZE, offset)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let chosen = chosen_commitments(db, ctx, &ids).await?;
    let adherents = rows
        .into_iter()
        .map(|r| adherent_view(ctx, r, &chosen))
        .collect::<Result<_, _>>()?;
    Ok((adherents, matching))
}

/// Approved adhesions by sector, in the order of the city's sectors (none last).
async fn sector_counts(db: &Db, ctx: &PactContext) -> Result<Vec<SectorCount>, AppError> {
    let mut counts: Vec<SectorCount> = db
        .approved_by_sector(ctx.pact.id)
        .await?
        .into_iter()
        .map(|(sector, count)| SectorCount {
            slug: ctx
                .sectors
                .iter()
                .find(|s| Some(s.id) == sector)
                .map(|s| s.slug.clone()),
            name: ctx.sector_name(sector),
            count,
        })
        .collect();
    let order = |c: &SectorCount| {
        ctx.sectors
            .iter()
            .position(|s| Some(&s.slug) == c.slug.as_ref())
            .unwrap_or(usize::MAX)
    };
    counts.sort_by_key(order);
    Ok(counts)
}

/// Every adherent of the public list, in pages of the storage's largest.
pub(super) async fn all_listed(db: &Db, ctx: &PactContext) -> Result<Vec<AdherentView>, AppError> {
    listed(db, ctx, None).await
}

pub(super) async fn listed(
    db: &Db,
    ctx: &PactContext,
    sector_id: Option<i64>,
) -> Result<Vec<AdherentView>, AppError> {
    let mut items = Vec::new();
    let mut offset = 0;
    loop {
        let (rows, total) = db
            .public_adherents(ctx.pact.id, sector_id, None, pacts::MAX_LIMIT, offset)
            .await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let chosen = chosen_commitments(db, ctx, &ids).await?;
        offset += rows.len() as i64;
        let done = rows.is_empty() || offset >= total;
        for r in rows {
            items.push(adherent_view(ctx, r, &chosen)?);
        }
        if done {
            return Ok(items);
        }
    }
}

/// The listed adherents of a city's pact (of one sector, if given) that gave a position: the
/// pact's part of the city's map. A city without a pact has none.
pub async fn placed_adherents(
    db: &Db,
    city: CityBrief,
    sector_id: Option<i64>,
) -> Result<Vec<AdherentView>, AppError> {
    let ctx = match context_of(db, city).await {
        Ok(ctx) => ctx,
        Err(AppError::NotFound) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    Ok(listed(db, &ctx, sector_id)
        .await?
        .into_iter()
        .filter(|a| a.position.is_some())
        .collect())
}

pub async fn certificate(lang: &str, slug: &str, id: i64) -> Result<Certificate, AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let locale = crate::locale_of(lang);
    let (row, pact_id) = db.public_adherent(id).await?;
    let ctx = context(&db, slug).await?;
    if ctx.pact.id != pact_id {
        return Err(AppError::NotFound);
    }
    let chosen = chosen_commitments(&db, &ctx, &[row.id]).await?;
    let partners = pact_partners(&db, &ctx).await?;
    Ok(Certificate {
        adherent: adherent_view(&ctx, row, &chosen)?,
        city: ctx.city.to_ref(),
        title: ctx.title(),
        partners,
        list_url: format!(
            "{}/{}/cities/{}/pact",
            site.public_url,
            locale.as_str(),
            ctx.city.slug
        ),
        badge_url: format!(
            "{}/badges/pact/{id}.svg?lang={}",
            site.public_url,
            locale.as_str()
        ),
    })
}

/// An adherent's logo, for the public list only.
pub async fn logo(db: &Db, id: i64) -> Result<(String, Vec<u8>), AppError> {
    let (content_type, bytes, _) = db.public_logo(id).await?;
    Ok((content_type, bytes))
}

/// The licence of the open data: the public list may be reused with attribution.
pub const LICENCE: (&str, &str) = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/");

/// The public list of a pact as open data: every approved adherent that consented to it.
pub async fn open_data(
    db: &Db,
    site: &SiteInfo,
    slug: &str,
) -> Result<(serde_json::Value, String), AppError> {
    let ctx = context(db, slug).await?;
    let items = all_listed(db, &ctx).await?;
    let page = format!("{}/en/cities/{}/pact", site.public_url, ctx.city.slug);
    let json = serde_json::json!({
        "format": "learning-city-pact-adherents/1",
        "licence": {"name": LICENCE.0, "url": LICENCE.1},
        "attribution": format!("{} — Learning City ({page})", ctx.city.name_en),
        "generated": Utc::now().to_rfc3339(),
        "pact": {
            "city": ctx.city.slug,
            "title": {"en": ctx.pact.title_en, "it": ctx.pact.title_it},
            "version": ctx.version.map(|(_, n)| n),
            "url": page,
        },
        "adherents": items.iter().map(|a| serde_json::json!({
            "id": a.id,
            "organisation": a.organisation,
            "legal_form": a.legal_form,
            "sector": a.sector.as_ref().map(|s| serde_json::json!({"en": s.en, "it": s.it})),
            "website": a.website,
            "address": a.address,
            "latitude": a.position.map(|p| p.0),
            "longitude": a.position.map(|p| p.1),
            "commitments": a.commitments.iter().map(|c| serde_json::json!({"en": c.en, "it": c.it})).collect::<Vec<_>>(),
            "since": a.since,
            "version": a.version,
            "certificate": format!("{}/en/cities/{}/pact/adherents/{}", site.public_url, ctx.city.slug, a.id),
        })).collect::<Vec<_>>(),
    });
    let mut csv = csv::Writer::from_writer(Vec::new());
    let header = [
        "id",
        "organisation",
        "legal_form",
        "sector",
        "website",
        "address",
        "latitude",
        "longitude",
        "commitments",
        "since",
        "version",
    ];
    let fail = |e: csv::Error| {
        tracing::error!(error = %e, "cannot write open data CSV");
        AppError::Internal
    };
    csv.write_record(header).map_err(fail)?;
    for a in &items {
        csv.write_record([
            a.id.to_string(),
            spreadsheet_safe(&a.organisation),
            a.legal_form.clone(),
            spreadsheet_safe(&a.sector.as_ref().map(|s| s.en.clone()).unwrap_or_default()),
            spreadsheet_safe(a.website.as_deref().unwrap_or_default()),
            spreadsheet_safe(&a.address),
            a.position.map(|p| p.0.to_string()).unwrap_or_default(),
            a.position.map(|p| p.1.to_string()).unwrap_or_default(),
            spreadsheet_safe(
                &a.commitments
                    .iter()
                    .map(|c| c.en.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            a.since.map(|d| d.to_string()).unwrap_or_default(),
            a.version.to_string(),
        ])
        .map_err(fail)?;
    }
    let csv = String::from_utf8(csv.into_inner().map_err(|e| fail(e.into_error().into()))?)
        .map_err(|_| AppError::Internal)?;
    Ok((json, csv))
}

/// The "we adhere to the pact" badge of an adherent on the public list, as SVG. Every text is
/// escaped for XML; the badge links nowhere itself (the embed code wraps it in a link).
pub async fn badge(db: &Db, id: i64, lang: &str) -> Result<String, AppError> {
    let locale = crate::locale_of(lang);
    let (row, pact_id) = db.public_adherent(id).await?;
    let ctx = context_of_pact(db, pact_id).await?;
    let esc = |s: &str| html_escape::encode_quoted_attribute(s).into_owned();
    let line1 = leptos_i18n::td_string!(locale, badge_we_adhere).to_string();
    let title = ctx.title().get(locale.as_str()).to_owned();
    let city = city_in(locale, &ctx.city);
    let org: String = row.organisation.chars().take(48).collect();
    let label = format!("{org}: {line1} {title}, {city}");
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="320" height="96" viewBox="0 0 320 96" role="img" aria-label="{label}">
<title>{label}</title>
<rect width="320" height="96" rx="10" fill="#0b4f6c"/>
<rect x="6" y="6" width="308" height="84" rx="6" fill="none" stroke="#ffffff" stroke-opacity="0.5"/>
<text x="18" y="30" font-family="system-ui, sans-serif" font-size="13" fill="#ffffff">{line1}</text>
<text x="18" y="52" font-family="system-ui, sans-serif" font-size="15" font-weight="700" fill="#ffffff">{title}</text>
<text x="18" y="74" font-family="system-ui, sans-serif" font-size="13" fill="#dceff7">{city} · {org}</text>
</svg>"##,
        label = esc(&label),
        line1 = esc(&line1),
        title = esc(&title),
        city = esc(&city),
        org = esc(&org),
    ))
}
