//! The pacts aggregate: each city's pact for lifelong learning (its versioned text, promoting
//! partners and commitments), the organisations' adhesions, their logos, and the invitations of
//! the coordination table.
//!
//! One organisation holds at most one live adhesion per pact: partial unique indexes on the tax
//! code and on the folded name with the e-mail address refuse a second one, so two identical
//! submissions racing each other leave one record on either backend.

use crate::{on_pool, on_tx, Db, DbError, Tx};
use domain::AdhesionStatus;

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

const ADHESION_COLUMNS: &str = "a.id, a.pact_id, p.city_id, v.number AS version_number, a.status, \
     a.organisation, a.legal_form, a.sector_id, a.tax_code, a.address, a.latitude, a.longitude, \
     a.website, a.contact_name, a.email, a.phone, a.representative, a.listed, a.locale, \
     a.confirm_expires_at, a.created_at, a.updated_at, a.confirmed_at, a.decided_at, a.reason, \
     a.withdrawn_at, a.anonymised_at, \
     (SELECT COUNT(*) FROM adhesion_logos l WHERE l.adhesion_id = a.id) AS logos";

const ADHESION_JOINS: &str = "FROM adhesions a JOIN pacts p ON p.id = a.pact_id \
     JOIN pact_versions v ON v.id = a.version_id";

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

/// Which adhesions a list shows.
#[derive(Debug, Clone, Default)]
pub struct AdhesionFilter<'a> {
    pub statuses: &'a [AdhesionStatus],
    pub sector_id: Option<i64>,
    /// Part of the organisation's name, any case.
    pub search: Option<&'a str>,
    /// Public lists: only those that consented to it.
    pub listed_only: bool,
}

