//! The server side of pacts: the public page and list, the sign-up's rules, the double opt-in,
//! the organisation's personal link, certificates, badges, open data, and the coordination
//! table's one-click registration.

use super::upload::{self, Received};
use super::{
    AdherentView, AdhesionView, Certificate, CommitmentView, Confirmation, Draft, InvitationView,
    JoinForm, LinkState, PactQuery, PactView, SectorCount, VersionRef, VersionView, PAGE_SIZE,
};
use crate::accounts::ops::{greeting, link};
use crate::export::spreadsheet_safe;
use crate::forms::input::{email_field, name_field, optional_text, problem_of, web_address};
use crate::i18n::Locale;
use crate::mail::Letter;
use crate::markdown::render_markdown;
use crate::{AppError, Invalid, Problem, SiteInfo};
use chrono::{TimeZone, Utc};
use db::accounts::OneTimeToken;
use db::network::{CityBrief, SectorRow};
use db::pacts::{self, AdhesionRow, CommitmentRow, Details, Duplicate, PactRow, PublicRow};
use db::{Db, Tx};
use domain::{AdhesionStatus, Email, LegalForm, Localized, PactPartner, TaxCode};
use leptos_i18n::Locale as _;
use std::collections::HashMap;

/// How long a confirmation link works.
pub const CONFIRM_HOURS: i64 = 72;
/// Longest address, in characters.
const MAX_ADDRESS: usize = 300;
/// Longest phone number, in characters.
const MAX_PHONE: usize = 40;

/// A city's pact with what every pact page needs.
pub struct PactContext {
    pub city: CityBrief,
    pub pact: PactRow,
    pub sectors: Vec<SectorRow>,
    pub commitments: Vec<CommitmentRow>,
    /// The current version's id and number, once a text is published.
    pub version: Option<(i64, i32)>,
}

impl PactContext {
    pub fn title(&self) -> Localized {
        Localized::new(self.pact.title_en.clone(), self.pact.title_it.clone())
    }

    pub fn sector_options(&self) -> Vec<(String, Localized)> {
        self.sectors
            .iter()
            .map(|s| {
                (
                    s.slug.clone(),
                    Localized::new(s.name_en.clone(), s.name_it.clone()),
                )
            })
            .collect()
    }

    pub fn sector_name(&self, id: Option<i64>) -> Option<Localized> {
        let s = self.sectors.iter().find(|s| Some(s.id) == id)?;
        Some(Localized::new(s.name_en.clone(), s.name_it.clone()))
    }

    pub fn sector_slug(&self, id: Option<i64>) -> String {
        self.sectors
            .iter()
            .find(|s| Some(s.id) == id)
            .map(|s| s.slug.clone())
            .unwrap_or_default()
    }

    pub fn offered(&self) -> Vec<CommitmentView> {
        self.commitments
            .iter()
            .filter(|c| !c.retired)
            .map(commitment_view)
            .collect()
    }

    pub fn join_form(&self) -> JoinForm {
        JoinForm {
            city: self.city.to_ref(),
            title: self.title(),
            version: self.version.map(|(_, n)| n),
            commitments: self.offered(),
            sectors: self.sector_options(),
        }
    }

    /// A date in the city's own time zone, ISO.
    pub fn date(&self, epoch: i64) -> String {
        date_in(&self.city.timezone, epoch)
    }
}

pub fn date_in(zone: &str, epoch: i64) -> String {
    let utc = Utc.timestamp_opt(epoch, 0).single().unwrap_or_default();
    match zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => utc.with_timezone(&tz).date_naive().to_string(),
        Err(_) => utc.date_naive().to_string(),
    }
}

fn commitment_view(c: &CommitmentRow) -> CommitmentView {
    CommitmentView {
        id: c.id,
        label: Localized::new(c.label_en.clone(), c.label_it.clone()),
    }
}

pub async fn context(db: &Db, slug: &str) -> Result<PactContext, AppError> {
    let city = db.city_brief(slug).await?;
    context_of(db, city).await
}

