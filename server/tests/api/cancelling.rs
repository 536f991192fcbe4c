//! Cancelling without regrets, through the real server on SQLite and PostgreSQL: the pages ask
//! before anything happens, and a registrant who cancels gets a receipt whose calendar entry
//! takes the meeting out of their calendar (METHOD:CANCEL, the UID of the entry they were
//! sent, a later SEQUENCE), read back by the strict iCalendar reader.

use crate::helpers::*;
use chrono::{Duration, Utc};
use db::meetings::{self, NewMeeting, Owner};
use domain::schedule::{Schedule, Zone};
use domain::{Audience, Mode, Role};

const SECRET_LINK: &str = "https://meet.example.org/secret-room-4242";

/// A meeting of Lucca in two days, with an online link only the seated see; its date.
async fn meeting(app: &TestApp, capacity: Option<i32>) -> i64 {
    let lucca = app.db.city_id("lucca").await.unwrap();
    let day = (Utc::now() + Duration::days(2)).date_naive();
    let schedule = Schedule::parse(
        Zone::parse("Europe/Rome").unwrap(),
        &format!("{day}T17:30"),
        &format!("{day}T19:00"),
        "",
        &[],
    )
    .unwrap();
    let uid = format!("test-{}@learning.example", uuid::Uuid::new_v4());
    let m = NewMeeting {
        uid: &uid,
        owner: Owner::City(lucca),
        sector_id: None,
        title: "Tavolo da annullare",
        description: "Un incontro.",
        language: "it",
        audience: Audience::Everyone,
        mode: Mode::Online,
        place: "",
        address: "",
        position: None,
        online_link: Some(SECRET_LINK),
        schedule: &schedule,
        capacity,
        takes_registrations: true,
        registration_opens_at: None,
        registration_closes_at: None,
        reminders: &[],
        created_by: None,
    };
    let mut tx = app.db.begin_write().await.unwrap();
    let id = meetings::create(&mut tx, &m, Utc::now().timestamp())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    app.db.next_occurrences(id, 0, 1).await.unwrap()[0].0
}

fn header_of<'a>(mail: &'a str, name: &str) -> &'a str {
    mail.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .unwrap_or("")
}

