//! Importing the GNLC member roster: every row is checked first (`domain::roster`, which reads
//! the CSV file), and nothing is written unless every row is good, so a half-imported network
//! never shows on the map.

use crate::{on_pool, BeginWrite, Db, DbError};
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
        let unknown: Vec<RowError> = cities
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
            .collect();
        if !unknown.is_empty() {
            return Err(ImportError::Rows(unknown));
        }

        let report = on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await.map_err(DbError::from)?;
            let mut report = ImportReport::default();
            for c in cities {
                let existed: Option<(i64,)> =
                    sqlx::query_as("SELECT id FROM cities WHERE slug = $1")
                        .bind(c.slug.as_str())
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(DbError::from)?;
                let (id,): (i64,) = sqlx::query_as(
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
                .fetch_one(&mut *tx)
                .await
                .map_err(DbError::from)?;
                if existed.is_some() {
                    report.updated += 1;
                } else {
                    report.inserted += 1;
                }
                sqlx::query("DELETE FROM city_clusters WHERE city_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(DbError::from)?;
                for (slug, lead) in &c.clusters {
                    sqlx::query(
                        "INSERT INTO city_clusters (city_id, cluster_id, role) VALUES ($1, $2, $3)",
                    )
                    .bind(id)
                    .bind(cluster_ids[slug.as_str()])
                    .bind(if *lead { "lead" } else { "member" })
                    .execute(&mut *tx)
                    .await
                    .map_err(DbError::from)?;
                    report.memberships += 1;
                }
            }
            tx.commit().await.map_err(DbError::from)?;
            report
        });
        self.count_commit();
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_roster_parses() {
        let cities = super::parse(crate::demo::ROSTER.as_bytes()).unwrap();
        assert!(cities.len() >= 60, "{}", cities.len());
    }
}