pub async fn context_of(db: &Db, city: CityBrief) -> Result<PactContext, AppError> {
    let pact = db.pact_of_city(city.id).await?.ok_or(AppError::NotFound)?;
    let sectors = db.sectors_of(city.id).await?;
    let commitments = db.pact_commitments(pact.id).await?;
    let version = db
        .pact_versions(pact.id)
        .await?
        .first()
        .map(|v| (v.id, v.number));
    Ok(PactContext {
        city,
        pact,
        sectors,
        commitments,
        version,
    })
}

pub async fn context_of_pact(db: &Db, pact_id: i64) -> Result<PactContext, AppError> {
    let pact = db.pact(pact_id).await?;
    let city = db.city_brief_by_id(pact.city_id).await?;
    context_of(db, city).await
}

/// What the public list shows of each adherent's chosen commitments.
async fn chosen_commitments(
    db: &Db,
    ctx: &PactContext,
    adhesions: &[i64],
) -> Result<HashMap<i64, Vec<Localized>>, AppError> {
    let labels: HashMap<i64, Localized> = ctx
        .commitments
        .iter()
        .map(|c| (c.id, Localized::new(c.label_en.clone(), c.label_it.clone())))
        .collect();
    let mut out: HashMap<i64, Vec<Localized>> = HashMap::new();
    for (adhesion, commitment) in db.commitments_of_adhesions(adhesions).await? {
        if let Some(label) = labels.get(&commitment) {
            out.entry(adhesion).or_default().push(label.clone());
        }
    }
    Ok(out)
}

fn adherent_view(
    ctx: &PactContext,
    r: PublicRow,
    chosen: &HashMap<i64, Vec<Localized>>,
) -> AdherentView {
    AdherentView {
        id: r.id,
        sector: ctx.sector_name(r.sector_id),
        legal_form: r.legal_form,
        website: r.website,
        address: r.address,
        position: r.latitude.zip(r.longitude),
        commitments: chosen.get(&r.id).cloned().unwrap_or_default(),
        logo: (r.logos > 0).then(|| format!("/pact-logos/{}.png", r.id)),
        since: ctx.date(r.decided_at.or(r.confirmed_at).unwrap_or_default()),
        version: r.version_number,
        organisation: r.organisation,
    }
}

pub async fn pact_page(lang: &str, slug: &str, raw: &str) -> Result<PactView, AppError> {
    let db = crate::db()?;
    let locale = crate::locale_of(lang);
    let query = PactQuery::parse(raw);
    let ctx = context(&db, slug).await?;
    let versions = db.pact_versions(ctx.pact.id).await?;
    let shown = match query.version {
        Some(n) => Some(
            versions
                .iter()
                .find(|v| v.number == n)
                .ok_or(AppError::NotFound)?,
        ),
        None => versions.first(),
    };
    let version = shown.map(|v| {
        let text = match locale.as_str() {
            "it" if !v.text_it.trim().is_empty() => &v.text_it,
            _ if v.text_en.trim().is_empty() => &v.text_it,
            _ => &v.text_en,
        };
        VersionView {
            number: v.number,
            published: ctx.date(v.published_at),
            html: render_markdown(text),
        }
    });
    let partners = db
        .pact_partners(ctx.pact.id)
        .await?
        .into_iter()
        .map(|p| PactPartner {
            name: p.name,
            role: Localized::new(p.role_en, p.role_it),
            website: p.website,
        })
        .collect();
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
    let chosen = chosen_commitments(&db, &ctx, &ids).await?;
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
    Ok(PactView {
        city: ctx.city.to_ref(),
        title: ctx.title(),
        signed_on: ctx.pact.signed_on.map(|d| d.to_string()),
        current: versions.first().map(|v| v.number),
        versions: versions
            .iter()
            .map(|v| VersionRef {
                number: v.number,
                published: ctx.date(v.published_at),
            })
            .collect(),
        version,
        partners,
        commitments: ctx.offered(),
        sectors: ctx.sector_options(),
        approved: counts.iter().map(|c| c.count).sum(),
        counts,
        more: offset + (rows.len() as i64) < matching,
        adherents: rows
            .into_iter()
            .map(|r| adherent_view(&ctx, r, &chosen))
            .collect(),
        matching,
        query,
    })
}

