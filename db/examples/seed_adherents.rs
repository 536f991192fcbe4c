//! Adds N approved, listed adherents to the pacts of a database for the page benchmarks
//! (`bench/page-throughput.sh`, `bench/first-visit.sh`, `bench/render.sh`):
//!
//! ```sh
//! cargo run --release -p db --example seed_adherents -- <DATABASE_URL> [N=2000]
//! ```
//!
//! The database gets the demo network first (migrations and demo data, as the server loads
//! them). Adherents go to the cities that have a pact: four in five to Lucca, so that its public
//! list runs to dozens of pages, the rest spread over the other pacts. Each goes the way a real
//! one does, through the crate's own functions: stored unconfirmed with one to four commitments
//! and a sector, confirmed by its link, approved by the coordinators; each is listed, with a
//! position near its city's centre. The pseudo-random choices come from a fixed seed, so two
//! runs with the same N store the same adherents; a database already seeded is left as it is.

use chrono::Utc;
use db::pacts::{self, Confirmation, Details, NewAdhesion};
use db::Db;
use domain::AdhesionStatus;
use std::error::Error;
use std::time::Instant;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// Adherents per write transaction.
const BATCH: usize = 200;

/// The address of the first adherent: its presence means the database was seeded.
fn email(i: usize) -> String {
    format!("bench-adherent-{i}@example.org")
}

const KINDS: [(&str, &str); 12] = [
    ("Istituto comprensivo", "school"),
    ("Liceo", "school"),
    ("Associazione culturale", "association"),
    ("Biblioteca di quartiere", "association"),
    ("Polisportiva", "association"),
    ("Cooperativa sociale", "cooperative"),
    ("Fondazione", "foundation"),
    ("Museo", "foundation"),
    ("Coro", "association"),
    ("Laboratorio", "company"),
    ("Università popolare", "university"),
    ("Ufficio comunale", "public-body"),
];

const NAMES: [&str; 16] = [
    "delle Mura",
    "San Frediano",
    "Sant'Anna",
    "del Serchio",
    "San Concordio",
    "Arancio",
    "San Vito",
    "Pontetetto",
    "Sant'Alessio",
    "Monte San Quirico",
    "Borgo Giannotti",
    "San Marco",
    "Santa Maria",
    "Nave",
    "Picciorana",
    "Mutigliano",
];

const STREETS: [&str; 8] = [
    "Via Fillungo",
    "Via San Paolino",
    "Corso Garibaldi",
    "Via Santa Croce",
    "Viale Carducci",
    "Via del Fosso",
    "Via Elisa",
    "Piazza San Michele",
];

/// Knuth's MMIX linear congruential generator, as in `seed_meetings.rs`.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Uniform in [-1, 1).
    fn signed_unit(&mut self) -> f64 {
        (self.below(2_000_001) as f64 / 1_000_000.0) - 1.0
    }
}

/// A city with a pact, and what an adhesion to it needs.
struct Pact {
    slug: String,
    id: i64,
    version: i64,
    commitments: Vec<i64>,
    sectors: Vec<i64>,
    centre: (f64, f64),
}

async fn pacts(db: &Db) -> Result<Vec<Pact>> {
    let mut out = Vec::new();
    for summary in db.cities(None).await? {
        let city_id = db.city_id(&summary.slug).await?;
        let Some(pact) = db.pact_of_city(city_id).await? else {
            continue;
        };
        let Some(version) = db
            .pact_versions(pact.id)
            .await?
            .into_iter()
            .max_by_key(|v| v.number)
        else {
            continue;
        };
        let commitments: Vec<i64> = db
            .pact_commitments(pact.id)
            .await?
            .into_iter()
            .filter(|c| !c.retired)
            .map(|c| c.id)
            .collect();
        let mut sectors = Vec::new();
        for sector in db.city(&summary.slug).await?.sectors {
            sectors.push(db.sector_id(city_id, &sector.slug).await?);
        }
        out.push(Pact {
            slug: summary.slug.clone(),
            id: pact.id,
            version: version.id,
            commitments,
            sectors,
            centre: (summary.latitude, summary.longitude),
        });
    }
    // Lucca first: it takes the lion's share.
    out.sort_by_key(|p| p.slug != "lucca");
    if out.first().map(|p| p.slug.as_str()) != Some("lucca") {
        return Err("the demo data has no pact for Lucca".into());
    }
    Ok(out)
}

