//! The same organisation or pact sent many times at once, and the rate limit.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_organisation_sent_twice_at_once_is_stored_once() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        let commitments = app.commitments().await;
        for round in 0..3 {
            let name = format!("Associazione Doppio Invio {round}");
            let email = format!("doppio{round}@example.org");
            let fields = filled(&name, &email, if round == 0 { "01590130462" } else { "" });
            let sends = (0..6).map(|_| {
                let form = multipart(&fields, &commitments[..1], None);
                let app = &app;
                async move { app.join(&browser(), form).await }
            });
            let answers = futures::future::join_all(sends).await;
            let ok = answers.iter().filter(|(s, _)| *s == 200).count();
            assert_eq!(ok, 1, "{b} round {round}: {answers:?}");
            for (status, body) in answers.iter().filter(|(s, _)| *s != 200) {
                assert_eq!(*status, 422, "{b}: {body}");
                assert_eq!(
                    problem_of(body, "form").as_deref(),
                    Some("Duplicate"),
                    "{b}"
                );
            }
            assert_eq!(app.adhesion_named(&name).await.len(), 1, "{b}");
            assert_eq!(app.mail_to(&email).await.len(), 1, "{b}: one confirmation");
        }
        // The same tax code under another name and address: filed like any other (the answer
        // tells nobody that the organisation adheres), and refused when confirmed once the
        // first is.
        let form = multipart(
            &filled("Altro nome", "altro@example.org", "IT 01590130462"),
            &commitments[..1],
            None,
        );
        let (status, body) = app.join(&browser(), form).await;
        assert_eq!(status, 200, "{b}: {body}");
        let app = &app;
        let confirm = |email: &'static str| async move {
            let token = token_in(&app.mail_to(email).await[0]);
            app.call(
                &browser(),
                "pact_confirm",
                &[("lang", "en"), ("token", &token)],
            )
            .await
        };
        let (status, body) = confirm("doppio0@example.org").await;
        assert_eq!(status, 200, "{b}: {body}");
        let (status, body) = confirm("altro@example.org").await;
        assert_eq!(
            (status, problem_of(&body, "form").as_deref()),
            (422, Some("TaxCodeTaken")),
            "{b}"
        );
        assert_eq!(
            app.adhesion_named("Altro nome").await[0].status.as_str(),
            "unconfirmed"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_signing_up_too_often_is_slowed_down() {
    for test_db in testkit::backends().await {
        let app = spawn_app(
            test_db,
            &[("RATE_LIMIT_PER_MINUTE", "1"), ("RATE_LIMIT_BURST", "2")],
        )
        .await;
        let b = app.backend;
        let commitments = app.commitments().await;
        let mut statuses = Vec::new();
        for i in 0..3 {
            let form = multipart(
                &filled(&format!("Bot {i}"), &format!("bot{i}@example.org"), ""),
                &commitments[..1],
                None,
            );
            statuses.push(app.join(&browser(), form).await.0);
        }
        assert_eq!(statuses, [200, 200, 429], "{b}");
        assert_eq!(app.adhesion_named("Bot").await.len(), 2, "{b}");
        // Without JavaScript the form comes back to its page with the message.
        let res = browser()
            .post(format!("{}/api/pact_join", app.base))
            .header("Origin", &app.base)
            .header("Accept", "text/html")
            .header("Referer", format!("{}/en/cities/lucca/pact/join", app.base))
            .multipart(multipart(
                &filled("Bot 9", "bot9@example.org", ""),
                &commitments[..1],
                None,
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303, "{b}");
        let location = res.headers()["location"].to_str().unwrap().to_owned();
        let (status, html) = app
            .page(&browser(), location.trim_start_matches(&app.base))
            .await;
        assert_eq!(status, 429, "{b}");
        assert!(html.contains("Too many"), "{b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_crowd_signing_the_pact_with_duplicates_leaves_one_adhesion_each() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        let commitments = app.commitments().await;
        // Sixty organisations send their form three times each, all at once; ten more use the
        // tax codes of the first ten under other names and addresses.
        let mut forms = Vec::new();
        for i in 0..60u64 {
            let fields = filled(
                &format!("Folla {i}"),
                &format!("folla{i}@example.org"),
                &partita_iva(1_000 + i),
            );
            for _ in 0..3 {
                forms.push(fields.clone());
            }
        }
        for i in 0..10u64 {
            forms.push(filled(
                &format!("Altra {i}"),
                &format!("altra{i}@example.org"),
                &partita_iva(1_000 + i),
            ));
        }
        let started = std::time::Instant::now();
        let answers = futures::future::join_all(forms.iter().map(|fields| {
            let (app, commitments) = (&app, &commitments);
            async move {
                app.join(&browser(), multipart(fields, &commitments[..1], None))
                    .await
            }
        }))
        .await;
        let filing = started.elapsed();
        let ok = answers.iter().filter(|(s, _)| *s == 200).count();
        for (status, body) in answers.iter().filter(|(s, _)| *s != 200) {
            assert_eq!(*status, 422, "{b}: {body}");
            assert_eq!(
                problem_of(body, "form").as_deref(),
                Some("Duplicate"),
                "{b}: {body}"
            );
        }
        assert_eq!(ok, 70, "{b}: one per organisation and address");

        // Everyone confirms at once: per tax code, the first confirmation wins.
        let mut tokens = Vec::new();
        for i in 0..60 {
            tokens.push(token_in(
                &app.mail_to(&format!("folla{i}@example.org")).await[0],
            ));
        }
        for i in 0..10 {
            tokens.push(token_in(
                &app.mail_to(&format!("altra{i}@example.org")).await[0],
            ));
        }
        let started = std::time::Instant::now();
        let confirmed = futures::future::join_all(tokens.iter().map(|token| {
            let app = &app;
            async move {
                app.call(
                    &browser(),
                    "pact_confirm",
                    &[("lang", "en"), ("token", token)],
                )
                .await
            }
        }))
        .await;
        let confirming = started.elapsed();
        let mut taken = 0;
        for (status, body) in &confirmed {
            match status {
                200 => {}
                422 if problem_of(body, "form").as_deref() == Some("TaxCodeTaken") => taken += 1,
                other => panic!("{b}: {other} {body}"),
            }
        }
        assert_eq!(taken, 10, "{b}: one of each pair sharing a tax code");
        for i in 0..10 {
            let names = [format!("Folla {i}"), format!("Altra {i}")];
            let mut rows = app.adhesion_named(&names[0]).await;
            rows.extend(app.adhesion_named(&names[1]).await);
            rows.retain(|r| names.contains(&r.organisation));
            let live = rows
                .iter()
                .filter(|r| r.status.as_str() == "pending")
                .count();
            assert_eq!(live, 1, "{b}: tax code of pair {i}");
        }
        println!("{b}: 190 sign-ups in {filing:?}, 70 confirmations in {confirming:?}");
    }
}

/// More saves at once than the SQLite pool has connections: the one holding the write lock must
/// never need a second connection, which the others, queued for the lock, would all be holding
/// (until every one of them gave up with a 503 after the busy timeout).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pact_saved_many_times_at_once_is_created_once_and_no_save_waits_out() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        let chengdu = app.city("chengdu").await;
        app.user("coord@chengdu.example.org", "en", &[Role::City(chengdu)])
            .await;
        let me = app.signed_in("coord@chengdu.example.org").await;
        let saves = (0..24).map(|n| {
            let me = me.clone();
            let app = &app;
            async move {
                let text = format!("## Premessa\n\nVersione {n}.");
                app.call(
                    &me,
                    "pact_save",
                    &[
                        ("lang", "en"),
                        ("slug", "chengdu"),
                        ("title_en", "Pact for Lifelong Learning"),
                        ("title_it", "Patto per l'apprendimento permanente"),
                        ("text_it", &text),
                    ],
                )
                .await
            }
        });
        let started = std::time::Instant::now();
        for (status, body) in futures::future::join_all(saves).await {
            assert_eq!(status, 200, "{b}: {body}");
        }
        // The busy timeout is 10 s: a save that waited it out would show here too.
        assert!(
            started.elapsed().as_secs() < 10,
            "{b}: {:?}",
            started.elapsed()
        );
        let actions = app.audit_actions().await;
        let created = actions.iter().filter(|a| *a == "pact.create").count();
        assert_eq!(created, 1, "{b}: {actions:?}");
        let (status, html) = app.page(&browser(), "/en/cities/chengdu/pact").await;
        assert_eq!(status, 200, "{b}");
        assert!(html.contains("Pact for Lifelong Learning"), "{b}");
    }
}