/// Every adherent of the public list, in pages of the storage's largest.
async fn all_listed(db: &Db, ctx: &PactContext) -> Result<Vec<AdherentView>, AppError> {
    listed(db, ctx, None).await
}

async fn listed(
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
        items.extend(rows.into_iter().map(|r| adherent_view(ctx, r, &chosen)));
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

pub async fn join_form(_lang: &str, slug: &str) -> Result<JoinForm, AppError> {
    let db = crate::db()?;
    Ok(context(&db, slug).await?.join_form())
}

/// Who is filling in the details form, which decides what it asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filler {
    /// A new adhesion: e-mail, attestation and privacy notice too.
    Newcomer,
    /// The organisation through its personal link, or a coordinator: the address stays.
    Known,
}

/// The details form, parsed: every problem is collected before giving up.
pub struct Parsed {
    pub organisation: String,
    pub legal_form: LegalForm,
    pub sector_id: Option<i64>,
    pub tax_code: Option<TaxCode>,
    pub address: String,
    pub position: Option<(f64, f64)>,
    pub website: Option<String>,
    pub contact_name: String,
    pub email: Option<Email>,
    pub phone: String,
    pub representative: String,
    pub listed: bool,
    pub commitments: Vec<i64>,
}

impl Parsed {
    pub fn details(&self) -> Details<'_> {
        Details {
            organisation: &self.organisation,
            legal_form: self.legal_form.as_str(),
            sector_id: self.sector_id,
            tax_code: self.tax_code.as_ref().map(TaxCode::as_str),
            address: &self.address,
            position: self.position,
            website: self.website.as_deref(),
            phone: &self.phone,
            listed: self.listed,
            commitments: &self.commitments,
        }
    }
}

/// The text fields of the details form, kept to fill it in again after a refusal.
const KEPT: [&str; 12] = [
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
    "representative",
];

/// Remembers what was sent (never the logo): text as typed, boxes as `yes`, commitments as a
/// comma-separated list of ids.
pub fn keep_values(r: &Received, invalid: &mut Invalid) {
    for name in KEPT {
        invalid.keep(name, &r.text(name));
    }
    for name in ["authority", "privacy", "listed"] {
        invalid.keep(name, if r.ticked(name) { "yes" } else { "" });
    }
    invalid.keep("commitments", &r.all("commitments").join(","));
}

fn name_text(invalid: &mut Invalid, field: &str, raw: &str) -> String {
    name_field(invalid, field, raw)
        .map(|n| n.as_str().to_owned())
        .unwrap_or_default()
}

