//! Roles checked against the very record, the audit log, and cross-site posts.

use super::*;

/// What each kind of person may do: every writing server function (and the area's reads)
/// against administrator, coordinator of city A (Lucca), of city B (Torino), coordinator of a
/// cluster (entrepreneurship, which Torino leads) and anonymous.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_action_checks_the_role_for_that_very_record() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let (lucca, torino) = (app.city("lucca").await, app.city("torino").await);
        let cluster = app.cluster("entrepreneurship").await;
        app.user("admin@example.org", "en", &[Role::Admin]).await;
        app.user("a@example.org", "en", &[Role::City(lucca)]).await;
        app.user("b@example.org", "en", &[Role::City(torino)]).await;
        app.user("k@example.org", "en", &[Role::Cluster(cluster)])
            .await;
        let extra = app
            .user("extra@example.org", "en", &[Role::City(lucca)])
            .await;
        let extra = extra.to_string();

        // Anonymous first and the administrator last, so that no allowed write changes what
        // a later row sees.
        let actors = [
            ("anonymous", browser()),
            ("cluster", app.signed_in("k@example.org").await),
            ("city B", app.signed_in("b@example.org").await),
            ("city A", app.signed_in("a@example.org").await),
            ("admin", app.signed_in("admin@example.org").await),
        ];
        let city_a: &[(&str, &str)] = &[
            ("lang", "en"),
            ("slug", "lucca"),
            ("description_en", "Pact for lifelong learning"),
            ("description_it", "Patto"),
            ("website", ""),
        ];
        let city_b: &[(&str, &str)] = &[
            ("lang", "en"),
            ("slug", "torino"),
            ("description_en", "Torino"),
            ("description_it", "Torino"),
            ("website", "https://www.comune.torino.it"),
        ];
        let cluster_form: &[(&str, &str)] = &[
            ("lang", "en"),
            ("slug", "entrepreneurship"),
            ("description_en", "Learning and work"),
            ("description_it", "Apprendimento e lavoro"),
        ];
        let grant: &[(&str, &str)] = &[
            ("lang", "en"),
            ("email", "new@example.org"),
            ("name", ""),
            ("locale", "en"),
            ("kind", "city"),
            ("target", "lucca"),
        ];
        let revoke: &[(&str, &str)] = &[
            ("lang", "en"),
            ("user_id", &extra),
            ("kind", "city"),
            ("target", "lucca"),
        ];
        // (action, form, [anonymous, cluster, city B, city A, admin])
        let table: [(&str, Form, [u16; 5]); 9] = [
            ("update_city_profile", city_a, [401, 403, 403, 200, 200]),
            ("update_city_profile", city_b, [401, 403, 200, 403, 200]),
            (
                "update_cluster_profile",
                cluster_form,
                [401, 200, 403, 403, 200],
            ),
            ("grant_role", grant, [401, 403, 403, 403, 200]),
            ("revoke_role", revoke, [401, 403, 403, 403, 200]),
            (
                "city_profile",
                &[("slug", "lucca")],
                [401, 403, 403, 200, 200],
            ),
            ("audit_log", &[], [401, 403, 200, 200, 200]),
            ("people", &[], [401, 403, 403, 403, 200]),
            ("outbox", &[], [401, 403, 403, 403, 200]),
        ];
        let mut wrong = Vec::new();
        for (action, form, expected) in table {
            for ((who, client), want) in actors.iter().zip(expected) {
                let (got, body) = app.call(client, action, form).await;
                if got != want {
                    wrong.push(format!(
                        "{action} {form:?} as {who}: {got}, expected {want}: {body}"
                    ));
                }
            }
        }
        assert!(wrong.is_empty(), "{}:\n{}", app.backend, wrong.join("\n"));

        // The refused writes changed nothing; the allowed ones did, and left their trace.
        let lucca_profile = app.db.city_profile(lucca).await.unwrap();
        assert_eq!(lucca_profile.description_en, "Pact for lifelong learning");
        assert!(app
            .db
            .roles(extra.parse().unwrap())
            .await
            .unwrap()
            .iter()
            .next()
            .is_none());
        let entries = app
            .db
            .audit_entries(&db::audit::Scope::All, None, 100)
            .await
            .unwrap();
        let count = |action: &str| entries.iter().filter(|e| e.action == action).count();
        assert_eq!(count("city.update"), 4, "{}", app.backend);
        assert_eq!(count("cluster.update"), 2);
        assert_eq!(count("role.grant"), 1);
        assert_eq!(count("role.revoke"), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_entries_record_before_and_after_and_stay_within_the_city() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let (lucca, torino) = (app.city("lucca").await, app.city("torino").await);
        app.user("a@example.org", "en", &[Role::City(lucca)]).await;
        app.user("b@example.org", "en", &[Role::City(torino)]).await;
        let a = app.signed_in("a@example.org").await;
        let b = app.signed_in("b@example.org").await;
        let form = [
            ("lang", "en"),
            ("slug", "lucca"),
            ("description_en", "First"),
            ("description_it", "Primo"),
            ("website", "https://www.comune.lucca.it"),
        ];
        assert_eq!(app.call(&a, "update_city_profile", &form).await.0, 200);
        let form = [
            ("lang", "en"),
            ("slug", "lucca"),
            ("description_en", "Second"),
            ("description_it", "Secondo"),
            ("website", ""),
        ];
        assert_eq!(app.call(&a, "update_city_profile", &form).await.0, 200);

        let entry = app
            .db
            .audit_entries(&db::audit::Scope::All, None, 1)
            .await
            .unwrap()
            .remove(0);
        assert_eq!(
            (
                entry.action.as_str(),
                entry.actor_email.as_str(),
                entry.city_id
            ),
            ("city.update", "a@example.org", Some(lucca))
        );
        assert_eq!(entry.before.unwrap().0["description_en"], "First");
        assert_eq!(entry.after.as_ref().unwrap().0["description_en"], "Second");
        assert!(entry.after.unwrap().0["website"].is_null());

        let (_, mine) = app.call(&a, "audit_log", &[]).await;
        let (_, theirs) = app.call(&b, "audit_log", &[]).await;
        assert!(mine.contains("city.update"), "{mine}");
        assert_eq!(
            theirs, "[]",
            "{}: Torino's coordinator sees nothing of Lucca",
            app.backend
        );

        // The public page shows the profile.
        let page = browser()
            .get(format!("{}/it/cities/lucca", app.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Secondo"), "{}", app.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_are_refused() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let lucca = app.city("lucca").await;
    app.user("a@example.org", "en", &[Role::City(lucca)]).await;
    let a = app.signed_in("a@example.org").await;
    let form = [
        ("lang", "en"),
        ("slug", "lucca"),
        ("description_en", "Hijacked"),
        ("description_it", "x"),
        ("website", ""),
    ];
    let url = format!("{}/api/update_city_profile", app.base);

    let evil = a
        .post(&url)
        .header("Origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), 403);
    let null = a
        .post(&url)
        .header("Origin", "null")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(null.status(), 403);
    let bare = a.post(&url).form(&form).send().await.unwrap();
    assert_eq!(bare.status(), 403, "neither Origin nor Referer");
    let evil_referer = a
        .post(&url)
        .header("Referer", "https://evil.example/page")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(evil_referer.status(), 403);
    // A name that resolves to this server (DNS rebinding) brings its own Host header: only the
    // site's public address counts.
    let rebound = a
        .post(&url)
        .header("Host", "evil.example")
        .header("Origin", "http://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(rebound.status(), 403);
    assert_eq!(app.db.city_profile(lucca).await.unwrap().description_en, "");

    // Our own page's Referer stands in for a missing Origin.
    let ours = a
        .post(&url)
        .header(
            "Referer",
            format!("{}/en/coordinate/cities/lucca", app.base),
        )
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(ours.status(), 200);
    assert_eq!(
        app.db.city_profile(lucca).await.unwrap().description_en,
        "Hijacked"
    );
}
