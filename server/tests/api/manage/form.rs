//! The meeting form: each bad field named, what was typed kept, registration windows.

use super::*;

/// Fields changed from a good form, and the fields expected to be named in the answer.
type Case<'a> = (Vec<(&'a str, &'a str)>, &'a [&'a str]);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_meeting_form_names_each_bad_field_and_keeps_what_was_typed() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let lucca = app.city("lucca").await;
    app.user("anna@comune.lucca.it", "en", &[Role::City(lucca)])
        .await;
    let anna = app.signed_in("anna@comune.lucca.it").await;
    let long = "x".repeat(201);
    let start = local_in(3, "17:30");
    let cases: Vec<Case> = vec![
        (
            vec![("title", ""), ("start", ""), ("end", "")],
            &["title", "start", "end"],
        ),
        (vec![("end", &start)], &["end"]),
        (
            vec![("repeat", "custom"), ("rrule", "FREQ=SECONDLY")],
            &["rrule"],
        ),
        (
            vec![("repeat", "custom"), ("rrule", "<script>alert(1)</script>")],
            &["rrule"],
        ),
        (
            vec![("repeat", "custom"), ("rrule", "FREQ=DAILY;COUNT=100000")],
            &["rrule"],
        ),
        (vec![("title", &long)], &["title"]),
        (vec![("online_link", "")], &["online_link"]),
        (
            vec![("online_link", "javascript:alert(1)")],
            &["online_link"],
        ),
        (vec![("capacity", "many")], &["capacity"]),
        (vec![("capacity", "0")], &["capacity"]),
        (vec![("reminders", "soon")], &["reminders"]),
        (vec![("timezone", "Mars/Olympus_Mons")], &["timezone"]),
        (vec![("count", "0")], &["count"]),
        (vec![("count", "2"), ("until", "2030-01-01")], &["until"]),
        (vec![("exceptions", "tomorrow")], &["exceptions"]),
        (
            vec![
                ("opens", "2030-01-02T10:00"),
                ("closes", "2030-01-01T10:00"),
            ],
            &["closes"],
        ),
        (vec![("sector", "no-such-sector")], &["sector"]),
        (
            vec![("mode", "telepathy"), ("audience", "aliens")],
            &["mode", "audience"],
        ),
        (
            vec![
                ("start", "2026-03-29T02:30"),
                ("end", "2026-03-29T04:00"),
                ("repeat", "never"),
            ],
            &["start"],
        ),
        (vec![("title", "Tavolo\u{0}")], &["title"]),
        (vec![("latitude", "43.84")], &["longitude"]),
        (
            vec![("latitude", "north"), ("longitude", "10.5")],
            &["latitude"],
        ),
        // Turin is no venue of Lucca's.
        (
            vec![("latitude", "45.07"), ("longitude", "7.68")],
            &["latitude"],
        ),
    ];
    for (changes, expected) in cases {
        let form = meeting_form("Tavolo", &changes);
        let (status, body) = app.call(&anna, "save_meeting", &pairs(&form)).await;
        assert_eq!(status, 422, "{changes:?}: {body}");
        let expected: HashSet<String> = expected.iter().map(|s| s.to_string()).collect();
        assert_eq!(problems_of(&body), expected, "{changes:?}");
        let error: serde_json::Value = serde_json::from_str(&body).unwrap();
        let kept: Vec<(String, String)> = error["Invalid"]["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v[0].as_str().unwrap().to_owned(),
                    v[1].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        for (k, v) in &form {
            if k != "lang" && k != "owner" && k != "registration" {
                assert!(
                    kept.contains(&(k.clone(), v.clone())),
                    "{k} kept in {changes:?}"
                );
            }
        }
    }
    assert!(app
        .db
        .managed_meetings(&db::meetings::ManagedScope::All, 0, false, 500, 0)
        .await
        .unwrap()
        .iter()
        .all(|m| m.title != "Tavolo"));

    // Without JavaScript the form comes back as a page with the 422, the message beside the
    // field, and what was typed, which never travels in the URL.
    let referer = format!("{}/en/coordinate/meetings/new?owner=city:lucca", app.base);
    let form = meeting_form("Un titolo tenuto", &[("end", &start), ("capacity", "many")]);
    let res = anna
        .post(format!("{}/api/save_meeting", app.base))
        .header("Origin", &app.base)
        .header("Referer", &referer)
        .header("Accept", "text/html")
        .form(&pairs(&form))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let err = url::Url::parse(&location)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "__err")
        .map(|(_, v)| v.into_owned())
        .expect("the error rides along");
    use base64::Engine as _;
    let decoded = base64::engine::general_purpose::URL_SAFE
        .decode(&err)
        .unwrap();
    let decoded = String::from_utf8(decoded).unwrap();
    assert!(decoded.contains("capacity"), "problems travel: {decoded}");
    assert!(
        !decoded.contains("Un titolo tenuto"),
        "values do not: {decoded}"
    );
    let res = anna.get(&location).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("value=\"Un titolo tenuto\""), "title kept");
    assert!(html.contains("This must come after the start."));
    assert!(html.contains("Enter a whole number."));

    // Script in the text is kept as typed and shown as text; its Markdown is sanitised.
    let form = meeting_form(
        "</title><script>alert('t')</script> Tavolo",
        &[(
            "description",
            "Ciao <script>alert('d')</script> <img src=x onerror=alert(1)>",
        )],
    );
    let (status, body) = app.call(&anna, "save_meeting", &pairs(&form)).await;
    assert_eq!(status, 200, "{body}");
    let (_, dates) = app
        .meeting_titled("</title><script>alert('t')</script> Tavolo")
        .await;
    let page = browser()
        .get(format!("{}/en/meetings/{}", app.base, dates[0]))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    if let Some(at) = page.find("<script>alert(") {
        panic!(
            "script survives: {}",
            &page[at.saturating_sub(300)..(at + 200).min(page.len())]
        );
    }
    assert!(!page.contains("onerror"), "no handler survives");
    assert!(
        page.contains("&lt;/title&gt;&lt;script&gt;alert"),
        "the title is shown as text"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_opens_and_closes_at_the_times_set() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let lucca = app.city("lucca").await;
    app.user("anna@comune.lucca.it", "en", &[Role::City(lucca)])
        .await;
    let anna = app.signed_in("anna@comune.lucca.it").await;
    for (title, changes, page_says) in [
        (
            "Not yet open",
            vec![("opens", local_in(1, "09:00"))],
            "Registration opens on",
        ),
        (
            "Already closed",
            vec![("closes", local_in(-1, "09:00"))],
            "Registration is closed.",
        ),
    ] {
        let changes: Vec<(&str, &str)> = changes.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let form = meeting_form(title, &changes);
        let (status, body) = app.call(&anna, "save_meeting", &pairs(&form)).await;
        assert_eq!(status, 200, "{body}");
        let (_, dates) = app.meeting_titled(title).await;
        let id = dates[0].to_string();
        let (status, body) = app
            .call(
                &browser(),
                "register",
                &[
                    ("lang", "en"),
                    ("occurrence", &id),
                    ("name", "Ada"),
                    ("email", "ada@example.org"),
                    ("consent", "yes"),
                ],
            )
            .await;
        assert_eq!(status, 422, "{title}: {body}");
        assert!(body.contains("RegistrationClosed"), "{title}: {body}");
        let page = browser()
            .get(format!("{}/en/meetings/{id}", app.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains(page_says), "{title}");
        assert!(!page.contains("id=\"field-consent\""), "{title}: no form");
    }
    // Opened from now on: the form is there and registration works.
    let form = meeting_form("Open now", &[("opens", &local_in(-1, "09:00"))]);
    app.call(&anna, "save_meeting", &pairs(&form)).await;
    let (_, dates) = app.meeting_titled("Open now").await;
    app.register_and_confirm(dates[0], "ada@example.org").await;
    assert_eq!(
        app.status_of(dates[0], "ada@example.org").await.as_deref(),
        Some("confirmed")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_title_is_one_line() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let lucca = app.city("lucca").await;
    app.user("anna@comune.lucca.it", "it", &[Role::City(lucca)])
        .await;
    let anna = app.signed_in("anna@comune.lucca.it").await;
    for title in ["Two\nlines", "Two\r\nlines"] {
        let form = meeting_form(title, &[]);
        let (status, body) = app.call(&anna, "save_meeting", &pairs(&form)).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            problems_of(&body),
            HashSet::from(["title".to_owned()]),
            "{body}"
        );
    }
}
