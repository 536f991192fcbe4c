//! Links sent by mail: password resets, invitations, e-mail changes, and what a password change
//! does to other sessions.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_that_cannot_be_used_costs_no_password_hash() {
    for backend in testkit::backends().await {
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

/// Chiara, Lucca's coordinator who reads Italian, asks for a reset from an English page: the
/// answer.
async fn chiara_asks_for_a_reset(app: &TestApp) -> (u16, String) {
    let lucca = app.city("lucca").await;
    app.user("chiara@example.org", "it", &[Role::City(lucca)])
        .await;
    let form = [("lang", "en"), ("email", "chiara@example.org")];
    app.call(&browser(), "request_reset", &form).await
}

/// Chiara's reset mail and its link's token.
async fn chiaras_reset_link(app: &TestApp) -> (String, String) {
    let (status, body) = chiara_asks_for_a_reset(app).await;
    assert_eq!(status, 200, "{}: {body}", app.backend);
    let mail = app.wait_for_mail("chiara@example.org", 1).await;
    assert_eq!(mail.len(), 1);
    let token = token_in(&mail[0]);
    (mail[0].clone(), token)
}

async fn reset(app: &TestApp, token: &str, password: &str, confirm: &str) -> (u16, String) {
    let form = [
        ("lang", "it"),
        ("token", token),
        ("password", password),
        ("confirm", confirm),
    ];
    app.call(&browser(), "reset_password", &form).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_request_answers_alike_for_known_and_unknown_addresses() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let known = chiara_asks_for_a_reset(&app).await;
        let form = [("lang", "en"), ("email", "nobody@example.org")];
        let unknown = app.call(&browser(), "request_reset", &form).await;
        assert_eq!(known, unknown, "{}: the answer does not tell", app.backend);
        assert_eq!(known.0, 200);
        app.wait_for_mail("chiara@example.org", 1).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(app.mail_to("nobody@example.org").await.is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_link_is_mailed_in_the_owners_language() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let (mail, _) = chiaras_reset_link(&app).await;
        assert!(
            mail.contains("Subject: Reimposta la password di Learning City"),
            "{mail}"
        );
        assert!(mail.contains("Content-Language: it"), "{mail}");
        assert!(mail.contains("multipart/alternative"), "{mail}");
        let text = app::mail::text_of(mail.as_bytes()).unwrap();
        assert!(text.contains("/it/account/new-password?token="), "{text}");
        assert!(text.contains("Buongiorno chiara,"), "{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reset_page_asks_for_the_password_twice_and_refuses_two_that_differ() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let (_, token) = chiaras_reset_link(&app).await;
        let page = browser()
            .get(format!(
                "{}/it/account/new-password?token={token}",
                app.base
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("name=\"confirm\""));
        let (s, body) = reset(&app, &token, "a brand new password", "a different one!!").await;
        assert_eq!(s, 422, "{body}");
        assert!(body.contains("PasswordsDiffer"), "{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_link_works_once_and_the_new_password_signs_in() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let (_, token) = chiaras_reset_link(&app).await;
        let new = "a brand new password";
        let (s, body) = reset(&app, &token, new, new).await;
        assert_eq!(s, 200, "{}: {body}", app.backend);
        let again = "yet another password";
        let (s, body) = reset(&app, &token, again, again).await;
        assert_eq!(s, 422, "{}: a used link", app.backend);
        assert!(body.contains("Link"), "{body}");
        let form = [
            ("lang", "it"),
            ("email", "chiara@example.org"),
            ("password", new),
        ];
        let (s, _) = app.call(&browser(), "sign_in", &form).await;
        assert_eq!(s, 200, "{}: new password", app.backend);
        app.assert_audited("user.password_reset").await;
    }
}

/// An administrator invites Marta to coordinate Lucca: her invitation mail.
async fn marta_invited(app: &TestApp) -> String {
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
    mail[0].clone()
}

async fn accept(
    app: &TestApp,
    marta: &reqwest::Client,
    token: &str,
    password: &str,
) -> (u16, String) {
    let form = [
        ("lang", "it"),
        ("token", token),
        ("name", "Marta Rossi"),
        ("password", password),
        ("confirm", password),
    ];
    app.call(marta, "accept_invitation", &form).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_is_mailed_in_the_new_coordinators_language_and_audited() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let mail = marta_invited(&app).await;
        assert!(
            mail.contains("Subject: Il tuo invito a Learning City"),
            "{mail}"
        );
        assert!(mail.contains("To: Marta <marta@comune.lucca.it>"), "{mail}");
        assert!(
            mail.contains("From: \"Learning City\" <no-reply@learning.example>"),
            "{mail}"
        );
        app.assert_audited("user.invite").await;
        app.assert_audited("role.grant").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_refuses_a_short_password_and_keeps_the_name_typed() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let token = token_in(&marta_invited(&app).await);
        let (s, body) = accept(&app, &browser(), &token, "short").await;
        assert_eq!(s, 422);
        assert!(
            body.contains("PasswordTooShort") && body.contains("Marta Rossi"),
            "{body}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_accepted_invitation_signs_in_to_a_dashboard_of_that_city_only() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let token = token_in(&marta_invited(&app).await);
        let marta = browser();
        let (s, _) = app.call(&marta, "dashboard", &[]).await;
        assert_eq!(s, 401, "not signed in yet");
        let (s, body) = accept(&app, &marta, &token, PASSWORD).await;
        assert_eq!(s, 200, "{}: {body}", app.backend);
        let (s, body) = app.call(&marta, "dashboard", &[]).await;
        assert_eq!(s, 200, "{body}");
        assert!(
            body.contains("\"slug\":\"lucca\"") && !body.contains("\"slug\":\"torino\""),
            "{body}"
        );
        assert!(body.contains("Marta Rossi"), "{body}");
        app.assert_audited("user.accept_invitation").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_ends_the_accounts_other_sessions() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
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
    let app = spawn_app(testkit::sqlite().await, &[]).await;
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
