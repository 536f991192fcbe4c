//! The page cache through the real server, on SQLite and PostgreSQL: anonymous page views are
//! served again until something they show changes, a coordinator's change shows on the next
//! anonymous request (on another instance too), and signed-in pages and personal links are
//! never kept.

use crate::helpers::*;
use chrono::{Duration, Utc};
use domain::Role;

/// An anonymous page view: status, `Server-Timing`, `ETag` and body.
async fn view(app: &TestApp, path: &str) -> (u16, String, String, String) {
    let res = browser()
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap();
    let header = |name: &str| {
        res.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (status, timing, etag) = (
        res.status().as_u16(),
        header("server-timing"),
        header("etag"),
    );
    (status, timing, etag, res.text().await.unwrap())
}

fn meeting_form(title: &str) -> Vec<(String, String)> {
    meeting_form_with(title, "Per le **scuole**.")
}

fn meeting_form_with(title: &str, description: &str) -> Vec<(String, String)> {
    let day = (Utc::now() + Duration::days(5)).date_naive();
    [
        ("lang", "en"),
        ("owner", "city:lucca"),
        ("title", title),
        ("description", description),
        ("sector", ""),
        ("language", "it"),
        ("audience", "everyone"),
        ("mode", "in-person"),
        ("place", "Palazzo Orsetti"),
        ("address", "Via Santa Giustina 6, Lucca"),
        ("timezone", "Europe/Rome"),
        ("repeat", "none"),
        ("start", &format!("{day}T17:30")),
        ("end", &format!("{day}T19:00")),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_coordinators_change_shows_on_the_next_anonymous_request() {
    for backend in testkit::backends().await {
        let app = spawn_app(backend, &[]).await;
        let lucca = app.city("lucca").await;
        app.user("anna@comune.lucca.it", "en", &[Role::City(lucca)])
            .await;
        let anna = app.signed_in("anna@comune.lucca.it").await;
        let form = meeting_form("Tavolo delle scuole");
        let (status, body) = app.call(&anna, "save_meeting", &pairs(&form)).await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        let (meeting, dates) = app.meeting_titled("Tavolo delle scuole").await;
        let path = format!("/en/meetings/{}", dates[0]);

        let (status, timing, _, html) = view(&app, &path).await;
        assert_eq!(status, 200, "{}", app.backend);
        assert!(html.contains("Tavolo delle scuole"), "{}", app.backend);
        // The description was rendered when the meeting was saved.
        let stored = app.db.meeting(meeting).await.unwrap();
        assert_eq!(
            stored.description_html.as_deref(),
            Some("<p>Per le <strong>scuole</strong>.</p>\n"),
            "{}",
            app.backend
        );
        assert!(html.contains("<strong>scuole</strong>"), "{}", app.backend);
        assert!(
            timing.starts_with("db;dur="),
            "{}: rendered: {timing}",
            app.backend
        );
        // Kept. (On PostgreSQL the notification of our own write arrives a moment after the
        // write counted: the page may be rendered once more, never stale.)
        let mut kept = None;
        for _ in 0..50 {
            let (_, timing, again, _) = view(&app, &path).await;
            if timing.starts_with("cache;desc=hit") {
                kept = Some(again);
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let etag = kept.unwrap_or_else(|| panic!("{}: the page is kept", app.backend));

        // A browser that has the page is told it has not changed.
        let res = browser()
            .get(format!("{}{path}", app.base))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 304, "{}", app.backend);

        let mut form = meeting_form_with("Tavolo delle scuole e dei musei", "Per i *musei*.");
        form.push(("id".into(), meeting.to_string()));
        let (status, body) = app.call(&anna, "save_meeting", &pairs(&form)).await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        let (_, timing, changed, html) = view(&app, &path).await;
        assert!(
            html.contains("<em>musei</em>") && !html.contains("<strong>scuole</strong>"),
            "{}: the description rendered anew",
            app.backend
        );
        assert!(
            html.contains("Tavolo delle scuole e dei musei"),
            "{}: the change shows at once ({timing})",
            app.backend
        );
        assert_ne!(etag, changed, "{}", app.backend);
        let res = browser()
            .get(format!("{}{path}", app.base))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{}: the old ETag is stale", app.backend);
    }
}

/// Two instances over one PostgreSQL database, as behind a load balancer: a change made through
/// one shows on the other's next page.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_change_through_one_instance_shows_on_the_other() {
    let test_db = testkit::postgres().await;
    let url = test_db.url.clone();
    let first = spawn_app(test_db, &[]).await;
    let second = spawn_app_on(&url, &[]).await;
    let lucca = first.city("lucca").await;
    first
        .user("anna@comune.lucca.it", "en", &[Role::City(lucca)])
        .await;
    let anna = first.signed_in("anna@comune.lucca.it").await;
    let form = meeting_form("Tavolo delle scuole");
    let (status, body) = first.call(&anna, "save_meeting", &pairs(&form)).await;
    assert_eq!(status, 200, "{body}");
    let (meeting, dates) = first.meeting_titled("Tavolo delle scuole").await;
    let path = format!("/en/meetings/{}", dates[0]);
    // Once the second instance has heard of everything done so far, it keeps the page.
    let mut kept = false;
    for _ in 0..50 {
        let (_, timing, _, _) = view(&second, &path).await;
        if timing.starts_with("cache;desc=hit") {
            kept = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(kept, "the second instance keeps the page");

    let mut form = meeting_form("Tavolo delle scuole e dei musei");
    form.push(("id".into(), meeting.to_string()));
    let (status, body) = first.call(&anna, "save_meeting", &pairs(&form)).await;
    assert_eq!(status, 200, "{body}");
    // The other instance hears of the change by a notification: it arrives within moments.
    let mut seen = false;
    for _ in 0..50 {
        let (_, _, _, html) = view(&second, &path).await;
        if html.contains("Tavolo delle scuole e dei musei") {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(seen, "the second instance shows the change within a second");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_in_pages_and_personal_links_are_never_kept() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let lucca = app.city("lucca").await;
    app.user("anna@comune.lucca.it", "en", &[Role::City(lucca)])
        .await;
    app.user("tom@comune.torino.it", "en", &[Role::Admin]).await;
    let anna = app.signed_in("anna@comune.lucca.it").await;
    let tom = app.signed_in("tom@comune.torino.it").await;
    for _ in 0..2 {
        for (client, me, other) in [
            (&anna, "Signed in as anna.", "Signed in as tom."),
            (&tom, "Signed in as tom.", "Signed in as anna."),
        ] {
            let res = client
                .get(format!("{}/en/coordinate", app.base))
                .send()
                .await
                .unwrap();
            let timing = res.headers()["server-timing"].to_str().unwrap().to_owned();
            let cache = res.headers()["cache-control"].to_str().unwrap().to_owned();
            let html = res.text().await.unwrap();
            assert!(html.contains(me), "{me} sees their own dashboard");
            assert!(!html.contains(other), "{me} never sees {other}'s page");
            assert!(!timing.contains("cache"), "{timing}");
            assert!(cache.contains("no-store"), "{cache}");
        }
    }
    // A public page viewed signed in is rendered for them, and not kept for others either.
    for _ in 0..2 {
        let res = anna
            .get(format!("{}/en/cities/lucca", app.base))
            .send()
            .await
            .unwrap();
        let timing = res.headers()["server-timing"].to_str().unwrap().to_owned();
        assert!(timing.starts_with("db;"), "{timing}");
    }
    // A personal link's page is rendered each time and kept by no cache.
    for _ in 0..2 {
        let res = browser()
            .get(format!(
                "{}/en/registration?token=not-a-real-token",
                app.base
            ))
            .send()
            .await
            .unwrap();
        let timing = res.headers()["server-timing"].to_str().unwrap().to_owned();
        let cache = res.headers()["cache-control"].to_str().unwrap().to_owned();
        assert!(timing.starts_with("db;"), "{timing}");
        assert!(cache.contains("no-store"), "{cache}");
    }
}
