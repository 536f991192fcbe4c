//! Text typed into the pact's forms comes back as text: on every page and badge that shows it,
//! in a text area given back after a refusal, and in the open data, where no cell is a formula.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markup_in_every_text_field_is_stored_as_typed_and_shown_as_text() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let commitments = app.commitments().await;
    let good = || filled("Associazione Campione", "campione@example.org", "");
    let lucca = &commitments[..1];
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
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_text_area_given_back_after_a_refusal_cannot_be_closed_early() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let lucca_id = app.city("lucca").await;
    app.user("coord@lucca.example.org", "en", &[Role::City(lucca_id)])
        .await;
    let coordinator = app.signed_in("coord@lucca.example.org").await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_open_data_cell_runs_as_a_formula() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
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
