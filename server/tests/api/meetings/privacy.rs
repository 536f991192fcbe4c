//! Personal data and personal links: how long they last, and what the link's page shows.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_data_go_when_the_privacy_notice_says() {
    let retention = server::config::Retention {
        pact_days: 90,
        unconfirmed_registration_days: 7,
        registration_days: 30,
        mail_days: 30,
    };
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let occurrence = app.meeting(None, "").await;
        let token = app
            .register_and_confirm(occurrence, "kept@example.org")
            .await;
        let (status, _) = app
            .register(&browser(), occurrence, "never@example.org")
            .await;
        assert_eq!(status, 200);
        let sent = chrono::Utc::now();
        let listed = app.db.outbox(100).await.unwrap();
        let (first, rest) = listed.split_first().unwrap();
        for m in rest {
            assert!(app.db.mark_sent(m.id, sent).await.unwrap());
        }
        let days = |n| Utc::now() + Duration::days(n);

        // A week and a day on: the registration never confirmed is gone, the other is whole.
        let f = server::forget(&app.db, retention, days(8)).await.unwrap();
        assert_eq!(
            (f.registrations_purged, f.registrations_erased),
            (1, 0),
            "{}",
            app.backend
        );
        let rows = app.db.registrations(occurrence).await.unwrap();
        assert_eq!(rows.len(), 1, "{}", app.backend);
        assert_eq!(rows[0].email, "kept@example.org");

        // Thirty days after the date: the status stays for the counts, the person does not;
        // their link no longer opens anything. Sent mail goes, mail still to send stays.
        let f = server::forget(&app.db, retention, days(33)).await.unwrap();
        assert_eq!(f.registrations_erased, 1, "{}", app.backend);
        assert_eq!(f.mail_deleted, rest.len() as u64, "{}", app.backend);
        let rows = app.db.registrations(occurrence).await.unwrap();
        assert_eq!(app.statuses(occurrence).await, (1, 0, 0), "{}", app.backend);
        let row = &rows[0];
        assert!(row.name.is_empty() && row.organisation.is_empty() && row.needs.is_empty());
        assert!(row.email.starts_with("erased:"), "{}", row.email);
        let (status, _) = app.get(&format!("/en/registration?token={token}")).await;
        assert!((400..500).contains(&status), "{}: {status}", app.backend);
        let left: Vec<i64> = app
            .db
            .outbox(100)
            .await
            .unwrap()
            .iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(left, vec![first.id], "{}", app.backend);
        // Nothing more to do the next time.
        let f = server::forget(&app.db, retention, days(33)).await.unwrap();
        assert_eq!(f, server::Forgotten::default(), "{}", app.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_personal_link_lasts_as_long_as_its_registration() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let b = app.backend;
        let occurrence = app.meeting(Some(1), "").await;
        let id = occurrence.to_string();
        let page = |t: &str| format!("/en/registration?token={t}");
        let ada = app
            .register_and_confirm(occurrence, "ada@example.org")
            .await;

        // Someone else types Ada's address under another name: Ada is written to, by her own
        // name, with the link she already has, which keeps working.
        let form = [
            ("lang", "en"),
            ("occurrence", id.as_str()),
            ("name", "Mallory"),
            ("email", "ada@example.org"),
            ("consent", "yes"),
        ];
        let (status, body) = app.call(&browser(), "register", &form).await;
        assert_eq!(status, 200, "{b}: {body}");
        let again = app.mail_to("ada@example.org").await.pop().unwrap();
        assert!(
            again.contains("Hello ada,") && !again.contains("Mallory"),
            "{b}: {again}"
        );
        assert_eq!(token_in(&again), ada, "{b}");
        assert_eq!(app.get(&page(&ada)).await.0, 200, "{b}");

        // Bea waits; Ada cancels; the mail that gives Bea the seat carries Bea's first link,
        // and her calendar entry still opens.
        let bea = app
            .register_and_confirm(occurrence, "bea@example.org")
            .await;
        assert_eq!(app.statuses(occurrence).await, (1, 1, 0), "{b}");
        let (status, _) = app
            .call(
                &browser(),
                "cancel_registration",
                &[("lang", "en"), ("token", &ada)],
            )
            .await;
        assert_eq!(status, 200, "{b}");
        let promoted = app.mail_to("bea@example.org").await.pop().unwrap();
        assert_eq!(token_in(&promoted), bea, "{b}");
        assert_eq!(app.get(&page(&bea)).await.0, 200, "{b}");
        let ics = app
            .get(&format!("/feeds/registration.ics?token={bea}"))
            .await;
        assert_eq!(ics.0, 200, "{b}");
        assert_eq!(
            app.get(&page(&ada)).await.0,
            200,
            "{b}: a cancelled registration's page"
        );

        // Replaced on request: the new link goes to the mailbox only, the old one is gone.
        let (status, body) = app
            .call(
                &browser(),
                "replace_registration_link",
                &[("lang", "en"), ("token", &bea)],
            )
            .await;
        assert_eq!(status, 200, "{b}: {body}");
        assert!(!body.contains(&bea), "{b}");
        let new = token_in(&app.mail_to("bea@example.org").await.pop().unwrap());
        assert_ne!(new, bea, "{b}");
        assert_eq!(app.get(&page(&new)).await.0, 200, "{b}");
        let (status, html) = app.get(&page(&bea)).await;
        assert_eq!(status, 404, "{b}");
        assert!(html.contains("This link is no longer valid"), "{b}: {html}");
        let (status, html) = app.get(&page("made-up")).await;
        assert_eq!(status, 404, "{b}");
        assert!(
            html.contains("register again with the same e-mail address"),
            "{b}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmed_registrations_page_names_the_venue() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let start = (Utc::now() + Duration::days(3)).date_naive();
    let texts = Texts {
        title: "Tavolo delle biblioteche",
        description: "",
        place: "Sala degli Specchi",
    };
    let occurrence = app
        .meeting_with(
            &format!("{start}T17:30"),
            &format!("{start}T19:00"),
            None,
            "",
            texts,
        )
        .await;
    let token = app
        .register_and_confirm(occurrence, "ada@example.org")
        .await;
    let (status, html) = app.get(&format!("/en/registration?token={token}")).await;
    assert_eq!(status, 200);
    let at = html
        .find("<dt>Where<")
        .unwrap_or_else(|| panic!("where the meeting is: {html}"));
    let dd = &html[at..];
    let dd = &dd[..dd.find("</dd>").expect("its value")];
    assert!(dd.contains("Sala degli Specchi"), "{dd}");
}