/// `%text%` for LIKE over folded names, with the pattern characters in the text taken
/// literally. Folding happens here rather than in SQL: SQLite's LOWER() knows only ASCII.
fn like_pattern(text: &str) -> String {
    let escaped = domain::name_key(text)
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The WHERE clause of a filtered list, its placeholders numbered from `$2` (`$1` is the pact).
fn filter_clause(f: &AdhesionFilter<'_>) -> (String, Vec<String>) {
    let mut clause = String::from("a.pact_id = $1");
    let mut texts = Vec::new();
    if !f.statuses.is_empty() {
        let list = f
            .statuses
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        clause.push_str(&format!(" AND a.status IN ({list})"));
    }
    if f.listed_only {
        clause.push_str(" AND a.listed = TRUE");
    }
    if let Some(q) = f.search.map(str::trim).filter(|q| !q.is_empty()) {
        texts.push(like_pattern(q));
        clause.push_str(&format!(
            " AND a.name_key LIKE ${} ESCAPE '\\'",
            texts.len() + 1
        ));
    }
    if f.sector_id.is_some() {
        clause.push_str(&format!(" AND a.sector_id = ${}", texts.len() + 2));
    }
    (clause, texts)
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
        let sql = format!("SELECT {ADHESION_COLUMNS} {ADHESION_JOINS} WHERE a.id = $1");
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(id).fetch_one(pool).await?
        }))
    }

    /// The adhesion a personal link belongs to.
    pub async fn adhesion_by_manage_hash(&self, hash: &str) -> Result<AdhesionRow, DbError> {
        let sql = format!("SELECT {ADHESION_COLUMNS} {ADHESION_JOINS} WHERE a.manage_hash = $1");
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(hash).fetch_one(pool).await?
        }))
    }

    pub async fn adhesion_by_confirm_hash(&self, hash: &str) -> Result<AdhesionRow, DbError> {
        let sql = format!("SELECT {ADHESION_COLUMNS} {ADHESION_JOINS} WHERE a.confirm_hash = $1");
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(hash).fetch_one(pool).await?
        }))
    }

    /// Live adhesions to a pact under one e-mail address, to send their links again.
    pub async fn live_adhesions_of(
        &self,
        pact_id: i64,
        email: &str,
    ) -> Result<Vec<AdhesionRow>, DbError> {
        let sql = format!(
            "SELECT {ADHESION_COLUMNS} {ADHESION_JOINS} WHERE a.pact_id = $1 AND a.email = $2 \
             AND a.status IN ('unconfirmed', 'pending', 'approved') ORDER BY a.id"
        );
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(&sql)
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

    /// The public list: approved adhesions that consented to it, by name.
    pub async fn public_adherents(
        &self,
        pact_id: i64,
        sector_id: Option<i64>,
        search: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<PublicRow>, i64), DbError> {
        let filter = AdhesionFilter {
            statuses: &[AdhesionStatus::Approved],
            sector_id,
            search,
            listed_only: true,
        };
        let (clause, texts) = filter_clause(&filter);
        let n = texts.len() + sector_id.map_or(0, |_| 1);
        let sql = format!(
            "SELECT a.id, a.organisation, a.legal_form, a.sector_id, a.address, a.latitude, \
                a.longitude, a.website, a.decided_at, a.confirmed_at, v.number AS version_number, \
                (SELECT COUNT(*) FROM adhesion_logos l WHERE l.adhesion_id = a.id) AS logos \
             FROM adhesions a JOIN pact_versions v ON v.id = a.version_id WHERE {clause} \
             ORDER BY a.name_key, a.id LIMIT ${} OFFSET ${}",
            n + 2,
            n + 3
        );
        let count_sql = format!("SELECT COUNT(*) FROM adhesions a WHERE {clause}");
        let limit = limit.clamp(1, MAX_LIMIT);
        Ok(on_pool!(self, |pool| {
            let mut q = sqlx::query_as::<_, PublicRow>(&sql).bind(pact_id);
            let mut c = sqlx::query_scalar::<_, i64>(&count_sql).bind(pact_id);
            for t in &texts {
                q = q.bind(t);
                c = c.bind(t);
            }
            if let Some(s) = sector_id {
                q = q.bind(s);
                c = c.bind(s);
            }
            let rows = q.bind(limit).bind(offset.max(0)).fetch_all(pool).await?;
            (rows, c.fetch_one(pool).await?)
        }))
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

    /// Adhesions for the coordinators, newest first.
    pub async fn adhesions(
        &self,
        pact_id: i64,
        filter: &AdhesionFilter<'_>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<AdhesionRow>, i64), DbError> {
        let (clause, texts) = filter_clause(filter);
        let n = texts.len() + filter.sector_id.map_or(0, |_| 1);
        let sql = format!(
            "SELECT {ADHESION_COLUMNS} {ADHESION_JOINS} WHERE {clause} \
             ORDER BY a.created_at DESC, a.id DESC LIMIT ${} OFFSET ${}",
            n + 2,
            n + 3
        );
        let count_sql = format!("SELECT COUNT(*) FROM adhesions a WHERE {clause}");
        let limit = limit.clamp(1, MAX_LIMIT);
        Ok(on_pool!(self, |pool| {
            let mut q = sqlx::query_as::<_, AdhesionRow>(&sql).bind(pact_id);
            let mut c = sqlx::query_scalar::<_, i64>(&count_sql).bind(pact_id);
            for t in &texts {
                q = q.bind(t);
                c = c.bind(t);
            }
            if let Some(s) = filter.sector_id {
                q = q.bind(s);
                c = c.bind(s);
            }
            let rows = q.bind(limit).bind(offset.max(0)).fetch_all(pool).await?;
            (rows, c.fetch_one(pool).await?)
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
        let sql = format!(
            "SELECT {ADHESION_COLUMNS} {ADHESION_JOINS} \
             WHERE a.pact_id = $1 AND a.status = 'approved' ORDER BY a.id"
        );
        let rows: Vec<AdhesionRow> = on_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(pact_id).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .filter(|r| {
                sector_ids.is_empty() || r.sector_id.is_some_and(|s| sector_ids.contains(&s))
            })
            .collect())
    }

    pub async fn invitation_by_hash(&self, hash: &str) -> Result<InvitationRow, DbError> {
        let sql = format!("{INVITATION_SELECT} WHERE i.token_hash = $1");
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(hash).fetch_one(pool).await?
        }))
    }

    /// The invitations sent for a pact's adherents, newest first.
    pub async fn pact_invitations(&self, pact_id: i64) -> Result<Vec<InvitationRow>, DbError> {
        let sql = format!(
            "{INVITATION_SELECT} WHERE a.pact_id = $1 ORDER BY i.created_at DESC, i.id DESC LIMIT 1000"
        );
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(&sql).bind(pact_id).fetch_all(pool).await?
        }))
    }
}

