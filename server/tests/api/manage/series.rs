//! A series published, edited, partly cancelled, moved, cancelled and deleted: the city's feed
//! and the registrants' mail follow each step, and each step is audited.

use super::*;

const TITLE: &str = "Tavolo dei firmatari";

/// A weekly series of four dates published by Anna, Lucca's coordinator.
struct Series {
    anna: reqwest::Client,
    meeting: i64,
    dates: Vec<i64>,
}

async fn published(app: &TestApp) -> Series {
    let lucca = app.city("lucca").await;
    app.user("anna@comune.lucca.it", "it", &[Role::City(lucca)])
        .await;
    let anna = app.signed_in("anna@comune.lucca.it").await;
    let form = meeting_form(TITLE, &[]);
    let (status, body) = app.call(&anna, "save_meeting", &pairs(&form)).await;
    assert_eq!(status, 200, "{}: {body}", app.backend);
    let (meeting, dates) = app.meeting_titled(TITLE).await;
    Series {
        anna,
        meeting,
        dates,
    }
}

/// Saves the series again half an hour later with a third seat, and `extra` on top.
async fn saved_later_with_three_seats(app: &TestApp, s: &Series, extra: &[(&str, &str)]) {
    let (id, start, end) = (
        s.meeting.to_string(),
        local_in(3, "18:00"),
        local_in(3, "19:30"),
    );
    let mut changes = vec![
        ("id", id.as_str()),
        ("start", start.as_str()),
        ("end", end.as_str()),
        ("capacity", "3"),
    ];
    changes.extend_from_slice(extra);
    let form = meeting_form(TITLE, &changes);
    let (status, body) = app.call(&s.anna, "save_meeting", &pairs(&form)).await;
    assert_eq!(status, 200, "{}: {body}", app.backend);
}