pub fn parse_details(
    r: &Received,
    ctx: &PactContext,
    filler: Filler,
    invalid: &mut Invalid,
) -> Option<Parsed> {
    let organisation = name_text(invalid, "organisation", &r.text("organisation"));
    let legal_form = match r.text("legal_form").trim() {
        "" => {
            invalid.add("legal_form", Problem::Required);
            None
        }
        raw => LegalForm::parse(raw).or_else(|| {
            invalid.add("legal_form", Problem::Choice);
            None
        }),
    };
    let sector_raw = r.text("sector");
    let sector_id = match sector_raw.trim() {
        "" if ctx.sectors.is_empty() => None,
        "" => {
            invalid.add("sector", Problem::Required);
            None
        }
        slug => match ctx.sectors.iter().find(|s| s.slug == slug) {
            Some(s) => Some(s.id),
            None => {
                invalid.add("sector", Problem::Choice);
                None
            }
        },
    };
    let tax_raw = r.text("tax_code");
    let tax_code = if tax_raw.trim().is_empty() {
        None
    } else {
        TaxCode::parse(&ctx.city.country, &tax_raw)
            .map_err(|e| invalid.add("tax_code", problem_of(e)))
            .ok()
    };
    let address = optional_text(invalid, "address", &r.text("address"), MAX_ADDRESS);
    if address.is_empty() && invalid.problem("address").is_none() {
        invalid.add("address", Problem::Required);
    }
    if address.contains('\n') {
        invalid.add("address", Problem::Characters);
    }
    let centre = (ctx.city.latitude, ctx.city.longitude);
    let position = crate::forms::input::position(
        invalid,
        &r.text("latitude"),
        &r.text("longitude"),
        Some(centre),
        false,
    );
    let website = web_address(invalid, "website", &r.text("website"));
    let contact_name = name_text(invalid, "contact_name", &r.text("contact_name"));
    let email = match filler {
        Filler::Newcomer => email_field(invalid, "email", &r.text("email")),
        Filler::Known => None,
    };
    let phone = optional_text(invalid, "phone", &r.text("phone"), MAX_PHONE);
    if !phone
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        && invalid.problem("phone").is_none()
    {
        invalid.add("phone", Problem::Format);
    }
    let representative = name_text(invalid, "representative", &r.text("representative"));
    if filler == Filler::Newcomer {
        if !r.ticked("authority") {
            invalid.add("authority", Problem::Attestation);
        }
        if !r.ticked("privacy") {
            invalid.add("privacy", Problem::Privacy);
        }
    }
    let offered: Vec<i64> = ctx.offered().iter().map(|c| c.id).collect();
    let mut commitments = Vec::new();
    for raw in r.all("commitments") {
        match raw.trim().parse::<i64>() {
            // A retired commitment an organisation already holds stays allowed.
            Ok(id) if ctx.commitments.iter().any(|c| c.id == id) => {
                if !commitments.contains(&id) {
                    commitments.push(id);
                }
            }
            _ => invalid.add("commitments", Problem::Choice),
        }
    }
    if commitments.is_empty() && !offered.is_empty() && invalid.problem("commitments").is_none() {
        invalid.add("commitments", Problem::ChooseOne);
    }
    Some(Parsed {
        organisation,
        legal_form: legal_form?,
        sector_id,
        tax_code,
        address,
        position,
        website,
        contact_name,
        email,
        phone,
        representative,
        listed: r.ticked("listed"),
        commitments,
    })
}

/// A refused duplicate, named on the field that collided and for the whole form.
pub fn duplicate(mut invalid: Invalid, which: Duplicate) -> AppError {
    let field = match which {
        Duplicate::TaxCode => "tax_code",
        Duplicate::NameAndEmail => "organisation",
    };
    invalid.add(field, Problem::Duplicate);
    invalid.add(Invalid::FORM, Problem::Duplicate);
    AppError::Invalid(invalid)
}

