//! Signing up for a date: seats and the waitlist under a crowd, bad input, the rate limit.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_sign_ups_at_once_fill_twenty_seats_and_the_rest_wait() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let occurrence = app.meeting(Some(20), "").await;
        let people: Vec<String> = (0..200).map(|i| format!("person{i}@example.org")).collect();

        // Everyone fills in the form at once…
        let registered = futures::future::join_all(people.iter().map(|email| {
            let app = &app;
            async move { app.register(&browser(), occurrence, email).await }
        }))
        .await;
        for (status, body) in &registered {
            assert_eq!(*status, 200, "{}: {body}", app.backend);
        }
        assert_eq!(
            app.statuses(occurrence).await,
            (0, 0, 200),
            "{}",
            app.backend
        );

        // …and everyone confirms from the mail at once.
        let mut tokens = Vec::new();
        for email in &people {
            let mail = app.mail_to(email).await;
            assert_eq!(
                mail.len(),
                1,
                "{}: one confirmation request to {email}",
                app.backend
            );
            tokens.push(token_in(&mail[0]));
        }
        let confirmed = futures::future::join_all(tokens.iter().map(|token| {
            let app = &app;
            async move {
                app.call(
                    &browser(),
                    "confirm_registration",
                    &[("lang", "en"), ("token", token)],
                )
                .await
            }
        }))
        .await;
        for (status, body) in &confirmed {
            assert_eq!(*status, 200, "{}: {body}", app.backend);
        }
        assert_eq!(
            app.statuses(occurrence).await,
            (20, 180, 0),
            "{}",
            app.backend
        );
        let row = app.db.occurrence(occurrence).await.unwrap();
        assert_eq!(row.taken, 20, "{}: the seat counter agrees", app.backend);

        // The seated got the link and a calendar entry; the waiting did not get the link.
        let mut seated = Vec::new();
        let mut waiting = Vec::new();
        for (email, token) in people.iter().zip(&tokens) {
            let mail = app.mail_to(email).await;
            assert_eq!(mail.len(), 2, "{}", app.backend);
            let text = app::mail::text_of(mail[1].as_bytes()).unwrap();
            if subject_of(&mail[1]).starts_with("Registered") {
                assert!(text.contains(SECRET_LINK), "{}", app.backend);
                assert!(
                    mail[1].contains("text/calendar"),
                    "{}: .ics attached",
                    app.backend
                );
                seated.push((email.clone(), token.clone()));
            } else {
                assert!(!mail[1].contains(SECRET_LINK), "{}", app.backend);
                waiting.push(email.clone());
            }
        }
        assert_eq!((seated.len(), waiting.len()), (20, 180), "{}", app.backend);
    }
}

/// One seat: Ada holds it and Bea waits. Their personal links' tokens.
async fn one_seat_for_two(app: &TestApp) -> (i64, String, String) {
    let occurrence = app.meeting(Some(1), "").await;
    let ada = app
        .register_and_confirm(occurrence, "ada@example.org")
        .await;
    let bea = app
        .register_and_confirm(occurrence, "bea@example.org")
        .await;
    assert_eq!(app.statuses(occurrence).await, (1, 1, 0), "{}", app.backend);
    (occurrence, ada, bea)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registering_again_keeps_the_one_seat_and_says_so() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let (occurrence, _, _) = one_seat_for_two(&app).await;
        let (status, body) = app
            .register(&browser(), occurrence, "ada@example.org")
            .await;
        assert_eq!(
            (status, body.as_str()),
            (200, "\"Already\""),
            "{}",
            app.backend
        );
        assert_eq!(app.statuses(occurrence).await, (1, 1, 0), "{}", app.backend);
    }
}

