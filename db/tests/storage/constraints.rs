//! Each constraint a caller answers for is known by name on both backends: PostgreSQL names it,
//! SQLite only lists its columns (or names an index on an expression).

use db::{Constraint, Db, DbError};

/// Runs `sql` (a write the named constraint refuses) and returns the constraint it met.
async fn refused_by(db: &Db, sql: &str) -> Option<Constraint> {
    let result: Result<_, sqlx::Error> = db::on_pool!(db, |pool| {
        sqlx::query(sql).execute(pool).await.map(|_| ())
    });
    match result.map_err(DbError::from) {
        Err(DbError::Conflict { constraint, .. }) => constraint,
        other => panic!("{sql}: expected a conflict, got {other:?}"),
    }
}

#[tokio::test]
async fn every_named_constraint_is_known_on_both_backends() {
    for t in testkit::backends().await {
        db::demo::load(&t.db).await.unwrap();
        let cases = [
            (
                "INSERT INTO users (email, name, locale, created_at, updated_at) \
                 SELECT email, name, locale, created_at, updated_at FROM users LIMIT 1",
                Constraint::UserEmail,
            ),
            (
                "UPDATE meetings SET uid = (SELECT MIN(uid) FROM meetings) \
                 WHERE uid = (SELECT MAX(uid) FROM meetings)",
                Constraint::MeetingUid,
            ),
            (
                "INSERT INTO frame_origins (city_id, origin, added_at) \
                 SELECT city_id, origin, added_at FROM frame_origins LIMIT 1",
                Constraint::FrameOrigin,
            ),
            (
                "UPDATE adhesions SET tax_code = (SELECT MIN(tax_code) FROM adhesions \
                     WHERE status = 'approved' AND pact_id = (SELECT MIN(pact_id) FROM adhesions)) \
                 WHERE status = 'approved' AND pact_id = (SELECT MIN(pact_id) FROM adhesions)",
                Constraint::AdhesionTaxCode,
            ),
            (
                "UPDATE sectors SET slug = 'same' \
                 WHERE city_id = (SELECT MIN(city_id) FROM sectors)",
                Constraint::SectorKey,
            ),
            (
                "UPDATE pact_commitments SET slug = 'same' \
                 WHERE pact_id = (SELECT MIN(pact_id) FROM pact_commitments)",
                Constraint::CommitmentKey,
            ),
            (
                "UPDATE pact_partners SET name = 'same' \
                 WHERE pact_id = (SELECT MIN(pact_id) FROM pact_partners)",
                Constraint::PartnerName,
            ),
        ];
        seed_user_and_frame(&t.db).await;
        for (sql, constraint) in cases {
            assert_eq!(
                refused_by(&t.db, sql).await,
                Some(constraint),
                "{}: {sql}",
                t.name
            );
        }
        // Any other conflict is one no caller names.
        assert_eq!(
            refused_by(
                &t.db,
                "INSERT INTO clusters (slug, name_en, name_it, position) \
                 SELECT slug, name_en, name_it, position FROM clusters LIMIT 1"
            )
            .await,
            None,
            "{}",
            t.name
        );
    }
}

/// The demo data has neither an account nor an embedding site: one of each to collide with.
async fn seed_user_and_frame(db: &Db) {
    let now = chrono::Utc::now();
    let mut tx = db.begin_write().await.unwrap();
    let email = domain::Email::parse("ada@example.org").unwrap();
    db::accounts::create_user(&mut tx, &email, "Ada", "en", None, now)
        .await
        .unwrap();
    db::frames::add_frame_origin(&mut tx, None, "https://comune.example.org", now.timestamp())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}