/// An invitation of the coordination table with who it went to and for which meeting.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvitationRow {
    pub id: i64,
    pub adhesion_id: i64,
    pub meeting_id: i64,
    pub created_at: i64,
    pub accepted_at: Option<i64>,
    pub organisation: String,
    pub contact_name: String,
    pub email: String,
    pub locale: String,
    pub status: String,
    pub meeting_title: String,
}

const INVITATION_SELECT: &str = "SELECT i.id, i.adhesion_id, i.meeting_id, i.created_at, \
     i.accepted_at, a.organisation, a.contact_name, a.email, a.locale, a.status, \
     m.title AS meeting_title \
     FROM pact_invitations i JOIN adhesions a ON a.id = i.adhesion_id \
     JOIN meetings m ON m.id = i.meeting_id";

/// Stores a new adhesion with its commitments, or says which live adhesion it duplicates.
/// Unconfirmed adhesions of the same organisation whose link has expired are removed first:
/// they never counted, and would otherwise block the organisation for good.
pub async fn create_adhesion(
    tx: &mut Tx,
    a: &NewAdhesion<'_>,
    name_key: &str,
    now: i64,
) -> Result<Result<i64, Duplicate>, DbError> {
    let d = a.details;
    on_tx!(tx, |conn| {
        sqlx::query(
            "DELETE FROM adhesions WHERE pact_id = $1 AND status = 'unconfirmed' \
             AND confirm_expires_at <= $2 AND (tax_code = $3 OR (name_key = $4 AND email = $5))",
        )
        .bind(a.pact_id)
        .bind(now)
        .bind(d.tax_code)
        .bind(name_key)
        .bind(a.email)
        .execute(&mut *conn)
        .await?;
    });
    let (lat, lon) = d.position.unzip();
    let id: Option<i64> = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO adhesions (pact_id, version_id, status, organisation, name_key, \
                legal_form, sector_id, tax_code, address, latitude, longitude, website, \
                contact_name, email, phone, representative, attested_at, \
                privacy_acknowledged_at, listed, locale, confirm_hash, confirm_expires_at, \
                created_at, updated_at) \
             VALUES ($1, $2, 'unconfirmed', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
                $15, $16, $16, $17, $18, $19, $20, $16, $16) \
             ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(a.pact_id)
        .bind(a.version_id)
        .bind(d.organisation)
        .bind(name_key)
        .bind(d.legal_form)
        .bind(d.sector_id)
        .bind(d.tax_code)
        .bind(d.address)
        .bind(lat)
        .bind(lon)
        .bind(d.website)
        .bind(a.contact_name)
        .bind(a.email)
        .bind(d.phone)
        .bind(a.representative)
        .bind(now)
        .bind(d.listed)
        .bind(a.locale)
        .bind(a.confirm_hash)
        .bind(a.confirm_expires_at)
        .fetch_optional(&mut *conn)
        .await?
    });
    // A new adhesion is unconfirmed, which the tax code's index leaves out (see
    // `confirm_adhesion`): only the same name with the same address collides.
    let Some(id) = id else {
        return Ok(Err(Duplicate::NameAndEmail));
    };
    set_commitments(tx, id, d.commitments).await?;
    Ok(Ok(id))
}

