//! The pacts aggregate: each city's pact for lifelong learning (its versioned text, promoting
//! partners and commitments), the organisations' adhesions, their logos, and the invitations of
//! the coordination table.
//!
//! One organisation holds at most one live adhesion per pact: partial unique indexes on the tax
//! code and on the folded name with the e-mail address refuse a second one, so two identical
//! submissions racing each other leave one record on either backend.

use crate::{on_pool, on_tx, Db, DbError, Tx};
use domain::AdhesionStatus;

mod adhesions;
mod invitations;
mod lists;
mod text;

pub use adhesions::*;
pub use invitations::*;
pub use lists::*;
pub use text::*;

/// The page size limit for any list of adhesions.
pub const MAX_LIMIT: i64 = 500;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PactRow {
    pub id: i64,
    pub city_id: i64,
    pub title_en: String,
    pub title_it: String,
    pub signed_on: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub id: i64,
    pub number: i32,
    pub text_en: String,
    pub text_it: String,
    pub published_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommitmentRow {
    pub id: i64,
    pub slug: String,
    pub label_en: String,
    pub label_it: String,
    pub position: i32,
    pub retired: bool,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PartnerRow {
    pub id: i64,
    pub name: String,
    pub role_en: String,
    pub role_it: String,
    pub website: Option<String>,
    pub position: i32,
}

/// An adhesion as its organisation and the coordinators see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AdhesionRow {
    pub id: i64,
    pub pact_id: i64,
    pub city_id: i64,
    pub version_number: i32,
    #[sqlx(try_from = "String")]
    pub status: AdhesionStatus,
    pub organisation: String,
    pub legal_form: String,
    pub sector_id: Option<i64>,
    pub tax_code: Option<String>,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub website: Option<String>,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub representative: String,
    pub listed: bool,
    pub locale: String,
    pub confirm_expires_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub confirmed_at: Option<i64>,
    pub decided_at: Option<i64>,
    pub reason: String,
    pub withdrawn_at: Option<i64>,
    pub anonymised_at: Option<i64>,
    pub logos: i64,
}

impl AdhesionRow {
    pub fn has_logo(&self) -> bool {
        self.logos > 0
    }
}

macro_rules! adhesion_columns {
    () => {
        "a.id, a.pact_id, p.city_id, v.number AS version_number, a.status, \
     a.organisation, a.legal_form, a.sector_id, a.tax_code, a.address, a.latitude, a.longitude, \
     a.website, a.contact_name, a.email, a.phone, a.representative, a.listed, a.locale, \
     a.confirm_expires_at, a.created_at, a.updated_at, a.confirmed_at, a.decided_at, a.reason, \
     a.withdrawn_at, a.anonymised_at, \
     (SELECT COUNT(*) FROM adhesion_logos l WHERE l.adhesion_id = a.id) AS logos"
    };
}
pub(crate) use adhesion_columns;

macro_rules! adhesion_joins {
    () => {
        "FROM adhesions a JOIN pacts p ON p.id = a.pact_id \
     JOIN pact_versions v ON v.id = a.version_id"
    };
}
pub(crate) use adhesion_joins;

/// An adhesion to store, already validated.
#[derive(Debug, Clone)]
pub struct NewAdhesion<'a> {
    pub pact_id: i64,
    pub version_id: i64,
    pub details: &'a Details<'a>,
    pub contact_name: &'a str,
    pub email: &'a str,
    pub representative: &'a str,
    pub locale: &'a str,
    pub confirm_hash: &'a str,
    pub confirm_expires_at: i64,
}

/// What an organisation tells about itself, and may change later through its personal link.
#[derive(Debug, Clone)]
pub struct Details<'a> {
    pub organisation: &'a str,
    pub legal_form: &'a str,
    pub sector_id: Option<i64>,
    pub tax_code: Option<&'a str>,
    pub address: &'a str,
    pub position: Option<(f64, f64)>,
    pub website: Option<&'a str>,
    pub phone: &'a str,
    pub listed: bool,
    pub commitments: &'a [i64],
}

/// Why a new adhesion was not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duplicate {
    /// A live adhesion with the same tax code.
    TaxCode,
    /// A live adhesion with the same organisation name and e-mail address.
    NameAndEmail,
}

/// What a confirmation link found.
#[derive(Debug, Clone)]
pub enum Confirmation {
    /// Another confirmed adhesion of this pact has the same tax code: this one stays
    /// unconfirmed (and lapses). On PostgreSQL the transaction is then spent.
    TaxCodeTaken,
    /// Confirmed now: the adhesion awaits moderation.
    Confirmed(AdhesionRow),
    /// Confirmed before (the link was used).
    Already(AdhesionRow),
    /// The link expired before it was used.
    Expired(AdhesionRow),
    Unknown,
}

