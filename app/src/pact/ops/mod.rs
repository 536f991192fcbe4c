//! The server side of pacts, one file per job: what anyone may read (`public`), joining
//! (`joining`), the organisation's mail (`letters`), its personal link (`adhesion`) and the
//! coordination table's invitations (`invitations`). Here: what they share, a pact's context
//! and how an adhesion is named and logged, and the retention sweep.

use super::upload::{self, Received};
use super::{
    AdherentView, AdhesionView, Certificate, CommitmentView, Confirmation, Draft, InvitationDate,
    InvitationView, JoinForm, LinkState, PactQuery, PactView, SectorCount, VersionRef, VersionView,
    PAGE_SIZE,
};
use crate::accounts::ops::{greeting, link};
use crate::audit::{self, Action, Actor};
use crate::export::spreadsheet_safe;
use crate::forms::input::{email_field, name_field, optional_text, problem_of, web_address};
use crate::i18n::Locale;
use crate::mail::Letter;
use crate::markdown::render_markdown;
use crate::{AppError, Invalid, Problem, SiteInfo};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use db::accounts::OneTimeToken;
use db::network::{CityBrief, SectorRow};
use db::pacts::{self, AdhesionRow, CommitmentRow, Details, Duplicate, PactRow, PublicRow};
use db::{Db, Tx};
use domain::{AdhesionStatus, Email, LegalForm, Localized, PactPartner, TaxCode};
use leptos_i18n::Locale as _;
use std::collections::HashMap;

mod adhesion;
mod invitations;
mod joining;
mod letters;
mod public;

pub use adhesion::*;
pub use invitations::*;
pub use joining::*;
pub use letters::*;
pub use public::*;

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

    pub fn sector_options(&self) -> Vec<domain::Sector> {
        self.sectors
            .iter()
            .map(|s| domain::Sector {
                slug: s.slug.clone(),
                name: Localized::new(s.name_en.clone(), s.name_it.clone()),
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

    /// The day of a stored instant in the city's own time zone.
    pub fn date(&self, epoch: i64) -> Result<NaiveDate, AppError> {
        date_in(&self.city.timezone, epoch)
    }
}

/// The day of a stored instant (seconds since 1970) in a time zone, UTC when the zone is
/// unknown. An instant outside the calendar's range is a damaged record, never shown as a day.
pub fn date_in(zone: &str, epoch: i64) -> Result<NaiveDate, AppError> {
    let Some(utc) = DateTime::from_timestamp(epoch, 0) else {
        tracing::error!(epoch, "stored instant outside the calendar");
        return Err(AppError::Internal);
    };
    Ok(match zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => utc.with_timezone(&tz).date_naive(),
        Err(_) => utc.date_naive(),
    })
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
) -> Result<AdherentView, AppError> {
    let since = match r.decided_at.or(r.confirmed_at) {
        Some(t) => Some(ctx.date(t)?),
        None => None,
    };
    Ok(AdherentView {
        id: r.id,
        sector: ctx.sector_name(r.sector_id),
        legal_form: r.legal_form,
        website: r.website,
        address: r.address,
        position: r.latitude.zip(r.longitude),
        commitments: chosen.get(&r.id).cloned().unwrap_or_default(),
        logo: (r.logos > 0).then(|| format!("/pact-logos/{}.png", r.id)),
        since,
        version: r.version_number,
        organisation: r.organisation,
    })
}

/// An adhesion as the audit log names it: by its number, read by its city's coordinators.
/// What an organisation did through its own link is logged under the adhesion (see
/// [`Actor::Adhesion`]), with no personal data.
pub fn adhesion_target(row: &AdhesionRow) -> audit::Target {
    audit::Target::new(row.id, audit::Scope::city(row.city_id))
}

/// What the audit log keeps of an adhesion: the organisation's public face, never its people.
pub fn audit_view(row: &AdhesionRow, commitments: &[i64]) -> serde_json::Value {
    serde_json::json!({
        "status": row.status.as_str(),
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

/// The adhesion a personal link opens; an unknown one is a link that no longer works.
async fn adhesion_of(db: &Db, token: &str) -> Result<AdhesionRow, AppError> {
    db.adhesion_by_manage_hash(&db::accounts::OneTimeToken::hash_of(token))
        .await
        .map_err(crate::error::link_gone)
}

async fn commitments_in(tx: &mut Tx, id: i64) -> Result<Vec<i64>, AppError> {
    Ok(pacts::commitments_in(tx, id).await?)
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
