//! Where a city's meetings are held, for its map.

use super::*;

/// A meeting of a city held at a known position, with the date its map links to: the next
/// one to come, else the last one held.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VenueRow {
    pub title: String,
    pub place: String,
    pub address: String,
    pub latitude: f64,
    pub longitude: f64,
    pub sector_slug: Option<String>,
    pub sector_en: Option<String>,
    pub sector_it: Option<String>,
    pub occurrence_id: i64,
    pub starts_at: i64,
}

impl Db {
    /// The placed meetings of a city (of one sector, if given) that are not called off.
    pub async fn venues(
        &self,
        city_id: i64,
        sector_id: Option<i64>,
        now: i64,
    ) -> Result<Vec<VenueRow>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT m.title, m.place, m.address, m.latitude, m.longitude, \
                        se.slug AS sector_slug, se.name_en AS sector_en, se.name_it AS sector_it, \
                        o.id AS occurrence_id, o.starts_at \
                 FROM meetings m \
                 LEFT JOIN sectors se ON se.id = m.sector_id \
                 JOIN occurrences o ON o.id = COALESCE( \
                     (SELECT n.id FROM occurrences n WHERE n.meeting_id = m.id \
                        AND n.ends_at > $3 AND NOT n.cancelled ORDER BY n.starts_at LIMIT 1), \
                     (SELECT p.id FROM occurrences p WHERE p.meeting_id = m.id \
                        ORDER BY p.starts_at DESC LIMIT 1)) \
                 WHERE m.city_id = $1 AND m.latitude IS NOT NULL AND m.longitude IS NOT NULL \
                   AND m.mode <> 'online' AND NOT m.cancelled \
                   AND ($2 IS NULL OR m.sector_id = $2) \
                 ORDER BY m.place, o.starts_at",
            )
            .bind(city_id)
            .bind(sector_id)
            .bind(now)
            .fetch_all(pool)
            .await?
        }))
    }
}