/// One adherent on the public list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublicRow {
    pub id: i64,
    pub organisation: String,
    pub legal_form: String,
    pub sector_id: Option<i64>,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub website: Option<String>,
    pub decided_at: Option<i64>,
    pub confirmed_at: Option<i64>,
    pub version_number: i32,
    pub logos: i64,
}

impl Db {
    pub async fn pact_of_city(&self, city_id: i64) -> Result<Option<PactRow>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, city_id, title_en, title_it, signed_on FROM pacts WHERE city_id = $1",
            )
            .bind(city_id)
            .fetch_optional(pool)
            .await?
        }))
    }

    pub async fn pact(&self, id: i64) -> Result<PactRow, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, city_id, title_en, title_it, signed_on FROM pacts WHERE id = $1",
            )
            .bind(id)
            .fetch_one(pool)
            .await?
        }))
    }

    /// Every version of a pact's text, the newest first.
    pub async fn pact_versions(&self, pact_id: i64) -> Result<Vec<VersionRow>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, number, text_en, text_it, published_at FROM pact_versions \
                 WHERE pact_id = $1 ORDER BY number DESC",
            )
            .bind(pact_id)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn pact_commitments(&self, pact_id: i64) -> Result<Vec<CommitmentRow>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, slug, label_en, label_it, position, retired FROM pact_commitments \
                 WHERE pact_id = $1 ORDER BY position, id",
            )
            .bind(pact_id)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn pact_partners(&self, pact_id: i64) -> Result<Vec<PartnerRow>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, name, role_en, role_it, website, position FROM pact_partners \
                 WHERE pact_id = $1 ORDER BY position, id",
            )
            .bind(pact_id)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn adhesion(&self, id: i64) -> Result<AdhesionRow, DbError> {
        let sql = concat!(
            "SELECT ",
            adhesion_columns!(),
            " ",
            adhesion_joins!(),
            " WHERE a.id = $1"
        );
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(sql).bind(id).fetch_one(pool).await?
        }))
    }

    /// The adhesion a personal link belongs to.
    pub async fn adhesion_by_manage_hash(&self, hash: &str) -> Result<AdhesionRow, DbError> {
        let sql = concat!(
            "SELECT ",
            adhesion_columns!(),
            " ",
            adhesion_joins!(),
            " WHERE a.manage_hash = $1"
        );
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(sql).bind(hash).fetch_one(pool).await?
        }))
    }

    pub async fn adhesion_by_confirm_hash(&self, hash: &str) -> Result<AdhesionRow, DbError> {
        let sql = concat!(
            "SELECT ",
            adhesion_columns!(),
            " ",
            adhesion_joins!(),
            " WHERE a.confirm_hash = $1"
        );
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(sql).bind(hash).fetch_one(pool).await?
        }))
    }

    /// Live adhesions to a pact under one e-mail address, to send their links again.
    pub async fn live_adhesions_of(
        &self,
        pact_id: i64,
        email: &str,
    ) -> Result<Vec<AdhesionRow>, DbError> {
        let sql = concat!(
            "SELECT ",
            adhesion_columns!(),
            " ",
            adhesion_joins!(),
            " WHERE a.pact_id = $1 AND a.email = $2 \
             AND a.status IN ('unconfirmed', 'pending', 'approved') ORDER BY a.id"
        );
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(sql)
                .bind(pact_id)
                .bind(email)
                .fetch_all(pool)
                .await?
        }))
    }

    /// The commitments one adhesion chose, as ids.
    pub async fn adhesion_commitments(&self, adhesion_id: i64) -> Result<Vec<i64>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT commitment_id FROM adhesion_commitments WHERE adhesion_id = $1 \
                 ORDER BY commitment_id",
            )
            .bind(adhesion_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The commitments chosen by each adhesion of a pact, as (adhesion, commitment) pairs.
    pub async fn pact_adhesion_commitments(
        &self,
        pact_id: i64,
    ) -> Result<Vec<(i64, i64)>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT ac.adhesion_id, ac.commitment_id FROM adhesion_commitments ac \
                 JOIN adhesions a ON a.id = ac.adhesion_id WHERE a.pact_id = $1",
            )
            .bind(pact_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The commitments these adhesions chose, as (adhesion, commitment): a page of the list
    /// reads those of the adherents it shows, not of the whole pact.
    pub async fn commitments_of_adhesions(&self, ids: &[i64]) -> Result<Vec<(i64, i64)>, DbError> {
        let mut out = Vec::new();
        for chunk in ids.chunks(crate::IDS_PER_QUERY) {
            let rows: Vec<(i64, i64)> = on_pool!(self, |pool| {
                let mut qb = sqlx::QueryBuilder::new(
                    "SELECT adhesion_id, commitment_id FROM adhesion_commitments \
                     WHERE adhesion_id IN (",
                );
                crate::push_ids(&mut qb, chunk);
                qb.build_query_as().fetch_all(pool).await?
            });
            out.extend(rows);
        }
        Ok(out)
    }

    /// One adherent of the public list (approved and consenting), for its certificate.
    pub async fn public_adherent(&self, id: i64) -> Result<(PublicRow, i64), DbError> {
        Ok(on_pool!(self, |pool| {
            let row: PublicRow = sqlx::query_as(
                "SELECT a.id, a.organisation, a.legal_form, a.sector_id, a.address, a.latitude, \
                    a.longitude, a.website, a.decided_at, a.confirmed_at, v.number AS version_number, \
                    (SELECT COUNT(*) FROM adhesion_logos l WHERE l.adhesion_id = a.id) AS logos \
                 FROM adhesions a JOIN pact_versions v ON v.id = a.version_id \
                 WHERE a.id = $1 AND a.status = 'approved' AND a.listed = TRUE",
            )
            .bind(id)
            .fetch_one(pool)
            .await?;
            let pact: i64 = sqlx::query_scalar("SELECT pact_id FROM adhesions WHERE id = $1")
                .bind(id)
                .fetch_one(pool)
                .await?;
            (row, pact)
        }))
    }

    /// Approved adhesions by sector (`None`: no sector), listed or not: counts reveal no one.
    pub async fn approved_by_sector(
        &self,
        pact_id: i64,
    ) -> Result<Vec<(Option<i64>, i64)>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT sector_id, COUNT(*) FROM adhesions \
                 WHERE pact_id = $1 AND status = 'approved' GROUP BY sector_id",
            )
            .bind(pact_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// How many adhesions of a pact wait for a decision.
    pub async fn adhesions_pending(&self, pact_id: i64) -> Result<i64, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM adhesions WHERE pact_id = $1 AND status = 'pending'",
            )
            .bind(pact_id)
            .fetch_one(pool)
            .await?
        }))
    }

    /// Adhesions waiting for a decision, by city slug (only cities that have some).
    pub async fn pending_adhesions_by_city(&self) -> Result<Vec<(String, i64)>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT ci.slug, COUNT(*) FROM adhesions a JOIN pacts p ON p.id = a.pact_id \
                 JOIN cities ci ON ci.id = p.city_id WHERE a.status = 'pending' \
                 GROUP BY ci.slug ORDER BY ci.slug",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// A logo as stored, for an adherent on the public list only.
    pub async fn public_logo(&self, adhesion_id: i64) -> Result<(String, Vec<u8>, i64), DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT l.content_type, l.bytes, l.updated_at FROM adhesion_logos l \
                 JOIN adhesions a ON a.id = l.adhesion_id \
                 WHERE l.adhesion_id = $1 AND a.status = 'approved' AND a.listed = TRUE",
            )
            .bind(adhesion_id)
            .fetch_one(pool)
            .await?
        }))
    }

    /// Approved adherents of a pact in any of `sector_ids` (all sectors when empty), for an
    /// invitation of the coordination table.
    pub async fn approved_in_sectors(
        &self,
        pact_id: i64,
        sector_ids: &[i64],
    ) -> Result<Vec<AdhesionRow>, DbError> {
        let sql = concat!(
            "SELECT ",
            adhesion_columns!(),
            " ",
            adhesion_joins!(),
            " \
             WHERE a.pact_id = $1 AND a.status = 'approved' ORDER BY a.id"
        );
        let rows: Vec<AdhesionRow> = on_pool!(self, |pool| {
            sqlx::query_as(sql).bind(pact_id).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .filter(|r| {
                sector_ids.is_empty() || r.sector_id.is_some_and(|s| sector_ids.contains(&s))
            })
            .collect())
    }

    pub async fn invitation_by_hash(&self, hash: &str) -> Result<InvitationRow, DbError> {
        let sql = concat!(invitation_select!(), " WHERE i.token_hash = $1");
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(sql).bind(hash).fetch_one(pool).await?
        }))
    }

    /// The invitations sent for a pact's adherents, newest first.
    pub async fn pact_invitations(&self, pact_id: i64) -> Result<Vec<InvitationRow>, DbError> {
        let sql = concat!(
            invitation_select!(),
            " WHERE a.pact_id = $1 ORDER BY i.created_at DESC, i.id DESC LIMIT 1000"
        );
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(sql).bind(pact_id).fetch_all(pool).await?
        }))
    }
}
