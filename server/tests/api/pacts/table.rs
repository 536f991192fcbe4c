//! The pact's coordination table: the approved adherents of chosen sectors invited to its
//! meeting, each registering for every date in one click.

use super::*;

/// The invitation of Lucca's approved sports adherents to the table's meeting.
fn invite(meeting: &str) -> [(&str, &str); 4] {
    [
        ("lang", "en"),
        ("slug", "lucca"),
        ("meeting", meeting),
        ("sectors[]", "sports"),
    ]
}

async fn invitations(app: &TestApp, lucca: i64) -> Vec<db::pacts::InvitationRow> {
    let pact = app.db.pact_of_city(lucca).await.unwrap().unwrap().id;
    app.db.pact_invitations(pact).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_table_invites_the_approved_adherents_of_a_sector_once() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let (b, c) = (app.backend, coordinators(&app).await);
        let meeting = app.table_meeting().await.to_string();
        let (status, table) = app.page(&c.me, "/en/coordinate/pacts/lucca/table").await;
        assert_eq!(status, 200, "{b}");
        assert!(
            table.contains("Tavolo di coordinamento dei firmatari"),
            "{b}"
        );
        let (status, body) = app.call(&c.me, "pact_invite", &invite(&meeting)).await;
        assert_eq!(status, 200, "{b}: {body}");
        let invited = invitations(&app, c.lucca).await;
        assert_eq!(invited.len(), 4, "{b}: the four approved sports adherents");
        assert!(invited.iter().all(|i| i.status.as_str() == "approved"));
        let (status, _) = app.call(&c.me, "pact_invite", &invite(&meeting)).await;
        assert_eq!(status, 200, "{b}");
        let again = invitations(&app, c.lucca).await;
        assert_eq!(again.len(), 4, "{b}: nobody is invited twice");
        let (status, _) = app.call(&c.other, "pact_invite", &invite(&meeting)).await;
        assert_eq!(status, 403, "{b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_shows_the_meeting_without_its_online_link() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let (b, c) = (app.backend, coordinators(&app).await);
        let meeting = app.table_meeting().await.to_string();
        app.call(&c.me, "pact_invite", &invite(&meeting)).await;
        let guest = &invitations(&app, c.lucca).await[0].email;
        let mail = app.mail_to(guest).await;
        assert_eq!(mail.len(), 1, "{b}");
        let token = token_in(&mail[0]);
        let (status, page) = app
            .page(&browser(), &format!("/en/pact/invitation?token={token}"))
            .await;
        assert_eq!(status, 200, "{b}");
        assert!(
            page.contains("Tavolo di coordinamento dei firmatari"),
            "{b}"
        );
        assert!(
            !page.contains("tavolo-firmatari"),
            "{b}: no online link before registering"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepting_registers_for_every_date_in_one_click_and_only_once() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let (b, c) = (app.backend, coordinators(&app).await);
        let meeting = app.table_meeting().await;
        app.call(&c.me, "pact_invite", &invite(&meeting.to_string()))
            .await;
        let guest = &invitations(&app, c.lucca).await[0].email;
        let token = token_in(&app.mail_to(guest).await[0]);
        let accept = [("lang", "en"), ("token", token.as_str())];
        let (status, body) = app.call(&browser(), "pact_accept", &accept).await;
        assert_eq!(status, 200, "{b}: {body}");
        let dates = app.db.next_occurrences(meeting, 0, 10).await.unwrap();
        assert_eq!(dates.len(), 3, "{b}");
        for (occurrence, _) in &dates {
            let registrations = app.db.registrations(*occurrence).await.unwrap();
            let theirs: Vec<_> = registrations.iter().filter(|r| &r.email == guest).collect();
            assert_eq!(theirs.len(), 1, "{b}");
            assert_eq!(
                theirs[0].status.as_str(),
                "confirmed",
                "{b}: registered in one click"
            );
        }
        let mail = app.mail_to(guest).await;
        assert_eq!(mail.len(), 4, "{b}: one confirmation per date");
        assert!(
            mail[1..].iter().all(|m| app::mail::text_of(m.as_bytes())
                .unwrap()
                .contains("tavolo-firmatari")),
            "{b}: with the link to join"
        );
        let (status, _) = app.call(&browser(), "pact_accept", &accept).await;
        assert_eq!(status, 200, "{b}");
        assert_eq!(
            app.mail_to(guest).await.len(),
            4,
            "{b}: a second click registers nobody twice"
        );
        let (_, table) = app.page(&c.me, "/en/coordinate/pacts/lucca/table").await;
        assert!(
            !table.contains(">Not yet<") || table.matches(">Not yet<").count() == 3,
            "{b}: one accepted"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_counts_the_adhesions_to_decide() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let (b, c) = (app.backend, coordinators(&app).await);
        let (status, dashboard) = app.page(&c.me, "/en/coordinate").await;
        assert_eq!(status, 200, "{b}");
        assert!(
            dashboard.contains("adhesions to the pact to decide"),
            "{b}: pending adhesions on the dashboard"
        );
    }
}
