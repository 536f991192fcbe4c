//! Meeting calendars through the real server, on SQLite and PostgreSQL: seats under
//! concurrent sign-ups, the waitlist and its promotion, repeated registrations, bad input, and
//! the public outputs (pages, JSON, feeds) read back by an independent iCalendar parser,
//! none of which may reveal a meeting's online link.

#[path = "../../db/tests/common/mod.rs"]
mod common;
mod support;

use chrono::{Duration, Utc};
use db::meetings::{self, NewMeeting, Owner};
use domain::schedule::{Schedule, Zone};
use domain::{Audience, Mode};
use std::collections::HashSet;
use support::*;

const SECRET_LINK: &str = "https://meet.example.org/secret-room-4242";

/// What a coordinator typed for a meeting.
struct Texts<'a> {
    title: &'a str,
    description: &'a str,
    place: &'a str,
}

impl TestApp {
    /// A meeting of Lucca starting in two days (or a series), returning its first occurrence.
    async fn meeting(&self, capacity: Option<i32>, rule: &str) -> i64 {
        let start = (Utc::now() + Duration::days(2)).date_naive();
        self.meeting_from(
            &format!("{start}T17:30"),
            &format!("{start}T19:00"),
            capacity,
            rule,
        )
        .await
    }

    /// A one-hour meeting of Lucca starting at an instant (to the minute).
    async fn meeting_at(&self, start: chrono::DateTime<Utc>) -> i64 {
        let zone = Zone::parse("Europe/Rome").unwrap();
        let local = |t: chrono::DateTime<Utc>| zone.local(t).format("%Y-%m-%dT%H:%M").to_string();
        self.meeting_from(&local(start), &local(start + Duration::hours(1)), None, "")
            .await
    }

    async fn meeting_from(&self, start: &str, end: &str, capacity: Option<i32>, rule: &str) -> i64 {
        let texts = Texts {
            title: "Tavolo <b>di</b> prova",
            description: "Un incontro *di prova*.\n\n<script>alert(1)</script>",
            place: "",
        };
        self.meeting_with(start, end, capacity, rule, texts).await
    }

    async fn meeting_with(
        &self,
        start: &str,
        end: &str,
        capacity: Option<i32>,
        rule: &str,
        texts: Texts<'_>,
    ) -> i64 {
        let lucca = self.db.city_id("lucca").await.unwrap();
        let schedule =
            Schedule::parse(Zone::parse("Europe/Rome").unwrap(), start, end, rule, &[]).unwrap();
        let uid = format!("test-{}@learning.example", uuid::Uuid::new_v4());
        let m = NewMeeting {
            uid: &uid,
            owner: Owner::City(lucca),
            sector_id: None,
            title: texts.title,
            description: texts.description,
            language: "it",
            audience: Audience::Everyone,
            mode: Mode::Online,
            place: texts.place,
            address: "",
            position: None,
            online_link: Some(SECRET_LINK),
            schedule: &schedule,
            capacity,
            takes_registrations: true,
            registration_opens_at: None,
            registration_closes_at: None,
            reminders: &[1440, 60],
            created_by: None,
        };
        let mut tx = self.db.begin_write().await.unwrap();
        let id = meetings::create(&mut tx, &m, Utc::now().timestamp())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let (first, _) = self.db.next_occurrences(id, 0, 1).await.unwrap()[0];
        first
    }

    async fn register(
        &self,
        client: &reqwest::Client,
        occurrence: i64,
        email: &str,
    ) -> (u16, String) {
        let id = occurrence.to_string();
        self.call(
            client,
            "register",
            &[
                ("lang", "en"),
                ("occurrence", &id),
                ("name", email.split('@').next().unwrap()),
                ("email", email),
                ("consent", "yes"),
            ],
        )
        .await
    }

    async fn statuses(&self, occurrence: i64) -> (usize, usize, usize) {
        let all = self.db.registrations(occurrence).await.unwrap();
        let count = |s: &str| all.iter().filter(|r| r.status.as_str() == s).count();
        (count("confirmed"), count("waiting"), count("pending"))
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let res = browser()
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }
}