pub async fn join(data: leptos::server_fn::codec::MultipartData) -> Result<(), AppError> {
    let received = upload::receive(data).await;
    // A body that broke off is answered as such before anything is looked up.
    if received.invalid.problem(Invalid::FORM).is_some() {
        return Err(AppError::Invalid(received.invalid));
    }
    let lang = received.text("lang");
    let slug = received.text("slug");
    let db = crate::db()?;
    let site = crate::site()?;
    let locale = crate::locale_of(&lang);
    let ctx = context(&db, slug.trim()).await?;
    let mut invalid = received.invalid.clone();
    keep_values(&received, &mut invalid);
    let Some((version_id, _)) = ctx.version else {
        invalid.add(Invalid::FORM, Problem::PactClosed);
        return Err(AppError::Invalid(invalid));
    };
    let parsed = parse_details(&received, &ctx, Filler::Newcomer, &mut invalid);
    let logo = match received.logo.clone() {
        Some(bytes) => match upload::make_logo(bytes).await {
            Ok(png) => Some(png),
            Err(p) => {
                invalid.add("logo", p);
                None
            }
        },
        None => None,
    };
    invalid.clone().into_result()?;
    let (Some(parsed), Some(email)) = (
        parsed.as_ref(),
        parsed.as_ref().and_then(|p| p.email.clone()),
    ) else {
        return Err(AppError::Invalid(invalid));
    };
    // A bot that filled in the hidden field is told what a person would be told, and nothing
    // is stored or sent.
    if !received.text("homepage").trim().is_empty() {
        crate::redirect_to(
            &lang,
            &format!("cities/{}/pact/join?done=check-mail", ctx.city.slug),
        );
        return Ok(());
    }
    let token = OneTimeToken::generate();
    let now = Utc::now().timestamp();
    let details = parsed.details();
    let mut tx = db.begin_write().await?;
    let created = pacts::create_adhesion(
        &mut tx,
        &pacts::NewAdhesion {
            pact_id: ctx.pact.id,
            version_id,
            details: &details,
            contact_name: &parsed.contact_name,
            email: email.as_str(),
            representative: &parsed.representative,
            locale: locale.as_str(),
            confirm_hash: &token.hash,
            confirm_expires_at: now + CONFIRM_HOURS * 3600,
        },
        &domain::name_key(&parsed.organisation),
        now,
    )
    .await?;
    let id = match created {
        Ok(id) => id,
        Err(which) => return Err(duplicate(invalid, which)),
    };
    if let Some(png) = &logo {
        pacts::set_logo(&mut tx, id, "image/png", png, now).await?;
    }
    let letter = confirm_letter(
        &site,
        locale,
        &ctx,
        &parsed.organisation,
        &parsed.contact_name,
        &token.secret,
    );
    crate::mail::enqueue(
        &mut tx,
        &site.mail_from,
        &email,
        &parsed.contact_name,
        letter,
    )
    .await?;
    tx.commit().await?;
    crate::redirect_to(
        &lang,
        &format!("cities/{}/pact/join?done=check-mail", ctx.city.slug),
    );
    Ok(())
}

fn title_in(locale: Locale, title: &Localized) -> String {
    title.get(locale.as_str()).to_owned()
}

fn city_in(locale: Locale, city: &CityBrief) -> String {
    match locale.as_str() {
        "it" => city.name_it.clone(),
        _ => city.name_en.clone(),
    }
}

fn confirm_letter(
    site: &SiteInfo,
    locale: Locale,
    ctx: &PactContext,
    organisation: &str,
    contact: &str,
    secret: &str,
) -> Letter {
    let title = title_in(locale, &ctx.title());
    let city = city_in(locale, &ctx.city);
    Letter {
        locale,
        subject: leptos_i18n::td_string!(
            locale,
            mail_pact_confirm_subject,
            organisation = organisation
        )
        .to_string(),
        greeting: greeting(locale, contact),
        paragraphs: vec![leptos_i18n::td_string!(
            locale,
            mail_pact_confirm_body,
            organisation = organisation,
            title = title,
            city = city
        )
        .to_string()],
        action: Some((
            leptos_i18n::td_string!(locale, mail_pact_confirm_action).to_string(),
            link(site, locale, "pact/confirm", secret),
        )),
        note: Some(
            leptos_i18n::td_string!(locale, mail_pact_confirm_note, hours = CONFIRM_HOURS)
                .to_string(),
        ),
        attachments: Vec::new(),
    }
}