async fn cancel(app: &TestApp, token: &str) -> (u16, String) {
    let form = [("lang", "en"), ("token", token)];
    app.call(&browser(), "cancel_registration", &form).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_seat_goes_to_the_first_waiting_who_is_told_once() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let (occurrence, ada, _) = one_seat_for_two(&app).await;
        let (status, body) = cancel(&app, &ada).await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        assert_eq!(app.statuses(occurrence).await, (1, 0, 0), "{}", app.backend);
        let mail = app.mail_to("bea@example.org").await;
        let promoted: Vec<_> = mail
            .iter()
            .filter(|m| subject_of(m).starts_with("Registered"))
            .collect();
        assert_eq!(
            promoted.len(),
            1,
            "{}: promoted and mailed once",
            app.backend
        );
        assert!(app::mail::text_of(promoted[0].as_bytes())
            .unwrap()
            .contains(SECRET_LINK));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_twice_changes_nothing_more() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let (occurrence, ada, _) = one_seat_for_two(&app).await;
        assert_eq!(cancel(&app, &ada).await.0, 200, "{}", app.backend);
        let mail = app.mail_to("bea@example.org").await.len();
        let (status, _) = cancel(&app, &ada).await;
        assert_eq!(status, 200, "{}", app.backend);
        assert_eq!(app.statuses(occurrence).await, (1, 0, 0), "{}", app.backend);
        assert_eq!(
            app.mail_to("bea@example.org").await.len(),
            mail,
            "{}",
            app.backend
        );
    }
}

