//! A refused form shows itself, through the real server: without JavaScript the way back to
//! the page ends at the form's summary of problems (`#problems`), which only that summary
//! carries, and everything typed or ticked comes back.

use crate::helpers::*;

/// A plain form post from `page`, as a browser without JavaScript sends it; the redirect's
/// Location.
async fn post_from(app: &TestApp, page: &str, name: &str, form: Form<'_>) -> String {
    let res = browser()
        .post(format!("{}/api/{name}", app.base))
        .header("Origin", &app.base)
        .header("Referer", page)
        .header("Accept", "text/html")
        .form(form)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    res.headers()["location"].to_str().unwrap().to_owned()
}

/// A meeting of Lucca in two days that takes registrations; its date.
async fn meeting(app: &TestApp) -> i64 {
    use db::meetings::{self, NewMeeting, Owner};
    use domain::schedule::{Schedule, Zone};
    let day = (chrono::Utc::now() + chrono::Duration::days(2)).date_naive();
    let zone = Zone::parse("Europe/Rome").unwrap();
    let (start, end) = (format!("{day}T17:30"), format!("{day}T19:00"));
    let schedule = Schedule::parse(zone, &start, &end, "", &[]).unwrap();
    let uid = format!("test-{}@learning.example", uuid::Uuid::new_v4());
    let m = NewMeeting {
        uid: &uid,
        owner: Owner::City(app.city("lucca").await),
        sector_id: None,
        title: "Tavolo",
        description: "",
        language: "it",
        audience: domain::Audience::Everyone,
        mode: domain::Mode::InPerson,
        place: "",
        address: "",
        position: None,
        online_link: None,
        schedule: &schedule,
        capacity: None,
        takes_registrations: true,
        registration_opens_at: None,
        registration_closes_at: None,
        reminders: &[],
        created_by: None,
    };
    let mut tx = app.db.begin_write().await.unwrap();
    let id = meetings::create(&mut tx, &m, chrono::Utc::now().timestamp())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    app.db.next_occurrences(id, 0, 1).await.unwrap()[0].0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_post_lands_on_its_summary_with_every_value_and_box_kept() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let id = meeting(&app).await.to_string();
        let page = format!("{}/en/meetings/{id}", app.base);

        // A bad address, the box ticked.
        let form = [
            ("lang", "en"),
            ("occurrence", id.as_str()),
            ("name", "Giulia Bianchi"),
            ("email", "giulia@"),
            ("organisation", "Museo"),
            ("consent", "yes"),
        ];
        let location = post_from(&app, &page, "register", &form).await;
        let (back, fragment) = location.split_once('#').expect("a fragment");
        assert_eq!(fragment, "problems", "{location}");
        assert!(
            back.starts_with(&page) && back.contains("__err="),
            "{location}"
        );
        let res = browser().get(back).send().await.unwrap();
        assert_eq!(res.status(), 422);
        let html = res.text().await.unwrap();
        assert_eq!(
            html.matches(r#"id="problems""#).count(),
            1,
            "one summary named"
        );
        let named = html
            .split('<')
            .find(|tag| tag.contains(r#"id="problems""#))
            .unwrap();
        assert!(
            named.contains(r#"class="form-alert""#),
            "the summary is what is named: {named}"
        );
        assert!(html.contains(r#"value="Giulia Bianchi""#));
        assert!(html.contains(r#"value="giulia@""#));
        let consent = html
            .split("<input")
            .find(|i| i.contains(r#"id="field-consent""#))
            .unwrap();
        assert!(
            consent.contains("checked"),
            "the ticked box came back ticked: {consent}"
        );

        // The box left unticked comes back unticked.
        let form = [
            ("lang", "en"),
            ("occurrence", id.as_str()),
            ("name", "Giulia Bianchi"),
            ("email", "giulia@example.org"),
        ];
        let location = post_from(&app, &page, "register", &form).await;
        assert!(location.ends_with("#problems"), "{location}");
        let html = browser()
            .get(location.split_once('#').unwrap().0)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let consent = html
            .split("<input")
            .find(|i| i.contains(r#"id="field-consent""#))
            .unwrap();
        assert!(!consent.contains("checked"), "{consent}");

        // A post that succeeds goes where it was sent, with no fragment.
        let location = post_from(
            &app,
            &page,
            "register",
            &[
                ("lang", "en"),
                ("occurrence", id.as_str()),
                ("name", "Giulia Bianchi"),
                ("email", "giulia@example.org"),
                ("consent", "yes"),
            ],
        )
        .await;
        assert!(
            !location.contains('#') && location.contains("done="),
            "{location}"
        );
    }
}