/// The letter carrying an organisation's personal link, for why it is sent.
pub fn personal_letter(
    site: &SiteInfo,
    ctx: &PactContext,
    row: &AdhesionRow,
    secret: &str,
    why: Why,
) -> Letter {
    let locale = crate::locale_of(&row.locale);
    let title = title_in(locale, &ctx.title());
    let city = city_in(locale, &ctx.city);
    let organisation = row.organisation.clone();
    let (subject, mut paragraphs) = match why {
        Why::Confirmed => (
            leptos_i18n::td_string!(
                locale,
                mail_pact_received_subject,
                organisation = organisation.clone()
            )
            .to_string(),
            vec![leptos_i18n::td_string!(
                locale,
                mail_pact_received_body,
                organisation = organisation.clone(),
                title = title.clone(),
                city = city.clone()
            )
            .to_string()],
        ),
        Why::Resent => (
            leptos_i18n::td_string!(
                locale,
                mail_pact_link_subject,
                organisation = organisation.clone()
            )
            .to_string(),
            vec![leptos_i18n::td_string!(
                locale,
                mail_pact_link_body,
                organisation = organisation.clone(),
                title = title.clone()
            )
            .to_string()],
        ),
        Why::Replaced => (
            leptos_i18n::td_string!(
                locale,
                mail_pact_new_link_subject,
                organisation = organisation.clone()
            )
            .to_string(),
            vec![leptos_i18n::td_string!(
                locale,
                mail_pact_new_link_body,
                organisation = organisation.clone(),
                title = title.clone()
            )
            .to_string()],
        ),
        Why::Approved => (
            leptos_i18n::td_string!(
                locale,
                mail_pact_approved_subject,
                organisation = organisation.clone()
            )
            .to_string(),
            vec![leptos_i18n::td_string!(
                locale,
                mail_pact_approved_body,
                organisation = organisation.clone(),
                title = title.clone(),
                city = city.clone()
            )
            .to_string()],
        ),
    };
    if why == Why::Approved && row.listed {
        paragraphs.push(
            leptos_i18n::td_string!(
                locale,
                mail_pact_certificate,
                url = format!(
                    "{}/{}/cities/{}/pact/adherents/{}",
                    site.public_url,
                    locale.as_str(),
                    ctx.city.slug,
                    row.id
                )
            )
            .to_string(),
        );
    }
    Letter {
        locale,
        subject,
        greeting: greeting(locale, &row.contact_name),
        paragraphs,
        action: Some((
            leptos_i18n::td_string!(locale, mail_pact_personal_action).to_string(),
            link(site, locale, "pact/adhesion", secret),
        )),
        note: Some(leptos_i18n::td_string!(locale, mail_pact_personal_note).to_string()),
        attachments: Vec::new(),
    }
}

/// Why an organisation gets its personal link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    Confirmed,
    Resent,
    /// Asked for on the adhesion's page: the link in earlier mails stops working.
    Replaced,
    Approved,
}

pub fn token_hash(token: &str) -> String {
    OneTimeToken::hash_of(token.trim())
}

pub async fn confirmation(_lang: &str, token: &str) -> Result<Confirmation, AppError> {
    let db = crate::db()?;
    let now = Utc::now().timestamp();
    let Ok(row) = db.adhesion_by_confirm_hash(&token_hash(token)).await else {
        return Ok(Confirmation {
            state: LinkState::Unknown,
            organisation: String::new(),
            city: None,
            title: Localized::default(),
        });
    };
    let ctx = context_of_pact(&db, row.pact_id).await?;
    let state = match row.status() {
        AdhesionStatus::Unconfirmed if row.confirm_expires_at.is_some_and(|t| t > now) => {
            LinkState::Ready
        }
        AdhesionStatus::Unconfirmed => LinkState::Expired,
        AdhesionStatus::Withdrawn => LinkState::Unknown,
        _ => LinkState::Used,
    };
    Ok(Confirmation {
        state,
        organisation: row.organisation,
        city: Some(ctx.city.to_ref()),
        title: ctx.title(),
    })
}

/// An audit entry for something an organisation did through its own link: no personal data,
/// and the actor named by the adhesion, not by a person.
fn self_service_entry<'a>(
    actor: &'a str,
    action: &'a str,
    row: &AdhesionRow,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
) -> db::audit::NewEntry<'a> {
    db::audit::NewEntry {
        actor_id: None,
        actor_email: actor,
        action,
        entity: "adhesion",
        entity_id: row.id.to_string(),
        city_id: Some(row.city_id),
        cluster_id: None,
        before,
        after: Some(after),
    }
}

/// What the audit log keeps of an adhesion: the organisation's public face, never its people.
pub fn audit_view(row: &AdhesionRow, commitments: &[i64]) -> serde_json::Value {
    serde_json::json!({
        "status": row.status,
        "organisation": row.organisation,
        "legal_form": row.legal_form,
        "sector_id": row.sector_id,
        "website": row.website,
        "listed": row.listed,
        "reason": row.reason,
        "commitments": commitments,
        "version": row.version_number,
    })
}

