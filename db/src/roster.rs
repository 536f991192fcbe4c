//! Importing the GNLC member roster: every row is checked first (`domain::roster`, which reads
//! the CSV file), and nothing is written unless every row is good, so a half-imported network
//! never shows on the map.

use crate::{on_pool, on_tx, Db, DbError, Tx};
pub use domain::roster::{parse, RosterCity, RowError, COLUMNS};
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{} bad value(s); nothing was imported", .0.len())]
    Rows(Vec<RowError>),
    #[error(transparent)]
    Db(#[from] DbError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportReport {
    pub inserted: usize,
    pub updated: usize,
    pub memberships: usize,
}

#[derive(sqlx::FromRow)]
struct ClusterKey {
    id: i64,
    slug: String,
}

impl Db {
    /// Adds new cities and updates known ones (matched by slug), replacing their cluster
    /// memberships, all in one transaction. Cities absent from the file are left as they are:
    /// a roster is a statement about the cities it lists.
    pub async fn import_roster(&self, cities: &[RosterCity]) -> Result<ImportReport, ImportError> {
        let clusters: Vec<ClusterKey> = on_pool!(self, |pool| {
            sqlx::query_as("SELECT id, slug FROM clusters")
                .fetch_all(pool)
                .await
                .map_err(DbError::from)?
        });
        let cluster_ids: HashMap<&str, i64> =
            clusters.iter().map(|c| (c.slug.as_str(), c.id)).collect();
        let unknown = unknown_clusters(cities, &cluster_ids);
        if !unknown.is_empty() {
            return Err(ImportError::Rows(unknown));
        }
        let mut tx = self.begin_write().await?;
        let mut report = ImportReport::default();
        for c in cities {
            let (id, existed) = upsert_city(&mut tx, c).await?;
            if existed {
                report.updated += 1;
            } else {
                report.inserted += 1;
            }
            report.memberships += set_memberships(&mut tx, id, c, &cluster_ids).await?;
        }
        tx.commit().await?;
        Ok(report)
    }
}

/// A row for each membership in a cluster the network does not have.
fn unknown_clusters(cities: &[RosterCity], cluster_ids: &HashMap<&str, i64>) -> Vec<RowError> {
    cities
        .iter()
        .flat_map(|c| {
            c.clusters
                .iter()
                .filter(|(s, _)| !cluster_ids.contains_key(s.as_str()))
                .map(move |(s, _)| RowError {
                    line: c.line,
                    field: "clusters".into(),
                    message: format!("unknown cluster '{s}'"),
                })
        })
        .collect()
}

/// Adds the city or updates it by slug; its id, and whether it was there before.
async fn upsert_city(tx: &mut Tx, c: &RosterCity) -> Result<(i64, bool), DbError> {
    Ok(on_tx!(tx, |conn| {
        let existed: Option<i64> = sqlx::query_scalar("SELECT id FROM cities WHERE slug = $1")
            .bind(c.slug.as_str())
            .fetch_optional(&mut *conn)
            .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO cities (slug, name_en, name_it, country, country_en, country_it, \
                 latitude, longitude, timezone, joined, geonames_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (slug) DO UPDATE SET name_en = excluded.name_en, \
                 name_it = excluded.name_it, country = excluded.country, \
                 country_en = excluded.country_en, country_it = excluded.country_it, \
                 latitude = excluded.latitude, longitude = excluded.longitude, \
                 timezone = excluded.timezone, joined = excluded.joined, \
                 geonames_id = excluded.geonames_id \
             RETURNING id",
        )
        .bind(c.slug.as_str())
        .bind(c.name_en.as_str())
        .bind(c.name_it.as_str())
        .bind(c.country.as_str())
        .bind(c.country_en.as_str())
        .bind(c.country_it.as_str())
        .bind(c.position.latitude())
        .bind(c.position.longitude())
        .bind(c.timezone.name())
        .bind(c.joined)
        .bind(c.geonames_id)
        .fetch_one(&mut *conn)
        .await?;
        (id, existed.is_some())
    }))
}

/// Replaces the city's memberships with the roster's; how many it has now.
async fn set_memberships(
    tx: &mut Tx,
    city_id: i64,
    c: &RosterCity,
    cluster_ids: &HashMap<&str, i64>,
) -> Result<usize, DbError> {
    on_tx!(tx, |conn| {
        sqlx::query("DELETE FROM city_clusters WHERE city_id = $1")
            .bind(city_id)
            .execute(&mut *conn)
            .await?;
    });
    for (slug, lead) in &c.clusters {
        on_tx!(tx, |conn| {
            sqlx::query(
                "INSERT INTO city_clusters (city_id, cluster_id, role) VALUES ($1, $2, $3)",
            )
            .bind(city_id)
            .bind(cluster_ids[slug.as_str()])
            .bind(if *lead { "lead" } else { "member" })
            .execute(&mut *conn)
            .await?;
        });
    }
    Ok(c.clusters.len())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_roster_parses() {
        let cities = super::parse(crate::demo::ROSTER.as_bytes()).unwrap();
        // The README promises the demo 77 real member cities.
        assert_eq!(cities.len(), 77);
    }
}
