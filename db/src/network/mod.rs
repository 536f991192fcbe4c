//! Reads of the network aggregate: clusters, member cities, their roles, sectors and pacts.

use crate::{on_pool, on_tx, Db, DbError, Tx};
use domain::{
    CityDetail, CityFacts, CityProfile, CityRef, CitySummary, ClusterDetail, ClusterProfile,
    ClusterRole, ClusterSummary, Localized, NetworkOverview, PactPartner, PactSummary, Sector,
};
use std::collections::HashMap;

mod edits;
pub use edits::*;

#[derive(sqlx::FromRow)]
struct ClusterRow {
    id: i64,
    slug: String,
    name_en: String,
    name_it: String,
    description_en: String,
    description_it: String,
    members: i64,
}

#[derive(sqlx::FromRow)]
struct LeadRow {
    cluster_id: i64,
    slug: String,
    name_en: String,
    name_it: String,
    country: String,
}

#[derive(sqlx::FromRow)]
struct CityRow {
    id: i64,
    slug: String,
    name_en: String,
    name_it: String,
    country: String,
    country_en: String,
    country_it: String,
    latitude: f64,
    longitude: f64,
    timezone: String,
    joined: Option<i32>,
}

#[derive(sqlx::FromRow)]
struct MembershipRow {
    city_id: i64,
    slug: String,
    name_en: String,
    name_it: String,
    role: String,
}

#[derive(sqlx::FromRow)]
struct SectorNames {
    slug: String,
    name_en: String,
    name_it: String,
}

/// A city's sector as its coordinators manage it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SectorRow {
    pub id: i64,
    pub slug: String,
    pub name_en: String,
    pub name_it: String,
    pub position: i32,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CityBrief {
    pub id: i64,
    pub slug: String,
    pub name_en: String,
    pub name_it: String,
    pub country: String,
    pub latitude: f64,
    pub longitude: f64,
    pub timezone: String,
}

