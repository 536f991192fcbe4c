//! Accounts, roles, one-time links and the audit log, on every backend.

use chrono::{Duration, Utc};
use db::accounts::{self, TokenPurpose};
use db::{audit, DbError};
use domain::{Email, Role};
use serde_json::json;

fn email(s: &str) -> Email {
    Email::parse(s).unwrap()
}

#[tokio::test]
async fn users_roles_and_duplicate_addresses() {
    for t in testkit::backends().await {
        db::demo::load(&t.db).await.unwrap();
        let lucca = t.db.city_id("lucca").await.unwrap();
        let torino = t.db.city_id("torino").await.unwrap();
        let literacy = t.db.cluster_id("literacy").await.unwrap();
        assert!(matches!(
            t.db.city_id("atlantis").await,
            Err(DbError::NotFound)
        ));
        let now = Utc::now();

        let mut tx = t.db.begin_write().await.unwrap();
        let anna = accounts::create_user(&mut tx, &email("anna@lucca.it"), "Anna", "it", None, now)
            .await
            .unwrap();
        assert!(
            accounts::add_role(&mut tx, anna, Role::City(lucca), None, now)
                .await
                .unwrap()
        );
        assert!(
            !accounts::add_role(&mut tx, anna, Role::City(lucca), None, now)
                .await
                .unwrap(),
            "{}: a repeated grant adds nothing",
            t.name
        );
        assert!(
            accounts::add_role(&mut tx, anna, Role::Cluster(literacy), None, now)
                .await
                .unwrap()
        );
        tx.commit().await.unwrap();

        let roles = t.db.roles(anna).await.unwrap();
        assert!(
            roles.can_manage_city(lucca) && !roles.can_manage_city(torino),
            "{}",
            t.name
        );
        assert!(
            roles.can_manage_cluster(literacy) && !roles.is_admin(),
            "{}",
            t.name
        );

        let mut tx = t.db.begin_write().await.unwrap();
        let again =
            accounts::create_user(&mut tx, &email("ANNA@lucca.it"), "Anna", "it", None, now).await;
        assert!(
            matches!(again, Err(DbError::Conflict { .. })),
            "{}: {again:?}",
            t.name
        );
        drop(tx);

        let mut tx = t.db.begin_write().await.unwrap();
        let unknown_city = accounts::add_role(&mut tx, anna, Role::City(999_999), None, now).await;
        assert!(
            matches!(unknown_city, Err(DbError::Conflict { .. })),
            "{}",
            t.name
        );
        drop(tx);

        let mut tx = t.db.begin_write().await.unwrap();
        assert!(accounts::remove_role(&mut tx, anna, Role::City(lucca))
            .await
            .unwrap());
        assert!(!accounts::remove_role(&mut tx, anna, Role::City(lucca))
            .await
            .unwrap());
        tx.commit().await.unwrap();
        assert!(
            !t.db.roles(anna).await.unwrap().can_manage_city(lucca),
            "{}",
            t.name
        );

        let found =
            t.db.user_by_email(&email("anna@lucca.it"))
                .await
                .unwrap()
                .unwrap();
        assert_eq!((found.id, found.password_hash), (anna, None), "{}", t.name);
    }
}

