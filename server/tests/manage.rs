//! Coordinators managing meetings through the real server, on SQLite and PostgreSQL: a series
//! published, edited, partly cancelled, moved, cancelled and deleted, with the feed and the
//! registrants' mail following each step; people seated, moved and removed by hand; who may do
//! what; and the meeting form's answers to bad input.

#[path = "../../db/tests/common/mod.rs"]
mod common;
mod support;

use chrono::{Duration, Utc};
use domain::Role;
use std::collections::HashSet;
use support::*;

const SECRET_LINK: &str = "https://meet.example.org/tavolo-riservato";

/// Local wall-clock time in Lucca, `days` from now at `time`.
fn local_in(days: i64, time: &str) -> String {
    let day = (Utc::now() + Duration::days(days)).date_naive();
    format!("{day}T{time}")
}

/// The fields of a meeting form, with `changes` replacing or adding fields.
fn meeting_form(title: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = [
        ("lang", "en"),
        ("owner", "city:lucca"),
        ("title", title),
        ("description", "Il tavolo dei *firmatari*."),
        ("sector", ""),
        ("language", "it"),
        ("audience", "signatories"),
        ("mode", "online"),
        ("online_link", SECRET_LINK),
        ("timezone", "Europe/Rome"),
        ("repeat", "weekly"),
        ("count", "4"),
        ("registration", "yes"),
        ("capacity", "2"),
        ("reminders", "24h, 1h"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    form.push(("start".into(), local_in(3, "17:30")));
    form.push(("end".into(), local_in(3, "19:00")));
    for (k, v) in changes {
        form.retain(|(key, _)| key != k);
        form.push((k.to_string(), v.to_string()));
    }
    form
}

fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

fn subjects(mail: &[String]) -> Vec<String> {
    mail.iter()
        .map(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("Subject: "))
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

/// The calendar attachment of a message, unfolded.
fn ics_of(mail: &str) -> Option<String> {
    let parsed = mail_parser::MessageParser::default().parse(mail.as_bytes())?;
    let found = parsed.attachments().find_map(|a| {
        let text = String::from_utf8_lossy(a.contents()).into_owned();
        text.contains("BEGIN:VCALENDAR")
            .then(|| text.replace("\r\n ", "").replace("\r\n", "\n"))
    });
    found
}

fn problems_of(body: &str) -> HashSet<String> {
    let error: serde_json::Value =
        serde_json::from_str(body).unwrap_or_else(|_| panic!("not an error: {body}"));
    error["Invalid"]["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("no problems in {body}"))
        .iter()
        .map(|p| p[0].as_str().unwrap().to_owned())
        .collect()
}

impl TestApp {
    async fn status_of(&self, occurrence: i64, email: &str) -> Option<String> {
        self.db
            .registrations(occurrence)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.email == email && r.status.as_str() != "cancelled")
            .map(|r| r.status.as_str().to_owned())
    }

    async fn registration_id(&self, occurrence: i64, email: &str) -> i64 {
        self.db
            .registrations(occurrence)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.email == email && r.status.as_str() != "cancelled")
            .unwrap()
            .id
    }

    async fn lucca_feed(&self) -> ical::parser::ical::component::IcalCalendar {
        let body = browser()
            .get(format!("{}/feeds/calendar.ics?city=lucca", self.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!body.contains(SECRET_LINK), "{}: feed", self.backend);
        ical::IcalParser::new(body.as_bytes())
            .next()
            .unwrap()
            .unwrap_or_else(|e| panic!("{}: {e}\n{body}", self.backend))
    }
}

/// The feed's entries of one meeting: (RECURRENCE-ID, STATUS, SEQUENCE, DTSTART).
fn entries_titled(
    cal: &ical::parser::ical::component::IcalCalendar,
    title: &str,
) -> Vec<(Option<String>, String, String, String)> {
    cal.events
        .iter()
        .filter(|e| {
            e.properties
                .iter()
                .any(|p| p.name == "SUMMARY" && p.value.as_deref() == Some(title))
        })
        .map(|e| {
            let get = |n: &str| {
                e.properties
                    .iter()
                    .find(|p| p.name == n)
                    .and_then(|p| p.value.clone())
            };
            (
                get("RECURRENCE-ID"),
                get("STATUS").unwrap_or_default(),
                get("SEQUENCE").unwrap_or_default(),
                get("DTSTART").unwrap_or_default(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_series_is_published_edited_cancelled_and_deleted_and_registrants_hear_of_it() {
    for backend in common::backends().await {
        let app = spawn_app(backend, &[]).await;
        let lucca = app.city("lucca").await;
        app.user("anna@comune.lucca.it", "it", &[Role::City(lucca)])
            .await;
        let anna = app.signed_in("anna@comune.lucca.it").await;
        let title = "Tavolo dei firmatari";

        // Published: four weekly dates, in the city's feed as one series.
        let form = meeting_form(title, &[]);
        let (status, body) = app.call(&anna, "save_meeting", &pairs(&form)).await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        let (meeting, dates) = app.meeting_titled(title).await;
        assert_eq!(dates.len(), 4, "{}", app.backend);
        let feed = app.lucca_feed().await;
        let entries = entries_titled(&feed, title);
        assert_eq!(entries.len(), 1, "{}: one master entry", app.backend);
        let master = feed
            .events
            .iter()
            .find(|e| {
                e.properties
                    .iter()
                    .any(|p| p.value.as_deref() == Some(title))
            })
            .unwrap();
        let rrule = master
            .properties
            .iter()
            .find(|p| p.name == "RRULE")
            .and_then(|p| p.value.clone())
            .unwrap();
        assert!(
            rrule.contains("FREQ=WEEKLY") && rrule.contains("COUNT=4"),
            "{rrule}"
        );

        // Three people for two seats on the first date.
        for who in ["ada", "bea", "cleo"] {
            app.register_and_confirm(dates[0], &format!("{who}@example.org"))
                .await;
        }
        assert_eq!(
            app.status_of(dates[0], "cleo@example.org").await.as_deref(),
            Some("waiting")
        );

        // Half an hour later, and a third seat: the dates keep their registrations, the seated
        // hear of the new time with an updated entry, the waiting person gets the new seat.
        let form = meeting_form(
            title,
            &[
                ("id", &meeting.to_string()),
                ("start", &local_in(3, "18:00")),
                ("end", &local_in(3, "19:30")),
                ("capacity", "3"),
            ],
        );
        let (status, body) = app.call(&anna, "save_meeting", &pairs(&form)).await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        let (_, same) = app.meeting_titled(title).await;
        assert_eq!(
            same, dates,
            "{}: the dates keep their identity",
            app.backend
        );
        let entries = entries_titled(&app.lucca_feed().await, title);
        assert_eq!(entries[0].2, "1", "{}: SEQUENCE went up", app.backend);
        assert!(
            entries[0].3.ends_with("T180000"),
            "{}: {entries:?}",
            app.backend
        );
        for who in ["ada", "bea"] {
            let mail = app.mail_to(&format!("{who}@example.org")).await;
            let last = mail.last().unwrap();
            assert_eq!(
                subjects(&mail).last().unwrap(),
                &format!("Changed: {title}"),
                "{}",
                app.backend
            );
            let ics = ics_of(last).expect("an updated calendar entry");
            assert!(ics.contains("T180000"), "{}: {ics}", app.backend);
            assert!(ics.contains("SEQUENCE:2"), "{}: {ics}", app.backend);
            assert!(app::mail::text_of(last.as_bytes())
                .unwrap()
                .contains(SECRET_LINK));
        }
        assert_eq!(
            app.status_of(dates[0], "cleo@example.org").await.as_deref(),
            Some("confirmed"),
            "{}",
            app.backend
        );
        let cleo = app.mail_to("cleo@example.org").await;
        assert_eq!(
            subjects(&cleo).last().unwrap(),
            &format!("Registered: {title}")
        );
        // One letter per date a person holds, not one per date of the series.
        let changed = subjects(&app.mail_to("ada@example.org").await)
            .into_iter()
            .filter(|s| s.starts_with("Changed"))
            .count();
        assert_eq!(changed, 1, "{}", app.backend);

        // Dora registers for the second date; then that date is skipped: it is cancelled for
        // her (and leaves the feed with the rule), the third and fourth dates go on.
        app.register_and_confirm(dates[1], "dora@example.org").await;
        let second_day = app.db.managed_occurrences(meeting).await.unwrap()[1]
            .original_local
            .clone();
        let form = meeting_form(
            title,
            &[
                ("id", &meeting.to_string()),
                ("start", &local_in(3, "18:00")),
                ("end", &local_in(3, "19:30")),
                ("capacity", "3"),
                ("exceptions", &second_day[..10]),
            ],
        );
        let (status, body) = app.call(&anna, "save_meeting", &pairs(&form)).await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        let dora = app.mail_to("dora@example.org").await;
        assert_eq!(
            subjects(&dora).last().unwrap(),
            &format!("Cancelled: {title}"),
            "{}",
            app.backend
        );
        assert!(ics_of(dora.last().unwrap())
            .unwrap()
            .contains("STATUS:CANCELLED"));
        let kept = app.db.managed_occurrences(meeting).await.unwrap();
        let dropped = kept.iter().find(|o| o.id == dates[1]).unwrap();
        assert!(dropped.cancelled && !dropped.in_rule, "{}", app.backend);
        let entries = entries_titled(&app.lucca_feed().await, title);
        assert_eq!(entries.len(), 1, "{}: {entries:?}", app.backend);

        // The third date is cancelled on its own: an exception in the feed.
        let third = dates[2].to_string();
        let (status, body) = app
            .call(
                &anna,
                "cancel_date",
                &[("lang", "en"), ("occurrence", &third)],
            )
            .await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        let entries = entries_titled(&app.lucca_feed().await, title);
        assert_eq!(entries.len(), 2, "{}: {entries:?}", app.backend);
        assert!(
            entries
                .iter()
                .any(|(rid, status, _, _)| rid.is_some() && status == "CANCELLED"),
            "{}: {entries:?}",
            app.backend
        );

        // The first date moves by a day; its people hear of it.
        let first = dates[0].to_string();
        let (status, body) = app
            .call(
                &anna,
                "move_date",
                &[
                    ("lang", "en"),
                    ("occurrence", &first),
                    ("start", &local_in(4, "10:00")),
                    ("end", &local_in(4, "11:00")),
                ],
            )
            .await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        let ada = app.mail_to("ada@example.org").await;
        let ics = ics_of(ada.last().unwrap()).unwrap();
        assert!(ics.contains("T100000"), "{}: {ics}", app.backend);
        let entries = entries_titled(&app.lucca_feed().await, title);
        assert!(
            entries.iter().any(|(rid, status, _, start)| rid.is_some()
                && status == "CONFIRMED"
                && start.ends_with("T100000")),
            "{}: {entries:?}",
            app.backend
        );
        // A move that ends before it starts is refused beside the end field.
        let (status, body) = app
            .call(
                &anna,
                "move_date",
                &[
                    ("lang", "en"),
                    ("occurrence", &first),
                    ("start", &local_in(4, "10:00")),
                    ("end", &local_in(4, "09:00")),
                ],
            )
            .await;
        assert_eq!(status, 422, "{}: {body}", app.backend);
        assert_eq!(problems_of(&body), HashSet::from(["end".to_owned()]));

        // The whole meeting is called off: the master is cancelled in the feed, everyone
        // still registered is told once more.
        let before = app.mail_to("bea@example.org").await.len();
        let (status, body) = app
            .call(
                &anna,
                "cancel_meeting",
                &[("lang", "en"), ("id", &meeting.to_string())],
            )
            .await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        let entries = entries_titled(&app.lucca_feed().await, title);
        assert!(
            entries
                .iter()
                .all(|(_, status, _, _)| status == "CANCELLED"),
            "{}: {entries:?}",
            app.backend
        );
        let bea = app.mail_to("bea@example.org").await;
        assert_eq!(bea.len(), before + 1, "{}", app.backend);
        assert_eq!(
            subjects(&bea).last().unwrap(),
            &format!("Cancelled: {title}")
        );
        let page = browser()
            .get(format!("{}/en/meetings/{}", app.base, dates[3]))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("This meeting is cancelled."),
            "{}",
            app.backend
        );

        // Deleting needs the box ticked; then the meeting is gone from the feed.
        let id = meeting.to_string();
        let (status, body) = app
            .call(&anna, "delete_meeting", &[("lang", "en"), ("id", &id)])
            .await;
        assert_eq!(status, 422, "{}: {body}", app.backend);
        assert_eq!(problems_of(&body), HashSet::from(["confirm".to_owned()]));
        let (status, body) = app
            .call(
                &anna,
                "delete_meeting",
                &[("lang", "en"), ("id", &id), ("confirm", "yes")],
            )
            .await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        assert!(entries_titled(&app.lucca_feed().await, title).is_empty());
        assert!(matches!(
            app.db.meeting(meeting).await,
            Err(db::DbError::NotFound)
        ));
        let actions = app.audit_actions().await;
        for action in [
            "meeting.create",
            "meeting.update",
            "occurrence.cancel",
            "occurrence.move",
            "meeting.cancel",
            "meeting.delete",
        ] {
            assert!(
                actions.iter().any(|a| a == action),
                "{}: {action} audited",
                app.backend
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn organisers_seat_move_and_remove_people_and_write_to_them() {
    for backend in common::backends().await {
        let app = spawn_app(backend, &[]).await;
        let lucca = app.city("lucca").await;
        app.user("anna@comune.lucca.it", "en", &[Role::City(lucca)])
            .await;
        let anna = app.signed_in("anna@comune.lucca.it").await;
        let title = "Laboratorio di lettura";
        let form = meeting_form(title, &[("count", "3"), ("capacity", "1")]);
        let (status, body) = app.call(&anna, "save_meeting", &pairs(&form)).await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        let (_, dates) = app.meeting_titled(title).await;
        app.register_and_confirm(dates[0], "ada@example.org").await;
        app.register_and_confirm(dates[0], "bea@example.org").await;
        let ada = app.registration_id(dates[0], "ada@example.org").await;
        let bea = app.registration_id(dates[0], "bea@example.org").await;
        let manage = |registration: i64, action: &'static str, target: Option<i64>| {
            let app = &app;
            let anna = &anna;
            async move {
                let (r, t) = (registration.to_string(), target.map(|t| t.to_string()));
                let mut form = vec![
                    ("lang", "en"),
                    ("registration", r.as_str()),
                    ("action", action),
                ];
                if let Some(t) = &t {
                    form.push(("target", t.as_str()));
                }
                app.call(anna, "manage_registration", &form).await
            }
        };

        // No seat is free for Bea out of turn.
        let (status, body) = manage(bea, "seat", None).await;
        assert_eq!(status, 422, "{}: {body}", app.backend);
        // Ada moves to the second date: she has its seat, and Bea gets hers on the first.
        let (status, body) = manage(ada, "move", Some(dates[1])).await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        assert_eq!(
            app.status_of(dates[1], "ada@example.org").await.as_deref(),
            Some("confirmed"),
            "{}",
            app.backend
        );
        assert_eq!(
            app.status_of(dates[0], "bea@example.org").await.as_deref(),
            Some("confirmed"),
            "{}",
            app.backend
        );
        let mail = app.mail_to("ada@example.org").await;
        assert!(ics_of(mail.last().unwrap()).is_some(), "{}", app.backend);
        let ada2 = app.registration_id(dates[1], "ada@example.org").await;
        // Bea follows her, but the second date is full now.
        let bea = app.registration_id(dates[0], "bea@example.org").await;
        let (status, _) = manage(bea, "move", Some(dates[1])).await;
        assert_eq!(status, 200, "{}", app.backend);
        assert_eq!(
            app.status_of(dates[1], "bea@example.org").await.as_deref(),
            Some("waiting"),
            "{}: the second date is full, so Bea waits there",
            app.backend
        );
        let bea2 = app.registration_id(dates[1], "bea@example.org").await;
        app.register_and_confirm(dates[0], "cleo@example.org").await;
        let cleo = app.registration_id(dates[0], "cleo@example.org").await;
        let (status, body) = manage(cleo, "move", Some(dates[1])).await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        let cleo2 = app.registration_id(dates[1], "cleo@example.org").await;
        // To a date she is already registered for, or to the same date: refused.
        app.register_and_confirm(dates[0], "cleo@example.org").await;
        let cleo3 = app.registration_id(dates[0], "cleo@example.org").await;
        let (status, body) = manage(cleo3, "move", Some(dates[1])).await;
        assert_eq!(status, 422, "{}: {body}", app.backend);
        let (status, body) = manage(cleo2, "move", Some(dates[1])).await;
        assert_eq!(status, 422, "{}: {body}", app.backend);
        let (status, body) = manage(cleo3, "remove", None).await;
        assert_eq!(status, 200, "{}: {body}", app.backend);

        // Attendance, then Ada is removed: Bea, first in line, takes the seat and is told.
        let (status, _) = manage(ada2, "present", None).await;
        assert_eq!(status, 200, "{}", app.backend);
        let (status, _) = manage(bea2, "present", None).await;
        assert_eq!(
            status, 422,
            "{}: only people with a seat attend",
            app.backend
        );
        let before = app.mail_to("bea@example.org").await.len();
        let (status, body) = manage(ada2, "remove", None).await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        assert_eq!(
            app.status_of(dates[1], "bea@example.org").await.as_deref(),
            Some("confirmed"),
            "{}",
            app.backend
        );
        let bea_mail = app.mail_to("bea@example.org").await;
        assert_eq!(bea_mail.len(), before + 1, "{}", app.backend);
        assert_eq!(
            subjects(&app.mail_to("ada@example.org").await)
                .last()
                .unwrap(),
            &format!("Registration cancelled: {title}")
        );
        assert_eq!(app.db.occurrence(dates[1]).await.unwrap().taken, 1);

        // A message to the seated of the second date, and, if asked, to its waitlist.
        let second = dates[1].to_string();
        let message = [
            ("lang", "en"),
            ("occurrence", second.as_str()),
            ("subject", "Bring the book"),
            ("body", "Please bring the book.\n\nSee you there."),
        ];
        let (status, body) = app.call(&anna, "message_registrants", &message).await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        let bea_mail = app.mail_to("bea@example.org").await;
        assert_eq!(subjects(&bea_mail).last().unwrap(), "Bring the book");
        assert!(app::mail::text_of(bea_mail.last().unwrap().as_bytes())
            .unwrap()
            .contains("See you there."));
        assert!(!subjects(&app.mail_to("cleo@example.org").await)
            .contains(&"Bring the book".to_owned()));
        let mut with_waitlist = message.to_vec();
        with_waitlist.push(("waitlist", "yes"));
        app.call(&anna, "message_registrants", &with_waitlist).await;
        assert!(
            subjects(&app.mail_to("cleo@example.org").await).contains(&"Bring the book".to_owned())
        );
        let (status, body) = app
            .call(
                &anna,
                "message_registrants",
                &[
                    ("lang", "en"),
                    ("occurrence", &second),
                    ("subject", ""),
                    ("body", ""),
                ],
            )
            .await;
        assert_eq!(status, 422, "{}", app.backend);
        assert_eq!(
            problems_of(&body),
            HashSet::from(["subject".to_owned(), "body".to_owned()])
        );

        // A rise in capacity seats the waitlist at once.
        let (meeting, _) = app.meeting_titled(title).await;
        let form = meeting_form(
            title,
            &[
                ("id", &meeting.to_string()),
                ("count", "3"),
                ("capacity", "2"),
            ],
        );
        let (status, body) = app.call(&anna, "save_meeting", &pairs(&form)).await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        assert_eq!(
            app.status_of(dates[1], "cleo@example.org").await.as_deref(),
            Some("confirmed"),
            "{}",
            app.backend
        );
        // …and a capacity below the seats taken is refused.
        let form = meeting_form(
            title,
            &[
                ("id", &meeting.to_string()),
                ("count", "3"),
                ("capacity", "1"),
            ],
        );
        let (status, body) = app.call(&anna, "save_meeting", &pairs(&form)).await;
        assert_eq!(status, 422, "{}: {body}", app.backend);
        assert_eq!(problems_of(&body), HashSet::from(["capacity".to_owned()]));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_coordinators_of_the_meetings_city_or_cluster_manage_it() {
    let app = spawn_app(common::sqlite().await, &[]).await;
    let (lucca, torino) = (app.city("lucca").await, app.city("torino").await);
    let cluster = app.cluster("entrepreneurship").await;
    app.user("anna@comune.lucca.it", "en", &[Role::City(lucca)])
        .await;
    app.user("tom@comune.torino.it", "en", &[Role::City(torino)])
        .await;
    app.user("cleo@cluster.example", "en", &[Role::Cluster(cluster)])
        .await;
    app.user("root@example.org", "en", &[Role::Admin]).await;
    let anna = app.signed_in("anna@comune.lucca.it").await;
    let tom = app.signed_in("tom@comune.torino.it").await;
    let cleo = app.signed_in("cleo@cluster.example").await;
    let root = app.signed_in("root@example.org").await;

    let lucca_form = meeting_form("Incontro di Lucca", &[]);
    let (status, _) = app
        .call(&browser(), "save_meeting", &pairs(&lucca_form))
        .await;
    assert_eq!(status, 401);
    let (status, _) = app.call(&tom, "save_meeting", &pairs(&lucca_form)).await;
    assert_eq!(status, 403);
    let (status, _) = app.call(&cleo, "save_meeting", &pairs(&lucca_form)).await;
    assert_eq!(
        status, 403,
        "a cluster coordinator has no power over member cities"
    );
    let (status, body) = app.call(&anna, "save_meeting", &pairs(&lucca_form)).await;
    assert_eq!(status, 200, "{body}");
    let cluster_form = meeting_form(
        "Cluster call",
        &[("owner", "cluster:entrepreneurship"), ("language", "en")],
    );
    let (status, _) = app.call(&anna, "save_meeting", &pairs(&cluster_form)).await;
    assert_eq!(status, 403);
    let (status, body) = app.call(&cleo, "save_meeting", &pairs(&cluster_form)).await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = app
        .call(
            &root,
            "save_meeting",
            &pairs(&meeting_form("Per Torino", &[("owner", "city:torino")])),
        )
        .await;
    assert_eq!(status, 200);
    // A sector of another city, or any sector for a cluster, is refused.
    let (status, body) = app
        .call(
            &cleo,
            "save_meeting",
            &pairs(&meeting_form(
                "X",
                &[("owner", "cluster:entrepreneurship"), ("sector", "museums")],
            )),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(problems_of(&body), HashSet::from(["sector".to_owned()]));

    let (meeting, dates) = app.meeting_titled("Incontro di Lucca").await;
    let id = meeting.to_string();
    let date = dates[0].to_string();
    let mut edit = lucca_form.clone();
    edit.push(("id".into(), id.clone()));
    for (who, expected) in [(&tom, 403), (&cleo, 403), (&browser(), 401), (&root, 200)] {
        let (status, _) = app.call(who, "save_meeting", &pairs(&edit)).await;
        assert_eq!(status, expected);
    }
    for (name, form) in [
        (
            "cancel_date",
            vec![("lang", "en"), ("occurrence", date.as_str())],
        ),
        (
            "attendees",
            vec![("lang", "en"), ("occurrence", date.as_str())],
        ),
        ("cancel_meeting", vec![("lang", "en"), ("id", id.as_str())]),
        (
            "delete_meeting",
            vec![("lang", "en"), ("id", id.as_str()), ("confirm", "yes")],
        ),
        ("meeting_draft", vec![("lang", "en"), ("id", id.as_str())]),
    ] {
        let (status, body) = app.call(&tom, name, &form).await;
        assert_eq!(status, 403, "{name}: {body}");
    }
    let (status, _) = app
        .call(
            &tom,
            "managed_meetings",
            &[("lang", "en"), ("past", "false"), ("page", "1")],
        )
        .await;
    assert_eq!(status, 200);
    let (_, listed) = app
        .call(
            &tom,
            "managed_meetings",
            &[("lang", "en"), ("past", "false"), ("page", "1")],
        )
        .await;
    assert!(listed.contains("Per Torino") && !listed.contains("Incontro di Lucca"));
    assert!(app.db.meeting(meeting).await.is_ok(), "still there");

    // The registrations export: Lucca's coordinators only, with formulas defused.
    let token_holder = "=HYPERLINK(\"http://evil.example\")";
    let (status, body) = app
        .call(
            &browser(),
            "register",
            &[
                ("lang", "en"),
                ("occurrence", &date),
                ("name", token_holder),
                ("email", "eve@example.org"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let csv_url = format!(
        "{}/coordinate/occurrences/{date}/registrations.csv",
        app.base
    );
    for (who, expected) in [(&browser(), 401), (&tom, 403), (&cleo, 403)] {
        assert_eq!(
            who.get(&csv_url).send().await.unwrap().status().as_u16(),
            expected
        );
    }
    let res = anna.get(&csv_url).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.headers()["cache-control"].to_str().unwrap(),
        "private, no-store"
    );
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}status,waitlist_position,name,email"));
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][0], "pending");
    assert_eq!(&rows[0][2], format!("'{token_holder}"));
    assert_eq!(&rows[0][3], "eve@example.org");
}

/// Fields changed from a good form, and the fields expected to be named in the answer.
type Case<'a> = (Vec<(&'a str, &'a str)>, &'a [&'a str]);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_meeting_form_names_each_bad_field_and_keeps_what_was_typed() {
    let app = spawn_app(common::sqlite().await, &[]).await;
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
    let app = spawn_app(common::sqlite().await, &[]).await;
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
async fn a_venue_with_a_position_is_on_the_city_map_by_its_sector() {
    for test_db in common::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let lucca = app.city("lucca").await;
        app.user("anna@comune.lucca.it", "en", &[Role::City(lucca)])
            .await;
        let anna = app.signed_in("anna@comune.lucca.it").await;
        let form = meeting_form(
            "Laboratorio di lettura",
            &[
                ("mode", "in-person"),
                ("online_link", ""),
                ("sector", "schools"),
                ("place", "Biblioteca Agorà"),
                ("address", "Piazza dei Servi, Lucca"),
                ("latitude", "43.8447"),
                ("longitude", "10.5049"),
            ],
        );
        let (status, body) = app.call(&anna, "save_meeting", &pairs(&form)).await;
        assert_eq!(status, 200, "{}: {body}", app.backend);

        let map = |query: &'static str| {
            let base = app.base.clone();
            async move {
                let res = browser()
                    .get(format!("{base}/en/cities/lucca/map{query}"))
                    .send()
                    .await
                    .unwrap();
                (res.status().as_u16(), res.text().await.unwrap())
            }
        };
        // The marker of a place: its link's opening tag, found by its name.
        fn marker<'h>(html: &'h str, name: &str) -> Option<&'h str> {
            let at = html.find(&format!("aria-label=\"{name} ("))?;
            let start = html[..at].rfind("<a ")?;
            Some(&html[start..at + html[at..].find('>')?])
        }
        let (status, html) = map("").await;
        assert_eq!(status, 200);
        let agora = marker(&html, "Biblioteca Agorà").expect("the venue is on the map");
        assert!(
            agora.contains("place-marker--venue"),
            "a venue is a square: {agora}"
        );
        // The demo's coordination table meets at Palazzo Orsetti.
        assert!(marker(&html, "Palazzo Orsetti").is_some_and(|m| m.contains("place-marker--venue")));
        let adherents = html.matches("class=\"place-marker\"").count();
        assert!(
            adherents > 5,
            "the pact's adherents are circles ({adherents})"
        );
        let rows = html.matches("<th scope=\"row\">").count();
        assert_eq!(rows, adherents + 2, "the table lists each place once");

        let (_, schools) = map("?sector=schools").await;
        assert!(marker(&schools, "Biblioteca Agorà").is_some());
        assert!(marker(&schools, "Palazzo Orsetti").is_none());
        let fewer = schools.matches("class=\"place-marker\"").count();
        assert!(fewer > 0 && fewer < adherents, "{fewer} of {adherents}");
        let (_, sports) = map("?sector=sports").await;
        assert!(marker(&sports, "Biblioteca Agorà").is_none());
        let (status, _) = map("?sector=no-such-sector").await;
        assert_eq!(status, 404);
        // Without a tile server the map loads nothing from elsewhere.
        assert!(!html.contains("<image"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tile_server_lies_under_the_city_map_and_is_allowed_by_the_policy() {
    let app = spawn_app(
        common::sqlite().await,
        &[
            ("MAP_TILE_URL", "https://tile.example.org/{z}/{x}/{y}.png"),
            ("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors"),
        ],
    )
    .await;
    let res = browser()
        .get(format!("{}/en/cities/lucca/map", app.base))
        .send()
        .await
        .unwrap();
    let policy = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        policy.contains("img-src 'self' data: https://tile.example.org;"),
        "{policy}"
    );
    let html = res.text().await.unwrap();
    let tiles = html
        .matches("<image href=\"https://tile.example.org/")
        .count();
    assert!((4..=9).contains(&tiles), "{tiles} tiles cover the plot");
    assert!(html.contains("© OpenStreetMap contributors"));
    // One policy for every page.
    let res = browser()
        .get(format!("{}/en", app.base))
        .send()
        .await
        .unwrap();
    assert!(res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("img-src 'self' data: https://tile.example.org;"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_title_is_one_line() {
    let app = spawn_app(common::sqlite().await, &[]).await;
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