/// Fields sent, and the fields expected to be named in the answer.
type Case<'a> = (&'a [(&'a str, &'a str)], &'a [&'a str]);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_registrations_get_messages_per_field_and_keep_what_was_typed() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let occurrence = app.meeting(Some(5), "").await;
    let id = occurrence.to_string();
    let long = "x".repeat(1001);
    let cases: [Case; 4] = [
        (
            &[("name", ""), ("email", "")],
            &["name", "email", "consent"],
        ),
        (
            &[
                ("name", "Ada"),
                ("email", "not-an-address"),
                ("consent", "yes"),
            ],
            &["email"],
        ),
        (
            &[
                ("name", "Ada"),
                ("email", "ada@example.org"),
                ("needs", &long),
                ("consent", "yes"),
            ],
            &["needs"],
        ),
        (
            &[
                ("name", "Ada\u{7}"),
                ("email", "ada@example.org"),
                ("consent", "yes"),
            ],
            &["name"],
        ),
    ];
    for (fields, expected) in cases {
        let mut form = vec![("lang", "en"), ("occurrence", id.as_str())];
        form.extend_from_slice(fields);
        let (status, body) = app.call(&browser(), "register", &form).await;
        assert_eq!(status, 422, "{fields:?}: {body}");
        let error: serde_json::Value = serde_json::from_str(&body).unwrap();
        let problems: HashSet<String> = error["Invalid"]["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p[0].as_str().unwrap().to_owned())
            .collect();
        let expected: HashSet<String> = expected.iter().map(|s| s.to_string()).collect();
        assert_eq!(problems, expected, "{fields:?}");
        let kept: Vec<String> = error["Invalid"]["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v[0].as_str().unwrap().to_owned())
            .collect();
        assert!(kept.contains(&"name".to_owned()) && kept.contains(&"email".to_owned()));
    }
    assert_eq!(app.statuses(occurrence).await, (0, 0, 0));
    // An unknown occurrence is a 404, not a 500.
    let (status, _) = app.register(&browser(), 987_654, "ada@example.org").await;
    assert_eq!(status, 404);
    // The honeypot: answered like a person, nothing stored, nothing sent.
    let (status, _) = app
        .call(
            &browser(),
            "register",
            &[
                ("lang", "en"),
                ("occurrence", &id),
                ("name", "Bot"),
                ("email", "bot@example.org"),
                ("consent", "yes"),
                ("website", "http://spam.example"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.statuses(occurrence).await, (0, 0, 0));
    assert!(app.mail_to("bot@example.org").await.is_empty());
    // A name with markup is stored as typed and shown as text.
    let client = browser();
    app.register(&client, occurrence, "eve@example.org").await;
    let mail = app.mail_to("eve@example.org").await;
    let token = token_in(&mail[0]);
    let (status, html) = app.get(&format!("/en/registration?token={token}")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("<b>di</b>"), "titles are escaped");
    assert!(html.contains("Tavolo &lt;b&gt;di&lt;/b&gt; prova"));
    // A made-up personal link says so, with a 4xx.
    let (status, _) = app.get("/en/registration?token=made-up").await;
    assert!((400..500).contains(&status), "{status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_registering_too_often_is_slowed_down_with_a_translated_message() {
    let app = spawn_app(
        testkit::sqlite().await,
        &[("RATE_LIMIT_PER_MINUTE", "1"), ("RATE_LIMIT_BURST", "3")],
    )
    .await;
    let occurrence = app.meeting(None, "").await;
    for i in 0..3 {
        let (status, body) = app
            .register(&browser(), occurrence, &format!("p{i}@example.org"))
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = app.register(&browser(), occurrence, "p3@example.org").await;
    assert_eq!((status, body.as_str()), (429, "\"TooManyRequests\""));
    assert!(
        app.mail_to("p3@example.org").await.is_empty(),
        "nothing stored"
    );
    // A plain form post goes back to its page, which says why with the same status.
    let page = format!("{}/it/meetings/{occurrence}", app.base);
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::limited(3))
        .build()
        .unwrap();
    let id = occurrence.to_string();
    let res = plain
        .post(format!("{}/api/register", app.base))
        .header("Origin", &app.base)
        .header("Referer", &page)
        .header("Accept", "text/html")
        .form(&[
            ("lang", "it"),
            ("occurrence", id.as_str()),
            ("name", "Ada"),
            ("email", "ada@example.org"),
            ("consent", "yes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 429);
    let html = res.text().await.unwrap();
    assert!(html.contains("Troppi tentativi"), "translated: {html}");
    // Other pages and reads are not counted.
    let (status, _) = app.get(&format!("/en/meetings/{occurrence}")).await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_sign_ups_at_once_for_fifty_seats() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let b = app.backend;
        let occurrence = app.meeting(Some(50), "").await;
        let people: Vec<String> = (0..1000).map(|i| format!("crowd{i}@example.org")).collect();
        let client = browser();
        let started = std::time::Instant::now();
        let registered = futures::future::join_all(people.iter().map(|email| {
            let (app, client) = (&app, &client);
            async move { app.register(client, occurrence, email).await }
        }))
        .await;
        let registering = started.elapsed();
        for (status, body) in &registered {
            assert_eq!(*status, 200, "{b}: {body}");
        }
        assert_eq!(app.statuses(occurrence).await, (0, 0, 1000), "{b}");

        // Each person's link, as their mail carries it (derived as the server derives it).
        let key = app.db.stored_link_key().await.unwrap();
        let nonces: Vec<String> = db::on_pool!(&app.db, |pool| {
            sqlx::query_scalar("SELECT link_nonce FROM registrations WHERE occurrence_id = $1")
                .bind(occurrence)
                .fetch_all(pool)
                .await
                .unwrap()
        });
        let tokens: Vec<String> = nonces.iter().map(|n| key.link(n).secret).collect();
        let started = std::time::Instant::now();
        let confirmed = futures::future::join_all(tokens.iter().map(|token| {
            let (app, client) = (&app, &client);
            async move {
                app.call(
                    client,
                    "confirm_registration",
                    &[("lang", "en"), ("token", token)],
                )
                .await
            }
        }))
        .await;
        let confirming = started.elapsed();
        for (status, body) in &confirmed {
            assert_eq!(*status, 200, "{b}: {body}");
        }
        assert_eq!(app.statuses(occurrence).await, (50, 950, 0), "{b}");
        assert_eq!(
            app.db.occurrence(occurrence).await.unwrap().taken,
            50,
            "{b}"
        );
        println!(
            "{b}: 1,000 registrations in {registering:?}, 1,000 confirmations in {confirming:?}"
        );
    }
}
