//! Reminders sent once even with two instances, and a database outage passing without a restart.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reminders_go_out_once_at_the_times_set_even_with_two_instances() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let now = Utc::now();
        // Both of its reminders (24 h and 1 h) are due: one letter, not two.
        let soon = app.meeting_at(now + Duration::minutes(30)).await;
        // Only the 24-hour reminder is due.
        let tomorrow = app.meeting_at(now + Duration::hours(23)).await;
        let later = app.meeting_at(now + Duration::days(3)).await;
        let off = app.meeting_at(now + Duration::minutes(40)).await;
        for (occurrence, email) in [
            (soon, "ada@example.org"),
            (tomorrow, "bea@example.org"),
            (later, "cleo@example.org"),
            (off, "dora@example.org"),
        ] {
            app.register_and_confirm(occurrence, email).await;
        }
        // Registered but never confirmed: no seat, no reminder.
        app.register(&browser(), soon, "eve@example.org").await;
        let mut tx = app.db.begin_write().await.unwrap();
        meetings::cancel_occurrence(&mut tx, off, now.timestamp())
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let site = app::SiteInfo {
            public_url: app.base.clone(),
            mail_from: "Learning City <no-reply@learning.example>".into(),
            tiles: None,
            registration_days: Default::default(),
        };
        // Two instances run their minute's job at the same moment.
        let (a, b) = tokio::join!(
            app::calendar::ops::send_due_reminders(&app.db, &site),
            app::calendar::ops::send_due_reminders(&app.db, &site)
        );
        assert_eq!(a.unwrap() + b.unwrap(), 2, "{}", app.backend);
        assert_eq!(
            app::calendar::ops::send_due_reminders(&app.db, &site)
                .await
                .unwrap(),
            0,
            "{}: each reminder once",
            app.backend
        );
        let reminders = |mail: Vec<String>| {
            mail.into_iter()
                .filter(|m| subject_of(m).starts_with("Reminder"))
                .collect::<Vec<_>>()
        };
        let ada = reminders(app.mail_to("ada@example.org").await);
        assert_eq!(ada.len(), 1, "{}", app.backend);
        assert!(app::mail::text_of(ada[0].as_bytes())
            .unwrap()
            .contains(SECRET_LINK));
        assert_eq!(reminders(app.mail_to("bea@example.org").await).len(), 1);
        for nobody in ["cleo@example.org", "dora@example.org", "eve@example.org"] {
            assert!(
                reminders(app.mail_to(nobody).await).is_empty(),
                "{}: {nobody}",
                app.backend
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_is_a_translated_503_and_passes_without_a_restart() {
    use sqlx::Connection;
    let test_db = testkit::postgres().await;
    let database = url::Url::parse(&test_db.url).unwrap().path()[1..].to_owned();
    let app = spawn_app(test_db, &[("PAGE_CACHE_SECONDS", "0")]).await;
    let occurrence = app.meeting(None, "").await;
    let page = format!("/it/meetings/{occurrence}");
    assert_eq!(app.get(&page).await.0, 200);

    let mut admin = sqlx::PgConnection::connect(&testkit::postgres_admin_url())
        .await
        .unwrap();
    let close =
        |allow: bool| format!("ALTER DATABASE \"{database}\" WITH ALLOW_CONNECTIONS {allow}");
    sqlx::query(&close(false))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1")
        .bind(&database)
        .execute(&mut admin)
        .await
        .unwrap();

    let (status, html) = app.get(&page).await;
    assert_eq!(status, 503, "{html}");
    assert!(html.contains("Momentaneamente non disponibile"), "{html}");
    let (status, body) = app
        .register(&browser(), occurrence, "outage@example.org")
        .await;
    assert_eq!((status, body.as_str()), (503, "\"Unavailable\""));

    sqlx::query(&close(true)).execute(&mut admin).await.unwrap();
    let mut recovered = 0;
    for _ in 0..50 {
        recovered = app.get(&page).await.0;
        if recovered == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(recovered, 200, "the same server answers again");
    let (status, body) = app
        .register(&browser(), occurrence, "outage@example.org")
        .await;
    assert_eq!(status, 200, "{body}");
}
