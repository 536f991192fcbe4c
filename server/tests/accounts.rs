//! Coordinators' accounts through the real server on a loopback port, on SQLite and on
//! PostgreSQL: sign-in and throttling, reset and invitation links from the outbox, the role
//! boundary of every write, cross-site posts, the audit log and forms without JavaScript.

#[path = "../../db/tests/common/mod.rs"]
mod common;
mod support;

use domain::{Email, Role};
use std::time::{Duration, Instant};
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_sign_out_and_failures_that_do_not_tell_which_part_was_wrong() {
    for backend in common::backends().await {
        let app = spawn_app(backend, &[]).await;
        app.user("ada@example.org", "en", &[Role::Admin]).await;
        let client = browser();

        let (status, body) = app.call(&client, "me", &[]).await;
        assert_eq!((status, body.as_str()), (200, "null"), "{}", app.backend);

        let wrong = [
            ("lang", "en"),
            ("email", "ada@example.org"),
            ("password", "wrong password!"),
        ];
        let unknown = [
            ("lang", "en"),
            ("email", "nobody@example.org"),
            ("password", PASSWORD),
        ];
        let (s1, b1) = app.call(&client, "sign_in", &wrong).await;
        let (s2, b2) = app.call(&client, "sign_in", &unknown).await;
        assert_eq!(s1, 422, "{}: {b1}", app.backend);
        assert_eq!(s2, 422, "{}: {b2}", app.backend);
        assert!(b1.contains("Credentials"), "{b1}");
        // Same answer apart from the echoed address.
        assert_eq!(
            b1.replace("ada@example.org", "X"),
            b2.replace("nobody@example.org", "X"),
            "{}",
            app.backend
        );

        let (status, body) = app
            .call(
                &client,
                "sign_in",
                &[
                    ("lang", "en"),
                    ("email", "ADA@example.org "),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        let (_, me) = app.call(&client, "me", &[]).await;
        assert!(
            me.contains("\"email\":\"ada@example.org\"") && me.contains("\"admin\":true"),
            "{me}"
        );

        let (status, _) = app.call(&client, "sign_out", &[("lang", "it")]).await;
        assert_eq!(status, 200);
        let (_, me) = app.call(&client, "me", &[]).await;
        assert_eq!(me, "null", "{}: signed out", app.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_cookie_is_http_only_lax_and_secure_on_https() {
    let app = spawn_app(common::sqlite().await, &[]).await;
    app.user("ada@example.org", "en", &[Role::Admin]).await;
    let res = browser()
        .post(format!("{}/api/sign_in", app.base))
        .header("Origin", &app.base)
        .form(&[
            ("lang", "en"),
            ("email", "ada@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("lc_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain http keeps the cookie usable: {cookie}"
    );

    let app = spawn_app(
        common::sqlite().await,
        &[("PUBLIC_URL", "https://learning.example")],
    )
    .await;
    app.user("ada@example.org", "en", &[Role::Admin]).await;
    let res = browser()
        .post(format!("{}/api/sign_in", app.base))
        .header("Origin", "https://learning.example")
        .form(&[
            ("lang", "en"),
            ("email", "ada@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_addresses_cost_the_same_argon2_work() {
    let app = spawn_app(common::sqlite().await, &[]).await;
    app.user("ada@example.org", "en", &[Role::Admin]).await;
    let client = browser();
    // Alternate, so that load on the machine hits both alike; stay under the throttle (5).
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for i in 0..4 {
        known.push(failed_sign_in(&app, &client, "ada@example.org").await);
        unknown.push(failed_sign_in(&app, &client, &format!("x{i}@example.org")).await);
    }
    known.sort();
    unknown.sort();
    let (k, u) = (known[1].as_secs_f64(), unknown[1].as_secs_f64());
    // Without the dummy hash an unknown address answers in about a millisecond against tens.
    assert!(
        u > k / 3.0 && u < k * 3.0,
        "known {k:.4}s vs unknown {u:.4}s"
    );
}

async fn failed_sign_in(app: &TestApp, client: &reqwest::Client, email: &str) -> Duration {
    let started = Instant::now();
    let (status, _) = app
        .call(
            client,
            "sign_in",
            &[
                ("lang", "en"),
                ("email", email),
                ("password", "not the password"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    started.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_is_throttled_per_account_and_per_client() {
    for backend in common::backends().await {
        let app = spawn_app(backend, &[]).await;
        app.user("ada@example.org", "en", &[Role::Admin]).await;
        let client = browser();
        for _ in 0..5 {
            let (s, _) = app
                .call(
                    &client,
                    "sign_in",
                    &[
                        ("lang", "en"),
                        ("email", "ada@example.org"),
                        ("password", "wrong password!"),
                    ],
                )
                .await;
            assert_eq!(s, 422);
        }
        // Now even the right password waits: the address is locked for the window.
        let (s, body) = app
            .call(
                &client,
                "sign_in",
                &[
                    ("lang", "en"),
                    ("email", "ada@example.org"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(s, 429, "{}: {body}", app.backend);

        // Per client: 20 attempts over many addresses lock out the client, whatever address
        // (the refused one above counts too).
        for i in 0..14 {
            let email = format!("guess{i}@example.org");
            let (s, _) = app
                .call(
                    &client,
                    "sign_in",
                    &[
                        ("lang", "en"),
                        ("email", &email),
                        ("password", "wrong password!"),
                    ],
                )
                .await;
            assert_eq!(s, 422, "{}: attempt {i}", app.backend);
        }
        app.user("bob@example.org", "en", &[]).await;
        let (s, _) = app
            .call(
                &client,
                "sign_in",
                &[
                    ("lang", "en"),
                    ("email", "bob@example.org"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(s, 429, "{}: per-client limit", app.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_guesses_get_no_more_tries_than_the_lockout_allows() {
    for backend in common::backends().await {
        let app = spawn_app(backend, &[]).await;
        app.user("ada@example.org", "en", &[Role::Admin]).await;
        let before = app.passwords.runs();
        let guesses = (0..12).map(|i| {
            let (base, password) = (app.base.clone(), format!("wrong guess {i}!"));
            tokio::spawn(async move {
                browser()
                    .post(format!("{base}/api/sign_in"))
                    .header("Origin", &base)
                    .form(&[
                        ("lang", "en"),
                        ("email", "ada@example.org"),
                        ("password", password.as_str()),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        });
        let mut statuses = Vec::new();
        for guess in guesses.collect::<Vec<_>>() {
            statuses.push(guess.await.unwrap());
        }
        let checked = statuses.iter().filter(|s| **s == 422).count();
        let refused = statuses.iter().filter(|s| **s == 429).count();
        // Each guess is counted before it is checked, so however they interleave no more than
        // five reach Argon2 (fewer when several are counted before any is checked).
        assert!(checked <= 5, "{}: {statuses:?}", app.backend);
        assert_eq!(checked + refused, 12, "{}: {statuses:?}", app.backend);
        assert_eq!(
            app.passwords.runs() - before,
            checked as u64,
            "{}",
            app.backend
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_that_cannot_be_used_costs_no_password_hash() {
    for backend in common::backends().await {
        let app = spawn_app(backend, &[]).await;
        let client = browser();
        let before = app.passwords.runs();
        for _ in 0..3 {
            let (status, body) = app
                .call(
                    &client,
                    "reset_password",
                    &[
                        ("lang", "en"),
                        ("token", "not-a-token"),
                        ("password", "a brand new password"),
                        ("confirm", "a brand new password"),
                    ],
                )
                .await;
            assert_eq!(status, 422, "{}: {body}", app.backend);
            assert!(body.contains("Link"), "{body}");
            let (status, body) = app
                .call(
                    &client,
                    "accept_invitation",
                    &[
                        ("lang", "en"),
                        ("token", "not-a-token"),
                        ("name", "Eve"),
                        ("password", "a brand new password"),
                        ("confirm", "a brand new password"),
                    ],
                )
                .await;
            assert_eq!(status, 422, "{}: {body}", app.backend);
            assert!(body.contains("Link"), "{body}");
        }
        assert_eq!(app.passwords.runs(), before, "{}", app.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_forms_anyone_may_post_are_rate_limited_per_client() {
    let app = spawn_app(
        common::sqlite().await,
        &[("RATE_LIMIT_PER_MINUTE", "1"), ("RATE_LIMIT_BURST", "2")],
    )
    .await;
    let client = browser();
    let calls: [(&str, Form); 4] = [
        (
            "sign_in",
            &[
                ("lang", "en"),
                ("email", "a@example.org"),
                ("password", "x"),
            ],
        ),
        (
            "request_reset",
            &[("lang", "en"), ("email", "a@example.org")],
        ),
        (
            "reset_password",
            &[
                ("lang", "en"),
                ("token", "t"),
                ("password", "p"),
                ("confirm", "p"),
            ],
        ),
        (
            "accept_invitation",
            &[
                ("lang", "en"),
                ("token", "t"),
                ("name", "n"),
                ("password", "p"),
                ("confirm", "p"),
            ],
        ),
    ];
    // Each call takes one of the burst's two places: the third of any kind is refused.
    let (first, second) = (&calls[0], &calls[1]);
    assert_ne!(app.call(&client, first.0, first.1).await.0, 429);
    assert_ne!(app.call(&client, second.0, second.1).await.0, 429);
    for (name, form) in calls {
        let (status, body) = app.call(&client, name, form).await;
        assert_eq!(
            (status, body.as_str()),
            (429, "\"TooManyRequests\""),
            "{name}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_reset_link_works_once_in_the_owners_language() {
    for backend in common::backends().await {
        let app = spawn_app(backend, &[]).await;
        app.user(
            "chiara@example.org",
            "it",
            &[Role::City(app.city("lucca").await)],
        )
        .await;
        let client = browser();

        let known = app
            .call(
                &client,
                "request_reset",
                &[("lang", "en"), ("email", "chiara@example.org")],
            )
            .await;
        let unknown = app
            .call(
                &client,
                "request_reset",
                &[("lang", "en"), ("email", "nobody@example.org")],
            )
            .await;
        assert_eq!(known, unknown, "{}: the answer does not tell", app.backend);
        assert_eq!(known.0, 200);

        let mail = app.wait_for_mail("chiara@example.org", 1).await;
        assert_eq!(mail.len(), 1);
        assert!(
            mail[0].contains("Subject: Reimposta la password di Learning City"),
            "{}",
            mail[0]
        );
        assert!(mail[0].contains("Content-Language: it"), "{}", mail[0]);
        assert!(mail[0].contains("multipart/alternative"), "{}", mail[0]);
        let text = app::mail::text_of(mail[0].as_bytes()).unwrap();
        assert!(text.contains("/it/account/new-password?token="), "{text}");
        assert!(text.contains("Buongiorno chiara,"), "{text}");
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(app.mail_to("nobody@example.org").await.is_empty());

        let token = token_in(&mail[0]);
        let page = client
            .get(format!(
                "{}/it/account/new-password?token={token}",
                app.base
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("name=\"confirm\""));

        let (s, body) = app
            .call(
                &client,
                "reset_password",
                &[
                    ("lang", "it"),
                    ("token", &token),
                    ("password", "a brand new password"),
                    ("confirm", "a different one!!"),
                ],
            )
            .await;
        assert_eq!(s, 422, "{body}");
        assert!(body.contains("PasswordsDiffer"), "{body}");
        let (s, body) = app
            .call(
                &client,
                "reset_password",
                &[
                    ("lang", "it"),
                    ("token", &token),
                    ("password", "a brand new password"),
                    ("confirm", "a brand new password"),
                ],
            )
            .await;
        assert_eq!(s, 200, "{}: {body}", app.backend);
        let (s, body) = app
            .call(
                &client,
                "reset_password",
                &[
                    ("lang", "it"),
                    ("token", &token),
                    ("password", "yet another password"),
                    ("confirm", "yet another password"),
                ],
            )
            .await;
        assert_eq!(s, 422, "{}: a used link", app.backend);
        assert!(body.contains("Link"), "{body}");

        let (s, _) = app
            .call(
                &client,
                "sign_in",
                &[
                    ("lang", "it"),
                    ("email", "chiara@example.org"),
                    ("password", "a brand new password"),
                ],
            )
            .await;
        assert_eq!(s, 200, "{}: new password", app.backend);
        assert!(app
            .audit_actions()
            .await
            .contains(&"user.password_reset".to_owned()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_lets_a_new_coordinator_choose_a_password_and_manage_their_city() {
    for backend in common::backends().await {
        let app = spawn_app(backend, &[]).await;
        app.user("ada@example.org", "en", &[Role::Admin]).await;
        let admin = app.signed_in("ada@example.org").await;
        let (s, body) = app
            .call(
                &admin,
                "grant_role",
                &[
                    ("lang", "en"),
                    ("email", "marta@comune.lucca.it"),
                    ("name", "Marta"),
                    ("locale", "it"),
                    ("kind", "city"),
                    ("target", "lucca"),
                ],
            )
            .await;
        assert_eq!(s, 200, "{}: {body}", app.backend);

        let mail = app.mail_to("marta@comune.lucca.it").await;
        assert_eq!(mail.len(), 1, "{}", app.backend);
        assert!(
            mail[0].contains("Subject: Il tuo invito a Learning City"),
            "{}",
            mail[0]
        );
        assert!(
            mail[0].contains("To: Marta <marta@comune.lucca.it>"),
            "{}",
            mail[0]
        );
        assert!(
            mail[0].contains("From: \"Learning City\" <no-reply@learning.example>"),
            "{}",
            mail[0]
        );
        let token = token_in(&mail[0]);

        let marta = browser();
        let (s, _) = app.call(&marta, "dashboard", &[]).await;
        assert_eq!(s, 401, "not signed in yet");
        let (s, body) = app
            .call(
                &marta,
                "accept_invitation",
                &[
                    ("lang", "it"),
                    ("token", &token),
                    ("name", "Marta Rossi"),
                    ("password", "short"),
                    ("confirm", "short"),
                ],
            )
            .await;
        assert_eq!(s, 422);
        assert!(
            body.contains("PasswordTooShort") && body.contains("Marta Rossi"),
            "{body}"
        );
        let (s, body) = app
            .call(
                &marta,
                "accept_invitation",
                &[
                    ("lang", "it"),
                    ("token", &token),
                    ("name", "Marta Rossi"),
                    ("password", PASSWORD),
                    ("confirm", PASSWORD),
                ],
            )
            .await;
        assert_eq!(s, 200, "{}: {body}", app.backend);
        // The invitation signed her in; her dashboard lists Lucca and nothing else.
        let (s, body) = app.call(&marta, "dashboard", &[]).await;
        assert_eq!(s, 200, "{body}");
        assert!(
            body.contains("\"slug\":\"lucca\"") && !body.contains("\"slug\":\"torino\""),
            "{body}"
        );
        assert!(body.contains("Marta Rossi"), "{body}");

        let actions = app.audit_actions().await;
        for expected in ["user.invite", "role.grant", "user.accept_invitation"] {
            assert!(
                actions.contains(&expected.to_owned()),
                "{}: {actions:?}",
                app.backend
            );
        }
    }
}

/// What each kind of person may do: every writing server function (and the area's reads)
/// against administrator, coordinator of city A (Lucca), of city B (Torino), coordinator of a
/// cluster (entrepreneurship, which Torino leads) and anonymous.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_action_checks_the_role_for_that_very_record() {
    for backend in common::backends().await {
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
    for backend in common::backends().await {
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
    let app = spawn_app(common::sqlite().await, &[]).await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_ends_the_accounts_other_sessions() {
    let app = spawn_app(common::sqlite().await, &[]).await;
    app.user("a@example.org", "en", &[]).await;
    let phone = app.signed_in("a@example.org").await;
    let laptop = app.signed_in("a@example.org").await;
    let (s, body) = app
        .call(
            &phone,
            "change_password",
            &[
                ("lang", "en"),
                ("current", PASSWORD),
                ("password", "another good password"),
                ("confirm", "another good password"),
            ],
        )
        .await;
    assert_eq!(s, 200, "{body}");
    assert_ne!(
        app.call(&phone, "me", &[]).await.1,
        "null",
        "this session goes on"
    );
    assert_eq!(
        app.call(&laptop, "me", &[]).await.1,
        "null",
        "the other one ended"
    );

    let (s, body) = app
        .call(
            &phone,
            "change_password",
            &[
                ("lang", "en"),
                ("current", "wrong"),
                ("password", "x"),
                ("confirm", "x"),
            ],
        )
        .await;
    assert_eq!(s, 422);
    assert!(
        body.contains("CurrentPassword") && body.contains("PasswordTooShort"),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_change_takes_effect_from_the_link_sent_to_the_new_address() {
    let app = spawn_app(common::sqlite().await, &[]).await;
    app.user("a@example.org", "en", &[]).await;
    let a = app.signed_in("a@example.org").await;
    let (s, body) = app
        .call(
            &a,
            "change_email",
            &[
                ("lang", "en"),
                ("current", PASSWORD),
                ("email", "new@example.org"),
            ],
        )
        .await;
    assert_eq!(s, 200, "{body}");
    assert!(app
        .db
        .user_by_email(&Email::parse("a@example.org").unwrap())
        .await
        .unwrap()
        .is_some());
    let mail = app.mail_to("new@example.org").await;
    assert_eq!(mail.len(), 1);
    let token = token_in(&mail[0]);
    // A reset link already sent to the old address, which someone else may now read.
    let (s, _) = app
        .call(
            &browser(),
            "request_reset",
            &[("lang", "en"), ("email", "a@example.org")],
        )
        .await;
    assert_eq!(s, 200);
    let reset = token_in(&app.wait_for_mail("a@example.org", 1).await[0]);
    let (s, body) = app
        .call(
            &browser(),
            "confirm_email",
            &[("lang", "en"), ("token", &token)],
        )
        .await;
    assert_eq!(s, 200, "{body}");
    // Every session opened before the change ends; the old address's reset link opens nothing.
    let (s, me) = app.call(&a, "me", &[]).await;
    assert_eq!((s, me.as_str()), (200, "null"), "the old session ended");
    let (s, body) = app
        .call(
            &browser(),
            "reset_password",
            &[
                ("lang", "en"),
                ("token", &reset),
                ("password", "a brand new password"),
                ("confirm", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(s, 422, "{body}");
    assert!(body.contains("Link"), "{body}");
    assert!(app
        .db
        .user_by_email(&Email::parse("new@example.org").unwrap())
        .await
        .unwrap()
        .is_some());
    assert!(app
        .audit_actions()
        .await
        .contains(&"user.email_change".to_owned()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_posted_without_javascript_comes_back_with_its_error_and_values() {
    let app = spawn_app(common::sqlite().await, &[]).await;
    app.user("ada@example.org", "en", &[Role::Admin]).await;
    let client = browser();
    let page = format!("{}/it/account/sign-in", app.base);
    let res = client
        .post(format!("{}/api/sign_in", app.base))
        .header("Accept", "text/html")
        .header("Origin", &app.base)
        .header("Referer", &page)
        .form(&[
            ("lang", "it"),
            ("email", "ada@example.org"),
            ("password", "wrong password!"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let back = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.starts_with(&page) && back.contains("__err="), "{back}");

    let res = client.get(&back).send().await.unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("L&#x27;indirizzo e-mail o la password non sono corretti")
            || html.contains("L'indirizzo e-mail o la password non sono corretti"),
        "{html}"
    );
    assert!(
        html.contains("value=\"ada@example.org\""),
        "the address typed is kept"
    );

    let res = client
        .post(format!("{}/api/sign_in", app.base))
        .header("Accept", "text/html")
        .header("Origin", &app.base)
        .header("Referer", &page)
        .form(&[
            ("lang", "it"),
            ("email", "ada@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/it/coordinate");
    let dashboard = client
        .get(format!("{}/it/coordinate", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(dashboard.status(), 200);
    assert!(dashboard.text().await.unwrap().contains("Pannello"));
    let anonymous = browser()
        .get(format!("{}/it/coordinate", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

/// Posts `form` to `function` as a browser without JavaScript does, from `page`, and returns
/// the page it is sent back to.
async fn refused_without_javascript(
    app: &TestApp,
    client: &reqwest::Client,
    function: &str,
    page: &str,
    form: Form<'_>,
) -> String {
    let res = client
        .post(format!("{}/api/{function}", app.base))
        .header("Accept", "text/html")
        .header("Origin", &app.base)
        .header("Referer", page)
        .form(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "{function}");
    let back = res.headers()["location"].to_str().unwrap().to_owned();
    let res = client.get(&back).send().await.unwrap();
    assert_eq!(res.status(), 422, "{back}");
    res.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_form_keeps_only_a_bounded_part_of_what_was_typed() {
    let app = spawn_app(
        common::sqlite().await,
        &[("RATE_LIMIT_PER_MINUTE", "1"), ("RATE_LIMIT_BURST", "4")],
    )
    .await;
    app.user("ada@example.org", "en", &[Role::Admin]).await;
    let client = browser();
    let page = format!("{}/en/account/sign-in", app.base);
    // 30,000 letters are not an address; they come back cut to the first few thousand.
    let long = format!("{}@example.org", "a".repeat(30_000));
    let html = refused_without_javascript(
        &app,
        &client,
        "sign_in",
        &page,
        &[("lang", "en"), ("email", &long), ("password", "x")],
    )
    .await;
    let kept = html
        .split("value=\"")
        .filter_map(|rest| rest.split('"').next())
        .map(|v| v.matches('a').count())
        .max()
        .unwrap();
    assert!((1000..=4096).contains(&kept), "{kept} letters kept");

    // Signed in, a coordinator's refused forms are kept too, but not more often than the
    // public-write quota allows: one sign-in and three flashes use the burst of four.
    let client = app.signed_in("ada@example.org").await;
    let account = format!("{}/en/account", app.base);
    let form: Form = &[
        ("lang", "en"),
        ("current", "not my password"),
        ("email", "kept@example.org"),
    ];
    for _ in 0..3 {
        let html = refused_without_javascript(&app, &client, "change_email", &account, form).await;
        assert!(html.contains("kept@example.org"), "kept within the quota");
    }
    let html = refused_without_javascript(&app, &client, "change_email", &account, form).await;
    assert!(
        !html.contains("kept@example.org"),
        "over the quota: not kept"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_left_open_session_cannot_guess_the_password_faster_than_the_sign_in_form() {
    let app = spawn_app(common::sqlite().await, &[]).await;
    app.user("a@example.org", "en", &[]).await;
    let a = app.signed_in("a@example.org").await;
    let guess = |password: &'static str| {
        let a = &a;
        let app = &app;
        async move {
            app.call(
                a,
                "change_password",
                &[
                    ("lang", "en"),
                    ("current", password),
                    ("password", "a brand new password"),
                    ("confirm", "a brand new password"),
                ],
            )
            .await
        }
    };
    for _ in 0..5 {
        let (status, body) = guess("not my password").await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("CurrentPassword"), "{body}");
    }
    // The sixth try in the window is refused before any check, even with the right password.
    let (status, _) = guess(PASSWORD).await;
    assert_eq!(status, 429);
}

/// Moves the time every session of `app` says it was signed in to `ago` before now, as if
/// that long had passed: the store keeps the time inside the session's own record.
async fn signed_in_ago(app: &TestApp, ago: chrono::Duration) {
    use tower_sessions::session::Id;
    use tower_sessions::SessionStore;
    let ids: Vec<String> = match &app.db {
        db::Db::Sqlite(pool) => sqlx::query_scalar("SELECT id FROM tower_sessions")
            .fetch_all(pool)
            .await
            .unwrap(),
        db::Db::Postgres(pool) => sqlx::query_scalar("SELECT id FROM tower_sessions.session")
            .fetch_all(pool)
            .await
            .unwrap(),
    };
    assert!(!ids.is_empty(), "a session to age");
    let store = server::sessions::Store::open(&app.db).await.unwrap();
    for id in ids {
        let id: Id = id.parse().unwrap();
        let mut record = store.load(&id).await.unwrap().expect("the session");
        let at = (chrono::Utc::now() - ago).timestamp();
        assert!(
            record
                .data
                .insert("signed_in_at".into(), at.into())
                .is_some(),
            "a sign-in keeps its time"
        );
        store.save(&record).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_ends_seven_days_after_it_began_however_busy() {
    for test_db in common::backends().await {
        let app = spawn_app(test_db, &[]).await;
        app.user("a@example.org", "en", &[Role::Admin]).await;
        let client = app.signed_in("a@example.org").await;

        // Busy every day for almost a week: the idle timeout never ends it, and it still holds.
        signed_in_ago(
            &app,
            chrono::Duration::days(7) - chrono::Duration::minutes(1),
        )
        .await;
        assert_ne!(
            app.call(&client, "me", &[]).await.1,
            "null",
            "{}",
            app.backend
        );
        let res = client
            .get(format!("{}/en/coordinate", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{}: still signed in", app.backend);

        // A minute past the week the next request, however recent the last, is signed out.
        signed_in_ago(
            &app,
            chrono::Duration::days(7) + chrono::Duration::minutes(1),
        )
        .await;
        assert_eq!(
            app.call(&client, "me", &[]).await.1,
            "null",
            "{}",
            app.backend
        );
        let res = client
            .get(format!("{}/en/coordinate", app.base))
            .send()
            .await
            .unwrap();
        assert_ne!(
            res.status(),
            200,
            "{}: a coordinator page wants a sign-in",
            app.backend
        );
        // Signing in again starts a new week.
        let again = app.signed_in("a@example.org").await;
        assert_ne!(
            app.call(&again, "me", &[]).await.1,
            "null",
            "{}",
            app.backend
        );
    }
}
