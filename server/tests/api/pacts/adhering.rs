//! An adhesion's life through the real server: an organisation signs up and confirms from the
//! mail, Lucca's coordinators approve it, it is listed with its logo, certificate, badge and open
//! data, its own page gives its data back, and it withdraws.

use super::*;

const MUSEUM: &str = "Museo dei Burattini";
const MUSEUM_MAIL: &str = "info@burattini.example.org";

/// The museum signs up from the Italian page, with two commitments and a logo: the
/// confirmation link's token.
async fn museum_signs_up(app: &TestApp) -> String {
    let commitments = app.commitments().await;
    let form = multipart(
        &filled(MUSEUM, MUSEUM_MAIL, "00743110157"),
        &commitments[..2],
        Some((PNG, "logo.png")),
    );
    let (status, body) = app.join(&browser(), form).await;
    assert_eq!(status, 200, "{}: {body}", app.backend);
    token_in(&app.mail_to(MUSEUM_MAIL).await[0])
}

async fn confirm(app: &TestApp, token: &str) -> (u16, String) {
    let form = [("lang", "it"), ("token", token)];
    app.call(&browser(), "pact_confirm", &form).await
}

/// Signed up and confirmed: the personal link's token.
async fn museum_confirmed(app: &TestApp) -> String {
    let token = museum_signs_up(app).await;
    let (status, body) = confirm(app, &token).await;
    assert_eq!(status, 200, "{}: {body}", app.backend);
    token_in(&app.mail_to(MUSEUM_MAIL).await[1])
}

fn approve(id: &str) -> [(&str, &str); 3] {
    [("lang", "en"), ("id", id), ("decision", "approve")]
}

/// The museum approved by Lucca's coordinator.
struct Approved {
    id: String,
    personal: String,
    c: Coordinators,
}

async fn museum_approved(app: &TestApp) -> Approved {
    let personal = museum_confirmed(app).await;
    let c = coordinators(app).await;
    let id = app.adhesion_named(MUSEUM).await[0].id.to_string();
    let (status, body) = app.call(&c.me, "pact_decide", &approve(&id)).await;
    assert_eq!(status, 200, "{}: {body}", app.backend);
    Approved { id, personal, c }
}

async fn listed(app: &TestApp) -> bool {
    let (_, list) = app
        .page(&browser(), "/en/cities/lucca/pact?q=burattini")
        .await;
    list.contains(MUSEUM)
}

