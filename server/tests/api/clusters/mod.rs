//! A cluster's pages through the real server, on SQLite and PostgreSQL: lead cities, members
//! on the map and in the table, the next meetings, and the library of best practices that the
//! coordinators of member cities share, edit and delete (audited), with and without JavaScript.

mod practices;

use crate::helpers::*;
use domain::Role;

async fn get(client: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let res = client
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

fn practice<'a>(slug: &'a str, city: &'a str, title: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("lang", "en"),
        ("slug", slug),
        ("id", ""),
        ("city", city),
        ("title", title),
        (
            "summary",
            "Apprenticeships <b>planned</b> with the city's firms.",
        ),
        ("link", "https://example.org/practices/apprenticeships"),
        ("language", "it"),
        ("tags", "Work-based learning, youth"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_page_shows_its_leads_members_meetings_and_practices() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let members = app.db.cities(Some("entrepreneurship")).await.unwrap();
        let (status, html) = get(&browser(), &app, "/en/clusters/entrepreneurship").await;
        assert_eq!(status, 200, "{}", app.backend);
        assert!(
            html.contains("<h2 id=\"leads-heading\">Lead cities<"),
            "{}",
            &html[html.find("<main").unwrap_or(0)..]
        );
        for lead in ["/en/cities/torino", "/en/cities/chengdu"] {
            assert!(
                html.contains(&format!("<li><a href=\"{lead}\">")),
                "{lead} leads"
            );
        }
        // One marker and one table row per member, no filter form: the page fixes the filter.
        let markers = html.matches("<g class=\"marker\"").count()
            + html.matches("<g class=\"marker marker--lead\"").count();
        assert_eq!(
            markers,
            members.len(),
            "{}: a marker per member",
            app.backend
        );
        assert_eq!(html.matches("<th scope=\"row\">").count(), members.len());
        assert!(!html.contains("<select id=\"cluster\""));
        // The quarterly series of the demo data is the next meeting of the cluster.
        assert!(html.contains("Entrepreneurship cluster: quarterly meeting of Torino and Chengdu"));
        assert!(html.contains("href=\"/en/clusters/entrepreneurship/calendar\""));
        assert!(html.contains("No practice shared yet."));

        let (status, _) = get(&browser(), &app, "/en/clusters/no-such-cluster").await;
        assert_eq!(status, 404);
    }
}
