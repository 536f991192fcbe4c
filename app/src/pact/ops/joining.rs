//! Joining a pact: the form, its rules, the double opt-in and a link sent again.

use super::*;

/// How long a confirmation link works.
pub const CONFIRM_HOURS: i64 = 72;
/// Longest address, in characters.
pub(super) const MAX_ADDRESS: usize = 300;
/// Longest phone number, in characters.
pub(super) const MAX_PHONE: usize = 40;

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
pub(super) const KEPT: [&str; 12] = [
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

pub(super) fn name_text(invalid: &mut Invalid, field: &str, raw: &str) -> String {
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
    let legal_form = legal_form(r, invalid);
    let sector_id = sector(r, ctx, invalid);
    let tax_code = tax_code(r, ctx, invalid);
    let address = address(r, invalid);
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
    let phone = phone(r, invalid);
    let representative = name_text(invalid, "representative", &r.text("representative"));
    if filler == Filler::Newcomer {
        attestations(r, invalid);
    }
    let commitments = commitments(r, ctx, invalid);
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

fn legal_form(r: &Received, invalid: &mut Invalid) -> Option<LegalForm> {
    match r.text("legal_form").trim() {
        "" => {
            invalid.add("legal_form", Problem::Required);
            None
        }
        raw => LegalForm::parse(raw).or_else(|| {
            invalid.add("legal_form", Problem::Choice);
            None
        }),
    }
}

/// The sector's id; required when the city has sectors.
fn sector(r: &Received, ctx: &PactContext, invalid: &mut Invalid) -> Option<i64> {
    match r.text("sector").trim() {
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
    }
}

fn tax_code(r: &Received, ctx: &PactContext, invalid: &mut Invalid) -> Option<TaxCode> {
    let raw = r.text("tax_code");
    if raw.trim().is_empty() {
        return None;
    }
    TaxCode::parse(&ctx.city.country, &raw)
        .map_err(|e| invalid.add("tax_code", problem_of(e)))
        .ok()
}

/// A required address on one line.
fn address(r: &Received, invalid: &mut Invalid) -> String {
    let address = optional_text(invalid, "address", &r.text("address"), MAX_ADDRESS);
    if address.is_empty() && invalid.problem("address").is_none() {
        invalid.add("address", Problem::Required);
    }
    if address.contains('\n') {
        invalid.add("address", Problem::Characters);
    }
    address
}

/// An optional phone number, in digits and the signs people write them with.
fn phone(r: &Received, invalid: &mut Invalid) -> String {
    let phone = optional_text(invalid, "phone", &r.text("phone"), MAX_PHONE);
    if !phone
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        && invalid.problem("phone").is_none()
    {
        invalid.add("phone", Problem::Format);
    }
    phone
}

/// A newcomer's attestation of authority and acknowledgement of the privacy notice.
fn attestations(r: &Received, invalid: &mut Invalid) {
    if !r.ticked("authority") {
        invalid.add("authority", Problem::Attestation);
    }
    if !r.ticked("privacy") {
        invalid.add("privacy", Problem::Privacy);
    }
}

/// The chosen commitments' ids, each once; at least one when any is offered.
fn commitments(r: &Received, ctx: &PactContext, invalid: &mut Invalid) -> Vec<i64> {
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
    commitments
}

/// The logo sent with a details form as PNG; a file that is no image the form admits is a
/// problem of the `logo` field.
pub(super) async fn logo_of(received: &Received, invalid: &mut Invalid) -> Option<Vec<u8>> {
    let bytes = received.logo.clone()?;
    match upload::make_logo(bytes).await {
        Ok(png) => Some(png),
        Err(p) => {
            invalid.add("logo", p);
            None
        }
    }
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
    let joining = check_join(&received, &ctx).await?;
    // A bot that filled in the hidden field is told what a person would be told, and nothing
    // is stored or sent.
    if received.text("homepage").trim().is_empty() {
        store_join(&db, &site, locale, &ctx, joining).await?;
    }
    crate::redirect_to(
        &lang,
        &format!("cities/{}/pact/join?done=check-mail", ctx.city.slug),
    );
    Ok(())
}

/// A sign-up that passed every check.
struct Joining {
    version_id: i64,
    parsed: Parsed,
    email: Email,
    logo: Option<Vec<u8>>,
    /// What was typed, for a duplicate found only when storing.
    invalid: Invalid,
}

/// Checks a sign-up, collecting every problem before giving up.
async fn check_join(received: &Received, ctx: &PactContext) -> Result<Joining, AppError> {
    let mut invalid = received.invalid.clone();
    keep_values(received, &mut invalid);
    let Some((version_id, _)) = ctx.version else {
        invalid.add(Invalid::FORM, Problem::PactClosed);
        return Err(AppError::Invalid(invalid));
    };
    let parsed = parse_details(received, ctx, Filler::Newcomer, &mut invalid);
    let logo = logo_of(received, &mut invalid).await;
    invalid.clone().into_result()?;
    let Some(parsed) = parsed else {
        return Err(AppError::Invalid(invalid));
    };
    let Some(email) = parsed.email.clone() else {
        return Err(AppError::Invalid(invalid));
    };
    Ok(Joining {
        version_id,
        parsed,
        email,
        logo,
        invalid,
    })
}

/// Stores a new adhesion, unconfirmed, with its logo, and mails its confirmation link.
async fn store_join(
    db: &Db,
    site: &SiteInfo,
    locale: Locale,
    ctx: &PactContext,
    joining: Joining,
) -> Result<(), AppError> {
    let Joining {
        version_id,
        parsed,
        email,
        logo,
        invalid,
    } = joining;
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
        site,
        locale,
        ctx,
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
    Ok(())
}

pub async fn confirmation(_lang: &str, token: &str) -> Result<Confirmation, AppError> {
    let db = crate::db()?;
    let now = Utc::now().timestamp();
    let Ok(row) = db
        .adhesion_by_confirm_hash(&db::accounts::OneTimeToken::hash_of(token))
        .await
    else {
        return Ok(Confirmation {
            state: LinkState::Unknown,
            organisation: String::new(),
            city: None,
            title: Localized::default(),
        });
    };
    let ctx = context_of_pact(&db, row.pact_id).await?;
    let state = match row.status {
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

pub async fn confirm(lang: &str, token: &str) -> Result<(), AppError> {
    let db = crate::db()?;
    let site = crate::site()?;
    let now = Utc::now().timestamp();
    let hash = db::accounts::OneTimeToken::hash_of(token);
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
            let commitments = commitments_in(&mut tx, row.id).await?;
            audit::record(
                &mut tx,
                Actor::Adhesion(row.id),
                Action::AdhesionConfirm,
                adhesion_target(&row),
                None,
                Some(audit_view(&row, &commitments)),
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
        if row.status == AdhesionStatus::Unconfirmed {
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