async fn set_commitments(tx: &mut Tx, id: i64, commitments: &[i64]) -> Result<(), DbError> {
    on_tx!(tx, |conn| {
        sqlx::query("DELETE FROM adhesion_commitments WHERE adhesion_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        for c in commitments {
            sqlx::query(
                "INSERT INTO adhesion_commitments (adhesion_id, commitment_id) VALUES ($1, $2) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(c)
            .execute(&mut *conn)
            .await?;
        }
    });
    Ok(())
}

/// The commitments one adhesion chose, read inside a write transaction.
pub async fn commitments_in(tx: &mut Tx, id: i64) -> Result<Vec<i64>, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT commitment_id FROM adhesion_commitments WHERE adhesion_id = $1 \
             ORDER BY commitment_id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
    }))
}

async fn adhesion_in(tx: &mut Tx, id: i64) -> Result<AdhesionRow, DbError> {
    let sql = format!("SELECT {ADHESION_COLUMNS} {ADHESION_JOINS} WHERE a.id = $1");
    Ok(on_tx!(tx, |conn| {
        sqlx::query_as(&sql).bind(id).fetch_one(&mut *conn).await?
    }))
}

/// Confirms an adhesion by the hash of its confirmation link, giving it the personal link whose
/// hash is `manage_hash`. Two clicks on one link confirm once.
pub async fn confirm_adhesion(
    tx: &mut Tx,
    confirm_hash: &str,
    manage_hash: &str,
    now: i64,
) -> Result<Confirmation, DbError> {
    // Uniqueness of the tax code is settled here, among confirmed adhesions, not when a form
    // is filed: anyone can type another organisation's public number.
    let taken: Option<i64> = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT a.id FROM adhesions a JOIN adhesions other \
               ON other.pact_id = a.pact_id AND other.tax_code = a.tax_code \
                  AND other.id <> a.id AND other.status IN ('pending', 'approved') \
             WHERE a.confirm_hash = $1 AND a.status = 'unconfirmed' AND a.confirm_expires_at > $2",
        )
        .bind(confirm_hash)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?
    });
    if taken.is_some() {
        return Ok(Confirmation::TaxCodeTaken);
    }
    let updated: Result<Option<i64>, sqlx::Error> = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "UPDATE adhesions SET status = 'pending', confirmed_at = $3, manage_hash = $2, \
                confirm_expires_at = NULL, updated_at = $3 \
             WHERE confirm_hash = $1 AND status = 'unconfirmed' AND confirm_expires_at > $3 \
             RETURNING id",
        )
        .bind(confirm_hash)
        .bind(manage_hash)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await
    });
    // Two adhesions with one tax code confirmed at the same moment: the check above saw
    // neither, the index lets only one through.
    let id = match updated.map_err(DbError::from) {
        Err(DbError::Conflict { .. }) => return Ok(Confirmation::TaxCodeTaken),
        other => other?,
    };
    if let Some(id) = id {
        return Ok(Confirmation::Confirmed(adhesion_in(tx, id).await?));
    }
    let sql = format!("SELECT {ADHESION_COLUMNS} {ADHESION_JOINS} WHERE a.confirm_hash = $1");
    let row: Option<AdhesionRow> = on_tx!(tx, |conn| {
        sqlx::query_as(&sql)
            .bind(confirm_hash)
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(match row {
        None => Confirmation::Unknown,
        Some(r) if r.status == AdhesionStatus::Unconfirmed => Confirmation::Expired(r),
        Some(r) => Confirmation::Already(r),
    })
}

/// A new confirmation link for an unconfirmed adhesion (the old one stops working).
pub async fn renew_confirmation(
    tx: &mut Tx,
    id: i64,
    confirm_hash: &str,
    expires_at: i64,
    now: i64,
) -> Result<bool, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE adhesions SET confirm_hash = $2, confirm_expires_at = $3, updated_at = $4 \
             WHERE id = $1 AND status = 'unconfirmed'",
        )
        .bind(id)
        .bind(confirm_hash)
        .bind(expires_at)
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected()
            == 1
    }))
}

