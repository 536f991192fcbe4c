//! Demo data for a fresh database: the real network (clusters come with the migrations, member
//! cities from the bundled roster), Lucca's sectors and pact partners from the seed documents,
//! the demo meetings and the demo pacts with their adherents.

mod calendar;
mod pacts;
pub use calendar::load_meetings;

use crate::meetings::{self, NewMeeting, Owner};
use crate::{on_pool, roster, Db, DbError};
use domain::schedule::{Schedule, Zone};
use domain::{Audience, Mode};

/// GNLC member cities with GeoNames coordinates; see `seed/SOURCES.md`.
pub const ROSTER: &str = include_str!("../../seed/gnlc-cities.csv");

#[derive(Debug, Default, PartialEq, Eq)]
pub struct DemoReport {
    pub cities: usize,
    pub sectors: usize,
    pub partners: usize,
    pub meetings: usize,
    pub adhesions: usize,
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

    // Sectors come first: the demo meetings are filed under them.
    let pacts = pacts::load(db).await?;
    report.sectors = pacts.sectors;
    report.partners = pacts.partners;
    report.adhesions = pacts.adhesions;
    report.meetings = load_meetings(db, chrono::Utc::now()).await?;
    Ok(report)
}
