//! The practices library of each cluster: the one place its SQL lives.

use crate::{on_pool, on_tx, Db, DbError, Tx};
use domain::{CityRef, Localized, Practice, Tags};

#[derive(sqlx::FromRow)]
struct PracticeRow {
    id: i64,
    cluster_id: i64,
    city_id: i64,
    slug: String,
    name_en: String,
    name_it: String,
    country: String,
    title: String,
    summary: String,
    link: String,
    language: String,
    tags: String,
    posted_at: i64,
}

impl From<PracticeRow> for Practice {
    fn from(r: PracticeRow) -> Self {
        Practice {
            id: r.id,
            city: CityRef {
                slug: r.slug,
                name: Localized::new(r.name_en, r.name_it),
                country: r.country,
            },
            title: r.title,
            summary: r.summary,
            link: r.link,
            language: r.language,
            tags: Tags::from_stored(&r.tags),
            posted_at: r.posted_at,
        }
    }
}

macro_rules! practice_select {
    () => {
        "SELECT p.id, p.cluster_id, p.city_id, c.slug, c.name_en, c.name_it, c.country, p.title, \
     p.summary, p.link, p.language, p.tags, p.posted_at \
     FROM practices p JOIN cities c ON c.id = p.city_id"
    };
}

/// A practice with the ids its permissions are checked against.
pub struct Stored {
    pub practice: Practice,
    pub cluster_id: i64,
    pub city_id: i64,
}

/// What a coordinator posts.
pub struct NewPractice<'a> {
    pub cluster_id: i64,
    pub city_id: i64,
    pub title: &'a str,
    pub summary: &'a str,
    pub link: &'a str,
    pub language: &'a str,
    pub tags: &'a Tags,
}

impl Db {
    /// A cluster's practices, newest first; the newest `limit` only, if given. The library
    /// filters them in memory: it needs them all to offer every city, language and tag.
    pub async fn practices(
        &self,
        cluster_id: i64,
        limit: Option<i64>,
    ) -> Result<Vec<Practice>, DbError> {
        let sql = concat!(
            practice_select!(),
            " WHERE p.cluster_id = $1 ORDER BY p.posted_at DESC, p.id DESC LIMIT $2"
        );
        let rows: Vec<PracticeRow> = on_pool!(self, |pool| {
            sqlx::query_as(sql)
                .bind(cluster_id)
                .bind(limit.unwrap_or(i64::MAX))
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(Practice::from).collect())
    }

    /// The ids and slugs of a cluster's member cities, for role checks.
    pub async fn member_ids(&self, cluster_id: i64) -> Result<Vec<(i64, String)>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT c.id, c.slug FROM city_clusters cc JOIN cities c ON c.id = cc.city_id \
                 WHERE cc.cluster_id = $1",
            )
            .bind(cluster_id)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn practice(&self, id: i64) -> Result<Stored, DbError> {
        let sql = concat!(practice_select!(), " WHERE p.id = $1");
        let row: PracticeRow = on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(id)
            .fetch_one(pool)
            .await?);
        Ok(Stored {
            cluster_id: row.cluster_id,
            city_id: row.city_id,
            practice: row.into(),
        })
    }
}

pub async fn create(
    tx: &mut Tx,
    p: &NewPractice<'_>,
    posted_by: i64,
    now: i64,
) -> Result<i64, DbError> {
    let id = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO practices (cluster_id, city_id, title, summary, link, language, tags, \
             posted_by, posted_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(p.cluster_id)
        .bind(p.city_id)
        .bind(p.title)
        .bind(p.summary)
        .bind(p.link)
        .bind(p.language)
        .bind(p.tags.stored())
        .bind(posted_by)
        .bind(now)
        .fetch_one(conn)
        .await?
    });
    Ok(id)
}

/// Rewrites a practice; it stays in its cluster.
pub async fn update(tx: &mut Tx, id: i64, p: &NewPractice<'_>, now: i64) -> Result<(), DbError> {
    let n = on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE practices SET city_id = $2, title = $3, summary = $4, link = $5, \
             language = $6, tags = $7, updated_at = $8 WHERE id = $1 AND cluster_id = $9",
        )
        .bind(id)
        .bind(p.city_id)
        .bind(p.title)
        .bind(p.summary)
        .bind(p.link)
        .bind(p.language)
        .bind(p.tags.stored())
        .bind(now)
        .bind(p.cluster_id)
        .execute(conn)
        .await?
        .rows_affected()
    });
    if n == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

pub async fn delete(tx: &mut Tx, id: i64) -> Result<(), DbError> {
    let n = on_tx!(tx, |conn| {
        sqlx::query("DELETE FROM practices WHERE id = $1")
            .bind(id)
            .execute(conn)
            .await?
            .rows_affected()
    });
    if n == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}