/// Three people for the first date's two seats: Cleo waits.
async fn three_for_two_seats(app: &TestApp, s: &Series) {
    for who in ["ada", "bea", "cleo"] {
        app.register_and_confirm(s.dates[0], &format!("{who}@example.org"))
            .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_published_series_is_one_weekly_entry_in_the_citys_feed() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let s = published(&app).await;
        assert_eq!(s.dates.len(), 4, "{}", app.backend);
        let feed = app.lucca_feed().await;
        let entries = entries_titled(&feed, TITLE);
        assert_eq!(entries.len(), 1, "{}: one master entry", app.backend);
        let master = feed
            .events
            .iter()
            .find(|e| {
                e.properties
                    .iter()
                    .any(|p| p.value.as_deref() == Some(TITLE))
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
        app.assert_audited("meeting.create").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_new_time_keeps_the_dates_and_sends_the_seated_an_updated_entry() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let s = published(&app).await;
        three_for_two_seats(&app, &s).await;
        assert_eq!(
            app.status_of(s.dates[0], "cleo@example.org")
                .await
                .as_deref(),
            Some("waiting")
        );
        saved_later_with_three_seats(&app, &s, &[]).await;
        let (_, same) = app.meeting_titled(TITLE).await;
        assert_eq!(
            same, s.dates,
            "{}: the dates keep their identity",
            app.backend
        );
        let entries = entries_titled(&app.lucca_feed().await, TITLE);
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
                &format!("Changed: {TITLE}"),
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
        // One letter per date a person holds, not one per date of the series.
        let changed = subjects(&app.mail_to("ada@example.org").await)
            .into_iter()
            .filter(|s| s.starts_with("Changed"))
            .count();
        assert_eq!(changed, 1, "{}", app.backend);
        app.assert_audited("meeting.update").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_new_seat_goes_to_the_person_waiting() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let s = published(&app).await;
        three_for_two_seats(&app, &s).await;
        saved_later_with_three_seats(&app, &s, &[]).await;
        assert_eq!(
            app.status_of(s.dates[0], "cleo@example.org")
                .await
                .as_deref(),
            Some("confirmed"),
            "{}",
            app.backend
        );
        let cleo = app.mail_to("cleo@example.org").await;
        assert_eq!(
            subjects(&cleo).last().unwrap(),
            &format!("Registered: {TITLE}")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_skipped_date_is_cancelled_for_its_people_and_leaves_the_feed_with_the_rule() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let s = published(&app).await;
        app.register_and_confirm(s.dates[1], "dora@example.org")
            .await;
        let second_day = app.db.managed_occurrences(s.meeting).await.unwrap()[1]
            .original_local
            .clone();
        saved_later_with_three_seats(&app, &s, &[("exceptions", &second_day[..10])]).await;
        let dora = app.mail_to("dora@example.org").await;
        assert_eq!(
            subjects(&dora).last().unwrap(),
            &format!("Cancelled: {TITLE}"),
            "{}",
            app.backend
        );
        assert!(ics_of(dora.last().unwrap())
            .unwrap()
            .contains("STATUS:CANCELLED"));
        let kept = app.db.managed_occurrences(s.meeting).await.unwrap();
        let dropped = kept.iter().find(|o| o.id == s.dates[1]).unwrap();
        assert!(dropped.cancelled && !dropped.in_rule, "{}", app.backend);
        let entries = entries_titled(&app.lucca_feed().await, TITLE);
        assert_eq!(entries.len(), 1, "{}: {entries:?}", app.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_date_cancelled_on_its_own_is_an_exception_in_the_feed() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let s = published(&app).await;
        let third = s.dates[2].to_string();
        let form = [("lang", "en"), ("occurrence", third.as_str())];
        let (status, body) = app.call(&s.anna, "cancel_date", &form).await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        let entries = entries_titled(&app.lucca_feed().await, TITLE);
        assert_eq!(entries.len(), 2, "{}: {entries:?}", app.backend);
        assert!(
            entries
                .iter()
                .any(|(rid, status, _, _)| rid.is_some() && status == "CANCELLED"),
            "{}: {entries:?}",
            app.backend
        );
        app.assert_audited("occurrence.cancel").await;
    }
}

/// Moves the first date to `start`–`end` four days from now.
async fn move_first_date(app: &TestApp, s: &Series, start: &str, end: &str) -> (u16, String) {
    let (first, start, end) = (s.dates[0].to_string(), local_in(4, start), local_in(4, end));
    let form = [
        ("lang", "en"),
        ("occurrence", first.as_str()),
        ("start", start.as_str()),
        ("end", end.as_str()),
    ];
    app.call(&s.anna, "move_date", &form).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_moved_date_tells_its_people_and_is_an_exception_in_the_feed() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let s = published(&app).await;
        app.register_and_confirm(s.dates[0], "ada@example.org")
            .await;
        let (status, body) = move_first_date(&app, &s, "10:00", "11:00").await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        let ada = app.mail_to("ada@example.org").await;
        let ics = ics_of(ada.last().unwrap()).unwrap();
        assert!(ics.contains("T100000"), "{}: {ics}", app.backend);
        let entries = entries_titled(&app.lucca_feed().await, TITLE);
        assert!(
            entries.iter().any(|(rid, status, _, start)| rid.is_some()
                && status == "CONFIRMED"
                && start.ends_with("T100000")),
            "{}: {entries:?}",
            app.backend
        );
        app.assert_audited("occurrence.move").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_move_that_ends_before_it_starts_is_refused_beside_the_end_field() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let s = published(&app).await;
        let (status, body) = move_first_date(&app, &s, "10:00", "09:00").await;
        assert_eq!(status, 422, "{}: {body}", app.backend);
        assert_eq!(problems_of(&body), HashSet::from(["end".to_owned()]));
    }
}

/// Calls the whole meeting off.
async fn cancelled(app: &TestApp, s: &Series) {
    let id = s.meeting.to_string();
    let form = [("lang", "en"), ("id", id.as_str())];
    let (status, body) = app.call(&s.anna, "cancel_meeting", &form).await;
    assert_eq!(status, 200, "{}: {body}", app.backend);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_meeting_called_off_is_cancelled_in_the_feed_and_its_people_told_once_more() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let s = published(&app).await;
        app.register_and_confirm(s.dates[0], "bea@example.org")
            .await;
        let before = app.mail_to("bea@example.org").await.len();
        cancelled(&app, &s).await;
        let entries = entries_titled(&app.lucca_feed().await, TITLE);
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
            &format!("Cancelled: {TITLE}")
        );
        let page = browser()
            .get(format!("{}/en/meetings/{}", app.base, s.dates[3]))
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
        app.assert_audited("meeting.cancel").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deleting_a_meeting_needs_the_box_ticked_and_takes_it_out_of_the_feed() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let s = published(&app).await;
        cancelled(&app, &s).await;
        let id = s.meeting.to_string();
        let unticked = [("lang", "en"), ("id", id.as_str())];
        let (status, body) = app.call(&s.anna, "delete_meeting", &unticked).await;
        assert_eq!(status, 422, "{}: {body}", app.backend);
        assert_eq!(problems_of(&body), HashSet::from(["confirm".to_owned()]));
        let ticked = [("lang", "en"), ("id", id.as_str()), ("confirm", "yes")];
        let (status, body) = app.call(&s.anna, "delete_meeting", &ticked).await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        assert!(entries_titled(&app.lucca_feed().await, TITLE).is_empty());
        assert!(matches!(
            app.db.meeting(s.meeting).await,
            Err(db::DbError::NotFound)
        ));
        app.assert_audited("meeting.delete").await;
    }
}
