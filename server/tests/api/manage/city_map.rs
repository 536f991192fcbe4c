//! Venues on the city map, and the tile server under it.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_venue_with_a_position_is_on_the_city_map_by_its_sector() {
    for test_db in testkit::backends().await {
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
        testkit::sqlite().await,
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
