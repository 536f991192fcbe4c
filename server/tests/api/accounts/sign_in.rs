//! Signing in and out: answers that do not tell which part was wrong, the session cookie,
//! Argon2 work, throttling, and how long a sign-in lasts.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_sign_out_and_failures_that_do_not_tell_which_part_was_wrong() {
    for backend in testkit::backends().await {
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
    let app = spawn_app(testkit::sqlite().await, &[]).await;
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
        testkit::sqlite().await,
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
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    app.user("ada@example.org", "en", &[Role::Admin]).await;
    let client = browser();
    // Without the dummy hash an unknown address would answer without running Argon2, in about
    // a millisecond against tens: counting the runs shows it without timing anything (the
    // timing itself is bench/sign-in-timing.sh). Four of each stay under the throttle (5).
    for i in 0..4 {
        let known = argon2_runs_of_a_failed_sign_in(&app, &client, "ada@example.org").await;
        let unknown = format!("x{i}@example.org");
        let unknown = argon2_runs_of_a_failed_sign_in(&app, &client, &unknown).await;
        assert_eq!((known, unknown), (1, 1), "attempt {i}: known, unknown");
    }
}

/// How many times Argon2 ran for one refused sign-in of `email`.
async fn argon2_runs_of_a_failed_sign_in(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
) -> u64 {
    let before = app.passwords.runs();
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
    app.passwords.runs() - before
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_is_throttled_per_account_and_per_client() {
    for backend in testkit::backends().await {
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
    for backend in testkit::backends().await {
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
async fn a_left_open_session_cannot_guess_the_password_faster_than_the_sign_in_form() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
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
    for test_db in testkit::backends().await {
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
