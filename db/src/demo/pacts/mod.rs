//! The demo pacts: Lucca's Pact for Lifelong Learning (promoted by the municipality, Club
//! UNESCO, the school office, the Province and the job centre, signed on 30 December 2020) with
//! a set of adherents across its sectors, some still waiting for a decision, and a pact for
//! Torino in both languages; with each city's sectors. The adherents are fictional organisations
//! (see `seed/SOURCES.md`); their tax codes are made up but carry valid check digits.

use crate::accounts::OneTimeToken;
use crate::{on_tx, Db, DbError, Tx};

mod data;
mod texts;
use data::{Adherent, DemoPact, COMMITMENTS, PACTS};

/// What a load of the demo pacts added.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sectors: usize,
    pub partners: usize,
    pub adhesions: usize,
}

/// Loads what is missing of the demo pacts: each city's sectors, its pact with partners,
/// version and commitments, and its adherents (only into a pact that has none), in one
/// transaction per pact.
pub async fn load(db: &Db) -> Result<Loaded, DbError> {
    let mut loaded = Loaded::default();
    for p in &PACTS {
        let mut tx = db.begin_write().await?;
        let city: Option<i64> = on_tx!(&mut tx, |conn| {
            sqlx::query_scalar("SELECT id FROM cities WHERE slug = $1")
                .bind(p.city)
                .fetch_optional(&mut *conn)
                .await?
        });
        let Some(city) = city else { continue };
        let signed = p
            .signed_on
            .and_then(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d));
        let signed_at = signed
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .map(|t| t.and_utc().timestamp())
            .unwrap_or(0);
        loaded.sectors += add_sectors(&mut tx, city, p).await?;
        let pact = add_pact(&mut tx, city, p, signed).await?;
        loaded.partners += add_partners(&mut tx, pact, p).await?;
        add_text_and_commitments(&mut tx, pact, p, signed_at).await?;
        loaded.adhesions += add_adherents(&mut tx, city, pact, p, signed_at).await?;
        tx.commit().await?;
    }
    Ok(loaded)
}

async fn add_sectors(tx: &mut Tx, city: i64, p: &DemoPact) -> Result<usize, DbError> {
    let mut added = 0;
    for (position, (slug, en, it)) in p.sectors.iter().enumerate() {
        let done = on_tx!(tx, |conn| {
            sqlx::query(
                "INSERT INTO sectors (city_id, slug, name_en, name_it, position) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (city_id, slug) DO NOTHING",
            )
            .bind(city)
            .bind(slug)
            .bind(en)
            .bind(it)
            .bind(position as i32)
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        added += done as usize;
    }
    Ok(added)
}

/// The city's pact, created if missing, its row held until commit: two instances starting
/// together on one PostgreSQL database must not both find it without adherents.
async fn add_pact(
    tx: &mut Tx,
    city: i64,
    p: &DemoPact,
    signed: Option<chrono::NaiveDate>,
) -> Result<i64, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO pacts (city_id, title_en, title_it, signed_on) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (city_id) DO NOTHING",
        )
        .bind(city)
        .bind(p.title_en)
        .bind(p.title_it)
        .bind(signed)
        .execute(&mut *conn)
        .await?;
        let pact: i64 = sqlx::query_scalar("SELECT id FROM pacts WHERE city_id = $1")
            .bind(city)
            .fetch_one(&mut *conn)
            .await?;
        sqlx::query("UPDATE pacts SET title_en = title_en WHERE id = $1")
            .bind(pact)
            .execute(&mut *conn)
            .await?;
        pact
    }))
}

async fn add_partners(tx: &mut Tx, pact: i64, p: &DemoPact) -> Result<usize, DbError> {
    let mut added = 0;
    for (position, (name, en, it, web)) in p.partners.iter().enumerate() {
        let done = on_tx!(tx, |conn| {
            sqlx::query(
                "INSERT INTO pact_partners (pact_id, name, role_en, role_it, website, position) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (pact_id, name) DO NOTHING",
            )
            .bind(pact)
            .bind(name)
            .bind(en)
            .bind(it)
            .bind(web)
            .bind(position as i32)
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        added += done as usize;
    }
    Ok(added)
}

/// The pact's first version and the commitments offered, where missing.
async fn add_text_and_commitments(
    tx: &mut Tx,
    pact: i64,
    p: &DemoPact,
    signed_at: i64,
) -> Result<(), DbError> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO pact_versions (pact_id, number, text_en, text_it, published_at) \
             VALUES ($1, 1, $2, $3, $4) ON CONFLICT (pact_id, number) DO NOTHING",
        )
        .bind(pact)
        .bind(p.text_en)
        .bind(p.text_it)
        .bind(signed_at)
        .execute(&mut *conn)
        .await?;
    });
    for (position, (slug, en, it)) in COMMITMENTS.iter().enumerate() {
        on_tx!(tx, |conn| {
            sqlx::query(
                "INSERT INTO pact_commitments (pact_id, slug, label_en, label_it, position) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (pact_id, slug) DO NOTHING",
            )
            .bind(pact)
            .bind(slug)
            .bind(en)
            .bind(it)
            .bind(position as i32)
            .execute(&mut *conn)
            .await?;
        });
    }
    Ok(())
}