/// Records what a just-confirmed adhesion's personal link derives from (see `db::links`).
pub async fn keep_manage_nonce(tx: &mut Tx, id: i64, nonce: &str) -> Result<(), DbError> {
    on_tx!(tx, |conn| {
        sqlx::query("UPDATE adhesions SET manage_nonce = $2 WHERE id = $1")
            .bind(id)
            .bind(nonce)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// The personal link of confirmed adhesion `id`, for a mail that must carry it again. One
/// confirmed before links were derived gets its first derived link now (once).
pub async fn manage_link(
    tx: &mut Tx,
    id: i64,
    key: &crate::links::LinkKey,
) -> Result<crate::accounts::OneTimeToken, DbError> {
    let nonce: Option<String> = on_tx!(tx, |conn| {
        sqlx::query_scalar("SELECT manage_nonce FROM adhesions WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?
    });
    match nonce {
        Some(nonce) => Ok(key.link(&nonce)),
        None => replace_manage_link(tx, id, key).await,
    }
}

/// Gives confirmed adhesion `id` a new personal link; the old one stops working.
pub async fn replace_manage_link(
    tx: &mut Tx,
    id: i64,
    key: &crate::links::LinkKey,
) -> Result<crate::accounts::OneTimeToken, DbError> {
    let link = key.fresh();
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE adhesions SET manage_hash = $2, manage_nonce = $3 \
             WHERE id = $1 AND confirmed_at IS NOT NULL",
        )
        .bind(id)
        .bind(&link.token.hash)
        .bind(&link.nonce)
        .execute(&mut *conn)
        .await?;
    });
    Ok(link.token)
}

/// Replaces what an organisation tells about itself (by its personal link, or a coordinator's
/// edit). A changed name or tax code may collide with another live adhesion.
pub async fn update_details(
    tx: &mut Tx,
    id: i64,
    d: &Details<'_>,
    contact: Option<(&str, &str)>,
    now: i64,
) -> Result<Result<AdhesionRow, Duplicate>, DbError> {
    let (lat, lon) = d.position.unzip();
    let key = domain::name_key(d.organisation);
    // Looked up first: on PostgreSQL a refused UPDATE would abort the whole transaction. As in
    // the indexes, a tax code is unique among confirmed adhesions only.
    let clash: Option<(Option<String>,)> = on_tx!(tx, |conn| {
        sqlx::query_as(
            "SELECT o.tax_code FROM adhesions o JOIN adhesions me ON me.id = $1 \
             WHERE o.pact_id = me.pact_id AND o.id <> me.id \
                AND o.status IN ('unconfirmed', 'pending', 'approved') \
                AND ((o.tax_code = $2 AND o.status <> 'unconfirmed' \
                        AND me.status IN ('pending', 'approved')) \
                     OR (o.name_key = $3 AND o.email = me.email)) LIMIT 1",
        )
        .bind(id)
        .bind(d.tax_code)
        .bind(&key)
        .fetch_optional(&mut *conn)
        .await?
    });
    if let Some((code,)) = clash {
        return Ok(Err(if code.is_some() && code.as_deref() == d.tax_code {
            Duplicate::TaxCode
        } else {
            Duplicate::NameAndEmail
        }));
    }
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE adhesions SET organisation = $2, name_key = $3, legal_form = $4, \
                sector_id = $5, tax_code = $6, address = $7, latitude = $8, longitude = $9, \
                website = $10, phone = $11, listed = $12, updated_at = $13 \
             WHERE id = $1",
        )
        .bind(id)
        .bind(d.organisation)
        .bind(&key)
        .bind(d.legal_form)
        .bind(d.sector_id)
        .bind(d.tax_code)
        .bind(d.address)
        .bind(lat)
        .bind(lon)
        .bind(d.website)
        .bind(d.phone)
        .bind(d.listed)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    });
    if let Some((contact_name, representative)) = contact {
        on_tx!(tx, |conn| {
            sqlx::query(
                "UPDATE adhesions SET contact_name = $2, representative = $3 WHERE id = $1",
            )
            .bind(id)
            .bind(contact_name)
            .bind(representative)
            .execute(&mut *conn)
            .await?;
        });
    }
    set_commitments(tx, id, d.commitments).await?;
    Ok(Ok(adhesion_in(tx, id).await?))
}

