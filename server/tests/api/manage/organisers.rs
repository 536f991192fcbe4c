//! Organisers seat, move and remove people by hand, take attendance, write to them, and change a
//! meeting's capacity under them.

use super::*;

const TITLE: &str = "Laboratorio di lettura";

/// Three dates of one seat each, published by Anna, Lucca's coordinator.
struct Workshop {
    anna: reqwest::Client,
    meeting: i64,
    dates: Vec<i64>,
}

async fn workshop(app: &TestApp) -> Workshop {
    let lucca = app.city("lucca").await;
    app.user("anna@comune.lucca.it", "en", &[Role::City(lucca)])
        .await;
    let anna = app.signed_in("anna@comune.lucca.it").await;
    let form = meeting_form(TITLE, &[("count", "3"), ("capacity", "1")]);
    let (status, body) = app.call(&anna, "save_meeting", &pairs(&form)).await;
    assert_eq!(status, 200, "{}: {body}", app.backend);
    let (meeting, dates) = app.meeting_titled(TITLE).await;
    Workshop {
        anna,
        meeting,
        dates,
    }
}

impl Workshop {
    /// What an organiser does to a registration from the meeting's table.
    async fn manage(
        &self,
        app: &TestApp,
        registration: i64,
        action: &str,
        target: Option<i64>,
    ) -> (u16, String) {
        let (r, t) = (registration.to_string(), target.map(|t| t.to_string()));
        let mut form = vec![
            ("lang", "en"),
            ("registration", r.as_str()),
            ("action", action),
        ];
        if let Some(t) = &t {
            form.push(("target", t.as_str()));
        }
        app.call(&self.anna, "manage_registration", &form).await
    }

    /// Saves the meeting again with `capacity` seats a date.
    async fn with_capacity(&self, app: &TestApp, capacity: &str) -> (u16, String) {
        let id = self.meeting.to_string();
        let form = meeting_form(
            TITLE,
            &[("id", &id), ("count", "3"), ("capacity", capacity)],
        );
        app.call(&self.anna, "save_meeting", &pairs(&form)).await
    }
}