fn subject_of(mail: &str) -> String {
    mail.lines()
        .find_map(|l| l.strip_prefix("Subject: "))
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_sign_ups_for_twenty_seats_and_the_waitlist_moves_up() {
    for backend in common::backends().await {
        let app = spawn_app(backend, &[]).await;
        let occurrence = app.meeting(Some(20), "").await;
        let people: Vec<String> = (0..200).map(|i| format!("person{i}@example.org")).collect();

        // Everyone fills in the form at once…
        let registered = futures::future::join_all(people.iter().map(|email| {
            let app = &app;
            async move { app.register(&browser(), occurrence, email).await }
        }))
        .await;
        for (status, body) in &registered {
            assert_eq!(*status, 200, "{}: {body}", app.backend);
        }
        assert_eq!(
            app.statuses(occurrence).await,
            (0, 0, 200),
            "{}",
            app.backend
        );

        // …and everyone confirms from the mail at once.
        let mut tokens = Vec::new();
        for email in &people {
            let mail = app.mail_to(email).await;
            assert_eq!(
                mail.len(),
                1,
                "{}: one confirmation request to {email}",
                app.backend
            );
            tokens.push(token_in(&mail[0]));
        }
        let confirmed = futures::future::join_all(tokens.iter().map(|token| {
            let app = &app;
            async move {
                app.call(
                    &browser(),
                    "confirm_registration",
                    &[("lang", "en"), ("token", token)],
                )
                .await
            }
        }))
        .await;
        for (status, body) in &confirmed {
            assert_eq!(*status, 200, "{}: {body}", app.backend);
        }
        assert_eq!(
            app.statuses(occurrence).await,
            (20, 180, 0),
            "{}",
            app.backend
        );
        let row = app.db.occurrence(occurrence).await.unwrap();
        assert_eq!(row.taken, 20, "{}: the seat counter agrees", app.backend);

        // The seated got the link and a calendar entry; the waiting did not get the link.
        let mut seated = Vec::new();
        let mut waiting = Vec::new();
        for (email, token) in people.iter().zip(&tokens) {
            let mail = app.mail_to(email).await;
            assert_eq!(mail.len(), 2, "{}", app.backend);
            let text = app::mail::text_of(mail[1].as_bytes()).unwrap();
            if subject_of(&mail[1]).starts_with("Registered") {
                assert!(text.contains(SECRET_LINK), "{}", app.backend);
                assert!(
                    mail[1].contains("text/calendar"),
                    "{}: .ics attached",
                    app.backend
                );
                seated.push((email.clone(), token.clone()));
            } else {
                assert!(!mail[1].contains(SECRET_LINK), "{}", app.backend);
                waiting.push(email.clone());
            }
        }
        assert_eq!((seated.len(), waiting.len()), (20, 180), "{}", app.backend);

        // Registering again keeps the one seat and says so.
        let (status, body) = app.register(&browser(), occurrence, &seated[0].0).await;
        assert_eq!(
            (status, body.as_str()),
            (200, "\"Already\""),
            "{}",
            app.backend
        );
        assert_eq!(
            app.statuses(occurrence).await,
            (20, 180, 0),
            "{}",
            app.backend
        );

        // A seated person cancels: the first on the waitlist is promoted and told once.
        let first_waiting = {
            let all = app.db.registrations(occurrence).await.unwrap();
            all.into_iter()
                .find(|r| r.status.as_str() == "waiting")
                .unwrap()
                .email
        };
        let (status, body) = app
            .call(
                &browser(),
                "cancel_registration",
                &[("lang", "en"), ("token", &seated[1].1)],
            )
            .await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        assert_eq!(
            app.statuses(occurrence).await,
            (20, 179, 0),
            "{}",
            app.backend
        );
        let mail = app.mail_to(&first_waiting).await;
        let promoted: Vec<_> = mail
            .iter()
            .filter(|m| subject_of(m).starts_with("Registered"))
            .collect();
        assert_eq!(
            promoted.len(),
            1,
            "{}: promoted and mailed once",
            app.backend
        );
        assert!(app::mail::text_of(promoted[0].as_bytes())
            .unwrap()
            .contains(SECRET_LINK));
        // Cancelling twice changes nothing more.
        let (status, _) = app
            .call(
                &browser(),
                "cancel_registration",
                &[("lang", "en"), ("token", &seated[1].1)],
            )
            .await;
        assert_eq!(status, 200, "{}", app.backend);
        assert_eq!(
            app.statuses(occurrence).await,
            (20, 179, 0),
            "{}",
            app.backend
        );
    }
}

/// Fields sent, and the fields expected to be named in the answer.
type Case<'a> = (&'a [(&'a str, &'a str)], &'a [&'a str]);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_registrations_get_messages_per_field_and_keep_what_was_typed() {
    let app = spawn_app(common::sqlite().await, &[]).await;
    let occurrence = app.meeting(Some(5), "").await;
    let id = occurrence.to_string();
    let long = "x".repeat(1001);
    let cases: [Case; 4] = [
        (
            &[("name", ""), ("email", "")],
            &["name", "email", "consent"],
        ),
        (
            &[
                ("name", "Ada"),
                ("email", "not-an-address"),
                ("consent", "yes"),
            ],
            &["email"],
        ),
        (
            &[
                ("name", "Ada"),
                ("email", "ada@example.org"),
                ("needs", &long),
                ("consent", "yes"),
            ],
            &["needs"],
        ),
        (
            &[
                ("name", "Ada\u{7}"),
                ("email", "ada@example.org"),
                ("consent", "yes"),
            ],
            &["name"],
        ),
    ];
    for (fields, expected) in cases {
        let mut form = vec![("lang", "en"), ("occurrence", id.as_str())];
        form.extend_from_slice(fields);
        let (status, body) = app.call(&browser(), "register", &form).await;
        assert_eq!(status, 422, "{fields:?}: {body}");
        let error: serde_json::Value = serde_json::from_str(&body).unwrap();
        let problems: HashSet<String> = error["Invalid"]["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p[0].as_str().unwrap().to_owned())
            .collect();
        let expected: HashSet<String> = expected.iter().map(|s| s.to_string()).collect();
        assert_eq!(problems, expected, "{fields:?}");
        let kept: Vec<String> = error["Invalid"]["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v[0].as_str().unwrap().to_owned())
            .collect();
        assert!(kept.contains(&"name".to_owned()) && kept.contains(&"email".to_owned()));
    }
    assert_eq!(app.statuses(occurrence).await, (0, 0, 0));
    // An unknown occurrence is a 404, not a 500.
    let (status, _) = app.register(&browser(), 987_654, "ada@example.org").await;
    assert_eq!(status, 404);
    // The honeypot: answered like a person, nothing stored, nothing sent.
    let (status, _) = app
        .call(
            &browser(),
            "register",
            &[
                ("lang", "en"),
                ("occurrence", &id),
                ("name", "Bot"),
                ("email", "bot@example.org"),
                ("consent", "yes"),
                ("website", "http://spam.example"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.statuses(occurrence).await, (0, 0, 0));
    assert!(app.mail_to("bot@example.org").await.is_empty());
    // A name with markup is stored as typed and shown as text.
    let client = browser();
    app.register(&client, occurrence, "eve@example.org").await;
    let mail = app.mail_to("eve@example.org").await;
    let token = token_in(&mail[0]);
    let (status, html) = app.get(&format!("/en/registration?token={token}")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("<b>di</b>"), "titles are escaped");
    assert!(html.contains("Tavolo &lt;b&gt;di&lt;/b&gt; prova"));
    // A made-up personal link says so, with a 4xx.
    let (status, _) = app.get("/en/registration?token=made-up").await;
    assert!((400..500).contains(&status), "{status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feeds_are_valid_icalendar_and_nothing_public_shows_the_online_link() {
    for backend in common::backends().await {
        let app = spawn_app(backend, &[]).await;
        let single = app.meeting(Some(10), "").await;
        let series = app.meeting(None, "FREQ=WEEKLY;COUNT=6").await;
        // The second occurrence of the series is cancelled.
        let second = app
            .db
            .next_occurrences(
                app.db.occurrence(series).await.unwrap().meeting_id,
                app.db.occurrence(series).await.unwrap().starts_at,
                1,
            )
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

        let feeds = [
            "/feeds/calendar.ics",
            "/feeds/calendar.ics?lang=it",
            "/feeds/calendar.ics?city=lucca",
            "/feeds/calendar.ics?cluster=entrepreneurship",
            "/feeds/calendar.ics?city=lucca&sector=sports",
            "/feeds/calendar.ics?mode=online&language=it",
            &format!("/feeds/meetings/{single}.ics"),
        ];
        for feed in feeds {
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
            if feed == "/feeds/calendar.ics?city=lucca" {
                // Lucca's January 2021 meetings are past the feed's horizon; the series and the
                // single meeting of this test are there, the series with its cancelled date.
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
                let cancelled =
                    cal.events
                        .iter()
                        .filter(|e| {
                            e.properties.iter().any(|p| {
                                p.name == "STATUS" && p.value.as_deref() == Some("CANCELLED")
                            }) && e.properties.iter().any(|p| p.name == "RECURRENCE-ID")
                        })
                        .count();
                assert_eq!(cancelled, 1, "{}", app.backend);
            }
        }
        // Pages and JSON: the link never, the escaped title always.
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
        let (_, page) = app.get(&format!("/en/meetings/{single}")).await;
        assert!(page.contains("application/ld+json"), "{}", app.backend);
        assert!(
            page.contains("<em>di prova</em>"),
            "{}: Markdown rendered",
            app.backend
        );
        let (_, json) = app
            .call(
                &browser(),
                "meeting",
                &[("lang", "en"), ("id", &single.to_string())],
            )
            .await;
        assert!(!json.contains(SECRET_LINK), "{}", app.backend);
        let (_, feed) = app.get("/feeds/calendar.json?city=lucca").await;
        let feed: serde_json::Value = serde_json::from_str(&feed).unwrap();
        assert!(feed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == single));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_registering_too_often_is_slowed_down_with_a_translated_message() {
    let app = spawn_app(
        common::sqlite().await,
        &[("RATE_LIMIT_PER_MINUTE", "1"), ("RATE_LIMIT_BURST", "3")],
    )
    .await;
    let occurrence = app.meeting(None, "").await;
    for i in 0..3 {
        let (status, body) = app
            .register(&browser(), occurrence, &format!("p{i}@example.org"))
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = app.register(&browser(), occurrence, "p3@example.org").await;
    assert_eq!((status, body.as_str()), (429, "\"TooManyRequests\""));
    assert!(
        app.mail_to("p3@example.org").await.is_empty(),
        "nothing stored"
    );
    // A plain form post goes back to its page, which says why with the same status.
    let page = format!("{}/it/meetings/{occurrence}", app.base);
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::limited(3))
        .build()
        .unwrap();
    let id = occurrence.to_string();
    let res = plain
        .post(format!("{}/api/register", app.base))
        .header("Origin", &app.base)
        .header("Referer", &page)
        .header("Accept", "text/html")
        .form(&[
            ("lang", "it"),
            ("occurrence", id.as_str()),
            ("name", "Ada"),
            ("email", "ada@example.org"),
            ("consent", "yes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 429);
    let html = res.text().await.unwrap();
    assert!(html.contains("Troppi tentativi"), "translated: {html}");
    // Other pages and reads are not counted.
    let (status, _) = app.get(&format!("/en/meetings/{occurrence}")).await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reminders_go_out_once_at_the_times_set_even_with_two_instances() {
    for backend in common::backends().await {
        let app = spawn_app(backend, &[]).await;
        let now = Utc::now();
        // Both of its reminders (24 h and 1 h) are due: one letter, not two.
        let soon = app.meeting_at(now + Duration::minutes(30)).await;
        // Only the 24-hour reminder is due.
        let tomorrow = app.meeting_at(now + Duration::hours(23)).await;
        let later = app.meeting_at(now + Duration::days(3)).await;
        let off = app.meeting_at(now + Duration::minutes(40)).await;
        for (occurrence, email) in [
            (soon, "ada@example.org"),
            (tomorrow, "bea@example.org"),
            (later, "cleo@example.org"),
            (off, "dora@example.org"),
        ] {
            app.register_and_confirm(occurrence, email).await;
        }
        // Registered but never confirmed: no seat, no reminder.
        app.register(&browser(), soon, "eve@example.org").await;
        let mut tx = app.db.begin_write().await.unwrap();
        meetings::cancel_occurrence(&mut tx, off, now.timestamp())
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let site = app::SiteInfo {
            public_url: app.base.clone(),
            mail_from: "Learning City <no-reply@learning.example>".into(),
            tiles: None,
            registration_days: Default::default(),
        };
        // Two instances run their minute's job at the same moment.
        let (a, b) = tokio::join!(
            app::calendar::ops::send_due_reminders(&app.db, &site),
            app::calendar::ops::send_due_reminders(&app.db, &site)
        );
        assert_eq!(a.unwrap() + b.unwrap(), 2, "{}", app.backend);
        assert_eq!(
            app::calendar::ops::send_due_reminders(&app.db, &site)
                .await
                .unwrap(),
            0,
            "{}: each reminder once",
            app.backend
        );
        let reminders = |mail: Vec<String>| {
            mail.into_iter()
                .filter(|m| subject_of(m).starts_with("Reminder"))
                .collect::<Vec<_>>()
        };
        let ada = reminders(app.mail_to("ada@example.org").await);
        assert_eq!(ada.len(), 1, "{}", app.backend);
        assert!(app::mail::text_of(ada[0].as_bytes())
            .unwrap()
            .contains(SECRET_LINK));
        assert_eq!(reminders(app.mail_to("bea@example.org").await).len(), 1);
        for nobody in ["cleo@example.org", "dora@example.org", "eve@example.org"] {
            assert!(
                reminders(app.mail_to(nobody).await).is_empty(),
                "{}: {nobody}",
                app.backend
            );
        }
    }
}

/// A feed is kept, compressed, until something in it changes: browsers revalidate it by ETag or
/// date and may use it for a minute; a new meeting shows in the next answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feeds_are_kept_until_something_changes() {
    let app = spawn_app(common::sqlite().await, &[("FEED_CACHE_SECONDS", "60")]).await;
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
    for backend in common::backends().await {
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
        let attached = support::ics::attachment(mail.last().unwrap()).expect("an invite.ics");
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
            let cal = support::ics::strict(&body)
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_data_go_when_the_privacy_notice_says() {
    let retention = server::config::Retention {
        pact_days: 90,
        unconfirmed_registration_days: 7,
        registration_days: 30,
        mail_days: 30,
    };
    for backend in common::backends().await {
        let app = spawn_app(backend, &[]).await;
        let occurrence = app.meeting(None, "").await;
        let token = app
            .register_and_confirm(occurrence, "kept@example.org")
            .await;
        let (status, _) = app
            .register(&browser(), occurrence, "never@example.org")
            .await;
        assert_eq!(status, 200);
        let sent = chrono::Utc::now();
        let listed = app.db.outbox(100).await.unwrap();
        let (first, rest) = listed.split_first().unwrap();
        for m in rest {
            assert!(app.db.mark_sent(m.id, sent).await.unwrap());
        }
        let days = |n| Utc::now() + Duration::days(n);

        // A week and a day on: the registration never confirmed is gone, the other is whole.
        let f = server::forget(&app.db, retention, days(8)).await.unwrap();
        assert_eq!(
            (f.registrations_purged, f.registrations_erased),
            (1, 0),
            "{}",
            app.backend
        );
        let rows = app.db.registrations(occurrence).await.unwrap();
        assert_eq!(rows.len(), 1, "{}", app.backend);
        assert_eq!(rows[0].email, "kept@example.org");

        // Thirty days after the date: the status stays for the counts, the person does not;
        // their link no longer opens anything. Sent mail goes, mail still to send stays.
        let f = server::forget(&app.db, retention, days(33)).await.unwrap();
        assert_eq!(f.registrations_erased, 1, "{}", app.backend);
        assert_eq!(f.mail_deleted, rest.len() as u64, "{}", app.backend);
        let rows = app.db.registrations(occurrence).await.unwrap();
        assert_eq!(app.statuses(occurrence).await, (1, 0, 0), "{}", app.backend);
        let row = &rows[0];
        assert!(row.name.is_empty() && row.organisation.is_empty() && row.needs.is_empty());
        assert!(row.email.starts_with("erased:"), "{}", row.email);
        let (status, _) = app.get(&format!("/en/registration?token={token}")).await;
        assert!((400..500).contains(&status), "{}: {status}", app.backend);
        let left: Vec<i64> = app
            .db
            .outbox(100)
            .await
            .unwrap()
            .iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(left, vec![first.id], "{}", app.backend);
        // Nothing more to do the next time.
        let f = server::forget(&app.db, retention, days(33)).await.unwrap();
        assert_eq!(f, server::Forgotten::default(), "{}", app.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_is_a_translated_503_and_passes_without_a_restart() {
    use sqlx::Connection;
    let test_db = common::postgres().await;
    let database = url::Url::parse(&test_db.url).unwrap().path()[1..].to_owned();
    let app = spawn_app(test_db, &[("PAGE_CACHE_SECONDS", "0")]).await;
    let occurrence = app.meeting(None, "").await;
    let page = format!("/it/meetings/{occurrence}");
    assert_eq!(app.get(&page).await.0, 200);

    let mut admin = sqlx::PgConnection::connect(&common::postgres_admin_url())
        .await
        .unwrap();
    let close =
        |allow: bool| format!("ALTER DATABASE \"{database}\" WITH ALLOW_CONNECTIONS {allow}");
    sqlx::query(&close(false))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1")
        .bind(&database)
        .execute(&mut admin)
        .await
        .unwrap();

    let (status, html) = app.get(&page).await;
    assert_eq!(status, 503, "{html}");
    assert!(html.contains("Momentaneamente non disponibile"), "{html}");
    let (status, body) = app
        .register(&browser(), occurrence, "outage@example.org")
        .await;
    assert_eq!((status, body.as_str()), (503, "\"Unavailable\""));

    sqlx::query(&close(true)).execute(&mut admin).await.unwrap();
    let mut recovered = 0;
    for _ in 0..50 {
        recovered = app.get(&page).await.0;
        if recovered == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(recovered, 200, "the same server answers again");
    let (status, body) = app
        .register(&browser(), occurrence, "outage@example.org")
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_personal_link_lasts_as_long_as_its_registration() {
    for backend in common::backends().await {
        let app = spawn_app(backend, &[]).await;
        let b = app.backend;
        let occurrence = app.meeting(Some(1), "").await;
        let id = occurrence.to_string();
        let page = |t: &str| format!("/en/registration?token={t}");
        let ada = app
            .register_and_confirm(occurrence, "ada@example.org")
            .await;

        // Someone else types Ada's address under another name: Ada is written to, by her own
        // name, with the link she already has, which keeps working.
        let form = [
            ("lang", "en"),
            ("occurrence", id.as_str()),
            ("name", "Mallory"),
            ("email", "ada@example.org"),
            ("consent", "yes"),
        ];
        let (status, body) = app.call(&browser(), "register", &form).await;
        assert_eq!(status, 200, "{b}: {body}");
        let again = app.mail_to("ada@example.org").await.pop().unwrap();
        assert!(
            again.contains("Hello ada,") && !again.contains("Mallory"),
            "{b}: {again}"
        );
        assert_eq!(token_in(&again), ada, "{b}");
        assert_eq!(app.get(&page(&ada)).await.0, 200, "{b}");

        // Bea waits; Ada cancels; the mail that gives Bea the seat carries Bea's first link,
        // and her calendar entry still opens.
        let bea = app
            .register_and_confirm(occurrence, "bea@example.org")
            .await;
        assert_eq!(app.statuses(occurrence).await, (1, 1, 0), "{b}");
        let (status, _) = app
            .call(
                &browser(),
                "cancel_registration",
                &[("lang", "en"), ("token", &ada)],
            )
            .await;
        assert_eq!(status, 200, "{b}");
        let promoted = app.mail_to("bea@example.org").await.pop().unwrap();
        assert_eq!(token_in(&promoted), bea, "{b}");
        assert_eq!(app.get(&page(&bea)).await.0, 200, "{b}");
        let ics = app
            .get(&format!("/feeds/registration.ics?token={bea}"))
            .await;
        assert_eq!(ics.0, 200, "{b}");
        assert_eq!(
            app.get(&page(&ada)).await.0,
            200,
            "{b}: a cancelled registration's page"
        );

        // Replaced on request: the new link goes to the mailbox only, the old one is gone.
        let (status, body) = app
            .call(
                &browser(),
                "replace_registration_link",
                &[("lang", "en"), ("token", &bea)],
            )
            .await;
        assert_eq!(status, 200, "{b}: {body}");
        assert!(!body.contains(&bea), "{b}");
        let new = token_in(&app.mail_to("bea@example.org").await.pop().unwrap());
        assert_ne!(new, bea, "{b}");
        assert_eq!(app.get(&page(&new)).await.0, 200, "{b}");
        let (status, html) = app.get(&page(&bea)).await;
        assert_eq!(status, 404, "{b}");
        assert!(html.contains("This link is no longer valid"), "{b}: {html}");
        let (status, html) = app.get(&page("made-up")).await;
        assert_eq!(status, 404, "{b}");
        assert!(
            html.contains("register again with the same e-mail address"),
            "{b}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_sign_ups_at_once_for_fifty_seats() {
    for backend in common::backends().await {
        let app = spawn_app(backend, &[]).await;
        let b = app.backend;
        let occurrence = app.meeting(Some(50), "").await;
        let people: Vec<String> = (0..1000).map(|i| format!("crowd{i}@example.org")).collect();
        let client = browser();
        let started = std::time::Instant::now();
        let registered = futures::future::join_all(people.iter().map(|email| {
            let (app, client) = (&app, &client);
            async move { app.register(client, occurrence, email).await }
        }))
        .await;
        let registering = started.elapsed();
        for (status, body) in &registered {
            assert_eq!(*status, 200, "{b}: {body}");
        }
        assert_eq!(app.statuses(occurrence).await, (0, 0, 1000), "{b}");

        // Each person's link, as their mail carries it (derived as the server derives it).
        let key = app.db.stored_link_key().await.unwrap();
        let nonces: Vec<String> = db::on_pool!(&app.db, |pool| {
            sqlx::query_scalar("SELECT link_nonce FROM registrations WHERE occurrence_id = $1")
                .bind(occurrence)
                .fetch_all(pool)
                .await
                .unwrap()
        });
        let tokens: Vec<String> = nonces.iter().map(|n| key.link(n).secret).collect();
        let started = std::time::Instant::now();
        let confirmed = futures::future::join_all(tokens.iter().map(|token| {
            let (app, client) = (&app, &client);
            async move {
                app.call(
                    client,
                    "confirm_registration",
                    &[("lang", "en"), ("token", token)],
                )
                .await
            }
        }))
        .await;
        let confirming = started.elapsed();
        for (status, body) in &confirmed {
            assert_eq!(*status, 200, "{b}: {body}");
        }
        assert_eq!(app.statuses(occurrence).await, (50, 950, 0), "{b}");
        assert_eq!(
            app.db.occurrence(occurrence).await.unwrap().taken,
            50,
            "{b}"
        );
        println!(
            "{b}: 1,000 registrations in {registering:?}, 1,000 confirmations in {confirming:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmed_registrations_page_names_the_venue() {
    let app = spawn_app(common::sqlite().await, &[]).await;
    let start = (Utc::now() + Duration::days(3)).date_naive();
    let texts = Texts {
        title: "Tavolo delle biblioteche",
        description: "",
        place: "Sala degli Specchi",
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
        .register_and_confirm(occurrence, "ada@example.org")
        .await;
    let (status, html) = app.get(&format!("/en/registration?token={token}")).await;
    assert_eq!(status, 200);
    let at = html
        .find("<dt>Where<")
        .unwrap_or_else(|| panic!("where the meeting is: {html}"));
    let dd = &html[at..];
    let dd = &dd[..dd.find("</dd>").expect("its value")];
    assert!(dd.contains("Sala degli Specchi"), "{dd}");
}
