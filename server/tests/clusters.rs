//! A cluster's pages through the real server, on SQLite and PostgreSQL: lead cities, members
//! on the map and in the table, the next meetings, and the library of best practices that the
//! coordinators of member cities share, edit and delete (audited), with and without JavaScript.

#[path = "../../db/tests/common/mod.rs"]
mod common;
mod support;

use domain::Role;
use support::*;

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
    for test_db in common::backends().await {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinators_of_member_cities_share_edit_and_delete_practices() {
    for test_db in common::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let torino = app.city("torino").await;
        let lucca = app.city("lucca").await;
        app.user("ada@comune.torino.it", "en", &[Role::City(torino)])
            .await;
        app.user("anna@comune.lucca.it", "en", &[Role::City(lucca)])
            .await;
        let ada = app.signed_in("ada@comune.torino.it").await;
        let anna = app.signed_in("anna@comune.lucca.it").await;

        // Only coordinators of member cities may share: Lucca is not in the cluster.
        let library = "/en/clusters/entrepreneurship/practices";
        let (_, html) = get(&ada, &app, library).await;
        assert!(html.contains("href=\"/en/clusters/entrepreneurship/practices/new\""));
        let (_, html) = get(&anna, &app, library).await;
        assert!(!html.contains("practices/new"));
        let (status, _) = app
            .call(
                &anna,
                "save_practice",
                &practice("entrepreneurship", "torino", "Nope"),
            )
            .await;
        assert_eq!(status, 403, "{}", app.backend);
        let (status, _) = app
            .call(
                &browser(),
                "save_practice",
                &practice("entrepreneurship", "torino", "Nope"),
            )
            .await;
        assert_eq!(status, 401);
        // A city coordinator shares for their own city only.
        let (status, body) = app
            .call(
                &ada,
                "save_practice",
                &practice("entrepreneurship", "chengdu", "Nope"),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("city"), "{body}");

        // Bad input: each field says what is wrong, without JavaScript too, and keeps the text.
        let mut bad = practice("entrepreneurship", "torino", "Apprendistato duale");
        bad.retain(|(k, _)| !matches!(*k, "link" | "tags" | "summary" | "language"));
        bad.extend([
            ("link", "javascript:alert(1)"),
            ("tags", "ok, no;pe"),
            ("summary", ""),
            ("language", "xx"),
        ]);
        let res = ada
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
        let res = ada.get(&back).send().await.unwrap();
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

        // Shared: listed in the library and on the cluster page, text escaped.
        let (status, body) = app
            .call(
                &ada,
                "save_practice",
                &practice("entrepreneurship", "torino", "Apprendistato <duale>"),
            )
            .await;
        assert_eq!(status, 200, "{}: {body}", app.backend);
        let (_, html) = get(&browser(), &app, library).await;
        assert!(html.contains("Apprendistato &lt;duale&gt;"));
        assert!(html.contains("Apprenticeships &lt;b&gt;planned&lt;/b&gt;"));
        assert!(html.contains("href=\"https://example.org/practices/apprenticeships\""));
        assert!(html
            .contains("href=\"/en/clusters/entrepreneurship/practices?tag=work-based-learning\""));
        let (_, html) = get(&browser(), &app, "/en/clusters/entrepreneurship").await;
        assert!(html.contains("Apprendistato &lt;duale&gt;"));

        // A second practice, in English from Chengdu, shared by an administrator.
        app.user("root@gnlc.example", "en", &[Role::Admin]).await;
        let admin = app.signed_in("root@gnlc.example").await;
        let mut other = practice("entrepreneurship", "chengdu", "Makers' spaces in libraries");
        other.retain(|(k, _)| !matches!(*k, "language" | "tags"));
        other.extend([("language", "en"), ("tags", "makerspaces")]);
        let (status, body) = app.call(&admin, "save_practice", &other).await;
        assert_eq!(status, 200, "{body}");

        // Filters by tag, language and city keep only what matches.
        for (query, expected, absent) in [
            ("?tag=youth", "Apprendistato", "Makers"),
            ("?language=en", "Makers", "Apprendistato"),
            ("?city=chengdu", "Makers", "Apprendistato"),
            ("?city=torino&tag=youth", "Apprendistato", "Makers"),
        ] {
            let (status, html) = get(&browser(), &app, &format!("{library}{query}")).await;
            assert_eq!(status, 200);
            // A title as the list shows it (the page's data for hydration hold them all).
            let listed = |title: &str| html.contains(&format!("nofollow\">{title}"));
            assert!(listed(expected), "{query} keeps {expected}");
            assert!(!listed(absent), "{query} drops {absent}");
        }

        // Torino's coordinator edits Torino's practice, not Chengdu's.
        let all = app
            .db
            .practices(app.cluster("entrepreneurship").await, None)
            .await
            .unwrap();
        let ids = |title: &str| {
            all.iter()
                .find(|p| p.title.starts_with(title))
                .unwrap()
                .id
                .to_string()
        };
        let (ours, theirs) = (ids("Apprendistato"), ids("Makers"));
        let (_, html) = get(&ada, &app, library).await;
        assert!(html.contains(&format!("practices/{ours}\"")));
        assert!(!html.contains(&format!("practices/{theirs}\"")));
        let (status, _) = get(&ada, &app, &format!("{library}/{theirs}")).await;
        assert_eq!(status, 403);
        let mut edit = practice("entrepreneurship", "torino", "Apprendistato duale");
        edit.retain(|(k, _)| *k != "id");
        edit.push(("id", &ours));
        let (status, body) = app.call(&ada, "save_practice", &edit).await;
        assert_eq!(status, 200, "{body}");
        let mut steal = other.clone();
        steal.retain(|(k, _)| *k != "id" && *k != "city");
        steal.extend([("id", theirs.as_str()), ("city", "torino")]);
        let (status, _) = app.call(&ada, "save_practice", &steal).await;
        assert_eq!(status, 403);

        // Deleting asks for the box to be ticked.
        let gone = [
            ("lang", "en"),
            ("slug", "entrepreneurship"),
            ("id", ours.as_str()),
        ];
        let (status, _) = app.call(&ada, "delete_practice", &gone).await;
        assert_eq!(status, 422);
        let mut confirmed = gone.to_vec();
        confirmed.push(("confirm", "yes"));
        let (status, _) = app.call(&ada, "delete_practice", &confirmed).await;
        assert_eq!(status, 200);
        let (_, html) = get(&browser(), &app, library).await;
        assert!(!html.contains("Apprendistato"));
        assert!(html.contains("Makers"));

        let actions = app.audit_actions().await;
        for action in ["practice.create", "practice.update", "practice.delete"] {
            assert!(actions.iter().any(|a| a == action), "{action} audited");
        }
    }
}
