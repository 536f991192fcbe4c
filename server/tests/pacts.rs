//! Pact sign-up through the real server, on SQLite and PostgreSQL: an organisation adheres,
//! confirms from the mail, is approved and listed, and withdraws; links that expired or were
//! used; the same organisation submitted twice at once; the rate limit; and a table of bad
//! input, each answered with a 4xx naming its field, never a 500, with stored text always shown
//! escaped.

#[path = "../../db/tests/common/mod.rs"]
mod common;
mod support;

use domain::Role;
use reqwest::multipart::{Form, Part};
use std::collections::HashSet;
use support::*;

/// A 2×2 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xfd, 0xd4, 0x9a,
    0x73, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x38, 0xa0, 0xa0, 0x00,
    0x44, 0x0c, 0x10, 0x0a, 0x00, 0x1e, 0x8e, 0x04, 0x01, 0x97, 0x8b, 0x41, 0x9c, 0x00, 0x00, 0x00,
    0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// What a filled-in sign-up form sends, before the commitments.
fn filled(name: &str, email: &str, tax: &str) -> Vec<(String, String)> {
    [
        ("lang", "it"),
        ("slug", "lucca"),
        ("organisation", name),
        ("legal_form", "association"),
        ("sector", "museums-culture"),
        ("tax_code", tax),
        ("address", "Via Fillungo 1, Lucca"),
        ("latitude", "43.8441"),
        ("longitude", "10.5049"),
        ("website", "https://example.org/"),
        ("contact_name", "Giulia Bianchi"),
        ("email", email),
        ("phone", "+39 0583 000000"),
        ("representative", "Marco Rossi"),
        ("authority", "yes"),
        ("privacy", "yes"),
        ("listed", "yes"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn without(mut fields: Vec<(String, String)>, key: &str) -> Vec<(String, String)> {
    fields.retain(|(k, _)| k != key);
    fields
}

fn with(mut fields: Vec<(String, String)>, key: &str, value: &str) -> Vec<(String, String)> {
    fields.retain(|(k, _)| k != key);
    fields.push((key.to_owned(), value.to_owned()));
    fields
}

fn multipart(
    fields: &[(String, String)],
    commitments: &[i64],
    logo: Option<(&[u8], &str)>,
) -> Form {
    let mut form = Form::new();
    for (k, v) in fields {
        form = form.text(k.clone(), v.clone());
    }
    for c in commitments {
        form = form.text("commitments[]", c.to_string());
    }
    if let Some((bytes, name)) = logo {
        form = form.part(
            "logo",
            Part::bytes(bytes.to_vec()).file_name(name.to_owned()),
        );
    }
    form
}

/// The problems named in a refusal (JSON), by field.
fn problems(body: &str) -> HashSet<String> {
    let error: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    error["Invalid"]["problems"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| p[0].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn problem_of(body: &str, field: &str) -> Option<String> {
    let error: serde_json::Value = serde_json::from_str(body).ok()?;
    error["Invalid"]["problems"]
        .as_array()?
        .iter()
        .find(|p| p[0] == field)
        .map(|p| p[1].as_str().unwrap_or_default().to_owned())
}

impl TestApp {
    async fn commitments(&self) -> Vec<i64> {
        let city = self.db.city_id("lucca").await.unwrap();
        let pact = self.db.pact_of_city(city).await.unwrap().unwrap();
        self.db
            .pact_commitments(pact.id)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect()
    }

    /// Sends the sign-up form as the page does with JavaScript.
    async fn join(&self, client: &reqwest::Client, form: Form) -> (u16, String) {
        let res = client
            .post(format!("{}/api/pact_join", self.base))
            .header("Origin", &self.base)
            .multipart(form)
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }

    async fn page(&self, client: &reqwest::Client, path: &str) -> (u16, String) {
        let res = client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }

    async fn adhesion_named(&self, name: &str) -> Vec<db::pacts::AdhesionRow> {
        let city = self.db.city_id("lucca").await.unwrap();
        let pact = self.db.pact_of_city(city).await.unwrap().unwrap();
        self.db
            .adhesions(
                pact.id,
                &db::pacts::AdhesionFilter {
                    search: Some(name),
                    ..Default::default()
                },
                100,
                0,
            )
            .await
            .unwrap()
            .0
    }
}

fn subject_of(mail: &str) -> String {
    mail.lines()
        .find_map(|l| l.strip_prefix("Subject: "))
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organisation_adheres_confirms_is_approved_listed_and_withdraws() {
    for test_db in common::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        let browser = browser();
        let (status, html) = app.page(&browser, "/it/cities/lucca/pact/join").await;
        assert_eq!(status, 200, "{b}");
        assert!(
            html.contains("enctype=\"multipart/form-data\""),
            "{b}: a form that carries files"
        );

        let name = "Museo dei Burattini";
        let email = "info@burattini.example.org";
        let commitments = app.commitments().await;
        let form = multipart(
            &filled(name, email, "00743110157"),
            &commitments[..2],
            Some((PNG, "logo.png")),
        );
        let (status, body) = app.join(&browser, form).await;
        assert_eq!(status, 200, "{b}: {body}");
        let mail = app.mail_to(email).await;
        assert_eq!(mail.len(), 1, "{b}");
        assert!(
            subject_of(&mail[0]).contains("Confermate l"),
            "{b}: in the page's language"
        );
        let confirm = token_in(&mail[0]);
        let (status, html) = app
            .page(&browser, &format!("/it/pact/confirm?token={confirm}"))
            .await;
        assert_eq!(status, 200, "{b}");
        assert!(html.contains(name), "{b}");
        // Not listed before confirmation and approval.
        let (_, list) = app
            .page(&browser, "/en/cities/lucca/pact?q=burattini")
            .await;
        assert!(!list.contains(name), "{b}");

        let (status, body) = app
            .call(
                &browser,
                "pact_confirm",
                &[("lang", "it"), ("token", &confirm)],
            )
            .await;
        assert_eq!(status, 200, "{b}: {body}");
        let row = &app.adhesion_named(name).await[0];
        assert_eq!(row.status.as_str(), "pending", "{b}");
        assert!(row.has_logo(), "{b}: the logo was stored");
        let mail = app.mail_to(email).await;
        assert_eq!(mail.len(), 2, "{b}: the personal link follows");
        let personal = token_in(&mail[1]);
        // The confirmation link used again changes nothing and says so.
        let (status, _) = app
            .call(
                &browser,
                "pact_confirm",
                &[("lang", "it"), ("token", &confirm)],
            )
            .await;
        assert_eq!(status, 200, "{b}");
        let (_, html) = app
            .page(&browser, &format!("/en/pact/confirm?token={confirm}"))
            .await;
        assert!(html.contains("already confirmed"), "{b}");
        assert_eq!(app.mail_to(email).await.len(), 2, "{b}: nothing sent twice");

        // Only Lucca's coordinators decide; the decision is audited and mailed.
        let lucca = app.city("lucca").await;
        let torino = app.city("torino").await;
        app.user("coord@lucca.example.org", "en", &[Role::City(lucca)])
            .await;
        app.user("coord@torino.example.org", "en", &[Role::City(torino)])
            .await;
        let id = row.id.to_string();
        let decide = [("lang", "en"), ("id", id.as_str()), ("decision", "approve")];
        let (status, _) = app.call(&browser, "pact_decide", &decide).await;
        assert_eq!(status, 401, "{b}: nobody signed in");
        let other = app.signed_in("coord@torino.example.org").await;
        let (status, _) = app.call(&other, "pact_decide", &decide).await;
        assert_eq!(status, 403, "{b}: another city's coordinator");
        let coordinator = app.signed_in("coord@lucca.example.org").await;
        let (status, queue) = app.page(&coordinator, "/en/coordinate/pacts/lucca").await;
        assert_eq!(status, 200, "{b}");
        assert!(queue.contains(name), "{b}: in the queue");
        let (status, body) = app.call(&coordinator, "pact_decide", &decide).await;
        assert_eq!(status, 200, "{b}: {body}");
        assert!(
            app.audit_actions()
                .await
                .contains(&"adhesion.approve".to_owned()),
            "{b}"
        );
        let mail = app.mail_to(email).await;
        assert_eq!(mail.len(), 3, "{b}");
        let personal_after = token_in(&mail[2]);
        assert_eq!(
            personal, personal_after,
            "{b}: the news carries the link the receipt said to keep"
        );

        // Listed, with logo, certificate, badge and open data.
        let (_, list) = app
            .page(&browser, "/en/cities/lucca/pact?q=burattini")
            .await;
        assert!(list.contains(name), "{b}");
        let logo = browser
            .get(format!("{}/pact-logos/{id}.png", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(logo.status().as_u16(), 200, "{b}");
        assert_eq!(logo.headers()["content-type"], "image/png");
        let (status, certificate) = app
            .page(&browser, &format!("/en/cities/lucca/pact/adherents/{id}"))
            .await;
        assert_eq!(status, 200, "{b}");
        assert!(
            certificate.contains(name) && certificate.contains("/badges/pact/"),
            "{b}"
        );
        let (status, badge) = app
            .page(&browser, &format!("/badges/pact/{id}.svg?lang=it"))
            .await;
        assert_eq!(status, 200, "{b}");
        assert!(
            badge.starts_with("<svg") && badge.contains("Aderiamo al"),
            "{b}"
        );
        let (status, json) = app.page(&browser, "/open-data/pacts/lucca.json").await;
        assert_eq!(status, 200, "{b}");
        let data: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(data["licence"]["name"], "CC BY 4.0");
        let listed: Vec<&str> = data["adherents"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|a| a["organisation"].as_str())
            .collect();
        assert!(listed.contains(&name), "{b}");
        assert!(!json.contains(email), "{b}: contacts are never open data");
        let (status, csv) = app.page(&browser, "/open-data/pacts/lucca.csv").await;
        assert_eq!(status, 200);
        assert!(
            csv.lines().next().unwrap().starts_with("id,organisation"),
            "{b}"
        );
        // The coordinators' export has the contacts; nobody else gets it.
        let (status, _) = app
            .page(&browser, "/coordinate/pacts/lucca/adhesions.csv")
            .await;
        assert_eq!(status, 401, "{b}");
        let (status, _) = app
            .page(&other, "/coordinate/pacts/lucca/adhesions.csv")
            .await;
        assert_eq!(status, 403, "{b}");
        let (status, export) = app
            .page(&coordinator, "/coordinate/pacts/lucca/adhesions.csv")
            .await;
        assert_eq!(status, 200, "{b}");
        assert!(export.contains(email), "{b}");

        // The organisation's own page: its data to download, then withdrawal.
        let (status, html) = app
            .page(
                &browser,
                &format!("/en/pact/adhesion?token={personal_after}"),
            )
            .await;
        assert_eq!(status, 200, "{b}");
        assert!(html.contains("Approved"), "{b}");
        let (status, own) = app
            .page(
                &browser,
                &format!("/pact/adhesion.json?token={personal_after}"),
            )
            .await;
        assert_eq!(status, 200, "{b}");
        assert!(own.contains(email) && own.contains("Marco Rossi"), "{b}");
        let (status, _) = app
            .page(&browser, "/pact/adhesion.json?token=made-up")
            .await;
        assert_eq!(status, 404, "{b}: a link that opens nothing");
        let (status, body) = app
            .call(
                &browser,
                "pact_withdraw",
                &[("lang", "en"), ("token", &personal_after)],
            )
            .await;
        assert_eq!(status, 422, "{b}: withdrawal asks for the box: {body}");
        let (status, _) = app
            .call(
                &browser,
                "pact_withdraw",
                &[
                    ("lang", "en"),
                    ("token", &personal_after),
                    ("confirm", "yes"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{b}");
        let (_, list) = app
            .page(&browser, "/en/cities/lucca/pact?q=burattini")
            .await;
        assert!(
            !list.contains(name),
            "{b}: gone from the public list at once"
        );
        let logo = browser
            .get(format!("{}/pact-logos/{id}.png", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(logo.status().as_u16(), 404, "{b}");
        assert!(
            app.audit_actions()
                .await
                .contains(&"adhesion.withdraw".to_owned()),
            "{b}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_and_used_links_are_refused_and_can_be_sent_again() {
    for test_db in common::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        let browser = browser();
        let commitments = app.commitments().await;
        let email = "late@example.org";
        let form = multipart(
            &filled("Circolo dei Ritardatari", email, ""),
            &commitments[..1],
            None,
        );
        assert_eq!(app.join(&browser, form).await.0, 200, "{b}");
        let old = token_in(&app.mail_to(email).await[0]);
        // The link's time runs out.
        let row = &app.adhesion_named("Ritardatari").await[0];
        let mut tx = app.db.begin_write().await.unwrap();
        db::pacts::renew_confirmation(
            &mut tx,
            row.id,
            &db::accounts::OneTimeToken::hash_of(&old),
            chrono::Utc::now().timestamp() - 1,
            0,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let (_, html) = app
            .page(&browser, &format!("/en/pact/confirm?token={old}"))
            .await;
        assert!(html.contains("This link has expired"), "{b}: {html}");
        let (status, body) = app
            .call(&browser, "pact_confirm", &[("lang", "en"), ("token", &old)])
            .await;
        assert_eq!(status, 422, "{b}: {body}");
        assert_eq!(
            problem_of(&body, "form").as_deref(),
            Some("LinkExpired"),
            "{b}"
        );
        // A made-up link opens nothing: 404, said plainly.
        let (status, body) = app
            .call(
                &browser,
                "pact_confirm",
                &[("lang", "en"), ("token", "made-up")],
            )
            .await;
        assert_eq!((status, body.as_str()), (404, "\"LinkGone\""), "{b}");
        let (status, _) = app.page(&browser, "/en/pact/confirm?token=made-up").await;
        assert_eq!(status, 404, "{b}");
        // Sending the links again: the same answer for an unknown address, a new link here.
        let (status, _) = app
            .call(
                &browser,
                "pact_resend",
                &[
                    ("lang", "en"),
                    ("slug", "lucca"),
                    ("email", "nobody@example.org"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{b}");
        assert!(app.mail_to("nobody@example.org").await.is_empty(), "{b}");
        let (status, _) = app
            .call(
                &browser,
                "pact_resend",
                &[("lang", "en"), ("slug", "lucca"), ("email", email)],
            )
            .await;
        assert_eq!(status, 200, "{b}");
        let fresh = token_in(&app.mail_to(email).await[1]);
        let (status, _) = app
            .call(&browser, "pact_confirm", &[("lang", "en"), ("token", &old)])
            .await;
        assert_eq!(status, 404, "{b}: the old link stays void");
        let (status, _) = app
            .call(
                &browser,
                "pact_confirm",
                &[("lang", "en"), ("token", &fresh)],
            )
            .await;
        assert_eq!(status, 200, "{b}");
        assert_eq!(
            app.adhesion_named("Ritardatari").await[0].status.as_str(),
            "pending",
            "{b}"
        );
        // Once confirmed, asking again sends the personal link, not a confirmation.
        app.call(
            &browser,
            "pact_resend",
            &[("lang", "en"), ("slug", "lucca"), ("email", email)],
        )
        .await;
        let mail = app.mail_to(email).await;
        let last = mail.last().unwrap();
        assert!(
            app::mail::text_of(last.as_bytes())
                .unwrap()
                .contains("/it/pact/adhesion?token="),
            "{b}: in the adhesion's own language"
        );
        // The personal link is sent again unchanged: the one in the first mail goes on working.
        let personal = token_in(last);
        let first = mail
            .iter()
            .find(|m| {
                app::mail::text_of(m.as_bytes())
                    .unwrap()
                    .contains("pact/adhesion?token=")
            })
            .unwrap();
        assert_eq!(token_in(first), personal, "{b}: the same link again");

        // A link that reached someone else is replaced from its page: the new one goes to the
        // contact address only, and the old one leads nowhere.
        let (_, html) = app
            .page(&browser, &format!("/en/pact/adhesion?token={personal}"))
            .await;
        assert!(
            html.contains("Did this link reach someone else?")
                && html.contains("action=\"/api/pact_replace_link\""),
            "{b}: {html}"
        );
        let (status, body) = app
            .call(
                &browser,
                "pact_replace_link",
                &[("lang", "en"), ("token", &personal)],
            )
            .await;
        assert_eq!(status, 200, "{b}: {body}");
        let mail = app.mail_to(email).await;
        let replaced = token_in(mail.last().unwrap());
        assert_ne!(replaced, personal, "{b}");
        let text = app::mail::text_of(mail.last().unwrap().as_bytes()).unwrap();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            text.contains("Quello precedente non funziona più"),
            "{b}: the mail, in the adhesion's language, says the old link is void: {text}"
        );
        let adhesion = |token: String| {
            let (app, browser) = (&app, &browser);
            async move {
                app.call(
                    browser,
                    "pact_adhesion",
                    &[("lang", "en"), ("token", &token)],
                )
                .await
                .0
            }
        };
        assert_eq!(adhesion(personal.clone()).await, 404, "{b}: the old link");
        assert_eq!(adhesion(replaced.clone()).await, 200, "{b}: the new link");
        let (status, html) = app
            .page(&browser, "/en/cities/lucca/pact/resend?done=link-replaced")
            .await;
        assert_eq!(status, 200, "{b}");
        assert!(html.contains("the previous one no longer works"), "{b}");
        // The replaced link cannot replace again.
        let (status, _) = app
            .call(
                &browser,
                "pact_replace_link",
                &[("lang", "en"), ("token", &personal)],
            )
            .await;
        assert_eq!(status, 404, "{b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_organisation_sent_twice_at_once_is_stored_once() {
    for test_db in common::backends().await {
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
async fn a_stranger_typing_an_organisations_tax_code_blocks_nothing() {
    for test_db in common::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        let commitments = app.commitments().await;
        // Someone who knows the organisation's public number files first, with their address.
        let stranger = filled("Squatter", "stranger@example.org", "01590130462");
        let (status, _) = app
            .join(&browser(), multipart(&stranger, &commitments[..1], None))
            .await;
        assert_eq!(status, 200, "{b}");
        // The organisation itself is not refused, and confirms.
        let real = filled("Circolo Vero", "real@example.org", "01590130462");
        let (status, body) = app
            .join(&browser(), multipart(&real, &commitments[..1], None))
            .await;
        assert_eq!(status, 200, "{b}: {body}");
        let token = token_in(&app.mail_to("real@example.org").await[0]);
        let (status, body) = app
            .call(
                &browser(),
                "pact_confirm",
                &[("lang", "en"), ("token", &token)],
            )
            .await;
        assert_eq!(status, 200, "{b}: {body}");
        assert_eq!(
            app.adhesion_named("Circolo Vero").await[0].status.as_str(),
            "pending"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_signing_up_too_often_is_slowed_down() {
    for test_db in common::backends().await {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_a_4xx_per_field_and_stored_text_is_shown_escaped() {
    let app = spawn_app(common::sqlite().await, &[]).await;
    let commitments = app.commitments().await;
    let good = || filled("Associazione Campione", "campione@example.org", "");
    let long = "x".repeat(201);
    let script = "<script>alert(1)</script>";
    let big = vec![0u8; 2 * 1024 * 1024 + 1];
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
    let gif_named_png = b"GIF89a this is not really an image";
    type Case<'a> = (
        &'a str,
        Vec<(String, String)>,
        &'a [i64],
        Option<(&'a [u8], &'a str)>,
        &'a [&'a str],
    );
    let lucca = &commitments[..1];
    let cases: Vec<Case> = vec![
        (
            "empty",
            vec![
                ("lang".into(), "en".into()),
                ("slug".into(), "lucca".into()),
            ],
            &[],
            None,
            &[
                "organisation",
                "legal_form",
                "sector",
                "address",
                "contact_name",
                "email",
                "representative",
                "authority",
                "commitments",
                "privacy",
            ],
        ),
        (
            "overlong name",
            with(good(), "organisation", &long),
            lucca,
            None,
            &["organisation"],
        ),
        (
            "overlong address",
            with(good(), "address", &"a".repeat(301)),
            lucca,
            None,
            &["address"],
        ),
        (
            "wrong check digit",
            with(good(), "tax_code", "00743110158"),
            lucca,
            None,
            &["tax_code"],
        ),
        (
            "wrong personal code",
            with(good(), "tax_code", "RSSMRA85M01H501Z"),
            lucca,
            None,
            &["tax_code"],
        ),
        (
            "bad e-mail",
            with(good(), "email", "not-an-address"),
            lucca,
            None,
            &["email"],
        ),
        (
            "script as e-mail",
            with(good(), "email", script),
            lucca,
            None,
            &["email"],
        ),
        (
            "script as website",
            with(good(), "website", "javascript:alert(1)"),
            lucca,
            None,
            &["website"],
        ),
        (
            "script as tax code",
            with(good(), "tax_code", script),
            lucca,
            None,
            &["tax_code"],
        ),
        (
            "script as latitude",
            with(good(), "latitude", script),
            lucca,
            None,
            &["latitude"],
        ),
        (
            "script as phone",
            with(good(), "phone", script),
            lucca,
            None,
            &["phone"],
        ),
        (
            "script as legal form",
            with(good(), "legal_form", script),
            lucca,
            None,
            &["legal_form"],
        ),
        (
            "script as sector",
            with(good(), "sector", script),
            lucca,
            None,
            &["sector"],
        ),
        (
            "another city's sector",
            with(good(), "sector", "universities"),
            lucca,
            None,
            &["sector"],
        ),
        (
            "control character",
            with(good(), "contact_name", "Giulia\u{7}"),
            lucca,
            None,
            &["contact_name"],
        ),
        (
            "half a position",
            without(good(), "longitude"),
            lucca,
            None,
            &["longitude"],
        ),
        (
            "far from the city",
            with(with(good(), "latitude", "45.0703"), "longitude", "7.6869"),
            lucca,
            None,
            &["latitude"],
        ),
        (
            "no attestation",
            without(good(), "authority"),
            lucca,
            None,
            &["authority"],
        ),
        (
            "no privacy",
            without(good(), "privacy"),
            lucca,
            None,
            &["privacy"],
        ),
        ("no commitment", good(), &[], None, &["commitments"]),
        (
            "unknown commitment",
            good(),
            &[987_654],
            None,
            &["commitments"],
        ),
        (
            "oversized logo",
            good(),
            lucca,
            Some((&big, "logo.png")),
            &["logo"],
        ),
        (
            "SVG logo",
            good(),
            lucca,
            Some((svg, "logo.png")),
            &["logo"],
        ),
        (
            "broken image",
            good(),
            lucca,
            Some((gif_named_png, "logo.png")),
            &["logo"],
        ),
    ];
    for (what, fields, chosen, logo, expected) in cases {
        let (status, body) = app.join(&browser(), multipart(&fields, chosen, logo)).await;
        assert_eq!(status, 422, "{what}: {body}");
        let expected: HashSet<String> = expected.iter().map(|s| s.to_string()).collect();
        assert_eq!(problems(&body), expected, "{what}");
    }
    // Invalid UTF-8 in a field names that field.
    let form = multipart(&without(good(), "organisation"), lucca, None)
        .part("organisation", Part::bytes(vec![0x4d, 0xff, 0xfe, 0x41]));
    let (status, body) = app.join(&browser(), form).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        problem_of(&body, "organisation").as_deref(),
        Some("Characters")
    );
    // A body that is not multipart at all, and one cut short.
    let res = browser()
        .post(format!("{}/api/pact_join", app.base))
        .header("Origin", &app.base)
        .form(&[("lang", "en"), ("slug", "lucca")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 415);
    let res = browser()
        .post(format!("{}/api/pact_join", app.base))
        .header("Origin", &app.base)
        .header("Content-Type", "multipart/form-data; boundary=XYZ")
        .body("--XYZ\r\nContent-Disposition: form-data; name=\"lang\"\r\n\r\nen\r\n--XY")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 422);
    // An unknown city is a 404.
    let (status, _) = app
        .join(
            &browser(),
            multipart(&with(good(), "slug", "atlantis"), lucca, None),
        )
        .await;
    assert_eq!(status, 404);
    assert!(
        app.adhesion_named("Campione").await.is_empty(),
        "nothing stored"
    );

    // Without JavaScript: back to the form with its status, messages and what was typed.
    let res = browser()
        .post(format!("{}/api/pact_join", app.base))
        .header("Origin", &app.base)
        .header("Accept", "text/html")
        .header("Referer", format!("{}/en/cities/lucca/pact/join", app.base))
        .multipart(multipart(&with(good(), "email", "nope"), lucca, None))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        !location.contains("Campione"),
        "typed values stay out of the URL"
    );
    let (status, html) = app
        .page(&browser(), location.trim_start_matches(&app.base))
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("value=\"Associazione Campione\""),
        "the name typed is kept"
    );
    assert!(
        html.contains("Enter an e-mail address"),
        "the field says what is wrong"
    );

    // Markup in every text field is stored as typed and always shown as text.
    let marked = "<b>Bold</b> & <script>alert(1)</script>";
    let mut fields = good();
    for key in ["organisation", "address", "contact_name", "representative"] {
        fields = with(fields, key, marked);
    }
    let (status, body) = app.join(&browser(), multipart(&fields, lucca, None)).await;
    assert_eq!(status, 200, "{body}");
    let token = token_in(&app.mail_to("campione@example.org").await[0]);
    app.call(
        &browser(),
        "pact_confirm",
        &[("lang", "en"), ("token", &token)],
    )
    .await;
    let lucca_id = app.city("lucca").await;
    app.user("coord@lucca.example.org", "en", &[Role::City(lucca_id)])
        .await;
    let coordinator = app.signed_in("coord@lucca.example.org").await;
    let row = app
        .adhesion_named("bold")
        .await
        .pop()
        .expect("stored as typed");
    assert_eq!(row.organisation, marked);
    let id = row.id.to_string();
    app.call(
        &coordinator,
        "pact_decide",
        &[("lang", "en"), ("id", &id), ("decision", "approve")],
    )
    .await;
    for (client, path) in [
        (&browser(), "/en/cities/lucca/pact".to_owned()),
        (&browser(), format!("/en/cities/lucca/pact/adherents/{id}")),
        (
            &coordinator,
            "/en/coordinate/pacts/lucca?status=all".to_owned(),
        ),
        (&coordinator, format!("/en/coordinate/adhesions/{id}")),
    ] {
        let (status, html) = app.page(client, &path).await;
        assert_eq!(status, 200, "{path}");
        if let Some(at) = html.find("<script>alert(1)").or(html.find("<b>Bold</b>")) {
            panic!(
                "{path}: not escaped: {}",
                &html[at.saturating_sub(300)..(at + 100).min(html.len())]
            );
        }
        assert!(!html.contains("<b>Bold</b>"), "{path}: escaped");
        assert!(
            html.contains("&lt;b&gt;Bold&lt;/b&gt;"),
            "{path}: shown as text"
        );
    }
    let (_, badge) = app
        .page(&browser(), &format!("/badges/pact/{id}.svg"))
        .await;
    assert!(
        !badge.contains("<script>") && badge.contains("&lt;script&gt;"),
        "the badge escapes too"
    );

    // A text area given back after a refusal cannot be closed early by what was typed in it.
    let res = coordinator
        .post(format!("{}/api/pact_save", app.base))
        .header("Origin", &app.base)
        .header("Accept", "text/html")
        .header(
            "Referer",
            format!("{}/en/coordinate/pacts/lucca/settings", app.base),
        )
        .form(&[
            ("lang", "en"),
            ("slug", "lucca"),
            ("title_en", ""),
            ("title_it", "Patto"),
            ("text_it", "</textarea><b>inject</b>"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let (status, html) = app
        .page(&coordinator, location.trim_start_matches(&app.base))
        .await;
    assert_eq!(status, 422);
    assert!(
        !html.contains("<b>inject</b>"),
        "the text area's content is escaped"
    );
    assert!(html.contains("&lt;/textarea&gt;&lt;b&gt;inject&lt;/b&gt;"));
}

impl TestApp {
    /// A weekly meeting of Lucca with three dates, starting in a week.
    async fn table_meeting(&self) -> i64 {
        use domain::schedule::{Schedule, Zone};
        let lucca = self.db.city_id("lucca").await.unwrap();
        let start = (chrono::Utc::now() + chrono::Duration::days(7)).date_naive();
        let schedule = Schedule::parse(
            Zone::parse("Europe/Rome").unwrap(),
            &format!("{start}T17:30"),
            &format!("{start}T19:00"),
            "FREQ=WEEKLY;COUNT=3",
            &[],
        )
        .unwrap();
        let uid = format!("table-{}@learning.example", uuid::Uuid::new_v4());
        let m = db::meetings::NewMeeting {
            uid: &uid,
            owner: db::meetings::Owner::City(lucca),
            sector_id: None,
            title: "Tavolo di coordinamento dei firmatari",
            description: "",
            language: "it",
            audience: domain::Audience::Signatories,
            mode: domain::Mode::Online,
            place: "",
            address: "",
            position: None,
            online_link: Some("https://meet.example.org/tavolo-firmatari"),
            schedule: &schedule,
            capacity: Some(50),
            takes_registrations: true,
            registration_opens_at: None,
            registration_closes_at: None,
            reminders: &[1440],
            created_by: None,
        };
        let mut tx = self.db.begin_write().await.unwrap();
        let id = db::meetings::create(&mut tx, &m, chrono::Utc::now().timestamp())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinators_run_the_pact_and_its_coordination_table() {
    for test_db in common::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let b = app.backend;
        let lucca = app.city("lucca").await;
        let torino = app.city("torino").await;
        app.user("coord@lucca.example.org", "en", &[Role::City(lucca)])
            .await;
        app.user("coord@torino.example.org", "en", &[Role::City(torino)])
            .await;
        let me = app.signed_in("coord@lucca.example.org").await;
        let other = app.signed_in("coord@torino.example.org").await;
        let (status, _) = app.page(&me, "/en/coordinate/pacts/lucca/settings").await;
        assert_eq!(status, 200, "{b}");
        let (status, _) = app
            .page(&other, "/en/coordinate/pacts/lucca/settings")
            .await;
        assert_eq!(status, 403, "{b}");

        // A new text is a new version; adhesions keep the one they signed.
        let save = |title_en: &'static str, text: &'static str| {
            vec![
                ("lang", "en"),
                ("slug", "lucca"),
                ("title_en", title_en),
                ("title_it", "Patto per l'apprendimento permanente"),
                ("signed_on", "2020-12-30"),
                ("text_it", text),
                ("text_en", "## Preamble\n\nRevised."),
            ]
        };
        let (status, body) = app.call(&me, "pact_save", &save("", "x")).await;
        assert_eq!(status, 422, "{b}");
        assert_eq!(
            problems(&body),
            HashSet::from(["title_en".to_owned()]),
            "{b}"
        );
        let (status, _) = app.call(&other, "pact_save", &save("Pact", "x")).await;
        assert_eq!(status, 403, "{b}");
        let (status, body) = app
            .call(
                &me,
                "pact_save",
                &save(
                    "Pact for Lifelong Learning",
                    "## Premessa\n\nRivisto nel 2026.",
                ),
            )
            .await;
        assert_eq!(status, 200, "{b}: {body}");
        let (_, html) = app.page(&browser(), "/it/cities/lucca/pact").await;
        assert!(
            html.contains("pact?version=2") && html.contains("Rivisto nel 2026"),
            "{b}"
        );
        let (_, old) = app
            .page(&browser(), "/it/cities/lucca/pact?version=1")
            .await;
        assert!(old.contains("versione precedente"), "{b}");
        let commitments = app.commitments().await;
        let form = multipart(
            &filled("Nuovo Aderente", "nuovo@example.org", ""),
            &commitments[..1],
            None,
        );
        assert_eq!(app.join(&browser(), form).await.0, 200, "{b}");
        assert_eq!(
            app.adhesion_named("Nuovo Aderente").await[0].version_number,
            2,
            "{b}"
        );
        assert_eq!(
            app.adhesion_named("Nuoto").await[0].version_number,
            1,
            "{b}"
        );

        // Partners, commitments and sectors.
        let (status, _) = app
            .call(
                &me,
                "pact_partner",
                &[
                    ("lang", "en"),
                    ("slug", "lucca"),
                    ("name", "Fondazione Esempio"),
                    ("role_en", "Foundation"),
                    ("role_it", "Fondazione"),
                    ("website", "not a url"),
                ],
            )
            .await;
        assert_eq!(status, 422, "{b}");
        let (status, _) = app
            .call(
                &me,
                "pact_partner",
                &[
                    ("lang", "en"),
                    ("slug", "lucca"),
                    ("name", "Fondazione Esempio"),
                    ("role_en", "Foundation"),
                    ("role_it", "Fondazione"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{b}");
        let (_, html) = app.page(&browser(), "/en/cities/lucca/pact").await;
        assert!(html.contains("Fondazione Esempio"), "{b}");
        let (status, _) = app
            .call(
                &me,
                "pact_commitment",
                &[
                    ("lang", "en"),
                    ("slug", "lucca"),
                    ("key", "mentoring"),
                    ("label_en", "Mentor young people"),
                    ("label_it", "Fare da mentori ai giovani"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{b}");
        let (_, form) = app.page(&browser(), "/en/cities/lucca/pact/join").await;
        assert!(form.contains("Mentor young people"), "{b}");
        let (status, body) = app
            .call(
                &me,
                "pact_commitment",
                &[
                    ("lang", "en"),
                    ("slug", "lucca"),
                    ("key", "mentoring"),
                    ("label_en", "Again"),
                    ("label_it", "Ancora"),
                ],
            )
            .await;
        assert_eq!(
            (status, problem_of(&body, "key").as_deref()),
            (422, Some("Duplicate")),
            "{b}"
        );
        let (status, _) = app
            .call(
                &me,
                "pact_sector",
                &[
                    ("lang", "en"),
                    ("slug", "lucca"),
                    ("key", "libraries"),
                    ("name_en", "Libraries"),
                    ("name_it", "Biblioteche"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{b}");
        let sports = app.db.sector_id(lucca, "sports").await.unwrap().to_string();
        let (status, body) = app
            .call(
                &me,
                "pact_sector",
                &[
                    ("lang", "en"),
                    ("slug", "lucca"),
                    ("id", &sports),
                    ("remove", "yes"),
                ],
            )
            .await;
        assert_eq!(
            (status, problem_of(&body, "form").as_deref()),
            (422, Some("InUse")),
            "{b}"
        );
        let libraries = app
            .db
            .sector_id(lucca, "libraries")
            .await
            .unwrap()
            .to_string();
        let (status, _) = app
            .call(
                &me,
                "pact_sector",
                &[
                    ("lang", "en"),
                    ("slug", "lucca"),
                    ("id", &libraries),
                    ("remove", "yes"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{b}: an unused sector goes");
        let actions = app.audit_actions().await;
        for action in [
            "pact.update",
            "pact.partner.save",
            "pact.commitment.save",
            "sector.save",
            "sector.delete",
        ] {
            assert!(
                actions.contains(&action.to_owned()),
                "{b}: {action} audited"
            );
        }

        // Rejecting needs a reason, which the organisation is told.
        let row = &app.adhesion_named("Nuovo Aderente").await[0];
        let token = token_in(&app.mail_to("nuovo@example.org").await[0]);
        app.call(
            &browser(),
            "pact_confirm",
            &[("lang", "en"), ("token", &token)],
        )
        .await;
        let id = row.id.to_string();
        let (status, body) = app
            .call(
                &me,
                "pact_decide",
                &[("lang", "en"), ("id", &id), ("decision", "reject")],
            )
            .await;
        assert_eq!(
            (status, problem_of(&body, "reason").as_deref()),
            (422, Some("Required")),
            "{b}"
        );
        let (status, _) = app
            .call(
                &me,
                "pact_decide",
                &[
                    ("lang", "en"),
                    ("id", &id),
                    ("decision", "reject"),
                    ("reason", "La sede è fuori dal comune."),
                ],
            )
            .await;
        assert_eq!(status, 200, "{b}");
        let last = app.mail_to("nuovo@example.org").await.pop().unwrap();
        assert!(
            app::mail::text_of(last.as_bytes())
                .unwrap()
                .contains("La sede è fuori dal comune."),
            "{b}"
        );

        // A coordinator's edit of an adhesion, audited.
        let nuoto = &app.adhesion_named("Nuoto").await[0];
        let mut fields = filled("ASD Nuoto Serchio", "ignored@example.org", "86842680455");
        fields = with(
            with(with(fields, "id", &nuoto.id.to_string()), "lang", "en"),
            "sector",
            "sports",
        );
        let res = me
            .post(format!("{}/api/pact_edit", app.base))
            .header("Origin", &app.base)
            .multipart(multipart(&fields, &commitments[..2], None))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status().as_u16(),
            200,
            "{b}: {}",
            res.text().await.unwrap()
        );
        let edited = app.db.adhesion(nuoto.id).await.unwrap();
        assert_eq!(edited.organisation, "ASD Nuoto Serchio", "{b}");
        assert_eq!(edited.email, nuoto.email, "{b}: the address is not edited");
        assert!(
            app.audit_actions()
                .await
                .contains(&"adhesion.update".to_owned()),
            "{b}"
        );
        let res = other
            .post(format!("{}/api/pact_edit", app.base))
            .header("Origin", &app.base)
            .multipart(multipart(&fields, &commitments[..2], None))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 403, "{b}");

        // The coordination table: the approved sports adherents, one click each.
        let meeting = app.table_meeting().await.to_string();
        let (status, table) = app.page(&me, "/en/coordinate/pacts/lucca/table").await;
        assert_eq!(status, 200, "{b}");
        assert!(
            table.contains("Tavolo di coordinamento dei firmatari"),
            "{b}"
        );
        let invite = [
            ("lang", "en"),
            ("slug", "lucca"),
            ("meeting", meeting.as_str()),
            ("sectors[]", "sports"),
        ];
        let (status, body) = app.call(&me, "pact_invite", &invite).await;
        assert_eq!(status, 200, "{b}: {body}");
        let invited = app
            .db
            .pact_invitations(app.db.pact_of_city(lucca).await.unwrap().unwrap().id)
            .await
            .unwrap();
        assert_eq!(invited.len(), 4, "{b}: the four approved sports adherents");
        assert!(invited.iter().all(|i| i.status.as_str() == "approved"));
        let (status, _) = app.call(&me, "pact_invite", &invite).await;
        assert_eq!(status, 200, "{b}");
        let again = app
            .db
            .pact_invitations(app.db.pact_of_city(lucca).await.unwrap().unwrap().id)
            .await
            .unwrap();
        assert_eq!(again.len(), 4, "{b}: nobody is invited twice");
        let (status, _) = app.call(&other, "pact_invite", &invite).await;
        assert_eq!(status, 403, "{b}");
        let guest = &invited[0].email;
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
        let (status, body) = app
            .call(
                &browser(),
                "pact_accept",
                &[("lang", "en"), ("token", &token)],
            )
            .await;
        assert_eq!(status, 200, "{b}: {body}");
        let dates = app
            .db
            .next_occurrences(meeting.parse().unwrap(), 0, 10)
            .await
            .unwrap();
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
        let (status, _) = app
            .call(
                &browser(),
                "pact_accept",
                &[("lang", "en"), ("token", &token)],
            )
            .await;
        assert_eq!(status, 200, "{b}");
        assert_eq!(
            app.mail_to(guest).await.len(),
            4,
            "{b}: a second click registers nobody twice"
        );
        let (_, table) = app.page(&me, "/en/coordinate/pacts/lucca/table").await;
        assert!(
            !table.contains(">Not yet<") || table.matches(">Not yet<").count() == 3,
            "{b}: one accepted"
        );
        let (status, dashboard) = app.page(&me, "/en/coordinate").await;
        assert_eq!(status, 200, "{b}");
        assert!(
            dashboard.contains("adhesions to the pact to decide"),
            "{b}: pending adhesions on the dashboard"
        );
    }
}

/// The `<input>` tag named `name` in a page.
fn input_named<'a>(html: &'a str, name: &str) -> &'a str {
    let at = html
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no input {name}"));
    let start = html[..at].rfind('<').unwrap();
    let end = at + html[at..].find('>').unwrap();
    &html[start..=end]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listing_is_a_choice_the_organisation_makes_and_a_refusal_keeps_it() {
    let app = spawn_app(common::sqlite().await, &[]).await;
    let commitments = app.commitments().await;
    let client = browser();
    let page = format!("{}/en/cities/lucca/pact/join", app.base);
    let (status, html) = app.page(&client, "/en/cities/lucca/pact/join").await;
    assert_eq!(status, 200);
    for name in ["listed", "authority", "privacy"] {
        assert!(
            !input_named(&html, name).contains("checked"),
            "{name} ticked by default"
        );
    }

    // Refused without JavaScript (no organisation name): the boxes ticked come back ticked,
    // the one left alone stays unticked.
    let fields = without(
        without(filled("", "box@example.org", ""), "organisation"),
        "authority",
    );
    let res = client
        .post(format!("{}/api/pact_join", app.base))
        .header("Origin", &app.base)
        .header("Referer", &page)
        .header("Accept", "text/html")
        .multipart(multipart(&fields, &commitments[..1], None))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let back = res.headers()["location"].to_str().unwrap().to_owned();
    let res = client.get(&back).send().await.unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        input_named(&html, "listed").contains("checked"),
        "listed kept"
    );
    assert!(
        input_named(&html, "privacy").contains("checked"),
        "privacy kept"
    );
    assert!(!input_named(&html, "authority").contains("checked"));
}

/// An Italian VAT number (partita IVA) of company `n` at Lucca's office (046), with its check
/// digit.
fn partita_iva(n: u64) -> String {
    let digits: Vec<u32> = format!("{:07}046", 1_000_000 + n % 1_000_000)
        .chars()
        .map(|c| c.to_digit(10).unwrap())
        .collect();
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                *d
            } else if d * 2 > 9 {
                d * 2 - 9
            } else {
                d * 2
            }
        })
        .sum();
    let check = (10 - sum % 10) % 10;
    format!(
        "{}{check}",
        digits.iter().map(|d| d.to_string()).collect::<String>()
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_crowd_signing_the_pact_with_duplicates_leaves_one_adhesion_each() {
    for test_db in common::backends().await {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_open_data_cell_runs_as_a_formula() {
    let app = spawn_app(common::sqlite().await, &[]).await;
    let lucca = app.city("lucca").await;
    // Texts coordinators typed: a sector's and a commitment's names.
    db::on_pool!(&app.db, |pool| {
        sqlx::query(
            "UPDATE sectors SET name_en = '=HYPERLINK(\"http://evil.example\")' WHERE city_id = $1",
        )
        .bind(lucca)
        .execute(pool)
        .await
        .unwrap();
        sqlx::query(
            "UPDATE pact_commitments SET label_en = '+cmd|'' /C calc''!A0' \
             WHERE pact_id = (SELECT id FROM pacts WHERE city_id = $1)",
        )
        .bind(lucca)
        .execute(pool)
        .await
        .unwrap();
    });
    let (status, csv) = app.page(&browser(), "/open-data/pacts/lucca.csv").await;
    assert_eq!(status, 200);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut cells = 0;
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            cells += 1;
            let formula = cell.starts_with(['=', '+', '@', '\t', '\r'])
                || (cell.starts_with('-') && cell.parse::<f64>().is_err());
            assert!(!formula, "{cell:?}");
        }
    }
    assert!(
        cells > 0 && csv.contains("'=HYPERLINK") && csv.contains("'+cmd"),
        "{csv}"
    );
}

/// More saves at once than the SQLite pool has connections: the one holding the write lock must
/// never need a second connection, which the others, queued for the lock, would all be holding
/// (until every one of them gave up with a 503 after the busy timeout).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pact_saved_many_times_at_once_is_created_once_and_no_save_waits_out() {
    for test_db in common::backends().await {
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
