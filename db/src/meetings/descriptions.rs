//! A meeting's description rendered once from its Markdown, not at every reading.

use super::*;

/// Stores a meeting's description as rendered from its Markdown (see [`MeetingRow`]).
pub async fn set_rendered_description(
    tx: &mut Tx,
    id: i64,
    html: &str,
    text: &str,
) -> Result<(), DbError> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE meetings SET description_html = $1, description_text = $2 WHERE id = $3",
        )
        .bind(html)
        .bind(text)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

impl Db {
    /// Meetings whose description has not been rendered yet, with its Markdown.
    pub async fn unrendered_descriptions(&self, limit: i64) -> Result<Vec<(i64, String)>, DbError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, description FROM meetings WHERE description_html IS NULL \
                 ORDER BY id LIMIT $1",
            )
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }
}
