//! The network's map through the real server, on SQLite and PostgreSQL: one marker per city of
//! each filter, lead cities marked, the table twin listing exactly the cities the map shows,
//! the base map as a cacheable SVG, search with suggestions, and unknown filters as 404s.

use crate::helpers::*;
use domain::{CitySummary, Region};
use std::collections::BTreeSet;

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let res = browser()
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// The city slugs linked right after each occurrence of `start` in the page.
fn linked_after(html: &str, start: &str) -> Vec<String> {
    html.match_indices(start)
        .filter_map(|(at, _)| {
            let rest = &html[at..];
            let href = rest.find("href=\"")? + 6;
            let slug = rest[href..].split('"').next()?;
            Some(slug.rsplit('/').next()?.to_owned())
        })
        .collect()
}

fn markers(html: &str) -> Vec<String> {
    let mut all = linked_after(html, "<g class=\"marker\"");
    all.extend(linked_after(html, "<g class=\"marker marker--lead\""));
    all
}

fn lead_markers(html: &str) -> usize {
    html.matches("<g class=\"marker marker--lead\"").count()
}

fn table_rows(html: &str) -> Vec<String> {
    linked_after(html, "<th scope=\"row\">")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_city_of_a_filter_has_one_marker_and_one_row() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let all = app.db.cities(None).await.unwrap();
        assert!(all.len() > 50, "the demo roster is loaded");
        type Keep = fn(&CitySummary) -> bool;
        let cases: [(&str, Keep); 6] = [
            ("", |_| true),
            ("?cluster=entrepreneurship", |c| {
                c.clusters.iter().any(|k| k.slug == "entrepreneurship")
            }),
            ("?region=europe-north-america", |c| {
                Region::of(&c.country) == Some(Region::EuropeNorthAmerica)
            }),
            ("?region=asia-pacific&cluster=entrepreneurship", |c| {
                Region::of(&c.country) == Some(Region::AsiaPacific)
                    && c.clusters.iter().any(|k| k.slug == "entrepreneurship")
            }),
            ("?country=it", |c| c.country == "IT"),
            ("?q=cordoba", |c| c.slug == "cordoba"),
        ];
        for (query, keep) in cases {
            let path = format!("/en/map{query}");
            let (status, html) = page(&app, &path).await;
            assert_eq!(status, 200, "{path}");
            let expected: BTreeSet<String> = all
                .iter()
                .filter(|c| keep(c))
                .map(|c| c.slug.clone())
                .collect();
            assert!(
                !expected.is_empty(),
                "{path}: the demo data has cities for it"
            );
            let on_map = markers(&html);
            assert_eq!(on_map.len(), expected.len(), "{path}: one marker per city");
            assert_eq!(
                on_map.iter().cloned().collect::<BTreeSet<_>>(),
                expected,
                "{path}: the markers are the filter's cities"
            );
            let leads = all
                .iter()
                .filter(|c| keep(c) && c.clusters.iter().any(|k| k.lead))
                .count();
            assert_eq!(lead_markers(&html), leads, "{path}: lead cities are marked");
            let rows = table_rows(&html);
            assert_eq!(
                rows.iter().cloned().collect::<BTreeSet<_>>(),
                expected,
                "{path}: the table twin lists what the map shows"
            );
            assert_eq!(rows.len(), on_map.len(), "{path}: no city twice");
        }
        // Torino and Chengdu co-lead the entrepreneurship cluster: ringed, named "lead".
        let (_, html) = page(&app, "/en/map?cluster=entrepreneurship").await;
        assert!(lead_markers(&html) >= 2);
        assert!(html.contains("aria-label=\"Turin, Italy: Employment and entrepreneurship (lead)"));
        assert!(html.contains("<option value=\"entrepreneurship\" selected"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_map_draws_on_a_cacheable_base_map() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    // The hydrated page asks for the whole network with no filter field at all.
    let (status, body) = app.call(&browser(), "world_map", &[]).await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = app
        .call(&browser(), "world_map", &[("filter[cluster]", "literacy")])
        .await;
    assert_eq!(status, 200);
    let res = browser()
        .get(format!("{}{}", app.base, app::map::BASEMAP))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "image/svg+xml; charset=utf-8"
    );
    assert!(res.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("max-age=604800"));
    let svg = res.text().await.unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));

    let (_, html) = page(&app, "/en/map").await;
    assert!(html.contains(&format!("<image href=\"{}\"", app::map::BASEMAP)));
    // Labelled for screen readers, with a legend, and the table reachable past the markers.
    assert!(html.contains("aria-label=\"World map of the member cities."));
    assert!(html.contains("<figcaption>"));
    assert!(html.contains("href=\"#map-table\""));
    // Every member's name is suggested by the search field.
    let suggestions = html.matches("<option value=\"").count();
    assert!(suggestions >= app.db.cities(None).await.unwrap().len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_search_for_one_city_opens_its_card_in_either_language() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let (status, html) = page(&app, "/it/map?q=torino").await;
    assert_eq!(status, 200);
    assert_eq!(markers(&html), vec!["torino"]);
    assert!(html.contains("class=\"map-card\""));
    assert!(html.contains("<h2 id=\"map-card-title\">Torino"));
    assert!(html.contains("href=\"/it/cities/torino/calendar\""));
    // The view closes in on the city: not the whole map.
    assert!(!html.contains("viewBox=\"0.00 0.00 1000.00"));
    // Accents and case do not matter; "Liege" finds Liège.
    let (_, html) = page(&app, "/en/map?q=LIEGE").await;
    assert_eq!(markers(&html).len(), 1, "Liège");
    // Nothing found is an empty map that says so, not an error.
    let (status, html) = page(&app, "/en/map?q=atlantis").await;
    assert_eq!(status, 200);
    assert!(markers(&html).is_empty());
    assert!(html.contains("No member city matches these filters."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_filters_are_404s() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    for path in [
        "/en/map?cluster=astrology",
        "/en/map?region=atlantis",
        "/it/map?country=ZZ",
        // A country with no member city of the chosen region is not among the choices either.
        "/en/map?region=africa&country=IT",
    ] {
        let (status, html) = page(&app, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(
            html.contains("Page not found") || html.contains("Pagina non trovata"),
            "{path}"
        );
    }
}

/// Lucca's coordinator and an administrator, signed in.
async fn anna_and_admin(app: &TestApp) -> (reqwest::Client, reqwest::Client) {
    let lucca = app.city("lucca").await;
    app.user("anna@comune.lucca.it", "en", &[domain::Role::City(lucca)])
        .await;
    app.user("root@gnlc.example", "en", &[domain::Role::Admin])
        .await;
    (
        app.signed_in("anna@comune.lucca.it").await,
        app.signed_in("root@gnlc.example").await,
    )
}

/// Lucca's facts with the latitude and the year it joined given.
fn facts(lat: &'static str, joined: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("lang", "en"),
        ("slug", "lucca"),
        ("name_en", "Lucca"),
        ("name_it", "Lucca"),
        ("latitude", lat),
        ("longitude", "10.5"),
        ("joined", joined),
    ]
}

/// Lucca's role in `cluster`.
fn cluster_role(cluster: &'static str, role: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("lang", "en"),
        ("slug", "lucca"),
        ("cluster", cluster),
        ("role", role),
    ]
}

fn count(actions: &[String], action: &str) -> usize {
    actions.iter().filter(|a| *a == action).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_bad_fact_of_a_city_is_named_and_nothing_changes() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let (anna, _) = anna_and_admin(&app).await;
        let before = app.db.city("lucca").await.unwrap().city;
        let bad = facts("north", "2031");
        let (status, body) = app.call(&anna, "update_city_facts", &bad).await;
        assert_eq!(status, 422, "{}: {body}", app.backend);
        assert!(
            body.contains("latitude") && body.contains("joined"),
            "{body}"
        );
        let after = app.db.city("lucca").await.unwrap().city;
        assert_eq!(
            (after.latitude, after.longitude, after.joined),
            (before.latitude, before.longitude, before.joined),
            "{}",
            app.backend
        );
        assert_eq!(count(&app.audit_actions().await, "city.facts"), 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citys_coordinator_corrects_its_facts_and_the_table_shows_them() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let (anna, _) = anna_and_admin(&app).await;
        let good = facts("43.84", "2021");
        let (status, body) = app.call(&anna, "update_city_facts", &good).await;
        assert_eq!(status, 200, "{body}");
        let city = app.db.city("lucca").await.unwrap().city;
        assert_eq!(
            (city.latitude, city.longitude, city.joined),
            (43.84, 10.5, Some(2021))
        );
        let (_, html) = page(&app, "/en/map?country=IT").await;
        let row = html
            .split("<tr>")
            .find(|r| r.contains("<th scope=\"row\"><a href=\"/en/cities/lucca\""))
            .expect("Lucca has a row");
        assert!(
            row.contains("<td>2021<"),
            "the table shows the new year: {row}"
        );
        assert_eq!(count(&app.audit_actions().await, "city.facts"), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citys_coordinator_changes_neither_another_city_nor_the_clusters() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let (anna, _) = anna_and_admin(&app).await;
        let mut other = facts("45.07", "2016");
        other[1] = ("slug", "torino");
        let (status, _) = app.call(&anna, "update_city_facts", &other).await;
        assert_eq!(status, 403);
        // The clusters are the foundation's.
        let member = cluster_role("literacy", "member");
        let (status, _) = app.call(&anna, "set_cluster_role", &member).await;
        assert_eq!(status, 403);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_makes_a_city_a_clusters_member_then_lead_then_neither() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let (_, admin) = anna_and_admin(&app).await;
        let set = |role: &'static str| {
            let (app, admin) = (&app, &admin);
            async move {
                let form = cluster_role("literacy", role);
                app.call(admin, "set_cluster_role", &form).await
            }
        };
        let (status, body) = set("member").await;
        assert_eq!(status, 200, "{body}");
        let (_, html) = page(&app, "/en/map?cluster=literacy").await;
        assert!(markers(&html).contains(&"lucca".to_owned()));
        let leads = lead_markers(&html);
        set("lead").await;
        let (_, html) = page(&app, "/en/map?cluster=literacy").await;
        assert_eq!(lead_markers(&html), leads + 1, "Lucca is ringed as a lead");
        assert_eq!(set("boss").await.0, 422);
        set("").await;
        let (_, html) = page(&app, "/en/map?cluster=literacy").await;
        assert!(!markers(&html).contains(&"lucca".to_owned()));
        assert_eq!(count(&app.audit_actions().await, "city.cluster_role"), 3);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_roster_import_puts_a_new_member_on_the_map_at_once() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let csv = "slug,name_en,name_it,country,country_en,country_it,latitude,longitude,timezone,joined,clusters,geonames_id\n\
                   newtown,Newtown,Newtown,GB,United Kingdom,Regno Unito,52.5,-3.3,Europe/London,2026,literacy,\n";
        let rows = db::roster::parse(csv.as_bytes()).unwrap();
        app.db.import_roster(&rows).await.unwrap();
        let (_, html) = page(&app, "/en/map?cluster=literacy").await;
        assert!(
            markers(&html).contains(&"newtown".to_owned()),
            "{}",
            app.backend
        );
    }
}

/// A roster as a spreadsheet on Windows saves it (byte-order mark, CRLF, a blank line, a value
/// with a line break in quotes) through the real `import-roster` command: each error is one line
/// of the report, naming the line an editor shows. The CSV reader's own count named every row
/// of such a file a line early, and a cluster listed twice passed the check and then failed the
/// import in the database, as an error naming no line.
#[test]
fn a_spreadsheet_s_roster_is_refused_line_by_line_then_imported() {
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite:{}", dir.path().join("lc.db").display());
    let import = |name: &str, rows: &[&str]| {
        let file = dir.path().join(name);
        let header = "slug,name_en,name_it,country,country_en,country_it,latitude,longitude,timezone,joined,clusters,geonames_id";
        let text = format!("\u{feff}{header}\r\n{}\r\n", rows.join("\r\n"));
        std::fs::write(&file, text).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_learning-city"))
            .args(["import-roster", file.to_str().unwrap()])
            .env("DATABASE_URL", &db_url)
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        (
            out.status.success(),
            String::from_utf8(out.stdout).unwrap(),
            stderr,
        )
    };
    let good = "prato,Prato,,IT,Italy,,43.88,11.1,Europe/Rome,2024,,";
    let (ok, _, stderr) = import(
        "bad.csv",
        &[
            good,
            "",
            "pisa,Pisa,,IT,Italy,,43.72,10.4,Europe/Rome,,literacy;literacy:lead,",
            "siena,Siena,,IT,Italy,,43.32,11.33,\"Europe/\r\nRome\",,,",
            "arezzo,Arezzo,,IT,Italy,,43.46,11.88,Europe/Rome,,health:boss,",
        ],
    );
    assert!(!ok);
    let bad = dir.path().join("bad.csv");
    let reported: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix(bad.to_str().unwrap()))
        .collect();
    assert_eq!(
        reported,
        [
            ":line 4: clusters: 'literacy' is listed twice",
            ":line 5: timezone: 'Europe/\\u{d}\\u{a}Rome' is not an IANA time zone such as Europe/Rome",
            ":line 7: clusters: unknown role 'boss' (lead or member)",
        ],
        "{stderr}"
    );

    let (ok, stdout, stderr) = import(
        "good.csv",
        &[
            good,
            "",
            "pisa,Pisa,,IT,Italy,,43.72,10.4,Europe/Rome,,literacy:lead,",
        ],
    );
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("2 new cities, 0 updated, 1 cluster memberships"),
        "{stdout}"
    );
}