pub async fn set_logo(
    tx: &mut Tx,
    id: i64,
    content_type: &str,
    bytes: &[u8],
    now: i64,
) -> Result<(), DbError> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO adhesion_logos (adhesion_id, content_type, bytes, updated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (adhesion_id) DO UPDATE \
             SET content_type = excluded.content_type, bytes = excluded.bytes, \
                 updated_at = excluded.updated_at",
        )
        .bind(id)
        .bind(content_type)
        .bind(bytes)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

pub async fn remove_logo(tx: &mut Tx, id: i64) -> Result<(), DbError> {
    on_tx!(tx, |conn| {
        sqlx::query("DELETE FROM adhesion_logos WHERE adhesion_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// Withdraws a live adhesion: it leaves the public list at once. `None` when it was not live.
pub async fn withdraw(tx: &mut Tx, id: i64, now: i64) -> Result<Option<AdhesionRow>, DbError> {
    let done = on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE adhesions SET status = 'withdrawn', withdrawn_at = $2, updated_at = $2, \
                confirm_hash = NULL, confirm_expires_at = NULL \
             WHERE id = $1 AND status IN ('unconfirmed', 'pending', 'approved')",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    if done == 0 {
        return Ok(None);
    }
    Ok(Some(adhesion_in(tx, id).await?))
}

/// A coordinator's decision on a confirmed adhesion: approve, or reject with a reason (also to
/// take an approved adhesion off the list). `None` when the adhesion was not in a state the
/// decision applies to.
pub async fn decide(
    tx: &mut Tx,
    id: i64,
    to: AdhesionStatus,
    reason: &str,
    actor: Option<i64>,
    now: i64,
) -> Result<Option<AdhesionRow>, DbError> {
    let from: &[&str] = match to {
        AdhesionStatus::Approved => &["pending", "rejected"],
        AdhesionStatus::Rejected => &["pending", "approved"],
        _ => return Ok(None),
    };
    let sql = format!(
        "UPDATE adhesions SET status = $2, reason = $3, decided_at = $4, decided_by = $5, \
            updated_at = $4 WHERE id = $1 AND status IN ('{}')",
        from.join("', '")
    );
    let changed = on_tx!(tx, |conn| {
        sqlx::query(&sql)
            .bind(id)
            .bind(to.as_str())
            .bind(reason)
            .bind(now)
            .bind(actor)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    if changed == 0 {
        return Ok(None);
    }
    Ok(Some(adhesion_in(tx, id).await?))
}

/// Erases the personal data of adhesions withdrawn or rejected before `before`: contact,
/// representative, address, position, logo, links, and a tax code that is a person's. What
/// stays (the organisation, its sector, the version signed and the dates) is the record.
pub async fn anonymise_closed(tx: &mut Tx, before: i64, now: i64) -> Result<u64, DbError> {
    let ids: Vec<i64> = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT id FROM adhesions WHERE anonymised_at IS NULL AND ( \
                (status = 'withdrawn' AND withdrawn_at <= $1) OR \
                (status = 'rejected' AND decided_at <= $1))",
        )
        .bind(before)
        .fetch_all(&mut *conn)
        .await?
    });
    for id in &ids {
        // Before the adhesion's address goes: it is how its invited registrations are found.
        crate::meetings::erase_invited_registrations(tx, *id).await?;
        on_tx!(tx, |conn| {
            sqlx::query(
                "UPDATE adhesions SET contact_name = '', email = '', phone = '', \
                    representative = '', address = '', latitude = NULL, longitude = NULL, \
                    confirm_hash = NULL, manage_hash = NULL, manage_nonce = NULL, confirm_expires_at = NULL, \
                    tax_code = CASE WHEN LENGTH(tax_code) = 16 THEN NULL ELSE tax_code END, \
                    anonymised_at = $2, updated_at = $2 \
                 WHERE id = $1",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            sqlx::query("DELETE FROM adhesion_logos WHERE adhesion_id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            sqlx::query("DELETE FROM pact_invitations WHERE adhesion_id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
        });
    }
    Ok(ids.len() as u64)
}

/// Deletes adhesions never confirmed whose link expired before `before`: nobody adhered.
pub async fn purge_unconfirmed(tx: &mut Tx, before: i64) -> Result<u64, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query(
            "DELETE FROM adhesions WHERE status = 'unconfirmed' AND confirm_expires_at <= $1",
        )
        .bind(before)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    }))
}