#[tokio::test]
async fn one_time_links_work_once_and_expire() {
    for t in testkit::backends().await {
        let now = Utc::now();
        let mut tx = t.db.begin_write().await.unwrap();
        let id = accounts::create_user(&mut tx, &email("marco@lucca.it"), "", "en", None, now)
            .await
            .unwrap();
        let first = accounts::issue_token(
            &mut tx,
            id,
            TokenPurpose::Reset,
            None,
            now,
            now + Duration::hours(1),
        )
        .await
        .unwrap();
        let second = accounts::issue_token(
            &mut tx,
            id,
            TokenPurpose::Reset,
            None,
            now,
            now + Duration::hours(1),
        )
        .await
        .unwrap();
        let short = accounts::issue_token(
            &mut tx,
            id,
            TokenPurpose::Invite,
            None,
            now,
            now + Duration::seconds(1),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_ne!(first.secret, second.secret);
        assert_ne!(first.hash, first.secret, "only the hash is stored");

        let mut tx = t.db.begin_write().await.unwrap();
        assert_eq!(
            accounts::redeem_token(&mut tx, &first.secret, TokenPurpose::Reset, now)
                .await
                .unwrap(),
            None,
            "{}: a newer link voids the older one",
            t.name
        );
        assert_eq!(
            accounts::redeem_token(&mut tx, &second.secret, TokenPurpose::Invite, now)
                .await
                .unwrap(),
            None,
            "{}: a link only works for its purpose",
            t.name
        );
        assert!(t
            .db
            .peek_token(&second.secret, TokenPurpose::Reset, now)
            .await
            .unwrap()
            .is_some());
        let used = accounts::redeem_token(&mut tx, &second.secret, TokenPurpose::Reset, now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(used.user_id, id);
        assert_eq!(
            accounts::redeem_token(&mut tx, &second.secret, TokenPurpose::Reset, now)
                .await
                .unwrap(),
            None,
            "{}: single use",
            t.name
        );
        let later = now + Duration::seconds(5);
        assert_eq!(
            accounts::redeem_token(&mut tx, &short.secret, TokenPurpose::Invite, later)
                .await
                .unwrap(),
            None,
            "{}: expired",
            t.name
        );
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn sign_in_failures_are_counted_per_address_and_client() {
    for t in testkit::backends().await {
        let now = Utc::now();
        for i in 0..3 {
            let at = now - Duration::minutes(i);
            t.db.record_sign_in_failure("a@x.org", "10.0.0.1", at)
                .await
                .unwrap();
        }
        t.db.record_sign_in_failure("b@x.org", "10.0.0.1", now)
            .await
            .unwrap();
        t.db.record_sign_in_failure("a@x.org", "10.0.0.2", now - Duration::hours(2))
            .await
            .unwrap();
        let since = now - Duration::minutes(15);
        assert_eq!(
            t.db.sign_in_failures("a@x.org", "10.0.0.1", since)
                .await
                .unwrap(),
            (3, 4),
            "{}",
            t.name
        );
        let mut tx = t.db.begin_write().await.unwrap();
        accounts::clear_sign_in_failures(&mut tx, "a@x.org")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            t.db.sign_in_failures("a@x.org", "10.0.0.1", since)
                .await
                .unwrap(),
            (0, 1),
            "{}",
            t.name
        );
        assert_eq!(
            t.db.prune_sign_in_failures(now + Duration::seconds(1))
                .await
                .unwrap(),
            1
        );
    }
}

#[tokio::test]
async fn the_audit_log_is_append_only_and_scoped_by_city() {
    for t in testkit::backends().await {
        let now = Utc::now();
        let mut tx = t.db.begin_write().await.unwrap();
        for (city, action) in [
            (Some(1), "city.update"),
            (Some(2), "city.update"),
            (None, "role.grant"),
        ] {
            audit::append(
                &mut tx,
                &audit::NewEntry {
                    actor_id: None,
                    actor_email: "admin@learning.city",
                    action,
                    entity: "city",
                    entity_id: format!("{city:?}"),
                    city_id: None,
                    cluster_id: None,
                    before: Some(json!({"name": "old"})),
                    after: Some(json!({"name": "new"})),
                },
                now,
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        let all =
            t.db.audit_entries(&audit::Scope::All, None, 10)
                .await
                .unwrap();
        assert_eq!(all.len(), 3, "{}", t.name);
        assert_eq!(all[0].action, "role.grant", "{}: newest first", t.name);
        assert_eq!(
            all[1].after.as_ref().unwrap().0,
            json!({"name": "new"}),
            "{}",
            t.name
        );
        let page =
            t.db.audit_entries(&audit::Scope::All, Some(all[0].id), 1)
                .await
                .unwrap();
        assert_eq!(page.len(), 1);
        assert_eq!(page[0].id, all[1].id, "{}: paging", t.name);
        assert!(t
            .db
            .audit_entries(&audit::Scope::Cities(vec![]), None, 10)
            .await
            .unwrap()
            .is_empty());

        // History cannot be rewritten, even by a query that bypasses the app.
        let update = db::on_pool!(&t.db, |pool| {
            sqlx::query("UPDATE audit_log SET action = 'forged'")
                .execute(pool)
                .await
                .map(|_| ())
        });
        assert!(update.is_err(), "{}: UPDATE must fail", t.name);
        let delete = db::on_pool!(&t.db, |pool| {
            sqlx::query("DELETE FROM audit_log")
                .execute(pool)
                .await
                .map(|_| ())
        });
        assert!(delete.is_err(), "{}: DELETE must fail", t.name);
        assert_eq!(
            t.db.audit_entries(&audit::Scope::All, None, 10)
                .await
                .unwrap()
                .len(),
            3
        );
    }
}
