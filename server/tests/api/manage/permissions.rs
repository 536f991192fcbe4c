//! Only coordinators of a meeting's city or cluster, and administrators, manage it; the
//! registrations export is theirs alone.

use super::*;

/// Lucca's coordinator, Torino's, the entrepreneurship cluster's and an administrator, each
/// signed in.
struct People {
    anna: reqwest::Client,
    tom: reqwest::Client,
    cleo: reqwest::Client,
    root: reqwest::Client,
}

async fn people(app: &TestApp) -> People {
    let (lucca, torino) = (app.city("lucca").await, app.city("torino").await);
    let cluster = app.cluster("entrepreneurship").await;
    app.user("anna@comune.lucca.it", "en", &[Role::City(lucca)])
        .await;
    app.user("tom@comune.torino.it", "en", &[Role::City(torino)])
        .await;
    app.user("cleo@cluster.example", "en", &[Role::Cluster(cluster)])
        .await;
    app.user("root@example.org", "en", &[Role::Admin]).await;
    People {
        anna: app.signed_in("anna@comune.lucca.it").await,
        tom: app.signed_in("tom@comune.torino.it").await,
        cleo: app.signed_in("cleo@cluster.example").await,
        root: app.signed_in("root@example.org").await,
    }
}

fn lucca_form() -> Vec<(String, String)> {
    meeting_form("Incontro di Lucca", &[])
}

fn cluster_form() -> Vec<(String, String)> {
    meeting_form(
        "Cluster call",
        &[("owner", "cluster:entrepreneurship"), ("language", "en")],
    )
}

async fn save(app: &TestApp, who: &reqwest::Client, form: &[(String, String)]) -> (u16, String) {
    app.call(who, "save_meeting", &pairs(form)).await
}

/// Lucca's meeting as Anna saves it: its id and its first date's.
async fn lucca_meeting(app: &TestApp, p: &People) -> (String, String) {
    let (status, body) = save(app, &p.anna, &lucca_form()).await;
    assert_eq!(status, 200, "{body}");
    let (meeting, dates) = app.meeting_titled("Incontro di Lucca").await;
    (meeting.to_string(), dates[0].to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citys_meeting_is_created_by_that_citys_coordinators_only() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let p = people(&app).await;
    assert_eq!(save(&app, &browser(), &lucca_form()).await.0, 401);
    assert_eq!(save(&app, &p.tom, &lucca_form()).await.0, 403);
    assert_eq!(
        save(&app, &p.cleo, &lucca_form()).await.0,
        403,
        "a cluster coordinator has no power over member cities"
    );
    let (status, body) = save(&app, &p.anna, &lucca_form()).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clusters_meeting_is_created_by_that_clusters_coordinators_only() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let p = people(&app).await;
    assert_eq!(save(&app, &p.anna, &cluster_form()).await.0, 403);
    let (status, body) = save(&app, &p.cleo, &cluster_form()).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_creates_meetings_for_any_city() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let p = people(&app).await;
    let form = meeting_form("Per Torino", &[("owner", "city:torino")]);
    assert_eq!(save(&app, &p.root, &form).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sector_of_another_city_or_any_sector_for_a_cluster_is_refused() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let p = people(&app).await;
    let form = meeting_form(
        "X",
        &[("owner", "cluster:entrepreneurship"), ("sector", "museums")],
    );
    let (status, body) = save(&app, &p.cleo, &form).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(problems_of(&body), HashSet::from(["sector".to_owned()]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citys_meeting_is_edited_by_its_coordinators_and_administrators_only() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let p = people(&app).await;
    let (id, _) = lucca_meeting(&app, &p).await;
    let mut edit = lucca_form();
    edit.push(("id".into(), id));
    for (who, expected) in [
        (&p.tom, 403),
        (&p.cleo, 403),
        (&browser(), 401),
        (&p.root, 200),
    ] {
        assert_eq!(save(&app, who, &edit).await.0, expected);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_citys_coordinator_can_neither_change_nor_read_a_meeting() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let p = people(&app).await;
    let (id, date) = lucca_meeting(&app, &p).await;
    let torino = meeting_form("Per Torino", &[("owner", "city:torino")]);
    assert_eq!(save(&app, &p.root, &torino).await.0, 200);
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
        let (status, body) = app.call(&p.tom, name, &form).await;
        assert_eq!(status, 403, "{name}: {body}");
    }
    let list = [("lang", "en"), ("past", "false"), ("page", "1")];
    let (status, listed) = app.call(&p.tom, "managed_meetings", &list).await;
    assert_eq!(status, 200);
    assert!(listed.contains("Per Torino") && !listed.contains("Incontro di Lucca"));
    let meeting = id.parse().unwrap();
    assert!(app.db.meeting(meeting).await.is_ok(), "still there");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_registrations_export_is_the_citys_coordinators_with_formulas_defused() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let p = people(&app).await;
    let (_, date) = lucca_meeting(&app, &p).await;
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
    for (who, expected) in [(&browser(), 401), (&p.tom, 403), (&p.cleo, 403)] {
        assert_eq!(
            who.get(&csv_url).send().await.unwrap().status().as_u16(),
            expected
        );
    }
    let res = p.anna.get(&csv_url).send().await.unwrap();
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