async fn seeded(db: &Db) -> Result<bool> {
    let found: Option<i64> = db::on_pool!(db, |pool| {
        sqlx::query_scalar("SELECT id FROM adhesions WHERE email = $1")
            .bind(email(0))
            .fetch_optional(pool)
            .await?
    });
    Ok(found.is_some())
}

#[tokio::main]
async fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .ok_or("usage: seed_adherents <DATABASE_URL> [N=2000]")?;
    let n: usize = match args.next() {
        Some(n) => n.parse().map_err(|_| format!("N must be a number: {n}"))?,
        None => 2000,
    };
    let began = Instant::now();
    let db = Db::connect(&url).await?;
    db.migrate().await?;
    db::demo::load(&db).await?;
    if seeded(&db).await? {
        println!(
            "adherents=0 seconds={:.1} (already seeded)",
            began.elapsed().as_secs_f64()
        );
        return Ok(());
    }
    let pacts = pacts(&db).await?;
    let mut rng = Lcg(0xad4e_5105);
    let mut per_pact = vec![0usize; pacts.len()];
    let mut created = 0;
    while created < n {
        let end = n.min(created + BATCH);
        let mut tx = db.begin_write().await?;
        for i in created..end {
            // Four in five to Lucca, the others in turn to the other pacts.
            let which = if pacts.len() == 1 || i % 5 != 4 {
                0
            } else {
                1 + (i / 5) % (pacts.len() - 1)
            };
            let pact = &pacts[which];
            per_pact[which] += 1;
            let (kind, form) = KINDS[rng.below(KINDS.len() as u64) as usize];
            let name = NAMES[rng.below(NAMES.len() as u64) as usize];
            let organisation = format!("{kind} {name} n. {} (bench)", i + 1);
            let street = STREETS[rng.below(STREETS.len() as u64) as usize];
            let address = format!("{street} {}", 1 + rng.below(200));
            // Within about 4 km of the centre.
            let position = (
                pact.centre.0 + rng.signed_unit() * 0.035,
                pact.centre.1 + rng.signed_unit() * 0.05,
            );
            let first = rng.below(pact.commitments.len().max(1) as u64) as usize;
            let count = 1 + rng.below(pact.commitments.len().max(1) as u64) as usize;
            let commitments: Vec<i64> = (0..count.min(pact.commitments.len()))
                .map(|k| pact.commitments[(first + k) % pact.commitments.len()])
                .collect();
            let sector_id = (!pact.sectors.is_empty())
                .then(|| pact.sectors[rng.below(pact.sectors.len() as u64) as usize]);
            let website = (rng.below(3) == 0).then(|| format!("https://bench-{i}.example.org"));
            let details = Details {
                organisation: &organisation,
                legal_form: form,
                sector_id,
                tax_code: None,
                address: &address,
                position: Some(position),
                website: website.as_deref(),
                phone: "",
                listed: true,
                commitments: &commitments,
            };
            let now = Utc::now().timestamp();
            let email = email(i);
            let confirm_hash = format!("bench-confirm-{i}");
            let adhesion = NewAdhesion {
                pact_id: pact.id,
                version_id: pact.version,
                details: &details,
                contact_name: "Referente (bench)",
                email: &email,
                representative: "Legale rappresentante (bench)",
                locale: "it",
                confirm_hash: &confirm_hash,
                confirm_expires_at: now + 86_400,
            };
            let id =
                pacts::create_adhesion(&mut tx, &adhesion, &domain::name_key(&organisation), now)
                    .await?
                    .map_err(|d| format!("adherent {i} refused as a duplicate ({d:?})"))?;
            match pacts::confirm_adhesion(&mut tx, &confirm_hash, &format!("bench-manage-{i}"), now)
                .await?
            {
                Confirmation::Confirmed(_) => {}
                other => return Err(format!("adherent {i} not confirmed: {other:?}").into()),
            }
            pacts::decide(&mut tx, id, AdhesionStatus::Approved, "", None, now)
                .await?
                .ok_or_else(|| format!("adherent {i} could not be approved"))?;
        }
        tx.commit().await?;
        created = end;
    }
    if let Db::Postgres(pool) = &db {
        sqlx::query("ANALYZE").execute(pool).await?;
    }
    db.close().await;
    let spread: Vec<String> = pacts
        .iter()
        .zip(&per_pact)
        .map(|(p, k)| format!("{}:{k}", p.slug))
        .collect();
    println!(
        "adherents={created} ({}) seconds={:.1}",
        spread.join(" "),
        began.elapsed().as_secs_f64()
    );
    Ok(())
}
