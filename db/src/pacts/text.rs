//! Writing the pact itself: its titles and date, versions of its text, partners and commitments.

use super::*;

/// The city's pact, created with these titles when it has none yet; `true` when it was created.
/// Read and written through the transaction: a second connection taken from the pool while
/// this one holds SQLite's write lock can wait on writers that wait on this one.
pub async fn pact_for_city(
    tx: &mut Tx,
    city_id: i64,
    title_en: &str,
    title_it: &str,
) -> Result<(i64, bool), DbError> {
    let created: Option<i64> = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO pacts (city_id, title_en, title_it) VALUES ($1, $2, $3) \
             ON CONFLICT (city_id) DO NOTHING RETURNING id",
        )
        .bind(city_id)
        .bind(title_en)
        .bind(title_it)
        .fetch_optional(&mut *conn)
        .await?
    });
    if let Some(id) = created {
        return Ok((id, true));
    }
    let id = on_tx!(tx, |conn| {
        sqlx::query_scalar("SELECT id FROM pacts WHERE city_id = $1")
            .bind(city_id)
            .fetch_one(&mut *conn)
            .await?
    });
    Ok((id, false))
}

pub async fn update_pact(
    tx: &mut Tx,
    pact_id: i64,
    title_en: &str,
    title_it: &str,
    signed_on: Option<chrono::NaiveDate>,
) -> Result<(), DbError> {
    on_tx!(tx, |conn| {
        sqlx::query("UPDATE pacts SET title_en = $2, title_it = $3, signed_on = $4 WHERE id = $1")
            .bind(pact_id)
            .bind(title_en)
            .bind(title_it)
            .bind(signed_on)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// Publishes a new version of a pact's text; returns its number.
pub async fn publish_version(
    tx: &mut Tx,
    pact_id: i64,
    text_en: &str,
    text_it: &str,
    by: Option<i64>,
    now: i64,
) -> Result<i32, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO pact_versions (pact_id, number, text_en, text_it, published_at, published_by) \
             VALUES ($1, (SELECT COALESCE(MAX(number), 0) + 1 FROM pact_versions WHERE pact_id = $1), \
                $2, $3, $4, $5) RETURNING number",
        )
        .bind(pact_id)
        .bind(text_en)
        .bind(text_it)
        .bind(now)
        .bind(by)
        .fetch_one(&mut *conn)
        .await?
    }))
}

/// Adds a partner (`id` None) or changes one of this pact's.
pub async fn save_partner(
    tx: &mut Tx,
    pact_id: i64,
    id: Option<i64>,
    name: &str,
    role_en: &str,
    role_it: &str,
    website: Option<&str>,
) -> Result<i64, DbError> {
    Ok(on_tx!(tx, |conn| match id {
        None => {
            sqlx::query_scalar(
                "INSERT INTO pact_partners (pact_id, name, role_en, role_it, website, position) \
                 VALUES ($1, $2, $3, $4, $5, \
                    (SELECT COALESCE(MAX(position), 0) + 1 FROM pact_partners WHERE pact_id = $1)) \
                 RETURNING id",
            )
            .bind(pact_id)
            .bind(name)
            .bind(role_en)
            .bind(role_it)
            .bind(website)
            .fetch_one(&mut *conn)
            .await?
        }
        Some(id) => {
            sqlx::query_scalar(
                "UPDATE pact_partners SET name = $3, role_en = $4, role_it = $5, website = $6 \
                 WHERE id = $1 AND pact_id = $2 RETURNING id",
            )
            .bind(id)
            .bind(pact_id)
            .bind(name)
            .bind(role_en)
            .bind(role_it)
            .bind(website)
            .fetch_one(&mut *conn)
            .await?
        }
    }))
}

pub async fn delete_partner(tx: &mut Tx, pact_id: i64, id: i64) -> Result<bool, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query("DELETE FROM pact_partners WHERE id = $1 AND pact_id = $2")
            .bind(id)
            .bind(pact_id)
            .execute(&mut *conn)
            .await?
            .rows_affected()
            == 1
    }))
}

/// Adds a commitment (`id` None) or changes one of this pact's, including retiring it.
#[allow(clippy::too_many_arguments)]
pub async fn save_commitment(
    tx: &mut Tx,
    pact_id: i64,
    id: Option<i64>,
    slug: &str,
    label_en: &str,
    label_it: &str,
    retired: bool,
) -> Result<i64, DbError> {
    Ok(on_tx!(tx, |conn| match id {
        None => {
            sqlx::query_scalar(
                "INSERT INTO pact_commitments (pact_id, slug, label_en, label_it, position, retired) \
                 VALUES ($1, $2, $3, $4, \
                    (SELECT COALESCE(MAX(position), 0) + 1 FROM pact_commitments WHERE pact_id = $1), $5) \
                 RETURNING id",
            )
            .bind(pact_id)
            .bind(slug)
            .bind(label_en)
            .bind(label_it)
            .bind(retired)
            .fetch_one(&mut *conn)
            .await?
        }
        Some(id) => {
            sqlx::query_scalar(
                "UPDATE pact_commitments SET slug = $3, label_en = $4, label_it = $5, retired = $6 \
                 WHERE id = $1 AND pact_id = $2 RETURNING id",
            )
            .bind(id)
            .bind(pact_id)
            .bind(slug)
            .bind(label_en)
            .bind(label_it)
            .bind(retired)
            .fetch_one(&mut *conn)
            .await?
        }
    }))
}