impl CityBrief {
    pub fn to_ref(&self) -> CityRef {
        CityRef {
            slug: self.slug.clone(),
            name: Localized::new(self.name_en.clone(), self.name_it.clone()),
            country: self.country.clone(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct PactRow {
    id: i64,
    title_en: String,
    title_it: String,
    signed_on: Option<chrono::NaiveDate>,
}

#[derive(sqlx::FromRow)]
struct PartnerRow {
    name: String,
    role_en: String,
    role_it: String,
    website: Option<String>,
}

macro_rules! city_columns {
    () => {
        "ci.id, ci.slug, ci.name_en, ci.name_it, ci.country, ci.country_en, \
     ci.country_it, ci.latitude, ci.longitude, ci.timezone, ci.joined"
    };
}

impl Db {
    pub async fn network_overview(&self) -> Result<NetworkOverview, DbError> {
        let (cities, countries): (i64, i64) = on_pool!(self, |pool| {
            sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT country) FROM cities")
                .fetch_one(pool)
                .await?
        });
        Ok(NetworkOverview {
            cities,
            countries,
            clusters: self.clusters().await?,
        })
    }

    /// All clusters in their canonical order, with member counts and lead cities.
    pub async fn clusters(&self) -> Result<Vec<ClusterSummary>, DbError> {
        let rows: Vec<ClusterRow> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT c.id, c.slug, c.name_en, c.name_it, c.description_en, c.description_it, \
                        (SELECT COUNT(*) FROM city_clusters cc WHERE cc.cluster_id = c.id) AS members \
                 FROM clusters c ORDER BY c.position",
            )
            .fetch_all(pool)
            .await?
        });
        let leads: Vec<LeadRow> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT cc.cluster_id, ci.slug, ci.name_en, ci.name_it, ci.country \
                 FROM city_clusters cc JOIN cities ci ON ci.id = cc.city_id \
                 WHERE cc.role = 'lead' ORDER BY ci.name_en",
            )
            .fetch_all(pool)
            .await?
        });
        let mut leads_by_cluster: HashMap<i64, Vec<CityRef>> = HashMap::new();
        for l in leads {
            leads_by_cluster
                .entry(l.cluster_id)
                .or_default()
                .push(CityRef {
                    slug: l.slug,
                    name: Localized::new(l.name_en, l.name_it),
                    country: l.country,
                });
        }
        Ok(rows
            .into_iter()
            .map(|r| ClusterSummary {
                leads: leads_by_cluster.remove(&r.id).unwrap_or_default(),
                slug: r.slug,
                name: Localized::new(r.name_en, r.name_it),
                description: Localized::new(r.description_en, r.description_it),
                members: r.members,
            })
            .collect())
    }

    /// Member cities, optionally only those of one cluster, sorted by English name.
    pub async fn cities(&self, cluster: Option<&str>) -> Result<Vec<CitySummary>, DbError> {
        let sql = concat!(
            "SELECT ",
            city_columns!(),
            " FROM cities ci \
             WHERE $1 IS NULL OR ci.id IN ( \
                 SELECT cc.city_id FROM city_clusters cc \
                 JOIN clusters cl ON cl.id = cc.cluster_id WHERE cl.slug = $1) \
             ORDER BY ci.name_en"
        );
        let rows: Vec<CityRow> = on_pool!(self, |pool| {
            sqlx::query_as(sql).bind(cluster).fetch_all(pool).await?
        });
        self.with_memberships(rows).await
    }

    pub async fn city(&self, slug: &str) -> Result<CityDetail, DbError> {
        let sql = concat!(
            "SELECT ",
            city_columns!(),
            " FROM cities ci WHERE ci.slug = $1"
        );
        let row: CityRow = on_pool!(self, |pool| {
            sqlx::query_as(sql)
                .bind(slug)
                .fetch_optional(pool)
                .await?
                .ok_or(DbError::NotFound)?
        });
        let city_id = row.id;
        let city = self
            .with_memberships(vec![row])
            .await?
            .pop()
            .ok_or(DbError::NotFound)?;
        let sectors: Vec<SectorNames> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT slug, name_en, name_it FROM sectors WHERE city_id = $1 ORDER BY position",
            )
            .bind(city_id)
            .fetch_all(pool)
            .await?
        });
        let pact: Option<PactRow> = on_pool!(self, |pool| {
            sqlx::query_as("SELECT id, title_en, title_it, signed_on FROM pacts WHERE city_id = $1")
                .bind(city_id)
                .fetch_optional(pool)
                .await?
        });
        let pact = match pact {
            None => None,
            Some(p) => {
                let partners: Vec<PartnerRow> = on_pool!(self, |pool| {
                    sqlx::query_as(
                        "SELECT name, role_en, role_it, website FROM pact_partners \
                         WHERE pact_id = $1 ORDER BY position",
                    )
                    .bind(p.id)
                    .fetch_all(pool)
                    .await?
                });
                Some(PactSummary {
                    title: Localized::new(p.title_en, p.title_it),
                    signed_on: p.signed_on.map(|d| d.to_string()),
                    partners: partners
                        .into_iter()
                        .map(|r| PactPartner {
                            name: r.name,
                            role: Localized::new(r.role_en, r.role_it),
                            website: r.website,
                        })
                        .collect(),
                })
            }
        };
        Ok(CityDetail {
            profile: self.city_profile(city_id).await?,
            city,
            sectors: sectors
                .into_iter()
                .map(|s| Sector {
                    slug: s.slug,
                    name: Localized::new(s.name_en, s.name_it),
                })
                .collect(),
            pact,
        })
    }

    pub async fn cluster(&self, slug: &str) -> Result<ClusterDetail, DbError> {
        let cluster = self
            .clusters()
            .await?
            .into_iter()
            .find(|c| c.slug == slug)
            .ok_or(DbError::NotFound)?;
        let cities = self.cities(Some(slug)).await?;
        Ok(ClusterDetail { cluster, cities })
    }

    /// Cities that have published a pact for lifelong learning, by English name.
    /// The internal id of a city, for role checks and foreign keys.
    pub async fn city_id(&self, slug: &str) -> Result<i64, DbError> {
        self.id_by_slug(Record::City, slug).await
    }

    /// The internal id of a cluster, for role checks and foreign keys.
    pub async fn cluster_id(&self, slug: &str) -> Result<i64, DbError> {
        self.id_by_slug(Record::Cluster, slug).await
    }

    pub async fn city_profile(&self, city_id: i64) -> Result<CityProfile, DbError> {
        let (description_en, description_it, website) = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT description_en, description_it, website FROM cities WHERE id = $1",
            )
            .bind(city_id)
            .fetch_optional(pool)
            .await?
            .ok_or(DbError::NotFound)?
        });
        Ok(CityProfile {
            description_en,
            description_it,
            website,
        })
    }

    pub async fn cluster_profile(&self, cluster_id: i64) -> Result<ClusterProfile, DbError> {
        let (description_en, description_it) = on_pool!(self, |pool| {
            sqlx::query_as("SELECT description_en, description_it FROM clusters WHERE id = $1")
                .bind(cluster_id)
                .fetch_optional(pool)
                .await?
                .ok_or(DbError::NotFound)?
        });
        Ok(ClusterProfile {
            description_en,
            description_it,
        })
    }

    /// Slug and names of the given cities (a coordinator's own), by English name.
    pub async fn city_refs(&self, ids: &[i64]) -> Result<Vec<CityRef>, DbError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut rows: Vec<(String, String, String, String)> = Vec::new();
        for chunk in ids.chunks(crate::IDS_PER_QUERY) {
            let part: Vec<(String, String, String, String)> = on_pool!(self, |pool| {
                let mut qb = sqlx::QueryBuilder::new(
                    "SELECT slug, name_en, name_it, country FROM cities WHERE id IN (",
                );
                crate::push_ids(&mut qb, chunk);
                qb.push(" ORDER BY name_en");
                qb.build_query_as().fetch_all(pool).await?
            });
            rows.extend(part);
        }
        if ids.len() > crate::IDS_PER_QUERY {
            rows.sort_by(|a, b| a.1.cmp(&b.1));
        }
        Ok(rows
            .into_iter()
            .map(|(slug, en, it, country)| CityRef {
                slug,
                name: Localized::new(en, it),
                country,
            })
            .collect())
    }

    /// The slug and names of a city or cluster by id, to name it in lists of roles.
    pub async fn slug_and_name(
        &self,
        table: Record,
        id: i64,
    ) -> Result<(String, Localized), DbError> {
        let (slug, en, it): (String, String, String) = on_pool!(self, |pool| {
            sqlx::query_as(table.slug_and_name_sql())
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(DbError::NotFound)?
        });
        Ok((slug, Localized::new(en, it)))
    }

    /// A city's sector by its short name.
    pub async fn sector_id(&self, city_id: i64, slug: &str) -> Result<i64, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT id FROM sectors WHERE city_id = $1 AND slug = $2")
                .bind(city_id)
                .bind(slug)
                .fetch_optional(pool)
                .await?
                .ok_or(DbError::NotFound)?
        }))
    }

    /// A sector's short name and names by id.
    pub async fn sector(&self, id: i64) -> Result<Sector, DbError> {
        let (slug, en, it): (String, String, String) = on_pool!(self, |pool| {
            sqlx::query_as("SELECT slug, name_en, name_it FROM sectors WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(DbError::NotFound)?
        });
        Ok(Sector {
            slug,
            name: Localized::new(en, it),
        })
    }

    /// The time zones of the network's cities: what a meeting's zone is chosen from.
    pub async fn city_timezones(&self) -> Result<Vec<String>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT DISTINCT timezone FROM cities ORDER BY timezone")
                .fetch_all(pool)
                .await?
        }))
    }

    async fn id_by_slug(&self, table: Record, slug: &str) -> Result<i64, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar(table.id_by_slug_sql())
                .bind(slug)
                .fetch_optional(pool)
                .await?
                .ok_or(DbError::NotFound)?
        }))
    }

    /// A city's id, names and whereabouts by its short name: what a city's subpages need
    /// without loading its clusters, profile and pact.
    pub async fn city_brief(&self, slug: &str) -> Result<CityBrief, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, slug, name_en, name_it, country, latitude, longitude, timezone \
                 FROM cities WHERE slug = $1",
            )
            .bind(slug)
            .fetch_optional(pool)
            .await?
            .ok_or(DbError::NotFound)?
        }))
    }

    pub async fn city_brief_by_id(&self, id: i64) -> Result<CityBrief, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, slug, name_en, name_it, country, latitude, longitude, timezone \
                 FROM cities WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
            .ok_or(DbError::NotFound)?
        }))
    }

    /// A city's sectors with their ids, in the city's order.
    pub async fn sectors_of(&self, city_id: i64) -> Result<Vec<SectorRow>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, slug, name_en, name_it, position FROM sectors \
                 WHERE city_id = $1 ORDER BY position, id",
            )
            .bind(city_id)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn cities_with_pact(&self) -> Result<Vec<CityRef>, DbError> {
        let rows: Vec<(String, String, String, String)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT ci.slug, ci.name_en, ci.name_it, ci.country FROM cities ci \
                 JOIN pacts p ON p.city_id = ci.id ORDER BY ci.name_en",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(slug, en, it, country)| CityRef {
                slug,
                name: Localized::new(en, it),
                country,
            })
            .collect())
    }

    /// Attaches cluster roles to `rows`. A single city reads only its own memberships; a list
    /// reads them all in one query rather than one query per city.
    async fn with_memberships(&self, rows: Vec<CityRow>) -> Result<Vec<CitySummary>, DbError> {
        let only: Option<i64> = match rows.as_slice() {
            [one] => Some(one.id),
            _ => None,
        };
        let memberships: Vec<MembershipRow> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT cc.city_id, cl.slug, cl.name_en, cl.name_it, cc.role \
                 FROM city_clusters cc JOIN clusters cl ON cl.id = cc.cluster_id \
                 WHERE $1 IS NULL OR cc.city_id = $1 \
                 ORDER BY cl.position",
            )
            .bind(only)
            .fetch_all(pool)
            .await?
        });
        let mut by_city: HashMap<i64, Vec<ClusterRole>> = HashMap::new();
        for m in memberships {
            by_city.entry(m.city_id).or_default().push(ClusterRole {
                slug: m.slug,
                name: Localized::new(m.name_en, m.name_it),
                lead: m.role == "lead",
            });
        }
        Ok(rows
            .into_iter()
            .map(|r| CitySummary {
                clusters: by_city.remove(&r.id).unwrap_or_default(),
                slug: r.slug,
                name: Localized::new(r.name_en, r.name_it),
                country: r.country,
                country_name: Localized::new(r.country_en, r.country_it),
                latitude: r.latitude,
                longitude: r.longitude,
                timezone: r.timezone,
                joined: r.joined,
            })
            .collect())
    }
}

/// The two records coordinators are given power over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    City,
    Cluster,
}

impl Record {
    fn slug_and_name_sql(self) -> &'static str {
        match self {
            Record::City => "SELECT slug, name_en, name_it FROM cities WHERE id = $1",
            Record::Cluster => "SELECT slug, name_en, name_it FROM clusters WHERE id = $1",
        }
    }

    fn id_by_slug_sql(self) -> &'static str {
        match self {
            Record::City => "SELECT id FROM cities WHERE slug = $1",
            Record::Cluster => "SELECT id FROM clusters WHERE slug = $1",
        }
    }
}