pub async fn confirm(lang: &str, token: &str) -> Result<(), AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let now = Utc::now().timestamp();
    let hash = token_hash(token);
    let row = db
        .adhesion_by_confirm_hash(&hash)
        .await
        .map_err(crate::error::link_gone)?;
    let ctx = context_of_pact(&db, row.pact_id).await?;
    // The personal link this mail gives is the one every later mail carries.
    let personal = crate::link_key()?.fresh();
    let manage = &personal.token;
    let mut tx = db.begin_write().await?;
    match pacts::confirm_adhesion(&mut tx, &hash, &manage.hash, now).await? {
        pacts::Confirmation::Confirmed(row) => {
            pacts::keep_manage_nonce(&mut tx, row.id, &personal.nonce).await?;
            let letter = personal_letter(&site, &ctx, &row, &manage.secret, Why::Confirmed);
            let email = Email::parse(&row.email).map_err(|_| AppError::Internal)?;
            crate::mail::enqueue(&mut tx, &site.mail_from, &email, &row.contact_name, letter)
                .await?;
            let actor = format!("adhesion {}", row.id);
            let commitments = commitments_in(&mut tx, row.id).await?;
            db::audit::append(
                &mut tx,
                &self_service_entry(
                    &actor,
                    "adhesion.confirm",
                    &row,
                    None,
                    audit_view(&row, &commitments),
                ),
                Utc::now(),
            )
            .await?;
            tx.commit().await?;
            crate::redirect_to(
                lang,
                &format!("pact/adhesion?token={}&done=confirmed", manage.secret),
            );
            Ok(())
        }
        pacts::Confirmation::Already(_) => {
            crate::redirect_to(lang, &format!("pact/confirm?token={}", token.trim()));
            Ok(())
        }
        pacts::Confirmation::Expired(_) => Err(Invalid::only(Invalid::FORM, Problem::LinkExpired)),
        pacts::Confirmation::Unknown => Err(Invalid::only(Invalid::FORM, Problem::Link)),
        // Told only to whoever reads this adhesion's mailbox, and the same whatever the state
        // of the other adhesion: the city's coordinators settle which is the organisation's.
        pacts::Confirmation::TaxCodeTaken => {
            Err(Invalid::only(Invalid::FORM, Problem::TaxCodeTaken))
        }
    }
}

/// The adhesion a personal link opens; an unknown one is a link that no longer works.
async fn adhesion_of(db: &Db, token: &str) -> Result<AdhesionRow, AppError> {
    db.adhesion_by_manage_hash(&token_hash(token))
        .await
        .map_err(crate::error::link_gone)
}

async fn commitments_in(tx: &mut Tx, id: i64) -> Result<Vec<i64>, AppError> {
    Ok(pacts::commitments_in(tx, id).await?)
}

