//! Confirmation links that expired, were made up or were used, sending them again, and a
//! personal link replaced when it reached someone else.

use super::*;

const LATE: &str = "late@example.org";

/// The late club signs up: its confirmation link's token.
async fn late_sign_up(app: &TestApp) -> String {
    let commitments = app.commitments().await;
    let form = multipart(
        &filled("Circolo dei Ritardatari", LATE, ""),
        &commitments[..1],
        None,
    );
    assert_eq!(app.join(&browser(), form).await.0, 200, "{}", app.backend);
    token_in(&app.mail_to(LATE).await[0])
}

/// The confirmation link's time runs out.
async fn expire(app: &TestApp, token: &str) {
    let row = &app.adhesion_named("Ritardatari").await[0];
    let mut tx = app.db.begin_write().await.unwrap();
    db::pacts::renew_confirmation(
        &mut tx,
        row.id,
        &db::accounts::OneTimeToken::hash_of(token),
        chrono::Utc::now().timestamp() - 1,
        0,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn call_with_token(app: &TestApp, name: &str, token: &str) -> (u16, String) {
    let form = [("lang", "en"), ("token", token)];
    app.call(&browser(), name, &form).await
}

async fn resend(app: &TestApp, email: &str) -> u16 {
    let form = [("lang", "en"), ("slug", "lucca"), ("email", email)];
    app.call(&browser(), "pact_resend", &form).await.0
}

/// Signed up, confirmed, and the links asked for again: the mail so far and the personal
/// link's token.
async fn late_confirmed_and_resent(app: &TestApp) -> (Vec<String>, String) {
    let token = late_sign_up(app).await;
    let (status, body) = call_with_token(app, "pact_confirm", &token).await;
    assert_eq!(status, 200, "{}: {body}", app.backend);
    resend(app, LATE).await;
    let mail = app.mail_to(LATE).await;
    let personal = token_in(mail.last().unwrap());
    (mail, personal)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_link_says_so_on_its_page_and_is_refused() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        let old = late_sign_up(&app).await;
        expire(&app, &old).await;
        let (_, html) = app
            .page(&browser(), &format!("/en/pact/confirm?token={old}"))
            .await;
        assert!(html.contains("This link has expired"), "{b}: {html}");
        let (status, body) = call_with_token(&app, "pact_confirm", &old).await;
        assert_eq!(status, 422, "{b}: {body}");
        assert_eq!(
            problem_of(&body, "form").as_deref(),
            Some("LinkExpired"),
            "{b}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_made_up_link_opens_nothing_and_says_so_plainly() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        let (status, body) = call_with_token(&app, "pact_confirm", "made-up").await;
        assert_eq!((status, body.as_str()), (404, "\"LinkGone\""), "{b}");
        let (status, _) = app.page(&browser(), "/en/pact/confirm?token=made-up").await;
        assert_eq!(status, 404, "{b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn asking_again_for_an_unknown_address_gets_the_same_answer_and_no_mail() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        assert_eq!(resend(&app, "nobody@example.org").await, 200, "{b}");
        assert!(app.mail_to("nobody@example.org").await.is_empty(), "{b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_sent_again_replaces_the_expired_one() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        let old = late_sign_up(&app).await;
        expire(&app, &old).await;
        assert_eq!(resend(&app, LATE).await, 200, "{b}");
        let fresh = token_in(&app.mail_to(LATE).await[1]);
        let (status, _) = call_with_token(&app, "pact_confirm", &old).await;
        assert_eq!(status, 404, "{b}: the old link stays void");
        let (status, _) = call_with_token(&app, "pact_confirm", &fresh).await;
        assert_eq!(status, 200, "{b}");
        assert_eq!(
            app.adhesion_named("Ritardatari").await[0].status.as_str(),
            "pending",
            "{b}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn once_confirmed_asking_again_sends_the_same_personal_link_in_the_adhesions_language() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        let (mail, personal) = late_confirmed_and_resent(&app).await;
        assert!(
            app::mail::text_of(mail.last().unwrap().as_bytes())
                .unwrap()
                .contains("/it/pact/adhesion?token="),
            "{b}: in the adhesion's own language"
        );
        // Sent again unchanged: the one in the first mail goes on working.
        let first = mail
            .iter()
            .find(|m| {
                app::mail::text_of(m.as_bytes())
                    .unwrap()
                    .contains("pact/adhesion?token=")
            })
            .unwrap();
        assert_eq!(token_in(first), personal, "{b}: the same link again");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_personal_link_that_reached_someone_else_is_replaced_from_its_page() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        let (_, personal) = late_confirmed_and_resent(&app).await;
        let (_, html) = app
            .page(&browser(), &format!("/en/pact/adhesion?token={personal}"))
            .await;
        assert!(
            html.contains("Did this link reach someone else?")
                && html.contains("action=\"/api/pact_replace_link\""),
            "{b}: {html}"
        );
        let (status, body) = call_with_token(&app, "pact_replace_link", &personal).await;
        assert_eq!(status, 200, "{b}: {body}");
        // The new link goes to the contact address only, and the old one leads nowhere.
        let mail = app.mail_to(LATE).await;
        let replaced = token_in(mail.last().unwrap());
        assert_ne!(replaced, personal, "{b}");
        let text = app::mail::text_of(mail.last().unwrap().as_bytes()).unwrap();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            text.contains("Quello precedente non funziona più"),
            "{b}: the mail, in the adhesion's language, says the old link is void: {text}"
        );
        let (status, _) = call_with_token(&app, "pact_adhesion", &personal).await;
        assert_eq!(status, 404, "{b}: the old link");
        let (status, _) = call_with_token(&app, "pact_adhesion", &replaced).await;
        assert_eq!(status, 200, "{b}: the new link");
        let (status, html) = app
            .page(
                &browser(),
                "/en/cities/lucca/pact/resend?done=link-replaced",
            )
            .await;
        assert_eq!(status, 200, "{b}");
        assert!(html.contains("the previous one no longer works"), "{b}");
        let (status, _) = call_with_token(&app, "pact_replace_link", &personal).await;
        assert_eq!(status, 404, "{b}: the replaced link cannot replace again");
    }
}
