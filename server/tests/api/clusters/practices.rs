//! The cluster's library of best practices: shared by coordinators of member cities for their own
//! city, refused with each problem named (without JavaScript too), listed escaped, filtered, edited
//! and deleted, each change audited.

use super::*;

const LIBRARY: &str = "/en/clusters/entrepreneurship/practices";

/// Ada coordinates Torino, a member of the entrepreneurship cluster; Anna coordinates Lucca,
/// which is not.
struct Coordinators {
    ada: reqwest::Client,
    anna: reqwest::Client,
}

async fn coordinators(app: &TestApp) -> Coordinators {
    let torino = app.city("torino").await;
    let lucca = app.city("lucca").await;
    app.user("ada@comune.torino.it", "en", &[Role::City(torino)])
        .await;
    app.user("anna@comune.lucca.it", "en", &[Role::City(lucca)])
        .await;
    Coordinators {
        ada: app.signed_in("ada@comune.torino.it").await,
        anna: app.signed_in("anna@comune.lucca.it").await,
    }
}

/// Chengdu's practice, in English, as an administrator shares it.
fn chengdus() -> Vec<(&'static str, &'static str)> {
    let mut other = practice("entrepreneurship", "chengdu", "Makers' spaces in libraries");
    other.retain(|(k, _)| !matches!(*k, "language" | "tags"));
    other.extend([("language", "en"), ("tags", "makerspaces")]);
    other
}