/// The fictional adherents, only into a pact that has none; how many were added.
async fn add_adherents(
    tx: &mut Tx,
    city: i64,
    pact: i64,
    p: &DemoPact,
    signed_at: i64,
) -> Result<usize, DbError> {
    let (existing, version, commitments): (i64, i64, Vec<i64>) = on_tx!(tx, |conn| {
        let existing = sqlx::query_scalar("SELECT COUNT(*) FROM adhesions WHERE pact_id = $1")
            .bind(pact)
            .fetch_one(&mut *conn)
            .await?;
        let version =
            sqlx::query_scalar("SELECT id FROM pact_versions WHERE pact_id = $1 AND number = 1")
                .bind(pact)
                .fetch_one(&mut *conn)
                .await?;
        let commitments = sqlx::query_scalar(
            "SELECT id FROM pact_commitments WHERE pact_id = $1 ORDER BY position",
        )
        .bind(pact)
        .fetch_all(&mut *conn)
        .await?;
        (existing, version, commitments)
    });
    if existing > 0 {
        return Ok(0);
    }
    for (i, ad) in p.adherents.iter().enumerate() {
        let email = format!("adesione{}@{}", i + 1, p.domain);
        let id = add_adherent(tx, city, (pact, version), ad, &email, signed_at).await?;
        for c in ad.commitments {
            if let Some(commitment) = commitments.get(*c) {
                on_tx!(tx, |conn| {
                    sqlx::query(
                        "INSERT INTO adhesion_commitments (adhesion_id, commitment_id) \
                         VALUES ($1, $2)",
                    )
                    .bind(id)
                    .bind(commitment)
                    .execute(&mut *conn)
                    .await?;
                });
            }
        }
    }
    Ok(p.adherents.len())
}

async fn add_adherent(
    tx: &mut Tx,
    city: i64,
    (pact, version): (i64, i64),
    ad: &Adherent,
    email: &str,
    signed_at: i64,
) -> Result<i64, DbError> {
    let at = signed_at + ad.day * 86_400;
    let decided = matches!(ad.status, "approved" | "rejected").then_some(at + 3 * 86_400);
    let reason = if ad.status == "rejected" {
        "La sede e le attività sono fuori dal territorio comunale."
    } else {
        ""
    };
    Ok(on_tx!(tx, |conn| {
        let sector: Option<i64> =
            sqlx::query_scalar("SELECT id FROM sectors WHERE city_id = $1 AND slug = $2")
                .bind(city)
                .bind(ad.sector)
                .fetch_optional(&mut *conn)
                .await?;
        sqlx::query_scalar(
            "INSERT INTO adhesions (pact_id, version_id, status, organisation, name_key, \
                legal_form, sector_id, tax_code, address, latitude, longitude, website, \
                contact_name, email, phone, representative, attested_at, \
                privacy_acknowledged_at, listed, locale, manage_hash, created_at, \
                updated_at, confirmed_at, decided_at, reason) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL, $12, $13, '', \
                $14, $15, $15, $16, 'it', $17, $15, $15, $15, $18, $19) RETURNING id",
        )
        .bind(pact)
        .bind(version)
        .bind(ad.status)
        .bind(ad.name)
        .bind(domain::name_key(ad.name))
        .bind(ad.form)
        .bind(sector)
        .bind(ad.tax)
        .bind(ad.address)
        .bind(ad.at.0)
        .bind(ad.at.1)
        .bind("Referente (esempio)")
        .bind(email)
        .bind("Legale rappresentante (esempio)")
        .bind(at)
        .bind(ad.listed)
        .bind(OneTimeToken::generate().hash)
        .bind(decided)
        .bind(reason)
        .fetch_one(&mut *conn)
        .await?
    }))
}
