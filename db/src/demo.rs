//! Demo data for a fresh database: the real network (clusters come with the migrations, member
//! cities from the bundled roster) and Lucca's sectors and pact partners from the seed documents.

use crate::{on_pool, roster, BeginWrite, Db, DbError};

/// GNLC member cities with GeoNames coordinates; see `seed/SOURCES.md`.
pub const ROSTER: &str = include_str!("../seed/gnlc-cities.csv");

/// Lucca's sectors, in the order the municipality called them to meet in January 2021.
const LUCCA_SECTORS: [(&str, &str, &str); 7] = [
    ("institutions", "Institutions", "Istituzioni"),
    ("schools", "Schools", "Scuole"),
    (
        "theatre-music",
        "Theatre and music associations",
        "Associazioni teatrali e musicali",
    ),
    (
        "gender-policy",
        "Gender-policy associations",
        "Associazioni delle politiche di genere",
    ),
    ("sports", "Sports associations", "Associazioni sportive"),
    (
        "museums-culture",
        "Museums and cultural associations",
        "Musei e associazioni culturali",
    ),
    (
        "pact-signatories",
        "Signatories of the citizenship pacts",
        "Firmatari dei patti di cittadinanza",
    ),
];

/// The promoting partners who signed Lucca's pact at Palazzo Orsetti.
const LUCCA_PARTNERS: [(&str, &str, &str, Option<&str>); 5] = [
    (
        "Comune di Lucca",
        "Municipality, promoter of the pact",
        "Comune, promotore del patto",
        Some("https://www.comune.lucca.it"),
    ),
    ("Club UNESCO di Lucca", "UNESCO club", "Club UNESCO", None),
    (
        "Ufficio scolastico territoriale",
        "Local school office of the Ministry of Education",
        "Ufficio territoriale del Ministero dell'istruzione",
        None,
    ),
    (
        "Provincia di Lucca",
        "Province",
        "Provincia",
        Some("https://www.provincia.lucca.it"),
    ),
    (
        "Centro per l'impiego",
        "Public job centre",
        "Centro pubblico per l'impiego",
        None,
    ),
];

#[derive(Debug, Default, PartialEq, Eq)]
pub struct DemoReport {
    pub cities: usize,
    pub sectors: usize,
    pub partners: usize,
}

/// Loads what is missing of the demo data. Every step is idempotent, so a crash half-way or two
/// instances starting at once on one PostgreSQL database leave the same result.
pub async fn load(db: &Db) -> Result<DemoReport, DbError> {
    let mut report = DemoReport::default();
    let (cities,): (i64,) = on_pool!(db, |pool| {
        sqlx::query_as("SELECT COUNT(*) FROM cities")
            .fetch_one(pool)
            .await?
    });
    if cities == 0 {
        let invalid = |rows: Vec<roster::RowError>| {
            DbError::Config(format!("bundled roster is invalid: {rows:?}"))
        };
        let parsed = roster::parse(ROSTER.as_bytes()).map_err(invalid)?;
        let r = db.import_roster(&parsed).await.map_err(|e| match e {
            roster::ImportError::Db(e) => e,
            roster::ImportError::Rows(rows) => invalid(rows),
        })?;
        report.cities = r.inserted;
    }

    on_pool!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let lucca: Option<(i64,)> = sqlx::query_as("SELECT id FROM cities WHERE slug = 'lucca'")
            .fetch_optional(&mut *tx)
            .await?;
        if let Some((lucca,)) = lucca {
            for (position, (slug, en, it)) in LUCCA_SECTORS.iter().enumerate() {
                let done = sqlx::query(
                    "INSERT INTO sectors (city_id, slug, name_en, name_it, position) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (city_id, slug) DO NOTHING",
                )
                .bind(lucca)
                .bind(slug)
                .bind(en)
                .bind(it)
                .bind(position as i32)
                .execute(&mut *tx)
                .await?;
                report.sectors += done.rows_affected() as usize;
            }
            sqlx::query(
                "INSERT INTO pacts (city_id, title_en, title_it, signed_on) \
                 VALUES ($1, 'Pact for Lifelong Learning', 'Patto per l''apprendimento permanente', $2) \
                 ON CONFLICT (city_id) DO NOTHING",
            )
            .bind(lucca)
            .bind(chrono::NaiveDate::from_ymd_opt(2020, 12, 30))
            .execute(&mut *tx)
            .await?;
            let (pact,): (i64,) = sqlx::query_as("SELECT id FROM pacts WHERE city_id = $1")
                .bind(lucca)
                .fetch_one(&mut *tx)
                .await?;
            for (position, (name, en, it, web)) in LUCCA_PARTNERS.iter().enumerate() {
                let done = sqlx::query(
                    "INSERT INTO pact_partners (pact_id, name, role_en, role_it, website, position) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (pact_id, name) DO NOTHING",
                )
                .bind(pact)
                .bind(name)
                .bind(en)
                .bind(it)
                .bind(web)
                .bind(position as i32)
                .execute(&mut *tx)
                .await?;
                report.partners += done.rows_affected() as usize;
            }
        }
        tx.commit().await?;
    });
    Ok(report)
}