async fn logo(app: &TestApp, id: &str) -> reqwest::Response {
    browser()
        .get(format!("{}/pact-logos/{id}.png", app.base))
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_join_form_carries_files() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        let (status, html) = app.page(&browser(), "/it/cities/lucca/pact/join").await;
        assert_eq!(status, 200, "{b}");
        assert!(
            html.contains("enctype=\"multipart/form-data\""),
            "{b}: a form that carries files"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_up_is_mailed_in_the_pages_language_and_not_listed_before_confirming() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        let confirm = museum_signs_up(&app).await;
        let mail = app.mail_to(MUSEUM_MAIL).await;
        assert_eq!(mail.len(), 1, "{b}");
        assert!(
            subject_of(&mail[0]).contains("Confermate l"),
            "{b}: in the page's language"
        );
        let (status, html) = app
            .page(&browser(), &format!("/it/pact/confirm?token={confirm}"))
            .await;
        assert_eq!(status, 200, "{b}");
        assert!(html.contains(MUSEUM), "{b}");
        assert!(!listed(&app).await, "{b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmed_adhesion_keeps_its_logo_awaits_a_decision_and_gets_its_personal_link() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        let token = museum_signs_up(&app).await;
        let (status, body) = confirm(&app, &token).await;
        assert_eq!(status, 200, "{b}: {body}");
        let row = &app.adhesion_named(MUSEUM).await[0];
        assert_eq!(row.status.as_str(), "pending", "{b}");
        assert!(row.has_logo(), "{b}: the logo was stored");
        let mail = app.mail_to(MUSEUM_MAIL).await;
        assert_eq!(mail.len(), 2, "{b}: the personal link follows");
        assert!(!listed(&app).await, "{b}: not listed before approval");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmation_link_used_again_changes_nothing_and_says_so() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        let token = museum_signs_up(&app).await;
        assert_eq!(confirm(&app, &token).await.0, 200, "{b}");
        let (status, _) = confirm(&app, &token).await;
        assert_eq!(status, 200, "{b}");
        let (_, html) = app
            .page(&browser(), &format!("/en/pact/confirm?token={token}"))
            .await;
        assert!(html.contains("already confirmed"), "{b}");
        let sent = app.mail_to(MUSEUM_MAIL).await.len();
        assert_eq!(sent, 2, "{b}: nothing sent twice");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_citys_coordinators_decide_and_the_decision_is_audited_and_mailed() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        let personal = museum_confirmed(&app).await;
        let c = coordinators(&app).await;
        let id = app.adhesion_named(MUSEUM).await[0].id.to_string();
        let (status, _) = app.call(&browser(), "pact_decide", &approve(&id)).await;
        assert_eq!(status, 401, "{b}: nobody signed in");
        let (status, _) = app.call(&c.other, "pact_decide", &approve(&id)).await;
        assert_eq!(status, 403, "{b}: another city's coordinator");
        let (status, queue) = app.page(&c.me, "/en/coordinate/pacts/lucca").await;
        assert_eq!(status, 200, "{b}");
        assert!(queue.contains(MUSEUM), "{b}: in the queue");
        let (status, body) = app.call(&c.me, "pact_decide", &approve(&id)).await;
        assert_eq!(status, 200, "{b}: {body}");
        app.assert_audited("adhesion.approve").await;
        let mail = app.mail_to(MUSEUM_MAIL).await;
        assert_eq!(mail.len(), 3, "{b}");
        assert_eq!(
            personal,
            token_in(&mail[2]),
            "{b}: the news carries the link the receipt said to keep"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approved_adhesion_is_listed_with_its_logo_certificate_and_badge() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        let Approved { id, .. } = museum_approved(&app).await;
        assert!(listed(&app).await, "{b}");
        let logo = logo(&app, &id).await;
        assert_eq!(logo.status().as_u16(), 200, "{b}");
        assert_eq!(logo.headers()["content-type"], "image/png");
        let (status, certificate) = app
            .page(&browser(), &format!("/en/cities/lucca/pact/adherents/{id}"))
            .await;
        assert_eq!(status, 200, "{b}");
        assert!(
            certificate.contains(MUSEUM) && certificate.contains("/badges/pact/"),
            "{b}"
        );
        let (status, badge) = app
            .page(&browser(), &format!("/badges/pact/{id}.svg?lang=it"))
            .await;
        assert_eq!(status, 200, "{b}");
        assert!(
            badge.starts_with("<svg") && badge.contains("Aderiamo al"),
            "{b}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_open_data_lists_adherents_without_their_contacts() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        museum_approved(&app).await;
        let (status, json) = app.page(&browser(), "/open-data/pacts/lucca.json").await;
        assert_eq!(status, 200, "{b}");
        let data: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(data["licence"]["name"], "CC BY 4.0");
        let listed: Vec<&str> = data["adherents"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|a| a["organisation"].as_str())
            .collect();
        assert!(listed.contains(&MUSEUM), "{b}");
        assert!(
            !json.contains(MUSEUM_MAIL),
            "{b}: contacts are never open data"
        );
        let (status, csv) = app.page(&browser(), "/open-data/pacts/lucca.csv").await;
        assert_eq!(status, 200);
        assert!(
            csv.lines().next().unwrap().starts_with("id,organisation"),
            "{b}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_coordinators_export_has_the_contacts() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        let Approved { c, .. } = museum_approved(&app).await;
        let path = "/coordinate/pacts/lucca/adhesions.csv";
        assert_eq!(app.page(&browser(), path).await.0, 401, "{b}");
        assert_eq!(app.page(&c.other, path).await.0, 403, "{b}");
        let (status, export) = app.page(&c.me, path).await;
        assert_eq!(status, 200, "{b}");
        assert!(export.contains(MUSEUM_MAIL), "{b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_organisations_own_page_gives_its_data_back_and_a_made_up_link_nothing() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        let Approved { personal, .. } = museum_approved(&app).await;
        let (status, html) = app
            .page(&browser(), &format!("/en/pact/adhesion?token={personal}"))
            .await;
        assert_eq!(status, 200, "{b}");
        assert!(html.contains("Approved"), "{b}");
        let (status, own) = app
            .page(&browser(), &format!("/pact/adhesion.json?token={personal}"))
            .await;
        assert_eq!(status, 200, "{b}");
        assert!(
            own.contains(MUSEUM_MAIL) && own.contains("Marco Rossi"),
            "{b}"
        );
        let (status, _) = app
            .page(&browser(), "/pact/adhesion.json?token=made-up")
            .await;
        assert_eq!(status, 404, "{b}: a link that opens nothing");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_withdrawal_asks_for_the_box_and_takes_the_adhesion_off_the_list_at_once() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        let Approved { id, personal, .. } = museum_approved(&app).await;
        let withdraw = [("lang", "en"), ("token", personal.as_str())];
        let (status, body) = app.call(&browser(), "pact_withdraw", &withdraw).await;
        assert_eq!(status, 422, "{b}: withdrawal asks for the box: {body}");
        let ticked = [&withdraw[..], &[("confirm", "yes")]].concat();
        let (status, _) = app.call(&browser(), "pact_withdraw", &ticked).await;
        assert_eq!(status, 200, "{b}");
        assert!(
            !listed(&app).await,
            "{b}: gone from the public list at once"
        );
        assert_eq!(logo(&app, &id).await.status().as_u16(), 404, "{b}");
        app.assert_audited("adhesion.withdraw").await;
    }
}
