//! What an organisation chooses when it joins: to be listed or not, and its tax code, which a
//! stranger typing it cannot block.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stranger_typing_an_organisations_tax_code_blocks_nothing() {
    for test_db in testkit::backends().await {
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
async fn listing_is_a_choice_the_organisation_makes_and_a_refusal_keeps_it() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
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