/// Records an invitation of the coordination table. `false` when this adhesion was already
/// invited to this meeting (nothing is sent twice).
pub async fn invite(
    tx: &mut Tx,
    adhesion_id: i64,
    meeting_id: i64,
    token_hash: &str,
    invited_by: Option<i64>,
    now: i64,
) -> Result<bool, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO pact_invitations (adhesion_id, meeting_id, token_hash, invited_by, \
                created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(adhesion_id)
        .bind(meeting_id)
        .bind(token_hash)
        .bind(invited_by)
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected()
            == 1
    }))
}

/// Marks an invitation accepted (the first time only).
pub async fn accept_invitation(tx: &mut Tx, id: i64, now: i64) -> Result<(), DbError> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE pact_invitations SET accepted_at = $2 WHERE id = $1 AND accepted_at IS NULL",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

// Pact administration.

/// The city's pact, created with these titles when it has none yet; `true` when it was created.
/// Read and written through the transaction: a second connection taken from the pool while
/// this one holds SQLite's write lock can wait on writers that wait on this one.
pub async fn pact_for_city(
    tx: &mut Tx,
    city_id: i64,
    title_en: &str,
    title_it: &str,
) -> Result<(i64, bool), DbError> {
    let created: Option<i64> = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO pacts (city_id, title_en, title_it) VALUES ($1, $2, $3) \
             ON CONFLICT (city_id) DO NOTHING RETURNING id",
        )
        .bind(city_id)
        .bind(title_en)
        .bind(title_it)
        .fetch_optional(&mut *conn)
        .await?
    });
    if let Some(id) = created {
        return Ok((id, true));
    }
    let id = on_tx!(tx, |conn| {
        sqlx::query_scalar("SELECT id FROM pacts WHERE city_id = $1")
            .bind(city_id)
            .fetch_one(&mut *conn)
            .await?
    });
    Ok((id, false))
}

pub async fn update_pact(
    tx: &mut Tx,
    pact_id: i64,
    title_en: &str,
    title_it: &str,
    signed_on: Option<chrono::NaiveDate>,
) -> Result<(), DbError> {
    on_tx!(tx, |conn| {
        sqlx::query("UPDATE pacts SET title_en = $2, title_it = $3, signed_on = $4 WHERE id = $1")
            .bind(pact_id)
            .bind(title_en)
            .bind(title_it)
            .bind(signed_on)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// Publishes a new version of a pact's text; returns its number.
pub async fn publish_version(
    tx: &mut Tx,
    pact_id: i64,
    text_en: &str,
    text_it: &str,
    by: Option<i64>,
    now: i64,
) -> Result<i32, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO pact_versions (pact_id, number, text_en, text_it, published_at, published_by) \
             VALUES ($1, (SELECT COALESCE(MAX(number), 0) + 1 FROM pact_versions WHERE pact_id = $1), \
                $2, $3, $4, $5) RETURNING number",
        )
        .bind(pact_id)
        .bind(text_en)
        .bind(text_it)
        .bind(now)
        .bind(by)
        .fetch_one(&mut *conn)
        .await?
    }))
}