/// Ada and Bea for the first date's one seat, then both moved to the second: Ada holds its
/// seat and Bea waits there. Their registrations there.
async fn both_moved_to_the_second_date(app: &TestApp, w: &Workshop) -> (i64, i64) {
    let dates = &w.dates;
    app.register_and_confirm(dates[0], "ada@example.org").await;
    app.register_and_confirm(dates[0], "bea@example.org").await;
    let ada = app.registration_id(dates[0], "ada@example.org").await;
    let (status, body) = w.manage(app, ada, "move", Some(dates[1])).await;
    assert_eq!(status, 200, "{}: {body}", app.backend);
    let bea = app.registration_id(dates[0], "bea@example.org").await;
    let (status, _) = w.manage(app, bea, "move", Some(dates[1])).await;
    assert_eq!(status, 200, "{}", app.backend);
    (
        app.registration_id(dates[1], "ada@example.org").await,
        app.registration_id(dates[1], "bea@example.org").await,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_seat_is_given_out_of_turn() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let w = workshop(&app).await;
        app.register_and_confirm(w.dates[0], "ada@example.org")
            .await;
        app.register_and_confirm(w.dates[0], "bea@example.org")
            .await;
        let bea = app.registration_id(w.dates[0], "bea@example.org").await;
        let (status, body) = w.manage(&app, bea, "seat", None).await;
        assert_eq!(status, 422, "{}: {body}", app.backend);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_person_moved_takes_the_seat_there_and_leaves_hers_to_the_next_in_line() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let (w, b) = (workshop(&app).await, app.backend);
        let dates = &w.dates;
        app.register_and_confirm(dates[0], "ada@example.org").await;
        app.register_and_confirm(dates[0], "bea@example.org").await;
        let ada = app.registration_id(dates[0], "ada@example.org").await;
        let (status, body) = w.manage(&app, ada, "move", Some(dates[1])).await;
        assert_eq!(status, 200, "{b}: {body}");
        let ada_there = app.status_of(dates[1], "ada@example.org").await;
        assert_eq!(ada_there.as_deref(), Some("confirmed"), "{b}");
        let bea_here = app.status_of(dates[0], "bea@example.org").await;
        assert_eq!(bea_here.as_deref(), Some("confirmed"), "{b}");
        let mail = app.mail_to("ada@example.org").await;
        assert!(ics_of(mail.last().unwrap()).is_some(), "{b}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_person_moved_to_a_full_date_waits_there() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let w = workshop(&app).await;
        both_moved_to_the_second_date(&app, &w).await;
        assert_eq!(
            app.status_of(w.dates[1], "bea@example.org")
                .await
                .as_deref(),
            Some("waiting"),
            "{}: the second date is full, so Bea waits there",
            app.backend
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_move_to_a_date_already_held_or_to_the_same_date_is_refused() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let (w, b) = (workshop(&app).await, app.backend);
        let dates = &w.dates;
        app.register_and_confirm(dates[0], "cleo@example.org").await;
        let cleo = app.registration_id(dates[0], "cleo@example.org").await;
        let (status, body) = w.manage(&app, cleo, "move", Some(dates[1])).await;
        assert_eq!(status, 200, "{b}: {body}");
        let cleo2 = app.registration_id(dates[1], "cleo@example.org").await;
        app.register_and_confirm(dates[0], "cleo@example.org").await;
        let cleo3 = app.registration_id(dates[0], "cleo@example.org").await;
        let (status, body) = w.manage(&app, cleo3, "move", Some(dates[1])).await;
        assert_eq!(status, 422, "{b}: {body}");
        let (status, body) = w.manage(&app, cleo2, "move", Some(dates[1])).await;
        assert_eq!(status, 422, "{b}: {body}");
        let (status, body) = w.manage(&app, cleo3, "remove", None).await;
        assert_eq!(status, 200, "{b}: {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn only_people_with_a_seat_attend() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let w = workshop(&app).await;
        let (ada, bea) = both_moved_to_the_second_date(&app, &w).await;
        let (status, _) = w.manage(&app, ada, "present", None).await;
        assert_eq!(status, 200, "{}", app.backend);
        let (status, _) = w.manage(&app, bea, "present", None).await;
        assert_eq!(
            status, 422,
            "{}: only people with a seat attend",
            app.backend
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_person_removed_leaves_the_seat_to_the_first_in_line_and_both_are_told() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let (w, b) = (workshop(&app).await, app.backend);
        let (ada, _) = both_moved_to_the_second_date(&app, &w).await;
        let before = app.mail_to("bea@example.org").await.len();
        let (status, body) = w.manage(&app, ada, "remove", None).await;
        assert_eq!(status, 200, "{b}: {body}");
        let bea = app.status_of(w.dates[1], "bea@example.org").await;
        assert_eq!(bea.as_deref(), Some("confirmed"), "{b}");
        let bea_mail = app.mail_to("bea@example.org").await;
        assert_eq!(bea_mail.len(), before + 1, "{b}");
        assert_eq!(
            subjects(&app.mail_to("ada@example.org").await)
                .last()
                .unwrap(),
            &format!("Registration cancelled: {TITLE}")
        );
        assert_eq!(app.db.occurrence(w.dates[1]).await.unwrap().taken, 1);
    }
}

/// Bea holds the second date's seat and Cleo waits for it.
async fn bea_seated_and_cleo_waiting(app: &TestApp, w: &Workshop) {
    app.register_and_confirm(w.dates[1], "bea@example.org")
        .await;
    app.register_and_confirm(w.dates[1], "cleo@example.org")
        .await;
    let cleo = app.status_of(w.dates[1], "cleo@example.org").await;
    assert_eq!(cleo.as_deref(), Some("waiting"), "{}", app.backend);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_message_goes_to_the_seated_and_if_asked_to_the_waitlist() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let (w, b) = (workshop(&app).await, app.backend);
        bea_seated_and_cleo_waiting(&app, &w).await;
        let second = w.dates[1].to_string();
        let message = [
            ("lang", "en"),
            ("occurrence", second.as_str()),
            ("subject", "Bring the book"),
            ("body", "Please bring the book.\n\nSee you there."),
        ];
        let (status, body) = app.call(&w.anna, "message_registrants", &message).await;
        assert_eq!(status, 200, "{b}: {body}");
        let bea_mail = app.mail_to("bea@example.org").await;
        assert_eq!(subjects(&bea_mail).last().unwrap(), "Bring the book");
        assert!(app::mail::text_of(bea_mail.last().unwrap().as_bytes())
            .unwrap()
            .contains("See you there."));
        assert!(!subjects(&app.mail_to("cleo@example.org").await)
            .contains(&"Bring the book".to_owned()));
        let mut with_waitlist = message.to_vec();
        with_waitlist.push(("waitlist", "yes"));
        app.call(&w.anna, "message_registrants", &with_waitlist)
            .await;
        assert!(
            subjects(&app.mail_to("cleo@example.org").await).contains(&"Bring the book".to_owned())
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_message_needs_a_subject_and_a_body() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let w = workshop(&app).await;
        let second = w.dates[1].to_string();
        let empty = [
            ("lang", "en"),
            ("occurrence", second.as_str()),
            ("subject", ""),
            ("body", ""),
        ];
        let (status, body) = app.call(&w.anna, "message_registrants", &empty).await;
        assert_eq!(status, 422, "{}", app.backend);
        assert_eq!(
            problems_of(&body),
            HashSet::from(["subject".to_owned(), "body".to_owned()])
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rise_in_capacity_seats_the_waitlist_at_once() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let w = workshop(&app).await;
        bea_seated_and_cleo_waiting(&app, &w).await;
        let (status, body) = w.with_capacity(&app, "2").await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        assert_eq!(
            app.status_of(w.dates[1], "cleo@example.org")
                .await
                .as_deref(),
            Some("confirmed"),
            "{}",
            app.backend
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_capacity_below_the_seats_taken_is_refused() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let w = workshop(&app).await;
        bea_seated_and_cleo_waiting(&app, &w).await;
        assert_eq!(w.with_capacity(&app, "2").await.0, 200, "{}", app.backend);
        let (status, body) = w.with_capacity(&app, "1").await;
        assert_eq!(status, 422, "{}: {body}", app.backend);
        assert_eq!(problems_of(&body), HashSet::from(["capacity".to_owned()]));
    }
}