/// Torino's practice shared by Ada and Chengdu's by an administrator: their ids.
async fn two_practices(app: &TestApp, c: &Coordinators) -> (String, String) {
    let ours = practice("entrepreneurship", "torino", "Apprendistato <duale>");
    let (status, body) = app.call(&c.ada, "save_practice", &ours).await;
    assert_eq!(status, 200, "{}: {body}", app.backend);
    app.user("root@gnlc.example", "en", &[Role::Admin]).await;
    let admin = app.signed_in("root@gnlc.example").await;
    let (status, body) = app.call(&admin, "save_practice", &chengdus()).await;
    assert_eq!(status, 200, "{body}");
    let all = app
        .db
        .practices(app.cluster("entrepreneurship").await, None)
        .await
        .unwrap();
    let id = |title: &str| {
        all.iter()
            .find(|p| p.title.starts_with(title))
            .unwrap()
            .id
            .to_string()
    };
    (id("Apprendistato"), id("Makers"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_coordinators_of_member_cities_share_practices() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let c = coordinators(&app).await;
        let (_, html) = get(&c.ada, &app, LIBRARY).await;
        assert!(html.contains("href=\"/en/clusters/entrepreneurship/practices/new\""));
        let (_, html) = get(&c.anna, &app, LIBRARY).await;
        assert!(!html.contains("practices/new"));
        let nope = practice("entrepreneurship", "torino", "Nope");
        let (status, _) = app.call(&c.anna, "save_practice", &nope).await;
        assert_eq!(status, 403, "{}", app.backend);
        let (status, _) = app.call(&browser(), "save_practice", &nope).await;
        assert_eq!(status, 401);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_city_coordinator_shares_for_their_own_city_only() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let c = coordinators(&app).await;
        let chengdu = practice("entrepreneurship", "chengdu", "Nope");
        let (status, body) = app.call(&c.ada, "save_practice", &chengdu).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("city"), "{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_practice_comes_back_without_javascript_with_each_problem_and_its_text() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let c = coordinators(&app).await;
        let mut bad = practice("entrepreneurship", "torino", "Apprendistato duale");
        bad.retain(|(k, _)| !matches!(*k, "link" | "tags" | "summary" | "language"));
        bad.extend([
            ("link", "javascript:alert(1)"),
            ("tags", "ok, no;pe"),
            ("summary", ""),
            ("language", "xx"),
        ]);
        let res = c
            .ada
            .post(format!("{}/api/save_practice", app.base))
            .header("Origin", &app.base)
            .header(
                "Referer",
                format!("{}/en/clusters/entrepreneurship/practices/new", app.base),
            )
            .header("Accept", "text/html")
            .form(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303);
        let back = res.headers()["location"].to_str().unwrap().to_owned();
        let res = c.ada.get(&back).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 422);
        let html = res.text().await.unwrap();
        assert!(html.contains("value=\"Apprendistato duale\""), "title kept");
        for message in [
            "Enter a web address starting with https:// or http://.",
            "This field is required.",
        ] {
            assert!(html.contains(message), "{message}");
        }
        assert!(
            html.contains("id=\"field-tags-error\" class=\"field-error\">This contains characters"),
            "tags problem shown: {}",
            &html[html.find("field-tags").unwrap_or(0)..][..400]
        );
        assert!(
            html.contains(
                "id=\"field-language-error\" class=\"field-error\">Choose one of the options"
            ),
            "language problem shown"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_practice_is_listed_escaped_in_the_library_and_on_the_cluster_page() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let c = coordinators(&app).await;
        let shared = practice("entrepreneurship", "torino", "Apprendistato <duale>");
        let (status, body) = app.call(&c.ada, "save_practice", &shared).await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        let (_, html) = get(&browser(), &app, LIBRARY).await;
        assert!(html.contains("Apprendistato &lt;duale&gt;"));
        assert!(html.contains("Apprenticeships &lt;b&gt;planned&lt;/b&gt;"));
        assert!(html.contains("href=\"https://example.org/practices/apprenticeships\""));
        assert!(html
            .contains("href=\"/en/clusters/entrepreneurship/practices?tag=work-based-learning\""));
        let (_, html) = get(&browser(), &app, "/en/clusters/entrepreneurship").await;
        assert!(html.contains("Apprendistato &lt;duale&gt;"));
        app.assert_audited("practice.create").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_library_filters_by_tag_language_and_city() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let c = coordinators(&app).await;
        two_practices(&app, &c).await;
        for (query, expected, absent) in [
            ("?tag=youth", "Apprendistato", "Makers"),
            ("?language=en", "Makers", "Apprendistato"),
            ("?city=chengdu", "Makers", "Apprendistato"),
            ("?city=torino&tag=youth", "Apprendistato", "Makers"),
        ] {
            let (status, html) = get(&browser(), &app, &format!("{LIBRARY}{query}")).await;
            assert_eq!(status, 200);
            // A title as the list shows it (the page's data for hydration hold them all).
            let listed = |title: &str| html.contains(&format!("nofollow\">{title}"));
            assert!(listed(expected), "{query} keeps {expected}");
            assert!(!listed(absent), "{query} drops {absent}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_edits_their_citys_practice_and_not_another_citys() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let c = coordinators(&app).await;
        let (ours, theirs) = two_practices(&app, &c).await;
        let (_, html) = get(&c.ada, &app, LIBRARY).await;
        assert!(html.contains(&format!("practices/{ours}\"")));
        assert!(!html.contains(&format!("practices/{theirs}\"")));
        let (status, _) = get(&c.ada, &app, &format!("{LIBRARY}/{theirs}")).await;
        assert_eq!(status, 403);
        let mut edit = practice("entrepreneurship", "torino", "Apprendistato duale");
        edit.retain(|(k, _)| *k != "id");
        edit.push(("id", &ours));
        let (status, body) = app.call(&c.ada, "save_practice", &edit).await;
        assert_eq!(status, 200, "{body}");
        app.assert_audited("practice.update").await;
        let mut steal = chengdus();
        steal.retain(|(k, _)| *k != "id" && *k != "city");
        steal.extend([("id", theirs.as_str()), ("city", "torino")]);
        let (status, _) = app.call(&c.ada, "save_practice", &steal).await;
        assert_eq!(status, 403);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_practice_asks_for_the_box_to_be_ticked() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let c = coordinators(&app).await;
        let (ours, _) = two_practices(&app, &c).await;
        let gone = [
            ("lang", "en"),
            ("slug", "entrepreneurship"),
            ("id", ours.as_str()),
        ];
        let (status, _) = app.call(&c.ada, "delete_practice", &gone).await;
        assert_eq!(status, 422);
        let mut confirmed = gone.to_vec();
        confirmed.push(("confirm", "yes"));
        let (status, _) = app.call(&c.ada, "delete_practice", &confirmed).await;
        assert_eq!(status, 200);
        let (_, html) = get(&browser(), &app, LIBRARY).await;
        assert!(!html.contains("Apprendistato"));
        assert!(html.contains("Makers"));
        app.assert_audited("practice.delete").await;
    }
}