/// Adds a partner (`id` None) or changes one of this pact's.
pub async fn save_partner(
    tx: &mut Tx,
    pact_id: i64,
    id: Option<i64>,
    name: &str,
    role_en: &str,
    role_it: &str,
    website: Option<&str>,
) -> Result<i64, DbError> {
    Ok(on_tx!(tx, |conn| match id {
        None => {
            sqlx::query_scalar(
                "INSERT INTO pact_partners (pact_id, name, role_en, role_it, website, position) \
                 VALUES ($1, $2, $3, $4, $5, \
                    (SELECT COALESCE(MAX(position), 0) + 1 FROM pact_partners WHERE pact_id = $1)) \
                 RETURNING id",
            )
            .bind(pact_id)
            .bind(name)
            .bind(role_en)
            .bind(role_it)
            .bind(website)
            .fetch_one(&mut *conn)
            .await?
        }
        Some(id) => {
            sqlx::query_scalar(
                "UPDATE pact_partners SET name = $3, role_en = $4, role_it = $5, website = $6 \
                 WHERE id = $1 AND pact_id = $2 RETURNING id",
            )
            .bind(id)
            .bind(pact_id)
            .bind(name)
            .bind(role_en)
            .bind(role_it)
            .bind(website)
            .fetch_one(&mut *conn)
            .await?
        }
    }))
}

pub async fn delete_partner(tx: &mut Tx, pact_id: i64, id: i64) -> Result<bool, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query("DELETE FROM pact_partners WHERE id = $1 AND pact_id = $2")
            .bind(id)
            .bind(pact_id)
            .execute(&mut *conn)
            .await?
            .rows_affected()
            == 1
    }))
}

/// Adds a commitment (`id` None) or changes one of this pact's, including retiring it.
#[allow(clippy::too_many_arguments)]
pub async fn save_commitment(
    tx: &mut Tx,
    pact_id: i64,
    id: Option<i64>,
    slug: &str,
    label_en: &str,
    label_it: &str,
    retired: bool,
) -> Result<i64, DbError> {
    Ok(on_tx!(tx, |conn| match id {
        None => {
            sqlx::query_scalar(
                "INSERT INTO pact_commitments (pact_id, slug, label_en, label_it, position, retired) \
                 VALUES ($1, $2, $3, $4, \
                    (SELECT COALESCE(MAX(position), 0) + 1 FROM pact_commitments WHERE pact_id = $1), $5) \
                 RETURNING id",
            )
            .bind(pact_id)
            .bind(slug)
            .bind(label_en)
            .bind(label_it)
            .bind(retired)
            .fetch_one(&mut *conn)
            .await?
        }
        Some(id) => {
            sqlx::query_scalar(
                "UPDATE pact_commitments SET slug = $3, label_en = $4, label_it = $5, retired = $6 \
                 WHERE id = $1 AND pact_id = $2 RETURNING id",
            )
            .bind(id)
            .bind(pact_id)
            .bind(slug)
            .bind(label_en)
            .bind(label_it)
            .bind(retired)
            .fetch_one(&mut *conn)
            .await?
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_take_pattern_characters_literally() {
        assert_eq!(like_pattern("50%_Off\\"), "%50\\%\\_off\\\\%");
    }

    #[test]
    fn filters_number_their_placeholders_after_the_pact() {
        let f = AdhesionFilter {
            statuses: &[AdhesionStatus::Pending, AdhesionStatus::Approved],
            sector_id: Some(3),
            search: Some("museo"),
            listed_only: true,
        };
        let (clause, texts) = filter_clause(&f);
        assert_eq!(
            clause,
            "a.pact_id = $1 AND a.status IN ('pending', 'approved') AND a.listed = TRUE \
             AND a.name_key LIKE $2 ESCAPE '\\' AND a.sector_id = $3"
        );
        assert_eq!(texts, vec!["%museo%".to_owned()]);
    }
}
