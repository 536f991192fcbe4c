//! The city directory through the real server, on SQLite and PostgreSQL: a search by part of a
//! name in either language with accents and capitals ignored, and the list in each language's
//! alphabetical order (an accented letter with its base letter, not after "z").

use crate::helpers::*;

async fn page(app: &TestApp, path: &str) -> String {
    let res = browser()
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200, "{path}");
    res.text().await.unwrap()
}

/// The slugs of the cities the directory lists, in its order.
fn listed(html: &str, lang: &str) -> Vec<String> {
    let list = html
        .split("<ul class=\"city-list\">")
        .nth(1)
        .expect("the page has the list")
        .split("</ul>")
        .next()
        .unwrap();
    let prefix = format!("href=\"/{lang}/cities/");
    list.match_indices(&prefix)
        .map(|(at, _)| {
            let rest = &list[at + prefix.len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

fn position(list: &[String], slug: &str) -> usize {
    list.iter()
        .position(|s| s == slug)
        .unwrap_or_else(|| panic!("{slug} is listed"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_city_is_found_by_part_of_its_name_in_either_language_without_accents() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let cases: [(&str, &str, &[&str]); 8] = [
            ("en", "camara", &["camara-de-lobos"]),
            ("it", "CAMARA", &["camara-de-lobos"]),
            ("en", "lucca", &["lucca"]),
            ("en", "turin", &["torino"]),
            ("en", "torino", &["torino"]),
            ("it", "turin", &["torino"]),
            // Pechino is Beijing's Italian name: found from the English page too.
            ("en", "pechino", &["beijing"]),
            ("en", "liege", &["liege"]),
        ];
        for (lang, q, expected) in cases {
            let html = page(&app, &format!("/{lang}/cities?q={q}")).await;
            assert_eq!(listed(&html, lang), expected, "{} {lang} {q}", app.backend);
        }
        // A search that matches nothing says so rather than showing an empty list alone.
        let html = page(&app, "/en/cities?q=atlantis").await;
        assert!(listed(&html, "en").is_empty());
        assert!(html.contains("No city has that name"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_directory_lists_every_city_in_the_readers_alphabetical_order() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let cities = app.db.cities(None).await.unwrap();
        for lang in ["en", "it"] {
            let html = page(&app, &format!("/{lang}/cities")).await;
            let list = listed(&html, lang);
            assert_eq!(list.len(), cities.len(), "{} {lang}", app.backend);
            // Byte order would put "Câmara" after "Curitiba" and "Liège" after "Lisbon".
            assert!(position(&list, "camara-de-lobos") < position(&list, "chengdu"));
            assert!(position(&list, "camara-de-lobos") < position(&list, "curitiba"));
            assert!(position(&list, "liege") < position(&list, "lisboa"));
        }
        // Each language sorts by its own names: Beijing under B, Pechino under P.
        let en = listed(&page(&app, "/en/cities").await, "en");
        let it = listed(&page(&app, "/it/cities").await, "it");
        assert!(position(&en, "beijing") < position(&en, "camara-de-lobos"));
        assert!(position(&it, "beijing") > position(&it, "ciudad-de-mexico"));
        assert!(position(&it, "beijing") > position(&it, "lucca"));
    }
}

/// The country codes the map's country filter offers, in its order.
fn countries_offered(html: &str) -> Vec<String> {
    let select = html
        .split("name=\"country\"")
        .nth(1)
        .expect("the map has a country filter")
        .split("</select>")
        .next()
        .unwrap();
    select
        .match_indices("value=\"")
        .map(|(at, _)| {
            let rest = &select[at + 7..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .filter(|code| !code.is_empty())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_map_offers_countries_in_the_readers_order() {
    for test_db in testkit::backends().await {
        let app = spawn_app(test_db, &[]).await;
        let en = countries_offered(&page(&app, "/en/map").await);
        let it = countries_offered(&page(&app, "/it/map").await);
        let at = |list: &[String], code: &str| position(list, code);
        // United Arab Emirates under U in English, Emirati Arabi Uniti under E in Italian.
        assert!(at(&en, "AE") > at(&en, "FI"), "{en:?}");
        assert!(at(&it, "AE") < at(&it, "FI"), "{it:?}");
        // Germany (Germania) and Spain (Spagna) swap places with the language too.
        assert!(at(&en, "DE") < at(&en, "ES"));
        assert!(at(&it, "DE") < at(&it, "ES"));
        assert!(
            at(&it, "GB") > at(&it, "PT"),
            "Regno Unito after Portogallo"
        );
    }
}
