//! Filtered, paged lists of a pact's adhesions: the public list of adherents and the
//! coordinators' queue.

use super::*;

/// Which adhesions a list shows.
#[derive(Debug, Clone, Default)]
pub struct AdhesionFilter<'a> {
    pub statuses: &'a [AdhesionStatus],
    pub sector_id: Option<i64>,
    /// Part of the organisation's name, any case.
    pub search: Option<&'a str>,
    /// Public lists: only those that consented to it.
    pub listed_only: bool,
}

/// `%text%` for LIKE over folded names, with the pattern characters in the text taken
/// literally. Folding happens here rather than in SQL: SQLite's LOWER() knows only ASCII.
fn like_pattern(text: &str) -> String {
    let escaped = domain::name_key(text)
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Closes `WHERE ` with the conditions of a filtered list of `pact_id`'s adhesions (`a`), every
/// value bound. A macro because the query builder's type differs per backend.
macro_rules! push_adhesion_filter {
    ($qb:expr, $pact_id:expr, $f:expr) => {{
        let f: &AdhesionFilter<'_> = $f;
        $qb.push("a.pact_id = ").push_bind($pact_id);
        if !f.statuses.is_empty() {
            $qb.push(" AND a.status IN (");
            let mut list = $qb.separated(", ");
            for status in f.statuses {
                list.push_bind(status.as_str());
            }
            $qb.push(")");
        }
        if f.listed_only {
            $qb.push(" AND a.listed = TRUE");
        }
        if let Some(q) = f.search.map(str::trim).filter(|q| !q.is_empty()) {
            $qb.push(" AND a.name_key LIKE ")
                .push_bind(like_pattern(q))
                .push(" ESCAPE '\\'");
        }
        if let Some(sector) = f.sector_id {
            $qb.push(" AND a.sector_id = ").push_bind(sector);
        }
    }};
}

impl Db {
    /// The public list: approved adhesions that consented to it, by name.
    pub async fn public_adherents(
        &self,
        pact_id: i64,
        sector_id: Option<i64>,
        search: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<PublicRow>, i64), DbError> {
        let filter = AdhesionFilter {
            statuses: &[AdhesionStatus::Approved],
            sector_id,
            search,
            listed_only: true,
        };
        let limit = limit.clamp(1, MAX_LIMIT);
        Ok(on_pool!(self, |pool| {
            let mut q = sqlx::QueryBuilder::new(
                "SELECT a.id, a.organisation, a.legal_form, a.sector_id, a.address, a.latitude, \
                    a.longitude, a.website, a.decided_at, a.confirmed_at, v.number AS version_number, \
                    (SELECT COUNT(*) FROM adhesion_logos l WHERE l.adhesion_id = a.id) AS logos \
                 FROM adhesions a JOIN pact_versions v ON v.id = a.version_id WHERE ",
            );
            push_adhesion_filter!(q, pact_id, &filter);
            q.push(" ORDER BY a.name_key, a.id LIMIT ")
                .push_bind(limit)
                .push(" OFFSET ")
                .push_bind(offset.max(0));
            let mut c = sqlx::QueryBuilder::new("SELECT COUNT(*) FROM adhesions a WHERE ");
            push_adhesion_filter!(c, pact_id, &filter);
            let rows: Vec<PublicRow> = q.build_query_as().fetch_all(pool).await?;
            let total: i64 = c.build_query_scalar().fetch_one(pool).await?;
            (rows, total)
        }))
    }

    /// Adhesions for the coordinators, newest first.
    pub async fn adhesions(
        &self,
        pact_id: i64,
        filter: &AdhesionFilter<'_>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<AdhesionRow>, i64), DbError> {
        let limit = limit.clamp(1, MAX_LIMIT);
        Ok(on_pool!(self, |pool| {
            let mut q = sqlx::QueryBuilder::new(concat!(
                "SELECT ",
                adhesion_columns!(),
                " ",
                adhesion_joins!(),
                " WHERE "
            ));
            push_adhesion_filter!(q, pact_id, filter);
            q.push(" ORDER BY a.created_at DESC, a.id DESC LIMIT ")
                .push_bind(limit)
                .push(" OFFSET ")
                .push_bind(offset.max(0));
            let mut c = sqlx::QueryBuilder::new("SELECT COUNT(*) FROM adhesions a WHERE ");
            push_adhesion_filter!(c, pact_id, filter);
            let rows: Vec<AdhesionRow> = q.build_query_as().fetch_all(pool).await?;
            let total: i64 = c.build_query_scalar().fetch_one(pool).await?;
            (rows, total)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_take_pattern_characters_literally() {
        assert_eq!(like_pattern("50%_Off\\"), "%50\\%\\_off\\\\%");
    }
}
