//! Coordinators run their city's pact: its text and versions, partners, commitments and
//! sectors, decisions on adhesions and edits of them, each audited and refused to another city's.

use super::*;

/// The settings form's fields with the given English title and Italian text.
fn save<'a>(title_en: &'a str, text: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("lang", "en"),
        ("slug", "lucca"),
        ("title_en", title_en),
        ("title_it", "Patto per l'apprendimento permanente"),
        ("signed_on", "2020-12-30"),
        ("text_it", text),
        ("text_en", "## Preamble\n\nRevised."),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_citys_coordinators_open_the_pacts_settings() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let (b, c) = (app.backend, coordinators(&app).await);
        let path = "/en/coordinate/pacts/lucca/settings";
        assert_eq!(app.page(&c.me, path).await.0, 200, "{b}");
        assert_eq!(app.page(&c.other, path).await.0, 403, "{b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pact_needs_an_english_title_and_only_its_coordinators_save_it() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let (b, c) = (app.backend, coordinators(&app).await);
        let (status, body) = app.call(&c.me, "pact_save", &save("", "x")).await;
        assert_eq!(status, 422, "{b}");
        assert_eq!(
            problems(&body),
            HashSet::from(["title_en".to_owned()]),
            "{b}"
        );
        let (status, _) = app.call(&c.other, "pact_save", &save("Pact", "x")).await;
        assert_eq!(status, 403, "{b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_text_is_a_new_version_and_adhesions_keep_the_one_they_signed() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let (b, c) = (app.backend, coordinators(&app).await);
        let text = save(
            "Pact for Lifelong Learning",
            "## Premessa\n\nRivisto nel 2026.",
        );
        let (status, body) = app.call(&c.me, "pact_save", &text).await;
        assert_eq!(status, 200, "{b}: {body}");
        app.assert_audited("pact.update").await;
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
        let new = &app.adhesion_named("Nuovo Aderente").await[0];
        assert_eq!(new.version_number, 2, "{b}");
        let old = &app.adhesion_named("Nuoto").await[0];
        assert_eq!(old.version_number, 1, "{b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_needs_a_valid_website_and_shows_on_the_pact_page() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let (b, c) = (app.backend, coordinators(&app).await);
        let partner = [
            ("lang", "en"),
            ("slug", "lucca"),
            ("name", "Fondazione Esempio"),
            ("role_en", "Foundation"),
            ("role_it", "Fondazione"),
        ];
        let bad = [&partner[..], &[("website", "not a url")]].concat();
        assert_eq!(app.call(&c.me, "pact_partner", &bad).await.0, 422, "{b}");
        assert_eq!(
            app.call(&c.me, "pact_partner", &partner).await.0,
            200,
            "{b}"
        );
        let (_, html) = app.page(&browser(), "/en/cities/lucca/pact").await;
        assert!(html.contains("Fondazione Esempio"), "{b}");
        app.assert_audited("pact.partner.save").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commitment_shows_on_the_join_form_and_its_key_is_unique() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let (b, c) = (app.backend, coordinators(&app).await);
        let commitment = |label_en, label_it| {
            [
                ("lang", "en"),
                ("slug", "lucca"),
                ("key", "mentoring"),
                ("label_en", label_en),
                ("label_it", label_it),
            ]
        };
        let first = commitment("Mentor young people", "Fare da mentori ai giovani");
        let (status, _) = app.call(&c.me, "pact_commitment", &first).await;
        assert_eq!(status, 200, "{b}");
        let (_, form) = app.page(&browser(), "/en/cities/lucca/pact/join").await;
        assert!(form.contains("Mentor young people"), "{b}");
        let again = commitment("Again", "Ancora");
        let (status, body) = app.call(&c.me, "pact_commitment", &again).await;
        assert_eq!(
            (status, problem_of(&body, "key").as_deref()),
            (422, Some("Duplicate")),
            "{b}"
        );
        app.assert_audited("pact.commitment.save").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sector_in_use_stays_and_an_unused_one_goes() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let (b, c) = (app.backend, coordinators(&app).await);
        let libraries = [
            ("lang", "en"),
            ("slug", "lucca"),
            ("key", "libraries"),
            ("name_en", "Libraries"),
            ("name_it", "Biblioteche"),
        ];
        assert_eq!(
            app.call(&c.me, "pact_sector", &libraries).await.0,
            200,
            "{b}"
        );
        app.assert_audited("sector.save").await;
        let remove = |id: i64| {
            let (app, me) = (&app, &c.me);
            async move {
                let id = id.to_string();
                let form = [
                    ("lang", "en"),
                    ("slug", "lucca"),
                    ("id", &id),
                    ("remove", "yes"),
                ];
                app.call(me, "pact_sector", &form).await
            }
        };
        let sports = app.db.sector_id(c.lucca, "sports").await.unwrap();
        let (status, body) = remove(sports).await;
        assert_eq!(
            (status, problem_of(&body, "form").as_deref()),
            (422, Some("InUse")),
            "{b}"
        );
        let libraries = app.db.sector_id(c.lucca, "libraries").await.unwrap();
        assert_eq!(remove(libraries).await.0, 200, "{b}: an unused sector goes");
        app.assert_audited("sector.delete").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejection_needs_a_reason_which_the_organisation_is_told() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let (b, c) = (app.backend, coordinators(&app).await);
        let commitments = app.commitments().await;
        let form = multipart(
            &filled("Nuovo Aderente", "nuovo@example.org", ""),
            &commitments[..1],
            None,
        );
        assert_eq!(app.join(&browser(), form).await.0, 200, "{b}");
        let token = token_in(&app.mail_to("nuovo@example.org").await[0]);
        let confirm = [("lang", "en"), ("token", token.as_str())];
        app.call(&browser(), "pact_confirm", &confirm).await;
        let id = app.adhesion_named("Nuovo Aderente").await[0].id.to_string();
        let reject = [("lang", "en"), ("id", id.as_str()), ("decision", "reject")];
        let (status, body) = app.call(&c.me, "pact_decide", &reject).await;
        assert_eq!(
            (status, problem_of(&body, "reason").as_deref()),
            (422, Some("Required")),
            "{b}"
        );
        let with_reason = [&reject[..], &[("reason", "La sede è fuori dal comune.")]].concat();
        let (status, _) = app.call(&c.me, "pact_decide", &with_reason).await;
        assert_eq!(status, 200, "{b}");
        let last = app.mail_to("nuovo@example.org").await.pop().unwrap();
        let text = app::mail::text_of(last.as_bytes()).unwrap();
        assert!(text.contains("La sede è fuori dal comune."), "{b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinators_edit_of_an_adhesion_is_audited_and_another_citys_refused() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let (b, c) = (app.backend, coordinators(&app).await);
        let commitments = app.commitments().await;
        let nuoto = &app.adhesion_named("Nuoto").await[0];
        let mut fields = filled("ASD Nuoto Serchio", "ignored@example.org", "86842680455");
        fields = with(
            with(with(fields, "id", &nuoto.id.to_string()), "lang", "en"),
            "sector",
            "sports",
        );
        let edit = |client: &reqwest::Client| {
            client
                .post(format!("{}/api/pact_edit", app.base))
                .header("Origin", &app.base)
                .multipart(multipart(&fields, &commitments[..2], None))
                .send()
        };
        let res = edit(&c.me).await.unwrap();
        let status = res.status().as_u16();
        assert_eq!(status, 200, "{b}: {}", res.text().await.unwrap());
        let edited = app.db.adhesion(nuoto.id).await.unwrap();
        assert_eq!(edited.organisation, "ASD Nuoto Serchio", "{b}");
        assert_eq!(edited.email, nuoto.email, "{b}: the address is not edited");
        app.assert_audited("adhesion.update").await;
        let res = edit(&c.other).await.unwrap();
        assert_eq!(res.status().as_u16(), 403, "{b}");
    }
}