fn event(cal: &crate::helpers::ics::Component) -> &crate::helpers::ics::Component {
    let events = cal.all("VEVENT");
    assert_eq!(events.len(), 1, "one entry");
    events[0]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_registration_is_mailed_a_receipt_that_takes_the_entry_out_of_the_calendar() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let occurrence = meeting(&app, None).await;
        let email = "giulia@example.org";
        let token = app.register_and_confirm(occurrence, email).await;
        let sent = app.mail_to(email).await;
        let invite = ics::attachment(sent.last().unwrap()).expect("the seat's invite.ics");
        let invite = ics::strict(&invite).unwrap_or_else(|e| panic!("{}: {e}", app.backend));
        let offered = event(&invite);

        let (status, body) = app
            .call(
                &browser(),
                "cancel_registration",
                &[("lang", "en"), ("token", &token)],
            )
            .await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        let mail = app.mail_to(email).await;
        assert_eq!(mail.len(), sent.len() + 1, "{}: one receipt", app.backend);
        let receipt = mail.last().unwrap();
        assert!(
            header_of(receipt, "Subject").contains("Registration cancelled"),
            "{}: {}",
            app.backend,
            header_of(receipt, "Subject")
        );
        assert!(receipt.contains("method=CANCEL"), "{}", app.backend);
        // The room's link went with the seat.
        assert!(
            !app::mail::text_of(receipt.as_bytes())
                .unwrap()
                .contains(SECRET_LINK),
            "{}",
            app.backend
        );
        let attached = ics::attachment(receipt).expect("a cancel.ics");
        assert!(!attached.contains(SECRET_LINK), "{}", app.backend);
        let cal =
            ics::strict(&attached).unwrap_or_else(|e| panic!("{}: {e}\n{attached}", app.backend));
        assert_eq!(cal.one("METHOD").unwrap().raw, "CANCEL", "{}", app.backend);
        let taken_out = event(&cal);
        let raw = |e: &ics::Component, name: &str| e.one(name).map(|p| p.raw.clone());
        assert_eq!(
            raw(taken_out, "UID"),
            raw(offered, "UID"),
            "{}",
            app.backend
        );
        assert_eq!(raw(taken_out, "DTSTART"), raw(offered, "DTSTART"));
        assert_eq!(raw(taken_out, "STATUS").as_deref(), Some("CANCELLED"));
        // RFC 5546: a cancellation is from the organiser, to the attendee it removes.
        assert_eq!(
            raw(taken_out, "ATTENDEE").as_deref(),
            Some("mailto:giulia@example.org"),
            "{}",
            app.backend
        );
        let from = header_of(receipt, "From");
        let organizer = raw(taken_out, "ORGANIZER").expect("an ORGANIZER");
        let address = organizer.strip_prefix("mailto:").expect("mailto:");
        assert!(
            from.contains(&format!("<{address}>")),
            "{organizer} is not {from}"
        );
        assert_eq!(
            raw(offered, "ATTENDEE"),
            None,
            "the invite is published, to no one"
        );
        let sequence = |e: &ics::Component| -> u32 { raw(e, "SEQUENCE").unwrap().parse().unwrap() };
        assert!(
            sequence(taken_out) > sequence(offered),
            "{}: SEQUENCE {} after {}",
            app.backend,
            sequence(taken_out),
            sequence(offered)
        );

        // Cancelling again changes nothing, and sends nothing.
        let (status, _) = app
            .call(
                &browser(),
                "cancel_registration",
                &[("lang", "en"), ("token", &token)],
            )
            .await;
        assert_eq!(status, 200, "{}", app.backend);
        assert_eq!(
            app.mail_to(email).await.len(),
            mail.len(),
            "{}",
            app.backend
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registrant_never_sent_an_entry_gets_a_receipt_without_one() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let occurrence = meeting(&app, Some(1)).await;
    app.register_and_confirm(occurrence, "seated@example.org")
        .await;
    // On the waitlist: told so, with no calendar entry to take back.
    let token = app
        .register_and_confirm(occurrence, "waiting@example.org")
        .await;
    let before = app.mail_to("waiting@example.org").await;
    assert!(before.iter().all(|m| ics::attachment(m).is_none()));
    let (status, body) = app
        .call(
            &browser(),
            "cancel_registration",
            &[("lang", "it"), ("token", &token)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let mail = app.mail_to("waiting@example.org").await;
    assert_eq!(mail.len(), before.len() + 1);
    let receipt = mail.last().unwrap();
    assert!(ics::attachment(receipt).is_none(), "no entry to take out");
    assert!(app::mail::text_of(receipt.as_bytes())
        .unwrap()
        .contains("Tavolo da annullare"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cancel_buttons_only_ask_and_the_question_pages_hold_the_real_ones() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let occurrence = meeting(&app, None).await;
    let token = app
        .register_and_confirm(occurrence, "asked@example.org")
        .await;
    let page = |query: String| {
        let base = app.base.clone();
        async move {
            let res = browser()
                .get(format!("{base}{query}"))
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };

    // The personal page's button leads to the question, by GET: nothing is cancelled there.
    let (status, html) = page(format!("/en/registration?token={token}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(r#"<form method="get" action="/en/registration""#),
        "{html}"
    );
    assert!(html.contains(r#"name="confirm" value="cancel""#));
    assert!(
        !html.contains("/api/cancel_registration"),
        "no cancelling form yet"
    );
    let (status, html) = page(format!("/en/registration?token={token}&confirm=cancel")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Cancel your registration?"), "{html}");
    assert!(html.contains("/api/cancel_registration"));
    assert!(html.contains("Yes, cancel my registration"));
    assert!(html.contains(&format!(r#"href="/en/registration?token={token}""#)));
    assert_eq!(
        app.db.registrations(occurrence).await.unwrap()[0]
            .status
            .as_str(),
        "confirmed",
        "asking cancels nothing"
    );

    // A coordinator's date: the same two steps.
    let coordinator = "coord@example.org";
    let lucca = app.city("lucca").await;
    app.user(coordinator, "en", &[Role::City(lucca)]).await;
    let client = app.signed_in(coordinator).await;
    let get = |path: String| {
        let (client, base) = (client.clone(), app.base.clone());
        async move {
            let res = client.get(format!("{base}{path}")).send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    let path = format!("/en/coordinate/occurrences/{occurrence}");
    let (status, html) = get(path.clone()).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains(&format!(r#"<form method="get" action="{path}""#)),
        "{html}"
    );
    assert!(!html.contains("/api/cancel_date"));
    let (status, html) = get(format!("{path}?confirm=cancel")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Cancel this date?"), "{html}");
    assert!(html.contains("/api/cancel_date"));
    // The one person registered is counted among those who will be told.
    assert!(html.contains("or waiting (1) is told"), "{html}");
    assert!(!app.db.occurrence(occurrence).await.unwrap().cancelled);

    // And the whole meeting, from its edit page.
    let meeting = app.db.occurrence(occurrence).await.unwrap().meeting_id;
    let path = format!("/en/coordinate/meetings/{meeting}");
    let (status, html) = get(path.clone()).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains(&format!(r#"<form method="get" action="{path}""#)),
        "{html}"
    );
    assert!(!html.contains("/api/cancel_meeting"));
    let (status, html) = get(format!("{path}?confirm=cancel")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Cancel the whole meeting?"), "{html}");
    assert!(html.contains("/api/cancel_meeting"));
    assert!(
        html.contains("Every date still ahead (1) is cancelled"),
        "{html}"
    );
    assert!(html.contains(&format!(r#"href="{path}""#)), "the way back");
    assert!(!app.db.occurrence(occurrence).await.unwrap().cancelled);
}
