//! What coordinators change in the network's records: a city's or cluster's profile and
//! facts, a cluster's roles, a city's sectors.

use super::*;

/// Replaces a city's profile; the caller has checked the coordinator's role for this city.
pub async fn update_city_profile(
    tx: &mut Tx,
    city_id: i64,
    profile: &CityProfile,
) -> Result<(), DbError> {
    let n = on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE cities SET description_en = $2, description_it = $3, website = $4 WHERE id = $1",
        )
        .bind(city_id)
        .bind(&profile.description_en)
        .bind(&profile.description_it)
        .bind(&profile.website)
        .execute(conn)
        .await?
        .rows_affected()
    });
    if n == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

/// Rewrites a city's names, position and year of joining.
pub async fn update_city_facts(tx: &mut Tx, city_id: i64, f: &CityFacts) -> Result<(), DbError> {
    let n = on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE cities SET name_en = $2, name_it = $3, latitude = $4, longitude = $5, \
             joined = $6 WHERE id = $1",
        )
        .bind(city_id)
        .bind(&f.name_en)
        .bind(&f.name_it)
        .bind(f.latitude)
        .bind(f.longitude)
        .bind(f.joined)
        .execute(conn)
        .await?
        .rows_affected()
    });
    if n == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

/// Makes a city a member (`lead` false) or a lead of a cluster, or takes it out (`None`).
pub async fn set_cluster_role(
    tx: &mut Tx,
    city_id: i64,
    cluster_id: i64,
    lead: Option<bool>,
) -> Result<(), DbError> {
    on_tx!(tx, |conn| match lead {
        None => {
            sqlx::query("DELETE FROM city_clusters WHERE city_id = $1 AND cluster_id = $2")
                .bind(city_id)
                .bind(cluster_id)
                .execute(conn)
                .await?;
        }
        Some(lead) => {
            sqlx::query(
                "INSERT INTO city_clusters (city_id, cluster_id, role) VALUES ($1, $2, $3) \
                 ON CONFLICT (city_id, cluster_id) DO UPDATE SET role = excluded.role",
            )
            .bind(city_id)
            .bind(cluster_id)
            .bind(if lead { "lead" } else { "member" })
            .execute(conn)
            .await?;
        }
    });
    Ok(())
}

/// Replaces a cluster's description; the caller has checked the role for this cluster.
pub async fn update_cluster_profile(
    tx: &mut Tx,
    cluster_id: i64,
    profile: &ClusterProfile,
) -> Result<(), DbError> {
    let n = on_tx!(tx, |conn| {
        sqlx::query("UPDATE clusters SET description_en = $2, description_it = $3 WHERE id = $1")
            .bind(cluster_id)
            .bind(&profile.description_en)
            .bind(&profile.description_it)
            .execute(conn)
            .await?
            .rows_affected()
    });
    if n == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

/// Adds a sector to a city (`id` None) or renames one of its own.
pub async fn save_sector(
    tx: &mut Tx,
    city_id: i64,
    id: Option<i64>,
    slug: &str,
    name_en: &str,
    name_it: &str,
) -> Result<i64, DbError> {
    Ok(on_tx!(tx, |conn| match id {
        None => {
            sqlx::query_scalar(
                "INSERT INTO sectors (city_id, slug, name_en, name_it, position) VALUES ($1, $2, $3, $4, \
                    (SELECT COALESCE(MAX(position), 0) + 1 FROM sectors WHERE city_id = $1)) \
                 RETURNING id",
            )
            .bind(city_id)
            .bind(slug)
            .bind(name_en)
            .bind(name_it)
            .fetch_one(&mut *conn)
            .await?
        }
        Some(id) => {
            sqlx::query_scalar(
                "UPDATE sectors SET slug = $3, name_en = $4, name_it = $5 \
                 WHERE id = $1 AND city_id = $2 RETURNING id",
            )
            .bind(id)
            .bind(city_id)
            .bind(slug)
            .bind(name_en)
            .bind(name_it)
            .fetch_one(&mut *conn)
            .await?
        }
    }))
}

/// Removes a city's sector that no meeting or adhesion uses; `false` when it is in use.
pub async fn delete_unused_sector(tx: &mut Tx, city_id: i64, id: i64) -> Result<bool, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query(
            "DELETE FROM sectors WHERE id = $1 AND city_id = $2 \
             AND NOT EXISTS (SELECT 1 FROM meetings WHERE sector_id = $1) \
             AND NOT EXISTS (SELECT 1 FROM adhesions WHERE sector_id = $1)",
        )
        .bind(id)
        .bind(city_id)
        .execute(&mut *conn)
        .await?
        .rows_affected()
            == 1
    }))
}
