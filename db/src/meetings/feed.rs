//! What the calendar feeds read. A feed of a thousand meetings is mostly meetings unchanged since
//! the last time it was asked for, whose text the caller keeps: it reads what says whether its
//! copy is current (small rows) first, and whole meetings only for those it lacks.

use super::{Filter, MeetingRow, Override, MAX_LIMIT};
use crate::{on_pool, Db, DbError};

/// A meeting a feed publishes, as much as tells whether a kept text of it is current, and the
/// span its time zone's definition must cover.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedEntry {
    pub id: i64,
    pub updated_at: i64,
    pub sequence: i32,
    pub timezone: String,
    pub first_start: i64,
    pub last_end: i64,
}

impl Db {
    /// The meetings a feed publishes (every meeting with an occurrence that matches the
    /// filter, in time order), and the occurrences of those meetings that differ from their
    /// rule.
    pub async fn feed(
        &self,
        f: &Filter,
        limit: i64,
    ) -> Result<(Vec<FeedEntry>, Vec<Override>), DbError> {
        let entries: Vec<FeedEntry> = on_pool!(self, |pool| {
            let mut qb = sqlx::QueryBuilder::new(
                "SELECT m.id, m.updated_at, m.sequence, m.timezone, \
                 (SELECT MIN(f.starts_at) FROM occurrences f WHERE f.meeting_id = m.id) AS first_start, \
                 (SELECT MAX(l.ends_at) FROM occurrences l WHERE l.meeting_id = m.id) AS last_end \
                 FROM meetings m WHERE m.id IN (",
            );
            push_filtered_meetings!(qb, f);
            qb.push(") ORDER BY m.starts_local, m.id LIMIT ")
                .push_bind(limit.clamp(1, 5 * MAX_LIMIT));
            qb.build_query_as().fetch_all(pool).await?
        });
        // The dates that differ from their rule, of the same meetings (those past the limit
        // too, which the feed then leaves out): one query, the filter again as its subquery.
        let overrides: Vec<Override> = on_pool!(self, |pool| {
            let mut qb = sqlx::QueryBuilder::new(
                "SELECT o.id, o.meeting_id, o.original_local, o.starts_at, o.ends_at, o.moved, \
                        o.cancelled, o.sequence, o.in_rule \
                 FROM occurrences o JOIN meetings m ON m.id = o.meeting_id \
                 WHERE (o.moved OR o.cancelled OR m.rrule IS NULL) AND o.meeting_id IN (",
            );
            push_filtered_meetings!(qb, f);
            qb.push(") ORDER BY o.starts_at");
            qb.build_query_as().fetch_all(pool).await?
        });
        Ok((entries, overrides))
    }

    /// The meetings with these ids, in no particular order; ids of none are left out.
    pub async fn meetings_by_id(&self, ids: &[i64]) -> Result<Vec<MeetingRow>, DbError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(crate::IDS_PER_QUERY) {
            let rows: Vec<MeetingRow> = on_pool!(self, |pool| {
                let mut qb = sqlx::QueryBuilder::new(concat!(
                    "SELECT ",
                    meeting_columns!(),
                    " FROM meetings m WHERE m.id IN ("
                ));
                crate::push_ids(&mut qb, chunk);
                qb.build_query_as().fetch_all(pool).await?
            });
            out.extend(rows);
        }
        Ok(out)
    }
}