pub async fn resend(lang: &str, slug: &str, email: &str) -> Result<(), AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let mut invalid = Invalid::default();
    invalid.keep("email", email);
    let email = email_field(&mut invalid, "email", email);
    invalid.clone().into_result()?;
    let email = email.ok_or(AppError::Invalid(invalid))?;
    let ctx = context(&db, slug).await?;
    let now = Utc::now().timestamp();
    let rows = db.live_adhesions_of(ctx.pact.id, email.as_str()).await?;
    let key = crate::link_key()?;
    let mut tx = db.begin_write().await?;
    for row in rows {
        if row.status() == AdhesionStatus::Unconfirmed {
            let token = OneTimeToken::generate();
            pacts::renew_confirmation(
                &mut tx,
                row.id,
                &token.hash,
                now + CONFIRM_HOURS * 3600,
                now,
            )
            .await?;
            let locale = crate::locale_of(&row.locale);
            let letter = confirm_letter(
                &site,
                locale,
                &ctx,
                &row.organisation,
                &row.contact_name,
                &token.secret,
            );
            crate::mail::enqueue(&mut tx, &site.mail_from, &email, &row.contact_name, letter)
                .await?;
        } else {
            // The same link again: the one in the earlier mail keeps working.
            let token = pacts::manage_link(&mut tx, row.id, &key).await?;
            let letter = personal_letter(&site, &ctx, &row, &token.secret, Why::Resent);
            crate::mail::enqueue(&mut tx, &site.mail_from, &email, &row.contact_name, letter)
                .await?;
        }
    }
    tx.commit().await?;
    // The same answer whether or not the address is known.
    crate::redirect_to(
        lang,
        &format!("cities/{}/pact/resend?done=sent", ctx.city.slug),
    );
    Ok(())
}

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
        status: row.status(),
        reason: row.reason.clone(),
        version: row.version_number,
        draft: draft_of(&row, &ctx, commitments),
        has_logo: row.has_logo(),
        form: ctx.join_form(),
        submitted: ctx.date(row.created_at),
        confirmed: row.confirmed_at.map(|t| ctx.date(t)),
        decided: row.decided_at.map(|t| ctx.date(t)),
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
    let logo = match received.logo.clone() {
        Some(bytes) => match upload::make_logo(bytes).await {
            Ok(png) => Some(png),
            Err(p) => {
                invalid.add("logo", p);
                None
            }
        },
        None => None,
    };
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
    if !row.status().is_live() {
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
    let actor = format!("adhesion {}", row.id);
    db::audit::append(
        &mut tx,
        &self_service_entry(
            &actor,
            "adhesion.update",
            &updated,
            Some(before),
            audit_view(&updated, &parsed.commitments),
        ),
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
        let actor = format!("adhesion {}", row.id);
        db::audit::append(
            &mut tx,
            &self_service_entry(
                &actor,
                "adhesion.withdraw",
                &gone,
                Some(audit_view(&row, &commitments)),
                audit_view(&gone, &commitments),
            ),
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
    let partners = db
        .pact_partners(ctx.pact.id)
        .await?
        .into_iter()
        .map(|p| PactPartner {
            name: p.name,
            role: Localized::new(p.role_en, p.role_it),
            website: p.website,
        })
        .collect();
    Ok(Certificate {
        adherent: adherent_view(&ctx, row, &chosen),
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

/// The next dates an invitation may register for.
const INVITATION_DATES: i64 = 12;

pub async fn invitation(lang: &str, token: &str) -> Result<InvitationView, AppError> {
    let db = crate::db()?;
    let locale = crate::locale_of(lang);
    let inv = db
        .invitation_by_hash(&token_hash(token))
        .await
        .map_err(crate::error::link_gone)?;
    let now = Utc::now().timestamp();
    let mut dates = Vec::new();
    for (id, _) in db
        .next_occurrences(inv.meeting_id, now, INVITATION_DATES)
        .await?
    {
        let s = crate::calendar::ops::summary(locale, db.occurrence(id).await?);
        dates.push((id, crate::calendar::ops::when(&s)));
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
        .invitation_by_hash(&token_hash(token))
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

// Documents served outside the Leptos router.

/// An adherent's logo, for the public list only.
pub async fn logo(db: &Db, id: i64) -> Result<(String, Vec<u8>), AppError> {
    let (content_type, bytes, _) = db.public_logo(id).await?;
    Ok((content_type, bytes))
}

/// Everything stored about an adhesion, for its organisation (personal link).
pub async fn personal_data(db: &Db, token: &str) -> Result<serde_json::Value, AppError> {
    let row = db
        .adhesion_by_manage_hash(&token_hash(token))
        .await
        .map_err(|_| AppError::NotFound)?;
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
        "status": row.status,
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
            a.since.clone(),
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

/// Retention: erases the personal data of adhesions withdrawn or rejected more than
/// `retention_days` ago, and deletes adhesions never confirmed a week after their link expired.
pub async fn tidy(db: &Db, retention_days: i64, now: i64) -> Result<(u64, u64), AppError> {
    let mut tx = db.begin_write().await?;
    let erased = pacts::anonymise_closed(&mut tx, now - retention_days * 86_400, now).await?;
    let purged = pacts::purge_unconfirmed(&mut tx, now - 7 * 86_400).await?;
    tx.commit().await?;
    Ok((erased, purged))
}
