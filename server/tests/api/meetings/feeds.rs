//! Calendar feeds and files: valid iCalendar, no online link in public, kept until a change.

use super::*;

/// A single meeting and a weekly series of six whose second date is cancelled.
async fn single_and_series_with_a_cancelled_date(app: &TestApp) -> (i64, i64) {
    let single = app.meeting(Some(10), "").await;
    let series = app.meeting(None, "FREQ=WEEKLY;COUNT=6").await;
    let first = app.db.occurrence(series).await.unwrap();
    let second = app
        .db
        .next_occurrences(first.meeting_id, first.starts_at, 1)
        .await
        .unwrap()[0]
        .0;
    let mut tx = app.db.begin_write().await.unwrap();
    assert!(
        meetings::cancel_occurrence(&mut tx, second, Utc::now().timestamp())
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    (single, series)
}

/// The feed at `feed`, checked: one calendar, no online link, one entry per UID and
/// RECURRENCE-ID, a VTIMEZONE for every TZID, a SEQUENCE and a DTSTAMP on each.
async fn valid_feed(app: &TestApp, feed: &str) -> ical::parser::ical::component::IcalCalendar {
    let (status, body) = app.get(feed).await;
    assert_eq!(status, 200, "{} {feed}", app.backend);
    assert!(!body.contains(SECRET_LINK), "{} {feed}", app.backend);
    let calendars: Vec<_> = ical::IcalParser::new(body.as_bytes()).collect();
    assert_eq!(calendars.len(), 1, "{} {feed}", app.backend);
    let cal = calendars
        .into_iter()
        .next()
        .unwrap()
        .unwrap_or_else(|e| panic!("{} {feed}: {e}\n{body}", app.backend));
    let zones: HashSet<String> = cal
        .timezones
        .iter()
        .filter_map(|z| z.properties.iter().find(|p| p.name == "TZID"))
        .filter_map(|p| p.value.clone())
        .collect();
    let mut keys = HashSet::new();
    for event in &cal.events {
        let prop = |name: &str| event.properties.iter().find(|p| p.name == name);
        let uid = prop("UID").and_then(|p| p.value.clone()).expect("UID");
        let rid = prop("RECURRENCE-ID").and_then(|p| p.value.clone());
        assert!(
            keys.insert((uid, rid)),
            "{} {feed}: one entry per UID and RECURRENCE-ID",
            app.backend
        );
        for name in ["DTSTART", "DTEND"] {
            let p = prop(name).expect(name);
            let tzid = p
                .params
                .as_ref()
                .and_then(|ps| ps.iter().find(|(k, _)| k == "TZID"))
                .map(|(_, v)| v[0].clone())
                .expect("TZID");
            assert!(
                zones.contains(&tzid),
                "{} {feed}: VTIMEZONE for {tzid}",
                app.backend
            );
        }
        assert!(prop("SEQUENCE").is_some() && prop("DTSTAMP").is_some());
    }
    cal
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_feed_is_valid_icalendar_without_the_online_link() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let (single, _) = single_and_series_with_a_cancelled_date(&app).await;
        for feed in [
            "/feeds/calendar.ics",
            "/feeds/calendar.ics?lang=it",
            "/feeds/calendar.ics?city=lucca",
            "/feeds/calendar.ics?cluster=entrepreneurship",
            "/feeds/calendar.ics?city=lucca&sector=sports",
            "/feeds/calendar.ics?mode=online&language=it",
            &format!("/feeds/meetings/{single}.ics"),
        ] {
            valid_feed(&app, feed).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_citys_feed_carries_a_series_with_its_cancelled_date() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        single_and_series_with_a_cancelled_date(&app).await;
        let cal = valid_feed(&app, "/feeds/calendar.ics?city=lucca").await;
        // Lucca's January 2021 meetings are past the feed's horizon; the series and the single
        // meeting of this test are there, the series with its cancelled date.
        let rrules = cal
            .events
            .iter()
            .filter(|e| e.properties.iter().any(|p| p.name == "RRULE"))
            .count();
        assert!(
            rrules >= 2,
            "{}: our series and the demo coordination table",
            app.backend
        );
        let cancelled = cal
            .events
            .iter()
            .filter(|e| {
                e.properties
                    .iter()
                    .any(|p| p.name == "STATUS" && p.value.as_deref() == Some("CANCELLED"))
                    && e.properties.iter().any(|p| p.name == "RECURRENCE-ID")
            })
            .count();
        assert_eq!(cancelled, 1, "{}", app.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_and_json_never_show_the_online_link_and_always_escape_the_title() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let (single, series) = single_and_series_with_a_cancelled_date(&app).await;
        for path in [
            format!("/en/meetings/{single}"),
            format!("/it/meetings/{series}"),
            "/en/calendar".to_owned(),
            "/en/cities/lucca/calendar?view=month".to_owned(),
            "/it/calendar?view=week&city=lucca".to_owned(),
            "/feeds/calendar.json?city=lucca".to_owned(),
        ] {
            let (status, body) = app.get(&path).await;
            assert_eq!(status, 200, "{} {path}", app.backend);
            assert!(!body.contains(SECRET_LINK), "{} {path}", app.backend);
            assert!(
                !body.contains("<script>alert(1)</script>"),
                "{} {path}",
                app.backend
            );
        }
        let (_, json) = app
            .call(
                &browser(),
                "meeting",
                &[("lang", "en"), ("id", &single.to_string())],
            )
            .await;
        assert!(!json.contains(SECRET_LINK), "{}", app.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meetings_page_carries_structured_data_and_its_rendered_markdown() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let single = app.meeting(Some(10), "").await;
        let (_, page) = app.get(&format!("/en/meetings/{single}")).await;
        assert!(page.contains("application/ld+json"), "{}", app.backend);
        assert!(
            page.contains("<em>di prova</em>"),
            "{}: Markdown rendered",
            app.backend
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_json_feed_lists_the_citys_meetings() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let single = app.meeting(Some(10), "").await;
        let (_, feed) = app.get("/feeds/calendar.json?city=lucca").await;
        let feed: serde_json::Value = serde_json::from_str(&feed).unwrap();
        assert!(feed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == single));
    }
}

/// A feed is kept, compressed, until something in it changes: browsers revalidate it by ETag or
/// date and may use it for a minute; a new meeting shows in the next answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feeds_are_kept_until_something_changes() {
    let app = spawn_app(testkit::sqlite().await, &[("FEED_CACHE_SECONDS", "60")]).await;
    let path = format!("{}/feeds/calendar.ics?city=lucca", app.base);
    let fetch = |headers: Vec<(&'static str, String)>| {
        let mut request = browser().get(&path);
        for (k, v) in headers {
            request = request.header(k, v);
        }
        request.send()
    };
    let header = |res: &reqwest::Response, name: &str| {
        res.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let first = fetch(vec![]).await.unwrap();
    assert_eq!(first.status(), 200);
    let (etag, modified) = (header(&first, "etag"), header(&first, "last-modified"));
    assert!(header(&first, "cache-control").contains("max-age=60"));
    assert!(!etag.is_empty() && !modified.is_empty());
    let before = first.text().await.unwrap();
    assert!(!before.contains("Tavolo &lt;b&gt;di&lt;/b&gt; prova"));

    // A second later, the same answer: kept, not rendered anew (its date would have moved).
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let again = fetch(vec![]).await.unwrap();
    assert_eq!(header(&again, "etag"), etag);
    assert_eq!(header(&again, "last-modified"), modified);
    for (name, value) in [
        ("if-none-match", etag.clone()),
        ("if-modified-since", modified.clone()),
    ] {
        let res = fetch(vec![(name, value)]).await.unwrap();
        assert_eq!(res.status(), 304, "{name}");
    }
    let br = fetch(vec![("accept-encoding", "br".to_owned())])
        .await
        .unwrap();
    assert_eq!(header(&br, "content-encoding"), "br");

    app.meeting(None, "").await;
    let changed = fetch(vec![("if-none-match", etag.clone())]).await.unwrap();
    assert_eq!(changed.status(), 200, "the change shows at once");
    assert_ne!(header(&changed, "etag"), etag);
    let after = changed.text().await.unwrap();
    assert!(
        after.contains("Tavolo &lt;b&gt;di&lt;/b&gt; prova")
            || after.contains("Tavolo <b>di</b> prova"),
        "the new meeting is in the feed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_calendar_file_is_strict_icalendar_whatever_a_meeting_says() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        // Stored before titles were checked, or typed into any other field: line breaks of
        // every kind, and the characters TEXT values must escape.
        let title = "Evil\r\nATTENDEE:mailto:eve@evil.example\rBEGIN:VALARM\nX-A;B,C\\";
        let place = "Sala; A, piano 1\r\nX-INJECTED:1";
        let description = "Line one\rTRIGGER:-PT1M\u{7}\nEND:VEVENT";
        let start = (Utc::now() + Duration::days(2)).date_naive();
        let texts = Texts {
            title,
            description,
            place,
        };
        let occurrence = app
            .meeting_with(
                &format!("{start}T17:30"),
                &format!("{start}T19:00"),
                None,
                "",
                texts,
            )
            .await;
        let token = app
            .register_and_confirm(occurrence, "ics@example.org")
            .await;
        let mail = app.mail_to("ics@example.org").await;
        let attached =
            crate::helpers::ics::attachment(mail.last().unwrap()).expect("an invite.ics");
        let mut files = vec![("invite.ics".to_owned(), attached)];
        for path in [
            format!("/feeds/meetings/{occurrence}.ics?lang=en"),
            "/feeds/calendar.ics?city=lucca".to_owned(),
            format!("/feeds/registration.ics?token={token}"),
        ] {
            let (status, body) = app.get(&path).await;
            assert_eq!(status, 200, "{} {path}", app.backend);
            files.push((path, body));
        }
        // One line as the calendar shows it: every line break became a plain LF, nothing else
        // was dropped but the bell.
        let shown = |s: &str| s.replace("\r\n", "\n").replace('\r', "\n");
        for (name, body) in files {
            let cal = crate::helpers::ics::strict(&body)
                .unwrap_or_else(|e| panic!("{} {name}: {e}\n{body}", app.backend));
            let events = cal.all("VEVENT");
            let event = events
                .iter()
                .find(|e| e.one("SUMMARY").is_some_and(|s| s.text() == shown(title)))
                .unwrap_or_else(|| {
                    panic!("{} {name}: no event titled as typed\n{body}", app.backend)
                });
            let location = event.one("LOCATION").unwrap().text();
            assert!(location.ends_with(&shown(place)), "{name}: {location:?}");
            let text = event.one("DESCRIPTION").unwrap().text();
            // The description is the Markdown's plain text (lines joined), inside its value.
            assert!(
                text.contains("Line one TRIGGER:-PT1M END:VEVENT"),
                "{name}: {text:?}"
            );
            if name != "/feeds/calendar.ics?city=lucca" {
                assert_eq!(cal.one("NAME").unwrap().text(), shown(title), "{name}");
            }
            // The registrant's own entries lead the location with the conference link, as
            // a property value rather than text spliced into the file.
            if name == "invite.ics" || name.starts_with("/feeds/registration") {
                assert!(location.starts_with(SECRET_LINK), "{name}: {location:?}");
            }
        }
    }
}
